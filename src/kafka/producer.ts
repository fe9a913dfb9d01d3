// A bounded, ordered, retrying buffer in front of a Kafka producer client.
//
//   enqueue ──▶ [ FIFO buffer, at most bufferBytes ] ──▶ one batch in flight ──▶ broker
//                     │ full: 'block' → ready() pauses the reader        │ failure: the same batch again,
//                     │       'drop'  → the new record is counted        │ backoff 100 ms doubling to 2 s,
//                     ▼                                                  ▼ until it is stored
//
// Order: exactly one batch is in flight, and a failed batch is sent again before anything after it, so the
// records of a session (one key, hence one partition of a topic) reach the broker in the order they were
// enqueued, across broker restarts. The client's own retries are off: every retry is this loop's, and counted.
//
// Delivery is at least once: when a broker stored a batch but the acknowledgement was lost (the broker died
// in between), the batch is sent again and stored twice, each copy in order. Records that cannot be sent (a
// non-retriable error such as a record larger than the broker accepts, or still unsent when the flush
// timeout at exit runs out) are counted as failed.
//
// Counts: sent (acknowledged; with acks=none: handed to the socket), retried (records that needed more than
// one attempt, each counted once), failed, dropped (buffer full with the 'drop' policy).

import { describeKafkaError, isRetriable } from './errors.js';

/** What the buffer needs from a producer client (a kafkajs Producer has these; tests may pass a fake). */
export interface ProducerClient {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  sendBatch(batch: {
    topicMessages: { topic: string; messages: OutMessage[] }[];
    acks: number;
    timeout: number;
    compression: number;
  }): Promise<unknown>;
}

/** One record as queued; it is also the kafkajs Message (key, value, headers), so nothing is copied to send. */
export interface OutMessage {
  key: string | null;
  value: string;
  headers: Readonly<Record<string, string>>;
  /** Not sent: bookkeeping. */
  topic: string;
  size: number;
  tries: number;
}

export interface BufferOptions {
  /** Required acknowledgements: -1 all in-sync replicas (default), 1 the leader, 0 none. */
  acks?: -1 | 0 | 1;
  /** kafkajs codec number: 0 none (default), 1 gzip. */
  compression?: number;
  /** Records buffered before the full policy applies, in bytes of JSON text (approximately). Default 64 MiB. */
  bufferBytes?: number;
  /** What to do when the buffer is full. Default 'block'. */
  full?: 'block' | 'drop';
  /** Most bytes of records in one request. Default 512 KiB (Kafka's default message.max.bytes is 1 MiB per batch). */
  batchBytes?: number;
  /** Time to wait for more records before sending a batch that is not full. Default 5 ms. */
  lingerMs?: number;
  /** Broker-side time to wait for the acknowledgements (Produce timeout). Default 30000 ms. */
  ackTimeoutMs?: number;
  /** First wait before sending a failed batch again; doubles up to retryMaxMs. Defaults 100 and 2000 ms. */
  retryInitialMs?: number;
  retryMaxMs?: number;
  /** Headers of every record. */
  headers?: Readonly<Record<string, string>>;
  /** A line for the user (stderr): connection lost and back, records failed, buffer full. */
  onStatus?: (line: string) => void;
}

export interface ProducerCounts {
  sent: number;
  retried: number;
  failed: number;
  dropped: number;
  /** Records still buffered. */
  buffered: number;
  /** Most bytes buffered at once. */
  peakBufferedBytes: number;
  /** Times the reader was paused because the buffer was full ('block'). */
  pauses: number;
}

const OVERHEAD = 64;

function sleep(ms: number, wake: { fn: (() => void) | null }): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      wake.fn = null;
      resolve();
    }
    wake.fn = done;
  });
}

export class BufferedProducer {
  readonly counts: ProducerCounts = { sent: 0, retried: 0, failed: 0, dropped: 0, buffered: 0, peakBufferedBytes: 0, pauses: 0 };
  private q: OutMessage[] = [];
  private head = 0;
  private bytes = 0;
  private running = false;
  private ending = false;
  private aborted = false;
  private failingSince = 0;
  private lastError = '';
  private dropping = false;
  private readonly wake: { fn: (() => void) | null } = { fn: null };
  private readyWaiters: (() => void)[] = [];
  private idleWaiters: (() => void)[] = [];
  private readonly o: Required<Omit<BufferOptions, 'onStatus'>> & { onStatus: ((line: string) => void) | undefined };

  constructor(
    private readonly client: ProducerClient,
    opts: BufferOptions = {},
  ) {
    this.o = {
      acks: opts.acks ?? -1,
      compression: opts.compression ?? 0,
      bufferBytes: opts.bufferBytes ?? 64 * 1024 * 1024,
      full: opts.full ?? 'block',
      batchBytes: opts.batchBytes ?? 512 * 1024,
      lingerMs: opts.lingerMs ?? 5,
      ackTimeoutMs: opts.ackTimeoutMs ?? 30000,
      retryInitialMs: opts.retryInitialMs ?? 100,
      retryMaxMs: opts.retryMaxMs ?? 2000,
      headers: opts.headers ?? {},
      onStatus: opts.onStatus,
    };
  }

  /** Bytes buffered now. */
  get bufferedBytes(): number {
    return this.bytes;
  }

  /** The buffer is at or over its size ('block': the reader should wait for ready()). */
  get full(): boolean {
    return this.bytes >= this.o.bufferBytes;
  }

  /**
   * Queue one record. With 'drop', a record that does not fit is counted and false is returned. With 'block',
   * the record is always taken (a reader cannot stop in the middle of a chunk) and the reader is expected
   * to wait for ready() before reading more: the buffer exceeds its size by at most one chunk's records.
   */
  enqueue(topic: string, key: string | null, value: string): boolean {
    const size = value.length + (key === null ? 0 : key.length) + OVERHEAD;
    if (this.aborted) {
      this.counts.failed++;
      return false;
    }
    if (this.o.full === 'drop' && this.bytes + size > this.o.bufferBytes) {
      this.counts.dropped++;
      if (!this.dropping) {
        this.dropping = true;
        this.status(`buffer full (${this.o.bufferBytes} bytes): dropping records until there is room again (--kafka-full drop)`);
      }
      return false;
    }
    this.q.push({ key, value, headers: this.o.headers, topic, size, tries: 0 });
    this.bytes += size;
    if (this.bytes > this.counts.peakBufferedBytes) this.counts.peakBufferedBytes = this.bytes;
    if (!this.running) void this.pump();
    else if (this.wake.fn !== null && this.failingSince === 0 && this.bytes >= this.o.batchBytes) this.wake.fn();
    return true;
  }

  /**
   * null when the buffer has room (the common case: no promise is made); otherwise a promise that resolves
   * once it has room again, or the producer was aborted.
   */
  ready(): Promise<void> | null {
    if (this.o.full === 'drop' || this.bytes < this.o.bufferBytes || this.aborted) return null;
    this.counts.pauses++;
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  /**
   * Send everything buffered. Resolves when the buffer is empty, or when `timeoutMs` ran out: what is left
   * is then counted as failed. Afterwards the client is disconnected. Returns the counts.
   */
  async close(timeoutMs = 30000): Promise<ProducerCounts> {
    this.ending = true;
    this.wake.fn?.();
    if (this.running || this.head < this.q.length) {
      let timer: NodeJS.Timeout | undefined;
      const idle = new Promise<void>((resolve) => this.idleWaiters.push(resolve));
      const deadline = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), Math.max(0, timeoutMs));
      });
      if (!this.running) void this.pump();
      const r = await Promise.race([idle, deadline]);
      clearTimeout(timer);
      if (r === 'timeout') {
        const left = this.q.length - this.head;
        this.abort();
        this.counts.failed += left;
        this.status(
          `${left} records not delivered within the flush timeout (${Math.round(timeoutMs / 1000)} s)${this.lastError === '' ? '' : `: ${this.lastError}`}`,
        );
      }
    }
    this.counts.buffered = this.q.length - this.head;
    try {
      await this.client.disconnect();
    } catch {
      // Disconnecting from a broker that is gone is not worth a message.
    }
    return { ...this.counts };
  }

  /** Stop sending; buffered records stay uncounted (close() counts them as failed). */
  private abort(): void {
    this.aborted = true;
    this.wake.fn?.();
    this.q = [];
    this.head = 0;
    this.bytes = 0;
    this.releaseReady();
  }

  private status(line: string): void {
    this.o.onStatus?.(line);
  }

  private async pump(): Promise<void> {
    this.running = true;
    let backoff = this.o.retryInitialMs;
    try {
      while (this.head < this.q.length && !this.aborted) {
        if (!this.ending && this.o.lingerMs > 0 && this.bytes < this.o.batchBytes && this.failingSince === 0) {
          await sleep(this.o.lingerMs, this.wake);
          if (this.aborted) break;
        }
        const start = this.head;
        let end = start;
        let size = 0;
        while (end < this.q.length && (end === start || size + this.q[end]!.size <= this.o.batchBytes)) size += this.q[end++]!.size;
        const batch = this.q.slice(start, end);
        try {
          await this.client.sendBatch({ topicMessages: groupByTopic(batch), acks: this.o.acks, timeout: this.o.ackTimeoutMs, compression: this.o.compression });
          if (this.aborted) break;
          this.counts.sent += batch.length;
          this.remove(end, size);
          if (this.failingSince !== 0) {
            this.status(`sending again after ${((Date.now() - this.failingSince) / 1000).toFixed(1)} s; nothing lost (${this.counts.retried} records retried so far)`);
            this.failingSince = 0;
          }
          backoff = this.o.retryInitialMs;
        } catch (err) {
          if (this.aborted) break;
          const why = describeKafkaError(err);
          this.lastError = why;
          if (!isRetriable(err)) {
            this.counts.failed += batch.length;
            this.remove(end, size);
            this.status(`${batch.length} records failed: ${why}`);
            continue;
          }
          for (const m of batch) if (m.tries++ === 0) this.counts.retried++;
          if (this.failingSince === 0) {
            this.failingSince = Date.now();
            this.status(`cannot send (${why}); buffering and retrying (${this.q.length - this.head} records, ${this.bytes} bytes buffered)`);
          }
          await sleep(backoff, this.wake);
          backoff = Math.min(backoff * 2, this.o.retryMaxMs);
        }
      }
    } finally {
      this.running = false;
      if (this.head >= this.q.length || this.aborted) {
        const ws = this.idleWaiters;
        this.idleWaiters = [];
        for (const w of ws) w();
      }
    }
  }

  private remove(end: number, size: number): void {
    this.head = end;
    this.bytes -= size;
    if (this.head > 4096 && this.head * 2 > this.q.length) {
      this.q = this.q.slice(this.head);
      this.head = 0;
    }
    if (this.bytes < this.o.bufferBytes) {
      this.dropping = false;
      this.releaseReady();
    }
  }

  private releaseReady(): void {
    if (this.readyWaiters.length === 0) return;
    const ws = this.readyWaiters;
    this.readyWaiters = [];
    for (const w of ws) w();
  }
}

/** kafkajs topicMessages, records in queue order within each topic. */
function groupByTopic(batch: OutMessage[]): { topic: string; messages: OutMessage[] }[] {
  const first = batch[0]!.topic;
  let one = true;
  for (const m of batch) if (m.topic !== first) one = false;
  if (one) return [{ topic: first, messages: batch }];
  const by = new Map<string, OutMessage[]>();
  for (const m of batch) {
    const l = by.get(m.topic);
    if (l === undefined) by.set(m.topic, [m]);
    else l.push(m);
  }
  return [...by].map(([topic, messages]) => ({ topic, messages }));
}
