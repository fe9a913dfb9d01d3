// ByteWriter against the built-ins it replaces: String(n) for numbers, Buffer.from(s, 'utf8') for text,
// JSON.stringify for JSON string literals — on edge values and many random ones.
import { describe, expect, it } from 'vitest';
import { ByteWriter, constant, LEAD_ROOM } from '../../src/sink/bytes.js';

let seed = 12345;
const rand = (): number => {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed / 2 ** 32;
};

function randomString(): string {
  const n = Math.floor(rand() * 90);
  let s = '';
  for (let i = 0; i < n; i++) {
    const k = rand();
    // mostly ASCII, some control characters, quotes, backslashes, Latin-1, BMP, astral pairs and lone surrogates
    if (k < 0.6) s += String.fromCharCode(0x20 + Math.floor(rand() * 95));
    else if (k < 0.7) s += String.fromCharCode(Math.floor(rand() * 0x20));
    else if (k < 0.75) s += rand() < 0.5 ? '"' : '\\';
    else if (k < 0.85) s += String.fromCharCode(0x80 + Math.floor(rand() * 0x780));
    else if (k < 0.93) s += String.fromCodePoint(0x10000 + Math.floor(rand() * 0xfffff));
    else s += String.fromCharCode(0xd800 + Math.floor(rand() * 0x800));
  }
  return s;
}

describe('ByteWriter', () => {
  it('num writes what String() writes', () => {
    const w = new ByteWriter(16);
    const values = [0, 1, 9, 10, 11, 99, 100, 101, 999, 1000, 65535, 65536, 2 ** 31 - 1, 2 ** 31, 4200000000, 2 ** 32 - 1, 2 ** 32, -1, -(2 ** 31), 1.5, 1e21, 2 ** 53];
    for (let i = 0; i < 20000; i++) values.push(Math.floor(rand() * 2 ** 32), Math.floor(rand() * 10 ** Math.floor(rand() * 10)));
    for (const n of values) {
      w.reset();
      w.num(n);
      expect(w.text(), String(n)).toBe(String(n));
    }
  });

  it('str writes UTF-8 as Buffer does, jsonStr writes what JSON.stringify does', () => {
    const w = new ByteWriter(16);
    for (let i = 0; i < 5000; i++) {
      const s = randomString();
      w.reset();
      w.str(s);
      expect(Buffer.compare(w.bytes(), Buffer.from(s, 'utf8'))).toBe(0);
      w.reset();
      w.jsonStr(s);
      expect(w.text()).toBe(JSON.stringify(s));
    }
  });

  it('lit writes a constant of any length (words for short ones, the padding overwritten by what follows)', () => {
    const w = new ByteWriter(1);
    let want = '';
    for (let n = 0; n <= 70; n++) {
      const s = Array.from({ length: n }, (_x, i) => String.fromCharCode(0x21 + ((n * 7 + i) % 90))).join('');
      w.lit(constant(s));
      want += s;
      w.num(n);
      want += String(n);
      w.lit(constant('é"'));
      want += 'é"';
    }
    expect(w.text()).toBe(want);
  });

  it('grows keeping what was written and LEAD_ROOM free after every write; copy repeats earlier bytes', () => {
    const w = new ByteWriter(1);
    let want = '';
    for (let i = 0; i < 3000; i++) {
      const s = `${i}:${'x'.repeat(i % 70)}|`;
      w.str(s);
      want += s;
      w.num(i);
      want += String(i);
      expect(w.buf.length - w.pos).toBeGreaterThanOrEqual(LEAD_ROOM);
    }
    const start = w.pos;
    w.str('abc'.repeat(20));
    w.copy(start, w.pos);
    want += 'abc'.repeat(40);
    expect(w.text()).toBe(want);
  });
});
