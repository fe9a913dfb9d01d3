// `bgpcap verify`: did the announcement leave every mux as intended, and did the poisoning work?
// Intent (--peering DIR | --announcement FILE | flags) vs what the tunnels carried (capture files or --live),
// one verdict per mux and prefix; exit 0 all as intended, 1 something differs, 2 could not check.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { UsageError } from '../errors.js';
import { ValueError, parseTime } from '../filter/values.js';
import { PeeringDirError, readBirdNeighbors, readMuxMap, planNeighbors, type MuxMap } from '../peering/client-dir.js';
import { Output } from '../sink/output.js';
import { verify, type CheckOptions } from '../verify/checks.js';
import { intentFromFlags } from '../verify/intended-flags.js';
import { IntentError, readAnnouncementJson } from '../verify/intended-json.js';
import { prefixArg, readAllocated, readPeeringIntent } from '../verify/intended-peering.js';
import type { Intent } from '../verify/intent.js';
import { NO_LINT_CONTEXT, type LintContext } from '../verify/lints.js';
import { observeFiles } from '../verify/observe-files.js';
import { observeLive } from '../verify/observe-live.js';
import { EMPTY_DIRECTORY, Observer, type MuxDirectory } from '../verify/observed.js';
import { exitCodeOf, formatHuman, verdictJson, type VerdictRecord } from '../verify/verdict.js';
import { parseDuration } from './live.js';
import { parsePort } from './parse.js';

export interface VerifyOpts {
  peering?: string;
  announcement?: string;
  prefix: string[];
  mux: string[];
  withdraw: string[];
  prepend?: number;
  origin?: string;
  poison: string[];
  community: string[];
  largeCommunity: string[];
  nextHop?: string;
  since?: string;
  live: boolean;
  interface: string[];
  timeout: number;
  settle: number;
  write?: string;
  reloadOut: boolean;
  reloadIn: boolean;
  format: 'human' | 'jsonl';
  port: number[];
}

const HELP = `
Intended state, one of:
  --peering DIR          the client's export filter files configs/bird{,6}/prefix-filters/export_<mux>_<prefix>.conf
                         (every prefix it announces; a mux without a file must not carry the prefix)
  --announcement FILE    an announcement JSON in the client's schema ({prefix: {announce: [...], withdraw: [...]}})
  --prefix P --mux M …   flags mirroring ./peering prefix announce -m M -P N -o AS -p AS -c A,B -l A,B,C P
                         (and --withdraw M for ./peering prefix withdraw -m M P)
  With --peering, --announcement or the flags still take precedence and the checkout gives the mux ↔ tap map,
  neighbour addresses, prefixes.txt and the IPv6 sessions.

Observed state: capture files (<mux>.<tapN>.pcap from bgpcap live --write or the client's scripts, pcapng with
interface names, or any capture of the tunnel sessions), or --live.

Examples:
  bgpcap verify --peering ~/client caps/*.pcap
  bgpcap verify --prefix 184.164.236.0/24 --mux amsterdam01 --mux isi01 --prepend 2 --poison 3356 \\
                --origin 61574 --community 47065:1001 amsterdam01.tap5.pcap isi01.tap2.pcap vtr*.pcap
  bgpcap verify --peering ~/client --live --timeout 2m --write caps/ -f jsonl     (start it, then announce)
  bgpcap verify --peering ~/client --live --reload-out --reload-in --timeout 30   (after the fact: BIRD re-sends)

Output: a table per mux and prefix (human), or one verdict record per mux and prefix (-f jsonl,
schema/verdict.schema.json). Every difference says what was expected and what was seen.

Exit status: 0 all as intended; 1 something differs; 2 could not check (no capture of a target mux, the capture
starts after the announcement, usage error, live capture impossible); 3 internal error.
`;

function collect(v: string, prev: string[]): string[] {
  return [...prev, v];
}

function collectPorts(v: string, prev: number[]): number[] {
  return [...prev, parsePort(v)];
}

function count(v: string): number {
  if (!/^[0-9]{1,3}$/.test(v)) throw new InvalidArgumentError('expected how many times the origin is prepended (0-4 for the client)');
  return Number(v);
}

export function verifyCommand(done: (code: number) => void): Command {
  return new Command('verify')
    .description('check that an announcement left every PEERING mux as intended, and that poisoning worked')
    .argument('[captures...]', 'capture files of the tunnels (<mux>.<tapN>.pcap, pcapng with interface names, …)')
    .option('--peering <dir>', 'a PEERING client checkout: the intended state from its export filter files, and its mux ↔ tap map')
    .option('--announcement <file>', "the intended state from an announcement JSON in the client's schema")
    .option('--prefix <prefix>', 'the prefix to verify (repeatable); with --peering or --announcement: only these', collect, [])
    .option('--mux <mux>', 'announced to this mux (repeatable; default: all muxes), like -m', collect, [])
    .option('--withdraw <mux>', 'withdrawn from this mux (repeatable; "all" for every mux not named with --mux)', collect, [])
    .option('--prepend <n>', 'the origin is prepended this many times, like -P', count)
    .option('--origin <asn>', 'origin AS, like -o')
    .option('--poison <asn>', 'poisoned AS, like -p (repeatable, in the order given)', collect, [])
    .option('--community <a:b>', 'community, like -c A,B (repeatable)', collect, [])
    .option('--large-community <a:b:c>', 'large community, like -l A,B,C (repeatable)', collect, [])
    .option('--next-hop <ip>', 'the next hop the announcement sets (-M), instead of the client address')
    .option('--since <time>', 'when the announcement was changed (epoch seconds or RFC 3339); default: the filter files\' mtimes')
    .option('--live', 'capture the tunnels live instead of reading files (needs root, like bgpcap live)', false)
    .option('-i, --interface <name>', 'with --live: capture on this interface (repeatable)', collect, [])
    .option('--timeout <duration>', 'with --live: capture at most this long (e.g. 60, 2m)', parseDuration, 60)
    .option('--settle <duration>', 'with --live: stop early once an UPDATE for a tracked prefix was seen, everything is as intended and nothing changed for this long', parseDuration, 5)
    .option('-w, --write <dir>', 'with --live: also save the packets, one <mux>.<tapN>.pcap per tunnel')
    .option('--reload-out', "with --live and --peering: ask the client's BIRD to re-send its announcements to each captured mux (reload out)", false)
    .option('--reload-in', 'with --live and --peering: ask each captured mux to re-send its routes (reload in: a full table on a real mux)', false)
    .addOption(new Option('-f, --format <format>', 'output format').choices(['human', 'jsonl']).default('human'))
    .option('-p, --port <port>', 'also treat this TCP port as BGP (repeatable; 179 always)', collectPorts, [])
    .addHelpText('after', HELP)
    .action(async (files: string[], opts: VerifyOpts) => {
      done(await runVerify(files, opts));
    });
}

function log(line: string): void {
  process.stderr.write(`bgpcap: ${line}\n`);
}

const FLAG_NAMES = ['mux', 'withdraw', 'prepend', 'origin', 'poison', 'community', 'largeCommunity', 'nextHop'] as const;

function hasAnnounceFlags(o: VerifyOpts): boolean {
  return FLAG_NAMES.some((k) => {
    const v = o[k];
    return Array.isArray(v) ? v.length > 0 : v !== undefined;
  });
}

async function readIntent(o: VerifyOpts, allowEmpty = false): Promise<Intent> {
  try {
    const prefixes = o.prefix.map(prefixArg);
    if (o.announcement !== undefined) {
      if (hasAnnounceFlags(o)) throw new UsageError('--announcement gives the intended state: --mux, --prepend, --poison, … cannot be added to it');
      const intent = await readAnnouncementJson(o.announcement);
      if (prefixes.length > 0) {
        const want = new Set(prefixes);
        intent.prefixes = intent.prefixes.filter((p) => want.has(p.prefix));
        const missing = prefixes.filter((p) => !intent.prefixes.some((x) => x.prefix === p));
        if (missing.length > 0) throw new UsageError(`--prefix ${missing.join(', ')}: not in ${o.announcement}`);
      }
      return intent;
    }
    if (hasAnnounceFlags(o) || (o.peering === undefined && prefixes.length > 0)) return intentFromFlags({ ...o, prefix: prefixes });
    if (o.peering !== undefined) {
      const intent = readPeeringIntent(o.peering, { prefixes });
      if (intent.prefixes.length === 0 && !allowEmpty) {
        throw new UsageError(`--peering ${o.peering}: no export filter or route announcement under configs/bird{,6}/ — nothing to verify (name it with --prefix)`);
      }
      return intent;
    }
  } catch (e) {
    if (e instanceof ValueError || e instanceof IntentError) throw new UsageError(e.message);
    throw e;
  }
  throw new UsageError('give the intended state: --peering DIR, --announcement FILE, or --prefix P with --mux, --prepend, … (see --help)');
}

interface Client {
  map: MuxMap | null;
  dir: MuxDirectory;
  tapOf: Map<string, string>;
  lint: LintContext;
}

function readClient(peering: string | undefined): Client {
  if (peering === undefined) return { map: null, dir: EMPTY_DIRECTORY, tapOf: new Map(), lint: NO_LINT_CONTEXT };
  let map: MuxMap;
  try {
    map = readMuxMap(peering);
  } catch (e) {
    if (e instanceof PeeringDirError) throw new UsageError(`--peering: ${e.message}`);
    throw e;
  }
  for (const w of map.warnings) log(`--peering: ${w}`);
  const nb = readBirdNeighbors(peering);
  const byIface = new Map<string, string>();
  const byAddress = new Map<string, string>();
  const byId = new Map<number, string>();
  const tapOf = new Map<string, string>();
  for (const m of map.muxes) {
    byIface.set(m.tap, m.mux);
    tapOf.set(m.mux, m.tap);
    if (m.id !== null) byId.set(m.id, m.mux);
    const plan = planNeighbors(m.id);
    if (plan.v4 !== null) byAddress.set(plan.v4, m.mux);
    if (plan.v6 !== null) byAddress.set(plan.v6, m.mux);
  }
  for (const [name, n] of [...nb.v4, ...nb.v6]) byAddress.set(n.address, name);
  const hasBird6 = existsSync(join(peering, 'configs', 'bird6', 'bird6.conf'));
  return {
    map,
    dir: { byIface, byAddress, byId },
    tapOf,
    lint: { allocated: readAllocated(peering), v6Muxes: hasBird6 ? new Set(nb.v6.keys()) : null },
  };
}

export async function runVerify(files: string[], o: VerifyOpts): Promise<number> {
  if (o.live && files.length > 0) throw new UsageError('--live captures the tunnels itself: give capture files or --live, not both');
  if (!o.live && files.length === 0) throw new UsageError('give the capture files to check (e.g. caps/*.pcap), or --live');
  if (!o.live) {
    for (const [flag, given] of [['--interface', o.interface.length > 0], ['--write', o.write !== undefined], ['--reload-out', o.reloadOut], ['--reload-in', o.reloadIn]] as const) {
      if (given) throw new UsageError(`${flag} needs --live`);
    }
  }
  if ((o.reloadOut || o.reloadIn) && o.peering === undefined) throw new UsageError(`--reload-${o.reloadOut ? 'out' : 'in'} needs --peering DIR (the BIRD control sockets are in its var/)`);
  if (o.live && o.peering === undefined && o.interface.length === 0) throw new UsageError('--live needs --peering DIR or -i IFACE: the tunnels to capture');
  let since: number | null = null;
  if (o.since !== undefined) {
    try {
      const t = parseTime(o.since);
      since = t.sec + t.nsec / 1e9;
    } catch (e) {
      throw new UsageError(`--since: ${(e as Error).message}`);
    }
  }
  const client = readClient(o.peering);
  // A live run may start before the announcement: the client's files are read again while it captures.
  const intent = await readIntent(o, o.live);
  if (since !== null) {
    for (const p of intent.prefixes) {
      p.changed.clear();
      p.changed.set('*', since);
    }
  }
  const known = client.map === null ? null : new Set(client.map.muxes.map((m) => m.mux));
  const intentNotes = (i: Intent): string[] => {
    const out = [...i.warnings];
    for (const p of i.prefixes) {
      for (const m of [...p.announce.keys(), ...p.withdraw]) {
        if (known !== null && m !== 'all' && !known.has(m)) out.push(`${m} is not a mux of ${o.peering} (${client.map!.source})`);
      }
      for (const n of p.notes) out.push(`${p.prefix}: ${n}`);
    }
    return out;
  };
  const notes: string[] = [];
  const obs = new Observer(new Set(intent.prefixes.map((p) => p.prefix)), client.dir);
  const checkOpts: CheckOptions = {
    muxes: client.map === null ? null : client.map.muxes.map((m) => m.mux),
    tapOf: client.tapOf,
    resent: new Set(),
    lint: client.lint,
  };
  let verdicts: VerdictRecord[];
  const ports = new Set([179, ...o.port]);
  if (o.live) {
    const muxes = intent.source === 'flags' || intent.source === 'json' ? liveMuxes(intent, known) : [];
    // Re-read the client's files: the announcement may be made while capturing.
    const rereadIntent = (): Intent => {
      if (o.peering === undefined || intent.source !== 'peering') return intent;
      const now = readPeeringIntent(o.peering, { prefixes: o.prefix.map(prefixArg) });
      for (const p of now.prefixes) {
        obs.track(p.prefix);
        if (since !== null) p.changed = new Map([['*', since]]);
      }
      return now;
    };
    let lastVersion = -1;
    let lastChange = Date.now();
    const settleMs = o.settle * 1000;
    const r = await observeLive(obs, {
      peering: o.peering ?? null,
      muxes,
      interfaces: o.interface,
      ports: [...ports],
      timeoutMs: o.timeout * 1000,
      pollMs: 250,
      write: o.write ?? null,
      reloadOut: o.reloadOut,
      reloadIn: o.reloadIn,
      log,
      settled: () => {
        const now = Date.now();
        // Nothing relevant on the wire yet: keep waiting for the change (or the timeout).
        if (obs.version === 0) return false;
        if (obs.version !== lastVersion) {
          lastVersion = obs.version;
          lastChange = now;
          return false;
        }
        if (now - lastChange < settleMs) return false;
        const current = rereadIntent();
        const vs = verify(current, obs, checkOpts);
        return vs.length > 0 && exitCodeOf(vs) === 0;
      },
    });
    if (r.captureExit !== 0 && r.captureExit !== null && obs.muxes.size === 0) {
      log(`the live capture could not run (exit status ${r.captureExit})`);
      return 2;
    }
    const final = rereadIntent();
    notes.push(...intentNotes(final));
    if (final.prefixes.length === 0) {
      log(`--peering ${o.peering}: no export filter or route announcement under configs/bird{,6}/ — nothing to verify`);
      return 2;
    }
    notes.push(`live capture from ${new Date(r.start * 1000).toISOString()}, ended: ${r.reason}`);
    if (r.resent.size > 0) notes.push(`the client's BIRD re-sent its announcements to ${[...r.resent].sort().join(', ')} (reload out)`);
    if (r.refreshed.size > 0) notes.push(`${[...r.refreshed].sort().join(', ')} re-sent their routes (reload in)`);
    verdicts = verify(final, obs, { ...checkOpts, resent: r.resent });
  } else {
    notes.push(...intentNotes(intent));
    const problems = await observeFiles(files, obs, client.dir, { ports });
    for (const p of problems) log(`${p.file}: ${p.message}`);
    verdicts = verify(intent, obs, checkOpts);
    // A damaged capture may lack the last UPDATEs: what it shows as fine is not conclusive.
    for (const p of problems) {
      for (const v of verdicts) {
        if (p.mux !== null && v.mux !== p.mux) continue;
        v.checks.push({ check: 'capture', status: 'unknown', expected: 'a complete capture', seen: p.file, message: `${p.file}: ${p.message}` });
        if (v.status === 'ok') v.status = 'unknown';
      }
    }
  }
  for (const [k, n] of obs.unresolved) notes.push(`${n} message(s) between ${k}: neither side is a known mux address (give --peering DIR), not checked`);
  const out = new Output(process.stdout, { onEpipe: () => process.exit(exitCodeOf(verdicts)) });
  if (o.format === 'jsonl') {
    for (const v of verdicts) out.write(verdictJson(v));
    for (const n of notes) log(n);
  } else {
    out.write(formatHuman(verdicts, { notes }));
  }
  await out.flush();
  return exitCodeOf(verdicts);
}

/** The muxes a live run must capture for a flags/JSON intent (every tunnel that is up when one target is `all`). */
function liveMuxes(intent: Intent, known: ReadonlySet<string> | null): string[] {
  const out = new Set<string>();
  for (const p of intent.prefixes) {
    for (const m of [...p.announce.keys(), ...p.withdraw]) {
      if (m === 'all') return [];
      if (known === null || known.has(m)) out.add(m);
    }
  }
  return [...out];
}
