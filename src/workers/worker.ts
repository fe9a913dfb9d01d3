// A worker thread of `bgpcap read --workers N` (pool.ts starts it): the second half of the pipeline for the
// chunks of framed messages it is given — decoding with each direction's session parameters, stage 2, the
// sink's formatter (pipeline.ts MessageStage; the same code as a single-threaded run) — with the output going
// back through shared slabs (slabs.ts).
//
// Messages from the reading thread: {t:'chunk'} (batch.ts: a chunk's head, its bytes in one of the shared chunk
// buffers) any number of times, then {t:'end'} (send the counts, exit). Answers: {t:'part'} for each slab
// filled while a chunk is being worked on, {t:'done'} when a chunk is finished (with the last slab of its output;
// its chunk buffer is free again), {t:'stats'} at the end. Nothing is ever transferred (batch.ts says why).

import { parentPort, workerData } from 'node:worker_threads';
import { MessageStage, newRunStats, type RunStats } from '../pipeline.js';
import type { SinkOptions } from '../sink/index.js';
import { buildFilters } from '../cli/filter-options.js';
import { ChunkReceiver, readChunk, type ChunkHandler, type ChunkHead } from './batch.js';
import { SlabWriter, type Filled, type SlabShare } from './slabs.js';
import { recordWriter } from './format.js';
import { warmUp, type WarmupOptions } from '../source/warmup.js';

export interface WorkerConfig {
  sink: SinkOptions;
  /** The command's parsed options, for buildFilters (plain values only). */
  filterOptions: Record<string, unknown>;
  filterLevel: 'msg' | 'elem';
  countWarnings: boolean;
  slabs: SlabShare;
  /** The warm-up before the first chunk (source/warmup.ts), as the reading thread's; routes 0: none. */
  warmup: { routes: number; shape: Omit<WarmupOptions, 'stop'> };
}

/** A chunk: its head, and its bytes at the start of `buf` (shared memory, handed back with the answer). */
export type ToWorker = ({ t: 'chunk'; buf: SharedArrayBuffer } & ChunkHead) | { t: 'end' };

export type FromWorker =
  /** A slab of chunk `seq`'s output, filled while the chunk is worked on. */
  | { t: 'part'; seq: number; slab: Filled | null; copy: Uint8Array | null }
  /** Chunk `seq` is finished: the last of its output (null: none), and its chunk buffer, free again. */
  | { t: 'done'; seq: number; slab: Filled | null; buf: SharedArrayBuffer }
  | { t: 'stats'; stats: SerializedStats };

/** RunStats with its maps as entry lists (structured clone keeps Maps, but a plain shape is easier to merge). */
export type SerializedStats = Omit<RunStats, 'byType' | 'events'> & { byType: [string, number][]; events: [string, number][] };

export function serializeStats(s: RunStats): SerializedStats {
  return { ...s, byType: [...s.byType], events: [...s.events] };
}

function run(port: NonNullable<typeof parentPort>, cfg: WorkerConfig): void {
  let seq = -1;
  const slabs = new SlabWriter(
    cfg.slabs,
    (f) => port.postMessage({ t: 'part', seq, slab: f, copy: null } satisfies FromWorker),
    // Copied again by postMessage, not transferred (batch.ts): a record longer than a slab is rare.
    (b) => port.postMessage({ t: 'part', seq, slab: null, copy: b } satisfies FromWorker),
  );
  const rw = recordWriter(cfg.sink, slabs);
  const filters = buildFilters(cfg.filterOptions);
  const stats = newRunStats();
  const stage = new MessageStage(rw.write, stats, filters.stage2, cfg.filterLevel === 'elem', cfg.countWarnings, rw.wire);
  const receiver = new ChunkReceiver();
  const handler: ChunkHandler = {
    message(ctx, bytes, ts, frameNo) {
      // As Pipeline.onMessage computes them (the framer hands over whole messages, header included).
      const type = bytes.length >= 19 ? bytes[18]! : 0;
      const length = bytes.length >= 19 ? (bytes[16]! << 8) | bytes[17]! : bytes.length;
      stage.message(ctx, bytes, ts, frameNo, type, length);
    },
    // Events passed stage 2 in the reading thread already (it counts them).
    event: rw.write,
  };
  const onMessage = (m: ToWorker): void => {
    switch (m.t) {
      case 'chunk': {
        seq = m.seq;
        readChunk(receiver.receive(m, new Uint8Array(m.buf)), handler);
        rw.flush();
        const msg: FromWorker = { t: 'done', seq, slab: slabs.take(), buf: m.buf };
        port.postMessage(msg);
        break;
      }
      case 'end': {
        const msg: FromWorker = { t: 'stats', stats: serializeStats(stats) };
        port.postMessage(msg);
        port.close();
        break;
      }
    }
  };
  // The warm-up first (its own pipeline and sink: nothing reaches the slabs or the counts); chunks wait in the
  // port until the listener is added.
  const pipelineOpts = { stage1: filters.stage1, stage2: filters.stage2, filterLevel: cfg.filterLevel, countWarnings: cfg.countWarnings };
  void warmUp(cfg.sink, pipelineOpts, cfg.warmup.routes, cfg.warmup.shape).then(() => port.on('message', onMessage));
}

if (parentPort !== null && workerData !== null && typeof workerData === 'object') run(parentPort, workerData as WorkerConfig);
