// `npm run bench`: generate the benchmark corpora (once, cached in bench/out/), check bgpcap's message counts
// against the generator's and tshark's, then time bgpcap and tshark on the same files in the same run.
// Prints, per corpus, messages/s and MB/s per CPU second, records/s, peak RSS and the ratios against tshark,
// as markdown tables (bench/README.md keeps the results).
//
//   npm run bench                                 every profile at full size (1.2 M prefixes: several minutes)
//   BENCH_SCALE=0.1 npm run bench                 a tenth of the prefixes
//   BENCH_PROFILES=bird,rs BENCH_REPEAT=5 ...     some profiles; best of 5 runs per case (default 3)
//   BENCH_TSHARK=0 ...                            without tshark (it is slow)
//   BENCH_TSHARK_REPEAT=1 ...                     tshark's field printing once (default: best of 2)
//   BENCH_DIST=bench/out/dist ...                 time another build of bgpcap than dist/
//   BENCH_PROFILES=lab ...                        only the real BIRD full table (bench/lab-capture.ts records it
//                                                 in bench/out/bird-lab-fulltable.pcap; BENCH_LAB_FILE=another)
//   BENCH_WORKERS_SCALE=3 ...                     the size of the larger capture `--workers 2` is also timed on
//                                                 (bird profile, 3 × the prefixes by default; 0: not timed)
//
// Times are CPU seconds (user + sys of bgpcap and its worker threads, or of tshark) from GNU time (/usr/bin/time,
// Debian package `time`), not wall time: the development machines are shared, and other jobs stretch the wall
// clock far more than they stretch CPU seconds. Each case runs BENCH_REPEAT times, in rounds over all of a
// corpus's cases, and the lowest CPU time counts (the wall column: the lowest wall time); the load average
// before and after is printed so a reader can judge the noise. The `--workers 2` case also shows wall time,
// since what it buys is wall time (its CPU time is the sum over threads).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROFILES, corpusName, generate, type CorpusInfo } from './gen.js';
import { commandEnv, shebangFlags } from './lib/bin.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const outDir = join(root, 'bench/out');
const cli = join(root, process.env['BENCH_DIST'] ?? 'dist', 'cli.js');
/** node's arguments to run bgpcap as the `bgpcap` command runs it: the entry point's V8 flags, then the entry point. */
const bgpcapArgs = [...shebangFlags(cli), cli];
// ... and in the environment the command gives it (NODE_EXTRA_CA_CERTS handed to bgpcap, not parsed by node at
// start); every process this one starts inherits it, tshark too, which does not read that variable.
process.env = commandEnv(cli);
const bgpcap = ['node', ...bgpcapArgs].join(' ');
const scale = Number(process.env['BENCH_SCALE'] ?? 1);
const repeat = Math.max(1, Number(process.env['BENCH_REPEAT'] ?? 3));
/**
 * Rounds tshark's field printing runs in (best of them, as bgpcap's cases): its one run moved the ratio to it by
 * a quarter between two runs of the bench eight minutes apart. Its type listing runs once (the count check).
 */
const tsharkRepeat = Math.min(repeat, Math.max(1, Number(process.env['BENCH_TSHARK_REPEAT'] ?? 2)));
const profiles = (process.env['BENCH_PROFILES'] ?? Object.keys(PROFILES).join(',')).split(',').filter((x) => x !== '');
const useTshark = process.env['BENCH_TSHARK'] !== '0' && spawnSync('bash', ['-c', 'command -v tshark']).status === 0;

interface Timing {
  wall: number;
  cpu: number;
  rssMb: number;
}

/** Run `cmd` (stdout to `out`, default /dev/null) under GNU time; null when it failed. */
function timedOnce(cmd: string, out = '/dev/null'): Timing | null {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', 'bash', '-c', `${cmd} > ${out}`], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) {
    process.stderr.write(`failed: ${cmd}\n${r.stderr}\n`);
    return null;
  }
  const last = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
  return { wall: last[0]!, cpu: last[1]! + last[2]!, rssMb: last[3]! / 1024 };
}

/**
 * Two runs of one command taken together: the lower CPU time, the lower wall time and the higher peak RSS,
 * each on its own. The wall time is the lowest of any run, not that of the run with the lowest CPU time: for
 * `--workers 2` the run that used the least CPU is the one that spread its work least (the reading thread did
 * more chunks itself), so its wall time was the worst of the three as often as not, and the speedup against
 * one thread came out lower than it was (bird: 2.31 s in a bench run, 2.09 s the median of 3 runs by hand).
 */
function better(best: Timing | undefined, t: Timing): Timing {
  if (best === undefined) return t;
  return { wall: Math.min(best.wall, t.wall), cpu: Math.min(best.cpu, t.cpu), rssMb: Math.max(best.rssMb, t.rssMb) };
}

/** Best of n runs (lowest CPU time, lowest wall time); the peak RSS is the highest seen. */
function timed(cmd: string, n: number): Timing | null {
  let best: Timing | undefined;
  for (let i = 0; i < n; i++) {
    const t = timedOnce(cmd);
    if (t === null) return null;
    best = better(best, t);
  }
  return best ?? null;
}

/**
 * Wall time of two copies of `cmd` started together (the later one to finish), best of n: with the one-thread
 * run's wall time, what two cores give this machine on this work whatever bgpcap does. Virtual machines often
 * give less than two: two vCPUs that are threads of one physical core, shared caches and memory bandwidth.
 */
function pairWall(cmd: string, n: number): number | null {
  let best: number | null = null;
  for (let i = 0; i < n; i++) {
    const t = timedOnce(`( ${cmd} > /dev/null & ${cmd} > /dev/null; wait )`);
    if (t === null) return null;
    if (best === null || t.wall < best) best = t.wall;
  }
  return best;
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');
const load = (): string => loadavg().map((x) => x.toFixed(2)).join(' ');

function sh(cmd: string): string {
  return spawnSync('bash', ['-c', cmd], { encoding: 'utf8' }).stdout.trim();
}

/** Messages by type name from `bgpcap read --stats` (stderr). */
function bgpcapCounts(file: string): Record<string, number> {
  const r = spawnSync(process.execPath, [...bgpcapArgs, 'read', '-f', 'none', '--stats', file], { encoding: 'utf8' });
  const line = /messages:\s+\d+ \(([^)]*)\)/.exec(r.stderr)?.[1] ?? '';
  const out: Record<string, number> = {};
  for (const part of line.split(', ')) {
    const m = /^(\S+) (\d+)$/.exec(part);
    if (m) out[m[1]!] = Number(m[2]);
  }
  return out;
}

const TYPE_NAME: Record<string, string> = { '1': 'OPEN', '2': 'UPDATE', '3': 'NOTIFICATION', '4': 'KEEPALIVE', '5': 'ROUTE-REFRESH' };

/** Messages by type name in tshark's `-T fields -e bgp.type` output (comma-separated per frame). */
function tsharkCounts(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    if (line === '') continue;
    for (const t of line.split(',')) {
      const k = TYPE_NAME[t] ?? `MSG_${t}`;
      out[k] = (out[k] ?? 0) + 1;
    }
  }
  return out;
}

const sameCounts = (a: Record<string, number>, b: Record<string, number>): boolean => {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) if ((a[k] ?? 0) !== (b[k] ?? 0)) return false;
  return true;
};
const countText = (c: Record<string, number>): string =>
  Object.entries(c)
    .map(([k, v]) => `${k} ${fmt(v)}`)
    .join(', ');

// tshark: reassemble out-of-order segments too (the corpora reorder some), no name resolution.
const TSHARK = 'tshark -n -o tcp.reassemble_out_of_order:TRUE';
/** The fields bgpcap's JSON carries for these corpora, as tshark names them. */
const TSHARK_FIELDS = [
  'frame.number', 'frame.time_epoch', 'ip.src', 'ip.dst', 'ipv6.src', 'ipv6.dst', 'tcp.srcport', 'tcp.dstport', 'bgp.type', 'bgp.length',
  'bgp.withdrawn_prefix', 'bgp.nlri_prefix', 'bgp.prefix_length', 'bgp.mp_reach_nlri_ipv6_prefix', 'bgp.mp_unreach_nlri_ipv6_prefix',
  'bgp.update.path_attribute.origin', 'bgp.update.path_attribute.as_path_segment.as4', 'bgp.update.path_attribute.next_hop',
  'bgp.update.path_attribute.mp_reach_nlri.next_hop.ipv6', 'bgp.update.path_attribute.mp_reach_nlri.next_hop.ipv6.link_local',
  'bgp.update.path_attribute.multi_exit_disc', 'bgp.update.path_attribute.local_pref', 'bgp.update.path_attribute.community',
  'bgp.large_communities', 'bgp.ext_community',
]
  .map((f) => `-e ${f}`)
  .join(' ');

/** bgpcap's names for what TSHARK_FIELDS prints (frame, time, addresses, ports, type, length, prefixes, attributes). */
const SAME_FIELDS = 'frame,timestamp,peer_ip,local_ip,src_port,dst_port,msg_type,length,withdrawals,announcements,origin,as_path,next_hop,med,local_pref,communities,large_communities,ext_communities';

interface Case {
  name: string;
  cmd: string;
  /** Records written per run (elem cases: prefix records), for records/s; null = same as messages. */
  records?: 'elems' | 'filtered';
  tool: 'bgpcap' | 'tshark';
  /** Show wall time and speedup (workers). */
  wall?: boolean;
}

mkdirSync(outDir, { recursive: true });
if (!existsSync('/usr/bin/time')) {
  process.stderr.write('bench needs GNU time: apt-get install -y time\n');
  process.exit(2);
}
const out: string[] = [];
const say = (s: string): void => {
  out.push(s);
  process.stdout.write(`${s}\n`);
};
say(`# bgpcap benchmark, ${new Date().toISOString().slice(0, 10)}`);
say('');
say(
  `machine: ${cpus()[0]?.model ?? '?'}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; node ${process.version}; ` +
    `${useTshark ? sh('tshark --version | head -1') : 'no tshark'}; scale ${scale}; best of ${repeat} (tshark: fields best of ${tsharkRepeat}, types 1 run)`,
);
say(`load average at start: ${load()}`);

/** The corpora: the generated profiles, then the real BIRD full table when bench/lab-capture.ts has recorded it. */
interface Corpus {
  name: string;
  description: string;
  file: string;
}
const corpora: Corpus[] = [];

/**
 * CPU seconds of bgpcap reading an empty capture: Node's start-up and module loading, the same in every run.
 * Measured around each corpus's timings (the lower of before and after is taken: once measured only at the
 * start of the run, right after the build, it came out at 0.27 s where it takes 0.15 s, and the "net" columns
 * looked better than they were).
 */
function startupCpu(): number {
  const empty = join(outDir, 'empty.pcap');
  const hdr = Buffer.alloc(24);
  hdr.writeUInt32LE(0xa1b2c3d4, 0);
  hdr.writeUInt16LE(2, 4);
  hdr.writeUInt16LE(4, 6);
  hdr.writeUInt32LE(65535, 16);
  hdr.writeUInt32LE(1, 20);
  writeFileSync(empty, hdr);
  return timed(`${bgpcap} read -f jsonl ${empty}`, Math.max(3, repeat))?.cpu ?? 0;
}
for (const name of profiles) {
  if (name === 'lab') continue;
  const p = PROFILES[name];
  if (p === undefined) {
    process.stderr.write(`unknown profile ${name}\n`);
    continue;
  }
  const file = join(outDir, corpusName(p, scale));
  if (!existsSync(file) || !existsSync(`${file}.json`)) {
    process.stderr.write(`generating ${file} ...\n`);
    const info = await generate(p, file, scale);
    writeFileSync(`${file}.json`, JSON.stringify(info));
  }
  corpora.push({ name: p.name, description: p.description, file });
}
const labFile = process.env['BENCH_LAB_FILE'] ?? join(outDir, 'bird-lab-fulltable.pcap');
if ((process.env['BENCH_PROFILES'] === undefined || profiles.includes('lab')) && existsSync(labFile) && existsSync(`${labFile}.json`)) {
  corpora.push({
    name: 'lab',
    description: 'real BIRD full table captured in the lab (test/lab: feeder → BIRD → OpenVPN tap; bench/lab-capture.ts), not scaled',
    file: labFile,
  });
} else if (profiles.includes('lab')) {
  process.stderr.write(`no lab capture at ${labFile}: run \`node bench/out/js/lab-capture.js\` as root first\n`);
}

for (const corpus of corpora) {
  const p = corpus;
  const file = corpus.file;
  const info = JSON.parse(readFileSync(`${file}.json`, 'utf8')) as CorpusInfo;
  const mb = statSync(file).size / 1e6;
  const msgs = Object.values(info.messages).reduce((s, x) => s + x, 0);
  const prefixes = info.v4Prefixes + info.v6Prefixes;

  say('');
  say(`## ${p.name}: ${p.description}`);
  say('');
  say(`${file.slice(root.length)}: ${mb.toFixed(1)} MB, ${fmt(info.frames)} frames, ${fmt(msgs)} messages (${countText(info.messages)}), ${fmt(prefixes)} prefixes (${fmt(info.v4Prefixes)} IPv4, ${fmt(info.v6Prefixes)} IPv6), ${info.sessions} sessions`);

  // Correctness first: message counts by type from the generator, bgpcap and tshark must agree.
  const bc = bgpcapCounts(file);
  let check = `message counts: bgpcap ${sameCounts(bc, info.messages) ? 'matches' : `DIFFERS (${countText(bc)})`} the generator`;
  let tsharkTypes: Timing | null = null;
  if (useTshark) {
    const tmp = `${file}.tshark-types.txt`;
    tsharkTypes = timedOnce(`${TSHARK} -r ${file} -Y bgp -T fields -e bgp.type`, tmp);
    if (tsharkTypes !== null) {
      const tc = tsharkCounts(readFileSync(tmp, 'utf8'));
      check += `; tshark ${sameCounts(tc, info.messages) ? 'matches' : `DIFFERS (${countText(tc)})`}`;
    }
    rmSync(tmp, { force: true });
  }
  say(check);
  say('');

  const f = file;
  const cases: Case[] = [
    { name: 'bgpcap count only (`-f none`: framing, session state; nothing reads the UPDATEs, so nothing decodes them)', cmd: `${bgpcap} read -f none ${f}`, tool: 'bgpcap' },
    { name: 'bgpcap decode+count (`-f none --stats`: every message decoded and checked for warnings)', cmd: `${bgpcap} read -f none --stats ${f} 2>/dev/null`, tool: 'bgpcap' },
    {
      name: 'bgpcap decode+filter, prefix (`--prefix-sub 1.0.0.0/8 -f jsonl -l elem`: 0.5 % of prefixes out)',
      cmd: `${bgpcap} read --prefix-sub 1.0.0.0/8 -f jsonl -l elem ${f}`,
      tool: 'bgpcap',
      records: 'filtered',
    },
    // The target's "no output" as a user meets it: a filter for prefixes the capture (nearly) lacks — here
    // PEERING's own address space, as when checking whether an announcement got out. The case above adds the
    // cost of writing its 0.5 %: for a few thousand records the writer's code is interpreted, then compiled.
    {
      name: "bgpcap decode+filter, prefix, nothing out (`--prefix-sub 184.164.224.0/19 -f jsonl -l elem`: PEERING's prefixes, 0-2 records here)",
      cmd: `${bgpcap} read --prefix-sub 184.164.224.0/19 -f jsonl -l elem ${f}`,
      tool: 'bgpcap',
      records: 'filtered',
    },
    {
      name: "bgpcap decode+filter, attribute (`--large-community '*:7:*' -f jsonl`: 0.3 % of messages out)",
      cmd: `${bgpcap} read --large-community '*:7:*' -f jsonl ${f}`,
      tool: 'bgpcap',
      records: 'filtered',
    },
    { name: 'bgpcap jsonl, msg level', cmd: `${bgpcap} read -f jsonl ${f}`, tool: 'bgpcap' },
    { name: 'bgpcap jsonl, elem level', cmd: `${bgpcap} read -f jsonl -l elem ${f}`, tool: 'bgpcap', records: 'elems' },
    { name: 'bgpcap line, elem level', cmd: `${bgpcap} read -f line -l elem ${f}`, tool: 'bgpcap', records: 'elems' },
    { name: 'bgpcap line, msg level', cmd: `${bgpcap} read -f line ${f}`, tool: 'bgpcap' },
    { name: 'bgpcap line, msg level, the fields tshark prints below', cmd: `${bgpcap} read -f line --fields ${SAME_FIELDS} ${f}`, tool: 'bgpcap' },
    { name: 'bgpcap jsonl, msg level, `--workers 2`', cmd: `${bgpcap} read --workers 2 -f jsonl ${f}`, tool: 'bgpcap', wall: true },
  ];
  if (useTshark) {
    cases.push({ name: 'tshark same fields as the jsonl (`-T fields`, 25 fields)', cmd: `${TSHARK} -r ${f} -Y bgp -T fields ${TSHARK_FIELDS}`, tool: 'tshark' });
  }
  const loadBefore = load();
  const res = new Map<string, Timing>();
  if (tsharkTypes !== null) res.set('tshark types only (`-T fields -e bgp.type`)', tsharkTypes);
  const startupBefore = startupCpu();
  // Round by round, every case once a round (tshark in the first tsharkRepeat): a noisy stretch of minutes on this
  // shared machine then spoils one run of each case rather than every run of one (all three runs of bird's
  // jsonl case, back to back, once took 50 % longer than in the run after).
  const failed = new Set<string>();
  for (let round = 0; round < repeat; round++) {
    for (const c of cases) {
      if (failed.has(c.name) || (c.tool === 'tshark' && round >= tsharkRepeat)) continue;
      const t = timedOnce(c.cmd);
      if (t === null) {
        failed.add(c.name);
        res.delete(c.name);
      } else res.set(c.name, better(res.get(c.name), t));
    }
  }
  const startup = Math.min(startupBefore, startupCpu());
  const pair = pairWall(`${bgpcap} read -f jsonl ${f}`, repeat);
  // Filtered record counts (for records/s of the filter cases).
  const filtered = (cmd: string): number => Number(sh(`${cmd} | wc -l`));
  const recordsOf = (c: Case | undefined): number =>
    c?.records === 'elems' || c?.records === 'filtered' ? filtered(c.cmd) : msgs;

  say(`bgpcap's start-up (Node, modules, an empty capture) takes ${startup.toFixed(2)} CPU s (the lower of before and after these timings); the "net" columns leave it out (bgpcap rows only).`);
  say('');
  say('| case | CPU s | wall s | msgs/s (CPU) | msgs/s (CPU, net) | MB/s (CPU) | records/s (CPU) | records/s (CPU, net) | peak RSS MB |');
  say('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const [n, t] of res) {
    const c = cases.find((x) => x.name === n);
    const recs = recordsOf(c);
    const net = c?.tool === 'bgpcap' && !c.wall && t.cpu > startup ? t.cpu - startup : null;
    say(
      `| ${n} | ${t.cpu.toFixed(2)} | ${t.wall.toFixed(2)} | ${fmt(msgs / t.cpu)} | ${net === null ? '' : fmt(msgs / net)} | ${(mb / t.cpu).toFixed(1)} | ` +
        `${c?.records === undefined ? '' : `${fmt(recs / t.cpu)} (${fmt(recs)} records)`} | ${c?.records === undefined || net === null ? '' : fmt(recs / net)} | ${t.rssMb.toFixed(0)} |`,
    );
  }
  say('');
  const get = (prefix: string): Timing | undefined => [...res].find(([n]) => n.startsWith(prefix))?.[1];
  const ts = get('tshark same fields');
  const tt = get('tshark types only');
  const bj = get('bgpcap jsonl, msg level');
  const bn = get('bgpcap decode+count');
  const bw = get('bgpcap jsonl, msg level, `--workers 2`');
  const bl = get('bgpcap line, msg level, the fields');
  if (ts && bl) say(`- bgpcap printing the same fields as tshark (line output) vs tshark: ${(ts.cpu / bl.cpu).toFixed(1)}× less CPU`);
  if (ts && bj) say(`- bgpcap jsonl (msg level, every field) vs tshark printing its 25 fields: ${(ts.cpu / bj.cpu).toFixed(1)}× less CPU`);
  if (tt && bn) say(`- bgpcap decode+count vs tshark listing message types: ${(tt.cpu / bn.cpu).toFixed(1)}× less CPU`);
  if (tt) say(`- tshark listing types: ${fmt(msgs / tt.cpu)} msgs per CPU-second${ts ? `; printing fields: ${fmt(msgs / ts.cpu)}` : ''}`);
  if (bw && bj) say(`- \`--workers 2\` vs 1 (jsonl, msg level): wall ${bj.wall.toFixed(2)} s → ${bw.wall.toFixed(2)} s (${(bj.wall / bw.wall).toFixed(2)}×), CPU ${bj.cpu.toFixed(2)} s → ${bw.cpu.toFixed(2)} s`);
  if (pair !== null && bj) {
    say(
      `- what 2 cores give this machine: two one-thread runs of the jsonl case side by side take ${pair.toFixed(2)} s wall against ${bj.wall.toFixed(2)} s alone, ` +
        `${((2 * bj.wall) / pair).toFixed(2)}× the work per second of one (the ceiling for \`--workers 2\`)`,
    );
  }
  say(`- load average before the timings: ${loadBefore}; after: ${load()}`);
}

// `--workers 2` on a larger capture. Each thread's isolate warms up on its own (interpreting the hot code, then
// compiling it: ~0.4 CPU s whatever the input), which a 1-3 s capture cannot earn back; a post-mortem's capture
// of some hundreds of megabytes shows what the split gives once that is paid. One thread and two in turn, each
// run BENCH_REPEAT times, lowest wall time of each; then two one-thread runs side by side, as above.
const workersScale = Number(process.env['BENCH_WORKERS_SCALE'] ?? 3);
if (workersScale > 0 && (process.env['BENCH_PROFILES'] === undefined || profiles.includes('bird'))) {
  const p = PROFILES['bird']!;
  const file = join(outDir, corpusName(p, workersScale));
  if (!existsSync(file) || !existsSync(`${file}.json`)) {
    process.stderr.write(`generating ${file} ...\n`);
    writeFileSync(`${file}.json`, JSON.stringify(await generate(p, file, workersScale)));
  }
  const info = JSON.parse(readFileSync(`${file}.json`, 'utf8')) as CorpusInfo;
  const msgs = Object.values(info.messages).reduce((s, x) => s + x, 0);
  say('');
  say(`## \`--workers 2\` on a larger capture: bird at ${workersScale} × the prefixes`);
  say('');
  say(`${file.slice(root.length)}: ${(statSync(file).size / 1e6).toFixed(1)} MB, ${fmt(msgs)} messages, ${info.sessions} sessions; \`-f jsonl\`, one thread and \`--workers 2\` in turn, best of ${repeat}`);
  say('');
  const loadBefore = load();
  let one: Timing | undefined;
  let two: Timing | undefined;
  for (let round = 0; round < repeat; round++) {
    const a = timedOnce(`${bgpcap} read -f jsonl ${file}`);
    const b = timedOnce(`${bgpcap} read --workers 2 -f jsonl ${file}`);
    if (a !== null) one = better(one, a);
    if (b !== null) two = better(two, b);
  }
  const pair = pairWall(`${bgpcap} read -f jsonl ${file}`, repeat);
  if (one !== undefined && two !== undefined) {
    say('| case | CPU s | wall s | msgs/s (wall) | peak RSS MB |');
    say('|---|---:|---:|---:|---:|');
    say(`| one thread | ${one.cpu.toFixed(2)} | ${one.wall.toFixed(2)} | ${fmt(msgs / one.wall)} | ${one.rssMb.toFixed(0)} |`);
    say(`| \`--workers 2\` | ${two.cpu.toFixed(2)} | ${two.wall.toFixed(2)} | ${fmt(msgs / two.wall)} | ${two.rssMb.toFixed(0)} |`);
    say('');
    say(`- \`--workers 2\` vs 1: wall ${one.wall.toFixed(2)} s → ${two.wall.toFixed(2)} s (${(one.wall / two.wall).toFixed(2)}×), CPU ${one.cpu.toFixed(2)} s → ${two.cpu.toFixed(2)} s`);
    if (pair !== null) say(`- two one-thread runs side by side: ${pair.toFixed(2)} s wall against ${one.wall.toFixed(2)} s alone, ${((2 * one.wall) / pair).toFixed(2)}× the work per second of one`);
  }
  say(`- load average before: ${loadBefore}; after: ${load()}`);
}

writeFileSync(join(outDir, `results-${scale}.md`), `${out.join('\n')}\n`);
process.stderr.write(`\nresults also in bench/out/results-${scale}.md\n`);
