// Scripted segment sequences. Expected values come from how each test builds its byte stream (message
// lengths chosen here, RFC 4271 §4.1 header layout), never from running the code under test.

import { describe, expect, it } from 'vitest';
import { SEGMENT_OVERHEAD, TcpReassembler } from '../../src/tcp/reassembler.js';
import type { HalfFlow } from '../../src/tcp/stream.js';
import { A, ACK, B, FIN, KEEPALIVE, PSH, RST, Recorder, SYN, bgpMessage, concat, harness, hex, seg } from './helpers.js';

const ISN_A = 1000;
const ISN_B = 5000;

/** SYN, SYN-ACK, ACK: A's data starts at ISN_A+1, B's at ISN_B+1. Frames 1..3. */
function handshake(push: ReturnType<typeof harness>['push']): void {
  push({ frameNo: 1, seq: ISN_A, flags: SYN });
  push({ frameNo: 2, seq: ISN_B, ack: ISN_A + 1, flags: SYN | ACK, dir: 'b' });
  push({ frameNo: 3, seq: ISN_A + 1, ack: ISN_B + 1, flags: ACK });
}

describe('in-order delivery', () => {
  it('delivers each message once, copied, with the completing frame', () => {
    const { rec, push, r } = harness();
    handshake(push);
    const open29 = bgpMessage(1, 29, 1); // OPEN, RFC 4271 minimum length
    const open45 = bgpMessage(1, 45, 2);
    const upd100 = bgpMessage(2, 100, 3);
    push({ frameNo: 4, seq: ISN_A + 1, payload: concat([open29, KEEPALIVE]) });
    push({ frameNo: 5, seq: ISN_B + 1, payload: open45, dir: 'b' });
    push({ frameNo: 6, seq: ISN_A + 1 + 29 + 19, payload: upd100 });
    r.flush();
    // Payloads were wiped after each push (harness scratch buffers): the kept bytes must be copies.
    expect(rec.messages.map((m) => [m.dir, hex(m.bytes), m.frameNo])).toEqual([
      [A, hex(open29), 4],
      [A, hex(KEEPALIVE), 4],
      [B, hex(open45), 5],
      [A, hex(upd100), 6],
    ]);
    expect(rec.events).toEqual([]);
    expect(rec.closedIds).toEqual([1]);
  });

  it('hands on messages that do not overlap each other', () => {
    const { rec, push, r } = harness();
    handshake(push);
    push({ frameNo: 4, seq: ISN_A + 1, payload: concat([KEEPALIVE, KEEPALIVE]) });
    r.flush();
    const [m1, m2] = rec.messages;
    m1!.bytes.fill(0);
    expect(hex(m2!.bytes)).toBe(hex(KEEPALIVE));
  });

  it('starts the framer in sync from a SYN-ACK when the SYN was not captured', () => {
    const { rec, push, r } = harness();
    let seen: HalfFlow | null = null;
    rec.onMessage = (h) => (seen = h);
    push({ frameNo: 1, seq: ISN_B, ack: ISN_A + 1, flags: SYN | ACK, dir: 'b' });
    push({ frameNo: 2, seq: ISN_A + 1, payload: KEEPALIVE });
    r.flush();
    expect(rec.hexes(A)).toEqual([hex(KEEPALIVE)]);
    expect((seen as HalfFlow | null)?.startedAtSyn).toBe(true);
  });
});

describe('reordering, duplicates, overlaps', () => {
  const ka = KEEPALIVE;
  const upd = bgpMessage(2, 60, 4);
  const open = bgpMessage(1, 29, 5);

  it('reorders: held data is released by the segment that fills the hole', () => {
    const { rec, push, r } = harness();
    handshake(push);
    push({ frameNo: 4, seq: ISN_A + 1, payload: ka });
    push({ frameNo: 5, seq: ISN_A + 1 + 19 + 60, payload: open });
    push({ frameNo: 6, seq: ISN_A + 1 + 19, payload: upd });
    r.flush();
    expect(rec.messages.map((m) => [hex(m.bytes), m.frameNo])).toEqual([
      [hex(ka), 4],
      [hex(upd), 6],
      [hex(open), 6],
    ]);
    expect(rec.events).toEqual([]);
  });

  it('reorders segments arriving in reverse order', () => {
    const { rec, push, r } = harness();
    handshake(push);
    push({ frameNo: 4, seq: ISN_A + 1 + 19 + 60, payload: open });
    push({ frameNo: 5, seq: ISN_A + 1 + 19, payload: upd });
    push({ frameNo: 6, seq: ISN_A + 1, payload: ka });
    r.flush();
    expect(rec.hexes()).toEqual([hex(ka), hex(upd), hex(open)]);
    expect(rec.messages.map((m) => m.frameNo)).toEqual([6, 6, 6]);
    expect(rec.events).toEqual([]);
  });

  it('drops duplicated segments', () => {
    const { rec, push, r } = harness();
    handshake(push);
    push({ frameNo: 4, seq: ISN_A + 1, payload: ka });
    push({ frameNo: 5, seq: ISN_A + 20, payload: upd });
    push({ frameNo: 6, seq: ISN_A + 20, payload: upd });
    push({ frameNo: 7, seq: ISN_A + 1, payload: ka });
    push({ frameNo: 8, seq: ISN_A + 80, payload: open });
    r.flush();
    expect(rec.hexes()).toEqual([hex(ka), hex(upd), hex(open)]);
    expect(r.stats.duplicateBytes).toBe(60 + 19);
    expect(rec.events).toEqual([]);
  });

  it('delivers the new part of an overlapping retransmission carrying extra bytes', () => {
    const stream = concat([ka, upd, ka]); // 98 bytes
    const { rec, push, r } = harness();
    handshake(push);
    push({ frameNo: 4, seq: ISN_A + 1, payload: stream.subarray(0, 40) });
    push({ frameNo: 5, seq: ISN_A + 1 + 20, payload: stream.subarray(20) }); // 20 old bytes + 58 new
    r.flush();
    expect(rec.messages.map((m) => [hex(m.bytes), m.frameNo])).toEqual([
      [hex(ka), 4],
      [hex(upd), 5],
      [hex(ka), 5],
    ]);
    expect(r.stats.duplicateBytes).toBe(20);
  });

  it('keeps the first copy of overlapping out-of-order data', () => {
    const msg = bgpMessage(2, 100, 6);
    const altered = msg.slice();
    for (let i = 50; i < 80; i++) altered[i] = 0x11; // a later copy that disagrees on bytes 50..79
    const { rec, push, r } = harness();
    handshake(push);
    push({ frameNo: 4, seq: ISN_A + 1 + 60, payload: msg.subarray(60, 80) }); // first copy of 60..79
    push({ frameNo: 5, seq: ISN_A + 1 + 50, payload: altered.subarray(50, 100) }); // overlaps it: 50..59 and 80..99 are new
    push({ frameNo: 6, seq: ISN_A + 1, payload: altered.subarray(0, 55) }); // in order; 50..54 already held
    r.flush();
    const expected = msg.slice();
    // Bytes 50..59 were first seen in frame 5 (altered), 60..79 in frame 4 (original).
    for (let i = 50; i < 60; i++) expected[i] = 0x11;
    expect(rec.hexes()).toEqual([hex(expected)]);
    expect(rec.messages[0]!.frameNo).toBe(6);
    expect(r.stats.duplicateBytes).toBe(20 + 5);
  });
});

describe('gaps', () => {
  it('reports a lost segment at flush with the exact byte count, then resumes', () => {
    const m2 = bgpMessage(2, 60, 7);
    const m3 = bgpMessage(2, 40, 8);
    const { rec, push, r } = harness();
    handshake(push);
    push({ frameNo: 4, seq: ISN_A + 1, payload: KEEPALIVE });
    // frame with m2 (seq ISN_A+20, 60 bytes) lost
    push({ frameNo: 5, seq: ISN_A + 80, payload: m3 });
    push({ frameNo: 6, seq: ISN_A + 120, payload: KEEPALIVE });
    expect(rec.messages.length).toBe(1);
    r.flush();
    expect(rec.events.map((e) => [e.code, e.bytesSkipped, e.frameNo])).toEqual([['gap', 60, 5]]);
    expect(rec.messages.map((m) => [hex(m.bytes), m.frameNo])).toEqual([
      [hex(KEEPALIVE), 4],
      [hex(m3), 5],
      [hex(KEEPALIVE), 6],
    ]);
  });

  it('gives up a hole when the receiver acknowledges past it; resyncs inside a message', () => {
    const m2 = bgpMessage(2, 60, 9);
    const stream = concat([KEEPALIVE, m2, KEEPALIVE]); // 0..19 KA, 19..79 m2, 79..98 KA
    const { rec, push, r } = harness();
    handshake(push);
    push({ frameNo: 4, seq: ISN_A + 1, payload: stream.subarray(0, 40) }); // KA + 21 bytes of m2
    // bytes 40..59 lost
    push({ frameNo: 5, seq: ISN_A + 1 + 60, payload: stream.subarray(60) }); // 19 bytes of m2 + KA
    expect(rec.events).toEqual([]);
    push({ frameNo: 6, seq: ISN_B + 1, ack: ISN_A + 1 + 98, flags: ACK, dir: 'b' });
    expect(rec.events.map((e) => [e.dir, e.code, e.bytesSkipped, e.frameNo])).toEqual([
      [A, 'gap', 20, 6], // the hole
      [A, 'gap', 21 + 19, 6], // m2's bytes on both sides of it, skipped while resynchronising
    ]);
    expect(rec.messages.map((m) => [hex(m.bytes), m.frameNo])).toEqual([
      [hex(KEEPALIVE), 4],
      [hex(KEEPALIVE), 6],
    ]);
    r.flush();
    expect(rec.events.length).toBe(2);
  });

  it('does not trust an ACK that stops short of the held data', () => {
    const { rec, push, r } = harness();
    handshake(push);
    push({ frameNo: 4, seq: ISN_A + 1, payload: KEEPALIVE });
    push({ frameNo: 5, seq: ISN_A + 1 + 38, payload: KEEPALIVE }); // 19 bytes missing before it
    push({ frameNo: 6, seq: ISN_B + 1, ack: ISN_A + 1 + 19, flags: ACK, dir: 'b' });
    expect(rec.events).toEqual([]);
    push({ frameNo: 7, seq: ISN_A + 20, payload: KEEPALIVE }); // the retransmission fills it
    r.flush();
    expect(rec.events).toEqual([]);
    expect(rec.messages.map((m) => m.frameNo)).toEqual([4, 7, 7]);
  });

  it('starts mid-stream inside a message: gap with the exact skipped count', () => {
    const upd = bgpMessage(2, 60, 10);
    const upd40 = bgpMessage(2, 40, 11);
    const { rec, push, r } = harness();
    push({ frameNo: 1, seq: 777777, payload: concat([upd.subarray(25), KEEPALIVE, upd40]) });
    r.flush();
    expect(rec.events.map((e) => [e.code, e.bytesSkipped, e.frameNo])).toEqual([['gap', 60 - 25, 1]]);
    expect(rec.hexes()).toEqual([hex(KEEPALIVE), hex(upd40)]);
  });

  it('starts mid-stream at a message boundary without an event', () => {
    const { rec, push, r } = harness();
    push({ frameNo: 1, seq: 4242, payload: concat([KEEPALIVE, KEEPALIVE]) });
    r.flush();
    expect(rec.events).toEqual([]);
    expect(rec.messages.length).toBe(2);
  });

  it('takes a header at the very first byte as a synchronised stream would, even an implausible one', () => {
    // UPDATE with length 19 (RFC 4271 §4.3 minimum is 23): a decoder error, not a framing one.
    const odd = bgpMessage(2, 19);
    const { rec, push, r } = harness();
    push({ frameNo: 1, seq: 10, payload: concat([odd, KEEPALIVE]) });
    r.flush();
    expect(rec.events).toEqual([]);
    expect(rec.hexes()).toEqual([hex(odd), hex(KEEPALIVE)]);
  });

  it('does not accept an implausible header once bytes were skipped', () => {
    const odd = bgpMessage(2, 19);
    const { rec, push, r } = harness();
    push({ frameNo: 1, seq: 10, payload: concat([Uint8Array.from([1, 2]), odd, KEEPALIVE]) });
    r.flush();
    expect(rec.events.map((e) => [e.code, e.bytesSkipped])).toEqual([['gap', 2 + 19]]);
    expect(rec.hexes()).toEqual([hex(KEEPALIVE)]);
  });

  it('resynchronises across segments when the marker arrives split', () => {
    const upd = bgpMessage(2, 60, 12);
    const tail = upd.subarray(50); // 10 bytes of a message, then a KEEPALIVE split 7/12
    const { rec, push, r } = harness();
    push({ frameNo: 1, seq: 100, payload: concat([tail, KEEPALIVE.subarray(0, 7)]) });
    push({ frameNo: 2, seq: 117, payload: KEEPALIVE.subarray(7) });
    r.flush();
    expect(rec.events.map((e) => [e.code, e.bytesSkipped, e.frameNo])).toEqual([['gap', 10, 2]]);
    expect(rec.messages.map((m) => [hex(m.bytes), m.frameNo])).toEqual([[hex(KEEPALIVE), 2]]);
  });

  it('rejects a marker run whose following header is implausible', () => {
    // 16 x ff + length 23 + type 2 inside data, but 23 bytes later no header follows: not a resync point.
    const fake = concat([new Uint8Array(16).fill(0xff), Uint8Array.from([0x00, 0x17, 0x02, 1, 2, 3, 4]), new Uint8Array(30).fill(7)]);
    const { rec, push, r } = harness();
    push({ frameNo: 1, seq: 1, payload: concat([Uint8Array.from([9, 9, 9]), fake, KEEPALIVE]) });
    r.flush();
    expect(rec.events.map((e) => [e.code, e.bytesSkipped])).toEqual([['gap', 3 + fake.length]]);
    expect(rec.hexes()).toEqual([hex(KEEPALIVE)]);
  });

  it('reports a stream that never shows a header as one gap at the end', () => {
    const { rec, push, r } = harness();
    push({ frameNo: 1, seq: 1, payload: new Uint8Array(500).fill(3) });
    push({ frameNo: 2, seq: 501, payload: new Uint8Array(300).fill(0xff) });
    r.flush();
    expect(rec.events.map((e) => [e.code, e.bytesSkipped, e.frameNo])).toEqual([['gap', 800, 2]]);
    expect(rec.messages).toEqual([]);
  });
});

describe('sequence wraparound', () => {
  it('reassembles across 2^32, with reordering', () => {
    const isn = 0xffffffff - 30; // data starts at 2^32 - 30
    const m1 = bgpMessage(2, 50, 13);
    const m2 = bgpMessage(2, 70, 14);
    const stream = concat([m1, m2, KEEPALIVE]);
    const { rec, push, r } = harness();
    push({ frameNo: 1, seq: isn, flags: SYN });
    push({ frameNo: 2, seq: isn + 1, payload: stream.subarray(0, 25) }); // seq 0xffffffe2
    push({ frameNo: 3, seq: (isn + 1 + 60) >>> 0, payload: stream.subarray(60) }); // past the wrap, held
    push({ frameNo: 4, seq: (isn + 1 + 25) >>> 0, payload: stream.subarray(25, 60) }); // spans the wrap
    r.flush();
    expect(rec.events).toEqual([]);
    expect(rec.messages.map((m) => [hex(m.bytes), m.frameNo])).toEqual([
      [hex(m1), 4],
      [hex(m2), 4],
      [hex(KEEPALIVE), 4],
    ]);
  });
});

describe('segmentation', () => {
  const msgs = [KEEPALIVE, bgpMessage(2, 60, 15), bgpMessage(1, 29, 16), bgpMessage(3, 21, 17), bgpMessage(2, 200, 18)];
  const stream = concat(msgs);
  const ends: number[] = [];
  let o = 0;
  for (const m of msgs) ends.push((o += m.length));

  it('gives the same messages for a split at every offset, frame = completing segment', () => {
    for (let i = 1; i < stream.length; i++) {
      const { rec, push, r } = harness();
      handshake(push);
      push({ frameNo: 4, seq: ISN_A + 1, payload: stream.subarray(0, i) });
      push({ frameNo: 5, seq: ISN_A + 1 + i, payload: stream.subarray(i) });
      r.flush();
      expect(rec.hexes()).toEqual(msgs.map(hex));
      expect(rec.messages.map((m) => m.frameNo)).toEqual(ends.map((e) => (e <= i ? 4 : 5)));
      expect(rec.events).toEqual([]);
    }
  });

  it('gives the same messages for every split into three segments, second arriving last', () => {
    const small = concat([KEEPALIVE, bgpMessage(2, 30, 19), KEEPALIVE]);
    for (let i = 1; i < small.length - 1; i++) {
      for (let j = i + 1; j < small.length; j++) {
        const { rec, push, r } = harness();
        handshake(push);
        push({ frameNo: 4, seq: ISN_A + 1, payload: small.subarray(0, i) });
        push({ frameNo: 5, seq: ISN_A + 1 + j, payload: small.subarray(j) });
        push({ frameNo: 6, seq: ISN_A + 1 + i, payload: small.subarray(i, j) });
        r.flush();
        expect(rec.messages.map((m) => hex(m.bytes)).join('')).toBe(hex(small));
        expect(rec.events).toEqual([]);
      }
    }
  });

  it('handles 1-byte segments', () => {
    const { rec, push, r } = harness();
    handshake(push);
    for (let i = 0; i < stream.length; i++) push({ frameNo: 10 + i, seq: ISN_A + 1 + i, payload: stream.subarray(i, i + 1) });
    r.flush();
    expect(rec.hexes()).toEqual(msgs.map(hex));
    // The message ending at offset e completes with the byte at e-1, pushed as frame 10 + e - 1.
    expect(rec.messages.map((m) => m.frameNo)).toEqual(ends.map((e) => 10 + e - 1));
  });

  it('handles a 64 KB super-frame with 100 messages', () => {
    const many: Uint8Array[] = [];
    for (let i = 0; i < 100; i++) many.push(i % 10 === 0 ? KEEPALIVE : bgpMessage(2, 200 + ((i * 37) % 450), i));
    const big = concat(many);
    expect(big.length).toBeLessThan(65536);
    const { rec, push, r } = harness();
    handshake(push);
    push({ frameNo: 4, seq: ISN_A + 1, payload: big });
    r.flush();
    expect(rec.hexes()).toEqual(many.map(hex));
    expect(new Set(rec.messages.map((m) => m.frameNo))).toEqual(new Set([4]));
  });
});

describe('truncated frames', () => {
  it('delivers what was captured, reports the missing bytes and resynchronises', () => {
    const m1 = bgpMessage(2, 100, 20);
    const m3 = bgpMessage(2, 50, 21);
    // On the wire frame 4 carried m1 + KEEPALIVE (119 bytes); the capture kept 60 of them.
    const { rec, push, r } = harness();
    handshake(push);
    push({ frameNo: 4, seq: ISN_A + 1, payload: m1.subarray(0, 60), missing: 59 });
    push({ frameNo: 5, seq: ISN_A + 1 + 119, payload: m3 });
    r.flush();
    expect(rec.events.map((e) => [e.code, e.bytesSkipped, e.frameNo])).toEqual([
      ['truncated_frame', 59, 4],
      ['gap', 60, 5], // the 60 captured bytes of m1 could not make a message
    ]);
    expect(rec.messages.map((m) => [hex(m.bytes), m.frameNo])).toEqual([[hex(m3), 5]]);
  });

  it('delivers whole messages before the cut', () => {
    const { rec, push, r } = harness();
    handshake(push);
    push({ frameNo: 4, seq: ISN_A + 1, payload: concat([KEEPALIVE, KEEPALIVE]), missing: 19 });
    push({ frameNo: 5, seq: ISN_A + 1 + 57, payload: KEEPALIVE });
    r.flush();
    expect(rec.events.map((e) => [e.code, e.bytesSkipped])).toEqual([['truncated_frame', 19]]);
    expect(rec.messages.map((m) => m.frameNo)).toEqual([4, 4, 5]);
  });

  it('handles a truncated segment that arrives out of order', () => {
    const { rec, push, r } = harness();
    handshake(push);
    push({ frameNo: 4, seq: ISN_A + 1 + 19, payload: KEEPALIVE.subarray(0, 5), missing: 14 });
    push({ frameNo: 5, seq: ISN_A + 1 + 38, payload: KEEPALIVE });
    push({ frameNo: 6, seq: ISN_A + 1, payload: KEEPALIVE });
    r.flush();
    expect(rec.events.map((e) => [e.code, e.bytesSkipped, e.frameNo])).toEqual([
      ['truncated_frame', 14, 6],
      ['gap', 5, 6],
    ]);
    expect(rec.messages.map((m) => m.frameNo)).toEqual([6, 6]);
  });
});

describe('bad headers', () => {
  it('reports a broken marker, then resynchronises with the exact skipped count', () => {
    const bad = bgpMessage(2, 40, 22);
    bad[5] = 0x00;
    const { rec, push, r } = harness();
    handshake(push);
    push({ frameNo: 4, seq: ISN_A + 1, payload: concat([KEEPALIVE, bad, KEEPALIVE]) });
    r.flush();
    expect(rec.events.map((e) => [e.code, e.bytesSkipped])).toEqual([
      ['bad_header', null],
      ['gap', 40],
    ]);
    expect(rec.events[0]!.message).toContain(hex(bad.subarray(0, 19)));
    expect(rec.hexes()).toEqual([hex(KEEPALIVE), hex(KEEPALIVE)]);
  });

  it('reports a bad header that follows the end of a message begun in an earlier segment', () => {
    const bad = bgpMessage(2, 40, 35);
    bad[15] = 0x7f;
    const stream = concat([KEEPALIVE, bad, KEEPALIVE]);
    const { rec, push, r } = harness();
    handshake(push);
    push({ frameNo: 4, seq: ISN_A + 1, payload: stream.subarray(0, 10) });
    push({ frameNo: 5, seq: ISN_A + 11, payload: stream.subarray(10) });
    r.flush();
    expect(rec.events.map((e) => [e.code, e.bytesSkipped])).toEqual([
      ['bad_header', null],
      ['gap', 40],
    ]);
    expect(rec.messages.map((m) => [hex(m.bytes), m.frameNo])).toEqual([
      [hex(KEEPALIVE), 5],
      [hex(KEEPALIVE), 5],
    ]);
  });

  it('reports a bad header split across segments', () => {
    const bad = bgpMessage(2, 40, 23);
    bad[0] = 0xfe;
    const stream = concat([bad, KEEPALIVE]);
    const { rec, push, r } = harness();
    handshake(push);
    push({ frameNo: 4, seq: ISN_A + 1, payload: stream.subarray(0, 10) });
    push({ frameNo: 5, seq: ISN_A + 11, payload: stream.subarray(10) });
    r.flush();
    expect(rec.events.map((e) => [e.code, e.bytesSkipped])).toEqual([
      ['bad_header', null],
      ['gap', 40],
    ]);
    expect(rec.hexes()).toEqual([hex(KEEPALIVE)]);
  });

  it('rejects lengths below 19 and above maxMessageLength', () => {
    const short = bgpMessage(4, 19);
    short[17] = 18; // length 18
    const long = bgpMessage(2, 5000, 24);
    const { rec, push, r } = harness();
    handshake(push);
    push({ frameNo: 4, seq: ISN_A + 1, payload: concat([short, KEEPALIVE]) });
    push({ frameNo: 5, seq: ISN_A + 39, payload: long });
    push({ frameNo: 6, seq: ISN_A + 5039, payload: KEEPALIVE });
    r.flush();
    expect(rec.events.map((e) => [e.code, e.bytesSkipped, e.frameNo])).toEqual([
      ['bad_header', null, 4],
      ['gap', 19, 4],
      ['bad_header', null, 5],
      ['gap', 5000, 6],
    ]);
    expect(rec.events[1]!.message).toBeDefined();
    expect(rec.events[2]!.message).toContain('length 5000');
    expect(rec.messages.map((m) => m.frameNo)).toEqual([4, 6]);
  });

  it('accepts extended messages once the consumer raises maxMessageLength (RFC 8654)', () => {
    const open = bgpMessage(1, 29, 25);
    const long = bgpMessage(2, 5000, 26);
    const { rec, push, r } = harness();
    rec.onMessage = (h, bytes) => {
      if (bytes[18] === 1) h.maxMessageLength = 65535;
    };
    handshake(push);
    // The OPEN and the long UPDATE in one segment: the change applies to the very next header.
    push({ frameNo: 4, seq: ISN_A + 1, payload: concat([open, long]) });
    r.flush();
    expect(rec.events).toEqual([]);
    expect(rec.hexes()).toEqual([hex(open), hex(long)]);
  });
});

describe('end of stream', () => {
  it('reports a partial message at flush', () => {
    const upd = bgpMessage(2, 60, 27);
    const { rec, push, r } = harness();
    handshake(push);
    push({ frameNo: 4, seq: ISN_A + 1, payload: concat([KEEPALIVE, upd.subarray(0, 30)]) });
    r.flush();
    expect(rec.events.map((e) => [e.code, e.bytesSkipped, e.frameNo])).toEqual([['incomplete_message', 30, 4]]);
    expect(rec.closedIds).toEqual([1]);
  });

  it('reports a partial header at flush', () => {
    const { rec, push, r } = harness();
    handshake(push);
    push({ frameNo: 4, seq: ISN_A + 1, payload: concat([KEEPALIVE, KEEPALIVE.subarray(0, 10)]) });
    r.flush();
    expect(rec.events.map((e) => [e.code, e.bytesSkipped])).toEqual([['incomplete_message', 10]]);
  });

  it('FIN ends a direction; data after it is ignored; both FINs close', () => {
    const { rec, push, r } = harness();
    handshake(push);
    push({ frameNo: 4, seq: ISN_A + 1, payload: KEEPALIVE, flags: ACK | PSH | FIN });
    push({ frameNo: 5, seq: ISN_A + 1 + 20, payload: KEEPALIVE }); // after the FIN (which used seq ISN_A+20)
    expect(rec.closedIds).toEqual([]);
    push({ frameNo: 6, seq: ISN_B + 1, ack: ISN_A + 21, payload: KEEPALIVE, flags: ACK | FIN, dir: 'b' });
    expect(rec.closedIds).toEqual([1]);
    push({ frameNo: 7, seq: ISN_A + 21, ack: ISN_B + 21, flags: ACK });
    r.flush();
    expect(rec.messages.map((m) => [m.dir, m.frameNo])).toEqual([
      [A, 4],
      [B, 6],
    ]);
    expect(rec.events).toEqual([]);
    expect(r.stats.ignoredSegments).toBe(2);
  });

  it('FIN arriving before the last data still delivers it', () => {
    const { rec, push, r } = harness();
    handshake(push);
    push({ frameNo: 4, seq: ISN_A + 20, payload: KEEPALIVE, flags: ACK | FIN });
    push({ frameNo: 5, seq: ISN_A + 1, payload: KEEPALIVE });
    r.flush();
    expect(rec.messages.map((m) => m.frameNo)).toEqual([5, 5]);
    expect(rec.events).toEqual([]);
  });

  it('RST: reset event, partial message reported, connection closed, later data ignored', () => {
    const upd = bgpMessage(2, 60, 28);
    const { rec, push, r } = harness();
    handshake(push);
    push({ frameNo: 4, seq: ISN_A + 1, payload: concat([KEEPALIVE, upd.subarray(0, 25)]) });
    push({ frameNo: 5, seq: ISN_B + 1, flags: RST | ACK, dir: 'b' });
    push({ frameNo: 6, seq: ISN_A + 45, payload: upd.subarray(25) });
    r.flush();
    expect(rec.log).toEqual([
      `msg 1 ${A} len=19 type=4 frame=4`,
      `ev 1 ${B} reset null frame=5`,
      `ev 1 ${A} incomplete_message 25 frame=5`,
      'closed 1',
    ]);
    expect(r.stats.ignoredSegments).toBe(1);
  });

  it('a SYN with a new ISN on a closed 4-tuple starts connection 2', () => {
    const { rec, push, r } = harness();
    handshake(push);
    push({ frameNo: 4, seq: ISN_A + 1, payload: KEEPALIVE });
    push({ frameNo: 5, seq: ISN_B + 1, flags: RST, dir: 'b' });
    push({ frameNo: 6, seq: 90000, flags: SYN }); // same ports, new ISN
    push({ frameNo: 7, seq: 70000, ack: 90001, flags: SYN | ACK, dir: 'b' });
    push({ frameNo: 8, seq: 90001, payload: KEEPALIVE });
    push({ frameNo: 9, seq: 70001, payload: KEEPALIVE, dir: 'b' });
    r.flush();
    expect(rec.messages.map((m) => [m.conn, m.dir, m.frameNo])).toEqual([
      [1, A, 4],
      [2, A, 8],
      [2, B, 9],
    ]);
    expect(rec.closedIds).toEqual([1, 2]);
    expect(rec.events.map((e) => [e.conn, e.code])).toEqual([[1, 'reset']]);
  });

  it('takes SYN payload at ISN+1 (RFC 9293 §3.4)', () => {
    const { rec, push, r } = harness();
    push({ frameNo: 1, seq: ISN_A, flags: SYN, payload: KEEPALIVE });
    push({ frameNo: 2, seq: ISN_A + 20, payload: KEEPALIVE });
    r.flush();
    expect(rec.messages.map((m) => m.frameNo)).toEqual([1, 2]);
    expect(rec.events).toEqual([]);
  });

  it('follows generators that number SYN payload from the ISN itself', () => {
    // As in the pmacct / traffic-reproducer captures: SYN seq=1 with a 19-byte KEEPALIVE, next segment seq=20.
    const { rec, push, r } = harness();
    push({ frameNo: 1, seq: 1, flags: SYN, payload: KEEPALIVE });
    push({ frameNo: 2, seq: 20, payload: bgpMessage(2, 40, 34) });
    push({ frameNo: 3, seq: 60, payload: KEEPALIVE });
    r.flush();
    expect(rec.messages.map((m) => [m.bytes.length, m.frameNo])).toEqual([
      [19, 1],
      [40, 2],
      [19, 3],
    ]);
    expect(rec.events).toEqual([]);
  });

  it('a retransmitted SYN does not start a new connection', () => {
    const { rec, push, r } = harness();
    handshake(push);
    push({ frameNo: 4, seq: ISN_A, flags: SYN });
    push({ frameNo: 5, seq: ISN_A + 1, payload: KEEPALIVE });
    r.flush();
    expect(rec.messages.map((m) => m.conn)).toEqual([1]);
  });

  it('a SYN with another ISN on an open connection (FIN/RST not captured) starts a new one', () => {
    const upd = bgpMessage(2, 60, 29);
    const { rec, push, r } = harness();
    handshake(push);
    push({ frameNo: 4, seq: ISN_A + 1, payload: upd.subarray(0, 30) });
    push({ frameNo: 5, seq: 123456, flags: SYN });
    push({ frameNo: 6, seq: 123457, payload: KEEPALIVE });
    r.flush();
    expect(rec.log).toEqual([`ev 1 ${A} incomplete_message 30 frame=5`, 'closed 1', `msg 2 ${A} len=19 type=4 frame=6`, 'closed 2']);
  });
});

describe('both directions', () => {
  it('keeps order per direction when segments interleave', () => {
    const a1 = bgpMessage(2, 80, 30);
    const a2 = bgpMessage(2, 33, 31);
    const b1 = bgpMessage(2, 90, 32);
    const b2 = bgpMessage(1, 29, 33);
    const sa = concat([a1, a2]);
    const sb = concat([b1, b2]);
    const { rec, push, r } = harness();
    handshake(push);
    push({ frameNo: 4, seq: ISN_A + 1, payload: sa.subarray(0, 50) });
    push({ frameNo: 5, seq: ISN_B + 1, payload: sb.subarray(0, 100), dir: 'b' });
    push({ frameNo: 6, seq: ISN_A + 51, payload: sa.subarray(50, 90) });
    push({ frameNo: 7, seq: ISN_B + 101, payload: sb.subarray(100), dir: 'b' });
    push({ frameNo: 8, seq: ISN_A + 91, payload: sa.subarray(90) });
    r.flush();
    expect(rec.messages.map((m) => [m.dir, hex(m.bytes), m.frameNo])).toEqual([
      [A, hex(a1), 6],
      [B, hex(b1), 5],
      [B, hex(b2), 7],
      [A, hex(a2), 8],
    ].sort((x, y) => (x[2] as number) - (y[2] as number)));
  });

  it('keys connections by interface when asked', () => {
    const { rec, push, r } = harness({ keyByIface: true });
    push({ frameNo: 1, seq: 1, payload: KEEPALIVE, iface: 'eth0' });
    push({ frameNo: 2, seq: 1, payload: KEEPALIVE, iface: 'eth1' });
    r.flush();
    expect(rec.messages.map((m) => m.conn)).toEqual([1, 2]);
    const { rec: rec2, push: push2, r: r2 } = harness();
    push2({ frameNo: 1, seq: 1, payload: KEEPALIVE, iface: 'eth0' });
    push2({ frameNo: 2, seq: 1, payload: KEEPALIVE, iface: 'eth1' }); // same bytes seen twice: a duplicate
    r2.flush();
    expect(rec2.messages.map((m) => m.conn)).toEqual([1]);
  });
});

describe('limits', () => {
  it('bounds the out-of-order buffer per flow: gives up the hole and continues', () => {
    const limit = 10 * (100 + SEGMENT_OVERHEAD); // room for exactly 10 held 100-byte segments
    const { rec, push, r } = harness({ maxBufferedPerFlow: limit, ackGapHeuristic: false });
    handshake(push);
    // A 50-byte message at ISN_A+1 is lost; 30 segments of one 100-byte message each follow.
    const msgs: Uint8Array[] = [];
    let max = 0;
    for (let i = 0; i < 30; i++) {
      const m = bgpMessage(2, 100, 100 + i);
      msgs.push(m);
      push({ frameNo: 10 + i, seq: ISN_A + 1 + 50 + 100 * i, payload: m });
      max = Math.max(max, r.bufferedBytes);
    }
    expect(max).toBeLessThanOrEqual(limit);
    expect(rec.events.map((e) => [e.code, e.bytesSkipped, e.frameNo])).toEqual([['gap', 50, 20]]);
    r.flush();
    expect(rec.hexes()).toEqual(msgs.map(hex));
    // The 10 held ones were released by frame 20 (the 11th), the rest delivered in order.
    expect(rec.messages.map((m) => m.frameNo)).toEqual([...Array<number>(11).fill(20), ...Array.from({ length: 19 }, (_, i) => 21 + i)]);
  });

  it('does not give up a hole for a duplicate of data already held', () => {
    const limit = 2 * (100 + SEGMENT_OVERHEAD);
    const { rec, push, r } = harness({ maxBufferedPerFlow: limit, ackGapHeuristic: false });
    handshake(push);
    const m1 = bgpMessage(2, 100, 40);
    const m2 = bgpMessage(2, 100, 41);
    push({ frameNo: 4, seq: ISN_A + 1 + 19, payload: m1 });
    push({ frameNo: 5, seq: ISN_A + 1 + 119, payload: m2 }); // buffer exactly full
    push({ frameNo: 6, seq: ISN_A + 1 + 19, payload: m1 }); // duplicate: nothing new to hold
    expect(rec.events).toEqual([]);
    push({ frameNo: 7, seq: ISN_A + 1, payload: KEEPALIVE });
    r.flush();
    expect(rec.events).toEqual([]);
    expect(rec.hexes()).toEqual([hex(KEEPALIVE), hex(m1), hex(m2)]);
  });

  it('bounds the total: the direction holding data longest gives up first', () => {
    const limit = 4 * (100 + SEGMENT_OVERHEAD);
    const { rec, push, r } = harness({ maxBufferedTotal: limit, ackGapHeuristic: false });
    // Connection 1 (port 50000): hole of 19, then 2 held messages.
    push({ frameNo: 1, seq: 100, flags: SYN });
    push({ frameNo: 2, seq: 101 + 19, payload: bgpMessage(2, 100, 1) });
    push({ frameNo: 3, seq: 101 + 119, payload: bgpMessage(2, 100, 2) });
    // Connection 2 (port 50001): hole of 40, then 3 held messages; the third passes the total.
    push({ frameNo: 4, seq: 200, flags: SYN, srcPort: 50001 });
    for (let i = 0; i < 3; i++) push({ frameNo: 5 + i, seq: 201 + 40 + 100 * i, payload: bgpMessage(2, 100, 3 + i), srcPort: 50001 });
    expect(rec.events.map((e) => [e.conn, e.code, e.bytesSkipped, e.frameNo])).toEqual([[1, 'gap', 19, 7]]);
    expect(rec.messages.map((m) => [m.conn, m.frameNo])).toEqual([
      [1, 7],
      [1, 7],
    ]);
    expect(r.bufferedBytes).toBe(3 * (100 + SEGMENT_OVERHEAD));
    r.flush();
    expect(rec.events.map((e) => [e.conn, e.code, e.bytesSkipped])).toEqual([
      [1, 'gap', 19],
      [2, 'gap', 40],
    ]);
  });

  it('drops least recently used connections, closed ones first', () => {
    const { rec, push, r } = harness({ maxConnections: 2 });
    // Connection 1: closed by RST.
    push({ frameNo: 1, seq: 1, payload: KEEPALIVE, srcPort: 1 });
    push({ frameNo: 2, seq: 1, flags: RST, srcPort: 1, dir: 'b' });
    // Connection 2: open with a partial message.
    push({ frameNo: 3, seq: 1, payload: concat([KEEPALIVE, KEEPALIVE.subarray(0, 4)]), srcPort: 2 });
    // Connection 3 → table over 2 → closed connection 1 is dropped silently.
    push({ frameNo: 4, seq: 1, payload: KEEPALIVE, srcPort: 3 });
    expect(r.stats.connections).toBe(2);
    // Connection 4 → connection 2 (least recently used open one) is dropped with an event.
    push({ frameNo: 5, seq: 1, payload: KEEPALIVE, srcPort: 4 });
    expect(r.stats.connections).toBe(2);
    expect(rec.events.filter((e) => e.conn === 2).map((e) => [e.code, e.bytesSkipped, e.frameNo])).toEqual([
      ['buffer_limit', null, 5],
      ['incomplete_message', 4, 5],
    ]);
    expect(rec.closedIds).toEqual([1, 2]);
    // Connection 1's tuple is unknown again: its data starts a new connection (mid-stream).
    push({ frameNo: 6, seq: 20, payload: KEEPALIVE, srcPort: 1 });
    r.flush();
    expect(rec.messages.map((m) => m.conn)).toEqual([1, 2, 3, 4, 5]);
    expect(rec.closedIds).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('robustness', () => {
  it('never throws on odd segments', () => {
    const rec = new Recorder();
    const r = new TcpReassembler(rec);
    const odd = [
      seg({ frameNo: 1, seq: 0, flags: 0xff, payload: KEEPALIVE }),
      seg({ frameNo: 2, seq: 0xffffffff, flags: SYN | FIN | RST }),
      seg({ frameNo: 3, seq: 5, flags: FIN }),
      seg({ frameNo: 4, seq: 5, payload: new Uint8Array(0), missing: 100 }),
      seg({ frameNo: 5, seq: 0x80000000, payload: KEEPALIVE, dir: 'b' }),
      seg({ frameNo: 6, seq: 0, payload: KEEPALIVE, dir: 'b' }),
    ];
    for (const s of odd) expect(() => r.push(s)).not.toThrow();
    expect(() => r.flush()).not.toThrow();
  });
});
