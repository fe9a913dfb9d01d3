// Filters: one expression tree (from flags, --filter and filter files, all AND-ed) split into the two stages.
//
//   and-ed parts made only of packet keys ─▶ stage 1 (before TCP reassembly; also compiled to BPF for live capture)
//   every other part                       ─▶ stage 2 (BGP records; packet keys there are read from the record:
//                                              src_ip = peer_ip, dst_ip = local_ip, ports, iface, timestamp)
//
// See README.md (Filtering) for the language and keys.ts for the keys.

import { and, preds, print, type Node } from './expr/ast.js';
import { Stage1Filter } from './stage1.js';
import { Stage2Filter } from './stage2.js';

export interface Filters {
  stage1: Stage1Filter | null;
  stage2: Stage2Filter | null;
  /** Both stages as expression text, for --stats and error reports. */
  describe(): string;
}

function conjuncts(n: Node): Node[] {
  return n.kind === 'and' ? n.children : [n];
}

/** Split the tree into the stages and compile both. Throws FilterError for a key used where it cannot run. */
export function compileFilters(root: Node | null): Filters {
  const s1: Node[] = [];
  const s2: Node[] = [];
  if (root !== null) {
    for (const c of conjuncts(root)) {
      if (preds(c).every((p) => p.key.stage === 1)) s1.push(c);
      else s2.push(c);
    }
  }
  const stage1 = s1.length > 0 ? new Stage1Filter(and(s1)) : null;
  const stage2 = s2.length > 0 ? new Stage2Filter(and(s2)) : null;
  return {
    stage1,
    stage2,
    describe: () => describeStages(stage1, stage2),
  };
}

export function describeStages(stage1: Stage1Filter | null, stage2: Stage2Filter | null): string {
  if (stage1 === null && stage2 === null) return 'no filter';
  const parts: string[] = [];
  if (stage1 !== null) parts.push(`stage 1 (packets): ${print(stage1.expr)}`);
  if (stage2 !== null) parts.push(`stage 2 (BGP): ${print(stage2.expr)}`);
  return parts.join('; ');
}

export { Stage1Filter } from './stage1.js';
export { Stage2Filter, type MessageHead } from './stage2.js';
export { parseExpression } from './expr/parser.js';
export { FilterError, formatFilterError, print, type Node, type Source } from './expr/ast.js';
export { stage1ToBpf, type BpfOptions } from './bpf.js';
