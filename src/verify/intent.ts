// The intended state: per prefix, which muxes should carry it and with what, and where it should be withdrawn.
// Three sources build it (intended-peering.ts, intended-json.ts, intended-flags.ts); the checks only see this.
//
// What the client puts on the wire for an announced prefix (PEERING.md §3.2, BIRD's bgp_create_attrs for an iBGP
// session and a static route): ORIGIN IGP, the AS path its export filter prepended (nothing else: iBGP adds no
// ASN), NEXT_HOP its own tunnel address unless the filter set another, LOCAL_PREF 100, no MED, and the
// communities the filter added. Those are the defaults of ExpectedRoute below.

import { PEERING_ASN, PEERING_ASNS } from './peering-facts.js';

export type Family = 4 | 6;

export interface ExpectedRoute {
  /** AS_PATH on the wire, client → mux (an AS_SEQUENCE; empty when nothing was prepended). */
  as_path: number[];
  origin: 'IGP';
  local_pref: number;
  /** MED: none is expected (BIRD sets none on a static route). */
  med: number | null;
  /** COMMUNITIES as "a:b", compared as a set (BIRD sorts them before encoding, §3.2). */
  communities: string[];
  /** LARGE_COMMUNITY as "a:b:c", compared as a set. */
  large_communities: string[];
  /** An explicit next hop (`bgp_next_hop=`, `-M`); null = the client's own address on the session. */
  next_hop: string | null;
  /** ASNs poisoned in this announcement (must not carry it back, see checks.ts). */
  poisons: number[];
  /** The intended origin AS (rightmost ASN of the path, 47065 when the path is empty). */
  origin_asn: number;
  /** Where this expectation was read (file and line, flag, JSON key), for messages. */
  from: string;
}

export interface PrefixIntent {
  /** Canonical prefix text (dotted quad / RFC 5952). */
  prefix: string;
  family: Family;
  /** Announce at these muxes. The key `all` stands for every mux (resolved against the mux list later). */
  announce: Map<string, ExpectedRoute>;
  /** Withdrawn (explicitly) at these muxes; `all` for every mux not announced to. */
  withdraw: Set<string>;
  /**
   * When the intended state was set, epoch seconds, per mux (the filter file's mtime) or for every mux (key `*`,
   * from --since). Used for the time to the UPDATE, and to tell "not sent" from "sent before the capture".
   */
  changed: Map<string, number>;
  /** Things about the intent itself worth telling (e.g. the peering.py prepend caveat). */
  notes: string[];
}

export type IntentSource = 'peering' | 'json' | 'flags';

export interface Intent {
  source: IntentSource;
  prefixes: PrefixIntent[];
  /**
   * Only these prefixes are in scope, or every prefix the client announces (with --peering: the filter files
   * list everything the client exports, so any other prefix seen towards a mux was not intended).
   */
  exhaustive: boolean;
  warnings: string[];
}

export function newPrefixIntent(prefix: string, family: Family): PrefixIntent {
  return { prefix, family, announce: new Map(), withdraw: new Set(), changed: new Map(), notes: [] };
}

/** Default (no prepend, no community) route; fields overridden by the caller. */
export function expectedRoute(p: Partial<ExpectedRoute> & { from: string }): ExpectedRoute {
  const as_path = p.as_path ?? [];
  return {
    as_path,
    origin: 'IGP',
    local_pref: p.local_pref ?? 100,
    med: p.med ?? null,
    communities: sortedUnique(p.communities ?? []),
    large_communities: sortedUnique(p.large_communities ?? []),
    next_hop: p.next_hop ?? null,
    poisons: p.poisons ?? poisonsOf(as_path),
    origin_asn: p.origin_asn ?? (as_path.length > 0 ? as_path[as_path.length - 1]! : PEERING_ASN),
    from: p.from,
  };
}

/** ASNs of a wire path that are not PEERING's: the ones poisoned (an experiment prepends only its own ASNs otherwise). */
export function poisonsOf(path: readonly number[]): number[] {
  return [...new Set(path.filter((a) => !PEERING_ASNS.has(a)))];
}

/** Communities compare as sets: one text per community, in numeric order (as BIRD sends them). */
export function sortedUnique(xs: readonly string[]): string[] {
  const parts = (s: string): number[] => s.split(':').map(Number);
  return [...new Set(xs)].sort((a, b) => {
    const x = parts(a);
    const y = parts(b);
    for (let i = 0; i < Math.max(x.length, y.length); i++) {
      const d = (x[i] ?? -1) - (y[i] ?? -1);
      if (d !== 0) return d;
    }
    return 0;
  });
}

/**
 * The wire AS path `./peering prefix announce` produces (PEERING.md §3.3, the filter lines of scripts/peering-prefix
 * described there): the origin (-o, default 47065) prepended -P times (at least once when there are poisons or the
 * origin is not 47065), then each poison (-p) in order, then the origin once more when it is not 47065 and the last
 * poison is not already it. `bgp_path.prepend` adds on the left, so the wire path is those lines reversed.
 */
export function controllerWirePath(origin: number | null, prepend: number, poisons: readonly number[]): number[] {
  const o = origin === null || origin === 0 ? PEERING_ASN : origin;
  let n = prepend;
  if (n === 0 && (poisons.length > 0 || o !== PEERING_ASN)) n = 1;
  const lines: number[] = [];
  for (let i = 0; i < n; i++) lines.push(o);
  lines.push(...poisons);
  if (poisons.length > 0 && o !== PEERING_ASN && poisons[poisons.length - 1] !== o) lines.push(o);
  return lines.reverse();
}

/** The path an upstream of the mux sees: the mux adds its ASN (eBGP as 47065) in front of the wire path (§3.3). */
export function upstreamPath(wire: readonly number[]): number[] {
  return [PEERING_ASN, ...wire];
}

/** Text of an AS path for messages: `61574 3356 61574`, `(empty)`, AS_SETs in braces. */
export function pathText(p: readonly (number | number[])[] | null): string {
  if (p === null) return '(no AS_PATH)';
  if (p.length === 0) return '(empty)';
  return p.map((x) => (Array.isArray(x) ? `{${x.join(',')}}` : String(x))).join(' ');
}
