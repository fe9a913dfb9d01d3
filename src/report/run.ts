// Inputs → records → ReportBuilder, in one or two passes.
//
//   prefixes given (--prefix): one pass; histories are collected as the records go by.
//   otherwise:                 pass 1 builds everything and counts every prefix; the most-changed are chosen;
//                              pass 2 reads the same input again for their histories only. Standard input
//                              is first copied to a temporary file so it can be read twice.
//
// Captures go through the same Pipeline as `bgpcap read` (filters, mux labels from `<mux>.<tapN>.pcap`);
// JSON lines written by bgpcap (`read -f jsonl`, `consume -f jsonl`, msg or elem level) are turned back into
// records by kafka/record-json.ts and filtered with both filter stages as record filters.

import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pipeline as streamPipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { Pipeline } from '../pipeline.js';
import { SCHEMA_VERSION, type BgpRecord } from '../record.js';
import { readCapture } from '../source/open.js';
import { CaptureError } from '../source/errors.js';
import type { Stage1Filter } from '../filter/stage1.js';
import { and, type Node } from '../filter/expr/ast.js';
import { elemsOf, Stage2Filter } from '../filter/stage2.js';
import { keepElems } from '../sink/elem.js';
import { recordFromJson } from '../kafka/record-json.js';
import { labelsFromCaptureName } from '../peering/capture-names.js';
import type { ReassemblyOptions } from '../tcp/reassembler.js';
import { ReportBuilder, type ReportOptions } from './aggregate.js';
import type { ReportData } from './model.js';

export interface ReportInput {
  kind: 'capture' | 'jsonl';
  /** File path, or '-' for standard input. */
  path: string;
}

export interface RunOptions {
  report: Partial<ReportOptions>;
  ports: ReadonlySet<number>;
  reassembly: Partial<ReassemblyOptions>;
  stage1: Stage1Filter | null;
  stage2: Stage2Filter | null;
}

export interface RunResult {
  data: ReportData;
  /** One line per input that could not be read completely (the report has everything before the damage). */
  problems: string[];
  /** JSON lines skipped: not JSON, not a bgpcap record, or a newer schema version. */
  skippedLines: number;
}

/** Read every input once, handing each record to `onRecord`. Returns the read problems. */
async function readAll(inputs: readonly ReportInput[], o: RunOptions, onRecord: (r: BgpRecord) => void, skipped: { n: number }): Promise<string[]> {
  const problems: string[] = [];
  const captures = inputs.filter((i) => i.kind === 'capture');
  if (captures.length > 0) {
    const muxByIface = new Map<string, string>();
    const pipe = new Pipeline(onRecord, {
      ports: o.ports,
      stage1: o.stage1,
      stage2: o.stage2,
      // Per-prefix filtering, as `read --level elem` does it: the builder visits only the prefixes kept.
      filterLevel: 'elem',
      muxOf: (iface) => (iface === null ? null : (muxByIface.get(iface) ?? null)),
      reassembly: o.reassembly,
    });
    for (const inp of captures) {
      pipe.beginFile(inp.path);
      const labels = labelsFromCaptureName(inp.path);
      if (labels !== null) muxByIface.set(labels.iface, labels.mux);
      const tap = labels === null ? null : labels.iface;
      try {
        await readCapture(inp.path, tap === null ? (f) => pipe.frame(f) : (f) => {
          if (f.iface === null) f.iface = tap;
          pipe.frame(f);
        });
      } catch (err) {
        problems.push(problemText(inp.path, err));
      }
    }
    pipe.end();
  }
  const jf = jsonFilter(o);
  for (const inp of inputs) {
    if (inp.kind !== 'jsonl') continue;
    try {
      await readJsonl(inp.path, jf, onRecord, skipped);
    } catch (err) {
      problems.push(problemText(inp.path, err));
    }
  }
  return problems;
}

function problemText(path: string, err: unknown): string {
  if (err instanceof CaptureError) return `${err.file ?? path}: ${err.message} (at byte ${err.offset})`;
  const e = err as NodeJS.ErrnoException;
  if (e instanceof Error && typeof e.code === 'string') {
    if (e.code === 'ENOENT') return `${path}: no such file`;
    if (e.code === 'EACCES') return `${path}: permission denied`;
    if (e.code === 'EISDIR') return `${path}: is a directory`;
    if (e.code === 'Z_DATA_ERROR' || e.code === 'Z_BUF_ERROR') return `${path}: corrupt gzip data`;
    return `${path}: ${e.code}: ${e.message}`;
  }
  throw err;
}

/** Both filter stages as one record filter: in JSON every packet key is a record field. */
function jsonFilter(o: RunOptions): Stage2Filter | null {
  const parts: Node[] = [];
  if (o.stage1 !== null) parts.push(o.stage1.expr);
  if (o.stage2 !== null) parts.push(o.stage2.expr);
  if (parts.length === 0) return null;
  return new Stage2Filter(parts.length === 1 ? parts[0]! : and(parts));
}

async function readJsonl(path: string, f: Stage2Filter | null, onRecord: (r: BgpRecord) => void, skipped: { n: number }): Promise<void> {
  const raw = path === '-' ? process.stdin : createReadStream(path);
  const input = path.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
  if (input !== raw) raw.on('error', (e: Error) => input.destroy(e));
  const rl = createInterface({ input, crlfDelay: Infinity });
  for await (const line of rl) {
    if (line.length === 0 || line.trim() === '') continue;
    let o: unknown;
    try {
      o = JSON.parse(line);
    } catch {
      skipped.n++;
      continue;
    }
    const v = (o as { v?: unknown } | null)?.v;
    if (typeof v === 'number' && v > SCHEMA_VERSION) {
      skipped.n++;
      continue;
    }
    const res = recordFromJson(o, line);
    if ('problem' in res) {
      skipped.n++;
      continue;
    }
    const r = res.record;
    if (f !== null) {
      if (!f.record(r)) continue;
      const m = elemsOf(r);
      if (m !== null) keepElems(m, (e) => f.elem(r, e));
    }
    try {
      onRecord(r);
    } catch {
      // A hand-made or foreign record missing parts a decoded one always has: skipped and counted, the
      // report goes on.
      skipped.n++;
    }
  }
}

/** Copy standard input to a temporary file (so it can be read twice); returns its path and a cleanup. */
async function spoolStdin(): Promise<{ path: string; cleanup: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'bgpcap-report-'));
  const path = join(dir, 'stdin');
  await streamPipeline(process.stdin, createWriteStream(path));
  return { path, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Build the report data from the inputs (see the top of this file for the passes). */
export async function runReport(inputs: readonly ReportInput[], o: RunOptions): Promise<RunResult> {
  const b = new ReportBuilder(o.report);
  const twoPass = (o.report.historyFor ?? null) === null;
  const skipped = { n: 0 };
  let spool: { path: string; cleanup: () => void } | null = null;
  let list = inputs;
  try {
    if (twoPass && inputs.some((i) => i.path === '-')) {
      spool = await spoolStdin();
      const p = spool.path;
      list = inputs.map((i) => (i.path === '-' ? { kind: i.kind, path: p } : i));
    }
    const problems = await readAll(list, o, (r) => b.record(r), skipped);
    if (twoPass && b.selectTop()) {
      // The second pass reads what the first read; its problems were already reported.
      await readAll(list, o, (r) => b.history(r), { n: 0 });
    }
    const data = b.finish();
    if (spool !== null) {
      const tmp = spool.path;
      data.inputs = data.inputs.map((x) => (x === tmp ? '-' : x));
      for (const e of data.events) if (e.file === tmp) e.file = '-';
    }
    if (skipped.n > 0) data.notes.push(`${skipped.n} input lines were skipped: not JSON, not a bgpcap record, or a newer schema version.`);
    for (const p of problems) data.notes.push(`Input not read completely: ${p}.`);
    return { data, problems, skippedLines: skipped.n };
  } finally {
    spool?.cleanup();
  }
}
