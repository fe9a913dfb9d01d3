// Encoders for the MP_REACH / MP_UNREACH families bgpcap decodes (labeled, VPN, flowspec, EVPN, RTC, MVPN,
// MDT, VPLS, BGP-LS), and for whole UPDATEs carrying them. Written from the RFCs and independent of src/
// (it shares no code with the decoder), so encode → decode round trips check the decoder against a second
// reading of the RFCs; the same bytes written to a pcap are also read by tshark and tcpdump in the tests.
//
// Every encoder returns plain byte arrays (number[]) that concatenate with spread.

export type Bytes = number[];

const u16 = (v: number): Bytes => [(v >>> 8) & 0xff, v & 0xff];
const u24 = (v: number): Bytes => [(v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
const u32 = (v: number): Bytes => [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];

export function ip4(text: string): Bytes {
  return text.split('.').map(Number);
}

export function ip6(text: string): Bytes {
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const hs = head ? head.split(':').filter((x) => x !== '') : [];
  const ts = tail ? tail.split(':').filter((x) => x !== '') : [];
  const groups = [...hs, ...Array<string>(8 - hs.length - ts.length).fill('0'), ...ts].map((g) => parseInt(g, 16));
  return groups.flatMap((g) => [g >> 8, g & 0xff]);
}

/** Address bytes of IPv4 or IPv6 text. */
export function ip(text: string): Bytes {
  return text.includes(':') ? ip6(text) : ip4(text);
}

export function mac(text: string): Bytes {
  return text.split(':').map((x) => parseInt(x, 16));
}

/** RFC 4364 §4.2 route distinguisher. */
export type Rd = { type: 0; asn: number; n: number } | { type: 1; ip: string; n: number } | { type: 2; asn: number; n: number };

export function rd(r: Rd): Bytes {
  if (r.type === 0) return [...u16(0), ...u16(r.asn), ...u32(r.n)];
  if (r.type === 1) return [...u16(1), ...ip4(r.ip), ...u16(r.n)];
  return [...u16(2), ...u32(r.asn), ...u16(r.n)];
}

/** A label field: 20-bit label, TC 0, S set on the last one (RFC 3032 §2.1). */
export function labelStack(labels: number[], bottom = true): Bytes {
  return labels.flatMap((l, i) => u24(((l & 0xfffff) << 4) | (bottom && i === labels.length - 1 ? 1 : 0)));
}

function prefixBytes(addr: Bytes, len: number): Bytes {
  return addr.slice(0, Math.ceil(len / 8));
}

export interface LabeledPrefix {
  labels: number[];
  /** Raw label fields instead of labels (e.g. the 0x800000 withdrawal compatibility field). */
  labelFields?: number[];
  addr: string;
  len: number;
  rd?: Rd;
  pathId?: number;
}

/** RFC 8277 §2 labeled prefix (SAFI 4), or RFC 4364 §4.3.4 VPN prefix (SAFI 128) when `rd` is given. */
export function labeledPrefix(p: LabeledPrefix): Bytes {
  const stack = p.labelFields !== undefined ? p.labelFields.flatMap(u24) : labelStack(p.labels);
  const r = p.rd !== undefined ? rd(p.rd) : [];
  const bits = stack.length * 8 + r.length * 8 + p.len;
  return [...(p.pathId !== undefined ? u32(p.pathId) : []), bits, ...stack, ...r, ...prefixBytes(ip(p.addr), p.len)];
}

// ------------------------------------------------------------------------------------------- flowspec

/** Numeric term: op is one of = > >= < <= != true false; `and` sets the a bit. */
export interface NumTerm {
  op: '=' | '>' | '>=' | '<' | '<=' | '!=' | 'true' | 'false';
  value: number;
  and?: boolean;
  /** Value size in bytes (1, 2, 4, 8); default: the smallest that holds the value. */
  size?: 1 | 2 | 4 | 8;
}

export interface MaskTerm {
  value: number;
  not?: boolean;
  match?: boolean;
  and?: boolean;
  size?: 1 | 2;
}

export type FsComponent =
  | { type: 1 | 2; prefix: string; len: number; offset?: number }
  | { type: 3 | 4 | 5 | 6 | 7 | 8 | 10 | 11 | 13; terms: NumTerm[] }
  | { type: 9 | 12; terms: MaskTerm[] }
  | { type: number; raw: Bytes };

const NUM_OP: Record<NumTerm['op'], number> = { false: 0, '=': 1, '>': 2, '>=': 3, '<': 4, '<=': 5, '!=': 6, true: 7 };

function sizeCode(n: number): number {
  return n === 1 ? 0 : n === 2 ? 1 : n === 4 ? 2 : 3;
}

function valueBytes(v: number, n: number): Bytes {
  if (n === 1) return [v & 0xff];
  if (n === 2) return u16(v);
  if (n === 4) return u32(v);
  return [...u32(Math.floor(v / 4294967296)), ...u32(v >>> 0)];
}

/** RFC 8955 §4.2 component; IPv6 prefixes (v6) with RFC 8956 §3.1 offset and pattern. */
export function fsComponent(c: FsComponent, v6: boolean): Bytes {
  if ('raw' in c) return [c.type, ...c.raw];
  if (c.type === 1 || c.type === 2) {
    const pc = c as { type: 1 | 2; prefix: string; len: number; offset?: number };
    const a = ip(pc.prefix);
    if (!v6) return [pc.type, pc.len, ...prefixBytes(a, pc.len)];
    const off = pc.offset ?? 0;
    // pattern: bits offset..len-1 of the address, left-aligned, padded to a byte
    const nbits = pc.len - off;
    const pat = new Array<number>(Math.ceil(nbits / 8)).fill(0);
    for (let i = 0; i < nbits; i++) {
      const j = off + i;
      if ((a[j >> 3]! >> (7 - (j & 7))) & 1) pat[i >> 3] = pat[i >> 3]! | (0x80 >> (i & 7));
    }
    return [pc.type, pc.len, off, ...pat];
  }
  const out: Bytes = [c.type];
  const terms = (c as { terms: (NumTerm | MaskTerm)[] }).terms;
  terms.forEach((t, i) => {
    const last = i === terms.length - 1;
    const size = t.size ?? (t.value < 256 ? 1 : t.value < 65536 ? 2 : t.value < 4294967296 ? 4 : 8);
    let op = (last ? 0x80 : 0) | (t.and ? 0x40 : 0) | (sizeCode(size) << 4);
    if ('op' in t) op |= NUM_OP[t.op];
    else op |= (t.not ? 0x02 : 0) | (t.match ? 0x01 : 0);
    out.push(op, ...valueBytes(t.value, size));
  });
  return out;
}

/** RFC 8955 §4.1 rule: length (1 or 2 bytes), [RD], components. */
export function flowspecRule(components: FsComponent[], opts: { v6?: boolean; rd?: Rd; pathId?: number } = {}): Bytes {
  const body = [...(opts.rd ? rd(opts.rd) : []), ...components.flatMap((c) => fsComponent(c, opts.v6 === true))];
  const len = body.length < 240 ? [body.length] : u16(0xf000 | body.length);
  return [...(opts.pathId !== undefined ? u32(opts.pathId) : []), ...len, ...body];
}

// ------------------------------------------------------------------------------------------- EVPN

export type EvpnSpec =
  | { type: 1; rd: Rd; esi: Bytes; tag: number; label: number }
  | { type: 2; rd: Rd; esi: Bytes; tag: number; mac: string; ip?: string; label1: number; label2?: number }
  | { type: 3; rd: Rd; tag: number; originator: string }
  | { type: 4; rd: Rd; esi: Bytes; originator: string }
  | { type: 5; rd: Rd; esi: Bytes; tag: number; prefix: string; len: number; gateway: string; label: number }
  | { type: number; raw: Bytes };

/** A 3-byte label field holding `label` (20 bits, S set), or the raw 24-bit `field` when given (a VNI). */
export function labelField(label: number, field?: number): Bytes {
  return u24(field ?? (((label & 0xfffff) << 4) | 1));
}

export function evpnRoute(s: EvpnSpec, pathId?: number): Bytes {
  let v: Bytes;
  if ('raw' in s) v = s.raw;
  else if (s.type === 1) v = [...rd(s.rd), ...s.esi, ...u32(s.tag), ...labelField(s.label)];
  else if (s.type === 2) {
    const a = s.ip === undefined ? [] : ip(s.ip);
    v = [...rd(s.rd), ...s.esi, ...u32(s.tag), 48, ...mac(s.mac), a.length * 8, ...a, ...labelField(s.label1)];
    if (s.label2 !== undefined) v.push(...labelField(s.label2));
  } else if (s.type === 3) {
    const a = ip(s.originator);
    v = [...rd(s.rd), ...u32(s.tag), a.length * 8, ...a];
  } else if (s.type === 4) {
    const a = ip(s.originator);
    v = [...rd(s.rd), ...s.esi, a.length * 8, ...a];
  } else {
    const t5 = s as Extract<EvpnSpec, { type: 5 }>;
    const a = ip(t5.prefix);
    v = [...rd(t5.rd), ...t5.esi, ...u32(t5.tag), t5.len, ...a, ...ip(t5.gateway), ...labelField(t5.label)];
  }
  return [...(pathId !== undefined ? u32(pathId) : []), s.type, v.length, ...v];
}

// ------------------------------------------------------------------------------------------- others

/** RFC 4684 §4: length in bits, then that many bits of origin AS (4) + route target (8). */
export function rtcRoute(originAs: number, rt: Bytes, len: number, pathId?: number): Bytes {
  const full = [...u32(originAs), ...rt];
  return [...(pathId !== undefined ? u32(pathId) : []), len, ...full.slice(0, Math.ceil(len / 8))];
}

/** Route target extended community, RFC 4360 §4: type 0x00 asn2:n4, 0x01 ipv4:n2, 0x02 asn4:n2 (subtype 0x02). */
export function routeTarget(type: 0 | 1 | 2, admin: number | string, n: number): Bytes {
  if (type === 0) return [0x00, 0x02, ...u16(admin as number), ...u32(n)];
  if (type === 1) return [0x01, 0x02, ...ip4(admin as string), ...u16(n)];
  return [0x02, 0x02, ...u32(admin as number), ...u16(n)];
}

/** RFC 6514 §4 MCAST-VPN route: type, length, value (built by the caller from rd(), ip() ...). */
export function mvpnRoute(type: number, value: Bytes): Bytes {
  return [type, value.length, ...value];
}

/** Multicast source or group: length in bits, then the address ('' = wildcard, RFC 6625). */
export function mcastAddr(text: string): Bytes {
  if (text === '') return [0];
  const a = ip(text);
  return [a.length * 8, ...a];
}

/** RFC 6037 §5 MDT NLRI: length 128, RD, IPv4 address, group. */
export function mdtRoute(r: Rd, address: string, group: string): Bytes {
  return [128, ...rd(r), ...ip4(address), ...ip4(group)];
}

/** RFC 4761 §3.2.2 VPLS NLRI (length 17). */
export function vplsRoute(r: Rd, veId: number, offset: number, size: number, labelBase: number): Bytes {
  const v = [...rd(r), ...u16(veId), ...u16(offset), ...u16(size), ...labelField(labelBase)];
  return [...u16(v.length), ...v];
}

/** RFC 6074 §7.1 BGP-AD NLRI: RD + PE address. */
export function vplsAdRoute(r: Rd, pe: string): Bytes {
  const v = [...rd(r), ...ip(pe)];
  return [...u16(v.length), ...v];
}

/** RFC 9552 §5.2 BGP-LS NLRI: type, length, [RD], value. */
export function bgpLsNlri(type: number, value: Bytes, r?: Rd): Bytes {
  const v = [...(r ? rd(r) : []), ...value];
  return [...u16(type), ...u16(v.length), ...v];
}

// ------------------------------------------------------------------------------------------- messages

function attr(flags: number, code: number, v: Bytes): Bytes {
  return v.length > 255 ? [flags | 0x10, code, ...u16(v.length), ...v] : [flags, code, v.length, ...v];
}

/** MP_REACH_NLRI value (RFC 4760 §3): AFI, SAFI, next hop length and bytes, reserved 0, NLRI. */
export function mpReach(afi: number, safi: number, nextHop: Bytes, nlri: Bytes): Bytes {
  return [...u16(afi), safi, nextHop.length, ...nextHop, 0, ...nlri];
}

/** MP_UNREACH_NLRI value (RFC 4760 §4). */
export function mpUnreach(afi: number, safi: number, nlri: Bytes): Bytes {
  return [...u16(afi), safi, ...nlri];
}

export interface MpUpdateSpec {
  reach?: Bytes;
  unreach?: Bytes;
  /** Extra raw attributes appended (flags, code, value). */
  extra?: [number, number, Bytes][];
  asPath?: number[];
}

/** A whole UPDATE message (marker, length, type 2) with ORIGIN IGP, a 4-octet AS_PATH and the MP attributes. */
export function mpUpdate(s: MpUpdateSpec): Uint8Array {
  const attrs: Bytes = [];
  if (s.reach !== undefined) {
    attrs.push(...attr(0x40, 1, [0]));
    const asns = s.asPath ?? [65001];
    attrs.push(...attr(0x40, 2, asns.length ? [2, asns.length, ...asns.flatMap(u32)] : []));
    attrs.push(...attr(0x80, 14, s.reach));
  }
  if (s.unreach !== undefined) attrs.push(...attr(0x80, 15, s.unreach));
  for (const [f, c, v] of s.extra ?? []) attrs.push(...attr(f, c, v));
  const body = [...u16(0), ...u16(attrs.length), ...attrs];
  return new Uint8Array([...new Array<number>(16).fill(0xff), ...u16(19 + body.length), 2, ...body]);
}
