// Flowspec (SAFI 133/134, RFC 8955 / RFC 8956): the RFCs' own encoding examples, hand-annotated operator
// bytes, and round trips through bench/lib/nlri.ts.

import { describe, expect, it } from 'vitest';
import { flowspecRule, mpReach, mpUnreach, mpUpdate, type FsComponent } from '../../bench/lib/nlri.js';
import { AS4, UNKNOWN, decodeUpdateBytes, hx, reach, unreach } from './families-lib.js';

const rule4 = (bytes: string) => reach(mpUpdate({ reach: mpReach(1, 133, [], hx(bytes)) }));

describe('flowspec IPv4 (RFC 8955)', () => {
  it('§4.2.3 example 1: dst 192.0.2.0/24, proto 6, port 25', () => {
    // 0b len 11 | 01 18 c00002: type 1 /24 | 03 81 06: type 3, op e=1 len=1 eq, 6 | 04 81 19: type 4, =25
    const a = rule4('0b 01 18 c00002 03 81 06 04 81 19');
    expect(a).toMatchObject({ afi: 1, safi: 133, next_hop: null, prefixes: ['dst 192.0.2.0/24 proto =6 port =25'] });
    expect(a.nlri).toEqual([
      {
        kind: 'flowspec',
        components: [
          { type: 1, name: 'dst', prefix: '192.0.2.0/24' },
          { type: 3, name: 'proto', numeric: [{ and: false, op: '=', value: 6 }] },
          { type: 4, name: 'port', numeric: [{ and: false, op: '=', value: 25 }] },
        ],
      },
    ]);
  });

  it('§4.2.3 example 2: port {range [137, 139] or 8080}', () => {
    // 04 | 03 89: >= 137 | 45 8b: and, <= 139 | 91 1f90: end, 2-byte value, = 8080
    const a = rule4('12 01 18 c00002 02 18 cb0071 04 03 89 45 8b 91 1f90');
    expect(a.prefixes).toEqual(['dst 192.0.2.0/24 src 203.0.113.0/24 port >=137&&<=139,=8080']);
    expect(a.nlri![0]).toMatchObject({
      components: [
        {},
        {},
        { numeric: [{ and: false, op: '>=', value: 137 }, { and: true, op: '<=', value: 139 }, { and: false, op: '=', value: 8080 }] },
      ],
    });
  });

  it('bitmask operators: tcp-flags and fragment (§4.2.1.2, §4.2.2.9, §4.2.2.12)', () => {
    // 09 | 01 02: match, SYN | c2 10: end, and, not, ACK || 0c | 80 02: end, IsF || 0c.. second rule: 00 05 then 81 08
    const a = rule4('08 09 01 02 c2 10 0c 80 02  08 0c 00 05 81 08 09 81 12');
    expect(a.prefixes).toEqual(['tcp-flags =syn&&!ack fragment isf', 'fragment df+ff,=lf tcp-flags =syn+ack']);
    expect(a.nlri![0]).toMatchObject({
      components: [
        { type: 9, name: 'tcp-flags', bitmask: [{ and: false, not: false, match: true, value: 2 }, { and: true, not: true, match: false, value: 16 }] },
        { type: 12, name: 'fragment', bitmask: [{ and: false, not: false, match: false, value: 2 }] },
      ],
    });
  });

  it('every numeric operator, value sizes 1/2/4/8, the other components', () => {
    // 05 dport: 02 >50 | 44 <100 (and) | 06 !=... ; 0a length: a1 0000ffff? (4 bytes: 0xa0|1? see below)
    const bytes = [
      ...flowspecRule([
        { type: 3, terms: [{ op: 'true', value: 0 }] },
        { type: 5, terms: [{ op: '>', value: 50 }, { op: '<', value: 100, and: true }, { op: '!=', value: 1, size: 2 }] },
        { type: 6, terms: [{ op: '<=', value: 1023 }] },
        { type: 7, terms: [{ op: '=', value: 8 }] },
        { type: 8, terms: [{ op: 'false', value: 0 }] },
        { type: 10, terms: [{ op: '>=', value: 70000, size: 4 }, { op: '<', value: 2 ** 40, size: 8, and: true }] },
        { type: 11, terms: [{ op: '=', value: 46 }] },
      ]),
    ];
    const a = reach(mpUpdate({ reach: mpReach(1, 133, [], bytes) }));
    expect(a.prefixes).toEqual(['proto true dport >50&&<100,!=1 sport <=1023 icmp-type =8 icmp-code false length >=70000&&<1099511627776 dscp =46']);
  });

  it('an unknown component type ends the rule, kept as hex; type 13 is unknown on IPv4', () => {
    const a = rule4('07 01 08 0a c8 aabbcc  06 03 81 11 0d 81 05');
    expect(a.prefixes).toEqual(['dst 10.0.0.0/8 type200 aabbcc', 'proto =17 type13 8105']);
    expect(a.nlri![0]!).toMatchObject({ components: [{}, { type: 200, name: 'type200', hex: 'aabbcc' }] });
  });

  it('2-byte length for rules of 240 bytes or more (§4.1)', () => {
    const terms = Array.from({ length: 120 }, (_, i) => ({ op: '=' as const, value: 1000 + i }));
    const bytes = flowspecRule([{ type: 5, terms }]);
    expect(bytes[0]! >> 4).toBe(0xf);
    const a = reach(mpUpdate({ reach: mpReach(1, 133, [], bytes) }));
    expect(a.prefixes).toEqual([`dport ${terms.map((t) => `=${t.value}`).join(',')}`]);
  });

  it('malformed rules: a component past the rule, a missing end-of-list, length 0', () => {
    for (const bad of ['04 01 18 c000', '03 04 01 50', '00']) {
      const { u } = decodeUpdateBytes(mpUpdate({ reach: mpReach(1, 133, [], hx(bad)) }));
      expect(u.announcements, bad).toEqual([]);
      expect(u.warnings).toHaveLength(1);
      expect(u.other_attributes.map((x) => x.code)).toEqual([14]);
    }
  });

  it('withdrawals, End-of-RIB, and the VPN variant (SAFI 134: RD inside the rule)', () => {
    const w = unreach(mpUpdate({ unreach: mpUnreach(1, 133, hx('05 01 18 c00002')) }));
    expect(w).toMatchObject({ prefixes: ['dst 192.0.2.0/24'], nlri: [{ kind: 'flowspec' }] });
    const eor = decodeUpdateBytes(mpUpdate({ unreach: mpUnreach(1, 133, []) }));
    expect(eor.u.end_of_rib).toEqual([[1, 133]]);
    // 0d = 13: RD 0002 fa56ea01 0064 (4200000001:100) + 01 18 c00002
    const v = reach(mpUpdate({ reach: mpReach(1, 134, [], hx('0d 0002fa56ea010064 01 18 c00002')) }));
    expect(v).toMatchObject({ safi: 134, prefixes: ['dst 192.0.2.0/24'], route_distinguishers: ['4200000001:100'] });
  });

  it('ADD-PATH inferred when no OPEN was seen: a path id reads as a rule of length 0', () => {
    const bytes = mpUpdate({ reach: mpReach(1, 133, [], hx('00000007 05 01 18 c00002')) });
    const { u, res } = decodeUpdateBytes(bytes, UNKNOWN);
    expect([u.announcements[0]!.prefixes, u.announcements[0]!.path_ids]).toEqual([['dst 192.0.2.0/24'], [7]]);
    expect(res.inferred).toMatchObject({ add_path: true });
  });
});

describe('flowspec IPv6 (RFC 8956)', () => {
  const rule6 = (bytes: string) => reach(mpUpdate({ reach: mpReach(2, 133, [], hx(bytes)) }));

  it('§3.8 example 1: dst 2001:db8::/32, src ::1234:5678:9a00:0/64-104, upper-layer protocol 6', () => {
    // 01 20 00 20010db8: /32 offset 0 | 02 68 40 123456789a: length 104 offset 64, 40 pattern bits | 03 81 06
    const a = rule6('12 01 20 00 20010db8 02 68 40 123456789a 03 81 06');
    expect(a.prefixes).toEqual(['dst 2001:db8::/32 src ::1234:5678:9a00:0/64-104 proto =6']);
    expect(a.nlri![0]).toMatchObject({
      components: [
        { type: 1, prefix: '2001:db8::/32', offset: 0 },
        { type: 2, prefix: '::1234:5678:9a00:0/104', offset: 64 },
        { type: 3 },
      ],
    });
  });

  it('§3.8 example 2: an offset that is not a byte boundary (65), one bit of padding', () => {
    // 02 68 41 2468acf134: 39 pattern bits starting at bit 65 = the same address as example 1
    const a = rule6('0f 01 20 00 20010db8 02 68 41 2468acf134');
    expect(a.prefixes).toEqual(['dst 2001:db8::/32 src ::1234:5678:9a00:0/65-104']);
  });

  it('flow label (type 13) and round trip through the encoder with offsets', () => {
    const comps: FsComponent[] = [
      { type: 1, prefix: '2001:db8:aaaa::', len: 48, offset: 16 },
      { type: 3, terms: [{ op: '=', value: 58 }] },
      { type: 13, terms: [{ op: '=', value: 0xfffff, size: 4 }] },
    ];
    const a = reach(mpUpdate({ reach: mpReach(2, 133, [], flowspecRule(comps, { v6: true })) }), AS4);
    expect(a.prefixes).toEqual(['dst 0:db8:aaaa::/16-48 proto =58 flow-label =1048575']);
  });
});
