// Elem level: one record per announced or withdrawn prefix, like bgpkit's BgpElem and `bgpdump -m`.

import type { UpdateMessage } from '../bgp/model.js';

/**
 * The prefix being written. The sinks reuse one cursor for every prefix of every message (no object per
 * prefix); field functions read it and must not keep it.
 */
export interface Elem {
  type: 'A' | 'W';
  prefix: string;
  /** RFC 7911 path identifier, null when the family does not use ADD-PATH. */
  path_id: number | null;
  afi: number;
  safi: number;
  /** The announcement's family next hop (MP_REACH or classic NEXT_HOP); null on withdrawals. */
  next_hop: string | null;
  next_hop_ll: string | null;
}

export function newElem(): Elem {
  return { type: 'A', prefix: '', path_id: null, afi: 0, safi: 0, next_hop: null, next_hop_ll: null };
}

/** True when the UPDATE carries at least one prefix (End-of-RIB markers and attribute-only UPDATEs carry none). */
export function hasPrefixes(m: UpdateMessage): boolean {
  for (const w of m.withdrawals) if (w.prefixes.length > 0) return true;
  for (const a of m.announcements) if (a.prefixes.length > 0) return true;
  return false;
}

/**
 * Visit every prefix of the UPDATE: withdrawals first (classic, then each MP_UNREACH family), then
 * announcements (classic, then each MP_REACH family) — the order RFC 4271 §9.1.4 applies them in, so replaying
 * the elems gives the same table even when a prefix is both withdrawn and announced. `begin(type)` is called
 * once before the prefixes of each type (with the cursor's type set), `each()` once per prefix.
 */
export function visitElems(m: UpdateMessage, e: Elem, begin: () => void, each: () => void): void {
  let started = false;
  for (const w of m.withdrawals) {
    if (w.prefixes.length === 0) continue;
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
    const ps = w.prefixes;
    for (let i = 0; i < ps.length; i++) {
      e.prefix = ps[i]!;
      e.path_id = ids === null ? null : (ids[i] ?? null);
      each();
    }
  }
  started = false;
  for (const a of m.announcements) {
    if (a.prefixes.length === 0) continue;
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
    const ps = a.prefixes;
    for (let i = 0; i < ps.length; i++) {
      e.prefix = ps[i]!;
      e.path_id = ids === null ? null : (ids[i] ?? null);
      each();
    }
  }
}
