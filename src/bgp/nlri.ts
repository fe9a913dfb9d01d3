// IP prefixes as BGP encodes them (RFC 4271 §4.3 NLRI / Withdrawn Routes, RFC 4760 §5 for MP families),
// optionally each preceded by an RFC 7911 §3 Path Identifier:
//
//   +--------------------------------+
//   | Path Identifier (4 octets)     |   only with ADD-PATH
//   +--------------------------------+
//   | Length (1 octet, in bits)      |
//   +--------------------------------+
//   | Prefix (ceil(Length/8) octets) |
//   +--------------------------------+
//
// Bits past the prefix length are masked in the text (a sender may leave garbage there; it is not part of
// the route). This is the hot path: IPv4 text is built from a table of decimal octets without a scratch
// buffer, IPv6 goes through one module-level scratch buffer.

import { DecodeError } from '../wire/errors.js';
import { u32 } from '../wire/reader.js';
import { chars, putByte, putIpv4, putIpv6, text } from '../wire/ascii.js';

/**
 * Stand-ins for prefix lists an UPDATE decoded with update.ts PART_DEFER_PREFIXES left as bytes, one per field
 * (so the field tells where its bytes are): the classic Withdrawn Routes and NLRI (RFC 4271 §4.3) and the NLRI
 * of MP_UNREACH_NLRI and MP_REACH_NLRI (RFC 4760) for the plain IPv4 / IPv6 families. Empty and frozen; a
 * family object holding one has at least one prefix, well-formed, without path identifiers (see update.ts).
 */
export const WIRE_WITHDRAWN: string[] = Object.freeze([]) as unknown as string[];
export const WIRE_NLRI: string[] = Object.freeze([]) as unknown as string[];
export const WIRE_MP_UNREACH: string[] = Object.freeze([]) as unknown as string[];
export const WIRE_MP_REACH: string[] = Object.freeze([]) as unknown as string[];

/** Whether `ps` is one of the WIRE_* stand-ins. */
export function isWirePrefixes(ps: readonly string[]): boolean {
  return ps === WIRE_NLRI || ps === WIRE_MP_REACH || ps === WIRE_WITHDRAWN || ps === WIRE_MP_UNREACH;
}

/** MASK4[len]: the network mask of an IPv4 prefix length, as int32 bits. */
const MASK4 = new Int32Array(33);
for (let i = 1; i <= 32; i++) MASK4[i] = (0xffffffff << (32 - i)) | 0;

const V4_SLOTS = 4096;
const v4Keys = new Int32Array(V4_SLOTS);
const v4Lens = new Int8Array(V4_SLOTS).fill(-1);
const v4Texts: string[] = new Array<string>(V4_SLOTS).fill('');

/** The IPv4 prefix of `len` bits (0..32) whose address bytes start at `p`, as 32 bits with the host bits cleared. */
export function ipv4Bits(b: Uint8Array, p: number, len: number): number {
  const n = (len + 7) >> 3;
  let v = 0;
  if (n > 0) {
    v = b[p]! << 24;
    if (n > 1) {
      v |= b[p + 1]! << 16;
      if (n > 2) {
        v |= b[p + 2]! << 8;
        if (n > 3) v |= b[p + 3]!;
      }
    }
  }
  return v & MASK4[len]!;
}

/** `a.b.c.d/len` of the masked address `v` at the start of the scratch characters; returns its length. */
function putIpv4Prefix(v: number, len: number): number {
  const q = putIpv4(0, v);
  chars[q] = 0x2f;
  return putByte(q + 1, len);
}

/** Text of the IPv4 prefix of `len` bits (0..32) whose address bytes start at `p`; caller checked they exist. */
export function ipv4PrefixText(b: Uint8Array, p: number, len: number): string {
  const v = ipv4Bits(b, p, len);
  // Route servers repeat the same prefixes from every peer: a small direct-mapped cache of recent texts.
  const slot = (v ^ (v >>> 11) ^ (v >>> 22) ^ len) & (V4_SLOTS - 1);
  if (v4Keys[slot] === v && v4Lens[slot] === len) return v4Texts[slot]!;
  const t = text(putIpv4Prefix(v, len));
  v4Keys[slot] = v;
  v4Lens[slot] = len;
  v4Texts[slot] = t;
  return t;
}

const V6 = new Uint8Array(16);

/**
 * The text of the IPv6 prefix of `len` bits whose address bytes start at `p`, put at the start of the scratch
 * characters (wire/ascii.ts chars) instead of made a string — the characters ipv6PrefixText makes its string
 * of; returns their count. Also for writers that print a run straight from the wire (sink/emit.ts).
 */
export function putIpv6Prefix(b: Uint8Array, p: number, len: number): number {
  const n = (len + 7) >> 3;
  V6.fill(0);
  for (let i = 0; i < n; i++) V6[i] = b[p + i]!;
  if (len & 7) V6[n - 1] = V6[n - 1]! & (0xff << (8 - (len & 7)));
  const q = putIpv6(0, V6, 0);
  chars[q] = 0x2f;
  return putByte(q + 1, len);
}

/** Text of the IPv6 prefix of `len` bits (0..128) whose address bytes start at `p`; caller checked they exist. */
export function ipv6PrefixText(b: Uint8Array, p: number, len: number): string {
  return text(putIpv6Prefix(b, p, len));
}

/**
 * Decode the prefixes in [start, end) into new lists set on `out`: `prefixes`, and `path_ids` when `addPath`
 * (RFC 7911 §3). `maxBits` is 32 or 128 and selects the text form. Throws DecodeError at the first prefix whose
 * length exceeds `maxBits` or whose bytes run past `end`; the prefixes before it are on `out` by then.
 *
 * The run is walked twice, first to count, so that the lists have exactly their length: most runs hold one
 * prefix, and a list grown by push() reserves 17 slots.
 */
export function decodePrefixes(
  b: Uint8Array,
  start: number,
  end: number,
  maxBits: number,
  addPath: boolean,
  out: { prefixes: string[]; path_ids: number[] | null },
): void {
  let k = 0;
  let p = start;
  let bad: DecodeError | null = null;
  while (p < end) {
    if (addPath) {
      if (p + 5 > end) {
        bad = new DecodeError('nlri_truncated', `path identifier and length need 5 bytes, ${end - p} left`, p);
        break;
      }
      p += 4;
    }
    const len = b[p]!;
    if (len > maxBits) {
      bad = new DecodeError('prefix_length', `prefix length ${len} > ${maxBits}`, p);
      break;
    }
    const n = (len + 7) >> 3;
    if (p + 1 + n > end) {
      bad = new DecodeError('nlri_truncated', `prefix /${len} needs ${n} address bytes, ${end - p - 1} left`, p);
      break;
    }
    p += 1 + n;
    k++;
  }
  const prefixes = new Array<string>(k);
  const ids = addPath ? new Array<number>(k) : null;
  const v4 = maxBits === 32;
  p = start;
  for (let i = 0; i < k; i++) {
    if (ids !== null) {
      ids[i] = u32(b, p);
      p += 4;
    }
    const len = b[p]!;
    prefixes[i] = v4 ? ipv4PrefixText(b, p + 1, len) : ipv6PrefixText(b, p + 1, len);
    p += 1 + ((len + 7) >> 3);
  }
  out.prefixes = prefixes;
  if (ids !== null) out.path_ids = ids;
  if (bad !== null) throw bad;
}

/** scanPrefixes result bits. */
export const SCAN_BROKEN = 1; // a length > maxBits, or a prefix running past the end
export const SCAN_HOST_BITS = 2; // bits set past a prefix length
export const SCAN_EARLY_ZERO = 4; // a /0 that is not the whole run (a default route is announced alone)

/** Check [start, end) as a run of prefixes without building text; returns SCAN_* bits (0 = clean). */
export function scanPrefixes(b: Uint8Array, start: number, end: number, maxBits: number, addPath: boolean): number {
  let p = start;
  let r = 0;
  while (p < end) {
    if (addPath) {
      if (p + 5 > end) return r | SCAN_BROKEN;
      p += 4;
    }
    const len = b[p]!;
    if (len > maxBits) return r | SCAN_BROKEN;
    const n = (len + 7) >> 3;
    if (p + 1 + n > end) return r | SCAN_BROKEN;
    if (len === 0 && !addPath && end - start > 1) r |= SCAN_EARLY_ZERO;
    if (len & 7 && b[p + n]! & (0xff >> (len & 7))) r |= SCAN_HOST_BITS;
    p += 1 + n;
  }
  return r;
}

/**
 * Guess whether [start, end) carries ADD-PATH path identifiers when no OPEN told us.
 *
 * The plain reading is kept unless it looks wrong and the path-id reading looks right. The plain reading
 * looks wrong when it does not tile the run, has a length > maxBits, has bits set past a prefix length, or
 * has a /0 in a run of several prefixes (a small path id such as 00 00 00 01 reads as three /0 prefixes).
 * The path-id reading looks right when it tiles exactly with no length > maxBits and no stray bits.
 * Wireshark's BGP dissector uses the same two tests (detect_add_path_prefix4/6).
 */
export function looksLikeAddPath(b: Uint8Array, start: number, end: number, maxBits: number): boolean {
  if (start >= end) return false;
  const plain = scanPrefixes(b, start, end, maxBits, false);
  if (plain === 0) return false;
  return (scanPrefixes(b, start, end, maxBits, true) & (SCAN_BROKEN | SCAN_HOST_BITS)) === 0;
}
