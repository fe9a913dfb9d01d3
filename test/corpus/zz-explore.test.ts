import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { it } from 'vitest';
import { diffFields, diffSummaries, mapPool, parseJsonl, runBgpcap, tsharkSummary } from './tshark.js';
it('explore', async () => {
  const dir = '/work/shared/corpus/';
  const idx = JSON.parse(readFileSync(dir + 'index.json', 'utf8')) as { file: string }[];
  const files = [...idx.map((e) => dir + e.file), ...readdirSync('fixtures').filter((f) => /\.pcap/.test(f)).map((f) => 'fixtures/' + f)];
  const only = process.env.ONLY;
  const out: Record<string, string[]> = {};
  await mapPool(files.filter((f) => !only || f.includes(only)), 2, async (f) => {
    const [t, run] = await Promise.all([tsharkSummary(f), runBgpcap('/tmp/bgpcap-dist/dist/cli.js', f, 60000)]);
    const b = parseJsonl(run.stdout);
    const d = [...diffSummaries(t, b), ...diffFields(t.fields, b.fields)];
    if (d.length) out[f.replace(dir, '')] = d;
    if (process.env.DUMP) writeFileSync('/tmp/dump.json', JSON.stringify({ t: t.fields, b: b.fields }, null, 1));
  });
  writeFileSync('/tmp/diffs.json', JSON.stringify(out, null, 1));
}, 600000);
