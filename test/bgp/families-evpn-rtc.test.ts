// EVPN (AFI 25 SAFI 70, RFC 7432 §7, RFC 9136 §3) and route target constraint (SAFI 132, RFC 4684 §4):
// hand-annotated bytes and round trips through bench/lib/nlri.ts.

import { describe, expect, it } from 'vitest';
import { evpnRoute, mpReach, mpUnreach, mpUpdate, ip4, routeTarget, rtcRoute, type Rd } from '../../bench/lib/nlri.js';
import { UNKNOWN, addPath, decodeUpdateBytes, hx, reach, unreach } from './families-lib.js';

const NH = ip4('192.0.2.254');
const RD_IP: Rd = { type: 1, ip: '4.4.4.4', n: 4 };
const ESI = hx('00 11 22 33 44 55 66 77 88 99');

describe('EVPN (RFC 7432, RFC 9136)', () => {
  it('MAC/IP advertisement without an IP, VXLAN VNI in the label field (bytes of tcpdump tests/bgp-encap.pcap)', () => {
    // 02 21: type 2, length 33 | 0001 04040404 0004: RD type 1 4.4.4.4:4 | ESI 0 (10) | tag 0 (4)
    // 30 02060a0efaf3: MAC length 48, MAC | 00: no IP | 000065: label field 0x000065 (VNI 101)
    const nlri = hx('02 21 0001040404040004 00000000000000000000 00000000 30 02060a0efaf3 00 000065');
    const a = reach(mpUpdate({ reach: mpReach(25, 70, ip4('4.4.4.4'), nlri) }));
    expect(a).toMatchObject({
      afi: 25,
      safi: 70,
      next_hop: '4.4.4.4',
      prefixes: ['[2]:[0]:[48]:[02:06:0a:0e:fa:f3]'],
      route_distinguishers: ['4.4.4.4:4'],
      labels: [[6]],
    });
    expect(a.nlri).toEqual([
      { kind: 'evpn', route_type: 2, name: 'mac_ip', esi: '00:00:00:00:00:00:00:00:00:00', ethernet_tag: 0, mac: '02:06:0a:0e:fa:f3', ip: null, label_fields: [101] },
    ]);
  });

  it('route types 1 to 5', () => {
    const nlri = [
      ...evpnRoute({ type: 1, rd: RD_IP, esi: ESI, tag: 100, label: 16 }),
      ...evpnRoute({ type: 2, rd: RD_IP, esi: ESI, tag: 100, mac: 'aa:bb:cc:dd:ee:ff', ip: '10.0.0.1', label1: 17, label2: 18 }),
      ...evpnRoute({ type: 2, rd: RD_IP, esi: ESI, tag: 0, mac: 'aa:bb:cc:dd:ee:ff', ip: '2001:db8::1', label1: 19 }),
      ...evpnRoute({ type: 3, rd: RD_IP, tag: 100, originator: '192.0.2.1' }),
      ...evpnRoute({ type: 4, rd: RD_IP, esi: ESI, originator: '2001:db8::2' }),
      ...evpnRoute({ type: 5, rd: RD_IP, esi: ESI, tag: 0, prefix: '10.1.0.0', len: 16, gateway: '0.0.0.0', label: 20 }),
      ...evpnRoute({ type: 5, rd: RD_IP, esi: ESI, tag: 7, prefix: '2001:db8:1::', len: 48, gateway: '2001:db8::9', label: 21 }),
    ];
    const a = reach(mpUpdate({ reach: mpReach(25, 70, NH, nlri) }));
    const esi = '00:11:22:33:44:55:66:77:88:99';
    expect(a.prefixes).toEqual([
      `[1]:[100]:[${esi}]`,
      '[2]:[100]:[48]:[aa:bb:cc:dd:ee:ff]:[32]:[10.0.0.1]',
      '[2]:[0]:[48]:[aa:bb:cc:dd:ee:ff]:[128]:[2001:db8::1]',
      '[3]:[100]:[32]:[192.0.2.1]',
      `[4]:[${esi}]:[128]:[2001:db8::2]`,
      '[5]:[0]:[16]:[10.1.0.0]',
      '[5]:[7]:[48]:[2001:db8:1::]',
    ]);
    expect(a.labels).toEqual([[16], [17, 18], [19], [], [], [20], [21]]);
    expect(a.route_distinguishers).toEqual(Array(7).fill('4.4.4.4:4'));
    expect(a.nlri![5]).toEqual({
      kind: 'evpn', route_type: 5, name: 'ip_prefix', esi, ethernet_tag: 0, prefix: '10.1.0.0/16', gateway: '0.0.0.0', label_fields: [(20 << 4) | 1],
    });
    expect(a.nlri![3]).toEqual({ kind: 'evpn', route_type: 3, name: 'inclusive_multicast', ethernet_tag: 100, originator: '192.0.2.1' });
  });

  it('a route type bgpcap does not decode keeps its RD and the rest in hex; type 0 and bad lengths are malformed', () => {
    // type 6 (RFC 9251 SMET), length 10: RD 0000fde800000001 then 2 bytes
    const a = reach(mpUpdate({ reach: mpReach(25, 70, NH, hx('06 0a 0000fde800000001 abcd')) }));
    expect([a.prefixes, a.route_distinguishers, a.labels, a.nlri]).toEqual([
      ['[6]:[abcd]'], ['65000:1'], [[]], [{ kind: 'evpn', route_type: 6, name: 'type6', hex: 'abcd' }],
    ]);
    for (const bad of ['00 00', '01 18' + '00'.repeat(24), '03 11 0000fde800000001 00000000 18 c00002']) {
      const { u } = decodeUpdateBytes(mpUpdate({ reach: mpReach(25, 70, NH, hx(bad)) }));
      expect(u.announcements, bad).toEqual([]);
      expect(u.warnings[0]!.code, bad).toMatch(/^nlri_/);
    }
  });

  it('withdrawals, ADD-PATH, and the guess when no OPEN was seen', () => {
    const route = evpnRoute({ type: 3, rd: RD_IP, tag: 1, originator: '192.0.2.1' });
    const w = unreach(mpUpdate({ unreach: mpUnreach(25, 70, route) }));
    expect([w.prefixes, w.route_distinguishers]).toEqual([['[3]:[1]:[32]:[192.0.2.1]'], ['4.4.4.4:4']]);
    const withIds = [...evpnRoute({ type: 3, rd: RD_IP, tag: 1, originator: '192.0.2.1' }, 1), ...evpnRoute({ type: 3, rd: RD_IP, tag: 2, originator: '192.0.2.1' }, 2)];
    const bytes = mpUpdate({ reach: mpReach(25, 70, NH, withIds) });
    expect(reach(bytes, addPath('25:70')).path_ids).toEqual([1, 2]);
    const g = decodeUpdateBytes(bytes, UNKNOWN);
    expect(g.u.announcements[0]!.path_ids).toEqual([1, 2]);
    expect(g.res.inferred).toMatchObject({ add_path: true });
  });
});

describe('route target constraint (RFC 4684)', () => {
  it('full, partial and default routes (bytes of tcpdump tests/bgp-rt-prefix.pcap and RFC 4684 §4)', () => {
    const nlri = hx(
      '00' + // default: length 0
        '20 00000016' + // /32: origin AS 22 only
        '30 00000016 0002' + // /48: origin AS 22, RT type 0x00 subtype 0x02, rest absent
        '50 00000016 0202 0001 0000' + // /80: type 0x02 (4-octet AS), AS 65536, value absent
        '60 00000016 0202 000186a0 ffff' + // /96: 22, RT 100000:65535
        '60 0000fde8 0102 c0000201 0007', // /96: 65000, RT 192.0.2.1:7
    );
    const a = reach(mpUpdate({ reach: mpReach(1, 132, ip4('1.0.0.2'), nlri) }));
    expect(a.prefixes).toEqual(['0:0:0/0', '22:0:0/32', '22:0:0/48', '22:65536:0/80', '22:100000:65535/96', '65000:192.0.2.1:7/96']);
    expect(a.nlri![0]).toEqual({ kind: 'rtc', length: 0, origin_as: null, route_target: null });
    expect(a.nlri![4]).toEqual({ kind: 'rtc', length: 96, origin_as: 22, route_target: '100000:65535' });
    expect(a.route_distinguishers).toBeUndefined();
  });

  it('round trip through the encoder, and a length over 96 is malformed', () => {
    const nlri = [...rtcRoute(64512, routeTarget(0, 64512, 4000000000), 96), ...rtcRoute(4200000000, routeTarget(2, 4200000001, 9), 96)];
    const a = reach(mpUpdate({ reach: mpReach(1, 132, ip4('10.0.0.1'), nlri) }));
    expect(a.prefixes).toEqual(['64512:64512:4000000000/96', '4200000000:4200000001:9/96']);
    const { u } = decodeUpdateBytes(mpUpdate({ reach: mpReach(1, 132, ip4('10.0.0.1'), hx('61' + '00'.repeat(13))) }));
    expect(u.warnings[0]!.code).toBe('prefix_length');
  });
});
