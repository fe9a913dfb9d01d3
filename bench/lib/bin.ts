// How the benchmarks start bgpcap: as the `bgpcap` command starts it. The command is dist/cli.js run as a
// script, whose first lines start node with V8 flags (src/cli.ts says which and why); the benchmarks run
// `process.execPath` with those flags, so the node that runs the bench runs bgpcap too, and a build from before
// the flags (BENCH_DIST) runs as it did then.
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
 * The environment the `bgpcap` command gives node, from `env`: when the entry point's shell line hands
 * NODE_EXTRA_CA_CERTS to bgpcap as BGPCAP_EXTRA_CA_CERTS (src/cli.ts: node then skips parsing it at start,
 * ~30 ms), the same here; else `env` as it is (a build from before that line, or `#!/usr/bin/env node`).
 */
export function commandEnv(cli: string, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const second = readFileSync(cli, 'utf8').split('\n', 2)[1] ?? '';
  if (!second.includes('unset NODE_EXTRA_CA_CERTS')) return { ...env };
  const { NODE_EXTRA_CA_CERTS: extra, ...rest } = env;
  return extra === undefined || extra === '' ? rest : { ...rest, BGPCAP_EXTRA_CA_CERTS: extra };
}
