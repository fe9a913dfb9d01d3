// Equivalence on real captures: for every corpus file (../shared/corpus, read in place) and the project's
// fixtures, `bgpcap read -f jsonl --filter X` must print exactly the lines of the unfiltered output that an
// independent implementation of X, written here over the JSON records, keeps:
//
//   --level elem: each prefix line is kept when the predicate holds for it (a withdrawn prefix has no path
//                 attributes); every other line (OPEN, KEEPALIVE, End-of-RIB, event, ...) is tested whole;
//   --level msg:  a message with prefixes is kept when the predicate holds for ANY of its prefixes.
//
// The predicates below share no code with src/filter: addresses are compared as BigInts, communities with
// string operations, AS paths from their JSON arrays.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { isIPv4, isIPv6 } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'dist/cli.js');
const corpus = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));
const haveCorpus = existsSync(join(corpus, 'index.json'));

const files = [
  join(root, 'fixtures/bird-ipv4-ipv6.pcap'),
  join(root, 'fixtures/bird-addpath.pcap'),
  ...(haveCorpus ? (JSON.parse(readFileSync(join(corpus, 'index.json'), 'utf8')) as { file: string }[]).map((e) => join(corpus, e.file)) : []),
].filter((f) => existsSync(f));

function run(args: string[]): string[] {
  const r = spawnSync(process.execPath, [cli, 'read', '-f', 'jsonl', ...args, ...files], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    env: { ...process.env, CI: '1' },
  });
  if (r.status !== 0) throw new Error(`bgpcap exited ${r.status}: ${r.stderr}`);
  return r.stdout.split('\n').filter((l) => l !== '');
}

// ---------------------------------------------------------------------------------------------- independent helpers

type J = Record<string, any>;

function ipBig(s: string): { v6: boolean; n: bigint } | null {
  if (isIPv4(s)) return { v6: false, n: s.split('.').reduce((a, x) => (a << 8n) | BigInt(x), 0n) };
  if (!isIPv6(s)) return null;
  let t = s;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(t);
  if (dotted) {
    const v = ipBig(dotted[1]!)!.n;
    t = t.slice(0, -dotted[1]!.length) + `${(v >> 16n).toString(16)}:${(v & 0xffffn).toString(16)}`;
  }
  const [h, tl] = t.includes('::') ? t.split('::') : [t, undefined];
  const hs = h ? h.split(':') : [];
  const ts = tl ? tl.split(':') : [];
  const groups = tl === undefined ? hs : [...hs, ...Array(8 - hs.length - ts.length).fill('0'), ...ts];
  return { v6: true, n: groups.reduce((a, g) => (a << 16n) | BigInt(parseInt(g, 16)), 0n) };
}

function cidr(s: string): { v6: boolean; n: bigint; len: number } {
  const [a, l] = s.split('/');
  const ip = ipBig(a!)!;
  return { ...ip, len: l === undefined ? (ip.v6 ? 128 : 32) : Number(l) };
}

function topBits(n: bigint, v6: boolean, len: number): bigint {
  const w = v6 ? 128 : 32;
  return len === 0 ? 0n : n >> BigInt(w - len);
}

function inNet(ip: unknown, net: string): boolean {
  if (typeof ip !== 'string') return false;
  const a = ipBig(ip);
  const c = cidr(net);
  return a !== null && a.v6 === c.v6 && topBits(a.n, a.v6, c.len) === topBits(c.n, c.v6, c.len);
}

/** Is prefix text p inside (more specific or equal to) net? */
function sub(p: unknown, net: string): boolean {
  if (typeof p !== 'string' || !p.includes('/')) return false;
  const a = cidr(p);
  const c = cidr(net);
  return a.v6 === c.v6 && a.len >= c.len && topBits(a.n, a.v6, c.len) === topBits(c.n, c.v6, c.len);
}

function sup(p: unknown, net: string): boolean {
  if (typeof p !== 'string' || !p.includes('/')) return false;
  const a = cidr(p);
  const c = cidr(net);
  return a.v6 === c.v6 && a.len <= c.len && topBits(a.n, a.v6, a.len) === topBits(c.n, c.v6, a.len);
}

interface View {
  /** The message (or event) record of the unfiltered msg-level output. */
  rec: J;
  /** The elem line (type, prefix, path_id, afi, safi, next_hop) or null for a record tested whole. */
  el: J | null;
}

/** Path attributes that apply: none on a withdrawn prefix. */
function attrs(v: View): J | null {
  if (v.el !== null && v.el['type'] === 'W') return null;
  return v.rec['msg_type'] === 'UPDATE' ? v.rec : null;
}

function flat(path: unknown): number[] {
  if (!Array.isArray(path)) return [];
  return path.flatMap((x) => (Array.isArray(x) ? (x as number[]) : [x as number]));
}

function originAsns(path: unknown): number[] {
  if (!Array.isArray(path) || path.length === 0) return [];
  const last = path[path.length - 1] as number | number[];
  return Array.isArray(last) ? last : [last];
}

function list(x: unknown): string[] {
  return Array.isArray(x) ? (x as string[]) : [];
}

const nextHop = (v: View): unknown => (v.el !== null ? v.el['next_hop'] : v.rec['msg_type'] === 'UPDATE' ? v.rec['next_hop'] : null);

// ---------------------------------------------------------------------------------------------- filters

const FILTERS: [string, (v: View) => boolean][] = [
  ['type W', (v) => v.el?.['type'] === 'W'],
  ['prefix <= 10.0.0.0/8', (v) => sub(v.el?.['prefix'], '10.0.0.0/8')],
  ['prefix_super_sub 2001:db8::/32, 10.0.0.0/24', (v) => ['2001:db8::/32', '10.0.0.0/24'].some((n) => sub(v.el?.['prefix'], n) || sup(v.el?.['prefix'], n))],
  ['prefix <= 10.0.0.0/8, !10.0.0.0/16 and type A', (v) => sub(v.el?.['prefix'], '10.0.0.0/8') && !sub(v.el?.['prefix'], '10.0.0.0/16') && v.el?.['type'] === 'A'],
  ['peer_asn 64969, 65543 and not community 64496:*', (v) => [64969, 65543].includes(v.rec['peer_asn']) && !list(attrs(v)?.['communities']).some((c) => c.startsWith('64496:'))],
  ['as_path ~ "_64520_" or as_path_len >= 4', (v) => flat(attrs(v)?.['as_path']).includes(64520) || (Array.isArray(attrs(v)?.['as_path']) && (attrs(v)!['as_path'] as unknown[]).length >= 4)],
  ['as_path ~ "^4226809946 "', (v) => Array.isArray(attrs(v)?.['as_path']) && attrs(v)!['as_path'][0] === 4226809946 && attrs(v)!['as_path'].length > 1],
  ['community 64496:* and large_community *:123:*', (v) => list(attrs(v)?.['communities']).some((c) => c.split(':')[0] === '64496') && list(attrs(v)?.['large_communities']).some((c) => c.split(':')[1] === '123')],
  ['ext_community "rt:*" and ip_version 6', (v) => list(attrs(v)?.['ext_communities']).some((c) => c.startsWith('rt:')) && v.el?.['afi'] === 2],
  ['origin_asn 196072, 12429 or contains_asn !65000', (v) => originAsns(attrs(v)?.['as_path']).some((a) => a === 196072 || a === 12429) || !flat(attrs(v)?.['as_path']).includes(65000)],
  ['msg_type NOTIFICATION, OPEN, ROUTE-REFRESH or event reset, gap', (v) => ['NOTIFICATION', 'OPEN', 'ROUTE-REFRESH'].includes(v.rec['msg_type']) || ['reset', 'gap'].includes(v.rec['event'])],
  ['next_hop 172.16.0.0/12, fd00::/8 and local_pref >= 100', (v) => (inNet(nextHop(v), '172.16.0.0/12') || inNet(nextHop(v), 'fd00::/8')) && (attrs(v)?.['local_pref'] ?? -1) >= 100],
  ['path_id * or large_community *', (v) => (v.el?.['path_id'] ?? null) !== null || list(attrs(v)?.['large_communities']).length > 0],
  ['peer_asn !4226809946', (v) => v.rec['peer_asn'] !== 4226809946],
  ['med > 0 or origin INCOMPLETE', (v) => (attrs(v)?.['med'] ?? 0) > 0 || attrs(v)?.['origin'] === 'INCOMPLETE'],
  // A message's warnings apply to each of its prefixes, withdrawn ones too (not attrs(v)).
  ['warning_action treat_as_withdraw or warning as4_ignored', (v) => ((v.rec['warnings'] ?? []) as J[]).some((w) => w['action'] === 'treat-as-withdraw' || w['code'] === 'as4_ignored')],
  ['warning * and not warning_action session-reset', (v) => {
    const ws = (v.rec['warnings'] ?? []) as J[];
    return ws.length > 0 && !ws.some((w) => w['action'] === 'session-reset');
  }],
  ['notification cease/* or error *', (v) => v.rec['notification']?.['code'] === 6 || (v.rec['error'] ?? null) !== null],
  ['(timestamp >= 1500000000 or type W) and msg_type UPDATE', (v) => (v.rec['timestamp'] >= 1500000000 || v.el?.['type'] === 'W') && v.rec['msg_type'] === 'UPDATE'],
  ['afi 1 and safi 128 and not prefix <= 10.0.0.0/8', (v) => v.el?.['afi'] === 1 && v.el?.['safi'] === 128 && !sub(v.el?.['prefix'], '10.0.0.0/8')],
  // stage 1: both directions of the sessions with an address in the range are kept, the rest never decoded
  ['host 172.17.0.0/16, 10.0.0.0/8', (v) => ['172.17.0.0/16', '10.0.0.0/8'].some((n) => inNet(v.rec['peer_ip'], n) || inNet(v.rec['local_ip'], n))],
];

// ---------------------------------------------------------------------------------------------- alignment

interface Item {
  rec: J;
  /** Elem lines of a split UPDATE, or null. */
  elems: { line: string; el: J }[] | null;
  /** The line at elem level for a record written whole. */
  whole: string | null;
  msgLine: string;
}

function splitCount(r: J): number {
  if (r['msg_type'] !== 'UPDATE' || r['error'] !== undefined) return 0;
  let n = list(r['withdrawals']).length;
  for (const a of (r['announcements'] ?? []) as J[]) n += list(a['prefixes']).length;
  return n;
}

function align(msgLines: string[], elemLines: string[]): Item[] {
  const items: Item[] = [];
  let j = 0;
  for (const line of msgLines) {
    const rec = JSON.parse(line) as J;
    const n = splitCount(rec);
    if (n === 0) {
      items.push({ rec, elems: null, whole: elemLines[j++]!, msgLine: line });
      continue;
    }
    const elems = elemLines.slice(j, j + n).map((l) => ({ line: l, el: JSON.parse(l) as J }));
    j += n;
    items.push({ rec, elems, whole: null, msgLine: line });
  }
  expect(j).toBe(elemLines.length);
  return items;
}

describe.skipIf(files.length === 0)(`filtered output equals the unfiltered output filtered independently (${files.length} captures)`, () => {
  const msgLines = run([]);
  const elemLines = run(['-l', 'elem']);
  const items = align(msgLines, elemLines);

  it('the two levels line up (same records, prefixes in order)', () => {
    for (const it of items) {
      if (it.elems === null) {
        expect(JSON.parse(it.whole!).type, it.whole!).toBeUndefined();
        continue;
      }
      const want = [...list(it.rec['withdrawals']).map((p) => `W ${p}`), ...((it.rec['announcements'] ?? []) as J[]).flatMap((a) => list(a['prefixes']).map((p) => `A ${p}`))];
      expect(it.elems.map((e) => `${e.el['type']} ${e.el['prefix']}`)).toEqual(want);
    }
  });

  it.each(FILTERS)('%s', (expr, pred) => {
    const wantMsg: string[] = [];
    const wantElem: string[] = [];
    for (const it of items) {
      if (it.elems === null) {
        if (pred({ rec: it.rec, el: null })) {
          wantMsg.push(it.msgLine);
          wantElem.push(it.whole!);
        }
        continue;
      }
      const kept = it.elems.filter((e) => pred({ rec: it.rec, el: e.el }));
      if (kept.length > 0) wantMsg.push(it.msgLine);
      for (const e of kept) wantElem.push(e.line);
    }
    const gotMsg = run(['--filter', expr]);
    const gotElem = run(['-l', 'elem', '--filter', expr]);
    expect(gotMsg.length, 'msg level count').toBe(wantMsg.length);
    expect(gotMsg).toEqual(wantMsg);
    expect(gotElem.length, 'elem level count').toBe(wantElem.length);
    expect(gotElem).toEqual(wantElem);
    // every filter here keeps something and drops something on this corpus (so the check has teeth)
    if (haveCorpus) {
      expect(wantElem.length).toBeGreaterThan(0);
      expect(wantElem.length).toBeLessThan(elemLines.length);
    }
  });
});
