// Large input stays usable: a synthetic full-table-sized capture (bench/gen.ts, bird profile: one prefix per
// UPDATE as BIRD sends a full table) gives a report under 20 MB that opens in a few seconds. The expected
// counts are the generator's own ground truth.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { generate, PROFILES } from '../../bench/gen.js';
import { Browser, haveChromium } from './browser.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'dist/cli.js');
const tmp = mkdtempSync(join(tmpdir(), 'bgpcap-report-large-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe.skipIf(!haveChromium)('a full-table-sized capture', () => {
  it('300,000 UPDATEs: report < 20 MB, opens in a few seconds, counts as generated', async () => {
    const pcap = join(tmp, 'bird.pcap');
    // Scale 0.25 of the bird profile's 1,000,000 + 200,000 prefixes: 300,000 UPDATEs over 4 sessions.
    const info = await generate(PROFILES['bird']!, pcap, 0.25);
    expect(info.messages['UPDATE']).toBeGreaterThanOrEqual(300_000);
    const out = join(tmp, 'report.html');
    const t0 = Date.now();
    const r = spawnSync(process.execPath, [cli, 'report', pcap, '-o', out], { encoding: 'utf8', env: { ...process.env, CI: '1' } });
    const buildMs = Date.now() - t0;
    expect(r.status, r.stderr).toBe(0);
    const size = statSync(out).size;
    expect(size).toBeLessThan(20 * 1024 * 1024);

    const browser = await Browser.launch();
    try {
      const o = await browser.open(out);
      expect(o.problems).toEqual([]);
      expect(o.network).toEqual([]);
      expect(o.readyMs).toBeLessThan(5000);
      const d = (await o.page.evaluate(() => JSON.parse((globalThis as any).document.getElementById('bgpcap-data').textContent))) as any;
      expect(d.totals.sessions).toBe(info.sessions);
      expect(d.totals.announcements).toBe(info.v4Prefixes + info.v6Prefixes);
      expect(await o.page.locator('#session-timeline .srow').count()).toBe(info.sessions);
      expect(d.prefixes.list).toHaveLength(10);
      // Clicking through still answers quickly with this much data behind the page.
      const row = o.page.locator('#prefix-table tr.prefix-row').nth(3);
      const p = await row.getAttribute('data-prefix');
      await row.click();
      await expect.poll(() => o.page.getAttribute('#prefix-detail', 'data-prefix')).toBe(p);
      mkdirSync(join(root, 'test-artifacts'), { recursive: true });
      await o.page.screenshot({ path: join(root, 'test-artifacts', 'report-full-table.png'), fullPage: true });
      console.log(`report of ${info.messages['UPDATE']} UPDATEs (${(info.bytes / 1e6).toFixed(0)} MB pcap): built in ${buildMs} ms, ${(size / 1e6).toFixed(2)} MB, ready in Chromium in ${o.readyMs} ms`);
    } finally {
      await browser.close();
    }
  }, 240_000);
});
