// `bgpcap read --workers N`: the reading thread runs the first half of the pipeline — capture, link layer,
// stage 1, TCP reassembly, BGP framing, the session state from the OPENs, stage 2 before decoding — and hands
// the framed messages, in chunks of 128 KiB (batch.ts), to N worker threads (worker.ts) that run
// the second half: decoding, stage 2, formatting. The output comes back through shared memory (slabs.ts) and
// this thread writes it in chunk order.
//
// Why the work is split by message and not by TCP session. The first half is ordered and stateful (a message
// can only be framed after the one before it, and an OPEN changes how the next UPDATEs of its session are
// decoded) but cheap: about a tenth of the time of `read -f jsonl` (measured on the bench corpora). The second
// half is nine tenths and needs nothing from earlier messages but the session's parameters, which travel with
// the chunk (pipeline.ts MessageContext). Handing out whole TCP sessions instead leaves the threads as unevenly
// loaded as the sessions are big: on a route server's capture (bench/gen.ts rs: 300 sessions, one of them a
// fifth of the bytes) the busier of 2 workers got 57% of the work, and a capture of one session could not be
// spread at all. Chunks go to whichever worker has the fewest waiting, so the load evens out whatever the
// sessions.
//
// Ordering: chunks are numbered as they are made and their output is written in that order, so the output is
// the same, byte for byte and in the same order, as without --workers (records of different sessions do not
// interleave differently either). Statistics (--stats) are the reading thread's counts plus what the workers
// counted (decoding errors, warnings, what stage 2 dropped after decoding).
//
// Flow control: at most MAX_IN_FLIGHT chunks per worker are out; the reader stops reading until one is back
// (cli/read.ts reads through a gate). Output waits in each worker's slabs (SLABS × SLAB_BYTES) until its turn;
// a worker with none free waits. So memory stays flat whatever the file size.
//
// What it costs (perf, 2 vCPUs): each worker is a V8 isolate that loads the modules and JIT-compiles the
// decoder and the formatter all over again — about 0.3-0.4 s of CPU per worker, mostly on V8's helper threads —
// and garbage collection no longer gets a spare core for its parallel work. A run of a few seconds gains
// little from 2 workers on 2 cores (rs and bird corpora: 1.0-1.25x); a longer one more (1.3-1.4x on 230 MB).

import { Worker } from 'node:worker_threads';
import { InvalidArgumentError } from 'commander';
import { Pipeline, type MessageContext, type MessageHandler, type PipelineOptions, type RunStats } from '../pipeline.js';
import type { Output } from '../sink/output.js';
import type { BgpRecord } from '../record.js';
import type { Frame, Timestamp } from '../types.js';
import { CHUNK_BYTES, ChunkWriter } from './batch.js';
import { newSlabShare, SLAB_BYTES, SlabReader, SLABS, type Filled } from './slabs.js';
import type { FromWorker, SerializedStats, ToWorker, WorkerConfig } from './worker.js';

/** Chunks out per worker before the reader waits. */
const MAX_IN_FLIGHT = 4;

/** Most worker threads --workers accepts. */
export const MAX_WORKERS = 64;

/** --workers N: 1..MAX_WORKERS. */
export function parseWorkerCount(v: string): number {
  const n = Number(v.trim());
  if (!/^\d+$/.test(v.trim()) || n < 1 || n > MAX_WORKERS) throw new InvalidArgumentError(`expected a number of worker threads, 1-${MAX_WORKERS}`);
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
 * Sizes for tests (BGPCAP_TEST_WORKER_SIZES=chunk,slab,slabs in bytes, bytes, count): tiny chunks and slabs
 * make a small capture exercise many chunks, held output and workers waiting for slabs.
 */
function testSizes(): { chunk: number; slabBytes: number; slabs: number } {
  const v = process.env['BGPCAP_TEST_WORKER_SIZES'];
  const d = { chunk: CHUNK_BYTES, slabBytes: SLAB_BYTES, slabs: SLABS };
  if (v === undefined || v === '') return d;
  const [chunk, slabBytes, slabs] = v.split(',').map(Number);
  return { chunk: chunk || d.chunk, slabBytes: slabBytes || d.slabBytes, slabs: slabs || d.slabs };
}

export interface WorkerPipelineOptions {
  /** Worker threads. */
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

interface Slot {
  worker: Worker;
  reader: SlabReader;
  /** Chunks sent and not yet done. */
  inFlight: number;
  stats: SerializedStats | null;
  done: Promise<void>;
}

/** A piece of a chunk's output: a filled slab of a worker, or a copy (a record longer than a slab). */
interface Part {
  slot: Slot;
  slab: Filled | null;
  copy: Uint8Array | null;
}

export class WorkerPipeline implements MessageHandler {
  /** The reading thread's counts until finish(), then the totals with the workers' counts. */
  readonly stats: RunStats;
  private readonly pipeline: Pipeline;
  private readonly chunk = new ChunkWriter();
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

  constructor(o: WorkerPipelineOptions) {
    this.out = o.out;
    this.syncWrites = o.syncWrites;
    this.pipeline = new Pipeline((r) => this.event(r), { ...o.pipeline, handOff: this });
    this.stats = this.pipeline.stats;
    const sizes = testSizes();
    this.chunkBytes = sizes.chunk;
    for (let i = 0; i < o.workers; i++) {
      const share = newSlabShare(sizes.slabs, sizes.slabBytes);
      const cfg: WorkerConfig = { ...o.worker, slabs: share };
      // Each worker is a V8 isolate with a heap of its own. Its young generation is kept small and its old
      // generation capped (far above what a worker keeps alive: the code, one chunk, one message at a time) so
      // that V8 collects the old generation early instead of letting promoted garbage pile up: 8 and 256 MB
      // gave peak RSS 170 MB instead of 240 MB with 2 workers on the bench corpora, at no measurable cost.
      const worker = new Worker(new URL('./worker.js', import.meta.url), {
        workerData: cfg,
        resourceLimits: { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 256 },
      });
      const slot: Slot = { worker, reader: new SlabReader(share), inFlight: 0, stats: null, done: Promise.resolve() };
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
  message(ctx: MessageContext, bytes: Uint8Array, ts: Timestamp, frameNo: number): void {
    const c = this.chunk;
    c.message(ctx, bytes, ts, frameNo);
    if (c.bytes >= this.chunkBytes) this.send();
  }

  /** An event record from the reading thread's pipeline (it passed stage 2 there). */
  private event(r: BgpRecord): void {
    if (r.kind !== 'event') throw new Error('a message record was emitted in the reading thread');
    this.chunk.event(r);
  }

  /**
   * The gate of the reader (kafka/gate.ts): null when the workers can take more, else a promise that resolves
   * when one has finished a chunk (rejects when a worker failed).
   */
  ready(): Promise<void> | null {
    if (this.failure !== null) return Promise.reject(this.failure);
    if (this.inFlight < MAX_IN_FLIGHT * this.slots.length) return null;
    return new Promise<void>((resolve) => this.readyWaiters.push(resolve)).then(() => {
      if (this.failure !== null) throw this.failure;
    });
  }

  /** Hand everything read so far to the workers and wait until all of its output is written. */
  async sync(): Promise<void> {
    this.send();
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
    const c = this.chunk.take(this.nextSeq++);
    slot.inFlight++;
    this.inFlight++;
    const m: ToWorker = { t: 'chunk', ...c };
    slot.worker.postMessage(m, [c.buf]);
  }

  private onMessage(slot: Slot, m: FromWorker): void {
    switch (m.t) {
      case 'part':
        this.order.part(m.seq, { slot, slab: m.slab, copy: m.copy });
        break;
      case 'done':
        if (m.slab !== null) this.order.part(m.seq, { slot, slab: m.slab, copy: null });
        this.chunk.recycle(m.buf);
        slot.inFlight--;
        this.inFlight--;
        this.order.done(m.seq);
        if (this.order.next === this.nextSeq) {
          this.wake(this.drainWaiters);
          this.drainWaiters = [];
        }
        this.wake(this.readyWaiters);
        this.readyWaiters = [];
        break;
    }
  }

  private write(p: Part): void {
    if (p.slab === null) {
      this.out.writeBytes(p.copy!);
      return;
    }
    const v = p.slot.reader.view(p.slab);
    this.out.writeBytes(this.syncWrites ? v : Buffer.from(v));
    p.slot.reader.free(p.slab);
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
