// Address text, shared by the link layer (packet addresses) and BGP (next hops, prefixes).

import { putIpv6, text } from './ascii.js';

const DEC: string[] = [];
for (let i = 0; i < 256; i++) DEC.push(String(i));

/** Dotted-quad text of the 4 bytes at `off`. Caller guarantees the bytes exist. */
export function ipv4Text(b: Uint8Array, off: number): string {
  return `${DEC[b[off]!]}.${DEC[b[off + 1]!]}.${DEC[b[off + 2]!]}.${DEC[b[off + 3]!]}`;
}

/** RFC 5952 text of the 16 bytes at `off`: lower case, leading zeros dropped, longest run (>1) of zero groups as '::'. */
export function ipv6Text(b: Uint8Array, off: number): string {
  return text(putIpv6(0, b, off));
}

/** Parse dotted-quad IPv4 text into 4 bytes, or null. */
export function parseIpv4(text: string): Uint8Array | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i]!;
    if (!/^\d{1,3}$/.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    out[i] = n;
  }
  return out;
}

/** Parse IPv6 text (with '::' and an optional trailing dotted quad) into 16 bytes, or null. */
export function parseIpv6(text: string): Uint8Array | null {
  let t = text;
  const out = new Uint8Array(16);
  let tail: number[] = [];
  const lastColon = t.lastIndexOf(':');
  if (t.includes('.') && lastColon >= 0) {
    const v4 = parseIpv4(t.slice(lastColon + 1));
    if (!v4) return null;
    t = `${t.slice(0, lastColon + 1)}${((v4[0]! << 8) | v4[1]!).toString(16)}:${((v4[2]! << 8) | v4[3]!).toString(16)}`;
  }
  const dbl = t.indexOf('::');
  if (dbl !== t.lastIndexOf('::')) return null;
  const parseGroups = (s: string): number[] | null => {
    if (s === '') return [];
    const gs = s.split(':');
    const r: number[] = [];
    for (const x of gs) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(x)) return null;
      r.push(parseInt(x, 16));
    }
    return r;
  };
  let head: number[];
  if (dbl >= 0) {
    const h = parseGroups(t.slice(0, dbl));
    const tl = parseGroups(t.slice(dbl + 2));
    if (!h || !tl || h.length + tl.length > 7) return null;
    head = h;
    tail = tl;
  } else {
    const all = parseGroups(t);
    if (!all || all.length !== 8) return null;
    head = all;
  }
  head.forEach((v, i) => {
    out[2 * i] = v >> 8;
    out[2 * i + 1] = v & 0xff;
  });
  tail.forEach((v, i) => {
    const k = 8 - tail.length + i;
    out[2 * k] = v >> 8;
    out[2 * k + 1] = v & 0xff;
  });
  return out;
}
