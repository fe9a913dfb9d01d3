// Verdict records: one per mux and prefix, what `bgpcap verify -f jsonl` writes (schema/verdict.schema.json), and
// the human table built from them. Field names are snake_case like the BGP records'.

import type { AsPath } from '../bgp/model.js';
import { pathText } from './intent.js';
import { nextHopOrigin } from './peering-facts.js';

export const VERDICT_SCHEMA_VERSION = 1;

export type Status = 'ok' | 'fail' | 'unknown';

/** One comparison of intent and wire. `expected` and `seen` are values (lists, numbers, text), null when absent. */
export interface CheckResult {
  check: string;
  status: Status;
  expected: unknown;
  seen: unknown;
  message: string;
}

export interface Lint {
  code: string;
  message: string;
}

export interface ExpectedJson {
  as_path: number[];
  /** What the mux's upstreams should see: 47065 then the wire path. */
  upstream_path: number[];
  origin: string;
  local_pref: number;
  med: number | null;
  communities: string[];
  large_communities: string[];
  /** null: the client's own address on the session. */
  next_hop: string | null;
  poisons: number[];
  origin_asn: number;
  from: string;
}

export interface SeenJson {
  state: 'announced' | 'withdrawn';
  timestamp: number;
  as_path: AsPath | null;
  origin: string | null;
  local_pref: number | null;
  med: number | null;
  communities: string[] | null;
  large_communities: string[] | null;
  next_hop: string | null;
  next_hop_ll: string | null;
  afi: number;
  safi: number;
  client_ip: string;
  mux_ip: string;
  /** IP version of the TCP session that carried it. */
  session: 'ipv4' | 'ipv6';
  file: string | null;
  frame: number;
  /** Withdrawn because the UPDATE that announced it was malformed (RFC 7606 treat-as-withdraw): which warning. */
  malformed: string | null;
}

export interface ReturnedRoute {
  timestamp: number;
  state: 'announced' | 'withdrawn';
  as_path: AsPath | null;
  next_hop: string | null;
  /** The mux's id for the upstream the route came from (next hop, else the 47065:10000+id community). */
  upstream_id: number | null;
  upstream_id_from: 'next_hop' | 'community' | null;
  /** First ASN of the path: the neighbour of the mux. */
  upstream_asn: number | null;
  /** Poisoned ASNs found left of the first 47065: each one carried the route although it should have dropped it. */
  leaked_poisons: number[];
}

export interface VerdictRecord {
  v: number;
  kind: 'verdict';
  mux: string;
  iface: string | null;
  prefix: string;
  family: 'ipv4' | 'ipv6';
  intent: 'announce' | 'withdraw' | 'none';
  status: Status;
  expected: ExpectedJson | null;
  seen: SeenJson | null;
  updates: number;
  change_time: number | null;
  latency: number | null;
  capture_start: number | null;
  capture_end: number | null;
  checks: CheckResult[];
  returned: ReturnedRoute[];
  lints: Lint[];
  notes: string[];
}

/** 0 all as intended, 1 something differs, 2 something could not be checked (and nothing differs). */
export function exitCodeOf(vs: readonly VerdictRecord[]): 0 | 1 | 2 {
  if (vs.some((v) => v.status === 'fail')) return 1;
  if (vs.length === 0 || vs.some((v) => v.status === 'unknown')) return 2;
  return 0;
}

/** One JSON line per verdict, keys in the schema's order. */
export function verdictJson(v: VerdictRecord): string {
  return `${JSON.stringify(v)}\n`;
}

/**
 * Where a returned route came from, in words: the upstream id (from the next hop, or the community) and its AS;
 * when the next hop is the mux's own address the AS is all there is.
 */
export function upstreamText(r: ReturnedRoute): string {
  const asn = r.upstream_asn === null ? '' : `AS${r.upstream_asn}`;
  if (r.upstream_id !== null) return `upstream ${r.upstream_id}${asn === '' ? '' : ` (${asn})`}${r.upstream_id_from === 'community' ? ' per its 47065:10000+id community' : ''}`;
  const nh = nextHopOrigin(r.next_hop);
  if (nh.kind === 'mux') return `upstream ${asn === '' ? '?' : asn} (first AS of the path; the next hop is the mux's own)`;
  return `upstream ${asn === '' ? '?' : asn} (next hop ${r.next_hop ?? '-'} is not an upstream address)`;
}

function timeText(t: number | null): string {
  if (t === null) return '-';
  return new Date(t * 1000).toISOString().replace('T', ' ').replace(/\.(\d{3})Z$/, '.$1Z');
}

function seenText(v: VerdictRecord): string {
  const s = v.seen;
  if (s === null) return '(nothing seen)';
  if (s.state === 'withdrawn') return '(withdrawn)';
  return pathText(s.as_path);
}

const STATUS_TEXT: Record<Status, string> = { ok: 'ok', fail: 'DIFFERS', unknown: 'NOT CHECKED' };

/** The human output: a table per mux and prefix, then the differences, poisoning, lints and notes. */
export function formatHuman(vs: readonly VerdictRecord[], extra: { notes?: readonly string[] } = {}): string {
  const head = ['mux', 'iface', 'prefix', 'intent', 'status', 'AS path seen (client → mux)', 'after change'];
  const rows = vs.map((v) => [
    v.mux,
    v.iface ?? '-',
    v.prefix,
    v.intent,
    STATUS_TEXT[v.status],
    seenText(v),
    v.latency === null ? '-' : `${v.latency.toFixed(3)} s`,
  ]);
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const fmt = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  const out: string[] = [fmt(head), ...rows.map(fmt)];

  const diffs = vs.flatMap((v) => v.checks.filter((c) => c.status !== 'ok').map((c) => ({ v, c })));
  if (diffs.length > 0) {
    out.push('', 'Differences (expected vs seen):');
    for (const { v, c } of diffs) out.push(`  ${v.mux} ${v.prefix} ${c.check}${c.status === 'unknown' ? ' (not checked)' : ''}: ${c.message}`);
  }

  // Poisoning, per prefix: leaks, or what confirms it.
  const byPrefix = new Map<string, VerdictRecord[]>();
  for (const v of vs) {
    const l = byPrefix.get(v.prefix) ?? [];
    l.push(v);
    byPrefix.set(v.prefix, l);
  }
  const pois: string[] = [];
  for (const [prefix, l] of byPrefix) {
    const poisons = [...new Set(l.flatMap((v) => v.expected?.poisons ?? []))];
    const returned = l.flatMap((v) => v.returned.filter((r) => r.state === 'announced').map((r) => ({ v, r })));
    if (poisons.length === 0 && returned.length === 0) continue;
    const leaks = returned.filter(({ r }) => r.leaked_poisons.length > 0);
    const label = poisons.length === 0 ? `${prefix} (nothing poisoned)` : `${prefix}, poisoned ${poisons.map((p) => `AS${p}`).join(', ')}`;
    if (leaks.length > 0) pois.push(`  ${label}: LEAK — ${leaks.length} returned path(s) carry a poisoned AS left of 47065`);
    else if (poisons.length > 0 && returned.length > 0) pois.push(`  ${label}: confirmed — ${returned.length} returned path(s), none carries a poisoned AS left of 47065`);
    else if (poisons.length > 0) pois.push(`  ${label}: not confirmed — the prefix did not come back through any captured mux`);
    else pois.push(`  ${label}: ${returned.length} returned path(s)`);
    for (const { v, r } of returned) {
      pois.push(`    ${r.leaked_poisons.length > 0 ? 'LEAK ' : ''}via ${v.mux}, ${upstreamText(r)}, next hop ${r.next_hop ?? '-'}: ${pathText(r.as_path)}  at ${timeText(r.timestamp)}`);
    }
  }
  if (pois.length > 0) out.push('', 'Routes coming back / poisoning:', ...pois);

  const lints = new Map<string, string[]>();
  for (const v of vs) {
    for (const l of v.lints) {
      const k = `${l.code}: ${l.message}`;
      const m = lints.get(k) ?? [];
      if (!m.includes(v.mux)) m.push(v.mux);
      lints.set(k, m);
    }
  }
  if (lints.size > 0) {
    out.push('', 'Lints:');
    for (const [k] of lints) out.push(`  ${k}`);
  }
  const notes = new Set<string>(extra.notes ?? []);
  for (const v of vs) for (const n of v.notes) notes.add(`${v.mux} ${v.prefix}: ${n}`);
  if (notes.size > 0) {
    out.push('', 'Notes:');
    for (const n of notes) out.push(`  ${n}`);
  }
  const ok = vs.filter((v) => v.status === 'ok').length;
  const fail = vs.filter((v) => v.status === 'fail').length;
  const unk = vs.filter((v) => v.status === 'unknown').length;
  const code = exitCodeOf(vs);
  const verdict = code === 0 ? 'all as intended' : code === 1 ? 'something differs' : 'could not check everything';
  out.push('', `${ok} as intended, ${fail} differ, ${unk} not checked: ${verdict} (exit ${code})`);
  return `${out.join('\n')}\n`;
}
