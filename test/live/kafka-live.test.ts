// `bgpcap live --kafka`: capture on a veth pair between two network namespaces the test creates (harness.ts),
// publish to the test broker (test/kafka/broker/), read the topic back with kcat (librdkafka) and compare it
// with what `live` printed. Needs root; skips with the reason otherwise.
//
// The broker runs in this process, on 127.0.0.1 of the root namespace. `bgpcap live` — capture process and
// decoder — runs inside namespace a, whose loopback is its own: a relay in namespace a listens on
// 127.0.0.1:<broker port> and hands each connection over a Unix socket (file system paths cross network
// namespaces) to this process, which connects it to the broker. The broker advertises 127.0.0.1:<port>, which
// is then right in both namespaces.
//
// Messages (RFC 4271 §4), written out byte by byte so the expected records do not come from bgpcap (the same as
// live-netns.test.ts):
//   OPEN      version 4, My AS 65001 (fde9), hold time 90 (005a), BGP id 10.0.0.1, no optional parameters
//   KEEPALIVE header only, length 19
//   UPDATE    ORIGIN IGP (40 01 01 00), AS_PATH AS_SEQUENCE 65001 in 2-octet form (40 02 04 02 01 fde9),
//             NEXT_HOP 10.0.0.1 (40 03 04 0a000001); NLRI 10.1.0.0/16 (10 0a 01). Length 44.
//   UPDATE    withdrawing 10.1.0.0/16: withdrawn length 3 (10 0a 01), no attributes. Length 26.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestBroker } from '../kafka/broker/broker.js';
import { runTool, until } from '../kafka/helpers.js';
import { inNs, jsonLines, live, Namespaces, netnsSkipReason, root, sleep, type Proc } from './harness.js';

const M = 'ff'.repeat(16);
const OPEN = `${M}001d01` + '04fde9005a0a00000100';
const KEEPALIVE = `${M}001304`;
const UPDATE_A = `${M}002c02` + '0000' + '0012' + '40010100' + '4002040201fde9' + '4003040a000001' + '100a01';
const UPDATE_W = `${M}001a02` + '0003100a01' + '0000';

const skip = netnsSkipReason();
const hasKcat = spawnSync('kcat', ['-V']).status === 0;
const speaker = join(root, 'test/live/speaker.mjs');
const nsx = new Namespaces(`bgpcap-kl-${process.pid}`);
const tmp = mkdtempSync(join(tmpdir(), 'bgpcap-live-kafka-'));
const broker = new TestBroker();
let unixSide: Server | null = null;
const piped = new Set<Socket>();

const RELAY = `
import { connect, createServer } from 'node:net';
const [port, path] = process.argv.slice(2);
createServer((c) => {
  const u = connect(path);
  const end = () => { c.destroy(); u.destroy(); };
  c.pipe(u); u.pipe(c);
  for (const s of [c, u]) { s.on('error', end); s.on('close', end); }
}).listen(Number(port), '127.0.0.1', () => process.stdout.write('relaying\\n'));
`;

// One TCP connection: the first message, then \`count\` copies of another in one write.
const FLOOD = `
import { connect } from 'node:net';
const [ip, port, first, unit, count] = process.argv.slice(2);
const s = connect({ host: ip, port: Number(port) }, () => {
  s.write(Buffer.from(first, 'hex'));
  s.end(Buffer.from(unit.repeat(Number(count)), 'hex'));
});
s.on('data', () => {});
s.on('error', (e) => { process.stderr.write(e.message + '\\n'); process.exit(1); });
s.on('close', () => process.exit(0));
`;

async function send(...hex: string[]): Promise<void> {
  const f = await inNs(nsx.name('a'), process.execPath, [speaker, 'send', '10.0.0.2', '179', ...hex]).done;
  if (f.code !== 0) throw new Error(`speaker: ${f.stderr}`);
}

beforeAll(async () => {
  if (skip !== null) return;
  nsx.add('a');
  nsx.add('b');
  nsx.ip('a', 'link', 'add', 'va', 'type', 'veth', 'peer', 'name', 'vb', 'netns', nsx.name('b'));
  nsx.ip('a', 'addr', 'add', '10.0.0.1/24', 'dev', 'va');
  nsx.ip('b', 'addr', 'add', '10.0.0.2/24', 'dev', 'vb');
  nsx.ip('a', 'link', 'set', 'va', 'up');
  nsx.ip('b', 'link', 'set', 'vb', 'up');
  await broker.start();
  const sock = join(tmp, 'broker.sock');
  unixSide = createServer((u) => {
    const t = connect(broker.port, '127.0.0.1');
    piped.add(u).add(t);
    const end = (): void => {
      u.destroy();
      t.destroy();
      piped.delete(u);
      piped.delete(t);
    };
    u.pipe(t);
    t.pipe(u);
    for (const s of [u, t]) {
      s.on('error', end);
      s.on('close', end);
    }
  });
  await new Promise<void>((r) => unixSide!.listen(sock, r));
  writeFileSync(join(tmp, 'relay.mjs'), RELAY);
  writeFileSync(join(tmp, 'flood.mjs'), FLOOD);
  const relay = inNs(nsx.name('a'), process.execPath, [join(tmp, 'relay.mjs'), String(broker.port), sock]);
  const server = inNs(nsx.name('b'), process.execPath, [speaker, 'listen', '10.0.0.2', '179']);
  await relay.until('the relay', (o) => o.includes('relaying'));
  await server.until('the speaker to listen', (o) => o.includes('listening'));
});

afterAll(async () => {
  nsx.cleanup();
  for (const s of piped) s.destroy();
  unixSide?.close();
  await broker.stop();
  rmSync(tmp, { recursive: true, force: true });
});

/** Records of a topic read back by kcat (an independent client), or from the broker's log without kcat. */
async function consumed(topic: string): Promise<{ key: string; headers: string; value: string }[]> {
  if (!hasKcat) return broker.records(topic).map((r) => ({ key: String(r.key), headers: r.headers.map(([k, v]) => `${k}=${String(v)}`).join(','), value: String(r.value) }));
  const k = await runTool('kcat', ['-C', '-b', broker.address, '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%k\t%h\t%s\n']);
  expect(k.status, k.stderr).toBe(0);
  return k.stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const [key, headers, value] = l.split('\t') as [string, string, string];
      return { key, headers, value };
    });
}

/** Lines grouped by the session key of their record, in order. */
function bySession(lines: string[], keyOf: (line: string) => string): Map<string, string[]> {
  const m = new Map<string, string[]>();
  for (const l of lines) m.set(keyOf(l), [...(m.get(keyOf(l)) ?? []), l]);
  return m;
}

/** The documented key: "ip:port ip:port", lower endpoint first. */
function sessionKeyOf(line: string): string {
  const r = JSON.parse(line) as Record<string, unknown>;
  const a = `${String(r['peer_ip'])}:${String(r['src_port'])}`;
  const b = `${String(r['local_ip'])}:${String(r['dst_port'])}`;
  return a <= b ? `${a} ${b}` : `${b} ${a}`;
}

const COUNTS = /^bgpcap: kafka: (\d+) sent, (\d+) retried, (\d+) failed, (\d+) dropped$/m;

describe('bgpcap live --kafka: usage', () => {
  // Checked before any interface is opened or any process started, so no root is needed to see them.
  it.each([
    [['--kafka', 'nohost'], /^bgpcap: --kafka: 'nohost' is not host:port/],
    [['--kafka', '127.0.0.1:9092', '--kafka-topic', 'bgp.{nope}'], /^bgpcap: --kafka-topic 'bgp\.\{nope\}': unknown field \{nope\}/],
    [['--kafka', '127.0.0.1:9092', '--kafka-ca', '/nonexistent/ca.pem'], /^bgpcap: --kafka-ca \/nonexistent\/ca\.pem: no such file$/],
    [['--kafka', '127.0.0.1:9092', '--kafka-sasl', 'plain'], /^bgpcap: --kafka-sasl needs --kafka-user$/],
  ])('%j: exit status 2, one line', (args, message) => {
    const r = spawnSync(process.execPath, [join(root, 'dist/cli.js'), 'live', '-i', 'lo', ...args], { encoding: 'utf8', timeout: 20_000 });
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr.trim()).toMatch(message);
  });
});

describe.skipIf(skip !== null)(`bgpcap live --kafka on a veth pair${skip === null ? '' : ` (skipped: ${skip})`}`, () => {
  it('publishes exactly what it prints, keyed by session, in order; SIGTERM flushes and prints the counts', async () => {
    const p = live(nsx.name('a'), ['-i', 'va', '-f', 'jsonl', '-l', 'elem', '--kafka', broker.address, '--kafka-topic', 'bgp.{iface}', '--kafka-capture-host', 'cap1']);
    await p.until('listening', (_, e) => e.includes('listening on va'));
    await send(OPEN, KEEPALIVE, UPDATE_A, UPDATE_W);
    // Still flushed per record to stdout while Kafka is written too.
    await p.until('the withdrawal', (o) => o.includes('"type":"W"'));
    expect(p.child.exitCode).toBeNull();
    const f = await p.stop('SIGTERM');
    expect(f.code, f.stderr).toBe(0);
    const printed = f.stdout.trim().split('\n');
    const m = COUNTS.exec(f.stderr);
    expect(m, f.stderr).not.toBeNull();
    expect(m!.slice(1).map(Number)).toEqual([printed.length, 0, 0, 0]);
    // The statistics table still follows.
    expect(f.stderr).toMatch(/\nva\s+-\s+\d+\s+0\s+0\s+0\s+\d+/);

    const recs = await consumed('bgp.va');
    expect(recs.map((r) => r.value).sort()).toEqual([...printed].sort());
    for (const r of recs) {
      expect(r.key).toBe(sessionKeyOf(r.value));
      expect(r.headers).toBe('content-type=application/json,bgpcap-schema-version=1,bgpcap-level=elem,bgpcap-host=cap1');
    }
    // kcat reads partition by partition; within a session (one key, one partition) the order is the capture's.
    const want = bySession(printed, sessionKeyOf);
    const got = bySession(
      recs.map((r) => r.value),
      sessionKeyOf,
    );
    expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
    for (const [k, lines] of want) expect(got.get(k)).toEqual(lines);
    // And what was published is what was sent (from the bytes above, not from bgpcap).
    const values = jsonLines(recs.map((r) => r.value).join('\n'));
    expect(values.every((r) => r['iface'] === 'va')).toBe(true);
    const opens = values.filter((r) => r['msg_type'] === 'OPEN').map((r) => `${r['peer_ip']} ${(r['open'] as { my_as: number }).my_as}`);
    expect(opens.sort()).toEqual(['10.0.0.1 65001', '10.0.0.2 65002']);
    const elems = values.filter((r) => r['type'] !== undefined).map((r) => `${r['type']} ${r['prefix']} ${JSON.stringify(r['as_path'])} ${r['next_hop']}`);
    expect(elems).toEqual(['A 10.1.0.0/16 [65001] 10.0.0.1', 'W 10.1.0.0/16 null null']);
  });

  it('no broker: one line on stderr, exit status 4, no interface opened', async () => {
    const p = live(nsx.name('a'), ['-i', 'va', '-f', 'jsonl', '--kafka', '127.0.0.1:1']);
    const f = await p.done;
    expect(f.code, f.stderr).toBe(4);
    expect(f.stdout).toBe('');
    const lines = f.stderr.trim().split('\n');
    expect(lines, f.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^bgpcap: kafka: cannot connect to 127\.0\.0\.1:1: .*\(--kafka-wait SECONDS waits for the broker\)$/);
  });

  it('--kafka-full block: decoding pauses while the broker is away, packets beyond --max-queue are counted as dropped', async () => {
    const topic = 'blk';
    const p = live(nsx.name('a'), [
      '-i', 'va', '-f', 'jsonl', '--kafka', broker.address, '--kafka-topic', topic,
      '--kafka-buffer', '4k', '--max-queue', '16k', '--kafka-flush-timeout', '10',
    ]);
    await p.until('listening', (_, e) => e.includes('listening on va'));
    await send(OPEN, UPDATE_A);
    await p.until('the UPDATE', (o) => o.includes('"UPDATE"'));
    const lines = (): number => p.stdout.trim().split('\n').length;
    await until(() => broker.records(topic).length === lines(), 10_000, 'the first records in Kafka');
    await sleep(200);
    expect(broker.records(topic).length).toBe(lines());
    await broker.stop();
    // 40000 UPDATEs of 44 bytes: 1.7 MB, far more than the pipe and --max-queue hold while decoding waits.
    const flood = await inNs(nsx.name('a'), process.execPath, [join(tmp, 'flood.mjs'), '10.0.0.2', '179', OPEN, UPDATE_A, '40000']).done;
    expect(flood.code, flood.stderr).toBe(0);
    await p.until('the producer to notice', (_, e) => e.includes('bgpcap: kafka: cannot send'));
    await sleep(500);
    await broker.start();
    await p.until('the broker taking records again', (_, e) => e.includes('bgpcap: kafka: sending again'), 15_000);
    const f = await p.stop('SIGTERM');
    expect(f.code, f.stderr).toBe(0);
    const printed = f.stdout.trim().split('\n');
    const m = COUNTS.exec(f.stderr);
    expect(m, f.stderr).not.toBeNull();
    const [sent, retried, failed, dropped] = m!.slice(1).map(Number);
    expect([sent, failed, dropped]).toEqual([printed.length, 0, 0]);
    expect(retried).toBeGreaterThan(0);
    // Nothing in flight when the broker stopped, so each record is stored once.
    const recs = await consumed(topic);
    expect(recs.map((r) => r.value).sort()).toEqual([...printed].sort());
    // Decoding stopped for a while: the capture process dropped what did not fit, and says so.
    const row = /\nva\s+-\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)/.exec(f.stderr);
    expect(row, f.stderr).not.toBeNull();
    const [received, kernel, , bgpcap, messages] = row!.slice(1).map(Number) as [number, number, number, number, number];
    expect(kernel).toBe(0);
    expect(bgpcap).toBeGreaterThan(0);
    expect(bgpcap).toBeLessThan(received);
    expect(messages).toBeLessThan(40002);
    expect(f.stderr).toMatch(/kafka: decoding paused \d+× while the buffer was full/);
  });

  it('stopped while waiting for a broker that does not come back: the rest is decoded, what is left fails, exit status 4', async () => {
    const p = live(nsx.name('a'), ['-i', 'va', '-f', 'jsonl', '--kafka', broker.address, '--kafka-topic', 'gone', '--kafka-buffer', '4k', '--kafka-flush-timeout', '1']);
    await p.until('listening', (_, e) => e.includes('listening on va'));
    await broker.stop();
    const flood = await inNs(nsx.name('a'), process.execPath, [join(tmp, 'flood.mjs'), '10.0.0.2', '179', OPEN, UPDATE_A, '2000']).done;
    expect(flood.code, flood.stderr).toBe(0);
    await p.until('the producer to notice', (_, e) => e.includes('bgpcap: kafka: cannot send'));
    await sleep(300);
    const f = await p.stop('SIGTERM');
    await broker.start();
    expect(f.code, f.stderr).toBe(4);
    const printed = f.stdout.trim().split('\n');
    // The decoder stopped waiting at SIGTERM: every UPDATE captured was decoded and printed.
    const row = /\nva\s+-\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)/.exec(f.stderr);
    expect(row, f.stderr).not.toBeNull();
    expect(row![4]).toBe('0');
    expect(printed.filter((l) => l.includes('"UPDATE"'))).toHaveLength(2000);
    const m = COUNTS.exec(f.stderr);
    expect(m, f.stderr).not.toBeNull();
    const [sent, , failed, dropped] = m!.slice(1).map(Number) as [number, number, number, number];
    expect(failed).toBeGreaterThan(0);
    expect(sent + failed).toBe(printed.length);
    expect(dropped).toBe(0);
    expect(f.stderr).toMatch(/^bgpcap: kafka: \d+ records not delivered within the flush timeout \(1 s\)/m);
  });
});
