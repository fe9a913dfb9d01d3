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
//
// --raw adds the message bytes: a `raw` key on every jsonl message/elem record, a `raw` column at the end of
// line output (unless --fields already names it), a hex dump under every human block.
//
// --preset NAME (presets.ts) replaces the line layout with the exact text of another tool (bgpdump -m,
// bgpkit-parser --psv, pbgpp's line output); it fixes fields, separator, header and level, so --fields,
// --separator, --header and --raw are usage errors next to it.

import type { BgpRecord } from '../record.js';
import { UsageError } from '../errors.js';
import { DEFAULT_LINE_FIELDS, resolveFields, type Level } from './fields.js';
import { humanFormatter } from './human.js';
import { jsonlFormatter, type Formatter } from './jsonl.js';
import { lineFormatter } from './line.js';
import { presetFormatter, PRESET_NAMES, type PresetName } from './presets.js';
import type { Output } from './output.js';
import type { WireRecord } from './wire-fields.js';

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
  /** Add the message bytes in hex to every record (see above). Default false. */
  raw?: boolean;
  /** Another tool's line format; implies format 'line' and the preset's level. */
  preset?: PresetName;
}

export interface Sink {
  write(r: BgpRecord): void;
  /** An UPDATE read in place, written by the formatter's fast path (Formatter.wire); absent when it has none. */
  wire?: (r: WireRecord) => void;
  /** Flush and finish the output. */
  end(): Promise<void>;
}

/** Compile the options into a formatter; throws UsageError for a bad field name or separator. */
export function createFormatter(opts: SinkOptions): Formatter {
  if (opts.preset !== undefined) {
    if (!PRESET_NAMES.includes(opts.preset)) throw new UsageError(`unknown preset '${String(opts.preset)}' (${PRESET_NAMES.join(', ')})`);
    const clash = (['fields', 'separator', 'header', 'raw'] as const).filter((k) => opts[k] !== undefined && opts[k] !== false);
    if (clash.length > 0) throw new UsageError(`--preset ${opts.preset} fixes the output layout; it cannot be combined with ${clash.map((k) => `--${k}`).join(', ')}`);
    return presetFormatter(opts.preset);
  }
  const level = opts.level;
  if (level !== 'msg' && level !== 'elem') throw new UsageError(`unknown level '${String(level)}' (msg, elem)`);
  const raw = opts.raw === true;
  switch (opts.format) {
    case 'human':
      return humanFormatter({ raw });
    case 'jsonl':
      return jsonlFormatter(level, opts.fields === undefined ? undefined : resolveFields(opts.fields, level), { raw });
    case 'line': {
      const names = opts.fields ?? DEFAULT_LINE_FIELDS[level];
      return lineFormatter(level, resolveFields(raw && !names.includes('raw') ? [...names, 'raw'] : names, level), {
        separator: opts.separator ?? '|',
        header: opts.header ?? false,
      });
    }
    case 'none':
      return { format: () => '', header: '' };
    default:
      throw new UsageError(`unknown format '${String(opts.format)}' (human, jsonl, line, none)`);
  }
}

export function createSink(opts: SinkOptions, out: Output): Sink {
  const f = createFormatter(opts);
  if (f.header !== '') out.write(f.header);
  const into = f.into;
  const sink: Sink =
    into !== undefined
      ? {
          write(r) {
            if (out.closed) return;
            into(r, out.writer);
            out.commit();
          },
          end: () => out.end(),
        }
      : {
          write(r) {
            const text = f.format(r);
            if (text !== '') out.write(text);
          },
          end: () => out.end(),
        };
  const wire = f.wire;
  if (wire !== undefined) {
    sink.wire = (r) => {
      if (out.closed) return;
      wire(r, out.writer);
      out.commit();
    };
  }
  return sink;
}

/** Two sinks fed with every record (stdout and Kafka); end() ends both, the first one first. */
export function teeSink(a: Sink, b: Sink): Sink {
  return {
    write(r) {
      a.write(r);
      b.write(r);
    },
    async end() {
      await a.end();
      await b.end();
    },
  };
}

export { Output, type OutputOptions } from './output.js';
export { FIELDS, DEFAULT_LINE_FIELDS, JSON_KEYS, fieldNames, type FieldDef, type Level } from './fields.js';
export type { Formatter } from './jsonl.js';
