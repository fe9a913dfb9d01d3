// Families decoded as far as their framing and key fields, the rest kept as hex: BGP-LS, MCAST-VPN, MDT and
// VPLS; and any family bgpcap does not know, kept whole. Texts follow the bracketed form used for EVPN
// (evpn.ts, FRR): the route type, then its fields; the RD, when the route has one, is in
// `route_distinguishers`.
//
// BGP-LS, AFI 16388 SAFI 71/72 (RFC 9552 §5.2, was RFC 7752 §3.2):
//   Type (2) | Length (2) | [RD (8), SAFI 72 only] | value (Protocol-ID (1), Identifier (8), descriptors...)
//   text: [node]:[hex of the value]   (node, link, ipv4_prefix, ipv6_prefix, sr_policy, srv6_sid, type<n>)
//
// MCAST-VPN, AFI 1/2 SAFI 5 (RFC 6514 §4): Route Type (1) | Length (1) | value
//   1 Intra-AS I-PMSI A-D  RD, Originating Router's IP              [1]:[192.0.2.1]
//   2 Inter-AS I-PMSI A-D  RD, Source AS (4)                         [2]:[65000]
//   3 S-PMSI A-D           RD, Source, Group, Originating Router     [3]:[32]:[10.0.0.1]:[32]:[232.1.1.1]:[192.0.2.1]
//   4 Leaf A-D             Route Key (an MVPN route), Orig. Router   [4]:[route key hex]:[192.0.2.1]   (no RD)
//   5 Source Active A-D    RD, Source, Group                         [5]:[32]:[10.0.0.1]:[32]:[232.1.1.1]
//   6/7 C-multicast        RD, Source AS (4), Source, Group          [6]:[65000]:[32]:[10.0.0.1]:[32]:[232.1.1.1]
//   Source and group are a length in bits (0, 32, 128) then the address; length 0 is a wildcard (RFC 6625), `*`.
//
// MDT, AFI 1 SAFI 66 (RFC 6037 §5): Length (1) = 128 | RD (8) | IPv4 address (4) | Group (4)
//   text: [192.0.2.1]:[239.1.1.1]
//
// VPLS, AFI 25 SAFI 65: Length (2, bytes) | RD (8) | ...
//   RFC 4761 §3.2.2 (length 17): VE ID (2), VE Block Offset (2), VE Block Size (2), Label Base (3)
//     text: [ve-id]:[offset]:[size]:[label base]
//   RFC 6074 §7.1 BGP-AD (length 12 or 24): the PE's address           text: [192.0.2.1]
//
// Anything else: one entry holding the whole NLRI field, text = its hex, nlri = {kind: 'raw', hex}.

import { DecodeError } from '../../wire/errors.js';
import { hex, u16, u32 } from '../../wire/reader.js';
import { addrText, labelValue, rdText, readPathId } from './common.js';
import type { BgpLsNlri, MvpnRoute, NlriOut, VplsNlri } from './types.js';
import { ipv4Text } from '../../wire/ip.js';

const LS_NAMES = ['', 'node', 'link', 'ipv4_prefix', 'ipv6_prefix', 'sr_policy', 'srv6_sid'];

export function decodeBgpLs(b: Uint8Array, start: number, end: number, vpn: boolean, addPath: boolean, out: NlriOut): void {
  const details = (out.nlri ??= []);
  if (vpn) out.route_distinguishers ??= [];
  let p = start;
  while (p < end) {
    p = readPathId(b, p, end, addPath, out.path_ids);
    if (p + 4 > end) throw new DecodeError('nlri_truncated', `BGP-LS NLRI header needs 4 bytes, ${end - p} left`, p);
    const type = u16(b, p);
    const len = u16(b, p + 2);
    if (type === 0) throw new DecodeError('nlri_type', 'BGP-LS NLRI type 0 is reserved', p);
    let v = p + 4;
    const vEnd = v + len;
    if (vEnd > end) throw new DecodeError('nlri_truncated', `BGP-LS NLRI type ${type} of ${len} bytes, ${end - v} left`, p);
    if (vpn) {
      if (len < 8) throw new DecodeError('nlri_length', `BGP-LS-VPN NLRI of ${len} bytes has no room for its route distinguisher`, p);
      out.route_distinguishers!.push(rdText(b, v));
      v += 8;
    }
    const name = LS_NAMES[type] ?? `type${type}`;
    const d: BgpLsNlri = { kind: 'bgp_ls', nlri_type: type, name, protocol_id: type <= 6 && v < vEnd ? b[v]! : null, hex: hex(b, v, vEnd) };
    details.push(d);
    out.prefixes.push(`[${name}]:[${d.hex}]`);
    p = vEnd;
  }
}

const MVPN_NAMES = [
  '',
  'intra_as_ipmsi_ad',
  'inter_as_ipmsi_ad',
  'spmsi_ad',
  'leaf_ad',
  'source_active_ad',
  'shared_tree_join',
  'source_tree_join',
];

function mvpnBad(type: number, len: number, at: number): DecodeError {
  return new DecodeError('nlri_length', `MCAST-VPN route type ${type}: length ${len} does not fit its fields (RFC 6514 §4)`, at);
}

/** An address of `bits` (0, 32 or 128) at p: [text or null, bytes]. */
function mcastAddr(b: Uint8Array, p: number, end: number, bits: number, type: number, at: number): string | null {
  const n = bits === 0 ? 0 : bits === 32 ? 4 : bits === 128 ? 16 : -1;
  if (n < 0 || p + n > end) throw mvpnBad(type, end - at - 2, at);
  return n === 0 ? null : addrText(b, p, n);
}

function mcastLen(bits: number): number {
  return bits === 0 ? 0 : bits === 32 ? 4 : 16;
}

/** Source and group at p (each a length in bits then the address); returns the text and the position after. */
function sourceGroup(b: Uint8Array, p: number, end: number, r: MvpnRoute, type: number, at: number): [string, number] {
  if (p >= end) throw mvpnBad(type, end - at - 2, at);
  const sBits = b[p]!;
  r.source = mcastAddr(b, p + 1, end, sBits, type, at);
  p += 1 + mcastLen(sBits);
  if (p >= end) throw mvpnBad(type, end - at - 2, at);
  const gBits = b[p]!;
  r.group = mcastAddr(b, p + 1, end, gBits, type, at);
  p += 1 + mcastLen(gBits);
  return [`[${sBits}]:[${r.source ?? '*'}]:[${gBits}]:[${r.group ?? '*'}]`, p];
}

function originator(b: Uint8Array, p: number, end: number, type: number, at: number): string {
  const n = end - p;
  if (n !== 4 && n !== 16) throw mvpnBad(type, end - at - 2, at);
  return addrText(b, p, n);
}

export function decodeMvpn(b: Uint8Array, start: number, end: number, addPath: boolean, out: NlriOut): void {
  const details = (out.nlri ??= []);
  const rds = (out.route_distinguishers ??= []);
  let p = start;
  while (p < end) {
    p = readPathId(b, p, end, addPath, out.path_ids);
    if (p + 2 > end) throw new DecodeError('nlri_truncated', `MCAST-VPN route header needs 2 bytes, ${end - p} left`, p);
    const at = p;
    const type = b[p]!;
    const len = b[p + 1]!;
    if (type === 0) throw new DecodeError('nlri_type', 'MCAST-VPN route type 0 is reserved', p);
    const v = p + 2;
    const vEnd = v + len;
    if (vEnd > end) throw new DecodeError('nlri_truncated', `MCAST-VPN route type ${type} of ${len} bytes, ${end - v} left`, p);
    const r: MvpnRoute = { kind: 'mvpn', route_type: type, name: MVPN_NAMES[type] ?? `type${type}` };
    let text: string;
    let rd: string | null = null;
    if (type >= 1 && type <= 7 && type !== 4) {
      if (len < 8) throw mvpnBad(type, len, at);
      rd = rdText(b, v);
    }
    switch (type) {
      case 1:
        r.originator = originator(b, v + 8, vEnd, type, at);
        text = `[1]:[${r.originator}]`;
        break;
      case 2:
        if (len !== 12) throw mvpnBad(type, len, at);
        r.source_as = u32(b, v + 8);
        text = `[2]:[${r.source_as}]`;
        break;
      case 3: {
        const [sg, q] = sourceGroup(b, v + 8, vEnd, r, type, at);
        r.originator = originator(b, q, vEnd, type, at);
        text = `[3]:${sg}:[${r.originator}]`;
        break;
      }
      case 4: {
        // RFC 6514 §4.4: the route key is the NLRI (type, length, value) of the route being answered.
        if (len < 2 || v + 2 + b[v + 1]! > vEnd) throw mvpnBad(type, len, at);
        const keyEnd = v + 2 + b[v + 1]!;
        r.route_key = hex(b, v, keyEnd);
        r.originator = originator(b, keyEnd, vEnd, type, at);
        text = `[4]:[${r.route_key}]:[${r.originator}]`;
        break;
      }
      case 5: {
        const [sg, q] = sourceGroup(b, v + 8, vEnd, r, type, at);
        if (q !== vEnd) throw mvpnBad(type, len, at);
        text = `[5]:${sg}`;
        break;
      }
      case 6:
      case 7: {
        if (len < 12) throw mvpnBad(type, len, at);
        r.source_as = u32(b, v + 8);
        const [sg, q] = sourceGroup(b, v + 12, vEnd, r, type, at);
        if (q !== vEnd) throw mvpnBad(type, len, at);
        text = `[${type}]:[${r.source_as}]:${sg}`;
        break;
      }
      default:
        r.hex = hex(b, v, vEnd);
        text = `[${type}]:[${r.hex}]`;
    }
    rds.push(rd);
    details.push(r);
    out.prefixes.push(text);
    p = vEnd;
  }
}

export function decodeMdt(b: Uint8Array, start: number, end: number, addPath: boolean, out: NlriOut): void {
  const details = (out.nlri ??= []);
  const rds = (out.route_distinguishers ??= []);
  let p = start;
  while (p < end) {
    p = readPathId(b, p, end, addPath, out.path_ids);
    if (p >= end) throw new DecodeError('nlri_truncated', 'MDT: path identifier with no route after it', p);
    if (b[p] !== 128) throw new DecodeError('prefix_length', `MDT NLRI length ${b[p]}, expected 128 (RFC 6037 §5)`, p);
    if (p + 17 > end) throw new DecodeError('nlri_truncated', `MDT NLRI needs 16 bytes, ${end - p - 1} left`, p);
    rds.push(rdText(b, p + 1));
    const address = ipv4Text(b, p + 9);
    const group = ipv4Text(b, p + 13);
    details.push({ kind: 'mdt', address, group });
    out.prefixes.push(`[${address}]:[${group}]`);
    p += 17;
  }
}

export function decodeVpls(b: Uint8Array, start: number, end: number, addPath: boolean, out: NlriOut): void {
  const details = (out.nlri ??= []);
  const rds = (out.route_distinguishers ??= []);
  let p = start;
  while (p < end) {
    p = readPathId(b, p, end, addPath, out.path_ids);
    if (p + 2 > end) throw new DecodeError('nlri_truncated', `VPLS NLRI length needs 2 bytes, ${end - p} left`, p);
    const len = u16(b, p);
    const v = p + 2;
    if (v + len > end) throw new DecodeError('nlri_truncated', `VPLS NLRI of ${len} bytes, ${end - v} left`, p);
    if (len !== 17 && len !== 12 && len !== 24) {
      throw new DecodeError('nlri_length', `VPLS NLRI length ${len}, expected 17 (RFC 4761 §3.2.2) or 12/24 (RFC 6074 §7.1)`, p);
    }
    rds.push(rdText(b, v));
    const d: VplsNlri = { kind: 'vpls' };
    let text: string;
    if (len === 17) {
      d.ve_id = u16(b, v + 8);
      d.ve_block_offset = u16(b, v + 10);
      d.ve_block_size = u16(b, v + 12);
      d.label_base = labelValue(b, v + 14);
      text = `[${d.ve_id}]:[${d.ve_block_offset}]:[${d.ve_block_size}]:[${d.label_base}]`;
    } else {
      d.pe = addrText(b, v + 8, len - 8);
      text = `[${d.pe}]`;
    }
    details.push(d);
    out.prefixes.push(text);
    p = v + len;
  }
}

/** A family bgpcap does not decode: the whole NLRI field is one entry (never dropped). */
export function decodeRaw(b: Uint8Array, start: number, end: number, out: NlriOut): void {
  if (start >= end) return;
  const h = hex(b, start, end);
  (out.nlri ??= []).push({ kind: 'raw', hex: h });
  out.prefixes.push(h);
}
