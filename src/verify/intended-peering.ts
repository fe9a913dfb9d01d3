// The intended state as the PEERING client itself holds it: its per-mux export filter files (PEERING.md §1.4, §3.3).
//
//   configs/bird/prefix-filters/export_<mux>_<pfxfn>.conf     IPv4 prefixes (bird), one file per mux and prefix
//   configs/bird6/prefix-filters/export_<mux>_<pfxfn>.conf    IPv6 prefixes (bird6)
//   configs/bird{,6}/route-announcements/<pfxfn>              `route <prefix> unreachable;`, written on announce and
//                                                             never removed: every prefix the client ever announced
//
// `./peering prefix announce` writes a filter file per target mux; BIRD includes `prefix-filters/export_<mux>_*` in
// that mux's export filter. `withdraw -m mux` deletes that mux's file. A file looks like
//
//   if ( net = 184.164.236.0/24 ) then {
//       bgp_path.prepend(61574);          one line per prepended ASN; each prepends on the LEFT, so the wire
//       bgp_path.prepend(3356);           path is these ASNs in reverse order (iBGP adds nothing): 61574 3356 61574
//       bgp_path.prepend(61574);
//       bgp_community.add((47065,1001));
//       bgp_large_community.add((47065,1,2));
//       bgp_next_hop=100.125.40.2;        only with -M
//       accept;
//   }
//
// peering.py renders the same statements from its Jinja template. A statement this parser does not know is kept as
// a warning: the checks still run on what was understood.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ValueError } from '../filter/values.js';
import { expectedRoute, newPrefixIntent, type ExpectedRoute, type Family, type Intent, type PrefixIntent } from './intent.js';
import { canonicalPrefix, prefixFromFileName } from './peering-facts.js';

export interface FilterFile {
  mux: string;
  prefix: string;
  /** The route expected on the wire. */
  route: ExpectedRoute;
  /** The file's mtime, epoch seconds: when the announcement was (last) written. */
  mtime: number | null;
  warnings: string[];
}

const FILE_RE = /^export_(.+)_([0-9a-fA-Fi.]+-[0-9]{1,3})\.conf$/;

function u32(text: string): number | null {
  const n = Number(text);
  return /^[0-9]{1,10}$/.test(text) && n <= 0xffffffff ? n : null;
}

/**
 * One filter file's statements → the route it makes BIRD send. `name` is used in messages ("file:line").
 * Throws nothing: what is not understood becomes a warning.
 */
export function parseExportFilter(text: string, name: string, mux: string, prefix: string): FilterFile {
  const warnings: string[] = [];
  const prepends: number[] = [];
  const communities: string[] = [];
  const large: string[] = [];
  let nextHop: string | null = null;
  let accepted = false;
  let rejected = false;
  const lines = text.split('\n');
  let inComment = false;
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!;
    // BIRD comments: `#` to end of line, and C-style blocks.
    if (inComment) {
      const end = line.indexOf('*/');
      if (end < 0) continue;
      line = line.slice(end + 2);
      inComment = false;
    }
    line = line.replace(/\/\*.*?\*\//g, ' ');
    const open = line.indexOf('/*');
    if (open >= 0) {
      line = line.slice(0, open);
      inComment = true;
    }
    line = line.replace(/#.*/, '');
    const where = `${name}:${i + 1}`;
    for (const raw of line.split(';')) {
      const s = raw.trim().replace(/\s+/g, ' ');
      if (s === '' || s === '}' || s === '{') continue;
      let m: RegExpExecArray | null;
      if ((m = /^(?:\}\s*)?if \(? ?net ?(=|~) ?([0-9A-Fa-f.:/]+) ?\)? then \{?$/.exec(s)) !== null) {
        try {
          const p = canonicalPrefix(m[2]!).text;
          if (p !== prefix) warnings.push(`${where}: the condition names ${p}, the file name ${prefix}`);
        } catch {
          warnings.push(`${where}: not a prefix in the condition: ${m[2]}`);
        }
      } else if ((m = /^(?:\}\s*)?bgp_path\.prepend\( ?([0-9]+) ?\)$/.exec(s)) !== null) {
        const a = u32(m[1]!);
        if (a === null) warnings.push(`${where}: not an AS number: ${s}`);
        else prepends.push(a);
      } else if ((m = /^bgp_community\.add\( ?\( ?([0-9]+) ?, ?([0-9]+) ?\) ?\)$/.exec(s)) !== null) {
        const a = Number(m[1]);
        const b = Number(m[2]);
        if (a > 0xffff || b > 0xffff) warnings.push(`${where}: community halves must be 16-bit: ${s}`);
        else communities.push(`${a}:${b}`);
      } else if ((m = /^bgp_large_community\.add\( ?\( ?([0-9]+) ?, ?([0-9]+) ?, ?([0-9]+) ?\) ?\)$/.exec(s)) !== null) {
        const parts = [m[1]!, m[2]!, m[3]!].map(u32);
        if (parts.some((x) => x === null)) warnings.push(`${where}: large community parts must be 32-bit: ${s}`);
        else large.push(parts.join(':'));
      } else if ((m = /^bgp_next_hop ?= ?([0-9A-Fa-f.:]+)$/.exec(s)) !== null) {
        nextHop = m[1]!.toLowerCase();
      } else if (s === 'accept' || s === '} accept') {
        accepted = true;
      } else if (s === 'reject' || s === '} reject') {
        rejected = true;
      } else {
        warnings.push(`${where}: statement not understood, ignored: ${s}`);
      }
    }
  }
  if (!accepted || rejected) warnings.push(`${name}: the filter does not ${rejected ? 'only ' : ''}accept the route`);
  // Each prepend puts its ASN on the left: the wire path is the lines in reverse order.
  const as_path = prepends.slice().reverse();
  return { mux, prefix, route: expectedRoute({ as_path, communities, large_communities: large, next_hop: nextHop, from: name }), mtime: null, warnings };
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function mtimeOf(path: string): number | null {
  try {
    return statSync(path).mtimeMs / 1000;
  } catch {
    return null;
  }
}

/** Lines of prefixes.txt / prefixes6.txt (null when the file is missing). */
export function readAllocated(dir: string): { v4: Set<string> | null; v6: Set<string> | null } {
  const read = (name: string): Set<string> | null => {
    let text: string;
    try {
      text = readFileSync(join(dir, name), 'utf8');
    } catch {
      return null;
    }
    // The client compares the text exactly (`pfx2id[$prefix]`); lines are kept as written, trimmed.
    return new Set(text.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#')));
  };
  return { v4: read('prefixes.txt'), v6: read('prefixes6.txt') };
}

export interface PeeringIntentOptions {
  /** Only these prefixes (canonical text); empty = every prefix the client knows. */
  prefixes?: readonly string[];
}

/**
 * The intended state of a client checkout: every prefix with a filter file or a route-announcement file (and the
 * prefixes asked for), announced exactly at the muxes that have a filter file for it and at no other (the checks
 * treat a mux that is not a target as "must not carry it": a withdrawal is seen or nothing is).
 */
export function readPeeringIntent(dir: string, opts: PeeringIntentOptions = {}): Intent {
  const warnings: string[] = [];
  const byPrefix = new Map<string, PrefixIntent>();
  const only = opts.prefixes !== undefined && opts.prefixes.length > 0 ? new Set(opts.prefixes) : null;
  const get = (prefix: string, family: Family): PrefixIntent => {
    let p = byPrefix.get(prefix);
    if (p === undefined) {
      p = newPrefixIntent(prefix, family);
      byPrefix.set(prefix, p);
    }
    return p;
  };
  for (const [sub, family] of [['bird', 4], ['bird6', 6]] as const) {
    const filters = join(dir, 'configs', sub, 'prefix-filters');
    const dirTime = mtimeOf(filters);
    for (const name of listDir(filters).sort()) {
      const m = FILE_RE.exec(name);
      if (m === null) {
        if (name.startsWith('export_')) warnings.push(`configs/${sub}/prefix-filters/${name}: not an export_<mux>_<prefix>.conf name, ignored`);
        continue;
      }
      const prefix = prefixFromFileName(m[2]!);
      if (prefix === null) {
        warnings.push(`configs/${sub}/prefix-filters/${name}: no prefix in the name, ignored`);
        continue;
      }
      if (only !== null && !only.has(prefix)) continue;
      const fam: Family = prefix.includes(':') ? 6 : 4;
      if (fam !== family) warnings.push(`configs/${sub}/prefix-filters/${name}: an IPv${fam} prefix in the IPv${family} BIRD's directory`);
      const path = join(filters, name);
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch (e) {
        warnings.push(`${path}: ${(e as Error).message}`);
        continue;
      }
      const f = parseExportFilter(text, `configs/${sub}/prefix-filters/${name}`, m[1]!, prefix);
      f.mtime = mtimeOf(path);
      warnings.push(...f.warnings);
      const p = get(prefix, fam);
      p.announce.set(f.mux, f.route);
      if (f.mtime !== null) p.changed.set(f.mux, f.mtime);
    }
    // Prefixes the client announced once (the route file stays after a withdrawal): withdrawn where no filter is.
    const routes = join(dir, 'configs', sub, 'route-announcements');
    for (const name of listDir(routes)) {
      const prefix = prefixFromFileName(name);
      if (prefix === null || (only !== null && !only.has(prefix))) continue;
      get(prefix, prefix.includes(':') ? 6 : 4);
    }
    // A withdrawal deletes a filter file, which changes the directory's mtime: the best guess of when a mux
    // without a file lost it (any later change in the directory moves it too, so it is only a lower bound).
    if (dirTime !== null) for (const p of byPrefix.values()) if (p.family === family && !p.changed.has('*')) p.changed.set('*', dirTime);
  }
  if (only !== null) {
    for (const prefix of only) {
      if (!byPrefix.has(prefix)) get(prefix, prefix.includes(':') ? 6 : 4).notes.push(`no filter file for ${prefix}: it should not be announced to any mux`);
    }
  }
  return {
    source: 'peering',
    prefixes: [...byPrefix.values()].sort((a, b) => (a.prefix < b.prefix ? -1 : a.prefix > b.prefix ? 1 : 0)),
    exhaustive: only === null,
    warnings,
  };
}

/** Canonical text of a user-given prefix, or a ValueError naming it. */
export function prefixArg(text: string): string {
  try {
    return canonicalPrefix(text).text;
  } catch (e) {
    throw new ValueError(`--prefix ${text}: ${(e as Error).message}`);
  }
}
