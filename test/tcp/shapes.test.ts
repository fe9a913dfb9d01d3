// src/shapes.ts: a connection's objects have their final hidden class from the start, so the first connection
// to end (a FIN sequence number above 2^31), to hold a segment out of order or to cross 2^31 bytes does not
// throw away the optimised code that reads them. Checked with V8's own view (a child node with
// --allow-natives-syntax): a function optimised on one connection's objects stays optimised after another
// connection's fields take those values, and both objects keep one map. Without settle() the function is
// deoptimised and the maps differ.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { settle } from '../../src/shapes.js';

const dist = join(fileURLToPath(new URL('../..', import.meta.url)), 'dist');

/** Runs `body` (an ES module, natives syntax allowed) and returns its stdout lines. */
function v8(body: string): string[] {
  const r = spawnSync(process.execPath, ['--allow-natives-syntax', '--input-type=module', '-e', body], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout.trim().split('\n');
}

// %GetOptimizationStatus bits (V8 runtime-test.cc): 1 << 4 optimised, 1 << 7 running in the interpreter.
const OPTIMISED = 1 << 4;

/** Optimise `read` on object a, give object b's fields `writes`, call read on both; print status and same-map. */
const probe = (setup: string, fields: string, writes: string): string => `
${setup}
function read(o) { return ${fields}; }
%PrepareFunctionForOptimization(read); read(a); read(b); %OptimizeFunctionOnNextCall(read); read(a);
const before = %GetOptimizationStatus(read);
${writes}
read(a); read(b);
console.log(before);
console.log(%GetOptimizationStatus(read));
console.log(%HaveSameMap(a, b));
`;

function expectSettled(lines: string[]): void {
  expect(Number(lines[0]) & OPTIMISED).toBe(OPTIMISED);
  expect(Number(lines[1]) & OPTIMISED).toBe(OPTIMISED);
  expect(lines[2]).toBe('true');
}

describe('object shapes settled at construction', () => {
  it('the two directions of a connection: sequence numbers past 2^31, FIN, held data', () => {
    const setup = `
import { TcpReassembler } from '${dist}/tcp/reassembler.js';
const r = new TcpReassembler(new Proxy({}, { get: () => () => {} }));
const syn = (port) => ({ frameNo: 1, ts: { sec: 1, nsec: 0 }, iface: null, ipVersion: 4, srcIp: '10.0.0.1', dstIp: '10.0.0.2',
  srcPort: port, dstPort: 179, seq: 1000, ack: 0, flags: 2, payload: new Uint8Array(0), missing: 0, srcMac: null, dstMac: null });
r.push(syn(50000)); r.push(syn(50001));
const [a, b] = [...r.flows.values()].filter((h) => h.dstPort === 179);`;
    const fields = 'o.startSeq + o.isn + o.next + o.finSeq + o.lastSec + (o.finSet ? 1 : 0) + (o.ended ? 1 : 0) + o.heldHead + o.bufferedBytes';
    const writes = 'b.startSeq = 0xffffff00; b.isn = 0xfffffeff; b.next = 0xffffff10; b.finSeq = 0xfffffff0; b.lastSec = 0x90000000; b.finSet = true; b.ended = true; b.heldHead = 3; b.bufferedBytes = 100;';
    expectSettled(v8(probe(setup, fields, writes)));
  });

  it('the framer: stream offsets past 2^31, a message or a header across segments', () => {
    const setup = `
import { BgpFramer } from '${dist}/tcp/framer.js';
const out = new Proxy({}, { get: () => () => {} });
const a = new BgpFramer({ maxMessageLength: 4096 }, out);
const b = new BgpFramer({ maxMessageLength: 4096 }, out);`;
    const fields = 'o.received + o.pendFill + o.hdrFill + o.state + o.scanLen + (o.pend === null ? 0 : 1)';
    const writes = 'b.received = 0x80000010; b.pendFill = 7; b.hdrFill = 3; b.state = 1; b.scanLen = 2; b.pend = new Uint8Array(19);';
    expectSettled(v8(probe(setup, fields, writes)));
  });

  it("the link layer's TCP header scratch: u32 sequence and acknowledgement numbers", () => {
    const setup = `
import { newTcpHeader } from '${dist}/link/tcp.js';
const a = newTcpHeader();
const b = newTcpHeader();`;
    const writes = 'b.seq = 0xfffffff0; b.ack = 0x80000001; b.flags = 0x18; b.payloadOff = 54;';
    expectSettled(v8(probe(setup, 'o.seq + o.ack + o.flags + o.payloadOff', writes)));
  });

  it('settle leaves every value as it was', () => {
    const o = { n: 5, big: 0, flag: false, s: 'x', ref: null as object | null, frac: 0.25 };
    settle(o, ['big', 'frac'], ['n', 'flag', 's', 'ref']);
    expect(o).toEqual({ n: 5, big: 0, flag: false, s: 'x', ref: null, frac: 0.25 });
    expect(Object.is(o.big, 0)).toBe(true);
  });
});
