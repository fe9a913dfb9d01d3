// UPDATE message body (RFC 4271 §4.3):
//
//   +-----------------------------------------------------+
//   |   Withdrawn Routes Length (2 octets)                |
//   |   Withdrawn Routes (variable)                       |
//   |   Total Path Attribute Length (2 octets)            |
//   |   Path Attributes (variable)                        |
//   |   Network Layer Reachability Information (variable) |
//   +-----------------------------------------------------+
//
// Path attribute: Flags (1) | Type Code (1) | Length (1, or 2 with the Extended Length flag) | Value.
//
// Error handling follows RFC 7606, with one difference in spirit: bgpcap is an observer, so it never drops
// what it can decode. Outcomes:
//  - framing broken (Withdrawn Routes Length or Total Path Attribute Length past the message): DecodeError, no
//    message — nothing says where the NLRI are;
//  - an attribute header or length past the attribute area (RFC 7606 §4: the last attribute's length overruns
//    the Total Path Attribute Length, or fewer octets are left than a header takes): the attributes before it
//    decoded, the rest kept raw in a warning `attribute_length` / `attribute_header` with action
//    treat-as-withdraw, and the NLRI still read where the Total Path Attribute Length puts them, as §4 says
//    a speaker must locate them. A router withdraws those prefixes: the record is what tells a post-mortem
//    which ones;
//  - one attribute malformed: a warning with the RFC 7606 action (treat-as-withdraw, attribute discard,
//    session reset), the attribute's code and bytes (attributes/dispatch.ts), the attribute kept raw in
//    `other_attributes`, decoding goes on;
//  - classic NLRI / withdrawn routes malformed: a warning, prefixes up to the bad one kept.
//
// Two things depend on the session's OPENs (SessionParams) and are inferred when unknown (null):
//  - AS number width (RFC 6793): see inferAsnSize below;
//  - ADD-PATH path ids (RFC 7911): per NLRI run, see nlri.ts looksLikeAddPath.
//
// Warning codes: attribute_flags, attribute_duplicate, attribute_missing, and whatever code the attribute
// decoder's DecodeError carried (attribute_length, as_path_segment, next_hop_length, prefix_length,
// nlri_truncated, ...), origin_value, as_path_as0, aggregator_as0, as4_path_confed, as4_ignored,
// message_length, and inside ATTR_SET attr_set_as2, attr_set_depth. attributes/README.md lists each with its
// RFC 7606 action.

import type { Announcement, AsPathSegment, SessionParams, UpdateMessage, Withdrawal } from './model.js';
import { DecodeError } from '../wire/errors.js';
import { hex, u16, u32 } from '../wire/reader.js';
import { ipv4TextCached } from '../link/textcache.js';
import { ORIGIN, ORIGIN_NAMES } from './attributes/attr-01-origin.js';
import { NEXT_HOP } from './attributes/attr-03-next-hop.js';
import { MULTI_EXIT_DISC } from './attributes/attr-04-med.js';
import { LOCAL_PREF } from './attributes/attr-05-local-pref.js';
import { decodePrefixes, scanPrefixes, SCAN_BROKEN, SCAN_HOST_BITS, WIRE_NLRI, WIRE_WITHDRAWN } from './nlri.js';
import { AFI_IPV4, SAFI_UNICAST } from './families.js';
import {
  ATTR_AGGREGATOR,
  ATTR_AS4_AGGREGATOR,
  ATTR_AS4_PATH,
  ATTR_AS_PATH,
  ATTR_MP_REACH_NLRI,
  ATTR_MP_UNREACH_NLRI,
  ATTR_NEXT_HOP,
  ATTR_ORIGIN,
  UpdateContext,
  applyAttribute,
  attributeName,
} from './attributes/index.js';
import { AS_PATH, AS_TRANS, FIT_CLEAN, FIT_NO, asPathFit, flattenAsPath, mergeAs4Path, parseAsPath } from './attributes/attr-02-17-as-path.js';
import { COMMUNITIES, communitiesLengthOk, communityList } from './attributes/attr-08-communities.js';
import { LARGE_COMMUNITY, largeCommunitiesLengthOk, largeCommunityList } from './attributes/attr-32-large-communities.js';
import { FLAG_EXTENDED_LENGTH } from './attributes/types.js';
import { emptyAttributes } from './attributes/attr-128-attr-set.js';
import { NONE, add } from './lists.js';

/** RFC 4271 §4.1: largest message without the RFC 8654 Extended Message capability. */
export const MAX_MESSAGE = 4096;

/** What decodeUpdate had to guess because SessionParams said null; null = no guess was needed. */
export interface UpdateGuesses {
  as4: boolean | null;
  addPath: boolean | null;
}

const ctx = new UpdateContext();
/** Attribute spans found by the framing pass: [flags << 8 | code, value start, value end, header start]. */
let spans = new Int32Array(4 * 256);
/** seen[code] === generation: attribute `code` already met in the current message (no clearing per message). */
const seen = new Uint32Array(256);
let generation = 0;
const CLASSIC_KEY = '1:1';
const ATTR_BGPSEC_PATH = 33;

/**
 * Choose the AS number width of an UPDATE from a session that has not shown its OPENs (RFC 6793 §4).
 *
 *  1. An AGGREGATOR of length 8 means 4 octets, 6 means 2 — if AS_PATH also reads that way.
 *  2. Otherwise read AS_PATH both ways (asPathFit): a reading whose segments do not tile the attribute
 *     exactly loses; then a reading containing AS 0 loses (RFC 7607 forbids AS 0, and it is what the zero
 *     high halves of 4-octet ASNs below 65536 look like when read 2 octets at a time).
 *  3. Still tied (rare: both readings tile and neither has AS 0): 2 octets if the UPDATE carries AS4_PATH
 *     (RFC 6793 §6: AS4_PATH is never sent between two 4-octet speakers), else 4 octets, the norm today.
 */
function inferAsnSize(b: Uint8Array, pathStart: number, pathEnd: number, aggLen: number, hasAs4Path: boolean): 2 | 4 {
  const f4 = pathEnd > pathStart ? asPathFit(b, pathStart, pathEnd, 4) : FIT_CLEAN;
  const f2 = pathEnd > pathStart ? asPathFit(b, pathStart, pathEnd, 2) : FIT_CLEAN;
  if (aggLen === 8 && f4 !== FIT_NO) return 4;
  if (aggLen === 6 && f2 !== FIT_NO) return 2;
  if (f4 > f2) return 4;
  if (f2 > f4) return 2;
  return hasAs4Path ? 2 : 4;
}

/** The ADD-PATH guess for the classic withdrawn routes and NLRI together (both IPv4 unicast, same sender). */
function classicLooksAddPath(b: Uint8Array, wStart: number, wEnd: number, nStart: number, nEnd: number): boolean {
  const plain = scanPrefixes(b, wStart, wEnd, 32, false) | scanPrefixes(b, nStart, nEnd, 32, false);
  if (plain === 0) return false;
  const withIds = scanPrefixes(b, wStart, wEnd, 32, true) | scanPrefixes(b, nStart, nEnd, 32, true);
  return (withIds & (SCAN_BROKEN | SCAN_HOST_BITS)) === 0;
}

function asDecodeError(e: unknown, offset: number): DecodeError {
  if (e instanceof DecodeError) return e;
  return new DecodeError('internal', `internal decoder error: ${e instanceof Error ? e.message : String(e)}`, offset);
}

/** Classic prefixes of [start, end) onto `out`; a malformed run becomes a warning (RFC 7606 §5.3). */
function classicPrefixes(b: Uint8Array, start: number, end: number, addPath: boolean, what: string, out: Withdrawal): void {
  try {
    decodePrefixes(b, start, end, 32, addPath, out);
  } catch (e) {
    const err = asDecodeError(e, start);
    ctx.warn(err.code, `${what}: ${err.message} (RFC 7606 §5.3: session reset); later prefixes not decoded`, err.offset, 'session-reset');
  }
}

/**
 * Leave the classic run [start, end) as bytes when decodePrefixes would decode it without an error (see
 * PART_DEFER_PREFIXES): `out.prefixes` becomes `standIn` and the span goes to deferred[at], deferred[at + 1].
 * False when the run has to be decoded now (it warns).
 */
function deferRun(b: Uint8Array, start: number, end: number, out: Withdrawal, standIn: string[], at: number): boolean {
  if (scanPrefixes(b, start, end, 32, false) & SCAN_BROKEN) return false;
  out.prefixes = standIn;
  deferred[at] = start;
  deferred[at + 1] = end;
  return true;
}

/**
 * The stand-in `attr_codes` of a message decoded with PART_DEFER or PART_DEFER_PREFIXES that has attributes:
 * attributeCodes() gives the list (update-lazy.ts reads it when something asks). Empty and frozen.
 */
export const ATTR_CODES_WIRE: number[] = Object.freeze([]) as unknown as number[];

/**
 * The type code of every path attribute of the UPDATE at [0, end) of `b`, in wire order, duplicates included
 * (UpdateMessage.attr_codes); for a message whose framing frameUpdate accepted.
 */
export function attributeCodes(b: Uint8Array): number[] {
  const aLenAt = 21 + u16(b, 19);
  const aEnd = aLenAt + 2 + u16(b, aLenAt);
  const codes: number[] = [];
  // The attributes frameUpdate framed: up to one that does not fit (RFC 7606 §4), which is not listed.
  for (let q = aLenAt + 2; q < aEnd; ) {
    const hdrLen = b[q]! & FLAG_EXTENDED_LENGTH ? 4 : 3;
    if (q + hdrLen > aEnd) break;
    const next = q + hdrLen + (hdrLen === 4 ? u16(b, q + 2) : b[q + 2]!);
    if (next > aEnd) break;
    codes.push(b[q + 1]!);
    q = next;
  }
  return codes;
}

/** Results of frameUpdate besides the AS width, for decodeUpdate (valid until the next frameUpdate). */
let frWLen = 0;
let frWEnd = 0;
let frAStart = 0;
let frAEnd = 0;
let frCount = 0;
/**
 * RFC 7606 §4: header offset of the attribute that does not fit in the attribute area (frCount attributes
 * before it were framed), -1 when every one fits.
 */
let frBrokenAt = -1;
/** Counts successful frameUpdate calls: a caller that framed a message may pass it to decodeUpdate (framed). */
let frGen = 0;
let frAsn: 2 | 4 = 4;
let frGuessAs4: boolean | null = null;

/** The generation of the last successful frameUpdate (decodeUpdate's `framed`). */
export function frameGeneration(): number {
  return frGen;
}

/**
 * Pass 1 of an UPDATE at [0, end) of `b` (header included; the caller has checked end >= 23): check the
 * framing of the withdrawn routes and the path attributes (RFC 4271 §4.3) and choose the AS number width
 * (from `params`, else inferred and noted in `guesses.as4`). Throws DecodeError when the Withdrawn Routes or
 * the attribute area runs past the message, the only failure that leaves no message; an attribute that does
 * not fit in the attribute area ends the framed attributes (RFC 7606 §4: frBrokenAt, decodeUpdate warns).
 * Cheap: one walk over the attribute headers, nothing allocated. The lazy decoder (update-lazy.ts) runs this
 * alone before deciding that a message is an UPDATE it can hand on.
 */
export function frameUpdate(b: Uint8Array, end: number, params: SessionParams, guesses: UpdateGuesses): 2 | 4 {
  guesses.as4 = null;
  guesses.addPath = null;

  const wLen = u16(b, 19);
  const wStart = 21;
  const wEnd = wStart + wLen;
  if (wEnd + 2 > end) {
    throw new DecodeError('withdrawn_length', `Withdrawn Routes Length ${wLen} runs past the message (${end - wStart - 2} bytes available)`, 19);
  }
  const aLen = u16(b, wEnd);
  const aStart = wEnd + 2;
  const aEnd = aStart + aLen;
  if (aEnd > end) {
    throw new DecodeError('path_attributes_length', `Total Path Attribute Length ${aLen} runs past the message (${end - aStart} bytes available)`, wEnd);
  }

  // Frame the attributes (RFC 4271 §4.3) and note what the AS-width guess needs.
  let n = 0;
  let q = aStart;
  let pathStart = -1;
  let pathEnd = -1;
  let aggLen = -1;
  let hasAs4Path = false;
  let brokenAt = -1;
  while (q < aEnd) {
    const flags = b[q]!;
    const hdrLen = flags & FLAG_EXTENDED_LENGTH ? 4 : 3;
    // RFC 7606 §4: an attribute that does not fit ends the attributes; the NLRI are still where the Total Path
    // Attribute Length says (decodeUpdate warns).
    if (q + hdrLen > aEnd) {
      brokenAt = q;
      break;
    }
    const code = b[q + 1]!;
    const len = hdrLen === 4 ? u16(b, q + 2) : b[q + 2]!;
    const vStart = q + hdrLen;
    const vEnd = vStart + len;
    if (vEnd > aEnd) {
      brokenAt = q;
      break;
    }
    if (n * 4 + 4 > spans.length) {
      const bigger = new Int32Array(spans.length * 2);
      bigger.set(spans);
      spans = bigger;
    }
    spans[n * 4] = (flags << 8) | code;
    spans[n * 4 + 1] = vStart;
    spans[n * 4 + 2] = vEnd;
    spans[n * 4 + 3] = q;
    n++;
    if (code === ATTR_AS_PATH && pathStart < 0) {
      pathStart = vStart;
      pathEnd = vEnd;
    } else if (code === ATTR_AGGREGATOR && aggLen < 0) aggLen = len;
    else if (code === ATTR_AS4_PATH) hasAs4Path = true;
    q = vEnd;
  }
  frWLen = wLen;
  frWEnd = wEnd;
  frAStart = aStart;
  frAEnd = aEnd;
  frCount = n;
  frBrokenAt = brokenAt;

  let asnSize: 2 | 4 = 4;
  if (params.as4 !== null) asnSize = params.as4 ? 4 : 2;
  else if (pathEnd > pathStart || aggLen >= 0 || hasAs4Path) {
    asnSize = inferAsnSize(b, pathStart, pathEnd, aggLen, hasAs4Path);
    guesses.as4 = asnSize === 4;
  }
  frGen = (frGen + 1) | 0;
  frAsn = asnSize;
  frGuessAs4 = guesses.as4;
  return asnSize;
}

/**
 * The message PART_PREFIXES decodes into: one object reused for every call, only its `withdrawals` and
 * `announcements` arrays are new each time (they are what the caller takes away).
 */
const scratch: UpdateMessage = emptyAttributes();

function prefixesScratch(): UpdateMessage {
  const m = scratch;
  m.withdrawals = NONE;
  m.announcements = NONE;
  m.as_path = null;
  m.as_path_segments = null;
  m.next_hop = null;
  m.aggregator_asn = null;
  m.aggregator_ip = null;
  m.other_attributes = NONE;
  m.warnings = NONE;
  m.end_of_rib = null;
  return m;
}

/**
 * What decodeUpdate decodes: the whole message; only its prefixes (`withdrawals`, `announcements`); or the
 * whole message but for the deferred attributes (see `deferred`).
 */
export const PART_ALL = 0;
export const PART_PREFIXES = 1;
export const PART_DEFER = 2;
/** PART_DEFER, and runs of plain prefixes left as bytes too (see after `deferred`). */
export const PART_DEFER_PREFIXES = 3;
/**
 * PART_PREFIXES with the runs of plain prefixes left as bytes as PART_DEFER_PREFIXES leaves them (the same
 * runs, the same spans): for a reader of the prefix lists alone that reads the prefixes from their bytes
 * (update-lazy.ts prefixLists, stage 2's prefix filters).
 */
export const PART_PREFIXES_WIRE = 4;

/**
 * PART_DEFER leaves undecoded the attributes whose values are lists of many small objects — AS_PATH (an array
 * per segment), COMMUNITIES and LARGE_COMMUNITY (a string each) — when decoding them could not warn: flags as
 * RFC 4271 §5 wants, a length their RFC allows, AS_PATH segments that tile the attribute without AS 0, on a
 * 4-octet session (on a 2-octet one AS4_PATH may have to be merged in: decoded now). They were about a quarter
 * of the bytes a full decode allocated on the bench corpora; the byte writers print them from the wire
 * (sink/emit.ts) and update-lazy.ts decodes them when something reads them, with the same decoders, so the
 * values are the same as decoding them now. Value spans [start, end) of the last PART_DEFER call, -1 when not
 * deferred: AS_PATH at 0, 1; COMMUNITIES at 2, 3; LARGE_COMMUNITY at 4, 5; with PART_DEFER_PREFIXES the
 * prefix runs at 6-13 (below).
 */
export const deferred = new Int32Array(14);

// PART_DEFER_PREFIXES leaves runs of plain prefixes undecoded when decoding them could not warn: the classic
// Withdrawn Routes and NLRI (IPv4 unicast, RFC 4271 §4.3) and the NLRI of MP_UNREACH_NLRI / MP_REACH_NLRI for
// IPv4 and IPv6 unicast and multicast (RFC 4760; attributes/types.ts deferNlri), each when it has no path
// identifiers, every length fits the family and every prefix lies inside the field — the conditions under
// which decodePrefixes neither throws nor stops early. The family object is listed as usual, its `prefixes`
// one of nlri.ts's WIRE_* stand-ins, and the spans are in `deferred` (classic at 6-9, MP_UNREACH at 10, 11,
// MP_REACH at 12, 13). A prefix's text was most of what decoding a multi-prefix UPDATE allocated (a string
// each, garbage as soon as it was printed); the jsonl and line writers print these runs from the wire
// (sink/emit.ts prefixesWire) and update-lazy.ts decodes them with decodePrefixes before anything else reads
// the lists.

/**
 * The flags and value pass the checks the attribute's decoder and dispatch.ts would make (no warning): PART_DEFER
 * may leave it as bytes, and undeferValue gives what decoding it now would. Also stage 2's verdict before
 * decoding (src/filter/stage2.ts), which reads these values from the bytes under the same condition.
 */
export function deferrable(b: Uint8Array, flags: number, code: number, vStart: number, vEnd: number, asnSize: 2 | 4): boolean {
  const kind = flags & 0xc0;
  if (code === COMMUNITIES.code) return kind === COMMUNITIES.flags && communitiesLengthOk(vEnd - vStart);
  if (code === AS_PATH.code) return kind === AS_PATH.flags && asnSize === 4 && asPathFit(b, vStart, vEnd, 4) === FIT_CLEAN;
  if (code === LARGE_COMMUNITY.code) return kind === LARGE_COMMUNITY.flags && largeCommunitiesLengthOk(vEnd - vStart);
  return false;
}

/**
 * ORIGIN, NEXT_HOP, MULTI_EXIT_DISC and LOCAL_PREF whose flags and value their decoders accept without a
 * warning (attributes/attr-01-origin.ts, attr-03-next-hop.ts, attr-04-med.ts, attr-05-local-pref.ts: the
 * Optional/Transitive bits of RFC 4271 §5, the one length each allows, an ORIGIN value RFC 4271 §4.3 defines):
 * fixedValue below, and update-wire.ts, which reads such an attribute in place.
 */
export function fixedClean(b: Uint8Array, flags: number, code: number, vStart: number, vEnd: number): boolean {
  const kind = flags & 0xc0;
  const len = vEnd - vStart;
  switch (code) {
    case ATTR_ORIGIN:
      return kind === ORIGIN.flags && len === 1 && b[vStart]! < ORIGIN_NAMES.length;
    case ATTR_NEXT_HOP:
      return kind === NEXT_HOP.flags && len === 4;
    case MULTI_EXIT_DISC.code:
      return kind === MULTI_EXIT_DISC.flags && len === 4;
    case LOCAL_PREF.code:
      return kind === LOCAL_PREF.flags && len === 4;
  }
  return false;
}

/**
 * An attribute fixedClean accepts goes into `m` here, as its decoder would put it, and true is returned;
 * anything else is left to applyAttribute, which decodes or warns. Nearly every UPDATE carries two to four of
 * them, and the way through dispatch.ts (the table, the call to one of twenty decoders, the try) cost more than
 * the value.
 */
function fixedValue(m: UpdateMessage, b: Uint8Array, flags: number, code: number, vStart: number, vEnd: number): boolean {
  if (!fixedClean(b, flags, code, vStart, vEnd)) return false;
  if (code === ATTR_ORIGIN) m.origin = ORIGIN_NAMES[b[vStart]!]!;
  else if (code === ATTR_NEXT_HOP) m.next_hop = ipv4TextCached(b, vStart);
  else if (code === MULTI_EXIT_DISC.code) m.med = u32(b, vStart);
  else m.local_pref = u32(b, vStart);
  return true;
}

/** The attributes deferrable() may accept: AS_PATH, COMMUNITIES, LARGE_COMMUNITY. */
export type DeferredCode = 2 | 8 | 32;

/**
 * Decode the value [start, end) of an attribute deferrable() accepted (4-octet ASNs for AS_PATH) into `m`'s
 * fields, with the functions the attribute decoders use (update-lazy.ts, when the value is read).
 */
export function undeferValue(m: UpdateMessage, b: Uint8Array, code: DeferredCode, start: number, end: number): void {
  if (code === AS_PATH.code) {
    const segs = parseAsPath(b, start, end, 4, 'AS_PATH');
    m.as_path_segments = segs;
    m.as_path = flattenAsPath(segs);
  } else if (code === COMMUNITIES.code) m.communities = communityList(b, start, end);
  else m.large_communities = largeCommunityList(b, start, end);
}

/**
 * Decode the UPDATE at [0, end) of `b` (header included; the caller has checked end >= 23). Throws
 * DecodeError only for broken framing; everything else is a warning on the returned message.
 *
 * With `part` PART_PREFIXES only the classic withdrawn routes and NLRI, NEXT_HOP, MP_REACH_NLRI and
 * MP_UNREACH_NLRI are decoded: `withdrawals` and `announcements` come out exactly as with PART_ALL (nothing
 * else reaches them), the other fields stay empty and the warnings are incomplete; and the returned object is
 * a scratch object that the next PART_PREFIXES call reuses: take the two arrays, drop the rest. PART_DEFER,
 * PART_DEFER_PREFIXES and PART_PREFIXES_WIRE (PART_PREFIXES as PART_DEFER_PREFIXES leaves its runs) leave some
 * attributes or runs of prefixes as bytes, their spans in `deferred` (see there): for update-lazy.ts only.
 */
export function decodeUpdate(b: Uint8Array, end: number, params: SessionParams, guesses: UpdateGuesses, part = PART_ALL, framed = -1): UpdateMessage {
  // `framed`: the caller framed exactly this message (same bytes, unchanged, same parameters) with the last
  // frameUpdate call, whose generation this is: its results are still valid, so the walk is not repeated (the
  // lazy decoder frames every UPDATE first and decodes it in full when the sink asks, before the next one).
  let asnSize: 2 | 4;
  if (framed === frGen && framed !== -1) {
    asnSize = frAsn;
    guesses.as4 = frGuessAs4;
    guesses.addPath = null;
  } else asnSize = frameUpdate(b, end, params, guesses);
  const wLen = frWLen;
  const wStart = 21;
  const wEnd = frWEnd;
  const aStart = frAStart;
  const aEnd = frAEnd;
  const n = frCount;
  const brokenAt = frBrokenAt;

  const prefixesOnly = part === PART_PREFIXES || part === PART_PREFIXES_WIRE;
  const msg: UpdateMessage = prefixesOnly ? prefixesScratch() : emptyAttributes();
  const defer = part === PART_DEFER || part === PART_DEFER_PREFIXES;
  const deferRuns = part === PART_DEFER_PREFIXES || part === PART_PREFIXES_WIRE;
  if (defer || deferRuns) {
    // (Stores: fill() is a builtin call that cost more than the rest of this preamble.)
    deferred[0] = deferred[1] = deferred[2] = deferred[3] = deferred[4] = deferred[5] = -1;
    deferred[6] = deferred[7] = deferred[8] = deferred[9] = -1;
    deferred[10] = deferred[11] = deferred[12] = deferred[13] = -1;
  }
  // One code per framed attribute, duplicates included: sized once instead of grown by push(). Not for the lazy
  // decoder's parts: few readers want the list, and it can be read off the bytes later (ATTR_CODES_WIRE).
  let codes: number[] | null = null;
  if (part === PART_ALL && n > 0) codes = msg.attr_codes = new Array<number>(n);
  else if (defer && n > 0) msg.attr_codes = ATTR_CODES_WIRE;
  ctx.reset(msg, b, asnSize, params.add_path_send);
  ctx.deferMp = deferRuns;
  if (end > MAX_MESSAGE && !params.extended_message) {
    ctx.warn('message_length', `UPDATE of ${end} bytes without the Extended Message capability (RFC 8654)`, 16);
  }

  // Classic withdrawn routes and NLRI: IPv4 unicast (RFC 4271), listed before the MP families.
  const nStart = aEnd;
  let classicAddPath = false;
  if (wLen > 0 || end > nStart) {
    // (size first: most sessions negotiate ADD-PATH for nothing, and the lookup is a string hash per UPDATE.)
    if (params.add_path_send !== null) classicAddPath = params.add_path_send.size !== 0 && params.add_path_send.has(CLASSIC_KEY);
    else {
      classicAddPath = classicLooksAddPath(b, wStart, wEnd, nStart, end);
      ctx.addPathGuess = classicAddPath;
    }
  }
  const deferClassic = deferRuns && !classicAddPath;
  if (wLen > 0) {
    const w: Withdrawal = { afi: AFI_IPV4, safi: SAFI_UNICAST, prefixes: NONE, path_ids: null };
    if (!(deferClassic && deferRun(b, wStart, wEnd, w, WIRE_WITHDRAWN, 6))) classicPrefixes(b, wStart, wEnd, classicAddPath, 'Withdrawn Routes', w);
    msg.withdrawals = add(msg.withdrawals, w);
  }
  let classic: Announcement | null = null;
  if (end > nStart) {
    classic = { afi: AFI_IPV4, safi: SAFI_UNICAST, next_hop: null, next_hop_ll: null, prefixes: NONE, path_ids: null };
    if (!(deferClassic && deferRun(b, nStart, end, classic, WIRE_NLRI, 8))) classicPrefixes(b, nStart, end, classicAddPath, 'NLRI', classic);
    msg.announcements = add(msg.announcements, classic);
  }

  // Pass 2: decode the attributes in wire order.
  if (++generation === 0xffffffff) {
    seen.fill(0);
    generation = 1;
  }
  const gen = generation;
  let as4PathAt = -1;
  let as4AggAt = -1;
  for (let i = 0; i < n; i++) {
    const fc = spans[i * 4]!;
    const flags = fc >> 8;
    const code = fc & 255;
    const vStart = spans[i * 4 + 1]!;
    const vEnd = spans[i * 4 + 2]!;
    const hdr = spans[i * 4 + 3]!;
    if (prefixesOnly) {
      if (code !== ATTR_NEXT_HOP && code !== ATTR_MP_REACH_NLRI && code !== ATTR_MP_UNREACH_NLRI) continue;
    } else if (codes !== null) codes[i] = code;
    if (seen[code] === gen) {
      // RFC 7606 §3(g): a repeated MP_REACH/MP_UNREACH is a session reset; any other repeat: keep the first.
      ctx.setAttr(code, hdr, vEnd);
      if (code === ATTR_MP_REACH_NLRI || code === ATTR_MP_UNREACH_NLRI) {
        ctx.attrWarn('attribute_duplicate', `${attributeName(code)} appears more than once (RFC 7606 §3(g): session reset); all decoded`, hdr, 'session-reset');
      } else {
        ctx.attrWarn('attribute_duplicate', `${attributeName(code)} appears more than once (RFC 7606 §3(g): all but the first discarded); kept raw`, hdr, 'attribute-discard');
        msg.other_attributes = add(msg.other_attributes, { code, flags, hex: hex(b, vStart, vEnd) });
        continue;
      }
    }
    seen[code] = gen;
    if (defer && deferrable(b, flags, code, vStart, vEnd, asnSize)) {
      const k = code === AS_PATH.code ? 0 : code === COMMUNITIES.code ? 2 : 4;
      deferred[k] = vStart;
      deferred[k + 1] = vEnd;
      continue;
    }
    if (fixedValue(msg, b, flags, code, vStart, vEnd)) continue;
    // Flags check, decode, RFC 7606 warning and raw copy on failure: dispatch.ts.
    if (applyAttribute(ctx, b, flags, code, hdr, vStart, vEnd)) {
      if (code === ATTR_AS4_PATH) as4PathAt = i;
      else if (code === ATTR_AS4_AGGREGATOR) as4AggAt = i;
    }
  }

  if (brokenAt >= 0 && !prefixesOnly) {
    // RFC 7606 §4: the attribute area ends in an attribute that does not fit; its bytes and everything after
    // it up to the NLRI go into the warning (code and hex), the prefixes stay listed.
    const left = aEnd - brokenAt;
    const hdrLen = b[brokenAt]! & FLAG_EXTENDED_LENGTH ? 4 : 3;
    const code = left >= 2 ? b[brokenAt + 1]! : -1;
    ctx.setAttr(code, brokenAt, aEnd);
    const why = 'RFC 7606 §4: treat-as-withdraw; the NLRI read where the Total Path Attribute Length puts them';
    if (left < hdrLen) {
      const text = `${left} byte(s) left in the path attributes, an attribute header needs ${hdrLen} (${why})`;
      ctx.attrWarn('attribute_header', text, brokenAt, 'treat-as-withdraw', true);
    } else {
      const len = hdrLen === 4 ? u16(b, brokenAt + 2) : b[brokenAt + 2]!;
      const text = `${attributeName(code)} length ${len} runs past the path attributes (${left - hdrLen} bytes left; ${why})`;
      ctx.attrWarn('attribute_length', text, brokenAt, 'treat-as-withdraw');
    }
  }

  // RFC 6793 §4.2.3: on a 2-octet session, AS4_PATH / AS4_AGGREGATOR carry the real 4-octet values.
  let segs: AsPathSegment[] | null = ctx.asPath;
  let as4Unused = false;
  if (asnSize === 2) {
    if (msg.aggregator_asn !== null && msg.aggregator_asn !== AS_TRANS) {
      if (ctx.as4Path !== null || ctx.as4AggregatorAsn >= 0) {
        ctx.warn('as4_ignored', 'AGGREGATOR AS is not AS_TRANS, so AS4_PATH and AS4_AGGREGATOR are ignored (RFC 6793 §4.2.3)', aStart);
        as4Unused = true;
      }
    } else {
      if (ctx.as4AggregatorAsn >= 0 && msg.aggregator_asn !== null) {
        msg.aggregator_asn = ctx.as4AggregatorAsn;
        msg.aggregator_ip = ctx.as4AggregatorIp;
      }
      if (ctx.as4Path !== null && segs !== null) {
        const merged = mergeAs4Path(segs, ctx.as4Path);
        if (merged !== null) segs = merged;
        else {
          ctx.warn('as4_ignored', 'AS4_PATH has more ASNs than AS_PATH and is ignored (RFC 6793 §4.2.3)', aStart);
          as4Unused = true;
        }
      }
    }
  } else if (ctx.as4Path !== null || ctx.as4AggregatorAsn >= 0) {
    ctx.warn('as4_ignored', 'AS4_PATH/AS4_AGGREGATOR on a 4-octet AS session are ignored (RFC 6793 §6)', aStart);
    as4Unused = true;
  }
  if (as4Unused) {
    // Keep what the merge did not use visible.
    for (const at of [as4PathAt, as4AggAt]) {
      if (at >= 0) msg.other_attributes = add(msg.other_attributes, { code: spans[at * 4]! & 255, flags: spans[at * 4]! >> 8, hex: hex(b, spans[at * 4 + 1]!, spans[at * 4 + 2]!) });
    }
  }
  if (segs !== null) {
    msg.as_path_segments = segs;
    msg.as_path = flattenAsPath(segs);
  }
  if (classic !== null) classic.next_hop = msg.next_hop;

  // RFC 7606 §3(d) / RFC 4271 §6.3: an UPDATE with reachability needs ORIGIN and AS_PATH, and NEXT_HOP for
  // classic NLRI.
  // (Not for PART_PREFIXES, which skipped those attributes; nor when the attributes end in one that does not
  // fit, whose bytes may hold them: the RFC 7606 §4 warning above already says treat-as-withdraw.)
  if (!prefixesOnly && brokenAt < 0 && (classic !== null || seen[ATTR_MP_REACH_NLRI] === gen)) {
    if (seen[ATTR_ORIGIN] !== gen) ctx.warn('attribute_missing', 'ORIGIN missing (RFC 7606 §3(d): treat-as-withdraw)', aStart, 'treat-as-withdraw');
    // RFC 8205 §4.1: a BGPsec UPDATE carries BGPsec_PATH instead of AS_PATH.
    if (seen[ATTR_AS_PATH] !== gen && seen[ATTR_BGPSEC_PATH] !== gen) {
      ctx.warn('attribute_missing', 'AS_PATH missing (RFC 7606 §3(d): treat-as-withdraw)', aStart, 'treat-as-withdraw');
    }
    if (classic !== null && seen[ATTR_NEXT_HOP] !== gen) {
      ctx.warn('attribute_missing', 'NEXT_HOP missing for the NLRI field (RFC 7606 §3(d): treat-as-withdraw)', aStart, 'treat-as-withdraw');
    }
  }

  // RFC 4724 §2 End-of-RIB: an empty UPDATE for IPv4 unicast; for other families an UPDATE whose only
  // content is an MP_UNREACH_NLRI with no withdrawn routes.
  if (end === 23) msg.end_of_rib = [[AFI_IPV4, SAFI_UNICAST]];
  else if (
    n === 1 &&
    brokenAt < 0 &&
    wLen === 0 &&
    end === aEnd &&
    (spans[0]! & 255) === ATTR_MP_UNREACH_NLRI &&
    spans[2]! - spans[1]! === 3
  ) {
    const v = spans[1]!;
    msg.end_of_rib = [[u16(b, v), b[v + 2]!]];
  }

  if (ctx.deferMp) {
    deferred[10] = ctx.unreachStart;
    deferred[11] = ctx.unreachEnd;
    deferred[12] = ctx.reachStart;
    deferred[13] = ctx.reachEnd;
  }
  guesses.addPath = ctx.addPathGuess;
  return msg;
}
