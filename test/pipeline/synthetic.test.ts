// End to end against a ground truth: sessions encoded by bench/lib/synth.ts (an encoder that shares no
// code with the decoder), segmented at MSS 1448 with retransmissions, reordering and a sequence-number
// wraparound, written as pcap, read back with `bgpcap read -f jsonl`. Every message, prefix and attribute
// must come back exactly once and in order.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  PcapWriter,
  keepalive,
  masked,
  open,
  prefixText,
  rng,
  update,
  v4,
  v6,
  writeConnection,
  type Prefix,
  type UpdateSpec,
} from '../../bench/lib/synth.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'dist/cli.js');
const tmp = mkdtempSync(join(tmpdir(), 'bgpcap-synth-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Expected {
  type: string;
  announced: string[];
  withdrawn: string[];
  as_path: (number | number[])[] | null;
  communities: string[] | null;
  large_communities: string[] | null;
  med: number | null;
  local_pref: number | null;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const n = parts.reduce((s, p) => s + p.length, 0);
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function randomUpdates(seed: number, count: number, as4: boolean): { msgs: Uint8Array[]; expected: Expected[] } {
  const r = rng(seed);
  const int = (n: number) => Math.floor(r() * n);
  const msgs: Uint8Array[] = [];
  const expected: Expected[] = [];
  for (let i = 0; i < count; i++) {
    const v4p = (): Prefix => masked({ addr: [1 + int(222), int(256), int(256), 0], len: 8 + int(17) });
    const v6p = (): Prefix => masked({ addr: [0x20, 0x01, 0x0d, 0xb8, int(256), int(256), int(256), 0, 0, 0, 0, 0, 0, 0, 0, 0], len: 32 + int(33) });
    const kind = int(4);
    const spec: UpdateSpec = { as4 };
    if (kind === 3) {
      spec.withdrawn = Array.from({ length: 1 + int(3) }, v4p);
      spec.v6Withdrawn = Array.from({ length: int(3) }, v6p);
    } else {
      const maxAsn = as4 ? 4_294_967_295 : 65_535;
      spec.asPath = Array.from({ length: 1 + int(9) }, () => 1 + int(maxAsn - 1));
      if (int(5) === 0) spec.asSet = [1 + int(60000), 1 + int(60000)];
      spec.communities = Array.from({ length: int(4) }, () => [int(65536), int(65536)] as [number, number]);
      spec.largeCommunities = Array.from({ length: int(3) }, () => [int(2 ** 32), int(2 ** 32), int(2 ** 32)] as [number, number, number]);
      if (int(2)) spec.med = int(2 ** 32);
      if (int(2)) spec.localPref = int(1000);
      if (kind === 0 || kind === 2) spec.nlri = Array.from({ length: 1 + int(20) }, v4p);
      if (kind === 1 || kind === 2) spec.v6Nlri = Array.from({ length: 1 + int(5) }, v6p);
    }
    msgs.push(update(spec));
    const path = spec.asPath ? [...spec.asPath, ...(spec.asSet ? [spec.asSet] : [])] : null;
    expected.push({
      type: 'UPDATE',
      announced: [...(spec.nlri ?? []), ...(spec.v6Nlri ?? [])].map(prefixText),
      withdrawn: [...(spec.withdrawn ?? []), ...(spec.v6Withdrawn ?? [])].map(prefixText),
      as_path: path,
      communities: spec.asPath ? (spec.communities?.length ? spec.communities.map(([a, b]) => `${a}:${b}`) : null) : null,
      large_communities: spec.asPath ? (spec.largeCommunities?.length ? spec.largeCommunities.map((l) => l.join(':')) : null) : null,
      med: spec.med ?? null,
      local_pref: spec.localPref ?? null,
    });
    if (int(10) === 0) {
      msgs.push(keepalive());
      expected.push({ type: 'KEEPALIVE', announced: [], withdrawn: [], as_path: null, communities: null, large_communities: null, med: null, local_pref: null });
    }
  }
  return { msgs, expected };
}

function readJsonl(file: string): Record<string, unknown>[] {
  const r = spawnSync(process.execPath, [cli, 'read', '-f', 'jsonl', file], { encoding: 'utf8', maxBuffer: 1 << 30 });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout
    .split('\n')
    .filter((l) => l)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

function summarize(rec: Record<string, unknown>): Expected {
  const anns = (rec['announcements'] as { prefixes: string[] }[] | undefined) ?? [];
  const norm = <T>(v: T | undefined): T | null => (v === undefined ? null : v);
  const list = (v: unknown) => (Array.isArray(v) && v.length === 0 ? null : (norm(v) as string[] | null));
  return {
    type: rec['msg_type'] as string,
    announced: anns.flatMap((a) => a.prefixes),
    withdrawn: (rec['withdrawals'] as string[] | undefined) ?? [],
    as_path: norm(rec['as_path'] as (number | number[])[] | undefined),
    communities: list(rec['communities']),
    large_communities: list(rec['large_communities']),
    med: norm(rec['med'] as number | undefined),
    local_pref: norm(rec['local_pref'] as number | undefined),
  };
}

describe('synthetic sessions round-trip through capture → reassembly → decode → jsonl', () => {
  for (const as4 of [true, false]) {
    it(`${as4 ? '4' : '2'}-octet session, retransmissions, reordering, sequence wraparound`, () => {
      const a = { ip: v4('192.0.2.1'), port: 179, mac: [2, 0, 0, 0, 0, 1] };
      const b = { ip: v4('192.0.2.2'), port: 40123, mac: [2, 0, 0, 0, 0, 2] };
      const { msgs, expected } = randomUpdates(as4 ? 7 : 8, 400, as4);
      const openA = open({ asn: as4 ? 4_200_000_001 : 65001, bgpId: '192.0.2.1', as4, families: [[1, 1], [2, 1]] });
      const openB = open({ asn: 65002, bgpId: '192.0.2.2', as4, families: [[1, 1], [2, 1]] });
      const w = new PcapWriter();
      // ISN of A close to 2^32 so the stream's sequence numbers wrap inside the data.
      writeConnection(
        w,
        { a, b, isnA: 0xffffffff - 5000, isnB: 12345 },
        concat([openA, keepalive(), ...msgs]),
        concat([openB, keepalive()]),
        1_700_000_000_000_000,
        { mss: 1448, retransmitEvery: 7, swapEvery: 5 },
      );
      const file = join(tmp, `s${as4 ? 4 : 2}.pcap`);
      writeFileSync(file, w.bytes());
      const recs = readJsonl(file);
      expect(recs.filter((r) => 'event' in r)).toEqual([]);
      const fromA = recs.filter((r) => r['peer_ip'] === '192.0.2.1');
      const fromB = recs.filter((r) => r['peer_ip'] === '192.0.2.2');
      expect(fromB.map((r) => r['msg_type'])).toEqual(['OPEN', 'KEEPALIVE']);
      expect(fromA.slice(0, 2).map((r) => r['msg_type'])).toEqual(['OPEN', 'KEEPALIVE']);
      expect(fromA.slice(2).map(summarize)).toEqual(expected);
      // Once both OPENs are seen, the ASNs are known on every later record, from the OPENs.
      const last = fromA[fromA.length - 1]!;
      expect(last['peer_asn']).toBe(as4 ? 4_200_000_001 : 65001);
      expect(last['local_asn']).toBe(65002);
      // A sends its first segment (OPEN, KEEPALIVE, UPDATEs) before B's OPEN is seen, so those UPDATEs are
      // decoded by inference (and say so); everything after B's OPEN uses the negotiated parameters.
      const openBFrame = fromB[0]!['frame'] as number;
      const inferred = fromA.filter((r) => r['inferred'] !== null && r['inferred'] !== undefined);
      expect(inferred.every((r) => (r['frame'] as number) < openBFrame)).toBe(true);
      expect(fromA.some((r) => (r['frame'] as number) > openBFrame && r['inferred'] === null)).toBe(true);
    });
  }

  it('a capture that starts mid-session: a gap event with the bytes skipped, then every later message', () => {
    const a = { ip: v4('198.51.100.1'), port: 179, mac: [2, 0, 0, 0, 0, 1] };
    const b = { ip: v4('198.51.100.2'), port: 50000, mac: [2, 0, 0, 0, 0, 2] };
    const { msgs, expected } = randomUpdates(99, 200, true);
    const stream = concat(msgs);
    const full = new PcapWriter();
    writeConnection(full, { a, b, isnA: 1000, isnB: 2000 }, stream, new Uint8Array(0), 1_700_000_000_000_000, { mss: 1448 });
    // Drop the handshake and the first 3 data segments: the capture starts inside some message.
    const all = full.bytes();
    const pkts: { off: number; len: number }[] = [];
    for (let o = 24; o < all.length; ) {
      const len = new DataView(all.buffer, all.byteOffset + o + 8, 4).getUint32(0, true);
      pkts.push({ off: o, len: 16 + len });
      o += 16 + len;
    }
    const keep = pkts.filter((_, i) => i >= 3 + 3); // 3 handshake packets + 3 data segments
    const cut = concat([all.subarray(0, 24), ...keep.map((p) => all.subarray(p.off, p.off + p.len))]);
    const file = join(tmp, 'mid.pcap');
    writeFileSync(file, cut);
    const recs = readJsonl(file);
    const startByte = 3 * 1448;
    // The first whole message starting at or after startByte, and how many bytes lie before it.
    let off = 0;
    let first = 0;
    while (off < startByte) off += msgs[first++]!.length;
    const gap = recs.find((r) => r['event'] === 'gap');
    expect(gap?.['bytes_skipped']).toBe(off - startByte);
    const got = recs.filter((r) => r['msg_type'] !== undefined).map(summarize);
    // Without OPENs the decoder infers 4-octet AS and no ADD-PATH from the bytes.
    expect(got).toEqual(expected.slice(first));
  });
});
