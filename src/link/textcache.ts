// Address text with a small direct-mapped cache.
//
// Building "10.0.0.1" or "00:11:22:33:44:55" costs more than decoding every header of the frame, yet a BGP
// capture shows the same handful of routers over and over. So each address kind keeps a fixed table of
// recently built strings, indexed by a hash of the address bytes: a hit is a few integer compares, a miss
// builds the text (src/wire/ip.ts, macText) and replaces the slot. Memory is fixed (a few hundred strings).

import { ipv4Text, ipv6Text } from '../wire/ip.js';
import { macText } from './ethernet.js';
import { u16, u32 } from './layers.js';

const V4_SLOTS = 256;
const v4Keys = new Float64Array(V4_SLOTS).fill(-1);
const v4Texts: string[] = new Array<string>(V4_SLOTS).fill('');

/** ipv4Text of the 4 bytes at `off`, cached. */
export function ipv4TextCached(d: Uint8Array, off: number): string {
  const k = u32(d, off);
  const slot = (k ^ (k >>> 8) ^ (k >>> 16) ^ (k >>> 24)) & (V4_SLOTS - 1);
  if (v4Keys[slot] === k) return v4Texts[slot]!;
  const t = ipv4Text(d, off);
  v4Keys[slot] = k;
  v4Texts[slot] = t;
  return t;
}

const V6_SLOTS = 128;
/** Four big-endian words per slot; `v6Used` marks filled slots. */
const v6Keys = new Uint32Array(V6_SLOTS * 4);
const v6Used = new Uint8Array(V6_SLOTS);
const v6Texts: string[] = new Array<string>(V6_SLOTS).fill('');

/** ipv6Text (RFC 5952) of the 16 bytes at `off`, cached. */
export function ipv6TextCached(d: Uint8Array, off: number): string {
  const a = u32(d, off);
  const b = u32(d, off + 4);
  const c = u32(d, off + 8);
  const e = u32(d, off + 12);
  const h = a ^ b ^ c ^ e;
  const slot = (h ^ (h >>> 7) ^ (h >>> 14) ^ (h >>> 21)) & (V6_SLOTS - 1);
  const i = slot * 4;
  if (v6Used[slot] === 1 && v6Keys[i] === a && v6Keys[i + 1] === b && v6Keys[i + 2] === c && v6Keys[i + 3] === e) {
    return v6Texts[slot]!;
  }
  const t = ipv6Text(d, off);
  v6Keys[i] = a;
  v6Keys[i + 1] = b;
  v6Keys[i + 2] = c;
  v6Keys[i + 3] = e;
  v6Used[slot] = 1;
  v6Texts[slot] = t;
  return t;
}

const MAC_SLOTS = 64;
const macKeys = new Float64Array(MAC_SLOTS).fill(-1);
const macTexts: string[] = new Array<string>(MAC_SLOTS).fill('');

/** macText of the 6 bytes at `off`, cached. */
export function macTextCached(d: Uint8Array, off: number): string {
  const hi = u16(d, off);
  const lo = u32(d, off + 2);
  const k = hi * 4294967296 + lo;
  const slot = (hi ^ lo ^ (lo >>> 6) ^ (lo >>> 12) ^ (lo >>> 24)) & (MAC_SLOTS - 1);
  if (macKeys[slot] === k) return macTexts[slot]!;
  const t = macText(d, off);
  macKeys[slot] = k;
  macTexts[slot] = t;
  return t;
}
