// `bgpcap read --workers N`: the reading thread parses the capture and the link layer, and hands each frame to
// one of N worker threads (worker.ts) chosen by its TCP connection; each worker reassembles, decodes, filters
// and formats the connections it owns, and sends the text back; the reading thread writes it out.
//
// Splitting by connection. A connection — its two endpoints, address and port, the same whichever side sent the
// packet — is given to a worker when its first packet is seen, and all its packets go there, so both directions
// of a session (whose OPENs configure the decoding of each other's UPDATEs) meet in one worker, in capture
// order. A new connection goes to the worker with the fewest connections so far (then the fewest bytes): sessions
// of a full-table transfer are of similar size, and a hash would often give one worker more of them. Past
// MAX_TRACKED connections (a capture full of short connections) new ones are placed by a hash of the two
// endpoints instead, which needs no memory. Frames that are not a
// TCP segment on a BGP port are dropped here (after stage 1, as the single-threaded pipeline does); link
// notices (IP fragments, truncated frames) go with the connection their addresses and ports name, or to worker
// 0 when they name none.
//
// Ordering guarantee: the records of one TCP session come out in the same order as without --workers (one
// worker writes them, in order, and its output is written in the order it arrives). Records of different
// sessions may interleave differently from a single-threaded run, and from one run to the next: the order is
// per session, not global. The set of records is the same. Statistics (--stats) are summed over the workers.
//
// Flow control: at most MAX_OUTSTANDING batches per worker are in flight; the reader stops reading until a
// worker has answered (cli/read.ts reads through a gate), so memory stays flat whatever the file size.
// Reassembly limits are split between the workers (each gets 1/N of --max-total-buffer and
// --max-connections), so the totals still hold.

import { Worker } from 'node:worker_threads';
import { InvalidArgumentError } from 'commander';
import { decodeFrame, type LinkOptions } from '../link/decode.js';
import type { RunStats } from '../pipeline.js';
import type { Stage1Filter } from '../filter/stage1.js';
import type { Output } from '../sink/output.js';
import type { Frame, LinkNotice, Segment } from '../types.js';
import { BATCH_BYTES, BatchWriter } from './batch.js';
import type { FromWorker, SerializedStats, ToWorker, WorkerConfig } from './worker.js';

/** Batches in flight per worker before the reader waits. */
const MAX_OUTSTANDING = 4;

/** Connections placed by load (see the file comment); later ones by hash. */
const MAX_TRACKED = 200_000;

/** Most worker threads --workers accepts. */
export const MAX_WORKERS = 64;

/** --workers N: 1..MAX_WORKERS. */
export function parseWorkerCount(v: string): number {
  const n = Number(v.trim());
  if (!/^\d+$/.test(v.trim()) || n < 1 || n > MAX_WORKERS) throw new InvalidArgumentError(`expected a number of worker threads, 1-${MAX_WORKERS}`);
  return n;
}

function emptyStats(stage1On: boolean, stage2On: boolean): RunStats {
  return {
    frames: 0,
    bgpSegments: 0,
    messages: 0,
    byType: new Map(),
    sessions: 0,
    gaps: 0,
    bytesSkipped: 0,
    events: new Map(),
    errors: 0,
    warnings: 0,
    stage1On,
    stage2On,
    stage1Rejected: 0,
    stage2Rejected: 0,
    stage2Undecoded: 0,
    elemsRejected: 0,
  };
}

function strHash(s: string, h: number): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h;
}

/** Hash of one endpoint (FNV-1a over the address text, then the port). */
function endHash(ip: string, port: number): number {
  return Math.imul(strHash(ip, 2166136261) ^ port, 16777619);
}

interface Slot {
  worker: Worker;
  writer: BatchWriter;
  /** Connections given to this worker, and frame bytes sent to it (for placing new connections). */
  connections: number;
  bytes: number;
  outstanding: number;
  messages: number;
  stats: SerializedStats | null;
  done: Promise<void>;
}

export class WorkerPipeline {
  /** The reading thread's counts until finish(), then the totals over all workers. */
  readonly stats: RunStats;
  private readonly slots: Slot[] = [];
  private readonly linkOpts: LinkOptions;
  private nextId = 1;
  private failure: Error | null = null;
  private waiters: (() => void)[] = [];
  private syncs = new Map<number, { left: number; resolve: () => void }>();
  /** Connection (its two endpoints) → worker. */
  private readonly owner = new Map<string, number>();

  constructor(
    n: number,
    config: WorkerConfig,
    private readonly out: Output,
    private readonly stage1: Stage1Filter | null,
    stage2On: boolean,
  ) {
    this.stats = emptyStats(stage1 !== null, stage2On);
    this.linkOpts = { ports: new Set(config.ports) };
    const r = config.reassembly;
    const share: WorkerConfig = {
      ...config,
      reassembly: {
        maxBufferedPerFlow: r.maxBufferedPerFlow,
        maxBufferedTotal: Math.max(1, Math.ceil(r.maxBufferedTotal / n)),
        maxConnections: Math.max(1, Math.ceil(r.maxConnections / n)),
      },
    };
    for (let i = 0; i < n; i++) {
      // Each worker is a V8 isolate with its own heap (about 50 MB RSS each); a modest young generation keeps
      // that down (measured: no slower than larger ones, 20 MB less RSS than the default).
      const worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: share, resourceLimits: { maxYoungGenerationSizeMb: 16 } });
      const slot: Slot = { worker, writer: new BatchWriter(), connections: 0, bytes: 0, outstanding: 0, messages: 0, stats: null, done: Promise.resolve() };
      slot.done = new Promise<void>((resolve) => {
        worker.on('message', (m: FromWorker) => this.onMessage(slot, m, resolve));
        worker.on('error', (e) => this.fail(e));
        worker.on('exit', (code) => {
          if (slot.stats === null) this.fail(new Error(`worker thread ${i} exited (code ${code}) before the end of the input`));
          resolve();
        });
      });
      this.slots.push(slot);
    }
  }

  /** Messages decoded so far (as the workers last reported). */
  get messages(): number {
    let n = 0;
    for (const s of this.slots) n += s.messages;
    return n;
  }

  /** Start of a new input file: every worker learns it before the file's first frame. */
  beginFile(name: string): void {
    this.flushAll();
    this.post({ t: 'file', name });
  }

  frame(f: Frame): void {
    this.stats.frames++;
    const s1 = this.stage1;
    if (s1 !== null && !s1.frame(f)) {
      this.stats.stage1Rejected++;
      return;
    }
    const r = decodeFrame(f, this.linkOpts);
    if (r === null) return;
    const slots = this.slots;
    let k = 0;
    if ('code' in r) {
      const n = r as LinkNotice;
      if (n.srcIp !== null && n.dstIp !== null) k = this.pick(n.srcIp, n.srcPort ?? 0, n.dstIp, n.dstPort ?? 0);
    } else {
      const s = r as Segment;
      k = this.pick(s.srcIp, s.srcPort, s.dstIp, s.dstPort);
    }
    const slot = slots[k]!;
    slot.bytes += f.data.length;
    slot.writer.add(f);
    if (slot.writer.bytes >= BATCH_BYTES) this.send(slot);
  }

  /**
   * The gate of the reader (kafka/gate.ts): null when every worker has room for more, else a promise that
   * resolves when one has answered (rejects when a worker failed).
   */
  ready(): Promise<void> | null {
    if (this.failure !== null) return Promise.reject(this.failure);
    if (!this.slots.some((s) => s.outstanding >= MAX_OUTSTANDING)) return null;
    return new Promise<void>((resolve) => this.waiters.push(resolve)).then(() => {
      if (this.failure !== null) throw this.failure;
    });
  }

  /** Hand every frame read so far to the workers and wait until all their output is written. */
  async sync(): Promise<void> {
    this.flushAll();
    const id = this.nextId++;
    const done = new Promise<void>((resolve) => this.syncs.set(id, { left: this.slots.length, resolve }));
    this.post({ t: 'sync', id });
    await Promise.race([done, ...this.slots.map((s) => s.done)]);
    if (this.failure !== null) throw this.failure;
  }

  /** End of all input: the workers flush their reassembly and stop; stats become the totals. */
  async finish(): Promise<void> {
    this.flushAll();
    this.post({ t: 'end' });
    await Promise.all(this.slots.map((s) => s.done));
    if (this.failure !== null) throw this.failure;
    const t = this.stats;
    t.messages = 0;
    for (const s of this.slots) {
      const w = s.stats!;
      t.bgpSegments += w.bgpSegments;
      t.messages += w.messages;
      t.sessions += w.sessions;
      t.gaps += w.gaps;
      t.bytesSkipped += w.bytesSkipped;
      t.errors += w.errors;
      t.warnings += w.warnings;
      t.stage1Rejected += w.stage1Rejected;
      t.stage2Rejected += w.stage2Rejected;
      t.stage2Undecoded += w.stage2Undecoded;
      t.elemsRejected += w.elemsRejected;
      for (const [k, v] of w.byType) t.byType.set(k, (t.byType.get(k) ?? 0) + v);
      for (const [k, v] of w.events) t.events.set(k, (t.events.get(k) ?? 0) + v);
    }
  }

  /** Stop the workers at once (after an error). */
  async terminate(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private pick(ipA: string, portA: number, ipB: string, portB: number): number {
    const n = this.slots.length;
    if (n === 1) return 0;
    const a = `${ipA} ${portA}`;
    const b = `${ipB} ${portB}`;
    const key = a < b ? `${a}|${b}` : `${b}|${a}`;
    const known = this.owner.get(key);
    if (known !== undefined) return known;
    if (this.owner.size < MAX_TRACKED) {
      let best = 0;
      for (let i = 1; i < n; i++) {
        const s = this.slots[i]!;
        const t = this.slots[best]!;
        if (s.connections < t.connections || (s.connections === t.connections && s.bytes < t.bytes)) best = i;
      }
      this.slots[best]!.connections++;
      this.owner.set(key, best);
      return best;
    }
    // XOR of the two endpoint hashes: the same for both directions.
    let h = endHash(ipA, portA) ^ endHash(ipB, portB);
    h ^= h >>> 16;
    h = Math.imul(h, 0x45d9f3b);
    h ^= h >>> 16;
    return (h >>> 0) % n;
  }

  private post(m: ToWorker): void {
    for (const s of this.slots) s.worker.postMessage(m);
  }

  private send(slot: Slot): void {
    const b = slot.writer.take(this.nextId++);
    slot.outstanding++;
    const m: ToWorker = { t: 'frames', ...b };
    slot.worker.postMessage(m, [b.buf]);
  }

  private flushAll(): void {
    for (const s of this.slots) if (!s.writer.empty) this.send(s);
  }

  private onMessage(slot: Slot, m: FromWorker, exited: () => void): void {
    if (m.bytes !== null) for (const b of m.bytes) this.out.writeBytes(b);
    switch (m.t) {
      case 'out':
        slot.writer.recycle(m.buf);
        slot.messages = m.messages;
        this.stats.messages = this.messages; // for the progress line; finish() replaces it with the total
        slot.outstanding--;
        if (slot.outstanding < MAX_OUTSTANDING) this.wake();
        break;
      case 'synced': {
        const w = this.syncs.get(m.id);
        if (w !== undefined && --w.left === 0) {
          this.syncs.delete(m.id);
          w.resolve();
        }
        break;
      }
      case 'stats':
        slot.stats = m.stats;
        slot.messages = m.stats.messages;
        exited();
        break;
    }
  }

  private wake(): void {
    const ws = this.waiters;
    if (ws.length === 0) return;
    this.waiters = [];
    for (const w of ws) w();
  }

  private fail(e: Error): void {
    if (this.failure === null) this.failure = e;
    this.wake();
    for (const [, w] of this.syncs) w.resolve();
    this.syncs.clear();
  }
}
