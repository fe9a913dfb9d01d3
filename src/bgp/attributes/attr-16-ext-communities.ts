// EXTENDED_COMMUNITIES (type code 16), RFC 4360 §2: optional transitive, a list of 8-octet communities
//
//   +----------------+----------------+----------------------------------------------------+
//   | Type high (1)  | Type low (1)   | Value (6)                                          |
//   +----------------+----------------+----------------------------------------------------+
//
// Type high carries the IANA authority bit (0x80) and the non-transitive bit (0x40); type low is the
// sub-type. Each community is shown as operators write it (Junos / GoBGP / FRR style `kind:value`), one
// string each; the forms, and why, are in README.md next to this file. Every form maps back to exactly one
// 8-byte value (a text parser in bench/lib/attrs.ts checks this), so nothing is lost: a community whose
// reserved bits are set, whose float is NaN or -0, or whose type bgpcap does not name is written
// `ext:0xTTSS:<12 hex digits>`.
//
// RFC 7606 §7.14: a length that is not a non-zero multiple of 8 → treat-as-withdraw. Unknown types are
// never an error (RFC 4360 §2 / RFC 7153).

import { ipv4Text } from '../../wire/ip.js';
import { hex, u16, u32 } from '../../wire/reader.js';
import { type AttributeSpec, OPTIONAL_TRANSITIVE, attrLengthError } from './types.js';

const HEX2: string[] = [];
for (let i = 0; i < 256; i++) HEX2.push(i.toString(16).padStart(2, '0'));

/** RFC 9012 §4.1 / IANA "BGP Tunnel Encapsulation Attribute Tunnel Types". */
export const TUNNEL_TYPES: Record<number, string> = {
  1: 'L2TPv3',
  2: 'GRE',
  3: 'TRANSMIT_TUNNEL_ENDPOINT',
  4: 'IPSEC_TUNNEL',
  5: 'IP_IN_IP_IPSEC',
  6: 'MPLS_IN_IP_IPSEC',
  7: 'IP_IN_IP',
  8: 'VXLAN',
  9: 'NVGRE',
  10: 'MPLS',
  11: 'MPLS_IN_GRE',
  12: 'VXLAN_GPE',
  13: 'MPLS_IN_UDP',
  14: 'IPV6_TUNNEL',
  15: 'SR_POLICY',
  16: 'BARE',
  17: 'SR_TUNNEL',
  18: 'CLOUD_SECURITY',
  19: 'GENEVE',
  20: 'ANY_ENCAPSULATION',
};

/** RFC 8097 §2 validation states. */
const OVS = ['valid', 'not-found', 'invalid'];

const f32 = new DataView(new ArrayBuffer(4));

/**
 * The IEEE 754 single at `o` as decimal text that parses back to the same single (JS prints the shortest
 * text for the double, which is exact for any single), or null for NaN and -0, which have no such text.
 */
export function float32Text(b: Uint8Array, o: number): string | null {
  f32.setUint32(0, u32(b, o));
  const v = f32.getFloat32(0);
  if (v !== v || (v === 0 && 1 / v < 0)) return null;
  return String(v);
}

/** "00:11:22:33:44:55" for the 6 bytes at `o`. */
export function macText(b: Uint8Array, o: number): string {
  return `${HEX2[b[o]!]}:${HEX2[b[o + 1]!]}:${HEX2[b[o + 2]!]}:${HEX2[b[o + 3]!]}:${HEX2[b[o + 4]!]}:${HEX2[b[o + 5]!]}`;
}

/**
 * A 4-octet AS number as the 4-octet-AS communities show it: plain above 65535, with Junos's `L` suffix at
 * or below, so that `rt:65001L:1` (type 0x02) and `rt:65001:1` (type 0x00) stay different communities.
 */
function as4Text(asn: number): string {
  return asn > 0xffff ? String(asn) : `${asn}L`;
}

function raw(b: Uint8Array, p: number): string {
  return `ext:0x${HEX2[b[p]!]}${HEX2[b[p + 1]!]}:${hex(b, p + 2, p + 8)}`;
}

function zero(b: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (b[i] !== 0) return false;
  return true;
}

/** The text form of the extended community at [p, p + 8). */
export function extCommunityText(b: Uint8Array, p: number): string {
  const t = b[p]!;
  const s = b[p + 1]!;
  const v = p + 2;
  switch (t) {
    case 0x00: // RFC 4360 §3.1 transitive two-octet AS specific: AS (2) | Local Administrator (4)
      switch (s) {
        case 0x02:
          return `rt:${u16(b, v)}:${u32(b, v + 2)}`;
        case 0x03:
          return `soo:${u16(b, v)}:${u32(b, v + 2)}`;
        case 0x05: // RFC 4577 §4.2.2
          return `ospf-domain-id:${u16(b, v)}:${u32(b, v + 2)}`;
        case 0x08: // RFC 4384 §4
          return `data-collection:${u16(b, v)}:${u32(b, v + 2)}`;
        case 0x09: // RFC 6514 §5
          return `source-as:${u16(b, v)}:${u32(b, v + 2)}`;
        case 0x0a: // RFC 6074 §3.2.1
          return `l2vpn-id:${u16(b, v)}:${u32(b, v + 2)}`;
      }
      break;
    case 0x01: // RFC 4360 §3.2 transitive IPv4 address specific: address (4) | Local Administrator (2)
      switch (s) {
        case 0x02:
          return `rt:${ipv4Text(b, v)}:${u16(b, v + 4)}`;
        case 0x03:
          return `soo:${ipv4Text(b, v)}:${u16(b, v + 4)}`;
        case 0x05: // RFC 4577 §4.2.2
          return `ospf-domain-id:${ipv4Text(b, v)}:${u16(b, v + 4)}`;
        case 0x07: // RFC 4577 §4.2.4
          return `ospf-router-id:${ipv4Text(b, v)}:${u16(b, v + 4)}`;
        case 0x0a: // RFC 6074 §3.2.1
          return `l2vpn-id:${ipv4Text(b, v)}:${u16(b, v + 4)}`;
        case 0x0b: // RFC 6514 §7
          return `vrf-import:${ipv4Text(b, v)}:${u16(b, v + 4)}`;
      }
      break;
    case 0x02: // RFC 5668 §2 transitive four-octet AS specific: AS (4) | Local Administrator (2)
      switch (s) {
        case 0x02:
          return `rt:${as4Text(u32(b, v))}:${u16(b, v + 4)}`;
        case 0x03:
          return `soo:${as4Text(u32(b, v))}:${u16(b, v + 4)}`;
        case 0x05:
          return `ospf-domain-id:${as4Text(u32(b, v))}:${u16(b, v + 4)}`;
        case 0x08:
          return `data-collection:${as4Text(u32(b, v))}:${u16(b, v + 4)}`;
        case 0x09:
          return `source-as:${as4Text(u32(b, v))}:${u16(b, v + 4)}`;
      }
      break;
    case 0x03: // transitive opaque
      switch (s) {
        case 0x06: // RFC 4577 §4.2.6 OSPF route type: Area (4) | Route Type (1) | Options (1)
          return `ospf-route-type:${ipv4Text(b, v)}:${b[v + 4]}:${b[v + 5]}`;
        case 0x0b: {
          // RFC 9012 §4.3 color: Flags (2) | Color (4); the two high flag bits are the CO bits (RFC 9256 §8.8.1)
          const fl = u16(b, v);
          if ((fl & 0x3fff) === 0) return `color:${fl >>> 14}:${u32(b, v + 2)}`;
          break;
        }
        case 0x0c: // RFC 9012 §4.1 encapsulation: Reserved (4) | Tunnel Type (2)
          if (zero(b, v, v + 4)) {
            const tt = u16(b, v + 4);
            return `encap:${TUNNEL_TYPES[tt] ?? tt}`;
          }
          break;
        case 0x0d: // RFC 7432 §7.8 default gateway: value all zero
          if (zero(b, v, v + 6)) return 'default-gateway';
          break;
      }
      break;
    case 0x06: // RFC 7432 §7 EVPN
      switch (s) {
        case 0x00: {
          // §7.7 MAC mobility: Flags (1, 0x01 sticky/static) | Reserved (1) | Sequence Number (4)
          const fl = b[v]!;
          if (fl <= 1 && b[v + 1] === 0) return `mac-mobility:${u32(b, v + 2)}${fl === 1 ? ':sticky' : ''}`;
          break;
        }
        case 0x02: // §7.6 ES-Import Route Target: a MAC address
          return `es-import:${macText(b, v)}`;
        case 0x03: // RFC 9135 §8.1 EVPN Router's MAC
          return `router-mac:${macText(b, v)}`;
      }
      break;
    case 0x40: // non-transitive two-octet AS specific
      if (s === 0x04) {
        // draft-ietf-idr-link-bandwidth §2: AS (2) | bandwidth in bytes per second, IEEE float (4)
        const bw = float32Text(b, v + 2);
        if (bw !== null) return `link-bandwidth:${u16(b, v)}:${bw}`;
      }
      break;
    case 0x43: // non-transitive opaque
      if (s === 0x00 && zero(b, v, v + 5)) {
        // RFC 8097 §2 origin validation state: Reserved (5) | State (1)
        const st = OVS[b[v + 5]!];
        if (st !== undefined) return `ovs:${st}`;
      }
      break;
    case 0x80: // generic transitive experimental: RFC 8955 §7 flow spec actions, and Cisco's pre-RFC 4577 OSPF
      switch (s) {
        case 0x00: // OSPF route type, deprecated (IANA), as RFC 4577 0x0306
          return `ospf-route-type-exp:${ipv4Text(b, v)}:${b[v + 4]}:${b[v + 5]}`;
        case 0x01: // OSPF router id, deprecated (IANA), as RFC 4577 0x0107
          return `ospf-router-id-exp:${ipv4Text(b, v)}:${u16(b, v + 4)}`;
        case 0x06: {
          // §7.3 traffic-rate-bytes: AS (2) | rate in bytes per second, IEEE float (4); 0 = discard
          const r = float32Text(b, v + 2);
          if (r !== null) return `rate:${u16(b, v)}:${r}`;
          break;
        }
        case 0x07: {
          // §7.4 traffic-action: 46 reserved bits, S (sample) = 0x02 and T (terminal action) = 0x01 of the last octet
          const fl = b[v + 5]!;
          if (fl <= 3 && zero(b, v, v + 5)) {
            return `traffic-action:${fl === 0 ? 'none' : fl === 1 ? 'terminal' : fl === 2 ? 'sample' : 'sample,terminal'}`;
          }
          break;
        }
        case 0x08: // §7.5 redirect (AS-2byte): AS (2) | Local Administrator (4), a route target
          return `redirect:${u16(b, v)}:${u32(b, v + 2)}`;
        case 0x09: // §7.6 traffic-marking: Reserved (5) | 2 reserved bits + DSCP (6)
          if (b[v + 5]! < 64 && zero(b, v, v + 5)) return `mark:${b[v + 5]}`;
          break;
        case 0x0c: {
          // RFC 8955 §7 (IANA) traffic-rate-packets: AS (2) | packets per second, IEEE float (4)
          const r = float32Text(b, v + 2);
          if (r !== null) return `rate-packets:${u16(b, v)}:${r}`;
          break;
        }
      }
      break;
    case 0x81: // RFC 7674 §3 flow spec redirect, IPv4 format: address (4) | Local Administrator (2)
      if (s === 0x08) return `redirect:${ipv4Text(b, v)}:${u16(b, v + 4)}`;
      break;
    case 0x82: // RFC 7674 §3 flow spec redirect, AS-4byte format: AS (4) | Local Administrator (2)
      if (s === 0x08) return `redirect:${as4Text(u32(b, v))}:${u16(b, v + 4)}`;
      break;
  }
  return raw(b, p);
}

export const EXTENDED_COMMUNITIES: AttributeSpec = {
  code: 16,
  name: 'EXTENDED_COMMUNITIES',
  flags: OPTIONAL_TRANSITIVE,
  onError: 'treat-as-withdraw',
  rule: 'RFC 7606 §7.14',
  decode(ctx, b, start, end) {
    const len = end - start;
    if (len === 0 || (len & 7) !== 0) throw attrLengthError('EXTENDED_COMMUNITIES', len, 'a non-zero multiple of 8', start);
    const out: string[] = [];
    for (let p = start; p < end; p += 8) out.push(extCommunityText(b, p));
    ctx.msg.ext_communities = out;
  },
};
