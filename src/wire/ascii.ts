// Short ASCII text made in one allocation. Joining pieces with `+` makes a new string per step, and once the
// result reaches 13 characters V8 makes a rope (ConsString) that the first read flattens into yet another
// string: an IPv4 prefix such as "192.168.100.0/24" cost five strings, ~190 bytes, where its text needs 40.
// Here the characters are put into a scratch buffer and String.fromCharCode with one argument per character
// makes the string flat, once (measured: 36 bytes and ~15% less time per prefix). IPv6 text is put there too
// (putIpv6) rather than joined from its groups (packed jsonl −2 to −3 %).

/** The scratch characters; text(n) turns the first n into a string. */
export const chars = new Uint8Array(64);

/** Decimal digits of 0 <= v <= 255 (an octet, a prefix length) at chars[p]; returns the position after them. */
export function putByte(p: number, v: number): number {
  if (v >= 100) {
    const h = (v / 100) | 0;
    chars[p++] = 0x30 + h;
    v -= h * 100;
    chars[p++] = 0x30 + ((v / 10) | 0);
  } else if (v >= 10) chars[p++] = 0x30 + ((v / 10) | 0);
  chars[p++] = 0x30 + (v % 10);
  return p;
}

/** Dotted-quad text of the IPv4 address `v` (32 bits, first octet highest) at chars[p]; the position after it. */
export function putIpv4(p: number, v: number): number {
  p = putByte(p, v >>> 24);
  chars[p++] = 0x2e;
  p = putByte(p, (v >>> 16) & 255);
  chars[p++] = 0x2e;
  p = putByte(p, (v >>> 8) & 255);
  chars[p++] = 0x2e;
  return putByte(p, v & 255);
}

const HEX = [0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66];

/** Lower-case hex of 0 <= v <= 0xffff without leading zeros at chars[p]; returns the position after it. */
function putHex16(p: number, v: number): number {
  if (v >= 0x1000) chars[p++] = HEX[v >> 12]!;
  if (v >= 0x100) chars[p++] = HEX[(v >> 8) & 15]!;
  if (v >= 0x10) chars[p++] = HEX[(v >> 4) & 15]!;
  chars[p++] = HEX[v & 15]!;
  return p;
}

/**
 * RFC 5952 text of the 16 bytes at b[off] at chars[p]: lower case, leading zeros dropped, the longest run of
 * two or more zero groups (the first of equal runs) as `::`, IPv4-mapped addresses as ::ffff:a.b.c.d (§5).
 * Returns the position after it (at most p + 45).
 */
export function putIpv6(p: number, b: Uint8Array, off: number): number {
  // The longest run of zero groups.
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (b[off + 2 * i] !== 0 || b[off + 2 * i + 1] !== 0) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < 8 && b[off + 2 * j] === 0 && b[off + 2 * j + 1] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (best === 0 && bestLen === 5 && b[off + 10] === 0xff && b[off + 11] === 0xff) {
    chars[p++] = 0x3a;
    chars[p++] = 0x3a;
    for (let i = 0; i < 4; i++) chars[p++] = 0x66;
    chars[p++] = 0x3a;
    return putIpv4(p, (b[off + 12]! << 24) | (b[off + 13]! << 16) | (b[off + 14]! << 8) | b[off + 15]!);
  }
  let sep = false;
  for (let i = 0; i < 8; i++) {
    if (i === best) {
      chars[p++] = 0x3a;
      chars[p++] = 0x3a;
      i += bestLen - 1;
      sep = false;
      continue;
    }
    if (sep) chars[p++] = 0x3a;
    p = putHex16(p, (b[off + 2 * i]! << 8) | b[off + 2 * i + 1]!);
    sep = true;
  }
  return p;
}

const fcc = String.fromCharCode;
/** The scratch characters as a Buffer, for text() beyond the lengths it spells out. */
const charsBuf = Buffer.from(chars.buffer, chars.byteOffset, chars.length);
const c = chars;

/** chars[0, n) as a string. Lengths 9..18 (IPv4 prefixes) in one allocation; others through latin1. */
export function text(n: number): string {
  switch (n) {
    case 9: return fcc(c[0]!, c[1]!, c[2]!, c[3]!, c[4]!, c[5]!, c[6]!, c[7]!, c[8]!);
    case 10: return fcc(c[0]!, c[1]!, c[2]!, c[3]!, c[4]!, c[5]!, c[6]!, c[7]!, c[8]!, c[9]!);
    case 11: return fcc(c[0]!, c[1]!, c[2]!, c[3]!, c[4]!, c[5]!, c[6]!, c[7]!, c[8]!, c[9]!, c[10]!);
    case 12: return fcc(c[0]!, c[1]!, c[2]!, c[3]!, c[4]!, c[5]!, c[6]!, c[7]!, c[8]!, c[9]!, c[10]!, c[11]!);
    case 13: return fcc(c[0]!, c[1]!, c[2]!, c[3]!, c[4]!, c[5]!, c[6]!, c[7]!, c[8]!, c[9]!, c[10]!, c[11]!, c[12]!);
    case 14: return fcc(c[0]!, c[1]!, c[2]!, c[3]!, c[4]!, c[5]!, c[6]!, c[7]!, c[8]!, c[9]!, c[10]!, c[11]!, c[12]!, c[13]!);
    case 15: return fcc(c[0]!, c[1]!, c[2]!, c[3]!, c[4]!, c[5]!, c[6]!, c[7]!, c[8]!, c[9]!, c[10]!, c[11]!, c[12]!, c[13]!, c[14]!);
    case 16: return fcc(c[0]!, c[1]!, c[2]!, c[3]!, c[4]!, c[5]!, c[6]!, c[7]!, c[8]!, c[9]!, c[10]!, c[11]!, c[12]!, c[13]!, c[14]!, c[15]!);
    case 17: return fcc(c[0]!, c[1]!, c[2]!, c[3]!, c[4]!, c[5]!, c[6]!, c[7]!, c[8]!, c[9]!, c[10]!, c[11]!, c[12]!, c[13]!, c[14]!, c[15]!, c[16]!);
    case 18: return fcc(c[0]!, c[1]!, c[2]!, c[3]!, c[4]!, c[5]!, c[6]!, c[7]!, c[8]!, c[9]!, c[10]!, c[11]!, c[12]!, c[13]!, c[14]!, c[15]!, c[16]!, c[17]!);
    default: return charsBuf.toString('latin1', 0, n);
  }
}
