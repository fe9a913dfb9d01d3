// Labeled prefixes: SAFI 4 (RFC 8277) and, with a route distinguisher, SAFI 128/129 (RFC 4364 §4.3.4,
// RFC 4659 §3.2; vpn.ts). One entry:
//
//   +---------------------------+
//   | Path Identifier (4)       |  only with ADD-PATH (RFC 7911 §3)
//   +---------------------------+
//   | Length (1, in bits)       |  covers labels + RD + prefix
//   +---------------------------+
//   | Label (3) ...             |  20-bit label, 3-bit TC, 1-bit S (bottom of stack), RFC 3032 §2.1
//   +---------------------------+
//   | Route Distinguisher (8)   |  VPN families only
//   +---------------------------+
//   | Prefix (variable)         |
//   +---------------------------+
//
// How many labels? RFC 8277 §2.3: with the Multiple Labels capability the S bit ends the stack; §2.2: without
// it there is exactly one label and S "MUST be ignored". bgpcap does not track that capability, so it reads to
// the S bit and checks that what is left is a valid prefix length; if not, it takes one label (the §2.2
// reading). A first field of 0x800000 or 0x000000 ends the stack too: RFC 8277 §2.4 withdrawals carry one
// 3-byte Compatibility field, 0x800000 (RFC 3107) or 0x000000 (older implementations), neither with S set.
// Labels are reported as their 20-bit values, so a withdrawal's 0x800000 shows as 524288, as tshark shows it.

import { DecodeError } from '../../wire/errors.js';
import { ipv4PrefixText, ipv6PrefixText, SCAN_BROKEN, SCAN_HOST_BITS } from '../nlri.js';
import { labelField, labelValue, rdText, readPathId } from './common.js';
import type { NlriOut } from './types.js';

/**
 * The number of label fields at p in an entry of `bits` bits whose bytes end at `entryEnd`, given `fixedBits`
 * (64 for the RD) after the labels; -1 when no reading leaves a prefix length in 0..maxBits.
 */
export function labelCount(b: Uint8Array, p: number, entryEnd: number, bits: number, fixedBits: number, maxBits: number): number {
  let n = 0;
  let ended = false;
  for (let q = p; q + 3 <= entryEnd; q += 3) {
    const v = labelField(b, q);
    n++;
    if (v & 1 || (n === 1 && (v === 0x800000 || v === 0))) {
      ended = true;
      break;
    }
  }
  if (ended) {
    const rest = bits - 24 * n - fixedBits;
    if (rest >= 0 && rest <= maxBits) return n;
  }
  const rest1 = bits - 24 - fixedBits;
  return rest1 >= 0 && rest1 <= maxBits ? 1 : -1;
}

/** SAFI 4 (RFC 8277 §2): label stack then prefix; fills `prefixes` and `labels`. */
export function decodeLabeled(b: Uint8Array, start: number, end: number, maxBits: number, addPath: boolean, out: NlriOut): void {
  out.labels ??= [];
  decodeLabeledRun(b, start, end, maxBits, false, addPath, out);
}

/**
 * Decode a run of labeled (rd = false) or VPN (rd = true) prefixes in [start, end) into `out`, which must
 * have `labels` (and `route_distinguishers` when rd). Throws DecodeError at the first bad entry.
 */
export function decodeLabeledRun(
  b: Uint8Array,
  start: number,
  end: number,
  maxBits: number,
  rd: boolean,
  addPath: boolean,
  out: NlriOut,
): void {
  const fixedBits = rd ? 64 : 0;
  const labels = out.labels!;
  const rds = out.route_distinguishers;
  let p = start;
  while (p < end) {
    p = readPathId(b, p, end, addPath, out.path_ids);
    if (p >= end) throw new DecodeError('nlri_truncated', 'path identifier with no prefix after it', p);
    const bits = b[p]!;
    const n = (bits + 7) >> 3;
    const entryEnd = p + 1 + n;
    if (entryEnd > end) throw new DecodeError('nlri_truncated', `labeled prefix of ${bits} bits needs ${n} bytes, ${end - p - 1} left`, p);
    const count = labelCount(b, p + 1, entryEnd, bits, fixedBits, maxBits);
    if (count < 0) {
      throw new DecodeError(
        'prefix_length',
        `labeled prefix length ${bits} leaves no valid ${maxBits === 32 ? 'IPv4' : 'IPv6'} prefix after the label${rd ? ' and route distinguisher' : ''}`,
        p,
      );
    }
    const stack: number[] = [];
    let q = p + 1;
    for (let i = 0; i < count; i++, q += 3) stack.push(labelValue(b, q));
    if (rd) {
      rds!.push(rdText(b, q));
      q += 8;
    }
    const plen = bits - 24 * count - fixedBits;
    out.prefixes.push(maxBits === 32 ? ipv4PrefixText(b, q, plen) : ipv6PrefixText(b, q, plen));
    labels.push(stack);
    p = entryEnd;
  }
}

/** The labeled run [start, end) checked without building text; SCAN_* bits of nlri.ts (0 = clean). */
export function scanLabeledRun(b: Uint8Array, start: number, end: number, maxBits: number, rd: boolean, addPath: boolean): number {
  const fixedBits = rd ? 64 : 0;
  let p = start;
  let r = 0;
  while (p < end) {
    if (addPath) {
      if (p + 5 > end) return r | SCAN_BROKEN;
      p += 4;
    }
    const bits = b[p]!;
    const n = (bits + 7) >> 3;
    const entryEnd = p + 1 + n;
    if (entryEnd > end) return r | SCAN_BROKEN;
    const count = labelCount(b, p + 1, entryEnd, bits, fixedBits, maxBits);
    if (count < 0) return r | SCAN_BROKEN;
    const plen = bits - 24 * count - fixedBits;
    if (plen & 7 && b[entryEnd - 1]! & (0xff >> (plen & 7))) r |= SCAN_HOST_BITS;
    p = entryEnd;
  }
  return r;
}
