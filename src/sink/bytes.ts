// A growable byte buffer that the jsonl and line writers format into directly.
//
// Why not strings: a record built with `+` is a tree of its pieces (a V8 cons string) until something reads its
// characters; writing it out then flattens the tree and encodes it to UTF-8, and the pieces and the tree are
// garbage a moment later. At a million records a second that was most of the time (flattening, encoding, GC).
// Here every piece is written once, as bytes, into one buffer that is reused from batch to batch: constant text
// (JSON keys, separators) is copied from pre-encoded bytes, numbers are written digit by digit, and strings that
// are plain ASCII (addresses, prefixes, communities: nearly all of it) are copied a character at a time.
// Anything else goes through Buffer.write (UTF-8), so any string is written correctly.
//
// The same buffer holds a record's earlier output, which the elem writers reuse: the parts of a row that do
// not change from one prefix of an UPDATE to the next are written once and copied (copy()).

const INITIAL = 1 << 17;

/**
 * Room always left free at the end of the buffer after any write: generated row code (row.ts) writes its
 * constant text (keys, separators; at most LEAD_ROOM bytes between two values) without a bounds check.
 */
export const LEAD_ROOM = 4096;

/** Strings up to this length are copied in JavaScript; longer ones by Buffer.write (native, fast when long). */
const SHORT = 64;

export class ByteWriter {
  /** Set only through use(): `dv` follows it. */
  buf!: Buffer;
  /** A view of `buf` for writing constant text four bytes at a time (row.ts). */
  dv!: DataView;
  pos = 0;

  constructor(size = INITIAL) {
    this.use(Buffer.allocUnsafeSlow(Math.max(size, 2 * LEAD_ROOM)));
  }

  /** Write into `b` from its start (workers/format.ts points the writer at the buffer of a slab). */
  attach(b: Buffer): void {
    this.use(b);
    this.pos = 0;
  }

  private use(b: Buffer): void {
    this.buf = b;
    this.dv = new DataView(b.buffer, b.byteOffset, b.length);
  }

  /** Make room for `n` more bytes. */
  reserve(n: number): void {
    if (this.pos + n + LEAD_ROOM > this.buf.length) this.grow(n);
  }

  private grow(n: number): void {
    let size = this.buf.length * 2;
    while (size < this.pos + n + LEAD_ROOM) size *= 2;
    const next = Buffer.allocUnsafeSlow(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.use(next);
  }

  /** The bytes written so far (a view: valid until the next write or reset). */
  bytes(): Buffer {
    return this.buf.subarray(0, this.pos);
  }

  /** The text written since `from`, decoded. */
  text(from = 0): string {
    return this.buf.toString('utf8', from, this.pos);
  }

  reset(): void {
    this.pos = 0;
  }

  byte(c: number): void {
    if (this.pos + 1 + LEAD_ROOM > this.buf.length) this.grow(1);
    this.buf[this.pos++] = c;
  }

  /**
   * Constant text (keys, `null`): short ones a little-endian word per four bytes (three times faster than a
   * byte loop or TypedArray#set for the 7–15-byte keys of a family object), long ones by set(). The last word
   * may write up to three bytes past the text, which the next write overwrites: LEAD_ROOM keeps them inside
   * the buffer.
   */
  lit(l: Lit): void {
    const n = l.bytes.length;
    if (n > 32) {
      this.put(l.bytes);
      return;
    }
    if (this.pos + n + LEAD_ROOM > this.buf.length) this.grow(n);
    const d = this.dv;
    const words = l.words;
    const p = this.pos;
    for (let i = 0; i < words.length; i++) d.setUint32(p + 4 * i, words[i]!, true);
    this.pos = p + n;
  }

  /**
   * The first `n` bytes (n <= 4 * words.length) of `words`, little-endian 32-bit words as in a Lit: for text
   * that changes now and then and is written many times in between (the timestamp, emit.ts timestampTo).
   */
  words(words: Uint32Array, n: number): void {
    if (this.pos + n + LEAD_ROOM > this.buf.length) this.grow(n);
    const d = this.dv;
    const p = this.pos;
    for (let i = 0; 4 * i < n; i++) d.setUint32(p + 4 * i, words[i]!, true);
    this.pos = p + n;
  }

  /** Bytes (a memoised run of fields, a long constant). */
  put(b: Uint8Array): void {
    const n = b.length;
    if (this.pos + n + LEAD_ROOM > this.buf.length) this.grow(n);
    const buf = this.buf;
    let p = this.pos;
    if (n <= 16) for (let i = 0; i < n; i++) buf[p++] = b[i]!;
    else {
      buf.set(b, p);
      p += n;
    }
    this.pos = p;
  }

  /** Any string, as UTF-8. */
  str(s: string): void {
    const n = s.length;
    if (n <= SHORT) {
      if (this.pos + n + LEAD_ROOM > this.buf.length) this.grow(n);
      const buf = this.buf;
      const start = this.pos;
      let p = start;
      for (let i = 0; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) {
          this.pos = start;
          this.utf8(s);
          return;
        }
        buf[p++] = c;
      }
      this.pos = p;
      return;
    }
    this.utf8(s);
  }

  private utf8(s: string): void {
    const max = 3 * s.length;
    if (this.pos + max + LEAD_ROOM > this.buf.length) this.grow(max);
    this.pos += this.buf.write(s, this.pos, 'utf8');
  }

  /**
   * A JSON string literal of `s`. Printable ASCII without `"` or `\` is quoted as is; anything else goes
   * through JSON.stringify, which escapes control characters and lone surrogates (ES2019 well-formed).
   */
  jsonStr(s: string): void {
    const n = s.length;
    if (n > SHORT) {
      this.jsonLong(s);
      return;
    }
    if (this.pos + n + 2 + LEAD_ROOM > this.buf.length) this.grow(n + 2);
    const buf = this.buf;
    const start = this.pos;
    let p = start;
    buf[p++] = 0x22;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x20 || c === 0x22 || c === 0x5c || c > 0x7e) {
        this.pos = start;
        this.utf8(JSON.stringify(s));
        return;
      }
      buf[p++] = c;
    }
    buf[p++] = 0x22;
    this.pos = p;
  }

  private jsonLong(s: string): void {
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x20 || c === 0x22 || c === 0x5c || c > 0x7e) {
        this.utf8(JSON.stringify(s));
        return;
      }
    }
    this.byte(0x22);
    this.utf8(s);
    this.byte(0x22);
  }

  /**
   * Decimal text of a number: unsigned 32-bit integers (ASNs, community parts, MED, LOCAL_PREF, lengths,
   * ports, frame numbers) four digits per store from a table of "0000".."9999" as words, anything else as
   * String() writes it. (Twice as fast as two digits at a time by division: 4 instead of 9 ns for a mix of
   * ASNs, and an UPDATE's line has about twenty-five numbers.) The stores may write up to three bytes past the
   * number, which the next write overwrites (LEAD_ROOM keeps them inside the buffer).
   */
  num(n: number): void {
    if (n >>> 0 !== n) {
      this.str(String(n));
      return;
    }
    if (this.pos + 12 + LEAD_ROOM > this.buf.length) this.grow(12);
    this.pos = putU32(this.dv, this.pos, n);
  }

  /** Copy bytes written earlier in this buffer, [start, end), to the end. */
  copy(start: number, end: number): void {
    const n = end - start;
    if (this.pos + n + LEAD_ROOM > this.buf.length) this.grow(n);
    const buf = this.buf;
    let p = this.pos;
    if (n <= 32) for (let i = start; i < end; i++) buf[p++] = buf[i]!;
    else {
      buf.copyWithin(p, start, end);
      p += n;
    }
    this.pos = p;
  }
}

/** Text as bytes, for ByteWriter.lit. */
export function encode(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s, 'utf8'));
}

/** Constant text for ByteWriter.lit: its bytes, and the same bytes as little-endian 32-bit words (zero-padded). */
export interface Lit {
  readonly bytes: Uint8Array;
  readonly words: Uint32Array;
}

export function constant(s: string): Lit {
  const bytes = encode(s);
  const words = new Uint32Array((bytes.length + 3) >> 2);
  new Uint8Array(words.buffer).set(bytes);
  // (The words are read back as little-endian numbers whatever the host's byte order.)
  const dv = new DataView(words.buffer);
  for (let i = 0; i < words.length; i++) words[i] = dv.getUint32(4 * i, true);
  return { bytes, words };
}

export const NULL_BYTES = constant('null');

/**
 * Decimal text of the unsigned 32-bit integer `n` at `o` of `d`, four digits per store from DIGITS4 (see
 * ByteWriter.num); the position after it. Up to three bytes past the number are written over (room the caller
 * reserved: at most 10 digits + 3). For writers that reserve room for a run of numbers once and keep the
 * position in a local (sink/emit.ts: AS paths and communities from the wire).
 */
export function putU32(d: DataView, o: number, n: number): number {
  if (n < 10000) return upTo4(d, o, n);
  if (n < 100000000) {
    const hi = Math.floor(n / 10000);
    o = upTo4(d, o, hi);
    d.setUint32(o, DIGITS4[n - hi * 10000]!, true);
    return o + 4;
  }
  const hi = Math.floor(n / 100000000);
  const rest = n - hi * 100000000;
  const mid = Math.floor(rest / 10000);
  o = upTo4(d, o, hi);
  d.setUint32(o, DIGITS4[mid]!, true);
  d.setUint32(o + 4, DIGITS4[rest - mid * 10000]!, true);
  return o + 8;
}

/** 0 <= n < 10000 without leading zeros: the table's word shifted past them (the count once, not twice). */
function upTo4(d: DataView, o: number, n: number): number {
  const len = digitCount(n);
  d.setUint32(o, DIGITS4[n]! >>> (32 - 8 * len), true);
  return o + len;
}

/** Decimal digits of 0 <= n < 10000. */
export function digitCount(n: number): number {
  return n < 10 ? 1 : n < 100 ? 2 : n < 1000 ? 3 : 4;
}

/**
 * The decimal digits of 0 <= n < 10000, without leading zeros, as a little-endian word (the first digit in the
 * low byte; zero bytes after the last): DIGITS4's word shifted past the zeros. Also emit.ts's octet tables.
 */
export function digitsWord(n: number): number {
  return DIGITS4[n]! >>> (32 - 8 * digitCount(n));
}

/**
 * "0000" … "9999" as 32-bit words whose little-endian bytes are the digits (the first digit in the low byte),
 * as DataView#setUint32(…, true) stores them.
 */
const DIGITS4 = new Uint32Array(10000);
{
  // From "00".."99" as 16-bit pairs, without a string per entry (this runs on every start).
  const pairs = new Uint16Array(100);
  for (let i = 0; i < 100; i++) pairs[i] = (0x30 + Math.floor(i / 10)) | ((0x30 + (i % 10)) << 8);
  for (let hi = 0, i = 0; hi < 100; hi++) {
    const h = pairs[hi]!;
    for (let lo = 0; lo < 100; lo++, i++) DIGITS4[i] = (h | (pairs[lo]! << 16)) >>> 0;
  }
}
