// BGP message framing over one direction's reassembled byte stream, with resynchronisation.
//
// RFC 4271 §4.1 message header:
//
//    0                   1                   2                   3
//    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |                           Marker (16 octets of 0xff)          |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |          Length (19..4096, or ..65535 with RFC 8654)  |  Type |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// Two states:
// - synchronised: the next byte is a header. The part of a segment from the first header on is copied once and
//   the whole messages in it are handed on as views of that copy (never written again, never reused; the copy
//   comes from Node's shared 8 KiB Buffer pool, so a message kept for long keeps at most that alive); a message
//   split across segments is assembled in a buffer allocated at its final length (from the same pool) as soon
//   as its header is known, and that buffer is handed on as is. A header with a wrong marker or an impossible
//   length is a `bad_header` event and the framer resynchronises from the byte after the header's first byte.
// - resynchronising (stream start without SYN, after lost or truncated bytes, after a bad header): bytes are
//   collected and scanned for a plausible header: 16 × 0xff, then a length in 19..maxMessageLength and a type
//   1..5 whose RFC minimum length the length meets (KEEPALIVE exactly 19). When the whole candidate message and
//   the next 19 bytes are already at hand, the next header must be plausible too, which rules out most false
//   matches inside attribute data; when they are not, the candidate is accepted (waiting would hold a message
//   back until the peer's next one, possibly a minute later). The bytes skipped before the candidate are
//   reported as one `gap` event (none when zero). Exception: when the very first byte after the discontinuity
//   begins a marker and a length in range, that header is taken as a synchronised stream would take it (the
//   usual case of a capture starting, or a loss ending, at a segment that starts with a message).
//
// The type is checked only while resynchronising: in a synchronised stream an unknown type is the decoder's
// business (RFC 4271 §6.1 Bad Message Type), not a framing error.

import type { Timestamp } from '../types.js';
import type { HalfFlow, StreamConsumer } from './stream.js';
import { settle } from '../shapes.js';

const HEADER = 19;
const MARKER = 16;

/** The slab alloc() cuts copies from, and how much of it is used. */
const SLAB = 64 * 1024;
let slab = new ArrayBuffer(SLAB);
let slabUsed = 0;

/**
 * `len` bytes for a segment's copy or a message that spans segments: a view of a 64 KiB slab, cut in order and
 * never reused (a new slab when it is used up; the old one is freed with the last view of it), so a copy costs
 * one object. (`new Uint8Array(len)` over 64 bytes allocates its memory outside the heap, ~250 ns each; Node's
 * Buffer.allocUnsafe makes a Buffer of its 8 KiB pool, a second object here, and a new pool every few
 * segments.) Copies over 16 KiB (messages past 4,096 bytes under RFC 8654) get their own memory.
 */
function alloc(len: number): Uint8Array {
  if (len > SLAB >> 2) return new Uint8Array(len);
  if (slabUsed + len > SLAB) {
    slab = new ArrayBuffer(SLAB);
    slabUsed = 0;
  }
  const b = new Uint8Array(slab, slabUsed, len);
  slabUsed += len;
  return b;
}

/** RFC minimum lengths by type, used only to judge resynchronisation candidates. */
const MIN_LEN_BY_TYPE = [
  0,
  29, // OPEN, RFC 4271 §4.2
  23, // UPDATE, RFC 4271 §4.3
  21, // NOTIFICATION, RFC 4271 §4.5
  19, // KEEPALIVE, RFC 4271 §4.4 (exactly)
  23, // ROUTE-REFRESH, RFC 2918 §3 (longer with ORF entries, RFC 5291)
];

/** Why the framer lost its place; used in the wording of the `gap` event that reports the skipped bytes. */
export type ResyncReason = 'start' | 'gap' | 'truncated' | 'bad_header';

const REASON_TEXT: Record<ResyncReason, string> = {
  start: 'stream captured from the middle',
  gap: 'after lost bytes',
  truncated: 'after a truncated frame',
  bad_header: 'after a bad header',
};

const EMPTY = new Uint8Array(0);

const SYNCED = 0;
const RESYNC = 1;
const ENDED = 2;

function hex(b: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) s += (b[i]! < 16 ? '0' : '') + b[i]!.toString(16);
  return s;
}

/** True when a plausible header (see file comment) starts at `p`; `p + 19 <= end` is the caller's guarantee. */
function plausibleHeader(b: Uint8Array, p: number, max: number): boolean {
  for (let i = 0; i < MARKER; i++) if (b[p + i] !== 0xff) return false;
  const len = (b[p + 16]! << 8) | b[p + 17]!;
  const type = b[p + 18]!;
  if (type < 1 || type > 5 || len > max) return false;
  return type === 4 ? len === HEADER : len >= MIN_LEN_BY_TYPE[type]!;
}

export class BgpFramer {
  private state = SYNCED;
  /** Message being assembled across segments (allocated at its header's length), or null. */
  private pend: Uint8Array | null = null;
  private pendFill = 0;
  /** Header bytes seen while fewer than 19 are at hand. */
  private readonly hdr = new Uint8Array(HEADER);
  private hdrFill = 0;
  /**
   * Resynchronisation: collected bytes not yet judged, and bytes already skipped. Two buffers swap roles when a
   * header is found, so that framing the found bytes never appends into the buffer being read.
   */
  private scan: Uint8Array = EMPTY;
  private spare: Uint8Array = EMPTY;
  private spareLen = 0;
  private scanLen = 0;
  private skipped = 0;
  private reason: ResyncReason = 'start';
  /** Stream offset just past the last byte received (lost bytes included); offsets in messages derive from it. */
  private received = 0;

  constructor(
    private readonly h: HalfFlow,
    private readonly out: StreamConsumer,
  ) {
    settle(this, ['received', 'pendFill', 'hdrFill'], ['state', 'pend', 'scan', 'spare', 'spareLen', 'scanLen', 'skipped', 'reason']);
  }

  /** In-order stream bytes `b[start:end)`, a view valid only during the call. */
  data(b: Uint8Array, start: number, end: number, ts: Timestamp, frameNo: number): void {
    this.received += end - start;
    let buf = b;
    let p = start;
    let e = end;
    for (;;) {
      if (this.state === SYNCED) {
        p = this.synced(buf, p, e, ts, frameNo);
        if (p < 0) return;
      } else if (this.state === RESYNC) {
        p = this.resync(buf, p, e, ts, frameNo);
        if (p < 0) return;
        buf = this.spare;
        e = this.spareLen;
      } else {
        return;
      }
    }
  }

  /**
   * The next bytes do not follow the previous ones (`lost` stream bytes in between, 0 at a mid-stream start).
   * A partly assembled message is dropped (its bytes count as skipped) and the framer resynchronises.
   */
  discontinuity(reason: ResyncReason, lost: number): void {
    if (this.state === ENDED) return;
    this.received += lost;
    if (this.state === SYNCED) {
      const partial = this.pend !== null ? this.pendFill : this.hdrFill;
      this.pend = null;
      this.pendFill = 0;
      this.hdrFill = 0;
      this.enterResync(reason, partial);
    } else if (reason !== 'start') {
      // Bytes collected before the discontinuity cannot start a header that continues after it.
      this.skipped += this.scanLen;
      this.scanLen = 0;
      this.reason = reason;
    }
  }

  /** End of this direction's stream: report a partial message or bytes still being skipped. */
  end(ts: Timestamp, frameNo: number): void {
    if (this.state === SYNCED) {
      if (this.pend !== null) {
        this.ev(
          'incomplete_message',
          this.pendFill,
          `stream ended ${this.pendFill} bytes into a ${this.pend.length}-byte message`,
          ts,
          frameNo,
        );
      } else if (this.hdrFill > 0) {
        this.ev('incomplete_message', this.hdrFill, `stream ended ${this.hdrFill} bytes into a message header`, ts, frameNo);
      }
    } else if (this.state === RESYNC) {
      const n = this.skipped + this.scanLen;
      if (n > 0) {
        this.ev('gap', n, `stream ended before a BGP header was found (${REASON_TEXT[this.reason]}): ${n} bytes skipped`, ts, frameNo);
      }
    }
    this.state = ENDED;
    this.pend = null;
    this.scan = EMPTY;
    this.spare = EMPTY;
    this.scanLen = 0;
  }

  /** Bytes held for a partial message or an unfinished header search. */
  get pendingBytes(): number {
    return this.pend !== null ? this.pendFill : this.hdrFill + this.scanLen;
  }

  private ev(code: 'gap' | 'incomplete_message' | 'bad_header', n: number | null, message: string, ts: Timestamp, frameNo: number): void {
    this.out.event(this.h, { code, bytesSkipped: n, message }, ts, frameNo);
  }

  /** A message assembled in a buffer of its own: to the consumer, unless it rejects it on a peek. */
  private whole(h: HalfFlow, msg: Uint8Array, ts: Timestamp, frameNo: number): void {
    if (this.out.peek === undefined || !this.out.peek(h, msg, 0, msg.length, ts, frameNo)) this.out.message(h, msg, ts, frameNo);
  }

  /**
   * Frame b[p:end). Returns -1 when all bytes were consumed, else the position from which to resynchronise
   * (the state is then RESYNC).
   */
  private synced(b: Uint8Array, p: number, end: number, ts: Timestamp, frameNo: number): number {
    const h = this.h;
    // A message begun in an earlier segment.
    if (this.pend !== null) {
      const pend = this.pend;
      const n = Math.min(pend.length - this.pendFill, end - p);
      pend.set(b.subarray(p, p + n), this.pendFill);
      this.pendFill += n;
      p += n;
      if (this.pendFill < pend.length) return -1;
      this.pend = null;
      this.whole(h, pend, ts, frameNo);
    } else if (this.hdrFill > 0) {
      const hdr = this.hdr;
      const n = Math.min(HEADER - this.hdrFill, end - p);
      hdr.set(b.subarray(p, p + n), this.hdrFill);
      this.hdrFill += n;
      p += n;
      if (this.hdrFill < HEADER) return -1;
      this.hdrFill = 0;
      const len = this.checkHeader(hdr, 0, this.received - (end - p) - HEADER, ts, frameNo);
      if (len < 0) {
        // Rescan from the header's second byte: its last 18 bytes, then the rest of this segment.
        this.enterResync('bad_header', 1);
        this.appendScan(hdr, 1, HEADER);
        return p;
      }
      const msg = alloc(len);
      msg.set(hdr);
      const k = Math.min(len - HEADER, end - p);
      if (k > 0) msg.set(b.subarray(p, p + k), HEADER);
      p += k;
      if (HEADER + k < len) {
        this.pend = msg;
        this.pendFill = HEADER + k;
        return -1;
      }
      this.whole(h, msg, ts, frameNo);
    }
    // Whole messages inside this segment. The rest of the segment is copied once and each message handed on as
    // a view of that copy, which is never written again: one allocation per segment instead of one per message.
    // A message the consumer rejects by peeking at it in place is neither copied nor given a view (a filter
    // that rejects nearly every message then copies nearly nothing).
    const peek = this.out.peek;
    // The copy's buffer and where b[p] lies in it, read once a segment: the `buffer` getter is a call into
    // V8's C++ runtime, not inlined (0.8 % of bird line elem when read once a message).
    let copy: ArrayBufferLike | null = null;
    let shift = 0;
    while (end - p >= HEADER) {
      const len = this.checkHeader(b, p, this.received - (end - p), ts, frameNo);
      if (len < 0) {
        this.enterResync('bad_header', 1);
        return p + 1;
      }
      if (end - p < len) {
        const msg = alloc(len);
        msg.set(b.subarray(p, end));
        this.pend = msg;
        this.pendFill = end - p;
        return -1;
      }
      const q = p + len;
      if (peek !== undefined && peek.call(this.out, h, b, p, q, ts, frameNo)) {
        p = q;
        continue;
      }
      if (copy === null) {
        const c = alloc(end - p);
        c.set(b.subarray(p, end));
        copy = c.buffer;
        shift = c.byteOffset - p;
      }
      // (The constructor rather than subarray(): a third cheaper, no species lookup.)
      this.out.message(h, new Uint8Array(copy, shift + p, len), ts, frameNo);
      p = q;
    }
    if (p < end) {
      this.hdr.set(b.subarray(p, end));
      this.hdrFill = end - p;
    }
    return -1;
  }

  /** Length of the header at b[p..p+19), or -1 after reporting it as a bad header. */
  private checkHeader(b: Uint8Array, p: number, at: number, ts: Timestamp, frameNo: number): number {
    // All 16 marker bytes ANDed, one comparison (no branch per byte).
    let m = 0xff;
    for (let i = 0; i < MARKER; i++) m &= b[p + i]!;
    const ok = m === 0xff;
    const len = (b[p + 16]! << 8) | b[p + 17]!;
    const max = this.h.maxMessageLength;
    if (ok && len >= HEADER && len <= max) return len;
    const why = !ok
      ? 'marker is not 16 x 0xff (RFC 4271 §6.1 Connection Not Synchronized)'
      : `length ${len} outside 19..${max} (RFC 4271 §6.1 Bad Message Length)`;
    this.ev('bad_header', null, `bad BGP header at stream offset ${at}: ${why}; header ${hex(b, p, p + HEADER)}`, ts, frameNo);
    return -1;
  }

  private enterResync(reason: ResyncReason, skipped: number): void {
    this.state = RESYNC;
    this.reason = reason;
    this.skipped = skipped;
    this.scanLen = 0;
  }

  private appendScan(b: Uint8Array, start: number, end: number): void {
    const n = end - start;
    if (this.scanLen + n > this.scan.length) {
      const grown = new Uint8Array(Math.max(4096, 2 * (this.scanLen + n)));
      grown.set(this.scan.subarray(0, this.scanLen));
      this.scan = grown;
    }
    this.scan.set(b.subarray(start, end), this.scanLen);
    this.scanLen += n;
  }

  /**
   * Collect b[start:end) and look for a header. Returns -1 when none was found yet (bytes kept or skipped), else
   * the header's position in `this.spare` (the buffers were swapped; `spareLen` bytes are valid; state SYNCED).
   */
  private resync(b: Uint8Array, start: number, end: number, ts: Timestamp, frameNo: number): number {
    this.appendScan(b, start, end);
    const buf = this.scan;
    const len = this.scanLen;
    const max = this.h.maxMessageLength;
    const lim = len - HEADER; // last position where a whole header fits
    let i = 0;
    let found = -1;
    while (i <= lim) {
      const j = buf.indexOf(0xff, i);
      if (j < 0 || j > lim) {
        i = j < 0 ? len : j;
        break;
      }
      let k = 1;
      while (k < MARKER && buf[j + k] === 0xff) k++;
      if (k < MARKER) {
        // buf[j+k] is not 0xff, so no marker starts in j..j+k.
        i = j + k + 1;
        continue;
      }
      if (j === 0 && this.skipped === 0) {
        // The very first byte after the discontinuity starts with a marker: senders start segments at
        // message boundaries, so judge this header as a synchronised stream would (marker and length only)
        // and let the decoder report a malformed message rather than skip it.
        const l0 = (buf[16]! << 8) | buf[17]!;
        if (l0 >= HEADER && l0 <= max) {
          found = 0;
          break;
        }
      }
      if (plausibleHeader(buf, j, max)) {
        const next = j + ((buf[j + 16]! << 8) | buf[j + 17]!);
        if (next + HEADER > len || plausibleHeader(buf, next, max)) {
          found = j;
          break;
        }
      }
      i = j + 1;
    }
    if (found < 0) {
      // Keep only what could still begin a header once more bytes arrive (at most 18 bytes).
      const from = Math.min(Math.max(i, len - (HEADER - 1), 0), len);
      this.skipped += from;
      buf.copyWithin(0, from, len);
      this.scanLen = len - from;
      return -1;
    }
    const skipped = this.skipped + found;
    if (skipped > 0) {
      const at = this.received - (len - found);
      this.ev('gap', skipped, `resynchronised ${REASON_TEXT[this.reason]}: skipped ${skipped} bytes before the BGP header at stream offset ${at}`, ts, frameNo);
    }
    this.skipped = 0;
    this.state = SYNCED;
    this.scan = this.spare;
    this.scanLen = 0;
    this.spare = buf;
    this.spareLen = len;
    return found;
  }
}

