// The lab (lab.sh, README.md here): a PEERING client with BIRD as AS 47065, OpenVPN tunnels to two muxes,
// upstreams AS 3356, 174, 2914 and a collector, all in network namespaces this file creates and removes.
// Needs root, iproute2, bird2, openvpn, openssl, tcpdump and tshark; skips with the reason otherwise.
//
// What is checked, and against what:
//   - live capture vs a tcpdump capture on the same taps at the same time, the tcpdump files decoded by tshark
//     (an independent decoder): the same messages per type and the same prefixes, per mux;
//   - the AS paths on the wire against the worked examples of PEERING.md §3.4 (`-P 2` → 47065 47065, `-p 3356`
//     → 3356 47065, `-o 61574 -P 2 -p 3356` → 61574 3356 61574 61574), and poisoning: the prefix comes back
//     through the other mux and never with 3356 left of the first 47065;
//   - two muxes at once, each record labelled with the mux that var/mux2dev.txt names for its tap, and carrying
//     that mux's addresses; a tunnel taken down and up during the capture; SIGINT flushes and prints statistics;
//   - `bgpcap peering status` against what the lab set up (addresses pushed by the OpenVPN servers);
//   - a full table (500,000 routes) streamed by a mux, captured live with no packet dropped anywhere.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffSummaries, parseJsonl, parsePdml } from '../corpus/tshark.js';
import { cli, inNs, jsonLines, live, sleep, type Proc } from '../live/harness.js';
import { useLab } from './harness.js';

const { skip, W, CL, CLIENT_NS, lab } = useLab('lab', ['bird', 'birdc', 'openvpn', 'openssl', 'tcpdump', 'tshark', 'bash']);
// The lab's muxes (lab.sh): name → tap and the addresses of its tunnel subnet.
// The client's own tap addresses are the ones the lab's OpenVPN servers push (lab.sh, ccd).
const MUXES = {
  amsterdam01: { tap: 'tap5', v4: '100.69.', v6: '2804:269c:ff00:5:', client: ['100.69.128.2', '2804:269c:ff00:5:2::2'] },
  seattle01: { tap: 'tap1', v4: '100.65.', v6: '2804:269c:ff00:1:', client: ['100.65.128.2', '2804:269c:ff00:1:2::2'] },
} as const;
type MuxName = keyof typeof MUXES;

async function listening(p: Proc, ...what: string[]): Promise<void> {
  await p.until(`listening on ${what.join(', ')}`, (_, e) => what.every((w) => e.includes(`listening on ${w}`)));
}

function tshark(file: string, t0: number, t1: number): ReturnType<typeof parsePdml> {
  const r = spawnSync('tshark', ['-n', '-r', file, '-Y', `bgp && frame.time_epoch >= ${t0.toFixed(6)} && frame.time_epoch <= ${t1.toFixed(6)}`, '-T', 'pdml'], {
    encoding: 'utf8',
    maxBuffer: 512 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`tshark: ${r.stderr}`);
  return parsePdml(r.stdout);
}

type Rec = Record<string, unknown>;

describe.skipIf(skip !== null)(`lab: PEERING client, two muxes, upstreams${skip === null ? '' : ` (skipped: ${skip})`}`, () => {
  it('live capture sees exactly what tcpdump saw on the same taps at the same time', async () => {
    const dir = mkdtempSync(join(W, 'cmp-'));
    const dumps = Object.values(MUXES).map((m) =>
      inNs(CLIENT_NS, 'tcpdump', ['-n', '-i', m.tap, '-s', '0', '-U', '-w', join(dir, `${m.tap}.pcap`), 'tcp port 179']),
    );
    const lv = live(CLIENT_NS, ['--peering', CL, '-f', 'jsonl']);
    await Promise.all(dumps.map((d, i) => d.until('tcpdump', (_, e) => e.includes(`listening on ${Object.values(MUXES)[i]!.tap}`))));
    await listening(lv, 'tap5', 'tap1');
    await sleep(300);
    const t0 = Date.now() / 1000;
    lab('announce', '184.164.236.0/24', '-m', 'amsterdam01', '-P', '2');
    lab('announce', '184.164.237.0/24', '-m', 'amsterdam01', '-p', '3356', '-c', '47065,1001', '-l', '47065,1,2');
    lab('announce', '2804:269c:1::/48', '-m', 'seattle01', '-o', '61574', '-P', '2', '-p', '3356');
    await sleep(1500);
    lab('withdraw', '184.164.236.0/24');
    await sleep(1500);
    const t1 = Date.now() / 1000;
    await sleep(300);
    const f = await lv.stop('SIGINT');
    for (const d of dumps) await d.stop('SIGINT');
    expect(f.code).toBe(0);
    const recs = jsonLines(f.stdout);
    const inWindow = (r: Rec): boolean => typeof r['timestamp'] === 'number' && r['timestamp'] >= t0 && r['timestamp'] <= t1;
    for (const [mux, m] of Object.entries(MUXES)) {
      const mine = recs.filter((r) => r['mux'] === mux && inWindow(r));
      const ours = parseJsonl(mine.map((r) => JSON.stringify(r)).join('\n'));
      const theirs = tshark(join(dir, `${m.tap}.pcap`), t0, t1);
      expect(diffSummaries(theirs, ours), `${mux}: bgpcap live vs tcpdump+tshark`).toEqual([]);
      expect(ours.counts.UPDATE).toBeGreaterThan(0);
    }

    const updates = recs.filter((r) => r['msg_type'] === 'UPDATE');
    // An UPDATE the client sent to a mux (its source is the client's tap address) announcing the prefix.
    const sent = (mux: MuxName, prefix: string): Rec | undefined =>
      updates.find(
        (r) =>
          r['mux'] === mux && (MUXES[mux].client as readonly string[]).includes(r['peer_ip'] as string) && JSON.stringify(r['announcements']).includes(`"${prefix}"`),
      );
    // PEERING.md §3.4: the AS_PATH on the tap, client → mux.
    expect(sent('amsterdam01', '184.164.236.0/24')?.['as_path']).toEqual([47065, 47065]);
    const poisoned = sent('amsterdam01', '184.164.237.0/24');
    expect(poisoned?.['as_path']).toEqual([3356, 47065]);
    expect(poisoned?.['communities']).toEqual(['47065:1001']);
    expect(poisoned?.['large_communities']).toEqual(['47065:1:2']);
    expect(sent('seattle01', '2804:269c:1::/48')?.['as_path']).toEqual([61574, 3356, 61574, 61574]);
    // The withdrawal is on both taps: sent to amsterdam01, and seattle01 withdraws the copy that had come back.
    const withdrew = (mux: MuxName, fromClient: boolean): boolean =>
      updates.some(
        (r) =>
          r['mux'] === mux &&
          (MUXES[mux].client as readonly string[]).includes(r['peer_ip'] as string) === fromClient &&
          JSON.stringify(r['withdrawals']).includes('"184.164.236.0/24"'),
      );
    expect(withdrew('amsterdam01', true)).toBe(true);
    expect(withdrew('seattle01', false)).toBe(true);
    // Poisoning: the prefix comes back through the other mux, never through 3356 (left of our first 47065).
    const back = updates.filter(
      (r) => r['mux'] === 'seattle01' && (r['peer_ip'] as string) === '100.65.128.1' && JSON.stringify(r['announcements']).includes('"184.164.237.0/24"'),
    );
    expect(back.length).toBeGreaterThan(0);
    for (const r of back) {
      const path = r['as_path'] as number[];
      const first = path.indexOf(47065);
      expect(first).toBeGreaterThan(0);
      expect(path.slice(0, first)).not.toContain(3356);
      expect(path.slice(first)).toEqual([47065, 3356, 47065]);
    }
  }, 60_000);

  it('two muxes at once, each record labelled with its mux; a tunnel goes down and comes back; Ctrl-C flushes', async () => {
    const summary = join(W, 'two-muxes.json');
    const lv = live(CLIENT_NS, ['--peering', CL, '-f', 'jsonl', '--summary', summary, '--poll-interval', '250']);
    await listening(lv, 'tap5', 'tap1');
    lab('tunnel-down', 'seattle01');
    await lv.until('the loss of tap1', (_, e) => e.includes('tap1 (mux seattle01): interface gone'));
    // The other tunnel keeps being captured meanwhile.
    lab('announce', '184.164.238.0/24', '-m', 'amsterdam01');
    await lv.until('the announcement on amsterdam01', (o) => o.includes('"184.164.238.0/24"'));
    lab('tunnel-up', 'seattle01');
    await lv.until('tap1 again', (_, e) => e.includes('capturing again on tap1 (mux seattle01)'));
    lab('wait', '40');
    // The new sessions' OPENs, after the iface_up record.
    await lv.until('OPENs on tap1 after iface_up', (o) => {
      const up = o.indexOf('"event":"iface_up"');
      return up >= 0 && /"iface":"tap1","mux":"seattle01"[^\n]*"msg_type":"OPEN"/.test(o.slice(up));
    });
    const f = await lv.stop('SIGINT');
    expect(f.code).toBe(0);
    expect(f.stderr).toMatch(/\ntap5\s+amsterdam01\s+\d+\s+0\s+0\s+0\s+\d+/);
    expect(f.stderr).toMatch(/\ntap1\s+seattle01\s+\d+\s+0\s+0\s+0\s+\d+/);
    const recs = jsonLines(f.stdout);
    const mux2dev = new Map(
      readFileSync(join(CL, 'var/mux2dev.txt'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => l.split(' ').reverse() as [string, string]),
    );
    for (const r of recs) {
      expect(r['mux']).toBe(mux2dev.get(r['iface'] as string));
      const m = MUXES[r['mux'] as MuxName];
      for (const ip of [r['peer_ip'], r['local_ip']]) if (ip !== null) expect((ip as string).startsWith((ip as string).includes(':') ? m.v6 : m.v4)).toBe(true);
    }
    expect(recs.some((r) => r['mux'] === 'amsterdam01')).toBe(true);
    expect(recs.find((r) => r['event'] === 'iface_down')).toMatchObject({ iface: 'tap1', mux: 'seattle01' });
    expect(recs.find((r) => r['event'] === 'iface_up')).toMatchObject({ iface: 'tap1', mux: 'seattle01' });
    const s = JSON.parse(readFileSync(summary, 'utf8')) as { interfaces: { iface: string; detached: number; droppedKernel: number }[] };
    expect(s.interfaces.find((i) => i.iface === 'tap1')?.detached).toBe(1);
    expect(s.interfaces.find((i) => i.iface === 'tap5')?.detached).toBe(0);
    lab('withdraw', '184.164.238.0/24');
  }, 60_000);

  it('bgpcap peering status shows the true state of each tunnel', async () => {
    const status = (...extra: string[]): { muxes: Rec[] } => {
      const r = spawnSync('ip', ['netns', 'exec', CLIENT_NS, process.execPath, cli, 'peering', 'status', '--peering', CL, '--json', ...extra], {
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as { muxes: Rec[] };
    };
    const by = (s: { muxes: Rec[] }, mux: string): Rec => s.muxes.find((m) => m['mux'] === mux)!;
    let s = status();
    // The addresses the lab's OpenVPN servers push (ccd), the neighbours the lab's BIRD configs name.
    expect(by(s, 'amsterdam01')).toMatchObject({ tap: 'tap5', up: true, neighbor4: '100.69.128.1', neighbor6: '2804:269c:ff00:5:1::1', notes: [] });
    expect(by(s, 'amsterdam01')['localAddresses']).toEqual(expect.arrayContaining(['100.69.128.2/16', '2804:269c:ff00:5:2::2/64']));
    expect(by(s, 'seattle01')['localAddresses']).toEqual(expect.arrayContaining(['100.65.128.2/16', '2804:269c:ff00:1:2::2/64']));
    for (const mux of Object.keys(MUXES)) {
      expect(by(s, mux)['openvpn']).toMatchObject({ state: 'CONNECTED' });
      expect(by(s, mux)['bgp4']).toMatchObject({ bgpState: 'Established' });
      expect(by(s, mux)['bgp6']).toMatchObject({ bgpState: 'Established' });
    }
    // Down cleanly: the down script ran, the tap is gone.
    lab('tunnel-down', 'seattle01');
    s = status();
    expect(by(s, 'seattle01')).toMatchObject({ up: false, notes: [], openvpn: null });
    expect((by(s, 'seattle01')['updown'] as Rec)['state']).toBe('down');
    expect(by(s, 'amsterdam01')['up']).toBe(true);
    // Killed: no down script, var/seattle01.updown still says up.
    lab('tunnel-up', 'seattle01');
    const pid = Number(readFileSync(join(CL, 'var/seattle01.pid'), 'utf8'));
    process.kill(pid, 'SIGKILL');
    for (let i = 0; i < 50 && spawnSync('ip', ['-n', CLIENT_NS, 'link', 'show', 'tap1'], { stdio: 'ignore' }).status === 0; i++) await sleep(100);
    s = status('--no-sockets');
    expect(by(s, 'seattle01')).toMatchObject({ up: false, notes: ['var/seattle01.updown says up but tap1 does not exist'] });
    lab('tunnel-up', 'seattle01');
    lab('wait', '40');
    s = status('--listen', '4');
    for (const mux of Object.keys(MUXES)) expect((by(s, mux)['seen'] as { messages: number }).messages).toBeGreaterThan(0);
  }, 60_000);

  it('a full table (500,000 routes) streamed by a mux is captured live with nothing dropped', async () => {
    const N = 500_000;
    const summary = join(W, 'fulltable.json');
    const lv = live(CLIENT_NS, ['--peering', CL, '--mux', 'amsterdam01', '-f', 'line', '-l', 'elem', '--fields', 'type,prefix', '--summary', summary]);
    // Count the table's announcements as they stream (11.0.0.0/24 upwards; see feeder.mjs).
    const seen = new Set<string>();
    let partial = '';
    lv.child.stdout!.on('data', (d: string) => {
      const text = partial + d;
      const lines = text.split('\n');
      partial = lines.pop()!;
      for (const l of lines) if (l.startsWith('A|1')) seen.add(l.slice(2));
    });
    await listening(lv, 'tap5');
    lab('fulltable', String(N));
    await lv.until(`${N} prefixes`, () => seen.size >= N, 50_000);
    const f = await lv.stop('SIGINT');
    expect(f.code).toBe(0);
    for (let i = 0; i < N; i += 997) expect(seen.has(`${11 + (i >>> 16)}.${(i >>> 8) & 255}.${i & 255}.0/24`)).toBe(true);
    expect(seen.size).toBe(N);
    const s = JSON.parse(readFileSync(summary, 'utf8')) as { interfaces: { iface: string; received: number; droppedKernel: number; droppedIface: number; droppedQueue: number; captured: number }[] };
    const t = s.interfaces[0]!;
    expect(t).toMatchObject({ iface: 'tap5', droppedKernel: 0, droppedIface: 0, droppedQueue: 0 });
    expect(t.captured).toBe(t.received);
  }, 60_000);
});
