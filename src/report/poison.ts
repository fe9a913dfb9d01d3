// What role each ASN of an AS path plays: transit, poison, or origin.
//
// BGP poisoning puts a victim ASN P inside the path an origin announces, so that P's loop detection
// (RFC 4271 §9.1.2) drops the route. The PEERING client builds such paths as `poisons… origin` and the mux
// adds its own 47065 in front, so upstreams see `47065 P… origin` (PEERING.md §3.3: `-p 3356 -o 61574` gives
// `47065 61574 3356 61574`). Seen on a wire:
//
//   origin  the trailing run of the last ASN (prepends included), or the final AS_SET;
//   poison  when a PEERING ASN occurs before the origin run: every non-PEERING ASN between the first such
//           PEERING ASN and the origin run (`1299 47065 3356 47065`: 3356);
//           otherwise an ASN with the origin's ASN somewhere to its left (`65001 3356 65001`: the same trick by
//           someone not on PEERING), or one named with --poisoned (`174 3356 47065` as the client sends it
//           to the mux cannot be told from a plain `upstream… 47065` by the bytes alone);
//   transit everything else, e.g. the upstreams left of the first PEERING ASN of a route that came back.
//
// A poisoned ASN that shows up as transit (left of the first PEERING ASN) in a route that came back means P
// accepted the route and passed it on: the poisoning did not hold there (PEERING.md §5.11).

import type { AsPath } from '../bgp/model.js';

export type Role = 'transit' | 'poison' | 'origin';

/** The path as one ASN sequence, AS_SET members in place (their order is not meaningful). */
export function flatPath(p: AsPath): number[] {
  const out: number[] = [];
  for (const x of p) {
    if (typeof x === 'number') out.push(x);
    else for (const y of x) out.push(y);
  }
  return out;
}

/** The role of each element of `path` (an AS_SET element is transit unless it is the origin). */
export function pathRoles(path: AsPath, peering: ReadonlySet<number>, given: ReadonlySet<number>): Role[] {
  const n = path.length;
  const roles: Role[] = new Array<Role>(n).fill('transit');
  if (n === 0) return roles;
  const last = path[n - 1]!;
  let o = n - 1;
  if (typeof last === 'number') while (o > 0 && path[o - 1] === last) o--;
  for (let i = o; i < n; i++) roles[i] = 'origin';
  let first = -1;
  for (let i = 0; i < o; i++) {
    const x = path[i]!;
    if (typeof x === 'number' && peering.has(x)) {
      first = i;
      break;
    }
  }
  let originSeen = false;
  for (let i = 0; i < o; i++) {
    const x = path[i]!;
    if (typeof x !== 'number') continue;
    if (first >= 0) {
      if (i > first && !peering.has(x)) roles[i] = 'poison';
    } else if (given.has(x) || (originSeen && x !== last)) {
      roles[i] = 'poison';
    }
    if (x === last) originSeen = true;
  }
  return roles;
}

/** The ASNs of `path` in the poison role, each once, in path order. */
export function poisonedIn(path: AsPath, peering: ReadonlySet<number>, given: ReadonlySet<number>): number[] {
  const roles = pathRoles(path, peering, given);
  const out: number[] = [];
  for (let i = 0; i < path.length; i++) {
    const x = path[i]!;
    if (roles[i] === 'poison' && typeof x === 'number' && !out.includes(x)) out.push(x);
  }
  return out;
}

/**
 * ASNs from `poisoned` that occur in `path` left of its first PEERING ASN, when that PEERING ASN is not the
 * origin: the route came back through an AS that should have dropped it.
 */
export function poisonLeaks(path: AsPath, peering: ReadonlySet<number>, poisoned: ReadonlySet<number>): number[] {
  const roles = pathRoles(path, peering, new Set());
  const out: number[] = [];
  for (let i = 0; i < path.length; i++) {
    const x = path[i]!;
    if (roles[i] === 'origin') return [];
    if (typeof x !== 'number') continue;
    if (peering.has(x)) return out;
    if (poisoned.has(x) && !out.includes(x)) out.push(x);
  }
  return [];
}
