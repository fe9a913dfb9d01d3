// A real BIRD full-table capture for the benchmarks (issue 8, item 1): build the lab (test/lab/lab.sh), let
// tcpdump capture the client's tunnel to mux amsterdam01 (tap5) while the full-table upstream sends ROUTES IPv4
// routes to the mux's BIRD, which streams them to the client's BIRD over OpenVPN — BIRD's own UPDATE packing,
// TCP segmentation and timing, not a generator's.
//
//   npm run build && node node_modules/typescript/bin/tsc -p bench/tsconfig.json
//   node bench/out/js/lab-capture.js [--out FILE] [--rate R] [ROUTES]
//       (root; default 1,000,000 routes, FILE bench/out/bird-lab-fulltable.pcap; R: the upstream paced at R
//       routes/s, default 0: as fast as the lab's BIRDs go)
//
// The capture ends once the client's BIRD has imported every route from the mux (birdc), plus a second. Then
// the file is checked: tcpdump must report no packet dropped by the kernel, and the BGP message counts of
// `bgpcap read -f none --stats` must equal tshark's (`-T fields -e bgp.type`, one comma-separated list per
// frame). FILE.json gets the counts in the shape of the generated corpora (bench/gen.ts CorpusInfo) plus the
// rate seen on the tunnel. Exit status 1 when a check fails (the files are kept for a look), 2 when it cannot run.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { labTeardown } from './lib/lab.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const lab = join(root, 'test/lab/lab.sh');
const argv = process.argv.slice(2);
const taken = new Set<number>();
function opt(name: string): string | undefined {
  const i = argv.indexOf(name);
  if (i < 0) return undefined;
  taken.add(i).add(i + 1);
  return argv[i + 1] ?? '';
}
const outArg = opt('--out');
const out = resolve(outArg ?? join(root, 'bench/out/bird-lab-fulltable.pcap'));
const rate = Number(opt('--rate') ?? 0);
const routes = Number(argv.filter((_, i) => !taken.has(i))[0] ?? 1_000_000);
if (!(routes > 0 && routes <= 16_000_000) || outArg === '' || !(rate >= 0)) {
  process.stderr.write('usage: lab-capture.js [--out FILE] [--rate R] [ROUTES]\n');
  process.exit(2);
}
if (process.getuid?.() !== 0) {
  process.stderr.write('bench/lab-capture: needs root (network namespaces, packet capture)\n');
  process.exit(2);
}

const say = (s: string): void => {
  process.stderr.write(`bench/lab-capture: ${s}\n`);
};
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

function labCmd(w: string, ...args: string[]): string {
  const r = spawnSync(lab, [args[0]!, w, ...args.slice(1)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error(`lab.sh ${args.join(' ')} failed (${r.status})`);
  return r.stdout;
}

/** Message counts by type name from `bgpcap read --stats` ("messages: N (OPEN 8, UPDATE 26467, ...)"). */
function bgpcapCounts(file: string): Record<string, number> {
  const r = spawnSync(process.execPath, [join(root, 'dist/cli.js'), 'read', '-f', 'none', '--stats', file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`bgpcap read: ${r.stderr}`);
  const m = /^messages:\s+[0-9]+ \(([^)]*)\)/m.exec(r.stderr + r.stdout);
  const c: Record<string, number> = {};
  for (const part of (m?.[1] ?? '').split(', ')) {
    const [k, v] = part.split(' ');
    if (k !== undefined && v !== undefined) c[k] = Number(v);
  }
  return c;
}

const TYPE_NAMES: Record<string, string> = { '1': 'OPEN', '2': 'UPDATE', '3': 'NOTIFICATION', '4': 'KEEPALIVE', '5': 'ROUTE-REFRESH' };

/** tshark's message counts, and the capture times of the first and last frame holding an UPDATE. */
function tsharkCounts(file: string): { counts: Record<string, number>; firstUpdate: number; lastUpdate: number } {
  const r = spawnSync(
    'tshark',
    ['-n', '-o', 'tcp.reassemble_out_of_order:TRUE', '-r', file, '-Y', 'bgp', '-T', 'fields', '-e', 'frame.time_epoch', '-e', 'bgp.type'],
    { encoding: 'utf8', maxBuffer: 1 << 30 },
  );
  if (r.status !== 0) throw new Error(`tshark: ${r.stderr}`);
  const counts: Record<string, number> = {};
  let firstUpdate = Infinity;
  let lastUpdate = 0;
  for (const line of r.stdout.split('\n')) {
    const [t, types] = line.split('\t');
    if (types === undefined || types === '') continue;
    for (const ty of types.split(',')) {
      const name = TYPE_NAMES[ty] ?? `TYPE_${ty}`;
      counts[name] = (counts[name] ?? 0) + 1;
      if (name === 'UPDATE') {
        firstUpdate = Math.min(firstUpdate, Number(t));
        lastUpdate = Math.max(lastUpdate, Number(t));
      }
    }
  }
  return { counts, firstUpdate, lastUpdate };
}

function countText(c: Record<string, number>): string {
  return Object.entries(c)
    .map(([k, v]) => `${k} ${fmt(v)}`)
    .join(', ');
}

function same(a: Record<string, number>, b: Record<string, number>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => (a[k] ?? 0) === (b[k] ?? 0));
}

const w = mkdtempSync(join(tmpdir(), 'bgpcap-lab-capture-'));
const prefix = `blc${process.pid}`;
const teardown = labTeardown(lab, w);

let exit = 0;
try {
  mkdirSync(dirname(out), { recursive: true });
  const tmp = `${out}.part`;
  say(`building the lab in ${w} (namespaces ${prefix}-*)`);
  labCmd(w, 'up', prefix);
  labCmd(w, 'wait');
  // -B in KiB: a 256 MiB ring, far more than a full table needs; 'tcp port 179': BGP only, as bgpcap live; -Z
  // root: write the file as root (Debian's tcpdump would become the tcpdump user first). `ip netns exec` execs
  // tcpdump, so dump.pid is tcpdump's own.
  const dump = spawn('ip', ['netns', 'exec', `${prefix}-client`, 'tcpdump', '-n', '-Z', 'root', '-i', 'tap5', '-s', '0', '-B', '262144', '-w', tmp, 'tcp port 179'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let dumpErr = '';
  dump.stderr!.setEncoding('utf8');
  dump.stderr!.on('data', (d: string) => {
    dumpErr += d;
  });
  const dumpExit = new Promise<void>((r) => dump.once('close', () => r()));
  const t0 = Date.now();
  while (!dumpErr.includes('listening on')) {
    if (Date.now() - t0 > 15_000) throw new Error(`tcpdump did not start: ${dumpErr}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  // The session is restarted under capture, so the file begins with the OPENs (capabilities: 4-octet AS
  // numbers, RFC 6793) as a capture of a session from its start does.
  say('tcpdump listening on tap5; restarting the client\'s session to amsterdam01');
  labCmd(w, 'birdc', 'client', 'restart', 'amsterdam01');
  await new Promise((r) => setTimeout(r, 500));
  labCmd(w, 'wait');
  const importedFrom = (): number => Number(/Routes:\s+([0-9]+) imported/.exec(labCmd(w, 'birdc', 'client', 'show', 'protocols', 'all', 'amsterdam01'))?.[1] ?? 0);
  const before = importedFrom();
  say(`starting the full-table upstream: ${fmt(routes)} routes${rate > 0 ? ` at ${fmt(rate)}/s` : ''}`);
  labCmd(w, 'fulltable', String(routes), String(rate));
  // Done when the client's BIRD has imported the whole table from amsterdam01 (the lab's own routes on top).
  let imported = 0;
  for (;;) {
    await new Promise((r) => setTimeout(r, 1000));
    imported = importedFrom();
    say(`client BIRD: ${fmt(imported)} routes imported from amsterdam01`);
    if (imported >= before + routes) break;
    if (Date.now() - t0 > 600_000) throw new Error('the table did not arrive within 10 minutes');
  }
  await new Promise((r) => setTimeout(r, 1000)); // the last ACKs and a keepalive
  dump.kill('SIGINT');
  await dumpExit;
  const dropped = Number(/([0-9]+) packets? dropped by kernel/.exec(dumpErr)?.[1] ?? NaN);
  const captured = Number(/([0-9]+) packets? captured/.exec(dumpErr)?.[1] ?? NaN);
  renameSync(tmp, out);
  say(`tcpdump: ${fmt(captured)} packets captured, ${dropped} dropped by the kernel`);

  say('counting messages with bgpcap and tshark');
  const bc = bgpcapCounts(out);
  const tc = tsharkCounts(out);
  const span = tc.lastUpdate - tc.firstUpdate;
  const bytes = statSync(out).size;
  const info = {
    profile: 'bird-lab',
    scale: routes / 1_000_000,
    sessions: 1,
    frames: captured,
    bytes,
    messages: tc.counts,
    v4Prefixes: imported,
    v6Prefixes: 0,
    source: `test/lab: feeder.mjs → BIRD (mux amsterdam01) → OpenVPN → client tap5, captured by tcpdump`,
    routes,
    pacedRoutesPerSecond: rate,
    updateSeconds: Number(span.toFixed(3)),
    routesPerSecond: Math.round(routes / Math.max(span, 1e-6)),
    kernelDrops: dropped,
    bgpcapAgrees: same(bc, tc.counts),
  };
  writeFileSync(`${out}.json`, `${JSON.stringify(info)}\n`);
  process.stdout.write(`${out}: ${(bytes / 1e6).toFixed(1)} MB, ${fmt(captured)} frames, ${fmt(imported)} routes imported by the client\n`);
  process.stdout.write(`UPDATEs on the tunnel for ${span.toFixed(2)} s: ${fmt(info.routesPerSecond)} routes/s\n`);
  process.stdout.write(`tshark: ${countText(tc.counts)}\nbgpcap: ${countText(bc)}\n`);
  const bad: string[] = [];
  if (dropped !== 0) bad.push(`tcpdump dropped ${dropped} packets`);
  if (!info.bgpcapAgrees) bad.push('bgpcap and tshark count different messages');
  process.stdout.write(bad.length === 0 ? 'checks: no drops; bgpcap and tshark agree\n' : `CHECKS FAILED: ${bad.join('; ')}\n`);
  if (bad.length > 0) exit = 1;
} catch (e) {
  process.stderr.write(`bench/lab-capture: ${(e as Error).message}\n`);
  exit = 2;
} finally {
  teardown();
}
process.exit(exit);
