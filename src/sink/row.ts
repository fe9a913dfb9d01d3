// A row plan: an ordered list of fields compiled once into cells (lead text + value function), shared by the
// jsonl sink (lead `,"key":`, JSON values) and the line sink (lead = separator, text values).
//
// At elem level every prefix of an UPDATE repeats the message's fields; a plan groups consecutive fields that
// do not change from one prefix to the next into runs, renders each run once per message and prefix type
// (prepare), and per prefix only renders the per-prefix fields (prefix, path_id, next hop, afi/safi).

import type { BgpRecord } from '../record.js';
import type { UpdateMessage } from '../bgp/model.js';
import { hasPrefixes, visitElems, type Elem } from './elem.js';
import { decodeFully } from '../bgp/update-lazy.js';

export type ValueFn = (r: BgpRecord, e: Elem | null) => string;

export interface Cell {
  /** Text written before the value: `,"key":` or the separator. */
  lead: string;
  value: ValueFn;
  perElem: boolean;
}

interface Run {
  perElem: boolean;
  cells: Cell[];
}

type RowFn = (r: BgpRecord, e: Elem | null) => string;

let flatSink = 0;

/**
 * The string, flat. A text joined with `+` is a tree of its pieces in V8 until something reads its characters;
 * a cached run is copied into every prefix row of its message, and each row's tree would hold the whole tree of
 * the run: reading one character makes V8 replace the tree by a flat copy once, so the rows copy one piece.
 * (The character is kept in a module variable so the read cannot be optimised away.)
 */
function flat(s: string): string {
  flatSink ^= s.charCodeAt(0);
  return s;
}
type ElemRowFn = (r: BgpRecord, e: Elem, cached: readonly string[]) => string;
type PrepareFn = (r: BgpRecord, e: Elem, cached: string[]) => void;

/**
 * The row functions of a plan, generated as straight-line code: one call site per cell, so each field's value
 * function is called from its own place (V8 inlines it there) instead of from one loop that calls every kind
 * of function (megamorphic, never inlined). Lead texts are bound as parameters, never pasted into the code.
 */
function compile(cells: readonly Cell[], runs: readonly Run[], head: string, tail: string): { row: RowFn; prepare: PrepareFn; elemRow: ElemRowFn } {
  const names: string[] = ['h', 't', 'flat'];
  const args: unknown[] = [head, tail, flat];
  const at = new Map<Cell, number>();
  cells.forEach((c, i) => {
    names.push(`l${i}`, `v${i}`);
    args.push(c.lead, c.value);
    at.set(c, i);
  });
  const call = (c: Cell): string => `l${at.get(c)!} + v${at.get(c)!}(r, e)`;
  const row = `function (r, e) { return h${cells.map((c) => ` + ${call(c)}`).join('')} + t; }`;
  const prepare = `function (r, e, k) { ${runs
    .map((run, i) => (run.perElem ? '' : `k[${i}] = flat(${run.cells.map(call).join(' + ')});`))
    .join(' ')} }`;
  const elemRow = `function (r, e, k) { return h${runs.map((run, i) => (run.perElem ? ` + ${call(run.cells[0]!)}` : ` + k[${i}]`)).join('')} + t; }`;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- generated from the plan, no user text in the code
  const make = new Function(...names, `"use strict"; return [${row}, ${prepare}, ${elemRow}];`) as (...a: unknown[]) => [RowFn, PrepareFn, ElemRowFn];
  const [r, p, e] = make(...args);
  return { row: r, prepare: p, elemRow: e };
}

export class RowPlan {
  private readonly runs: Run[] = [];
  private readonly cached: string[];
  private readonly rowFn: RowFn;
  private readonly prepareFn: PrepareFn;
  private readonly elemRowFn: ElemRowFn;

  constructor(
    cells: readonly Cell[],
    head: string,
    tail: string,
  ) {
    for (const c of cells) {
      const last = this.runs[this.runs.length - 1];
      if (c.perElem || last === undefined || last.perElem) this.runs.push({ perElem: c.perElem, cells: [c] });
      else last.cells.push(c);
    }
    this.cached = this.runs.map(() => '');
    const f = compile(cells, this.runs, head, tail);
    this.rowFn = f.row;
    this.prepareFn = f.prepare;
    this.elemRowFn = f.elemRow;
  }

  /** A whole row for a record that is not split into prefixes (e is null, or a prefix written on its own). */
  row(r: BgpRecord, e: Elem | null): string {
    return this.rowFn(r, e);
  }

  /** Render the fields that stay the same for every prefix of `r` of type `e.type`. */
  prepare(r: BgpRecord, e: Elem): void {
    this.prepareFn(r, e, this.cached);
  }

  /** The row for the current prefix; prepare() must have been called for this record and prefix type. */
  elemRow(r: BgpRecord, e: Elem): string {
    return this.elemRowFn(r, e, this.cached);
  }
}

/** Every prefix row of an UPDATE, concatenated (one string per message keeps output writes per message). */
export function elemRows(r: BgpRecord, m: UpdateMessage, plan: RowPlan, e: Elem): string {
  let s = '';
  visitElems(
    m,
    e,
    () => plan.prepare(r, e),
    () => {
      s += plan.elemRow(r, e);
    },
  );
  return s;
}

/**
 * The UPDATE to split into prefix rows at elem level, or null when the record is written whole: events,
 * non-UPDATE messages, malformed UPDATEs (the error and raw bytes must stay together) and UPDATEs without a
 * prefix (End-of-RIB, attribute-only), which would otherwise vanish. `full`: the writer reads more than the
 * prefixes (fields.ts needsFullDecode).
 */
export function splittable(r: BgpRecord, full: boolean): UpdateMessage | null {
  if (r.kind !== 'message' || r.error !== null || r.msg === null || r.msg.kind !== 'update') return null;
  // A writer that reads attributes too decodes the whole message first (once), so that visiting the prefixes
  // does not decode them on their own before (bgp/update-lazy.ts). The message object stays the same: the
  // per-prefix filters (elem.ts keepElems) are registered under it.
  if (full) decodeFully(r.msg);
  return hasPrefixes(r.msg) ? r.msg : null;
}
