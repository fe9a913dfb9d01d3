// Property-style tests: random BGP-like message sequences, random segmentation, reordering, duplication and
// overlapping retransmissions within a window. The expected output is computed from the generated stream by an
// independent model (a coverage map of which stream bytes have arrived), not by the code under test.

import { describe, expect, it } from 'vitest';
import type { Segment } from '../../src/types.js';
import { TcpReassembler } from '../../src/tcp/reassembler.js';
import { A, ACK, B, KEEPALIVE, PSH, Recorder, SYN, bgpMessage, concat, hex, pushScratch, rng, seg } from './helpers.js';

function randomMessages(rand: () => number, n: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    const t = 1 + Math.floor(rand() * 5);
    const r = rand();
    let len: number;
    if (t === 4) {
      out.push(KEEPALIVE);
      continue;
    } else if (t === 1) len = 29 + Math.floor(r * 80);
    else if (t === 2) len = r < 0.05 ? 23 + Math.floor(rand() * 4073) : 23 + Math.floor(r * 300);
    else if (t === 3) len = 21 + Math.floor(r * 40);
    else len = 23 + Math.floor(r * 10);
    out.push(bgpMessage(t, len, Math.floor(rand() * 1000)));
  }
  return out;
}

interface Piece {
  off: number;
  len: number;
}

/** Cut [0, total) into pieces, then add duplicates and overlapping retransmissions, then reorder within `win`. */
function scramble(rand: () => number, total: number, maxSeg: number, win: number): Piece[] {
  const base: Piece[] = [];
  for (let o = 0; o < total; ) {
    const l = Math.min(total - o, 1 + Math.floor(rand() * maxSeg));
    base.push({ off: o, len: l });
    o += l;
  }
  const all: { p: Piece; key: number }[] = [];
  base.forEach((p, i) => {
    all.push({ p, key: i + rand() * win });
    if (rand() < 0.15) all.push({ p, key: i + rand() * win * 2 }); // duplicate
    const nx = base[i + 1];
    if (nx !== undefined && rand() < 0.1) {
      // retransmission covering the second half of this piece and part of the next one
      const from = p.off + Math.floor(p.len / 2);
      all.push({ p: { off: from, len: nx.off + Math.ceil(nx.len / 2) - from }, key: i + rand() * win * 2 });
    }
  });
  all.sort((x, y) => x.key - y.key);
  return all.map((x) => x.p);
}

/** For each message end, the index in `order` of the piece after which the contiguous prefix first covers it. */
function completingIndex(order: Piece[], total: number, ends: number[]): number[] {
  const have = new Uint8Array(total);
  let prefix = 0;
  const res = new Array<number>(ends.length).fill(-1);
  let k = 0;
  order.forEach((p, idx) => {
    have.fill(1, p.off, p.off + p.len);
    while (prefix < total && have[prefix] === 1) prefix++;
    while (k < ends.length && ends[k]! <= prefix) res[k++] = idx;
  });
  return res;
}

function endsOf(msgs: Uint8Array[]): number[] {
  const ends: number[] = [];
  let o = 0;
  for (const m of msgs) ends.push((o += m.length));
  return ends;
}

describe('random segmentation, reordering and duplication', () => {
  it('delivers exactly the generated messages, each at its completing frame (300 seeds)', () => {
    for (let s = 1; s <= 300; s++) {
      const rand = rng(s);
      const msgsA = randomMessages(rand, 1 + Math.floor(rand() * 40));
      const msgsB = randomMessages(rand, Math.floor(rand() * 10));
      const sa = concat(msgsA);
      const sb = concat(msgsB);
      const isnA = rand() < 0.3 ? (0xffffffff - Math.floor(rand() * 3000)) >>> 0 : Math.floor(rand() * 2 ** 32);
      const isnB = Math.floor(rand() * 2 ** 32);
      const maxSeg = [3, 40, 200, 1448, 8000][Math.floor(rand() * 5)]!;
      const orderA = scramble(rand, sa.length, maxSeg, 1 + Math.floor(rand() * 6));
      const orderB = scramble(rand, sb.length, maxSeg, 1 + Math.floor(rand() * 6));

      const rec = new Recorder();
      const r = new TcpReassembler(rec);
      const push = (x: Segment) => pushScratch((y) => r.push(y), x);
      let frame = 1;
      push(seg({ frameNo: frame++, seq: isnA, flags: SYN }));
      push(seg({ frameNo: frame++, seq: isnB, ack: isnA + 1, flags: SYN | ACK, dir: 'b' }));
      // Interleave A's pieces with B's; B acknowledges only what A has contiguously sent so far (a true ACK).
      const haveA = new Uint8Array(sa.length);
      let prefixA = 0;
      const frameOfA: number[] = [];
      const frameOfB: number[] = [];
      let ib = 0;
      for (const p of orderA) {
        frameOfA.push(frame);
        push(seg({ frameNo: frame++, seq: isnA + 1 + p.off, ack: isnB + 1, payload: sa.subarray(p.off, p.off + p.len) }));
        haveA.fill(1, p.off, p.off + p.len);
        while (prefixA < sa.length && haveA[prefixA] === 1) prefixA++;
        if (ib < orderB.length && rand() < 0.5) {
          const q = orderB[ib++]!;
          frameOfB.push(frame);
          push(seg({ frameNo: frame++, seq: isnB + 1 + q.off, ack: isnA + 1 + prefixA, flags: ACK | PSH, payload: sb.subarray(q.off, q.off + q.len), dir: 'b' }));
        }
      }
      for (; ib < orderB.length; ib++) {
        const q = orderB[ib]!;
        frameOfB.push(frame);
        push(seg({ frameNo: frame++, seq: isnB + 1 + q.off, ack: isnA + 1 + prefixA, flags: ACK | PSH, payload: sb.subarray(q.off, q.off + q.len), dir: 'b' }));
      }
      r.flush();

      expect(rec.events, `seed ${s}`).toEqual([]);
      expect(rec.hexes(A), `seed ${s}`).toEqual(msgsA.map(hex));
      expect(rec.hexes(B), `seed ${s}`).toEqual(msgsB.map(hex));
      const wantA = completingIndex(orderA, sa.length, endsOf(msgsA)).map((i) => frameOfA[i]);
      const wantB = completingIndex(orderB, sb.length, endsOf(msgsB)).map((i) => frameOfB[i]);
      expect(rec.messages.filter((m) => m.dir === A).map((m) => m.frameNo), `seed ${s}`).toEqual(wantA);
      expect(rec.messages.filter((m) => m.dir === B).map((m) => m.frameNo), `seed ${s}`).toEqual(wantB);
      expect(r.bufferedBytes).toBe(0);
    }
  });
});

describe('random loss without retransmission', () => {
  it.each([
    ['given up at flush', false],
    ['given up when the receiver acknowledges past them', true],
  ])('delivers exactly the messages inside received runs, accounts for every byte; holes %s (300 seeds)', (_, withAcks) => {
    for (let s = 1; s <= 300; s++) {
      const rand = rng(1000 + s);
      const msgs = randomMessages(rand, 2 + Math.floor(rand() * 40));
      const stream = concat(msgs);
      const isn = Math.floor(rand() * 2 ** 32);
      const order = scramble(rand, stream.length, [5, 60, 500][Math.floor(rand() * 3)]!, 1 + Math.floor(rand() * 4));
      // Lose some pieces, and with them every piece that overlaps a lost one (see below).
      const lost = new Set(order.filter(() => rand() < 0.15));
      // Close over overlaps, so that no captured copy carries a byte of a lost piece (else the model would
      // count as received a late retransmission of bytes the receiver already acknowledged).
      const overlaps = (p: Piece, l: Piece) => p.off < l.off + l.len && l.off < p.off + p.len;
      for (let grew = true; grew; ) {
        grew = false;
        for (const p of order) {
          if (lost.has(p)) continue;
          for (const l of lost) {
            if (overlaps(p, l)) {
              lost.add(p);
              grew = true;
              break;
            }
          }
        }
      }
      const isLost = (p: Piece) => lost.has(p);
      const kept = order.filter((p) => !isLost(p));

      const have = new Uint8Array(stream.length);
      for (const p of kept) have.fill(1, p.off, p.off + p.len);
      const received = have.reduce((t, x) => t + x, 0);
      // Lost bytes after the last captured one cannot be noticed; the others must all be reported.
      const lastHave = have.lastIndexOf(1);
      let missingBefore = 0;
      for (let k = 0; k < lastHave; k++) if (have[k] === 0) missingBefore++;
      const ends = endsOf(msgs);
      const expected = msgs.filter((_, i) => {
        const st = ends[i]! - msgs[i]!.length;
        for (let k = st; k < ends[i]!; k++) if (have[k] !== 1) return false;
        return true;
      });

      const rec = new Recorder();
      const r = new TcpReassembler(rec, { ackGapHeuristic: withAcks });
      const push = (x: Segment) => pushScratch((y) => r.push(y), x);
      push(seg({ frameNo: 1, seq: isn, flags: SYN }));
      // The receiver got every piece (only the capture lost some): it acknowledges the contiguous prefix of
      // all pieces sent so far, lost ones included.
      const sent = new Uint8Array(stream.length);
      let prefix = 0;
      let frame = 2;
      for (const p of order) {
        if (!isLost(p)) push(seg({ frameNo: frame++, seq: isn + 1 + p.off, payload: stream.subarray(p.off, p.off + p.len) }));
        sent.fill(1, p.off, p.off + p.len);
        while (prefix < stream.length && sent[prefix] === 1) prefix++;
        if (withAcks) push(seg({ frameNo: frame++, seq: 1, ack: isn + 1 + prefix, flags: ACK, dir: 'b' }));
      }
      r.flush();

      expect(rec.hexes(), `seed ${s}`).toEqual(expected.map(hex));
      const lostEv = rec.events.filter((e) => e.code === 'gap' && e.message.includes('never captured'));
      const skippedEv = rec.events.filter((e) => !lostEv.includes(e));
      expect(lostEv.reduce((t, e) => t + e.bytesSkipped!, 0), `seed ${s}`).toBe(missingBefore);
      const delivered = expected.reduce((t, m) => t + m.length, 0);
      expect(skippedEv.every((e) => e.code === 'gap' || e.code === 'incomplete_message'), `seed ${s}`).toBe(true);
      expect(delivered + skippedEv.reduce((t, e) => t + e.bytesSkipped!, 0), `seed ${s}`).toBe(received);
    }
  });
});

describe('random garbage mixed with messages', () => {
  it('never throws, hands on only well-framed messages, and accounts for every byte (300 seeds)', () => {
    for (let s = 1; s <= 300; s++) {
      const rand = rng(5000 + s);
      const parts: Uint8Array[] = [];
      const n = 1 + Math.floor(rand() * 30);
      for (let i = 0; i < n; i++) {
        const k = rand();
        if (k < 0.5) parts.push(randomMessages(rand, 1)[0]!);
        else if (k < 0.65) parts.push(Uint8Array.from({ length: Math.floor(rand() * 50) }, () => Math.floor(rand() * 256)));
        else if (k < 0.75) parts.push(new Uint8Array(1 + Math.floor(rand() * 40)).fill(0xff));
        else {
          // a header that is wrong in one way: marker byte, length below 19, length above 4096
          const m = bgpMessage(2, 23 + Math.floor(rand() * 60), i);
          const how = Math.floor(rand() * 3);
          if (how === 0) m[Math.floor(rand() * 16)] = Math.floor(rand() * 255);
          else if (how === 1) m[17] = Math.floor(rand() * 19);
          else m[16] = 0x10 + Math.floor(rand() * 0x40);
          parts.push(m);
        }
      }
      const stream = concat(parts);
      const rec = new Recorder();
      const r = new TcpReassembler(rec);
      const push = (x: Segment) => pushScratch((y) => r.push(y), x);
      const synced = rand() < 0.5;
      if (synced) push(seg({ frameNo: 1, seq: 99, flags: SYN }));
      let frame = 2;
      for (let o = 0; o < stream.length; ) {
        const l = Math.min(stream.length - o, 1 + Math.floor(rand() * 300));
        push(seg({ frameNo: frame++, seq: 100 + o, payload: stream.subarray(o, o + l) }));
        o += l;
      }
      r.flush();
      let delivered = 0;
      for (const m of rec.messages) {
        expect(m.bytes.subarray(0, 16).every((x) => x === 0xff), `seed ${s}`).toBe(true);
        expect((m.bytes[16]! << 8) | m.bytes[17]!, `seed ${s}`).toBe(m.bytes.length);
        expect(m.bytes.length >= 19 && m.bytes.length <= 4096, `seed ${s}`).toBe(true);
        delivered += m.bytes.length;
      }
      const skipped = rec.events.filter((e) => e.code !== 'bad_header').reduce((t, e) => t + e.bytesSkipped!, 0);
      expect(rec.events.every((e) => ['gap', 'bad_header', 'incomplete_message'].includes(e.code)), `seed ${s}`).toBe(true);
      expect(delivered + skipped, `seed ${s}`).toBe(stream.length);
      expect(r.bufferedBytes).toBe(0);
    }
  });
});

describe('a consumer that peeks at messages in place (StreamConsumer.peek)', () => {
  it('sees every message once, in order, exactly its bytes; only those it keeps are handed on, intact (300 seeds)', () => {
    for (let s = 1; s <= 300; s++) {
      const rand = rng(1000 + s);
      const msgs = randomMessages(rand, 1 + Math.floor(rand() * 40));
      const stream = concat(msgs);
      const isn = Math.floor(rand() * 2 ** 32);
      const maxSeg = [3, 40, 200, 1448, 8000][Math.floor(rand() * 5)]!;
      const order = scramble(rand, stream.length, maxSeg, 1 + Math.floor(rand() * 4));
      // Keep a message when the peek says so: about half, decided from its bytes.
      const keep = (m: Uint8Array): boolean => (m[m.length - 1]! + m.length) % 2 === 0;
      const peeked: string[] = [];
      const rec = new Recorder();
      const consumer = Object.assign(rec, {
        peek(_h: unknown, b: Uint8Array, start: number, end: number): boolean {
          const m = b.slice(start, end);
          peeked.push(hex(m));
          return !keep(m);
        },
      });
      const r = new TcpReassembler(consumer);
      const push = (x: Segment) => pushScratch((y) => r.push(y), x);
      let frame = 1;
      push(seg({ frameNo: frame++, seq: isn, flags: SYN }));
      for (const p of order) push(seg({ frameNo: frame++, seq: isn + 1 + p.off, payload: stream.subarray(p.off, p.off + p.len) }));
      r.flush();
      expect(rec.events, `seed ${s}`).toEqual([]);
      expect(peeked, `seed ${s}`).toEqual(msgs.map(hex));
      // pushScratch overwrites each segment's buffer after the call: what was handed on was copied.
      expect(rec.hexes(A), `seed ${s}`).toEqual(msgs.filter(keep).map(hex));
    }
  });
});
