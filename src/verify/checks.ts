// Intent vs wire, per mux and prefix (PEERING.md §5 checks 3–9 and 11):
//
//   announce  the last UPDATE towards the mux carries the prefix, on the session of its IP version, with exactly the
//             expected AS path, ORIGIN IGP, LOCAL_PREF 100, no MED, the communities and large communities (as sets)
//             and the next hop (the client's own address unless the filter set one); no withdrawal of it after
//             the change; the time from the change to the first UPDATE with that state.
//   withdraw  the last UPDATE for the prefix towards the mux withdraws it (or nothing was ever sent since the
//             session started).
//   none      (a mux that is not a target) nothing announces the prefix, or the last UPDATE withdraws it.
//   returned  routes for the prefix coming back from the mux (learned from its upstreams): a poisoned AS must
//             never appear left of the first 47065 of such a path — if it does, it did not drop the route by loop
//             detection and the poisoning leaked; the upstream is named from the next hop (§6).
//
// "Not sent" and "sent before the capture began" look the same in a capture. Absence is a failure only when the
// capture covers the moment it should have been sent: it starts before the change, it contains the client's
// OPEN (the session started inside it, so everything exported was sent inside it), or the live run asked BIRD to
// send everything again (--reload-out). Otherwise the verdict is "not checked" (exit status 2).

import type { AsPath } from '../bgp/model.js';
import type { Intent, ExpectedRoute, PrefixIntent } from './intent.js';
import { pathText, upstreamPath } from './intent.js';
import { lintRow, lintPrefix, type LintContext } from './lints.js';
import type { MuxObs, Observer, PrefixEvent, RouteAttrs } from './observed.js';
import { nextHopOrigin, PEERING_ASN, upstreamIdFromCommunities } from './peering-facts.js';
import { upstreamText, VERDICT_SCHEMA_VERSION, type CheckResult, type ExpectedJson, type ReturnedRoute, type SeenJson, type Status, type VerdictRecord } from './verdict.js';

export interface CheckOptions {
  /** Every mux of the client (--peering), for `all`; null: the muxes seen in the captures. */
  muxes: readonly string[] | null;
  /** The tap of each mux, for the verdicts' iface when the capture did not say. */
  tapOf: ReadonlyMap<string, string>;
  /** Muxes BIRD was asked to re-send everything it exports to during the capture (live --reload-out): absence is conclusive. */
  resent: ReadonlySet<string>;
  /** Lint inputs (allocated prefixes, IPv6 sessions of the client's config). */
  lint: LintContext;
}

type IntentKind = VerdictRecord['intent'];

function flat(p: AsPath | null): (number | string)[] | null {
  if (p === null) return null;
  return p.map((x) => (Array.isArray(x) ? `{${x.join(',')}}` : x));
}

function samePath(a: readonly number[], seen: AsPath | null): boolean {
  const s = seen ?? [];
  return a.length === s.length && a.every((x, i) => s[i] === x);
}

/** The elements of `longer` left over once `shorter` is matched as a subsequence, or null when it is not one. */
function leftover(longer: readonly number[], shorter: readonly number[]): number[] | null {
  const rest: number[] = [];
  let j = 0;
  for (const x of longer) {
    if (j < shorter.length && shorter[j] === x) j++;
    else rest.push(x);
  }
  return j === shorter.length ? rest : null;
}

function setDiff(expected: readonly string[], seen: readonly string[]): { missing: string[]; extra: string[] } {
  const e = new Set(expected);
  const s = new Set(seen);
  return { missing: expected.filter((x) => !s.has(x)), extra: [...s].filter((x) => !e.has(x)) };
}

function list(xs: readonly string[]): string {
  return xs.length === 0 ? '(none)' : xs.join(' ');
}

function timeText(t: number): string {
  return new Date(t * 1000).toISOString();
}

function expectedJson(e: ExpectedRoute): ExpectedJson {
  return {
    as_path: e.as_path,
    upstream_path: upstreamPath(e.as_path),
    origin: e.origin,
    local_pref: e.local_pref,
    med: e.med,
    communities: e.communities,
    large_communities: e.large_communities,
    next_hop: e.next_hop,
    poisons: e.poisons,
    origin_asn: e.origin_asn,
    from: e.from,
  };
}

function seenJson(ev: PrefixEvent): SeenJson {
  const a = ev.attrs;
  return {
    state: ev.kind === 'A' ? 'announced' : 'withdrawn',
    timestamp: ev.ts,
    as_path: a?.as_path ?? null,
    origin: a?.origin ?? null,
    local_pref: a?.local_pref ?? null,
    med: a?.med ?? null,
    communities: a?.communities ?? null,
    large_communities: a?.large_communities ?? null,
    next_hop: a?.next_hop ?? null,
    next_hop_ll: a?.next_hop_ll ?? null,
    afi: ev.afi,
    safi: ev.safi,
    client_ip: ev.client_ip,
    mux_ip: ev.mux_ip,
    session: ev.transport === 6 ? 'ipv6' : 'ipv4',
    file: ev.file,
    frame: ev.frame,
    malformed: ev.malformed,
  };
}

/** The attribute checks of one announcement against the expected route. */
export function compareRoute(exp: ExpectedRoute, ev: PrefixEvent, family: 4 | 6): CheckResult[] {
  const a = ev.attrs as RouteAttrs;
  const out: CheckResult[] = [];
  const ok = (check: string, good: boolean, expected: unknown, seen: unknown, message: string): void => {
    out.push({ check, status: good ? 'ok' : 'fail', expected, seen, message });
  };
  const fam = (n: 4 | 6): string => `IPv${n}`;
  ok(
    'session',
    ev.transport === family,
    `ipv${family}`,
    `ipv${ev.transport}`,
    ev.transport === family
      ? `on the ${fam(family)} session ${ev.client_ip} → ${ev.mux_ip}`
      : `expected the ${fam(family)} prefix on the ${fam(family)} session, seen on the ${fam(ev.transport)} session ${ev.client_ip} → ${ev.mux_ip}`,
  );
  const pathOk = samePath(exp.as_path, a.as_path);
  let pathMsg = `expected ${pathText(exp.as_path)}, seen ${pathText(a.as_path)}`;
  if (!pathOk) {
    const s = (a.as_path ?? []).filter((x): x is number => typeof x === 'number');
    const extra = leftover(s, exp.as_path);
    const missing = leftover(exp.as_path, s);
    if (extra !== null && extra.length > 0 && extra.every((x) => x === extra[0])) {
      pathMsg += ` (${extra.length} extra prepend${extra.length > 1 ? 's' : ''} of ${extra[0]})`;
    } else if (missing !== null && missing.length > 0) {
      pathMsg += ` (missing ${missing.join(' ')})`;
    }
    if (a.as_path !== null && a.as_path.some((x) => Array.isArray(x))) pathMsg += ' (the path has an AS_SET)';
  }
  ok('as_path', pathOk, exp.as_path, flat(a.as_path), pathMsg);
  ok('origin', a.origin === exp.origin, exp.origin, a.origin, `expected ORIGIN ${exp.origin}, seen ${a.origin ?? '(none)'}`);
  ok('local_pref', a.local_pref === exp.local_pref, exp.local_pref, a.local_pref, `expected LOCAL_PREF ${exp.local_pref}, seen ${a.local_pref ?? '(none)'}`);
  ok('med', a.med === exp.med, exp.med, a.med, `expected ${exp.med === null ? 'no MED' : `MED ${exp.med}`}, seen ${a.med === null ? 'none' : `MED ${a.med}`}`);
  for (const [check, e, s] of [
    ['communities', exp.communities, a.communities ?? []],
    ['large_communities', exp.large_communities, a.large_communities ?? []],
  ] as const) {
    const d = setDiff(e, s);
    const good = d.missing.length === 0 && d.extra.length === 0;
    const detail = good ? '' : ` (${[d.missing.length > 0 ? `missing ${d.missing.join(' ')}` : '', d.extra.length > 0 ? `unexpected ${d.extra.join(' ')}` : ''].filter((x) => x !== '').join('; ')})`;
    ok(check, good, e, s, `expected ${list(e)}, seen ${list(s)}${detail}`);
  }
  if (ev.transport === family || exp.next_hop !== null) {
    const want = exp.next_hop ?? ev.client_ip;
    const what = exp.next_hop === null ? `the client's address ${want}` : want;
    ok('next_hop', a.next_hop === want, want, a.next_hop, `expected ${what}, seen ${a.next_hop ?? '(none)'}`);
  } else {
    out.push({ check: 'next_hop', status: 'unknown', expected: null, seen: a.next_hop, message: `the client's IPv${family} address is unknown (the prefix came on the IPv${ev.transport} session)` });
  }
  return out;
}

function worst(cs: readonly CheckResult[]): Status {
  if (cs.some((c) => c.status === 'fail')) return 'fail';
  if (cs.some((c) => c.status === 'unknown')) return 'unknown';
  return 'ok';
}

/** Why absence is conclusive for this mux and prefix, or null when it is not. */
function coverage(o: MuxObs, family: 4 | 6, change: number | null, resent: boolean): string | null {
  if (resent) return 'BIRD was asked to re-send its exports during the capture';
  for (const s of o.sessions.values()) {
    if (s.transport === family && s.client_open_ts !== null) return `the IPv${family} session started in the capture (${timeText(s.client_open_ts)})`;
  }
  if (change !== null && o.first_ts !== null && o.first_ts <= change) return `the capture starts (${timeText(o.first_ts)}) before the change (${timeText(change)})`;
  return null;
}

function returnedRoutes(events: readonly PrefixEvent[], poisons: ReadonlySet<number>, since: number | null): ReturnedRoute[] {
  const out: ReturnedRoute[] = [];
  for (const ev of events) {
    if (since !== null && ev.ts < since) continue;
    const a = ev.attrs;
    const path = a?.as_path ?? null;
    const leaked: number[] = [];
    let upstreamAsn: number | null = null;
    if (path !== null) {
      const first = path[0];
      upstreamAsn = typeof first === 'number' ? first : null;
      const at = path.indexOf(PEERING_ASN);
      // Only a path that carries our announcement (47065 in it) says anything about the poisoning.
      if (at >= 0) {
        for (let i = 0; i < at; i++) {
          const x = path[i]!;
          for (const asn of Array.isArray(x) ? x : [x]) if (poisons.has(asn) && !leaked.includes(asn)) leaked.push(asn);
        }
      }
    }
    const nh = nextHopOrigin(a?.next_hop ?? null);
    let id = nh.kind === 'upstream' ? nh.upstream_id : null;
    let from: ReturnedRoute['upstream_id_from'] = id === null ? null : 'next_hop';
    if (id === null && a !== null) {
      id = upstreamIdFromCommunities(a.communities);
      if (id !== null) from = 'community';
    }
    out.push({
      timestamp: ev.ts,
      state: ev.kind === 'A' ? 'announced' : 'withdrawn',
      as_path: path,
      next_hop: a?.next_hop ?? null,
      upstream_id: id,
      upstream_id_from: from,
      upstream_asn: upstreamAsn,
      leaked_poisons: leaked,
    });
  }
  return out;
}

interface RowInput {
  p: PrefixIntent;
  mux: string;
  intent: IntentKind;
  exp: ExpectedRoute | null;
  change: number | null;
  o: MuxObs | undefined;
  poisons: ReadonlySet<number>;
  /** When the announcement was made (the earliest change at a target): routes coming back are judged from then. */
  announced: number | null;
}

function verdictRow(r: RowInput, opts: CheckOptions): VerdictRecord {
  const { p, mux, intent, exp, change, o } = r;
  const checks: CheckResult[] = [];
  const notes: string[] = [];
  const events = o === undefined ? [] : [...(o.to_mux.get(p.prefix) ?? [])].sort((a, b) => a.ts - b.ts);
  const last = events[events.length - 1];
  let latency: number | null = null;
  const fam = `IPv${p.family}`;
  const add = (check: string, status: Status, expected: unknown, seen: unknown, message: string): void => {
    checks.push({ check, status, expected, seen, message });
  };
  if (o === undefined) {
    const tap = opts.tapOf.get(mux);
    add('capture', 'unknown', 'a capture of the mux', null, `no capture of ${mux}${tap === undefined ? '' : ` (${mux}.${tap}.pcap, or --live)`}`);
  } else {
    const resent = opts.resent.has(mux);
    const cov = coverage(o, p.family, change, resent);
    // The time to the UPDATE means something only when the change happened while capturing (not a re-send).
    const inCapture = change !== null && o.first_ts !== null && o.first_ts <= change;
    const seenA = (ev: PrefixEvent): string => `announced with AS path ${pathText(ev.attrs?.as_path ?? null)} at ${timeText(ev.ts)}`;
    if (intent === 'announce' && exp !== null) {
      if (last === undefined) {
        if (cov !== null) add('announced', 'fail', 'announced', 'nothing', `expected an announcement of ${p.prefix}, seen no UPDATE for it (${cov})`);
        else {
          add(
            'announced',
            'unknown',
            'announced',
            'nothing',
            `no UPDATE for ${p.prefix} in the capture, which starts (${o.first_ts === null ? '?' : timeText(o.first_ts)}) after the session came up${change === null ? '' : ` and after the change (${timeText(change)})`}: it may have been sent before`,
          );
        }
      } else if (last.kind === 'W') {
        const why =
          last.malformed === null ? '' : ` (announced in a malformed UPDATE that the mux treats as a withdrawal, RFC 7606: ${last.malformed})`;
        add('announced', 'fail', 'announced', 'withdrawn', `expected announced, seen withdrawn at ${timeText(last.ts)}${why}`);
      } else {
        add('announced', 'ok', 'announced', 'announced', `announced at ${timeText(last.ts)}`);
        checks.push(...compareRoute(exp, last, p.family));
        const matching = (ev: PrefixEvent): boolean => ev.kind === 'A' && compareRoute(exp, ev, p.family).every((c) => c.status !== 'fail');
        const firstOk = events.find((ev) => matching(ev) && (change === null || ev.ts >= change));
        if (inCapture && firstOk !== undefined) latency = firstOk.ts - change!;
        else if (firstOk === undefined && change !== null && matching(last)) notes.push('the intended state was on the wire before the change time');
        const from = change ?? events.find(matching)?.ts ?? null;
        const wd = from === null ? [] : events.filter((ev) => ev.kind === 'W' && ev.ts >= from);
        if (wd.length > 0) {
          add('no_withdrawal', 'fail', 'no withdrawal', wd.map((w) => w.ts), `expected no withdrawal of ${p.prefix}, seen ${wd.length} (first at ${timeText(wd[0]!.ts)})`);
        }
        if (p.notes.some((n) => n.includes('"prepend" without "origin"')) && (last.attrs?.as_path ?? []).length === 0 && exp.as_path.length > 0) {
          notes.push('the wire path is empty although the announcement has "prepend": the peering.py master-branch bug (PEERING.md §1.7)');
        }
      }
    } else if (intent === 'withdraw') {
      if (last === undefined) {
        const started = [...o.sessions.values()].some((s) => s.transport === p.family && s.client_open_ts !== null);
        if (started || resent) add('withdrawn', 'ok', 'withdrawn', 'nothing', `not announced (${cov ?? 'nothing seen'})`);
        else add('withdrawn', 'unknown', 'withdrawn', 'nothing', `no UPDATE for ${p.prefix} seen: if it was announced before the capture began, it may still be`);
      } else if (last.kind === 'W') {
        add('withdrawn', 'ok', 'withdrawn', 'withdrawn', `withdrawn at ${timeText(last.ts)}`);
        const first = events.find((ev) => ev.kind === 'W' && (change === null || ev.ts >= change));
        if (inCapture && first !== undefined) latency = first.ts - change!;
      } else {
        add('withdrawn', 'fail', 'withdrawn', 'announced', `expected withdrawn, seen ${seenA(last)} — a forgotten withdrawal`);
      }
    } else {
      if (last === undefined) {
        add('not_announced', 'ok', 'not announced', 'nothing', cov === null ? `nothing seen for ${p.prefix} during the capture` : `not announced (${cov})`);
      } else if (last.kind === 'W') {
        add('not_announced', 'ok', 'not announced', 'withdrawn', `withdrawn at ${timeText(last.ts)}`);
        const first = events.find((ev) => ev.kind === 'W' && change !== null && ev.ts >= change);
        if (inCapture && first !== undefined) latency = first.ts - change!;
      } else {
        add('not_announced', 'fail', 'not announced', 'announced', `${mux} is not a target of ${p.prefix}, but it was ${seenA(last)}`);
      }
    }
    // The prefix on the other IP version's session is wrong whatever the intent (the v4/v6 pairing, §5.9).
    if (last !== undefined && last.kind === 'A' && intent !== 'announce' && last.transport !== p.family) {
      add('session', 'fail', `ipv${p.family}`, `ipv${last.transport}`, `the ${fam} prefix was sent on the IPv${last.transport} session`);
    }
    if (o.other_withdrawals > 0) notes.push(`${o.other_withdrawals} withdrawal(s) of other prefixes towards ${mux} (BIRD's reconfiguration refeed; not failures)`);
    const gaps = o.events.get('gap') ?? 0;
    if (gaps > 0) notes.push(`${gaps} gap(s) in the capture of ${mux}: an UPDATE may be missing`);
    if (o.truncated) notes.push(`more than the kept number of UPDATEs for one prefix: the oldest were dropped`);
    for (const s of o.sessions.values()) for (const n of s.notifications.slice(0, 5)) notes.push(`${s.client_ip} ↔ ${s.mux_ip}: ${n}`);
  }
  const returned = o === undefined ? [] : returnedRoutes([...(o.from_mux.get(p.prefix) ?? [])].sort((a, b) => a.ts - b.ts), r.poisons, r.announced);
  const leaks = returned.filter((x) => x.leaked_poisons.length > 0);
  if (leaks.length > 0) {
    // One check per distinct leaking path (the same route is often re-sent); the first time it was seen.
    const distinct = new Map<string, ReturnedRoute>();
    for (const l of leaks) {
      const k = `${pathText(l.as_path)}|${l.next_hop}`;
      if (!distinct.has(k)) distinct.set(k, l);
    }
    for (const l of distinct.values()) {
      add(
        'poisoning',
        'fail',
        `no AS of ${[...r.poisons].join(', ')} left of ${PEERING_ASN}`,
        flat(l.as_path),
        `AS${l.leaked_poisons.join(', AS')} carried ${p.prefix} back to ${mux} via ${upstreamText(l)}, next hop ${l.next_hop ?? '-'}: path ${pathText(l.as_path)} at ${timeText(l.timestamp)} — poisoning leak`,
      );
    }
  } else if (r.poisons.size > 0 && returned.some((x) => x.state === 'announced')) {
    const n = returned.filter((x) => x.state === 'announced').length;
    add('poisoning', 'ok', `no AS of ${[...r.poisons].join(', ')} left of ${PEERING_ASN}`, null, `${n} returned path(s) through ${mux}, none carries a poisoned AS`);
  }
  const iface = o === undefined ? (opts.tapOf.get(mux) ?? null) : ([...o.ifaces][0] ?? opts.tapOf.get(mux) ?? null);
  const v: VerdictRecord = {
    v: VERDICT_SCHEMA_VERSION,
    kind: 'verdict',
    mux,
    iface,
    prefix: p.prefix,
    family: p.family === 6 ? 'ipv6' : 'ipv4',
    intent,
    status: worst(checks),
    expected: exp === null || intent !== 'announce' ? null : expectedJson(exp),
    seen: last === undefined ? null : seenJson(last),
    updates: events.length,
    change_time: change,
    latency,
    capture_start: o?.first_ts ?? null,
    capture_end: o?.last_ts ?? null,
    checks,
    returned,
    lints: [],
    notes,
  };
  v.lints = [...lintPrefix(p, opts.lint), ...lintRow(v, exp, events, o, opts.lint)];
  return v;
}

function intentAt(p: PrefixIntent, mux: string): { intent: IntentKind; exp: ExpectedRoute | null } {
  const named = p.announce.get(mux);
  if (named !== undefined) return { intent: 'announce', exp: named };
  if (p.withdraw.has(mux)) return { intent: 'withdraw', exp: null };
  const all = p.announce.get('all');
  if (all !== undefined) return { intent: 'announce', exp: all };
  if (p.withdraw.has('all')) return { intent: 'withdraw', exp: null };
  return { intent: 'none', exp: null };
}

const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Every verdict: per prefix of the intent, per mux that is named, captured, or covered by `all`. */
export function verify(intent: Intent, obs: Observer, opts: CheckOptions): VerdictRecord[] {
  const out: VerdictRecord[] = [];
  const observed = [...obs.muxes.keys()];
  for (const p of intent.prefixes) {
    const muxes = new Set<string>();
    for (const m of p.announce.keys()) if (m !== 'all') muxes.add(m);
    for (const m of p.withdraw) if (m !== 'all') muxes.add(m);
    for (const m of observed) muxes.add(m);
    if (p.announce.has('all') || p.withdraw.has('all')) for (const m of opts.muxes ?? observed) muxes.add(m);
    const poisons = new Set<number>();
    for (const e of p.announce.values()) for (const x of e.poisons) poisons.add(x);
    let announced: number | null = null;
    for (const m of p.announce.keys()) {
      const t = p.changed.get(m) ?? p.changed.get('*');
      if (t !== undefined && (announced === null || t < announced)) announced = t;
    }
    if (announced === null) announced = p.changed.get('*') ?? null;
    if (muxes.size === 0) {
      const v = verdictRow({ p, mux: 'all', intent: intentAt(p, 'all').intent, exp: intentAt(p, 'all').exp, change: p.changed.get('*') ?? null, o: undefined, poisons, announced }, opts);
      v.checks = [{ check: 'capture', status: 'unknown', expected: 'a capture of a mux', seen: null, message: 'no capture of any mux' }];
      v.status = 'unknown';
      out.push(v);
      continue;
    }
    for (const mux of [...muxes].sort(byName)) {
      const { intent: kind, exp } = intentAt(p, mux);
      const o = obs.muxes.get(mux);
      out.push(verdictRow({ p, mux, intent: kind, exp, change: p.changed.get(mux) ?? p.changed.get('*') ?? null, o, poisons, announced }, opts));
    }
  }
  // With the client's own filter files as the intent, every prefix the client sends must have one.
  const tracked = new Set(intent.prefixes.map((p) => p.prefix));
  for (const o of [...obs.muxes.values()].sort((a, b) => byName(a.mux, b.mux))) {
    const others: [string, PrefixEvent][] = [];
    for (const [pfx, evs] of o.to_mux) {
      const last = evs.reduce((a, b) => (b.ts >= a.ts ? b : a));
      if (!tracked.has(pfx) && last.kind === 'A') others.push([pfx, last]);
    }
    others.sort((a, b) => byName(a[0], b[0]));
    if (others.length === 0) continue;
    if (!intent.exhaustive) {
      const names = others.map(([pfx]) => pfx);
      for (const v of out) {
        if (v.mux === o.mux) v.notes.push(`the client also announces ${names.slice(0, 10).join(', ')}${names.length > 10 ? ` and ${names.length - 10} more` : ''} to ${o.mux} (not verified)`);
      }
      continue;
    }
    for (const [pfx, ev] of others) {
      const v: VerdictRecord = {
        v: VERDICT_SCHEMA_VERSION,
        kind: 'verdict',
        mux: o.mux,
        iface: [...o.ifaces][0] ?? opts.tapOf.get(o.mux) ?? null,
        prefix: pfx,
        family: pfx.includes(':') ? 'ipv6' : 'ipv4',
        intent: 'none',
        status: 'fail',
        expected: null,
        seen: seenJson(ev),
        updates: 1,
        change_time: null,
        latency: null,
        capture_start: o.first_ts,
        capture_end: o.last_ts,
        checks: [
          {
            check: 'not_announced',
            status: 'fail',
            expected: 'not announced',
            seen: 'announced',
            message: `the client has no export filter for ${pfx} towards ${o.mux}, but announced it with AS path ${pathText(ev.attrs?.as_path ?? null)} at ${timeText(ev.ts)}`,
          },
        ],
        returned: [],
        lints: [],
        notes: [],
      };
      out.push(v);
    }
  }
  return out;
}
