// Helpers for the differential test against tshark: run tshark and bgpcap on one capture file, reduce each
// output to the same summary (messages per type, sets of announced / withdrawn IPv4 and IPv6 unicast
// prefixes) and list the differences as short stable lines that a table of known differences can name.
//
// tshark side: PDML (`-T pdml`), not `-T fields`. With `-T fields` every field is a separate list per frame,
// and the prefix length (`bgp.prefix_length`) is one field shared by every kind of prefix, so lengths could
// not be paired with addresses once a frame holds several messages or several NLRI kinds. PDML keeps the
// tree order: `bgp.type` opens a message, `bgp.prefix_length` is always dissected just before its address.
//
// Fields used (tshark 4.0 BGP dissector):
//   bgp.type                                  one per message (several per frame/PDU possible)
//   bgp.nlri_prefix                           classic NLRI (RFC 4271 §4.3), IPv4 unicast by definition
//   bgp.withdrawn_prefix                      classic Withdrawn Routes, IPv4 unicast by definition
//   bgp.mp_reach_nlri_ipv4_prefix / _ipv6_    MP_REACH_NLRI (RFC 4760) prefixes, kept only when the
//   bgp.mp_unreach_nlri_ipv4_prefix / _ipv6_  enclosing attribute's afi/safi fields say 1/1 or 2/1: tshark
//                                             uses the same fields for labelled and VPN prefixes
//   bgp.update.path_attribute.mp_reach_nlri.afi/.safi, ...mp_unreach_nlri.afi/.safi   that afi/safi
//   bgp.prefix_length                         the length dissected just before each prefix
// Not compared (a later issue): labelled unicast, VPN, multicast, flowspec, EVPN and other families.

import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const TYPE_NAMES = ['OPEN', 'UPDATE', 'NOTIFICATION', 'KEEPALIVE', 'ROUTE-REFRESH'] as const;
export type CountKey = (typeof TYPE_NAMES)[number] | 'other';
export const COUNT_KEYS: readonly CountKey[] = [...TYPE_NAMES, 'other'];

export interface Summary {
  /** Messages per type; 'other' = any type code outside 1..5. */
  counts: Record<CountKey, number>;
  /** IPv4/IPv6 unicast prefixes announced anywhere in the file, normalised text "addr/len". */
  announced: Set<string>;
  /** IPv4/IPv6 unicast prefixes withdrawn anywhere in the file (classic withdrawn routes + MP_UNREACH). */
  withdrawn: Set<string>;
}

export interface TsharkSummary extends Summary {
  /** Frame number and type of every message, in dissection order (for looking at differences). */
  messages: { frame: number; type: number }[];
  /** Frames where tshark reported a malformed BGP packet. */
  malformedFrames: number[];
}

export interface BgpcapSummary extends Summary {
  /** Records that carried an `error`. */
  errors: { frame: number; msg_type: string; code: string }[];
  /** Event records (gap, truncated_frame, ...), as "frame:event". */
  events: string[];
  /** Lines that were not JSON objects. */
  badLines: number;
}

export function emptyCounts(): Record<CountKey, number> {
  return { OPEN: 0, UPDATE: 0, NOTIFICATION: 0, KEEPALIVE: 0, 'ROUTE-REFRESH': 0, other: 0 };
}

function countKeyOfType(type: number): CountKey {
  return type >= 1 && type <= 5 ? (TYPE_NAMES[type - 1] as CountKey) : 'other';
}

/**
 * Normalise prefix text so both tools compare equal: IPv6 through the WHATWG URL parser (RFC 5952
 * compression, lower case), IPv4 as is. Returns null for text that is not a plain IPv4/IPv6 prefix (RD, label).
 */
export function normalisePrefix(text: string): string | null {
  const m = /^([0-9a-fA-F:.]+)\/(\d{1,3})$/.exec(text.trim());
  if (m === null) return null;
  const addr = m[1] as string;
  const len = Number(m[2]);
  if (addr.includes(':')) {
    if (len > 128) return null;
    try {
      const host = new URL(`http://[${addr}]/`).hostname; // "[2001:db8::]"
      return `${host.slice(1, -1)}/${len}`;
    } catch {
      return null;
    }
  }
  if (len > 32 || !/^\d{1,3}(\.\d{1,3}){3}$/.test(addr)) return null;
  return `${addr}/${len}`;
}

// ---------------------------------------------------------------------------------------------------------
// tshark

export function tsharkAvailable(): boolean {
  const r = spawnSync('tshark', ['--version'], { encoding: 'utf8' });
  return r.status === 0;
}

export function tsharkVersion(): string {
  const r = spawnSync('tshark', ['--version'], { encoding: 'utf8' });
  return (r.stdout ?? '').split('\n')[0] ?? '';
}

const FIELD_RE = /^\s*<(field|proto) name="([^"]*)"(?:[^>]*?\bshow="([^"]*)")?/;

function unescapeXml(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

type PrefixKind = 'announce' | 'withdraw';
const PREFIX_FIELDS: Record<string, { kind: PrefixKind; mp: 'reach' | 'unreach' | null }> = {
  'bgp.nlri_prefix': { kind: 'announce', mp: null },
  'bgp.withdrawn_prefix': { kind: 'withdraw', mp: null },
  'bgp.mp_reach_nlri_ipv4_prefix': { kind: 'announce', mp: 'reach' },
  'bgp.mp_reach_nlri_ipv6_prefix': { kind: 'announce', mp: 'reach' },
  'bgp.mp_unreach_nlri_ipv4_prefix': { kind: 'withdraw', mp: 'unreach' },
  'bgp.mp_unreach_nlri_ipv6_prefix': { kind: 'withdraw', mp: 'unreach' },
};

/** Reduce tshark PDML output (`tshark -r F -Y bgp -T pdml`) to a summary. Pure: unit-testable on text. */
export function parsePdml(pdml: string): TsharkSummary {
  const out: TsharkSummary = {
    counts: emptyCounts(),
    announced: new Set(),
    withdrawn: new Set(),
    messages: [],
    malformedFrames: [],
  };
  let frame = 0;
  let prefixLen: number | null = null;
  // afi/safi of the MP_REACH / MP_UNREACH attribute being dissected (reset at each attribute and message)
  let reach: [number, number] | null = null;
  let unreach: [number, number] | null = null;
  for (const line of pdml.split('\n')) {
    const m = FIELD_RE.exec(line);
    if (m === null) continue;
    const isProto = m[1] === 'proto';
    const name = m[2] as string;
    const show = m[3] === undefined ? '' : unescapeXml(m[3]);
    if (isProto) {
      if (name === '_ws.malformed' && frame !== 0 && out.malformedFrames.at(-1) !== frame) {
        out.malformedFrames.push(frame);
      }
      continue;
    }
    switch (name) {
      case 'frame.number':
        frame = Number(show);
        continue;
      case 'bgp.type': {
        const type = Number(show);
        out.counts[countKeyOfType(type)]++;
        out.messages.push({ frame, type });
        prefixLen = null;
        reach = unreach = null;
        continue;
      }
      case 'bgp.update.path_attribute.type_code':
        reach = unreach = null;
        continue;
      case 'bgp.update.path_attribute.mp_reach_nlri.afi':
        reach = [Number(show), 0];
        continue;
      case 'bgp.update.path_attribute.mp_reach_nlri.safi':
        if (reach !== null) reach[1] = Number(show);
        continue;
      case 'bgp.update.path_attribute.mp_unreach_nlri.afi':
        unreach = [Number(show), 0];
        continue;
      case 'bgp.update.path_attribute.mp_unreach_nlri.safi':
        if (unreach !== null) unreach[1] = Number(show);
        continue;
      case 'bgp.prefix_length':
        prefixLen = Number(show);
        continue;
    }
    const pf = PREFIX_FIELDS[name];
    if (pf === undefined || prefixLen === null) continue;
    const len = prefixLen;
    prefixLen = null;
    if (pf.mp !== null) {
      const fam = pf.mp === 'reach' ? reach : unreach;
      if (fam === null || (fam[0] !== 1 && fam[0] !== 2) || fam[1] !== 1) continue;
    }
    const p = normalisePrefix(`${show}/${len}`);
    if (p === null) continue;
    (pf.kind === 'announce' ? out.announced : out.withdrawn).add(p);
  }
  return out;
}

function execFileText(
  cmd: string,
  args: string[],
  timeoutMs: number,
): Promise<{ stdout: string; stderr: string; status: number | null; signal: string | null; ms: number }> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    execFile(
      cmd,
      args,
      { encoding: 'utf8', maxBuffer: 1 << 30, timeout: timeoutMs, killSignal: 'SIGKILL' },
      (err, stdout, stderr) => {
        const e = err as (Error & { code?: unknown; signal?: NodeJS.Signals | null }) | null;
        resolve({
          stdout,
          stderr,
          status: e === null ? 0 : typeof e.code === 'number' ? e.code : null,
          signal: e?.signal ?? null,
          ms: performance.now() - t0,
        });
      },
    );
  });
}

/** tshark's view of one file, with default preferences (TCP reassembly on), as INDEX.md counted it. */
export async function tsharkSummary(file: string): Promise<TsharkSummary> {
  const r = await execFileText('tshark', ['-n', '-r', file, '-Y', 'bgp', '-T', 'pdml'], 120_000);
  if (r.status !== 0 && r.stdout === '') {
    throw new Error(`tshark failed on ${file}: status ${r.status} ${r.stderr}`);
  }
  return parsePdml(r.stdout);
}

// ---------------------------------------------------------------------------------------------------------
// bgpcap

export interface CliRun {
  status: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export function cliExists(cli: string): boolean {
  return existsSync(cli);
}

export function runBgpcap(cli: string, file: string, timeoutMs = 10_000): Promise<CliRun> {
  return execFileText(process.execPath, [cli, 'read', '--format', 'jsonl', file], timeoutMs);
}

const MSG_TYPE_KEYS: Record<string, CountKey> = {
  OPEN: 'OPEN',
  UPDATE: 'UPDATE',
  NOTIFICATION: 'NOTIFICATION',
  KEEPALIVE: 'KEEPALIVE',
  'ROUTE-REFRESH': 'ROUTE-REFRESH',
};

function countKeyOfMsgType(t: unknown): CountKey {
  if (typeof t === 'number') return countKeyOfType(t);
  if (typeof t === 'string') return MSG_TYPE_KEYS[t] ?? 'other';
  return 'other';
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isUnicastV4V6(o: Record<string, unknown>): boolean {
  return (o.afi === 1 || o.afi === 2) && o.safi === 1;
}

/**
 * Prefix lists of an UPDATE record, accepting the JSON lines shape (`announcements`: [{afi, safi, prefixes}],
 * `withdrawal_families`: [{afi, safi, prefixes}], `withdrawals`: every withdrawn prefix as a string) at top
 * level or under `msg`, and withdrawals given as {afi, safi, prefixes} groups (src/bgp/model.ts). Only IPv4/IPv6
 * unicast is kept. The flat `withdrawals` strings carry no family, so they are used only when no per-family
 * list exists, and then every plain prefix counts (a labelled-unicast withdrawal would count as unicast).
 */
function addUpdatePrefixes(rec: Record<string, unknown>, out: Summary): void {
  const body = isObject(rec.msg) ? rec.msg : rec;
  const ann = body.announcements ?? rec.announcements;
  const wd = body.withdrawal_families ?? rec.withdrawal_families ?? body.withdrawals ?? rec.withdrawals;
  if (Array.isArray(ann)) {
    for (const a of ann) {
      if (!isObject(a) || !isUnicastV4V6(a) || !Array.isArray(a.prefixes)) continue;
      for (const p of a.prefixes) {
        const n = typeof p === 'string' ? normalisePrefix(p) : null;
        if (n !== null) out.announced.add(n);
      }
    }
  }
  if (Array.isArray(wd)) {
    for (const w of wd) {
      if (typeof w === 'string') {
        const n = normalisePrefix(w);
        if (n !== null) out.withdrawn.add(n);
      } else if (isObject(w) && isUnicastV4V6(w) && Array.isArray(w.prefixes)) {
        for (const p of w.prefixes) {
          const n = typeof p === 'string' ? normalisePrefix(p) : null;
          if (n !== null) out.withdrawn.add(n);
        }
      }
    }
  }
}

/** Reduce `bgpcap read --format jsonl` output to a summary. Pure: unit-testable on text. */
export function parseJsonl(text: string): BgpcapSummary {
  const out: BgpcapSummary = {
    counts: emptyCounts(),
    announced: new Set(),
    withdrawn: new Set(),
    errors: [],
    events: [],
    badLines: 0,
  };
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let rec: unknown;
    try {
      rec = JSON.parse(line);
    } catch {
      out.badLines++;
      continue;
    }
    if (!isObject(rec)) {
      out.badLines++;
      continue;
    }
    const frame = typeof rec.frame === 'number' ? rec.frame : 0;
    if (rec.msg_type === undefined) {
      if (typeof rec.event === 'string') out.events.push(`${frame}:${rec.event}`);
      continue;
    }
    const key = countKeyOfMsgType(rec.msg_type);
    out.counts[key]++;
    if (isObject(rec.error)) {
      out.errors.push({ frame, msg_type: String(rec.msg_type), code: String(rec.error.code) });
    }
    if (key === 'UPDATE') addUpdatePrefixes(rec, out);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// comparison

const MAX_LISTED = 6;

function setLine(what: string, only: string, s: string[]): string {
  s.sort();
  const shown = s.slice(0, MAX_LISTED).join(' ');
  const more = s.length > MAX_LISTED ? ` +${s.length - MAX_LISTED} more` : '';
  return `${what} only in ${only} (${s.length}): ${shown}${more}`;
}

/**
 * Differences as stable one-line strings, e.g.
 *   "UPDATE: tshark 9, bgpcap 13"
 *   "announced only in tshark (2): 10.0.0.0/8 10.1.0.0/16"
 */
export function diffSummaries(tshark: Summary, bgpcap: Summary): string[] {
  const lines: string[] = [];
  for (const k of COUNT_KEYS) {
    if (tshark.counts[k] !== bgpcap.counts[k]) {
      lines.push(`${k}: tshark ${tshark.counts[k]}, bgpcap ${bgpcap.counts[k]}`);
    }
  }
  for (const [what, a, b] of [
    ['announced', tshark.announced, bgpcap.announced],
    ['withdrawn', tshark.withdrawn, bgpcap.withdrawn],
  ] as const) {
    const onlyT = [...a].filter((p) => !b.has(p));
    const onlyB = [...b].filter((p) => !a.has(p));
    if (onlyT.length > 0) lines.push(setLine(what, 'tshark', onlyT));
    if (onlyB.length > 0) lines.push(setLine(what, 'bgpcap', onlyB));
  }
  return lines;
}

/** Problems that mean bgpcap crashed rather than reported: exit code, stack traces, JS error names, time. */
export function crashSigns(run: CliRun, timeoutMs = 10_000): string[] {
  const out: string[] = [];
  if (run.signal !== null) out.push(`killed by ${run.signal}${run.ms >= timeoutMs ? ' (timeout)' : ''}`);
  else if (run.status !== 0 && run.status !== 1) out.push(`exit status ${run.status}`);
  if (run.ms > timeoutMs) out.push(`took ${Math.round(run.ms)} ms`);
  const stackLine = run.stderr.split('\n').find((l) => /^\s+at /.test(l));
  if (stackLine !== undefined) out.push(`stack trace on stderr: ${stackLine.trim()}`);
  for (const word of ['TypeError', 'RangeError', 'ReferenceError', 'SyntaxError']) {
    if (run.stderr.includes(word)) out.push(`${word} on stderr`);
  }
  return out;
}

/** Run fn over items with at most `limit` in flight. */
export async function mapPool<T, R>(items: readonly T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      const i = next++;
      if (i >= items.length) return;
      results[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
