// `npm run bench`: generate the synthetic corpora (once, cached in bench/out/) and time bgpcap against
// tshark on the same files in the same run. Prints messages/s, MB/s, CPU seconds, peak RSS and ratios.
//
//   BENCH_UPDATES=1000000 npm run bench      (default 200000 UPDATEs per corpus)
//
// Wall and CPU time and peak RSS come from GNU time (/usr/bin/time, Debian package `time`).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROFILES, generate } from './gen.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const outDir = join(root, 'bench/out');
const cli = join(root, 'dist/cli.js');
const updates = Number(process.env['BENCH_UPDATES'] ?? 200_000);

interface Timing {
  wall: number;
  cpu: number;
  rssMb: number;
}

function timed(cmd: string): Timing | null {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', 'bash', '-c', `${cmd} > /dev/null`], { encoding: 'utf8' });
  if (r.status !== 0) {
    process.stderr.write(`failed: ${cmd}\n${r.stderr}\n`);
    return null;
  }
  const last = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
  return { wall: last[0]!, cpu: last[1]! + last[2]!, rssMb: last[3]! / 1024 };
}

function has(cmd: string): boolean {
  return spawnSync('bash', ['-c', `command -v ${cmd}`]).status === 0;
}

mkdirSync(outDir, { recursive: true });
if (!existsSync('/usr/bin/time')) {
  process.stderr.write('bench needs GNU time: apt-get install -y time\n');
  process.exit(2);
}
const tshark = has('tshark');
const rows: string[] = [];
for (const p of Object.values(PROFILES)) {
  const file = join(outDir, `${p.name}-${updates}.pcap`);
  if (!existsSync(file)) {
    const g = await generate(p, file, updates);
    process.stderr.write(`generated ${file}: ${g.updates} UPDATEs, ${g.prefixes} prefixes\n`);
  }
  const mb = statSync(file).size / 1e6;
  const count = spawnSync(process.execPath, [cli, 'read', '-f', 'none', '--stats', file], { encoding: 'utf8' });
  const msgs = Number(/messages:\s+(\d+)/.exec(count.stderr)?.[1] ?? NaN);
  const cases: [string, string][] = [
    ['bgpcap decode+count (-f none)', `node ${cli} read -f none ${file}`],
    ['bgpcap jsonl, msg level', `node ${cli} read -f jsonl ${file}`],
    ['bgpcap jsonl, elem level', `node ${cli} read -f jsonl -l elem ${file}`],
    ['bgpcap line, elem level', `node ${cli} read -f line -l elem ${file}`],
  ];
  if (tshark) {
    cases.push(['tshark types only', `tshark -r ${file} -Y bgp -T fields -e bgp.type`]);
    cases.push([
      'tshark same fields as jsonl',
      `tshark -r ${file} -Y bgp -T fields -e frame.time_epoch -e ip.src -e bgp.type -e bgp.nlri_prefix -e bgp.mp_reach_nlri_ipv6_prefix -e bgp.withdrawn_prefix -e bgp.update.path_attribute.as_path_segment.as4 -e bgp.update.path_attribute.community -e bgp.large_communities -e bgp.update.path_attribute.next_hop`,
    ]);
  }
  const res = new Map<string, Timing>();
  for (const [name, cmd] of cases) {
    const t = timed(cmd);
    if (t) res.set(name, t);
  }
  rows.push(`\n${p.name}: ${file} (${mb.toFixed(1)} MB, ${msgs} messages)`);
  rows.push('case | wall s | cpu s | msgs/s (cpu) | MB/s (cpu) | peak RSS MB');
  for (const [name, t] of res) {
    rows.push(`${name} | ${t.wall.toFixed(2)} | ${t.cpu.toFixed(2)} | ${Math.round(msgs / t.cpu).toLocaleString('en-US')} | ${(mb / t.cpu).toFixed(1)} | ${t.rssMb.toFixed(0)}`);
  }
  const ts = res.get('tshark same fields as jsonl');
  const tt = res.get('tshark types only');
  const bj = res.get('bgpcap jsonl, msg level');
  const bn = res.get('bgpcap decode+count (-f none)');
  if (ts && bj) rows.push(`ratio: bgpcap jsonl vs tshark same fields: ${(ts.cpu / bj.cpu).toFixed(1)}x faster (CPU)`);
  if (tt && bn) rows.push(`ratio: bgpcap decode+count vs tshark types only: ${(tt.cpu / bn.cpu).toFixed(1)}x faster (CPU)`);
}
process.stdout.write(`${rows.join('\n')}\n`);
