// Lints: mistakes PEERING users trip over that the wire alone does not show as a difference (PEERING.md §1.4, §4,
// §5.6, §5.13). They never change the exit status; they are warnings next to the verdicts.
//
//   path_too_long            more than 5 AS hops in the announced path (PEERING filters longer paths)
//   too_many_communities     more than 20 communities: the mux drops all of them
//   special_community        65535:65281..65284 (NO_EXPORT, …): filtered by the mux, no effect
//   origin_not_peering       the origin AS is not one of PEERING's
//   prefix_outside_peering   not inside the client's safe_announcement() ranges (or only in the bird2 branch's)
//   prefix_not_allocated     not a line of prefixes.txt / prefixes6.txt (the client refuses to announce it)
//   no_ipv6_session          an IPv6 prefix for a mux without an IPv6 session (cfuseast1 has none)
//   changes_too_close        two changes of the announcement less than 10 minutes apart (route-flap damping)

import { parseNet } from '../filter/values.js';
import type { ExpectedRoute, PrefixIntent } from './intent.js';
import { changesOf, type MuxObs, type PrefixEvent } from './observed.js';
import { MAX_AS_HOPS, MAX_COMMUNITIES, MIN_CHANGE_INTERVAL_S, PEERING_ASNS, peeringRangeOf } from './peering-facts.js';
import type { Lint, VerdictRecord } from './verdict.js';

export interface LintContext {
  /** prefixes.txt / prefixes6.txt of the client checkout (null: no checkout, or the file is missing). */
  allocated: { v4: ReadonlySet<string> | null; v6: ReadonlySet<string> | null } | null;
  /** Muxes with an IPv6 session in the client's bird6.conf; null when unknown. */
  v6Muxes: ReadonlySet<string> | null;
}

export const NO_LINT_CONTEXT: LintContext = { allocated: null, v6Muxes: null };

const SPECIAL = new Set(['65535:65281', '65535:65282', '65535:65283', '65535:65284']);

/** Lints about the prefix itself (the same on every mux's verdict). */
export function lintPrefix(p: PrefixIntent, ctx: LintContext): Lint[] {
  const out: Lint[] = [];
  const r = peeringRangeOf(parseNet(p.prefix));
  if (r === null) {
    out.push({ code: 'prefix_outside_peering', message: `${p.prefix} is outside PEERING's address space (with these lengths): the client's export filter rejects it` });
  } else if (r.branch === 'bird2') {
    out.push({ code: 'prefix_outside_peering', message: `${p.prefix} is accepted only by the bird2 branch's export filter (${r.net.text}), not by master's` });
  }
  const list = ctx.allocated === null ? null : p.family === 4 ? ctx.allocated.v4 : ctx.allocated.v6;
  if (list !== null && !list.has(p.prefix)) {
    out.push({ code: 'prefix_not_allocated', message: `${p.prefix} is not a line of ${p.family === 4 ? 'prefixes.txt' : 'prefixes6.txt'}: the client refuses to announce it` });
  }
  return out;
}

/** Lints about one mux's announcement of the prefix. */
export function lintRow(v: VerdictRecord, exp: ExpectedRoute | null, events: readonly PrefixEvent[], o: MuxObs | undefined, ctx: LintContext): Lint[] {
  const out: Lint[] = [];
  if (exp !== null && v.intent === 'announce') {
    if (exp.as_path.length > MAX_AS_HOPS) {
      out.push({ code: 'path_too_long', message: `the AS path has ${exp.as_path.length} AS hops (${exp.as_path.join(' ')}); PEERING filters paths longer than ${MAX_AS_HOPS}` });
    }
    const counted = exp.communities.filter((c) => !SPECIAL.has(c));
    if (counted.length > MAX_COMMUNITIES) {
      out.push({ code: 'too_many_communities', message: `${counted.length} communities: above ${MAX_COMMUNITIES} the mux drops all of them` });
    }
    const special = exp.communities.filter((c) => SPECIAL.has(c));
    if (special.length > 0) out.push({ code: 'special_community', message: `${special.join(' ')}: filtered by the mux, no effect` });
    if (!PEERING_ASNS.has(exp.origin_asn)) {
      out.push({ code: 'origin_not_peering', message: `origin AS${exp.origin_asn} is not a PEERING ASN (${[...PEERING_ASNS].join(', ')})` });
    }
    if (v.family === 'ipv6') {
      if (ctx.v6Muxes !== null && !ctx.v6Muxes.has(v.mux)) {
        out.push({ code: 'no_ipv6_session', message: `${v.mux} has no IPv6 session in the client's bird6.conf: an IPv6 prefix cannot be announced there` });
      } else if (o !== undefined && o.sessions.size > 0 && ![...o.sessions.values()].some((s) => s.transport === 6)) {
        out.push({ code: 'no_ipv6_session', message: `no IPv6 BGP session to ${v.mux} in the capture` });
      }
    }
  }
  const changes = changesOf(events);
  let closest: [PrefixEvent, PrefixEvent] | null = null;
  for (let i = 1; i < changes.length; i++) {
    const a = changes[i - 1]!;
    const b = changes[i]!;
    if (b.ts - a.ts < MIN_CHANGE_INTERVAL_S && (closest === null || b.ts - a.ts < closest[1].ts - closest[0].ts)) closest = [a, b];
  }
  if (closest !== null) {
    const [a, b] = closest;
    const what = (e: PrefixEvent): string => (e.kind === 'W' ? 'withdrawn' : 'announced');
    out.push({
      code: 'changes_too_close',
      message: `the announcement towards ${v.mux} changed ${(b.ts - a.ts).toFixed(1)} s apart (${what(a)} at ${new Date(a.ts * 1000).toISOString()}, ${what(b)} at ${new Date(b.ts * 1000).toISOString()}); PEERING asks for at least ${MIN_CHANGE_INTERVAL_S / 60} minutes between changes`,
    });
  }
  return out;
}
