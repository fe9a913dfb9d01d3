// The filter expression tree, shared by the expression parser, the bgpkit-style flags, both filter stages and
// the BPF compiler. A predicate is `key op value[, value...]`; `and`, `or`, `not` combine predicates.

import type { KeyDef, Op } from '../keys.js';
import type { PrefixRel } from '../values.js';

/** Where filter text came from: `--filter`, a filter file's path, or a flag such as `--peer-asn`. */
export interface Source {
  name: string;
  text: string;
  /** True for a filter file: errors name line and column. */
  file: boolean;
}

/** A span of a source, for error messages with a caret. */
export interface Loc {
  src: Source;
  offset: number;
  length: number;
}

export interface Value {
  /** `!value`: the record must not match this value. */
  neg: boolean;
  /** `*`: any value (presence). */
  any: boolean;
  /** The parsed value; its shape depends on the key's kind (see keys.ts). */
  v: unknown;
  /** As written, for describing the filter. */
  text: string;
  loc: Loc | null;
}

export interface Pred {
  kind: 'pred';
  key: KeyDef;
  op: Op;
  /** For prefix keys: how the record's prefix must relate to the value. */
  rel: PrefixRel | null;
  values: Value[];
  loc: Loc | null;
}

export interface And {
  kind: 'and';
  children: Node[];
}

export interface Or {
  kind: 'or';
  children: Node[];
}

export interface Not {
  kind: 'not';
  child: Node;
}

export type Node = Pred | And | Or | Not;

/** A mistake in filter text, with where it is. */
export class FilterError extends Error {
  override readonly name = 'FilterError';
  constructor(
    message: string,
    readonly loc: Loc | null,
  ) {
    super(message);
  }
}

/**
 * The error as the user sees it. A flag value gives one line (`--peer-asn: 'x' is not an AS number`); an
 * expression gives the message with the column, then the expression line and a caret under the mistake:
 *
 *   --filter: unknown key 'prefx' at column 1 (did you mean prefix?)
 *     prefx 10.0.0.0/8
 *     ^
 */
export function formatFilterError(err: FilterError): string {
  const loc = err.loc;
  if (loc === null) return err.message;
  const { src, offset } = loc;
  const flag = src.name.startsWith('--') && src.name !== '--filter';
  if (flag) return `${src.name}: ${err.message}`;
  const before = src.text.slice(0, offset);
  const line = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  let lineEnd = src.text.indexOf('\n', offset);
  if (lineEnd < 0) lineEnd = src.text.length;
  const col = offset - lineStart + 1;
  const text = src.text.slice(lineStart, lineEnd).replace(/[\t\r]/g, ' ');
  const caret = ' '.repeat(col - 1) + '^'.repeat(Math.max(1, Math.min(loc.length, lineEnd - offset)));
  const where = src.file ? `${src.name}:${line}:${col}: ${err.message}` : `${src.name}: ${err.message} at column ${col}`;
  return `${where}\n  ${text}\n  ${caret}`;
}

// ---------------------------------------------------------------------------------------------- building

export function and(children: Node[]): Node {
  const flat: Node[] = [];
  for (const c of children) {
    if (c.kind === 'and') flat.push(...c.children);
    else flat.push(c);
  }
  return flat.length === 1 ? flat[0]! : { kind: 'and', children: flat };
}

export function or(children: Node[]): Node {
  const flat: Node[] = [];
  for (const c of children) {
    if (c.kind === 'or') flat.push(...c.children);
    else flat.push(c);
  }
  return flat.length === 1 ? flat[0]! : { kind: 'or', children: flat };
}

export function not(child: Node): Node {
  return child.kind === 'not' ? child.child : { kind: 'not', child };
}

/** Every predicate in the tree. */
export function preds(n: Node, out: Pred[] = []): Pred[] {
  switch (n.kind) {
    case 'pred':
      out.push(n);
      break;
    case 'not':
      preds(n.child, out);
      break;
    default:
      for (const c of n.children) preds(c, out);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------- printing

const REL_TEXT: Record<PrefixRel, string> = {
  exact: '=',
  sub: '<=',
  super: '>=',
  strict_sub: '<',
  strict_super: '>',
  either: '',
};

function valueText(v: Value): string {
  const t = v.any ? '*' : v.text;
  const q = t === '' || /[\s(),"'<>=~!&|#]/.test(t) || /^(and|or|not)$/i.test(t) ? JSON.stringify(t) : t;
  return (v.neg ? '!' : '') + q;
}

/** The tree as expression text that parses back to the same tree (used by --stats and describe()). */
export function print(n: Node, parent: 'and' | 'or' | 'not' | null = null): string {
  switch (n.kind) {
    case 'pred': {
      const vals = n.values.map(valueText).join(', ');
      if (n.rel !== null) return n.rel === 'either' ? `prefix_super_sub ${vals}` : n.rel === 'exact' ? `prefix ${vals}` : `prefix ${REL_TEXT[n.rel]} ${vals}`;
      return n.op === n.key.defaultOp ? `${n.key.name} ${vals}` : `${n.key.name} ${n.op} ${vals}`;
    }
    case 'not':
      return `not ${print(n.child, 'not')}`;
    case 'and': {
      const s = n.children.map((c) => print(c, 'and')).join(' and ');
      return parent === 'not' ? `(${s})` : s;
    }
    case 'or': {
      const s = n.children.map((c) => print(c, 'or')).join(' or ');
      return parent === 'and' || parent === 'not' ? `(${s})` : s;
    }
  }
}
