// UPDATE decoding with hand-annotated bytes. Each attribute is written as flags | type code | length | value
// (RFC 4271 §4.3); expected values come from the RFC cited at each case, never from the decoder.

import { describe, expect, it } from 'vitest';
import { decodeMessage } from '../../src/bgp/decode.js';
import type { SessionParams, UpdateMessage } from '../../src/bgp/model.js';
import { AS2, AS4, UNKNOWN, update } from './helpers.js';

const ORIGIN_IGP = '40 01 01 00'; // well-known transitive, code 1, length 1, IGP
const ORIGIN_INCOMPLETE = '40 01 01 02';
const EMPTY_AS_PATH = '40 02 00'; // iBGP-originated: AS_PATH present but empty
const NEXT_HOP = '40 03 04 c6336401'; // 198.51.100.1

function upd(params: SessionParams, withdrawn: string, attrs: string, nlri: string) {
  const r = decodeMessage(update(withdrawn, attrs, nlri), params);
  return { ...r, u: r.msg as UpdateMessage };
}

describe('UPDATE: classic IPv4 (RFC 4271)', () => {
  it('decodes every field of a typical UPDATE on a 4-octet AS session', () => {
    const r = upd(
      AS4,
      '18 c00002', // withdrawn 192.0.2.0/24
      [
        ORIGIN_IGP,
        '40 02 0a  02 02 0000fde9 0000fdea', // AS_PATH: AS_SEQUENCE of 2, 65001 65002 (4-octet ASNs)
        NEXT_HOP,
        '80 04 04 00000064', // MULTI_EXIT_DISC 100 (optional non-transitive)
        '40 05 04 000000c8', // LOCAL_PREF 200
        'c0 08 08 fde90064 ffffff01', // COMMUNITIES 65001:100, 65535:65281 (NO_EXPORT, RFC 1997)
        'c0 20 0c 0000fde9 00000001 00000002', // LARGE_COMMUNITY 65001:1:2 (RFC 8092)
        'c0 07 08 0000fde9 c0000201', // AGGREGATOR AS 65001 (4 octets on this session), 192.0.2.1
        '40 06 00', // ATOMIC_AGGREGATE
      ].join(''),
      '08 0a  0c ac10', // NLRI 10.0.0.0/8, 172.16.0.0/12
    );
    expect(r.error).toBeNull();
    expect(r.inferred).toBeNull();
    expect(r.u).toEqual({
      kind: 'update',
      withdrawals: [{ afi: 1, safi: 1, prefixes: ['192.0.2.0/24'], path_ids: null }],
      announcements: [{ afi: 1, safi: 1, next_hop: '198.51.100.1', next_hop_ll: null, prefixes: ['10.0.0.0/8', '172.16.0.0/12'], path_ids: null }],
      as_path: [65001, 65002],
      as_path_segments: [{ type: 2, asns: [65001, 65002] }],
      origin: 'IGP',
      next_hop: '198.51.100.1',
      med: 100,
      local_pref: 200,
      atomic_aggregate: true,
      aggregator_asn: 65001,
      aggregator_ip: '192.0.2.1',
      communities: ['65001:100', '65535:65281'],
      large_communities: ['65001:1:2'],
      originator_id: null,
      cluster_list: null,
      ext_communities: null,
      ipv6_ext_communities: null,
      pmsi_tunnel: null,
      aigp: null,
      otc: null,
      prefix_sid: null,
      attr_set: null,
      bgpsec_path: null,
      attr_codes: [1, 2, 3, 4, 5, 8, 32, 7, 6],
      other_attributes: [],
      end_of_rib: null,
      warnings: [],
    });
  });

  it('nests AS_SET / AS_CONFED_SET and flattens AS_CONFED_SEQUENCE (RFC 5065)', () => {
    const r = upd(
      AS4,
      '',
      ORIGIN_IGP +
        '40 02 1a' +
        '03 02 0000fdf2 0000fdf3' + // AS_CONFED_SEQUENCE 65010 65011
        '02 01 0000fde9' + // AS_SEQUENCE 65001
        '01 02 0000fc00 0000fc01' + // AS_SET {64512, 64513}
        NEXT_HOP,
      '08 0a',
    );
    expect(r.u.as_path).toEqual([65010, 65011, 65001, [64512, 64513]]);
    expect(r.u.as_path_segments).toEqual([
      { type: 3, asns: [65010, 65011] },
      { type: 2, asns: [65001] },
      { type: 1, asns: [64512, 64513] },
    ]);
    expect(r.u.warnings).toEqual([]);
  });

  it('masks bits past the prefix length in the text', () => {
    // /9 from bytes 0a ff: only the top bit of the second byte belongs to the prefix → 10.128.0.0/9.
    // /0 has no bytes; /32 has four.
    const r = upd(AS4, '', ORIGIN_IGP + EMPTY_AS_PATH + NEXT_HOP, '09 0aff  00  20 c0000201');
    expect(r.u.announcements[0]!.prefixes).toEqual(['10.128.0.0/9', '0.0.0.0/0', '192.0.2.1/32']);
  });

  it('keeps unknown attributes raw and reads the Extended Length form (RFC 4271 §4.3)', () => {
    const r = upd(
      AS4,
      '',
      ORIGIN_IGP +
        '50 02 0006 02 01 0000fde9' + // flags 0x50 = transitive + extended length: AS_PATH, 2-octet length 6
        NEXT_HOP +
        'c0 63 02 abcd' + // code 99: unassigned
        '80 09 04 0a000001', // ORIGINATOR_ID (RFC 4456), decoded
      '08 0a',
    );
    expect(r.u.as_path).toEqual([65001]);
    expect(r.u.attr_codes).toEqual([1, 2, 3, 99, 9]);
    expect(r.u.other_attributes).toEqual([{ code: 99, flags: 0xc0, hex: 'abcd' }]);
    expect(r.u.originator_id).toBe('10.0.0.1');
    expect(r.u.warnings).toEqual([]);
  });

  it('marks End-of-RIB: an empty UPDATE for IPv4 unicast (RFC 4724 §2)', () => {
    const r = upd(AS4, '', '', '');
    expect(r.u).toMatchObject({ withdrawals: [], announcements: [], end_of_rib: [[1, 1]], warnings: [] });
  });

  it('warns when an UPDATE is longer than 4096 bytes without Extended Message (RFC 8654)', () => {
    const nlri = '20 0a000001 '.repeat(1000); // 1000 × 10.0.0.1/32, 5 bytes each
    expect(upd(AS4, '', ORIGIN_IGP + EMPTY_AS_PATH + NEXT_HOP, nlri).u.warnings.map((w) => w.code)).toEqual(['message_length']);
    const ext: SessionParams = { ...AS4, extended_message: true };
    const r = upd(ext, '', ORIGIN_IGP + EMPTY_AS_PATH + NEXT_HOP, nlri);
    expect(r.u.warnings).toEqual([]);
    expect(r.u.announcements[0]!.prefixes.length).toBe(1000);
  });
});

describe('UPDATE: the fixed-size attributes ORIGIN, NEXT_HOP, MED, LOCAL_PREF (RFC 4271 §4.3, §5; RFC 7606 §7)', () => {
  // update.ts puts these straight into the message when their flags and length are the ones the RFC gives and
  // hands anything else to their decoders, which warn: each row is one side of that line, with what RFC 4271
  // and RFC 7606 say the message then holds.
  const PATH = EMPTY_AS_PATH;
  const cases: [string, string, Partial<UpdateMessage>, string[]][] = [
    ['ORIGIN EGP', '40 01 01 01' + PATH + NEXT_HOP, { origin: 'EGP' }, []],
    ['ORIGIN INCOMPLETE, Extended Length bit (§4.3: allowed on any attribute)', '50 01 0001 02' + PATH + NEXT_HOP, { origin: 'INCOMPLETE' }, []],
    ['ORIGIN 3: undefined (§7.1)', '40 01 01 03' + PATH + NEXT_HOP, { origin: 'ORIGIN_3' }, ['origin_value']],
    ['ORIGIN of 2 octets (§7.1)', '40 01 02 0000' + PATH + NEXT_HOP, { origin: null }, ['attribute_length']],
    ['ORIGIN flagged optional (§3(c))', 'c0 01 01 00' + PATH + NEXT_HOP, { origin: 'IGP' }, ['attribute_flags']],
    ['NEXT_HOP', ORIGIN_IGP + PATH + '40 03 04 c0000201', { next_hop: '192.0.2.1' }, []],
    ['NEXT_HOP of 5 octets (§7.3; present, so not also missing)', ORIGIN_IGP + PATH + '40 03 05 c000020100', { next_hop: null }, ['attribute_length']],
    ['NEXT_HOP flagged optional transitive (§3(c))', ORIGIN_IGP + PATH + 'c0 03 04 c0000201', { next_hop: '192.0.2.1' }, ['attribute_flags']],
    ['MED 4294967295', ORIGIN_IGP + PATH + NEXT_HOP + '80 04 04 ffffffff', { med: 4294967295 }, []],
    ['MED flagged well-known (§3(c))', ORIGIN_IGP + PATH + NEXT_HOP + '40 04 04 00000064', { med: 100 }, ['attribute_flags']],
    ['MED of 2 octets (§7.4)', ORIGIN_IGP + PATH + NEXT_HOP + '80 04 02 0064', { med: null }, ['attribute_length']],
    ['LOCAL_PREF 0', ORIGIN_IGP + PATH + NEXT_HOP + '40 05 04 00000000', { local_pref: 0 }, []],
    ['LOCAL_PREF flagged optional (§3(c))', ORIGIN_IGP + PATH + NEXT_HOP + '80 05 04 00000064', { local_pref: 100 }, ['attribute_flags']],
    ['LOCAL_PREF of 8 octets (§7.5)', ORIGIN_IGP + PATH + NEXT_HOP + '40 05 08 0000006400000064', { local_pref: null }, ['attribute_length']],
  ];
  for (const [what, attrs, fields, warnings] of cases) {
    it(what, () => {
      const r = upd(AS4, '', attrs, '08 0a');
      expect(r.error).toBeNull();
      expect(r.u).toMatchObject(fields);
      expect(r.u.warnings.map((w) => w.code)).toEqual(warnings);
    });
  }
});

describe('UPDATE: MP_REACH_NLRI / MP_UNREACH_NLRI (RFC 4760)', () => {
  it('decodes IPv6 unicast with a global + link-local next hop (RFC 2545 §3)', () => {
    const r = upd(
      AS4,
      '',
      ORIGIN_IGP +
        EMPTY_AS_PATH +
        '80 0e 2c' + // MP_REACH_NLRI, optional non-transitive, length 44
        '0002 01' + // AFI 2 IPv6, SAFI 1 unicast
        '20' + // next hop length 32
        '20010db8000000000000000000000001' + // global 2001:db8::1
        'fe800000000000000000000000000001' + // link-local fe80::1
        '00' + // reserved
        '30 20010db80001' + // 2001:db8:1::/48
        '80 0f 0a  0002 01  30 20010db80002', // MP_UNREACH_NLRI: IPv6 unicast 2001:db8:2::/48
      '',
    );
    expect(r.error).toBeNull();
    expect(r.u.announcements).toEqual([
      { afi: 2, safi: 1, next_hop: '2001:db8::1', next_hop_ll: 'fe80::1', prefixes: ['2001:db8:1::/48'], path_ids: null },
    ]);
    expect(r.u.withdrawals).toEqual([{ afi: 2, safi: 1, prefixes: ['2001:db8:2::/48'], path_ids: null }]);
    expect(r.u.warnings).toEqual([]);
    expect(r.u.end_of_rib).toBeNull();
  });

  it('masks IPv6 prefix bits past the length', () => {
    // /33 from 20 01 0d b8 ff: one bit of the fifth byte belongs to the prefix → 2001:db8:8000::/33.
    const r = upd(AS4, '', ORIGIN_IGP + EMPTY_AS_PATH + '80 0e 1b 0002 01 10 20010db8000000000000000000000001 00 21 20010db8ff', '');
    expect(r.u.announcements[0]!.prefixes).toEqual(['2001:db8:8000::/33']);
  });

  it('decodes IPv4 NLRI with an IPv6 next hop (RFC 8950)', () => {
    const r = upd(AS4, '', ORIGIN_IGP + EMPTY_AS_PATH + '80 0e 19 0001 01 10 20010db8000000000000000000000001 00 18 c00002', '');
    expect(r.u.announcements).toEqual([
      { afi: 1, safi: 1, next_hop: '2001:db8::1', next_hop_ll: null, prefixes: ['192.0.2.0/24'], path_ids: null },
    ]);
  });

  it('lists a family it does not decode, with its numbers, and keeps the attribute raw', () => {
    // AFI 3 (NSAP in the IANA registry) is no family bgpcap decodes (src/bgp/families.ts): the NLRI field is
    // one entry holding its bytes, and the whole attribute is kept in other_attributes as well.
    // value: AFI 0003 | SAFI 01 | next hop length 04, 10.0.0.1 | reserved 00 | NLRI 10 abcd
    const value = '0003 01 04 0a000001 00 10abcd';
    const r = upd(AS4, '', ORIGIN_IGP + EMPTY_AS_PATH + '80 0e 0c ' + value, '');
    expect(r.u.announcements).toEqual([
      // a 4-byte next hop is an IPv4 address whatever the family (RFC 4760 §3 leaves it to the family; 4 bytes
      // cannot be anything else bgpcap shows)
      { afi: 3, safi: 1, next_hop: '10.0.0.1', next_hop_ll: null, prefixes: ['10abcd'], path_ids: null, nlri: [{ kind: 'raw', hex: '10abcd' }] },
    ]);
    expect(r.u.other_attributes).toEqual([{ code: 14, flags: 0x80, hex: value.replace(/ /g, '') }]);
    expect(r.u.warnings).toEqual([]);
  });

  it('decodes VPNv4 (AFI 1 / SAFI 128, RFC 4364 §4.3.4): route distinguisher, label, prefix', () => {
    // next hop = RD (8, all zero per RFC 4364 §4.3.2) + IPv4 (4); NLRI = labels + RD + prefix (RFC 8277 §2).
    // NLRI: length 112 bits = label 0x000641 (label 100 = 0x64 << 4, bottom of stack bit 1) (24) + RD type 0
    // 65001:1 (64) + 10.0.0.0/24 (24).
    const value = '0001 80 0c 0000000000000000 0a000001 00 70 000641 0000fde900000001 0a0000';
    const r = upd(AS4, '', ORIGIN_IGP + EMPTY_AS_PATH + '80 0e 20 ' + value, '');
    expect(r.u.announcements).toEqual([
      {
        afi: 1,
        safi: 128,
        next_hop: '10.0.0.1',
        next_hop_ll: null,
        prefixes: ['10.0.0.0/24'],
        path_ids: null,
        route_distinguishers: ['65001:1'],
        labels: [[100]],
      },
    ]);
    // decoded, so no longer kept raw
    expect(r.u.other_attributes).toEqual([]);
    expect(r.u.warnings).toEqual([]);
  });

  it('marks End-of-RIB for another family: an UPDATE with only an empty MP_UNREACH_NLRI (RFC 4724 §2)', () => {
    const r = upd(AS4, '', '80 0f 03 0002 01', '');
    expect(r.u.end_of_rib).toEqual([[2, 1]]);
    expect(r.u.withdrawals).toEqual([{ afi: 2, safi: 1, prefixes: [], path_ids: null }]);
  });

  it('warns about a next hop length the family does not allow and keeps the attribute raw (RFC 7606 §7.11)', () => {
    const r = upd(AS4, '', ORIGIN_IGP + EMPTY_AS_PATH + '80 0e 0c 0002 01 05 0102030405 00 08 20', '');
    expect(r.u.announcements).toEqual([]);
    expect(r.u.other_attributes).toEqual([{ code: 14, flags: 0x80, hex: '0002010501020304050008' + '20' }]);
    expect(r.u.warnings).toMatchObject([{ code: 'next_hop_length', offset: 23 + 4 + 3 + 3 + 4 }]);
    expect(r.u.warnings[0]!.message).toContain('session-reset');
  });
});

describe('UPDATE: 2-octet sessions and RFC 6793', () => {
  // Bytes of tshark frame 13 in tcpdump's tests/bgp-4byte-asn.pcap (a 2-octet session).
  const AS_PATH_2 = '40 02 0c 02 05 00c8 0001 5ba0 5ba0 5ba0'; // AS_SEQUENCE 200 1 23456 23456 23456
  const AS4_PATH = 'e0 11 12 02 04 00000001 0003640e 00051615 fffffffa'; // AS4_PATH 1 222222 333333 4294967290

  it('merges AS4_PATH into AS_PATH (RFC 6793 §4.2.3)', () => {
    // AS_PATH counts 5, AS4_PATH 4: take 5 - 4 = 1 leading ASN of AS_PATH (200), then AS4_PATH.
    const r = upd(AS2, '', ORIGIN_INCOMPLETE + AS_PATH_2 + '40 03 04 01000201' + AS4_PATH, '20 04040404');
    expect(r.u.as_path).toEqual([200, 1, 222222, 333333, 4294967290]);
    expect(r.u.as_path_segments).toEqual([{ type: 2, asns: [200, 1, 222222, 333333, 4294967290] }]);
    expect(r.u.attr_codes).toEqual([1, 2, 3, 17]);
    expect(r.u.other_attributes).toEqual([]);
    expect(r.u.warnings).toEqual([]);
  });

  it('ignores an AS4_PATH longer than AS_PATH (RFC 6793 §4.2.3)', () => {
    const r = upd(AS2, '', ORIGIN_IGP + '40 02 04 02 01 5ba0' + NEXT_HOP + AS4_PATH, '08 0a');
    expect(r.u.as_path).toEqual([23456]);
    expect(r.u.warnings.map((w) => w.code)).toEqual(['as4_ignored']);
    expect(r.u.other_attributes.map((a) => a.code)).toEqual([17]);
  });

  it('takes AS4_AGGREGATOR when AGGREGATOR carries AS_TRANS', () => {
    const r = upd(
      AS2,
      '',
      ORIGIN_IGP + AS_PATH_2 + NEXT_HOP + 'c0 07 06 5ba0 c0000201' /* AGGREGATOR: 2-octet AS_TRANS */ + 'c0 12 08 0003640e c0000202' /* AS4_AGGREGATOR 222222 */,
      '08 0a',
    );
    expect(r.u).toMatchObject({ aggregator_asn: 222222, aggregator_ip: '192.0.2.2', warnings: [] });
  });

  it('ignores AS4_PATH and AS4_AGGREGATOR when AGGREGATOR carries a real AS (RFC 6793 §4.2.3)', () => {
    const r = upd(AS2, '', ORIGIN_IGP + AS_PATH_2 + NEXT_HOP + AS4_PATH + 'c0 07 06 00c8 c0000201' + 'c0 12 08 0003640e c0000202', '08 0a');
    expect(r.u).toMatchObject({ aggregator_asn: 200, aggregator_ip: '192.0.2.1', as_path: [200, 1, 23456, 23456, 23456] });
    expect(r.u.warnings.map((w) => w.code)).toEqual(['as4_ignored']);
  });

  it('ignores AS4_PATH on a 4-octet session (RFC 6793 §6) and keeps it raw', () => {
    const r = upd(AS4, '', ORIGIN_IGP + '40 02 06 02 01 0000fde9' + NEXT_HOP + AS4_PATH, '08 0a');
    expect(r.u.as_path).toEqual([65001]);
    expect(r.u.warnings.map((w) => w.code)).toEqual(['as4_ignored']);
    expect(r.u.other_attributes).toEqual([{ code: 17, flags: 0xe0, hex: AS4_PATH.replace(/ /g, '').slice(6) }]);
  });

  it('drops confederation segments from AS4_PATH (RFC 6793 §6)', () => {
    const r = upd(AS2, '', ORIGIN_IGP + '40 02 06 02 02 00c8 5ba0' + NEXT_HOP + 'c0 11 0c 03 01 0000fdf2 02 01 0003640e', '08 0a');
    expect(r.u.as_path).toEqual([200, 222222]);
    expect(r.u.warnings.map((w) => w.code)).toEqual(['as4_path_confed']);
  });

  it('reads a 2-octet AGGREGATOR and rejects a 4-octet one on a 2-octet session', () => {
    expect(upd(AS2, '', 'c0 07 06 fde9 c0000201', '').u).toMatchObject({ aggregator_asn: 65001, aggregator_ip: '192.0.2.1' });
    const bad = upd(AS2, '', 'c0 07 08 0000fde9 c0000201', '').u;
    expect(bad.aggregator_asn).toBeNull();
    expect(bad.warnings).toMatchObject([{ code: 'attribute_length' }]);
    expect(bad.warnings[0]!.message).toContain('attribute-discard');
  });
});

describe('UPDATE: inferring the AS number width when no OPEN was seen', () => {
  it('4-octet when only the 4-octet reading tiles', () => {
    const r = upd(UNKNOWN, '', '40 02 0a 02 02 0000fde9 fa56ea00', ''); // 65001 4200000000
    expect(r.inferred).toEqual({ as4: true });
    expect(r.u.as_path).toEqual([65001, 4200000000]);
  });

  it('2-octet when only the 2-octet reading tiles', () => {
    const r = upd(UNKNOWN, '', '40 02 06 02 02 fde9 fdea', '');
    expect(r.inferred).toEqual({ as4: false });
    expect(r.u.as_path).toEqual([65001, 65002]);
  });

  it('prefers the reading without AS 0 (RFC 7607) when both tile', () => {
    // 4 octets: SEQ [65001, 0x02010001]. 2 octets: SEQ [0, 65001], SEQ [1] — AS 0 gives it away.
    const r = upd(UNKNOWN, '', '40 02 0a 02 02 0000fde9 02010001', '');
    expect(r.inferred).toEqual({ as4: true });
    expect(r.u.as_path).toEqual([65001, 0x02010001]);
  });

  it('breaks a clean tie towards 4 octets, or 2 when AS4_PATH is present (RFC 6793 §6)', () => {
    // 4 octets: SEQ [0x03fd0303], SEQ [0x1003fd01]. 2 octets: SEQ [0x03fd], CONFED_SEQ [0x0201, 0x1003, 0xfd01].
    const path = '40 02 0c 020103fd030302011003fd01';
    const r = upd(UNKNOWN, '', path, '');
    expect(r.inferred).toEqual({ as4: true });
    expect(r.u.as_path).toEqual([66913027, 268696833]);
    expect(upd(UNKNOWN, '', path + 'c0 11 06 02 01 000003fd', '').inferred).toEqual({ as4: false });
  });

  it('follows the AGGREGATOR length (6 = 2 octets, 8 = 4 octets)', () => {
    expect(upd(UNKNOWN, '', EMPTY_AS_PATH + 'c0 07 06 fde9 c0000201', '')).toMatchObject({ inferred: { as4: false }, u: { aggregator_asn: 65001 } });
    expect(upd(UNKNOWN, '', EMPTY_AS_PATH + 'c0 07 08 0000fde9 c0000201', '')).toMatchObject({ inferred: { as4: true }, u: { aggregator_asn: 65001 } });
  });

  it('records no guess when nothing depends on the width', () => {
    expect(upd(UNKNOWN, '', ORIGIN_IGP + EMPTY_AS_PATH, '').inferred).toBeNull();
  });
});

describe('UPDATE: ADD-PATH (RFC 7911 §3)', () => {
  const withdrawn = '00000001 18 c00002'; // path id 1, 192.0.2.0/24
  const nlri = '00000002 08 0a  00000003 08 0a'; // path id 2 and 3, both 10.0.0.0/8
  const attrs = ORIGIN_IGP + EMPTY_AS_PATH + NEXT_HOP;

  it('reads path ids when the session negotiated them for IPv4 unicast', () => {
    const p: SessionParams = { ...AS4, add_path_send: new Set(['1:1']) };
    const r = upd(p, withdrawn, attrs, nlri);
    expect(r.inferred).toBeNull();
    expect(r.u.withdrawals).toEqual([{ afi: 1, safi: 1, prefixes: ['192.0.2.0/24'], path_ids: [1] }]);
    expect(r.u.announcements[0]).toMatchObject({ prefixes: ['10.0.0.0/8', '10.0.0.0/8'], path_ids: [2, 3] });
  });

  it('infers path ids when no OPEN was seen', () => {
    const r = upd(UNKNOWN, withdrawn, attrs, nlri);
    expect(r.inferred).toEqual({ add_path: true });
    expect(r.u.announcements[0]).toMatchObject({ prefixes: ['10.0.0.0/8', '10.0.0.0/8'], path_ids: [2, 3] });
    expect(r.u.warnings).toEqual([]);
  });

  it('infers no path ids for plain NLRI', () => {
    const r = upd(UNKNOWN, '18 c00002', attrs, '08 0a 0c ac10');
    expect(r.inferred).toEqual({ add_path: false });
    expect(r.u.announcements[0]).toMatchObject({ prefixes: ['10.0.0.0/8', '172.16.0.0/12'], path_ids: null });
  });

  it('reads path ids in MP_REACH for the negotiated family only', () => {
    const mp = '80 0e 20 0002 01 10 20010db8000000000000000000000001 00 00000007 30 20010db80001'; // path id 7
    const p: SessionParams = { ...AS4, add_path_send: new Set(['2:1']) };
    expect(upd(p, '', ORIGIN_IGP + EMPTY_AS_PATH + mp, '').u.announcements).toEqual([
      { afi: 2, safi: 1, next_hop: '2001:db8::1', next_hop_ll: null, prefixes: ['2001:db8:1::/48'], path_ids: [7] },
    ]);
    // Without ADD-PATH the same bytes are malformed: the first "prefix" has length 0, then 0, 0, 7 bits...
    const plain = upd(AS4, '', ORIGIN_IGP + EMPTY_AS_PATH + mp, '').u;
    expect(plain.announcements).toEqual([]);
    expect(plain.warnings.map((w) => w.code)).toEqual(['nlri_truncated']);
    // ...which is what the inference sees too.
    expect(upd(UNKNOWN, '', ORIGIN_IGP + EMPTY_AS_PATH + mp, '')).toMatchObject({ inferred: { add_path: true }, u: { announcements: [{ path_ids: [7] }] } });
  });
});

describe('UPDATE: RFC 7606 error handling', () => {
  it('keeps a malformed attribute raw, warns with the RFC 7606 action, and decodes the rest', () => {
    const r = upd(AS4, '', '40 01 02 0000' /* ORIGIN of length 2 */ + '40 02 06 02 01 0000fde9' + NEXT_HOP, '08 0a');
    expect(r.error).toBeNull();
    expect(r.u).toMatchObject({ origin: null, as_path: [65001], next_hop: '198.51.100.1' });
    expect(r.u.other_attributes).toEqual([{ code: 1, flags: 0x40, hex: '0000' }]);
    expect(r.u.warnings).toMatchObject([{ code: 'attribute_length', offset: 23 + 3 }]);
    expect(r.u.warnings[0]!.message).toContain('treat-as-withdraw');
  });

  it('shows an undefined ORIGIN value as ORIGIN_<n> with a warning (RFC 7606 §7.1)', () => {
    const r = upd(AS4, '', '40 01 01 07' + EMPTY_AS_PATH + NEXT_HOP, '08 0a');
    expect(r.u.origin).toBe('ORIGIN_7');
    expect(r.u.warnings.map((w) => w.code)).toEqual(['origin_value']);
  });

  it('rejects COMMUNITIES and LARGE_COMMUNITY lengths that are not multiples of 4 / 12', () => {
    const r = upd(AS4, '', ORIGIN_IGP + EMPTY_AS_PATH + NEXT_HOP + 'c0 08 05 fde9006400' + 'c0 20 0b 0000fde90000000100000002'.slice(0, -2), '08 0a');
    expect(r.u.communities).toBeNull();
    expect(r.u.large_communities).toBeNull();
    expect(r.u.other_attributes.map((a) => a.code)).toEqual([8, 32]);
    expect(r.u.warnings.map((w) => w.code)).toEqual(['attribute_length', 'attribute_length']);
  });

  it('keeps the first of a repeated attribute (RFC 7606 §3(g))', () => {
    const r = upd(AS4, '', ORIGIN_IGP + EMPTY_AS_PATH + NEXT_HOP + '40 05 04 00000064' + '40 05 04 000000c8', '08 0a');
    expect(r.u.local_pref).toBe(100);
    expect(r.u.attr_codes).toEqual([1, 2, 3, 5, 5]);
    expect(r.u.other_attributes).toEqual([{ code: 5, flags: 0x40, hex: '000000c8' }]);
    expect(r.u.warnings.map((w) => w.code)).toEqual(['attribute_duplicate']);
  });

  it('warns about flags that conflict with the attribute type (RFC 7606 §3(c)) but still decodes', () => {
    const r = upd(AS4, '', 'c0 01 01 00' /* ORIGIN marked optional */ + EMPTY_AS_PATH + NEXT_HOP, '08 0a');
    expect(r.u.origin).toBe('IGP');
    expect(r.u.warnings).toMatchObject([{ code: 'attribute_flags', offset: 23 }]);
  });

  it('warns about missing well-known attributes when there is NLRI (RFC 7606 §3(d))', () => {
    const r = upd(AS4, '', '', '08 0a');
    expect(r.u.warnings.map((w) => w.message.split(' ')[0])).toEqual(['ORIGIN', 'AS_PATH', 'NEXT_HOP']);
    expect(r.u.end_of_rib).toBeNull();
  });

  it('warns about AS 0 in AS_PATH (RFC 7607)', () => {
    expect(upd(AS4, '', ORIGIN_IGP + '40 02 06 02 01 00000000' + NEXT_HOP, '08 0a').u.warnings.map((w) => w.code)).toEqual(['as_path_as0']);
  });

  it('rejects malformed AS_PATH segments: zero count, unknown type, overrun (RFC 7606 §7.2)', () => {
    for (const seg of ['02 00', '05 01 0000fde9', '02 02 0000fde9']) {
      const len = (seg.replace(/ /g, '').length / 2).toString(16).padStart(2, '0');
      const r = upd(AS4, '', ORIGIN_IGP + `40 02 ${len} ${seg}` + NEXT_HOP, '08 0a');
      expect(r.u.as_path, seg).toBeNull();
      expect(r.u.warnings.map((w) => w.code), seg).toEqual(['as_path_segment']);
    }
  });

  it('keeps the prefixes before a bad one in the NLRI and warns (RFC 7606 §5.3)', () => {
    const r = upd(AS4, '', ORIGIN_IGP + EMPTY_AS_PATH + NEXT_HOP, '08 0a  21 0a000000 00');
    expect(r.u.announcements[0]!.prefixes).toEqual(['10.0.0.0/8']);
    expect(r.u.warnings).toMatchObject([{ code: 'prefix_length', offset: 23 + 4 + 3 + 7 + 2 }]);
  });

  it('fails the message when the Withdrawn Routes Length runs past it', () => {
    const r = decodeMessage(update('', '', '').map((x, i) => (i === 20 ? 0x10 : x)), AS4);
    expect(r).toMatchObject({ msg: null, error: { code: 'withdrawn_length', offset: 19 } });
  });

  it('fails the message when the Total Path Attribute Length runs past it', () => {
    const b = update('', ORIGIN_IGP, '');
    b[22] = 0x20;
    expect(decodeMessage(b, AS4)).toMatchObject({ msg: null, error: { code: 'path_attributes_length', offset: 21 } });
  });

  // RFC 7606 §4: when the last attribute's length overruns the Total Path Attribute Length, or fewer octets are
  // left than an attribute header takes, treat-as-withdraw MUST be used and the Total Path Attribute Length
  // relied on to locate the NLRI. A router withdraws those prefixes, so they are listed; the attributes before
  // the bad one are decoded and its bytes (to the end of the attribute area) kept in the warning.
  it('an attribute whose length runs past the path attribute area ends the attributes; the NLRI are still read (RFC 7606 §4)', () => {
    // Withdrawn 192.0.2.0/24 (4 octets), so the attributes start at 19 + 2 + 4 + 2 = 27: ORIGIN (4), an empty
    // AS_PATH (3), then NEXT_HOP at 34 claiming 8 octets of which 4 are there.
    const r = upd(AS4, '18 c00002', ORIGIN_IGP + EMPTY_AS_PATH + '40 03 08 c6336401', '08 0a');
    expect(r.error).toBeNull();
    expect(r.u.withdrawals).toEqual([{ afi: 1, safi: 1, prefixes: ['192.0.2.0/24'], path_ids: null }]);
    expect(r.u.announcements).toEqual([{ afi: 1, safi: 1, next_hop: null, next_hop_ll: null, prefixes: ['10.0.0.0/8'], path_ids: null }]);
    expect([r.u.origin, r.u.as_path, r.u.next_hop]).toEqual(['IGP', [], null]);
    expect(r.u.attr_codes).toEqual([1, 2]);
    // One warning: not also "NEXT_HOP missing" (§3(d)), which the cut-off bytes may hold.
    expect(r.u.warnings).toEqual([
      { code: 'attribute_length', message: expect.stringContaining('RFC 7606 §4') as string, offset: 34, action: 'treat-as-withdraw', attr_code: 3, hex: '400308c6336401' },
    ]);
  });

  it('fewer octets left than an attribute header: the same, the bytes kept even without a type code (RFC 7606 §4)', () => {
    // ORIGIN, then 50 02 00 at 27: Extended Length set, so the header needs 4 octets; 3 are left.
    const r = upd(AS4, '', ORIGIN_IGP + '50 02 00', '08 0a');
    expect(r.error).toBeNull();
    expect(r.u.announcements[0]!.prefixes).toEqual(['10.0.0.0/8']);
    expect(r.u.warnings).toMatchObject([{ code: 'attribute_header', offset: 27, action: 'treat-as-withdraw', attr_code: 2, hex: '500200' }]);
    // One octet left: no type code to name.
    const one = upd(AS4, '', ORIGIN_IGP + '40', '');
    expect(one.u.warnings).toMatchObject([{ code: 'attribute_header', offset: 27, attr_code: null, hex: '40' }]);
    expect(one.u.attr_codes).toEqual([1]);
  });

  it('an MP_UNREACH_NLRI of one family and nothing else but a cut-off attribute is not an End-of-RIB (RFC 4724 §2)', () => {
    const eor = upd(AS4, '', '80 0f 03 000201', '');
    expect(eor.u.end_of_rib).toEqual([[2, 1]]);
    const cut = upd(AS4, '', '80 0f 03 000201 40', '');
    expect(cut.u.end_of_rib).toBeNull();
    expect(cut.u.warnings).toMatchObject([{ code: 'attribute_header', offset: 29 }]);
  });
});
