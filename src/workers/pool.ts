// `bgpcap read --workers N`: N threads decode, the reading thread one of them. The reading thread runs the
// first half of the pipeline — capture, link layer, stage 1, TCP reassembly, BGP framing, the session state from
// the OPENs, stage 2 before decoding — and cuts the framed messages into chunks of 128 KiB (batch.ts). Each
// chunk goes to one of the N - 1 worker threads (worker.ts), which run the second half: decoding, stage 2,
// formatting; or, when every worker has SHARE chunks to do already, the reading thread runs the second half on
// it itself, message by message as it frames them. The workers' output comes back through shared memory
// (slabs.ts), the reading thread's through slabs of its own, and this thread writes it all in chunk order.
//
// Why the work is split by message and not by TCP session. The first half is ordered and stateful (a message
// can only be framed after the one before it, and an OPEN changes how the next UPDATEs of its session are
// decoded) but cheap: a sixth of the time of `read -f jsonl` (bird: 0.65 of 3.8 CPU s). The second half is the
// rest and needs nothing from earlier messages but the session's parameters, which travel with the chunk
// (pipeline.ts MessageContext). Handing out whole TCP sessions instead leaves the threads as unevenly loaded
// as the sessions are big: on a route server's capture (bench/gen.ts rs: 300 sessions, one of them a fifth of
// the bytes) the busier of 2 workers got 57% of the work, and a capture of one session could not be spread at
// all. Chunks go to whichever worker has the fewest waiting, so the load evens out whatever the sessions.
//
// Why the reading thread decodes too (and N counts it). With N worker threads besides it, N + 1 threads were
// busy on N cores: on 2 vCPUs the reader (a sixth of the work) and 2 workers shared 2 cores with V8's GC and
// compiler threads, and --workers 2 ran the bench corpora 0.86-1.2x as fast as one thread. The reader working
// on a chunk whenever the workers have enough to do keeps N threads busy, balances itself (a slow or still
// starting worker gets fewer chunks: its first chunks are done here while it loads and compiles, 0.1-0.2 s;
// from the bundle and its code cache, entry.ts and ../bundle.ts, a worker starts in 0.06 CPU s instead of 0.13),
// and saves an isolate (0.3-0.4 CPU s of loading and compiling per worker).
//
// Ordering: chunks are numbered as they are begun and their output is written in that order, so the output is
// the same, byte for byte and in the same order, as without --workers (records of different sessions do not
// interleave differently either). Statistics (--stats) are the reading thread's counts plus what the workers
// counted (decoding errors, warnings, what stage 2 dropped after decoding).
//
// Flow control: at most MAX_IN_FLIGHT chunks per worker are out, and at most MAX_AHEAD chunks are not yet
// written (the reading thread's output waits behind the workers'); the reader stops reading until one is back
// (cli/read.ts reads through a gate). Output waits in each worker's slabs (SLABS × SLAB_BYTES) until its turn;
// a worker with none free waits. So memory stays flat whatever the file size.
//
// What it costs and gains (2 vCPUs AMD EPYC, -f jsonl, npm run bench 2026-11-22: best of 3 wall times, in
// rounds with a one-thread run of the same build), --workers 2 against one thread:
//
//                                 one thread  --workers 2        two one-thread runs side by side
//   bird x3 373 MB, 4 sessions    4.97 s      2.97 s  1.67x      1.87x the work of one
//   bird   124 MB, 4 sessions     1.90 s      1.29 s  1.47x      1.99x
//   rs      57 MB, 300 sessions   1.17 s      0.84 s  1.39x      1.92x
//   packed  32 MB, 4 sessions     0.68 s      0.56 s  1.21x      1.94x
//   lab     21 MB, real BIRD      0.50 s      0.41 s  1.22x      2.04x
//
// Peak RSS 102-121 MB (one thread: 69-98 MB). Chunks cross in shared memory, never as transferred
// ArrayBuffers: a transfer detaches the buffer, and V8 then drops a protector for the whole isolate, after
// which every typed-array access in optimised code checks for detachment (the worker's formatting was 15-30 %
// slower than one thread's; test/workers/workers.test.ts checks no thread detaches one). What keeps the short
// captures further from 2x is per thread, not per chunk: each thread's isolate runs the hot code in the
// interpreter until it is hot and then compiles it (~0.4 CPU s a thread whatever the input), and the worker's
// compiling comes in bursts during which the chunk it holds stops the output (MAX_AHEAD; a larger one did not
// help). A one-thread run of T seconds therefore takes about (T + 0.4) / 2 at best on two threads.
// bench/README.md has the measurements.

import { Worker } from 'node:worker_threads';
import { InvalidArgumentError } from 'commander';
import { MessageStage, Pipeline, type MessageContext, type MessageHandler, type PipelineOptions, type RunStats } from '../pipeline.js';
import { buildFilters } from '../cli/filter-options.js';
import type { Output } from '../sink/output.js';
import type { BgpRecord } from '../record.js';
import type { Frame, Timestamp } from '../types.js';
import { CHUNK_BYTES, chunkCapacity, ChunkWriter, ITEM_HEAD } from './batch.js';
import { LocalSlabs, newSlabShare, SLAB_BYTES, SlabReader, SLABS, type Filled } from './slabs.js';
import { recordWriter } from './format.js';
import type { FromWorker, SerializedStats, ToWorker, WorkerConfig } from './worker.js';

/** Chunks out per worker before the reader waits. */
const MAX_IN_FLIGHT = 4;

/**
 * A new chunk goes to a worker when one has fewer than this many chunks out; otherwise the reading thread works
 * on it itself. Measured on bird (2 vCPUs, --workers 2: the reading thread and one worker, CPU seconds of each):
 * 2 left the worker idle a tenth of the time (reading thread 2.5 s, worker 2.0 s), 3 balanced them (2.4 / 2.3),
 * 4 gave the worker too much (2.1 / 2.5). Below MAX_IN_FLIGHT, so the reader never waits for the workers while
 * it has work of its own.
 */
const SHARE = 3;

/**
 * Chunks between the oldest not written yet and the one being made before the reader waits: the output of the
 * chunks worked on here waits behind the workers' (about 1.2 MB of jsonl per chunk), e.g. while a worker is
 * still starting (0.1-0.2 s: a few dozen chunks). 8 and 16 took the same time on bird with --workers 2; 32, the
 * same on lab, packed and rs (median of 7 interleaved pairs).
 */
const MAX_AHEAD = 8;

/** Most threads --workers accepts (the reading thread and up to 63 worker threads). */
export const MAX_WORKERS = 64;

/** --workers N: 1..MAX_WORKERS threads decoding, the reading thread one of them (N - 1 worker threads). */
export function parseWorkerCount(v: string): number {
  const n = Number(v.trim());
  if (!/^\d+$/.test(v.trim()) || n < 1 || n > MAX_WORKERS) throw new InvalidArgumentError(`expected a number of threads, 1-${MAX_WORKERS}`);
  return n;
}

/**
 * Output of numbered chunks, handed on in number order whatever order it arrives in: the output of the chunk
 * being written goes on at once, that of later chunks is held until every chunk before them is done.
 */
export class InOrder<P> {
  private head = 0;
  /** Chunks after `head` that are done. */
  private readonly finished = new Set<number>();
  /** Output of chunks after `head`, in arrival order. */
  private readonly held = new Map<number, P[]>();

  constructor(private readonly write: (p: P) => void) {}

  /** The first chunk not yet done: every chunk before it is written. */
  get next(): number {
    return this.head;
  }

  /** A piece of chunk `seq`'s output (pieces of one chunk come in order). */
  part(seq: number, p: P): void {
    if (seq === this.head) {
      this.write(p);
      return;
    }
    const list = this.held.get(seq);
    if (list === undefined) this.held.set(seq, [p]);
    else list.push(p);
  }

  /** Chunk `seq` has sent all its output. */
  done(seq: number): void {
    this.finished.add(seq);
    while (this.finished.delete(this.head)) {
      this.head++;
      const list = this.held.get(this.head);
      if (list !== undefined) {
        this.held.delete(this.head);
        for (const p of list) this.write(p);
      }
    }
  }
}

/**
 * Sizes for tests (BGPCAP_TEST_WORKER_SIZES=chunk,slab,slabs[,share] in bytes, bytes, count, chunks): tiny
 * chunks and slabs make a small capture exercise many chunks, held output and workers waiting for slabs; share
 * 0 sends every chunk to the workers (the reading thread works on none while there are any), a large share
 * makes it work on most of them.
 */
function testSizes(): { chunk: number; slabBytes: number; slabs: number; share: number } {
  const v = process.env['BGPCAP_TEST_WORKER_SIZES'];
  const d = { chunk: CHUNK_BYTES, slabBytes: SLAB_BYTES, slabs: SLABS, share: SHARE };
  if (v === undefined || v === '') return d;
  const [chunk, slabBytes, slabs, share] = v.split(',').map(Number);
  return { chunk: chunk || d.chunk, slabBytes: slabBytes || d.slabBytes, slabs: slabs || d.slabs, share: share === undefined || Number.isNaN(share) ? d.share : share };
}

export interface WorkerPipelineOptions {
  /** Worker threads (0: the reading thread works on every chunk). */
  workers: number;
  /** What the workers need to decode, filter and format (the slabs are added here). */
  worker: Omit<WorkerConfig, 'slabs'>;
  /** The reading thread's pipeline (handOff is set here). */
  pipeline: Partial<PipelineOptions>;
  out: Output;
  /**
   * `out` writes synchronously (to a file descriptor), so a slab can be reused as soon as writeBytes returns;
   * false: its bytes are copied first (a stream keeps what it is given until it has written it).
   */
  syncWrites: boolean;
}

/** The second half of the pipeline in the reading thread (format.ts, pipeline.ts MessageStage). */
interface Own {
  stage: MessageStage;
  rw: { write: (r: BgpRecord) => void; flush: () => void };
  slabs: LocalSlabs;
}

interface Slot {
  worker: Worker;
  reader: SlabReader;
  /** Chunk buffers (shared memory: batch.ts) not out with this worker, to fill again. */
  freeBufs: SharedArrayBuffer[];
  /** Chunks sent and not yet done. */
  inFlight: number;
  stats: SerializedStats | null;
  done: Promise<void>;
}

/**
 * A piece of a chunk's output: a filled slab of a worker, a copy (a record longer than a slab), or a slab of
 * the reading thread's own (`local`, `len` bytes).
 */
interface Part {
  slot: Slot | null;
  slab: Filled | null;
  copy: Uint8Array | null;
  local: Buffer | null;
  len: number;
}

export class WorkerPipeline implements MessageHandler {
  /** The reading thread's counts until finish(), then the totals with the workers' counts. */
  readonly stats: RunStats;
  private readonly pipeline: Pipeline;
  private readonly chunk: ChunkWriter;
  private readonly chunkCapacity: number;
  private readonly slots: Slot[] = [];
  private readonly out: Output;
  private readonly syncWrites: boolean;
  /** Number of the next chunk to send. */
  private nextSeq = 0;
  /** Writes the workers' output in chunk order. */
  private readonly order = new InOrder<Part>((p) => this.write(p));
  private readonly chunkBytes: number;
  private inFlight = 0;
  /** Where the search for the least busy worker starts (so that ties go round). */
  private rr = 0;
  private failure: Error | null = null;
  private readyWaiters: (() => void)[] = [];
  private drainWaiters: (() => void)[] = [];
  /** The reading thread's own second half, for the chunks it works on itself; null: it works on none. */
  private readonly own: Own | null;
  /** Where the chunk being made goes: not begun yet, to a worker, or worked on here as it is made. */
  private mode: 'none' | 'send' | 'own' = 'none';
  /** Number and bytes so far of the chunk worked on here. */
  private ownSeq = -1;
  private ownBytes = 0;
  private readonly share: number;

  constructor(o: WorkerPipelineOptions) {
    this.out = o.out;
    this.syncWrites = o.syncWrites;
    this.pipeline = new Pipeline((r) => this.event(r), { ...o.pipeline, handOff: this });
    this.stats = this.pipeline.stats;
    const sizes = testSizes();
    this.chunkBytes = sizes.chunk;
    this.chunkCapacity = chunkCapacity(sizes.chunk);
    this.chunk = new ChunkWriter(this.chunkCapacity);
    this.share = sizes.share;
    if (this.share > 0 || o.workers === 0) {
      const slabs = new LocalSlabs(
        sizes.slabBytes,
        (buf, len) => this.order.part(this.ownSeq, { slot: null, slab: null, copy: null, local: buf, len }),
        (b) => this.order.part(this.ownSeq, { slot: null, slab: null, copy: b, local: null, len: 0 }),
      );
      const rw = recordWriter(o.worker.sink, slabs);
      const filters = buildFilters(o.worker.filterOptions);
      const stage = new MessageStage(rw.write, this.stats, filters.stage2, o.worker.filterLevel === 'elem', o.worker.countWarnings, rw.wire);
      this.own = { stage, rw, slabs };
    } else this.own = null;
    for (let i = 0; i < o.workers; i++) {
      const share = newSlabShare(sizes.slabs, sizes.slabBytes);
      const cfg: WorkerConfig = { ...o.worker, slabs: share };
      // Each worker is a V8 isolate with a heap of its own. Its young generation is kept small and its old
      // generation capped (far above what a worker keeps alive: the code, one chunk, one message at a time) so
      // that V8 collects the old generation early instead of letting promoted garbage pile up: 8 and 256 MB
      // gave peak RSS 170 MB instead of 240 MB with 2 workers on the bench corpora, at no measurable cost.
      const worker = new Worker(new URL('./entry.js', import.meta.url), {
        workerData: cfg,
        resourceLimits: { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 256 },
      });
      const slot: Slot = {
        worker,
        reader: new SlabReader(share),
        freeBufs: [],
        inFlight: 0,
        stats: null,
        done: Promise.resolve(),
      };
      slot.done = new Promise<void>((resolve) => {
        worker.on('message', (m: FromWorker) => {
          if (m.t === 'stats') {
            slot.stats = m.stats;
            resolve();
          } else this.onMessage(slot, m);
        });
        worker.on('error', (e) => {
          this.fail(e);
          resolve();
        });
        worker.on('exit', (code) => {
          if (slot.stats === null) this.fail(new Error(`worker thread ${i} exited (code ${code}) before the end of the input`));
          resolve();
        });
      });
      this.slots.push(slot);
    }
  }

  /** Start of a new input file. */
  beginFile(name: string): void {
    this.pipeline.beginFile(name);
  }

  frame(f: Frame): void {
    this.pipeline.frame(f);
  }

  /** A framed message from the reading thread's pipeline (its handOff). */
  message(ctx: MessageContext, bytes: Uint8Array, ts: Timestamp, frameNo: number, type: number, length: number): void {
    if (this.mode === 'none') this.begin();
    if (this.mode === 'own') {
      this.own!.stage.message(ctx, bytes, ts, frameNo, type, length);
      this.ownBytes += ITEM_HEAD + bytes.length;
      if (this.ownBytes >= this.chunkBytes) this.endChunk();
      return;
    }
    const c = this.chunk;
    c.message(ctx, bytes, ts, frameNo);
    if (c.bytes >= this.chunkBytes) this.endChunk();
  }

  /** An event record from the reading thread's pipeline (it passed stage 2 there). */
  private event(r: BgpRecord): void {
    if (r.kind !== 'event') throw new Error('a message record was emitted in the reading thread');
    if (this.mode === 'none') this.begin();
    if (this.mode === 'own') {
      this.own!.rw.write(r);
      this.ownBytes += ITEM_HEAD;
    } else this.chunk.event(r);
  }

  /** A new chunk: to a worker if one has fewer than `share` chunks out, else worked on here. */
  private begin(): void {
    this.mode = 'send';
    if (this.own === null) return;
    for (const s of this.slots) if (s.inFlight < this.share) return;
    this.mode = 'own';
    this.ownSeq = this.nextSeq++;
    this.ownBytes = 0;
  }

  /** The chunk being made is complete: send it, or write out what is left of its output (done here). */
  private endChunk(): void {
    const mode = this.mode;
    this.mode = 'none';
    if (mode === 'send') this.send();
    else if (mode === 'own') {
      const own = this.own!;
      own.rw.flush();
      own.slabs.flush();
      this.done(this.ownSeq);
    }
  }

  /**
   * The gate of the reader (source/open.ts readCapture): null when it may read on, else a promise that resolves
   * when a worker has finished a chunk (rejects when a worker failed). It waits while the workers have
   * MAX_IN_FLIGHT chunks each, or while MAX_AHEAD chunks are not written yet (then a worker has the oldest:
   * the chunks worked on here are finished at once).
   */
  ready(): Promise<void> | null {
    if (this.failure !== null) return Promise.reject(this.failure);
    if (this.inFlight === 0) return null;
    if (this.inFlight < MAX_IN_FLIGHT * this.slots.length && this.nextSeq - this.order.next < MAX_AHEAD) return null;
    return new Promise<void>((resolve) => this.readyWaiters.push(resolve)).then(() => {
      if (this.failure !== null) throw this.failure;
    });
  }

  /** Hand everything read so far to the workers and wait until all of its output is written. */
  async sync(): Promise<void> {
    this.endChunk();
    if (this.order.next < this.nextSeq && this.failure === null) await new Promise<void>((resolve) => this.drainWaiters.push(resolve));
    if (this.failure !== null) throw this.failure;
  }

  /** End of all input: flush the reassembly, write everything, stop the workers; stats become the totals. */
  async finish(): Promise<void> {
    this.pipeline.end();
    await this.sync();
    for (const s of this.slots) s.worker.postMessage({ t: 'end' } satisfies ToWorker);
    await Promise.all(this.slots.map((s) => s.done));
    if (this.failure !== null) throw this.failure;
    const t = this.stats;
    for (const s of this.slots) {
      const w = s.stats!;
      t.errors += w.errors;
      t.warnings += w.warnings;
      t.stage2Rejected += w.stage2Rejected;
      t.stage2Undecoded += w.stage2Undecoded;
      t.elemsRejected += w.elemsRejected;
    }
  }

  /** Stop the workers at once (after an error). */
  async terminate(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  /** Send the chunk being filled (if any) to the least busy worker. */
  private send(): void {
    if (this.chunk.empty) return;
    const slots = this.slots;
    const n = slots.length;
    let best = this.rr;
    for (let k = 1; k < n; k++) {
      const i = (this.rr + k) % n;
      if (slots[i]!.inFlight < slots[best]!.inFlight) best = i;
    }
    this.rr = (best + 1) % n;
    const slot = slots[best]!;
    // A buffer for each chunk out: about MAX_IN_FLIGHT per worker, made as they are first needed.
    const buf = slot.freeBufs.pop() ?? new SharedArrayBuffer(this.chunkCapacity);
    const c = this.chunk.take(this.nextSeq++, new Uint8Array(buf));
    slot.inFlight++;
    this.inFlight++;
    const m: ToWorker = { t: 'chunk', buf, ...c };
    slot.worker.postMessage(m);
  }

  private onMessage(slot: Slot, m: FromWorker): void {
    switch (m.t) {
      case 'part':
        this.order.part(m.seq, { slot, slab: m.slab, copy: m.copy, local: null, len: 0 });
        break;
      case 'done':
        if (m.slab !== null) this.order.part(m.seq, { slot, slab: m.slab, copy: null, local: null, len: 0 });
        slot.freeBufs.push(m.buf);
        slot.inFlight--;
        this.inFlight--;
        this.done(m.seq);
        this.wake(this.readyWaiters);
        this.readyWaiters = [];
        break;
    }
  }

  /** Chunk `seq` has all its output in `order`. */
  private done(seq: number): void {
    this.order.done(seq);
    if (this.order.next === this.nextSeq) {
      this.wake(this.drainWaiters);
      this.drainWaiters = [];
    }
  }

  private write(p: Part): void {
    if (p.local !== null) {
      // Written synchronously: the slab can be filled again; else the stream keeps it (no copy needed).
      this.out.writeBytes(p.local.subarray(0, p.len));
      if (this.syncWrites) this.own!.slabs.recycle(p.local);
      return;
    }
    if (p.slab === null) {
      this.out.writeBytes(p.copy!);
      return;
    }
    const v = p.slot!.reader.view(p.slab);
    this.out.writeBytes(this.syncWrites ? v : Buffer.from(v));
    p.slot!.reader.free(p.slab);
  }

  private wake(list: (() => void)[]): void {
    for (const w of list) w();
  }

  private fail(e: Error): void {
    if (this.failure === null) this.failure = e;
    this.wake(this.readyWaiters);
    this.readyWaiters = [];
    this.wake(this.drainWaiters);
    this.drainWaiters = [];
  }
}
