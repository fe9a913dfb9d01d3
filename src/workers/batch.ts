// Framed messages on their way from the reading thread to a worker (pool.ts → worker.ts): packed one after
// another into one buffer that is transferred, not copied, with postMessage, and comes back with the answer to
// be filled again.
//
//   per item:  ctx u32 | frameNo u32 | sec f64 | nsec u32 | len u32 | len bytes (the whole BGP message)
//
// `ctx` indexes the chunk's table of MessageContexts (pipeline.ts; structured-cloned with the chunk: each
// chunk carries the contexts its messages use, so a worker keeps no state between chunks). Event records are
// rare and go as objects in the chunk's `events` list; an item with ctx EVENT and frameNo k stands for
// events[k], so events keep their place among the messages.

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

/** Size of a chunk buffer: a full chunk plus the largest BGP message (RFC 8654: 65535 bytes) and its head. */
const BUFFER_BYTES = CHUNK_BYTES + 65536 + HEAD;

export interface Chunk {
  /** Position in the output: chunks are written in `seq` order. */
  seq: number;
  buf: ArrayBuffer;
  len: number;
  ctxs: MessageContext[];
  events: EventRecord[];
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
  /** Buffers given back by the workers, to fill again. */
  private readonly spare: ArrayBuffer[] = [];

  constructor() {
    this.buf = new ArrayBuffer(BUFFER_BYTES);
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

  /** A chunk buffer back from a worker. */
  recycle(buf: ArrayBuffer): void {
    if (buf.byteLength === BUFFER_BYTES && this.spare.length < 16) this.spare.push(buf);
  }

  message(ctx: MessageContext, bytes: Uint8Array, ts: Timestamp, frameNo: number): void {
    let k = this.ctxIndex.get(ctx);
    if (k === undefined) {
      k = this.ctxs.push(ctx) - 1;
      this.ctxIndex.set(ctx, k);
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

  /** The chunk so far (its buffer changes hands: it is transferred); the writer starts a new one. */
  take(seq: number): Chunk {
    const c: Chunk = { seq, buf: this.buf, len: this.len, ctxs: this.ctxs, events: this.events };
    this.buf = this.spare.pop() ?? new ArrayBuffer(BUFFER_BYTES);
    this.u8 = new Uint8Array(this.buf);
    this.dv = new DataView(this.buf);
    this.len = 0;
    this.ctxs = [];
    this.ctxIndex.clear();
    this.events = [];
    return c;
  }

  private grow(need: number): void {
    // pool.ts hands a chunk over as soon as it reaches CHUNK_BYTES, so with it the buffer (a full chunk plus
    // the largest message) never fills; a writer used otherwise grows here, into a buffer that is not recycled
    // (recycle() takes BUFFER_BYTES only).
    const next = new ArrayBuffer(Math.max(need, this.buf.byteLength * 2));
    new Uint8Array(next).set(this.u8.subarray(0, this.len));
    this.buf = next;
    this.u8 = new Uint8Array(next);
    this.dv = new DataView(next);
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
  const u8 = new Uint8Array(c.buf, 0, c.len);
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
      h.message(ctx, u8.subarray(o + HEAD, o + HEAD + n), { sec: dv.getFloat64(o + 8, true), nsec: dv.getUint32(o + 16, true) }, frameNo);
    }
    o += HEAD + n;
  }
}
