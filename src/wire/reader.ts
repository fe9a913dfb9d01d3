// Bounded big-endian reads over Uint8Array.
//
// Two styles, both bounded:
//  - Hot paths (UPDATE attributes, NLRI) pass ranges as (buf, start, end) and check `end` before reading.
//    A child range is cut from its parent only after checking that its declared length fits, so a lying
//    length can never reach a neighbour's bytes. Offsets stay relative to the message start, which is what
//    errors and warnings report. (A `subarray` per attribute costs ~20 ns in V8; at a million messages a
//    second with ~8 attributes each that would be a fifth of the budget.)
//  - Cold paths (OPEN, capabilities, NOTIFICATION) use BoundedReader: every read checks its own end and
//    throws a DecodeError that names what was being read.

import { DecodeError } from './errors.js';

/** Unsigned 16-bit big-endian at `o`. Caller has checked `o + 2 <= end`. */
export function u16(b: Uint8Array, o: number): number {
  return (b[o]! << 8) | b[o + 1]!;
}

/** Unsigned 24-bit big-endian at `o`. Caller has checked `o + 3 <= end`. */
export function u24(b: Uint8Array, o: number): number {
  return (b[o]! << 16) | (b[o + 1]! << 8) | b[o + 2]!;
}

/** Unsigned 32-bit big-endian at `o`. Caller has checked `o + 4 <= end`. */
export function u32(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
}

const HEX: string[] = [];
for (let i = 0; i < 256; i++) HEX.push(i.toString(16).padStart(2, '0'));

/** Lower-case hex of bytes [start, end), no separators. `end` is clamped to the buffer. */
export function hex(b: Uint8Array, start: number, end: number): string {
  const e = Math.min(end, b.length);
  let s = '';
  for (let i = start; i < e; i++) s += HEX[b[i]!]!;
  return s;
}

const UTF8_STRICT = new TextDecoder('utf-8', { fatal: true });
const UTF8_LOOSE = new TextDecoder('utf-8');

/** UTF-8 text of [start, end), or null when the bytes are not valid UTF-8. */
export function utf8Strict(b: Uint8Array, start: number, end: number): string | null {
  try {
    return UTF8_STRICT.decode(b.subarray(start, end));
  } catch {
    return null;
  }
}

/** UTF-8 text of [start, end), invalid sequences replaced by U+FFFD. */
export function utf8Loose(b: Uint8Array, start: number, end: number): string {
  return UTF8_LOOSE.decode(b.subarray(start, end));
}

/** The DecodeError for "`what` needs `need` bytes at `pos` but the enclosing structure ends at `end`". */
export function truncated(what: string, pos: number, need: number, end: number): DecodeError {
  const left = Math.max(0, end - pos);
  return new DecodeError('truncated', `${what}: needs ${need} byte${need === 1 ? '' : 's'}, ${left} left`, pos);
}

/**
 * A cursor over [pos, end) of a buffer. Reads past `end` throw DecodeError('truncated') naming the field;
 * `sub` hands out a child reader limited to a declared length after checking that the length fits.
 */
export class BoundedReader {
  readonly buf: Uint8Array;
  pos: number;
  readonly end: number;

  constructor(buf: Uint8Array, pos: number, end: number) {
    this.buf = buf;
    this.pos = pos;
    this.end = Math.min(end, buf.length);
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  atEnd(): boolean {
    return this.pos >= this.end;
  }

  need(n: number, what: string): void {
    if (n < 0 || this.pos + n > this.end) throw truncated(what, this.pos, n, this.end);
  }

  u8(what: string): number {
    this.need(1, what);
    return this.buf[this.pos++]!;
  }

  u16(what: string): number {
    this.need(2, what);
    const v = u16(this.buf, this.pos);
    this.pos += 2;
    return v;
  }

  u24(what: string): number {
    this.need(3, what);
    const v = u24(this.buf, this.pos);
    this.pos += 3;
    return v;
  }

  u32(what: string): number {
    this.need(4, what);
    const v = u32(this.buf, this.pos);
    this.pos += 4;
    return v;
  }

  /** Skip `n` bytes and return their start offset. */
  skip(n: number, what: string): number {
    this.need(n, what);
    const p = this.pos;
    this.pos += n;
    return p;
  }

  /** A reader over the next `n` bytes; this reader moves past them. */
  sub(n: number, what: string): BoundedReader {
    this.need(n, what);
    const r = new BoundedReader(this.buf, this.pos, this.pos + n);
    this.pos += n;
    return r;
  }

  /** Hex of the bytes left, consuming them. */
  restHex(): string {
    const s = hex(this.buf, this.pos, this.end);
    this.pos = this.end;
    return s;
  }
}
