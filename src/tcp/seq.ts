// TCP sequence number arithmetic (RFC 9293 §3.4, RFC 1982 serial number arithmetic with SERIAL_BITS = 32).
//
// Sequence numbers are uint32 and wrap: 0xffffffff + 1 = 0. Two numbers are compared through their signed
// 32-bit difference, which is right whenever they are less than 2^31 apart — always true inside one TCP window
// (at most 2^30 bytes, RFC 7323 §2.3). At exactly 2^31 apart RFC 1982 leaves the order undefined; here the
// difference is then -2^31 ("a before b"), a fixed, harmless choice.

/** Signed distance a − b in [-2^31, 2^31): positive when a is after b. */
export function seqDiff(a: number, b: number): number {
  return (a - b) | 0;
}

/** a + n modulo 2^32, as a uint32. */
export function seqAdd(a: number, n: number): number {
  return (a + n) >>> 0;
}

/** a is before b. */
export function seqLt(a: number, b: number): boolean {
  return ((a - b) | 0) < 0;
}

/** a is before or equal to b. */
export function seqLte(a: number, b: number): boolean {
  return ((a - b) | 0) <= 0;
}

/** a is after b. */
export function seqGt(a: number, b: number): boolean {
  return ((a - b) | 0) > 0;
}

/** a is after or equal to b. */
export function seqGte(a: number, b: number): boolean {
  return ((a - b) | 0) >= 0;
}
