// Prefix encoding (RFC 4271 §4.3: length in bits, then the fewest octets holding it; RFC 7911 §3 path ids).

import { describe, expect, it } from 'vitest';
import { decodePrefixes, ipv4PrefixText, ipv6PrefixText, looksLikeAddPath } from '../../src/bgp/nlri.js';
import { hx } from './helpers.js';

describe('prefix text', () => {
  it('IPv4: zero-fills missing octets and masks bits past the length', () => {
    expect(ipv4PrefixText(hx('0a'), 0, 8)).toBe('10.0.0.0/8');
    expect(ipv4PrefixText(hx('ac1f'), 0, 12)).toBe('172.16.0.0/12'); // 0x1f & 0xf0 = 0x10
    expect(ipv4PrefixText(hx(''), 0, 0)).toBe('0.0.0.0/0');
    expect(ipv4PrefixText(hx('c0000201'), 0, 32)).toBe('192.0.2.1/32');
    expect(ipv4PrefixText(hx('ffffffff'), 0, 31)).toBe('255.255.255.254/31');
  });

  it('IPv4: every length and octets of one, two and three digits (the text is built in a scratch buffer)', () => {
    const octets = [0, 7, 9, 10, 42, 99, 100, 199, 255];
    let n = 0;
    for (const a of octets) {
      for (const d of octets) {
        for (let len = 0; len <= 32; len++) {
          const bytes = Uint8Array.of(a, d, 255 - d, d ^ a);
          // the reference: the address as a number, masked, printed the plain way
          const v = len === 0 ? 0 : (((a << 24) | (d << 16) | ((255 - d) << 8) | (d ^ a)) & (0xffffffff << (32 - len))) >>> 0;
          const want = `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}/${len}`;
          // twice: the second answer comes from the cache of recent prefixes
          expect(ipv4PrefixText(bytes, 0, len)).toBe(want);
          expect(ipv4PrefixText(bytes, 0, len)).toBe(want);
          n++;
        }
      }
    }
    expect(n).toBe(9 * 9 * 33);
  });

  it('IPv6: RFC 5952 text, bits past the length masked', () => {
    expect(ipv6PrefixText(hx('20010db8'), 0, 32)).toBe('2001:db8::/32');
    expect(ipv6PrefixText(hx('20010db8ff'), 0, 33)).toBe('2001:db8:8000::/33');
    expect(ipv6PrefixText(hx(''), 0, 0)).toBe('::/0');
    expect(ipv6PrefixText(hx('fe80000000000000000000000000000f'), 0, 127)).toBe('fe80::e/127');
  });

  it('IPv6: the same text as the WHATWG URL serializer (RFC 5952 compression) for every run of zero groups, and every length', () => {
    // An independent reference: Node's URL parser prints an IPv6 host lower case, leading zeros dropped, the
    // first longest run of two or more zero groups as '::'. It has no dotted form, so IPv4-mapped is checked apart.
    const ref = (b: Uint8Array): string => {
      const groups = Array.from({ length: 8 }, (_x, i) => ((b[2 * i]! << 8) | b[2 * i + 1]!).toString(16));
      return new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1);
    };
    const b = new Uint8Array(16);
    let n = 0;
    // Every pattern of zero and non-zero groups (256), with non-zero values of 1 to 4 hex digits.
    for (let mask = 0; mask < 256; mask++) {
      for (const v of [0x1, 0xab, 0xf00, 0xbeef]) {
        for (let i = 0; i < 8; i++) {
          const g = mask & (1 << i) ? (v * (i + 1)) & 0xffff || 1 : 0;
          b[2 * i] = g >> 8;
          b[2 * i + 1] = g & 255;
        }
        if (b[10] === 0xff && b[11] === 0xff && b.subarray(0, 10).every((x) => x === 0)) continue;
        const want = ref(b);
        expect(ipv6PrefixText(b, 0, 128), want).toBe(`${want}/128`);
        n++;
      }
    }
    expect(n).toBeGreaterThan(1000);
    for (let len = 0; len <= 128; len++) {
      const m = new Uint8Array(16).fill(0xff);
      const want = new Uint8Array(16);
      for (let i = 0; i < len; i++) want[i >> 3]! |= 0x80 >> (i & 7);
      expect(ipv6PrefixText(m, 0, len)).toBe(`${ref(want)}/${len}`);
    }
    expect(ipv6PrefixText(hx('00000000000000000000ffffc0000201'), 0, 128)).toBe('::ffff:192.0.2.1/128');
  });
});

describe('decodePrefixes', () => {
  const out = (): { prefixes: string[]; path_ids: number[] | null } => ({ prefixes: [], path_ids: null });

  it('reads a run, with and without path ids', () => {
    const p = out();
    decodePrefixes(hx('08 0a 10 c0a8 00'), 0, 6, 32, false, p);
    expect(p.prefixes).toEqual(['10.0.0.0/8', '192.168.0.0/16', '0.0.0.0/0']);
    expect(p.path_ids).toBeNull();
    const q = out();
    decodePrefixes(hx('ffffffff 18 c00002'), 0, 8, 32, true, q);
    expect([q.prefixes, q.path_ids]).toEqual([['192.0.2.0/24'], [4294967295]]);
  });

  it('throws at a length beyond the family and at a prefix running past the end', () => {
    expect(() => decodePrefixes(hx('21 0a000000 00'), 0, 6, 32, false, out())).toThrow(/prefix length 33/);
    expect(() => decodePrefixes(hx('81'), 0, 1, 128, false, out())).toThrow(/prefix length 129/);
    expect(() => decodePrefixes(hx('18 0a00'), 0, 3, 32, false, out())).toThrow(/needs 3 address bytes, 2 left/);
    expect(() => decodePrefixes(hx('000000'), 0, 3, 32, true, out())).toThrow(/path identifier/);
  });

  it('keeps the prefixes before a bad one, with their path ids only', () => {
    const p = out();
    expect(() => decodePrefixes(hx('00000007 18 0a0000 00000008 21'), 0, 13, 32, true, p)).toThrow(/prefix length 33/);
    expect([p.prefixes, p.path_ids]).toEqual([['10.0.0.0/24'], [7]]);
  });

  it('never reads past the end it is given', () => {
    const p = out();
    // the run is the first 2 bytes only; the third would complete a /16 if the bound leaked
    expect(() => decodePrefixes(hx('10 0a 01'), 0, 2, 32, false, p)).toThrow(/needs 2 address bytes, 1 left/);
    expect(p.prefixes).toEqual([]);
  });
});

describe('looksLikeAddPath (no OPEN seen)', () => {
  it('says yes for small path ids, which read as /0 prefixes without ADD-PATH', () => {
    expect(looksLikeAddPath(hx('00000001 18 0a0000'), 0, 8, 32)).toBe(true);
  });
  it('says yes when the plain reading does not tile but the path-id one does', () => {
    expect(looksLikeAddPath(hx('0000a001 20 c0000201'), 0, 9, 32)).toBe(true);
  });
  it('says no for a clean plain run', () => {
    expect(looksLikeAddPath(hx('08 0a 0c ac10 18 c00002'), 0, 9, 32)).toBe(false);
    expect(looksLikeAddPath(hx('00'), 0, 1, 32)).toBe(false); // a lone default route
  });
  it('says no when neither reading is clean', () => {
    expect(looksLikeAddPath(hx('21 00'), 0, 2, 32)).toBe(false);
  });
});
