// Elem level: one record per announced or withdrawn prefix, like bgpkit's BgpElem and `bgpdump -m`.

import type { Announcement, UpdateMessage, Withdrawal } from '../bgp/model.js';
import type { BgpRecord } from '../record.js';
import type { NlriDetail } from '../bgp/nlri/types.js';
import { LazyUpdate, type PrefixLists } from '../bgp/update-lazy.js';
import { ipv4PrefixText, ipv6PrefixText, isWirePrefixes } from '../bgp/nlri.js';
import { AFI_IPV4 } from '../bgp/families.js';
import type { WireUpdate } from '../bgp/update-wire.js';
import { ipv4TextCached } from '../link/textcache.js';

/**
 * The prefix being written. The sinks reuse one cursor for every prefix of every message (no object per
 * prefix); field functions read it and must not keep it.
 */
export interface Elem {
  type: 'A' | 'W';
  /** The prefix's text, '' while `wire` is set (read it through prefixOf). */
  prefix: string;
  /**
   * When a writer visits a message's prefixes from the wire (visitElems `fromWire`): the message bytes, with
   * the prefix's length octet at `at`; else null.
   */
  wire: Uint8Array | null;
  at: number;
  /** RFC 7911 path identifier, null when the family does not use ADD-PATH. */
  path_id: number | null;
  afi: number;
  safi: number;
  /** The announcement's family next hop (MP_REACH or classic NEXT_HOP); null on withdrawals. */
  next_hop: string | null;
  next_hop_ll: string | null;
  /** The entry's route distinguisher (VPN, EVPN, ...), else null. */
  rd: string | null;
  /** The entry's MPLS label stack (labeled, VPN, EVPN), else null. */
  labels: number[] | null;
  /** The entry's structured form (flowspec, EVPN, RTC, ...), else null. */
  nlri: NlriDetail | null;
}

export function newElem(): Elem {
  return { type: 'A', prefix: '', wire: null, at: 0, path_id: null, afi: 0, safi: 0, next_hop: null, next_hop_ll: null, rd: null, labels: null, nlri: null };
}

/** The text of the cursor's prefix, made from the wire when it is there. */
export function prefixOf(e: Elem): string {
  const b = e.wire;
  if (b === null) return e.prefix;
  return e.afi === AFI_IPV4 ? ipv4PrefixText(b, e.at + 1, b[e.at]!) : ipv6PrefixText(b, e.at + 1, b[e.at]!);
}

/**
 * True when the UPDATE carries at least one prefix (End-of-RIB markers and attribute-only UPDATEs carry none).
 * Also for a LazyUpdate's partial() object, whose runs of prefixes may be bytes (a stand-in list holds at least
 * one prefix: bgp/nlri.ts WIRE_NLRI).
 */
export function hasPrefixes(m: PrefixLists): boolean {
  return anyPrefixIn(m.withdrawals) || anyPrefixIn(m.announcements);
}

/**
 * How splittable asks a LazyUpdate whether it has a prefix: 'partial', from its partial decode
 * (LazyUpdate.partial: all but what the byte writers print from the wire, runs of prefixes left as bytes),
 * which a writer that reads attributes too (fields.ts needsFullDecode) and stage 2 make anyway, so that
 * visiting the prefixes does not decode them on their own before; 'lists', from its prefix lists alone
 * (LazyUpdate.prefixLists: no attribute decoded), for a reader of nothing but the prefixes (stage 2's
 * per-prefix visit); 'getters', through its prefix getters.
 */
export type SplitVia = 'partial' | 'lists' | 'getters';

/**
 * The UPDATE to split into elems (prefix rows at elem level, per-prefix filtering), or null when the record is
 * taken whole: events, non-UPDATE messages, malformed UPDATEs (the error and raw bytes must stay together) and
 * UPDATEs without a prefix (End-of-RIB, attribute-only), which would otherwise vanish. The message object
 * stays the same: the per-prefix filters (keepElems) are registered under it.
 */
export function splittable(r: BgpRecord, via: SplitVia): UpdateMessage | null {
  if (r.kind !== 'message' || r.error !== null || r.msg === null || r.msg.kind !== 'update') return null;
  const m = r.msg;
  if (!(m instanceof LazyUpdate) || via === 'getters') return hasPrefixes(m) ? m : null;
  return hasPrefixes(via === 'lists' ? m.prefixLists() : m.partial()) ? m : null;
}

/** A family of the list has a prefix (a stand-in for a run of bytes always has one). */
export function anyPrefixIn(fs: readonly { prefixes: readonly string[] }[]): boolean {
  // Index loop: for-of here allocated an iterator result per family (seen in a heap profile).
  for (let i = 0; i < fs.length; i++) if (fs[i]!.prefixes.length > 0 || isWirePrefixes(fs[i]!.prefixes)) return true;
  return false;
}

/**
 * Per-prefix filters (stage 2 at --level elem, src/filter/stage2.ts): the pipeline registers one for an UPDATE
 * before handing its record to the sink, and visitElems then skips the prefixes it rejects. Keyed by the
 * message object, so concurrent pipelines with different filters do not meet; entries go with their message.
 */
const keepers = new WeakMap<UpdateMessage, (e: Elem) => boolean>();
let keeping = false;

/** Write only the prefixes of `m` for which `keep(cursor)` is true (the cursor must not be kept). */
export function keepElems(m: UpdateMessage, keep: (e: Elem) => boolean): void {
  keeping = true;
  keepers.set(m, keep);
}

/**
 * The per-prefix filter registered for `m` (keepElems), for a writer that walks the prefix lists itself (the
 * presets, sink/presets.ts); undefined: every prefix.
 */
export function keeperOf(m: UpdateMessage): ((e: Elem) => boolean) | undefined {
  return keeping ? keepers.get(m) : undefined;
}

const keptCursor = newElem();

/** `keep` on prefix i of a decoded family list, with the cursor visitElems gives it (the prefix as text). */
export function keepsListed(keep: (e: Elem) => boolean, type: 'A' | 'W', f: Announcement | Withdrawal, i: number): boolean {
  const e = keptCursor;
  e.type = type;
  e.wire = null;
  e.afi = f.afi;
  e.safi = f.safi;
  e.prefix = f.prefixes[i]!;
  e.path_id = f.path_ids === null ? null : (f.path_ids[i] ?? null);
  e.rd = f.route_distinguishers === undefined ? null : (f.route_distinguishers[i] ?? null);
  e.labels = f.labels === undefined ? null : (f.labels[i] ?? null);
  e.nlri = f.nlri === undefined ? null : (f.nlri[i] ?? null);
  const a = type === 'A' ? (f as Announcement) : null;
  e.next_hop = a === null ? null : a.next_hop;
  e.next_hop_ll = a === null ? null : a.next_hop_ll;
  return keep(e);
}

/**
 * `keep` on the prefix whose length octet is b[at], in a run of an UPDATE read in place, with the cursor
 * visitWire gives it.
 */
export function keepsWire(
  keep: (e: Elem) => boolean,
  type: 'A' | 'W',
  afi: number,
  safi: number,
  b: Uint8Array,
  at: number,
  nextHop: string | null,
  nextHopLl: string | null,
): boolean {
  const e = keptCursor;
  e.type = type;
  e.prefix = '';
  e.wire = b;
  e.at = at;
  e.afi = afi;
  e.safi = safi;
  e.path_id = null;
  e.rd = null;
  e.labels = null;
  e.nlri = null;
  e.next_hop = nextHop;
  e.next_hop_ll = nextHopLl;
  const kept = keep(e);
  e.wire = null;
  return kept;
}

/**
 * Visit every prefix of the UPDATE: withdrawals first (classic, then each MP_UNREACH family), then
 * announcements (classic, then each MP_REACH family) — the order RFC 4271 §9.1.4 applies them in, so replaying
 * the elems gives the same table even when a prefix is both withdrawn and announced. `begin(type)` is called
 * once before the prefixes of each type (with the cursor's type set), `each()` once per prefix.
 *
 * `fromWire`: the caller reads the prefix through prefixOf or the cursor's `wire` (the byte writers,
 * sink/row.ts, and stage 2's prefix keys), so the runs a LazyUpdate has as bytes (its partial decode's, else
 * its prefix lists': LazyUpdate.prefixLists) are visited there, without a string per prefix; a per-prefix
 * filter registered for the message (keepElems) is asked there too, with the cursor's bytes.
 */
export function visitElems(m: UpdateMessage, e: Elem, begin: () => void, each: () => void, fromWire = false): void {
  const keep = keeping ? keepers.get(m) : undefined;
  const lazy = fromWire && m instanceof LazyUpdate ? m : null;
  // Stand-in lists for the runs still bytes (else the getters, which decode them); both taken at once (the
  // object prefixLists returns is refilled by its next call).
  const src: PrefixLists = lazy === null ? m : lazy.prefixLists();
  const ws = src.withdrawals;
  const as = src.announcements;
  e.wire = null;
  let started = false;
  for (let k = 0; k < ws.length; k++) {
    const w = ws[k]!;
    if (w.prefixes.length === 0 && !(lazy !== null && lazy.prefixesStart(w.prefixes) >= 0)) continue;
    if (!started) {
      e.type = 'W';
      e.next_hop = null;
      e.next_hop_ll = null;
      begin();
      started = true;
    }
    e.afi = w.afi;
    e.safi = w.safi;
    const ids = w.path_ids;
    const rds = w.route_distinguishers;
    const labels = w.labels;
    const nlri = w.nlri;
    const ps = w.prefixes;
    if (ps.length === 0) {
      wireRun(lazy!, ps, e, each, keep);
      continue;
    }
    for (let i = 0; i < ps.length; i++) {
      e.prefix = ps[i]!;
      e.path_id = ids === null ? null : (ids[i] ?? null);
      e.rd = rds === undefined ? null : (rds[i] ?? null);
      e.labels = labels === undefined ? null : (labels[i] ?? null);
      e.nlri = nlri === undefined ? null : (nlri[i] ?? null);
      if (keep !== undefined && !keep(e)) continue;
      each();
    }
  }
  started = false;
  for (let k = 0; k < as.length; k++) {
    const a = as[k]!;
    if (a.prefixes.length === 0 && !(lazy !== null && lazy.prefixesStart(a.prefixes) >= 0)) continue;
    if (!started) {
      e.type = 'A';
      begin();
      started = true;
    }
    e.afi = a.afi;
    e.safi = a.safi;
    e.next_hop = a.next_hop;
    e.next_hop_ll = a.next_hop_ll;
    const ids = a.path_ids;
    const rds = a.route_distinguishers;
    const labels = a.labels;
    const nlri = a.nlri;
    const ps = a.prefixes;
    if (ps.length === 0) {
      wireRun(lazy!, ps, e, each, keep);
      continue;
    }
    for (let i = 0; i < ps.length; i++) {
      e.prefix = ps[i]!;
      e.path_id = ids === null ? null : (ids[i] ?? null);
      e.rd = rds === undefined ? null : (rds[i] ?? null);
      e.labels = labels === undefined ? null : (labels[i] ?? null);
      e.nlri = nlri === undefined ? null : (nlri[i] ?? null);
      if (keep !== undefined && !keep(e)) continue;
      each();
    }
  }
}

/** The prefixes of a run `lazy` has as bytes (plain prefixes: no path id, RD, labels or structured NLRI). */
function wireRun(lazy: LazyUpdate, ps: readonly string[], e: Elem, each: () => void, keep: ((e: Elem) => boolean) | undefined): void {
  visitWireRun(lazy.wire, lazy.prefixesStart(ps), lazy.prefixesEnd(ps), e, each, keep);
}

/**
 * Visit the run of plain prefixes b[start, end) (well-formed: nlri.ts scanPrefixes without SCAN_BROKEN) with the
 * cursor on each one's bytes (`wire`, `at`; no text, path id, RD, labels or structured NLRI); the caller has
 * set the type, family and next hop. `keep` (a per-prefix filter) reads the cursor's bytes as the writers do
 * (stage 2's prefix keys: filter/values.ts PrefixRef). Also stage 2's verdict before decoding, on the runs it
 * finds in a message's bytes.
 */
export function visitWireRun(b: Uint8Array, start: number, end: number, e: Elem, each: () => void, keep?: (e: Elem) => boolean): void {
  e.prefix = '';
  e.wire = b;
  e.path_id = null;
  e.rd = null;
  e.labels = null;
  e.nlri = null;
  for (let p = start; p < end; p += 1 + ((b[p]! + 7) >> 3)) {
    e.at = p;
    if (keep !== undefined && !keep(e)) continue;
    each();
  }
  e.wire = null;
}

/**
 * visitElems for an UPDATE read in place (bgp/update-wire.ts; the writers' fast path, sink/wire-fields.ts): the
 * same prefixes in the same order — withdrawals (classic, then MP_UNREACH_NLRI), then announcements (classic
 * with NEXT_HOP, then MP_REACH_NLRI with its next hop) — every one from the wire; with `keep`, only those it
 * accepts (as keepElems for a decoded message: `begin` is still called for each type the message has).
 */
export function visitWire(v: WireUpdate, e: Elem, begin: () => void, each: () => void, keep?: (e: Elem) => boolean): void {
  const b = v.b;
  e.wire = null;
  if (v.wEnd > v.wStart || v.muAfi !== 0) {
    e.type = 'W';
    e.next_hop = null;
    e.next_hop_ll = null;
    begin();
    if (v.wEnd > v.wStart) {
      e.afi = 1;
      e.safi = 1;
      visitWireRun(b, v.wStart, v.wEnd, e, each, keep);
    }
    if (v.muAfi !== 0) {
      e.afi = v.muAfi;
      e.safi = v.muSafi;
      visitWireRun(b, v.muStart, v.muEnd, e, each, keep);
    }
  }
  if (v.nEnd > v.nStart || v.mrAfi !== 0) {
    e.type = 'A';
    begin();
    if (v.nEnd > v.nStart) {
      e.afi = 1;
      e.safi = 1;
      e.next_hop = ipv4TextCached(b, v.nextHop);
      e.next_hop_ll = null;
      visitWireRun(b, v.nStart, v.nEnd, e, each, keep);
    }
    if (v.mrAfi !== 0) {
      e.afi = v.mrAfi;
      e.safi = v.mrSafi;
      e.next_hop = v.mrNextHop;
      e.next_hop_ll = v.mrNextHopLl;
      visitWireRun(b, v.mrStart, v.mrEnd, e, each, keep);
    }
  }
}
