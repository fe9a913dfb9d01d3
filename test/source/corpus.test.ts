// Differential test against tshark on the shared corpus of real captures: for every file, the frame count and,
// frame by frame, the timestamp (frame.time_epoch, to the nanosecond), the original and captured lengths, and
// the MD5 of the captured bytes must be what tshark reports.

import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCapture } from '../../src/source/open.js';

const corpus = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));
const haveCorpus = existsSync(corpus);
const haveTshark = existsSync('/usr/bin/tshark');

function corpusFiles(): string[] {
  if (!haveCorpus) return [];
  const out: string[] = [];
  for (const d of readdirSync(corpus).sort()) {
    const dir = join(corpus, d);
    if (!statSync(dir).isDirectory()) continue;
    for (const f of readdirSync(dir).sort()) out.push(join(d, f));
  }
  return out;
}

interface Row {
  frameNo: number;
  epoch: string;
  len: number;
  caplen: number;
  md5: string;
}

function tshark(path: string): Promise<Row[]> {
  const args = ['-r', path, '-o', 'frame.generate_md5_hash:TRUE', '-T', 'fields'];
  for (const f of ['frame.number', 'frame.time_epoch', 'frame.len', 'frame.cap_len', 'frame.md5_hash']) args.push('-e', f);
  return new Promise((resolve, reject) => {
    execFile('tshark', args, { maxBuffer: 256 * 1024 * 1024 }, (err, stdout) => {
      if (err) return reject(err);
      const rows = stdout
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => {
          const [n, epoch, len, caplen, md5] = l.split('\t');
          return { frameNo: Number(n), epoch: epoch!, len: Number(len), caplen: Number(caplen), md5: md5! };
        });
      resolve(rows);
    });
  });
}

/** tshark prints seconds.nanoseconds with 9 digits; build the same text from our integers. */
function epochText(sec: number, nsec: number): string {
  return `${sec}.${String(nsec).padStart(9, '0')}`;
}

const files = corpusFiles();

describe.skipIf(!haveCorpus || !haveTshark)('corpus vs tshark (skipped when ../shared/corpus or tshark is absent)', () => {
  const expected = new Map<string, Row[]>();

  beforeAll(async () => {
    // Two tshark processes at a time: each takes ~0.2 s, mostly start-up.
    const queue = [...files];
    const worker = async (): Promise<void> => {
      for (let f = queue.shift(); f !== undefined; f = queue.shift()) expected.set(f, await tshark(join(corpus, f)));
    };
    await Promise.all([worker(), worker()]);
  }, 300_000);

  it('finds the corpus', () => {
    expect(files.length).toBeGreaterThan(50);
  });

  it.each(files)('%s', async (f) => {
    const rows: Row[] = [];
    const summary = await readCapture(join(corpus, f), (fr) => {
      rows.push({
        frameNo: fr.frameNo,
        epoch: epochText(fr.ts.sec, fr.ts.nsec),
        len: fr.origLen,
        caplen: fr.data.length,
        md5: createHash('md5').update(fr.data).digest('hex'),
      });
    });
    const want = expected.get(f)!;
    expect(summary.frames).toBe(want.length);
    expect(rows.length).toBe(want.length);
    expect(rows[0]).toEqual(want[0]);
    expect(rows.at(-1)).toEqual(want.at(-1));
    expect(rows).toEqual(want);
    expect(summary.compressed).toBe(f.endsWith('.gz'));
  });
});
