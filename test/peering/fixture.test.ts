// fixtures/peering/<mux>.<tapN>.pcap, recorded in the lab by fixtures/make-peering-fixture.sh: decoded by
// `bgpcap read` (labels from the file names), compared with tshark, and checked against what the script
// announced — the wire AS paths of PEERING.md §3.4 and poisoning seen from the other mux.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { diffSummaries, parseJsonl, tsharkAvailable, tsharkSummary } from '../corpus/tshark.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'dist/cli.js');
const AMS = join(root, 'fixtures/peering/amsterdam01.tap5.pcap');
const SEA = join(root, 'fixtures/peering/seattle01.tap1.pcap');
const present = existsSync(AMS) && existsSync(SEA);

type Rec = Record<string, unknown>;

function read(...files: string[]): Rec[] {
  const r = spawnSync(process.execPath, [cli, 'read', '-f', 'jsonl', ...files], { encoding: 'utf8', maxBuffer: 64 << 20 });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Rec);
}

const CLIENT: Record<string, string[]> = {
  amsterdam01: ['100.69.128.2', '2804:269c:ff00:5:2::2'],
  seattle01: ['100.65.128.2', '2804:269c:ff00:1:2::2'],
};

describe.skipIf(!present)('fixtures/peering (lab recording of two PEERING tunnels)', () => {
  const recs = present ? read(AMS, SEA) : [];
  const updates = recs.filter((r) => r['msg_type'] === 'UPDATE');
  const announces = (r: Rec, p: string): boolean => JSON.stringify(r['announcements']).includes(`"${p}"`);
  const fromClient = (mux: string, p: string): Rec[] => updates.filter((r) => r['mux'] === mux && CLIENT[mux]!.includes(r['peer_ip'] as string) && announces(r, p));
  const toClient = (mux: string, p: string): Rec[] => updates.filter((r) => r['mux'] === mux && !CLIENT[mux]!.includes(r['peer_ip'] as string) && announces(r, p));

  it('labels every record with the mux and tap of its file name', () => {
    expect(recs.length).toBeGreaterThan(0);
    for (const r of recs) {
      expect(`${r['mux']}.${r['iface']}`).toBe(r['file'] === AMS ? 'amsterdam01.tap5' : 'seattle01.tap1');
      expect(r['error'] ?? null).toBeNull();
    }
  });

  it.skipIf(!tsharkAvailable())('decodes the same messages and prefixes as tshark', async () => {
    for (const f of [AMS, SEA]) {
      const ours = parseJsonl(
        read(f)
          .map((r) => JSON.stringify(r))
          .join('\n'),
      );
      expect(diffSummaries(await tsharkSummary(f), ours), f).toEqual([]);
    }
  });

  it('holds the sessions from their OPENs: iBGP, AS 47065 on both sides, IPv4 and IPv6 per tunnel', () => {
    for (const mux of ['amsterdam01', 'seattle01']) {
      const opens = recs.filter((r) => r['mux'] === mux && r['msg_type'] === 'OPEN');
      expect(opens).toHaveLength(4);
      expect(opens.every((r) => (r['open'] as { my_as: number }).my_as === 47065)).toBe(true);
      // the restart that made the new sessions: NOTIFICATION Cease from the client on both sessions
      const notes = recs.filter((r) => r['mux'] === mux && r['msg_type'] === 'NOTIFICATION');
      expect(notes.map((r) => (r['notification'] as { code: number }).code)).toEqual([6, 6]);
    }
  });

  it('carries the announced AS paths, communities and large communities (PEERING.md §3.4)', () => {
    const last = (rs: Rec[]): Rec => rs[rs.length - 1]!;
    expect(last(fromClient('amsterdam01', '184.164.236.0/24'))['as_path']).toEqual([47065, 47065]);
    const p237 = last(fromClient('amsterdam01', '184.164.237.0/24'));
    expect(p237).toMatchObject({ as_path: [3356, 47065], communities: ['47065:1001'], large_communities: ['47065:1:2'], local_pref: 100, origin: 'IGP' });
    expect(last(fromClient('seattle01', '184.164.238.0/24'))['as_path']).toEqual([61574, 3356, 61574, 61574]);
    expect(last(fromClient('amsterdam01', '2804:269c:5::/48'))).toMatchObject({ as_path: [], communities: ['47065:5'] });
    expect(last(fromClient('seattle01', '2804:269c:1::/48'))).toMatchObject({ as_path: [174, 47065], large_communities: ['47065:2:3'] });
    // Announced only where asked: nothing for 184.164.238.0/24 from the client on amsterdam01.
    expect(fromClient('amsterdam01', '184.164.238.0/24')).toEqual([]);
  });

  it('withdraws 184.164.236.0/24 where it was announced, and the route that had come back is withdrawn too', () => {
    const withdraws = (r: Rec): boolean => JSON.stringify(r['withdrawals']).includes('"184.164.236.0/24"');
    // client → amsterdam01: the withdrawal itself
    expect(updates.some((r) => r['mux'] === 'amsterdam01' && CLIENT['amsterdam01']!.includes(r['peer_ip'] as string) && withdraws(r))).toBe(true);
    // it had come back through seattle01's upstreams; seattle01 now withdraws that route towards the client
    expect(toClient('seattle01', '184.164.236.0/24').length).toBeGreaterThan(0);
    expect(updates.some((r) => r['mux'] === 'seattle01' && !CLIENT['seattle01']!.includes(r['peer_ip'] as string) && withdraws(r))).toBe(true);
  });

  it('shows poisoning working: our prefixes come back through the other mux, never through the poisoned AS', () => {
    const cases: [string, string, number][] = [
      ['seattle01', '184.164.237.0/24', 3356],
      ['amsterdam01', '184.164.238.0/24', 3356],
      ['amsterdam01', '2804:269c:1::/48', 174],
    ];
    for (const [mux, prefix, poison] of cases) {
      const back = toClient(mux, prefix);
      expect(back.length, `${prefix} back on ${mux}`).toBeGreaterThan(0);
      for (const r of back) {
        const path = r['as_path'] as number[];
        const first = path.indexOf(47065);
        expect(first).toBeGreaterThan(0);
        expect(path.slice(0, first)).not.toContain(poison);
      }
    }
  });
});
