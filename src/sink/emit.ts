// Byte emitters for the values the hot output fields are made of (fields.ts jsonTo / textTo): the same text as
// the string builders in format.ts, written straight into a ByteWriter. test/sink/emit.test.ts checks every
// field's bytes against its string over the test captures.

import type { AsPath } from '../bgp/model.js';
import { NULL_BYTES, type ByteWriter } from './bytes.js';

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
