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
import { extCommunity } from '../../bench/lib/attrs.js';

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
  /** Every message reduced for the field comparison (parsePdmlFields). */
  fields: MsgFields[];
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
  /** Every message record reduced for the field comparison (jsonlMessageFields). */
  fields: MsgFields[];
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
    fields: [],
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
  return { ...parsePdml(r.stdout), fields: parsePdmlFields(r.stdout) };
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
    fields: [],
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
    const f = jsonlMessageFields(rec);
    if (f !== null) out.fields.push(f);
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

// ---------------------------------------------------------------------------------------------------------
// field-level comparison, message by message
//
// Each message both tools show is reduced to a few normalised texts (MsgFields.f) and the UPDATE's route
// entries (MsgFields.entries), then paired with the other tool's message of the same frame, type and length
// (the nth with that key to the nth). Compared:
//
//   UPDATE        prefixes of families 1:1 1:2 2:1 2:2 (unicast, multicast), 1:4 2:4 (labeled), 1:128 2:128
//                 (VPN), each entry with its path id, route distinguisher and labels; as_path; next_hop (the
//                 NEXT_HOP attribute and each of those families' MP_REACH next hop); origin; med; local_pref;
//                 communities; large_communities; ext_communities (type, sub-type and value octets)
//   OPEN          capabilities: the capability codes in wire order
//   NOTIFICATION  notification: code/subcode
//   ROUTE-REFRESH route_refresh: afi/safi and subtype
//
// tshark fields (4.0), read from the message's top-level path attributes only (an ATTR_SET's nested
// attributes have the same field names):
//   bgp.length, bgp.type; bgp.cap.type; bgp.notify.major_error, bgp.notify.minor_error*;
//   bgp.route_refresh.afi/.safi/.subtype; bgp.update.path_attribute(.type_code) and below it
//   .origin, .multi_exit_disc, .local_pref, .next_hop, .as_path_segment(.type, .as2, .as4),
//   .community(_as, _value, _wellknown), bgp.large_communities(.ga, .ldp1, .ldp2), bgp.ext_community and the
//   fields inside it, .mp_reach_nlri / .mp_unreach_nlri (.afi, .safi, .next_hop.ipv4/.ipv6/.ipv6.link_local
//   and the NLRI container); in NLRI containers bgp.nlri_path_id, bgp.prefix_length, bgp.label_stack, bgp.rd,
//   bgp.nlri_prefix, bgp.withdrawn_prefix, bgp.mp_(un)reach_nlri_ipv4/6_prefix.
//
// Normalisations, each a documented difference of presentation, not of meaning:
//   - tshark shows a prefix with the bits past its length as sent; bgpcap clears them (RFC 4271 §4.3: they
//     are irrelevant), and so does this reading of tshark's octets;
//   - tshark's bgp.prefix_length of a labeled or VPN entry is the whole NLRI length in bits (labels 24 bits
//     each, RD 64, then the prefix): the prefix length is what is left;
//   - tshark 4.0 dissects a VPN-IPv6 entry as one bgp.label_stack field "Label Stack=<labels> RD=<rd>,
//     IPv6=<prefix>" (read from that text); for an RD of type 2 (4-octet AS, as the field's octets show) it
//     prints its format string instead ("Label Stack=%s RD=%u.%u:%u, IPv6=%s/%u") and only the labels are
//     known: such entries are compared on labels (and path id) alone, as "? [labels]";
//   - next hop: tshark shows an all-zero link-local half of a 32-byte next hop as "::", bgpcap as null (not an
//     address a route can use); a 16-byte next hop that is itself link-local (fe80::/10) bgpcap also reports
//     as next_hop_ll (RFC 2545 §3: the link-local address is what the peer uses on the shared link);
//   - AS path: bgpcap shows the effective path, AS4_PATH merged into a 2-octet AS_PATH (RFC 6793 §4.2.3); the
//     same merge is done here on tshark's segments when tshark read the AS_PATH as 2-octet ASNs (as2 fields)
//     and an AS4_PATH is present; AS_CONFED_SEQUENCE is flattened and AS_SET / AS_CONFED_SET nested, as
//     bgpcap's `as_path` array shows them (src/bgp/model.ts);
//   - extended communities: bgpcap writes operator text (`rt:65001:100`, src/bgp/attributes/README.md); it is
//     turned back into its 8 octets with bench/lib/attrs.ts (written from the RFCs, no code shared with src/)
//     and compared with the octets tshark's fields cover (type, sub-type, value fields; octets no tshark field
//     covers are not compared);
//   - withdrawals by family come from bgpcap's `withdrawal_families` (the flat `withdrawals` list has no
//     family).
// Messages bgpcap reports with an `error` have no fields: they are counted apart, never compared.

/** The families whose entries and next hops are compared. */
export const FIELD_FAMILIES = new Set(['1:1', '1:2', '2:1', '2:2', '1:4', '2:4', '1:128', '2:128']);
const LABELED_FAMILIES = new Set(['1:4', '2:4']);
const VPN_FAMILIES = new Set(['1:128', '2:128']);

export interface MsgFields {
  frame: number;
  /** BGP message type code. */
  type: number;
  /** The header's length field. */
  length: number;
  /** bgpcap: the error code of a malformed message (its fields are compared only when `decoded`). */
  error: string | null;
  /** The message's fields were decoded (bgpcap keeps them for a malformed NOTIFICATION or ROUTE-REFRESH). */
  decoded: boolean;
  /** tshark: the marker is not all ones (RFC 4271 §4.1), a message bgpcap never takes for one. */
  badMarker: boolean;
  /**
   * Reported as broken: tshark — a Malformed Packet mark or an expert item of group Malformed in the message
   * (or the malformed mark right after it); bgpcap — an error, or an UPDATE warning (RFC 7606).
   */
  flagged: boolean;
  /** Normalised field texts by field name (null: the message does not carry the field). */
  f: Record<string, string | null>;
  /** UPDATE route entries: "A|W afi:safi prefix[#path_id][ rd <rd>][ [labels]]". */
  entries: string[];
}

// ---- PDML as a tree, one packet at a time

export interface PdmlNode {
  name: string;
  show: string;
  showname: string;
  value: string;
  /** Bitmask fields: the whole octets the bits sit in. */
  unmasked: string;
  pos: number;
  size: number;
  children: PdmlNode[];
}

const TAG_RE = /<(\/?)(packet|proto|field)\b([^>]*?)(\/?)>/g;
const ATTR_RE = /(\w+)="([^"]*)"/g;

/** The packets of a PDML text, each as a root node whose children are the protocols. */
export function* pdmlPackets(pdml: string): Generator<PdmlNode> {
  let at = 0;
  for (;;) {
    const s = pdml.indexOf('<packet>', at);
    if (s < 0) return;
    let e = pdml.indexOf('</packet>', s);
    if (e < 0) e = pdml.length;
    yield parsePacket(pdml.slice(s, e));
    at = e + 1;
  }
}

function parsePacket(xml: string): PdmlNode {
  const root: PdmlNode = { name: 'packet', show: '', showname: '', value: '', unmasked: '', pos: 0, size: 0, children: [] };
  const stack: PdmlNode[] = [root];
  TAG_RE.lastIndex = 0;
  for (let m = TAG_RE.exec(xml); m !== null; m = TAG_RE.exec(xml)) {
    const [, closing, tag, attrs, selfClosing] = m;
    if (tag === 'packet') continue;
    if (closing) {
      if (stack.length > 1) stack.pop();
      continue;
    }
    const a: Record<string, string> = {};
    ATTR_RE.lastIndex = 0;
    for (let am = ATTR_RE.exec(attrs!); am !== null; am = ATTR_RE.exec(attrs!)) a[am[1]!] = unescapeXml(am[2]!);
    const node: PdmlNode = {
      name: a.name ?? '',
      show: a.show ?? '',
      showname: a.showname ?? '',
      value: a.value ?? '',
      unmasked: a.unmaskedvalue ?? '',
      pos: Number(a.pos ?? 0),
      size: Number(a.size ?? 0),
      children: [],
    };
    stack[stack.length - 1]!.children.push(node);
    if (!selfClosing) stack.push(node);
  }
  return root;
}

/** Every descendant of n, in document order. */
function flat(n: PdmlNode, out: PdmlNode[] = []): PdmlNode[] {
  for (const c of n.children) {
    out.push(c);
    flat(c, out);
  }
  return out;
}

function first(n: PdmlNode, name: string): PdmlNode | undefined {
  for (const c of n.children) {
    if (c.name === name) return c;
    const d = first(c, name);
    if (d !== undefined) return d;
  }
  return undefined;
}

function all(n: PdmlNode, name: string, out: PdmlNode[] = []): PdmlNode[] {
  for (const c of n.children) {
    if (c.name === name) out.push(c);
    all(c, name, out);
  }
  return out;
}

const child = (n: PdmlNode, name: string): PdmlNode | undefined => n.children.find((c) => c.name === name);

// ---- tshark side

/** "100,101 (bottom)" or "917616 (bottom)" → [100, 101] / [917616]. */
export function labelsOfShow(show: string): number[] {
  const head = show.split('(')[0]!.trim();
  return head === '' ? [] : head.split(',').map((x) => Number(x.trim()));
}

/**
 * Prefix text from the octets tshark shows (`value`), zero-filled to 4 or 16 octets, the bits past `len`
 * cleared (bgpcap clears them: RFC 4271 §4.3 makes them irrelevant; tshark shows them as sent).
 */
export function prefixFromOctets(valueHex: string, len: number, v6: boolean): string | null {
  const n = v6 ? 16 : 4;
  if (len < 0 || len > 8 * n) return null;
  const bytes: number[] = [];
  for (let i = 0; i + 1 < valueHex.length && bytes.length < n; i += 2) bytes.push(parseInt(valueHex.slice(i, i + 2), 16));
  while (bytes.length < n) bytes.push(0);
  for (let i = 0; i < n; i++) {
    const keep = Math.max(0, Math.min(8, len - 8 * i));
    bytes[i] = bytes[i]! & ((0xff00 >> keep) & 0xff);
  }
  if (!v6) return normalisePrefix(`${bytes.join('.')}/${len}`);
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  return normalisePrefix(`${groups.join(':')}/${len}`);
}

function entryText(kind: 'A' | 'W', fam: string, prefix: string, pathId: string, rd: string | null, labels: number[] | null): string {
  let s = `${kind} ${fam} ${prefix}`;
  if (pathId !== '') s += `#${pathId}`;
  if (rd !== null) s += ` rd ${rd}`;
  if (labels !== null) s += ` [${labels.join(',')}]`;
  return s;
}

const PREFIX_FIELD_NAMES = new Set([
  'bgp.nlri_prefix',
  'bgp.withdrawn_prefix',
  'bgp.mp_reach_nlri_ipv4_prefix',
  'bgp.mp_reach_nlri_ipv6_prefix',
  'bgp.mp_unreach_nlri_ipv4_prefix',
  'bgp.mp_unreach_nlri_ipv6_prefix',
]);

/** The entries of one NLRI container (classic withdrawn routes / NLRI, or an MP attribute's NLRI). */
export function tsharkEntries(container: PdmlNode, kind: 'A' | 'W', fam: string): string[] {
  const out: string[] = [];
  const labeled = LABELED_FAMILIES.has(fam);
  const vpn = VPN_FAMILIES.has(fam);
  const v6 = fam.startsWith('2:');
  let pathId = '';
  let cur: { bits: number; labels: number[]; rd: string } | null = null;
  for (const f of flat(container)) {
    if (f.name === 'bgp.nlri_path_id') {
      pathId = f.show;
    } else if (f.name === 'bgp.label_stack' && f.showname.startsWith('Label Stack=') && f.showname.includes(', IPv6=')) {
      // VPN-IPv6, one field: "Label Stack=19886 (bottom) RD=64530:66067, IPv6=2005:1:2:3::/64"
      const m = /^Label Stack=(.*) RD=(\S+), IPv6=(\S+)$/.exec(f.showname);
      const p = m === null ? null : normalisePrefix(m[3]!);
      out.push(m === null || p === null ? `${kind} ${fam} ?unreadable ${f.showname}` : entryText(kind, fam, p, pathId, m[2]!, labelsOfShow(m[1]!)));
      pathId = '';
      cur = null;
    } else if (f.name === 'bgp.label_stack' && f.show.startsWith('Label Stack=%s')) {
      // tshark 4.0 printed its format string: only the labels (in showname) are known. It does so for an RD
      // of type 2 (the field's octets: length, labels, then the RD type); another type would be a new case.
      const labels = labelsOfShow(f.showname.replace(/^Label Stack:?/, ''));
      const at = 2 * (1 + 3 * labels.length);
      const rdType = parseInt(f.value.slice(at, at + 4), 16);
      const what = rdType === 2 ? '?' : `?rd-type-${rdType}`;
      out.push(`${kind} ${fam} ${what}${pathId === '' ? '' : `#${pathId}`} [${labels.join(',')}]`);
      pathId = '';
      cur = null;
    } else if (f.name === 'bgp.prefix_length') {
      cur = { bits: Number(f.show), labels: [], rd: '' };
    } else if (cur !== null && f.name === 'bgp.label_stack') {
      cur.labels = labelsOfShow(f.show);
    } else if (cur !== null && f.name === 'bgp.rd') {
      cur.rd = f.show;
    } else if (cur !== null && PREFIX_FIELD_NAMES.has(f.name)) {
      const len = cur.bits - (labeled || vpn ? 24 * cur.labels.length : 0) - (vpn ? 64 : 0);
      const p = prefixFromOctets(f.value, len, f.name.includes('ipv6'));
      out.push(entryText(kind, fam, p ?? `?${f.show}/${len}`, pathId, vpn ? cur.rd : null, labeled || vpn ? cur.labels : null));
      pathId = '';
      cur = null;
    }
  }
  return out;
}

/** Text of a path given as segments, in bgpcap's `as_path` shape: sets in braces, confed sequences flat. */
export function asPathText(segs: { type: number; asns: number[] }[]): string {
  const parts: string[] = [];
  for (const s of segs) {
    if (s.type === 1 || s.type === 4) parts.push(`{${s.asns.join(',')}}`);
    else parts.push(...s.asns.map(String));
  }
  return parts.join(' ');
}

/** RFC 6793 §4.2.3: the effective path of a 2-octet AS_PATH and an AS4_PATH. */
export function mergeAs4Path(
  asPath: { type: number; asns: number[] }[],
  as4Path: { type: number; asns: number[] }[],
): { type: number; asns: number[] }[] {
  // path length as §9.1.2.2 of RFC 4271 counts it: an AS_SET counts 1, confederation segments 0
  const count = (segs: { type: number; asns: number[] }[]) =>
    segs.reduce((n, s) => n + (s.type === 2 ? s.asns.length : s.type === 1 ? 1 : 0), 0);
  const as4 = as4Path.filter((s) => s.type === 1 || s.type === 2); // RFC 6793 §6: no confed segments in AS4_PATH
  const n = count(asPath);
  const m = count(as4);
  if (n < m) return asPath;
  let keep = n - m;
  const out: { type: number; asns: number[] }[] = [];
  for (const s of asPath) {
    if (keep === 0) break;
    if (s.type === 2) {
      const take = s.asns.slice(0, keep);
      out.push({ type: 2, asns: take });
      keep -= take.length;
    } else if (s.type === 1) {
      out.push(s);
      keep--;
    } else out.push(s);
  }
  return [...out, ...as4];
}

function tsharkSegments(attr: PdmlNode): { type: number; asns: number[] }[] {
  return all(attr, 'bgp.update.path_attribute.as_path_segment').map((seg) => ({
    type: Number(child(seg, 'bgp.update.path_attribute.as_path_segment.type')?.show),
    asns: seg.children.filter((c) => c.name.endsWith('.as2') || c.name.endsWith('.as4')).map((c) => Number(c.show)),
  }));
}

/**
 * The 8 octets of an extended community as far as tshark's fields cover them, hex with '.' for octets no
 * field covers: every field inside the community writes its octets at its position (bit fields their whole
 * octets, from unmaskedvalue).
 */
export function extCommunityOctets(c: PdmlNode): string {
  const out: string[] = Array.from({ length: 16 }, () => '.');
  for (const f of flat(c)) {
    const hex = f.unmasked !== '' ? f.unmasked : f.value;
    if (hex.length !== 2 * f.size || f.size === 0) continue;
    const off = f.pos - c.pos;
    if (off < 0 || off + f.size > 8) continue;
    for (let i = 0; i < 2 * f.size; i++) out[2 * off + i] = hex[i]!.toLowerCase();
  }
  return out.join('');
}

const ORIGINS = ['IGP', 'EGP', 'INCOMPLETE'];
const originText = (n: number): string => ORIGINS[n] ?? `ORIGIN_${n}`;

/** tshark's next hop of an MP_REACH attribute, normalised (see the top of this section). */
function tsharkMpNextHop(attr: PdmlNode, fam: string): string {
  const base = 'bgp.update.path_attribute.mp_reach_nlri.next_hop';
  const nh = first(attr, `${base}.ipv4`)?.show ?? first(attr, `${base}.ipv6`)?.show ?? null;
  let ll = first(attr, `${base}.ipv6.link_local`)?.show ?? null;
  if (ll === '::') ll = null;
  if (ll === null && nh !== null && /^fe[89ab]/i.test(nh)) ll = nh;
  return `${fam} ${nh ?? 'null'} ${ll ?? 'null'}`;
}

/** expert info group "Malformed" (PI_MALFORMED, 0x07000000) */
const EXPERT_MALFORMED = String(0x07000000);

function hasMalformedMark(n: PdmlNode): boolean {
  for (const c of n.children) {
    if (c.name === '_ws.malformed') return true;
    if (c.name === '_ws.expert.group' && c.show === EXPERT_MALFORMED) return true;
    if (hasMalformedMark(c)) return true;
  }
  return false;
}

/** One BGP message of tshark's tree, reduced. */
export function tsharkMessageFields(frame: number, msg: PdmlNode): MsgFields | null {
  const typeNode = child(msg, 'bgp.type');
  if (typeNode === undefined) return null;
  const type = Number(typeNode.show);
  const marker = child(msg, 'bgp.marker')?.value ?? '';
  const out: MsgFields = {
    frame,
    type,
    length: Number(child(msg, 'bgp.length')?.show ?? -1),
    error: null,
    decoded: true,
    badMarker: marker !== 'f'.repeat(32),
    flagged: hasMalformedMark(msg),
    f: {},
    entries: [],
  };
  if (type === 1) {
    out.f.capabilities = all(msg, 'bgp.cap.type').map((n) => n.show).join(' ');
  } else if (type === 3) {
    const minor = msg.children.find((c) => c.name.startsWith('bgp.notify.minor_error'));
    out.f.notification = `${child(msg, 'bgp.notify.major_error')?.show ?? '?'}/${minor?.show ?? '?'}`;
  } else if (type === 5) {
    const g = (k: string) => child(msg, `bgp.route_refresh.${k}`)?.show ?? '?';
    out.f.route_refresh = `${g('afi')}/${g('safi')} subtype ${g('subtype')}`;
  } else if (type === 2) {
    tsharkUpdate(msg, out);
  }
  return out;
}

function tsharkUpdate(msg: PdmlNode, out: MsgFields): void {
  const f = out.f;
  const wd = child(msg, 'bgp.update.withdrawn_routes');
  if (wd !== undefined) out.entries.push(...tsharkEntries(wd, 'W', '1:1'));
  const nlri = child(msg, 'bgp.update.nlri');
  if (nlri !== undefined) out.entries.push(...tsharkEntries(nlri, 'A', '1:1'));
  const attrs = child(msg, 'bgp.update.path_attributes')?.children.filter((c) => c.name === 'bgp.update.path_attribute') ?? [];
  const seen = new Set<number>();
  let asPath: { type: number; asns: number[] }[] | null = null;
  let asPathIs2 = false;
  let as4Path: { type: number; asns: number[] }[] | null = null;
  let aggregatorIsTrans: boolean | null = null;
  let hasAs4Aggregator = false;
  const nextHops: string[] = [];
  let classicNextHop: string | null = null;
  f.origin = f.med = f.local_pref = f.communities = f.large_communities = f.ext_communities = null;
  for (const a of attrs) {
    const code = Number(child(a, 'bgp.update.path_attribute.type_code')?.show);
    // RFC 7606 §3(g): of a repeated attribute the first counts (bgpcap keeps the first too)
    if (code !== 14 && code !== 15) {
      if (seen.has(code)) continue;
      seen.add(code);
    }
    switch (code) {
      case 1: {
        const o = first(a, 'bgp.update.path_attribute.origin');
        if (o !== undefined) f.origin = originText(Number(o.show));
        break;
      }
      case 2:
        asPath = tsharkSegments(a);
        asPathIs2 = all(a, 'bgp.update.path_attribute.as_path_segment.as2').length > 0;
        break;
      case 3: {
        const nh = first(a, 'bgp.update.path_attribute.next_hop');
        if (nh !== undefined) classicNextHop = nh.show;
        break;
      }
      case 4:
        f.med = first(a, 'bgp.update.path_attribute.multi_exit_disc')?.show ?? null;
        break;
      case 5:
        f.local_pref = first(a, 'bgp.update.path_attribute.local_pref')?.show ?? null;
        break;
      case 7: {
        const asn = first(a, 'bgp.update.path_attribute.aggregator_as');
        if (asn !== undefined) aggregatorIsTrans = Number(asn.show) === 23456;
        break;
      }
      case 8:
        f.communities = all(a, 'bgp.update.path_attribute.community')
          .map((c) => {
            const wk = first(c, 'bgp.update.path_attribute.community_wellknown');
            if (wk !== undefined) return `${Number(wk.show) >>> 16}:${Number(wk.show) & 0xffff}`;
            return `${first(c, 'bgp.update.path_attribute.community_as')?.show}:${first(c, 'bgp.update.path_attribute.community_value')?.show}`;
          })
          .join(' ');
        break;
      case 16:
        f.ext_communities = all(a, 'bgp.ext_community').map(extCommunityOctets).join(' ');
        break;
      case 17:
        as4Path = tsharkSegments(a);
        break;
      case 18:
        hasAs4Aggregator = true;
        break;
      case 32:
        f.large_communities = all(a, 'bgp.large_communities')
          .map((l) => ['ga', 'ldp1', 'ldp2'].map((k) => first(l, `bgp.large_communities.${k}`)?.show).join(':'))
          .join(' ');
        break;
      case 14:
      case 15: {
        const base = code === 14 ? 'bgp.update.path_attribute.mp_reach_nlri' : 'bgp.update.path_attribute.mp_unreach_nlri';
        const fam = `${child(a, `${base}.afi`)?.show}:${child(a, `${base}.safi`)?.show}`;
        if (!FIELD_FAMILIES.has(fam)) break;
        if (code === 14) nextHops.push(tsharkMpNextHop(a, fam));
        const container = child(a, base);
        if (container !== undefined) out.entries.push(...tsharkEntries(container, code === 14 ? 'A' : 'W', fam));
        break;
      }
    }
  }
  // RFC 6793 §4.2.3: AS4_PATH is used with a 2-octet AS_PATH unless an AGGREGATOR that is not AS_TRANS comes
  // with an AS4_AGGREGATOR
  if (asPath !== null && as4Path !== null && asPathIs2 && !(hasAs4Aggregator && aggregatorIsTrans === false)) {
    asPath = mergeAs4Path(asPath, as4Path);
  }
  f.as_path = asPath === null ? null : asPathText(asPath);
  if (classicNextHop !== null) nextHops.push(`NEXT_HOP ${classicNextHop}`);
  if (nlri !== undefined && out.entries.some((e) => e.startsWith('A 1:1 '))) nextHops.push(`1:1 ${classicNextHop ?? 'null'} null`);
  f.next_hop = [...new Set(nextHops)].sort().join(', ');
  out.entries.sort();
}

/** Reduce tshark PDML output to one MsgFields per BGP message, in dissection order. */
export function parsePdmlFields(pdml: string): MsgFields[] {
  const out: MsgFields[] = [];
  for (const pkt of pdmlPackets(pdml)) {
    let frame = 0;
    for (const proto of pkt.children) {
      if (proto.name === 'frame') frame = Number(first(proto, 'frame.number')?.show ?? 0);
      // an exception ends the dissection with a [Malformed Packet] right after the message it hit
      if (proto.name === '_ws.malformed' && out.length > 0 && out.at(-1)!.frame === frame) out.at(-1)!.flagged = true;
      if (proto.name !== 'bgp') continue;
      const m = tsharkMessageFields(frame, proto);
      if (m !== null) out.push(m);
    }
  }
  return out;
}

// ---- bgpcap side

const TYPE_CODES: Record<string, number> = { OPEN: 1, UPDATE: 2, NOTIFICATION: 3, KEEPALIVE: 4, 'ROUTE-REFRESH': 5 };

function typeCodeOf(t: unknown): number {
  if (typeof t === 'number') return t;
  if (typeof t !== 'string') return -1;
  return TYPE_CODES[t] ?? (t.startsWith('MSG_') ? Number(t.slice(4)) : -1);
}

const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

function asPathFromJson(v: unknown): string | null {
  if (!Array.isArray(v)) return null;
  return v.map((x) => (Array.isArray(x) ? `{${x.join(',')}}` : String(x))).join(' ');
}

/** bgpcap's extended community text back to its 8 octets (hex), via bench/lib/attrs.ts. */
function extOctets(text: string): string {
  try {
    return Buffer.from(extCommunity(text)).toString('hex');
  } catch {
    return `?${text}`;
  }
}

function familyEntries(kind: 'A' | 'W', fam: Record<string, unknown>): string[] {
  const key = `${fam.afi}:${fam.safi}`;
  if (!FIELD_FAMILIES.has(key)) return [];
  const labeled = LABELED_FAMILIES.has(key);
  const vpn = VPN_FAMILIES.has(key);
  const ids = arr(fam.path_ids);
  const rds = arr(fam.route_distinguishers);
  const labels = arr(fam.labels);
  return arr(fam.prefixes).map((p, i) => {
    const id = ids[i] === undefined || ids[i] === null ? '' : String(ids[i]);
    const l = labeled || vpn ? (arr(labels[i]) as number[]) : null;
    const rd = vpn ? (str(rds[i]) ?? 'null') : null;
    return entryText(kind, key, normalisePrefix(String(p)) ?? String(p), id, rd, l);
  });
}

/** One bgpcap JSON line (a message record), reduced; null for events. */
export function jsonlMessageFields(rec: Record<string, unknown>): MsgFields | null {
  if (rec.msg_type === undefined) return null;
  const body = isObject(rec.msg) ? rec.msg : rec;
  const out: MsgFields = {
    frame: typeof rec.frame === 'number' ? rec.frame : 0,
    type: typeCodeOf(rec.msg_type),
    length: typeof rec.length === 'number' ? rec.length : -1,
    error: isObject(rec.error) ? String(rec.error.code) : null,
    decoded: isObject(body.open) || isObject(body.notification) || isObject(body.route_refresh) || Array.isArray(body.announcements),
    badMarker: false,
    flagged: isObject(rec.error) || (Array.isArray(body.warnings) && body.warnings.length > 0),
    f: {},
    entries: [],
  };
  if (!out.decoded) return out;
  if (out.type === 1 && isObject(body.open)) {
    out.f.capabilities = arr(body.open.capabilities)
      .map((c) => (isObject(c) ? String(c.code) : '?'))
      .join(' ');
  } else if (out.type === 3 && isObject(body.notification)) {
    out.f.notification = `${body.notification.code}/${body.notification.subcode}`;
  } else if (out.type === 5 && isObject(body.route_refresh)) {
    const r = body.route_refresh;
    out.f.route_refresh = `${r.afi}/${r.safi} subtype ${r.subtype}`;
  } else if (out.type === 2) {
    const f = out.f;
    for (const w of arr(body.withdrawal_families)) if (isObject(w)) out.entries.push(...familyEntries('W', w));
    const nextHops: string[] = [];
    for (const a of arr(body.announcements)) {
      if (!isObject(a)) continue;
      out.entries.push(...familyEntries('A', a));
      const key = `${a.afi}:${a.safi}`;
      if (FIELD_FAMILIES.has(key)) nextHops.push(`${key} ${str(a.next_hop) ?? 'null'} ${str(a.next_hop_ll) ?? 'null'}`);
    }
    if (body.next_hop !== null && body.next_hop !== undefined) nextHops.push(`NEXT_HOP ${body.next_hop}`);
    out.entries.sort();
    f.as_path = asPathFromJson(body.as_path);
    f.next_hop = [...new Set(nextHops)].sort().join(', ');
    f.origin = str(body.origin);
    f.med = str(body.med);
    f.local_pref = str(body.local_pref);
    f.communities = Array.isArray(body.communities) ? body.communities.join(' ') : null;
    f.large_communities = Array.isArray(body.large_communities) ? body.large_communities.join(' ') : null;
    f.ext_communities = Array.isArray(body.ext_communities) ? body.ext_communities.map((t) => extOctets(String(t))).join(' ') : null;
  }
  return out;
}

// ---- pairing and differences

const TYPE_LABEL = (t: number): string => (t >= 1 && t <= 5 ? TYPE_NAMES[t - 1]! : `type ${t}`);

/** tshark's ext community octets ('.' = not covered) against bgpcap's: equal where tshark knows. */
function extEqual(t: string | null, b: string | null): boolean {
  if (t === null || b === null) return t === b;
  const ta = t.split(' ');
  const ba = b.split(' ');
  if (ta.length !== ba.length) return false;
  return ta.every((x, i) => {
    const y = ba[i]!;
    if (x.length !== y.length) return false;
    for (let k = 0; k < x.length; k++) if (x[k] !== '.' && x[k] !== y[k]) return false;
    return true;
  });
}

const FIELD_ORDER = [
  'capabilities',
  'notification',
  'route_refresh',
  'prefixes',
  'as_path',
  'next_hop',
  'origin',
  'med',
  'local_pref',
  'communities',
  'large_communities',
  'ext_communities',
];

/** "A 2:128 2001:db8::/64#3 rd 65000:1 [16]" → "A 2:128 ?#3 [16]" (a VPN entry by its path id and labels). */
export function labelsOnly(entry: string): string | null {
  const m = /^([AW]) (\S+) [^ #]+(#\d+)? rd \S+ (\[[^\]]*\])$/.exec(entry);
  return m === null ? null : `${m[1]} ${m[2]} ?${m[3] ?? ''} ${m[4]}`;
}

const clip = (s: string, n = 160): string => (s.length > n ? `${s.slice(0, n)}…` : s);
const shown = (v: string | null): string => (v === null ? 'none' : `"${clip(v)}"`);

/** Pair messages by frame, type and length (the nth with a key to the nth). */
export function pairMessages(t: MsgFields[], b: MsgFields[]): { pairs: [MsgFields, MsgFields][]; onlyT: MsgFields[]; onlyB: MsgFields[] } {
  t = t.filter((m) => !m.badMarker);
  const key = (m: MsgFields) => `${m.frame}|${m.type}|${m.length}`;
  const byKey = new Map<string, MsgFields[]>();
  for (const m of b) {
    const k = key(m);
    const l = byKey.get(k);
    if (l === undefined) byKey.set(k, [m]);
    else l.push(m);
  }
  const pairs: [MsgFields, MsgFields][] = [];
  const onlyT: MsgFields[] = [];
  for (const m of t) {
    const l = byKey.get(key(m));
    const o = l?.shift();
    if (o === undefined) onlyT.push(m);
    else pairs.push([m, o]);
  }
  const onlyB = [...byKey.values()].flat();
  onlyB.sort((x, y) => x.frame - y.frame);
  return { pairs, onlyT, onlyB };
}

/**
 * Field differences as stable lines, one per kind of difference, e.g.
 *   "unpaired UPDATE: tshark 2, bgpcap 0 (first: tshark frame 7)"
 *   "error in bgpcap on 3 messages tshark dissected: UPDATE path_attributes_length×3"
 *   "as_path: differs in 2 UPDATE messages, first frame 13: tshark \"200 1\" bgpcap \"200 1 222222\""
 *   "prefixes: differs in 1 UPDATE message, first frame 9: only tshark [A 1:1 10.0.0.0/8] only bgpcap []"
 */
export function diffFields(t: MsgFields[], b: MsgFields[], tally?: Record<string, number>): string[] {
  const count = (k: string, n = 1) => {
    if (tally !== undefined) tally[k] = (tally[k] ?? 0) + n;
  };
  const lines: string[] = [];
  const bad = t.filter((m) => m.badMarker);
  if (bad.length > 0) {
    lines.push(`tshark dissected ${bad.length} message${bad.length === 1 ? '' : 's'} whose marker is not all ones (first: frame ${bad[0]!.frame}), not paired`);
  }
  const { pairs, onlyT, onlyB } = pairMessages(t, b);
  for (let type = 1; type <= 5; type++) {
    const a = onlyT.filter((m) => m.type === type);
    const c = onlyB.filter((m) => m.type === type);
    if (a.length === 0 && c.length === 0) continue;
    const firstOf = [a[0] ? `tshark frame ${a[0].frame}` : null, c[0] ? `bgpcap frame ${c[0].frame}` : null].filter((x) => x !== null);
    lines.push(`unpaired ${TYPE_LABEL(type)}: tshark ${a.length}, bgpcap ${c.length} (first: ${firstOf.join(', ')})`);
  }
  const errors = new Map<string, number>();
  let errorCount = 0;
  const unflagged = new Map<string, number>();
  let unflaggedCount = 0;
  let firstUnflagged = 0;
  const differ = new Map<string, { n: number; what: Set<string>; first: string }>();
  const note = (field: string, type: number, frame: number, text: string) => {
    const d = differ.get(field);
    if (d === undefined) differ.set(field, { n: 1, what: new Set([TYPE_LABEL(type)]), first: `first frame ${frame}: ${text}` });
    else {
      d.n++;
      d.what.add(TYPE_LABEL(type));
    }
  };
  for (const [tm, bm] of pairs) {
    // both saying "broken" is agreement; either alone is a difference
    if (bm.error !== null && !tm.flagged) {
      const k = `${TYPE_LABEL(bm.type)} ${bm.error}`;
      errors.set(k, (errors.get(k) ?? 0) + 1);
      errorCount++;
    }
    if (tm.flagged && !bm.flagged) {
      const k = TYPE_LABEL(tm.type);
      unflagged.set(k, (unflagged.get(k) ?? 0) + 1);
      if (unflaggedCount++ === 0) firstUnflagged = tm.frame;
    }
    if (!bm.decoded) continue;
    count(`paired ${TYPE_LABEL(tm.type)}`);
    if (tm.type === 2) {
      for (const e of tm.entries) count(`entries ${e.split(' ', 2)[1]}`);
      const bs = new Map<string, number>();
      for (const e of bm.entries) bs.set(e, (bs.get(e) ?? 0) + 1);
      const onlyTe: string[] = [];
      for (const e of tm.entries) {
        const n = bs.get(e) ?? 0;
        if (n > 0) bs.set(e, n - 1);
        else onlyTe.push(e);
      }
      let onlyBe = [...bs.entries()].flatMap(([e, n]) => Array.from({ length: n }, () => e));
      // tshark entries known by their labels only (its VPN-IPv6 format-string bug): match bgpcap's entry
      // reduced to the same "? [labels]" form
      for (let i = onlyTe.length - 1; i >= 0; i--) {
        const e = onlyTe[i]!;
        if (!/^[AW] \S+ \?(#\d+)? \[/.test(e)) continue;
        const j = onlyBe.findIndex((x) => labelsOnly(x) === e);
        if (j < 0) continue;
        onlyTe.splice(i, 1);
        onlyBe = [...onlyBe.slice(0, j), ...onlyBe.slice(j + 1)];
      }
      if (onlyTe.length > 0 || onlyBe.length > 0) {
        const list = (l: string[]) => `[${l.slice(0, 3).join('; ')}${l.length > 3 ? `; +${l.length - 3} more` : ''}]`;
        note('prefixes', 2, tm.frame, `only tshark ${list(onlyTe)} only bgpcap ${list(onlyBe)}`);
      }
    }
    for (const field of FIELD_ORDER) {
      if (field === 'prefixes' || !(field in tm.f)) continue;
      const tv = tm.f[field] ?? null;
      const bv = bm.f[field] ?? null;
      const same = field === 'ext_communities' ? extEqual(tv, bv) : tv === bv;
      if (tv !== null && tv !== '') count(field);
      if (!same) note(field, tm.type, tm.frame, `tshark ${shown(tv)} bgpcap ${shown(bv)}`);
    }
  }
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  if (errorCount > 0) {
    const parts = [...errors.entries()].sort().map(([k, n]) => `${k}×${n}`);
    lines.push(`error in bgpcap on ${plural(errorCount, 'message')} tshark dissected without a malformed mark: ${parts.join(', ')}`);
  }
  if (unflaggedCount > 0) {
    const parts = [...unflagged.entries()].sort().map(([k, n]) => `${k}×${n}`);
    lines.push(`tshark marks ${plural(unflaggedCount, 'message')} malformed that bgpcap decoded without error or warning: ${parts.join(', ')} (first frame ${firstUnflagged})`);
  }
  for (const field of FIELD_ORDER) {
    const d = differ.get(field);
    if (d === undefined) continue;
    lines.push(`${field}: differs in ${d.n} ${[...d.what].join('/')} message${d.n === 1 ? '' : 's'}, ${d.first}`);
  }
  return lines;
}
