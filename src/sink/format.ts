// Text building blocks shared by the sinks: timestamps, JSON string literals, hex, control-character
// stripping, AS path text. Pure functions, no allocation beyond the strings they return.

import type { AsPath } from '../bgp/model.js';
import type { Timestamp } from '../types.js';

// ---------------------------------------------------------------------------------------------- timestamps

let lastSec = -1;
let lastNsec = -1;
let lastText = '';

/**
 * Epoch seconds as exact decimal text: the nanoseconds with trailing zeros trimmed, but never fewer than 6
 * digits, so a microsecond capture prints `1700000000.123456`, a nanosecond one `1700000000.123456789`, and
 * nothing is ever rounded. Valid as a JSON number literal. Records of one frame share a timestamp, so the last
 * result is cached.
 */
export function timestampText(ts: Timestamp): string {
  if (ts.sec === lastSec && ts.nsec === lastNsec) return lastText;
  let sec = Math.floor(ts.sec);
  let nsec = Math.floor(ts.nsec);
  // Defensive normalisation: a source should hand 0 <= nsec < 1e9, but a bad value must not print garbage.
  if (!(nsec >= 0 && nsec < 1e9)) {
    if (!Number.isFinite(nsec)) nsec = 0;
    sec += Math.floor(nsec / 1e9);
    nsec = ((nsec % 1e9) + 1e9) % 1e9;
  }
  if (!Number.isFinite(sec)) sec = 0;
  lastSec = ts.sec;
  lastNsec = ts.nsec;
  lastText = `${sec}.${fraction(nsec)}`;
  return lastText;
}

function fraction(nsec: number): string {
  if (nsec % 1000 === 0) return pad(nsec / 1000, 6);
  if (nsec % 100 === 0) return pad(nsec / 100, 7);
  if (nsec % 10 === 0) return pad(nsec / 10, 8);
  return pad(nsec, 9);
}

function pad(n: number, width: number): string {
  const s = String(n);
  return s.length >= width ? s : '000000000'.slice(0, width - s.length) + s;
}

const DATE_CACHE = { sec: Number.NaN, text: '' };

/** `2023-11-14 22:13:20.123456 UTC`: the human sink's time, same digits as timestampText. */
export function utcText(ts: Timestamp): string {
  const t = timestampText(ts);
  const dot = t.indexOf('.');
  const sec = Number(t.slice(0, dot));
  if (sec !== DATE_CACHE.sec) {
    const d = new Date(sec * 1000);
    DATE_CACHE.sec = sec;
    DATE_CACHE.text = Number.isNaN(d.getTime()) ? t.slice(0, dot) : d.toISOString().slice(0, 19).replace('T', ' ');
  }
  return `${DATE_CACHE.text}${t.slice(dot)} UTC`;
}

// ---------------------------------------------------------------------------------------------- numbers

/**
 * "0".."9999" and "0000".."9999", made on numText's first call: 20,000 strings that the byte writers (every
 * jsonl and line run) never read, which cost start-up a few milliseconds when they were made on loading.
 */
let D4: string[] = [];
let P4: string[] = [];

function digitTexts(): void {
  D4 = new Array<string>(10000);
  P4 = new Array<string>(10000);
  for (let i = 0; i < 10000; i++) {
    D4[i] = String(i);
    P4[i] = D4[i]!.padStart(4, '0');
  }
}

const NUM_SLOTS = 4096;
const numKeys = new Float64Array(NUM_SLOTS).fill(-1);
const numTexts: string[] = new Array<string>(NUM_SLOTS).fill('');

/**
 * Decimal text of a number, fast for what BGP output is made of: unsigned 32-bit integers (ASNs, MED,
 * LOCAL_PREF, lengths, ports). V8 turns integers above 2^31 — every 4-octet ASN from 2147483648 up, e.g.
 * private 4200000000 — into heap numbers whose String() takes the slow double-to-text path; table lookups of
 * 4-digit groups avoid it. Anything else goes through String().
 */
export function numText(n: number): string {
  if (n >>> 0 !== n) return String(n);
  if (D4.length === 0) digitTexts();
  if (n < 10000) return D4[n]!;
  // ASNs recur from path to path: a small direct-mapped cache of the longer texts.
  const slot = (n ^ (n >>> 12) ^ (n >>> 24)) & (NUM_SLOTS - 1);
  if (numKeys[slot] === n) return numTexts[slot]!;
  let t: string;
  if (n < 100000000) t = D4[Math.floor(n / 10000)]! + P4[n % 10000]!;
  else {
    const hi = Math.floor(n / 100000000);
    const rest = n - hi * 100000000;
    t = D4[hi]! + P4[Math.floor(rest / 10000)]! + P4[rest % 10000]!;
  }
  numKeys[slot] = n;
  numTexts[slot] = t;
  return t;
}


// ---------------------------------------------------------------------------------------------- JSON

/**
 * A JSON string literal. Plain printable ASCII without `"` or `\` (addresses, prefixes, names: nearly every
 * string bgpcap writes) is quoted as is; anything else goes through JSON.stringify, which escapes control
 * characters and lone surrogates (ES2019 well-formed stringify).
 */
export function jsonString(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || c > 0x7e) return JSON.stringify(s);
  }
  return `"${s}"`;
}

export function jsonStringOrNull(s: string | null | undefined): string {
  return s == null ? 'null' : jsonString(s);
}

export function jsonNumberOrNull(n: number | null | undefined): string {
  return n == null || !Number.isFinite(n) ? 'null' : numText(n);
}

export function jsonStringArray(a: readonly string[]): string {
  if (a.length === 0) return '[]';
  let s = '[' + jsonString(a[0]!);
  for (let i = 1; i < a.length; i++) s += ',' + jsonString(a[i]!);
  return s + ']';
}

export function jsonNumberArray(a: readonly (number | null)[]): string {
  if (a.length === 0) return '[]';
  let s = '[' + jsonNumberOrNull(a[0]);
  for (let i = 1; i < a.length; i++) s += ',' + jsonNumberOrNull(a[i]);
  return s + ']';
}

/**
 * Any decoded value (capability values are `unknown`) as JSON, never throwing: bigint becomes a number when
 * exact, else a string; Uint8Array becomes hex; Map/Set become object/array; cycles and depth beyond 32 become
 * null; non-finite numbers null; functions and symbols null.
 */
export function jsonAny(v: unknown, depth = 0): string {
  if (v === null || v === undefined) return 'null';
  switch (typeof v) {
    case 'string':
      return jsonString(v);
    case 'number':
      return Number.isFinite(v) ? String(v) : 'null';
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? v.toString() : `"${v}"`;
    case 'object':
      break;
    default:
      return 'null';
  }
  if (depth >= 32) return 'null';
  if (v instanceof Uint8Array) return `"${hex(v)}"`;
  if (Array.isArray(v) || v instanceof Set) {
    let s = '[';
    let first = true;
    for (const x of v as Iterable<unknown>) {
      s += (first ? '' : ',') + jsonAny(x, depth + 1);
      first = false;
    }
    return s + ']';
  }
  const entries: Iterable<[unknown, unknown]> = v instanceof Map ? v.entries() : Object.entries(v as object);
  let s = '{';
  let first = true;
  for (const [k, x] of entries) {
    if (x === undefined || typeof x === 'function' || typeof x === 'symbol') continue;
    s += (first ? '' : ',') + jsonString(String(k)) + ':' + jsonAny(x, depth + 1);
    first = false;
  }
  return s + '}';
}

// ---------------------------------------------------------------------------------------------- hex

const HEX: string[] = [];
for (let i = 0; i < 256; i++) HEX.push(i.toString(16).padStart(2, '0'));

/** Lower-case hex of the bytes, no separators. */
export function hex(b: Uint8Array): string {
  // Chunks keep the intermediate strings flat for long messages (up to 65535 bytes, RFC 8654).
  let out = '';
  for (let i = 0; i < b.length; i += 4096) {
    const end = Math.min(b.length, i + 4096);
    let s = '';
    for (let j = i; j < end; j++) s += HEX[b[j]!]!;
    out += s;
  }
  return out;
}

/** Two-digit lower-case hex of a byte. */
export function hexByte(n: number): string {
  return HEX[n & 0xff]!;
}

// ---------------------------------------------------------------------------------------------- control characters

/**
 * True for characters that can rewrite a terminal or hide text: C0 controls (tab and newline included), DEL,
 * C1 controls (0x80-0x9f, CSI among them), and the Unicode bidirectional overrides and isolates
 * (U+202A-U+202E, U+2066-U+2069) — text from the wire (RFC 8203 shutdown messages, FQDN capability
 * hostnames) is attacker-controlled.
 */
function isControl(c: number): boolean {
  return c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

/** The string without control characters (see isControl); returns the same string when there are none. */
export function stripControl(s: string): string {
  let i = 0;
  for (; i < s.length; i++) if (isControl(s.charCodeAt(i))) break;
  if (i === s.length) return s;
  let out = s.slice(0, i);
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!isControl(c)) out += s[i];
  }
  return out;
}

// ---------------------------------------------------------------------------------------------- AS paths

/** `[65001,65002,[65003,65004]]` */
export function asPathJson(p: AsPath): string {
  let s = '[';
  for (let i = 0; i < p.length; i++) {
    const x = p[i]!;
    if (i > 0) s += ',';
    s += typeof x === 'number' ? numText(x) : jsonNumberArray(x);
  }
  return s + ']';
}

/** `65001 65002 {65003,65004}` as bgpdump prints it. */
export function asPathText(p: AsPath): string {
  let s = '';
  for (let i = 0; i < p.length; i++) {
    const x = p[i]!;
    if (i > 0) s += ' ';
    s += typeof x === 'number' ? numText(x) : `{${x.join(',')}}`;
  }
  return s;
}

/** The origin AS: the last ASN of the path, or every member of a set that ends it (bgpkit `origin_asns`). */
export function originAsns(p: AsPath | null): number[] | null {
  if (p === null || p.length === 0) return null;
  const last = p[p.length - 1]!;
  if (typeof last === 'number') return [last];
  return last.length === 0 ? null : last;
}
