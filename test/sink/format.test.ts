import { describe, expect, it } from 'vitest';
import { asPathText, hex, jsonAny, jsonString, originAsns, stripControl, timestampText, utcText } from '../../src/sink/format.js';

describe('timestampText', () => {
  it.each([
    [0, '1700000000.000000'],
    [1000, '1700000000.000001'], // 1 µs
    [123456000, '1700000000.123456'],
    [123456700, '1700000000.1234567'],
    [123456780, '1700000000.12345678'],
    [123456789, '1700000000.123456789'],
    [5, '1700000000.000000005'],
    [999999999, '1700000000.999999999'],
  ])('nsec %d → %s', (nsec, text) => {
    expect(timestampText({ sec: 1700000000, nsec })).toBe(text);
  });

  it('normalises an out-of-range nsec instead of printing garbage', () => {
    expect(timestampText({ sec: 1700000000, nsec: 1_500_000_000 })).toBe('1700000001.500000');
  });

  it('UTC text: 1700000000 is 2023-11-14 22:13:20 UTC; 2^31 is 2038-01-19 03:14:08 UTC', () => {
    expect(utcText({ sec: 1700000000, nsec: 123456000 })).toBe('2023-11-14 22:13:20.123456 UTC');
    expect(utcText({ sec: 2 ** 31, nsec: 0 })).toBe('2038-01-19 03:14:08.000000 UTC');
  });
});

describe('jsonString', () => {
  it('quotes plain ASCII as is and escapes everything else like JSON.stringify', () => {
    expect(jsonString('10.0.0.0/8')).toBe('"10.0.0.0/8"');
    expect(jsonString('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(jsonString('x\ny\x1b')).toBe('"x\\ny\\u001b"');
    expect(jsonString('é')).toBe('"é"');
    expect(jsonString('\ud800')).toBe('"\\ud800"'); // lone surrogate: escaped, output stays valid UTF-8
  });
});

describe('jsonAny (capability values)', () => {
  it('never throws and always gives valid JSON', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic['self'] = cyclic;
    for (const v of [1n, 2n ** 70n, new Uint8Array([1, 255]), new Set([1]), new Map([['k', 'v']]), NaN, () => 1, Symbol('s'), cyclic, [undefined]]) {
      expect(() => JSON.parse(jsonAny(v))).not.toThrow();
    }
    expect(jsonAny({ a: 1n, b: new Uint8Array([0xab]), c: undefined, d: [Infinity] })).toBe('{"a":1,"b":"ab","d":[null]}');
    expect(jsonAny(2n ** 70n)).toBe('"1180591620717411303424"');
  });
});

describe('stripControl', () => {
  it('removes C0, DEL, C1 and bidi controls, keeps other text', () => {
    expect(stripControl('ok text é 日本')).toBe('ok text é 日本');
    expect(stripControl('a\x00b\tc\nd\x1b[31me\x7ff\x9bg\u202eh\u2066i')).toBe('abcd[31mefghi');
  });
});

describe('small formatters', () => {
  it('hex, AS path text, origin ASNs', () => {
    expect(hex(new Uint8Array([0, 1, 0xab, 0xff]))).toBe('0001abff');
    expect(hex(new Uint8Array(5000)).length).toBe(10000);
    expect(asPathText([65001, 65002, [65003, 65004]])).toBe('65001 65002 {65003,65004}');
    expect(originAsns([65001, [65003, 65004]])).toEqual([65003, 65004]);
    expect(originAsns([65001, 65002])).toEqual([65002]);
    expect(originAsns([])).toBeNull();
    expect(originAsns(null)).toBeNull();
  });
});
