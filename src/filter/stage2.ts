// Stage 2: BGP field filters over records, compiled once into a tree of closures.
//
// Evaluation is lazy in three steps:
//
//  1. Before decoding (rejectsUndecoded): the pipeline hands the message header, the connection's addresses,
//     ports and ASNs, and the raw bytes. Keys known there (msg_type, peer_*, local_*, ports, mux, time) are
//     decided exactly; for an UPDATE one bounded walk over the attribute headers says which attributes are
//     present and whether any prefix is, which is enough to know that `community 65535:666` cannot match a
//     message without COMMUNITIES. Two kinds of leaves go further, reading values from the bytes where the
//     decoder would read them without a warning, with the session's parameters (else they stay unknown):
//      - a part of the filter that reads the elem alone (prefix relations, type, family, path id) is tested
//        on every prefix: runs of plain prefixes straight from the bytes (plainRuns), other families through
//        one scratch LazyUpdate's prefix lists;
//      - communities, large communities and the AS path (and what derives from it) are read from their
//        attribute (wireAttrPre).
//     The tree is evaluated in three-valued logic (false / true / unknown); a message that is false there is
//     never made into a record: the pipeline asks while the framer still has the message in its buffer
//     (tcp/stream.ts peek), so it is not even copied. OPENs are always decoded (the session needs them).
//  2. After decoding, and/or check their cheapest children first (keys.ts `cost`): header fields, then the
//     message, the prefix, single attributes, attribute lists, and last the AS path regular expression, whose
//     path text is built once per message.
//  3. Per prefix: the tree is evaluated for an elem cursor (the prefix being written). A withdrawn prefix has
//     no path attributes (RFC 4271 §4.3: they describe the NLRI), as in the elem output.
//
// What a record is tested as — the same rule for both levels, so `--level msg` keeps exactly the messages
// that give at least one record at `--level elem`:
//
//  - an UPDATE with prefixes (and no error) is a set of elems: at elem level each elem is kept or dropped; at
//    msg level the message is kept when ANY of its elems matches;
//  - every other record (OPEN, KEEPALIVE, NOTIFICATION, ROUTE-REFRESH, End-of-RIB, malformed UPDATE, event)
//    is tested whole, with no prefix: prefix keys have no value there.

import type { NotificationMessage, SessionParams, UpdateMessage } from '../bgp/model.js';
import { MSG_NOTIFICATION, MSG_UPDATE } from '../bgp/model.js';
import type { BgpRecord } from '../record.js';
import { anyPrefixIn, newElem, splittable, visitElems, visitWireRun, type Elem } from '../sink/elem.js';
import { LazyUpdate } from '../bgp/update-lazy.js';
import { deferrable, frameGeneration, frameUpdate, undeferValue, type DeferredCode, type UpdateGuesses } from '../bgp/update.js';
import { scanPrefixes, SCAN_BROKEN } from '../bgp/nlri.js';
import { u16 } from '../wire/reader.js';
import { AFI_IPV4, SAFI_UNICAST, mpFamily } from '../bgp/families.js';
import { emptyAttributes } from '../bgp/attributes/attr-128-attr-set.js';
import { asPathText } from '../sink/format.js';
import type { Timestamp } from '../types.js';
import { FilterError, print, type Node, type Pred } from './expr/ast.js';
import { listLeaf, scalarLeaf, valueTests, type Tests } from './match.js';
import { forgetPrefixRef } from './values.js';

/** Three-valued results of evaluating before decoding. */
export const F = 0;
export const T = 1;
export const U = 2;
export type Tri = 0 | 1 | 2;

/**
 * What is known about a message before it is decoded. The pipeline fills one object per run and reuses it;
 * the field names are the record's.
 */
export interface MessageHead {
  kind: 'message';
  ts: Timestamp;
  iface: string | null;
  mux: string | null;
  peer_ip: string | null;
  peer_asn: number | null;
  local_ip: string | null;
  local_asn: number | null;
  src_port: number | null;
  dst_port: number | null;
  /** Type code from the BGP header. */
  msg_type: number;
  /**
   * The bytes holding the message (header included) at [start, end); valid only while stage 2 looks at it
   * (the pipeline hands the framer's buffer, which may be the capture's read buffer, reused afterwards).
   */
  raw: Uint8Array;
  start: number;
  end: number;
  /** The sending side's session parameters, as the decoder will get them; null: prefixes left undecided. */
  params: SessionParams | null;
}

/** The header fields of a record or of a MessageHead. */
type Head = Pick<BgpRecord, 'ts' | 'iface' | 'mux' | 'peer_ip' | 'peer_asn' | 'local_ip' | 'local_asn' | 'src_port' | 'dst_port'> & {
  kind: 'message' | 'event';
  msg_type?: number;
};

type Pred2 = (r: BgpRecord, e: Elem | null) => boolean;

interface Compiled {
  test: Pred2;
  pre: (h: MessageHead) => Tri;
  cost: number;
  /** Depends on the prefix itself (not only on whether it is announced or withdrawn). */
  perElem: boolean;
  /** Reads the elem alone (keys of the prefix, its family, type and path id): decided before decoding per elem. */
  elemOnly: boolean;
}

// ---------------------------------------------------------------------------------------------- raw scan

/**
 * Attribute presence of an UPDATE, from one walk over its attribute headers (RFC 4271 §4.3), bounded by the
 * lengths the message declares. `present[code] === gen` marks a code seen in the current scan; a message whose
 * lengths do not add up is left unknown (scanOk false) and decoded as usual.
 */
const present = new Uint32Array(256);
let gen = 0;
let scanOk = false;
let anyPrefix = false;
/**
 * The scanned message's classic Withdrawn Routes end at scanWEnd, its NLRI field runs [scanAEnd, scanEnd)
 * (positions in MessageHead.raw; scanEnd is where the header's length ends the message).
 */
let scanWEnd = 0;
let scanAEnd = 0;
let scanEnd = 0;
/**
 * Flags, value start and end of the scanned message's first COMMUNITIES (0-2), LARGE_COMMUNITY (3-5) and
 * AS_PATH (6-8); value start and end of its MP_REACH_NLRI (9, 10) and MP_UNREACH_NLRI (11, 12).
 */
const firstAttr = new Int32Array(13);
/** Where a deferrable attribute's flags, start and end are in firstAttr. */
function slotOf(code: DeferredCode): number {
  return code === 2 ? 6 : code === 8 ? 0 : 3;
}
/** The scanned message has MP_REACH_NLRI or MP_UNREACH_NLRI more than once. */
let mpRepeated = false;
let preGen = 0;
let scannedGen = -1;

/** Scan the message b[o, limit): positions below (firstAttr, scanWEnd, ...) are positions in `b`. */
function scanUpdate(b: Uint8Array, o: number, limit: number): void {
  scannedGen = preGen;
  gen = (gen + 1) >>> 0 || 1;
  scanOk = false;
  mpRepeated = false;
  const avail = limit - o;
  const len = o + Math.min(avail, avail >= 18 ? (b[o + 16]! << 8) | b[o + 17]! : 0);
  if (len < o + 23) return;
  let p = o + 19;
  const wl = (b[p]! << 8) | b[p + 1]!;
  p += 2;
  if (p + wl + 2 > len) return;
  p += wl;
  const al = (b[p]! << 8) | b[p + 1]!;
  p += 2;
  const aend = p + al;
  if (aend > len) return;
  while (p < aend) {
    if (p + 3 > aend) return;
    const flags = b[p]!;
    const code = b[p + 1]!;
    let l: number;
    let h: number;
    if ((flags & 0x10) !== 0) {
      // Extended Length (RFC 4271 §4.3): two length octets
      if (p + 4 > aend) return;
      l = (b[p + 2]! << 8) | b[p + 3]!;
      h = 4;
    } else {
      l = b[p + 2]!;
      h = 3;
    }
    if (p + h + l > aend) return;
    if (code === 14 || code === 15) {
      // RFC 7606 §3(g): a repeated MP_REACH / MP_UNREACH is decoded in full, both: left to the decoder.
      if (present[code] === gen) mpRepeated = true;
      const at = code === 14 ? 9 : 11;
      firstAttr[at] = p + h;
      firstAttr[at + 1] = p + h + l;
    } else if (present[code] !== gen && (code === 2 || code === 8 || code === 32)) {
      // The first one: the decoder keeps the first of repeated attributes (RFC 7606 §3(g)).
      const at = slotOf(code);
      firstAttr[at] = flags;
      firstAttr[at + 1] = p + h;
      firstAttr[at + 2] = p + h + l;
    }
    present[code] = gen;
    p += h + l;
  }
  anyPrefix = wl > 0 || aend < len || present[14] === gen || present[15] === gen;
  scanWEnd = o + 21 + wl;
  scanAEnd = aend;
  scanEnd = len;
  scanOk = true;
}

function scanned(h: MessageHead): boolean {
  if (scannedGen !== preGen) scanUpdate(h.raw, h.start, h.end);
  return scanOk;
}

function has(code: number): boolean {
  return present[code] === gen;
}

// ---------------------------------------------------------------------------------------------- prefixes before the record

/** The record a per-prefix leaf is tested with before the record exists: those leaves read the elem alone. */
const NO_RECORD = null as unknown as BgpRecord;
/** One LazyUpdate for every message's verdict before decoding; never handed on (LazyUpdate.reset). */
const preUpdate = new LazyUpdate(new Uint8Array(0), 0, { as4: true, extended_message: false, add_path_send: null });
const preGuesses: UpdateGuesses = { as4: null, addPath: null };
let preUpdateGen = -1;
let preUpdateOk = false;

/**
 * The UPDATE of `h` as a lazy UPDATE with nothing decoded, framed as the decoder will frame it (update.ts
 * frameUpdate, with the same session parameters and length); null when the decoder would make it an error
 * record (a length below the UPDATE minimum or past the bytes, broken framing) or the parameters are not
 * given: the record then decides.
 */
function preElems(h: MessageHead): LazyUpdate | null {
  if (preUpdateGen === preGen) return preUpdateOk ? preUpdate : null;
  preUpdateGen = preGen;
  preUpdateOk = false;
  const b = h.start === 0 && h.end === h.raw.length ? h.raw : h.raw.subarray(h.start, h.end);
  const end = b.length >= 19 ? u16(b, 16) : 0;
  if (h.params === null || end < 23 || end > b.length) return null;
  try {
    frameUpdate(b, end, h.params, preGuesses);
  } catch {
    return null;
  }
  preUpdate.reset(b, end, h.params, frameGeneration());
  preUpdateOk = true;
  return preUpdate;
}

const preCursor: Elem = newElem();
let preLeaf: Pred2 = () => false;
let preTrue = false;
let preFalse = false;
/** The preGen of the last verdict elemsPre found mixed: some of the message's prefixes pass, some do not. */
let mixedGen = -1;
function preEach(): void {
  if (preLeaf(NO_RECORD, preCursor)) preTrue = true;
  else preFalse = true;
}

let runsGen = -1;
let runsOk = false;
/**
 * The scanned message's runs of prefixes, when plainRuns found them: per run its elem type (0 withdrawn, 1
 * announced), AFI, SAFI, start and end in the message's bytes; runCount of them.
 */
const runs = new Int32Array(5 * 4);
let runCount = 0;

/**
 * Whether every prefix of the scanned UPDATE lies in a run of plain prefixes that the decoder lists as it is:
 * the classic Withdrawn Routes and NLRI (IPv4 unicast, RFC 4271 §4.3) and the NLRI of one MP_UNREACH_NLRI and
 * one MP_REACH_NLRI (RFC 4760) of IPv4 or IPv6 unicast or multicast, with a next hop the decoder accepts; each
 * run without ADD-PATH path identifiers by the session's parameters (RFC 7911; not guessed), every prefix of it
 * well-formed (a length that fits the family, the octets it needs inside the field: nlri.ts scanPrefixes
 * without SCAN_BROKEN); the header's length the length of the bytes. The decoder then lists exactly these
 * prefixes (update.ts leaves such runs as bytes, which sink/elem.ts visitWireRun visits for both), so they
 * are visited straight from the bytes. Otherwise (other families, ADD-PATH or a guess about it, a malformed
 * run or next hop, a repeated MP attribute) the lazy UPDATE decodes the lists. Attribute flags do not matter
 * here: wrong ones are a warning, the value is decoded anyway (attributes/dispatch.ts).
 */
function plainRuns(h: MessageHead): boolean {
  if (runsGen === preGen) return runsOk;
  runsGen = preGen;
  runsOk = false;
  runCount = 0;
  const b = h.raw;
  const ap = h.params === null ? null : h.params.add_path_send;
  if (ap === null || mpRepeated || !wholeLength(h)) return false;
  const wStart = h.start + 21;
  if ((wStart < scanWEnd || scanAEnd < scanEnd) && ap.has('1:1')) return false;
  if (!addRun(b, 0, AFI_IPV4, SAFI_UNICAST, 32, wStart, scanWEnd) || !addRun(b, 1, AFI_IPV4, SAFI_UNICAST, 32, scanAEnd, scanEnd)) return false;
  if (has(15)) {
    // MP_UNREACH_NLRI: AFI (2), SAFI (1), withdrawn routes.
    const v = firstAttr[11]!;
    const end = firstAttr[12]!;
    if (end - v < 3 || !addMpRun(b, 0, u16(b, v), b[v + 2]!, v + 3, end, ap)) return false;
  }
  if (has(14)) {
    // MP_REACH_NLRI: AFI (2), SAFI (1), next hop length (1), next hop, reserved (1), NLRI.
    const v = firstAttr[9]!;
    const end = firstAttr[10]!;
    if (end - v < 5) return false;
    const nh = b[v + 3]!;
    if (v + 4 + nh + 1 > end || (nh !== 4 && nh !== 16 && nh !== 32)) return false;
    if (!addMpRun(b, 1, u16(b, v), b[v + 2]!, v + 5 + nh, end, ap)) return false;
  }
  runsOk = true;
  return true;
}

/** An MP run of a plain-prefix family without path identifiers (families.ts: prefixBits; the session's key). */
function addMpRun(b: Uint8Array, type: number, afi: number, safi: number, start: number, end: number, ap: ReadonlySet<string>): boolean {
  const fam = mpFamily(afi, safi);
  if (fam === undefined || fam.prefixBits === 0 || (start < end && ap.has(fam.key))) return false;
  return addRun(b, type, afi, safi, fam.prefixBits, start, end);
}

/** A run of plain prefixes that decodePrefixes reads whole (no SCAN_BROKEN: the test update.ts deferRun makes). */
function addRun(b: Uint8Array, type: number, afi: number, safi: number, bits: number, start: number, end: number): boolean {
  if (start >= end) return true;
  if (scanPrefixes(b, start, end, bits, false) & SCAN_BROKEN) return false;
  const k = runCount++ * 5;
  runs[k] = type;
  runs[k + 1] = afi;
  runs[k + 2] = safi;
  runs[k + 3] = start;
  runs[k + 4] = end;
  return true;
}

/** The message's header length is its length (as the framer cut it: the decoder would read the same bytes). */
function wholeLength(h: MessageHead): boolean {
  return scanEnd === h.end && h.start + u16(h.raw, h.start + 16) === scanEnd;
}

/**
 * The verdict before decoding of a filter (or part of one) that reads the elem alone: its test on every prefix
 * of the message, visited as record() visits them — true for all of them T, false for all F, else U. A message
 * without a prefix (not an UPDATE, End-of-RIB, attributes only) is tested whole, with no elem, as record()
 * tests it. Evaluated for the whole part rather than leaf by leaf, so `prefix A or prefix B` is T on a message
 * each of whose prefixes matches one of them.
 */
function elemsPreOf(test: Pred2): (h: MessageHead) => Tri {
  const whole: Tri = test(NO_RECORD, null) ? T : F;
  return (h) => {
    if (h.msg_type !== MSG_UPDATE) return whole;
    if (!scanned(h)) return U;
    if (!anyPrefix) return whole;
    return elemsPre(h, test, whole);
  };
}

function elemsPre(h: MessageHead, test: Pred2, missing: Tri): Tri {
  preLeaf = test;
  preTrue = preFalse = false;
  // The bytes may be a reused read buffer: a prefix remembered by position there is no longer this one.
  forgetPrefixRef();
  const e = preCursor;
  if (plainRuns(h)) {
    // As visitElems visits a lazy UPDATE's runs of bytes (the keys read here do not look at the next hop).
    e.next_hop = e.next_hop_ll = null;
    for (let k = 0; k < runCount * 5; k += 5) {
      e.type = runs[k] === 0 ? 'W' : 'A';
      e.afi = runs[k + 1]!;
      e.safi = runs[k + 2]!;
      visitWireRun(h.raw, runs[k + 3]!, runs[k + 4]!, e, preEach);
    }
  } else {
    const m = preElems(h);
    if (m === null) return U;
    visitElems(m, e, noop, preEach, true);
  }
  if (!preTrue && !preFalse) return missing;
  if (preTrue && preFalse) mixedGen = preGen;
  return preTrue ? (preFalse ? U : T) : F;
}

/** The message wireAttrPre fills, one for every message (the leaves it is given read it without keeping it). */
const preMsg: UpdateMessage = emptyAttributes();

/**
 * A leaf on an attribute that wireAttrPre can read (communities, large communities, the AS path and what
 * derives from it), decided from the attribute's bytes when the decoder would read it without a warning
 * (update.ts deferrable, the test by which PART_DEFER leaves it as bytes; AS_PATH only on a session known to
 * use 4-octet ASNs, where AS4_PATH is ignored) and the message would be no error record: its value is then the
 * decoder's (update.ts undeferValue). An announced prefix has that value, a
 * withdrawn one none (the attributes do not apply to it), a message without a prefix the value; so when the
 * leaf gives the same for the value and for none, or the message withdraws nothing, that is the verdict for
 * every record of the message. Otherwise unknown, left to the record. `codes`: the attributes one of which
 * must be present for the value to exist (as leafPre's 'attr' case).
 */
function wireAttrPre(code: DeferredCode, codes: readonly number[], onMsg: (m: UpdateMessage | null, e: null) => boolean, missing: Tri): (h: MessageHead) => Tri {
  const none: Tri = onMsg(null, null) ? T : F;
  const at = slotOf(code);
  return (h) => {
    if (h.msg_type !== MSG_UPDATE) return missing;
    if (!scanned(h)) return U;
    if (present[code] !== gen) {
      for (const c of codes) if (has(c)) return U;
      return missing;
    }
    const b = h.raw;
    if (h.params === null || !wholeLength(h)) return U;
    const start = firstAttr[at + 1]!;
    const end = firstAttr[at + 2]!;
    // deferrable takes AS_PATH at 4 octets only: an AS width not known from the OPENs (the decoder infers
    // it) leaves the AS path to the record.
    if (!deferrable(b, firstAttr[at]!, code, start, end, h.params.as4 === true ? 4 : 2)) return U;
    const m = preMsg;
    let v: Tri;
    try {
      undeferValue(m, b, code, start, end);
      v = onMsg(m, null) ? T : F;
    } catch {
      // Not expected (deferrable checks what the decoders would throw for); the record decides, and reports it.
      return U;
    } finally {
      m.communities = m.large_communities = null;
      m.as_path = null;
      m.as_path_segments = null;
    }
    // No withdrawn routes (classic or MP_UNREACH_NLRI): every record of the message has the value.
    return v === none || (scanWEnd === h.start + 21 && !has(15)) ? v : U;
  };
}

// ---------------------------------------------------------------------------------------------- record access

function upd(r: BgpRecord): UpdateMessage | null {
  return r.kind === 'message' && r.msg !== null && r.msg.kind === 'update' ? r.msg : null;
}

/**
 * The codes (or RFC 7606 actions) of the UPDATE's warnings; null when the record is not an UPDATE. They are the
 * message's, so a withdrawn prefix has them too: a treat-as-withdraw warning is about every prefix.
 */
function warningsOf(r: BgpRecord, action: boolean): readonly (string | null)[] | null {
  const ws = upd(r)?.warnings;
  if (ws === undefined) return null;
  return ws.length === 0 ? NO_WARNINGS : ws.map((w) => (action ? w.action : w.code));
}
const NO_WARNINGS: readonly string[] = [];

/** The UPDATE whose path attributes apply: none for a withdrawn prefix (as src/sink/fields.ts). */
function attrs(r: BgpRecord, e: Elem | null): UpdateMessage | null {
  return e !== null && e.type === 'W' ? null : upd(r);
}

/** A getter over the applicable UPDATE whose result is computed once per message. */
function perMessage<T>(f: (m: UpdateMessage) => T | null): (r: BgpRecord, e: Elem | null) => T | null {
  let lastM: UpdateMessage | null = null;
  let lastV: T | null = null;
  return (r, e) => {
    const m = attrs(r, e);
    if (m === null) return null;
    if (m !== lastM) {
      lastM = m;
      lastV = f(m);
    }
    return lastV;
  };
}

/** A getter over a message (or none) for the leaves' verdict before decoding (wireAttrPre): no caching. */
function onMessage<T>(f: (m: UpdateMessage) => T | null): (m: UpdateMessage | null) => T | null {
  return (m) => (m === null ? null : f(m));
}

function pathWire(onMsg: (m: UpdateMessage | null, e: null) => boolean): WireLeaf {
  return { code: 2, onMsg };
}

function flatAsns(m: UpdateMessage): number[] | null {
  const p = m.as_path;
  if (p === null) return null;
  const out: number[] = [];
  for (const x of p) {
    if (typeof x === 'number') out.push(x);
    else for (const a of x) out.push(a);
  }
  return out;
}

function originList(m: UpdateMessage): readonly number[] | null {
  const p = m.as_path;
  if (p === null || p.length === 0) return null;
  const last = p[p.length - 1]!;
  return typeof last === 'number' ? [last] : last;
}

/** RFC 4271 §9.1.2.2 (a): an AS_SET counts as one; confederation segments (RFC 5065 §5.3) count zero. */
function pathLength(m: UpdateMessage): number | null {
  const segs = m.as_path_segments;
  if (segs === null) return null;
  let n = 0;
  for (const s of segs) {
    if (s.type === 2) n += s.asns.length;
    else if (s.type === 1) n += 1;
  }
  return n;
}

function notification(r: BgpRecord): NotificationMessage | null {
  return r.kind === 'message' && r.msg !== null && r.msg.kind === 'notification' ? r.msg : null;
}

/** The prefix keys read the elem cursor itself: its text, or its bytes when visited from the wire. */
const prefixOf = (_r: BgpRecord, e: Elem | null): Elem | null => e;

// ---------------------------------------------------------------------------------------------- leaves

type Kind = 'head' | 'update' | 'elem' | 'attr' | 'notification' | 'other';

interface LeafSpec {
  test: Pred2;
  /** How the leaf can be decided before decoding. */
  kind: Kind;
  /** For 'attr': attribute codes one of which must be present for the value to exist. */
  codes?: readonly number[];
  perElem?: boolean;
  /** For an attribute read from its bytes before decoding (wireAttrPre): which, and the leaf's test on a message. */
  wire?: WireLeaf;
}

interface WireLeaf {
  code: DeferredCode;
  onMsg: (m: UpdateMessage | null, e: null) => boolean;
}

function headLeaf<T>(get: (h: Head) => T | null, t: Tests<T>): LeafSpec {
  return { test: scalarLeaf<BgpRecord, Elem | null, T>((r) => get(r), t), kind: 'head' };
}

function headPair<T>(a: (h: Head) => T | null, b: (h: Head) => T | null, t: Tests<T>): LeafSpec {
  const pair: (T | null)[] = [null, null];
  return {
    test: listLeaf<BgpRecord, Elem | null, T>((r) => {
      pair[0] = a(r);
      pair[1] = b(r);
      return pair;
    }, t),
    kind: 'head',
  };
}

function leafSpec(p: Pred): LeafSpec {
  const t = valueTests(p);
  switch (p.key.name) {
    // ---- packet keys, applied to the record's connection when they cannot run in stage 1
    case 'src_ip':
      return headLeaf((h) => h.peer_ip, t);
    case 'dst_ip':
      return headLeaf((h) => h.local_ip, t);
    case 'host':
      return headPair((h) => h.peer_ip, (h) => h.local_ip, t);
    case 'src_port':
      return headLeaf((h) => h.src_port, t);
    case 'dst_port':
      return headLeaf((h) => h.dst_port, t);
    case 'port':
      return headPair((h) => h.src_port, (h) => h.dst_port, t);
    case 'iface':
      return headLeaf((h) => h.iface, t);
    case 'timestamp':
      return headLeaf((h) => h.ts, t);
    case 'src_mac':
    case 'dst_mac':
    case 'mac':
      throw new FilterError(
        `${p.key.name} is a packet key: it can be and-ed with the rest of the filter, but not used inside 'or' or 'not' together with BGP keys`,
        p.loc,
      );

    // ---- header
    case 'msg_type':
      return headLeaf((h) => (h.kind === 'message' ? (h.msg_type ?? null) : null), t);
    case 'event':
      return { test: scalarLeaf((r: BgpRecord) => (r.kind === 'event' ? r.event : null), t), kind: 'head' };
    case 'peer_ip':
      return headLeaf((h) => h.peer_ip, t);
    case 'peer_asn':
      return headLeaf((h) => h.peer_asn, t);
    case 'local_ip':
      return headLeaf((h) => h.local_ip, t);
    case 'local_asn':
      return headLeaf((h) => h.local_asn, t);
    case 'mux':
      return headLeaf((h) => h.mux, t);

    // ---- message
    case 'error':
      return { test: scalarLeaf((r: BgpRecord) => (r.kind === 'message' && r.error !== null ? r.error.code : null), t), kind: 'other' };
    case 'notification':
      return { test: scalarLeaf((r: BgpRecord) => notification(r), t), kind: 'notification' };
    case 'notification_code':
      return { test: scalarLeaf((r: BgpRecord) => notification(r)?.code ?? null, t), kind: 'notification' };
    case 'notification_subcode':
      return { test: scalarLeaf((r: BgpRecord) => notification(r)?.subcode ?? null, t), kind: 'notification' };
    case 'has':
      return { test: listLeaf((r: BgpRecord) => upd(r)?.attr_codes ?? null, t), kind: 'update' };
    case 'warning':
      return { test: listLeaf((r: BgpRecord) => warningsOf(r, false), t), kind: 'update' };
    case 'warning_action':
      return { test: listLeaf((r: BgpRecord) => warningsOf(r, true), t), kind: 'update' };

    // ---- per prefix
    case 'type':
      return { test: scalarLeaf((_r: BgpRecord, e: Elem | null) => (e === null ? null : e.type), t), kind: 'elem', perElem: true };
    case 'ip_version':
      return {
        test: scalarLeaf((_r: BgpRecord, e: Elem | null) => (e === null ? null : e.afi === 1 ? 4 : e.afi === 2 ? 6 : null), t),
        kind: 'elem',
        perElem: true,
      };
    case 'afi':
      return { test: scalarLeaf((_r: BgpRecord, e: Elem | null) => (e === null ? null : e.afi), t), kind: 'elem', perElem: true };
    case 'safi':
      return { test: scalarLeaf((_r: BgpRecord, e: Elem | null) => (e === null ? null : e.safi), t), kind: 'elem', perElem: true };
    case 'path_id':
      return { test: scalarLeaf((_r: BgpRecord, e: Elem | null) => (e === null ? null : e.path_id), t), kind: 'elem', perElem: true };
    case 'prefix':
    case 'prefix_sub':
    case 'prefix_super':
    case 'prefix_super_sub':
      return { test: scalarLeaf(prefixOf, t), kind: 'elem', perElem: true };
    case 'next_hop':
      return {
        test: scalarLeaf((r: BgpRecord, e: Elem | null) => (e !== null ? e.next_hop : (upd(r)?.next_hop ?? null)), t),
        kind: 'update',
        perElem: true,
      };

    // ---- path attributes
    case 'origin':
      return { test: scalarLeaf((r: BgpRecord, e: Elem | null) => attrs(r, e)?.origin ?? null, t), kind: 'attr', codes: [1] };
    case 'local_pref':
      return { test: scalarLeaf((r: BgpRecord, e: Elem | null) => attrs(r, e)?.local_pref ?? null, t), kind: 'attr', codes: [5] };
    case 'med':
      return { test: scalarLeaf((r: BgpRecord, e: Elem | null) => attrs(r, e)?.med ?? null, t), kind: 'attr', codes: [4] };
    case 'aggregator_asn':
      return { test: scalarLeaf((r: BgpRecord, e: Elem | null) => attrs(r, e)?.aggregator_asn ?? null, t), kind: 'attr', codes: [7, 18] };
    case 'atomic_aggregate':
      return { test: scalarLeaf((r: BgpRecord, e: Elem | null) => attrs(r, e)?.atomic_aggregate ?? null, t), kind: 'update' };
    case 'origin_asn':
      return { test: listLeaf(perMessage(originList), t), kind: 'attr', codes: [2, 17], wire: pathWire(listLeaf(onMessage(originList), t)) };
    case 'contains_asn':
      return { test: listLeaf(perMessage(flatAsns), t), kind: 'attr', codes: [2, 17], wire: pathWire(listLeaf(onMessage(flatAsns), t)) };
    case 'as_path_len':
      return { test: scalarLeaf(perMessage(pathLength), t), kind: 'attr', codes: [2, 17], wire: pathWire(scalarLeaf(onMessage(pathLength), t)) };
    case 'community':
      return {
        test: listLeaf((r: BgpRecord, e: Elem | null) => attrs(r, e)?.communities ?? null, t),
        kind: 'attr',
        codes: [8],
        wire: { code: 8, onMsg: listLeaf((m: UpdateMessage | null) => m?.communities ?? null, t) },
      };
    case 'large_community':
      return {
        test: listLeaf((r: BgpRecord, e: Elem | null) => attrs(r, e)?.large_communities ?? null, t),
        kind: 'attr',
        codes: [32],
        wire: { code: 32, onMsg: listLeaf((m: UpdateMessage | null) => m?.large_communities ?? null, t) },
      };
    case 'ext_community':
      return { test: listLeaf((r: BgpRecord, e: Elem | null) => attrs(r, e)?.ext_communities ?? null, t), kind: 'attr', codes: [16] };
    case 'ipv6_ext_community':
      return { test: listLeaf((r: BgpRecord, e: Elem | null) => attrs(r, e)?.ipv6_ext_communities ?? null, t), kind: 'attr', codes: [25] };
    case 'as_path': {
      const text = (m: UpdateMessage): string | null => (m.as_path === null ? null : asPathText(m.as_path));
      return { test: scalarLeaf(perMessage(text), t), kind: 'attr', codes: [2, 17], wire: pathWire(scalarLeaf(onMessage(text), t)) };
    }
    default:
      throw new FilterError(`${p.key.name} cannot be used in a BGP filter`, p.loc);
  }
}

/**
 * The three-valued verdict of a leaf before decoding. Only what is certain is claimed: the leaf's value is
 * missing for every evaluation point (a NOTIFICATION has no prefix; an UPDATE without COMMUNITIES has no
 * community whether it decodes or not), so the leaf gives what a missing value gives: false with plain values,
 * true with only `!` values.
 */
function leafPre(p: Pred, s: LeafSpec): (h: MessageHead) => Tri {
  const missing: Tri = p.values.some((v) => !v.neg) ? F : T;
  switch (s.kind) {
    case 'head': {
      const test = s.test as unknown as (h: MessageHead, e: null) => boolean;
      return (h) => (test(h, null) ? T : F);
    }
    case 'notification':
      return (h) => (h.msg_type !== MSG_NOTIFICATION ? missing : U);
    case 'update':
      if (p.key.name === 'has') return hasPre(p, missing);
      return (h) => (h.msg_type !== MSG_UPDATE ? missing : U);
    case 'elem':
      return elemsPreOf(s.test);
    case 'attr': {
      if (s.wire !== undefined) return wireAttrPre(s.wire.code, s.codes!, s.wire.onMsg, missing);
      const codes = s.codes!;
      return (h) => {
        if (h.msg_type !== MSG_UPDATE) return missing;
        if (!scanned(h)) return U;
        for (const c of codes) if (has(c)) return U;
        return missing;
      };
    }
    case 'other':
      return () => U;
  }
}

/** `has`: each value's attribute is either absent (its test is false whatever decoding gives) or unknown. */
function hasPre(p: Pred, missing: Tri): (h: MessageHead) => Tri {
  const pos = p.values.filter((v) => !v.neg);
  const neg = p.values.filter((v) => v.neg);
  const maybe = (vs: typeof pos): ((h: MessageHead) => boolean) => {
    if (vs.some((v) => v.any)) return () => true;
    const codes = vs.map((v) => v.v as number);
    return () => codes.some(has);
  };
  const posMaybe = maybe(pos);
  const negMaybe = maybe(neg);
  return (h) => {
    if (h.msg_type !== MSG_UPDATE) return missing;
    if (!scanned(h)) return U;
    if (pos.length > 0 && !posMaybe(h)) return F;
    if (pos.length === 0 && !negMaybe(h)) return T;
    return U;
  };
}

// ---------------------------------------------------------------------------------------------- tree

function compile(n: Node): Compiled {
  switch (n.kind) {
    case 'pred': {
      const s = leafSpec(n);
      return { test: s.test, pre: leafPre(n, s), cost: n.key.cost, perElem: s.perElem === true, elemOnly: s.kind === 'elem' };
    }
    case 'not': {
      const c = compile(n.child);
      const t = c.test;
      const p = c.pre;
      return {
        test: (r, e) => !t(r, e),
        pre: (h) => {
          const x = p(h);
          return x === U ? U : x === T ? F : T;
        },
        cost: c.cost,
        perElem: c.perElem,
        elemOnly: c.elemOnly,
      };
    }
    case 'and':
    case 'or': {
      // Cheapest first; a stable sort keeps the user's order among equals.
      const cs = n.children.map(compile).sort((a, b) => a.cost - b.cost);
      const cost = cs.reduce((s, c) => s + c.cost, 0);
      const perElem = cs.some((c) => c.perElem);
      const elemOnly = cs.every((c) => c.elemOnly);
      const c = n.kind === 'and' ? andOf(cs) : orOf(cs);
      // A part that reads the elem alone is decided per elem as a whole (elemsPreOf), not from its children's
      // verdicts, which can each be unknown where the whole is not.
      return { test: c.test, pre: elemOnly ? elemsPreOf(c.test) : c.pre, cost, perElem, elemOnly };
    }
  }
}

function andOf(cs: Compiled[]): Pick<Compiled, 'test' | 'pre'> {
  const ts = cs.map((c) => c.test);
  const ps = cs.map((c) => c.pre);
  let test: Pred2;
  if (ts.length === 2) {
    const [a, b] = ts as [Pred2, Pred2];
    test = (r, e) => a(r, e) && b(r, e);
  } else {
    test = (r, e) => {
      for (let i = 0; i < ts.length; i++) if (!ts[i]!(r, e)) return false;
      return true;
    };
  }
  return {
    test,
    pre: (h) => {
      let res: Tri = T;
      for (let i = 0; i < ps.length; i++) {
        const x = ps[i]!(h);
        if (x === F) return F;
        if (x === U) res = U;
      }
      return res;
    },
  };
}

function orOf(cs: Compiled[]): Pick<Compiled, 'test' | 'pre'> {
  const ts = cs.map((c) => c.test);
  const ps = cs.map((c) => c.pre);
  let test: Pred2;
  if (ts.length === 2) {
    const [a, b] = ts as [Pred2, Pred2];
    test = (r, e) => a(r, e) || b(r, e);
  } else {
    test = (r, e) => {
      for (let i = 0; i < ts.length; i++) if (ts[i]!(r, e)) return true;
      return false;
    };
  }
  return {
    test,
    pre: (h) => {
      let res: Tri = F;
      for (let i = 0; i < ps.length; i++) {
        const x = ps[i]!(h);
        if (x === T) return T;
        if (x === U) res = U;
      }
      return res;
    },
  };
}

/**
 * The UPDATE a record is split into elems for, or null when it is tested whole (sink/elem.ts splittable; a
 * LazyUpdate through its partial decode, which the tests of its attributes read anyway).
 */
export function elemsOf(r: BgpRecord): UpdateMessage | null {
  return splittable(r, 'partial');
}

function noop(): void {}

export class Stage2Filter {
  private readonly test: Pred2;
  private readonly pre: (h: MessageHead) => Tri;
  private readonly perElem: boolean;
  private readonly elemOnly: boolean;
  private readonly cursor: Elem = newElem();

  constructor(readonly expr: Node) {
    const c = compile(expr);
    this.test = c.test;
    this.pre = c.pre;
    this.perElem = c.perElem;
    this.elemOnly = c.elemOnly;
  }

  /** The filter as expression text. */
  toString(): string {
    return print(this.expr);
  }

  /** Before decoding: true when no record of this message can match, so it need not be decoded. */
  rejectsUndecoded(h: MessageHead): boolean {
    preGen++;
    return this.pre(h) === F;
  }

  /**
   * The three-valued verdict before decoding: F as rejectsUndecoded; T when every record of the message
   * passes (the pipeline then lets the writers' fast path write it, pipeline.ts peek); U when it takes a decode.
   */
  preVerdict(h: MessageHead): Tri {
    preGen++;
    return this.pre(h);
  }

  /**
   * After preVerdict said U: whether that is because the filter reads the elem alone (a prefix filter) and
   * some prefixes of the message pass and some do not — not because the bytes left it undecided. Then the
   * message passes at message level, and at elem level its records are the prefixes keep() accepts. (With a
   * filter that reads the elem alone, the verdict is one elemsPre over every prefix of the message.)
   */
  mixed(): boolean {
    return this.elemOnly && mixedGen === preGen;
  }

  /**
   * One prefix visited in the message's bytes (sink/elem.ts visitWireRun), for a filter that reads the elem
   * alone (mixed()): keep it? The same test elem() makes on the decoded record's cursor.
   */
  keep(e: Elem): boolean {
    return this.test(NO_RECORD, e);
  }

  /** One prefix of an UPDATE (elem level): keep it? */
  elem(r: BgpRecord, e: Elem): boolean {
    return this.test(r, e);
  }

  /** A whole record (msg level; at elem level, records that are not split): any of its elems, or the record itself. */
  record(r: BgpRecord): boolean {
    if (!this.perElem) return this.recordByType(r);
    // The prefix lists alone (LazyUpdate.prefixLists): a test that reads an attribute decodes it through the
    // message's getters, so a prefix filter that rejects nearly every message decodes no attribute.
    const m = splittable(r, 'lists');
    if (m === null) return this.test(r, null);
    // Every prefix until one passes, visited as the byte writers visit them: a lazy UPDATE's runs of plain
    // prefixes from their bytes (the prefix keys read them there: filter/values.ts PrefixRef), so a prefix
    // filter that rejects nearly every message makes no prefix into text.
    this.visiting = r;
    this.matched = false;
    visitElems(m, this.cursor, noop, this.visitOne, true);
    this.visiting = null;
    return this.matched;
  }

  private visiting: BgpRecord | null = null;
  private matched = false;
  private readonly visitOne = (): void => {
    if (!this.matched && this.test(this.visiting!, this.cursor)) this.matched = true;
  };

  /**
   * record() for a filter no leaf of which looks at the prefix, its family or next hop: only "withdrawn or
   * announced" tells the elems apart (attributes do not apply to a withdrawn prefix), so the message passes
   * when the test passes for the withdrawn side (if it has any prefix), the announced side (likewise), or the
   * message itself (when it has none). A lazy UPDATE's partial decode answers "has any prefix" from its runs of
   * bytes (sink/elem.ts anyPrefixIn): no prefix is made into text to be thrown away — on a filter that
   * rejects nearly every message (--large-community) that text was most of the work.
   */
  private recordByType(r: BgpRecord): boolean {
    const m = elemsOf(r);
    if (m === null) return this.test(r, null);
    const src = m instanceof LazyUpdate ? m.partial() : m;
    const e = this.cursor;
    e.prefix = '';
    e.path_id = null;
    e.next_hop = null;
    e.next_hop_ll = null;
    if (anyPrefixIn(src.withdrawals)) {
      e.type = 'W';
      if (this.test(r, e)) return true;
    }
    if (anyPrefixIn(src.announcements)) {
      e.type = 'A';
      if (this.test(r, e)) return true;
    }
    return false;
  }
}
