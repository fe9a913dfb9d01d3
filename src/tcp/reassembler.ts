// TCP reassembly per direction, a connection table, and a BGP framer per direction.
//
//   push(Segment) ─▶ connection table ─▶ Half (one direction) ─▶ in-order bytes ─▶ BgpFramer ─▶ consumer.message
//                    (4-tuple, LRU)       expected seq, FIN,      (out-of-order:                 consumer.event
//                                         out-of-order buffer      copied, sorted)
//
// Per direction (RFC 9293 §3.4 sequence space, compared with RFC 1982 arithmetic, see seq.ts):
// - A SYN sets the ISN; its sequence number is consumed, so data starts at ISN+1 and the stream starts in
//   sync with message boundaries. A SYN-ACK's acknowledgment number also gives the other direction's start
//   when that direction's SYN was not captured. Without a SYN (capture started mid-connection) the first
//   segment's seq becomes the start and the framer resynchronises. SYN payload is taken at ISN+1, unless the
//   next segment shows the capture's generator numbered it from the ISN (see push()).
// - In-order payload goes straight to the framer (no copy here; the framer copies what it keeps, once).
//   Bytes already delivered (retransmissions, overlaps) are trimmed, so every stream byte is delivered once.
// - Out-of-order segments are copied and kept sorted by seq. Where a new segment overlaps data already held,
//   the copy held first wins (as in the BSD stack and most reassemblers); only the uncovered pieces are kept.
//   An in-order segment that runs into held data is cut where the held data begins, for the same reason.
// - A hole is given up — a `gap` event with the exact number of missing bytes, then the framer resynchronises
//   on the data after it — when (1) holding more would pass `maxBufferedPerFlow` or `maxBufferedTotal` (the
//   direction holding data longest gives up first), (2) the other direction acknowledges bytes at or past the
//   first held segment (`ackGapHeuristic`: the receiver got the hole's bytes, so the capture missed them and
//   no retransmission will come), or (3) the stream ends (FIN reached, RST, eviction, flush()).
// - A snaplen-truncated segment (seg.missing > 0): its captured bytes are delivered, its missing bytes are
//   consumed as lost (`truncated_frame` event) and the framer resynchronises. Bytes are never guessed.
// - FIN: the stream ends at FIN's sequence number; later data is ignored (counted in stats.ignoredSegments).
//   The framer reports a partial message (`incomplete_message`). Both directions ended → `closed`.
// - RST: a `reset` event on the sender's direction, then both directions end as at FIN (held data after a
//   hole is delivered after a `gap`), and the connection is closed. Later non-SYN segments are ignored.
//
// Connections are keyed by the 4-tuple (optionally with the interface); both directions map to one
// Connection. A SYN on a closed connection's tuple (or one whose ISN differs from the one seen) starts a new
// Connection with the next id. The table holds at most `maxConnections`; beyond that the least recently used
// closed connection is dropped, or, if none, the least recently used open one (after a `buffer_limit` event).
//
// Timestamps: a message or event carries the ts/frameNo of the segment being processed when it happened (for
// data released from the out-of-order buffer: the segment that filled the hole); at flush() the held segment's
// own ts/frameNo, and for end-of-stream events the direction's last segment.

import type { Segment, Timestamp } from '../types.js';
import { BgpFramer } from './framer.js';
import { seqAdd, seqDiff } from './seq.js';
import { settle } from '../shapes.js';
import type { Connection, HalfFlow, StreamConsumer, StreamEventCode } from './stream.js';

export interface ReassemblyOptions {
  /**
   * Out-of-order bytes held per direction while waiting for a hole to fill (each held segment counts its
   * bytes plus SEGMENT_OVERHEAD). Beyond it the oldest hole is given up (`gap` event). Default 4 MiB.
   */
  maxBufferedPerFlow: number;
  /** The same bound over all directions together. Default 256 MiB. */
  maxBufferedTotal: number;
  /** Connections kept in the table, open and closed (closed ones are dropped first, LRU). Default 100000. */
  maxConnections: number;
  /** Initial HalfFlow.maxMessageLength. Default 4096 (RFC 4271 §4.1); 65535 for RFC 8654 sessions. */
  maxMessageLength: number;
  /**
   * Give up a hole as soon as the other direction acknowledges bytes at or beyond the first held segment
   * (the receiver has the missing bytes, so only the capture lost them). Default true.
   */
  ackGapHeuristic: boolean;
  /** Include the interface in the connection key (same 4-tuple seen on two interfaces = two connections). Default false. */
  keyByIface: boolean;
}

export const DEFAULT_REASSEMBLY_OPTIONS: Readonly<ReassemblyOptions> = Object.freeze({
  maxBufferedPerFlow: 4 * 1024 * 1024,
  maxBufferedTotal: 256 * 1024 * 1024,
  maxConnections: 100_000,
  maxMessageLength: 4096,
  ackGapHeuristic: true,
  keyByIface: false,
});

/** Bookkeeping charged per held out-of-order segment on top of its bytes (object, array slot, view). */
export const SEGMENT_OVERHEAD = 64;

export interface ReassemblyStats {
  segments: number;
  /** Segments on a closed connection or after the direction's FIN, and pure ACKs of unknown connections. */
  ignoredSegments: number;
  /** Bytes received again (retransmissions, overlaps) and dropped. */
  duplicateBytes: number;
  /** Connections in the table now. */
  connections: number;
}

const EMPTY = new Uint8Array(0);
const FIN = 0x01;
const SYN = 0x02;
const RST = 0x04;
const ACK = 0x10;
/** An ACK further than this past a held segment is not believed (largest TCP window, RFC 7323 §2.3). */
const MAX_WINDOW = 1 << 30;

/** A held out-of-order piece: `data` (owned copy) then `missing` bytes the capture did not keep. */
interface Held {
  seq: number;
  data: Uint8Array;
  missing: number;
  ts: Timestamp;
  frameNo: number;
}

const OPEN_LIST = 0;
const CLOSED_LIST = 1;
const NO_LIST = -1;

class Conn implements Connection {
  a!: Half;
  b!: Half;
  user: unknown = undefined;
  closed = false;
  prev: Conn | null = null;
  next: Conn | null = null;
  list = NO_LIST;
  constructor(
    readonly id: number,
    public iface: string | null,
  ) {}
}

class Half implements HalfFlow {
  reverse!: Half;
  maxMessageLength: number;
  readonly framer: BgpFramer;
  started = false;
  startedAtSyn = false;
  /** Seq of the first stream byte (for relative seq numbers in messages). */
  startSeq = 0;
  isnKnown = false;
  isn = 0;
  /** The SYN carried payload and nothing followed yet (see the generator quirk in push). */
  synShift = false;
  /** Seq of the next byte to deliver. */
  next = 0;
  finSet = false;
  finSeq = 0;
  ended = false;
  held: Held[] = [];
  heldHead = 0;
  bufferedBytes = 0;
  /** Time and frame of this direction's last segment (for end-of-input events); numbers, not the caller's object. */
  lastSec = 0;
  lastNsec = 0;
  lastFrameNo = 0;
  constructor(
    readonly conn: Conn,
    readonly srcIp: string,
    readonly dstIp: string,
    readonly srcPort: number,
    readonly dstPort: number,
    readonly ipVersion: 4 | 6,
    readonly ifaceKey: string | null,
    readonly key: string,
    maxMessageLength: number,
    consumer: StreamConsumer,
  ) {
    this.maxMessageLength = maxMessageLength;
    this.framer = new BgpFramer(this, consumer);
    settle(
      this,
      ['startSeq', 'isn', 'next', 'finSeq', 'lastSec'],
      ['started', 'startedAtSyn', 'isnKnown', 'synShift', 'finSet', 'ended', 'heldHead', 'bufferedBytes', 'lastNsec', 'lastFrameNo'],
    );
  }
  rel(seq: number): number {
    return seqDiff(seq, this.startSeq) >>> 0;
  }
}

interface List {
  head: Conn | null;
  tail: Conn | null;
}

function keyOf(srcIp: string, srcPort: number, dstIp: string, dstPort: number, iface: string | null): string {
  return iface === null ? `${srcIp} ${srcPort} ${dstIp} ${dstPort}` : `${srcIp} ${srcPort} ${dstIp} ${dstPort} ${iface}`;
}

export class TcpReassembler {
  readonly options: Readonly<ReassemblyOptions>;
  readonly stats: ReassemblyStats = { segments: 0, ignoredSegments: 0, duplicateBytes: 0, connections: 0 };
  private readonly flows = new Map<string, Half>();
  private last: Half | null = null;
  private nextId = 1;
  private readonly lists: [List, List] = [
    { head: null, tail: null },
    { head: null, tail: null },
  ];
  /** Directions holding out-of-order data, in the order they started holding it. */
  private readonly holding = new Set<Half>();
  private total = 0;

  constructor(
    private readonly consumer: StreamConsumer,
    opts: Partial<ReassemblyOptions> = {},
  ) {
    this.options = Object.freeze({ ...DEFAULT_REASSEMBLY_OPTIONS, ...opts });
    settle(this, [], ['total', 'last', 'nextId']);
  }

  /** Out-of-order bytes held over all directions (bookkeeping included). */
  get bufferedBytes(): number {
    return this.total;
  }

  push(seg: Segment): void {
    this.stats.segments++;
    const flags = seg.flags;
    const payload = seg.payload;
    const missing = seg.missing > 0 ? seg.missing : 0;
    let h = this.find(seg);
    if (h === null) {
      if ((flags & (SYN | RST)) === 0 && payload.length + missing === 0) {
        this.stats.ignoredSegments++;
        return;
      }
      h = this.create(seg, null);
    } else if ((flags & SYN) !== 0 && this.synStartsNew(h, seg)) {
      h = this.create(seg, h);
    }
    const c = h.conn;
    this.touch(c);
    const ts = seg.ts;
    const frameNo = seg.frameNo;
    h.lastSec = ts.sec;
    h.lastNsec = ts.nsec;
    h.lastFrameNo = frameNo;
    if (c.closed) {
      this.stats.ignoredSegments++;
      return;
    }
    if ((flags & RST) !== 0) {
      this.reset(h, ts, frameNo);
      return;
    }
    let seq = seg.seq;
    if ((flags & SYN) !== 0) {
      if (!h.isnKnown) {
        h.isnKnown = true;
        h.isn = seq;
        if (!h.started) this.start(h, seqAdd(seq, 1), true);
      }
      seq = seqAdd(seq, 1);
      // The SYN-ACK acknowledges the peer's ISN: the peer's data starts at ack, on a message boundary.
      if ((flags & ACK) !== 0 && !h.reverse.started) this.start(h.reverse, seg.ack, true);
    }
    if ((flags & ACK) !== 0 && h.reverse.bufferedBytes > 0 && this.options.ackGapHeuristic) {
      this.ackGaps(h.reverse, seg.ack, ts, frameNo);
    }
    const total = payload.length + missing;
    if (!h.started) {
      if (total === 0 && (flags & FIN) === 0) return;
      this.start(h, seq, false);
    }
    if ((flags & FIN) !== 0 && !h.finSet) {
      h.finSet = true;
      h.finSeq = seqAdd(seq, total);
    }
    if (h.ended) {
      if (total > 0) this.stats.ignoredSegments++;
      return;
    }
    if (total > 0) {
      if (h.synShift) {
        h.synShift = false;
        // Some capture generators number a SYN's payload from the ISN itself rather than ISN+1 (RFC 9293
        // §3.4: the SYN occupies the ISN). The segment after such a SYN then overlaps it by exactly one byte;
        // believe the generator rather than cut a byte off every following message.
        if (seqDiff(seq, h.next) === -1) {
          h.next = seq;
          h.startSeq = h.isn;
        }
      }
      this.data(h, seq, payload, missing, ts, frameNo);
      if ((flags & SYN) !== 0 && payload.length > 0 && h.next === seqAdd(seq, payload.length)) h.synShift = true;
    }
    if (h.finSet && !h.ended && h.next === h.finSeq) this.endHalf(h, ts, frameNo);
  }

  /**
   * End of input: every hole still open becomes a `gap` and the data after it is delivered, partial messages
   * become `incomplete_message` events, and every open connection is closed. The reassembler is empty after.
   */
  flush(): void {
    const open: Conn[] = [];
    for (let c = this.lists[OPEN_LIST].head; c !== null; c = c.next) open.push(c);
    open.sort((x, y) => x.id - y.id);
    for (const c of open) this.finish(c, 'the input ended', null, 0);
    this.flows.clear();
    this.holding.clear();
    this.total = 0;
    this.last = null;
    this.lists[OPEN_LIST].head = this.lists[OPEN_LIST].tail = null;
    this.lists[CLOSED_LIST].head = this.lists[CLOSED_LIST].tail = null;
    this.stats.connections = 0;
  }

  // ── connection table ──────────────────────────────────────────────────────────────────────────────────

  private find(seg: Segment): Half | null {
    const l = this.last;
    const byIface = this.options.keyByIface;
    if (l !== null) {
      if (l.srcPort === seg.srcPort && l.dstPort === seg.dstPort && l.srcIp === seg.srcIp && l.dstIp === seg.dstIp && (!byIface || l.ifaceKey === seg.iface)) {
        return l;
      }
      const r = l.reverse;
      if (r.srcPort === seg.srcPort && r.dstPort === seg.dstPort && r.srcIp === seg.srcIp && r.dstIp === seg.dstIp && (!byIface || r.ifaceKey === seg.iface)) {
        this.last = r;
        return r;
      }
    }
    const h = this.flows.get(keyOf(seg.srcIp, seg.srcPort, seg.dstIp, seg.dstPort, byIface ? seg.iface : null));
    if (h === undefined) return null;
    this.last = h;
    return h;
  }

  /** Does a SYN on this direction begin a new connection on the same 4-tuple? */
  private synStartsNew(h: Half, seg: Segment): boolean {
    if (h.conn.closed) return !(h.isnKnown && h.isn === seg.seq); // else a retransmitted SYN of the old one
    if (h.isnKnown) return h.isn !== seg.seq;
    if (h.started) return seqAdd(seg.seq, 1) !== h.startSeq; // this stream's own late SYN, or a new one
    const r = h.reverse;
    // A fresh active open while the peer already sent data on this tuple.
    return (seg.flags & ACK) === 0 && r.started && r.next !== r.startSeq;
  }

  private create(seg: Segment, old: Half | null): Half {
    if (old !== null) {
      const oc = old.conn;
      if (!oc.closed) this.finish(oc, 'a new connection began on the same addresses and ports', seg.ts, seg.frameNo);
      this.remove(oc);
    }
    const iface = this.options.keyByIface ? seg.iface : null;
    const c = new Conn(this.nextId++, seg.iface);
    const max = this.options.maxMessageLength;
    const ka = keyOf(seg.srcIp, seg.srcPort, seg.dstIp, seg.dstPort, iface);
    const kb = keyOf(seg.dstIp, seg.dstPort, seg.srcIp, seg.srcPort, iface);
    const a = new Half(c, seg.srcIp, seg.dstIp, seg.srcPort, seg.dstPort, seg.ipVersion, iface, ka, max, this.consumer);
    const b = new Half(c, seg.dstIp, seg.srcIp, seg.dstPort, seg.srcPort, seg.ipVersion, iface, kb, max, this.consumer);
    a.reverse = b;
    b.reverse = a;
    c.a = a;
    c.b = b;
    this.flows.set(ka, a);
    this.flows.set(kb, b);
    this.append(c, OPEN_LIST);
    this.last = a;
    if (++this.stats.connections > this.options.maxConnections) this.evict(seg.ts, seg.frameNo);
    return a;
  }

  private evict(ts: Timestamp, frameNo: number): void {
    let victim = this.lists[CLOSED_LIST].head;
    if (victim === null) {
      victim = this.lists[OPEN_LIST].head;
      if (victim === null || victim === this.last?.conn) return;
      const o = this.options;
      this.ev(victim.a, 'buffer_limit', null, `connection table full (maxConnections ${o.maxConnections}): dropping the least recently used open connection`, ts, frameNo);
      this.finish(victim, 'the connection was dropped from the full table', ts, frameNo);
    }
    this.remove(victim);
  }

  private remove(c: Conn): void {
    this.unlink(c);
    if (this.flows.get(c.a.key) === c.a) this.flows.delete(c.a.key);
    if (this.flows.get(c.b.key) === c.b) this.flows.delete(c.b.key);
    if (this.last !== null && this.last.conn === c) this.last = null;
    this.stats.connections--;
  }

  private append(c: Conn, which: number): void {
    const l = this.lists[which as 0 | 1];
    c.list = which;
    c.prev = l.tail;
    c.next = null;
    if (l.tail !== null) l.tail.next = c;
    else l.head = c;
    l.tail = c;
  }

  private unlink(c: Conn): void {
    if (c.list === NO_LIST) return;
    const l = this.lists[c.list as 0 | 1];
    if (c.prev !== null) c.prev.next = c.next;
    else l.head = c.next;
    if (c.next !== null) c.next.prev = c.prev;
    else l.tail = c.prev;
    c.prev = c.next = null;
    c.list = NO_LIST;
  }

  private touch(c: Conn): void {
    if (c.next === null) return; // already most recent in its list
    const which = c.list;
    this.unlink(c);
    this.append(c, which);
  }

  private close(c: Conn): void {
    if (c.closed) return;
    c.closed = true;
    if (c.list !== NO_LIST) {
      this.unlink(c);
      this.append(c, CLOSED_LIST);
    }
    this.consumer.closed?.(c);
  }

  // ── one direction ─────────────────────────────────────────────────────────────────────────────────────

  private start(h: Half, seq: number, atSyn: boolean): void {
    h.started = true;
    h.startedAtSyn = atSyn;
    h.startSeq = seq;
    h.next = seq;
    if (!atSyn) h.framer.discontinuity('start', 0);
  }

  /** Payload b[0:len) followed by `missing` uncaptured bytes, starting at `seq`. */
  private data(h: Half, seq: number, b: Uint8Array, missing: number, ts: Timestamp, frameNo: number): void {
    let start = 0;
    const end = b.length;
    for (;;) {
      if (h.ended) return;
      const d = seqDiff(seq, h.next);
      if (d > 0) {
        if (this.hold(h, seq, b, start, end, missing, ts, frameNo)) return;
        continue; // a hole was given up: h.next moved, look again
      }
      // Trim what was already delivered.
      const old = -d;
      const avail = end - start + missing;
      if (old >= avail) {
        this.stats.duplicateBytes += avail;
        return;
      }
      this.stats.duplicateBytes += old;
      if (old <= end - start) start += old;
      else {
        missing -= old - (end - start);
        start = end;
      }
      seq = h.next;
      if (h.heldHead === h.held.length) {
        this.deliver(h, b, start, end, missing, ts, frameNo);
        return;
      }
      // Held data wins over this copy: deliver up to where it begins, release it, then trim again.
      const room = seqDiff(h.held[h.heldHead]!.seq, h.next);
      if (room >= end - start + missing) {
        this.deliver(h, b, start, end, missing, ts, frameNo);
        this.drain(h, ts, frameNo, false);
        return;
      }
      if (room > 0) {
        const cut = Math.min(end, start + room);
        const cutMissing = room - (cut - start);
        this.deliver(h, b, start, cut, cutMissing, ts, frameNo);
        missing -= cutMissing;
        start = cut;
        seq = seqAdd(seq, room);
      }
      this.drain(h, ts, frameNo, false);
    }
  }

  /** In-order bytes b[start:end) then `missing` lost ones; clipped at FIN. */
  private deliver(h: Half, b: Uint8Array, start: number, end: number, missing: number, ts: Timestamp, frameNo: number): void {
    if (h.ended) return;
    if (h.finSet) {
      const room = seqDiff(h.finSeq, h.next);
      if (end - start > room) {
        end = start + Math.max(room, 0);
        missing = 0;
      } else if (end - start + missing > room) {
        missing = room - (end - start);
      }
    }
    if (end > start) {
      h.next = seqAdd(h.next, end - start);
      h.framer.data(b, start, end, ts, frameNo);
    }
    if (missing > 0) {
      const from = h.rel(h.next);
      h.next = seqAdd(h.next, missing);
      this.ev(h, 'truncated_frame', missing, `frame ${frameNo} carried ${missing} payload bytes the capture did not keep (relative seq ${from}..${from + missing}); resynchronising after them`, ts, frameNo);
      h.framer.discontinuity('truncated', missing);
    }
    if (h.finSet && h.next === h.finSeq) this.endHalf(h, ts, frameNo);
  }

  /**
   * Hold b[start:end)+missing at `seq` (after h.next) — the pieces not already held. Returns false when a
   * hole had to be given up first to respect the limits (h.next may have moved: the caller looks again).
   */
  private hold(h: Half, seq: number, b: Uint8Array, start: number, end: number, missing: number, ts: Timestamp, frameNo: number): boolean {
    const s = seqDiff(seq, h.next);
    let e = s + (end - start) + missing;
    if (h.finSet) {
      const f = seqDiff(h.finSeq, h.next);
      if (e > f) e = f;
      if (s >= e) {
        this.stats.ignoredSegments++;
        return true;
      }
    }
    // The parts of [s, e) not held yet (first copy wins), as (index, from, to) triples; usually one piece
    // appended at the end.
    const held = h.held;
    const n = held.length;
    const dataEnd = s + (end - start);
    const pieces: number[] = [];
    let lo = h.heldHead;
    const last = n > lo ? held[n - 1]! : null;
    if (last === null || seqDiff(last.seq, h.next) + last.data.length + last.missing <= s) {
      pieces.push(n, s, e);
    } else {
      let hi = n;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        const m = held[mid]!;
        if (seqDiff(m.seq, h.next) + m.data.length + m.missing <= s) lo = mid + 1;
        else hi = mid;
      }
      let cur = s;
      let i = lo;
      for (; i < n && cur < e; i++) {
        const m = held[i]!;
        const ms = seqDiff(m.seq, h.next);
        if (ms >= e) break;
        if (ms > cur) pieces.push(i, cur, ms);
        cur = Math.max(cur, ms + m.data.length + m.missing);
      }
      if (cur < e) pieces.push(i, cur, e);
    }
    let kept = 0;
    let cost = 0;
    for (let k = 0; k < pieces.length; k += 3) {
      const ps = pieces[k + 1]!;
      const pe = pieces[k + 2]!;
      kept += pe - ps;
      cost += Math.max(0, Math.min(pe, dataEnd) - ps) + SEGMENT_OVERHEAD;
    }
    if (pieces.length === 0) {
      this.stats.duplicateBytes += e - s;
      return true;
    }
    const o = this.options;
    if (h.bufferedBytes + cost > o.maxBufferedPerFlow) {
      if (h.bufferedBytes > 0) this.giveUpHole(h, `out-of-order buffer full (maxBufferedPerFlow ${o.maxBufferedPerFlow})`, ts, frameNo, false);
      else this.skip(h, seq, `segment larger than maxBufferedPerFlow ${o.maxBufferedPerFlow}`, ts, frameNo);
      return false;
    }
    if (this.total + cost > o.maxBufferedTotal) {
      const oldest = this.holding.values().next();
      if (!oldest.done) this.giveUpHole(oldest.value, `out-of-order buffers full (maxBufferedTotal ${o.maxBufferedTotal})`, ts, frameNo, false);
      else this.skip(h, seq, `segment larger than maxBufferedTotal ${o.maxBufferedTotal}`, ts, frameNo);
      return false;
    }
    this.stats.duplicateBytes += e - s - kept;
    // Insert from the last piece back, so that earlier indices stay valid.
    for (let k = pieces.length - 3; k >= 0; k -= 3) this.put(h, pieces[k]!, pieces[k + 1]!, pieces[k + 2]!, s, b, start, end, ts, frameNo);
    return true;
  }

  /**
   * Hold the piece [ps, pe) (positions relative to h.next) of a segment whose bytes b[start:end) begin at
   * relative position `s`, followed by uncaptured bytes; insert it at index `at` of the held list.
   */
  private put(h: Half, at: number, ps: number, pe: number, s: number, b: Uint8Array, start: number, end: number, ts: Timestamp, frameNo: number): void {
    const dataEnd = s + (end - start);
    const dEnd = Math.min(pe, dataEnd);
    const data = ps < dEnd ? b.slice(start + (ps - s), start + (dEnd - s)) : EMPTY;
    const missing = pe - Math.max(ps, dataEnd);
    // ts is copied: the caller may reuse its object for the next segment.
    const piece: Held = { seq: seqAdd(h.next, ps), data, missing: missing > 0 ? missing : 0, ts: { sec: ts.sec, nsec: ts.nsec }, frameNo };
    if (at === h.held.length) h.held.push(piece);
    else h.held.splice(at, 0, piece);
    const cost = data.length + SEGMENT_OVERHEAD;
    if (h.bufferedBytes === 0) this.holding.add(h);
    h.bufferedBytes += cost;
    this.total += cost;
  }

  /** Deliver held pieces that are now in order. `own`: use each piece's ts/frameNo (end of input). */
  private drain(h: Half, ts: Timestamp, frameNo: number, own: boolean): void {
    const held = h.held;
    while (!h.ended && h.heldHead < held.length) {
      const m = held[h.heldHead]!;
      const d = seqDiff(m.seq, h.next);
      if (d > 0) break;
      held[h.heldHead++] = undefined as unknown as Held;
      this.release(h, m);
      const len = m.data.length;
      const old = -d;
      if (old >= len + m.missing) {
        this.stats.duplicateBytes += len + m.missing;
        continue;
      }
      const start = Math.min(old, len);
      const missing = m.missing - Math.max(0, old - len);
      this.deliver(h, m.data, start, len, missing, own ? m.ts : ts, own ? m.frameNo : frameNo);
    }
    if (h.heldHead >= held.length) {
      h.held = [];
      h.heldHead = 0;
    } else if (h.heldHead > 64 && h.heldHead * 2 > held.length) {
      h.held = held.slice(h.heldHead);
      h.heldHead = 0;
    }
    if (h.ended) this.dropHeld(h);
  }

  private release(h: Half, m: Held): void {
    const cost = m.data.length + SEGMENT_OVERHEAD;
    h.bufferedBytes -= cost;
    this.total -= cost;
    if (h.bufferedBytes === 0) this.holding.delete(h);
  }

  private dropHeld(h: Half): void {
    for (let i = h.heldHead; i < h.held.length; i++) this.release(h, h.held[i]!);
    h.held = [];
    h.heldHead = 0;
  }

  /** Stop waiting for the bytes before the first held piece: report them lost, resync on what follows. */
  private giveUpHole(h: Half, why: string, ts: Timestamp, frameNo: number, own: boolean): void {
    const first = h.held[h.heldHead]!;
    const lost = seqDiff(first.seq, h.next);
    if (lost > 0) {
      this.lose(h, lost, why, own ? first.ts : ts, own ? first.frameNo : frameNo);
    }
    this.drain(h, ts, frameNo, own);
  }

  /** Stop waiting for the bytes before `seq` (nothing held). */
  private skip(h: Half, seq: number, why: string, ts: Timestamp, frameNo: number): void {
    const lost = seqDiff(seq, h.next);
    if (lost > 0) this.lose(h, lost, why, ts, frameNo);
  }

  private lose(h: Half, lost: number, why: string, ts: Timestamp, frameNo: number): void {
    const from = h.rel(h.next);
    this.ev(h, 'gap', lost, `${lost} stream bytes never captured (relative seq ${from}..${from + lost}): ${why}`, ts, frameNo);
    h.next = seqAdd(h.next, lost);
    h.framer.discontinuity('gap', lost);
    if (h.finSet && h.next === h.finSeq) this.endHalf(h, ts, frameNo);
  }

  /** The receiver acknowledged `ack` in h's stream: holes before held data it covers will never be filled. */
  private ackGaps(h: Half, ack: number, ts: Timestamp, frameNo: number): void {
    while (!h.ended && h.heldHead < h.held.length) {
      const d = seqDiff(ack, h.held[h.heldHead]!.seq);
      if (d < 0 || d >= MAX_WINDOW) return;
      this.giveUpHole(h, 'the receiver acknowledged them, so they will not be sent again', ts, frameNo, false);
    }
  }

  private endHalf(h: Half, ts: Timestamp, frameNo: number): void {
    if (h.ended) return;
    h.ended = true;
    this.dropHeld(h);
    h.framer.end(ts, frameNo);
    if (h.reverse.ended) this.close(h.conn);
  }

  private reset(h: Half, ts: Timestamp, frameNo: number): void {
    this.ev(h, 'reset', null, `connection reset by ${h.srcIp} port ${h.srcPort}`, ts, frameNo);
    this.finish(h.conn, 'the connection was reset', ts, frameNo);
  }

  /** End both directions now: give up open holes, report partial messages, close. ts null = end of input. */
  private finish(c: Conn, why: string, ts: Timestamp | null, frameNo: number): void {
    for (const h of [c.a, c.b]) {
      const last = ts ?? { sec: h.lastSec, nsec: h.lastNsec };
      while (!h.ended && h.heldHead < h.held.length) {
        this.giveUpHole(h, `hole still open when ${why}`, last, frameNo, ts === null);
      }
      if (!h.ended) this.endHalf(h, last, ts === null ? h.lastFrameNo : frameNo);
    }
    this.close(c);
  }

  private ev(h: Half, code: StreamEventCode, n: number | null, message: string, ts: Timestamp, frameNo: number): void {
    this.consumer.event(h, { code, bytesSkipped: n, message }, ts, frameNo);
  }
}

