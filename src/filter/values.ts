// Filter values: parsing what a user typed (addresses, prefixes, times, communities, ...) into the shapes the
// compiled filters compare against, and the allocation-free address arithmetic those comparisons need.
//
// Every parser throws ValueError with a sentence a user can act on; the expression parser adds the column.

/** A value the user typed that does not fit the key. */
export class ValueError extends Error {
  override readonly name = 'ValueError';
}

// ---------------------------------------------------------------------------------------------- addresses

/**
 * An address or prefix as 4 big-endian 32-bit words (IPv4 uses word 0), with the bits past `len` cleared.
 * `text` is the canonical form (dotted quad / RFC 5952), for describing the filter.
 */
export interface Net {
  af: 4 | 6;
  w: Uint32Array;
  len: number;
  text: string;
}

const g16 = new Uint16Array(8);

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** Dotted quad in s[start, end) → uint32, or -1. */
function parseV4(s: string, start: number, end: number): number {
  let v = 0;
  let part = 0;
  let digits = 0;
  let dots = 0;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || dots === 3) return -1;
      v = v * 256 + part;
      part = 0;
      digits = 0;
      dots++;
    } else if (c >= 48 && c <= 57) {
      if (digits === 3) return -1;
      part = part * 10 + (c - 48);
      if (part > 255) return -1;
      digits++;
    } else {
      return -1;
    }
  }
  if (dots !== 3 || digits === 0) return -1;
  return v * 256 + part;
}

/**
 * Parse the address in s[start, end) into `out` (4 words; IPv4 in word 0, the others zeroed). Returns 4, 6, or 0
 * when the text is not an address. No allocation: it runs on every packet and prefix a filter looks at.
 */
export function parseAddr(s: string, start: number, end: number, out: Uint32Array): 0 | 4 | 6 {
  // Dotted quad first (one pass; an IPv6 text fails at its first ':' within five characters).
  const v = parseV4(s, start, end);
  if (v >= 0) {
    out[0] = v;
    out[1] = 0;
    out[2] = 0;
    out[3] = 0;
    return 4;
  }
  // RFC 4291 §2.2 text forms: x:x:x:x:x:x:x:x, '::' for one run of zero groups, optional trailing dotted quad.
  let n = 0;
  let dbl = -1;
  let i = start;
  if (end - start >= 2 && s.charCodeAt(i) === 58 && s.charCodeAt(i + 1) === 58) {
    dbl = 0;
    i += 2;
  }
  while (i < end) {
    const gStart = i;
    let v = 0;
    let d = 0;
    while (i < end) {
      const h = hexDigit(s.charCodeAt(i));
      if (h < 0) break;
      v = v * 16 + h;
      d++;
      i++;
    }
    if (i < end && s.charCodeAt(i) === 46) {
      // embedded IPv4 in the last 32 bits
      if (n > 6) return 0;
      const v4 = parseV4(s, gStart, end);
      if (v4 < 0) return 0;
      g16[n++] = v4 >>> 16;
      g16[n++] = v4 & 0xffff;
      i = end;
      break;
    }
    if (d === 0 || d > 4 || n === 8) return 0;
    g16[n++] = v;
    if (i === end) break;
    if (s.charCodeAt(i) !== 58) return 0;
    i++;
    if (i < end && s.charCodeAt(i) === 58) {
      if (dbl >= 0) return 0;
      dbl = n;
      i++;
    } else if (i === end) {
      return 0; // trailing single ':'
    }
  }
  if (dbl < 0 ? n !== 8 : n > 7) return 0;
  const zeros = 8 - n;
  for (let k = 0; k < 4; k++) {
    const hi = groupAt(2 * k, dbl, zeros, n);
    const lo = groupAt(2 * k + 1, dbl, zeros, n);
    out[k] = ((hi << 16) | lo) >>> 0;
  }
  return 6;
}

/** Group `j` (0..7) of the expanded address: g16 holds the n groups written, with `zeros` zero groups at `dbl`. */
function groupAt(j: number, dbl: number, zeros: number, n: number): number {
  if (dbl < 0) return g16[j]!;
  if (j < dbl) return g16[j]!;
  if (j < dbl + zeros) return 0;
  const src = j - zeros;
  return src < n ? g16[src]! : 0;
}

/** True when the first `len` bits of a and b are equal. */
export function bitsEqual(a: Uint32Array, b: Uint32Array, len: number): boolean {
  for (let i = 0; i < 4; i++) {
    const bits = len - 32 * i;
    if (bits <= 0) return true;
    const mask = bits >= 32 ? 0xffffffff : ~(0xffffffff >>> bits);
    if (((a[i]! ^ b[i]!) & mask) !== 0) return false;
  }
  return true;
}

function addrText(af: 4 | 6, w: Uint32Array): string {
  if (af === 4) {
    const v = w[0]!;
    return `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
  }
  const g: number[] = [];
  for (let k = 0; k < 4; k++) g.push(w[k]! >>> 16, w[k]! & 0xffff);
  // RFC 5952 §4.2: the longest run (2 or more) of zero groups becomes '::', the first one on a tie.
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = g.map((x) => x.toString(16));
  return best < 0 ? hex.join(':') : `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

/**
 * An address (`192.0.2.1`, `2001:db8::1`: a /32 or /128) or a prefix (`10.0.0.0/8`). Bits set past the length
 * are a mistake worth telling (`10.0.0.1/8` is probably not what was meant), so they are an error.
 */
export function parseNet(text: string, what = 'an IP address or prefix'): Net {
  const slash = text.indexOf('/');
  const end = slash < 0 ? text.length : slash;
  const w = new Uint32Array(4);
  const af = parseAddr(text, 0, end, w);
  if (af === 0) throw new ValueError(`'${text}' is not ${what}`);
  const max = af === 4 ? 32 : 128;
  let len = max;
  if (slash >= 0) {
    const l = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(l) || Number(l) > max) throw new ValueError(`'${text}': prefix length must be 0-${max}`);
    len = Number(l);
  }
  const masked = new Uint32Array(4);
  for (let i = 0; i < 4; i++) {
    const bits = len - 32 * i;
    masked[i] = bits >= 32 ? w[i]! : bits <= 0 ? 0 : (w[i]! & ~(0xffffffff >>> bits)) >>> 0;
  }
  if (!bitsEqual(masked, w, max)) {
    throw new ValueError(`'${text}' has bits set past /${len}; did you mean ${addrText(af, masked)}/${len}?`);
  }
  return { af, w: masked, len, text: len === max && slash < 0 ? addrText(af, masked) : `${addrText(af, masked)}/${len}` };
}

const ipScratch = new Uint32Array(4);

/** Does the address text (as the link layer or the decoder wrote it) lie inside `net`? */
export function netContainsText(net: Net, ip: string): boolean {
  const af = parseAddr(ip, 0, ip.length, ipScratch);
  return af === net.af && bitsEqual(ipScratch, net.w, net.len);
}

/**
 * A membership test for address texts with a small cache: packets and records repeat the same handful of
 * addresses, so each is parsed once. The cache is cleared when it grows past `max` entries (memory stays bounded).
 */
export function cachedNetTest(net: Net, max = 4096): (ip: string) => boolean {
  const cache = new Map<string, boolean>();
  return (ip) => {
    let v = cache.get(ip);
    if (v === undefined) {
      v = netContainsText(net, ip);
      if (cache.size >= max) cache.clear();
      cache.set(ip, v);
    }
    return v;
  };
}

// Prefix texts from the decoder (`10.1.0.0/16`, `2001:db8::/32`), parsed once per string: every prefix test on
// one elem shares the result (the last string is remembered by identity).
const pfxWords = new Uint32Array(4);
let pfxText: string | null = null;
let pfxAf = 0;
let pfxLen = -1;

/** A prefix as the elem cursor holds it (sink/elem.ts Elem): its text, or its bytes in the message. */
export interface PrefixRef {
  /** The text, when `wire` is null. */
  prefix: string;
  /** The message's bytes with the prefix's length octet at `at` (a plain IPv4 / IPv6 prefix), or null. */
  wire: Uint8Array | null;
  at: number;
  /** 1 IPv4, 2 IPv6. */
  afi: number;
}

// A prefix on the wire, loaded from its bytes (no text made): remembered by message bytes and offset.
let pfxWire: Uint8Array | null = null;
let pfxAt = -1;

/**
 * Forget the prefix loaded from the wire: it is remembered by buffer and position, and a caller that reads
 * prefixes from a buffer it reuses (stage 2 before decoding reads the capture's read buffer) must call this
 * before the buffer's bytes change under the same position.
 */
export function forgetPrefixRef(): void {
  pfxWire = null;
  pfxAt = -1;
}

function loadPrefixRef(p: string | PrefixRef): boolean {
  if (typeof p === 'string') return loadPrefix(p);
  const b = p.wire;
  if (b === null) return loadPrefix(p.prefix);
  const at = p.at;
  if (b === pfxWire && at === pfxAt) return pfxLen >= 0;
  pfxWire = b;
  pfxAt = at;
  pfxText = null;
  const len = b[at]!;
  const af = p.afi === 1 ? 4 : 6;
  pfxLen = -1;
  if (len > (af === 4 ? 32 : 128)) return false;
  pfxAf = af;
  // The octets the prefix has (RFC 4271 §4.3: ceil(len / 8)), big-endian into the words as parseAddr fills
  // them; bits past the length are never compared (bitsEqual stops at the shorter length).
  pfxWords[0] = pfxWords[1] = pfxWords[2] = pfxWords[3] = 0;
  const n = (len + 7) >> 3;
  for (let i = 0; i < n; i++) pfxWords[i >> 2]! |= b[at + 1 + i]! << (24 - 8 * (i & 3));
  pfxLen = len;
  return true;
}

function loadPrefix(p: string): boolean {
  if (p === pfxText) return pfxLen >= 0;
  pfxText = p;
  pfxWire = null;
  pfxLen = -1;
  const slash = p.indexOf('/');
  if (slash < 0) return false;
  pfxAf = parseAddr(p, 0, slash, pfxWords);
  if (pfxAf === 0) return false;
  let len = 0;
  for (let i = slash + 1; i < p.length; i++) {
    const c = p.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return false;
    len = len * 10 + c;
  }
  if (slash + 1 === p.length || len > (pfxAf === 4 ? 32 : 128)) return false;
  pfxLen = len;
  return true;
}

/** How a prefix on the wire relates to the filter's prefix. */
export type PrefixRel = 'exact' | 'sub' | 'super' | 'strict_sub' | 'strict_super' | 'either';

/**
 * Test a decoded prefix (text, or the elem cursor's text or bytes) against `f`: exact, more specific or equal
 * (sub, `<=`), less specific or equal (super, `>=`), the strict forms, or either (bgpkit prefix_super_sub).
 */
export function prefixTest(f: Net, rel: PrefixRel): (p: string | PrefixRef) => boolean {
  const fl = f.len;
  const fw = f.w;
  const af = f.af;
  const load = loadPrefixRef;
  switch (rel) {
    case 'exact':
      return (p) => load(p) && pfxAf === af && pfxLen === fl && bitsEqual(pfxWords, fw, fl);
    case 'sub':
      return (p) => load(p) && pfxAf === af && pfxLen >= fl && bitsEqual(pfxWords, fw, fl);
    case 'strict_sub':
      return (p) => load(p) && pfxAf === af && pfxLen > fl && bitsEqual(pfxWords, fw, fl);
    case 'super':
      return (p) => load(p) && pfxAf === af && pfxLen <= fl && bitsEqual(pfxWords, fw, pfxLen);
    case 'strict_super':
      return (p) => load(p) && pfxAf === af && pfxLen < fl && bitsEqual(pfxWords, fw, pfxLen);
    case 'either':
      return (p) => load(p) && pfxAf === af && (pfxLen >= fl ? bitsEqual(pfxWords, fw, fl) : bitsEqual(pfxWords, fw, pfxLen));
  }
}

// ---------------------------------------------------------------------------------------------- MAC

/** `aa:bb:cc:dd:ee:ff`, `aa-bb-cc-dd-ee-ff`, `aabb.ccdd.eeff` or 12 hex digits → lower-case colon form, as the link layer writes it. */
export function parseMac(text: string): string {
  const t = text.toLowerCase();
  if (!/^[0-9a-f]{2}([:-][0-9a-f]{2}){5}$|^[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}$|^[0-9a-f]{12}$/.test(t)) {
    throw new ValueError(`'${text}' is not a MAC address (aa:bb:cc:dd:ee:ff)`);
  }
  return t.replace(/[:.-]/g, '').match(/../g)!.join(':');
}

// ---------------------------------------------------------------------------------------------- numbers

/** A whole number in [min, max]. */
export function parseUint(text: string, max: number, what: string): number {
  if (!/^\d+$/.test(text)) throw new ValueError(`'${text}' is not ${what}`);
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n > max) throw new ValueError(`'${text}' is out of range for ${what} (0-${max})`);
  return n;
}

/** `3356`, `AS3356`, or asdot `1.10` (RFC 5396: 1 * 65536 + 10). */
export function parseAsn(text: string): number {
  const t = /^as/i.test(text) ? text.slice(2) : text;
  const dot = /^(\d+)\.(\d+)$/.exec(t);
  if (dot) {
    const hi = Number(dot[1]);
    const lo = Number(dot[2]);
    if (hi > 65535 || lo > 65535) throw new ValueError(`'${text}' is not an AS number (asdot parts are 0-65535)`);
    return hi * 65536 + lo;
  }
  return parseUint(t, 0xffffffff, 'an AS number');
}

export function parsePortValue(text: string): number {
  return parseUint(text, 65535, 'a TCP port');
}

// ---------------------------------------------------------------------------------------------- time

export interface Time {
  sec: number;
  nsec: number;
}

/** Compare two capture times: negative, 0 or positive. */
export function cmpTime(a: Time, b: Time): number {
  return a.sec !== b.sec ? a.sec - b.sec : a.nsec - b.nsec;
}

function nanos(frac: string | undefined): number {
  return frac === undefined ? 0 : Number(frac.padEnd(9, '0'));
}

/**
 * Epoch seconds (`1700000000`, `1700000000.25`) or an RFC 3339 date-time (`2023-11-14T22:13:20Z`,
 * `2023-11-14T23:13:20.5+01:00`; a space may replace the T; without an offset the time is UTC; a date alone is
 * its midnight UTC). Kept as seconds + nanoseconds so nanosecond captures compare exactly.
 */
export function parseTime(text: string): Time {
  const t = text.trim();
  const epoch = /^(\d+)(?:\.(\d{1,9}))?$/.exec(t);
  if (epoch) return { sec: Number(epoch[1]), nsec: nanos(epoch[2]) };
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*([Zz]|[+-]\d{2}:?\d{2})?$/.exec(t);
  if (!m) {
    throw new ValueError(`'${text}' is not a time (epoch seconds or RFC 3339, e.g. 2024-05-01T12:00:00Z)`);
  }
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac, tz] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const back = new Date(ms);
  if (
    back.getUTCFullYear() !== Number(y) ||
    back.getUTCMonth() !== Number(mo) - 1 ||
    back.getUTCDate() !== Number(d) ||
    Number(h) > 23 ||
    Number(mi) > 59 ||
    Number(s) > 60
  ) {
    throw new ValueError(`'${text}' is not a valid date and time`);
  }
  let off = 0;
  if (tz !== undefined && tz.toUpperCase() !== 'Z') {
    const tm = /^([+-])(\d{2}):?(\d{2})$/.exec(tz)!;
    off = (tm[1] === '-' ? -1 : 1) * (Number(tm[2]) * 3600 + Number(tm[3]) * 60);
  }
  const sec = ms / 1000 - off;
  if (sec < 0) throw new ValueError(`'${text}' is before 1970`);
  return { sec, nsec: nanos(frac) };
}

// ---------------------------------------------------------------------------------------------- communities

/**
 * A community pattern: one part per `:`-separated field, null where the user wrote `*`. Parts are compared as
 * decimal text with the decoder's community strings (`65000:100`, `65000:1:2`), without splitting them.
 */
export type CommunityPattern = (string | null)[];

/** RFC 1997 §3, RFC 3765, RFC 7611, RFC 7999 §5, RFC 8326 §3, draft-ietf-idr-long-lived-gr: well-known names. */
export const WELL_KNOWN_COMMUNITIES: Readonly<Record<string, string>> = {
  graceful_shutdown: '65535:0',
  accept_own: '65535:1',
  llgr_stale: '65535:6',
  no_llgr: '65535:7',
  blackhole: '65535:666',
  no_export: '65535:65281',
  no_advertise: '65535:65282',
  no_export_subconfed: '65535:65283',
  nopeer: '65535:65284',
};

export function parseCommunityPattern(text: string, parts: 2 | 3): CommunityPattern {
  const named = parts === 2 ? WELL_KNOWN_COMMUNITIES[text.toLowerCase().replace(/-/g, '_')] : undefined;
  const t = named ?? text;
  const fs = t.split(':');
  const max = parts === 2 ? 65535 : 0xffffffff;
  const what = parts === 2 ? 'a community (asn:value, * for any part, or a well-known name)' : 'a large community (a:b:c, * for any part)';
  if (fs.length !== parts) throw new ValueError(`'${text}' is not ${what}`);
  return fs.map((f) => {
    if (f === '*') return null;
    if (!/^\d+$/.test(f) || Number(f) > max) throw new ValueError(`'${text}' is not ${what}`);
    return String(Number(f));
  });
}

/** Does the community text match the pattern, part by part? No allocation. */
export function communityMatch(p: CommunityPattern, s: string): boolean {
  let pos = 0;
  const n = p.length;
  for (let i = 0; i < n; i++) {
    const last = i === n - 1;
    let end = last ? s.length : s.indexOf(':', pos);
    if (end < 0) return false;
    if (last && s.indexOf(':', pos) >= 0) return false;
    const part = p[i]!;
    if (part !== null && (end - pos !== part.length || !s.startsWith(part, pos))) return false;
    pos = end + 1;
  }
  return true;
}

/** Does the pattern have no wildcard? Then it is compared as one string. */
export function exactCommunity(p: CommunityPattern): string | null {
  return p.every((x) => x !== null) ? p.join(':') : null;
}

// ---------------------------------------------------------------------------------------------- AS path regular expressions

/**
 * An AS path regular expression with the Cisco-style `_` delimiter: `_` matches the start or end of the path or
 * whatever separates two ASNs in the path text (a space, the braces and commas of an AS_SET). The path text is
 * the one bgpcap prints: `174 3356 {64512,64513}`. So `_3356_` finds AS 3356 anywhere, `^47065_` a path that
 * starts with 47065, `_61574$` one that ends with it. `\_` is a literal underscore.
 */
export function asPathRegex(src: string): RegExp {
  let out = '';
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (c === '\\' && i + 1 < src.length) {
      out += src[i + 1] === '_' ? '_' : c + src[i + 1];
      i++;
    } else if (inClass) {
      if (c === ']') inClass = false;
      out += c;
    } else if (c === '[') {
      inClass = true;
      out += c;
    } else if (c === '_') {
      out += '(?:^|$|[ ,{}()])';
    } else {
      out += c;
    }
  }
  try {
    return new RegExp(out);
  } catch (e) {
    throw new ValueError(`'${src}' is not a valid regular expression: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}`);
  }
}

// ---------------------------------------------------------------------------------------------- globs

/** `tap*` style name pattern (only `*` is special), compiled to an anchored test. */
export function globTest(pattern: string): (s: string) => boolean {
  if (!pattern.includes('*')) return (s) => s === pattern;
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return (s) => re.test(s);
}
