// The MP families in the sinks: jsonl at both levels validates against schema/record.schema.json (strict:
// unknown keys rejected), the per-entry parts reach each elem, and the human and line formats show them.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import * as N from '../../bench/lib/nlri.js';
import type { MessageRecord } from '../../src/record.js';
import { createFormatter } from '../../src/sink/index.js';
import { decodeUpdateBytes, hx } from './families-lib.js';

const schema = JSON.parse(readFileSync(new URL('../../schema/record.schema.json', import.meta.url), 'utf8')) as object;
const ajv = new Ajv2020({ allErrors: true, strictTypes: true, strictTuples: true });
const validate = ajv.compile(schema);

function record(bytes: Uint8Array): MessageRecord {
  const { u } = decodeUpdateBytes(bytes);
  return {
    kind: 'message', ts: { sec: 1700000000, nsec: 0 }, frame: 1, file: 'x.pcap', iface: null, mux: null, peer_ip: '192.0.2.1',
    peer_asn: 65001, local_ip: '192.0.2.2', local_asn: 65002, src_port: 179, dst_port: 40000, msg_type: 2, length: bytes.length,
    msg: u, error: null, raw: bytes, inferred: null,
  };
}

const RD1: N.Rd = { type: 0, asn: 65000, n: 1 };
const ESI = hx('00 11 22 33 44 55 66 77 88 99');
const NH = N.ip4('192.0.2.254');

/** One UPDATE per family, some with withdrawals, ADD-PATH-free. */
function samples(): MessageRecord[] {
  const r = N.rd(RD1);
  return [
    N.mpUpdate({
      reach: N.mpReach(1, 128, [...r, ...N.ip4('10.0.0.1')], N.labeledPrefix({ labels: [16, 17], addr: '192.0.2.0', len: 24, rd: { type: 2, asn: 4200000001, n: 100 } })),
      unreach: N.mpUnreach(1, 128, N.labeledPrefix({ labels: [], labelFields: [0x800000], addr: '198.51.100.0', len: 24, rd: { type: 1, ip: '192.0.2.1', n: 7 } })),
    }),
    N.mpUpdate({ reach: N.mpReach(2, 4, [...N.ip6('2001:db8::1'), ...N.ip6('fe80::1')], N.labeledPrefix({ labels: [3], addr: '2001:db8:1::', len: 48 })) }),
    N.mpUpdate({
      reach: N.mpReach(1, 133, [], N.flowspecRule([{ type: 1, prefix: '10.0.0.0', len: 8 }, { type: 3, terms: [{ op: '=', value: 6 }] }, { type: 5, terms: [{ op: '>=', value: 1024 }, { op: '<=', value: 2000, and: true }, { op: '=', value: 8080 }] }, { type: 9, terms: [{ value: 2, match: true }] }, { type: 10, terms: [{ op: '>', value: 2 ** 60, size: 8 }] }])),
    }),
    N.mpUpdate({ reach: N.mpReach(2, 134, [], N.flowspecRule([{ type: 2, prefix: '::1234:5678:9a00:0', len: 104, offset: 64 }], { v6: true, rd: RD1 })) }),
    N.mpUpdate({
      reach: N.mpReach(25, 70, NH, [
        ...N.evpnRoute({ type: 2, rd: RD1, esi: ESI, tag: 5, mac: 'aa:bb:cc:dd:ee:ff', ip: '10.0.0.1', label1: 100 }),
        ...N.evpnRoute({ type: 5, rd: RD1, esi: ESI, tag: 0, prefix: '2001:db8::', len: 32, gateway: '2001:db8::9', label: 5 }),
        ...N.evpnRoute({ type: 9, raw: [...r, 1, 2] }),
      ]),
    }),
    N.mpUpdate({ reach: N.mpReach(1, 132, NH, [...N.rtcRoute(65000, N.routeTarget(1, '192.0.2.1', 7), 96), 0]) }),
    N.mpUpdate({ reach: N.mpReach(1, 5, NH, [...N.mvpnRoute(4, [...N.mvpnRoute(3, [...r, 0, 0, ...N.ip4('192.0.2.1')]), ...N.ip4('192.0.2.9')]), ...N.mvpnRoute(6, [...r, 0, 0, 0xfd, 0xe8, 0, ...N.mcastAddr('239.0.0.1')])]) }),
    N.mpUpdate({ reach: N.mpReach(1, 66, NH, N.mdtRoute(RD1, '192.0.2.1', '239.1.1.1')) }),
    N.mpUpdate({ reach: N.mpReach(25, 65, NH, [...N.vplsRoute(RD1, 1, 0, 8, 1000), ...N.vplsAdRoute(RD1, '192.0.2.7')]) }),
    N.mpUpdate({ reach: N.mpReach(16388, 72, NH, N.bgpLsNlri(3, hx('02 0000000000000000'), RD1)) }),
    N.mpUpdate({ reach: N.mpReach(3, 77, N.ip4('10.0.0.9'), hx('deadbeef')), unreach: N.mpUnreach(3, 77, hx('01')) }),
    N.mpUpdate({ unreach: N.mpUnreach(25, 70, []) }),
  ].map(record);
}

describe('jsonl', () => {
  const msg = createFormatter({ format: 'jsonl', level: 'msg' });
  const elem = createFormatter({ format: 'jsonl', level: 'elem' });

  it('every family, message and elem level, validates against the schema', () => {
    let n = 0;
    for (const r of samples()) {
      for (const line of (msg.format(r) + elem.format(r)).split('\n').filter((l) => l !== '')) {
        const o = JSON.parse(line) as unknown;
        expect(validate(o) ? null : ajv.errorsText(validate.errors), line).toBeNull();
        n++;
      }
    }
    expect(n).toBeGreaterThan(25);
  });

  it('the schema rejects a wrong RD, a label over 20 bits, an unknown nlri kind', () => {
    const o = JSON.parse(elem.format(samples()[0]!).split('\n')[0]!) as Record<string, unknown>;
    expect(validate(o)).toBe(true);
    expect(validate({ ...o, rd: '65000-1' })).toBe(false);
    expect(validate({ ...o, labels: [1 << 20] })).toBe(false);
    expect(validate({ ...o, nlri: { kind: 'nope' } })).toBe(false);
  });

  it('message level: per-family arrays inside announcements and withdrawal_families, only when the family has them', () => {
    const o = JSON.parse(msg.format(samples()[0]!)) as Record<string, unknown>;
    expect(o['withdrawals']).toEqual(['198.51.100.0/24']);
    expect(o['withdrawal_families']).toEqual([
      { prefixes: ['198.51.100.0/24'], route_distinguishers: ['192.0.2.1:7'], labels: [[524288]], afi: 1, safi: 128 },
    ]);
    expect(o['announcements']).toEqual([
      { next_hop: '10.0.0.1', next_hop_ll: null, prefixes: ['192.0.2.0/24'], route_distinguishers: ['4200000001:100'], labels: [[16, 17]], afi: 1, safi: 128 },
    ]);
    const eor = JSON.parse(msg.format(samples()[11]!)) as Record<string, unknown>;
    // the keys follow the family, not the content: an empty EVPN withdrawal still has its (empty) arrays
    expect([eor['end_of_rib'], eor['withdrawal_families']]).toEqual([
      [[25, 70]],
      [{ prefixes: [], route_distinguishers: [], labels: [], nlri: [], afi: 25, safi: 70 }],
    ]);
  });

  it('elem level: each entry has its own rd, labels and nlri; W elems keep them', () => {
    const rows = elem.format(samples()[0]!).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows.map((x) => [x['type'], x['prefix'], x['rd'], x['labels'], x['nlri'], x['next_hop']])).toEqual([
      ['W', '198.51.100.0/24', '192.0.2.1:7', [524288], null, null],
      ['A', '192.0.2.0/24', '4200000001:100', [16, 17], null, '10.0.0.1'],
    ]);
    const evpn = elem.format(samples()[4]!).trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(evpn.map((x) => [x['prefix'], x['rd'], x['labels'], (x['nlri'] as { route_type: number }).route_type])).toEqual([
      ['[2]:[5]:[48]:[aa:bb:cc:dd:ee:ff]:[32]:[10.0.0.1]', '65000:1', [100], 2],
      ['[5]:[0]:[32]:[2001:db8::]', '65000:1', [5], 5],
      ['[9]:[0102]', '65000:1', [], 9],
    ]);
    const plain = JSON.parse(elem.format(samples()[1]!).trim()) as Record<string, unknown>;
    expect([plain['rd'], plain['labels'], plain['nlri'], plain['next_hop_ll']]).toEqual([null, [3], null, 'fe80::1']);
  });
});

describe('human and line output', () => {
  it('human: each entry with its RD, labels and path id; EVPN ESI and gateway', () => {
    const h = createFormatter({ format: 'human', level: 'msg' });
    const t0 = h.format(samples()[0]!);
    expect(t0).toContain('  withdrawn (ipv4 vpn):\n    198.51.100.0/24 rd 192.0.2.1:7 label 524288\n');
    expect(t0).toContain('  announced (ipv4 vpn) via 10.0.0.1:\n    192.0.2.0/24 rd 4200000001:100 label 16,17\n');
    expect(h.format(samples()[2]!)).toContain('  announced (ipv4 flowspec):\n    dst 10.0.0.0/8 proto =6 dport >=1024&&<=2000,=8080 tcp-flags =syn length >1152921504606846976\n');
    const ev = h.format(samples()[4]!);
    expect(ev).toContain('    [2]:[5]:[48]:[aa:bb:cc:dd:ee:ff]:[32]:[10.0.0.1] rd 65000:1 label 100 esi 00:11:22:33:44:55:66:77:88:99\n');
    expect(ev).toContain('    [5]:[0]:[32]:[2001:db8::] rd 65000:1 label 5 esi 00:11:22:33:44:55:66:77:88:99 gateway 2001:db8::9\n');
    expect(h.format(samples()[9]!)).toContain('announced (bgp-ls bgp-ls-vpn) via 192.0.2.254:\n    [ipv4_prefix]:[020000000000000000] rd 65000:1\n');
    expect(h.format(samples()[11]!)).toContain('  end of rib: l2vpn evpn\n');
  });

  it('line: rd, labels and nlri columns; flowspec text keeps the | separator out', () => {
    const l = createFormatter({ format: 'line', level: 'elem', fields: ['type', 'afi', 'safi', 'rd', 'prefix', 'labels', 'nlri'] });
    expect(l.format(samples()[0]!)).toBe('W|1|128|192.0.2.1:7|198.51.100.0/24|524288|\nA|1|128|4200000001:100|192.0.2.0/24|16 17|\n');
    const fs = l.format(samples()[2]!);
    expect(fs.split('|')).toHaveLength(7);
    expect(fs.startsWith('A|1|133||dst 10.0.0.0/8 proto =6 dport >=1024&&<=2000,=8080 tcp-flags =syn length >1152921504606846976||{"kind":"flowspec"')).toBe(true);
  });
});
