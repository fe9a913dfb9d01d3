// The report's data model: what `bgpcap report` aggregates from records, embeds in the page as JSON
// (`<script type="application/json" id="bgpcap-data">`) and draws. Every number the page shows comes from
// here, so a script can read the report instead of scraping it. Times are epoch seconds (floats with
// microseconds); `null` means "not known", never 0.
//
// Size is bounded by design (a full-table capture gives a report of a few MB): update rates are counted per
// second and coarsened to `rates.bucket_seconds` when there are too many points; per-prefix detail is kept
// only for the selected prefixes, each capped at `limits.history_per_prefix` events; session marks and the
// event list are capped too, and every cap that was hit is counted (`*_dropped`) and listed in `notes`.

import type { AsPath } from '../bgp/model.js';
import type { Role } from './poison.js';
import type { VerdictRecord } from '../verify/verdict.js';

/** Bumped on incompatible changes to this shape. */
export const REPORT_VERSION = 1;

/** PEERING testbed ASNs (the client schema's `peeringASN` enum, /work/shared/PEERING.md §4). */
export const PEERING_ASNS: readonly number[] = [47065, 33207, 61574, 61575, 61576, 263842, 263843, 263844];

export interface ReportData {
  report_version: number;
  generator: string;
  title: string;
  inputs: string[];
  /** Filters the records went through ("no filter" when none). */
  filter: string;
  time: { first: number | null; last: number | null };
  totals: Totals;
  sessions: SessionInfo[];
  rates: Rates;
  prefixes: PrefixSection;
  /** Stream events (gaps, resets, ...) and malformed messages, in time order, capped. */
  events: EventRow[];
  events_dropped: number;
  /** `bgpcap verify` verdicts; null when the report was made without verify options. */
  verify: VerifySection | null;
  limits: Limits;
  /** Sentences about what the report left out or could not know. */
  notes: string[];
}

/** The verdicts of `bgpcap verify` (see verify.ts): the report shows them, it does not judge itself. */
export interface VerifySection {
  /** How they were made: the verify command line, or the file they were read from. */
  source: string;
  /** bgpcap verify's exit status (0 as intended, 1 something differs, 2 could not check); null when read from a file. */
  exit_status: number | null;
  /** Verdict records exactly as `bgpcap verify -f jsonl` writes them (schema/verdict.schema.json). */
  verdicts: VerdictRecord[];
  /** What verify said besides (its notes and problems), and lines that were not verdicts. */
  messages: string[];
}

export interface Limits {
  history_per_prefix: number;
  top: number;
  max_points: number;
  marks_per_session: number;
  events: number;
}

export interface Totals {
  records: number;
  messages: number;
  /** Messages by type name (OPEN, UPDATE, ...). */
  by_type: Record<string, number>;
  /** Prefix entries announced / withdrawn (one per NLRI entry, ADD-PATH paths counted separately). */
  announcements: number;
  withdrawals: number;
  sessions: number;
  /** Distinct prefixes announced or withdrawn. */
  prefixes: number;
  /** Stream events by code (gap, reset, truncated_frame, ...). */
  events: Record<string, number>;
  /** Malformed messages (records with `error`). */
  errors: number;
  /** UPDATEs decoded with warnings (RFC 7606). */
  warnings: number;
  bytes_skipped: number;
}

/** One side of a session: what its OPEN said (nulls when no OPEN was captured). */
export interface Speaker {
  ip: string;
  asn: number | null;
  bgp_id: string | null;
  hold_time: number | null;
  /** Capability names from the last OPEN, in wire order (CAP_<n> for unknown codes). */
  capabilities: string[];
  /** Multiprotocol families advertised, e.g. ipv4_unicast. */
  families: string[];
  /** ADD-PATH per family, e.g. "ipv4_unicast:send". */
  add_path: string[];
  /** The PEERING testbed runs this ASN. */
  peering: boolean;
}

export interface DirCounts {
  messages: number;
  updates: number;
  keepalives: number;
  notifications: number;
  announcements: number;
  withdrawals: number;
  end_of_rib: number;
  errors: number;
}

/**
 * One TCP connection of a session: RFC 4271 §8 says a session is Established once both OPENs were
 * exchanged and a KEEPALIVE confirmed them; `established` is the first KEEPALIVE or UPDATE after both OPENs.
 * When the capture starts mid-session no OPEN is seen: `mid_session` is true and `start` is the first record.
 */
export interface ConnectionInfo {
  a_port: number | null;
  b_port: number | null;
  start: number;
  open_a: number | null;
  open_b: number | null;
  established: number | null;
  mid_session: boolean;
  /** Last record of the connection (a NOTIFICATION, a reset, or simply the last message captured). */
  end: number;
  /** 'notification' | 'reset' | 'capture' (still up when the capture ended, as far as it shows). */
  end_reason: string;
  end_text: string | null;
  /** Negotiated hold time (the smaller of the two, RFC 4271 §4.2); null when an OPEN is missing. */
  hold_time: number | null;
  messages: number;
}

/** Something on a session's time axis. `end` is set for intervals (silence). */
export interface Mark {
  t: number;
  end?: number;
  /** 'open' | 'established' | 'notification' | 'eor' | 'gap' | 'reset' | 'silence' | 'error' | other event codes */
  kind: string;
  /** Sender side ('a' or 'b'), null when not tied to one side. */
  dir: 'a' | 'b' | null;
  text: string;
}

export interface SessionInfo {
  id: number;
  label: string;
  mux: string | null;
  iface: string | null;
  /** Side a opened the TCP connection (its destination port was 179) when that could be told. */
  a: Speaker;
  b: Speaker;
  /** Families both sides advertised; when no OPEN was seen, the families seen in UPDATEs. */
  families: string[];
  first: number;
  last: number;
  connections: ConnectionInfo[];
  marks: Mark[];
  marks_dropped: number;
  counts: { a: DirCounts; b: DirCounts };
  /** Notifications as "Cease/Administrative Shutdown: text", in order. */
  notifications: string[];
}

/**
 * Announcements and withdrawals per bucket, per session and direction, column-wise: bucket `i` starts at
 * `origin + t[i] * bucket_seconds`. Only buckets with at least one message are listed.
 */
export interface RateSeries {
  session: number;
  dir: 'a' | 'b';
  t: number[];
  announcements: number[];
  withdrawals: number[];
  /** UPDATE messages in the bucket. */
  updates: number[];
}

export interface Busy {
  /** Start of the second (epoch). */
  t: number;
  session: number;
  dir: 'a' | 'b';
  announcements: number;
  withdrawals: number;
}

export interface Rates {
  origin: number | null;
  bucket_seconds: number;
  series: RateSeries[];
  /** Busiest seconds (per session and direction, at 1-second resolution), most prefixes first. */
  busiest: Busy[];
}

export interface PrefixEvent {
  t: number;
  session: number;
  dir: 'a' | 'b';
  type: 'A' | 'W';
  path_id: number | null;
  as_path: AsPath | null;
  origin: string | null;
  next_hop: string | null;
  med: number | null;
  local_pref: number | null;
  communities: string[] | null;
  large_communities: string[] | null;
  /** The AS path differs from the one last announced for this prefix on this session, direction and path id. */
  path_change: boolean;
  /** Path the same, other attributes (next hop, communities, MED, ...) changed. */
  attr_change: boolean;
}

/** A distinct AS path seen for a prefix on one session/direction/path id. */
export interface PathSeen {
  session: number;
  dir: 'a' | 'b';
  path_id: number | null;
  as_path: AsPath;
  first: number;
  last: number;
  count: number;
  /** ASNs of this path in the poison role (see poison.ts). */
  poisoned: number[];
  /** The graph nodes this path goes through, from the sender's side to the origin (prepends collapsed). */
  nodes: string[];
}

export interface GraphNode {
  /** The ASN (or an AS_SET as "{a,b}"), with `~poison` or `~origin` appended for those roles. */
  id: string;
  asn: number | null;
  /** See poison.ts: the same ASN as transit, poison and origin makes three nodes. */
  role: Role;
  peering: boolean;
  poisoned: boolean;
  /** A transit ASN that is poisoned in another path: the poisoning did not hold there. */
  leak: boolean;
  origin: boolean;
  /** Hops from the origin (0 = origin), the smallest over all paths. */
  layer: number;
}

export interface GraphEdge {
  /** Towards the origin: `from` heard the route from `to`. */
  from: string;
  to: string;
  /** Announcements carrying this adjacency. */
  count: number;
  sessions: number[];
}

export interface PrefixHistory {
  prefix: string;
  announcements: number;
  withdrawals: number;
  path_changes: number;
  attr_changes: number;
  sessions: number[];
  history: PrefixEvent[];
  history_dropped: number;
  paths: PathSeen[];
  graph: { nodes: GraphNode[]; edges: GraphEdge[] };
  poisoned: number[];
  /** A poisoned ASN seen upstream of the first PEERING ASN of a path: the poisoning did not hold there. */
  poison_leaks: { asn: number; session: number; dir: 'a' | 'b'; as_path: AsPath }[];
}

export interface PrefixRank {
  prefix: string;
  events: number;
  announcements: number;
  withdrawals: number;
  /** Its history is in `list`. */
  detail: boolean;
}

export interface PrefixSection {
  /** 'given': --prefix; 'most-changed': the prefixes with the most announcements and withdrawals. */
  selection: 'given' | 'most-changed';
  /** Prefixes ranked by events (the top of the ranking). */
  ranking: PrefixRank[];
  list: PrefixHistory[];
  /** ASNs marked as intended poisons (--poisoned). */
  poisoned_given: number[];
  peering_asns: number[];
}

export interface EventRow {
  t: number;
  session: number | null;
  dir: 'a' | 'b' | null;
  kind: string;
  frame: number;
  file: string | null;
  text: string;
  bytes_skipped: number | null;
}
