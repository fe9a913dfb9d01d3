// Encoders for the path attributes beyond RFC 4271 (ORIGINATOR_ID, CLUSTER_LIST, EXTENDED_COMMUNITIES,
// PMSI_TUNNEL, IPv6 extended communities, AIGP, BGPsec_PATH, OTC, Prefix-SID, ATTR_SET), for tests and
// benchmark corpora. Like synth.ts, written from the RFCs without sharing code with src/: a round trip through
// the decoder checks one reading of the RFCs against another.
//
// The extended community encoders take the text forms bgpcap prints (src/bgp/attributes/README.md) and give
// the 8 (or 20) bytes back, so decode → text → encode must reproduce the wire bytes exactly: that is the
// "nothing is lost" promise of the text forms.

import { v4, v6 } from './synth.js';

/** A growable big-endian byte writer. */
class W {
  private a: number[] = [];
  u8(v: number): this {
    this.a.push(v & 0xff);
    return this;
  }
  u16(v: number): this {
    return this.u8(v >>> 8).u8(v);
  }
  u24(v: number): this {
    return this.u8(v >>> 16).u16(v & 0xffff);
  }
  u32(v: number): this {
    return this.u16(v >>> 16).u16(v & 0xffff);
  }
  f32(v: number): this {
    const dv = new DataView(new ArrayBuffer(4));
    dv.setFloat32(0, v);
    return this.u32(dv.getUint32(0));
  }
  bytes(b: ArrayLike<number>): this {
    for (let i = 0; i < b.length; i++) this.a.push(b[i]! & 0xff);
    return this;
  }
  done(): Uint8Array {
    return Uint8Array.from(this.a);
  }
}

export function hexOf(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}

function fromHex(h: string): number[] {
  if (!/^([0-9a-fA-F]{2})*$/.test(h)) throw new Error(`bad hex ${h}`);
  const out: number[] = [];
  for (let i = 0; i < h.length; i += 2) out.push(parseInt(h.slice(i, i + 2), 16));
  return out;
}

/** RFC 4271 §4.3 attribute: flags | type | length (1 octet, or 2 with the Extended Length bit 0x10) | value. */
export function attribute(flags: number, code: number, value: Uint8Array, extended = value.length > 255): Uint8Array {
  const w = new W().u8(extended ? flags | 0x10 : flags & ~0x10).u8(code);
  if (extended) w.u16(value.length);
  else w.u8(value.length);
  return w.bytes(value).done();
}

const OPT = 0x80;
const OPT_TRANS = 0xc0;

/** ORIGINATOR_ID, RFC 4456 §8: optional non-transitive, 4 octets. */
export function originatorId(ip: string): Uint8Array {
  return attribute(OPT, 9, Uint8Array.from(v4(ip)));
}

/** CLUSTER_LIST, RFC 4456 §8: optional non-transitive, 4 octets per cluster id. */
export function clusterList(ids: string[]): Uint8Array {
  return attribute(OPT, 10, Uint8Array.from(ids.flatMap(v4)));
}

/** ONLY_TO_CUSTOMER, RFC 9234 §5: optional transitive, 4-octet ASN. */
export function otc(asn: number): Uint8Array {
  return attribute(OPT_TRANS, 35, new W().u32(asn).done());
}

// ------------------------------------------------------------------------------------- extended communities

/** Sub-types by the word bgpcap prints, per value layout: AS2 (type 0x00), IPv4 (0x01), AS4 (0x02). */
const AS_SPECIFIC: Record<string, [as2: number | null, ipv4: number | null, as4: number | null]> = {
  rt: [0x02, 0x02, 0x02], // RFC 4360 §5, RFC 5668
  soo: [0x03, 0x03, 0x03],
  'ospf-domain-id': [0x05, 0x05, 0x05], // RFC 4577 §4.2.2
  'ospf-router-id': [null, 0x07, null], // RFC 4577 §4.2.4
  'data-collection': [0x08, null, 0x08], // RFC 4384
  'source-as': [0x09, null, 0x09], // RFC 6514
  'l2vpn-id': [0x0a, 0x0a, null], // RFC 6074
  'vrf-import': [null, 0x0b, null], // RFC 6514
};

/** RFC 9012 tunnel types by the names bgpcap prints. */
const TUNNELS: Record<string, number> = {
  L2TPv3: 1, GRE: 2, TRANSMIT_TUNNEL_ENDPOINT: 3, IPSEC_TUNNEL: 4, IP_IN_IP_IPSEC: 5, MPLS_IN_IP_IPSEC: 6,
  IP_IN_IP: 7, VXLAN: 8, NVGRE: 9, MPLS: 10, MPLS_IN_GRE: 11, VXLAN_GPE: 12, MPLS_IN_UDP: 13, IPV6_TUNNEL: 14,
  SR_POLICY: 15, BARE: 16, SR_TUNNEL: 17, CLOUD_SECURITY: 18, GENEVE: 19, ANY_ENCAPSULATION: 20,
};

function mac(text: string): number[] {
  const parts = text.split(':');
  if (parts.length !== 6) throw new Error(`bad MAC ${text}`);
  return parts.map((x) => parseInt(x, 16));
}

function num(text: string, max: number): number {
  if (!/^\d+$/.test(text)) throw new Error(`not a number: ${text}`);
  const n = Number(text);
  if (n > max) throw new Error(`${text} > ${max}`);
  return n;
}

function float(text: string): number {
  const f = Number(text);
  if (Number.isNaN(f) || Math.fround(f) !== f) throw new Error(`not an exact IEEE single: ${text}`);
  return f;
}

/**
 * `global:local` of an AS- or address-specific community: `192.0.2.1:7` (IPv4, 2-octet local),
 * `4200000001:7` or `65001L:7` (4-octet AS, 2-octet local), `65001:100` (2-octet AS, 4-octet local).
 * Returns the layout index of AS_SPECIFIC and the 6 value bytes.
 */
function adminValue(global: string, local: string): [number, number[]] {
  if (global.includes('.')) return [1, [...v4(global), ...new W().u16(num(local, 0xffff)).done()]];
  const as4 = global.endsWith('L') ? num(global.slice(0, -1), 0xffffffff) : null;
  const asn = as4 ?? num(global, 0xffffffff);
  if (as4 !== null || asn > 0xffff) return [2, [...new W().u32(asn).u16(num(local, 0xffff)).done()]];
  return [0, [...new W().u16(asn).u32(num(local, 0xffffffff)).done()]];
}

/** The 8 bytes of an extended community given in bgpcap's text form. */
export function extCommunity(text: string): Uint8Array {
  const i = text.indexOf(':');
  const kind = i < 0 ? text : text.slice(0, i);
  const rest = i < 0 ? '' : text.slice(i + 1);
  const parts = rest.split(':');
  const w = new W();
  if (kind === 'ext') {
    const [ts, h] = parts as [string, string];
    if (!/^0x[0-9a-f]{4}$/.test(ts) || h.length !== 12) throw new Error(`bad ${text}`);
    return w.u16(parseInt(ts.slice(2), 16)).bytes(fromHex(h)).done();
  }
  const layouts = AS_SPECIFIC[kind];
  if (layouts !== undefined || kind === 'redirect') {
    const [layout, value] = adminValue(parts[0]!, parts[1]!);
    if (kind === 'redirect') return w.u8([0x80, 0x81, 0x82][layout]!).u8(0x08).bytes(value).done(); // RFC 8955 §7.5, RFC 7674
    const sub = layouts![layout];
    if (sub === null || sub === undefined) throw new Error(`no ${kind} community with that layout: ${text}`);
    return w.u8(layout).u8(sub).bytes(value).done();
  }
  switch (kind) {
    case 'link-bandwidth': // draft-ietf-idr-link-bandwidth: non-transitive AS2 0x40, sub-type 0x04
      return w.u8(0x40).u8(0x04).u16(num(parts[0]!, 0xffff)).f32(float(parts[1]!)).done();
    case 'rate': // RFC 8955 §7.3
      return w.u8(0x80).u8(0x06).u16(num(parts[0]!, 0xffff)).f32(float(parts[1]!)).done();
    case 'rate-packets':
      return w.u8(0x80).u8(0x0c).u16(num(parts[0]!, 0xffff)).f32(float(parts[1]!)).done();
    case 'traffic-action': {
      // RFC 8955 §7.4: S (sample) is bit 46, T (terminal action) bit 47 of the 48-bit value
      const flags = { none: 0, terminal: 1, sample: 2, 'sample,terminal': 3 }[rest];
      if (flags === undefined) throw new Error(`bad ${text}`);
      return w.u8(0x80).u8(0x07).u32(0).u8(0).u8(flags).done();
    }
    case 'mark': // RFC 8955 §7.6
      return w.u8(0x80).u8(0x09).u32(0).u8(0).u8(num(rest, 63)).done();
    case 'color': // RFC 9012 §4.3; CO bits RFC 9256 §8.8.1
      return w.u8(0x03).u8(0x0b).u16(num(parts[0]!, 3) << 14).u32(num(parts[1]!, 0xffffffff)).done();
    case 'encap': // RFC 9012 §4.1
      return w.u8(0x03).u8(0x0c).u32(0).u16(TUNNELS[rest] ?? num(rest, 0xffff)).done();
    case 'default-gateway': // RFC 7432 §7.8
      return w.u8(0x03).u8(0x0d).u32(0).u16(0).done();
    case 'ospf-route-type': // RFC 4577 §4.2.6
    case 'ospf-route-type-exp':
      return w.u8(kind === 'ospf-route-type' ? 0x03 : 0x80).u8(kind === 'ospf-route-type' ? 0x06 : 0x00)
        .bytes(v4(parts[0]!)).u8(num(parts[1]!, 255)).u8(num(parts[2]!, 255)).done();
    case 'ospf-router-id-exp':
      return w.u8(0x80).u8(0x01).bytes(v4(parts[0]!)).u16(num(parts[1]!, 0xffff)).done();
    case 'ovs': { // RFC 8097 §2
      const st = { valid: 0, 'not-found': 1, invalid: 2 }[rest];
      if (st === undefined) throw new Error(`bad ${text}`);
      return w.u8(0x43).u8(0x00).u32(0).u8(0).u8(st).done();
    }
    case 'mac-mobility': // RFC 7432 §7.7
      if (parts.length === 2 && parts[1] !== 'sticky') throw new Error(`bad ${text}`);
      return w.u8(0x06).u8(0x00).u8(parts.length === 2 ? 1 : 0).u8(0).u32(num(parts[0]!, 0xffffffff)).done();
    case 'es-import': // RFC 7432 §7.6
      return w.u8(0x06).u8(0x02).bytes(mac(rest)).done();
    case 'router-mac': // RFC 9135 §8.1
      return w.u8(0x06).u8(0x03).bytes(mac(rest)).done();
  }
  throw new Error(`unknown extended community form: ${text}`);
}

/** EXTENDED_COMMUNITIES attribute (RFC 4360): optional transitive. */
export function extCommunities(texts: string[]): Uint8Array {
  return attribute(OPT_TRANS, 16, Uint8Array.from(texts.flatMap((t) => [...extCommunity(t)])));
}

/** The 20 bytes of an IPv6 address specific extended community (RFC 5701) in bgpcap's text form. */
export function ipv6ExtCommunity(text: string): Uint8Array {
  const i = text.indexOf(':');
  const kind = text.slice(0, i);
  const rest = text.slice(i + 1);
  const w = new W();
  if (kind === 'ext') {
    const [ts, h] = rest.split(':') as [string, string];
    if (h.length !== 36) throw new Error(`bad ${text}`);
    return w.u16(parseInt(ts.slice(2), 16)).bytes(fromHex(h)).done();
  }
  const sub = { rt: 0x02, soo: 0x03, 'vrf-import': 0x0b }[kind];
  if (sub === undefined) throw new Error(`bad ${text}`);
  const j = rest.lastIndexOf(':');
  return w.u8(0x00).u8(sub).bytes(v6(rest.slice(0, j))).u16(num(rest.slice(j + 1), 0xffff)).done();
}

/** IPV6_ADDRESS_SPECIFIC_EXTENDED_COMMUNITY attribute (RFC 5701): optional transitive. */
export function ipv6ExtCommunities(texts: string[]): Uint8Array {
  return attribute(OPT_TRANS, 25, Uint8Array.from(texts.flatMap((t) => [...ipv6ExtCommunity(t)])));
}

// ------------------------------------------------------------------------------------- PMSI, AIGP, Prefix-SID

export interface PmsiSpec {
  flags?: number;
  type: number;
  /** The whole 24-bit label field (label << 4 for MPLS, the VNI for VXLAN). */
  labelField: number;
  tunnelId?: ArrayLike<number>;
}

/** PMSI_TUNNEL, RFC 6514 §5: optional transitive. */
export function pmsiTunnel(p: PmsiSpec): Uint8Array {
  return attribute(OPT_TRANS, 22, new W().u8(p.flags ?? 0).u8(p.type).u24(p.labelField).bytes(p.tunnelId ?? []).done());
}

/** AIGP, RFC 7311 §3: optional non-transitive; the AIGP TLV (type 1, length 11) plus any other TLVs. */
export function aigp(metric: bigint, others: { type: number; value: number[] }[] = []): Uint8Array {
  const w = new W().u8(1).u16(11).u32(Number(metric >> 32n)).u32(Number(metric & 0xffffffffn));
  for (const t of others) w.u8(t.type).u16(3 + t.value.length).bytes(t.value);
  return attribute(OPT, 26, w.done());
}

export interface Srv6SidSpec {
  sid: string;
  flags?: number;
  behavior: number;
  structure?: [lb: number, ln: number, fun: number, arg: number, tposLen: number, tposOffset: number];
}

export interface PrefixSidSpec {
  labelIndex?: number;
  srgb?: [base: number, range: number][];
  srv6L3?: Srv6SidSpec[];
  srv6L2?: Srv6SidSpec[];
  others?: { type: number; value: number[] }[];
}

function srv6ServiceTlv(type: number, sids: Srv6SidSpec[]): number[] {
  const sub = new W();
  for (const s of sids) {
    // RFC 9252 §3.1 SRv6 SID Information Sub-TLV
    const v = new W().u8(0).bytes(v6(s.sid)).u8(s.flags ?? 0).u16(s.behavior).u8(0);
    if (s.structure) v.u8(1).u16(6).bytes(s.structure); // §3.2.1 SID Structure Sub-Sub-TLV
    const vb = v.done();
    sub.u8(1).u16(vb.length).bytes(vb);
  }
  const sb = sub.done();
  return [...new W().u8(type).u16(1 + sb.length).u8(0).bytes(sb).done()];
}

/** BGP Prefix-SID, RFC 8669 §3 (+ RFC 9252 §2): optional transitive. */
export function prefixSid(p: PrefixSidSpec): Uint8Array {
  const w = new W();
  if (p.labelIndex !== undefined) w.u8(1).u16(7).u8(0).u16(0).u32(p.labelIndex); // §3.1 Label-Index TLV
  if (p.srgb) {
    w.u8(3).u16(2 + 6 * p.srgb.length).u16(0); // §3.2 Originator SRGB TLV
    for (const [b, r] of p.srgb) w.u24(b).u24(r);
  }
  if (p.srv6L3) w.bytes(srv6ServiceTlv(5, p.srv6L3));
  if (p.srv6L2) w.bytes(srv6ServiceTlv(6, p.srv6L2));
  for (const t of p.others ?? []) w.u8(t.type).u16(t.value.length).bytes(t.value);
  return attribute(OPT_TRANS, 40, w.done());
}

/** ATTR_SET, RFC 6368 §5: optional transitive, Origin AS then encoded path attributes. */
export function attrSet(originAs: number, attrs: Uint8Array[]): Uint8Array {
  const w = new W().u32(originAs);
  for (const a of attrs) w.bytes(a);
  return attribute(OPT_TRANS, 128, w.done());
}

/**
 * BGPsec_PATH, RFC 8205 §3: optional non-transitive. Secure_Path segments (pCount, flags, AS) and one
 * Signature_Block with the given algorithm suite and (SKI, signature) segments.
 */
export function bgpsecPath(segments: [pcount: number, flags: number, asn: number][], suite: number, sigs: [ski: number[], sig: number[]][]): Uint8Array {
  const w = new W().u16(2 + 6 * segments.length);
  for (const [pc, fl, asn] of segments) w.u8(pc).u8(fl).u32(asn);
  const sb = new W();
  for (const [ski, sig] of sigs) sb.bytes(ski).u16(sig.length).bytes(sig);
  const sbb = sb.done();
  w.u16(3 + sbb.length).u8(suite).bytes(sbb);
  return attribute(OPT, 33, w.done());
}
