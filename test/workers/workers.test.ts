// `bgpcap read --workers N` against the single-threaded run and against the generator's ground truth:
//  - the same output, byte for byte (so the same records, each session's in the same order, and sessions
//    interleaved as without workers), for every output format and level, with and without filters, on the
//    fixtures and on generated multi-session captures;
//  - the same with tiny chunks and output slabs (BGPCAP_TEST_WORKER_SIZES), so that a small capture makes
//    hundreds of chunks whose output arrives out of order, workers wait for slabs, and records longer than a
//    slab take the copy path;
//  - the same whichever thread works on which chunk: the reading thread on all of them (--workers 1), on none
//    (share 0), or on most of them, between the workers' (share 1), its output held until theirs is written;
//  - the same --stats summary, and message counts equal to what bench/gen.ts wrote;
//  - several input files, a damaged file (records before the damage, then the error), `| head`, usage errors.
// The captures come from bench/gen.ts (an encoder that shares no code with the decoder): many sessions whose
// packets interleave, segmented at MSS 1448 with retransmissions and reordering.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROFILES, generate, type CorpusInfo } from '../../bench/gen.js';
import { closeEarly } from '../live/harness.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'dist/cli.js');
const fixture = (name: string): string => join(root, 'fixtures', name);
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

function read(args: string[], sizes?: string, extra: NodeJS.ProcessEnv = {}): Run {
  const env: NodeJS.ProcessEnv = { ...process.env, CI: '1', BGPCAP_READ_WARMUP: '0', ...extra };
  if (sizes !== undefined) env['BGPCAP_TEST_WORKER_SIZES'] = sizes;
  else delete env['BGPCAP_TEST_WORKER_SIZES'];
  const r = spawnSync(process.execPath, [cli, 'read', ...args], { encoding: 'utf8', maxBuffer: 1 << 30, env });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The first line where two outputs differ (a readable failure instead of a diff of megabytes). */
function firstDifference(a: string, b: string): string | null {
  if (a === b) return null;
  const x = a.split('\n');
  const y = b.split('\n');
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if (x[i] !== y[i]) return `line ${i + 1} of ${x.length} / ${y.length}:\n  one thread: ${x[i]?.slice(0, 300)}\n  workers:    ${y[i]?.slice(0, 300)}`;
  }
  return 'same lines, different bytes';
}

/** Chunks of 4 KiB and 2 output slabs of 128 KiB per worker: many chunks, output held and waited for. */
const SMALL = '4096,131072,2';
/** Output slabs of 16 KiB: formatted output (64 KiB pieces) and long records go back as copies. */
const TINY_SLABS = '2048,16384,2';
/** SMALL, every chunk sent to the workers (the reading thread works on none). */
const ALL_SENT = '4096,131072,2,0';
/** TINY_SLABS, the reading thread working on every chunk that finds each worker with one chunk out already. */
const MOSTLY_OWN = '2048,16384,2,1';

function expectSame(args: string[], runs: [workers: number, sizes?: string][]): Run {
  const one = read(args);
  expect(one.stdout.length, `${args.join(' ')}: some output`).toBeGreaterThan(0);
  for (const [n, sizes] of runs) {
    const what = `--workers ${n}${sizes === undefined ? '' : ` (sizes ${sizes})`} ${args.join(' ')}`;
    const w = read(['--workers', String(n), ...args], sizes);
    expect(w.status, what).toBe(one.status);
    expect(w.stderr, what).toBe(one.stderr);
    expect(firstDifference(one.stdout, w.stdout), what).toBeNull();
  }
  return one;
}

describe('--workers N: the same output as one thread, byte for byte', () => {
  it('route server capture (300 sessions): jsonl and line at both levels, human, --raw, a preset', () => {
    for (const args of [
      ['-f', 'jsonl'],
      ['-f', 'jsonl', '-l', 'elem'],
      ['-f', 'line', '-l', 'elem', '--header'],
      ['-f', 'line'],
      [],
      ['-f', 'jsonl', '--raw'],
      ['--preset', 'bgpdump'],
      ['--preset', 'bgpkit'],
    ]) {
      const one = expectSame([...args, rs], [[2], [2, SMALL], [3, TINY_SLABS], [1], [3, ALL_SENT], [2, MOSTLY_OWN]]);
      if (args.includes('jsonl')) expect(one.stdout.split('\n').length).toBeGreaterThan(1000);
    }
  });

  it('route server capture with filters (stage 2 before and after decoding, per prefix) and --stats', () => {
    for (const args of [
      ['--prefix-sub', '1.0.0.0/8', '-f', 'line', '-l', 'elem', '--stats'],
      ['--prefix-sub', '1.0.0.0/8', '--preset', 'bgpdump', '-l', 'elem', '--stats'],
      ['--peer-asn', '64501,64502', '-f', 'jsonl', '--stats'],
      ['--community', '64505:*', '--stats', '-f', 'jsonl', '-l', 'elem'],
      ['--msg-type', 'open', '-f', 'jsonl'],
    ]) {
      expectSame([...args, rs], [[2], [2, SMALL], [2, MOSTLY_OWN], [2, ALL_SENT]]);
    }
  });

  it('the warm-up on synthetic traffic (forced on these small files) changes nothing, in any thread', () => {
    // source/warmup.ts runs in the reading thread and in each worker before its first chunk (not behind a BGP
    // field filter, so none here); ALL_SENT makes the workers do every chunk.
    for (const args of [['-f', 'jsonl', '--stats', rs], ['-f', 'line', '-l', 'elem', bird]]) {
      const one = read(args);
      for (const [n, sizes] of [[2, ALL_SENT], [3, undefined]] as const) {
        const many = read([...args, '--workers', String(n)], sizes, { BGPCAP_READ_WARMUP: '100' });
        expect(many.status).toBe(0);
        expect(firstDifference(one.stdout, many.stdout)).toBeNull();
        expect(many.stderr).toBe(one.stderr);
      }
      expect(one.stdout.length).toBeGreaterThan(0);
    }
  });

  it('full tables over 4 sessions: jsonl, human, line with --stats', () => {
    for (const args of [['-f', 'jsonl'], [], ['-f', 'line', '-l', 'elem', '--stats']]) {
      expectSame([...args, bird], [[2], [2, SMALL], [3, TINY_SLABS], [1, TINY_SLABS], [2, ALL_SENT], [3, MOSTLY_OWN]]);
    }
  });

  it('the fixtures from real daemons: ADD-PATH, IPv6, NOTIFICATIONs, PEERING mux labels from the file name', () => {
    for (const f of ['bird-ipv4-ipv6.pcap', 'bird-addpath.pcap', 'peering/amsterdam01.tap5.pcap']) {
      for (const args of [['-f', 'jsonl', '--raw', '--stats'], []]) {
        const one = expectSame([...args, fixture(f)], [[2], [2, SMALL], [3, TINY_SLABS]]);
        if (f.startsWith('peering/') && args.includes('jsonl')) expect(one.stdout).toContain('"iface":"tap5","mux":"amsterdam01"');
      }
    }
  });
});

describe('--workers N: counts, several files, errors', () => {
  it('counts every message the generator wrote, and --stats is the same as one thread', () => {
    for (const [file, info] of [
      [rs, rsInfo],
      [bird, birdInfo],
    ] as const) {
      const one = read(['-f', 'none', '--stats', file]);
      const two = read(['--workers', '2', '-f', 'none', '--stats', file], SMALL);
      expect(two.status).toBe(0);
      expect(two.stderr).toBe(one.stderr);
      const total = Object.values(info.messages).reduce((s, x) => s + x, 0);
      expect(two.stderr).toContain(`messages:       ${total} (OPEN ${info.messages['OPEN']}, UPDATE ${info.messages['UPDATE']}, KEEPALIVE ${info.messages['KEEPALIVE']})`);
      expect(two.stderr).toContain(`sessions:       ${info.sessions}\n`);
    }
  });

  it('several input files, and a damaged one: records before the damage, then the error', () => {
    const whole = readFileSync(rs);
    const cut = join(tmp, 'cut.pcap');
    writeFileSync(cut, whole.subarray(0, Math.floor(whole.length * 0.6) + 7)); // ends inside a record
    const args = ['-f', 'jsonl', bird, cut, fixture('bird-ipv4-ipv6.pcap')];
    const one = expectSame(args, [[2], [2, SMALL], [1], [3, MOSTLY_OWN]]);
    expect(one.status).toBe(1);
    expect(one.stderr).toMatch(/cut\.pcap: .*truncated/);
    expect(one.stdout.split('\n').length).toBeGreaterThan(birdInfo.messages['UPDATE']!);
    // The file after the damaged one is read too.
    expect(one.stdout).toContain('"file":"' + fixture('bird-ipv4-ipv6.pcap') + '"');
  });

  it('stdout closed early (| head -1) is a quiet exit with status 0', async () => {
    const { stderr, status } = await closeEarly(['read', '--workers', '2', '-f', 'jsonl', bird, bird, bird], { ...process.env, CI: '1' });
    expect(stderr).toBe('');
    expect(status).toBe(0);
  });

  it('no thread detaches an ArrayBuffer: V8 keeps its ArrayBufferDetaching protector intact', () => {
    // Transferring an ArrayBuffer with postMessage detaches it, and V8 then checks for a detached buffer at
    // every typed-array access of that isolate's optimised code (15-30 % slower decoding and formatting:
    // src/workers/batch.ts). V8 prints a line when the protector goes; first, that it does print one.
    const detach = "const a = new ArrayBuffer(8); structuredClone(a, { transfer: [a] });";
    const control = spawnSync(process.execPath, ['--trace-protector-invalidation', '-e', detach], { encoding: 'utf8' });
    expect(control.stdout).toContain('Invalidating protector cell ArrayBufferDetaching');
    // Tiny chunks and slabs (every chunk to a worker): hundreds of chunks each way, records longer than a slab
    // going back as copies; and the default sizes. Both at least one worker thread besides the reading one.
    for (const [workers, sizes] of [
      ['3', '2000,512,3,0'],
      ['2', undefined],
    ] as const) {
      const env: NodeJS.ProcessEnv = { ...process.env, CI: '1', BGPCAP_READ_WARMUP: '0' };
      if (sizes !== undefined) env['BGPCAP_TEST_WORKER_SIZES'] = sizes;
      else delete env['BGPCAP_TEST_WORKER_SIZES'];
      const r = spawnSync(process.execPath, ['--trace-protector-invalidation', cli, 'read', '--workers', workers, '-f', 'jsonl', rs], {
        encoding: 'utf8',
        maxBuffer: 1 << 30,
        env,
      });
      expect(r.status).toBe(0);
      expect(r.stdout.split('\n').length).toBeGreaterThan(rsInfo.messages['UPDATE']!);
      expect(r.stdout).not.toContain('Invalidating protector cell ArrayBufferDetaching');
    }
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
