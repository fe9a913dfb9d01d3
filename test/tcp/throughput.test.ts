// Throughput report (no assertion): in-order 1448-byte segments, each carrying several ~60-byte messages
// (most messages complete inside a segment, one straddles each boundary). Prints messages/s.

import { describe, it } from 'vitest';
import type { Segment } from '../../src/types.js';
import { TcpReassembler } from '../../src/tcp/reassembler.js';
import type { StreamConsumer } from '../../src/tcp/stream.js';
import { bgpMessage, concat } from './helpers.js';

describe('throughput', () => {
  it('reports messages/s for in-order 1448-byte segments of ~60-byte messages', () => {
    const msgs: Uint8Array[] = [];
    for (let i = 0; i < 50_000; i++) msgs.push(bgpMessage(2, 50 + (i % 21), i)); // 50..70 bytes
    const stream = concat(msgs);
    const MSS = 1448;
    let count = 0;
    const consumer: StreamConsumer = {
      message: () => {
        count++;
      },
      event: () => {},
    };
    // One reused payload buffer, as a capture source would do.
    const buf = new Uint8Array(MSS);
    const seg: Segment = {
      frameNo: 0,
      ts: { sec: 0, nsec: 0 },
      iface: null,
      ipVersion: 4,
      srcIp: '192.0.2.1',
      dstIp: '192.0.2.2',
      srcPort: 179,
      dstPort: 40000,
      seq: 0,
      ack: 1,
      flags: 0x18,
      payload: buf,
      missing: 0,
      srcMac: null,
      dstMac: null,
    };
    const runOnce = (swap: boolean): number => {
      const r = new TcpReassembler(consumer);
      r.push({ ...seg, seq: 999, flags: 0x02, payload: new Uint8Array(0) });
      const t0 = process.hrtime.bigint();
      const seq = 1000;
      let frame = 1;
      for (let o = 0; o < stream.length; o += MSS) {
        // With `swap`, segments 2k and 2k+1 arrive in the opposite order (one held segment each time).
        const k = o / MSS;
        const oo = swap ? (k % 2 === 0 ? (o + MSS < stream.length ? o + MSS : o) : o - MSS) : o;
        const n = Math.min(MSS, stream.length - oo);
        buf.set(stream.subarray(oo, oo + n));
        seg.payload = n === MSS ? buf : buf.subarray(0, n);
        seg.seq = (seq + oo) >>> 0;
        seg.frameNo = ++frame;
        r.push(seg);
      }
      r.flush();
      return Number(process.hrtime.bigint() - t0) / 1e9;
    };
    for (const swap of [false, true]) {
      let best = Infinity;
      count = 0;
      for (let i = 0; i < 8; i++) best = Math.min(best, runOnce(swap));
      const perRun = msgs.length;
      console.log(
        `TcpReassembler${swap ? ' (pairs of segments swapped)' : ''}: ${(perRun / best / 1e6).toFixed(2)} M messages/s, ${((stream.length / best) * 8e-9).toFixed(2)} Gbit/s ` +
          `(${perRun} messages of 50..70 bytes in ${Math.ceil(stream.length / MSS)} segments of ${MSS} bytes; best of 8; ${count / 8} messages per run)`,
      );
    }
  });
});
