// A worker thread of `bgpcap read --workers N` (pool.ts starts it): the TCP sessions hashed to it go through
// the same pipeline as in a single-threaded run — reassembly, BGP decoding with session state, both filter
// stages, the sink's formatter — and the formatted text comes back to the reading thread, one message per
// input batch (which also acknowledges the batch, for flow control).
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
  /** Output for batch `id` (null: nothing written), and the messages decoded so far. */
  | { t: 'out'; id: number; text: string[] | null; messages: number }
  | { t: 'synced'; id: number; text: string[] | null }
  | { t: 'stats'; stats: SerializedStats; text: string[] | null };

/** Characters of output per string sent back. */
const CHUNK = 65536;

/** RunStats with its maps as entry lists (structured clone keeps Maps, but a plain shape is easier to merge). */
export type SerializedStats = Omit<RunStats, 'byType' | 'events'> & { byType: [string, number][]; events: [string, number][] };

export function serializeStats(s: RunStats): SerializedStats {
  return { ...s, byType: [...s.byType], events: [...s.events] };
}

function run(port: NonNullable<typeof parentPort>, cfg: WorkerConfig): void {
  const fmt = cfg.sink.format === 'none' ? null : createFormatter(cfg.sink);
  const filters = buildFilters(cfg.filterOptions);
  const muxByIface = new Map<string, string>();
  // Text goes back as strings of about 64 KiB (structured clone copies a flat string in one go; the reading
  // thread encodes it while writing, as it would its own records).
  let text = '';
  let chunks: string[] = [];
  const write = fmt === null ? (_r: BgpRecord) => {} : (r: BgpRecord) => {
    const s = fmt.format(r);
    if (s === '') return;
    text += s;
    if (text.length >= CHUNK) {
      chunks.push(text);
      text = '';
    }
  };
  const take = (): string[] | null => {
    if (text !== '') chunks.push(text);
    text = '';
    if (chunks.length === 0) return null;
    const c = chunks;
    chunks = [];
    return c;
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
        const msg: FromWorker = { t: 'out', id: m.id, text: take(), messages: pipeline.stats.messages };
        port.postMessage(msg);
        break;
      }
      case 'sync': {
        const msg: FromWorker = { t: 'synced', id: m.id, text: take() };
        port.postMessage(msg);
        break;
      }
      case 'end': {
        pipeline.end();
        const msg: FromWorker = { t: 'stats', stats: serializeStats(pipeline.stats), text: take() };
        port.postMessage(msg);
        port.close();
        break;
      }
    }
  });
}

if (parentPort !== null && workerData !== null && typeof workerData === 'object') run(parentPort, workerData as WorkerConfig);
