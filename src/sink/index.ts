// Sinks: BgpRecord → text, compiled once from the options, written to an Output.
//
//   human  a readable block per message (human.ts)
//   jsonl  one JSON object per record (jsonl.ts; schema/record.schema.json)
//   line   one separator-joined line per record, --fields chosen (line.ts)
//
// --level elem splits each UPDATE into one record per withdrawn or announced prefix (withdrawals first). Every
// other record is still written, whole: OPEN, KEEPALIVE, NOTIFICATION, ROUTE-REFRESH, malformed UPDATEs (with
// error and raw bytes), UPDATEs without prefixes (End-of-RIB) and events — filtering is a separate stage.
// The human format always writes whole messages.

import type { BgpRecord } from '../record.js';
import { UsageError } from '../errors.js';
import { DEFAULT_LINE_FIELDS, resolveFields, type Level } from './fields.js';
import { humanFormatter } from './human.js';
import { jsonlFormatter, type Formatter } from './jsonl.js';
import { lineFormatter } from './line.js';
import type { Output } from './output.js';

export interface SinkOptions {
  /** 'none' decodes and counts but writes no records (with --stats: a pure decoding run, as benchmarks use). */
  format: 'human' | 'jsonl' | 'line' | 'none';
  level: Level;
  /** Fields and their order (line; jsonl: only these keys after `v`). Default: DEFAULT_LINE_FIELDS / all keys. */
  fields?: string[];
  /** Line separator. Default '|'. */
  separator?: string;
  /** Line output: print the field names first. Default false. */
  header?: boolean;
}

export interface Sink {
  write(r: BgpRecord): void;
  /** Flush and finish the output. */
  end(): Promise<void>;
}

/** Compile the options into a formatter; throws UsageError for a bad field name or separator. */
export function createFormatter(opts: SinkOptions): Formatter {
  const level = opts.level;
  if (level !== 'msg' && level !== 'elem') throw new UsageError(`unknown level '${String(level)}' (msg, elem)`);
  switch (opts.format) {
    case 'human':
      return humanFormatter();
    case 'jsonl':
      return jsonlFormatter(level, opts.fields === undefined ? undefined : resolveFields(opts.fields, level));
    case 'line':
      return lineFormatter(level, resolveFields(opts.fields ?? DEFAULT_LINE_FIELDS[level], level), {
        separator: opts.separator ?? '|',
        header: opts.header ?? false,
      });
    case 'none':
      return { format: () => '', header: '' };
    default:
      throw new UsageError(`unknown format '${String(opts.format)}' (human, jsonl, line, none)`);
  }
}

export function createSink(opts: SinkOptions, out: Output): Sink {
  const f = createFormatter(opts);
  if (f.header !== '') out.write(f.header);
  return {
    write(r) {
      const text = f.format(r);
      if (text !== '') out.write(text);
    },
    end: () => out.end(),
  };
}

export { Output, type OutputOptions } from './output.js';
export { FIELDS, DEFAULT_LINE_FIELDS, JSON_KEYS, fieldNames, type FieldDef, type Level } from './fields.js';
export type { Formatter } from './jsonl.js';
