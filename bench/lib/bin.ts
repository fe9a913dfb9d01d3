// How the benchmarks start bgpcap: as the `bgpcap` command starts it. The command is dist/cli.js run through its
// first line (`#!/usr/bin/env -S node <V8 flags>`, src/cli.ts says why the flags); the benchmarks run
// `process.execPath` with those flags, so the node that runs the bench runs bgpcap too, and a build from before
// the flags (BENCH_DIST) runs as it did then.
import { readFileSync } from 'node:fs';

/** The node options on `cli`'s first line (`#!/usr/bin/env -S node ...` or `#!/usr/bin/env node`). */
export function shebangFlags(cli: string): string[] {
  const first = readFileSync(cli, 'utf8').split('\n', 1)[0] ?? '';
  const m = /^#!\S*env(?: -S)? node((?: \S+)*)\s*$/.exec(first);
  if (m === null) throw new Error(`${cli}: first line is not a node shebang: ${first}`);
  return m[1]!.split(' ').filter((x) => x !== '');
}
