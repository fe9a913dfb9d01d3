// Tiny capture writers for the source tests. They write exactly the fields the tests name, so the expected
// values in a test are the numbers it passed in, never something read back through the code under test.

import type { Frame } from '../../src/types.js';
import type { CaptureParser, FrameHandler } from '../../src/source/parser.js';

export interface PcapRecord {
  sec: number;
  /** Microseconds or nanoseconds, as the magic says. */
  frac: number;
  data: Uint8Array;
  /** Default data.length. */
  origLen?: number;
}

export interface PcapSpec {
  le: boolean;
  magic?: number; // default 0xa1b2c3d4
  major?: number;
  minor?: number;
  snaplen?: number;
  /** The whole 32-bit link type field (FCS bits included). */
  linkTypeField?: number;
  records: PcapRecord[];
}

/** Builds a pcap file; also returns the byte offset of every record header. */
export function buildPcap(spec: PcapSpec): { bytes: Uint8Array; recordOffsets: number[] } {
  const magic = spec.magic ?? 0xa1b2c3d4;
  const hdr = magic === 0xa1b2cd34 ? 24 : 16;
  let total = 24;
  for (const r of spec.records) total += hdr + r.data.length;
  const bytes = new Uint8Array(total);
  const dv = new DataView(bytes.buffer);
  const le = spec.le;
  dv.setUint32(0, magic, le);
  dv.setUint16(4, spec.major ?? 2, le);
  dv.setUint16(6, spec.minor ?? 4, le);
  dv.setInt32(8, 0, le);
  dv.setUint32(12, 0, le);
  dv.setUint32(16, spec.snaplen ?? 262144, le);
  dv.setUint32(20, spec.linkTypeField ?? 1, le);
  const recordOffsets: number[] = [];
  let p = 24;
  for (const r of spec.records) {
    recordOffsets.push(p);
    dv.setUint32(p, r.sec, le);
    dv.setUint32(p + 4, r.frac, le);
    dv.setUint32(p + 8, r.data.length, le);
    dv.setUint32(p + 12, r.origLen ?? r.data.length, le);
    if (hdr === 24) {
      dv.setUint32(p + 16, 7, le); // ifindex
      dv.setUint16(p + 20, 0x0800, le); // protocol
      bytes[p + 22] = 0; // pkt_type
    }
    bytes.set(r.data, p + hdr);
    p += hdr + r.data.length;
  }
  return { bytes, recordOffsets };
}

/** Bytes 0, 1, 2, ... n-1 (mod 256) plus a start value, so every frame's content is recognisable. */
export function seqBytes(n: number, start = 0): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (start + i) & 0xff;
  return b;
}

export function cat(parts: Uint8Array[]): Uint8Array {
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

// ---- pcapng ----

export interface Opt {
  code: number;
  value: Uint8Array;
}

/** A generic block: type, total length, body padded to 4, total length. `lengthOverride` writes a lie. */
export function block(le: boolean, type: number, body: Uint8Array, lengthOverride?: { start?: number; end?: number }): Uint8Array {
  const padded = (body.length + 3) & ~3;
  const total = 12 + padded;
  const b = new Uint8Array(total);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, type, le);
  dv.setUint32(4, lengthOverride?.start ?? total, le);
  b.set(body, 8);
  dv.setUint32(total - 4, lengthOverride?.end ?? total, le);
  return b;
}

export function options(le: boolean, opts: Opt[]): Uint8Array {
  if (opts.length === 0) return new Uint8Array(0);
  const parts: Uint8Array[] = [];
  for (const o of opts) {
    const h = new Uint8Array(4 + ((o.value.length + 3) & ~3));
    const dv = new DataView(h.buffer);
    dv.setUint16(0, o.code, le);
    dv.setUint16(2, o.value.length, le);
    h.set(o.value, 4);
    parts.push(h);
  }
  parts.push(new Uint8Array(4)); // opt_endofopt
  return cat(parts);
}

export function shb(le: boolean, major = 1, minor = 0, magic = 0x1a2b3c4d): Uint8Array {
  const body = new Uint8Array(16);
  const dv = new DataView(body.buffer);
  dv.setUint32(0, magic, le);
  dv.setUint16(4, major, le);
  dv.setUint16(6, minor, le);
  dv.setBigInt64(8, -1n, le); // section length unknown
  return block(le, 0x0a0d0d0a, body);
}

export function idb(le: boolean, linkType: number, snaplen: number, opts: Opt[] = []): Uint8Array {
  const fixed = new Uint8Array(8);
  const dv = new DataView(fixed.buffer);
  dv.setUint16(0, linkType, le);
  dv.setUint16(2, 0, le);
  dv.setUint32(4, snaplen, le);
  return block(le, 1, cat([fixed, options(le, opts)]));
}

/** EPB with a 64-bit timestamp given as a BigInt count of interface units. */
export function epb(le: boolean, ifId: number, ts: bigint, data: Uint8Array, origLen = data.length, opts: Opt[] = []): Uint8Array {
  const fixed = new Uint8Array(20);
  const dv = new DataView(fixed.buffer);
  dv.setUint32(0, ifId, le);
  dv.setUint32(4, Number(ts >> 32n), le);
  dv.setUint32(8, Number(ts & 0xffffffffn), le);
  dv.setUint32(12, data.length, le);
  dv.setUint32(16, origLen, le);
  const padded = new Uint8Array((data.length + 3) & ~3);
  padded.set(data);
  return block(le, 6, cat([fixed, padded, options(le, opts)]));
}

/** Obsolete Packet Block (type 2): 16-bit interface id and drops count. */
export function pb(le: boolean, ifId: number, drops: number, ts: bigint, data: Uint8Array, origLen = data.length): Uint8Array {
  const fixed = new Uint8Array(20);
  const dv = new DataView(fixed.buffer);
  dv.setUint16(0, ifId, le);
  dv.setUint16(2, drops, le);
  dv.setUint32(4, Number(ts >> 32n), le);
  dv.setUint32(8, Number(ts & 0xffffffffn), le);
  dv.setUint32(12, data.length, le);
  dv.setUint32(16, origLen, le);
  const padded = new Uint8Array((data.length + 3) & ~3);
  padded.set(data);
  return block(le, 2, cat([fixed, padded]));
}

/** Simple Packet Block: original length, then the (already cut) data. */
export function spb(le: boolean, origLen: number, data: Uint8Array): Uint8Array {
  const fixed = new Uint8Array(4);
  new DataView(fixed.buffer).setUint32(0, origLen, le);
  return block(le, 3, cat([fixed, data]));
}

export const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
export const u8 = (...xs: number[]): Uint8Array => Uint8Array.from(xs);
export function i64(v: bigint, le: boolean): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigInt64(0, v, le);
  return b;
}

// ---- helpers for comparing what a parser delivered ----

export interface SeenFrame {
  frameNo: number;
  sec: number;
  nsec: number;
  linkType: number;
  hex: string;
  origLen: number;
  iface: string | null;
}

export function hex(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.length).toString('hex');
}

export function seen(f: Frame): SeenFrame {
  return { frameNo: f.frameNo, sec: f.ts.sec, nsec: f.ts.nsec, linkType: f.linkType, hex: hex(f.data), origLen: f.origLen, iface: f.iface };
}

/**
 * Feed `bytes` to a fresh parser cut at `cuts` (sorted offsets). Every piece goes through one scratch buffer
 * that is overwritten with 0xEE after push() returns, so a parser that kept a reference to a chunk instead
 * of copying what it needs produces wrong frames.
 */
export function feed(
  make: (on: FrameHandler) => CaptureParser,
  bytes: Uint8Array,
  cuts: number[] = [],
): { frames: SeenFrame[]; error: unknown } {
  const frames: SeenFrame[] = [];
  const parser = make((f) => frames.push(seen(f)));
  const scratch = new Uint8Array(bytes.length + 1);
  let error: unknown = null;
  try {
    let start = 0;
    for (const end of [...cuts, bytes.length]) {
      const piece = scratch.subarray(0, end - start);
      piece.set(bytes.subarray(start, end));
      parser.push(piece);
      scratch.fill(0xee);
      start = end;
    }
    parser.end();
  } catch (err) {
    error = err;
  }
  return { frames, error };
}

export function everyByte(n: number): number[] {
  const cuts: number[] = [];
  for (let i = 1; i < n; i++) cuts.push(i);
  return cuts;
}
