// Benchmark corpus generators: deterministic synthetic captures (no root needed, seeded PRNG), written as
// classic pcap with a streaming writer so memory stays flat whatever the size.
//
//   node bench/out/js/gen.js PROFILE OUT.pcap [SCALE]          SCALE multiplies the prefix counts (default 1)
//
// Every profile is a set of concurrent BGP sessions (their packets interleaved in time, as a capture point in
// front of a router or route server sees them). Each session: TCP handshake, OPEN + KEEPALIVE both ways
// (4-octet AS, IPv4 and IPv6 unicast), then the sender's table as UPDATEs, End-of-RIB per family, FIN. The
// UPDATE stream is cut at MSS 1448 (Ethernet MTU 1500 minus IPv4 and a TCP header with the timestamp option),
// so most messages span two segments; every 997th segment is retransmitted and every 1009th swapped with
// the next one; the receiver ACKs every second segment and sends a KEEPALIVE now and then.
//
// Route mix (per UPDATE): AS path of 1-10 ASNs starting with the peer's AS, then transit ASNs (60 of them, the
// first few far more often, as tier-1 networks are) and stub ASNs (75,000, 30 % of them 4-octet); 20 % with a
// prepend of the first AS; 0-5 standard communities, extended communities (route targets) on 20 %,
// a large community on 30 %, MED on half; ORIGIN IGP mostly. IPv4 prefixes /8-/24 (60 % /24), IPv6 /19-/48
// (55 % /48), each distinct within its length. IPv6 reach through MP_REACH_NLRI with a global next hop, plus
// a link-local one on every other session (RFC 2545).
//
// Profiles:
//   bird    full tables (1,000,000 IPv4 + 200,000 IPv6 prefixes) over 4 sessions, one prefix per UPDATE, as
//           BIRD sends a full table
//   packed  the same tables packed 1-12 prefixes per UPDATE (average about 3.5), as routers that group
//           prefixes with equal attributes send them
//   rs      a route server's view: 300 sessions (a third of them over IPv6 transport) of very different sizes
//           (a few near-full tables, many small ones), 1,000,000 prefixes in all, 1-4 per UPDATE
import { createWriteStream, type WriteStream } from 'node:fs';
import { masked, open, keepalive, rng, update, v4, v6, type Prefix, type UpdateSpec } from './lib/synth.js';

export interface Profile {
  name: string;
  description: string;
  sessions: number;
  /** Prefixes in the whole capture at scale 1. */
  v4Prefixes: number;
  v6Prefixes: number;
  /** Prefixes per UPDATE: [min, max] (drawn with a bias towards small values when max > 1). */
  perUpdate: [number, number];
  /** Session sizes: 'even' (equal shares) or 'skewed' (route-server peers: a few large, many small). */
  sizes: 'even' | 'skewed';
  /** Share of sessions carried over IPv6 transport. */
  v6Transport: number;
}

export const PROFILES: Record<string, Profile> = {
  bird: {
    name: 'bird',
    description: 'full tables, 4 sessions, 1 prefix per UPDATE',
    sessions: 4,
    v4Prefixes: 1_000_000,
    v6Prefixes: 200_000,
    perUpdate: [1, 1],
    sizes: 'even',
    v6Transport: 0,
  },
  packed: {
    name: 'packed',
    description: 'full tables, 4 sessions, 1-12 prefixes per UPDATE',
    sessions: 4,
    v4Prefixes: 1_000_000,
    v6Prefixes: 200_000,
    perUpdate: [1, 12],
    sizes: 'even',
    v6Transport: 0,
  },
  rs: {
    name: 'rs',
    description: 'route server, 300 sessions of skewed sizes, 1-4 prefixes per UPDATE',
    sessions: 300,
    v4Prefixes: 850_000,
    v6Prefixes: 150_000,
    perUpdate: [1, 4],
    sizes: 'skewed',
    v6Transport: 1 / 3,
  },
};

/** Bump when the generator's output changes, so cached corpora (bench/out/) are made again. */
export const GENERATOR_VERSION = 3;

/** File name of a cached corpus: profile, scale and a hash of the profile and generator version. */
export function corpusName(p: Profile, scale: number): string {
  let h = 2166136261;
  for (const c of JSON.stringify([p, GENERATOR_VERSION])) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return `${p.name}-${scale}-${(h >>> 0).toString(16).padStart(8, '0')}.pcap`;
}

/** What a corpus holds, for checking a decoder's counts against it. */
export interface CorpusInfo {
  profile: string;
  scale: number;
  sessions: number;
  frames: number;
  bytes: number;
  /** BGP messages by type name. */
  messages: Record<string, number>;
  v4Prefixes: number;
  v6Prefixes: number;
}

// ------------------------------------------------------------------------------------------------ prefixes

/**
 * The k-th distinct prefix of a length: an odd multiplier is a bijection of the 2^bits values a length can
 * take, so prefixes of one length never repeat (until the space is exhausted) and still look scattered.
 */
function spread(k: number, bits: number): number {
  const m = 2 ** bits;
  return Number((BigInt(k) * 2654435761n + 12345n) % BigInt(m));
}

const V4_LENGTHS: [number, number][] = [[24, 0.6], [23, 0.08], [22, 0.1], [21, 0.05], [20, 0.05], [19, 0.04], [18, 0.03], [17, 0.02], [16, 0.025], [12, 0.003], [8, 0.002]];
const V6_LENGTHS: [number, number][] = [[48, 0.55], [44, 0.06], [40, 0.06], [36, 0.04], [32, 0.2], [29, 0.05], [28, 0.02], [24, 0.01], [19, 0.01]];

function lengthPicker(table: [number, number][]): (x: number) => number {
  const total = table.reduce((s, [, w]) => s + w, 0);
  return (x) => {
    let acc = 0;
    for (const [len, w] of table) {
      acc += w / total;
      if (x < acc) return len;
    }
    return table[0]![0];
  };
}

class PrefixSource {
  private readonly used = new Map<number, number>();
  private readonly pick4 = lengthPicker(V4_LENGTHS);
  private readonly pick6 = lengthPicker(V6_LENGTHS);

  v4(x: number): Prefix {
    const len = this.pick4(x);
    const addr32 = spread(this.next(len), len) * 2 ** (32 - len);
    const a = [(addr32 >>> 24) & 255, (addr32 >>> 16) & 255, (addr32 >>> 8) & 255, addr32 & 255];
    a[0] = 1 + (a[0]! % 223); // unicast space 1..223
    return masked({ addr: a, len });
  }

  v6(x: number): Prefix {
    const len = this.pick6(x);
    const k = this.next(1000 + len);
    // 2000::/4 global unicast; the bits after the first 16 scattered.
    const hi = spread(k, Math.min(len - 16, 32));
    const bits = Math.min(len - 16, 32);
    const v = hi * 2 ** (32 - bits);
    const addr = [0x20, 0x01 + (k % 14), (v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    return masked({ addr, len });
  }

  private next(key: number): number {
    const k = this.used.get(key) ?? 0;
    this.used.set(key, k + 1);
    return k;
  }
}

// ------------------------------------------------------------------------------------------------ frames

const MSS = 1448;
const ETH_IPV4 = 0x0800;
const ETH_IPV6 = 0x86dd;
const SYN = 0x02;
const ACK = 0x10;
const PSH = 0x08;
const FIN = 0x01;

interface End {
  ip: number[];
  port: number;
  mac: number[];
}

/**
 * Ethernet + IPv4/IPv6 + TCP with the timestamp option (NOP NOP TS, RFC 7323), payload copied in. Checksums
 * are left zero (capture readers do not verify them, tshark only when asked).
 */
function frame(src: End, dst: End, seq: number, ack: number, flags: number, tsval: number, payload: Uint8Array, p0 = 0, p1 = payload.length): Uint8Array {
  const v6t = src.ip.length === 16;
  const ipLen = v6t ? 40 : 20;
  const n = p1 - p0;
  const f = new Uint8Array(14 + ipLen + 32 + n);
  f.set(dst.mac, 0);
  f.set(src.mac, 6);
  const dv = new DataView(f.buffer);
  dv.setUint16(12, v6t ? ETH_IPV6 : ETH_IPV4);
  let o = 14;
  if (v6t) {
    f[o] = 0x60;
    dv.setUint16(o + 4, 32 + n);
    f[o + 6] = 6;
    f[o + 7] = 64;
    f.set(src.ip, o + 8);
    f.set(dst.ip, o + 24);
  } else {
    f[o] = 0x45;
    dv.setUint16(o + 2, 20 + 32 + n);
    dv.setUint16(o + 6, 0x4000);
    f[o + 8] = 64;
    f[o + 9] = 6;
    f.set(src.ip, o + 12);
    f.set(dst.ip, o + 16);
  }
  o += ipLen;
  dv.setUint16(o, src.port);
  dv.setUint16(o + 2, dst.port);
  dv.setUint32(o + 4, seq >>> 0);
  dv.setUint32(o + 8, ack >>> 0);
  f[o + 12] = 8 << 4; // data offset: 32 bytes
  f[o + 13] = flags;
  dv.setUint16(o + 14, 502);
  f[o + 20] = 1;
  f[o + 21] = 1;
  f[o + 22] = 8;
  f[o + 23] = 10;
  dv.setUint32(o + 24, tsval >>> 0);
  dv.setUint32(o + 28, (tsval - 3) >>> 0);
  f.set(payload.subarray(p0, p1), o + 32);
  return f;
}

/** A pcap file written as it is generated, in large writes. */
class StreamingPcap {
  private buf = Buffer.allocUnsafe(4 << 20);
  private len = 0;
  frames = 0;
  bytes = 0;

  constructor(private readonly out: WriteStream) {
    const h = Buffer.alloc(24);
    h.writeUInt32LE(0xa1b2c3d4, 0);
    h.writeUInt16LE(2, 4);
    h.writeUInt16LE(4, 6);
    h.writeUInt32LE(262144, 16);
    h.writeUInt32LE(1, 20); // LINKTYPE_ETHERNET
    this.put(h);
  }

  packet(tsUsec: number, f: Uint8Array): Promise<void> | null {
    const h = this.head;
    h.writeUInt32LE(Math.floor(tsUsec / 1e6), 0);
    h.writeUInt32LE(tsUsec % 1e6, 4);
    h.writeUInt32LE(f.length, 8);
    h.writeUInt32LE(f.length, 12);
    this.put(h);
    this.put(f);
    this.frames++;
    return this.len > this.buf.length - 70000 ? this.flush() : null;
  }

  private readonly head = Buffer.alloc(16);

  private put(b: Uint8Array): void {
    this.buf.set(b, this.len);
    this.len += b.length;
    this.bytes += b.length;
  }

  async flush(): Promise<void> {
    if (this.len === 0) return;
    const chunk = Buffer.from(this.buf.subarray(0, this.len));
    this.len = 0;
    if (!this.out.write(chunk)) await new Promise<void>((res) => this.out.once('drain', () => res()));
  }

  async end(): Promise<void> {
    await this.flush();
    await new Promise<void>((res, rej) => this.out.end((e?: Error | null) => (e ? rej(e) : res())));
  }
}

// ------------------------------------------------------------------------------------------------ sessions

interface Packet {
  from: 'a' | 'b';
  flags: number;
  /** Stream offset of the payload (relative to ISN + 1). */
  off: number;
  data: Uint8Array;
}

/**
 * One BGP session, A (the sender of the table) → B, produced packet by packet on demand, so hundreds of
 * sessions can be interleaved without holding their streams in memory.
 */
class Session {
  private phase = 0;
  private readonly queue: Packet[] = [];
  /** A's stream bytes not yet cut into segments. */
  private pend: Uint8Array[] = [];
  private pendLen = 0;
  private offA = 0;
  private offB = 0;
  private segNo = 0;
  private held: Packet | null = null;
  private v4Left: number;
  private v6Left: number;
  done = false;
  readonly counts: Record<string, number> = { OPEN: 0, UPDATE: 0, KEEPALIVE: 0 };
  v4Sent = 0;
  v6Sent = 0;

  constructor(
    private readonly id: number,
    private readonly a: End,
    private readonly b: End,
    private readonly asnA: number,
    private readonly isnA: number,
    private readonly isnB: number,
    v4Count: number,
    v6Count: number,
    private readonly p: Profile,
    private readonly r: () => number,
    private readonly prefixes: PrefixSource,
    private readonly linkLocal: boolean,
  ) {
    this.v4Left = v4Count;
    this.v6Left = v6Count;
  }

  /** The next packet of this session, or null once it is finished. */
  next(): Packet | null {
    while (this.queue.length === 0) {
      if (!this.advance()) {
        this.done = true;
        return null;
      }
    }
    return this.queue.shift()!;
  }

  private int(n: number): number {
    return Math.floor(this.r() * n);
  }

  private emitA(msgs: Uint8Array[]): void {
    for (const m of msgs) {
      this.pend.push(m);
      this.pendLen += m.length;
    }
  }

  private advance(): boolean {
    switch (this.phase) {
      case 0:
        this.queue.push({ from: 'a', flags: SYN, off: -1, data: EMPTY }, { from: 'b', flags: SYN | ACK, off: -1, data: EMPTY }, { from: 'a', flags: ACK, off: 0, data: EMPTY });
        this.phase = 1;
        return true;
      case 1: {
        // OPENs both ways, then KEEPALIVEs (RFC 4271 §8: OpenConfirm), before any UPDATE.
        const oa = open({ asn: this.asnA, bgpId: `10.${this.id >> 8}.${this.id & 255}.1`, families: [[1, 1], [2, 1]] });
        const ob = open({ asn: 47065, bgpId: '10.255.0.1', families: [[1, 1], [2, 1]] });
        this.queue.push(this.dataB(concat([ob, keepalive()])));
        this.queue.push(this.seg(concat([oa, keepalive()])));
        this.counts['OPEN']! += 2;
        this.counts['KEEPALIVE']! += 2;
        this.phase = 2;
        return true;
      }
      case 2: {
        // Fill at least one segment's worth of UPDATEs, cut whole segments.
        while (this.pendLen < MSS && (this.v4Left > 0 || this.v6Left > 0)) this.emitA([this.nextUpdate()]);
        if (this.v4Left === 0 && this.v6Left === 0) {
          // End-of-RIB (RFC 4724 §2): empty UPDATE for IPv4, empty MP_UNREACH_NLRI for IPv6.
          this.emitA([update({}), eorV6()]);
          this.counts['UPDATE']! += 2;
          this.phase = 3;
        }
        this.cut(this.phase === 3);
        return true;
      }
      case 3:
        if (this.held !== null) {
          this.queue.push(this.held);
          this.held = null;
          return true;
        }
        this.queue.push({ from: 'a', flags: FIN | ACK, off: this.offA, data: EMPTY }, { from: 'b', flags: FIN | ACK, off: this.offB, data: EMPTY });
        this.phase = 4;
        return true;
      default:
        return false;
    }
  }

  /** Cut the pending bytes into MSS segments (all of them when `all`), with retransmissions and swaps. */
  private cut(all: boolean): void {
    if (this.pendLen === 0) return;
    const data = concat(this.pend);
    let p = 0;
    while (data.length - p >= MSS || (all && p < data.length)) {
      const n = Math.min(MSS, data.length - p);
      const s = this.seg(data.subarray(p, p + n));
      p += n;
      this.segNo++;
      if (this.held !== null) {
        // The swapped pair: this one first, then the one held back.
        this.queue.push(s, this.held);
        this.held = null;
      } else if (this.segNo % 1009 === 0) {
        this.held = s;
      } else {
        this.queue.push(s);
        if (this.segNo % 997 === 0) this.queue.push(s); // retransmission
      }
      // Delayed ACKs from B, and now and then a KEEPALIVE.
      if (this.segNo % 2 === 0) this.queue.push({ from: 'b', flags: ACK, off: this.offB, data: EMPTY });
      if (this.segNo % 4000 === 0) {
        this.queue.push(this.dataB(keepalive()));
        this.counts['KEEPALIVE']!++;
      }
    }
    this.pend = p < data.length ? [data.slice(p)] : [];
    this.pendLen = data.length - p;
  }

  private seg(bytes: Uint8Array): Packet {
    const pk: Packet = { from: 'a', flags: ACK | PSH, off: this.offA, data: bytes };
    this.offA += bytes.length;
    return pk;
  }

  private dataB(bytes: Uint8Array): Packet {
    const pk: Packet = { from: 'b', flags: ACK | PSH, off: this.offB, data: bytes };
    this.offB += bytes.length;
    return pk;
  }

  private nextUpdate(): Uint8Array {
    const [lo, hi] = this.p.perUpdate;
    // Small counts are likelier: min + floor(range * u^2).
    const u = this.r();
    const isV6 = this.v4Left === 0 || (this.v6Left > 0 && this.r() < this.v6Left / (this.v4Left + this.v6Left));
    let n = lo + Math.floor((hi - lo + 1) * u * u);
    n = Math.min(n, isV6 ? this.v6Left : this.v4Left);
    const pfx: Prefix[] = [];
    for (let i = 0; i < n; i++) pfx.push(isV6 ? this.prefixes.v6(this.r()) : this.prefixes.v4(this.r()));
    if (isV6) {
      this.v6Left -= n;
      this.v6Sent += n;
    } else {
      this.v4Left -= n;
      this.v4Sent += n;
    }
    const pathLen = 1 + this.int(10);
    const path: number[] = [this.asnA];
    for (let k = 1; k < pathLen; k++) {
      // Towards the origin: transit networks first, stub networks at the end.
      const u = this.r();
      path.push(k < pathLen - 2 || pathLen <= 2 ? TRANSIT[Math.floor(TRANSIT.length * u * u)]! : STUB[this.int(STUB.length)]!);
    }
    if (this.r() < 0.2) path.splice(1, 0, this.asnA, this.asnA); // prepends
    const spec: UpdateSpec = {
      origin: this.r() < 0.9 ? 0 : 2,
      asPath: path,
      communities: Array.from({ length: this.int(6) }, () => [this.asnA & 0xffff, this.int(65536)] as [number, number]),
      largeCommunities: this.r() < 0.3 ? [[this.asnA, this.int(100), this.int(100)]] : [],
      nextHop: this.a.ip.length === 4 ? this.a.ip : [10, this.id >> 8, this.id & 255, 1],
      v6NextHop: v6(`2001:db8:${this.id.toString(16)}::1`),
    };
    if (this.linkLocal) spec.v6NextHopLl = v6(`fe80::${this.id.toString(16)}:1`);
    if (this.r() < 0.5) spec.med = this.int(1000);
    if (this.r() < 0.2) spec.extraAttributes = [EXT_COMMUNITIES[this.int(EXT_COMMUNITIES.length)]!];
    if (isV6) spec.v6Nlri = pfx;
    else spec.nlri = pfx;
    this.counts['UPDATE']!++;
    return update(spec);
  }

  /** Frame bytes of a packet of this session. */
  frameOf(pk: Packet, t: number): Uint8Array {
    const fromA = pk.from === 'a';
    const src = fromA ? this.a : this.b;
    const dst = fromA ? this.b : this.a;
    const isn = fromA ? this.isnA : this.isnB;
    const peerIsn = fromA ? this.isnB : this.isnA;
    const seq = pk.off < 0 ? isn : isn + 1 + pk.off;
    const ack = pk.flags === SYN ? 0 : peerIsn + 1 + (fromA ? this.offB : this.offA);
    return frame(src, dst, seq, ack, pk.flags, Math.floor(t / 1000), pk.data);
  }
}

const EMPTY = new Uint8Array(0);

/** Transit ASNs (a few tier-1 networks and many regional ones; drawn with a bias towards the first). */
const TRANSIT: number[] = [3356, 174, 1299, 2914, 6762, 6939, 3257, 6453, 3491, 1273, 5511, 6461, 7018, 701, 12956, 6830, 4637, 9002, 20485, 31133];
for (let i = 0; TRANSIT.length < 60; i++) TRANSIT.push(i % 4 === 0 ? 4_200_000_000 + 7 * i : 8000 + 37 * i);
/** Stub ASNs: 75,000, 30 % 4-octet (RFC 6793), deterministic. */
const STUB: number[] = Array.from({ length: 75_000 }, (_, i) => (i % 10 < 3 ? 196_608 + 13 * i : 10_000 + ((i * 7919) % 55_000)));

/** RFC 4360 route targets (type 0x00 subtype 0x02, 2-octet AS), optional transitive attribute 16. */
const EXT_COMMUNITIES: Uint8Array[] = Array.from({ length: 16 }, (_, i) => {
  const n = 1 + (i % 3);
  const v = new Uint8Array(3 + 8 * n);
  v[0] = 0xc0;
  v[1] = 16;
  v[2] = 8 * n;
  for (let k = 0; k < n; k++) {
    const o = 3 + 8 * k;
    v[o] = 0x00;
    v[o + 1] = 0x02;
    v[o + 2] = 0xfd;
    v[o + 3] = 0xe8 + k;
    v[o + 7] = i * 7 + k;
  }
  return v;
});

/** IPv6 End-of-RIB: an UPDATE whose only attribute is an empty MP_UNREACH_NLRI for 2/1 (RFC 4724 §2). */
function eorV6(): Uint8Array {
  const body = [0, 0, 0, 6, 0x80, 15, 3, 0, 2, 1];
  const m = new Uint8Array(19 + body.length);
  m.fill(0xff, 0, 16);
  m[16] = 0;
  m[17] = m.length;
  m[18] = 2;
  m.set(body, 19);
  return m;
}

function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Session sizes summing to `total`: equal shares, or a route server's skew (share ∝ 1/rank^1.1, rank 1..n). */
function shares(total: number, n: number, kind: Profile['sizes']): number[] {
  const w = Array.from({ length: n }, (_, i) => (kind === 'even' ? 1 : 1 / (i + 1) ** 1.1));
  const sum = w.reduce((s, x) => s + x, 0);
  const out = w.map((x) => Math.floor((total * x) / sum));
  let left = total - out.reduce((s, x) => s + x, 0);
  for (let i = 0; left > 0; i = (i + 1) % n, left--) out[i]!++;
  return out;
}

/** Write the corpus of `p` at `scale` to `file`; resolves with what it holds. */
export async function generate(p: Profile, file: string, scale = 1, seed = 1): Promise<CorpusInfo> {
  const r = rng(seed);
  const prefixes = new PrefixSource();
  const out = new StreamingPcap(createWriteStream(file));
  const n4 = shares(Math.round(p.v4Prefixes * scale), p.sessions, p.sizes);
  const n6 = shares(Math.round(p.v6Prefixes * scale), p.sessions, p.sizes);
  const sessions: Session[] = [];
  for (let s = 0; s < p.sessions; s++) {
    const v6t = s < Math.round(p.sessions * p.v6Transport);
    const hi = s >> 8;
    const lo = s & 255;
    const a: End = {
      ip: v6t ? v6(`2001:7f8::${(s + 1).toString(16)}`) : [10, hi, lo, 1],
      port: 179,
      mac: [2, 0, 0, 0, hi, lo],
    };
    const b: End = {
      ip: v6t ? v6('2001:7f8::ffff') : v4('10.255.0.1'),
      port: 40000 + s,
      mac: [2, 0, 0, 0, 255, 1],
    };
    const asn = s % 3 === 0 ? 4_200_000_000 + s : 64500 + s;
    sessions.push(new Session(s, a, b, asn, Math.floor(r() * 2 ** 32), Math.floor(r() * 2 ** 32), n4[s]!, n6[s]!, p, r, prefixes, s % 2 === 1));
  }
  // Interleave: each round every live session sends a few packets (1-3), as concurrent senders do.
  let t = 1_700_000_000_000_000;
  let live = sessions.slice();
  while (live.length > 0) {
    for (const s of live) {
      const k = 1 + Math.floor(r() * 3);
      for (let i = 0; i < k; i++) {
        const pk = s.next();
        if (pk === null) break;
        t += 7;
        const w = out.packet(t, s.frameOf(pk, t));
        if (w !== null) await w;
      }
    }
    live = live.filter((s) => !s.done);
  }
  await out.end();
  const messages: Record<string, number> = { OPEN: 0, UPDATE: 0, KEEPALIVE: 0 };
  let v4n = 0;
  let v6n = 0;
  for (const s of sessions) {
    for (const [k, v] of Object.entries(s.counts)) messages[k] = (messages[k] ?? 0) + v;
    v4n += s.v4Sent;
    v6n += s.v6Sent;
  }
  return { profile: p.name, scale, sessions: p.sessions, frames: out.frames, bytes: out.bytes, messages, v4Prefixes: v4n, v6Prefixes: v6n };
}

if (process.argv[1]?.endsWith('gen.js')) {
  const [name, file, scale] = process.argv.slice(2);
  const p = name ? PROFILES[name] : undefined;
  if (!p || !file) {
    process.stderr.write(`usage: gen.js ${Object.keys(PROFILES).join('|')} OUT.pcap [SCALE]\n`);
    process.exit(2);
  }
  const info = await generate(p, file, Number(scale ?? 1));
  process.stdout.write(`${JSON.stringify(info)}\n`);
}
