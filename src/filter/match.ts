// Value tests and leaf builders shared by both stages. A predicate's values become tests compiled once
// (a CIDR with its address cache, a community pattern, a regular expression); a leaf applies them to the value a
// getter reads off the packet or record:
//
//   - plain values are OR-ed, `!` values exclude: match one of the plain values (if any) and none of the `!`;
//   - a missing value (null: no AS path on a withdrawal, no peer ASN before the OPEN) matches no plain value
//     and is excluded by no `!` value: `peer_asn !3356` keeps records whose peer ASN is unknown;
//   - a list (communities, the two addresses of `host`) matches a plain value when any member does, and is
//     excluded when any member matches a `!` value.

import type { Pred } from './expr/ast.js';
import type { NotificationValue, Op } from './keys.js';
import {
  cachedNetTest,
  cmpTime,
  communityMatch,
  exactCommunity,
  globTest,
  prefixTest,
  type CommunityPattern,
  type Net,
  type Time,
} from './values.js';

export type Test<T> = (v: T) => boolean;

export interface Tests<T> {
  pos: Test<T>[];
  neg: Test<T>[];
}

const ANY = (): boolean => true;

function numTest(op: Op, x: number): Test<number> {
  switch (op) {
    case '<':
      return (v) => v < x;
    case '<=':
      return (v) => v <= x;
    case '>':
      return (v) => v > x;
    case '>=':
      return (v) => v >= x;
    default:
      return (v) => v === x;
  }
}

function timeTest(op: Op, x: Time): Test<Time> {
  switch (op) {
    case '<':
      return (v) => cmpTime(v, x) < 0;
    case '<=':
      return (v) => cmpTime(v, x) <= 0;
    case '>':
      return (v) => cmpTime(v, x) > 0;
    case '>=':
      return (v) => cmpTime(v, x) >= 0;
    default:
      return (v) => cmpTime(v, x) === 0;
  }
}

function communityTest(p: CommunityPattern): Test<string> {
  const exact = exactCommunity(p);
  return exact !== null ? (s) => s === exact : (s) => communityMatch(p, s);
}

function notificationTest(x: NotificationValue): Test<{ code: number; subcode: number }> {
  return (n) => (x.code === null || n.code === x.code) && (x.subcode === null || n.subcode === x.subcode);
}

/** One compiled test per value of the predicate, split into plain and `!` values. */
// The value's record-side type depends on the key's kind; callers pick the getter that fits (see stage1/stage2).
export function valueTests(p: Pred): Tests<any> {
  const pos: Test<unknown>[] = [];
  const neg: Test<unknown>[] = [];
  for (const v of p.values) {
    const t = v.any ? ANY : (valueTest(p, v.v) as Test<unknown>);
    (v.neg ? neg : pos).push(t);
  }
  return { pos, neg };
}

function valueTest(p: Pred, x: unknown): Test<never> {
  const op = p.op;
  switch (p.key.kind) {
    case 'net':
      return cachedNetTest(x as Net);
    case 'prefix':
      return prefixTest(x as Net, p.rel ?? 'exact');
    case 'name':
      return globTest(x as string);
    case 'time':
      return timeTest(op, x as Time);
    case 'port':
    case 'msg_type':
    case 'ip_version':
    case 'afi':
    case 'safi':
    case 'asn':
    case 'uint':
    case 'attr':
      return numTest(op, x as number);
    case 'regex':
      if (x instanceof RegExp) return (s: string) => x.test(s);
      return (s: string) => s === x;
    case 'community':
    case 'large_community':
      return communityTest(x as CommunityPattern);
    case 'ext_community':
      return globTest(x as string);
    case 'notification':
      return notificationTest(x as NotificationValue);
    case 'mac':
    case 'event':
    case 'text':
    case 'action':
    case 'elem_type':
    case 'origin':
    case 'bool':
      return (v: unknown) => v === x;
  }
}

function anyTest<T>(ts: Test<T>[]): Test<T> | null {
  if (ts.length === 0) return null;
  if (ts.length === 1) return ts[0]!;
  if (ts.length === 2) {
    const [a, b] = ts as [Test<T>, Test<T>];
    return (v) => a(v) || b(v);
  }
  return (v) => {
    for (let i = 0; i < ts.length; i++) if (ts[i]!(v)) return true;
    return false;
  };
}

/** A leaf over one value per record (null when missing). */
export function scalarLeaf<R, E, T>(get: (r: R, e: E) => T | null, t: Tests<T>): (r: R, e: E) => boolean {
  const p = anyTest(t.pos);
  const n = anyTest(t.neg);
  if (n === null) {
    if (p === null) return () => true;
    return (r, e) => {
      const v = get(r, e);
      return v !== null && p(v);
    };
  }
  if (p === null) {
    return (r, e) => {
      const v = get(r, e);
      return v === null || !n(v);
    };
  }
  return (r, e) => {
    const v = get(r, e);
    return v !== null && p(v) && !n(v);
  };
}

function anyMember<T>(list: readonly (T | null)[], t: Test<T>): boolean {
  for (let i = 0; i < list.length; i++) {
    const v = list[i];
    if (v !== null && v !== undefined && t(v)) return true;
  }
  return false;
}

/** A leaf over a list per record (null or empty when missing); null members are skipped. */
export function listLeaf<R, E, T>(get: (r: R, e: E) => readonly (T | null)[] | null, t: Tests<T>): (r: R, e: E) => boolean {
  const p = anyTest(t.pos);
  const n = anyTest(t.neg);
  if (p === null && n === null) return () => true;
  return (r, e) => {
    const list = get(r, e);
    if (list === null || list.length === 0) return p === null;
    if (p !== null && !anyMember(list, p)) return false;
    return n === null || !anyMember(list, n);
  };
}
