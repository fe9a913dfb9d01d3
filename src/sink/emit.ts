// Byte emitters for the values the hot output fields are made of (fields.ts jsonTo / textTo): the same text as
// the string builders in format.ts, written straight into a ByteWriter. test/sink/emit.test.ts checks every
// field's bytes against its string over the test captures.

import type { AsPath } from '../bgp/model.js';
import { NULL_BYTES, type ByteWriter } from './bytes.js';
import { u16, u32 } from '../wire/reader.js';

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
 * (attr-02-17-as-path.ts flattenAsPath: sequences and confederation sequences inline, sets nested).
 */
export function asPathWire(w: ByteWriter, b: Uint8Array, start: number, end: number, json: boolean): void {
  const sep = json ? 0x2c : 0x20;
  if (json) w.byte(0x5b);
  let first = true;
  for (let p = start; p < end; ) {
    const type = b[p]!;
    const n = b[p + 1]!;
    p += 2;
    if (type === 1 || type === 4) {
      // AS_SET, AS_CONFED_SET
      if (!first) w.byte(sep);
      first = false;
      w.byte(json ? 0x5b : 0x7b);
      for (let i = 0; i < n; i++, p += 4) {
        if (i > 0) w.byte(0x2c);
        w.num(u32(b, p));
      }
      w.byte(json ? 0x5d : 0x7d);
    } else {
      for (let i = 0; i < n; i++, p += 4) {
        if (!first) w.byte(sep);
        first = false;
        w.num(u32(b, p));
      }
    }
  }
  if (json) w.byte(0x5d);
}

/**
 * A communities value [start, end) of whole communities, each its numbers joined by `:`: COMMUNITIES (RFC 1997,
 * `size` 2: two 2-octet numbers, "65001:100") or LARGE_COMMUNITY (RFC 8092, `size` 4: three 4-octet numbers,
 * "65001:1:2"). `json`: `["65001:100",...]`, else space-separated for lines.
 */
export function communitiesWire(w: ByteWriter, b: Uint8Array, start: number, end: number, size: 2 | 4, json: boolean): void {
  const step = size === 2 ? 4 : 12;
  if (json) w.byte(0x5b);
  for (let p = start; p < end; p += step) {
    if (p > start) w.byte(json ? 0x2c : 0x20);
    if (json) w.byte(0x22);
    for (let q = p; q < p + step; q += size) {
      if (q > p) w.byte(0x3a);
      w.num(size === 2 ? u16(b, q) : u32(b, q));
    }
    if (json) w.byte(0x22);
  }
  if (json) w.byte(0x5d);
}
