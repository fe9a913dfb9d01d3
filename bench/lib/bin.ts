// How the benchmarks start bgpcap: as the `bgpcap` command starts it. The command is dist/cli.js run as a
// script, whose first lines start node with V8 flags (src/cli.ts says which and why); the benchmarks run
// `process.execPath` with those flags, so the node that runs the bench runs bgpcap too, and a build from before
// the flags (BENCH_DIST) runs as it did then.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * The node options `cli` runs with as a command: from its shell lines (`#!/bin/sh`, then `... exec node <flags>
 * "$0" "$@"`), from `#!/usr/bin/env -S node <flags>`, or none (`#!/usr/bin/env node`).
 */
export function shebangFlags(cli: string): string[] {
  const [first = '', second = ''] = readFileSync(cli, 'utf8').split('\n', 2);
  const words = (s: string): string[] => s.split(' ').filter((x) => x !== '');
  if (first === '#!/bin/sh') {
    const m = /exec node((?: [^ "]+)*) "\$0" "\$@"\s*$/.exec(second);
    if (m !== null) return words(m[1]!);
  } else {
    const m = /^#!\S*env(?: -S)? node((?: \S+)*)\s*$/.exec(first);
    if (m !== null) return words(m[1]!);
  }
  throw new Error(`${cli}: its first lines do not start node: ${first} / ${second}`);
}

/**
 * The environment the `bgpcap` command gives node, from `env`: what the entry point's shell line sets before its
 * `exec node` (src/cli.ts: NODE_EXTRA_CA_CERTS handed to bgpcap as BGPCAP_EXTRA_CA_CERTS, so node does not
 * parse it at start), seen by running that line with env(1) in node's place — the line itself, not a copy of
 * its logic here. `env` as it is for an entry point that is not a shell script (`#!/usr/bin/env node`).
 */
export function commandEnv(cli: string, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const [first = '', second = ''] = readFileSync(cli, 'utf8').split('\n', 2);
  if (first !== '#!/bin/sh') return { ...env };
  const line = second.replace(/exec node .*$/, 'exec env -0');
  const r = spawnSync('sh', ['-c', line], { encoding: 'utf8', env });
  if (r.status !== 0 || line === second) throw new Error(`${cli}: its shell line does not run as expected: ${second} (${r.stderr})`);
  const out: NodeJS.ProcessEnv = {};
  for (const kv of r.stdout.split('\0')) if (kv !== '') out[kv.slice(0, kv.indexOf('='))] = kv.slice(kv.indexOf('=') + 1);
  return out;
}
