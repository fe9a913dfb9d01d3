// Warm-up of the decoder process of `bgpcap live`: synthetic BGP traffic run through a throwaway pipeline and
// sink (output to /dev/null) right after start, so that the first full table is decoded by optimised code.
//
// Why: V8 starts every function in its interpreter and optimises it only once it has run for a while, on a
// background thread. A live capture typically idles on keepalives until a session comes up and a full table
// arrives at 100k–1M prefixes per second (BIRD over a PEERING tunnel). Fed the lab's full-table capture in
// 64 KiB chunks as the decoder reads its pipe, the first 40 chunks (~120k prefixes) took 155–554 ms cold,
// 74–116 ms after this warm-up, against ~35 ms for 40 chunks once warm; in the lab (bench/live.ts, 200k
// routes/s) the cold start was most of what was left of the delay: p99 65–115 ms, all of it in the table's
// first 0.3 s, and 6–15 ms with the warm-up. It costs ~0.35 s of CPU once, right after start (generating the
// traffic included), in slices that let real packets through.
//
// The traffic: eight TCP sessions on Ethernet, half over IPv4 (RFC 5737 documentation addresses), half over
// IPv6 (RFC 3849), each with its own addresses, MSS and prefix range, their frames interleaved as on a tap that
// carries several sessions. Half are seen from their start: the three-way handshake, OPENs with the
// capabilities a PEERING mux and BIRD exchange (multiprotocol IPv4 and IPv6 unicast, RFC 4760; 4-octet AS
// numbers, RFC 6793; route refresh, RFC 2918) and KEEPALIVEs, so UPDATEs are decoded lazily. Half are seen
// from the middle, as when `bgpcap live` starts on a tunnel whose sessions are up: no OPEN, so every UPDATE is
// decoded whole and the AS number width inferred. Then UPDATEs (RFC 4271 §4.3) as a full table carries them:
// 1–8 IPv4 prefixes per UPDATE with ORIGIN, a 4-octet AS_PATH of 2–6 hops, NEXT_HOP, LOCAL_PREF, MED on some,
// COMMUNITIES (RFC 1997) and LARGE_COMMUNITIES (RFC 8092) on some, every eighth an IPv6 MP_REACH_NLRI (global,
// or global and link-local next hop, RFC 2545), every sixteenth with withdrawals; then an End-of-RIB for each
// family (RFC 4724). The byte stream is cut into segments regardless of message boundaries, as TCP does; the
// other side acknowledges. Frames go through the same wire format (live-wire.ts) as real ones, on two interface
// names, one labelled with a mux and one not, so records have the shapes of both kinds of capture. The variety
// is the point: a path the warm-up never took (an address not in a cache yet, an IPv6 next hop, a session
// without OPENs) makes V8 throw optimised code away when real traffic takes it first — with one IPv4 session
// seen from its start, the lab's table still met a decoder several times slower than warm for its first
// ~100 ms.
//
// Nothing of it reaches stdout, Kafka, the counts or --stats: the pipeline, sink and wire reader are separate
// instances. Shared module state in the decoder is either a value cache (same answer for any input) or scratch
// space used within one synchronous call, and slices run between, never inside, real frames.

import type { Frame } from '../types.js';
import { WireBatch, WireReader } from './live-wire.js';

const CHUNK = 65536;
const LINKTYPE_ETHERNET = 1;
const LOCAL_AS = 64500; // RFC 5398 documentation ASNs
const PEER_AS = 64501;
/** Sessions, interleaved frame by frame: even ones over IPv4, odd ones over IPv6; each with its own MSS. */
const SESSIONS = 8;
const ALL_SESSIONS = Array.from({ length: SESSIONS }, (_, k) => k);
const MSS = [1448, 1428, 1400, 1380, 1220, 1448, 536, 1448];

/** What the synthetic traffic holds (its own accounting, for tests). */
export interface WarmupTraffic {
  /** The frames in the wire format of live-wire.ts, link type Ethernet; interface id 0 or 1 (see runWarmup). */
  wire: Buffer;
  frames: number;
  /** BGP messages by type name. */
  messages: Record<string, number>;
  /** Prefixes announced (IPv4 and IPv6) and withdrawn. */
  announced: number;
  withdrawn: number;
}

/** Deterministic xorshift32: the same traffic every time. */
function rng(seed: number): (n: number) => number {
  let s = seed >>> 0 || 1;
  return (n) => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s % n;
  };
}

class Bytes {
  buf = Buffer.allocUnsafe(1 << 16);
  len = 0;
  need(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const b = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + n));
    this.buf.copy(b, 0, 0, this.len);
    this.buf = b;
  }
  u8(v: number): this {
    this.need(1);
    this.buf[this.len++] = v & 0xff;
    return this;
  }
  u16(v: number): this {
    this.need(2);
    this.buf.writeUInt16BE(v & 0xffff, this.len);
    this.len += 2;
    return this;
  }
  u32(v: number): this {
    this.need(4);
    this.buf.writeUInt32BE(v >>> 0, this.len);
    this.len += 4;
    return this;
  }
  bytes(b: ArrayLike<number>): this {
    this.need(b.length);
    for (let i = 0; i < b.length; i++) this.buf[this.len++] = b[i]!;
    return this;
  }
  patch16(at: number, v: number): void {
    this.buf.writeUInt16BE(v, at);
  }
  take(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.len));
  }
}

/** One BGP message (RFC 4271 §4.1): marker, length, type, body written by `body`. */
function message(out: Bytes, type: number, body: (b: Bytes) => void): void {
  const start = out.len;
  for (let i = 0; i < 16; i++) out.u8(0xff);
  out.u16(0).u8(type);
  body(out);
  out.patch16(start + 16, out.len - start);
}

function open(out: Bytes, as: number, id: number[]): void {
  message(out, 1, (b) => {
    b.u8(4).u16(as).u16(9).bytes(id);
    // One optional parameter of type 2 (capabilities, RFC 5492) holding 20 octets of capabilities.
    b.u8(22).u8(2).u8(20);
    b.bytes([1, 4, 0, 1, 0, 1]); // MP IPv4 unicast
    b.bytes([1, 4, 0, 2, 0, 1]); // MP IPv6 unicast
    b.bytes([2, 0]); // route refresh
    b.u8(65).u8(4).u32(as); // 4-octet AS
  });
}

/** A path attribute (RFC 4271 §4.3) with a one-octet length: every value here is shorter than 256 octets. */
function attr(b: Bytes, flags: number, code: number, value: (v: Bytes) => void): void {
  b.u8(flags).u8(code).u8(0);
  const at = b.len;
  value(b);
  b.buf[at - 1] = b.len - at;
}

/**
 * Sessions 0, 1, 4, 5 are captured from their start (SYN, OPENs: the decoder knows the session's parameters
 * and decodes UPDATEs lazily); 2, 3, 6, 7 from the middle (no SYN, no OPEN: it decodes every UPDATE whole and
 * infers the AS number width, as after `bgpcap live` was started on a tunnel whose sessions were up).
 */
function hasOpen(k: number): boolean {
  return k % 4 < 2;
}

interface Session {
  v6: boolean;
  speaker: number[];
  client: number[];
  port: number;
}

function session(k: number): Session {
  const v6 = k % 2 === 1;
  // RFC 5737 / RFC 3849 documentation addresses.
  const speaker = v6 ? [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2 * k + 1] : [192, 0, 2, 2 * k + 1];
  const client = v6 ? [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2 * k + 2] : [192, 0, 2, 2 * k + 2];
  return { v6, speaker, client, port: 50179 + k };
}

/** The BGP byte streams of a session's speaker and client, and what the speaker's stream holds. */
function streams(
  k: number,
  routes: number,
): { speaker: Buffer; client: Buffer; messages: Record<string, number>; announced: number; withdrawn: number } {
  const rnd = rng(0x6b67 + k);
  const id4 = [192, 0, 2, 2 * k + 1];
  const s = new Bytes();
  const c = new Bytes();
  const messages: Record<string, number> = { UPDATE: 0 };
  if (hasOpen(k)) {
    messages['OPEN'] = 2;
    messages['KEEPALIVE'] = 2;
    open(s, LOCAL_AS, id4);
    open(c, PEER_AS, [192, 0, 2, 2 * k + 2]);
    message(s, 4, () => {});
    message(c, 4, () => {});
  }
  let announced = 0;
  let withdrawn = 0;
  // Prefixes: IPv4 /24s and IPv6 /48s in a range of their own per session.
  let v4 = k << 16;
  let v6 = k << 12;
  for (let u = 0; announced < routes; u++) {
    const withdraw = u % 16 === 15 ? 1 + rnd(4) : 0;
    const six = u % 8 === 7;
    const n = six ? 1 + rnd(4) : 1 + rnd(8);
    message(s, 2, (b) => {
      const wStart = b.len;
      b.u16(0);
      for (let i = 0; i < withdraw; i++) {
        const x = Math.max(k << 16, v4 - 1 - rnd(64));
        b.bytes([24, 100 + (x >>> 16), (x >>> 8) & 255, x & 255]);
      }
      b.patch16(wStart, b.len - wStart - 2);
      const aStart = b.len;
      b.u16(0);
      attr(b, 0x40, 1, (v) => v.u8(rnd(3))); // ORIGIN
      const hops = 2 + rnd(5);
      attr(b, 0x40, 2, (v) => {
        v.u8(2).u8(hops); // AS_SEQUENCE, 4-octet (RFC 6793: both sides sent capability 65)
        v.u32(LOCAL_AS);
        for (let h = 1; h < hops; h++) v.u32(rnd(3) === 0 ? 64512 + rnd(1000) : 1 + rnd(400_000));
      });
      if (!six) attr(b, 0x40, 3, (v) => v.bytes(id4)); // NEXT_HOP
      if (rnd(4) === 0) attr(b, 0x80, 4, (v) => v.u32(rnd(1000))); // MED
      attr(b, 0x40, 5, (v) => v.u32(100 + rnd(3) * 50)); // LOCAL_PREF
      if (rnd(3) === 0) attr(b, 0xc0, 8, (v) => v.u16(LOCAL_AS).u16(rnd(1000)).u16(65000).u16(rnd(100)));
      if (rnd(5) === 0) attr(b, 0xc0, 32, (v) => v.u32(LOCAL_AS).u32(rnd(10)).u32(rnd(1000)));
      if (six) {
        attr(b, 0x80, 14, (v) => {
          // MP_REACH_NLRI (RFC 4760 §3): IPv6 unicast, a global next hop, or global + link-local (RFC 2545 §3).
          const ll = rnd(2) === 0;
          v.u16(2).u8(1).u8(ll ? 32 : 16).bytes([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2 * k + 1]);
          if (ll) v.bytes([0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2 * k + 1]);
          v.u8(0);
          for (let i = 0; i < n; i++, v6++) v.bytes([48, 0x20, 0x01, 0x0d, 0xb8, (v6 >>> 8) & 255, v6 & 255]);
        });
      }
      b.patch16(aStart, b.len - aStart - 2);
      if (!six) for (let i = 0; i < n; i++, v4++) b.bytes([24, 100 + (v4 >>> 16), (v4 >>> 8) & 255, v4 & 255]);
    });
    messages['UPDATE']!++;
    announced += n;
    withdrawn += withdraw;
  }
  // End-of-RIB for both families, as a speaker sends once its table is out (RFC 4724 §2): an empty UPDATE for
  // IPv4 unicast, an MP_UNREACH_NLRI without prefixes for IPv6 unicast. Each session of a capture ends its
  // table so, at a point where the decoder and the writers are optimised and have never taken that path:
  // V8 then threw their code away and compiled it again (`--trace-deopt`; ~4 % of a full table's run).
  message(s, 2, (b) => b.u16(0).u16(0));
  message(s, 2, (b) => {
    b.u16(0).u16(6);
    attr(b, 0x80, 15, (v) => v.u16(2).u8(1));
  });
  messages['UPDATE']! += 2;
  return { speaker: s.take(), client: c.take(), messages, announced, withdrawn };
}

const FIN = 0x01;
const SYN = 0x02;
const PSH = 0x08;
const ACK = 0x10;

/**
 * Ethernet II + IPv4 (RFC 791, with its header checksum) or IPv6 (RFC 8200) + TCP (RFC 9293; checksum left 0,
 * as with checksum offloading).
 */
function frame(ss: Session, k: number, fromSpeaker: boolean, seq: number, ack: number, flags: number, payload: Uint8Array): Buffer {
  const ip = ss.v6 ? 40 : 20;
  const f = Buffer.alloc(14 + ip + 20 + payload.length);
  const [src, dst] = fromSpeaker ? [ss.speaker, ss.client] : [ss.client, ss.speaker];
  f.set([0x02, 0, 0, 0, k, fromSpeaker ? 2 : 1, 0x02, 0, 0, 0, k, fromSpeaker ? 1 : 2], 0);
  if (ss.v6) {
    f.writeUInt16BE(0x86dd, 12);
    f[14] = 0x60;
    f.writeUInt16BE(20 + payload.length, 18);
    f[20] = 6;
    f[21] = 64;
    f.set(src, 22);
    f.set(dst, 38);
  } else {
    f.writeUInt16BE(0x0800, 12);
    f[14] = 0x45;
    f.writeUInt16BE(20 + 20 + payload.length, 16);
    f[20] = 0x40; // don't fragment
    f[22] = 64;
    f[23] = 6;
    f.set(src, 26);
    f.set(dst, 30);
    let sum = 0;
    for (let i = 14; i < 34; i += 2) sum += f.readUInt16BE(i);
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
    f.writeUInt16BE(~sum & 0xffff, 24);
  }
  const t = 14 + ip;
  f.writeUInt16BE(fromSpeaker ? 179 : ss.port, t);
  f.writeUInt16BE(fromSpeaker ? ss.port : 179, t + 2);
  f.writeUInt32BE(seq >>> 0, t + 4);
  f.writeUInt32BE(ack >>> 0, t + 8);
  f[t + 12] = 5 << 4;
  f[t + 13] = flags;
  f.writeUInt16BE(65535, t + 14);
  f.set(payload, t + 20);
  return f;
}

const NONE = new Uint8Array(0);

/** One session's frames: handshake and the client's OPEN (hasOpen), the speaker's stream in segments with ACKs, FINs. */
function sessionFrames(k: number, routes: number): { frames: Buffer[]; st: ReturnType<typeof streams> } {
  const ss = session(k);
  const st = streams(k, routes);
  const mss = MSS[k % MSS.length]!;
  const out: Buffer[] = [];
  let sSeq = 1_000_000 * (k + 1);
  let cSeq = 2_000_000_000 + 1_000_000 * k;
  if (hasOpen(k)) {
    out.push(frame(ss, k, false, cSeq, 0, SYN, NONE));
    out.push(frame(ss, k, true, sSeq, cSeq + 1, SYN | ACK, NONE));
    sSeq++;
    cSeq++;
    out.push(frame(ss, k, false, cSeq, sSeq, ACK, NONE));
    out.push(frame(ss, k, false, cSeq, sSeq, PSH | ACK, st.client));
    cSeq += st.client.length;
  }
  for (let off = 0, n = 0; off < st.speaker.length; off += mss, n++) {
    const seg = st.speaker.subarray(off, Math.min(off + mss, st.speaker.length));
    out.push(frame(ss, k, true, sSeq, cSeq, PSH | ACK, seg));
    sSeq += seg.length;
    if (n % 2 === 1) out.push(frame(ss, k, false, cSeq, sSeq, ACK, NONE));
  }
  out.push(frame(ss, k, true, sSeq, cSeq, FIN | ACK, NONE));
  out.push(frame(ss, k, false, cSeq, sSeq + 1, FIN | ACK, NONE));
  return { frames: out, st };
}

/**
 * SESSIONS synthetic sessions carrying at least `routes` announced prefixes in all, their frames interleaved,
 * in the wire format of live-wire.ts: interface id 0 for even sessions, 1 for odd ones.
 */
export function warmupTraffic(routes: number, sessions: readonly number[] = ALL_SESSIONS): WarmupTraffic {
  const per = Math.ceil(routes / sessions.length);
  const all = sessions.map((k) => sessionFrames(k, per));
  const messages: Record<string, number> = {};
  let announced = 0;
  let withdrawn = 0;
  let bytes = 0;
  for (const { frames, st } of all) {
    for (const [name, n] of Object.entries(st.messages)) messages[name] = (messages[name] ?? 0) + n;
    announced += st.announced;
    withdrawn += st.withdrawn;
    for (const f of frames) bytes += f.length + 20;
  }
  const batch = new WireBatch(bytes + 1024);
  const now = Math.floor(Date.now() / 1000);
  let frames = 0;
  for (let i = 0, left = true; left; i++) {
    left = false;
    for (let j = 0; j < all.length; j++) {
      const f = all[j]!.frames[i];
      if (f === undefined) continue;
      left = true;
      frames++;
      batch.packet(sessions[j]! % 2, now, (frames % 1_000_000) * 1000, f, f.length, f.length);
    }
  }
  const wire = batch.take() ?? Buffer.alloc(0);
  return { wire, frames, messages, announced, withdrawn };
}

/**
 * Feed the traffic, in chunks of the size a pipe read delivers, to `onFrame` (a frame object reused as the
 * decoder reuses its own; interface `ifaces[id]` for the wire record's interface id), yielding to the event
 * loop after each chunk so real packets are not held up; stops early when `stop()` says so.
 */
export async function runWarmup(t: WarmupTraffic, ifaces: [string | null, string | null], onFrame: (f: Frame) => void, stop: () => boolean): Promise<void> {
  const f: Frame = { frameNo: 0, ts: { sec: 0, nsec: 0 }, linkType: LINKTYPE_ETHERNET, data: new Uint8Array(0), origLen: 0, iface: ifaces[0] };
  const reader = new WireReader({
    packet(id, sec, nsec, data, origLen) {
      f.frameNo++;
      f.ts = { sec, nsec };
      f.data = data;
      f.origLen = origLen;
      f.iface = ifaces[id === 0 ? 0 : 1];
      onFrame(f);
    },
    control() {},
  });
  for (let off = 0; off < t.wire.length && !stop(); off += CHUNK) {
    reader.push(t.wire.subarray(off, off + CHUNK));
    await new Promise((r) => setImmediate(r));
  }
}
