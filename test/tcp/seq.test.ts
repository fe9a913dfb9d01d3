import { describe, expect, it } from 'vitest';
import { seqAdd, seqDiff, seqGt, seqGte, seqLt, seqLte } from '../../src/tcp/seq.js';

// RFC 1982 §3.2 with SERIAL_BITS = 32: i1 < i2 iff (i1 < i2 and i2 - i1 < 2^31) or (i1 > i2 and i1 - i2 > 2^31).
describe('sequence arithmetic (RFC 1982, 32 bits)', () => {
  it('orders numbers without wrap', () => {
    expect(seqLt(1, 2)).toBe(true);
    expect(seqLt(2, 1)).toBe(false);
    expect(seqLte(7, 7)).toBe(true);
    expect(seqGt(100, 99)).toBe(true);
    expect(seqDiff(1000, 1)).toBe(999);
  });
  it('orders numbers across 2^32', () => {
    // 0xfffffff0 + 0x20 = 0x10 (mod 2^32): 0xfffffff0 is before 0x10, 32 apart.
    expect(seqLt(0xfffffff0, 0x10)).toBe(true);
    expect(seqGt(0x10, 0xfffffff0)).toBe(true);
    expect(seqDiff(0x10, 0xfffffff0)).toBe(0x20);
    expect(seqDiff(0xfffffff0, 0x10)).toBe(-0x20);
    expect(seqLt(0xffffffff, 0)).toBe(true);
    expect(seqGte(0, 0xffffffff)).toBe(true);
  });
  it('adds modulo 2^32', () => {
    expect(seqAdd(0xffffffff, 1)).toBe(0);
    expect(seqAdd(0xffffffff, 2)).toBe(1);
    expect(seqAdd(0xfffffff0, 0x20)).toBe(0x10);
    expect(seqAdd(5, 0)).toBe(5);
  });
  it('treats 2^31 - 1 apart as ordered, both ways', () => {
    // i2 - i1 = 2^31 - 1 < 2^31, so 0 < 0x7fffffff.
    expect(seqLt(0, 0x7fffffff)).toBe(true);
    // i1 - i2 = 2^31 + 1 > 2^31 with i1 > i2, so 0x80000001 < 0.
    expect(seqLt(0x80000001, 0)).toBe(true);
  });
});
