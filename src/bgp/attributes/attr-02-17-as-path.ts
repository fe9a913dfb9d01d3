// AS_PATH (type code 2, RFC 4271 §5.1.2) and AS4_PATH (type code 17, RFC 6793 §3).
//
// A sequence of segments:
//   +-----------------+-----------------+---------------------------------------+
//   | type (1 octet)  | count (1 octet) | count AS numbers, 2 or 4 octets each   |
//   +-----------------+-----------------+---------------------------------------+
// Types: 1 AS_SET, 2 AS_SEQUENCE (RFC 4271), 3 AS_CONFED_SEQUENCE, 4 AS_CONFED_SET (RFC 5065).
// AS_PATH numbers are 4 octets when both OPENs carried the 4-octet AS capability, else 2 (RFC 6793 §4).
// AS4_PATH numbers are always 4 octets; it only travels on 2-octet sessions, carrying the real path where
// AS_PATH has AS_TRANS (23456) placeholders.
//
// Output (model.ts AsPath): a flat list of ASNs in which an AS_SET or AS_CONFED_SET is a nested array and
// the members of an AS_CONFED_SEQUENCE are flattened into the list like an AS_SEQUENCE (as bgpkit and RIS
// Live show it). `as_path_segments` keeps the segment types for whoever needs to tell them apart.

import type { AsPath, AsPathSegment } from '../model.js';
import { DecodeError } from '../../wire/errors.js';
import { u16, u32 } from '../../wire/reader.js';
import { type AttributeSpec, OPTIONAL_TRANSITIVE, WELL_KNOWN } from './types.js';

export const AS_SET = 1;
export const AS_SEQUENCE = 2;
export const AS_CONFED_SEQUENCE = 3;
export const AS_CONFED_SET = 4;
/** RFC 6793 §2: the 2-octet placeholder for a 4-octet AS. */
export const AS_TRANS = 23456;

/** asPathFit results. */
export const FIT_NO = -1;
export const FIT_WITH_AS0 = 0;
export const FIT_CLEAN = 1;

/**
 * How well [start, end) reads as segments of `size`-octet ASNs, without allocating: FIT_NO when a segment
 * has an unknown type, a zero count, or does not end exactly at `end`; FIT_WITH_AS0 when it tiles but
 * contains AS 0 (forbidden by RFC 7607, and what the zero high halves of 4-octet ASNs look like when read
 * 2 octets at a time); FIT_CLEAN otherwise.
 */
export function asPathFit(b: Uint8Array, start: number, end: number, size: 2 | 4): number {
  let p = start;
  let zero = false;
  while (p < end) {
    if (p + 2 > end) return FIT_NO;
    const t = b[p]!;
    const n = b[p + 1]!;
    if (t < AS_SET || t > AS_CONFED_SET || n === 0) return FIT_NO;
    const q = p + 2 + n * size;
    if (q > end) return FIT_NO;
    if (!zero) {
      for (let o = p + 2; o < q; o += size) {
        if ((size === 2 ? b[o]! | b[o + 1]! : b[o]! | b[o + 1]! | b[o + 2]! | b[o + 3]!) === 0) {
          zero = true;
          break;
        }
      }
    }
    p = q;
  }
  return zero ? FIT_WITH_AS0 : FIT_CLEAN;
}

/**
 * Segments of [start, end) with `size`-octet ASNs. Throws DecodeError for the RFC 7606 §7.2 / RFC 6793 §6
 * malformations: unknown segment type, zero segment count, a segment running past the attribute, or bytes
 * left over that cannot hold a segment header.
 */
export function parseAsPath(b: Uint8Array, start: number, end: number, size: 2 | 4, name: string): AsPathSegment[] {
  const segs: AsPathSegment[] = [];
  let p = start;
  while (p < end) {
    if (p + 2 > end) throw new DecodeError('as_path_segment', `${name}: ${end - p} byte(s) left, too few for a segment header`, p);
    const type = b[p]!;
    const n = b[p + 1]!;
    if (type < AS_SET || type > AS_CONFED_SET) throw new DecodeError('as_path_segment', `${name}: unknown segment type ${type}`, p);
    if (n === 0) throw new DecodeError('as_path_segment', `${name}: segment with zero ASNs`, p);
    const q = p + 2 + n * size;
    if (q > end) {
      throw new DecodeError('as_path_segment', `${name}: segment of ${n} ASNs needs ${n * size} bytes, ${end - p - 2} left`, p);
    }
    const asns = new Array<number>(n);
    if (size === 4) for (let o = p + 2, i = 0; o < q; o += 4, i++) asns[i] = u32(b, o);
    else for (let o = p + 2, i = 0; o < q; o += 2, i++) asns[i] = u16(b, o);
    // The usual path is one segment: a one-slot list rather than the 17 slots push() reserves.
    if (p === start && q === end) return [{ type, asns }];
    segs.push({ type, asns });
    p = q;
  }
  return segs;
}

/**
 * The flat AsPath of segments (see the file comment). The common path — one AS_SEQUENCE — is that segment's
 * own ASN list, not a copy (decoded messages are read, never modified).
 */
export function flattenAsPath(segs: AsPathSegment[]): AsPath {
  if (segs.length === 1 && segs[0]!.type === AS_SEQUENCE) return segs[0]!.asns;
  const out: AsPath = [];
  for (const s of segs) {
    if (s.type === AS_SEQUENCE || s.type === AS_CONFED_SEQUENCE) for (const a of s.asns) out.push(a);
    else out.push(s.asns.slice());
  }
  return out;
}

/** Path length as RFC 4271 §9.1.2.2(a) and RFC 6793 §4.2.3 count it: AS_SET = 1, confederation segments = 0. */
export function countAsns(segs: AsPathSegment[]): number {
  let n = 0;
  for (const s of segs) {
    if (s.type === AS_SEQUENCE) n += s.asns.length;
    else if (s.type === AS_SET) n += 1;
  }
  return n;
}

function hasAs0(segs: AsPathSegment[]): boolean {
  for (let i = 0; i < segs.length; i++) {
    const asns = segs[i]!.asns;
    for (let j = 0; j < asns.length; j++) if (asns[j] === 0) return true;
  }
  return false;
}

/**
 * RFC 6793 §4.2.3: rebuild the path a 2-octet session carried. When AS_PATH counts fewer ASNs than AS4_PATH,
 * AS4_PATH is ignored (returns null). Otherwise take as many leading ASNs from AS_PATH as it has more than
 * AS4_PATH, then AS4_PATH. Confederation segments of AS_PATH are kept when leading or adjacent to a kept
 * segment. A partial AS_SEQUENCE followed by AS4_PATH's leading AS_SEQUENCE is joined into one segment.
 */
export function mergeAs4Path(asPath: AsPathSegment[], as4Path: AsPathSegment[]): AsPathSegment[] | null {
  const n2 = countAsns(asPath);
  const n4 = countAsns(as4Path);
  if (n2 < n4) return null;
  let k = n2 - n4;
  const out: AsPathSegment[] = [];
  for (const s of asPath) {
    if (s.type === AS_CONFED_SEQUENCE || s.type === AS_CONFED_SET) {
      out.push(s);
      continue;
    }
    if (k === 0) break;
    if (s.type === AS_SET) {
      out.push(s);
      k -= 1;
    } else if (s.asns.length <= k) {
      out.push(s);
      k -= s.asns.length;
    } else {
      out.push({ type: s.type, asns: s.asns.slice(0, k) });
      k = 0;
    }
  }
  let i = 0;
  const last = out[out.length - 1];
  const first = as4Path[0];
  if (last && first && last.type === AS_SEQUENCE && first.type === AS_SEQUENCE) {
    out[out.length - 1] = { type: AS_SEQUENCE, asns: last.asns.concat(first.asns) };
    i = 1;
  }
  for (; i < as4Path.length; i++) out.push(as4Path[i]!);
  return out;
}

export const AS_PATH: AttributeSpec = {
  code: 2,
  name: 'AS_PATH',
  flags: WELL_KNOWN,
  onError: 'treat-as-withdraw',
  rule: 'RFC 7606 §7.2',
  decode(ctx, b, start, end) {
    const segs = parseAsPath(b, start, end, ctx.asnSize, 'AS_PATH');
    ctx.asPath = segs;
    if (hasAs0(segs)) ctx.attrWarn('as_path_as0', 'AS_PATH contains AS 0 (RFC 7607 §2: treat-as-withdraw)', start, 'treat-as-withdraw');
  },
};

export const AS4_PATH: AttributeSpec = {
  code: 17,
  name: 'AS4_PATH',
  flags: OPTIONAL_TRANSITIVE,
  onError: 'attribute-discard',
  rule: 'RFC 6793 §6',
  decode(ctx, b, start, end) {
    // RFC 6793 §6: too small to carry one AS number is malformed.
    if (end - start < 6) throw new DecodeError('attribute_length', `AS4_PATH: length ${end - start} < 6`, start);
    const segs = parseAsPath(b, start, end, 4, 'AS4_PATH');
    let kept = segs;
    if (segs.some((s) => s.type === AS_CONFED_SEQUENCE || s.type === AS_CONFED_SET)) {
      // RFC 6793 §6: confederation segments must not be in AS4_PATH; discard them and go on.
      kept = segs.filter((s) => s.type !== AS_CONFED_SEQUENCE && s.type !== AS_CONFED_SET);
      ctx.attrWarn('as4_path_confed', 'AS4_PATH carries confederation segments; those segments discarded, the rest used (RFC 6793 §6)', start, null);
    }
    ctx.as4Path = kept;
    if (hasAs0(kept)) ctx.attrWarn('as_path_as0', 'AS4_PATH contains AS 0 (RFC 7607 §2 makes it malformed; RFC 6793 §6: attribute discard)', start, 'attribute-discard');
  },
};
