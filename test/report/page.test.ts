// `bgpcap report` as a user runs it, opened in headless Chromium. Expected numbers come from tshark (an
// independent decoder) for the project's fixtures, and from the hand-written story in scenario.ts for the
// PEERING case (path changes, poisoning, shutdown text, silences).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, haveChromium, type Opened } from './browser.js';
import { EXPECTED, T0, writeScenario } from './scenario.js';
import { bgpStreams, haveTshark, updateFrames } from './tshark.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'dist/cli.js');
const artifacts = join(root, 'test-artifacts');
const tmp = mkdtempSync(join(tmpdir(), 'bgpcap-report-'));
const V4 = join(root, 'fixtures/bird-ipv4-ipv6.pcap');
const ADDPATH = join(root, 'fixtures/bird-addpath.pcap');

function report(args: string[], input?: Buffer): { status: number | null; stderr: string; html: string; out: string } {
  const out = join(tmp, `r${Math.random().toString(36).slice(2)}.html`);
  const r = spawnSync(process.execPath, [cli, 'report', ...args, '-o', out], { input, encoding: 'utf8', env: { ...process.env, CI: '1' }, maxBuffer: 1 << 28 });
  let html = '';
  try {
    html = readFileSync(out, 'utf8');
  } catch {
    // no report written
  }
  return { status: r.status, stderr: r.stderr, html, out };
}

/** The embedded data block, read the way the footer tells scripts to. */
function dataOf(html: string): any {
  const m = /<script type="application\/json" id="bgpcap-data">([\s\S]*?)<\/script>/.exec(html);
  if (m === null) throw new Error('no data block');
  return JSON.parse(m[1]!);
}

let browser: Browser;
beforeAll(async () => {
  if (haveChromium) browser = await Browser.launch();
  mkdirSync(artifacts, { recursive: true });
});
afterAll(async () => {
  if (haveChromium) await browser.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('usage', () => {
  it('needs an input and -o', () => {
    const r = spawnSync(process.execPath, [cli, 'report', '-o', join(tmp, 'x.html')], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/capture files or --from-jsonl/);
    const r2 = spawnSync(process.execPath, [cli, 'report', V4], { encoding: 'utf8' });
    expect(r2.status).toBe(2);
    expect(r2.stderr).toMatch(/--output/);
  });

  it('a missing input is exit 1, and the report of the rest is still written', () => {
    const r = report([V4, join(tmp, 'nope.pcap')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/nope\.pcap: no such file/);
    expect(dataOf(r.html).totals.sessions).toBe(2);
  });
});

describe.skipIf(!haveChromium || !haveTshark)('fixtures/bird-ipv4-ipv6.pcap', () => {
  const frames = haveTshark ? updateFrames(V4) : [];
  const streams = haveTshark ? bgpStreams(V4) : new Map<number, [string, string]>();
  let r: ReturnType<typeof report>;
  let o: Opened;
  beforeAll(async () => {
    r = report([V4, '--prefix', '10.1.150.0/24', '--prefix', '2001:db8:146::/48']);
    expect(r.status).toBe(0);
    o = await browser.open(r.out);
  });

  it('renders without console errors and without any network request', () => {
    expect(o.problems).toEqual([]);
    expect(o.network).toEqual([]);
    expect(r.html).toContain("default-src 'none'");
    expect(r.html).not.toMatch(/<(script|link|img)[^>]+(src|href)="(?!data:)/);
  });

  it('one timeline row and one rate chart per TCP connection tshark sees', async () => {
    expect(streams.size).toBe(2);
    expect(await o.page.locator('#session-timeline .srow').count()).toBe(streams.size);
    expect(await o.page.getAttribute('#session-timeline', 'data-sessions')).toBe(String(streams.size));
    const pairs = await o.page.locator('.rate-chart[data-a]').evaluateAll((els) => els.map((e) => [e.getAttribute('data-a')!, e.getAttribute('data-b')!].sort().join(' ')));
    expect(pairs.sort()).toEqual([...streams.values()].map((p) => p.join(' ')).sort());
  });

  it('rate points: one per second with prefixes, per direction, as tshark counts them', async () => {
    for (const [stream, pair] of streams) {
      const secs = new Set(frames.filter((f) => f.stream === stream && f.announced.length + f.withdrawn.length > 0).map((f) => `${f.src} ${Math.floor(f.time)}`));
      const chart = o.page.locator(`.rate-chart[data-a="${pair[0]}"], .rate-chart[data-a="${pair[1]}"]`);
      expect(await chart.getAttribute('data-points')).toBe(String(secs.size));
    }
    const allSecs = new Set(frames.filter((f) => f.announced.length + f.withdrawn.length > 0).map((f) => Math.floor(f.time)));
    expect(await o.page.getAttribute('.rate-chart[data-session="all"]', 'data-points')).toBe(String(allSecs.size));
  });

  it('announced and withdrawn prefixes per direction match tshark', async () => {
    const d = dataOf(r.html);
    for (const s of d.sessions) {
      for (const [dir, ip] of [['a', s.a.ip], ['b', s.b.ip]] as const) {
        const mine = frames.filter((f) => f.src === ip);
        expect(s.counts[dir].announcements, `${ip} announced`).toBe(mine.reduce((n, f) => n + f.announced.length, 0));
        expect(s.counts[dir].withdrawals, `${ip} withdrew`).toBe(mine.reduce((n, f) => n + f.withdrawn.length, 0));
      }
    }
    const cards = await o.page.locator('#cards .card').allTextContents();
    const ann = frames.reduce((n, f) => n + f.announced.length, 0);
    const wd = frames.reduce((n, f) => n + f.withdrawn.length, 0);
    expect(cards).toContain(`${ann.toLocaleString('en-US')}prefixes announced`);
    expect(cards).toContain(`${wd.toLocaleString('en-US')}prefixes withdrawn`);
  });

  it('shows both NOTIFICATIONs, one with its shutdown communication', async () => {
    const text = await o.page.locator('#sessions-table').textContent();
    expect(text).toContain('Administrative Shutdown: "maintenance: bgpcap fixture"');
    expect(await o.page.locator('#session-timeline .mark-notification').count()).toBe(2);
  });

  it('clicking a prefix shows its history, at the times tshark gives', async () => {
    for (const [prefix, addr] of [['10.1.150.0/24', '10.1.150.0'], ['2001:db8:146::/48', '2001:db8:146::']] as const) {
      await o.page.click(`#prefix-table tr[data-prefix="${prefix}"]`);
      await expect.poll(() => o.page.getAttribute('#prefix-detail', 'data-prefix')).toBe(prefix);
      expect(await o.page.locator('#prefix-detail h3').first().textContent()).toBe(prefix);
      const want = frames.filter((f) => f.announced.includes(addr) || f.withdrawn.includes(addr));
      expect(want.map((f) => f.announced.includes(addr))).toEqual([true, false]); // announced, then withdrawn
      expect(await o.page.locator('#prefix-timeline .ev').count()).toBe(want.length);
      expect(await o.page.locator('#prefix-timeline .ev-A').count()).toBe(1);
      expect(await o.page.locator('#prefix-timeline .ev-W').count()).toBe(1);
      expect(await o.page.locator('#prefix-timeline .pc').count()).toBe(0);
      expect(await o.page.locator('#history-table tbody tr').count()).toBe(want.length);
      const h = dataOf(r.html).prefixes.list.find((x: { prefix: string }) => x.prefix === prefix);
      expect(h.history.map((e: { t: number }) => e.t)).toEqual(want.map((f) => Math.round(f.time * 1e6) / 1e6));
    }
    await o.page.screenshot({ path: join(artifacts, 'report-bird-ipv4-ipv6.png'), fullPage: true });
  });

  it('tables sort and filter in the page', async () => {
    const sessions = o.page.locator('#sessions-table');
    await sessions.locator('input[type=search]').fill('2001:db8');
    await expect.poll(() => sessions.locator('tbody tr').count()).toBe(1);
    await sessions.locator('input[type=search]').fill('');
    await expect.poll(() => sessions.locator('tbody tr').count()).toBe(2);
    const busiest = o.page.locator('#busiest-table');
    const totals = async () => (await busiest.locator('tbody tr td:last-child').allTextContents()).map((x) => Number(x.replace(/,/g, '')));
    const desc = await totals();
    expect(desc).toEqual([...desc].sort((a, b) => b - a));
    await busiest.locator('th', { hasText: 'total' }).click();
    const asc = await totals();
    expect(asc).toEqual([...desc].sort((a, b) => a - b));
  });
});

describe.skipIf(!haveChromium || !haveTshark)('fixtures/bird-addpath.pcap', () => {
  it('keeps ADD-PATH paths apart in the history of 10.1.40.0/24', async () => {
    // tshark -V shows each entry as "10.1.40.0/24 PathId N" under NLRI or Withdrawn Routes.
    const v = spawnSync('tshark', ['-n', '-r', ADDPATH, '-V', '-Y', 'bgp.nlri_prefix == 10.1.40.0 || bgp.withdrawn_prefix == 10.1.40.0'], { encoding: 'utf8', maxBuffer: 1 << 28 });
    const want: { type: string; pathId: number }[] = [];
    const lines = v.stdout.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const m = /^\s+10\.1\.40\.0\/24 PathId (\d+)/.exec(lines[i]!);
      if (m === null) continue;
      const kind = lines.slice(i + 1, i + 5).find((l) => /(NLRI|Withdrawn) prefix:/.test(l))!;
      want.push({ type: kind.includes('Withdrawn') ? 'W' : 'A', pathId: Number(m[1]) });
    }
    expect(want.length).toBeGreaterThanOrEqual(3);
    const r = report([ADDPATH, '--prefix', '10.1.40.0/24']);
    expect(r.status).toBe(0);
    const h = dataOf(r.html).prefixes.list[0];
    expect(h.prefix).toBe('10.1.40.0/24');
    expect(h.history.map((e: { type: string; path_id: number }) => ({ type: e.type, pathId: e.path_id }))).toEqual(want);
    const o = await browser.open(r.out);
    expect(o.problems).toEqual([]);
    expect(o.network).toEqual([]);
    expect(await o.page.locator('#prefix-timeline .ev').count()).toBe(want.length);
    // Two paths of one prefix from one sender are not a path change.
    expect(await o.page.locator('#prefix-timeline .pc').count()).toBe(0);
    const ids = await o.page.locator('#history-table tbody tr td:nth-child(4)').allTextContents();
    expect(ids.map(Number)).toEqual(want.map((w) => w.pathId));
    await o.page.screenshot({ path: join(artifacts, 'report-bird-addpath.png'), fullPage: true });
  });

  it('without --prefix: the most-changed prefixes, from a second pass', async () => {
    const r = report([ADDPATH, '--top', '3']);
    expect(r.status).toBe(0);
    const d = dataOf(r.html);
    expect(d.prefixes.selection).toBe('most-changed');
    expect(d.prefixes.list).toHaveLength(3);
    // Ranked by announcements + withdrawals, which tshark counts too.
    const count = new Map<string, number>();
    for (const f of updateFrames(ADDPATH)) for (const p of [...f.announced, ...f.withdrawn]) count.set(p, (count.get(p) ?? 0) + 1);
    const best = Math.max(...count.values());
    for (const h of d.prefixes.list) expect(h.announcements + h.withdrawals).toBe(best);
    const o = await browser.open(r.out);
    expect(o.problems).toEqual([]);
    await o.page.locator('#prefix-table tr.prefix-row').nth(1).click();
    const p = await o.page.locator('#prefix-table tr.prefix-row').nth(1).getAttribute('data-prefix');
    await expect.poll(() => o.page.getAttribute('#prefix-detail', 'data-prefix')).toBe(p);
    expect(await o.page.locator('#prefix-timeline .ev').count()).toBe(best);
  });
});

describe.skipIf(!haveChromium)('a PEERING post-mortem (scenario.ts)', () => {
  let files: { ams: string; sea: string };
  let r: ReturnType<typeof report>;
  let o: Opened;
  beforeAll(async () => {
    const dir = join(tmp, 'scenario');
    mkdirSync(dir);
    files = writeScenario(dir);
    r = report([files.ams, files.sea, '--prefix', '184.164.236.0/24']);
    expect(r.status).toBe(0);
    o = await browser.open(r.out, '#prefix=184.164.236.0%2F24');
  });

  it('renders without console errors and without any network request', () => {
    expect(o.problems).toEqual([]);
    expect(o.network).toEqual([]);
  });

  it('sessions carry the mux from the file names, with NOTIFICATION text and the silence', async () => {
    const d = dataOf(r.html);
    expect(d.sessions.map((s: { mux: string }) => s.mux)).toEqual(['amsterdam01', 'seattle01']);
    expect(await o.page.locator('#session-timeline .srow').count()).toBe(EXPECTED.sessions);
    expect(await o.page.locator('#session-timeline .mark-notification').count()).toBe(EXPECTED.notifications);
    expect(await o.page.locator('#sessions-table').textContent()).toContain(`"${EXPECTED.shutdownText}"`);
    const silences = await o.page.locator('#session-timeline .srow').evaluateAll((rows) => rows.map((row) => row.querySelectorAll('.mark-silence').length));
    expect(silences).toEqual([EXPECTED.silences.amsterdam01, EXPECTED.silences.seattle01]);
    expect(d.sessions[0].connections[0].established).toBe(T0 + 0.002);
    expect(d.sessions[0].connections[0].hold_time).toBe(90);
  });

  it('rate charts: the expected points per session', async () => {
    expect(await o.page.locator('.rate-chart[data-a="100.69.128.2"]').getAttribute('data-points')).toBe(String(EXPECTED.points.amsterdam01));
    expect(await o.page.locator('.rate-chart[data-a="100.70.128.2"]').getAttribute('data-points')).toBe(String(EXPECTED.points.seattle01));
  });

  it('the prefix history shows every event, the path changes and the poisoned AS', async () => {
    expect(await o.page.getAttribute('#prefix-detail', 'data-prefix')).toBe('184.164.236.0/24');
    expect(await o.page.locator('#prefix-timeline .ev').count()).toBe(EXPECTED.history236);
    expect(await o.page.locator('#prefix-timeline .pc').count()).toBe(EXPECTED.pathChanges236);
    expect(await o.page.locator('#history-table tbody tr.pc').count()).toBe(EXPECTED.pathChanges236);
    const h = dataOf(r.html).prefixes.list[0];
    expect(h.path_changes).toBe(EXPECTED.pathChanges236);
    expect(h.poisoned).toEqual(EXPECTED.poisoned236);
    expect(h.poison_leaks.map((l: { asn: number; session: number }) => ({ asn: l.asn, mux: dataOf(r.html).sessions[l.session].mux }))).toEqual(EXPECTED.leaks236);
    // The graph: AS3356 once as a poison, once as the upstream that passed the route on; 47065 as mux and origin.
    expect(await o.page.locator('#as-graph .node.role-poison').evaluateAll((n) => n.map((x) => x.getAttribute('data-asn')))).toEqual(['3356']);
    expect(await o.page.locator('#as-graph .node.leak').evaluateAll((n) => n.map((x) => x.getAttribute('data-asn')))).toEqual(['3356']);
    expect(await o.page.locator('#as-graph .node.role-origin').evaluateAll((n) => n.map((x) => x.getAttribute('data-asn')))).toEqual(['47065']);
    await expect.poll(() => o.page.locator('.warnbox').textContent()).toContain('AS3356');
    await o.page.screenshot({ path: join(artifacts, 'report-peering-scenario.png'), fullPage: true });
  });

  it('the slider replays the history: after the last event every path is withdrawn', async () => {
    const slider = o.page.locator('#prefix-detail input[type=range]');
    await slider.fill(String(EXPECTED.history236 - 1));
    expect(await o.page.locator('#as-graph .active-path').count()).toBe(0);
    await slider.fill('0');
    // After the first announcement (empty path from the client, drawn as its own AS): one path in use.
    expect(await o.page.locator('#as-graph .active-path').count()).toBe(1);
  });
});

describe.skipIf(!haveChromium)('verify results in the report', () => {
  it('the same verdicts as bgpcap verify, per mux, run in-process or read from its output', async () => {
    const dir = join(tmp, 'verify');
    mkdirSync(dir);
    const { ams, sea } = writeScenario(dir);
    const ann = join(dir, 'announcement.json');
    writeFileSync(ann, JSON.stringify({ '184.164.236.0/24': { announce: [{ muxes: ['amsterdam01', 'seattle01'] }] } }));
    const v = spawnSync(process.execPath, [cli, 'verify', '-f', 'jsonl', '--announcement', ann, ams, sea], { encoding: 'utf8' });
    const verdicts = v.stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l));
    expect(verdicts.length).toBe(2);
    const vfile = join(dir, 'v.jsonl');
    writeFileSync(vfile, v.stdout);
    for (const args of [['--verify-announcement', ann], ['--verdicts', vfile]]) {
      const r = report([ams, sea, ...args]);
      expect(r.status, r.stderr).toBe(0);
      const d = dataOf(r.html);
      expect(d.verify.verdicts).toEqual(verdicts);
      if (args[0] === '--verify-announcement') expect(d.verify.exit_status).toBe(v.status);
      const o = await browser.open(r.out);
      expect(o.problems).toEqual([]);
      expect(o.network).toEqual([]);
      const rows = await o.page.locator('#verify-table tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.children[0]!.textContent, tr.children[3]!.textContent]));
      expect(rows.sort()).toEqual(verdicts.map((x: { mux: string; iface: string; status: string }) => [`${x.mux} (${x.iface})`, x.status]).sort());
      // Every difference verify reports is on the page, word for word.
      const text = await o.page.locator('#verify-table').textContent();
      for (const x of verdicts) for (const c of x.checks) if (c.status !== 'ok') expect(text).toContain(c.message);
      if (args[0] === '--verify-announcement') await o.page.locator('#verify').screenshot({ path: join(artifacts, 'report-verify.png') });
    }
  });

  it('verify options are checked before anything is read', () => {
    const r = report([V4, '--verdicts', join(tmp, 'none.jsonl')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--verdicts .*no such file/);
    const r2 = report(['--from-jsonl', V4, '--verify-peering', tmp]);
    expect(r2.status).toBe(2);
  });
});

describe.skipIf(!haveChromium)('JSON lines input', () => {
  it('--from-jsonl (msg and elem level, from stdin) gives the same data as the capture', () => {
    const direct = dataOf(report([V4, '--prefix', '10.1.150.0/24']).html);
    for (const level of ['msg', 'elem']) {
      const j = spawnSync(process.execPath, [cli, 'read', '-f', 'jsonl', '-l', level, V4], { maxBuffer: 1 << 28 });
      const r = report(['--from-jsonl', '-', '--prefix', '10.1.150.0/24'], j.stdout);
      expect(r.status, r.stderr).toBe(0);
      const d = dataOf(r.html);
      expect(d.totals.announcements).toBe(direct.totals.announcements);
      expect(d.totals.withdrawals).toBe(direct.totals.withdrawals);
      // (At elem level every prefix is its own record, so only prefix counts compare, not UPDATE counts.)
      const prefixCounts = (x: any) => x.sessions.map((s: any) => [s.counts.a.announcements, s.counts.a.withdrawals, s.counts.b.announcements, s.counts.b.withdrawals]);
      expect(prefixCounts(d)).toEqual(prefixCounts(direct));
      const points = (x: any) => x.rates.series.map((s: any) => [s.session, s.dir, s.t, s.announcements, s.withdrawals]);
      expect(points(d)).toEqual(points(direct));
      expect(d.prefixes.list[0].history).toEqual(direct.prefixes.list[0].history);
    }
  });

  it('text from the wire cannot break out of the page', async () => {
    // A shutdown communication and a file name carrying markup: shown as text, never run.
    const evil = '</script><script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">';
    const base = { v: 1, frame: 1, file: evil, iface: null, mux: null, peer_ip: '192.0.2.1', peer_asn: 65001, local_ip: '192.0.2.2', local_asn: 65002, src_port: 179, dst_port: 40000 };
    const lines = [
      { ...base, timestamp: 1700000000.5, msg_type: 'KEEPALIVE', length: 19 },
      {
        ...base,
        timestamp: 1700000001.5,
        msg_type: 'NOTIFICATION',
        length: 21,
        notification: { code: 6, subcode: 2, code_name: 'Cease', subcode_name: 'Administrative Shutdown', shutdown_message: evil, data: '' },
      },
    ];
    const file = join(tmp, 'evil.jsonl');
    writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    const r = report(['--from-jsonl', file, '--title', evil]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.html.match(/<script/g)).toHaveLength(2);
    const o = await browser.open(r.out);
    expect(o.problems).toEqual([]);
    expect(o.network).toEqual([]);
    expect(await o.page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await o.page.locator('#sessions-table').textContent()).toContain(evil);
    expect(await o.page.title()).toBe(evil);
  });
});
