// bench/lib/bin.ts: the node flags the benchmarks start bgpcap with must be the ones the `bgpcap` command
// starts node with (src/cli.ts's first two lines), or every timing in bench/README.md measures another program.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
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
  const cli = new URL('../../src/cli.ts', import.meta.url).pathname;
  const base = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: '/tmp' };

  it("is the environment the entry point's shell line gives node: NODE_EXTRA_CA_CERTS handed to bgpcap", () => {
    const set = commandEnv(cli, { ...base, NODE_EXTRA_CA_CERTS: '/etc/x.pem', OTHER: 'kept' });
    expect(set['NODE_EXTRA_CA_CERTS']).toBeUndefined();
    expect(set['BGPCAP_EXTRA_CA_CERTS']).toBe('/etc/x.pem');
    expect(set['OTHER']).toBe('kept');
    const unset = commandEnv(cli, base);
    expect(unset['NODE_EXTRA_CA_CERTS']).toBeUndefined();
    expect(unset['BGPCAP_EXTRA_CA_CERTS']).toBeUndefined();
    expect(unset['PATH']).toBe(base.PATH);
  });

  it('leaves NODE_EXTRA_CA_CERTS to node for an entry point whose line does not hand it over', () => {
    const env = { ...base, NODE_EXTRA_CA_CERTS: '/etc/x.pem' };
    const old = commandEnv(script('old.js', '#!/bin/sh\n//usr/bin/env true; exec node --a "$0" "$@"\n'), env);
    expect(old['NODE_EXTRA_CA_CERTS']).toBe('/etc/x.pem');
    expect(old['BGPCAP_EXTRA_CA_CERTS']).toBeUndefined();
    expect(commandEnv(script('plain2.js', '#!/usr/bin/env node\nconsole.log(1)\n'), env)).toEqual(env);
  });

  it('refuses a shell line it cannot run in node\'s place, naming the file', () => {
    const f = script('broken.js', '#!/bin/sh\n//usr/bin/env true; exec python3 "$0" "$@"\n');
    expect(() => commandEnv(f, base)).toThrow(f);
  });
});
