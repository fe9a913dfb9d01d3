// Filters on the command line, run as a user runs them: node dist/cli.js (built by test/global-setup.ts).
// Mistakes exit with status 2 before anything is read or written: one line for a flag, the column and a caret
// for an expression.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'dist/cli.js');
const fixture = join(root, 'fixtures/bird-ipv4-ipv6.pcap');
const tmp = mkdtempSync(join(tmpdir(), 'bgpcap-filter-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, 'read', ...args], { encoding: 'utf8', env: { ...process.env, CI: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function jsonl(s: string): Record<string, unknown>[] {
  return s
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('usage errors: status 2, nothing read', () => {
  it.each([
    [['--peer-asn', 'x'], /^bgpcap: --peer-asn: 'x' is not an AS number$/],
    [['--prefix', '10.0.0.1/8'], /^bgpcap: --prefix: '10\.0\.0\.1\/8' has bits set past \/8; did you mean 10\.0\.0\.0\/8\?$/],
    [['--community', '47065'], /^bgpcap: --community: '47065' is not a community/],
    [['--local-pref', '>x'], /^bgpcap: --local-pref: 'x' is not a whole number$/],
    [['--start', 'yesterday'], /^bgpcap: --start: 'yesterday' is not a time/],
    [['--include-super'], /^bgpcap: --include-super needs --prefix$/],
    [['--ipv4-only', '--ipv6-only'], /exclude each other/],
    [['--filter', ''], /^bgpcap: --filter is empty$/],
    [['--filter', '   # only a comment'], /^bgpcap: --filter is empty$/],
    [['--filter-file', join(root, 'no-such.filter')], /^bgpcap: --filter-file .*no-such\.filter: no such file/],
    [['--filter-file', 'no-such-saved-filter'], /no such file/],
    [['--elem-type', 'X'], /^bgpcap: --elem-type: 'X' is not an elem type \(A or W\)$/],
    [['--src-mac', '02:00'], /not a MAC address/],
  ])('%j', (args, re) => {
    const r = run([...args, fixture]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(re);
  });

  it('an expression error shows the column and a caret', () => {
    const r = run(['--filter', 'prefix <= 184.164.224.0/19 and (as_path ~ "_3356_" or not comunity 47065:*)', fixture]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      "bgpcap: --filter: unknown key 'comunity' (did you mean community?) at column 59\n" +
        '  prefix <= 184.164.224.0/19 and (as_path ~ "_3356_" or not comunity 47065:*)\n' +
        `  ${' '.repeat(58)}^^^^^^^^\n`,
    );
  });

  it('a filter file error names the file, line and column', () => {
    const f = join(tmp, 'bad.filter');
    writeFileSync(f, '# a filter with a mistake\nmsg_type UPDATE\n  and local_pref >> 100\n');
    const r = run(['--filter-file', f, fixture]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`bgpcap: ${f}:3:19: unexpected operator '>' after 'local_pref >'\n    and local_pref >> 100\n                    ^\n`);
  });

  it('a packet key inside an or with BGP keys that cannot be read from a record', () => {
    const r = run(['--filter', 'mac 02:00:00:00:00:01 or type A', fixture]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/mac is a packet key/);
  });
});

describe('filtering', () => {
  const all = jsonl(run(['-f', 'jsonl', '-l', 'elem', fixture]).stdout);

  it('flags: values OR-ed, flags AND-ed, ! excludes', () => {
    const want = all.filter((r) => r['type'] === 'A' && typeof r['prefix'] === 'string' && (r['prefix'] as string).startsWith('10.1.'));
    expect(want.length).toBeGreaterThan(0);
    const got = jsonl(run(['-f', 'jsonl', '-l', 'elem', '--elem-type', 'A', '--prefix', '10.1.0.0/16', '--include-sub', fixture]).stdout);
    expect(got).toEqual(want);
    const notThose = jsonl(run(['-f', 'jsonl', '-l', 'elem', '--elem-type', 'A', '--prefix-sub', '10.0.0.0/8,!10.1.0.0/16', fixture]).stdout);
    expect(notThose).toEqual(all.filter((r) => r['type'] === 'A' && /^10\./.test(String(r['prefix'])) && !String(r['prefix']).startsWith('10.1.')));
  });

  it('--filter, --filter-file and flags together are AND-ed', () => {
    const f = join(tmp, 'a.filter');
    writeFileSync(f, '# announcements\ntype A\n');
    const got = jsonl(run(['-f', 'jsonl', '-l', 'elem', '--filter-file', f, '--filter', 'ip_version 6', '--peer-asn', '65002', fixture]).stdout);
    expect(got).toEqual(all.filter((r) => r['type'] === 'A' && r['afi'] === 2 && r['peer_asn'] === 65002));
  });

  it('--level msg keeps a whole message when any prefix matches; human output too', () => {
    const msgs = jsonl(run(['-f', 'jsonl', '--prefix', '10.1.141.0/24', fixture]).stdout);
    expect(msgs.length).toBe(1);
    const ann = msgs[0]!['announcements'] as { prefixes: string[] }[];
    expect(ann[0]!.prefixes.length).toBeGreaterThan(1);
    const human = run(['--prefix', '10.1.141.0/24', '-l', 'elem', fixture]).stdout;
    expect(human).toContain('10.1.141.0/24');
    expect(human).toContain(ann[0]!.prefixes[1]!); // the whole message
  });

  it('--stats shows what each stage rejected', () => {
    const r = run(['-f', 'jsonl', '--stats', '--host', '192.0.2.1', '--msg-type', 'UPDATE', fixture]);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^filter: +stage 1 \(packets\): host 192\.0\.2\.1; stage 2 \(BGP\): msg_type UPDATE$/m);
    expect(r.stderr).toMatch(/^stage 1: +\d+ of \d+ packets rejected/m);
    expect(r.stderr).toMatch(/^stage 2: +[1-9]\d* records rejected, [1-9]\d* of them before decoding$/m);
    const unfiltered = run(['-f', 'jsonl', '--stats', fixture]);
    expect(unfiltered.stderr).not.toMatch(/stage 1|stage 2|filter:/);
  });

  it('a saved filter by name', () => {
    const r = run(['-f', 'jsonl', '--filter-file', 'session-trouble', fixture]);
    expect(r.status).toBe(0);
    const types = new Set(jsonl(r.stdout).map((x) => x['msg_type']));
    expect(types.size).toBeGreaterThan(0);
    for (const t of types) expect(['OPEN', 'NOTIFICATION']).toContain(t);
  });

  it('--help lists the filter flags and the expression syntax', () => {
    const r = spawnSync(process.execPath, [cli, 'read', '--help'], { encoding: 'utf8' });
    for (const flag of ['--prefix', '--include-super', '--origin-asn', '--peer-ip', '--as-path', '--community', '--host', '--start', '--filter', '--filter-file']) {
      expect(r.stdout).toContain(flag);
    }
    expect(r.stdout).not.toContain('--start-ts'); // bgpkit spelling accepted, not listed
  });
});
