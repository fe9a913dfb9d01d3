// Opening a capture: a file path, '-' for standard input, any byte stream, or a buffer in memory.
//
// Layers, outermost first: gzip (recognised by its 1f 8b magic, RFC 1952 §2.3.1, streamed through
// node:zlib) → pcap or pcapng (recognised by the first 4 bytes of the decompressed stream) → frames. The
// async part is per chunk only: a chunk is read, then parsed synchronously with one callback per frame.

import { open } from 'node:fs/promises';
import { constants as zc, createGunzip, gunzipSync } from 'node:zlib';
import { CaptureError } from './errors.js';
import type { CaptureFormat, CaptureParser, FrameHandler, ParserOptions } from './parser.js';
import { PcapParser, isPcapMagic } from './pcap.js';
import { PcapngParser, isPcapngMagic } from './pcapng.js';

export interface ReadOptions extends ParserOptions {
  /**
   * Progress: bytes read from the file or stream (compressed bytes for a gzip file) and the file size when
   * known (a regular file), else null. Called at most once per progressIntervalMs, once per chunk at most,
   * and once at the end.
   */
  onProgress?: ((bytesRead: number, totalBytes: number | null) => void) | undefined;
  /** Minimum time between two progress calls. Default 200 ms. */
  progressIntervalMs?: number | undefined;
  /** Bytes read from a file at a time. Default 1 MiB. */
  chunkBytes?: number | undefined;
  /**
   * Asked before each read of a file (after the first): null to go on, or a promise to wait for (a rejection
   * stops the reading). Backpressure for `read --workers` (workers/pool.ts ready()).
   */
  gate?: (() => Promise<void> | null) | undefined;
}

export interface ReadSummary {
  frames: number;
  /** Bytes of capture data parsed (after decompression). */
  bytes: number;
  format: CaptureFormat;
  compressed: boolean;
}

const DEFAULT_CHUNK = 1024 * 1024;

/** 'pcap' or 'pcapng' from the first 4 bytes of a (decompressed) capture, null when neither. */
export function detectFormat(first: Uint8Array): CaptureFormat | null {
  if (isPcapngMagic(first)) return 'pcapng';
  if (isPcapMagic(first)) return 'pcap';
  return null;
}

export function isGzip(first: Uint8Array): boolean {
  return first.length >= 2 && first[0] === 0x1f && first[1] === 0x8b;
}

export function createCaptureParser(format: CaptureFormat, onFrame: FrameHandler, options: ParserOptions = {}): CaptureParser {
  return format === 'pcap' ? new PcapParser(onFrame, options) : new PcapngParser(onFrame, options);
}

/**
 * Read a capture file ('-' = standard input), gzip-compressed or not, calling onFrame for every frame.
 * Frames are views valid only during the call. Rejects with CaptureError (file set) for a damaged or
 * truncated capture after delivering every frame before the damage; file system errors (ENOENT, ...) are
 * passed on unchanged.
 */
export async function readCapture(path: string, onFrame: FrameHandler, options: ReadOptions = {}): Promise<ReadSummary> {
  if (path === '-') return readCaptureStream(process.stdin, '-', onFrame, options);
  const fh = await open(path, 'r');
  try {
    const st = await fh.stat();
    const progress = new Progress(options, st.isFile() ? st.size : null);
    const size = options.chunkBytes ?? DEFAULT_CHUNK;
    // One buffer, reused for every read: the parser copies what it keeps (a record cut by the chunk end)
    // before push() returns, and frames are only valid during their callback anyway.
    const buf = new Uint8Array(Math.max(size, 2));
    let n = 0;
    // Two bytes decide gzip; a pipe may deliver less than asked, so insist until EOF.
    while (n < 2) {
      const r = await fh.read(buf, n, buf.length - n, null);
      if (r.bytesRead === 0) break;
      n += r.bytesRead;
    }
    progress.add(n);
    if (isGzip(buf.subarray(0, n))) {
      const first = buf.subarray(0, n);
      async function* chunks(): AsyncGenerator<Uint8Array> {
        yield first;
        for (;;) {
          const wait = options.gate === undefined ? null : options.gate();
          if (wait !== null) await wait;
          // zlib keeps a reference to its input until it has consumed it: fresh buffers here.
          const b = new Uint8Array(size);
          const r = await fh.read(b, 0, size, null);
          if (r.bytesRead === 0) return;
          progress.add(r.bytesRead);
          yield b.subarray(0, r.bytesRead);
        }
      }
      return await gunzipInto(chunks(), new CaptureSink(path, onFrame, options), progress);
    }
    const sink = new CaptureSink(path, onFrame, options);
    const gate = options.gate;
    // Two buffers: the next chunk is read while this one is parsed, so the thread does not wait for each read
    // (~70 µs a read of 64 KiB, ~350 µs of 1 MiB from the page cache: `--workers`' reader, reading 64 KiB at a
    // time, sat idle 0.13 s of 2.4 on the bird corpus). The gate still decides before each read: when it says
    // wait, this chunk is parsed first and the read starts after the wait, as before.
    let other = new Uint8Array(buf.length);
    let cur = buf;
    while (n > 0) {
      const wait = gate === undefined ? null : gate();
      let next = wait === null ? fh.read(other, 0, other.length, null) : null;
      try {
        sink.write(cur.subarray(0, n));
      } catch (e) {
        // Nothing may stay pending on the file handle that the finally below closes.
        if (next !== null) await next.catch(() => undefined);
        if (wait !== null) wait.catch(() => undefined);
        throw e;
      }
      if (next === null) {
        await wait;
        next = fh.read(other, 0, other.length, null);
      }
      n = (await next).bytesRead;
      progress.add(n);
      const t = cur;
      cur = other;
      other = t;
    }
    progress.done();
    return sink.finish(false);
  } finally {
    await fh.close();
  }
}

/**
 * Read a capture from a byte stream (e.g. process.stdin, a socket, a child's stdout); `name` goes into
 * CaptureError.file. Same behaviour as readCapture. Chunks are not retained after they are parsed.
 */
export async function readCaptureStream(
  input: AsyncIterable<Uint8Array>,
  name: string | null,
  onFrame: FrameHandler,
  options: ReadOptions = {},
): Promise<ReadSummary> {
  const it = input[Symbol.asyncIterator]();
  const progress = new Progress(options, null);
  const head: Uint8Array[] = [];
  let headLen = 0;
  while (headLen < 2) {
    const r = await it.next();
    if (r.done === true) break;
    head.push(r.value);
    headLen += r.value.length;
    progress.add(r.value.length);
  }
  const rest: AsyncIterable<Uint8Array> = { [Symbol.asyncIterator]: () => it };
  const sink = new CaptureSink(name, onFrame, options);
  const first = head.length === 1 ? head[0]! : concat(head, headLen);
  if (isGzip(first)) {
    async function* chunks(): AsyncGenerator<Uint8Array> {
      yield first;
      for await (const c of rest) {
        progress.add(c.length);
        yield c;
      }
    }
    return gunzipInto(chunks(), sink, progress);
  }
  if (headLen > 0) sink.write(first);
  for await (const c of rest) {
    progress.add(c.length);
    sink.write(c);
  }
  progress.done();
  return sink.finish(false);
}

/**
 * Parse a whole capture held in memory (gzip-compressed or not), synchronously. For tests and small inputs;
 * the frames are views into `buf` (or into the decompressed copy).
 */
export function parseCaptureBuffer(buf: Uint8Array, onFrame: FrameHandler, options: ParserOptions = {}): ReadSummary {
  const sink = new CaptureSink(options.file ?? null, onFrame, options);
  if (!isGzip(buf)) {
    sink.write(buf);
    return sink.finish(false);
  }
  let data: Uint8Array;
  try {
    data = gunzipSync(buf);
  } catch (err) {
    if (!isZlibError(err)) throw err;
    // Deliver what can be decompressed, then report why the rest cannot.
    let partial: Uint8Array | null = null;
    try {
      partial = gunzipSync(buf, { finishFlush: zc.Z_SYNC_FLUSH });
    } catch {
      partial = null;
    }
    if (partial !== null) sink.write(partial);
    throw sink.gzipError(err);
  }
  sink.write(data);
  return sink.finish(true);
}

/**
 * Decompress `raw` into the sink. Driven by hand rather than with stream.pipeline: when a gzip file is cut
 * short, zlib reports the error and drops the output of its last step, so frames that were complete in the
 * compressed data would be lost. A Z_SYNC_FLUSH before end() makes zlib hand over everything the input
 * decompresses to; only then does end() say whether the gzip stream was complete.
 */
async function gunzipInto(raw: AsyncIterable<Uint8Array>, sink: CaptureSink, progress: Progress): Promise<ReadSummary> {
  const gz = createGunzip();
  let failure: unknown = null; // thrown by the parser or the frame callback: passed on unchanged
  let zerr: Error | null = null;
  // Flowing mode: each output chunk is parsed as soon as zlib produces it, so nothing waits in a buffer.
  gz.on('data', (c: Uint8Array) => {
    if (failure !== null) return;
    try {
      sink.write(c);
    } catch (err) {
      failure = err;
      gz.destroy();
    }
  });
  const finished = new Promise<void>((resolve) => {
    gz.once('end', resolve);
    gz.once('close', resolve);
    gz.once('error', (err) => {
      zerr = err;
      resolve();
    });
  });
  const stopped = (): boolean => failure !== null || zerr !== null;
  try {
    for await (const chunk of raw) {
      if (stopped()) break;
      if (!gz.write(chunk)) await Promise.race([new Promise((resolve) => gz.once('drain', resolve)), finished]);
    }
    if (!stopped()) {
      await Promise.race([new Promise<void>((resolve) => gz.flush(zc.Z_SYNC_FLUSH, () => resolve())), finished]);
      if (!stopped()) gz.end();
    }
    await finished;
  } finally {
    gz.destroy();
  }
  if (failure !== null) throw failure;
  if (zerr !== null) throw isZlibError(zerr) ? sink.gzipError(zerr) : zerr;
  progress.done();
  return sink.finish(true);
}

function isZlibError(err: unknown): err is Error & { code: string } {
  if (!(err instanceof Error)) return false;
  const code: unknown = (err as Error & { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('Z_');
}

function concat(parts: Uint8Array[], len: number): Uint8Array {
  const out = new Uint8Array(len);
  let p = 0;
  for (const x of parts) {
    out.set(x, p);
    p += x.length;
  }
  return out;
}

/** Decompressed bytes in; picks the parser from the first 4 bytes and feeds it. */
class CaptureSink {
  private parser: CaptureParser | null = null;
  private readonly head = new Uint8Array(4);
  private headLen = 0;
  /** Capture-stream bytes received. */
  private bytes = 0;

  constructor(
    private readonly file: string | null,
    private readonly onFrame: FrameHandler,
    private readonly options: ParserOptions,
  ) {}

  write(chunk: Uint8Array): void {
    this.bytes += chunk.length;
    if (this.parser !== null) {
      this.parser.push(chunk);
      return;
    }
    const take = Math.min(4 - this.headLen, chunk.length);
    this.head.set(chunk.subarray(0, take), this.headLen);
    this.headLen += take;
    if (this.headLen < 4) return;
    const format = detectFormat(this.head);
    if (format === null) throw this.notCapture();
    this.parser = createCaptureParser(format, this.onFrame, { ...this.options, file: this.file });
    this.parser.push(this.head);
    if (take < chunk.length) this.parser.push(chunk.subarray(take));
  }

  finish(compressed: boolean): ReadSummary {
    if (this.parser === null) throw this.notCapture();
    this.parser.end();
    return { frames: this.parser.frames, bytes: this.parser.bytesConsumed, format: this.parser.format, compressed };
  }

  private notCapture(): CaptureError {
    if (this.headLen === 0) return new CaptureError('not_capture', this.file, 0, 'not a pcap or pcapng file (it is empty)');
    const hex = Array.from(this.head.subarray(0, this.headLen), (x) => x.toString(16).padStart(2, '0')).join(' ');
    return new CaptureError('not_capture', this.file, 0, `not a pcap or pcapng file (first bytes: ${hex})`);
  }

  /** The CaptureError for a zlib failure, after everything decompressed so far was parsed. */
  gzipError(err: Error & { code: string }): CaptureError {
    if (err.code !== 'Z_BUF_ERROR') {
      return new CaptureError('gzip', this.file, this.bytes, `gzip: corrupt compressed data (${err.message}) after ${this.bytes} bytes of capture data`);
    }
    // The compressed file was cut short. Say where the capture inside stops, in its own terms if it stops
    // inside a record.
    if (this.parser !== null) {
      try {
        this.parser.end();
      } catch (inner) {
        if (inner instanceof CaptureError && inner.code === 'truncated') {
          return new CaptureError('truncated', this.file, inner.offset, `truncated: gzip data ends early; ${inner.message.replace(/^truncated: /, '')}`);
        }
        if (inner instanceof CaptureError) return inner;
        throw inner;
      }
    }
    return new CaptureError('truncated', this.file, this.bytes, `truncated: gzip data ends early (${err.message}) after ${this.bytes} bytes of capture data`);
  }
}

/** Throttled progress reports. */
class Progress {
  private read = 0;
  private last = 0;
  private readonly cb: ((bytesRead: number, totalBytes: number | null) => void) | null;
  private readonly interval: number;

  constructor(
    options: ReadOptions,
    private readonly total: number | null,
  ) {
    this.cb = options.onProgress ?? null;
    this.interval = options.progressIntervalMs ?? 200;
  }

  add(n: number): void {
    this.read += n;
    if (this.cb === null) return;
    const now = Date.now();
    if (now - this.last >= this.interval) {
      this.last = now;
      this.cb(this.read, this.total);
    }
  }

  done(): void {
    this.cb?.(this.read, this.total);
  }
}
