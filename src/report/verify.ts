// The report's Verify section: the verdicts of `bgpcap verify`, per mux and prefix.
//
// To show "the same verdicts as bgpcap verify" the report does not judge anything itself: it either runs
// `bgpcap verify -f jsonl` (the same program, as a child process, on the same captures) or reads verdict
// lines that verify wrote earlier (--verdicts). The records are kept exactly as verify wrote them
// (schema/verdict.schema.json); the page draws its table from them.

import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { VERDICT_SCHEMA_VERSION, type VerdictRecord } from '../verify/verdict.js';
import type { VerifySection } from './model.js';

/** Verdict records from JSON lines; other lines are counted, not guessed at. */
export function verdictsFromLines(lines: Iterable<string>): { verdicts: VerdictRecord[]; skipped: number } {
  const verdicts: VerdictRecord[] = [];
  let skipped = 0;
  for (const line of lines) {
    if (line.trim() === '') continue;
    let o: unknown;
    try {
      o = JSON.parse(line);
    } catch {
      skipped++;
      continue;
    }
    const r = o as Partial<VerdictRecord> | null;
    if (r === null || typeof r !== 'object' || r.kind !== 'verdict' || typeof r.v !== 'number' || r.v > VERDICT_SCHEMA_VERSION) {
      skipped++;
      continue;
    }
    verdicts.push(r as VerdictRecord);
  }
  return { verdicts, skipped };
}

/** Verdicts written by `bgpcap verify -f jsonl` to a file ('-': standard input). */
export async function readVerdictFile(path: string): Promise<VerifySection> {
  const rl = createInterface({ input: path === '-' ? process.stdin : createReadStream(path), crlfDelay: Infinity });
  const lines: string[] = [];
  for await (const l of rl) lines.push(l);
  const { verdicts, skipped } = verdictsFromLines(lines);
  const messages = skipped > 0 ? [`${path}: ${skipped} lines are not verdict records (bgpcap verify -f jsonl writes them)`] : [];
  return { source: `verdicts read from ${path === '-' ? 'standard input' : path}`, exit_status: null, verdicts, messages };
}

/**
 * Run `bgpcap verify -f jsonl ARGS` with this very program (`cli` is dist/cli.js) and collect its verdicts
 * and what it said on stderr. Exit 0, 1 and 2 are all answers (as intended, differs, could not check).
 */
export function runVerifyChild(cli: string, args: readonly string[]): Promise<VerifySection> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, 'verify', '-f', 'jsonl', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => {
      const { verdicts, skipped } = verdictsFromLines(Buffer.concat(out).toString('utf8').split('\n'));
      const messages = Buffer.concat(err)
        .toString('utf8')
        .split('\n')
        .map((l) => l.replace(/^bgpcap: /, ''))
        .filter((l) => l.trim() !== '');
      if (skipped > 0) messages.push(`${skipped} output lines of bgpcap verify were not verdict records`);
      resolve({ source: `bgpcap verify ${args.map(shellWord).join(' ')}`, exit_status: code, verdicts, messages });
    });
  });
}

function shellWord(s: string): string {
  return /^[A-Za-z0-9_./:,=@+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
