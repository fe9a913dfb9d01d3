// Filter value parsing and matching: addresses (RFC 4291 §2.2 text forms, RFC 5952 output), prefix relations,
// community patterns, AS path regular expressions, times (RFC 3339). Expected values are worked out by hand
// from the RFCs' rules or well-known facts (1700000000 = 2023-11-14T22:13:20Z), not taken from the code.

import { describe, expect, it } from 'vitest';
import { v4, v6 } from '../../bench/lib/synth.js';
import { ipv4PrefixText, ipv6PrefixText } from '../../src/bgp/nlri.js';
import {
  asPathRegex,
  communityMatch,
  netContainsText,
  parseAddr,
  parseAsn,
  parseCommunityPattern,
  parseMac,
  parseNet,
  parseTime,
  prefixTest,
  ValueError,
  type PrefixRel,
} from '../../src/filter/values.js';

function words(text: string): number[] | null {
  const w = new Uint32Array(4);
  const af = parseAddr(text, 0, text.length, w);
  return af === 0 ? null : [af, ...w];
}

describe('addresses', () => {
  it.each([
    ['192.0.2.1', [4, 0xc0000201, 0, 0, 0]],
    ['0.0.0.0', [4, 0, 0, 0, 0]],
    ['255.255.255.255', [4, 0xffffffff, 0, 0, 0]],
    ['2001:db8::1', [6, 0x20010db8, 0, 0, 1]],
    ['::', [6, 0, 0, 0, 0]],
    ['::1', [6, 0, 0, 0, 1]],
    ['1::', [6, 0x00010000, 0, 0, 0]],
    ['2001:db8:0:0:1:0:0:1', [6, 0x20010db8, 0, 0x00010000, 1]],
    ['2001:DB8::A:b', [6, 0x20010db8, 0, 0, 0x000a000b]],
    ['::ffff:192.0.2.1', [6, 0, 0, 0x0000ffff, 0xc0000201]], // RFC 4291 §2.2 form 3
    ['64:ff9b::192.0.2.1', [6, 0x0064ff9b, 0, 0, 0xc0000201]],
    ['1:2:3:4:5:6:7:8', [6, 0x00010002, 0x00030004, 0x00050006, 0x00070008]],
  ])('%s', (text, expected) => {
    expect(words(text)).toEqual(expected);
  });

  it.each(['', '1.2.3', '1.2.3.4.5', '256.1.1.1', '1.2.3.04x', '1::2::3', ':1', '1:', '1:2:3:4:5:6:7:8:9', '12345::', 'g::1', '1:2:3:4:5:6:7::8:9', '::1.2.3'])(
    '%j is not an address',
    (text) => {
      expect(words(text)).toBeNull();
    },
  );

  it('parseNet canonicalises and refuses host bits', () => {
    expect(parseNet('2001:DB8:0:0::/32').text).toBe('2001:db8::/32');
    expect(parseNet('10.0.0.0/8').text).toBe('10.0.0.0/8');
    expect(parseNet('10.1.2.3').len).toBe(32);
    expect(parseNet('2001:db8::1').len).toBe(128);
    expect(() => parseNet('10.0.0.1/8')).toThrow(/did you mean 10\.0\.0\.0\/8/);
    expect(() => parseNet('10.0.0.0/33')).toThrow(ValueError);
    expect(() => parseNet('2001:db8::/129')).toThrow(ValueError);
    expect(() => parseNet('x')).toThrow(ValueError);
  });

  it('netContainsText', () => {
    const n = parseNet('100.64.0.0/10');
    expect(netContainsText(n, '100.64.0.1')).toBe(true);
    expect(netContainsText(n, '100.127.255.255')).toBe(true);
    expect(netContainsText(n, '100.128.0.0')).toBe(false);
    expect(netContainsText(n, '::ffff:100.64.0.1')).toBe(false); // another family
    const v6 = parseNet('2804:269c::/32');
    expect(netContainsText(v6, '2804:269c:ff00:5:1::1')).toBe(true);
    expect(netContainsText(v6, '2804:269d::1')).toBe(false);
    expect(netContainsText(parseNet('0.0.0.0/0'), '8.8.8.8')).toBe(true);
  });
});

describe('prefix relations', () => {
  // [filter prefix, relation, record prefix, expected]
  const cases: [string, PrefixRel, string, boolean][] = [
    ['184.164.224.0/19', 'exact', '184.164.224.0/19', true],
    ['184.164.224.0/19', 'exact', '184.164.224.0/20', false],
    ['184.164.224.0/19', 'sub', '184.164.236.0/24', true],
    ['184.164.224.0/19', 'sub', '184.164.224.0/19', true],
    ['184.164.224.0/19', 'sub', '184.164.0.0/16', false],
    ['184.164.224.0/19', 'sub', '184.165.224.0/24', false],
    ['184.164.224.0/19', 'strict_sub', '184.164.224.0/19', false],
    ['184.164.224.0/19', 'strict_sub', '184.164.255.0/24', true],
    ['184.164.236.0/24', 'super', '184.164.224.0/19', true],
    ['184.164.236.0/24', 'super', '0.0.0.0/0', true],
    ['184.164.236.0/24', 'super', '184.164.237.0/24', false],
    ['184.164.236.0/24', 'super', '184.164.236.0/25', false],
    ['184.164.236.0/24', 'strict_super', '184.164.236.0/24', false],
    ['184.164.236.0/24', 'strict_super', '184.164.236.0/23', true],
    ['184.164.236.0/24', 'either', '184.164.236.128/25', true],
    ['184.164.236.0/24', 'either', '184.164.0.0/16', true],
    ['184.164.236.0/24', 'either', '184.164.237.0/24', false],
    ['2804:269c::/42', 'sub', '2804:269c:3f::/48', true], // 0x003f is the last /48 of the /42
    ['2804:269c::/42', 'sub', '2804:269c:40::/48', false],
    ['2804:269c::/42', 'sub', '184.164.224.0/19', false], // other family
    ['2001:db8::/32', 'super', '::/0', true],
    ['2001:db8::/32', 'exact', '2001:db8::/32', true],
    ['2001:db8::/32', 'exact', 'not a prefix', false],
    ['10.0.0.0/8', 'sub', 'RD 1:2 10.0.0.0/8', false], // non-IP entry texts never match
  ];
  it.each(cases)('%s %s %s → %s', (f, rel, p, want) => {
    expect(prefixTest(parseNet(f), rel)(p)).toBe(want);
  });

  // The elem cursor visited from the wire (sink/elem.ts): the prefix as its bytes in a message — length octet,
  // then ceil(len / 8) octets (RFC 4271 §4.3) — here at an odd offset between junk octets, encoded by
  // bench/lib/synth.ts's address helpers (no code shared with the filter).
  it.each(cases.filter(([, , p]) => /^[0-9a-f.:]+\/\d+$/.test(p)))('%s %s %s → %s, from the prefix\'s bytes', (f, rel, p, want) => {
    const [addr, len] = [p.slice(0, p.indexOf('/')), Number(p.slice(p.indexOf('/') + 1))];
    const octets = addr.includes(':') ? v6(addr) : v4(addr);
    const wire = Uint8Array.from([0xff, 0xee, 0xdd, len, ...octets.slice(0, (len + 7) >> 3), 0xff, 0xff]);
    const test = prefixTest(parseNet(f), rel);
    expect(test({ prefix: '', wire, at: 3, afi: addr.includes(':') ? 2 : 1 })).toBe(want);
    // Alternating with texts and other positions: nothing left over from the previous prefix decides.
    expect(test('0.0.0.0/32')).toBe(prefixTest(parseNet(f), rel)('0.0.0.0/32'));
    expect(test({ prefix: p, wire: null, at: 0, afi: 0 })).toBe(want);
    expect(test({ prefix: '', wire, at: 3, afi: addr.includes(':') ? 2 : 1 })).toBe(want);
  });

  it('from the bytes, the same answer as from the decoder\'s text, on random prefixes with host bits set', () => {
    let seed = 12345;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed % n;
    };
    const rels: PrefixRel[] = ['exact', 'sub', 'strict_sub', 'super', 'strict_super', 'either'];
    for (let i = 0; i < 3000; i++) {
      const six = rnd(2) === 1;
      const max = six ? 128 : 32;
      const len = rnd(max + 1);
      const octets = Array.from({ length: max / 8 }, () => rnd(4) === 0 ? rnd(256) : [0, 10, 32, 184][rnd(4)]!);
      const wire = Uint8Array.from([len, ...octets.slice(0, (len + 7) >> 3)]);
      const text = six ? ipv6PrefixText(wire, 1, len) : ipv4PrefixText(wire, 1, len);
      const flen = rnd(max + 1);
      const fo = octets.map((o, k) => (rnd(3) === 0 ? rnd(256) : o) & (k * 8 >= flen ? 0 : k * 8 + 8 <= flen ? 0xff : (0xff << (8 - (flen - k * 8))) & 0xff));
      const net = six
        ? `${Array.from({ length: 8 }, (_, k) => ((fo[2 * k]! << 8) | fo[2 * k + 1]!).toString(16)).join(':')}/${flen}`
        : `${fo.join('.')}/${flen}`;
      const rel = rels[rnd(rels.length)]!;
      const test = prefixTest(parseNet(net), rel);
      expect(test({ prefix: '', wire, at: 0, afi: six ? 2 : 1 }), `${net} ${rel} ${text}`).toBe(test(text));
    }
  });
});

describe('communities', () => {
  it.each([
    ['47065:*', '47065:1001', true],
    ['47065:*', '47066:1001', false],
    ['47065:*', '147065:1', false],
    ['*:666', '65535:666', true],
    ['*:666', '65535:6666', false],
    ['*:*', '1:2', true],
    ['*:*', '1:2:3', false], // a text with more parts than the pattern
    ['1:*', '1:2:3', false],
    ['blackhole', '65535:666', true],
    ['NO_EXPORT', '65535:65281', true],
    ['no-export', '65535:65281', true],
    ['65535:0666', '65535:666', true], // numbers, not text
  ])('%s ~ %s → %s', (pat, text, want) => {
    expect(communityMatch(parseCommunityPattern(pat, 2), text)).toBe(want);
  });

  it.each([
    ['*:1:*', '47065:1:2', true],
    ['*:1:*', '47065:11:2', false],
    ['47065:*:*', '47065:1:2', true],
    ['4200000000:1:2', '4200000000:1:2', true],
    ['*:*:2', '1:2:22', false],
  ])('large %s ~ %s → %s', (pat, text, want) => {
    expect(communityMatch(parseCommunityPattern(pat, 3), text)).toBe(want);
  });

  it.each(['47065', '1:2:3', '65536:1', 'a:b', '1:-1'])('%j is not a community', (t) => {
    expect(() => parseCommunityPattern(t, 2)).toThrow(ValueError);
  });
  it('large community parts are 32-bit', () => {
    expect(() => parseCommunityPattern('4294967296:1:1', 3)).toThrow(ValueError);
    expect(() => parseCommunityPattern('1:1', 3)).toThrow(ValueError);
  });
});

describe('AS path regular expressions (Cisco _)', () => {
  it.each([
    ['_3356_', '174 3356 47065', true],
    ['_3356_', '13356 47065', false],
    ['_3356_', '3356', true],
    ['_3356_', '174 33560', false],
    ['^47065_', '47065 3356', true],
    ['^47065_', '3356 47065', false],
    ['_61574$', '47065 61574', true],
    ['_61574$', '47065 61574 1', false],
    ['_64513_', '174 {64512,64513}', true], // inside an AS_SET
    ['_64512_', '174 {64512,64513}', true],
    ['^$', '', true],
    ['_3356_174_', '1 3356 174 2', true],
    ['^[0-9]+ 3356_', '174 3356 1', true],
    ['a\\_b', 'a_b', true], // escaped: a literal underscore
  ])('%s on %j → %s', (re, text, want) => {
    expect(asPathRegex(re).test(text)).toBe(want);
  });

  it('a broken expression is a ValueError', () => {
    expect(() => asPathRegex('_(3356_')).toThrow(/not a valid regular expression/);
  });
});

describe('times', () => {
  it.each([
    ['1700000000', 1700000000, 0],
    ['1700000000.5', 1700000000, 500000000],
    ['1700000000.000000001', 1700000000, 1],
    ['2023-11-14T22:13:20Z', 1700000000, 0],
    ['2023-11-14t22:13:20z', 1700000000, 0],
    ['2023-11-14 22:13:20', 1700000000, 0],
    ['2023-11-14T23:13:20+01:00', 1700000000, 0],
    ['2023-11-14T20:13:20-0200', 1700000000, 0],
    ['2023-11-14T22:13:20.123456789Z', 1700000000, 123456789],
    ['2023-11-14T22:13Z', 1699999980, 0],
    ['1970-01-01', 0, 0],
    ['2024-02-29T00:00:00Z', 1709164800, 0], // leap day
  ])('%s', (text, sec, nsec) => {
    expect(parseTime(text)).toEqual({ sec, nsec });
  });

  it.each(['yesterday', '2023-02-29', '2023-13-01', '2023-11-14T25:00:00Z', '17e8', '2023-11-14T22:13:20+1'])('%j is not a time', (t) => {
    expect(() => parseTime(t)).toThrow(ValueError);
  });
});

describe('ASNs and MACs', () => {
  it('ASN forms', () => {
    expect(parseAsn('3356')).toBe(3356);
    expect(parseAsn('AS3356')).toBe(3356);
    expect(parseAsn('as47065')).toBe(47065);
    expect(parseAsn('1.10')).toBe(65546); // RFC 5396 asdot
    expect(parseAsn('4294967295')).toBe(4294967295);
    expect(() => parseAsn('4294967296')).toThrow(ValueError);
    expect(() => parseAsn('-1')).toThrow(ValueError);
    expect(() => parseAsn('1.65536')).toThrow(ValueError);
  });

  it('MAC forms', () => {
    expect(parseMac('02:00:00:AA:bb:01')).toBe('02:00:00:aa:bb:01');
    expect(parseMac('02-00-00-aa-bb-01')).toBe('02:00:00:aa:bb:01');
    expect(parseMac('0200.00aa.bb01')).toBe('02:00:00:aa:bb:01');
    expect(parseMac('020000aabb01')).toBe('02:00:00:aa:bb:01');
    expect(() => parseMac('02:00:00:aa:bb')).toThrow(ValueError);
    expect(() => parseMac('2:0:0:aa:bb:1')).toThrow(ValueError);
  });
});
