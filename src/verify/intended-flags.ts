// The intended state from flags that mirror `./peering prefix announce|withdraw` (PEERING.md §1.4):
//
//   bgpcap verify --prefix 184.164.236.0/24 --mux amsterdam01 --prepend 2 --poison 3356 --origin 61574 \
//                 --community 47065:1001 --large-community 47065:1:2 [--withdraw isi01] [--next-hop IP]
//
// is what `./peering prefix announce -m amsterdam01 -P 2 -p 3356 -o 61574 -c 47065,1001 -l 47065,1,2
// 184.164.236.0/24` (then `withdraw -m isi01`) should put on the wire. --mux and --withdraw repeat; without --mux
// the prefix is announced to every mux, as the client's default `-m all`.

import { ValueError, parseAsn } from '../filter/values.js';
import { controllerWirePath, expectedRoute, newPrefixIntent, type Intent, type PrefixIntent } from './intent.js';
import { canonicalPrefix } from './peering-facts.js';

export interface IntentFlags {
  prefix: string[];
  mux: string[];
  withdraw: string[];
  /** -P: how many times the origin is prepended (the client allows 0..4). */
  prepend?: number;
  /** -o */
  origin?: string;
  /** -p, in the order given */
  poison: string[];
  /** -c: A:B or A,B */
  community: string[];
  /** -l: A:B:C or A,B,C */
  largeCommunity: string[];
  /** -M: the next hop the filter sets instead of the client's address */
  nextHop?: string;
}

function parts(text: string, n: 2 | 3, max: number, flag: string): string {
  const f = text.split(/[:,]/);
  if (f.length !== n || f.some((x) => !/^[0-9]{1,10}$/.test(x) || Number(x) > max)) {
    throw new ValueError(`${flag} ${text}: expected ${n === 2 ? 'A:B (16-bit numbers)' : 'A:B:C (32-bit numbers)'}`);
  }
  return f.map(Number).join(':');
}

/** The intent the flags describe; ValueError names the flag that is wrong. */
export function intentFromFlags(f: IntentFlags): Intent {
  if (f.prefix.length === 0) throw new ValueError('name the prefix to verify with --prefix P (or give --peering DIR or --announcement FILE)');
  const poisons = f.poison.map((p) => {
    try {
      return parseAsn(p);
    } catch (e) {
      throw new ValueError(`--poison ${p}: ${(e as Error).message}`);
    }
  });
  let origin: number | null = null;
  if (f.origin !== undefined) {
    try {
      origin = parseAsn(f.origin);
    } catch (e) {
      throw new ValueError(`--origin ${f.origin}: ${(e as Error).message}`);
    }
  }
  const prepend = f.prepend ?? 0;
  if (!Number.isInteger(prepend) || prepend < 0 || prepend > 255) throw new ValueError(`--prepend ${prepend}: expected a count 0-255`);
  const communities = f.community.map((c) => parts(c, 2, 0xffff, '--community'));
  const large = f.largeCommunity.map((c) => parts(c, 3, 0xffffffff, '--large-community'));
  const as_path = controllerWirePath(origin, prepend, poisons);
  const flagText = [
    prepend > 0 ? `-P ${prepend}` : '',
    ...poisons.map((p) => `-p ${p}`),
    origin !== null ? `-o ${origin}` : '',
  ]
    .filter((s) => s !== '')
    .join(' ');
  const prefixes: PrefixIntent[] = [];
  for (const text of f.prefix) {
    let prefix: string;
    try {
      prefix = canonicalPrefix(text).text;
    } catch (e) {
      throw new ValueError(`--prefix ${text}: ${(e as Error).message}`);
    }
    if (prefixes.some((p) => p.prefix === prefix)) continue;
    const p = newPrefixIntent(prefix, prefix.includes(':') ? 6 : 4);
    let nextHop: string | null = null;
    if (f.nextHop !== undefined) {
      try {
        nextHop = canonicalPrefix(f.nextHop).text.replace(/\/(32|128)$/, '');
      } catch (e) {
        throw new ValueError(`--next-hop ${f.nextHop}: ${(e as Error).message}`);
      }
    }
    const route = expectedRoute({
      as_path,
      communities,
      large_communities: large,
      next_hop: nextHop,
      poisons,
      origin_asn: origin ?? (as_path.length > 0 ? as_path[as_path.length - 1]! : 47065),
      from: `flags${flagText === '' ? '' : ` (${flagText})`}`,
    });
    const muxes = f.mux.length === 0 && f.withdraw.length === 0 ? ['all'] : f.mux;
    for (const m of muxes) p.announce.set(m, route);
    for (const m of f.withdraw) {
      if (p.announce.has(m)) throw new ValueError(`--withdraw ${m}: also named with --mux`);
      p.withdraw.add(m);
    }
    prefixes.push(p);
  }
  return { source: 'flags', prefixes, exhaustive: false, warnings: [] };
}
