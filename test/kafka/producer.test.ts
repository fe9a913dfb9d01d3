// The buffer in front of the Kafka client (src/kafka/producer.ts) with a scripted fake client: ordering
// across failures, what is counted, the two full policies and the flush timeout.
import { describe, expect, it } from 'vitest';
import { BufferedProducer, type OutMessage, type ProducerClient } from '../../src/kafka/producer.js';

class FakeClient implements ProducerClient {
  readonly stored: OutMessage[] = [];
  attempts = 0;
  /** Decide the outcome of the next attempt: undefined = success, an error = failure. */
  outcome: (attempt: number, batch: OutMessage[]) => Error | undefined = () => undefined;
  /** Each send waits for this long. */
  latencyMs = 0;
  async connect(): Promise<void> {}
  async disconnect(): Promise<void> {}
  async sendBatch(b: { topicMessages: { topic: string; messages: OutMessage[] }[] }): Promise<unknown> {
    const batch = b.topicMessages.flatMap((t) => t.messages);
    const n = ++this.attempts;
    if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));
    const e = this.outcome(n, batch);
    if (e !== undefined) throw e;
    this.stored.push(...batch);
    return [];
  }
}

function connError(): Error {
  const e = new Error('Connection error: connect ECONNREFUSED 127.0.0.1:9092');
  e.name = 'KafkaJSConnectionError';
  return e;
}

function tooLarge(): Error {
  const e = new Error('The request included a message larger than the max message size the server will accept') as Error & { type: string; retriable: boolean };
  e.name = 'KafkaJSProtocolError';
  e.type = 'MESSAGE_TOO_LARGE';
  e.retriable = false;
  return e;
}

const fast = { lingerMs: 0, retryInitialMs: 5, retryMaxMs: 20 };

describe('BufferedProducer', () => {
  it('delivers everything in order through failures and counts each retried record once', async () => {
    const c = new FakeClient();
    // Attempts 2, 3 and 4 fail (a broker away for a while), then everything goes through.
    c.outcome = (n) => (n >= 2 && n <= 4 ? connError() : undefined);
    c.latencyMs = 1;
    const lines: string[] = [];
    const p = new BufferedProducer(c, { ...fast, batchBytes: 1000, onStatus: (l) => lines.push(l) });
    for (let i = 0; i < 200; i++) p.enqueue(i % 2 === 0 ? 'a' : 'b', `s${i % 4}`, `{"n":${i}}`);
    const counts = await p.close(5000);
    // Each topic holds its records once, in the order they were enqueued.
    for (const [topic, first] of [['a', 0], ['b', 1]] as const) {
      expect(c.stored.filter((m) => m.topic === topic).map((m) => m.value)).toEqual(Array.from({ length: 100 }, (_, i) => `{"n":${2 * i + first}}`));
    }
    expect(counts.sent).toBe(200);
    expect(counts.failed).toBe(0);
    expect(counts.dropped).toBe(0);
    // The batch that failed was sent 4 times; its records count once each.
    const firstFailed = c.attempts - 1; // sanity: there were retries
    expect(firstFailed).toBeGreaterThan(3);
    expect(counts.retried).toBeGreaterThan(0);
    expect(counts.retried).toBeLessThanOrEqual(200);
    expect(lines.some((l) => l.startsWith('cannot send (Connection error: connect ECONNREFUSED'))).toBe(true);
    expect(lines.some((l) => l.startsWith('sending again after'))).toBe(true);
  });

  it('groups a batch by topic and keeps the order within each topic', async () => {
    const c = new FakeClient();
    const seen: { topic: string; values: string[] }[][] = [];
    c.sendBatch = async (b) => {
      seen.push(b.topicMessages.map((t) => ({ topic: t.topic, values: t.messages.map((m) => m.value) })));
      return [];
    };
    const p = new BufferedProducer(c, { ...fast, lingerMs: 20 });
    p.enqueue('x', 'k', '1');
    p.enqueue('y', 'k', '2');
    p.enqueue('x', 'k', '3');
    await p.close();
    expect(seen).toEqual([[{ topic: 'x', values: ['1', '3'] }, { topic: 'y', values: ['2'] }]]);
  });

  it('counts records of a batch the broker refuses for good as failed, and goes on', async () => {
    const c = new FakeClient();
    c.outcome = (n) => (n === 1 ? tooLarge() : undefined);
    const lines: string[] = [];
    const p = new BufferedProducer(c, { ...fast, onStatus: (l) => lines.push(l) });
    p.enqueue('t', null, 'big');
    const first = new Promise((r) => setTimeout(r, 30));
    await first;
    p.enqueue('t', null, 'small');
    const counts = await p.close();
    expect(counts).toMatchObject({ sent: 1, failed: 1, retried: 0, dropped: 0 });
    expect(c.stored.map((m) => m.value)).toEqual(['small']);
    expect(lines).toContain('1 records failed: The request included a message larger than the max message size the server will accept (MESSAGE_TOO_LARGE)');
  });

  it("'drop': records that do not fit are counted, the rest keeps its order", async () => {
    const c = new FakeClient();
    let open = false;
    c.outcome = () => (open ? undefined : connError());
    const p = new BufferedProducer(c, { ...fast, full: 'drop', bufferBytes: 10 * (64 + 8) });
    for (let i = 0; i < 30; i++) p.enqueue('t', 'k', `v${String(i).padStart(6, '0')}`);
    expect(p.ready()).toBeNull(); // 'drop' never pauses the reader
    open = true;
    const counts = await p.close(2000);
    expect(counts.dropped).toBe(20);
    expect(counts.sent).toBe(10);
    expect(c.stored.map((m) => m.value)).toEqual(Array.from({ length: 10 }, (_, i) => `v${String(i).padStart(6, '0')}`));
  });

  it("'block': ready() holds the reader while the buffer is full and lets it go once there is room", async () => {
    const c = new FakeClient();
    let open = false;
    c.outcome = () => (open ? undefined : connError());
    const p = new BufferedProducer(c, { ...fast, full: 'block', bufferBytes: 5 * (64 + 8) });
    for (let i = 0; i < 5; i++) p.enqueue('t', 'k', `v${String(i).padStart(6, '0')}`);
    const wait = p.ready();
    expect(wait).not.toBeNull();
    let released = false;
    void wait!.then(() => (released = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(released).toBe(false);
    open = true;
    await new Promise((r) => setTimeout(r, 100));
    expect(released).toBe(true);
    expect(p.ready()).toBeNull();
    const counts = await p.close();
    expect(counts).toMatchObject({ sent: 5, dropped: 0, failed: 0, pauses: 1 });
  });

  it('the flush timeout counts what could not be delivered as failed', async () => {
    const c = new FakeClient();
    c.outcome = () => connError();
    const lines: string[] = [];
    const p = new BufferedProducer(c, { ...fast, onStatus: (l) => lines.push(l) });
    for (let i = 0; i < 7; i++) p.enqueue('t', null, `${i}`);
    const t0 = Date.now();
    const counts = await p.close(300);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(counts).toMatchObject({ sent: 0, failed: 7, retried: 7 });
    expect(lines.at(-1)).toMatch(/^7 records not delivered within the flush timeout \(0 s\): Connection error/);
  });
});
