// Instructions executed by one `bgpcap read`, counted by valgrind (cachegrind without its cache model): a
// measure that stays the same to ±0.2 % from run to run on a machine whose timings move by ±15 % from one
// minute to the next. With the entry point's flag V8 compiles on the main thread, in the same order every time,
// so the count includes the JIT's work and does not depend on what else runs. It counts user-space
// instructions only — not cache misses, not system calls — so keep what it favours only if the time agrees.
// About 20 times slower than the run itself; needs valgrind (`apt-get install -y valgrind`).
//
//   node bench/out/js/instructions.js [--base DIR] [--env NAME=VALUE]... -- READ-ARGS...
//
// Counts this build (dist/cli.js) and, with --base, another build's cli.js (a copy of an earlier dist/), both
// at once, and prints millions of instructions and the difference. Example, after `npm run bench` made the
// corpora:
//
//   cp -r dist /tmp/dist-before   # before a change; then change, npm run build, and:
//   node bench/out/js/instructions.js --base /tmp/dist-before -- bench/out/packed-1-70e794d8.pcap -f jsonl
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { commandEnv, shebangFlags } from './lib/bin.js';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');

interface Args {
  base: string | null;
  env: Record<string, string>;
  read: string[];
}

function parse(argv: string[]): Args {
  const a: Args = { base: null, env: {}, read: [] };
  const dash = argv.indexOf('--');
  const own = dash < 0 ? argv : argv.slice(0, dash);
  a.read = dash < 0 ? [] : argv.slice(dash + 1);
  for (let i = 0; i < own.length; i++) {
    const v = own[i + 1];
    if (own[i] === '--base' && v !== undefined) a.base = resolve(v, 'cli.js');
    else if (own[i] === '--env' && v !== undefined && v.includes('=')) a.env[v.slice(0, v.indexOf('='))] = v.slice(v.indexOf('=') + 1);
    else throw new Error(`usage: instructions.js [--base DIR] [--env NAME=VALUE]... -- READ-ARGS... (at '${own[i]}')`);
    i++;
  }
  if (a.read.length === 0) throw new Error('usage: instructions.js [--base DIR] [--env NAME=VALUE]... -- READ-ARGS...');
  return a;
}

/** Millions of instructions of `node <flags> cli read ...args` (stdout discarded). */
function count(cli: string, read: string[], env: Record<string, string>): Promise<number> {
  const args = ['--tool=cachegrind', '--cache-sim=no', '--cachegrind-out-file=/dev/null', process.execPath, ...shebangFlags(cli), cli, 'read', ...read];
  return new Promise((done, fail) => {
    const p = spawn('valgrind', args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...commandEnv(cli), ...env } });
    let err = '';
    p.stderr.setEncoding('utf8').on('data', (s: string) => (err += s));
    p.on('error', (e) => fail(new Error(`valgrind: ${e.message} (apt-get install -y valgrind)`)));
    p.on('close', (code) => {
      const m = /I\s+refs:\s+([\d,]+)/.exec(err);
      if (code !== 0 || m === null) fail(new Error(`${cli} read ${read.join(' ')}: exit ${code}\n${err.slice(-2000)}`));
      else done(Number(m[1]!.replaceAll(',', '')) / 1e6);
    });
  });
}

async function main(): Promise<void> {
  const a = parse(process.argv.slice(2));
  const cli = join(root, 'dist/cli.js');
  const [now, base] = await Promise.all([count(cli, a.read, a.env), a.base === null ? null : count(a.base, a.read, a.env)]);
  const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
  if (base === null) console.log(`${fmt(now)} M instructions: read ${a.read.join(' ')}`);
  else console.log(`${fmt(base)} → ${fmt(now)} M instructions (${now >= base ? '+' : '−'}${Math.abs((100 * (now - base)) / base).toFixed(1)} %): read ${a.read.join(' ')}`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
