// A row plan: an ordered list of fields compiled once into cells (lead text + value function), shared by the
// jsonl sink (lead `,"key":`, JSON values) and the line sink (lead = separator, text values).
//
// At elem level every prefix of an UPDATE repeats the message's fields; a plan groups consecutive fields that
// do not change from one prefix to the next into runs, renders each run once per message and prefix type
// (prepare), and per prefix only renders the per-prefix fields (prefix, path_id, next hop, afi/safi).

import type { BgpRecord } from '../record.js';
import type { UpdateMessage } from '../bgp/model.js';
import { hasPrefixes, visitElems, type Elem } from './elem.js';

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

export class RowPlan {
  private readonly runs: Run[] = [];
  private readonly cached: string[];

  constructor(
    private readonly cells: readonly Cell[],
    private readonly head: string,
    private readonly tail: string,
  ) {
    for (const c of cells) {
      const last = this.runs[this.runs.length - 1];
      if (c.perElem || last === undefined || last.perElem) this.runs.push({ perElem: c.perElem, cells: [c] });
      else last.cells.push(c);
    }
    this.cached = this.runs.map(() => '');
  }

  /** A whole row for a record that is not split into prefixes (e is null, or a prefix written on its own). */
  row(r: BgpRecord, e: Elem | null): string {
    let s = this.head;
    const cells = this.cells;
    for (let i = 0; i < cells.length; i++) {
      const c = cells[i]!;
      s += c.lead + c.value(r, e);
    }
    return s + this.tail;
  }

  /** Render the fields that stay the same for every prefix of `r` of type `e.type`. */
  prepare(r: BgpRecord, e: Elem): void {
    const runs = this.runs;
    for (let i = 0; i < runs.length; i++) {
      const run = runs[i]!;
      if (run.perElem) continue;
      let s = '';
      for (const c of run.cells) s += c.lead + c.value(r, e);
      this.cached[i] = s;
    }
  }

  /** The row for the current prefix; prepare() must have been called for this record and prefix type. */
  elemRow(r: BgpRecord, e: Elem): string {
    let s = this.head;
    const runs = this.runs;
    for (let i = 0; i < runs.length; i++) {
      const run = runs[i]!;
      if (run.perElem) {
        const c = run.cells[0]!;
        s += c.lead + c.value(r, e);
      } else {
        s += this.cached[i]!;
      }
    }
    return s + this.tail;
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
 * prefix (End-of-RIB, attribute-only), which would otherwise vanish.
 */
export function splittable(r: BgpRecord): UpdateMessage | null {
  if (r.kind !== 'message' || r.error !== null || r.msg === null || r.msg.kind !== 'update') return null;
  return hasPrefixes(r.msg) ? r.msg : null;
}
