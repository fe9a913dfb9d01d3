// The test broker (test/kafka/broker/) checked against two independent clients: kafkajs (the client bgpcap
// uses) and librdkafka through kcat. What one client writes, the other reads back identically, and the
// stored bytes decode (with the test's own record-batch reader) to what was sent.
import { spawnSync } from 'node:child_process';
import { CompressionTypes, Kafka, logLevel, Partitioners } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { TestBroker } from './broker/broker.js';
import { crc32c } from './broker/crc32c.js';
import { Reader, Writer } from './broker/wire.js';
import { runTool, useBrokers } from './helpers.js';

const hasKcat = spawnSync('kcat', ['-V']).status === 0;
/** What librdkafka 2.0.2 (Debian bookworm's kcat) negotiates with this broker for a simple consumer. */
const LIBRDKAFKA_CONSUMER = ['Fetch v11', 'ListOffsets v2'];
/** Starts a test broker, stopped after the test. */
const broker = useBrokers();

function client(b: TestBroker): Kafka {
  return new Kafka({ brokers: [b.address], clientId: 'broker-test', logLevel: logLevel.NOTHING });
}

describe('wire primitives', () => {
  it('CRC-32C check value (RFC 3720 §B.4)', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa); // RFC 3720 §B.4: 32 bytes of zeroes
  });

  it('zig-zag varints as the Kafka protocol guide lists them', () => {
    // https://kafka.apache.org/documentation/#recordheader → protobuf zig-zag: 0→0, -1→1, 1→2, -2→3, 300→0xd8 0x04
    const w = new Writer().varint(0).varint(-1).varint(1).varint(-2).varint(300).varlong(-1n).varlong(1n << 40n);
    const b = w.done();
    expect([...b.subarray(0, 7)]).toEqual([0x00, 0x01, 0x02, 0x03, 0xd8, 0x04, 0x01]);
    const r = new Reader(b);
    expect([r.varint(), r.varint(), r.varint(), r.varint(), r.varint()]).toEqual([0, -1, 1, -2, 300]);
    expect(r.varlong()).toBe(-1n);
    expect(r.varlong()).toBe(1n << 40n);
  });
});

describe('kafkajs against the broker', () => {
  it('stores produced batches byte for byte (none and gzip) at the versions kafkajs uses with real clusters', async () => {
    const b = await broker({ partitions: 2 });
    const p = client(b).producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await p.connect();
    await p.send({ topic: 't1', messages: [{ key: 'a', value: 'one', headers: { h: 'x' } }, { key: null, value: 'two' }] });
    await p.send({ topic: 't1', compression: CompressionTypes.GZIP, messages: [{ key: 'a', value: 'three' }] });
    await p.disconnect();
    const recs = b.records('t1');
    const byValue = new Map(recs.map((r) => [String(r.value), r]));
    expect([...byValue.keys()].sort()).toEqual(['one', 'three', 'two']);
    expect(byValue.get('one')!.headers.map(([k, v]) => [k, String(v)])).toEqual([['h', 'x']]);
    expect(byValue.get('two')!.key).toBeNull();
    // Same key, same partition, later offset.
    expect(byValue.get('three')!.partition).toBe(byValue.get('one')!.partition);
    expect(byValue.get('three')!.offset).toBeGreaterThan(byValue.get('one')!.offset);
    // The first send: one uncompressed batch per partition used; the second: one gzip batch.
    expect(b.batches('t1').filter((x) => x.compression === 1).length).toBe(1);
    expect(b.batches('t1').filter((x) => x.compression === 0).length).toBe(b.batches('t1').length - 1);
    // kafkajs 2.2's highest versions, as it negotiates them with Kafka 2.4 and later.
    expect(b.seen.get('Produce v7')).toBe(2);
    expect(b.seen.get('ApiVersions v2')).toBeGreaterThan(0);
    expect(b.seen.get('Metadata v6')).toBeGreaterThan(0);
  });

  it('group consumer: assignment, committed offsets, a second run continues after them', async () => {
    const b = await broker();
    const k = client(b);
    const p = k.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await p.connect();
    await p.send({ topic: 'g', messages: Array.from({ length: 30 }, (_, i) => ({ key: `k${i % 5}`, value: `v${i}` })) });
    const readAll = async (n: number): Promise<string[]> => {
      const c = k.consumer({ groupId: 'grp', maxWaitTimeInMs: 200 });
      await c.connect();
      await c.subscribe({ topics: ['g'], fromBeginning: true });
      const got: string[] = [];
      await new Promise<void>((resolve) => {
        void c.run({
          eachMessage: async ({ message }) => {
            got.push(String(message.value));
            if (got.length === n) resolve();
          },
        });
      });
      await c.disconnect();
      return got;
    };
    const first = await readAll(30);
    expect(first.sort()).toEqual(Array.from({ length: 30 }, (_, i) => `v${i}`).sort());
    await p.send({ topic: 'g', messages: [{ key: 'k1', value: 'late' }] });
    expect(await readAll(1)).toEqual(['late']);
    await p.disconnect();
    // Each join is two JoinGroup v5 requests: the first gets the member id (KIP-394 MEMBER_ID_REQUIRED).
    expect(b.seen.get('JoinGroup v5')).toBe(4);
    for (const v of ['SyncGroup v3', 'OffsetFetch v4', 'OffsetCommit v5', 'ListOffsets v3', 'FindCoordinator v2', 'Fetch v11', 'LeaveGroup v3']) {
      expect(b.seen.get(v), v).toBeGreaterThan(0);
    }
  });

  it('a restart keeps the logs and committed offsets, and producing continues', async () => {
    const b = await broker();
    const p = client(b).producer({ createPartitioner: Partitioners.DefaultPartitioner, retry: { retries: 8, initialRetryTime: 50 } });
    await p.connect();
    await p.send({ topic: 'r', messages: [{ key: 'k', value: '1' }] });
    await b.stop();
    const pending = p.send({ topic: 'r', messages: [{ key: 'k', value: '2' }] });
    await new Promise((r) => setTimeout(r, 300));
    await b.start();
    await pending;
    await p.disconnect();
    expect(b.records('r').map((r) => String(r.value))).toEqual(['1', '2']);
  });
});

describe.skipIf(!hasKcat)('kcat (librdkafka) against the broker', () => {
  it('metadata lists the brokers and partitions', async () => {
    const b = await broker({ partitions: 4 });
    b.createTopic('meta');
    const r = await runTool('kcat', ['-L', '-b', b.address, '-t', 'meta']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`broker 0 at ${b.address}`);
    expect(r.stdout).toContain('topic "meta" with 4 partitions');
  });

  it('records kcat produced (plain and gzip) are stored as sent and read by kafkajs', async () => {
    const b = await broker();
    for (const codec of ['none', 'gzip']) {
      // Values long enough for gzip to pay off (librdkafka sends a batch uncompressed when that is smaller).
      const pad = ' bgp'.repeat(100);
      const r = await runTool('kcat', ['-P', '-b', b.address, '-t', `kc-${codec}`, '-K', '\t', '-H', 'origin=kcat', '-X', `compression.codec=${codec}`], `key1\tvalue one${pad}\nkey2\tvalue two${pad}\nkey1\tvalue three${pad}\n`);
      expect(r.status, r.stderr).toBe(0);
      const recs = b.records(`kc-${codec}`);
      for (const x of recs) x.value = Buffer.from(String(x.value).replace(pad, ''));
      expect(recs.map((x) => String(x.value)).sort()).toEqual(['value one', 'value three', 'value two']);
      for (const x of recs) expect(x.headers.map(([k, v]) => `${k}=${String(v)}`)).toEqual(['origin=kcat']);
      const k1 = recs.filter((x) => String(x.key) === 'key1');
      expect(k1.map((x) => String(x.value))).toEqual(['value one', 'value three']);
      if (codec === 'gzip') expect(b.batches('kc-gzip').every((x) => x.compression === 1)).toBe(true);
    }
    expect(b.seen.get('ApiVersions v3')).toBeGreaterThan(0); // librdkafka starts with a flexible version ...
    expect(b.seen.get('ApiVersions v0')).toBeGreaterThan(0); // ... and falls back after the KIP-511 error answer
    const c = client(b).consumer({ groupId: 'from-kcat', maxWaitTimeInMs: 200 });
    await c.connect();
    await c.subscribe({ topics: ['kc-gzip'], fromBeginning: true });
    const got: string[] = [];
    await new Promise<void>((resolve) => {
      void c.run({
        eachMessage: async ({ message }) => {
          got.push(`${String(message.key)}=${String(message.value).replace(/( bgp)+$/, '')}`);
          if (got.length === 3) resolve();
        },
      });
    });
    await c.disconnect();
    expect(got.sort()).toEqual(['key1=value one', 'key1=value three', 'key2=value two']);
  });

  it('kcat reads what kafkajs produced (gzip), keys and headers included', async () => {
    const b = await broker({ partitions: 1 });
    const p = client(b).producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await p.connect();
    const msgs = Array.from({ length: 50 }, (_, i) => ({ key: `s${i % 3}`, value: `{"n":${i}}`, headers: { 'content-type': 'application/json' } }));
    await p.send({ topic: 'tokcat', compression: CompressionTypes.GZIP, messages: msgs.slice(0, 25) });
    await p.send({ topic: 'tokcat', messages: msgs.slice(25) });
    await p.disconnect();
    const r = await runTool('kcat', ['-C', '-b', b.address, '-t', 'tokcat', '-o', 'beginning', '-e', '-q', '-f', '%o\t%k\t%h\t%s\n']);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toEqual(msgs.map((m, i) => `${i}\t${m.key}\tcontent-type=application/json\t${m.value}`));
    // librdkafka 2.0.2's own choice within the advertised ranges.
    expect([...b.seen.keys()].filter((k) => /^(Fetch|ListOffsets) /.test(k) && b.seen.get(k)! > 0).sort()).toEqual(LIBRDKAFKA_CONSUMER);
  });
});
