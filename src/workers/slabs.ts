// A worker's output, on its way back to the reading thread (worker.ts → pool.ts): formatted bytes are written
// into slabs of one SharedArrayBuffer per worker (the jsonl and line formatters fill a buffer of the worker's
// own, copied into the slab once: SlabWriter.claim), and the reading thread writes each slab out straight from
// the shared memory and marks it free again. No buffer is allocated or transferred per answer — receiving
// hundreds of megabytes of freshly allocated output buffers made the reading thread's heap collect again and
// again (external memory pressure) — and the memory in flight is fixed: SLABS × SLAB_BYTES per worker.
//
// A slab is the worker's from the moment it starts writing into it until the reading thread has written it
// out (state 1); then it is free (state 0). A worker takes the slabs in turn, and the reading thread frees a
// worker's slabs in the order it posted them, so the next slab in turn is always the first to come free; a
// worker that finds it still taken waits (Atomics.wait) — that is the back-pressure on output. It cannot wait
// for ever: the reading thread writes the output of the oldest unfinished chunk as soon as it arrives, and
// that chunk's worker holds no slab of a later chunk (each worker works through its chunks in order).

/** Bytes per slab (default). A record longer than this (not seen in practice) goes back as a copy of its own. */
export const SLAB_BYTES = 512 * 1024;
/** Slabs per worker (default). */
export const SLABS = 8;

const FREE = 0;
const TAKEN = 1;

/** The shared memory of one worker's slabs: given to the worker with its start data. */
export interface SlabShare {
  data: SharedArrayBuffer;
  /** One Int32 per slab: FREE or TAKEN. */
  state: SharedArrayBuffer;
  slabBytes: number;
  slabs: number;
}

export function newSlabShare(slabs = SLABS, slabBytes = SLAB_BYTES): SlabShare {
  return { data: new SharedArrayBuffer(slabs * slabBytes), state: new SharedArrayBuffer(4 * slabs), slabBytes, slabs };
}

/** A slab that holds output: its number and how many bytes. */
export interface Filled {
  slab: number;
  len: number;
}

/** Worker side: output bytes in, filled slabs out (through `post`). */
export class SlabWriter {
  private readonly buf: Buffer;
  /** What claim() hands out: see there. */
  private readonly scratch: Buffer;
  private readonly state: Int32Array;
  private readonly size: number;
  private readonly count: number;
  private cur = -1;
  private base = 0;
  private used = 0;
  private next = 0;

  constructor(
    share: SlabShare,
    /** A slab is full: hand it to the reading thread. */
    private readonly post: (f: Filled) => void,
    /** A piece of output too long for a slab: hand a copy of it over. */
    private readonly postCopy: (bytes: Uint8Array) => void,
  ) {
    this.buf = Buffer.from(share.data);
    this.state = new Int32Array(share.state);
    this.size = share.slabBytes;
    this.scratch = Buffer.allocUnsafeSlow(share.slabBytes);
    this.count = share.slabs;
  }

  /** Text as UTF-8. */
  text(s: string): void {
    const max = 3 * s.length;
    if (max > this.size) {
      this.bytes(Buffer.from(s, 'utf8'));
      return;
    }
    if (this.cur < 0 || this.used + max > this.size) this.turn();
    this.used += this.buf.write(s, this.base + this.used, 'utf8');
  }

  bytes(b: Uint8Array): void {
    const n = b.length;
    if (n === 0) return;
    if (n > this.size) {
      this.copy(b);
      return;
    }
    if (this.cur < 0 || this.used + n > this.size) this.turn();
    this.buf.set(b, this.base + this.used);
    this.used += n;
  }

  /**
   * For a formatter's byte buffer: a Buffer to fill from its start, standing for the current slab (taken if
   * there is none). What was written is told with fill() before take(), or the slab is handed over with swap().
   * The Buffer is this thread's own memory, copied into the slab by fill() and swap(): V8 copies small
   * pieces into shared memory about four times slower (TypedArray#set of a key or a memoised run of fields:
   * 60 instead of 15 ns for 150 bytes), and the formatters make many such copies per record; one copy of the
   * whole slab costs 43 µs per MB.
   */
  claim(): Buffer {
    if (this.cur < 0) this.turn();
    return this.scratch;
  }

  /** Bytes written into the claimed slab. */
  fill(n: number): void {
    this.scratch.copy(this.buf, this.base, 0, n);
    this.used = n;
  }

  /** Hand the claimed slab over with `n` bytes written into it, and claim the next one. */
  swap(n: number): Buffer {
    this.fill(n);
    this.turn();
    return this.claim();
  }

  /** Bytes handed over as a copy of their own, after everything handed over before. */
  copy(b: Uint8Array): void {
    this.flushTo(this.post);
    this.postCopy(new Uint8Array(b)); // a copy (Buffer#slice would be a view)
  }

  /** The slab being filled, when it holds anything (it then changes hands: the writer takes another next time). */
  take(): Filled | null {
    if (this.cur < 0 || this.used === 0) return null;
    const f: Filled = { slab: this.cur, len: this.used };
    this.cur = -1;
    this.used = 0;
    return f;
  }

  private flushTo(post: (f: Filled) => void): void {
    const f = this.take();
    if (f !== null) post(f);
  }

  /** Hand over the current slab (if it holds anything) and take the next one, waiting until it is free. */
  private turn(): void {
    this.flushTo(this.post);
    if (this.cur >= 0) return; // an empty slab still held: keep filling it
    const i = this.next;
    const st = this.state;
    while (Atomics.load(st, i) !== FREE) Atomics.wait(st, i, TAKEN);
    Atomics.store(st, i, TAKEN);
    this.cur = i;
    this.base = i * this.size;
    this.used = 0;
    this.next = (i + 1) % this.count;
  }
}

/** Reading-thread side: the bytes of a filled slab, and giving it back. */
export class SlabReader {
  private readonly data: SharedArrayBuffer;
  private readonly state: Int32Array;
  private readonly size: number;

  constructor(share: SlabShare) {
    this.data = share.data;
    this.state = new Int32Array(share.state);
    this.size = share.slabBytes;
  }

  /** The bytes of a filled slab (a view of the shared memory: valid until free()). */
  view(f: Filled): Uint8Array {
    return new Uint8Array(this.data, f.slab * this.size, f.len);
  }

  free(f: Filled): void {
    Atomics.store(this.state, f.slab, FREE);
    Atomics.notify(this.state, f.slab);
  }
}

/**
 * The reading thread's own slabs, for the chunks it works on itself (pool.ts): the same interface as
 * SlabWriter, over plain buffers. Its output may have to wait for the chunks before it, so a slab is handed
 * over whole (`post`) and a new one taken; slabs come back with recycle() once written out. Nothing waits
 * here: how many are out at once is bounded by the chunks in flight.
 */
export class LocalSlabs {
  private cur: Buffer | null = null;
  private used = 0;
  private readonly spare: Buffer[] = [];

  constructor(
    private readonly size: number,
    /** A slab holds output: `len` bytes at the start of `buf`. */
    private readonly post: (buf: Buffer, len: number) => void,
    /** A piece of output too long for a slab, copied. */
    private readonly postCopy: (bytes: Uint8Array) => void,
    /** Spare slabs kept for reuse. */
    private readonly keep = 8,
  ) {}

  /** A slab that was written out, to fill again. */
  recycle(b: Buffer): void {
    if (b.length === this.size && this.spare.length < this.keep) this.spare.push(b);
  }

  text(s: string): void {
    const max = 3 * s.length;
    if (max > this.size) {
      this.copy(Buffer.from(s, 'utf8'));
      return;
    }
    if (this.cur === null || this.used + max > this.size) this.turn();
    this.used += this.cur!.write(s, this.used, 'utf8');
  }

  claim(): Buffer {
    if (this.cur === null) this.turn();
    return this.cur!;
  }

  fill(n: number): void {
    this.used = n;
  }

  swap(n: number): Buffer {
    this.used = n;
    this.turn();
    return this.cur!;
  }

  copy(b: Uint8Array): void {
    this.flush();
    this.postCopy(new Uint8Array(b));
  }

  /** Hand over what the current slab holds (if anything); the next write takes a slab again. */
  flush(): void {
    if (this.cur === null) return;
    if (this.used === 0) return;
    const b = this.cur;
    const n = this.used;
    this.cur = null;
    this.used = 0;
    this.post(b, n);
  }

  private turn(): void {
    this.flush();
    if (this.cur !== null) return; // an empty slab still held: keep filling it
    this.cur = this.spare.pop() ?? Buffer.allocUnsafeSlow(this.size);
    this.used = 0;
  }
}
