// Framed messages on their way from the reading thread to a worker (pool.ts → worker.ts): packed one after
// another into a buffer of the reading thread's own, then copied in one piece into a chunk buffer of shared
// memory (a SharedArrayBuffer, which postMessage shares rather than copies) sent with the chunk's head; the
// worker copies it out in one piece again and hands the chunk buffer back with its answer, to be filled again.
//
//   per item:  ctx u32 | frameNo u32 | sec f64 | nsec u32 | len u32 | len bytes (the whole BGP message)
//
// `ctx` indexes the chunk's table of MessageContexts (pipeline.ts; structured-cloned with the chunk's head:
// each chunk carries the contexts its messages use, so a worker keeps no state between chunks). Event records
// are rare and go as objects in the chunk's `events` list; an item with ctx EVENT and frameNo k stands for
// events[k], so events keep their place among the messages.
//
// Why shared buffers and two copies rather than transferring the buffer (postMessage's transfer list), which
// copies nothing: transferring an ArrayBuffer detaches it, and the first detached ArrayBuffer in an isolate
// invalidates V8's ArrayBufferDetaching protector for good. From then on the optimised code of that isolate
// checks for a detached buffer at every typed-array and DataView access — and bgpcap's decoders and writers
// are little else. With transfers, both threads' typed-array code ran 15-30 % slower than in a one-thread run
// (perf, bird x3, -f jsonl --workers 2 with every chunk sent to the worker: the worker alone took 5.8 CPU s
// against 5.0 s for the whole one-thread run; ByteWriter#lit 2x, the row code +28 %). Copying 128 KiB into
// and out of shared memory costs ~10 µs a chunk. `node --trace-protector-invalidation` shows the protector
// intact in every thread (test/workers/workers.test.ts checks it).

import type { MessageContext } from '../pipeline.js';
import type { EventRecord } from '../record.js';
import type { Timestamp } from '../types.js';

const HEAD = 4 + 4 + 8 + 4 + 4;
/** Bytes of an item's head (chunk sizes count them). */
export const ITEM_HEAD = HEAD;

/** ctx value of an item that stands for an event record. */
const EVENT = 0xffffffff;

/**
 * Bytes of messages in a chunk before it is handed over: large enough that the per-chunk costs (a message
 * each way, the context table) vanish, small enough that both workers get work early and that the output of a
 * chunk (jsonl: about 10 times its input) fits in a worker's slabs while it waits for its turn (slabs.ts).
 */
export const CHUNK_BYTES = 128 * 1024;

/** Most bytes a chunk can hold when it is handed over at `chunkBytes`: one more item of the largest BGP message. */
export function chunkCapacity(chunkBytes: number): number {
  return chunkBytes + HEAD + 65535; // RFC 8654: messages up to 65535 bytes
}

/** What crosses postMessage for a chunk (a structured clone); its bytes are in a shared chunk buffer. */
export interface ChunkHead {
  /** Position in the output: chunks are written in `seq` order. */
  seq: number;
  len: number;
  ctxs: MessageContext[];
  events: EventRecord[];
}

/** A chunk ready to be read: its head, and its bytes at the start of `buf`. */
export interface Chunk extends ChunkHead {
  buf: ArrayBuffer;
}

export class ChunkWriter {
  private buf: ArrayBuffer;
  private u8: Uint8Array;
  private dv: DataView;
  private len = 0;
  private ctxs: MessageContext[] = [];
  /** Context → its index in `ctxs`, for this chunk. */
  private ctxIndex = new Map<MessageContext, number>();
  private events: EventRecord[] = [];
  /** The context of the last message and its index (null: none yet in this chunk). */
  private lastCtx: MessageContext | null = null;
  private lastIndex = 0;

  constructor(size = chunkCapacity(CHUNK_BYTES)) {
    this.buf = new ArrayBuffer(size);
    this.u8 = new Uint8Array(this.buf);
    this.dv = new DataView(this.buf);
  }

  /** Bytes in the chunk so far. */
  get bytes(): number {
    return this.len;
  }

  get empty(): boolean {
    return this.len === 0;
  }

  message(ctx: MessageContext, bytes: Uint8Array, ts: Timestamp, frameNo: number): void {
    // Consecutive messages are mostly of one direction (a segment holds several): the map only on a change.
    let k = this.lastIndex;
    if (ctx !== this.lastCtx) {
      const known = this.ctxIndex.get(ctx);
      k = known ?? this.ctxs.push(ctx) - 1;
      if (known === undefined) this.ctxIndex.set(ctx, k);
      this.lastCtx = ctx;
      this.lastIndex = k;
    }
    this.item(k, frameNo, ts, bytes);
  }

  event(rec: EventRecord): void {
    this.item(EVENT, this.events.push(rec) - 1, rec.ts, null);
  }

  private item(ctx: number, frameNo: number, ts: Timestamp, bytes: Uint8Array | null): void {
    const n = bytes === null ? 0 : bytes.length;
    if (this.len + HEAD + n > this.buf.byteLength) this.grow(this.len + HEAD + n);
    const dv = this.dv;
    const o = this.len;
    dv.setUint32(o, ctx, true);
    dv.setUint32(o + 4, frameNo, true);
    dv.setFloat64(o + 8, ts.sec, true);
    dv.setUint32(o + 16, ts.nsec, true);
    dv.setUint32(o + 20, n, true);
    if (bytes !== null) this.u8.set(bytes, o + HEAD);
    this.len = o + HEAD + n;
  }

  /**
   * The chunk so far: its bytes copied to the start of `to` (a shared chunk buffer, at least as long), its head
   * returned; the writer starts a new chunk in its own buffer.
   */
  take(seq: number, to: Uint8Array): ChunkHead {
    if (to.length < this.len) throw new Error(`chunk ${seq}: ${this.len} bytes do not fit a ${to.length}-byte chunk buffer`);
    to.set(this.u8.subarray(0, this.len));
    const c: ChunkHead = { seq, len: this.len, ctxs: this.ctxs, events: this.events };
    this.len = 0;
    this.ctxs = [];
    this.ctxIndex.clear();
    this.lastCtx = null;
    this.events = [];
    return c;
  }

  private grow(need: number): void {
    // pool.ts hands a chunk over as soon as it reaches its chunk size, so with the capacity it gives (a full
    // chunk plus the largest message) the buffer never fills; a writer used otherwise grows here.
    const next = new ArrayBuffer(Math.max(need, this.buf.byteLength * 2));
    new Uint8Array(next).set(this.u8.subarray(0, this.len));
    this.buf = next;
    this.u8 = new Uint8Array(next);
    this.dv = new DataView(next);
  }
}

/** Worker side: a chunk's bytes copied out of its shared buffer into one of this thread's own, read from there. */
export class ChunkReceiver {
  private buf = new ArrayBuffer(0);
  private u8 = new Uint8Array(0);

  /** The chunk `head` whose bytes are at the start of `shared`; valid until the next call. */
  receive(head: ChunkHead, shared: Uint8Array): Chunk {
    if (head.len > shared.length) throw new Error(`chunk ${head.seq}: ${head.len} bytes in a ${shared.length}-byte chunk buffer`);
    if (head.len > this.buf.byteLength) {
      this.buf = new ArrayBuffer(Math.max(head.len, shared.length));
      this.u8 = new Uint8Array(this.buf);
    }
    this.u8.set(shared.subarray(0, head.len));
    return { seq: head.seq, len: head.len, ctxs: head.ctxs, events: head.events, buf: this.buf };
  }
}

export interface ChunkHandler {
  /** A message: a view into the chunk (valid until the chunk is handed back), and a fresh timestamp. */
  message(ctx: MessageContext, bytes: Uint8Array, ts: Timestamp, frameNo: number): void;
  event(rec: EventRecord): void;
}

/** Call the handler for every item of a chunk, in order. Throws when the chunk is not well formed. */
export function readChunk(c: Chunk, h: ChunkHandler): void {
  const dv = new DataView(c.buf, 0, c.len);
  let o = 0;
  while (o < c.len) {
    if (o + HEAD > c.len) throw new Error(`chunk ${c.seq}: item head cut at byte ${o}`);
    const k = dv.getUint32(o, true);
    const frameNo = dv.getUint32(o + 4, true);
    const n = dv.getUint32(o + 20, true);
    if (o + HEAD + n > c.len) throw new Error(`chunk ${c.seq}: item cut at byte ${o}`);
    if (k === EVENT) {
      const ev = c.events[frameNo];
      if (ev === undefined) throw new Error(`chunk ${c.seq}: no event ${frameNo}`);
      h.event(ev);
    } else {
      const ctx = c.ctxs[k];
      if (ctx === undefined) throw new Error(`chunk ${c.seq}: no context ${k}`);
      // A fresh timestamp object per message: records keep it.
      // (The constructor rather than subarray(): cheaper, no species lookup.)
      h.message(ctx, new Uint8Array(c.buf, o + HEAD, n), { sec: dv.getFloat64(o + 8, true), nsec: dv.getUint32(o + 16, true) }, frameNo);
    }
    o += HEAD + n;
  }
}
