// Roles of ASNs in a path, on the PEERING client's own worked examples (PEERING.md §3.4: the path the mux's
// upstreams see for each `./peering prefix announce` command, and the path on the tap).
import { describe, expect, it } from 'vitest';
import { pathRoles, poisonedIn, poisonLeaks } from '../../src/report/poison.js';
import { PEERING_ASNS } from '../../src/report/model.js';

const peering = new Set(PEERING_ASNS);
const none = new Set<number>();

describe('upstream-visible paths of PEERING.md §3.4', () => {
  it.each([
    ['(no options)', [47065], []],
    ['-P 2', [47065, 47065, 47065], []],
    ['-o 61574', [47065, 61574], []],
    ['-p 3356', [47065, 3356, 47065], [3356]],
    ['-p 3356 -p 174', [47065, 174, 3356, 47065], [174, 3356]],
    ['-p 3356 -o 61574', [47065, 61574, 3356, 61574], [3356]],
    ['-P 2 -p 3356 -o 61574', [47065, 61574, 3356, 61574, 61574], [3356]],
    ['-p 61574 -o 61574', [47065, 61574, 61574], []],
  ])('%s: %j poisons %j', (_cmd, path, want) => {
    expect(poisonedIn(path, peering, none)).toEqual(want);
  });

  it('roles: the trailing run is the origin, the mux AS before the poisons is transit', () => {
    expect(pathRoles([47065, 61574, 3356, 61574, 61574], peering, none)).toEqual(['transit', 'transit', 'poison', 'origin', 'origin']);
    expect(pathRoles([], peering, none)).toEqual([]);
    expect(pathRoles([65001, [64512, 64513]], peering, none)).toEqual(['transit', 'origin']);
  });
});

describe('paths on the tap (client → mux)', () => {
  it('the wire path of -P 2 -p 3356 -o 61574 shows its poison', () => {
    expect(poisonedIn([61574, 3356, 61574, 61574], peering, none)).toEqual([3356]);
  });

  it('`174 3356 47065` cannot be told from a plain upstream path without --poisoned', () => {
    expect(poisonedIn([174, 3356, 47065], peering, none)).toEqual([]);
    expect(poisonedIn([174, 3356, 47065], peering, new Set([174, 3356]))).toEqual([174, 3356]);
  });
});

describe('outside PEERING: the origin on both sides', () => {
  it('`65001 3356 65001` poisons 3356; prepends are not poisons', () => {
    expect(poisonedIn([64999, 65001, 3356, 65001], peering, none)).toEqual([3356]);
    expect(poisonedIn([64999, 65001, 65001, 65001], peering, none)).toEqual([]);
  });
});

describe('leaks: a poisoned AS passing the route on (PEERING.md §5.11)', () => {
  const p = new Set([3356]);
  it('3356 upstream of the first 47065 of a returned route', () => {
    expect(poisonLeaks([3356, 1299, 47065, 3356, 47065], peering, p)).toEqual([3356]);
    expect(poisonLeaks([1299, 47065, 3356, 47065], peering, p)).toEqual([]);
  });
  it('no upstream part, no leak: the first PEERING ASN is the origin, or there is none', () => {
    expect(poisonLeaks([174, 3356, 47065], peering, p)).toEqual([]);
    expect(poisonLeaks([3356, 15169], peering, p)).toEqual([]);
  });
});
