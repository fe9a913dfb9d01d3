// Filter benchmark: what a stage-1 reject costs next to a full decode, and how much a selective stage-2
// filter saves over decoding (and writing) everything. Each case runs in a fresh Node process (so one case's
// JIT state does not slow another), on a synthetic capture held in memory (no I/O in the timings), CPU time, best of 5.
//
//   npm run build && node node_modules/typescript/bin/tsc -p bench/tsconfig.json && node bench/out/js/filter.js
//   BENCH_SCALE=0.5 node bench/out/js/filter.js          (default 0.1: 120,000 prefixes, `packed` profile)
//
// The capture (bench/gen.ts `packed`: 4 sessions 10.0.0.1, 10.0.1.1, 10.0.2.1, 10.0.3.1 ↔ 10.255.0.1, peers
// AS4200000000, AS64501, AS64502, AS4200000003, 1-12 prefixes per UPDATE, MSS 1448) is generated once into
// bench/out/.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PROFILES, corpusName, generate } from './gen.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const scale = Number(process.env['BENCH_SCALE'] ?? 0.1);

// bgpcap is loaded from dist/ (built by `npm run build`), typed here with what the benchmark uses.
interface Stats {
  frames: number;
  messages: number;
  stage1Rejected: number;
  stage2Rejected: number;
  stage2Undecoded: number;
  elemsRejected: number;
}
interface PipelineLike {
  frame(f: unknown): void;
  end(): void;
  readonly stats: Stats;
}
interface Filters {
  stage1: unknown;
  stage2: unknown;
}
const dist = (p: string): string => new URL(`dist/${p}`, `file://${root}/`).href;
const { Pipeline } = (await import(dist('pipeline.js'))) as {
  Pipeline: new (emit: (r: unknown) => void, opts: Record<string, unknown>) => PipelineLike;
};
const { parseCaptureBuffer } = (await import(dist('source/open.js'))) as {
  parseCaptureBuffer: (buf: Uint8Array, onFrame: (f: unknown) => void) => unknown;
};
const { buildFilters } = (await import(dist('cli/filter-options.js'))) as { buildFilters: (o: object) => Filters };
const { createFormatter } = (await import(dist('sink/index.js'))) as {
  createFormatter: (o: { format: string; level: string }) => { format(r: unknown): string };
};

const outDir = join(root, 'bench/out');
mkdirSync(outDir, { recursive: true });
const file = join(outDir, corpusName(PROFILES['packed']!, scale));
if (!existsSync(file)) {
  const g = await generate(PROFILES['packed']!, file, scale);
  writeFileSync(`${file}.json`, JSON.stringify(g));
  process.stderr.write(`generated ${file}: ${g.messages['UPDATE']} UPDATEs, ${g.v4Prefixes + g.v6Prefixes} prefixes\n`);
}
const buf = new Uint8Array(readFileSync(file));

interface Case {
  name: string;
  /** Filter options as commander would pass them. */
  opts: Record<string, unknown>;
  /** Format the records as jsonl (strings built, then dropped), at this level; null: records dropped. */
  output: 'msg' | 'elem' | null;
}

interface Result {
  ms: number;
  stats: Stats;
  out: number;
}

function once(c: Case): Result {
  const f = buildFilters(c.opts);
  const fmt = c.output === null ? null : createFormatter({ format: 'jsonl', level: c.output });
  let out = 0;
  const p = new Pipeline(fmt === null ? () => {} : (r) => (out += fmt.format(r).length), {
    stage1: f.stage1,
    stage2: f.stage2,
    filterLevel: c.output ?? 'msg',
  });
  // CPU time of this process, not wall time: the development machine is shared, and other jobs stretch the
  // wall clock far more than they stretch our CPU seconds.
  const t0 = process.cpuUsage();
  parseCaptureBuffer(buf, (fr) => p.frame(fr));
  p.end();
  const t = process.cpuUsage(t0);
  return { ms: (t.user + t.system) / 1000, stats: p.stats, out };
}

function best(c: Case): Result {
  let r = once(c);
  for (let i = 0; i < 4; i++) {
    const x = once(c);
    if (x.ms < r.ms) r = x;
  }
  return r;
}

const CASES: Case[] = [
  { name: 'no filter, decode everything (records dropped)', opts: {}, output: null },
  { name: 'stage 1 rejects every packet before the link layer (--start after the capture)', opts: { start: ['2100000000'] }, output: null },
  { name: 'stage 1 rejects every packet after the link layer (--host 10.0.0.99)', opts: { host: ['10.0.0.99'] }, output: null },
  { name: 'stage 1 keeps 1 session of 4 (--host 10.0.1.1)', opts: { host: ['10.0.1.1'] }, output: null },
  { name: 'no filter, jsonl msg', opts: {}, output: 'msg' },
  { name: 'stage 2 --peer-asn 64501 (1 of 4), jsonl msg', opts: { peerAsn: ['64501'] }, output: 'msg' },
  { name: 'stage 2 --msg-type NOTIFICATION (none), jsonl msg', opts: { msgType: ['NOTIFICATION'] }, output: 'msg' },
  { name: "stage 2 --large-community '*:7:*' (attribute on 30 %), jsonl msg", opts: { largeCommunity: ['*:7:*'] }, output: 'msg' },
  { name: 'stage 2 --community 64501:7 (rare), jsonl msg', opts: { community: ['64501:7'] }, output: 'msg' },
  { name: 'stage 2 --prefix-sub 1.0.0.0/8 (rare), jsonl msg', opts: { prefixSub: ['1.0.0.0/8'] }, output: 'msg' },
  { name: 'no filter, jsonl elem', opts: {}, output: 'elem' },
  { name: 'stage 2 --prefix-sub 1.0.0.0/8 (rare), jsonl elem', opts: { prefixSub: ['1.0.0.0/8'] }, output: 'elem' },
  { name: "stage 2 --filter 'peer_asn 64501 and type A and med < 100', jsonl elem", opts: { filter: ['peer_asn 64501 and type A and med < 100'] }, output: 'elem' },
];

const caseArg = process.argv.indexOf('--case');
if (caseArg >= 0) {
  // Child: one case, best of 5 after a warm-up run, the result as JSON on stdout.
  const c = CASES[Number(process.argv[caseArg + 1])]!;
  once(c);
  process.stdout.write(JSON.stringify(best(c)));
  process.exit(0);
}

const script = fileURLToPath(import.meta.url);
const results = CASES.map((c, i) => {
  const r = spawnSync(process.execPath, [script, '--case', String(i)], { encoding: 'utf8', env: { ...process.env, BENCH_SCALE: String(scale) } });
  if (r.status !== 0) throw new Error(`case ${c.name}: ${r.stderr}`);
  return [c, JSON.parse(r.stdout) as Result] as const;
});
const base = results[0]![1];
const frames = base.stats.frames;
const msgs = base.stats.messages;
const lines: string[] = [];
lines.push(`capture: ${file} (${(buf.length / 1e6).toFixed(1)} MB, ${frames} frames, ${msgs} messages), CPU time, best of 5, one process per case`);
lines.push('case | CPU ms | ns/frame | msgs/s | vs decode everything | vs same output unfiltered | stage 1 rejected | stage 2 rejected (undecoded) | prefixes dropped');
const unfiltered = new Map<string | null, Result>();
for (const [c, r] of results) {
  if (Object.keys(c.opts).length === 0) unfiltered.set(c.output, r);
  const same = unfiltered.get(c.output);
  lines.push(
    [
      c.name,
      r.ms.toFixed(0),
      ((r.ms * 1e6) / frames).toFixed(0),
      Math.round((msgs / r.ms) * 1000).toLocaleString('en-US'),
      `${((r.ms / base.ms) * 100).toFixed(0)} %`,
      same === undefined || same === r ? '' : `${((r.ms / same.ms) * 100).toFixed(0)} %`,
      r.stats.stage1Rejected,
      `${r.stats.stage2Rejected} (${r.stats.stage2Undecoded})`,
      r.stats.elemsRejected,
    ].join(' | '),
  );
}
process.stdout.write(`${lines.join('\n')}\n`);
