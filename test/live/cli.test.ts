// `bgpcap live` and `bgpcap read` around live capture, as a user runs them, without capturing anything:
// usage errors, the kernel filter, a missing native library, no permission, capture file names.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { pcapFileHeader } from '../../src/sink/pcap-writer.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'dist/cli.js');
const fixture = join(root, 'fixtures/bird-ipv4-ipv6.pcap');
const tmp = mkdtempSync(join(tmpdir(), 'bgpcap-live-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], opts: { nodeArgs?: string[]; uid?: number; gid?: number } = {}): Run {
  const r = spawnSync(process.execPath, [...(opts.nodeArgs ?? []), cli, ...args], {
    encoding: 'utf8',
    timeout: 20_000,
    env: { ...process.env, CI: '1' },
    ...(opts.uid === undefined ? {} : { uid: opts.uid, gid: opts.gid ?? opts.uid }),
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function oneLine(r: Run): string {
  const lines = r.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  return lines[0]!;
}

describe('bgpcap live: usage', () => {
  it('needs interfaces or a PEERING checkout', () => {
    const r = run(['live']);
    expect(r.status).toBe(2);
    expect(oneLine(r)).toContain('-i IFACE');
  });

  it('--mux needs --peering, --rotate-* need --write, --write needs a directory', () => {
    expect(run(['live', '-i', 'lo', '--mux', 'amsterdam01']).status).toBe(2);
    expect(run(['live', '-i', 'lo', '--rotate-size', '1M']).status).toBe(2);
    const w = run(['live', '-i', 'lo', '--write', join(tmp, 'no', 'such', 'dir')]);
    expect(w.status).toBe(2);
    expect(oneLine(w)).toContain('no such directory');
  });

  it('an interface named with -i must exist (exit 1), checked before any capture library is touched', () => {
    const r = run(['live', '-i', 'nosuchif0', '--no-drop-privileges']);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('nosuchif0: no such interface');
  });

  it('a PEERING checkout without any tunnel up is an input problem (exit 1) that says how to look', () => {
    const dir = join(tmp, 'client');
    mkdirSync(join(dir, 'var'), { recursive: true });
    writeFileSync(join(dir, 'var', 'mux2dev.txt'), 'bgpcaptestmux tap4093\n');
    const r = run(['live', '--peering', dir]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('bgpcap peering status');
    const m = run(['live', '--peering', dir, '--mux', 'nosuchmux']);
    expect(m.status).toBe(2);
    expect(m.stderr).toContain('bgpcaptestmux');
  });
});

describe('bgpcap live --print-bpf', () => {
  const cases: [string[], string][] = [
    [[], 'tcp port 179'],
    [['-p', '1179'], 'tcp and (port 179 or port 1179)'],
    [['--host', '100.69.128.1'], 'tcp port 179 and host 100.69.128.1'],
    // --iface cannot be said in BPF (the interface is chosen by opening it): widened away, never narrowed.
    [['--iface', 'tap5', '--src-ip', '10.0.0.0/8'], 'tcp port 179 and src net 10.0.0.0/8'],
    // a stage-2 (BGP) filter does not reach the kernel
    [['--peer-asn', '3356'], 'tcp port 179'],
  ];
  const empty = join(tmp, 'empty.pcap');
  writeFileSync(empty, pcapFileHeader(1, 65535));
  for (const [args, bpf] of cases) {
    it(`${args.join(' ') || '(no filter)'} → ${bpf}`, () => {
      const r = run(['live', '--print-bpf', ...args]);
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(`${bpf}\n`);
      // libpcap itself must accept the expression (tcpdump -d compiles it for an Ethernet capture file).
      const t = spawnSync('tcpdump', ['-d', '-r', empty, bpf], { encoding: 'utf8' });
      if (t.error === undefined) expect(t.status, t.stderr).toBe(0);
    });
  }
});

describe('without the native libraries', () => {
  // Makes require('pcap') and require('cap') fail as they do when the packages did not build.
  const block = join(tmp, 'block-native.cjs');
  writeFileSync(
    block,
    `const M = require('node:module');
const load = M._load;
M._load = function (req, ...rest) {
  if (req === 'pcap' || req === 'cap') { const e = new Error("Cannot find module '" + req + "'"); e.code = 'MODULE_NOT_FOUND'; throw e; }
  return load.call(this, req, ...rest);
};
`,
  );

  it('bgpcap live explains in one line what to install (exit 2)', () => {
    const r = run(['live', '-i', 'lo'], { nodeArgs: ['--require', block] });
    expect(r.status).toBe(2);
    expect(oneLine(r)).toContain('apt-get install libpcap-dev && npm rebuild pcap');
    const c = run(['live', '-i', 'lo', '--backend', 'cap'], { nodeArgs: ['--require', block] });
    expect(c.status).toBe(2);
    expect(oneLine(c)).toContain('npm rebuild cap');
  });

  it('bgpcap read works all the same', () => {
    const r = run(['read', '-f', 'jsonl', fixture], { nodeArgs: ['--require', block] });
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n').filter((l) => l !== '').length).toBeGreaterThan(0);
  });
});

describe('without root', () => {
  const isRoot = process.getuid?.() === 0;
  // As root the command runs as nobody; it must be able to read the checkout for that.
  let readable = true;
  try {
    accessSync(cli, constants.R_OK);
  } catch {
    readable = false;
  }
  it.skipIf(!readable)('bgpcap live says it needs root or CAP_NET_RAW, in one line (exit 2)', (ctx) => {
    const r = isRoot ? run(['live', '-i', 'lo'], { uid: 65534, gid: 65534 }) : run(['live', '-i', 'lo']);
    if (r.status !== 2 && /EACCES|Cannot find module/.test(r.stderr)) ctx.skip(); // nobody cannot read the checkout here
    expect(r.status).toBe(2);
    const line = oneLine(r);
    expect(line).toContain('needs root');
    expect(line).toContain('CAP_NET_RAW');
  });
});

describe('bgpcap read: <mux>.<tapN>.pcap names label the records', () => {
  it('puts the mux and the interface of the file name on every record', () => {
    const dir = join(tmp, 'caps');
    mkdirSync(dir, { recursive: true });
    copyFileSync(fixture, join(dir, 'amsterdam01.tap5.pcap'));
    copyFileSync(fixture, join(dir, 'plain.pcap'));
    // Two runs: in one run the second copy would continue the first one's TCP sessions (and be deduplicated).
    const recs = (file: string): { file: string; iface: string | null; mux: string | null }[] => {
      const r = run(['read', '-f', 'jsonl', join(dir, file)]);
      expect(r.status).toBe(0);
      return r.stdout
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as { file: string; iface: string | null; mux: string | null });
    };
    const named = recs('amsterdam01.tap5.pcap');
    const plain = recs('plain.pcap');
    expect(named.length).toBeGreaterThan(0);
    expect(plain.length).toBe(named.length);
    expect(named.every((x) => x.mux === 'amsterdam01' && x.iface === 'tap5')).toBe(true);
    expect(plain.every((x) => x.mux === null && x.iface === null)).toBe(true);
    const line = run(['read', '-f', 'line', '--fields', 'mux,iface,msg_type', join(dir, 'amsterdam01.tap5.pcap')]);
    expect(line.stdout.split('\n')[0]).toMatch(/^amsterdam01\|tap5\|/);
    const filtered = run(['read', '-f', 'jsonl', '--mux', 'amsterdam01', join(dir, 'amsterdam01.tap5.pcap')]);
    expect(filtered.stdout.split('\n').filter((l) => l !== '').length).toBe(named.length);
    expect(run(['read', '-f', 'jsonl', '--mux', 'amsterdam01', join(dir, 'plain.pcap')]).stdout).toBe('');
  });
});
