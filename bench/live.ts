// Live capture under load (issue 8, item 5): a full table streamed through the lab's PEERING-like tunnel while
// `bgpcap live` captures it, with the kernel's drop counters and the delay from each packet's capture to its
// record on bgpcap's stdout.
//
//   npm run build && node node_modules/typescript/bin/tsc -p bench/tsconfig.json && node bench/out/js/live.js [ROUTES]
//
// Needs root and the lab's software (test/lab/README.md: iproute2, bird2, openvpn, openssl). Steps: build the
// lab (test/lab/lab.sh up), run `bgpcap live --peering <client>` in the client's namespace with one line per
// prefix (`-f line -l elem --fields timestamp`), start the full-table upstream (lab.sh fulltable, ROUTES IPv4
// routes, default 1,000,000: the mux's BIRD re-sends them to the client over the tunnel), and for every line
// take (time the line arrived here) − (capture timestamp in the line). Prints the routes per second seen on the
// tunnel, the delay's percentiles, and the drop counters of `--summary` (kernel, interface, bgpcap's queue).
// The lab is torn down at the end, also after an error.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const lab = join(root, 'test/lab/lab.sh');
const routes = Number(process.argv[2] ?? 1_000_000);
const quietMs = 8000;

function labCmd(w: string, ...args: string[]): void {
  const r = spawnSync(lab, [args[0]!, w, ...args.slice(1)], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error(`lab.sh ${args.join(' ')} failed (${r.status})`);
}

function pct(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

if (process.getuid?.() !== 0) {
  process.stderr.write('bench/live: needs root (network namespaces, packet capture)\n');
  process.exit(2);
}
const w = mkdtempSync(join(tmpdir(), 'bgpcap-live-bench-'));
const summary = join(w, 'summary.json');
const say = (s: string): void => {
  process.stderr.write(`bench/live: ${s}\n`);
};
let down = false;
const teardown = (): void => {
  if (down) return;
  down = true;
  spawnSync(lab, ['down', w], { stdio: 'inherit' });
  rmSync(w, { recursive: true, force: true });
};
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    teardown();
    process.exit(130);
  });
}
let exit = 0;
try {
  say(`building the lab in ${w}`);
  labCmd(w, 'up', 'blb');
  labCmd(w, 'wait');
  say('lab up; starting bgpcap live on the client');
  const live = spawn(lab, ['exec', w, 'client', process.execPath, join(root, 'dist/cli.js'), 'live', '--peering', join(w, 'client'), '-f', 'line', '-l', 'elem', '--fields', 'timestamp', '--summary', summary], {
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true, // its own process group: the interrupt reaches bgpcap, not only lab.sh
  });
  const delays: number[] = [];
  let first = 0;
  let last = 0;
  const lines = createInterface({ input: live.stdout! });
  lines.on('line', (l) => {
    const now = Date.now();
    const ts = Number(l);
    if (!Number.isFinite(ts)) return; // OPEN, KEEPALIVE, events: no timestamp-only prefix line
    if (first === 0) first = now;
    last = now;
    delays.push(now - ts * 1000);
  });
  await new Promise((r) => setTimeout(r, 3000)); // interfaces open, decoder running
  const t0 = Date.now();
  say(`starting the full-table upstream: ${routes} routes`);
  labCmd(w, 'fulltable', String(routes));
  // Done when the table is through (the lab's own routes and churn come on top), or nothing came for a while.
  for (;;) {
    await new Promise((r) => setTimeout(r, 1000));
    say(`${delays.length} prefix records so far`);
    if (delays.length >= routes || (last > 0 && Date.now() - last > quietMs)) break;
    if (last === 0 && Date.now() - t0 > 120_000) throw new Error('no prefix record within 2 minutes');
  }
  const exited = new Promise((r) => live.once('exit', r));
  process.kill(-live.pid!, 'SIGINT');
  await exited;
  const d = Float64Array.from(delays).sort();
  const secs = (last - first) / 1000;
  process.stdout.write(`prefix records: ${d.length.toLocaleString('en-US')} in ${secs.toFixed(1)} s (${Math.round(d.length / Math.max(secs, 0.001)).toLocaleString('en-US')}/s)\n`);
  process.stdout.write(`capture → stdout delay, ms: p50 ${pct(d, 50).toFixed(1)}, p90 ${pct(d, 90).toFixed(1)}, p99 ${pct(d, 99).toFixed(1)}, max ${pct(d, 100).toFixed(1)}\n`);
  const s = JSON.parse(readFileSync(summary, 'utf8')) as { interfaces: Record<string, unknown>[] };
  for (const i of s.interfaces) {
    process.stdout.write(`interface ${JSON.stringify(i)}\n`);
  }
  if (pct(d, 99) >= 50) exit = 1;
} catch (e) {
  process.stderr.write(`bench/live: ${(e as Error).message}\n`);
  exit = 1;
} finally {
  teardown();
}
process.exit(exit);
