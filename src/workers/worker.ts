// A worker thread of `bgpcap read --workers N` (pool.ts starts it): the TCP sessions hashed to it go through
// the same pipeline as in a single-threaded run — reassembly, BGP decoding with session state, both filter
// stages, the sink's formatter — and the formatted text comes back to the reading thread as UTF-8 bytes, one
// message per input batch (which also acknowledges the batch, for flow control).
//
// Messages from the reading thread, in order: {t:'file', name} at the start of each input file, {t:'frames'}
// batches (batch.ts), {t:'sync', id} (answer once everything before it is written back), {t:'end'} (flush the
// reassembly, send the statistics, exit).

import { parentPort, workerData } from 'node:worker_threads';
import { Pipeline, type RunStats } from '../pipeline.js';
import { createFormatter, type SinkOptions } from '../sink/index.js';
import { buildFilters } from '../cli/filter-options.js';
import { labelsFromCaptureName } from '../peering/capture-names.js';
import type { BgpRecord } from '../record.js';
import { readBatch, type Batch } from './batch.js';

export interface WorkerConfig {
  sink: SinkOptions;
  /** The command's parsed options, for buildFilters (plain values only). */
  filterOptions: Record<string, unknown>;
  ports: number[];
  reassembly: { maxBufferedPerFlow: number; maxBufferedTotal: number; maxConnections: number };
  filterLevel: 'msg' | 'elem';
  countWarnings: boolean;
}

export type ToWorker =
  | { t: 'file'; name: string }
  | ({ t: 'frames' } & Batch)
  | { t: 'sync'; id: number }
  | { t: 'end' };

export type FromWorker =
  /** UTF-8 output for batch `id` (null: nothing written), and the messages decoded so far. */
  | { t: 'out'; id: number; bytes: Uint8Array[] | null; messages: number; buf: ArrayBuffer }
  | { t: 'synced'; id: number; bytes: Uint8Array[] | null }
  | { t: 'stats'; stats: SerializedStats; bytes: Uint8Array[] | null };

/** Characters of text collected before they are encoded. */
const CHUNK = 65536;
/** First size of the output buffer of a batch (grown when a batch writes more). */
const OUT_BYTES = 1 << 20;

/** RunStats with its maps as entry lists (structured clone keeps Maps, but a plain shape is easier to merge). */
export type SerializedStats = Omit<RunStats, 'byType' | 'events'> & { byType: [string, number][]; events: [string, number][] };

export function serializeStats(s: RunStats): SerializedStats {
  return { ...s, byType: [...s.byType], events: [...s.events] };
}

function run(port: NonNullable<typeof parentPort>, cfg: WorkerConfig): void {
  const fmt = cfg.sink.format === 'none' ? null : createFormatter(cfg.sink);
  const filters = buildFilters(cfg.filterOptions);
  const muxByIface = new Map<string, string>();
  // Text is encoded as it is made, about 64 KiB at a time, into byte buffers that go back with the batch's
  // answer (transferred, not copied). Holding the text of a whole batch as strings instead would keep many
  // thousands of short-lived string pieces alive across garbage collections, which then cost more than the work.
  let text = '';
  let out = Buffer.allocUnsafeSlow(OUT_BYTES);
  let used = 0;
  let full: Uint8Array[] = [];
  const encodeText = (): void => {
    if (text === '') return;
    if (used + 3 * text.length > out.length) {
      if (used > 0) full.push(new Uint8Array(out.buffer, out.byteOffset, used));
      out = Buffer.allocUnsafeSlow(Math.max(OUT_BYTES, 3 * text.length));
      used = 0;
    }
    used += out.write(text, used, 'utf8');
    text = '';
  };
  const write = fmt === null ? (_r: BgpRecord) => {} : (r: BgpRecord) => {
    const s = fmt.format(r);
    if (s === '') return;
    text += s;
    if (text.length >= CHUNK) encodeText();
  };
  /** The bytes written since the last call (buffers of their own, to transfer), or null. */
  const take = (): Uint8Array[] | null => {
    encodeText();
    if (used > 0) {
      full.push(new Uint8Array(out.buffer, out.byteOffset, used));
      out = Buffer.allocUnsafeSlow(OUT_BYTES);
      used = 0;
    }
    if (full.length === 0) return null;
    const f = full;
    full = [];
    return f;
  };
  const transfer = (bytes: Uint8Array[] | null, also?: ArrayBuffer): ArrayBuffer[] => {
    const list: ArrayBuffer[] = bytes === null ? [] : bytes.map((b) => b.buffer as ArrayBuffer);
    if (also !== undefined) list.push(also);
    return list;
  };
  const pipeline = new Pipeline(write, {
    ports: new Set(cfg.ports),
    stage1: filters.stage1,
    stage2: filters.stage2,
    filterLevel: cfg.filterLevel,
    countWarnings: cfg.countWarnings,
    muxOf: (iface) => (iface === null ? null : (muxByIface.get(iface) ?? null)),
    reassembly: cfg.reassembly,
  });
  // The reading thread has already put the interface a file name carries on its frames (as read.ts does).
  const onFrame = (f: Parameters<Pipeline['frame']>[0]): void => pipeline.frame(f);
  port.on('message', (m: ToWorker) => {
    switch (m.t) {
      case 'file': {
        pipeline.beginFile(m.name);
        const labels = labelsFromCaptureName(m.name);
        if (labels !== null) muxByIface.set(labels.iface, labels.mux);
        break;
      }
      case 'frames': {
        readBatch(m, onFrame);
        const bytes = take();
        // The batch's buffer goes back too, for the reading thread to fill again.
        const msg: FromWorker = { t: 'out', id: m.id, bytes, messages: pipeline.stats.messages, buf: m.buf };
        port.postMessage(msg, transfer(bytes, m.buf));
        break;
      }
      case 'sync': {
        const bytes = take();
        const msg: FromWorker = { t: 'synced', id: m.id, bytes };
        port.postMessage(msg, transfer(bytes));
        break;
      }
      case 'end': {
        pipeline.end();
        const bytes = take();
        const msg: FromWorker = { t: 'stats', stats: serializeStats(pipeline.stats), bytes };
        port.postMessage(msg, transfer(bytes));
        port.close();
        break;
      }
    }
  });
}

if (parentPort !== null && workerData !== null && typeof workerData === 'object') run(parentPort, workerData as WorkerConfig);
