// Test helpers: hand-built BGP messages, Segment builders and a consumer that records everything.

import type { Segment, Timestamp } from '../../src/types.js';
import type { Connection, HalfFlow, StreamConsumer, StreamEvent } from '../../src/tcp/stream.js';
import { TcpReassembler, type ReassemblyOptions } from '../../src/tcp/reassembler.js';

export const FIN = 0x01;
export const SYN = 0x02;
export const RST = 0x04;
export const PSH = 0x08;
export const ACK = 0x10;

/** RFC 4271 §4.4: a KEEPALIVE is the bare 19-byte header: 16 x ff, length 0x0013, type 4. */
export const KEEPALIVE = Uint8Array.from([...Array<number>(16).fill(0xff), 0x00, 0x13, 0x04]);

/**
 * A message with a valid header, `len` bytes long, of the given type; the body is a pattern of bytes in
 * 0..250 (never 0xff, so it cannot look like a marker) that depends on `seed`.
 */
export function bgpMessage(type: number, len: number, seed = 0): Uint8Array {
  const m = new Uint8Array(len);
  m.fill(0xff, 0, 16);
  m[16] = len >> 8;
  m[17] = len & 0xff;
  m[18] = type;
  for (let i = 19; i < len; i++) m[i] = (i * 7 + seed * 13) % 251;
  return m;
}

export function concat(parts: Uint8Array[]): Uint8Array {
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

export interface SegOpts {
  frameNo: number;
  seq: number;
  ack?: number;
  flags?: number;
  payload?: Uint8Array;
  missing?: number;
  /** Direction: 'a' = 10.0.0.1:50000 → 10.0.0.2:179 (default), 'b' = the reverse. */
  dir?: 'a' | 'b';
  srcPort?: number;
  iface?: string | null;
}

export function seg(o: SegOpts): Segment {
  const a = (o.dir ?? 'a') === 'a';
  const cport = o.srcPort ?? 50000;
  return {
    frameNo: o.frameNo,
    ts: { sec: 1000 + o.frameNo, nsec: 0 },
    iface: o.iface ?? null,
    ipVersion: 4,
    srcIp: a ? '10.0.0.1' : '10.0.0.2',
    dstIp: a ? '10.0.0.2' : '10.0.0.1',
    srcPort: a ? cport : 179,
    dstPort: a ? 179 : cport,
    seq: o.seq >>> 0,
    ack: (o.ack ?? 0) >>> 0,
    flags: o.flags ?? (ACK | PSH),
    payload: o.payload ?? new Uint8Array(0),
    missing: o.missing ?? 0,
    srcMac: null,
    dstMac: null,
  };
}

export interface RecMessage {
  conn: number;
  dir: string; // "10.0.0.1:50000"
  bytes: Uint8Array;
  frameNo: number;
  ts: Timestamp;
}
export interface RecEvent extends StreamEvent {
  conn: number;
  dir: string;
  frameNo: number;
}

export class Recorder implements StreamConsumer {
  messages: RecMessage[] = [];
  events: RecEvent[] = [];
  closedIds: number[] = [];
  /** Everything in arrival order, for ordering assertions. */
  log: string[] = [];
  onMessage: ((h: HalfFlow, bytes: Uint8Array) => void) | null = null;
  message(h: HalfFlow, bytes: Uint8Array, ts: Timestamp, frameNo: number): void {
    const dir = `${h.srcIp}:${h.srcPort}`;
    this.messages.push({ conn: h.conn.id, dir, bytes, frameNo, ts });
    this.log.push(`msg ${h.conn.id} ${dir} len=${bytes.length} type=${bytes[18]} frame=${frameNo}`);
    this.onMessage?.(h, bytes);
  }
  event(h: HalfFlow, ev: StreamEvent, _ts: Timestamp, frameNo: number): void {
    const dir = `${h.srcIp}:${h.srcPort}`;
    this.events.push({ ...ev, conn: h.conn.id, dir, frameNo });
    this.log.push(`ev ${h.conn.id} ${dir} ${ev.code} ${ev.bytesSkipped} frame=${frameNo}`);
  }
  closed(c: Connection): void {
    this.closedIds.push(c.id);
    this.log.push(`closed ${c.id}`);
  }
  /** Message bytes (hex) of one direction. */
  hexes(dir?: string): string[] {
    return this.messages.filter((m) => dir === undefined || m.dir === dir).map((m) => hex(m.bytes));
  }
}

export function hex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.length).toString('hex');
}

/** Push a segment whose payload lives in a scratch buffer that is overwritten right after the call. */
export function pushScratch(push: (s: Segment) => void, s: Segment): void {
  const scratch = new Uint8Array(s.payload.length + 8);
  scratch.set(s.payload, 4);
  push({ ...s, payload: scratch.subarray(4, 4 + s.payload.length) });
  scratch.fill(0xa5);
}

/** Deterministic PRNG (mulberry32). */
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

/** A reassembler wired to a Recorder; every payload goes through a scratch buffer wiped after the push. */
export function harness(opts: Partial<ReassemblyOptions> = {}): { r: TcpReassembler; rec: Recorder; push: (o: SegOpts) => void } {
  const rec = new Recorder();
  const r = new TcpReassembler(rec, opts);
  return { r, rec, push: (o) => pushScratch((s) => r.push(s), seg(o)) };
}

export const A = '10.0.0.1:50000';
export const B = '10.0.0.2:179';
