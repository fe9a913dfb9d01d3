// Where sink text goes: stdout, a file, or any Writable. Records are batched into large writes (one write per
// 64 KiB by default, or one per record in live mode), and a reader that goes away (`bgpcap ... | head`) ends the
// output quietly instead of raising.
//
// Two ways of writing, chosen by the target:
//   - a file descriptor (process.stdout / process.stderr, which carry `fd`, a number, or Output.toFile): blocking
//     writes with fs.writeSync. Memory stays bounded without help from the producer: when the reader is slow
//     the pipe fills and bgpcap waits, as bgpdump or jq would. Node puts a stdout pipe in non-blocking mode;
//     Output sets it blocking again (`blocking`), and where that cannot be done EAGAIN is answered by a short
//     sleep and a retry (the habit of pino's sonic-boom in sync mode).
//   - any other Writable: stream.write, with `needsDrain` / `drain()` for a producer that wants to honour
//     backpressure, and `flush()` resolving once the stream has taken the bytes.
//
// EPIPE (the reader closed the pipe; Node ignores SIGPIPE so a write fails with EPIPE) marks the output closed,
// drops every later write, and calls `onEpipe` once. The CLI passes `onEpipe: () => process.exit(0)`: stopping
// early through `| head` is a normal way to use a filter, so the exit status is 0 and nothing is printed.

import { closeSync, openSync, writeSync } from 'node:fs';

/**
 * Put the pipe or socket behind a stdio stream back in blocking mode (libuv's uv_stream_set_blocking, which Node
 * exposes on the stream's handle and uses itself for pipes on Windows): Node made it non-blocking when it
 * opened process.stdout, and a full pipe then answers every write with EAGAIN, which writeBufFd could only
 * meet with a sleep — idle time while a fast reader (`| cat`, `| gzip`) had long made room. Blocking, the write
 * waits in the kernel just until there is room: packed jsonl into `| cat > /dev/null` took 1.5–1.7 s against
 * 0.75 s into a file. A handle without the method (a file, a TTY, another Node) is left as it is.
 */
function blocking(target: Target): void {
  const handle = (target as { _handle?: { setBlocking?: (on: boolean) => number } })._handle;
  if (typeof handle?.setBlocking === 'function') handle.setBlocking(true);
}
import { ByteWriter } from './bytes.js';

export interface OutputOptions {
  /**
   * Write every record as soon as it is complete (live capture: lines appear when the message is seen).
   * Default false: batch up to `batchSize`.
   */
  flushEachRecord?: boolean;
  /** Characters collected before a write. Default 65536. */
  batchSize?: number;
  /** Called once when the reader went away (EPIPE). Later writes are dropped. Default: none. */
  onEpipe?: () => void;
  /**
   * Called once with any other write error (disk full, I/O error); the output is closed afterwards. Default:
   * none, and end() rejects with the error.
   */
  onError?: (err: Error) => void;
  /**
   * Use blocking fd writes when the target has a numeric `fd` (process.stdout). Default true; false forces
   * stream writes.
   */
  sync?: boolean;
  /** end() closes the target (files). Default: true for Output.toFile, false otherwise (stdout stays open). */
  close?: boolean;
}

export const DEFAULT_BATCH_SIZE = 65536;


type Target = NodeJS.WritableStream & { fd?: unknown };

const SLEEP_CELL = new Int32Array(new SharedArrayBuffer(4));

function sleepMs(ms: number): void {
  Atomics.wait(SLEEP_CELL, 0, 0, ms);
}

function errCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null ? ((err as { code?: unknown }).code as string | undefined) : undefined;
}

export class Output {
  /** What was written since the last push, as UTF-8 bytes (formatters write here directly: writer / commit). */
  private readonly w = new ByteWriter(2 * DEFAULT_BATCH_SIZE);
  private readonly batch: number;
  private readonly eachRecord: boolean;
  private readonly fd: number | null;
  private readonly stream: Target | null;
  private readonly closeOnEnd: boolean;
  private isClosed = false;
  private ended = false;
  private failure: Error | null = null;
  // Stream mode bookkeeping.
  private inFlight = 0;
  private flushWaiters: (() => void)[] = [];
  private drainWaiters: (() => void)[] = [];
  private waitingDrain = false;

  constructor(
    target: Target | number,
    private readonly opts: OutputOptions = {},
  ) {
    this.batch = opts.batchSize ?? DEFAULT_BATCH_SIZE;
    this.eachRecord = opts.flushEachRecord ?? false;
    this.closeOnEnd = opts.close ?? false;
    if (typeof target === 'number') {
      this.fd = target;
      this.stream = null;
    } else if (opts.sync !== false && typeof target.fd === 'number') {
      this.fd = target.fd;
      this.stream = null;
      // Batch writes only: live output (a write per record) keeps Node's mode, in which bench/live.ts measured
      // the capture-to-stdout delay (blocking, 3 of 6 runs went over 50 ms at p99 in a slow hour; 0 of 4 without).
      if (!this.eachRecord) blocking(target);
    } else {
      this.fd = null;
      this.stream = target;
      target.on('error', (err: Error) => this.onStreamError(err));
      target.on('drain', () => this.onDrain());
    }
  }

  /** An output that truncates or creates the file. Throws the fs error (ENOENT, EACCES, ...) at once. */
  static toFile(path: string, opts: OutputOptions = {}): Output {
    return new Output(openSync(path, 'w'), { close: true, ...opts });
  }

  /** True once the reader went away or a write failed: later writes are dropped. */
  get closed(): boolean {
    return this.isClosed;
  }

  /** Stream mode: the target asked the producer to wait (call drain()). Always false in fd mode. */
  get needsDrain(): boolean {
    return this.waitingDrain && !this.isClosed;
  }

  /** Resolves when the target can take more (at once when it can already, or when the output is closed). */
  drain(): Promise<void> {
    if (!this.needsDrain) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  /** Text of one whole record (one or more lines). */
  write(text: string): void {
    if (this.isClosed) return;
    this.w.str(text);
    this.commit();
  }

  /**
   * The buffer to format a record into (Formatter.into); call commit() after each whole record. Nothing may
   * be written into it after the output closed (check `closed` first).
   */
  get writer(): ByteWriter {
    return this.w;
  }

  /** A whole record was written into `writer`: push the batch when it is full (or every record, live). */
  commit(): void {
    if (this.isClosed) this.w.reset();
    else if (this.eachRecord || this.w.pos >= this.batch) this.push();
  }

  /**
   * Text already encoded as UTF-8 (whole records, e.g. formatted by a worker thread, src/workers/): written
   * after everything collected so far, the bytes unchanged.
   */
  writeBytes(b: Uint8Array): void {
    if (this.isClosed || b.length === 0) return;
    this.push();
    if (this.fd !== null) this.writeBufFd(this.fd, b);
    else {
      this.inFlight++;
      let ok = true;
      try {
        ok = this.stream!.write(b, () => this.onWritten());
      } catch (err) {
        this.onStreamError(err as Error);
        return;
      }
      if (!ok) this.waitingDrain = true;
    }
  }

  /** Hand everything collected so far to the target; resolves when the target has taken it. */
  flush(): Promise<void> {
    this.push();
    if (this.stream === null || this.inFlight === 0 || this.isClosed) return Promise.resolve();
    return new Promise((resolve) => this.flushWaiters.push(resolve));
  }

  /** Flush, close the target when it is a file, and reject with a write error that nobody handled. */
  async end(): Promise<void> {
    if (this.ended) return;
    await this.flush();
    this.ended = true;
    if (this.closeOnEnd) {
      if (this.fd !== null) {
        try {
          closeSync(this.fd);
        } catch (err) {
          this.fail(err as Error);
        }
      } else if (this.stream !== null && !this.isClosed) {
        const s = this.stream;
        await new Promise<void>((resolve) => {
          s.end(() => resolve());
        });
      }
    }
    if (this.failure !== null && this.opts.onError === undefined) throw this.failure;
  }

  private push(): void {
    if (this.w.pos === 0 || this.isClosed) return;
    // fd mode writes synchronously, so the buffer is free again at once; a stream keeps what it is given until
    // it has written it, so it gets a copy.
    if (this.fd !== null) this.writeBufFd(this.fd, this.w.bytes());
    else this.writeStream(this.stream!, Buffer.from(this.w.bytes()));
    this.w.reset();
  }

  private writeBufFd(fd: number, buf: Uint8Array): void {
    let off = 0;
    let wait = 0.05;
    while (off < buf.length) {
      try {
        off += writeSync(fd, buf, off, buf.length - off);
        wait = 0.05;
      } catch (err) {
        const code = errCode(err);
        if (code === 'EAGAIN' || code === 'EWOULDBLOCK') {
          // Non-blocking pipe full: back off (50 µs doubling to 10 ms) until the reader makes room.
          sleepMs(wait);
          wait = Math.min(wait * 2, 10);
          continue;
        }
        if (code === 'EPIPE') this.gone();
        else this.fail(err as Error);
        return;
      }
    }
  }

  private writeStream(s: Target, bytes: Buffer): void {
    this.inFlight++;
    let ok = true;
    try {
      ok = s.write(bytes, () => this.onWritten());
    } catch (err) {
      // A destroyed stream may throw synchronously on some Node versions.
      this.onStreamError(err as Error);
      return;
    }
    if (!ok) this.waitingDrain = true;
  }

  private onWritten(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    if (this.inFlight === 0) this.release('flush');
  }

  private onDrain(): void {
    this.waitingDrain = false;
    this.release('drain');
  }

  private onStreamError(err: Error): void {
    const code = errCode(err);
    if (code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED' || code === 'ECONNRESET') this.gone();
    else this.fail(err);
  }

  private gone(): void {
    if (this.isClosed) return;
    this.close();
    this.opts.onEpipe?.();
  }

  private fail(err: Error): void {
    if (this.isClosed) return;
    this.failure = err;
    this.close();
    this.opts.onError?.(err);
  }

  private close(): void {
    this.isClosed = true;
    this.w.reset();
    this.inFlight = 0;
    this.release('flush');
    this.release('drain');
  }

  private release(which: 'flush' | 'drain'): void {
    const list = which === 'flush' ? this.flushWaiters : this.drainWaiters;
    if (list.length === 0) return;
    if (which === 'flush') this.flushWaiters = [];
    else this.drainWaiters = [];
    for (const f of list) f();
  }
}
