// Labeled unicast (SAFI 4, RFC 8277) and VPN (SAFI 128/129, RFC 4364 / RFC 4659): hand-annotated bytes
// and encode → decode round trips through bench/lib/nlri.ts (an encoder that shares no code with src/).

import { describe, expect, it } from 'vitest';
import { labeledPrefix, mpReach, mpUnreach, mpUpdate, ip4, ip6, type Rd } from '../../bench/lib/nlri.js';
import { masked, prefixText, rng } from '../../bench/lib/synth.js';
import { AS4, UNKNOWN, addPath, decodeUpdateBytes, hx, reach, unreach } from './families-lib.js';

const NH4 = ip4('192.0.2.254');
const RD0 = hx('0000 0000 0000 0000');

describe('labeled unicast (RFC 8277)', () => {
  it('one label, bottom of stack set (§2.2)', () => {
    // 30 = 48 bits: 24 of label + 24 of prefix | 000641: label 100 (0x00064), TC 0, S 1 | 0a0000: 10.0.0.0/24
    const a = reach(mpUpdate({ reach: mpReach(1, 4, NH4, hx('30 000641 0a0000')) }));
    expect(a).toMatchObject({ afi: 1, safi: 4, next_hop: '192.0.2.254', prefixes: ['10.0.0.0/24'], labels: [[100]] });
    expect(a.route_distinguishers).toBeUndefined();
  });

  it('a stack of labels up to the S bit (§2.3, Multiple Labels capability)', () => {
    // 60 = 96 bits: 3 labels (72) + /24 | 000640 label 100 | 000650 label 101 | 000661 label 102, S | c00002
    const a = reach(mpUpdate({ reach: mpReach(1, 4, NH4, hx('60 000640 000650 000661 c00002')) }));
    expect(a.prefixes).toEqual(['192.0.2.0/24']);
    expect(a.labels).toEqual([[100, 101, 102]]);
  });

  it('one label without the S bit: §2.2 says S MUST be ignored, so the field is one label', () => {
    // 30 = 48 bits | 000640: label 100, S clear | 0a0000. Reading on to an S bit would eat the prefix.
    const a = reach(mpUpdate({ reach: mpReach(1, 4, NH4, hx('30 000640 0a0000')) }));
    expect([a.prefixes, a.labels]).toEqual([['10.0.0.0/24'], [[100]]]);
  });

  it('withdrawals: the §2.4 Compatibility field 0x800000 (or 0x000000 from older speakers) is one field', () => {
    // 38 = 56 bits: 24 + /32 | 800000 (no S bit) | 1e010101: 30.1.1.1/32
    const w = unreach(mpUpdate({ unreach: mpUnreach(1, 4, hx('38 800000 1e010101')) }));
    expect(w).toMatchObject({ afi: 1, safi: 4, prefixes: ['30.1.1.1/32'], labels: [[0x80000]] });
    const w0 = unreach(mpUpdate({ unreach: mpUnreach(1, 4, hx('38 000000 1e010101 38 000000 1e010102')) }));
    expect([w0.prefixes, w0.labels]).toEqual([['30.1.1.1/32', '30.1.1.2/32'], [[0], [0]]]);
  });

  it('IPv6 labeled unicast with a 32-byte next hop', () => {
    const nh = [...ip6('2001:db8::1'), ...ip6('fe80::1')];
    // 58 = 88 bits: 24 + /64 | 0003e1: label 62 | 2001 0db8 0001 0002
    const a = reach(mpUpdate({ reach: mpReach(2, 4, nh, hx('58 0003e1 20010db800010002')) }));
    expect(a).toMatchObject({ next_hop: '2001:db8::1', next_hop_ll: 'fe80::1', prefixes: ['2001:db8:1:2::/64'], labels: [[62]] });
  });

  it('a length that leaves no valid prefix is malformed: a warning, the attribute kept raw', () => {
    // 50 = 80 bits: 24 + 56 > 32
    const { u } = decodeUpdateBytes(mpUpdate({ reach: mpReach(1, 4, NH4, hx('50 000641 0a000000000000')) }));
    expect(u.announcements).toEqual([]);
    expect(u.warnings.map((w) => w.code)).toEqual(['prefix_length']);
    expect(u.other_attributes.map((a) => a.code)).toEqual([14]);
  });
});

describe('VPN-IPv4 / VPN-IPv6 (RFC 4364 §4.3.4, RFC 4659 §3.2)', () => {
  it('route distinguishers of types 0, 1 and 2, labels, IP prefix apart', () => {
    const nlri = hx(
      // 70 = 112 bits: 24 label + 64 RD + 24 prefix
      '70 003e81 0000 fde8 00000064 c00002' + // label 1000; RD type 0 65000:100; 192.0.2.0/24
        '70 003e91 0001 c0000201 0064 c63364' + // label 1001; RD type 1 192.0.2.1:100; 198.51.100.0/24
        '78 003ea1 0002 fa56ea01 0064 cb007101', // 120 bits; label 1002; RD type 2 4200000001:100; 203.0.113.1/32
    );
    const a = reach(mpUpdate({ reach: mpReach(1, 128, [...RD0, ...ip4('10.255.0.1')], nlri) }));
    expect(a).toMatchObject({
      afi: 1,
      safi: 128,
      next_hop: '10.255.0.1',
      next_hop_ll: null,
      prefixes: ['192.0.2.0/24', '198.51.100.0/24', '203.0.113.1/32'],
      route_distinguishers: ['65000:100', '192.0.2.1:100', '4200000001:100'],
      labels: [[1000], [1001], [1002]],
    });
    expect(a.nlri).toBeUndefined();
  });

  it('VPN-IPv6: RD + IPv6 next hop (24 bytes), and with a link-local (48 bytes)', () => {
    // 98 = 152 bits: 24 + 64 + /64
    const nlri = hx('98 000101 0000 fde8 00000001 20010db8 00000001');
    const a = reach(mpUpdate({ reach: mpReach(2, 128, [...RD0, ...ip6('2001:db8::ff')], nlri) }));
    expect(a).toMatchObject({ next_hop: '2001:db8::ff', next_hop_ll: null, prefixes: ['2001:db8:0:1::/64'], route_distinguishers: ['65000:1'], labels: [[16]] });
    const b = reach(mpUpdate({ reach: mpReach(2, 128, [...RD0, ...ip6('2001:db8::ff'), ...RD0, ...ip6('fe80::2')], nlri) }));
    expect([b.next_hop, b.next_hop_ll]).toEqual(['2001:db8::ff', 'fe80::2']);
  });

  it('VPN-IPv4 with an IPv6 next hop (RFC 8950 §4: RD + IPv6)', () => {
    const a = reach(mpUpdate({ reach: mpReach(1, 128, [...RD0, ...ip6('2001:db8::1')], hx('70 003e81 0000fde800000064 c00002')) }));
    expect([a.next_hop, a.prefixes]).toEqual(['2001:db8::1', ['192.0.2.0/24']]);
  });

  it('SAFI 129 (multicast VPN routes) uses the same encoding', () => {
    const a = reach(mpUpdate({ reach: mpReach(1, 129, [...RD0, ...ip4('10.0.0.1')], hx('70 003e81 0000fde800000064 e80101')) }));
    expect([a.safi, a.prefixes, a.route_distinguishers]).toEqual([129, ['232.1.1.0/24'], ['65000:100']]);
  });

  it('withdrawals carry RD and the compatibility label', () => {
    const w = unreach(mpUpdate({ unreach: mpUnreach(1, 128, hx('70 800000 0000fde800000064 c00002')) }));
    expect(w).toMatchObject({ prefixes: ['192.0.2.0/24'], route_distinguishers: ['65000:100'], labels: [[0x80000]] });
  });

  it('ADD-PATH: path ids from the OPENs, and inferred when no OPEN was seen', () => {
    const nlri = hx('00000001 70 003e81 0000fde800000064 c00002  00000002 70 003e91 0000fde800000064 c00002');
    const bytes = mpUpdate({ reach: mpReach(1, 128, [...RD0, ...ip4('10.0.0.1')], nlri) });
    const a = reach(bytes, addPath('1:128'));
    expect([a.prefixes, a.path_ids, a.labels]).toEqual([['192.0.2.0/24', '192.0.2.0/24'], [1, 2], [[1000], [1001]]]);
    const { u, res } = decodeUpdateBytes(bytes, UNKNOWN);
    expect(u.announcements[0]!.path_ids).toEqual([1, 2]);
    expect(res.inferred).toMatchObject({ add_path: true });
    // a clean plain run is not taken for path ids
    const plain = decodeUpdateBytes(mpUpdate({ reach: mpReach(1, 128, [...RD0, ...ip4('10.0.0.1')], hx('70 003e81 0000fde800000064 c00002')) }), UNKNOWN);
    expect(plain.u.announcements[0]!.path_ids).toBeNull();
  });

  it('round trip: random VPN and labeled prefixes through the independent encoder', () => {
    const r = rng(42);
    const int = (n: number) => Math.floor(r() * n);
    for (let round = 0; round < 200; round++) {
      const v6 = r() < 0.5;
      const vpn = r() < 0.6;
      const entries = Array.from({ length: 1 + int(5) }, () => {
        const len = int(v6 ? 129 : 33);
        const addr = Array.from({ length: v6 ? 16 : 4 }, () => int(256));
        const text = prefixText(masked({ addr, len }));
        const rdSpec: Rd | undefined = !vpn
          ? undefined
          : ([{ type: 0, asn: int(65536), n: int(2 ** 32) }, { type: 1, ip: `${int(256)}.${int(256)}.${int(256)}.${int(256)}`, n: int(65536) }, { type: 2, asn: int(2 ** 32), n: int(65536) }] as Rd[])[int(3)];
        const rdText = rdSpec === undefined ? undefined : rdSpec.type === 1 ? `${rdSpec.ip}:${rdSpec.n}` : `${rdSpec.asn}:${rdSpec.n}`;
        // keep the stack short enough for the 255-bit length field
        const maxLabels = Math.floor((255 - len - (vpn ? 64 : 0)) / 24);
        const labels = Array.from({ length: 1 + int(Math.min(3, maxLabels)) }, () => 16 + int(0xfffff - 16));
        const pathId = int(2 ** 32);
        return { len, addr, text, rdSpec, rdText, labels, pathId };
      });
      const ap = r() < 0.3;
      const addrText = (e: (typeof entries)[number]) => (v6 ? e.text.slice(0, e.text.indexOf('/')) : e.text.split('/')[0]!);
      const nlri = entries.flatMap((e) =>
        labeledPrefix({ labels: e.labels, addr: addrText(e), len: e.len, ...(e.rdSpec ? { rd: e.rdSpec } : {}), ...(ap ? { pathId: e.pathId } : {}) }),
      );
      const nh = vpn ? [...RD0, ...(v6 ? ip6('2001:db8::1') : ip4('10.0.0.1'))] : v6 ? ip6('2001:db8::1') : ip4('10.0.0.1');
      const a = reach(mpUpdate({ reach: mpReach(v6 ? 2 : 1, vpn ? 128 : 4, nh, nlri) }), ap ? addPath(`${v6 ? 2 : 1}:${vpn ? 128 : 4}`) : AS4);
      expect(a.prefixes).toEqual(entries.map((e) => e.text));
      expect(a.labels).toEqual(entries.map((e) => e.labels));
      expect(a.route_distinguishers).toEqual(vpn ? entries.map((e) => e.rdText) : undefined);
      expect(a.path_ids).toEqual(ap ? entries.map((e) => e.pathId) : null);
    }
  });
});
