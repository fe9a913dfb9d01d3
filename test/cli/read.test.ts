// `bgpcap read` as a user runs it: node dist/cli.js, real files, real pipes, exit codes.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { closeEarly } from '../live/harness.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'dist/cli.js');
const fixture = join(root, 'fixtures/bird-ipv4-ipv6.pcap');
const tmp = mkdtempSync(join(tmpdir(), 'bgpcap-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function run(args: string[], input?: Buffer): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], {
    input,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, CI: '1' },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function jsonl(s: string): Record<string, unknown>[] {
  return s
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** No stack trace or JS error name may reach a user. */
function expectNoStack(stderr: string): void {
  expect(stderr).not.toMatch(/^\s+at /m);
  expect(stderr).not.toMatch(/TypeError|RangeError|ReferenceError|SyntaxError/);
}

describe('usage', () => {
  it('--help lists the examples and exit codes', () => {
    const r = run(['read', '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Examples:');
    expect(run(['--help']).stdout).toContain('Exit status:');
  });

  it.each([
    [['read', '--format', 'xml', 'x.pcap'], /xml/],
    [['read', '--bogus', 'x.pcap'], /unknown option '--bogus'/],
    [['read'], /missing required argument/],
    [['read', '--port', '70000', 'x.pcap'], /port/],
    [['read', '--max-flow-buffer', 'lots', 'x.pcap'], /size/],
    [['frobnicate'], /unknown command/],
  ])('%j is a one-line usage error with status 2', (args, re) => {
    const r = run(args);
    expect(r.status).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(re);
    expectNoStack(r.stderr);
  });

  it('an unknown --fields name is a usage error listing the valid names, before any input is read', () => {
    const r = run(['read', '-f', 'line', '--fields', 'prefix,nonsense', 'does-not-exist.pcap']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/nonsense/);
    expect(r.stderr).toMatch(/as_path/);
    expect(r.stdout).toBe('');
  });
});

describe.skipIf(!existsSync(fixture))('reading the BIRD fixture', () => {
  const all = () => jsonl(run(['read', '-f', 'jsonl', fixture]).stdout);

  it('writes one JSON record per message, timestamps increasing per direction', () => {
    const recs = all();
    const types = new Set(recs.map((r) => r['msg_type']));
    for (const t of ['OPEN', 'UPDATE', 'KEEPALIVE']) expect(types).toContain(t);
    for (const r of recs) {
      expect(r['v']).toBe(1);
      expect(typeof r['timestamp']).toBe('number');
      expect(typeof r['frame']).toBe('number');
    }
  });

  it('the same bytes from stdin, gzip-compressed, and split into two files give the same records', () => {
    const bytes = readFileSync(fixture);
    const base = run(['read', '-f', 'jsonl', fixture]).stdout;
    const fromStdin = run(['read', '-f', 'jsonl', '-'], bytes);
    expect(fromStdin.status).toBe(0);
    const strip = (s: string) => jsonl(s).map(({ file: _f, ...rest }) => rest);
    expect(strip(fromStdin.stdout)).toEqual(strip(base));
    const gz = join(tmp, 'f.pcap.gz');
    writeFileSync(gz, gzipSync(bytes));
    expect(strip(run(['read', '-f', 'jsonl', gz]).stdout)).toEqual(strip(base));
  });

  it('a truncated file: every record before the damage, then one error naming file and offset, status 1', () => {
    const bytes = readFileSync(fixture);
    const cut = join(tmp, 'cut.pcap');
    const at = Math.floor(bytes.length * 0.6);
    writeFileSync(cut, bytes.subarray(0, at));
    const r = run(['read', '-f', 'jsonl', cut]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(cut);
    const m = /at byte (\d+)/.exec(r.stderr);
    expect(m).not.toBeNull();
    expect(Number(m![1])).toBeLessThanOrEqual(at);
    expectNoStack(r.stderr);
    const full = all();
    const got = jsonl(r.stdout).filter((x) => x['msg_type'] !== undefined);
    expect(got.length).toBeGreaterThan(0);
    expect(got.length).toBeLessThan(full.filter((x) => x['msg_type'] !== undefined).length);
  });

  it('a missing file among good ones: the good ones are read, status 1', () => {
    const r = run(['read', '-f', 'jsonl', join(tmp, 'nope.pcap'), fixture]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/nope\.pcap: no such file/);
    expect(jsonl(r.stdout).length).toBe(all().length);
  });

  it('not a capture file: a clear error, status 1', () => {
    const junk = join(tmp, 'junk.txt');
    writeFileSync(junk, 'hello, this is not a pcap\n');
    const r = run(['read', junk]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/junk\.txt/);
    expect(r.stderr).toMatch(/not a pcap/);
    expectNoStack(r.stderr);
  });

  it('the warm-up on synthetic traffic before a large capture (source/warmup.ts) changes no record and no count', () => {
    // BGPCAP_READ_WARMUP forces it on this small file; its records and counts would show up in the output.
    for (const args of [['-f', 'jsonl', '--stats'], ['-f', 'line', '-l', 'elem', '--stats'], ['-f', 'human']]) {
      const env = (routes: string) =>
        spawnSync(process.execPath, [cli, 'read', fixture, ...args], { encoding: 'utf8', env: { ...process.env, CI: '1', BGPCAP_READ_WARMUP: routes } });
      const cold = env('0');
      const warm = env('400');
      expect(warm.status).toBe(0);
      expect(warm.stdout.length).toBeGreaterThan(0);
      expect(warm.stdout).toBe(cold.stdout);
      expect(warm.stderr).toBe(cold.stderr);
    }
  });

  it('--stats prints messages by type on stderr', () => {
    const r = run(['read', '-f', 'jsonl', '--stats', fixture]);
    expect(r.status).toBe(0);
    const n = jsonl(r.stdout).filter((x) => x['msg_type'] === 'UPDATE').length;
    expect(r.stderr).toContain(`UPDATE ${n}`);
  });

  it('stdout closed early (| head -1) is a quiet exit with status 0', async () => {
    // Many copies of the fixture so the output is far larger than a pipe buffer.
    const files = Array.from({ length: 40 }, () => fixture);
    const { stderr, status } = await closeEarly(['read', '-f', 'jsonl', ...files]);
    expect(stderr).toBe('');
    expect(status).toBe(0);
  });
});
