// Synthetic BGP captures with a known ground truth: BGP message encoders, TCP segmentation (with
// retransmissions and reordering) and a classic pcap writer. Used by the benchmark corpus generators and
// by pipeline tests, which compare what bgpcap decodes with what was encoded here.
//
// Written independently of src/ (it shares no code with the decoder), so a test that round-trips through
// it checks the decoder against a second reading of the RFCs.

/** A deterministic PRNG (mulberry32) so every corpus is reproducible from its seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Bytes {
  private buf = new Uint8Array(256);
  len = 0;
  private need(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const b = new Uint8Array(cap);
    b.set(this.buf.subarray(0, this.len));
    this.buf = b;
  }
  u8(v: number): this {
    this.need(1);
    this.buf[this.len++] = v & 0xff;
    return this;
  }
  u16(v: number): this {
    return this.u8(v >>> 8).u8(v);
  }
  u32(v: number): this {
    return this.u16(v >>> 16).u16(v & 0xffff);
  }
  bytes(b: ArrayLike<number>): this {
    this.need(b.length);
    for (let i = 0; i < b.length; i++) this.buf[this.len++] = b[i]!;
    return this;
  }
  done(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

export interface Prefix {
  /** 4 or 16 address bytes (only the first ceil(len/8) are encoded). */
  addr: number[];
  len: number;
  /** ADD-PATH path id, when the session uses ADD-PATH for this family. */
  pathId?: number;
}

/** The prefix with the bits past its length cleared (RFC 4271 §4.3: they are irrelevant; encoders send 0). */
export function masked(p: Prefix): Prefix {
  const addr = p.addr.map((b, i) => {
    const bits = p.len - 8 * i;
    return bits >= 8 ? b : bits <= 0 ? 0 : b & (0xff << (8 - bits)) & 0xff;
  });
  return { ...p, addr };
}

export function v4(text: string): number[] {
  return text.split('.').map(Number);
}

export function v6(text: string): number[] {
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const hs = head ? head.split(':').filter((x) => x !== '') : [];
  const ts = tail ? tail.split(':').filter((x) => x !== '') : [];
  const groups = [...hs, ...Array<string>(8 - hs.length - ts.length).fill('0'), ...ts].map((g) => parseInt(g, 16));
  return groups.flatMap((g) => [g >> 8, g & 0xff]);
}

export function prefixText(p: Prefix): string {
  const n = Math.ceil(p.len / 8);
  if (p.addr.length === 4) {
    const a = [0, 0, 0, 0].map((_, i) => (i < n ? p.addr[i]! : 0));
    return `${a.join('.')}/${p.len}`;
  }
  // Compressed IPv6 text per RFC 5952 for the masked address.
  const bytes = Array.from({ length: 16 }, (_, i) => (i < n ? p.addr[i]! : 0));
  const g = Array.from({ length: 8 }, (_, i) => (bytes[2 * i]! << 8) | bytes[2 * i + 1]!);
  let best = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j === i ? i + 1 : j;
  }
  const hex = g.map((x) => x.toString(16));
  const text = bestLen >= 2 ? `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}` : hex.join(':');
  return `${text}/${p.len}`;
}

function encodePrefix(b: Bytes, p: Prefix, addPath: boolean): void {
  if (addPath) b.u32(p.pathId ?? 0);
  b.u8(p.len);
  const n = Math.ceil(p.len / 8);
  for (let i = 0; i < n; i++) b.u8(p.addr[i] ?? 0);
}

function message(type: number, body: Uint8Array): Uint8Array {
  const b = new Bytes();
  for (let i = 0; i < 16; i++) b.u8(0xff); // RFC 4271 §4.1 marker
  b.u16(19 + body.length).u8(type).bytes(body);
  return b.done();
}

export function keepalive(): Uint8Array {
  return message(4, new Uint8Array(0));
}

export interface OpenSpec {
  asn: number;
  holdTime?: number;
  bgpId: string;
  /** Advertise the 4-octet AS capability (RFC 6793). */
  as4?: boolean;
  families?: [number, number][];
  /** ADD-PATH (RFC 7911) per family: 1 receive, 2 send, 3 both. */
  addPath?: [number, number, number][];
  extendedMessage?: boolean;
}

export function open(s: OpenSpec): Uint8Array {
  const caps = new Bytes();
  const cap = (code: number, val: Bytes) => {
    const v = val.done();
    caps.u8(code).u8(v.length).bytes(v);
  };
  for (const [afi, safi] of s.families ?? [[1, 1]]) cap(1, new Bytes().u16(afi).u8(0).u8(safi));
  cap(2, new Bytes());
  if (s.extendedMessage) cap(6, new Bytes());
  if (s.as4 !== false) cap(65, new Bytes().u32(s.asn));
  if (s.addPath?.length) {
    const v = new Bytes();
    for (const [afi, safi, sr] of s.addPath) v.u16(afi).u8(safi).u8(sr);
    cap(69, v);
  }
  const c = caps.done();
  const body = new Bytes()
    .u8(4)
    .u16(s.asn > 0xffff ? 23456 : s.asn)
    .u16(s.holdTime ?? 90)
    .bytes(v4(s.bgpId))
    .u8(c.length + 2)
    .u8(2) // optional parameter type 2: capabilities (RFC 5492)
    .u8(c.length)
    .bytes(c);
  return message(1, body.done());
}

export interface UpdateSpec {
  withdrawn?: Prefix[];
  nlri?: Prefix[];
  /** IPv6 unicast announced via MP_REACH_NLRI, with this next hop (16 bytes) and optional link-local. */
  v6Nlri?: Prefix[];
  v6NextHop?: number[];
  v6NextHopLl?: number[];
  v6Withdrawn?: Prefix[];
  origin?: number;
  asPath?: number[];
  /** Trailing AS_SET. */
  asSet?: number[];
  as4?: boolean;
  nextHop?: number[];
  med?: number;
  localPref?: number;
  communities?: [number, number][];
  largeCommunities?: [number, number, number][];
  addPath?: boolean;
  /** Whole path attributes (header included, e.g. from attrs.ts) appended after the others when announcing. */
  extraAttributes?: Uint8Array[];
}

function attr(b: Bytes, flags: number, code: number, val: Uint8Array): void {
  if (val.length > 255) b.u8(flags | 0x10).u8(code).u16(val.length).bytes(val);
  else b.u8(flags).u8(code).u8(val.length).bytes(val);
}

export function update(u: UpdateSpec): Uint8Array {
  const ap = u.addPath === true;
  const wd = new Bytes();
  for (const p of u.withdrawn ?? []) encodePrefix(wd, p, ap);
  const attrs = new Bytes();
  const announcing = (u.nlri?.length ?? 0) + (u.v6Nlri?.length ?? 0) > 0;
  if (announcing) {
    attr(attrs, 0x40, 1, new Bytes().u8(u.origin ?? 0).done());
    const path = new Bytes();
    const as4 = u.as4 !== false;
    const asns = u.asPath ?? [];
    if (asns.length) {
      path.u8(2).u8(asns.length); // AS_SEQUENCE
      for (const a of asns) (as4 ? path.u32(a) : path.u16(a));
    }
    if (u.asSet?.length) {
      path.u8(1).u8(u.asSet.length); // AS_SET
      for (const a of u.asSet) (as4 ? path.u32(a) : path.u16(a));
    }
    attr(attrs, 0x40, 2, path.done());
    if (u.nlri?.length) attr(attrs, 0x40, 3, new Uint8Array(u.nextHop ?? [192, 0, 2, 1]));
    if (u.med !== undefined) attr(attrs, 0x80, 4, new Bytes().u32(u.med).done());
    if (u.localPref !== undefined) attr(attrs, 0x40, 5, new Bytes().u32(u.localPref).done());
    if (u.communities?.length) {
      const c = new Bytes();
      for (const [a, v] of u.communities) c.u16(a).u16(v);
      attr(attrs, 0xc0, 8, c.done());
    }
    if (u.v6Nlri?.length) {
      const mp = new Bytes().u16(2).u8(1);
      const nh = [...(u.v6NextHop ?? v6('2001:db8::1')), ...(u.v6NextHopLl ?? [])];
      mp.u8(nh.length).bytes(nh).u8(0);
      for (const p of u.v6Nlri) encodePrefix(mp, p, ap);
      attr(attrs, 0x80, 14, mp.done());
    }
    if (u.largeCommunities?.length) {
      const c = new Bytes();
      for (const [g, l1, l2] of u.largeCommunities) c.u32(g).u32(l1).u32(l2);
      attr(attrs, 0xc0, 32, c.done());
    }
    for (const a of u.extraAttributes ?? []) attrs.bytes(a);
  }
  if (u.v6Withdrawn?.length) {
    const mp = new Bytes().u16(2).u8(1);
    for (const p of u.v6Withdrawn) encodePrefix(mp, p, ap);
    attr(attrs, 0x80, 15, mp.done());
  }
  const nlri = new Bytes();
  for (const p of u.nlri ?? []) encodePrefix(nlri, p, ap);
  const w = wd.done();
  const a = attrs.done();
  const body = new Bytes().u16(w.length).bytes(w).u16(a.length).bytes(a).bytes(nlri.done());
  return message(2, body.done());
}

export function notification(code: number, subcode: number, data: ArrayLike<number> = []): Uint8Array {
  return message(3, new Bytes().u8(code).u8(subcode).bytes(data).done());
}

// ---------------------------------------------------------------------------------------------------------
// TCP/IP/Ethernet framing and pcap writing.

export interface Endpoint {
  ip: number[]; // 4 bytes
  port: number;
  mac: number[];
}

export interface Packet {
  tsUsec: number; // microseconds since epoch
  frame: Uint8Array;
}

function csumFree(): number {
  return 0; // checksums are not verified by capture readers; left zero
}

/** Ethernet + IPv4 + TCP frame. */
export function tcpFrame(src: Endpoint, dst: Endpoint, seq: number, ack: number, flags: number, payload: Uint8Array): Uint8Array {
  const b = new Bytes();
  b.bytes(dst.mac).bytes(src.mac).u16(0x0800);
  const ipLen = 20 + 20 + payload.length;
  b.u8(0x45).u8(0).u16(ipLen).u16(0).u16(0x4000).u8(64).u8(6).u16(csumFree()).bytes(src.ip).bytes(dst.ip);
  b.u16(src.port).u16(dst.port).u32(seq >>> 0).u32(ack >>> 0).u8(5 << 4).u8(flags).u16(65535).u16(0).u16(0);
  b.bytes(payload);
  return b.done();
}

export interface ConnSpec {
  a: Endpoint;
  b: Endpoint;
  isnA: number;
  isnB: number;
}

/**
 * One direction's byte stream cut into MSS-sized segments. Options add retransmissions (a segment sent
 * again later) and reordering (two neighbouring segments swapped), as captures show them.
 */
export function segmentStream(
  data: Uint8Array,
  opts: { mss: number; retransmitEvery?: number; swapEvery?: number },
): { offset: number; bytes: Uint8Array }[] {
  const segs: { offset: number; bytes: Uint8Array }[] = [];
  for (let off = 0; off < data.length; off += opts.mss) {
    segs.push({ offset: off, bytes: data.subarray(off, Math.min(data.length, off + opts.mss)) });
  }
  const out: { offset: number; bytes: Uint8Array }[] = [];
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i]!;
    if (opts.swapEvery && i % opts.swapEvery === opts.swapEvery - 1 && i + 1 < segs.length) {
      out.push(segs[i + 1]!, s);
      i++;
      continue;
    }
    out.push(s);
    if (opts.retransmitEvery && i % opts.retransmitEvery === opts.retransmitEvery - 1) out.push(s);
  }
  return out;
}

/** A classic pcap writer (microsecond resolution, little-endian, LINKTYPE_ETHERNET). */
export class PcapWriter {
  private readonly parts: Uint8Array[] = [];
  size = 0;
  constructor() {
    const h = new Uint8Array(24);
    const dv = new DataView(h.buffer);
    dv.setUint32(0, 0xa1b2c3d4, true);
    dv.setUint16(4, 2, true);
    dv.setUint16(6, 4, true);
    dv.setUint32(16, 262144, true);
    dv.setUint32(20, 1, true);
    this.push(h);
  }
  private push(b: Uint8Array): void {
    this.parts.push(b);
    this.size += b.length;
  }
  packet(tsUsec: number, frame: Uint8Array): void {
    const h = new Uint8Array(16);
    const dv = new DataView(h.buffer);
    dv.setUint32(0, Math.floor(tsUsec / 1e6), true);
    dv.setUint32(4, tsUsec % 1e6, true);
    dv.setUint32(8, frame.length, true);
    dv.setUint32(12, frame.length, true);
    this.push(h);
    this.push(frame);
  }
  /** Hand the written parts to a consumer and start over (keeps memory flat for large corpora). */
  drain(): Uint8Array[] {
    return this.parts.splice(0, this.parts.length);
  }
  bytes(): Uint8Array {
    const out = new Uint8Array(this.size);
    let o = 0;
    for (const p of this.parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }
}

/**
 * Write one TCP connection carrying `aToB` (A → B bytes) with SYN/SYN-ACK/ACK, the data segmented per
 * `seg`, ACKs from B, and FIN at the end. Returns the timestamp after the last packet.
 */
export function writeConnection(
  w: PcapWriter,
  c: ConnSpec,
  aToB: Uint8Array,
  bToA: Uint8Array,
  startUsec: number,
  seg: { mss: number; retransmitEvery?: number; swapEvery?: number },
): number {
  let t = startUsec;
  const SYN = 0x02;
  const ACK = 0x10;
  const PSH = 0x08;
  const FIN = 0x01;
  w.packet(t++, tcpFrame(c.a, c.b, c.isnA, 0, SYN, new Uint8Array(0)));
  w.packet(t++, tcpFrame(c.b, c.a, c.isnB, c.isnA + 1, SYN | ACK, new Uint8Array(0)));
  w.packet(t++, tcpFrame(c.a, c.b, c.isnA + 1, c.isnB + 1, ACK, new Uint8Array(0)));
  const sa = segmentStream(aToB, seg);
  const sb = segmentStream(bToA, seg);
  const n = Math.max(sa.length, sb.length);
  for (let i = 0; i < n; i++) {
    const x = sa[i];
    if (x) w.packet(t++, tcpFrame(c.a, c.b, (c.isnA + 1 + x.offset) >>> 0, (c.isnB + 1) >>> 0, ACK | PSH, x.bytes));
    const y = sb[i];
    if (y) w.packet(t++, tcpFrame(c.b, c.a, (c.isnB + 1 + y.offset) >>> 0, (c.isnA + 1) >>> 0, ACK | PSH, y.bytes));
  }
  w.packet(t++, tcpFrame(c.a, c.b, (c.isnA + 1 + aToB.length) >>> 0, (c.isnB + 1 + bToA.length) >>> 0, FIN | ACK, new Uint8Array(0)));
  return t;
}
