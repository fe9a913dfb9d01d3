// The decoder's warm-up traffic (src/source/live-warmup.ts) must really exercise the UPDATE path: a session that
// does not decode (a bad length, a TCP gap) would warm nothing but the error paths. Checked here: tshark, an
// independent decoder, reads the same messages the generator says it encoded, and bgpcap's pipeline turns them
// into exactly the announced and withdrawn prefixes of its eight sessions (IPv4 and IPv6 transport), with no
// gap and no warning.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Pipeline } from '../../src/pipeline.js';
import { PcapFileWriter } from '../../src/sink/pcap-writer.js';
import { runWarmup, warmupTraffic } from '../../src/source/live-warmup.js';
import { WireReader } from '../../src/source/live-wire.js';
import type { BgpRecord } from '../../src/record.js';

const tmp = mkdtempSync(join(tmpdir(), 'bgpcap-warmup-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('live decoder warm-up traffic', () => {
  const t = warmupTraffic(5000);

  it('is read by tshark as the messages the generator encoded', () => {
    const dir = mkdtempSync(join(tmp, 'w-'));
    const w = new PcapFileWriter({ dir, iface: 'warm', mux: null, linkType: 1, snaplen: 262144, rotateBytes: null, rotateSeconds: null });
    new WireReader({
      packet: (_id, sec, nsec, data, origLen) => void w.write(sec, Math.floor(nsec / 1000), Buffer.from(data), data.length, origLen),
      control: () => {},
    }).push(t.wire);
    w.close();
    const r = spawnSync('tshark', ['-n', '-o', 'tcp.reassemble_out_of_order:TRUE', '-r', w.file, '-Y', 'bgp', '-T', 'fields', '-e', 'bgp.type'], {
      encoding: 'utf8',
      maxBuffer: 1 << 28,
    });
    if (r.error !== undefined) return; // no tshark here: the pipeline check below still runs
    const names: Record<string, string> = { '1': 'OPEN', '2': 'UPDATE', '4': 'KEEPALIVE' };
    const counts: Record<string, number> = {};
    for (const line of r.stdout.split('\n').filter((l) => l !== '')) {
      for (const ty of line.split(',')) counts[names[ty] ?? ty] = (counts[names[ty] ?? ty] ?? 0) + 1;
    }
    expect(counts).toEqual(t.messages);
  });

  it('decodes to every announced and withdrawn prefix, without gaps or warnings', async () => {
    const names: Record<number, string> = { 1: 'OPEN', 2: 'UPDATE', 4: 'KEEPALIVE' };
    const byType: Record<string, number> = {};
    const events: string[] = [];
    let announced = 0;
    let withdrawn = 0;
    let errors = 0;
    const sessions = new Set<string>();
    const endOfRib: string[] = [];
    const p = new Pipeline(
      (r: BgpRecord) => {
        if (r.kind === 'event') events.push(r.event);
        if (r.kind !== 'message') return;
        sessions.add([r.peer_ip, r.local_ip].sort().join(' '));
        const name = names[r.msg_type] ?? String(r.msg_type);
        byType[name] = (byType[name] ?? 0) + 1;
        if (r.error !== null) errors++;
        if (r.msg?.kind !== 'update') return;
        if (r.msg.end_of_rib !== null) endOfRib.push(`${r.peer_ip} ${r.msg.end_of_rib.map(([a, s]) => `${a}/${s}`).join(',')}`);
        for (const a of r.msg.announcements) announced += a.prefixes.length;
        for (const w of r.msg.withdrawals) withdrawn += w.prefixes.length;
      },
      { countWarnings: true, reassembly: { keyByIface: true } },
    );
    let frames = 0;
    const ifaces = new Set<string | null>();
    await runWarmup(
      t,
      ['w0', 'w1'],
      (f) => {
        frames++;
        ifaces.add(f.iface);
        p.frame(f);
      },
      () => false,
    );
    p.end();
    expect(frames).toBe(t.frames);
    expect([...ifaces].sort()).toEqual(['w0', 'w1']);
    // eight connections, both ends of each sending (OPEN, KEEPALIVE), four of them over IPv6
    expect(sessions.size).toBe(8);
    expect([...sessions].filter((x) => x.includes(':')).length).toBe(4);
    expect(byType).toEqual(t.messages);
    expect(announced).toBe(t.announced);
    expect(withdrawn).toBe(t.withdrawn);
    expect(t.announced).toBeGreaterThanOrEqual(5000);
    expect(errors).toBe(0);
    expect(p.stats.gaps).toBe(0);
    expect(p.stats.warnings).toBe(0);
    expect(events).toEqual([]);
    // each session's speaker ends its table with an End-of-RIB for IPv4 and one for IPv6 unicast (RFC 4724 §2)
    expect(endOfRib.length).toBe(16);
    expect(new Set(endOfRib).size).toBe(16);
    expect(endOfRib.filter((x) => x.endsWith(' 1/1')).length).toBe(8);
    expect(endOfRib.filter((x) => x.endsWith(' 2/1')).length).toBe(8);
  });

  it('makes the sessions asked for, alone', () => {
    const two = warmupTraffic(400, [0, 1]);
    expect(two.messages).toEqual({ OPEN: 4, KEEPALIVE: 4, UPDATE: two.messages['UPDATE'] });
    expect(two.announced).toBeGreaterThanOrEqual(400);
    expect(two.frames).toBeLessThan(t.frames);
  });

  it('stops when told to, after the chunk in hand', async () => {
    let frames = 0;
    let chunks = 0;
    await runWarmup(
      t,
      ['w0', 'w1'],
      () => frames++,
      () => ++chunks > 1,
    );
    expect(frames).toBeGreaterThan(0);
    expect(frames).toBeLessThan(t.frames);
  });
});
