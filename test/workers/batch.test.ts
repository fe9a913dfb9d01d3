// The pieces of `read --workers` that can be checked in one thread: chunks of framed messages (batch.ts) as
// they cross postMessage, the output slabs (slabs.ts: a worker's shared ones, the reading thread's own) and the
// ordering of output (pool.ts InOrder).
import { describe, expect, it } from 'vitest';
import { ChunkReceiver, ChunkWriter, readChunk, type Chunk, type ChunkHead } from '../../src/workers/batch.js';
import { LocalSlabs, newSlabShare, SlabReader, SlabWriter, type Filled } from '../../src/workers/slabs.js';
import { InOrder } from '../../src/workers/pool.js';
import type { MessageContext } from '../../src/pipeline.js';
import type { EventRecord } from '../../src/record.js';
import type { Timestamp } from '../../src/types.js';

function ctx(peer: string, asn: number | null, addPath: string[] | null): MessageContext {
  return {
    file: 'x.pcap',
    iface: null,
    mux: null,
    peer_ip: peer,
    peer_asn: asn,
    local_ip: '192.0.2.9',
    local_asn: 65009,
    src_port: 179,
    dst_port: 40001,
    params: { as4: asn === null ? null : true, extended_message: false, add_path_send: addPath === null ? null : new Set(addPath) },
  };
}

function event(frame: number): EventRecord {
  return {
    kind: 'event',
    ts: { sec: 1_700_000_000, nsec: frame },
    frame,
    file: 'x.pcap',
    iface: null,
    mux: null,
    peer_ip: '192.0.2.1',
    peer_asn: null,
    local_ip: '192.0.2.9',
    local_asn: null,
    src_port: 179,
    dst_port: 40001,
    event: 'gap',
    bytes_skipped: frame * 10,
    message: `gap ${frame}`,
  };
}

/**
 * What a chunk goes through on its way to a worker: its bytes copied into a chunk buffer of shared memory, its
 * head structured-cloned (postMessage; nothing transferred), then the worker's copy out of the shared buffer.
 */
function overTheWire(w: ChunkWriter, seq: number, receiver = new ChunkReceiver()): Chunk {
  const shared = new SharedArrayBuffer(w.bytes + 100);
  const head: ChunkHead = structuredClone(w.take(seq, new Uint8Array(shared)));
  return receiver.receive(head, new Uint8Array(shared));
}

type Item = { kind: 'm'; ctx: MessageContext; bytes: number[]; ts: Timestamp; frame: number } | { kind: 'e'; ev: EventRecord };

function items(c: Chunk): Item[] {
  const out: Item[] = [];
  readChunk(c, {
    message: (ctx, bytes, ts, frame) => out.push({ kind: 'm', ctx, bytes: [...bytes], ts, frame }),
    event: (ev) => out.push({ kind: 'e', ev }),
  });
  return out;
}

describe('chunks of framed messages', () => {
  it('come out as they went in: messages, events in between, each message with its context', () => {
    const a = ctx('192.0.2.1', 64501, null);
    const b = ctx('2001:db8::2', null, ['1/1', '2/1']);
    const w = new ChunkWriter();
    const sent: Item[] = [];
    const msg = (c: MessageContext, n: number, frame: number, ts: Timestamp): void => {
      const bytes = Array.from({ length: n }, (_, i) => (i * 7 + frame) & 255);
      w.message(c, Uint8Array.from(bytes), ts, frame);
      sent.push({ kind: 'm', ctx: c, bytes, ts, frame });
    };
    msg(a, 19, 1, { sec: 1_700_000_000, nsec: 5 });
    msg(b, 4096, 2, { sec: 1_700_000_001, nsec: 999_999_999 });
    const e = event(3);
    w.event(e);
    sent.push({ kind: 'e', ev: e });
    msg(a, 0, 4, { sec: 0, nsec: 0 }); // an empty message (the framer never makes one, the format allows it)
    msg(a, 65535, 4_000_000_000, { sec: 2 ** 40, nsec: 1 }); // largest BGP message, large frame number and time
    const c = overTheWire(w, 7);
    expect(c.seq).toBe(7);
    // One context table entry per context object used, not per message.
    expect(c.ctxs).toHaveLength(2);
    const got = items(c);
    expect(got).toEqual(sent);
    // The add-path families survive the clone as a Set (the decoder calls .has on it).
    const withB = got.find((x) => x.kind === 'm' && x.ctx.peer_ip === '2001:db8::2');
    expect(withB?.kind === 'm' && withB.ctx.params.add_path_send instanceof Set && withB.ctx.params.add_path_send.has('2/1')).toBe(true);
  });

  it('a new chunk after take() starts empty; the bytes were copied, so writing on does not change them', () => {
    const w = new ChunkWriter();
    const a = ctx('192.0.2.1', 1, null);
    w.message(a, new Uint8Array(100).fill(9), { sec: 1, nsec: 0 }, 1);
    const shared = new Uint8Array(new SharedArrayBuffer(1000));
    const first = w.take(0, shared);
    expect(w.empty).toBe(true);
    expect(w.bytes).toBe(0);
    w.message(a, Uint8Array.of(1, 2, 3), { sec: 2, nsec: 0 }, 2); // into the writer's own buffer, not `shared`
    expect(items(new ChunkReceiver().receive(first, shared))).toEqual([
      { kind: 'm', ctx: a, bytes: new Array(100).fill(9), ts: { sec: 1, nsec: 0 }, frame: 1 },
    ]);
    const receiver = new ChunkReceiver();
    const second = overTheWire(w, 1, receiver);
    expect(items(second)).toEqual([{ kind: 'm', ctx: a, bytes: [1, 2, 3], ts: { sec: 2, nsec: 0 }, frame: 2 }]);
    const third = overTheWire(w, 2, receiver);
    expect(third.len).toBe(0);
    expect(third.ctxs).toEqual([]);
    expect(third.buf).toBe(second.buf); // the receiver reads every chunk from one buffer of its own
  });

  it('a chunk larger than the buffer it is to be copied into is an error', () => {
    const w = new ChunkWriter();
    w.message(ctx('192.0.2.1', 1, null), new Uint8Array(100), { sec: 1, nsec: 0 }, 1);
    expect(() => w.take(4, new Uint8Array(new SharedArrayBuffer(100)))).toThrow(/chunk 4: 124 bytes/);
    expect(w.bytes).toBe(124); // nothing lost: the chunk is still there
  });

  it('grows past its buffer when messages keep coming (several maximum-size messages)', () => {
    const w = new ChunkWriter();
    const a = ctx('192.0.2.1', 1, null);
    const big = new Uint8Array(65535).fill(0xab);
    for (let i = 0; i < 8; i++) w.message(a, big, { sec: i, nsec: 0 }, i);
    const got = items(overTheWire(w, 0));
    expect(got).toHaveLength(8);
    expect(got.every((x, i) => x.kind === 'm' && x.frame === i && x.bytes.length === 65535 && x.bytes.every((v) => v === 0xab))).toBe(true);
  });

  it('a damaged chunk is an error, not a silent loss', () => {
    const w = new ChunkWriter();
    w.message(ctx('192.0.2.1', 1, null), new Uint8Array(50), { sec: 1, nsec: 0 }, 1);
    const c = overTheWire(w, 3);
    expect(() => items({ ...c, len: c.len - 1 })).toThrow(/chunk 3/);
    expect(() => items({ ...c, ctxs: [] })).toThrow(/no context/);
  });
});

describe('output slabs', () => {
  function setup(slabs: number, size: number) {
    const share = newSlabShare(slabs, size);
    const posted: Filled[] = [];
    const copies: Uint8Array[] = [];
    const w = new SlabWriter(share, (f) => posted.push(f), (b) => copies.push(b));
    return { share, posted, copies, w, r: new SlabReader(share) };
  }
  const text = (r: SlabReader, f: Filled): string => Buffer.from(r.view(f)).toString('utf8');

  it('fill one slab after another, each handed over whole, the bytes unchanged', () => {
    const { posted, w, r } = setup(4, 64);
    w.text('a'.repeat(40));
    w.bytes(Buffer.from('b'.repeat(20)));
    w.text('c'.repeat(10)); // does not fit behind 60 bytes: the slab goes, the next one takes it
    w.text('é€'); // UTF-8: 5 bytes
    expect(posted).toHaveLength(1);
    expect(text(r, posted[0]!)).toBe('a'.repeat(40) + 'b'.repeat(20));
    const last = w.take();
    expect(last).not.toBeNull();
    expect(text(r, last!)).toBe('c'.repeat(10) + 'é€');
    expect(last!.slab).not.toBe(posted[0]!.slab);
    expect(w.take()).toBeNull(); // nothing written since
  });

  it('a piece longer than a slab goes as a copy of its own, after what was written before it', () => {
    const { posted, copies, w, r } = setup(2, 32);
    w.text('x'.repeat(10));
    const long = Buffer.from('y'.repeat(100));
    w.bytes(long);
    long.fill(0x7a); // the writer's buffer is reused by the caller: the copy must not change
    expect(posted.map((f) => text(r, f))).toEqual(['x'.repeat(10)]);
    expect(copies.map((b) => Buffer.from(b).toString())).toEqual(['y'.repeat(100)]);
    w.text('w'.repeat(20)); // and writing goes on in the next slab
    expect(posted).toHaveLength(1);
    const tail = w.take()!;
    expect(tail.slab).not.toBe(posted[0]!.slab);
    expect(text(r, tail)).toBe('w'.repeat(20));
  });

  it('slabs are taken in turn, and one freed by the reader is used again', () => {
    const { posted, w, r } = setup(2, 8);
    for (const s of ['11111111', '22222222']) w.text(s);
    // Both slabs are taken now (one posted, one being filled); free the first and write on.
    expect(posted).toHaveLength(1);
    r.free(posted[0]!);
    w.text('33333333'); // hands over slab 1 and takes slab 0 again (free) without waiting
    expect(posted.map((f) => f.slab)).toEqual([0, 1]);
    expect(text(r, posted[1]!)).toBe('22222222');
    const last = w.take()!;
    expect(last.slab).toBe(0);
    expect(text(r, last)).toBe('33333333');
  });
});

describe("the reading thread's own slabs", () => {
  function setup(size: number) {
    const posted: { buf: Buffer; text: string }[] = [];
    const copies: string[] = [];
    const w = new LocalSlabs(size, (buf, len) => posted.push({ buf, text: buf.toString('utf8', 0, len) }), (b) => copies.push(Buffer.from(b).toString()));
    return { posted, copies, w };
  }

  it('hand over each slab whole and in order: text, a formatter writing straight in (swap), a long piece as a copy', () => {
    const { posted, copies, w } = setup(64);
    w.text('a'.repeat(20));
    w.text('b'.repeat(20)); // does not fit behind 20 bytes: the slab goes, a new one takes it
    const s = w.claim(); // the slab being filled, for a formatter's byte buffer
    s.write('c'.repeat(5), 20);
    const next = w.swap(25);
    expect(next).not.toBe(s);
    next.write('d'.repeat(3), 0);
    w.fill(3);
    const long = Buffer.from('y'.repeat(100));
    w.copy(long); // what is in the slab goes first, then the copy
    long.fill(0x7a); // the caller's buffer is reused: the copy must not change
    w.text('e'.repeat(4));
    w.flush();
    w.flush(); // nothing since: nothing handed over
    expect(posted.map((p) => p.text)).toEqual(['a'.repeat(20), 'b'.repeat(20) + 'c'.repeat(5), 'd'.repeat(3), 'e'.repeat(4)]);
    expect(copies).toEqual(['y'.repeat(100)]);
  });

  it('a slab given back is filled again; without one, a new one is taken (nothing waits)', () => {
    const { posted, w } = setup(16);
    w.text('1111');
    w.flush();
    w.text('2222');
    w.flush();
    expect(posted[1]!.buf).not.toBe(posted[0]!.buf); // the first is still out
    w.recycle(posted[0]!.buf);
    w.text('3333');
    w.flush();
    expect(posted[2]!.buf).toBe(posted[0]!.buf);
    expect(posted.map((p) => p.text)).toEqual(['1111', '2222', '3333']);
  });
});

describe('output in chunk order', () => {
  it('whatever order the pieces and ends arrive in, each chunk is written whole and in number order', () => {
    // A small deterministic PRNG: many interleavings of 3 workers, each working through its chunks in order.
    let seed = 12345;
    const rnd = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    for (let round = 0; round < 200; round++) {
      const chunks = 1 + rnd(20);
      const workers = 1 + rnd(3);
      // Chunk k goes to worker k % workers and has 0..3 pieces.
      const queues: { seq: number; pieces: number }[][] = Array.from({ length: workers }, () => []);
      for (let k = 0; k < chunks; k++) queues[k % workers]!.push({ seq: k, pieces: rnd(4) });
      const written: string[] = [];
      const order = new InOrder<string>((p) => written.push(p));
      const progress = queues.map(() => ({ i: 0, piece: 0 }));
      let left = chunks;
      while (left > 0) {
        const w = rnd(workers);
        const q = queues[w]!;
        const st = progress[w]!;
        const c = q[st.i];
        if (c === undefined) continue;
        if (st.piece < c.pieces) order.part(c.seq, `${c.seq}.${st.piece++}`);
        else {
          order.done(c.seq);
          st.i++;
          st.piece = 0;
          left--;
        }
      }
      const want = queues
        .flat()
        .sort((x, y) => x.seq - y.seq)
        .flatMap((c) => Array.from({ length: c.pieces }, (_, i) => `${c.seq}.${i}`));
      expect(written).toEqual(want);
      expect(order.next).toBe(chunks);
    }
  });

  it('holds a later chunk until the one before it is done', () => {
    const written: string[] = [];
    const order = new InOrder<string>((p) => written.push(p));
    order.part(1, 'b');
    order.done(1);
    expect(written).toEqual([]);
    expect(order.next).toBe(0);
    order.part(0, 'a');
    expect(written).toEqual(['a']);
    order.done(0);
    expect(written).toEqual(['a', 'b']);
    expect(order.next).toBe(2);
  });
});
