// An UPDATE read in place: for the jsonl and line writers' fast path (sink/wire-fields.ts; the bgpdump and
// bgpkit presets, sink/presets.ts), which writes a record straight from the message bytes with no message
// object, no record object and no prefix text.
//
// It applies only to the UPDATEs that decoding would leave without a warning, an inference or anything that
// only a decoded object can show, and that are made of the attributes nearly every UPDATE is made of:
//
//   ORIGIN, AS_PATH, NEXT_HOP, MULTI_EXIT_DISC, LOCAL_PREF, ATOMIC_AGGREGATE, AGGREGATOR, COMMUNITIES,
//   EXTENDED_COMMUNITIES, LARGE_COMMUNITY, and MP_REACH_NLRI / MP_UNREACH_NLRI of IPv4 or IPv6 unicast or
//   multicast
//
// each at most once, with the Optional/Transitive flags and the length its RFC requires (the checks the
// decoders make: attributes/*.ts, dispatch.ts, update.ts fixedValue and deferrable), on a session whose OPENs
// said 4-octet ASNs and no ADD-PATH, with at least one prefix, every run of prefixes well formed (nlri.ts
// scanPrefixes), the attributes RFC 7606 §3(d) requires present, and not an End-of-RIB. readWire says whether a
// message is one; every other UPDATE takes the decoder's way (update-lazy.ts), so what is written is the same
// either way (test/sink/wire.test.ts compares the two on every capture of the corpora). On the bench corpora
// and the real BIRD table every UPDATE but the End-of-RIBs qualifies.

import type { SessionParams } from './model.js';
import { u16 } from '../wire/reader.js';
import { ORIGIN_NAMES } from './attributes/attr-01-origin.js';
import { ATOMIC_AGGREGATE } from './attributes/attr-06-atomic-aggregate.js';
import { AGGREGATOR } from './attributes/attr-07-18-aggregator.js';
import { EXTENDED_COMMUNITIES } from './attributes/attr-16-ext-communities.js';
import { MP_REACH_NLRI } from './attributes/attr-14-mp-reach.js';
import { MP_UNREACH_NLRI } from './attributes/attr-15-mp-unreach.js';
import { FLAG_EXTENDED_LENGTH } from './attributes/types.js';
import { deferrable, fixedClean, MAX_MESSAGE } from './update.js';
import { mpFamily } from './families.js';
import { scanPrefixes, SCAN_BROKEN } from './nlri.js';
import type { NextHopOut } from './nlri/next-hop.js';

/** Which attributes the fast path reads, by type code (0: not one of them). */
const READ = new Uint8Array(256);
for (const c of [1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 16, 32]) READ[c] = 1;

/**
 * The spans of one UPDATE's attributes and prefix runs: value offsets into `b`, -1 when absent. One object is
 * refilled for every message (readWire): a reader must not keep it.
 */
export class WireUpdate {
  b: Uint8Array = new Uint8Array(0);
  end = 0;
  /** ORIGIN's value (0 IGP, 1 EGP, 2 INCOMPLETE), -1 when absent. */
  origin = -1;
  pathStart = -1;
  pathEnd = -1;
  /** Value offset of NEXT_HOP (4 octets), MULTI_EXIT_DISC, LOCAL_PREF and AGGREGATOR (8 octets: AS, address). */
  nextHop = -1;
  med = -1;
  localPref = -1;
  aggregator = -1;
  atomic = false;
  commStart = -1;
  commEnd = -1;
  extStart = -1;
  extEnd = -1;
  largeStart = -1;
  largeEnd = -1;
  /** Classic Withdrawn Routes and NLRI (IPv4 unicast, RFC 4271 §4.3); start === end when empty. */
  wStart = 0;
  wEnd = 0;
  nStart = 0;
  nEnd = 0;
  /** MP_UNREACH_NLRI's prefixes and family (afi 0 when absent). */
  muAfi = 0;
  muSafi = 0;
  muStart = 0;
  muEnd = 0;
  /** MP_REACH_NLRI's prefixes, family and next hop text (afi 0 when absent). */
  mrAfi = 0;
  mrSafi = 0;
  mrStart = 0;
  mrEnd = 0;
  mrNextHop: string | null = null;
  mrNextHopLl: string | null = null;

  /** ORIGIN as text, null when absent. */
  originName(): string | null {
    return this.origin < 0 ? null : ORIGIN_NAMES[this.origin]!;
  }
}

/** What the MP_REACH next-hop decoders fill in (families.ts MpFamily.nextHop). */
const nh: NextHopOut = { afi: 0, safi: 0, next_hop: null, next_hop_ll: null };

/** Seen-once marks by type code for the message being read (generation counter: no clearing per message). */
const seen = new Uint32Array(256);
let generation = 0;

/**
 * Read the UPDATE at [start, end) of `b` (header included, its length field checked by the framer) into `v`
 * when it is one the fast path writes (see the top of this file); false otherwise, `v` then undefined.
 * Nothing is allocated but an MP_REACH_NLRI next hop's text.
 */
export function readWire(v: WireUpdate, b: Uint8Array, start: number, end: number, params: SessionParams): boolean {
  // The session's OPENs: 4-octet ASNs (RFC 6793) and no ADD-PATH (RFC 7911) for any family, so nothing is
  // inferred and no prefix run carries path ids; an extended message (RFC 8654) only when negotiated.
  if (params.as4 !== true || params.add_path_send === null || params.add_path_send.size !== 0) return false;
  const len = end - start;
  if (len <= 23 || end > b.length || (len > MAX_MESSAGE && !params.extended_message)) return false;
  const wStart = start + 21;
  const wEnd = wStart + u16(b, start + 19);
  if (wEnd + 2 > end) return false;
  const aStart = wEnd + 2;
  const aEnd = aStart + u16(b, wEnd);
  if (aEnd > end) return false;
  if (++generation === 0xffffffff) {
    seen.fill(0);
    generation = 1;
  }
  const gen = generation;
  v.b = b;
  v.end = end;
  v.origin = v.pathStart = v.pathEnd = v.nextHop = v.med = v.localPref = v.aggregator = -1;
  v.commStart = v.commEnd = v.extStart = v.extEnd = v.largeStart = v.largeEnd = -1;
  v.atomic = false;
  v.muAfi = v.mrAfi = 0;
  for (let q = aStart; q < aEnd; ) {
    const flags = b[q]!;
    const hdr = flags & FLAG_EXTENDED_LENGTH ? 4 : 3;
    if (q + hdr > aEnd) return false;
    const code = b[q + 1]!;
    const vs = q + hdr;
    const ve = vs + (hdr === 4 ? u16(b, q + 2) : b[q + 2]!);
    if (ve > aEnd || READ[code] === 0 || seen[code] === gen) return false;
    seen[code] = gen;
    if (!attribute(v, b, flags & 0xc0, code, vs, ve)) return false;
    q = ve;
  }
  // The classic runs (no path ids: the session has no ADD-PATH).
  v.wStart = wStart;
  v.wEnd = wEnd;
  v.nStart = aEnd;
  v.nEnd = end;
  const withdrawn = wEnd > wStart;
  if (withdrawn && scanPrefixes(b, wStart, wEnd, 32, false) & SCAN_BROKEN) return false;
  // Withdrawn prefixes in both the classic field and MP_UNREACH_NLRI (rare) go into one JSON list, which the
  // decoder's texts make simpler: left to it.
  if (withdrawn && v.muAfi !== 0) return false;
  const classic = end > aEnd;
  if (classic && scanPrefixes(b, aEnd, end, 32, false) & SCAN_BROKEN) return false;
  // Something to write per prefix, and no End-of-RIB (an UPDATE with prefixes is none: RFC 4724 §2).
  if (!classic && !withdrawn && v.mrAfi === 0 && v.muAfi === 0) return false;
  // RFC 7606 §3(d): reachability needs ORIGIN and AS_PATH, the classic NLRI NEXT_HOP (else the decoder warns).
  if ((classic || v.mrAfi !== 0) && (v.origin < 0 || v.pathStart < 0)) return false;
  if (classic && v.nextHop < 0) return false;
  return true;
}

/** One attribute's checks (those of its decoder: no warning, no error) and span; false when it has to be decoded. */
function attribute(v: WireUpdate, b: Uint8Array, kind: number, code: number, vs: number, ve: number): boolean {
  const len = ve - vs;
  switch (code) {
    case 1:
    case 3:
    case 4:
    case 5:
      // The checks of update.ts fixedValue: flags, the one length, an ORIGIN value RFC 4271 defines.
      if (!fixedClean(b, kind, code, vs, ve)) return false;
      if (code === 1) v.origin = b[vs]!;
      else if (code === 3) v.nextHop = vs;
      else if (code === 4) v.med = vs;
      else v.localPref = vs;
      return true;
    case 2:
    case 8:
    case 32:
      // The deferral checks of update.ts: flags, length, AS_PATH segments tiling the value without AS 0.
      if (!deferrable(b, kind, code, vs, ve, 4)) return false;
      if (code === 2) {
        v.pathStart = vs;
        v.pathEnd = ve;
      } else if (code === 8) {
        v.commStart = vs;
        v.commEnd = ve;
      } else {
        v.largeStart = vs;
        v.largeEnd = ve;
      }
      return true;
    case 6:
      if (kind !== ATOMIC_AGGREGATE.flags || len !== 0) return false;
      v.atomic = true;
      return true;
    case 7:
      // 4-octet AS session: AS (4) + address (4); AS 0 is warned about (RFC 7607).
      if (kind !== AGGREGATOR.flags || len !== 8 || (b[vs]! | b[vs + 1]! | b[vs + 2]! | b[vs + 3]!) === 0) return false;
      v.aggregator = vs;
      return true;
    case 16:
      if (kind !== EXTENDED_COMMUNITIES.flags || len === 0 || (len & 7) !== 0) return false;
      v.extStart = vs;
      v.extEnd = ve;
      return true;
    case 14:
      return kind === MP_REACH_NLRI.flags && mpReach(v, b, vs, ve);
    case 15:
      return kind === MP_UNREACH_NLRI.flags && mpUnreach(v, b, vs, ve);
  }
  return false;
}

/**
 * A family of plain prefixes, IPv4 / IPv6 unicast or multicast (those whose runs the decoder leaves as bytes:
 * attributes/types.ts deferNlri): its prefix length limit, else 0.
 */
function plainBits(afi: number, safi: number): number {
  if ((afi !== 1 && afi !== 2) || (safi !== 1 && safi !== 2)) return 0;
  return mpFamily(afi, safi)?.prefixBits ?? 0;
}

/** MP_REACH_NLRI (RFC 4760 §3): a plain family, a next hop its decoder takes, a non-empty well-formed run. */
function mpReach(v: WireUpdate, b: Uint8Array, vs: number, ve: number): boolean {
  if (ve - vs < 5) return false;
  const afi = u16(b, vs);
  const safi = b[vs + 2]!;
  const bits = plainBits(afi, safi);
  if (bits === 0) return false;
  const nhStart = vs + 4;
  const nhEnd = nhStart + b[vs + 3]!;
  const start = nhEnd + 1;
  if (start >= ve || scanPrefixes(b, start, ve, bits, false) & SCAN_BROKEN) return false;
  nh.afi = afi;
  nh.safi = safi;
  nh.next_hop = nh.next_hop_ll = null;
  try {
    mpFamily(afi, safi)!.nextHop(b, nhStart, nhEnd, nh);
  } catch {
    return false;
  }
  v.mrAfi = afi;
  v.mrSafi = safi;
  v.mrStart = start;
  v.mrEnd = ve;
  v.mrNextHop = nh.next_hop;
  v.mrNextHopLl = nh.next_hop_ll;
  return true;
}

/** MP_UNREACH_NLRI (RFC 4760 §4): a plain family and a non-empty well-formed run (empty: End-of-RIB). */
function mpUnreach(v: WireUpdate, b: Uint8Array, vs: number, ve: number): boolean {
  if (ve - vs < 4) return false;
  const afi = u16(b, vs);
  const safi = b[vs + 2]!;
  const bits = plainBits(afi, safi);
  if (bits === 0 || scanPrefixes(b, vs + 3, ve, bits, false) & SCAN_BROKEN) return false;
  v.muAfi = afi;
  v.muSafi = safi;
  v.muStart = vs + 3;
  v.muEnd = ve;
  return true;
}
