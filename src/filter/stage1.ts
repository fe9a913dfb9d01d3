// Stage 1: packet filters, run before TCP reassembly. A rejected packet is not copied, reassembled or decoded.
//
// Two checks, both compiled once from the same tree:
//  - frame(f): before the link layer is even parsed, the keys a Frame already carries (capture time,
//    interface) are decided in three-valued logic; a frame that is certainly rejected costs two comparisons;
//  - segment(s): after the link layer, addresses, MACs and ports of the TCP segment.
//
// Link notices (IP fragments, truncated frames) go through the same filter with what they know; a key they
// cannot answer (a MAC, a port of a fragment) counts as a missing value.
//
// Filtering one direction only (`src_ip X`) also hides the other side's OPEN: the session's 4-octet-AS and
// ADD-PATH settings are then inferred from the UPDATE bytes (the records say so in `inferred`).

import type { Frame, LinkNotice, Segment, Timestamp } from '../types.js';
import { print, type Node, type Pred } from './expr/ast.js';
import { listLeaf, scalarLeaf, valueTests } from './match.js';

/** What stage 1 looks at: a Segment, or a LinkNotice with nulls for what it does not know. */
export interface PacketView {
  ts: Timestamp;
  iface: string | null;
  srcIp: string | null;
  dstIp: string | null;
  srcPort: number | null;
  dstPort: number | null;
  srcMac: string | null;
  dstMac: string | null;
}

type Test1 = (p: PacketView, e: null) => boolean;
type FrameTri = (f: Frame) => 0 | 1 | 2;

const F = 0;
const T = 1;
const U = 2;

interface Compiled {
  test: Test1;
  /** Decided from the Frame alone, or U. */
  frame: FrameTri;
}

function pair<T>(a: (p: PacketView) => T | null, b: (p: PacketView) => T | null): (p: PacketView) => (T | null)[] {
  const out: (T | null)[] = [null, null];
  return (p) => {
    out[0] = a(p);
    out[1] = b(p);
    return out;
  };
}

function leaf(p: Pred): Compiled {
  const t = valueTests(p);
  const one = <V>(get: (v: PacketView) => V | null): Test1 => scalarLeaf<PacketView, null, V>(get, t);
  const two = <V>(get: (v: PacketView) => (V | null)[]): Test1 => listLeaf<PacketView, null, V>(get, t);
  const unknown: FrameTri = () => U;
  switch (p.key.name) {
    case 'src_ip':
      return { test: one((v) => v.srcIp), frame: unknown };
    case 'dst_ip':
      return { test: one((v) => v.dstIp), frame: unknown };
    case 'host':
      return { test: two(pair((v) => v.srcIp, (v) => v.dstIp)), frame: unknown };
    case 'src_mac':
      return { test: one((v) => v.srcMac), frame: unknown };
    case 'dst_mac':
      return { test: one((v) => v.dstMac), frame: unknown };
    case 'mac':
      return { test: two(pair((v) => v.srcMac, (v) => v.dstMac)), frame: unknown };
    case 'src_port':
      return { test: one((v) => v.srcPort), frame: unknown };
    case 'dst_port':
      return { test: one((v) => v.dstPort), frame: unknown };
    case 'port':
      return { test: two(pair((v) => v.srcPort, (v) => v.dstPort)), frame: unknown };
    case 'iface': {
      const test = one((v) => v.iface);
      return { test, frame: (f) => (test(f as unknown as PacketView, null) ? T : F) };
    }
    case 'timestamp': {
      const test = one((v) => v.ts);
      return { test, frame: (f) => (test(f as unknown as PacketView, null) ? T : F) };
    }
    default:
      throw new Error(`bgpcap: ${p.key.name} is not a stage-1 key`);
  }
}

function compile(n: Node): Compiled {
  switch (n.kind) {
    case 'pred':
      return leaf(n);
    case 'not': {
      const c = compile(n.child);
      const t = c.test;
      const fr = c.frame;
      return {
        test: (p, e) => !t(p, e),
        frame: (f) => {
          const x = fr(f);
          return x === U ? U : x === T ? F : T;
        },
      };
    }
    case 'and':
    case 'or': {
      const cs = n.children.map(compile);
      const ts = cs.map((c) => c.test);
      const fs = cs.map((c) => c.frame);
      const isAnd = n.kind === 'and';
      const stop = isAnd ? F : T;
      return {
        test: isAnd
          ? (p, e) => {
              for (let i = 0; i < ts.length; i++) if (!ts[i]!(p, e)) return false;
              return true;
            }
          : (p, e) => {
              for (let i = 0; i < ts.length; i++) if (ts[i]!(p, e)) return true;
              return false;
            },
        frame: (f) => {
          let res: 0 | 1 | 2 = isAnd ? T : F;
          for (let i = 0; i < fs.length; i++) {
            const x = fs[i]!(f);
            if (x === stop) return stop;
            if (x === U) res = U;
          }
          return res;
        },
      };
    }
  }
}

function keysOf(n: Node, out: Set<string>): Set<string> {
  if (n.kind === 'pred') out.add(n.key.name);
  else if (n.kind === 'not') keysOf(n.child, out);
  else for (const c of n.children) keysOf(c, out);
  return out;
}

export class Stage1Filter {
  private readonly test: Test1;
  private readonly frameTri: FrameTri;
  /** True when frame() can reject anything (the filter uses the time or the interface). */
  readonly checksFrames: boolean;

  constructor(readonly expr: Node) {
    const c = compile(expr);
    this.test = c.test;
    this.frameTri = c.frame;
    const keys = keysOf(expr, new Set());
    this.checksFrames = keys.has('timestamp') || keys.has('iface');
  }

  toString(): string {
    return print(this.expr);
  }

  /** Before the link layer: false when the frame is certainly rejected (time window, interface). */
  frame(f: Frame): boolean {
    return !this.checksFrames || this.frameTri(f) !== F;
  }

  segment(s: Segment): boolean {
    return this.test(s, null);
  }

  notice(n: LinkNotice): boolean {
    return this.test(
      {
        ts: n.ts,
        iface: n.iface,
        srcIp: n.srcIp,
        dstIp: n.dstIp,
        srcPort: n.srcPort,
        dstPort: n.dstPort,
        srcMac: null,
        dstMac: null,
      },
      null,
    );
  }
}
