// MCAST-VPN (RFC 6514), MDT (RFC 6037), VPLS (RFC 4761 / RFC 6074), BGP-LS (RFC 9552), families bgpcap
// does not know, next hop forms, End-of-RIB for every family (RFC 4724) and ADD-PATH on every family.

import { describe, expect, it } from 'vitest';
import {
  bgpLsNlri,
  evpnRoute,
  flowspecRule,
  ip4,
  ip6,
  labeledPrefix,
  mcastAddr,
  mdtRoute,
  mpReach,
  mpUnreach,
  mpUpdate,
  mvpnRoute,
  rd,
  routeTarget,
  rtcRoute,
  vplsAdRoute,
  vplsRoute,
  type Bytes,
  type Rd,
} from '../../bench/lib/nlri.js';
import { mpFamilies } from '../../src/bgp/families.js';
import { AS4, UNKNOWN, addPath, decodeUpdateBytes, hx, reach, unreach } from './families-lib.js';

const RD1: Rd = { type: 0, asn: 65000, n: 1 };
const NH = ip4('192.0.2.254');

describe('MCAST-VPN (RFC 6514 §4)', () => {
  it('route types 1 to 7', () => {
    const r = rd(RD1);
    const nlri = [
      ...mvpnRoute(1, [...r, ...ip4('192.0.2.1')]),
      ...mvpnRoute(2, [...r, 0, 0, 0xfd, 0xe8]),
      ...mvpnRoute(3, [...r, ...mcastAddr('10.0.0.1'), ...mcastAddr('232.1.1.1'), ...ip4('192.0.2.1')]),
      ...mvpnRoute(4, [...mvpnRoute(3, [...r, ...mcastAddr(''), ...mcastAddr(''), ...ip4('192.0.2.1')]), ...ip4('192.0.2.9')]),
      ...mvpnRoute(5, [...r, ...mcastAddr('2001:db8::1'), ...mcastAddr('ff3e::1')]),
      ...mvpnRoute(6, [...r, 0, 0, 0xfd, 0xe8, ...mcastAddr('10.0.0.9'), ...mcastAddr('239.0.0.1')]),
      ...mvpnRoute(7, [...r, 0, 0, 0xfd, 0xe8, ...mcastAddr('10.0.0.1'), ...mcastAddr('232.1.1.1')]),
    ];
    const a = reach(mpUpdate({ reach: mpReach(1, 5, NH, nlri) }));
    expect(a.prefixes).toEqual([
      '[1]:[192.0.2.1]',
      '[2]:[65000]',
      '[3]:[32]:[10.0.0.1]:[32]:[232.1.1.1]:[192.0.2.1]',
      '[4]:[030e0000fde8000000010000c0000201]:[192.0.2.9]',
      '[5]:[128]:[2001:db8::1]:[128]:[ff3e::1]',
      '[6]:[65000]:[32]:[10.0.0.9]:[32]:[239.0.0.1]',
      '[7]:[65000]:[32]:[10.0.0.1]:[32]:[232.1.1.1]',
    ]);
    expect(a.route_distinguishers).toEqual(['65000:1', '65000:1', '65000:1', null, '65000:1', '65000:1', '65000:1']);
    expect(a.nlri![2]).toEqual({ kind: 'mvpn', route_type: 3, name: 'spmsi_ad', source: '10.0.0.1', group: '232.1.1.1', originator: '192.0.2.1' });
  });

  it('the fuzzed MVPN route of tcpdump tests/tok2str-oobr-1.pcap is malformed, not a crash', () => {
    // type 0 length 0 where a route should be
    const { u } = decodeUpdateBytes(mpUpdate({ reach: mpReach(1, 5, NH, hx('00 00 04 ff')) }));
    expect(u.announcements).toEqual([]);
    expect(u.warnings.map((w) => w.code)).toEqual(['nlri_type']);
  });
});

describe('MDT, VPLS, BGP-LS', () => {
  it('MDT SAFI (RFC 6037 §5): RD, PE address, group', () => {
    const a = reach(mpUpdate({ reach: mpReach(1, 66, NH, mdtRoute({ type: 1, ip: '192.0.2.1', n: 3 }, '192.0.2.1', '239.1.1.1')) }));
    expect([a.prefixes, a.route_distinguishers, a.nlri]).toEqual([
      ['[192.0.2.1]:[239.1.1.1]'],
      ['192.0.2.1:3'],
      [{ kind: 'mdt', address: '192.0.2.1', group: '239.1.1.1' }],
    ]);
  });

  it('VPLS (RFC 4761 §3.2.2) and BGP auto-discovery (RFC 6074 §7.1)', () => {
    const nlri = [...vplsRoute(RD1, 3, 1, 8, 800000), ...vplsAdRoute(RD1, '192.0.2.7')];
    const a = reach(mpUpdate({ reach: mpReach(25, 65, NH, nlri) }));
    expect(a.prefixes).toEqual(['[3]:[1]:[8]:[800000]', '[192.0.2.7]']);
    expect(a.nlri).toEqual([
      { kind: 'vpls', ve_id: 3, ve_block_offset: 1, ve_block_size: 8, label_base: 800000 },
      { kind: 'vpls', pe: '192.0.2.7' },
    ]);
  });

  it('BGP-LS (RFC 9552 §5.2): type and value; SAFI 72 has an RD inside the length', () => {
    // node NLRI: Protocol-ID 3 (OSPFv2), Identifier 0, Local Node Descriptors TLV 256 with AS 65000
    const node = hx('03 0000000000000000 0100 0008 0200 0004 0000fde8');
    const a = reach(mpUpdate({ reach: mpReach(16388, 71, NH, [...bgpLsNlri(1, node), ...bgpLsNlri(9, [1, 2])]) }));
    expect(a.prefixes).toEqual([`[node]:[${Buffer.from(node).toString('hex')}]`, '[type9]:[0102]']);
    expect(a.nlri![0]).toMatchObject({ kind: 'bgp_ls', nlri_type: 1, name: 'node', protocol_id: 3 });
    const v = reach(mpUpdate({ reach: mpReach(16388, 72, NH, bgpLsNlri(2, node, RD1)) }));
    expect([v.route_distinguishers, v.nlri![0]]).toEqual([['65000:1'], expect.objectContaining({ name: 'link', protocol_id: 3 })]);
  });

  it('a family bgpcap does not know: one entry with the NLRI in hex, next hop read, attribute also raw', () => {
    const bytes = mpUpdate({ reach: mpReach(3, 99, ip4('10.0.0.1'), hx('0a0b0c')), unreach: mpUnreach(3, 99, hx('ff')) });
    const { u } = decodeUpdateBytes(bytes);
    expect(u.announcements).toEqual([
      { afi: 3, safi: 99, next_hop: '10.0.0.1', next_hop_ll: null, prefixes: ['0a0b0c'], path_ids: null, nlri: [{ kind: 'raw', hex: '0a0b0c' }] },
    ]);
    expect(u.withdrawals).toEqual([{ afi: 3, safi: 99, prefixes: ['ff'], path_ids: null, nlri: [{ kind: 'raw', hex: 'ff' }] }]);
    expect(u.other_attributes.map((x) => x.code)).toEqual([14, 15]);
    // an odd next hop length is left null (the raw attribute has it)
    const odd = decodeUpdateBytes(mpUpdate({ reach: mpReach(3, 99, [1, 2, 3], hx('0a')) }));
    expect(odd.u.announcements[0]!.next_hop).toBeNull();
  });
});

describe('next hops (RFC 2545, RFC 8950, RFC 4659)', () => {
  const v6 = (nh: Bytes) => reach(mpUpdate({ reach: mpReach(2, 1, nh, hx('20 20010db8')) }));
  it('global + link-local, the all-zero link-local half, a lone link-local', () => {
    expect(v6([...ip6('2001:db8::1'), ...ip6('fe80::1')])).toMatchObject({ next_hop: '2001:db8::1', next_hop_ll: 'fe80::1' });
    // 32 bytes whose link-local half is zero (padding): no link-local address
    expect(v6([...ip6('2001:db8::1'), ...ip6('::')])).toMatchObject({ next_hop: '2001:db8::1', next_hop_ll: null });
    // Cisco: only the link-local address, 16 bytes
    expect(v6(ip6('fe80::21f:caff:fe00:1'))).toMatchObject({ next_hop: 'fe80::21f:caff:fe00:1', next_hop_ll: 'fe80::21f:caff:fe00:1' });
    // and a link-local in both halves (tcpdump tests/mpbgp-linklocal-nexthop.pcap has global + link-local)
    expect(v6([...ip6('fe80::1'), ...ip6('fe80::1')])).toMatchObject({ next_hop: 'fe80::1', next_hop_ll: 'fe80::1' });
  });

  it('IPv4 NLRI with an IPv6 next hop (RFC 8950 §3), 16 and 32 bytes', () => {
    const a = reach(mpUpdate({ reach: mpReach(1, 1, [...ip6('2001:db8::1'), ...ip6('fe80::1')], hx('18 c00002')) }));
    expect([a.next_hop, a.next_hop_ll, a.prefixes]).toEqual(['2001:db8::1', 'fe80::1', ['192.0.2.0/24']]);
  });

  it('a next hop length the family does not allow is malformed', () => {
    const { u } = decodeUpdateBytes(mpUpdate({ reach: mpReach(1, 128, [1, 2, 3, 4, 5], hx('70 003e81 0000fde800000064 c00002')) }));
    expect(u.warnings.map((w) => w.code)).toEqual(['next_hop_length']);
  });
});

/** One valid entry per family (encoded by bench/lib/nlri.ts), with the next hop it uses. */
function sample(afi: number, safi: number): { nh: Bytes; entry: (pathId?: number) => Bytes } {
  const v6 = afi === 2;
  const addr = v6 ? '2001:db8:1::' : '10.1.0.0';
  switch (safi) {
    case 1:
    case 2:
      return { nh: v6 ? ip6('2001:db8::1') : NH, entry: (id) => [...(id !== undefined ? [0, 0, 0, id] : []), 16, ...(v6 ? [0x20, 0x01] : [10, 1])] };
    case 4:
      return { nh: v6 ? ip6('2001:db8::1') : NH, entry: (id) => labeledPrefix({ labels: [100], addr, len: v6 ? 48 : 16, ...(id !== undefined ? { pathId: id } : {}) }) };
    case 128:
    case 129:
      return { nh: [...rd(RD1), ...(v6 ? ip6('2001:db8::1') : NH)], entry: (id) => labeledPrefix({ labels: [100], addr, len: v6 ? 48 : 16, rd: RD1, ...(id !== undefined ? { pathId: id } : {}) }) };
    case 133:
    case 134:
      return {
        nh: [],
        entry: (id) => flowspecRule([{ type: 1, prefix: addr, len: 16 }, { type: 3, terms: [{ op: '=', value: 6 }] }], { v6, ...(safi === 134 ? { rd: RD1 } : {}), ...(id !== undefined ? { pathId: id } : {}) }),
      };
    case 70:
      return { nh: NH, entry: (id) => evpnRoute({ type: 3, rd: RD1, tag: 1, originator: '192.0.2.1' }, id) };
    case 132:
      return { nh: NH, entry: (id) => [...(id !== undefined ? [0, 0, 0, id] : []), ...rtcRoute(65000, routeTarget(0, 65000, 1), 96)] };
    case 5:
      return { nh: NH, entry: (id) => [...(id !== undefined ? [0, 0, 0, id] : []), ...mvpnRoute(1, [...rd(RD1), ...ip4('192.0.2.1')])] };
    case 66:
      return { nh: NH, entry: (id) => [...(id !== undefined ? [0, 0, 0, id] : []), ...mdtRoute(RD1, '192.0.2.1', '239.1.1.1')] };
    case 65:
      return { nh: NH, entry: (id) => [...(id !== undefined ? [0, 0, 0, id] : []), ...vplsRoute(RD1, 1, 1, 8, 1000)] };
    case 71:
    case 72:
      return { nh: NH, entry: (id) => [...(id !== undefined ? [0, 0, 0, id] : []), ...bgpLsNlri(1, hx('03 0000000000000000 0100 0000'), safi === 72 ? RD1 : undefined)] };
  }
  throw new Error(`no sample for ${afi}/${safi}`);
}

describe('every family', () => {
  const families = mpFamilies();
  it('has a sample here', () => expect(families.length).toBeGreaterThanOrEqual(23));

  for (const f of families) {
    it(`${f.name} (${f.afi}/${f.safi}): End-of-RIB, withdrawal, ADD-PATH from the OPENs and inferred`, () => {
      // RFC 4724 §2: an UPDATE whose only attribute is an empty MP_UNREACH_NLRI
      const eor = decodeUpdateBytes(mpUpdate({ unreach: mpUnreach(f.afi, f.safi, []) }));
      expect(eor.u.end_of_rib).toEqual([[f.afi, f.safi]]);
      expect(eor.u.warnings).toEqual([]);

      const s = sample(f.afi, f.safi);
      const one = reach(mpUpdate({ reach: mpReach(f.afi, f.safi, s.nh, s.entry()) }));
      expect(one.prefixes).toHaveLength(1);
      const w = unreach(mpUpdate({ unreach: mpUnreach(f.afi, f.safi, s.entry()) }));
      expect(w.prefixes).toEqual(one.prefixes);

      const withIds = mpUpdate({ reach: mpReach(f.afi, f.safi, s.nh, [...s.entry(1), ...s.entry(2)]) });
      const known = reach(withIds, addPath(`${f.afi}:${f.safi}`));
      expect(known.path_ids).toEqual([1, 2]);
      expect(known.prefixes).toEqual([...one.prefixes, ...one.prefixes]);
      const guessed = decodeUpdateBytes(withIds, UNKNOWN);
      expect(guessed.u.announcements[0]).toEqual(known);
      // and a run without path ids is not taken for one with them
      const plain = decodeUpdateBytes(mpUpdate({ reach: mpReach(f.afi, f.safi, s.nh, [...s.entry(), ...s.entry()]) }), UNKNOWN);
      expect(plain.u.announcements[0]!.path_ids).toBeNull();
    });
  }

  it('the classic IPv4 End-of-RIB is the empty UPDATE', () => {
    const { u } = decodeUpdateBytes(new Uint8Array([...new Array<number>(16).fill(0xff), 0, 23, 2, 0, 0, 0, 0]), AS4);
    expect(u.end_of_rib).toEqual([[1, 1]]);
  });
});
