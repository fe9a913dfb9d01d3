// `bgpcap read --workers N` against the single-threaded run and against the generator's ground truth:
//  - the same set of output lines (jsonl at both levels, line output, human blocks, with and without filters);
//  - for every TCP session, its records in the same order as without workers (the documented guarantee:
//    order per session, not global);
//  - the same --stats summary, and message counts equal to what bench/gen.ts wrote;
//  - several input files, a damaged file (records before the damage, then the error), usage errors.
// The captures come from bench/gen.ts (an encoder that shares no code with the decoder): many sessions whose
// packets interleave, segmented at MSS 1448 with retransmissions and reordering.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROFILES, generate, type CorpusInfo } from '../../bench/gen.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'dist/cli.js');
const tmp = mkdtempSync(join(tmpdir(), 'bgpcap-workers-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let rs = '';
let rsInfo: CorpusInfo;
let bird = '';
let birdInfo: CorpusInfo;

beforeAll(async () => {
  // Route-server profile: 300 sessions (a third over IPv6 transport), ~1,500 prefixes.
  rs = join(tmp, 'rs.pcap');
  rsInfo = await generate(PROFILES['rs']!, rs, 0.003, 7);
  // Four sessions, one prefix per UPDATE, ~6,000 messages spanning segments.
  bird = join(tmp, 'bird.pcap');
  birdInfo = await generate(PROFILES['bird']!, bird, 0.005, 11);
}, 120_000);

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function read(args: string[]): Run {
  const r = spawnSync(process.execPath, [cli, 'read', ...args], { encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, CI: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function lines(text: string): string[] {
  return text.split('\n').filter((l) => l !== '');
}

/** The session of a jsonl record: its two endpoints, the same for both directions. */
function sessionOf(line: string): string {
  const o = JSON.parse(line) as Record<string, unknown>;
  const a = `${String(o['peer_ip'])}:${String(o['src_port'])}`;
  const b = `${String(o['local_ip'])}:${String(o['dst_port'])}`;
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

function bySession(ls: string[]): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const l of ls) {
    const k = sessionOf(l);
    let list = m.get(k);
    if (list === undefined) m.set(k, (list = []));
    list.push(l);
  }
  return m;
}

function sorted(ls: string[]): string[] {
  return [...ls].sort();
}

describe('--workers N: same records as one thread, each session in order', () => {
  for (const [name, file, level] of [
    ['route server, 300 sessions', () => rs, 'msg'],
    ['route server, 300 sessions', () => rs, 'elem'],
    ['4 full-table sessions', () => bird, 'msg'],
  ] as const) {
    it(`${name}, jsonl --level ${level}`, () => {
      const one = read(['-f', 'jsonl', '-l', level, file()]);
      expect(one.status).toBe(0);
      const base = lines(one.stdout);
      expect(base.length).toBeGreaterThan(1000);
      for (const n of ['2', '3']) {
        const w = read(['--workers', n, '-f', 'jsonl', '-l', level, file()]);
        expect(w.stderr).toBe('');
        expect(w.status).toBe(0);
        const got = lines(w.stdout);
        expect(got.length).toBe(base.length);
        expect(sorted(got)).toEqual(sorted(base));
        const want = bySession(base);
        const have = bySession(got);
        expect([...have.keys()].sort()).toEqual([...want.keys()].sort());
        for (const [k, seq] of want) expect(have.get(k), `session ${k}`).toEqual(seq);
      }
    });
  }

  it('counts every message the generator wrote, and --stats is the same as one thread', () => {
    for (const [file, info] of [
      [rs, rsInfo],
      [bird, birdInfo],
    ] as const) {
      const one = read(['-f', 'none', '--stats', file]);
      const two = read(['--workers', '2', '-f', 'none', '--stats', file]);
      expect(two.status).toBe(0);
      expect(two.stderr).toBe(one.stderr);
      const total = Object.values(info.messages).reduce((s, x) => s + x, 0);
      expect(two.stderr).toContain(`messages:       ${total} (OPEN ${info.messages['OPEN']}, UPDATE ${info.messages['UPDATE']}, KEEPALIVE ${info.messages['KEEPALIVE']})`);
      expect(two.stderr).toContain(`sessions:       ${info.sessions}\n`);
    }
  });

  it('line output, human output and filters give the same set of records', () => {
    for (const args of [
      ['-f', 'line', '-l', 'elem', '--header'],
      ['-f', 'line'],
      ['--prefix-sub', '1.0.0.0/8', '-f', 'line', '-l', 'elem'],
      ['--peer-asn', '64501,64502', '-f', 'jsonl'],
      ['--community', '64505:*', '--stats', '-f', 'jsonl', '-l', 'elem'],
    ]) {
      const one = read([...args, rs]);
      const two = read(['--workers', '2', ...args, rs]);
      expect(two.status, args.join(' ')).toBe(0);
      expect(two.stderr, args.join(' ')).toBe(one.stderr);
      const a = lines(one.stdout);
      const b = lines(two.stdout);
      if (args.includes('--header')) expect(b[0]).toBe(a[0]); // the header first, once
      expect(sorted(b), args.join(' ')).toEqual(sorted(a));
    }
    // Human blocks: compare the blocks as units (a block is a header line and its indented lines).
    const blocks = (t: string): string[] => t.replace(/\n$/, '').split(/\n(?=\S)/).sort();
    expect(blocks(read(['--workers', '2', bird]).stdout)).toEqual(blocks(read([bird]).stdout));
  });

  it('several input files, and a damaged one: records before the damage, then the error', () => {
    const whole = readFileSync(rs);
    const cut = join(tmp, 'cut.pcap');
    writeFileSync(cut, whole.subarray(0, Math.floor(whole.length * 0.6) + 7)); // ends inside a record
    const args = ['-f', 'jsonl', bird, cut];
    const one = read(args);
    const two = read(['--workers', '2', ...args]);
    expect(one.status).toBe(1);
    expect(two.status).toBe(1);
    expect(two.stderr).toBe(one.stderr);
    expect(two.stderr).toMatch(/cut\.pcap: .*truncated/);
    expect(sorted(lines(two.stdout))).toEqual(sorted(lines(one.stdout)));
    expect(lines(two.stdout).length).toBeGreaterThan(birdInfo.messages['UPDATE']!);
  });

  it('usage errors: a bad count, or --kafka', () => {
    for (const bad of ['0', 'x', '65']) {
      const r = read(['--workers', bad, rs]);
      expect(r.status, bad).toBe(2);
      expect(r.stdout).toBe('');
    }
    const k = read(['--workers', '2', '--kafka', '127.0.0.1:1', rs]);
    expect(k.status).toBe(2);
    expect(k.stderr).toContain('--workers cannot be combined with --kafka');
  });
});
