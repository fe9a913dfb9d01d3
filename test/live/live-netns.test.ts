// `bgpcap live` on real interfaces: two network namespaces joined by a veth pair, a hand-written BGP speaker
// (speaker.mjs) on each side. Needs root and iproute2; skips with the reason otherwise. Only the namespaces
// created here are removed, with every process in them.
//
// Messages (RFC 4271 §4), written out byte by byte so the expected records do not come from bgpcap:
//   OPEN      version 4, My AS 65001 (fde9), hold time 90 (005a), BGP id 10.0.0.1, no optional parameters
//   KEEPALIVE header only, length 19
//   UPDATE    withdrawn length 0; path attributes 18 bytes: ORIGIN IGP (40 01 01 00), AS_PATH one
//             AS_SEQUENCE of 65001 in 2-octet form (40 02 04 02 01 fde9; no 4-octet capability was sent),
//             NEXT_HOP 10.0.0.1 (40 03 04 0a000001); NLRI 10.1.0.0/16 (10 0a 01). Length 19 + 25 = 44.
//   UPDATE    withdrawing 10.1.0.0/16: withdrawn length 3 (10 0a 01), no attributes. Length 26.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childPids, inNs, jsonLines, live, Namespaces, passwdUid, root, sh, sleep, uids, type Proc } from './harness.js';

const M = 'ff'.repeat(16);
const OPEN = `${M}001d01` + '04fde9005a0a00000100';
const KEEPALIVE = `${M}001304`;
const UPDATE_A = `${M}002c02` + '0000' + '0012' + '40010100' + '4002040201fde9' + '4003040a000001' + '100a01';
const UPDATE_W = `${M}001a02` + '0003100a01' + '0000';

const skip = (await import('./harness.js')).netnsSkipReason();
const speaker = join(root, 'test/live/speaker.mjs');
const nsx = new Namespaces(`bgpcap-live-${process.pid}`);
const tmp = mkdtempSync(join(tmpdir(), 'bgpcap-live-netns-'));
let server: Proc | null = null;

function link(): void {
  nsx.ip('a', 'link', 'add', 'va', 'type', 'veth', 'peer', 'name', 'vb', 'netns', nsx.name('b'));
  nsx.ip('a', 'addr', 'add', '10.0.0.1/24', 'dev', 'va');
  nsx.ip('b', 'addr', 'add', '10.0.0.2/24', 'dev', 'vb');
  nsx.ip('a', 'link', 'set', 'va', 'up');
  nsx.ip('b', 'link', 'set', 'vb', 'up');
}

async function send(...hex: string[]): Promise<void> {
  const p = inNs(nsx.name('a'), process.execPath, [speaker, 'send', '10.0.0.2', '179', ...hex]);
  const f = await p.done;
  if (f.code !== 0) throw new Error(`speaker: ${f.stderr}`);
}

beforeAll(async () => {
  if (skip !== null) return;
  nsx.add('a');
  nsx.add('b');
  link();
  server = inNs(nsx.name('b'), process.execPath, [speaker, 'listen', '10.0.0.2', '179']);
  await server.until('the speaker to listen', (o) => o.includes('listening'));
});

afterAll(() => {
  nsx.cleanup();
  rmSync(tmp, { recursive: true, force: true });
});

describe.skipIf(skip !== null)(`bgpcap live on a veth pair${skip === null ? '' : ` (skipped: ${skip})`}`, () => {
  it('writes each record as it arrives, labelled with the interface; SIGINT flushes and prints statistics', async () => {
    const summary = join(tmp, 'summary1.json');
    const p = live(nsx.name('a'), ['-i', 'va', '-f', 'jsonl', '-l', 'elem', '--summary', summary]);
    await p.until('listening', (_, e) => e.includes('listening on va'));
    await send(OPEN, KEEPALIVE, UPDATE_A, UPDATE_W);
    // Flushed per record: the withdrawal is on stdout while bgpcap is still running.
    await p.until('the withdrawal', (o) => o.includes('"type":"W"'));
    expect(p.child.exitCode).toBeNull();
    const f = await p.stop('SIGINT');
    expect(f.code).toBe(0);
    const recs = jsonLines(f.stdout);
    expect(recs.every((r) => r['iface'] === 'va' && r['mux'] === null && r['file'] === null)).toBe(true);
    const opens = recs.filter((r) => r['msg_type'] === 'OPEN');
    expect(opens.map((r) => `${r['peer_ip']} ${(r['open'] as { my_as: number }).my_as}`).sort()).toEqual(['10.0.0.1 65001', '10.0.0.2 65002']);
    const elems = recs.filter((r) => r['type'] !== undefined).map((r) => `${r['type']} ${r['prefix']} ${JSON.stringify(r['as_path'])} ${r['next_hop']}`);
    expect(elems).toEqual(['A 10.1.0.0/16 [65001] 10.0.0.1', 'W 10.1.0.0/16 null null']);
    // Statistics on stderr: one row per interface with the kernel's counters.
    expect(f.stderr).toMatch(/interface\s+mux\s+received\s+dropped by kernel\s+dropped by interface\s+dropped by bgpcap/);
    expect(f.stderr).toMatch(/\nva\s+-\s+\d+\s+0\s+0\s+0\s+\d+/);
    const s = JSON.parse(readFileSync(summary, 'utf8')) as { interfaces: { iface: string; received: number; droppedKernel: number; captured: number }[] };
    expect(s.interfaces[0]).toMatchObject({ iface: 'va', droppedKernel: 0 });
    expect(s.interfaces[0]!.received).toBe(s.interfaces[0]!.captured);
  });

  it('the decoder runs as nobody once the interfaces are open; the capture process does not decode', async () => {
    const nobody = passwdUid('nobody');
    expect(nobody).not.toBeNull();
    const p = live(nsx.name('a'), ['-i', 'va', '-f', 'jsonl']);
    await p.until('listening', (_, e) => e.includes('listening on va'));
    await send(OPEN, KEEPALIVE);
    await p.until('a record', (o) => o.includes('"OPEN"'));
    const kids = childPids(p.pid);
    expect(kids).toHaveLength(1);
    expect(uids(kids[0]!)).toEqual([nobody, nobody, nobody, nobody]);
    expect(uids(p.pid)[0]).toBe(0);
    const f = await p.stop('SIGTERM');
    expect(f.code).toBe(0);
    expect(f.stderr).toContain(`decoder: pid ${kids[0]}, uid ${nobody}`);

    const q = live(nsx.name('a'), ['-i', 'va', '-f', 'none', '--no-drop-privileges']);
    await q.until('listening', (_, e) => e.includes('listening on va'));
    await sleep(300);
    const k2 = childPids(q.pid);
    expect(uids(k2[0]!)[0]).toBe(0);
    expect((await q.stop()).code).toBe(0);
  });

  it('the decoder compiles on a helper thread though the `bgpcap` command starts node compiling on its main one', async () => {
    // The command (dist/cli.js run as a program: its shell line) gives node --no-concurrent-recompilation, and the
    // decoder gets the capture process's flags first; its own (source/live.ts DECODER_V8_FLAGS) come after them.
    const c = inNs(nsx.name('a'), join(root, 'dist/cli.js'), ['live', '-i', 'va', '-f', 'none']);
    await c.until('listening', (_, e) => e.includes('listening on va'));
    await sleep(300);
    const kids = childPids(c.pid);
    expect(kids).toHaveLength(1);
    const flags = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter((a) => /^--(no-)?concurrent-recompilation$/.test(a));
    expect(flags(c.pid)).toEqual(['--no-concurrent-recompilation']);
    expect(flags(kids[0]!)).toEqual(['--no-concurrent-recompilation', '--concurrent-recompilation']);
    expect((await c.stop()).code).toBe(0);
    // Of the two, V8 takes the last: a hot function compiled concurrently (the control: with the first alone, not).
    const mode = (...f: string[]) =>
      /mode: ConcurrencyMode::(\w+)/.exec(
        sh(process.execPath, [...f, '--trace-opt', '-e', 'function f(x) { return x * 2 } let s = 0; for (let i = 0; i < 1e6; i++) s += f(i);']),
      )?.[1];
    expect(mode('--no-concurrent-recompilation')).toBe('kSynchronous');
    expect(mode('--no-concurrent-recompilation', '--concurrent-recompilation')).toBe('kConcurrent');
  });

  it('reports an interface that disappears, keeps running, and captures again when it comes back', async () => {
    const summary = join(tmp, 'summary2.json');
    const p = live(nsx.name('a'), ['-i', 'va', '-f', 'jsonl', '-l', 'elem', '--summary', summary, '--poll-interval', '200']);
    await p.until('listening', (_, e) => e.includes('listening on va'));
    await send(OPEN, UPDATE_A);
    await p.until('the first announcement', (o) => o.includes('"type":"A"'));
    nsx.ip('a', 'link', 'del', 'va');
    await p.until('the loss report', (_, e) => /va: interface gone/.test(e));
    expect(p.child.exitCode).toBeNull();
    link();
    await p.until('re-attachment', (_, e) => e.includes('capturing again on va'));
    await send(OPEN, UPDATE_W);
    await p.until('the withdrawal after re-attachment', (o) => o.includes('"type":"W"'));
    // Down and up faster than the poll notices: the capture must go on (the socket stops waking up otherwise).
    sh('ip', ['-n', nsx.name('a'), 'link', 'set', 'va', 'down']);
    sh('ip', ['-n', nsx.name('a'), 'link', 'set', 'va', 'up']);
    await sleep(600);
    await send(OPEN, UPDATE_A);
    await p.until('an announcement after down/up', (o) => o.split('"type":"A"').length === 3);
    const f = await p.stop('SIGINT');
    expect(f.code).toBe(0);
    const recs = jsonLines(f.stdout);
    const seq = recs.map((r) => (r['event'] as string | undefined) ?? (r['type'] as string | undefined) ?? (r['msg_type'] as string));
    const down = seq.indexOf('iface_down');
    const up = seq.indexOf('iface_up');
    expect(down).toBeGreaterThan(seq.indexOf('A'));
    expect(up).toBeGreaterThan(down);
    expect(seq.indexOf('W')).toBeGreaterThan(up);
    expect(recs.find((r) => r['event'] === 'iface_down')).toMatchObject({ iface: 'va', message: 'va: interface gone (tunnel down?)' });
    const s = JSON.parse(readFileSync(summary, 'utf8')) as { interfaces: { attached: number; detached: number; droppedKernel: number }[] };
    expect(s.interfaces[0]!.detached).toBeGreaterThanOrEqual(1);
    // Re-opened after the deletion, and once more after the quick down/up (that one is not a loss).
    expect(s.interfaces[0]!.attached).toBeGreaterThanOrEqual(s.interfaces[0]!.detached + 1);
    expect(s.interfaces[0]!.droppedKernel).toBe(0);
  });

  it('--write saves rotated pcap files that read back to the same records', async () => {
    const dir = mkdtempSync(join(tmp, 'write-'));
    const p = live(nsx.name('a'), ['-i', 'va', '-f', 'jsonl', '--write', dir, '--rotate-size', '400']);
    await p.until('listening', (_, e) => e.includes('listening on va'));
    for (let i = 0; i < 3; i++) await send(OPEN, KEEPALIVE, UPDATE_A, UPDATE_W);
    await p.until('the last withdrawal', (o) => o.split('"UPDATE"').length === 7);
    const f = await p.stop('SIGINT');
    expect(f.code).toBe(0);
    const files = readdirSync(dir).sort();
    expect(files.length).toBeGreaterThan(2);
    expect(files.every((n) => /^va\.[0-9]{4}\.pcap$/.test(n))).toBe(true);
    const liveMsgs = jsonLines(f.stdout).filter((r) => r['msg_type'] !== undefined);
    // Every record names the file and frame it was saved as.
    expect(liveMsgs.every((r) => typeof r['file'] === 'string' && (r['file'] as string).startsWith(dir))).toBe(true);
    const read = sh(process.execPath, [join(root, 'dist/cli.js'), 'read', '-f', 'jsonl', ...files.map((n) => join(dir, n))]);
    const readMsgs = jsonLines(read).filter((r) => r['msg_type'] !== undefined);
    const key = (r: Record<string, unknown>): string => `${r['file']}#${r['frame']} ${r['peer_ip']} ${r['msg_type']} ${r['length']}`;
    expect(readMsgs.map(key)).toEqual(liveMsgs.map(key));
  });

  it('--backend cap captures too (no kernel timestamps or counters: the table says n/a)', async () => {
    const p = live(nsx.name('a'), ['-i', 'va', '-f', 'jsonl', '--backend', 'cap']);
    await p.until('listening', (_, e) => e.includes('listening on va'));
    await send(OPEN, UPDATE_A);
    await p.until('the announcement', (o) => o.includes('"UPDATE"'));
    const f = await p.stop('SIGINT');
    expect(f.code).toBe(0);
    expect(f.stderr).toMatch(/\nva\s+-\s+\d+\*\s+n\/a\s+n\/a\s+0/);
    const u = jsonLines(f.stdout).find((r) => r['msg_type'] === 'UPDATE')!;
    expect(Math.abs((u['timestamp'] as number) - Date.now() / 1000)).toBeLessThan(30);
  });
});
