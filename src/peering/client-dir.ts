// A PEERING client checkout (github.com/PEERINGTestbed/client), read as files: which mux is behind which tap,
// what the client believes about each tunnel, and which BGP neighbour it configured. Nothing here needs root
// or runs the client's scripts; ../shared/PEERING.md §1–§2 describes the files.
//
//   var/mux2dev.txt               `<mux> <tapN>` per line; the client regenerates it from the OpenVPN configs
//                                 when it is missing or empty, and so do we (configs/openvpn/<mux>.conf `dev tapN`)
//   var/<mux>.updown              written by the tunnel's up/down script: `up <ipv4> <ipv6>` or `down`
//   var/<mux>.sock                OpenVPN management socket (openvpn-mgmt.ts)
//   var/bird.ctl, var/bird6.ctl   BIRD control sockets, IPv4 and IPv6 instances (bird-ctl.ts)
//   configs/bird/bird.conf,       `protocol bgp <mux> from peering { neighbor <ip> as 47065; … }`
//   configs/bird6/bird6.conf
//
// The mux list differs between files of one checkout (PEERING.md §2.2: 44 OpenVPN configs, 43 rows elsewhere,
// stale bird6 entries), so it is parsed, never hard-coded, and a mux missing from one file is not an error.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface MuxEntry {
  mux: string;
  /** Interface name, `tapN`. */
  tap: string;
  /** N of `tapN`: the mux id, which also fixes the mux's addresses (addressing below); null for another name. */
  id: number | null;
}

export interface MuxMap {
  muxes: MuxEntry[];
  /** Where the map came from. */
  source: 'var/mux2dev.txt' | 'configs/openvpn';
  /** Lines that could not be used, with the reason. */
  warnings: string[];
}

/** Thrown when a directory is not a PEERING client checkout (or cannot be read): the CLI prints it on one line. */
export class PeeringDirError extends Error {
  override readonly name = 'PeeringDirError';
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw new PeeringDirError(`${path}: ${(e as Error).message}`);
  }
}

function tapId(tap: string): number | null {
  if (!/^tap[0-9]+$/.test(tap)) return null;
  const n = Number(tap.slice(3));
  return Number.isSafeInteger(n) ? n : null;
}

/** `<mux> <tapN>` lines (the format scripts/peering-config writes); blank lines and `#` comments are skipped. */
export function parseMux2dev(text: string, name = 'var/mux2dev.txt'): { muxes: MuxEntry[]; warnings: string[] } {
  const muxes: MuxEntry[] = [];
  const warnings: string[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/#.*/, '').trim();
    if (line === '') continue;
    const f = line.split(/\s+/);
    if (f.length !== 2) {
      warnings.push(`${name}:${i + 1}: expected "<mux> <tapN>", got "${line}"`);
      continue;
    }
    muxes.push({ mux: f[0]!, tap: f[1]!, id: tapId(f[1]!) });
  }
  return { muxes, warnings };
}

/** The `dev tapN` line of an OpenVPN config (the same pattern the client's own tools use), or null. */
export function openvpnDev(conf: string): string | null {
  const m = /^[ \t]*dev[ \t]+(tap[0-9]+)[ \t]*$/m.exec(conf);
  return m === null ? null : m[1]!;
}

/**
 * mux → tap for a client checkout: var/mux2dev.txt, or when it is missing or empty (as scripts/peering-config
 * decides) the `dev tapN` lines of configs/openvpn/*.conf. Sorted by mux name, as `peering openvpn status` is.
 */
export function readMuxMap(dir: string): MuxMap {
  const m2d = readText(join(dir, 'var', 'mux2dev.txt'));
  if (m2d !== null && m2d.trim() !== '') {
    const r = parseMux2dev(m2d);
    return { muxes: sortMuxes(r.muxes), source: 'var/mux2dev.txt', warnings: r.warnings };
  }
  const confDir = join(dir, 'configs', 'openvpn');
  let names: string[];
  try {
    names = readdirSync(confDir).filter((n) => n.endsWith('.conf'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new PeeringDirError(`${dir}: not a PEERING client directory (neither var/mux2dev.txt nor configs/openvpn/*.conf)`);
    }
    throw new PeeringDirError(`${confDir}: ${(e as Error).message}`);
  }
  const muxes: MuxEntry[] = [];
  const warnings: string[] = [];
  for (const n of names) {
    const dev = openvpnDev(readText(join(confDir, n)) ?? '');
    if (dev === null) {
      warnings.push(`configs/openvpn/${n}: no "dev tapN" line`);
      continue;
    }
    muxes.push({ mux: n.slice(0, -'.conf'.length), tap: dev, id: tapId(dev) });
  }
  if (muxes.length === 0 && names.length === 0) {
    throw new PeeringDirError(`${dir}: not a PEERING client directory (var/mux2dev.txt is missing or empty and configs/openvpn/ has no .conf)`);
  }
  return { muxes: sortMuxes(muxes), source: 'configs/openvpn', warnings };
}

function sortMuxes(m: MuxEntry[]): MuxEntry[] {
  return m.sort((a, b) => (a.mux < b.mux ? -1 : a.mux > b.mux ? 1 : 0));
}

export interface Updown {
  /** 'up' / 'down' as the file says, 'missing' without a file, 'other' for anything else. */
  state: 'up' | 'down' | 'missing' | 'other';
  /** Addresses from an `up <ipv4> <ipv6>` line. */
  ipv4: string | null;
  ipv6: string | null;
  /** The first line as written. */
  line: string | null;
}

/** First line of var/<mux>.updown: `up <ipv4> <ipv6>` (the up script) or `down` (the down script). */
export function parseUpdown(text: string | null): Updown {
  if (text === null) return { state: 'missing', ipv4: null, ipv6: null, line: null };
  const line = (text.split('\n')[0] ?? '').trim();
  const f = line.split(/\s+/);
  if (f[0] === 'up') return { state: 'up', ipv4: f[1] ?? null, ipv6: f[2] ?? null, line };
  if (f[0] === 'down') return { state: 'down', ipv4: null, ipv6: null, line };
  return { state: 'other', ipv4: null, ipv6: null, line };
}

export function readUpdown(dir: string, mux: string): Updown {
  return parseUpdown(readText(join(dir, 'var', `${mux}.updown`)));
}

export interface BirdNeighbor {
  /** Protocol name (= mux name in the client's configs). */
  protocol: string;
  address: string;
  asn: number | null;
}

/**
 * `protocol bgp <name> … { neighbor <ip> as <asn>; … }` of a BIRD config: name → neighbour. Comments (`#`, C
 * style) are removed first; a protocol without a neighbour line (a template) is left out.
 */
export function parseBirdNeighbors(conf: string): Map<string, BirdNeighbor> {
  const text = conf.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/#[^\n]*/g, '');
  const out = new Map<string, BirdNeighbor>();
  const starts: { name: string; at: number }[] = [];
  const re = /\bprotocol\s+bgp\s+([A-Za-z0-9_]+)/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) starts.push({ name: m[1]!, at: m.index + m[0].length });
  const anyProto = /\b(?:protocol|template)\s/g;
  for (const s of starts) {
    anyProto.lastIndex = s.at;
    const next = anyProto.exec(text);
    const body = text.slice(s.at, next === null ? text.length : next.index);
    const n = /\bneighbor\s+([0-9A-Fa-f.:]+)(?:%[A-Za-z0-9_.-]+)?(?:\s+port\s+[0-9]+)?(?:\s+as\s+([0-9]+))?/.exec(body);
    if (n !== null) out.set(s.name, { protocol: s.name, address: n[1]!, asn: n[2] === undefined ? null : Number(n[2]) });
  }
  return out;
}

export interface ClientNeighbors {
  v4: Map<string, BirdNeighbor>;
  v6: Map<string, BirdNeighbor>;
}

/** Neighbours from configs/bird/bird.conf and configs/bird6/bird6.conf (each may be missing). */
export function readBirdNeighbors(dir: string): ClientNeighbors {
  const v4 = readText(join(dir, 'configs', 'bird', 'bird.conf'));
  const v6 = readText(join(dir, 'configs', 'bird6', 'bird6.conf'));
  return { v4: v4 === null ? new Map() : parseBirdNeighbors(v4), v6: v6 === null ? new Map() : parseBirdNeighbors(v6) };
}

/**
 * The mux's own addresses on tap N, from PEERING's addressing plan (PEERING.md §2.2, every mux row checked):
 * `100.{64+N}.128.1` and `2804:269c:ff00:{N:x}:1::1`. Null when N does not fit the plan.
 */
export function planNeighbors(id: number | null): { v4: string | null; v6: string | null } {
  if (id === null || id < 0) return { v4: null, v6: null };
  return {
    v4: 64 + id <= 255 ? `100.${64 + id}.128.1` : null,
    v6: id <= 0xffff ? `2804:269c:ff00:${id.toString(16)}:1::1` : null,
  };
}
