// bench/lib/bin.ts: the node flags the benchmarks start bgpcap with must be the ones the `bgpcap` command
// starts node with (src/cli.ts's first two lines), or every timing in bench/README.md measures another program.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { commandEnv, shebangFlags } from '../../bench/lib/bin.js';

const dir = mkdtempSync(join(tmpdir(), 'bgpcap-bin-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function script(name: string, text: string): string {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
}

describe('shebangFlags', () => {
  it("reads the entry point's own shell lines: the flags its exec line passes to node", () => {
    const cli = new URL('../../src/cli.ts', import.meta.url).pathname;
    const [first, second] = readFileSync(cli, 'utf8').split('\n');
    // What the shell runs, taken apart independently of the parser under test.
    expect(first).toBe('#!/bin/sh');
    const exec = second!.slice(second!.indexOf('exec ') + 'exec '.length).split(' ');
    expect(exec[0]).toBe('node');
    const flags = exec.slice(1, exec.indexOf('"$0"'));
    expect(flags.length).toBeGreaterThan(0);
    expect(shebangFlags(cli)).toEqual(flags);
  });

  it('reads the flags of env -S and of a plain node shebang', () => {
    expect(shebangFlags(script('s.js', '#!/usr/bin/env -S node --max-old-space-size=64 --no-opt\nconsole.log(1)\n'))).toEqual([
      '--max-old-space-size=64',
      '--no-opt',
    ]);
    expect(shebangFlags(script('plain.js', '#!/usr/bin/env node\nconsole.log(1)\n'))).toEqual([]);
    expect(shebangFlags(script('sh.js', '#!/bin/sh\n//usr/bin/env true; exec node --a --b "$0" "$@"\n'))).toEqual(['--a', '--b']);
  });

  it('refuses a file whose first lines do not start node, naming it', () => {
    const f = script('other.js', '#!/bin/sh\nexec python3 "$0" "$@"\n');
    expect(() => shebangFlags(f)).toThrow(f);
    expect(() => shebangFlags(script('none.js', 'console.log(1)\n'))).toThrow(/do not start node/);
  });
});

describe('commandEnv', () => {
  // What the entry point's shell line gives node, seen by env(1) run in node's place.
  const cli = new URL('../../src/cli.ts', import.meta.url).pathname;
  const second = readFileSync(cli, 'utf8').split('\n')[1]!;
  function shellEnv(env: NodeJS.ProcessEnv): Record<string, string> {
    const r = spawnSync('sh', ['-c', second.replace(/exec node .*$/, 'exec env -0')], { encoding: 'utf8', env });
    return Object.fromEntries(r.stdout.split('\0').filter((l) => l !== '').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  }
  const base = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: '/tmp' };

  it("is the environment the entry point's shell line gives node, the variable set or not", () => {
    for (const env of [{ ...base, NODE_EXTRA_CA_CERTS: '/etc/x.pem' }, base]) {
      const shown = shellEnv(env);
      const ours = commandEnv(cli, env);
      for (const k of ['NODE_EXTRA_CA_CERTS', 'BGPCAP_EXTRA_CA_CERTS']) expect([k, ours[k]]).toEqual([k, shown[k]]);
    }
    expect(commandEnv(cli, { ...base, NODE_EXTRA_CA_CERTS: '/etc/x.pem' })['BGPCAP_EXTRA_CA_CERTS']).toBe('/etc/x.pem');
  });

  it('leaves the environment alone for an entry point without that line', () => {
    const env = { ...base, NODE_EXTRA_CA_CERTS: '/etc/x.pem' };
    expect(commandEnv(script('old.js', '#!/bin/sh\n//usr/bin/env true; exec node --a "$0" "$@"\n'), env)).toEqual(env);
  });
});
