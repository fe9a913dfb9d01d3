// Stage 1 as a BPF expression (pcap-filter(7) syntax) for live capture, so the kernel drops traffic before it is
// copied to bgpcap. The expression must accept at least every packet stage 1 accepts: stage 1 still runs on
// what the kernel passes, so a looser kernel filter costs only speed, a stricter one would lose data.
//
// Addresses, MACs and ports translate exactly. The capture time and the interface cannot be said in BPF (the
// interface is chosen by opening it); where they appear the expression is widened: each part is compiled to an
// over-approximation (accepts a superset) and an under-approximation (accepts a subset), an untranslatable key
// being "everything" / "nothing", and `not` swaps the two. So `iface tap1 and host X` becomes `host X`, and
// `not (iface tap1 and host X)` becomes "everything" (nothing narrower is a safe superset).

import type { Node, Pred } from './expr/ast.js';
import type { Op } from './keys.js';
import type { Stage1Filter } from './stage1.js';
import type { Net } from './values.js';

export interface BpfOptions {
  /** TCP ports that carry BGP (the pipeline's ports). Default [179]. */
  ports?: readonly number[];
  /** Also match 802.1Q-tagged frames: `E or (vlan and E)`. Default false. */
  vlan?: boolean;
}

/**
 * An expression, or a constant. pcap-filter gives `and` and `or` the same precedence (left to right), so an
 * `and` inside an `or` (and the reverse) is always parenthesized; a chain of the same operator is not.
 */
type Expr = { t: string; op: 'atom' | 'and' | 'or' };
type B = Expr | boolean;

function atom(t: string): B {
  return { t, op: 'atom' };
}

function join(xs: B[], op: 'and' | 'or'): B {
  const absorbing = op === 'or'; // true absorbs an or, false an and
  const parts: Expr[] = [];
  for (const x of xs) {
    if (x === absorbing) return absorbing;
    if (typeof x !== 'boolean') parts.push(x);
  }
  if (parts.length === 0) return !absorbing;
  if (parts.length === 1) return parts[0]!;
  return { t: parts.map((p) => (p.op === 'atom' || p.op === op ? p.t : `(${p.t})`)).join(` ${op} `), op };
}

function andB(xs: B[]): B {
  return join(xs, 'and');
}

function orB(xs: B[]): B {
  return join(xs, 'or');
}

function notB(x: B): B {
  if (typeof x === 'boolean') return !x;
  return atom(x.op === 'atom' ? `not ${x.t}` : `not (${x.t})`);
}

function netTerm(dir: string, n: Net): B {
  const full = n.len === (n.af === 4 ? 32 : 128);
  return atom(full ? `${dir}host ${n.text}` : `${dir}net ${n.text}`);
}

function portTerm(dir: string, op: Op, n: number): B {
  switch (op) {
    case '<':
      return n === 0 ? false : atom(`${dir}portrange 0-${n - 1}`);
    case '<=':
      return atom(`${dir}portrange 0-${n}`);
    case '>':
      return n >= 65535 ? false : atom(`${dir}portrange ${n + 1}-65535`);
    case '>=':
      return atom(`${dir}portrange ${n}-65535`);
    default:
      return atom(`${dir}port ${n}`);
  }
}

/** One predicate as BPF, or null when BPF cannot express it. */
function predBpf(p: Pred): B | null {
  let term: (v: unknown) => B;
  switch (p.key.name) {
    case 'src_ip':
      term = (v) => netTerm('src ', v as Net);
      break;
    case 'dst_ip':
      term = (v) => netTerm('dst ', v as Net);
      break;
    case 'host':
      term = (v) => netTerm('', v as Net);
      break;
    case 'src_mac':
      term = (v) => atom(`ether src ${v as string}`);
      break;
    case 'dst_mac':
      term = (v) => atom(`ether dst ${v as string}`);
      break;
    case 'mac':
      term = (v) => atom(`ether host ${v as string}`);
      break;
    case 'src_port':
      term = (v) => portTerm('src ', p.op, v as number);
      break;
    case 'dst_port':
      term = (v) => portTerm('dst ', p.op, v as number);
      break;
    case 'port':
      term = (v) => portTerm('', p.op, v as number);
      break;
    default:
      return null; // timestamp, iface
  }
  const pos: B[] = [];
  const neg: B[] = [];
  for (const v of p.values) {
    // `*`: a packet always has addresses and ports; MACs only on Ethernet-like links, so `mac *` stays loose.
    const b = v.any ? true : term(v.v);
    (v.neg ? neg : pos).push(b);
  }
  return andB([pos.length > 0 ? orB(pos) : true, ...neg.map((n) => notB(n))]);
}

interface Approx {
  over: B;
  under: B;
}

function approx(n: Node): Approx {
  switch (n.kind) {
    case 'pred': {
      const b = predBpf(n);
      if (b === null) return { over: true, under: false };
      if (n.key.name === 'mac' || n.key.name === 'src_mac' || n.key.name === 'dst_mac') {
        // `mac *` is true only where the link has MACs: exact for the over side, nothing for the under side.
        if (n.values.some((v) => v.any)) return { over: b, under: false };
      }
      return { over: b, under: b };
    }
    case 'not': {
      const c = approx(n.child);
      return { over: notB(c.under), under: notB(c.over) };
    }
    case 'and': {
      const cs = n.children.map(approx);
      return { over: andB(cs.map((c) => c.over)), under: andB(cs.map((c) => c.under)) };
    }
    case 'or': {
      const cs = n.children.map(approx);
      return { over: orB(cs.map((c) => c.over)), under: orB(cs.map((c) => c.under)) };
    }
  }
}

/**
 * The BPF expression for a stage-1 filter: BGP's TCP ports and, when there is a stage-1 filter, its
 * translation. `null` filter: only the ports.
 */
export function stage1ToBpf(stage1: Stage1Filter | null, opts: BpfOptions = {}): string {
  const ports = [...new Set(opts.ports ?? [179])].sort((a, b) => a - b);
  const base: B = ports.length === 1 ? atom(`tcp port ${ports[0]}`) : andB([atom('tcp'), orB(ports.map((p) => atom(`port ${p}`)))]);
  const f = stage1 === null ? true : approx(stage1.expr).over;
  const e = andB([base, f]);
  // A filter that can match nothing (e.g. `not host *`) still needs valid syntax.
  const text = e === false ? 'tcp and not tcp' : e === true ? 'tcp' : e.t;
  if (opts.vlan !== true) return text;
  return `(${text}) or (vlan and (${text}))`;
}
