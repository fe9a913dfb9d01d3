// The CLI and the --workers thread run from the build's bundles with a V8 code cache (src/bundle.ts,
// scripts/bundle.mjs). Checked here: that they are used, cache included; that the bundled program behaves
// exactly as the modules do (output, errors, exit codes, the paths the modules find relative to
// themselves); that a stale bundle is skipped and a cache V8 refuses is only slower.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'dist/cli.js');
const fixtures = join(root, 'fixtures');
const tmp = mkdtempSync(join(tmpdir(), 'bgpcap-bundle-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function run(args: string[], env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cli, ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, CI: '1', BGPCAP_NO_BUNDLE: '', BGPCAP_BUNDLE_DEBUG: '', ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('bundles', () => {
  it('the CLI and the worker thread run from their bundles, compiled from the code cache', () => {
    const r = run(['read', '--workers', '2', '-f', 'jsonl', join(fixtures, 'bird-ipv4-ipv6.pcap')], { BGPCAP_BUNDLE_DEBUG: '1' });
    expect(r.status).toBe(0);
    expect(r.stderr).toContain('bgpcap: bundle cli: code cache used');
    expect(r.stderr).toContain('bgpcap: bundle worker: code cache used');
    expect(r.stdout.split('\n').length).toBeGreaterThan(10);
    // Without the bundles nothing is said (the modules are imported).
    const m = run(['read', '-f', 'jsonl', join(fixtures, 'bird-ipv4-ipv6.pcap')], { BGPCAP_BUNDLE_DEBUG: '1', BGPCAP_NO_BUNDLE: '1' });
    expect(m.stderr).toBe('');
    expect(m.stdout).toBe(run(['read', '-f', 'jsonl', join(fixtures, 'bird-ipv4-ipv6.pcap')]).stdout);
  });

  // The `bgpcap` command (npm's bin link) is dist/cli.js run as a script: /bin/sh reads its first two lines and
  // starts node with V8 flags (src/cli.ts). A flag this node refuses (node exits 9) or a line the shell cannot
  // run (an error on stderr) would break every `bgpcap` while every test that runs `node dist/cli.js` passes.
  it('dist/cli.js runs as a command through its shell lines, as `node dist/cli.js` does', () => {
    const args = ['read', '-f', 'jsonl', '-l', 'elem', join(fixtures, 'bird-ipv4-ipv6.pcap')];
    const r = spawnSync(cli, args, { encoding: 'utf8', env: { ...process.env, BGPCAP_NO_BUNDLE: '', BGPCAP_BUNDLE_DEBUG: '1' } });
    expect(r.stderr).toBe('bgpcap: bundle cli: code cache used\n');
    expect(r.status).toBe(0);
    expect(r.stdout).not.toBe('');
    expect(r.stdout).toBe(run(args).stdout);
  });

  // NODE_EXTRA_CA_CERTS makes node parse that file's certificates at start, before any JavaScript; the shell
  // lines hand it to bgpcap instead (src/cli.ts). A file node cannot load shows which way it went: node warns
  // "Ignoring extra certs from ..." when it tries.
  it('as a command, node leaves NODE_EXTRA_CA_CERTS to bgpcap, which gets it as BGPCAP_EXTRA_CA_CERTS', () => {
    const missing = join(tmp, 'no-such-ca.pem');
    const args = ['read', '-f', 'line', join(fixtures, 'bird-ipv4-ipv6.pcap')];
    const env = { ...process.env, NODE_EXTRA_CA_CERTS: missing, BGPCAP_EXTRA_CA_CERTS: '' };
    const direct = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env });
    expect(direct.stderr).toContain(`Ignoring extra certs from \`${missing}\``); // the control: node tries
    const command = spawnSync(cli, args, { encoding: 'utf8', env });
    expect(command.status).toBe(0);
    expect(command.stderr).toBe('');
    expect(command.stdout).toBe(direct.stdout);
    // What the process sees: the shell line's own environment, printed by env(1) in node's place.
    const second = readFileSync(cli, 'utf8').split('\n')[1]!;
    const shown = spawnSync('sh', ['-c', second.replace(/exec node .*$/, 'exec env')], { encoding: 'utf8', env });
    const vars = shown.stdout.split('\n');
    expect(vars).toContain(`BGPCAP_EXTRA_CA_CERTS=${missing}`);
    expect(vars.filter((l) => l.startsWith('NODE_EXTRA_CA_CERTS='))).toEqual([]);
    // Unset, nothing is handed over.
    const { NODE_EXTRA_CA_CERTS: _, ...without } = env;
    const plain = spawnSync('sh', ['-c', second.replace(/exec node .*$/, 'exec env')], { encoding: 'utf8', env: without });
    expect(plain.stdout.split('\n').filter((l) => /^(NODE|BGPCAP)_EXTRA_CA_CERTS=./.test(l))).toEqual([]);
  });

  // Each case once from the bundle and once from the modules: stdout, stderr and exit code the same.
  const bird = join(fixtures, 'bird-ipv4-ipv6.pcap');
  const addpath = join(fixtures, 'bird-addpath.pcap');
  const cases: [string, string[]][] = [
    ['human output', ['read', bird, addpath]],
    ['jsonl, elem level', ['read', '-f', 'jsonl', '-l', 'elem', bird]],
    ['line output with a field list', ['read', '-f', 'line', '--fields', 'timestamp,peer_ip,prefix,as_path,communities', '-l', 'elem', addpath]],
    ['--workers 2 and --stats', ['read', '--workers', '2', '-f', 'jsonl', '--stats', bird]],
    // filters/ is found relative to the module that reads it (import.meta.url): the bundle must keep that.
    ['a saved filter from filters/', ['read', '-f', 'jsonl', '--filter-file', 'large-communities', bird]],
    ['a bgpdump preset', ['read', '--preset', 'bgpdump', bird]],
    ['a usage error', ['read', '--fields', 'no_such_field', bird]],
    ['a missing file', ['read', join(fixtures, 'no-such-file.pcap')]],
    ['help of a command loaded on demand', ['report', '--help']],
  ];
  for (const [name, args] of cases) {
    it(`same as the modules: ${name}`, () => {
      const b = run(args);
      const m = run(args, { BGPCAP_NO_BUNDLE: '1' });
      expect(b.stdout + b.stderr).not.toBe('');
      expect(b.stderr).toBe(m.stderr);
      expect(b.status).toBe(m.status);
      expect(b.stdout).toBe(m.stdout);
    });
  }

  it('the HTML report, with the verify child it starts through dist/cli.js, is the same page', () => {
    const ann = join(tmp, 'announcement.json');
    writeFileSync(ann, JSON.stringify({ '184.164.236.0/24': { announce: [{ muxes: ['amsterdam01'], origin: 61574 }] } }));
    const page = (env: Record<string, string>, name: string): { html: string; stderr: string; status: number | null } => {
      const out = join(tmp, name);
      const r = run(['report', '-o', out, '--verify-announcement', ann, bird], env);
      return { html: readFileSync(out, 'utf8'), stderr: r.stderr, status: r.status };
    };
    const b = page({}, 'bundled.html');
    const m = page({ BGPCAP_NO_BUNDLE: '1' }, 'modules.html');
    expect(b.status).toBe(0);
    expect(b.stderr).toMatch(/^bgpcap: report .*2 sessions, 60 messages/);
    expect(b.stderr.replace('bundled.html', 'X')).toBe(m.stderr.replace('modules.html', 'X'));
    // The verify section is there (the child ran), and the page is byte for byte the modules' page.
    expect(b.html).toContain('amsterdam01');
    expect(b.html.length).toBeGreaterThan(10_000);
    expect(b.html === m.html).toBe(true);
  });
});

describe('loadBundle', () => {
  // A copy of the loader and the bundles, to age and damage without touching dist/.
  const copy = join(tmp, 'dist');
  cpSync(join(root, 'dist/bundle.js'), join(copy, 'bundle.js'));
  cpSync(join(root, 'dist/bundle'), join(copy, 'bundle'), { recursive: true });
  writeFileSync(join(copy, 'package.json'), '{"type":"module"}');
  // Loads the CLI bundle and prints what loadBundle said (main is not called: nothing runs).
  const probe = join(copy, 'probe.mjs');
  writeFileSync(
    probe,
    "import { loadBundle, bundleStatus } from './bundle.js';\n" +
      "const e = loadBundle('cli');\n" +
      'console.log(JSON.stringify({ main: typeof e?.main, status: bundleStatus() }));\n',
  );
  const load = (): { main: string; status: { cacheAccepted: boolean } | null } =>
    JSON.parse(spawnSync(process.execPath, [probe], { encoding: 'utf8', env: { ...process.env, BGPCAP_NO_BUNDLE: '' } }).stdout) as {
      main: string;
      status: { cacheAccepted: boolean } | null;
    };

  it('takes the cache that fits, runs without one that V8 refuses, and skips a bundle older than the modules', () => {
    // Whole seconds: a Date from statSync is rounded to the millisecond, possibly up, past the bundle's time.
    const t = Math.floor(Date.now() / 1000);
    utimesSync(join(copy, 'bundle/cli.cjs'), t, t);
    utimesSync(join(copy, 'bundle.js'), t, t);
    expect(load()).toEqual({ main: 'function', status: { name: 'cli', cacheAccepted: true } });

    // A cache made for other source (or another V8) is refused by V8: the bundle is compiled from source.
    // (The worker's cache in place of the CLI's: V8 checks the source it was made for.)
    cpSync(join(copy, 'bundle/worker.cjs.cache'), join(copy, 'bundle/cli.cjs.cache'));
    expect(load()).toEqual({ main: 'function', status: { name: 'cli', cacheAccepted: false } });

    // tsc ran again after the bundle was made: the modules are newer, the bundle is not used.
    utimesSync(join(copy, 'bundle.js'), t + 5, t + 5);
    expect(load()).toEqual({ main: 'undefined', status: null });
  });
});
