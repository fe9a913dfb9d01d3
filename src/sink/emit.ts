// Byte emitters for the values the hot output fields are made of (fields.ts jsonTo / textTo): the same text as
// the string builders in format.ts, written straight into a ByteWriter. test/sink/emit.test.ts checks every
// field's bytes against its string over the test captures.

import type { AsPath } from '../bgp/model.js';
import type { Timestamp } from '../types.js';
import { timestampText } from './format.js';
import { digitCount, digitsWord, NULL_BYTES, putU32, type ByteWriter } from './bytes.js';
import { u16, u32 } from '../wire/reader.js';
import { chars } from '../wire/ascii.js';
import { ipv4Bits, putIpv6Prefix } from '../bgp/nlri.js';

/** The last timestamp's text as words for ByteWriter.words (the records of a frame share a timestamp). */
const tsWords = new Uint32Array(8);
let tsLength = -1;
let tsSec = NaN;
let tsNsec = NaN;

/**
 * format.ts timestampText(ts) (plain digits and a dot: the same text in JSON and line output), from the last
 * timestamp's bytes when it is the same; a record's one string field that changes, written ten times per
 * frame on one-prefix UPDATEs, where copying it a character at a time was 3 % of a line output run.
 */
export function timestampTo(w: ByteWriter, ts: Timestamp): void {
  if (ts.sec !== tsSec || ts.nsec !== tsNsec) {
    const s = timestampText(ts);
    tsSec = ts.sec;
    tsNsec = ts.nsec;
    if (s.length > 4 * tsWords.length) {
      tsLength = -1;
      w.str(s);
      return;
    }
    tsWords.fill(0);
    for (let i = 0; i < s.length; i++) tsWords[i >> 2]! |= s.charCodeAt(i) << ((i & 3) << 3);
    tsLength = s.length;
  } else if (tsLength < 0) {
    w.str(timestampText(ts));
    return;
  }
  w.words(tsWords, tsLength);
}

export function jsonStrOrNull(w: ByteWriter, s: string | null | undefined): void {
  if (s == null) w.lit(NULL_BYTES);
  else w.jsonStr(s);
}

/** JSON number or null (a non-finite number is null, as format.ts jsonNumberOrNull). */
export function jsonNumOrNull(w: ByteWriter, n: number | null | undefined): void {
  if (n == null || !Number.isFinite(n)) w.lit(NULL_BYTES);
  else w.num(n);
}

/** Line text of a number, nothing when missing. */
export function numOrEmpty(w: ByteWriter, n: number | null | undefined): void {
  if (n != null) w.num(n);
}

export function strOrEmpty(w: ByteWriter, s: string | null | undefined): void {
  if (s != null) w.str(s);
}

/** `["a","b"]` */
export function jsonStrArray(w: ByteWriter, a: readonly string[]): void {
  w.byte(0x5b);
  for (let i = 0; i < a.length; i++) {
    if (i > 0) w.byte(0x2c);
    w.jsonStr(a[i]!);
  }
  w.byte(0x5d);
}

export function jsonStrArrayOrNull(w: ByteWriter, a: readonly string[] | null | undefined): void {
  if (a == null) w.lit(NULL_BYTES);
  else jsonStrArray(w, a);
}

/** `a b c` (line output lists). */
export function joinedText(w: ByteWriter, a: readonly string[] | null | undefined): void {
  if (a == null) return;
  for (let i = 0; i < a.length; i++) {
    if (i > 0) w.byte(0x20);
    w.str(a[i]!);
  }
}

/** `[1,2,3]`; a null entry is null (path ids of families without ADD-PATH). */
export function jsonNumArray(w: ByteWriter, a: readonly (number | null)[]): void {
  w.byte(0x5b);
  for (let i = 0; i < a.length; i++) {
    if (i > 0) w.byte(0x2c);
    jsonNumOrNull(w, a[i]);
  }
  w.byte(0x5d);
}

/** `[65001,65002,[65003,65004]]` */
export function asPathJson(w: ByteWriter, p: AsPath): void {
  w.byte(0x5b);
  for (let i = 0; i < p.length; i++) {
    const x = p[i]!;
    if (i > 0) w.byte(0x2c);
    if (typeof x === 'number') w.num(x);
    else jsonNumArray(w, x);
  }
  w.byte(0x5d);
}

/** `65001 65002 {65003,65004}` as bgpdump prints it. */
export function asPathText(w: ByteWriter, p: AsPath): void {
  for (let i = 0; i < p.length; i++) {
    const x = p[i]!;
    if (i > 0) w.byte(0x20);
    if (typeof x === 'number') w.num(x);
    else {
      w.byte(0x7b);
      for (let j = 0; j < x.length; j++) {
        if (j > 0) w.byte(0x2c);
        w.num(x[j]!);
      }
      w.byte(0x7d);
    }
  }
}

// Straight from the wire: the attributes an UPDATE may still hold as bytes (bgp/update.ts PART_DEFER), written
// as the functions above write their decoded values. The values are well-formed (checked when deferred).

/**
 * AS_PATH value [start, end) of 4-octet ASNs: `json` as asPathJson, else as asPathText writes the flat path
 * (attr-02-17-as-path.ts flattenAsPath: sequences and confederation sequences inline, sets nested). Room for
 * the whole path is reserved once (an ASN and what follows it take at most 10 + 3 bytes; a segment's brackets
 * 2 more) and the position kept here: a path is a dozen numbers.
 */
export function asPathWire(w: ByteWriter, b: Uint8Array, start: number, end: number, json: boolean): void {
  w.reserve(4 * (end - start) + 4);
  const buf = w.buf;
  const d = w.dv;
  let o = w.pos;
  const sep = json ? 0x2c : 0x20;
  if (json) buf[o++] = 0x5b;
  let first = true;
  for (let p = start; p < end; ) {
    const type = b[p]!;
    const n = b[p + 1]!;
    p += 2;
    if (type === 1 || type === 4) {
      // AS_SET, AS_CONFED_SET
      if (!first) buf[o++] = sep;
      first = false;
      buf[o++] = json ? 0x5b : 0x7b;
      for (let i = 0; i < n; i++, p += 4) {
        if (i > 0) buf[o++] = 0x2c;
        o = putU32(d, o, u32(b, p));
      }
      buf[o++] = json ? 0x5d : 0x7d;
    } else {
      for (let i = 0; i < n; i++, p += 4) {
        if (!first) buf[o++] = sep;
        first = false;
        o = putU32(d, o, u32(b, p));
      }
    }
  }
  if (json) buf[o++] = 0x5d;
  w.pos = o;
}

/**
 * A communities value [start, end) of whole communities, each its numbers joined by `:`: COMMUNITIES (RFC 1997,
 * `size` 2: two 2-octet numbers, "65001:100") or LARGE_COMMUNITY (RFC 8092, `size` 4: three 4-octet numbers,
 * "65001:1:2"). `json`: `["65001:100",...]`, else space-separated for lines. Room reserved once, as asPathWire
 * (a community takes at most 3 × 10 + 2 + 3 bytes for 12 of the value).
 */
export function communitiesWire(w: ByteWriter, b: Uint8Array, start: number, end: number, size: 2 | 4, json: boolean): void {
  const step = size === 2 ? 4 : 12;
  w.reserve(4 * (end - start) + 4);
  const buf = w.buf;
  const d = w.dv;
  let o = w.pos;
  if (json) buf[o++] = 0x5b;
  for (let p = start; p < end; p += step) {
    if (p > start) buf[o++] = json ? 0x2c : 0x20;
    if (json) buf[o++] = 0x22;
    for (let q = p; q < p + step; q += size) {
      if (q > p) buf[o++] = 0x3a;
      o = putU32(d, o, size === 2 ? u16(b, q) : u32(b, q));
    }
    if (json) buf[o++] = 0x22;
  }
  if (json) buf[o++] = 0x5d;
  w.pos = o;
}

/**
 * A run of prefixes [start, end) without path identifiers, every one well-formed (bgp/update.ts WIRE_NLRI:
 * checked when deferred), IPv4 when `maxBits` is 32 else IPv6: `json` as jsonStrArray writes its texts, else
 * space-separated as joinedText — the same characters as bgp/nlri.ts ipv4PrefixText / ipv6PrefixText, without
 * making a string. IPv4 is written a word per octet (its digits and the dot or slash after them, from
 * OCTET_DOT / OCTET_SLASH: five stores for "192.0.2.0/24" instead of fourteen); IPv6 through the scratch
 * characters (nlri.ts putIpv6Prefix).
 */
export function prefixesWire(w: ByteWriter, b: Uint8Array, start: number, end: number, maxBits: number, json: boolean): void {
  // A prefix takes at least one byte of the run and at most 2 + 18 + 1 (IPv4, plus 3 the last word may write
  // past its text) or 2 + 43 + 1 characters (IPv6, one byte per 5 bits of address at least): 23 per byte.
  w.reserve(2 + 23 * (end - start));
  const buf = w.buf;
  let o = w.pos;
  if (json) buf[o++] = 0x5b;
  for (let p = start; p < end; p += 1 + ((b[p]! + 7) >> 3)) {
    if (p > start) buf[o++] = json ? 0x2c : 0x20;
    if (json) buf[o++] = 0x22;
    o = onePrefix(w, o, b, p, maxBits);
    if (json) buf[o++] = 0x22;
  }
  if (json) buf[o++] = 0x5d;
  w.pos = o;
}

/** One prefix from the wire, its length octet at `at`: as prefixesWire writes each (`json`: a JSON string). */
export function prefixWire(w: ByteWriter, b: Uint8Array, at: number, maxBits: number, json: boolean): void {
  w.reserve(48);
  const buf = w.buf;
  let o = w.pos;
  if (json) buf[o++] = 0x22;
  o = onePrefix(w, o, b, at, maxBits);
  if (json) buf[o++] = 0x22;
  w.pos = o;
}

/** The text of the prefix whose length octet is at `p`, at `o` of w's buffer (room reserved); the position after. */
function onePrefix(w: ByteWriter, o: number, b: Uint8Array, p: number, maxBits: number): number {
  const len = b[p]!;
  if (maxBits === 32) {
    const d = w.dv;
    const v = ipv4Bits(b, p + 1, len);
    o = sep(d, o, OCTET_DOT, v >>> 24);
    o = sep(d, o, OCTET_DOT, (v >>> 16) & 255);
    o = sep(d, o, OCTET_DOT, (v >>> 8) & 255);
    o = sep(d, o, OCTET_SLASH, v & 255);
    d.setUint32(o, OCTET[len]!, true);
    return o + DIGITS[len]!;
  }
  const buf = w.buf;
  const n = putIpv6Prefix(b, p + 1, len);
  for (let i = 0; i < n; i++) buf[o++] = chars[i]!;
  return o;
}

/** Octet `v`'s word from `table` at `o` (4 bytes; the room is reserved): its digits and separator. */
function sep(d: DataView, o: number, table: Uint32Array, v: number): number {
  d.setUint32(o, table[v]!, true);
  return o + DIGITS[v]! + 1;
}

/**
 * Decimal text of 0..255 as little-endian words (first character in the low byte): OCTET the digits, OCTET_DOT
 * and OCTET_SLASH followed by '.' or '/' (at most four bytes); DIGITS the number of digits.
 */
const OCTET = new Uint32Array(256);
const OCTET_DOT = new Uint32Array(256);
const OCTET_SLASH = new Uint32Array(256);
const DIGITS = new Uint8Array(256);
for (let v = 0; v < 256; v++) {
  const n = digitCount(v);
  const word = digitsWord(v);
  OCTET[v] = word;
  OCTET_DOT[v] = word | (0x2e << (8 * n));
  OCTET_SLASH[v] = word | (0x2f << (8 * n));
  DIGITS[v] = n;
}
