// Line output: one separator-joined line per record (per prefix at elem level), fields chosen and ordered by
// --fields, like `bgpdump -m` and bgpkit's psv output. Missing values are empty; lists are space-separated
// (as_path `65001 65002 {65003,65004}`, communities `65000:1 65000:2`); object fields (open, notification,
// error, warnings, ...) are compact JSON.
//
// Every record kind fills the same columns, so a line always has the same number of fields:
//   - elem level: `type` is A or W for a prefix; a record that is not split into prefixes (OPEN, KEEPALIVE,
//     NOTIFICATION, ROUTE-REFRESH, malformed UPDATE, UPDATE without prefixes such as End-of-RIB) has its
//     message type there (OPEN, UPDATE, ...) and empty prefix columns;
//   - events have `E` in the `type` and `msg_type` columns and the event name (gap, reset, ...) in the
//     `prefix` column: `awk -F'|' '$1=="E"'` selects them; `info` and `message` say what happened.
//
// Text from outside bgpcap (shutdown messages, event messages, file and interface names) has its control
// characters removed and every occurrence of the separator replaced by a space (by `_` when the separator
// contains a space). Inside a JSON column a one-character separator is written as a \uXXXX escape, which keeps
// the JSON valid as long as the separator is not a character JSON itself uses outside strings (`,` `:` `{` ...
// or a digit); '|' (default) and tab are safe. A space separator makes list columns ambiguous.

import { UsageError } from '../errors.js';
import { newElem } from './elem.js';
import { needsFullDecode, type FieldDef, type Level } from './fields.js';
import { stripControl } from './format.js';
import { byteFormatter, wireWriter, withWire, type Formatter } from './jsonl.js';
import { wireCells } from './wire-fields.js';
import { RowPlan } from './row.js';
import { splittable } from './elem.js';

export interface LineOptions {
  separator: string;
  header: boolean;
}

/** Characters JSON uses outside strings: a separator among them cannot be escaped inside a JSON column. */
const JSON_SYNTAX = /^[\s{}[\],:"\\0-9a-zA-Z.+-]$/;

function sanitizer(kind: FieldDef['kind'], sep: string): ((s: string) => string) | null {
  if (kind === 'plain') return null;
  if (kind === 'free') {
    const repl = sep.includes(' ') ? '_' : ' ';
    return (s) => {
      const t = stripControl(s);
      return t.includes(sep) ? t.split(sep).join(repl) : t;
    };
  }
  if (sep.length !== 1 || JSON_SYNTAX.test(sep)) return null;
  const esc = `\\u${sep.charCodeAt(0).toString(16).padStart(4, '0')}`;
  return (s) => (s.includes(sep) ? s.split(sep).join(esc) : s);
}

export function checkSeparator(sep: string): void {
  if (sep === '') throw new UsageError('--separator must not be empty');
  if (/[\r\n]/.test(sep)) throw new UsageError('--separator must not contain a line break');
}

export function lineFormatter(level: Level, fields: readonly FieldDef[], opts: LineOptions): Formatter {
  const sep = opts.separator;
  checkSeparator(sep);
  const cells = fields.map((f, i) => {
    const clean = sanitizer(f.kind, sep);
    // A field's own text emitter gets the sanitiser and applies it to what may need it; otherwise its text is
    // sanitised and copied in.
    return {
      lead: i === 0 ? '' : sep,
      emit: f.textTo ?? null,
      value: f.textTo === undefined ? f.text : null,
      clean,
      perElem: f.perElem,
      memo: f.memo === true ? f.name : undefined,
    };
  });
  const p = new RowPlan(cells, '', '\n');
  const e = newElem();
  const full = needsFullDecode(fields);
  const f = byteFormatter(opts.header ? fields.map((f) => f.name).join(sep) + '\n' : '', (r, w) => {
    const m = level === 'elem' ? splittable(r, full ? 'partial' : 'getters') : null;
    if (m === null) p.row(w, r, null);
    else p.elemRows(w, r, m, e);
  });
  const wc = wireCells(fields, cells, false);
  return withWire(f, wireWriter(wc === null ? null : new RowPlan(wc, '', '\n', true), level));
}
