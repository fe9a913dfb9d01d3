// Which ASNs of an AS path look poisoned.
//
// BGP poisoning puts a victim ASN P inside the path an origin announces, so that P's loop detection
// (RFC 4271 §9.1.2) drops the route. The PEERING client builds such paths as `poisons… origin` behind the
// mux's own 47065, so upstreams see `47065 P… origin` (PEERING.md §3.3: `-p 3356 -o 61574` gives
// `47065 61574 3356 61574`). Seen on a wire the tell is a sandwich:
//
//   1. a non-PEERING ASN with a PEERING ASN somewhere to its left and somewhere to its right
//      (`… 47065 3356 47065`, `47065 61574 3356 61574 61574`);
//   2. an ASN with the path's origin (its last ASN) both to its left and to its right (`65001 3356 65001`:
//      the same trick by someone who is not on PEERING).
//
// A client→mux announcement `174 3356 47065` has no PEERING ASN on the left (the mux adds it later), so it
// cannot be told from a plain path `upstream… 47065` by the bytes alone; --poisoned names such ASNs.
//
// A poisoned ASN that also appears upstream of (left of) the first PEERING ASN of a returned path means P
// accepted the route and passed it on: the poisoning failed there (PEERING.md §5.11).

import type { AsPath } from '../bgp/model.js';

/** The path as one ASN sequence, AS_SET members in place (their order is not meaningful). */
export function flatPath(p: AsPath): number[] {
  const out: number[] = [];
  for (const x of p) {
    if (typeof x === 'number') out.push(x);
    else for (const y of x) out.push(y);
  }
  return out;
}

/** The ASNs of `path` that look poisoned (rules 1 and 2 above) or are named in `given`, each once, in path order. */
export function poisonedIn(path: AsPath, peering: ReadonlySet<number>, given: ReadonlySet<number>): number[] {
  const seq = flatPath(path);
  const out: number[] = [];
  const add = (a: number): void => {
    if (!out.includes(a)) out.push(a);
  };
  if (seq.length === 0) return out;
  let firstP = -1;
  let lastP = -1;
  for (let i = 0; i < seq.length; i++) {
    if (peering.has(seq[i]!)) {
      if (firstP < 0) firstP = i;
      lastP = i;
    }
  }
  const origin = seq[seq.length - 1]!;
  const firstO = seq.indexOf(origin);
  for (let i = 0; i < seq.length; i++) {
    const a = seq[i]!;
    if (given.has(a)) add(a);
    else if (!peering.has(a) && firstP >= 0 && firstP < i && i < lastP) add(a);
    else if (a !== origin && firstO < i && i < seq.length - 1) add(a);
  }
  return out;
}

/**
 * Poisoned ASNs (from `poisoned`) that occur left of the first PEERING ASN of the path: the route went
 * through an AS that should have dropped it. Paths without a PEERING ASN, or starting with one, have no
 * upstream part and give nothing.
 */
export function poisonLeaks(path: AsPath, peering: ReadonlySet<number>, poisoned: ReadonlySet<number>): number[] {
  const seq = flatPath(path);
  const out: number[] = [];
  for (let i = 0; i < seq.length; i++) {
    const a = seq[i]!;
    if (peering.has(a)) break;
    if (poisoned.has(a) && !out.includes(a)) out.push(a);
  }
  return out;
}
