// What PEERING is, as far as verifying an announcement needs it: its ASNs, its address space, the limits the
// muxes enforce, the names the client gives its filter files, and how a next hop names an upstream.
// Source: ../shared/PEERING.md (§1.4, §3, §4, §6), itself read from the client's and the muxes' public code.

import { bitsEqual, parseNet, type Net } from '../filter/values.js';

/** PEERING's own ASN: the client speaks iBGP with it to every mux, and the muxes use it towards upstreams (§3.1). */
export const PEERING_ASN = 47065;

/** The ASNs PEERING lets experiments originate from (configs/announcement_schema.json `peeringASN`, §4). */
export const PEERING_ASNS: ReadonlySet<number> = new Set([47065, 33207, 61574, 61575, 61576, 263842, 263843, 263844]);

/** The mux drops every community of an announcement carrying more than this many (client usage text, §1.4). */
export const MAX_COMMUNITIES = 20;

/** AS hops an announcement's AS path may have before PEERING filters it (the `fabric` filter's `bgp_path.len > 5`, §4). */
export const MAX_AS_HOPS = 5;

/** The client README asks for at least this long between two changes of one prefix (§4; route-flap damping). */
export const MIN_CHANGE_INTERVAL_S = 600;

/** A range of PEERING space with the prefix lengths the client's export filter accepts inside it. */
export interface PeeringRange {
  net: Net;
  minLen: number;
  maxLen: number;
  /** Where the range is accepted: the master branch, or only the bird2 branch. */
  branch: 'master' | 'bird2';
}

function range(text: string, minLen: number, maxLen: number, branch: 'master' | 'bird2' = 'master'): PeeringRange {
  return { net: parseNet(text), minLen, maxLen, branch };
}

/**
 * The client's `safe_announcement()` export filter (configs/bird{,6}/bird{,6}.conf, §4): `net ~ [ P{a,b} ]`
 * accepts prefixes inside P whose length is a..b.
 */
export const PEERING_RANGES: readonly PeeringRange[] = [
  range('66.180.190.0/23', 23, 24),
  range('138.185.228.0/22', 22, 24),
  range('184.164.224.0/19', 19, 24),
  range('199.36.157.0/24', 24, 24),
  range('204.9.168.0/22', 22, 24),
  range('208.87.172.0/23', 23, 24),
  range('147.28.10.0/23', 23, 24, 'bird2'),
  range('2604:4540::/48', 48, 48),
  range('2620:33:c000::/48', 48, 48),
  range('2804:269c::/42', 42, 48),
  range('2602:f83d:80::/43', 43, 48, 'bird2'),
];

/** The range of PEERING space that accepts `p`, or null. */
export function peeringRangeOf(p: Net): PeeringRange | null {
  for (const r of PEERING_RANGES) {
    if (r.net.af === p.af && p.len >= r.minLen && p.len <= r.maxLen && bitsEqual(p.w, r.net.w, r.net.len)) return r;
  }
  return null;
}

/**
 * The file-name form of a prefix the client uses for `export_<mux>_<pfxfn>.conf` and `route-announcements/<pfxfn>`
 * (§1.4): `/` becomes `-` and, for IPv6, `:` becomes `i`.
 */
export function prefixFileName(prefix: string): string {
  return prefix.replace('/', '-').replace(/:/g, 'i');
}

/** The prefix text a `<pfxfn>` stands for, or null when it is not one (hex digits never contain an `i`). */
export function prefixFromFileName(name: string): string | null {
  const dash = name.lastIndexOf('-');
  if (dash <= 0) return null;
  const text = `${name.slice(0, dash).replace(/i/g, ':')}/${name.slice(dash + 1)}`;
  try {
    return parseNet(text).text;
  } catch {
    return null;
  }
}

/** Canonical prefix text (dotted quad / RFC 5952, bits past the length must be zero), or throws ValueError. */
export function canonicalPrefix(text: string): Net {
  const n = parseNet(text.trim(), 'a prefix');
  if (!text.includes('/')) return parseNet(`${n.text}/${n.af === 4 ? 32 : 128}`);
  return n;
}

/** A mux's address on its tunnel in PEERING's plan (§2.2): `100.{64+N}.128.1`, `2804:269c:ff00:{N:x}:1::1`. */
export function planMuxId(ip: string): number | null {
  if (ip.startsWith('100.')) {
    const p = ip.split('.');
    if (p.length === 4 && p[2] === '128' && p[3] === '1') {
      const a = Number(p[1]);
      if (Number.isInteger(a) && a >= 64 && a <= 255) return a - 64;
    }
    return null;
  }
  const m = /^2804:269c:ff00:([0-9a-f]{1,4}):1::1$/.exec(ip);
  return m === null ? null : parseInt(m[1]!, 16);
}

/** What a next hop in a mux → client UPDATE says about where the route came from (§6). */
export interface NextHopOrigin {
  /** The upstream's id at its mux (`up<id>_<asn>` on the mux), null when the next hop is not an upstream's. */
  upstream_id: number | null;
  /** The mux id the address belongs to (N of tapN), null when unknown. */
  mux_id: number | null;
  /** 'upstream' (a macvlan of an upstream), 'mux' (the mux itself, .128.1 / :1::1), 'container', or 'other'. */
  kind: 'upstream' | 'mux' | 'container' | 'other';
}

function v6Groups(ip: string): number[] | null {
  const dbl = ip.indexOf('::');
  const parts = (s: string): string[] => (s === '' ? [] : s.split(':'));
  const head = dbl < 0 ? parts(ip) : parts(ip.slice(0, dbl));
  const tail = dbl < 0 ? [] : parts(ip.slice(dbl + 2));
  const fill = 8 - head.length - tail.length;
  if (fill < 0 || (dbl < 0 && fill !== 0)) return null;
  const g = [...head, ...Array<string>(fill).fill('0'), ...tail].map((x) => (/^[0-9a-f]{1,4}$/i.test(x) ? parseInt(x, 16) : NaN));
  return g.some((x) => Number.isNaN(x)) ? null : g;
}

/**
 * The upstream behind a next hop (§6, wiki "Mux data plane"): each upstream network i of mux N has a macvlan
 * addressed `100.{64+N}.{i >> 8}.{i & 255}` (third octet < 128) or `2804:269c:ff00:{N:x}::{i:x}`, and the mux sets
 * that address as BGP next hop on routes from upstream i. `100.{64+N}.128.1` / `…:{N:x}:1::1` is the mux itself,
 * `100.125.x.y` container space.
 */
export function nextHopOrigin(nh: string | null): NextHopOrigin {
  if (nh === null) return { upstream_id: null, mux_id: null, kind: 'other' };
  if (nh.includes('.')) {
    const p = nh.split('.').map(Number);
    if (p.length !== 4 || p[0] !== 100) return { upstream_id: null, mux_id: null, kind: 'other' };
    const a = p[1]!;
    const b = p[2]!;
    const c = p[3]!;
    if (a === 125) return { upstream_id: null, mux_id: b >> 3, kind: 'container' };
    if (a < 64) return { upstream_id: null, mux_id: null, kind: 'other' };
    if (b === 128 && c === 1) return { upstream_id: null, mux_id: a - 64, kind: 'mux' };
    if (b < 128) return { upstream_id: b * 256 + c, mux_id: a - 64, kind: 'upstream' };
    return { upstream_id: null, mux_id: a - 64, kind: 'other' };
  }
  const g = v6Groups(nh);
  if (g === null || g[0] !== 0x2804 || g[1] !== 0x269c || g[2] !== 0xff00) return { upstream_id: null, mux_id: null, kind: 'other' };
  const mux = g[3]!;
  if (g[4] === 1 && g[5] === 0 && g[6] === 0 && g[7] === 1) return { upstream_id: null, mux_id: mux, kind: 'mux' };
  if (g[4] === 0 && g[5] === 0) return { upstream_id: g[6]! * 65536 + g[7]!, mux_id: mux, kind: 'upstream' };
  return { upstream_id: null, mux_id: mux, kind: 'other' };
}

/**
 * The upstream id a route's communities name: muxes tag routes from upstream i with (47065, 10000+i) (§6; inferred
 * from two examples, so a second signal only). Null when there is none, or more than one.
 */
export function upstreamIdFromCommunities(communities: readonly string[] | null): number | null {
  if (communities === null) return null;
  let found: number | null = null;
  for (const c of communities) {
    if (!c.startsWith('47065:')) continue;
    const v = Number(c.slice(6));
    if (v > 10000 && v < 65536) {
      if (found !== null && found !== v - 10000) return null;
      found = v - 10000;
    }
  }
  return found;
}

/** What a 47065:X community asks the mux for (client usage text, §1.4), or null for other communities. */
export function controlCommunityMeaning(c: string): string | null {
  if (!c.startsWith('47065:')) return null;
  const v = Number(c.slice(6));
  if (v === 0) return 'announce to remote peers through AL2S';
  if (v >= 1 && v <= 1000) return `export only to peer ${v}`;
  if (v > 1000 && v <= 2000) return `do not export to peer ${v - 1000}`;
  return null;
}
