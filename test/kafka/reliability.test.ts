// Faults between bgpcap and Kafka, with the test broker on 127.0.0.1: no broker at start, the broker killed
// and restarted in the middle of a stream, a full buffer with both policies, records the broker refuses,
// and a broker that never comes back. Each run reads a synthetic capture (test/kafka/helpers.ts) whose UPDATEs
// carry their sequence number in the MED, so loss and reordering within a session can be read off Kafka.
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { E, TestBroker } from './broker/broker.js';
import { run, seqOf, sequencedCapture, sleep, start, tempDir, until } from './helpers.js';

const SESSIONS = 4;
const UPDATES = 3000;
const TOTAL = SESSIONS * (UPDATES + 2); // + an OPEN each way per session
const tmp = tempDir('bgpcap-kafka-rel-');
const capture = join(tmp.dir, 'seq.pcap');
beforeAll(() => sequencedCapture(capture, SESSIONS, UPDATES));
afterAll(() => tmp.cleanup());

const brokers: TestBroker[] = [];
function broker(opts: ConstructorParameters<typeof TestBroker>[0] = {}): TestBroker {
  const b = new TestBroker(opts);
  brokers.push(b);
  return b;
}
afterEach(async () => {
  for (const b of brokers.splice(0)) await b.stop();
});

/** Records stored in a topic (high watermarks; cheap to poll). */
function stored(b: TestBroker, topic: string): number {
  return Number((b.topics.get(topic) ?? []).reduce((n, p) => n + p.hw, 0n));
}

/** A port nothing listens on. */
async function freePort(): Promise<number> {
  const b = new TestBroker();
  const port = await b.start();
  await b.stop();
  return port;
}

interface Check {
  /** Records per session, after removing repeats. */
  perSession: number[][];
  /** Records stored more than once (a batch whose acknowledgement was lost, sent again). */
  repeats: number;
}

/**
 * Per session, in partition order: the MEDs of its UPDATEs. A repeat (at-least-once delivery) is a MED seen
 * before in the session; it is set aside, and what remains must be strictly increasing.
 */
function check(b: TestBroker, topic: string): Check {
  const recs = b.records(topic).sort((x, y) => x.partition - y.partition || Number(x.offset - y.offset));
  const per: number[][] = Array.from({ length: SESSIONS }, () => []);
  const seen = Array.from({ length: SESSIONS }, () => new Set<number>());
  let repeats = 0;
  for (const r of recs) {
    const s = seqOf(JSON.parse(String(r.value)) as Record<string, unknown>);
    if (s === null) continue;
    if (seen[s.session]!.has(s.med)) {
      repeats++;
      continue;
    }
    seen[s.session]!.add(s.med);
    per[s.session]!.push(s.med);
  }
  return { perSession: per, repeats };
}

function increasing(xs: number[]): boolean {
  for (let i = 1; i < xs.length; i++) if (xs[i]! <= xs[i - 1]!) return false;
  return true;
}

function counts(stderr: string): { sent: number; retried: number; failed: number; dropped: number } {
  const m = /bgpcap: kafka: (\d+) sent, (\d+) retried, (\d+) failed, (\d+) dropped\n/.exec(stderr);
  if (m === null) throw new Error(`no counts line in: ${stderr}`);
  return { sent: Number(m[1]), retried: Number(m[2]), failed: Number(m[3]), dropped: Number(m[4]) };
}

const all = Array.from({ length: UPDATES }, (_, i) => i);

describe('broker unreachable at start', () => {
  it('fails at once with a clear error and exit status 4, before reading anything', async () => {
    const port = await freePort();
    const t0 = Date.now();
    const r = await run(['read', '-f', 'jsonl', '--kafka', `127.0.0.1:${port}`, capture]);
    expect(r.status).toBe(4);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`^bgpcap: kafka: cannot connect to 127\\.0\\.0\\.1:${port}: .*ECONNREFUSED.* \\(--kafka-wait SECONDS waits for the broker\\)\\n$`));
    expect(Date.now() - t0).toBeLessThan(10000);
  });

  it('--kafka-wait N gives up after N seconds', async () => {
    const port = await freePort();
    const t0 = Date.now();
    const r = await run(['read', '--kafka', `127.0.0.1:${port}`, '--kafka-wait', '1', capture]);
    expect(r.status).toBe(4);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1000);
    expect(r.stderr).toMatch(/waiting for 127\.0\.0\.1:\d+ \(.*\) for up to 1 s\n/);
    expect(r.stderr).toMatch(/cannot connect to .* \(waited 1 s\)\n$/);
  });

  it('--kafka-wait waits for the broker, then delivers everything', async () => {
    const b = broker({ port: await freePort() });
    const p = start(['read', '--kafka', b.address, '--kafka-topic', 'late', '--kafka-wait', 'forever', capture]);
    await until(() => p.err().includes('waiting for'), 10000, 'the waiting message');
    await sleep(500);
    await b.start();
    const r = await p.done;
    expect(r.status, r.stderr).toBe(0);
    expect(counts(r.stderr)).toEqual({ sent: TOTAL, retried: 0, failed: 0, dropped: 0 });
    expect(r.stderr).toContain(`bgpcap: kafka: connected to ${b.address}`);
    const c = check(b, 'late');
    for (const s of c.perSession) expect(s).toEqual(all);
  });
});

describe('broker lost in the middle of a run', () => {
  it('killed and restarted: nothing lost, nothing reordered within a session, counts at exit', async () => {
    const b = broker();
    await b.start();
    // Small batches, so the stream is still going when the broker dies.
    const p = start(['read', '--kafka', b.address, '--kafka-topic', 'mid', '--kafka-batch-size', '16k', capture]);
    await until(() => stored(b, 'mid') >= 1000, 15000, 'the first records');
    await b.stop();
    const atKill = stored(b, 'mid');
    expect(atKill).toBeLessThan(TOTAL);
    await sleep(1200);
    await b.start();
    const r = await p.done;
    expect(r.status, r.stderr).toBe(0);
    const n = counts(r.stderr);
    expect(n).toMatchObject({ sent: TOTAL, failed: 0, dropped: 0 });
    expect(n.retried).toBeGreaterThan(0);
    expect(r.stderr).toMatch(/bgpcap: kafka: cannot send \(.*\); buffering and retrying/);
    expect(r.stderr).toMatch(/bgpcap: kafka: sending again after \d+\.\d s; nothing lost/);
    const c = check(b, 'mid');
    for (const s of c.perSession) expect(s).toEqual(all);
    // Repeats can only come from the batch in flight when the broker died: at most a 16 KiB batch of
    // records of more than 600 bytes each.
    expect(c.repeats).toBeLessThanOrEqual(Math.floor(16384 / 600));
  });
});

describe('buffer full', () => {
  it("--kafka-full block: reading pauses while the broker is away, and resumes", async () => {
    const b = broker();
    await b.start();
    const p = start(['read', '-f', 'jsonl', '--kafka', b.address, '--kafka-topic', 'blk', '--kafka-buffer', '256k', '--kafka-batch-size', '16k', capture]);
    await until(() => stored(b, 'blk') >= 500, 15000, 'the first records');
    await b.stop();
    // stdout is written as the capture is read: while the buffer is full it must stop growing, short of the end.
    await sleep(1500);
    const lines1 = p.out().split('\n').length;
    await sleep(1000);
    const lines2 = p.out().split('\n').length;
    expect(lines2).toBe(lines1);
    expect(lines1).toBeLessThan(TOTAL);
    await b.start();
    const r = await p.done;
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.split('\n').filter((l) => l !== '').length).toBe(TOTAL);
    expect(counts(r.stderr)).toMatchObject({ sent: TOTAL, failed: 0, dropped: 0 });
    for (const s of check(b, 'blk').perSession) expect(s).toEqual(all);
  });

  it('--kafka-full drop: what does not fit is counted; what is sent keeps its order', async () => {
    // 'drop' never slows the reader: a file is read far faster than Kafka takes it, so a small buffer
    // overflows even while the broker is up; it is also stopped for a while here.
    const b = broker();
    await b.start();
    const p = start(['read', '--kafka', b.address, '--kafka-topic', 'drp', '--kafka-full', 'drop', '--kafka-buffer', '128k', '--kafka-batch-size', '16k', capture]);
    await until(() => p.err().includes('dropping records'), 15000, 'the drop message');
    await b.stop();
    await sleep(500);
    await b.start();
    const r = await p.done;
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('bgpcap: kafka: buffer full (131072 bytes): dropping records until there is room again (--kafka-full drop)\n');
    const n = counts(r.stderr);
    expect(n.dropped).toBeGreaterThan(0);
    expect(n.failed).toBe(0);
    expect(n.sent + n.dropped).toBe(TOTAL);
    const c = check(b, 'drp');
    for (const s of c.perSession) expect(increasing(s)).toBe(true);
    // Every UPDATE that was sent is there; the OPENs came first and were sent too.
    expect(c.perSession.reduce((k, s) => k + s.length, 0)).toBe(n.sent - 2 * SESSIONS);
  });
});

describe('records that cannot be delivered', () => {
  it('a record the broker refuses for good (MESSAGE_TOO_LARGE) is counted as failed: exit 4', async () => {
    const b = broker({ partitions: 1, produceError: (topic) => (topic === 'refused' ? E.MESSAGE_TOO_LARGE : E.NONE) });
    await b.start();
    const r = await run(['read', '--kafka', b.address, '--kafka-topic', 'refused', capture]);
    expect(r.status).toBe(4);
    expect(counts(r.stderr)).toEqual({ sent: 0, retried: 0, failed: TOTAL, dropped: 0 });
    expect(r.stderr).toMatch(/bgpcap: kafka: \d+ records failed: .*MESSAGE_TOO_LARGE/);
  });

  it('a broker that does not come back: the flush timeout ends the run, the rest is failed', async () => {
    const b = broker();
    await b.start();
    const p = start(['read', '--kafka', b.address, '--kafka-topic', 'gone', '--kafka-batch-size', '16k', '--kafka-flush-timeout', '1', capture]);
    await until(() => stored(b, 'gone') >= 500, 15000, 'the first records');
    await b.stop();
    const r = await p.done;
    expect(r.status).toBe(4);
    const n = counts(r.stderr);
    expect(n.sent).toBeGreaterThanOrEqual(500);
    expect(n.sent + n.failed).toBe(TOTAL);
    expect(r.stderr).toMatch(new RegExp(`bgpcap: kafka: ${n.failed} records not delivered within the flush timeout \\(1 s\\)`));
  });
});
