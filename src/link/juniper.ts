// Juniper "MGC" capture header, LINKTYPE_JUNIPER_ETHER = 178 (what Junos `monitor traffic write-file` writes
// for Ethernet interfaces). Layout as Wireshark's packet-juniper.c and tcpdump's print-juniper.c read it:
//
//   0             3        4                 6                    6+extLen
//   | 'M' 'G' 'C' | flags  | ext length (2)  | extension TLVs     | Ethernet frame ...
//                    0x80 = extensions present (else no ext length field and the header is 4 bytes)
//                    0x02 = no L2 header: a 4-byte payload type in little-endian (host) order follows,
//                           then the packet (2/3 IPv4, 6/7 IPv6, 4/5/8 MPLS)
//                    0x01 = direction (in)

import { ethernet } from './ethernet.js';
import { mpls } from './mpls.js';
import { type LinkCursor, NET_IPV4, NET_IPV6, NET_NONE, linkTruncated, u16 } from './layers.js';

const FLAG_NO_L2 = 0x02;
const FLAG_EXT = 0x80;

export function juniperEther(d: Uint8Array, off: number, c: LinkCursor): number {
  if (d.length < off + 4) return linkTruncated(c, 'Juniper header');
  // Not the magic: not a Juniper header, so nothing we can place.
  if (d[off] !== 0x4d || d[off + 1] !== 0x47 || d[off + 2] !== 0x43) return NET_NONE;
  const flags = d[off + 3]!;
  let p = off + 4;
  if ((flags & FLAG_EXT) !== 0) {
    if (d.length < off + 6) return linkTruncated(c, 'Juniper header');
    p = off + 6 + u16(d, off + 4);
  }
  if ((flags & FLAG_NO_L2) === 0) return ethernet(d, p, c);
  if (d.length < p + 4) return linkTruncated(c, 'Juniper header');
  const proto = d[p]! | (d[p + 1]! << 8) | (d[p + 2]! << 16) | (d[p + 3]! << 24);
  p += 4;
  c.off = p;
  if (proto === 2 || proto === 3) return NET_IPV4;
  if (proto === 6 || proto === 7) return NET_IPV6;
  if (proto === 4 || proto === 5 || proto === 8) return mpls(d, p, c);
  return NET_NONE;
}
