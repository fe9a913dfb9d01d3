// A row plan: an ordered list of fields compiled once into cells (lead bytes + an emitter that writes the
// value), shared by the jsonl sink (lead `,"key":`, JSON values) and the line sink (lead = separator, text
// values). Rows are written straight into a ByteWriter (bytes.ts), never built as strings.
//
// At elem level every prefix of an UPDATE repeats the message's fields; a plan groups consecutive fields that
// do not change from one prefix to the next into runs. The first row of a message and prefix type is written
// in full and the byte range of each such run remembered; the next rows copy those ranges and only write the
// per-prefix fields (prefix, path_id, next hop, afi/safi).

import type { BgpRecord } from '../record.js';
import type { UpdateMessage } from '../bgp/model.js';
import { visitElems, visitWire, type Elem } from './elem.js';
import type { WireRecord } from './wire-fields.js';
import { encode, LEAD_ROOM, type ByteWriter } from './bytes.js';

/** Writes one value. `clean` is the cell's text sanitiser (line output), null when the value needs none. */
export type EmitFn = (w: ByteWriter, r: BgpRecord, e: Elem | null, clean: ((s: string) => string) | null) => void;

export type ValueFn = (r: BgpRecord, e: Elem | null) => string;

export interface Cell {
  /** Text written before the value: `,"key":` or the separator. */
  lead: string;
  /** Writes the value; or else `value` gives it as a string (sanitised by `clean` when that is set). */
  emit: EmitFn | null;
  value: ValueFn | null;
  clean: ((s: string) => string) | null;
  perElem: boolean;
  /**
   * The value is the record property of this name written as is (file, peer_ip, ... : the same for every
   * record of a direction of a connection). Consecutive such cells are written once per connection and their
   * bytes reused for each record whose properties are the same (see compile: the last connection's, then any
   * other connection's seen lately).
   */
  memo?: string | undefined;
  /**
   * When `when(r, e)` holds, the value is `text` (`null`, `[]`). Consecutive cells with the same predicate are
   * written as one constant when it holds (the rarely present UPDATE attributes: one check instead of a dozen
   * emitters).
   */
  absent?: { when: (r: BgpRecord, e: Elem | null) => boolean; text: string } | undefined;
}

interface Run {
  perElem: boolean;
  cells: Cell[];
}

/** Connections whose memo bytes (Cell.memo) a row plan keeps at most, per group of memo cells. */
export const MEMO_ENTRIES = 4096;

/** The record properties a WireRecord copies from its context (pipeline.ts writeWire): a memo of them may key on it. */
const FROM_CONTEXT = ['file', 'iface', 'mux', 'peer_ip', 'peer_asn', 'local_ip', 'local_asn', 'src_port', 'dst_port'];

/** The record properties that tell one direction of a TCP connection from another (the keys of memo entries). */
const CONNECTION = ['peer_ip', 'local_ip', 'src_port', 'dst_port'];

export type RowFn = (w: ByteWriter, r: BgpRecord, e: Elem | null) => void;
type ElemRowFn = (w: ByteWriter, r: BgpRecord, e: Elem, k: Int32Array, fresh: boolean) => void;


/**
 * The row functions of a plan, generated as straight-line code: one call site per cell, so each field's
 * emitter is called from its own place (V8 inlines it there) instead of from one loop that calls every kind
 * of function (megamorphic, never inlined). Emitters, value functions and sanitisers are bound as parameters,
 * never pasted into the code. Constant text (keys, separators: bgpcap's own, or the user's separator as byte
 * values) is written as byte stores into the buffer without a bounds check: the ByteWriter keeps LEAD_ROOM
 * bytes free after every write, and a plan whose constant text could exceed that between two values writes it
 * through w.put() instead.
 */
function compile(cells: readonly Cell[], runs: readonly Run[], tail: string, byContext: boolean): { row: RowFn; elemRow: ElemRowFn } {
  const names: string[] = ['t'];
  const tailBytes = encode(tail);
  const args: unknown[] = [tailBytes];
  const at = new Map<Cell, number>();
  const leads = cells.map((c) => encode(c.lead));
  const inline = leads.reduce((n, l) => n + l.length, tailBytes.length) <= LEAD_ROOM;
  cells.forEach((c, i) => {
    names.push(`l${i}`, `v${i}`, `c${i}`, `f${i}`);
    args.push(leads[i], c.emit, c.clean, c.value);
    at.set(c, i);
  });
  // The generated code's copies of the writer's state, made at the start of a function.
  const START = 'let b = w.buf; let d = w.dv; let p = w.pos; ';
  // After a call that may have grown the buffer: the generated code's copies of its state.
  const RELOAD = 'b = w.buf; d = w.dv; p = w.pos; ';
  const store = (bytes: Uint8Array, lit: string): string => {
    if (bytes.length === 0) return '';
    if (!inline) return `w.pos = p; w.put(${lit}); ${RELOAD}`;
    // Four bytes per store (little-endian words through the DataView), the last one to three singly.
    let code = '';
    let j = 0;
    for (; j + 4 <= bytes.length; j += 4) {
      const word = (bytes[j]! | (bytes[j + 1]! << 8) | (bytes[j + 2]! << 16) | (bytes[j + 3]! << 24)) >>> 0;
      code += `d.setUint32(p${j === 0 ? '' : ` + ${j}`}, ${word}, true); `;
    }
    for (; j < bytes.length; j++) code += `b[p${j === 0 ? '' : ` + ${j}`}] = ${bytes[j]}; `;
    return `${code}p += ${bytes.length}; `;
  };
  // Groups of consecutive cells (see Cell.memo and Cell.absent), written by `cellsCode`.
  const state: string[] = [];
  const helpers: string[] = [];
  let groups = 0;
  const cellsCode = (list: readonly Cell[]): string => {
    let code = '';
    for (let i = 0; i < list.length; ) {
      const c = list[i]!;
      let j = i + 1;
      if (c.memo !== undefined) while (j < list.length && list[j]!.memo !== undefined) j++;
      else if (c.absent !== undefined) while (j < list.length && list[j]!.absent?.when === c.absent.when) j++;
      else j = i + 1;
      const group = list.slice(i, j);
      i = j;
      if (group.length < 2) {
        code += call(c);
        continue;
      }
      const g = groups++;
      if (c.memo !== undefined) {
        // The bytes of the group are kept per connection, in an entry `{ k: what tells the connection, b: the
        // bytes }`: the last record's entry (L) when the record is of the same connection, else the entry of
        // its connection in M, else the cells are written and their bytes make a new entry. Records come in
        // runs per TCP segment, and the segments of several sessions interleave (4 sessions: a new connection
        // every ~10 messages; a route server's hundreds: nearly every segment), so one entry alone missed
        // often: writing the group again was 4 % of packed jsonl and 7 % of rs jsonl. M is emptied when it
        // reaches MEMO_ENTRIES (a capture of many short connections), which bounds its memory.
        //
        // What tells the connection: with `byContext` (records read in place, whose connection properties
        // are copied from one MessageContext, which is replaced rather than changed: pipeline.ts), that
        // object, one comparison; else the properties themselves, compared one by one (as strings: a call
        // each), and M keyed by the connection's addresses and ports among them.
        //
        // The lookup and the writing are a function of their own, out of the row, which keeps the row small
        // for V8 to optimise and inline into.
        const props = group.map((x) => x.memo!);
        let key: string;
        let same: (e: string) => string;
        let ident: string;
        /** Whether the bytes written are kept (by context: a record without one is written and not kept). */
        let keep: string;
        if (byContext && props.every((x) => FROM_CONTEXT.includes(x))) {
          key = 'r.ctx';
          same = (e) => `r.ctx === ${e}.k`;
          ident = 'k: r.ctx';
          keep = 'r.ctx !== null';
        } else {
          const tuple = props.filter((x) => CONNECTION.includes(x));
          key = (tuple.length > 0 ? tuple : props).map((x) => `r.${x}`).join(" + '|' + ");
          same = (e) => props.map((x, k) => `r.${x} === ${e}.a${k}`).join(' && ');
          ident = props.map((x, k) => `a${k}: r.${x}`).join(', ');
          keep = 'true';
        }
        state.push(`L${g} = null`, `M${g} = new Map()`);
        helpers.push(
          `function memo${g}(w, r, e) { let x = M${g}.get(${key}); ` +
            `if (x !== undefined && ${same('x')}) { w.put(x.b); L${g} = x; return; } ` +
            `${START}const s = p; ${group.map(call).join('')}w.pos = p; ` +
            `if (${keep}) { x = { ${ident}, b: Uint8Array.prototype.slice.call(b, s, p) }; ` +
            `if (M${g}.size >= ${MEMO_ENTRIES}) M${g}.clear(); M${g}.set(${key}, x); L${g} = x; } }`,
        );
        code += `if (L${g} !== null && ${same(`L${g}`)}) { w.pos = p; w.put(L${g}.b); ${RELOAD}} else { w.pos = p; memo${g}(w, r, e); ${RELOAD}} `;
      } else {
        names.push(`q${g}`, `z${g}`);
        args.push(c.absent!.when, encode(group.map((x) => x.lead + x.absent!.text).join('')));
        code += `if (q${g}(r, e)) { w.pos = p; w.put(z${g}); ${RELOAD}} else { ${group.map(call).join('')}} `;
      }
    }
    return code;
  };
  // A cell's code is the same wherever it goes (the row, and the elem row's first and later prefixes): made once.
  const made = new Map<Cell, string>();
  const call = (c: Cell): string => {
    let code = made.get(c);
    if (code !== undefined) return code;
    const i = at.get(c)!;
    const lead = store(leads[i]!, `l${i}`);
    if (c.emit !== null) code = `${lead}w.pos = p; v${i}(w, r, e, c${i}); ${RELOAD}`;
    else if (c.value === null) code = lead;
    else code = `${lead}w.pos = p; w.str(${c.clean === null ? `f${i}(r, e)` : `c${i}(f${i}(r, e))`}); ${RELOAD}`;
    made.set(c, code);
    return code;
  };
  const end = `${store(tailBytes, 't')}w.pos = p;`;
  const row = `function (w, r, e) { ${START}${cellsCode(cells)}${end} }`;
  const fresh = runs.map((run, i) => (run.perElem ? cellsCode(run.cells) : `k[${2 * i}] = p; ${cellsCode(run.cells)}k[${2 * i + 1}] = p; `)).join('');
  const again = runs.map((run, i) => (run.perElem ? cellsCode(run.cells) : `w.pos = p; w.copy(k[${2 * i}], k[${2 * i + 1}]); ${RELOAD}`)).join('');
  const elemRow = `function (w, r, e, k, fresh) { ${START}if (fresh) { ${fresh}} else { ${again}} ${end} }`;
  const vars = state.length === 0 ? '' : `let ${state.join(', ')}; `;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- generated from the plan, no user text in the code
  const make = new Function(...names, `"use strict"; ${vars}${helpers.join(' ')} return [${row}, ${elemRow}];`) as (...a: unknown[]) => [RowFn, ElemRowFn];
  const [r, e] = make(...args);
  return { row: r, elemRow: e };
}

/** visitElems as the byte writers visit: runs of plain prefixes from their bytes. */
function visitFromWire(m: UpdateMessage, e: Elem, begin: () => void, each: () => void): void {
  visitElems(m, e, begin, each, true);
}

export class RowPlan {
  private readonly runs: Run[] = [];
  /** Byte ranges [start, end) of the cached runs of the current message and prefix type. */
  private readonly ranges: Int32Array;
  private readonly rowFn: RowFn;
  private readonly elemRowFn: ElemRowFn;
  // State of the elem visit in progress (elemRows), kept here so the visitor callbacks are made once.
  private w: ByteWriter | null = null;
  private r: BgpRecord | null = null;
  private e: Elem | null = null;
  private fresh = true;
  private readonly begin = (): void => {
    this.fresh = true;
  };
  private readonly each = (): void => {
    this.elemRowFn(this.w!, this.r!, this.e!, this.ranges, this.fresh);
    this.fresh = false;
  };

  /**
   * `head` is written before the first cell, `tail` after the last (`{"v":1` and `}\n`; `` and `\n`).
   * `byContext`: the plan writes WireRecords only, whose `ctx` tells their connection (see compile).
   */
  constructor(cells: readonly Cell[], head: string, tail: string, byContext = false) {
    const all: Cell[] = head === '' ? [...cells] : [{ lead: head, emit: null, value: null, clean: null, perElem: false }, ...cells];
    for (const c of all) {
      const last = this.runs[this.runs.length - 1];
      if (c.perElem || last === undefined || last.perElem) this.runs.push({ perElem: c.perElem, cells: [c] });
      else last.cells.push(c);
    }
    this.ranges = new Int32Array(2 * this.runs.length);
    const f = compile(all, this.runs, tail, byContext);
    this.rowFn = f.row;
    this.elemRowFn = f.elemRow;
  }

  /** A whole row for a record that is not split into prefixes (e is null, or a prefix written on its own). */
  row(w: ByteWriter, r: BgpRecord, e: Elem | null): void {
    this.rowFn(w, r, e);
  }

  /** The function row() calls, for a caller that calls it per record itself (one call less). */
  get rowFunction(): RowFn {
    return this.rowFn;
  }

  /** Every prefix row (or those `r.keep` accepts) of the UPDATE read in place (bgp/update-wire.ts) that `r` carries. */
  wireRows(w: ByteWriter, r: WireRecord, e: Elem): void {
    this.rows(w, r, r.wire, e, visitWire, r.keep ?? undefined);
  }

  /** Every prefix row of an UPDATE (the cursor `e` is moved over the prefixes). */
  elemRows(w: ByteWriter, r: BgpRecord, m: UpdateMessage, e: Elem): void {
    this.rows(w, r, m, e, visitFromWire);
  }

  /** The rows of the prefixes `visit` moves the cursor `e` over in `x`. */
  private rows<X>(
    w: ByteWriter,
    r: BgpRecord,
    x: X,
    e: Elem,
    visit: (x: X, e: Elem, begin: () => void, each: () => void, keep?: (e: Elem) => boolean) => void,
    keep?: (e: Elem) => boolean,
  ): void {
    this.w = w;
    this.r = r;
    this.e = e;
    this.fresh = true;
    try {
      visit(x, e, this.begin, this.each, keep);
    } finally {
      this.w = null;
      this.r = null;
    }
  }
}
