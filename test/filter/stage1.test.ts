// Stage 1 (packet headers) and its BPF translation. The BPF text is checked two ways: tcpdump compiles it
// (`tcpdump -d`), and on real captures the packets tcpdump's filter keeps must include every segment stage 1
// keeps — exactly the same segments when the filter has no key BPF cannot say (time, interface).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeFrame } from '../../src/link/decode.js';
import { readCapture } from '../../src/source/open.js';
import type { Frame, LinkNotice, Segment } from '../../src/types.js';
import { parseExpression } from '../../src/filter/expr/parser.js';
import { Stage1Filter } from '../../src/filter/stage1.js';
import { stage1ToBpf } from '../../src/filter/bpf.js';
import { compileFilters } from '../../src/filter/index.js';
import { Pipeline } from '../../src/pipeline.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const corpus = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'bgpcap-stage1-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function s1(text: string): Stage1Filter {
  return new Stage1Filter(parseExpression({ name: '--filter', text, file: false })!);
}

function seg(over: Partial<Segment> = {}): Segment {
  return {
    frameNo: 1,
    ts: { sec: 1700000000, nsec: 500 },
    iface: 'tap5',
    ipVersion: 4,
    srcIp: '100.69.128.6',
    dstIp: '100.69.128.1',
    srcPort: 40000,
    dstPort: 179,
    seq: 0,
    ack: 0,
    flags: 0x18,
    payload: new Uint8Array(0),
    missing: 0,
    srcMac: '02:00:00:00:00:06',
    dstMac: '02:00:00:00:00:01',
    ...over,
  };
}

describe('stage 1 on segments', () => {
  const v6 = seg({ ipVersion: 6, srcIp: '2804:269c:ff00:5:1::1', dstIp: '2804:269c:ff00:5::6', srcPort: 179, dstPort: 40001 });
  // [filter, default segment (v4 client → mux), v6 segment (mux → client)]
  const cases: [string, boolean, boolean][] = [
    ['host 100.69.128.1', true, false],
    ['host !100.69.128.1', false, true],
    ['not host 100.69.128.1', false, true],
    ['src_ip 100.69.128.1', false, false],
    ['dst_ip 100.69.128.1', true, false],
    ['src_ip 100.64.0.0/10', true, false],
    ['host 2804:269c::/32', false, true],
    ['src_ip 2804:269c:ff00:5:1::1', false, true],
    ['dst_ip 2804:269c:ff00:5:1::1', false, false],
    ['port 179', true, true],
    ['src_port 179', false, true],
    ['dst_port 179', true, false],
    ['src_port > 1024', true, false],
    ['port >= 40001', false, true],
    ['port 40000, 40001', true, true],
    ['mac 02:00:00:00:00:01', true, true],
    ['src_mac 02-00-00-00-00-06', true, true],
    ['dst_mac 02:00:00:00:00:06', false, false],
    ['iface tap5', true, true],
    ['iface tap*', true, true],
    ['iface eth0', false, false],
    ['timestamp >= 1700000000.0000005', true, true],
    ['timestamp > 1700000000.0000005', false, false],
    ['timestamp <= 2023-11-14T22:13:20Z', false, false],
    ['host 100.69.128.1 or host 2804:269c::/32', true, true],
    ['host 100.69.128.1 and port 179', true, false],
    ['not (port 179 and iface tap5)', false, false],
  ];
  it.each(cases)('%s', (text, a, b) => {
    const f = s1(text);
    expect(f.segment(seg())).toBe(a);
    expect(f.segment(v6)).toBe(b);
  });

  it('frames: only time and interface are decided before the link layer', () => {
    const frame: Frame = { frameNo: 1, ts: { sec: 1700000000, nsec: 0 }, linkType: 1, data: new Uint8Array(0), origLen: 0, iface: 'tap5' };
    expect(s1('timestamp >= 1700000001').frame(frame)).toBe(false);
    expect(s1('timestamp >= 1700000000').frame(frame)).toBe(true);
    expect(s1('iface tap1').frame(frame)).toBe(false);
    expect(s1('iface tap1 or host 10.0.0.1').frame(frame)).toBe(true); // undecided: the address is not known yet
    expect(s1('not iface tap5').frame(frame)).toBe(false);
    expect(s1('host 10.0.0.1').checksFrames).toBe(false);
    expect(s1('host 10.0.0.1').frame(frame)).toBe(true);
  });

  it('link notices: what they do not know is missing', () => {
    const n: LinkNotice = {
      frameNo: 1,
      ts: { sec: 1700000000, nsec: 0 },
      iface: null,
      code: 'ip_fragment',
      message: 'fragment',
      srcIp: '10.0.0.1',
      dstIp: '10.0.0.2',
      srcPort: null,
      dstPort: null,
    };
    expect(s1('host 10.0.0.1').notice(n)).toBe(true);
    expect(s1('port 179').notice(n)).toBe(false);
    expect(s1('port !179').notice(n)).toBe(true);
    expect(s1('mac 02:00:00:00:00:01').notice(n)).toBe(false);
  });
});

describe('splitting the filter into stages', () => {
  it.each([
    ['host 10.0.0.1 and type A', 'host 10.0.0.1', 'type A'],
    ['host 10.0.0.1 and (port 179 or not src_mac 02:00:00:00:00:01) and timestamp > 5', 'host 10.0.0.1 and (port 179 or not src_mac 02:00:00:00:00:01) and timestamp > 5', null],
    ['host 10.0.0.1 or type A', null, 'host 10.0.0.1 or type A'],
    ['peer_asn 1', null, 'peer_asn 1'],
  ])('%s', (text, one, two) => {
    const f = compileFilters(parseExpression({ name: '--filter', text, file: false }));
    expect(f.stage1?.toString() ?? null).toBe(one);
    expect(f.stage2?.toString() ?? null).toBe(two);
  });
});

describe('BPF text', () => {
  it.each([
    ['host 192.0.2.1', 'tcp port 179 and host 192.0.2.1'],
    ['host 10.0.0.0/8, 2001:db8::/32', 'tcp port 179 and (net 10.0.0.0/8 or net 2001:db8::/32)'],
    ['src_ip 192.0.2.1 and dst_ip 192.0.2.2', 'tcp port 179 and src host 192.0.2.1 and dst host 192.0.2.2'],
    ['host !192.0.2.1', 'tcp port 179 and not host 192.0.2.1'],
    ['host 192.0.2.0/24, !192.0.2.1', 'tcp port 179 and net 192.0.2.0/24 and not host 192.0.2.1'],
    ['not (host 192.0.2.1 or mac 02:00:00:00:00:01)', 'tcp port 179 and not (host 192.0.2.1 or ether host 02:00:00:00:00:01)'],
    ['src_port > 1024', 'tcp port 179 and src portrange 1025-65535'],
    ['dst_port < 1024', 'tcp port 179 and dst portrange 0-1023'],
    ['port <= 179', 'tcp port 179 and portrange 0-179'],
    ['src_mac 02:00:00:00:00:01', 'tcp port 179 and ether src 02:00:00:00:00:01'],
    // what BPF cannot say is widened, never narrowed
    ['host 192.0.2.1 and timestamp > 5', 'tcp port 179 and host 192.0.2.1'],
    ['host 192.0.2.1 or iface tap1', 'tcp port 179'],
    ['not (iface tap1 and host 192.0.2.1)', 'tcp port 179'],
    ['not (iface tap1 or host 192.0.2.1)', 'tcp port 179 and not host 192.0.2.1'],
    ['not iface tap1', 'tcp port 179'],
    ['host *', 'tcp port 179'],
    ['host !*', 'tcp and not tcp'],
  ])('%s', (text, want) => {
    expect(stage1ToBpf(s1(text))).toBe(want);
  });

  it('ports and VLANs', () => {
    expect(stage1ToBpf(null)).toBe('tcp port 179');
    expect(stage1ToBpf(null, { ports: [1179, 179] })).toBe('tcp and (port 179 or port 1179)');
    expect(stage1ToBpf(s1('host 192.0.2.1'), { vlan: true })).toBe(
      '(tcp port 179 and host 192.0.2.1) or (vlan and (tcp port 179 and host 192.0.2.1))',
    );
  });
});

const haveTcpdump = spawnSync('tcpdump', ['--version']).status === 0;

interface SegKey {
  key: string;
  pass: boolean;
}

/** Every BGP segment of a capture with stage 1's verdict, keyed by what survives a pcap rewrite. */
async function segments(file: string, f: Stage1Filter | null): Promise<SegKey[]> {
  const out: SegKey[] = [];
  await readCapture(file, (fr) => {
    const r = decodeFrame(fr, { ports: new Set([179]) });
    if (r === null || 'code' in r) return;
    const s = r as Segment;
    out.push({
      key: `${s.srcIp} ${s.srcPort} ${s.dstIp} ${s.dstPort} ${s.seq} ${s.flags} ${s.payload.length}`,
      pass: f === null || (f.frame(fr) && f.segment(s)),
    });
  });
  return out;
}

function multiset(keys: string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
  return m;
}

describe.skipIf(!haveTcpdump)('BPF against tcpdump (skipped without tcpdump)', () => {
  const files = [
    join(root, 'fixtures/bird-ipv4-ipv6.pcap'),
    join(root, 'fixtures/bird-addpath.pcap'),
    join(corpus, 'the-tcpdump-group_tcpdump/tests__bgp-4byte-asn.pcap'),
    join(corpus, 'network-analytics_pmacct-test-automation/tests__300-BGP-IPv6-CISCO-extNH_enc__traffic-00.pcap'),
    join(corpus, 'the-tcpdump-group_tcpdump/tests__bgp-enhanced-route-refresh-subtype.pcapng'),
  ].filter((f) => existsSync(f));

  it.each(files)('%s', async (file) => {
    const all = await segments(file, null);
    expect(all.length).toBeGreaterThan(0);
    const [srcIp, srcPort] = all[0]!.key.split(' ') as [string, string];
    const wide = srcIp.includes(':') ? `${srcIp.split(':').slice(0, 2).join(':')}::/32` : `${srcIp.split('.').slice(0, 2).join('.')}.0.0/16`;
    const exact = [
      `host ${srcIp}`,
      `src_ip ${srcIp}`,
      `dst_ip ${srcIp}`,
      `not host ${srcIp}`,
      `host ${wide}`,
      `src_port ${srcPort}`,
      `src_port > 1024`,
      `dst_port 179 and not src_ip ${srcIp}`,
      `port 179 or host ${srcIp}`,
    ];
    const widened = [`iface nothing or host ${srcIp}`, `timestamp > 2000000000 and host ${srcIp}`, `not (iface x and host ${srcIp})`];
    for (const text of [...exact, ...widened]) {
      const f = s1(text);
      const bpf = stage1ToBpf(f);
      const compiled = spawnSync('tcpdump', ['-d', '-r', file, bpf], { encoding: 'utf8' });
      expect(compiled.status, `${bpf}: ${compiled.stderr}`).toBe(0);
      const out = join(tmp, 'filtered.pcap');
      const w = spawnSync('tcpdump', ['-r', file, '-w', out, bpf], { encoding: 'utf8' });
      expect(w.status, w.stderr).toBe(0);
      const kernel = multiset((await segments(out, null)).map((s) => s.key));
      const ours = multiset((await segments(file, f)).filter((s) => s.pass).map((s) => s.key));
      for (const [k, n] of ours) expect(kernel.get(k) ?? 0, `${text}: BPF drops ${k}`).toBeGreaterThanOrEqual(n);
      if (exact.includes(text)) expect(kernel, `${text}: BPF keeps more than stage 1`).toEqual(ours);
    }
  });
});

describe('in the pipeline', () => {
  it('a rejected segment never reaches TCP reassembly; --stats counts it', async () => {
    const file = join(root, 'fixtures/bird-ipv4-ipv6.pcap');
    const records: string[] = [];
    const all = new Pipeline((r) => records.push(r.kind));
    await readCapture(file, (f) => all.frame(f));
    all.end();
    const f = s1('src_ip 192.0.2.1');
    const kept: string[] = [];
    const p = new Pipeline((r) => kept.push(`${r.peer_ip}`), { stage1: f });
    await readCapture(file, (fr) => p.frame(fr));
    p.end();
    expect(p.stats.stage1Rejected).toBeGreaterThan(0);
    expect(p.stats.bgpSegments + p.stats.stage1Rejected).toBe(all.stats.bgpSegments);
    expect(kept.length).toBeGreaterThan(0);
    expect(new Set(kept)).toEqual(new Set(['192.0.2.1']));
    // a time window after the capture rejects every frame before the link layer
    const late = new Pipeline(() => {}, { stage1: s1('timestamp > 2100000000') });
    await readCapture(file, (fr) => late.frame(fr));
    expect(late.stats.stage1Rejected).toBe(late.stats.frames);
    expect(late.stats.bgpSegments).toBe(0);
  });
});
