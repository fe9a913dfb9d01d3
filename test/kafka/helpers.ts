// Shared by the Kafka suites: the test broker, the CLI run asynchronously (the broker lives in this process,
// so a synchronous spawn would starve it), and synthetic captures whose UPDATEs carry their sequence number.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
import { open, PcapWriter, tcpFrame, update, type Endpoint } from '../../bench/lib/synth.js';
import { TestBroker } from './broker/broker.js';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const cli = join(root, 'dist/cli.js');

/** For a suite's tests: a function that starts a test broker; every broker started is stopped after its test. */
export function useBrokers(): (opts?: ConstructorParameters<typeof TestBroker>[0]) => Promise<TestBroker> {
  const brokers: TestBroker[] = [];
  afterEach(async () => {
    for (const b of brokers.splice(0)) await b.stop();
  });
  return async (opts = {}) => {
    const b = new TestBroker(opts);
    await b.start();
    brokers.push(b);
    return b;
  };
}

export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface Running {
  child: ChildProcess;
  /** stdout and stderr so far. */
  out: () => string;
  err: () => string;
  done: Promise<Run>;
}

export interface RunOptions {
  input?: Buffer;
  timeoutMs?: number;
  env?: Record<string, string>;
  /** Run dist/cli.js as the `bgpcap` command runs: a script, through its shell lines (src/cli.ts). */
  command?: boolean;
}

/** Start `node dist/cli.js ...args`; `done` resolves at exit (killed after timeoutMs). */
export function start(args: string[], opts: RunOptions = {}): Running {
  const env = { ...process.env, CI: '1', ...opts.env };
  const child = opts.command === true ? spawn(cli, args, { env, stdio: ['pipe', 'pipe', 'pipe'] }) : spawn(process.execPath, [cli, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  if (opts.input !== undefined) child.stdin!.end(opts.input);
  else child.stdin!.end();
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 25000);
  const done = new Promise<Run>((resolve) => {
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
  return { child, out: () => stdout, err: () => stderr, done };
}

export function run(args: string[], opts: RunOptions = {}): Promise<Run> {
  return start(args, opts).done;
}

/** Run an external program (kcat) asynchronously. */
export function runTool(cmd: string, args: string[], input?: string | Buffer, timeoutMs = 20000): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', (e) => resolve({ status: -1, stdout, stderr: String(e) }));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
    child.stdin.end(input);
  });
}

export function jsonLines(s: string): Record<string, unknown>[] {
  return s
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Poll until `cond` holds (or fail after timeoutMs; `what` may be a function, read then: e.g. a child's stderr). */
export async function until(cond: () => boolean, timeoutMs: number, what: string | (() => string)): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    await sleep(20);
  }
}

export interface SessionSpec {
  /** Speaker A (sends the UPDATEs): 10.0.<i>.1, port 179; B: 10.0.<i>.2, port 40000+i. */
  index: number;
  asn: number;
}

/**
 * A capture with `sessions` BGP sessions whose messages are interleaved in time: OPENs both ways, then
 * `updates` UPDATEs from A to B, UPDATE k announcing 100.<i>.<k/256>.<k%256>/32 with MED k, so the order of
 * a session's records can be read off the MED. One message per TCP segment, handshake and FIN included.
 */
export function sequencedCapture(path: string, sessions: number, updates: number): void {
  const w = new PcapWriter();
  let t = 1_700_000_000_000_000;
  const ends: { a: Endpoint; b: Endpoint; sa: number; sb: number }[] = [];
  for (let i = 0; i < sessions; i++) {
    const a: Endpoint = { ip: [10, 0, i, 1], port: 179, mac: [2, 0, 0, 0, i, 1] };
    const b: Endpoint = { ip: [10, 0, i, 2], port: 40000 + i, mac: [2, 0, 0, 0, i, 2] };
    const isnA = 1000 * (i + 1);
    const isnB = 5000 * (i + 1);
    w.packet(t++, tcpFrame(b, a, isnB, 0, 0x02, new Uint8Array(0)));
    w.packet(t++, tcpFrame(a, b, isnA, isnB + 1, 0x12, new Uint8Array(0)));
    w.packet(t++, tcpFrame(b, a, isnB + 1, isnA + 1, 0x10, new Uint8Array(0)));
    ends.push({ a, b, sa: isnA + 1, sb: isnB + 1 });
  }
  const send = (i: number, fromA: boolean, msg: Uint8Array): void => {
    const e = ends[i]!;
    if (fromA) {
      w.packet(t++, tcpFrame(e.a, e.b, e.sa >>> 0, e.sb >>> 0, 0x18, msg));
      e.sa += msg.length;
    } else {
      w.packet(t++, tcpFrame(e.b, e.a, e.sb >>> 0, e.sa >>> 0, 0x18, msg));
      e.sb += msg.length;
    }
  };
  for (let i = 0; i < sessions; i++) {
    send(i, true, open({ asn: 65000 + i, bgpId: `10.0.${i}.1` }));
    send(i, false, open({ asn: 64512, bgpId: `10.0.${i}.2` }));
  }
  for (let k = 0; k < updates; k++) {
    for (let i = 0; i < sessions; i++) {
      send(i, true, update({ nlri: [{ addr: [100, i, (k >> 8) & 0xff, k & 0xff], len: 32 }], asPath: [65000 + i, 3356], nextHop: [10, 0, i, 1], med: k }));
    }
  }
  writeFileSync(path, w.bytes());
}

/** Session index and MED of a JSON UPDATE record of sequencedCapture (null for other records). */
export function seqOf(rec: Record<string, unknown>): { session: number; med: number } | null {
  if (rec['msg_type'] !== 'UPDATE' || typeof rec['med'] !== 'number' || typeof rec['peer_ip'] !== 'string') return null;
  return { session: Number((rec['peer_ip'] as string).split('.')[2]), med: rec['med'] as number };
}
