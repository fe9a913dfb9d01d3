// Hand-made frames, annotated field by field, with what they mean according to the RFCs / link-type specs.
// The expected values are worked out by hand from the bytes, not taken from the decoder; frames.test.ts
// checks the decoder against them and asks tshark to confirm the annotations of every segment case.

import { hex } from './helpers.js';

/** RFC 4271 §4.4 KEEPALIVE: 16-byte all-ones marker, length 19, type 4. */
export const KEEPALIVE = hex`ffffffffffffffffffffffffffffffff 0013 04`;

/** TCP header (20 bytes, no options) + KEEPALIVE: 39 bytes. */
export const TCP_KA = hex`
  c3 50 00 b3   # source port 50000, destination port 179
  11 22 33 44   # sequence number 0x11223344 = 287454020
  80 00 00 01   # acknowledgment number 0x80000001 = 2147483649 (> 2^31: must stay unsigned)
  50 18 40 00   # data offset 5 (20 bytes), flags 0x18 = PSH|ACK, window 16384
  00 00 00 00   # checksum (not checked), urgent pointer
  ${KEEPALIVE}`;

/** IPv4 10.0.0.1 → 10.0.0.2 carrying TCP_KA: 59 bytes. */
export const IPV4_KA = hex`
  45 00 00 3b   # version 4, IHL 5 (20 bytes), TOS 0, total length 59 = 20 + 20 + 19
  12 34 40 00   # identification 0x1234, flags DF, fragment offset 0
  40 06 00 00   # TTL 64, protocol 6 (TCP), checksum (not checked)
  0a 00 00 01   # source 10.0.0.1
  0a 00 00 02   # destination 10.0.0.2
  ${TCP_KA}`;

/** IPv6 2001:db8::1 → 2001:db8::2 carrying TCP_KA: 79 bytes. */
export const IPV6_KA = hex`
  60 00 00 00                                       # version 6, traffic class 0, flow label 0
  00 27 06 40                                       # payload length 39, next header 6 (TCP), hop limit 64
  20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01   # source 2001:db8::1
  20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 02   # destination 2001:db8::2
  ${TCP_KA}`;

export const ETH_HEAD_NO_TYPE = hex`
  00 11 22 33 44 55   # destination MAC
  66 77 88 99 aa bb   # source MAC`;

export interface SegmentExpect {
  ipVersion: 4 | 6;
  srcIp: string;
  dstIp: string;
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  flags: number;
  payload: Uint8Array;
  missing: number;
  srcMac: string | null;
  dstMac: string | null;
}

export const V4_KA: Omit<SegmentExpect, 'srcMac' | 'dstMac'> = {
  ipVersion: 4,
  srcIp: '10.0.0.1',
  dstIp: '10.0.0.2',
  srcPort: 50000,
  dstPort: 179,
  seq: 287454020,
  ack: 2147483649,
  flags: 0x18,
  payload: KEEPALIVE,
  missing: 0,
};

export const V6_KA: Omit<SegmentExpect, 'srcMac' | 'dstMac'> = {
  ...V4_KA,
  ipVersion: 6,
  srcIp: '2001:db8::1',
  dstIp: '2001:db8::2',
};

export const MACS = { srcMac: '66:77:88:99:aa:bb', dstMac: '00:11:22:33:44:55' };
export const NO_MACS = { srcMac: null, dstMac: null };

export interface NoticeExpect {
  code: string;
  srcIp: string | null;
  dstIp: string | null;
  srcPort: number | null;
  dstPort: number | null;
  /** A word the message must contain. */
  says: string;
}

export interface Case {
  name: string;
  linkType: number;
  data: Uint8Array;
  /** Length on the wire when the snaplen cut the frame; default data.length. */
  origLen?: number;
  /** Ports to select; default {179}. */
  ports?: number[];
  expect: { segment: SegmentExpect } | { notice: NoticeExpect } | { nothing: true };
}

export const CASES: Case[] = [
  // ---- link layers ----------------------------------------------------------------------------------------
  {
    name: 'Ethernet II + IPv4',
    linkType: 1,
    data: hex`${ETH_HEAD_NO_TYPE} 08 00 # EtherType IPv4
      ${IPV4_KA}`,
    expect: { segment: { ...V4_KA, ...MACS } },
  },
  {
    name: 'Ethernet + 802.1ad S-tag + 802.1Q C-tag (QinQ) + IPv4',
    linkType: 1,
    data: hex`${ETH_HEAD_NO_TYPE}
      88 a8   # 802.1ad service tag
      00 64   # PCP 0, DEI 0, VID 100
      81 00   # 802.1Q customer tag
      20 c8   # PCP 1, DEI 0, VID 200
      08 00   # EtherType IPv4
      ${IPV4_KA}`,
    expect: { segment: { ...V4_KA, ...MACS } },
  },
  {
    name: 'Ethernet + old QinQ 0x9100 + 802.1Q + IPv6',
    linkType: 1,
    data: hex`${ETH_HEAD_NO_TYPE}
      91 00 00 0a   # pre-standard QinQ tag, VID 10
      81 00 00 14   # 802.1Q tag, VID 20
      86 dd         # EtherType IPv6
      ${IPV6_KA}`,
    expect: { segment: { ...V6_KA, ...MACS } },
  },
  {
    name: 'Ethernet + MPLS two labels + IPv4',
    linkType: 1,
    data: hex`${ETH_HEAD_NO_TYPE}
      88 47         # EtherType MPLS unicast
      00 06 40 40   # label 100, TC 0, S 0, TTL 64
      00 0c 81 40   # label 200, TC 0, S 1 (bottom of stack), TTL 64
      ${IPV4_KA}    # first nibble 4: IPv4`,
    expect: { segment: { ...V4_KA, ...MACS } },
  },
  {
    name: 'Ethernet + MPLS multicast, IPv6 explicit null + IPv6',
    linkType: 1,
    data: hex`${ETH_HEAD_NO_TYPE}
      88 48         # EtherType MPLS multicast
      00 00 21 40   # label 2 (IPv6 explicit null), S 1, TTL 64
      ${IPV6_KA}`,
    expect: { segment: { ...V6_KA, ...MACS } },
  },
  {
    name: 'IEEE 802.3 length + LLC/SNAP (RFC 1042) + IPv4',
    linkType: 1,
    data: hex`${ETH_HEAD_NO_TYPE}
      00 43               # 802.3 length 67 = 8 (LLC/SNAP) + 59
      aa aa 03            # LLC: DSAP SNAP, SSAP SNAP, UI
      00 00 00 08 00      # SNAP: OUI 0, EtherType IPv4
      ${IPV4_KA}`,
    expect: { segment: { ...V4_KA, ...MACS } },
  },
  {
    name: 'Linux cooked SLL + IPv4',
    linkType: 113,
    data: hex`
      00 00                     # packet type 0: sent to us
      00 01                     # ARPHRD_ETHER
      00 06                     # link-layer address length 6
      66 77 88 99 aa bb 00 00   # sender MAC, padded to 8 bytes
      08 00                     # protocol IPv4
      ${IPV4_KA}`,
    expect: { segment: { ...V4_KA, srcMac: '66:77:88:99:aa:bb', dstMac: null } },
  },
  {
    name: 'Linux cooked SLL + 802.1Q tag left in the packet + IPv6',
    linkType: 113,
    data: hex`
      00 04 00 01 00 06 66 77 88 99 aa bb 00 00   # outgoing, ARPHRD_ETHER, MAC
      81 00                                       # protocol 802.1Q
      00 0a 86 dd                                 # VID 10, then IPv6
      ${IPV6_KA}`,
    expect: { segment: { ...V6_KA, srcMac: '66:77:88:99:aa:bb', dstMac: null } },
  },
  {
    name: 'Linux cooked SLL2 + IPv6',
    linkType: 276,
    data: hex`
      86 dd                     # protocol IPv6
      00 00                     # reserved
      00 00 00 03               # interface index 3
      00 01                     # ARPHRD_ETHER
      04                        # packet type 4: outgoing
      06                        # link-layer address length 6
      66 77 88 99 aa bb 00 00   # sender MAC
      ${IPV6_KA}`,
    expect: { segment: { ...V6_KA, srcMac: '66:77:88:99:aa:bb', dstMac: null } },
  },
  {
    name: 'Linux cooked SLL2 on a tunnel (ARPHRD_NONE, no address) + IPv4',
    linkType: 276,
    data: hex`08 00 00 00 00 00 00 07 ff fe 00 00 00 00 00 00 00 00 00 00 # IPv4, ifindex 7, ARPHRD_NONE, no address
      ${IPV4_KA}`,
    expect: { segment: { ...V4_KA, ...NO_MACS } },
  },
  { name: 'LINKTYPE_RAW + IPv4', linkType: 101, data: IPV4_KA, expect: { segment: { ...V4_KA, ...NO_MACS } } },
  { name: 'LINKTYPE_RAW + IPv6', linkType: 101, data: IPV6_KA, expect: { segment: { ...V6_KA, ...NO_MACS } } },
  { name: 'DLT_RAW 12 + IPv4', linkType: 12, data: IPV4_KA, expect: { segment: { ...V4_KA, ...NO_MACS } } },
  { name: 'LINKTYPE_IPV4', linkType: 228, data: IPV4_KA, expect: { segment: { ...V4_KA, ...NO_MACS } } },
  { name: 'LINKTYPE_IPV6', linkType: 229, data: IPV6_KA, expect: { segment: { ...V6_KA, ...NO_MACS } } },
  {
    name: 'NULL, little-endian AF_INET',
    linkType: 0,
    data: hex`02 00 00 00 # family 2 written by a little-endian host
      ${IPV4_KA}`,
    expect: { segment: { ...V4_KA, ...NO_MACS } },
  },
  {
    name: 'NULL, big-endian AF_INET',
    linkType: 0,
    data: hex`00 00 00 02 # family 2 written by a big-endian host
      ${IPV4_KA}`,
    expect: { segment: { ...V4_KA, ...NO_MACS } },
  },
  {
    name: 'NULL, little-endian AF_INET6 of Darwin (30)',
    linkType: 0,
    data: hex`1e 00 00 00 ${IPV6_KA}`,
    expect: { segment: { ...V6_KA, ...NO_MACS } },
  },
  {
    name: 'NULL, big-endian AF_INET6 of FreeBSD (28)',
    linkType: 0,
    data: hex`00 00 00 1c ${IPV6_KA}`,
    expect: { segment: { ...V6_KA, ...NO_MACS } },
  },
  {
    name: 'LOOP, AF_INET6 of OpenBSD (24), network order',
    linkType: 108,
    data: hex`00 00 00 18 ${IPV6_KA}`,
    expect: { segment: { ...V6_KA, ...NO_MACS } },
  },
  {
    name: 'LOOP, AF_INET in network order',
    linkType: 108,
    data: hex`00 00 00 02 ${IPV4_KA}`,
    expect: { segment: { ...V4_KA, ...NO_MACS } },
  },
  {
    name: 'PPP with address/control ff 03 + IPv4',
    linkType: 9,
    data: hex`ff 03 # RFC 1662 address, control
      00 21       # protocol IPv4
      ${IPV4_KA}`,
    expect: { segment: { ...V4_KA, ...NO_MACS } },
  },
  {
    name: 'PPP without address/control (ACFC) + IPv6',
    linkType: 9,
    data: hex`00 57 # protocol IPv6
      ${IPV6_KA}`,
    expect: { segment: { ...V6_KA, ...NO_MACS } },
  },
  {
    name: 'PPP with a compressed 1-byte protocol field (PFC) + IPv4',
    linkType: 9,
    data: hex`21 # protocol 0x21 IPv4, odd first byte: 1-byte field
      ${IPV4_KA}`,
    expect: { segment: { ...V4_KA, ...NO_MACS } },
  },
  {
    name: 'PPP + MPLS (0x0281) + IPv4',
    linkType: 9,
    data: hex`ff 03 02 81 # PPP, protocol MPLS unicast
      00 3e 71 ff      # label 999, S 1, TTL 255
      ${IPV4_KA}`,
    expect: { segment: { ...V4_KA, ...NO_MACS } },
  },
  {
    name: 'PPP_HDLC + IPv4',
    linkType: 50,
    data: hex`ff 03 00 21 ${IPV4_KA}`,
    expect: { segment: { ...V4_KA, ...NO_MACS } },
  },
  {
    name: 'PPP link type carrying Cisco HDLC framing + IPv4',
    linkType: 9,
    data: hex`0f 00 08 00 # Cisco HDLC: unicast, control 0, IPv4
      ${IPV4_KA}`,
    expect: { segment: { ...V4_KA, ...NO_MACS } },
  },
  {
    name: 'Cisco HDLC + IPv4',
    linkType: 104,
    data: hex`0f    # address: unicast
      00          # control
      08 00       # protocol IPv4
      ${IPV4_KA}`,
    expect: { segment: { ...V4_KA, ...NO_MACS } },
  },
  {
    name: 'Cisco HDLC + IPv6',
    linkType: 104,
    data: hex`8f 00 86 dd # broadcast address, IPv6
      ${IPV6_KA}`,
    expect: { segment: { ...V6_KA, ...NO_MACS } },
  },
  {
    name: 'Cisco HDLC + MPLS + IPv4',
    linkType: 104,
    data: hex`0f 00 88 47 # MPLS unicast
      00 01 01 fe       # label 16, S 1, TTL 254
      ${IPV4_KA}`,
    expect: { segment: { ...V4_KA, ...NO_MACS } },
  },
  {
    name: 'Juniper Ethernet with extensions (header of the corpus file tests__bgp-aigp.pcap)',
    linkType: 178,
    data: hex`
      4d 47 43        # magic "MGC"
      80              # flags: extensions present, L2 header present, direction out
      00 10           # extension length 16
      03 01 01        # TLV 3 (device media type), length 1: Ethernet
      06 01 0e        # TLV 6 (logical interface encapsulation), length 1
      01 02 8c 00     # TLV 1 (device interface index), length 2
      04 04 4c 01 00 00 # TLV 4 (logical interface index), length 4
      ${ETH_HEAD_NO_TYPE} 08 00 ${IPV4_KA}`,
    expect: { segment: { ...V4_KA, ...MACS } },
  },
  {
    name: 'Juniper without L2 header: payload type 2 (IPv4) in host order',
    linkType: 178,
    data: hex`
      4d 47 43        # magic "MGC"
      83              # flags: extensions present, no L2 header, direction in
      00 00           # extension length 0
      02 00 00 00     # payload type 2 = IPv4, little-endian
      ${IPV4_KA}`,
    expect: { segment: { ...V4_KA, ...NO_MACS } },
  },

  // ---- IP features ----------------------------------------------------------------------------------------
  {
    name: 'IPv4 with options (IHL 6, Router Alert)',
    linkType: 101,
    data: hex`
      46 00 00 3f   # version 4, IHL 6 (24 bytes), total length 63 = 24 + 20 + 19
      12 34 00 00   # identification, no flags, offset 0
      40 06 00 00   # TTL 64, TCP
      0a 00 00 01 0a 00 00 02
      94 04 00 00   # option: Router Alert (RFC 2113), length 4, value 0
      ${TCP_KA}`,
    expect: { segment: { ...V4_KA, ...NO_MACS } },
  },
  {
    name: 'IPv4 total length 0 (segmentation offload super-frame seen on the sender): read to the frame end',
    linkType: 101,
    data: hex`
      45 00 00 00   # total length 0: left for the NIC to fill in
      12 34 40 00 40 06 00 00 0a 00 00 01 0a 00 00 02
      ${TCP_KA}`,
    expect: { segment: { ...V4_KA, ...NO_MACS } },
  },
  {
    name: 'IPv6 with hop-by-hop and destination options',
    linkType: 101,
    data: hex`
      60 00 00 00
      00 37 00 40               # payload length 55 = 8 + 8 + 39, next header 0 (hop-by-hop)
      20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01
      20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 02
      3c 00 01 04 00 00 00 00   # hop-by-hop: next 60 (destination options), length 0 (8 bytes), PadN 4
      06 00 01 04 00 00 00 00   # destination options: next 6 (TCP), 8 bytes, PadN 4
      ${TCP_KA}`,
    expect: { segment: { ...V6_KA, ...NO_MACS } },
  },
  {
    name: 'IPv6 with a routing header and AH',
    linkType: 101,
    data: hex`
      60 00 00 00
      00 5f 2b 40               # payload length 95 = 24 + 32 + 39, next header 43 (routing)
      20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01
      20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 02
      33 02 00 00 00 00 00 00   # routing: next 51 (AH), length 2 (24 bytes), type 0, segments left 0
      00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00
      06 06 00 00               # AH: next 6 (TCP), payload length 6 -> (6 + 2) * 4 = 32 bytes
      00 00 10 00               # SPI 0x1000
      00 00 00 01               # sequence number 1
      00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00   # ICV, 20 bytes
      ${TCP_KA}`,
    expect: { segment: { ...V6_KA, ...NO_MACS } },
  },
  {
    name: 'IPv6 atomic fragment (offset 0, M 0: a whole packet, RFC 6946)',
    linkType: 101,
    data: hex`
      60 00 00 00
      00 2f 2c 40               # payload length 47 = 8 + 39, next header 44 (fragment)
      20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01
      20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 02
      06 00 00 00 00 00 ab cd   # fragment: next 6, offset 0, M 0, id 0xabcd
      ${TCP_KA}`,
    expect: { segment: { ...V6_KA, ...NO_MACS } },
  },
  {
    name: 'TCP options skipped (data offset 8), sequence number 2^32 - 1, port 179 as source',
    linkType: 101,
    data: hex`
      45 00 00 47   # total length 71 = 20 + 32 + 19
      00 01 40 00 40 06 00 00
      c0 00 02 01   # source 192.0.2.1
      c6 33 64 fe   # destination 198.51.100.254
      00 b3 c3 51   # source port 179, destination port 50001
      ff ff ff ff   # sequence number 4294967295
      00 00 00 00   # acknowledgment number 0
      80 11 40 00   # data offset 8 (32 bytes), flags 0x11 = FIN|ACK
      00 00 00 00
      01 01 08 0a 00 00 00 01 00 00 00 02   # options: NOP NOP timestamps (10 bytes)
      ${KEEPALIVE}`,
    expect: {
      segment: {
        ipVersion: 4,
        srcIp: '192.0.2.1',
        dstIp: '198.51.100.254',
        srcPort: 179,
        dstPort: 50001,
        seq: 4294967295,
        ack: 0,
        flags: 0x11,
        payload: KEEPALIVE,
        missing: 0,
        ...NO_MACS,
      },
    },
  },

  // ---- fragments ------------------------------------------------------------------------------------------
  {
    name: 'IPv4 first fragment of TCP/179: notice with ports',
    linkType: 1,
    data: hex`${ETH_HEAD_NO_TYPE} 08 00
      45 00 00 34   # total length 52 = 20 + 32 (fragment data, a multiple of 8)
      12 34 20 00   # id 0x1234, MF set, offset 0
      40 06 00 00 0a 00 00 01 0a 00 00 02
      c3 50 00 b3 11 22 33 44 80 00 00 01 50 18 40 00 00 00 00 00   # the TCP header
      ff ff ff ff ff ff ff ff ff ff ff ff                            # 12 bytes of marker`,
    expect: {
      notice: { code: 'ip_fragment', srcIp: '10.0.0.1', dstIp: '10.0.0.2', srcPort: 50000, dstPort: 179, says: 'offset 0' },
    },
  },
  {
    name: 'IPv4 later fragment of TCP: notice without ports',
    linkType: 1,
    data: hex`${ETH_HEAD_NO_TYPE} 08 00
      45 00 00 1b   # total length 27 = 20 + 7
      12 34 00 04   # id 0x1234, MF clear, offset 4 (32 bytes)
      40 06 00 00 0a 00 00 01 0a 00 00 02
      ff ff ff ff 00 13 04   # the rest of the keepalive
      00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00   # Ethernet padding to 60 bytes`,
    expect: {
      notice: { code: 'ip_fragment', srcIp: '10.0.0.1', dstIp: '10.0.0.2', srcPort: null, dstPort: null, says: 'offset 32' },
    },
  },
  {
    name: 'IPv4 first fragment of TCP between other ports: not ours',
    linkType: 101,
    data: hex`45 00 00 34 12 34 20 00 40 06 00 00 0a 00 00 01 0a 00 00 02
      00 16 c3 50 # ports 22 -> 50000
      11 22 33 44 80 00 00 01 50 18 40 00 00 00 00 00 ff ff ff ff ff ff ff ff ff ff ff ff`,
    expect: { nothing: true },
  },
  {
    name: 'IPv4 fragment of UDP: not ours',
    linkType: 101,
    data: hex`45 00 00 1c 12 34 20 00 40 11 00 00 0a 00 00 01 0a 00 00 02 # protocol 17, MF
      00 b3 00 b3 00 10 00 00   # UDP 179 -> 179`,
    expect: { nothing: true },
  },
  {
    name: 'IPv6 first fragment of TCP/179: notice with ports',
    linkType: 101,
    data: hex`
      60 00 00 00
      00 28 2c 40               # payload length 40 = 8 + 32, next header 44 (fragment)
      20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01
      20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 02
      06 00 00 01 00 00 ab cd   # fragment: next 6, offset 0, M 1, id 0xabcd
      c3 50 00 b3 11 22 33 44 80 00 00 01 50 18 40 00 00 00 00 00
      ff ff ff ff ff ff ff ff ff ff ff ff`,
    expect: {
      notice: { code: 'ip_fragment', srcIp: '2001:db8::1', dstIp: '2001:db8::2', srcPort: 50000, dstPort: 179, says: 'IPv6' },
    },
  },
  {
    name: 'IPv6 later fragment of TCP: notice without ports',
    linkType: 101,
    data: hex`
      60 00 00 00
      00 0f 2c 40               # payload length 15 = 8 + 7
      20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01
      20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 02
      06 00 00 20 00 00 ab cd   # fragment: next 6, offset 4 (32 bytes), M 0
      ff ff ff ff 00 13 04`,
    expect: {
      notice: { code: 'ip_fragment', srcIp: '2001:db8::1', dstIp: '2001:db8::2', srcPort: null, dstPort: null, says: 'offset 32' },
    },
  },
  {
    name: 'IPv6 later fragment behind destination options: protocol unknown, notice',
    linkType: 101,
    data: hex`
      60 00 00 00 00 10 2c 40
      20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01
      20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 02
      3c 00 00 21 00 00 ab ce   # fragment: next 60 (destination options), offset 4 (32 bytes), M 1
      00 00 00 00 00 00 00 00`,
    expect: {
      notice: { code: 'ip_fragment', srcIp: '2001:db8::1', dstIp: '2001:db8::2', srcPort: null, dstPort: null, says: 'unknown' },
    },
  },
  {
    name: 'IPv6 later fragment of UDP: not ours',
    linkType: 101,
    data: hex`
      60 00 00 00 00 10 2c 40
      20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01
      20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 02
      11 00 00 20 00 00 ab cf   # fragment: next 17 (UDP), offset 32
      00 00 00 00 00 00 00 00`,
    expect: { nothing: true },
  },

  // ---- truncation and padding -----------------------------------------------------------------------------
  {
    name: 'snaplen cut the payload: 5 of 19 bytes captured, 14 missing',
    linkType: 1,
    data: hex`${ETH_HEAD_NO_TYPE} 08 00 ${IPV4_KA}`.subarray(0, 14 + 20 + 20 + 5),
    origLen: 14 + 59,
    expect: { segment: { ...V4_KA, ...MACS, payload: KEEPALIVE.subarray(0, 5), missing: 14 } },
  },
  {
    name: 'snaplen cut an IPv6 payload: 4 of 19 captured',
    linkType: 113,
    data: hex`00 00 00 01 00 06 66 77 88 99 aa bb 00 00 86 dd ${IPV6_KA}`.subarray(0, 16 + 40 + 20 + 4),
    origLen: 16 + 79,
    expect: { segment: { ...V6_KA, srcMac: '66:77:88:99:aa:bb', dstMac: null, payload: KEEPALIVE.subarray(0, 4), missing: 15 } },
  },
  {
    name: 'snaplen cut the TCP header after the ports',
    linkType: 1,
    data: hex`${ETH_HEAD_NO_TYPE} 08 00 ${IPV4_KA}`.subarray(0, 14 + 20 + 10),
    origLen: 73,
    expect: {
      notice: { code: 'truncated_frame', srcIp: '10.0.0.1', dstIp: '10.0.0.2', srcPort: 50000, dstPort: 179, says: 'TCP header' },
    },
  },
  {
    name: 'snaplen cut the TCP ports',
    linkType: 1,
    data: hex`${ETH_HEAD_NO_TYPE} 08 00 ${IPV4_KA}`.subarray(0, 14 + 20 + 2),
    origLen: 73,
    expect: {
      notice: { code: 'truncated_frame', srcIp: '10.0.0.1', dstIp: '10.0.0.2', srcPort: null, dstPort: null, says: 'ports' },
    },
  },
  {
    name: 'snaplen cut the IPv4 header of a TCP packet',
    linkType: 1,
    data: hex`${ETH_HEAD_NO_TYPE} 08 00 ${IPV4_KA}`.subarray(0, 14 + 12),
    origLen: 73,
    expect: { notice: { code: 'truncated_frame', srcIp: null, dstIp: null, srcPort: null, dstPort: null, says: 'IPv4 header' } },
  },
  {
    name: 'snaplen cut the IPv4 header before the protocol',
    linkType: 1,
    data: hex`${ETH_HEAD_NO_TYPE} 08 00 ${IPV4_KA}`.subarray(0, 14 + 8),
    origLen: 73,
    expect: { notice: { code: 'truncated_frame', srcIp: null, dstIp: null, srcPort: null, dstPort: null, says: 'IPv4 header' } },
  },
  {
    name: 'snaplen cut the IPv4 header of a UDP packet: not ours',
    linkType: 1,
    data: hex`${ETH_HEAD_NO_TYPE} 08 00 45 00 00 40 00 00 00 00 40 11 00 00 # protocol 17
      0a 00`,
    origLen: 14 + 64,
    expect: { nothing: true },
  },
  {
    name: 'snaplen cut the Ethernet header',
    linkType: 1,
    data: hex`00 11 22 33 44 55 66 77 88 99`,
    origLen: 73,
    expect: { notice: { code: 'truncated_frame', srcIp: null, dstIp: null, srcPort: null, dstPort: null, says: 'Ethernet' } },
  },
  {
    name: 'snaplen cut the MPLS label stack',
    linkType: 1,
    data: hex`${ETH_HEAD_NO_TYPE} 88 47 00 06 40 40 00 0c`,
    origLen: 81,
    expect: { notice: { code: 'truncated_frame', srcIp: null, dstIp: null, srcPort: null, dstPort: null, says: 'MPLS' } },
  },
  {
    name: 'Ethernet padding after a bare ACK is not payload',
    linkType: 1,
    data: hex`${ETH_HEAD_NO_TYPE} 08 00
      45 00 00 28   # total length 40: no payload
      12 35 40 00 40 06 00 00 0a 00 00 02 0a 00 00 01
      00 b3 c3 50   # 179 -> 50000
      80 00 00 01   # seq 0x80000001
      11 22 33 57   # ack 0x11223357 = 287454039 (287454020 + 19)
      50 10 40 00   # data offset 5, flags ACK
      00 00 00 00
      00 00 00 00 00 00   # Ethernet padding to 60 bytes`,
    expect: {
      segment: {
        ipVersion: 4,
        srcIp: '10.0.0.2',
        dstIp: '10.0.0.1',
        srcPort: 179,
        dstPort: 50000,
        seq: 2147483649,
        ack: 287454039,
        flags: 0x10,
        payload: new Uint8Array(0),
        missing: 0,
        srcMac: '66:77:88:99:aa:bb',
        dstMac: '00:11:22:33:44:55',
      },
    },
  },
  {
    name: 'Ethernet FCS after the packet is not payload',
    linkType: 1,
    data: hex`${ETH_HEAD_NO_TYPE} 08 00 ${IPV4_KA} de ad be ef # FCS kept by the capture`,
    expect: { segment: { ...V4_KA, ...MACS } },
  },

  // ---- not ours -------------------------------------------------------------------------------------------
  {
    name: 'TCP between other ports (22 -> 50000)',
    linkType: 1,
    data: hex`${ETH_HEAD_NO_TYPE} 08 00 45 00 00 28 00 01 40 00 40 06 00 00 0a 00 00 01 0a 00 00 02
      00 16 c3 50 00 00 00 01 00 00 00 01 50 10 40 00 00 00 00 00 00 00 00 00 00 00`,
    expect: { nothing: true },
  },
  {
    name: 'UDP to port 179',
    linkType: 1,
    data: hex`${ETH_HEAD_NO_TYPE} 08 00 45 00 00 1c 00 01 00 00 40 11 00 00 0a 00 00 01 0a 00 00 02
      c3 50 00 b3 00 08 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00`,
    expect: { nothing: true },
  },
  {
    name: 'ARP',
    linkType: 1,
    data: hex`ff ff ff ff ff ff 66 77 88 99 aa bb 08 06
      00 01 08 00 06 04 00 01 66 77 88 99 aa bb 0a 00 00 01 00 00 00 00 00 00 0a 00 00 02
      00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00`,
    expect: { nothing: true },
  },
  {
    name: 'IPv6 ICMPv6 echo',
    linkType: 101,
    data: hex`60 00 00 00 00 08 3a 40
      20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01
      20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 02
      80 00 00 00 00 01 00 01`,
    expect: { nothing: true },
  },
  {
    name: 'PPP LCP',
    linkType: 9,
    data: hex`ff 03 c0 21 09 01 00 08 00 00 00 00`,
    expect: { nothing: true },
  },
  {
    name: 'Cisco HDLC SLARP',
    linkType: 104,
    data: hex`8f 00 80 35 00 00 00 02 00 00 00 01 00 00 00 02 ff ff`,
    expect: { nothing: true },
  },
  {
    name: 'LOOP with a little-endian family is not AF_INET',
    linkType: 108,
    data: hex`02 00 00 00 ${IPV4_KA}`,
    expect: { nothing: true },
  },
  {
    name: 'port 179 not selected when the user picks other ports',
    linkType: 101,
    data: IPV4_KA,
    ports: [1179, 50001],
    expect: { nothing: true },
  },
  {
    name: 'a user-selected port on the source side (50000)',
    linkType: 101,
    data: IPV4_KA,
    ports: [50000],
    expect: { segment: { ...V4_KA, ...NO_MACS } },
  },

  // ---- malformed ------------------------------------------------------------------------------------------
  {
    name: 'IPv4 IHL 4',
    linkType: 101,
    data: hex`44 00 00 3b 12 34 40 00 40 06 00 00 0a 00 00 01 0a 00 00 02 ${TCP_KA}`,
    expect: { notice: { code: 'malformed_packet', srcIp: '10.0.0.1', dstIp: '10.0.0.2', srcPort: null, dstPort: null, says: 'IPv4 header length' } },
  },
  {
    name: 'IPv4 total length shorter than the header',
    linkType: 101,
    data: hex`45 00 00 10 12 34 40 00 40 06 00 00 0a 00 00 01 0a 00 00 02 ${TCP_KA}`,
    expect: { notice: { code: 'malformed_packet', srcIp: '10.0.0.1', dstIp: '10.0.0.2', srcPort: null, dstPort: null, says: 'total length' } },
  },
  {
    name: 'IPv4 total length longer than the frame on the wire',
    linkType: 101,
    data: hex`45 00 03 e8 12 34 40 00 40 06 00 00 0a 00 00 01 0a 00 00 02 ${TCP_KA} # total length 1000, 59 on the wire`,
    expect: { notice: { code: 'malformed_packet', srcIp: '10.0.0.1', dstIp: '10.0.0.2', srcPort: null, dstPort: null, says: 'exceeds' } },
  },
  {
    name: 'IPv4 payload too short for a TCP header',
    linkType: 101,
    data: hex`45 00 00 1e 12 34 40 00 40 06 00 00 0a 00 00 01 0a 00 00 02 # total length 30: 10 bytes of TCP
      c3 50 00 b3 11 22 33 44 80 00`,
    expect: { notice: { code: 'malformed_packet', srcIp: '10.0.0.1', dstIp: '10.0.0.2', srcPort: 50000, dstPort: 179, says: 'too short' } },
  },
  {
    name: 'TCP data offset 4',
    linkType: 101,
    data: hex`45 00 00 3b 12 34 40 00 40 06 00 00 0a 00 00 01 0a 00 00 02
      c3 50 00 b3 11 22 33 44 80 00 00 01
      40 18 40 00   # data offset 4 (16 bytes) < 5
      00 00 00 00 ${KEEPALIVE}`,
    expect: { notice: { code: 'malformed_packet', srcIp: '10.0.0.1', dstIp: '10.0.0.2', srcPort: 50000, dstPort: 179, says: 'data offset' } },
  },
  {
    name: 'TCP data offset beyond the IP payload',
    linkType: 101,
    data: hex`45 00 00 3b 12 34 40 00 40 06 00 00 0a 00 00 01 0a 00 00 02
      c3 50 00 b3 11 22 33 44 80 00 00 01
      f0 18 40 00   # data offset 15 (60 bytes) > 39 bytes of IP payload
      00 00 00 00 ${KEEPALIVE}`,
    expect: { notice: { code: 'malformed_packet', srcIp: '10.0.0.1', dstIp: '10.0.0.2', srcPort: 50000, dstPort: 179, says: 'exceeds' } },
  },
  {
    name: 'IPv4 EtherType with a version-6 header',
    linkType: 1,
    data: hex`${ETH_HEAD_NO_TYPE} 08 00 65 00 00 3b 12 34 40 00 40 06 00 00 0a 00 00 01 0a 00 00 02 ${TCP_KA}`,
    expect: { notice: { code: 'malformed_packet', srcIp: '10.0.0.1', dstIp: '10.0.0.2', srcPort: null, dstPort: null, says: 'version 6' } },
  },
  {
    name: 'IPv6 extension header running past the payload length',
    linkType: 101,
    data: hex`60 00 00 00 00 08 00 40   # payload length 8, hop-by-hop
      20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01
      20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 02
      06 01 00 00 00 00 00 00   # hop-by-hop: length 1 = 16 bytes > 8`,
    expect: { notice: { code: 'malformed_packet', srcIp: '2001:db8::1', dstIp: '2001:db8::2', srcPort: null, dstPort: null, says: 'extension header' } },
  },
  {
    name: 'an empty frame that was empty on the wire too',
    linkType: 1,
    data: new Uint8Array(0),
    expect: { notice: { code: 'malformed_packet', srcIp: null, dstIp: null, srcPort: null, dstPort: null, says: 'Ethernet header' } },
  },
  {
    name: 'a whole frame (nothing cut) that ends inside the TCP header: the IPv4 length lies',
    linkType: 1,
    data: hex`${ETH_HEAD_NO_TYPE} 08 00 ${IPV4_KA}`.subarray(0, 14 + 20 + 10),
    expect: {
      notice: { code: 'malformed_packet', srcIp: '10.0.0.1', dstIp: '10.0.0.2', srcPort: null, dstPort: null, says: 'total length 59 exceeds the 30 bytes' },
    },
  },
  {
    name: 'a whole frame (nothing cut) that ends inside the IPv6 header',
    linkType: 101,
    data: IPV6_KA.subarray(0, 30),
    expect: { notice: { code: 'malformed_packet', srcIp: null, dstIp: null, srcPort: null, dstPort: null, says: 'ends inside the IPv6 header (30 of 40 bytes)' } },
  },
  {
    name: 'unsupported link type (147, user-defined)',
    linkType: 147,
    data: IPV4_KA,
    expect: { notice: { code: 'unsupported_link', srcIp: null, dstIp: null, srcPort: null, dstPort: null, says: '147' } },
  },
];
