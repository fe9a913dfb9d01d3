// EVPN routes: AFI 25 (L2VPN) SAFI 70, RFC 7432 §7 and RFC 9136 §3. One entry:
//
//   [Path Identifier (4), ADD-PATH only] | Route Type (1) | Length (1) | Route Type specific (Length bytes)
//
//   1 Ethernet Auto-Discovery   RD(8) ESI(10) Ethernet Tag(4) MPLS Label(3)                           = 25
//   2 MAC/IP Advertisement      RD(8) ESI(10) Ethernet Tag(4) MAC Length(1)=48 MAC(6)
//                               IP Length(1)=0|32|128 IP(0|4|16) MPLS Label1(3) [MPLS Label2(3)]      = 33..52
//   3 Inclusive Multicast       RD(8) Ethernet Tag(4) IP Length(1) Originating Router's IP(4|16)      = 17|29
//   4 Ethernet Segment          RD(8) ESI(10) IP Length(1) Originating Router's IP(4|16)              = 23|35
//   5 IP Prefix (RFC 9136)      RD(8) ESI(10) Ethernet Tag(4) IP Prefix Length(1) IP Prefix(4|16)
//                               GW IP(4|16) MPLS Label(3)                                              = 34|58
//
// Text (the entry's `prefixes` element) is FRR's `show bgp l2vpn evpn` form without the RD, which is in
// `route_distinguishers`: [1]:[tag]:[esi], [2]:[tag]:[48]:[mac] or [2]:[tag]:[48]:[mac]:[32]:[ip],
// [3]:[tag]:[32]:[ip], [4]:[esi]:[32]:[ip], [5]:[tag]:[24]:[10.0.0.0]. Other route types (RFC 9251 and
// later; all begin with an RD) give [type]:[hex of the bytes after the RD]. `labels` holds the label values
// (value >> 4); `nlri[].label_fields` the 24-bit fields as sent, which carry a VNI instead of a label with
// VXLAN encapsulation (RFC 8365 §5.1.3). Route type 0 is reserved: malformed.

import { DecodeError } from '../../wire/errors.js';
import { hex, u32 } from '../../wire/reader.js';
import { ipv4PrefixText, ipv6PrefixText } from '../nlri.js';
import { addrText, esiText, labelField, labelValue, macText, rdText, readPathId } from './common.js';
import type { EvpnRoute, NlriOut } from './types.js';

const NAMES = ['', 'ethernet_ad', 'mac_ip', 'inclusive_multicast', 'ethernet_segment', 'ip_prefix'];

function bad(type: number, len: number, at: number): DecodeError {
  return new DecodeError('nlri_length', `EVPN route type ${type}: length ${len} does not fit its fields (RFC 7432 §7)`, at);
}

/** Length byte in bits → address bytes (0, 4, 16), or -1. */
function addrBytes(bits: number): number {
  return bits === 0 ? 0 : bits === 32 ? 4 : bits === 128 ? 16 : -1;
}

function pushLabel(b: Uint8Array, q: number, labels: number[], fields: number[]): void {
  labels.push(labelValue(b, q));
  fields.push(labelField(b, q));
}

/**
 * Decode one route's value [p, p + len) of type `type` into `out` (text, RD, labels, detail).
 * The caller has checked the bytes exist.
 */
function decodeRoute(b: Uint8Array, type: number, p: number, len: number, at: number, out: NlriOut): void {
  const end = p + len;
  const r: EvpnRoute = { kind: 'evpn', route_type: type, name: NAMES[type] ?? `type${type}` };
  let text: string;
  const labels: number[] = [];
  const fields: number[] = [];
  if (len < 8) throw bad(type, len, at);
  const rd = rdText(b, p);
  switch (type) {
    case 1: {
      if (len !== 25) throw bad(type, len, at);
      r.esi = esiText(b, p + 8);
      r.ethernet_tag = u32(b, p + 18);
      pushLabel(b, p + 22, labels, fields);
      text = `[1]:[${r.ethernet_tag}]:[${r.esi}]`;
      break;
    }
    case 2: {
      if (len < 33) throw bad(type, len, at);
      r.esi = esiText(b, p + 8);
      r.ethernet_tag = u32(b, p + 18);
      const macBits = b[p + 22]!;
      if (macBits !== 48) throw new DecodeError('nlri_length', `EVPN MAC/IP route: MAC address length ${macBits}, expected 48`, at);
      r.mac = macText(b, p + 23);
      const ipBits = b[p + 29]!;
      const n = addrBytes(ipBits);
      if (n < 0) throw new DecodeError('nlri_length', `EVPN MAC/IP route: IP address length ${ipBits}, expected 0, 32 or 128`, at);
      const q = p + 30 + n;
      if (q + 3 !== end && q + 6 !== end) throw bad(type, len, at);
      r.ip = n === 0 ? null : addrText(b, p + 30, n);
      pushLabel(b, q, labels, fields);
      if (q + 6 === end) pushLabel(b, q + 3, labels, fields);
      text = `[2]:[${r.ethernet_tag}]:[48]:[${r.mac}]` + (r.ip === null ? '' : `:[${ipBits}]:[${r.ip}]`);
      break;
    }
    case 3: {
      if (len < 13) throw bad(type, len, at);
      r.ethernet_tag = u32(b, p + 8);
      const ipBits = b[p + 12]!;
      const n = addrBytes(ipBits);
      if (n <= 0 || len !== 13 + n) throw bad(type, len, at);
      r.originator = addrText(b, p + 13, n);
      text = `[3]:[${r.ethernet_tag}]:[${ipBits}]:[${r.originator}]`;
      break;
    }
    case 4: {
      if (len < 19) throw bad(type, len, at);
      r.esi = esiText(b, p + 8);
      const ipBits = b[p + 18]!;
      const n = addrBytes(ipBits);
      if (n <= 0 || len !== 19 + n) throw bad(type, len, at);
      r.originator = addrText(b, p + 19, n);
      text = `[4]:[${r.esi}]:[${ipBits}]:[${r.originator}]`;
      break;
    }
    case 5: {
      // RFC 9136 §3.1: the address family follows from the route length (34 IPv4, 58 IPv6).
      if (len !== 34 && len !== 58) throw bad(type, len, at);
      const n = len === 34 ? 4 : 16;
      r.esi = esiText(b, p + 8);
      r.ethernet_tag = u32(b, p + 18);
      const plen = b[p + 22]!;
      if (plen > n * 8) throw new DecodeError('prefix_length', `EVPN IP prefix route: prefix length ${plen} > ${n * 8}`, at);
      r.prefix = n === 4 ? ipv4PrefixText(b, p + 23, plen) : ipv6PrefixText(b, p + 23, plen);
      r.gateway = addrText(b, p + 23 + n, n);
      pushLabel(b, p + 23 + 2 * n, labels, fields);
      text = `[5]:[${r.ethernet_tag}]:[${plen}]:[${r.prefix.slice(0, r.prefix.lastIndexOf('/'))}]`;
      break;
    }
    default: {
      r.hex = hex(b, p + 8, end);
      text = `[${type}]:[${r.hex}]`;
    }
  }
  if (fields.length > 0) r.label_fields = fields;
  out.prefixes.push(text);
  out.route_distinguishers!.push(rd);
  out.labels!.push(labels);
  out.nlri!.push(r);
}

/** Decode a run of EVPN routes in [start, end) into `out`. Throws DecodeError at the first bad route. */
export function decodeEvpn(b: Uint8Array, start: number, end: number, addPath: boolean, out: NlriOut): void {
  out.route_distinguishers ??= [];
  out.labels ??= [];
  out.nlri ??= [];
  let p = start;
  while (p < end) {
    p = readPathId(b, p, end, addPath, out.path_ids);
    if (p + 2 > end) throw new DecodeError('nlri_truncated', `EVPN route header needs 2 bytes, ${end - p} left`, p);
    const type = b[p]!;
    const len = b[p + 1]!;
    if (type === 0) throw new DecodeError('nlri_type', 'EVPN route type 0 is reserved (RFC 7432 §20)', p);
    if (p + 2 + len > end) throw new DecodeError('nlri_truncated', `EVPN route type ${type} of ${len} bytes, ${end - p - 2} left`, p);
    decodeRoute(b, type, p + 2, len, p, out);
    p += 2 + len;
  }
}
