// The byte stream from the capture process to the decoder process of `bgpcap live` (a pipe, fd 3 of the
// decoder). The capture side copies each packet once into a batch; the decoder parses records in place.
//
// Every record starts with a 4-byte head; integers are little-endian:
//
//    0       1       2               4
//   +-------+-------+---------------+
//   | kind  |   0   |   iface id    |
//   +-------+-------+---------------+
//
//   kind 1, packet:   4 ts seconds (u32) · 8 ts nanoseconds (u32) · 12 captured length (u32) ·
//                     16 length on the wire (u32) · 20 the captured bytes
//   kind 2..4, control: 4 length (u32) · 8 JSON text (UTF-8) of that length
//     2 attach  {name, mux, linkType, snaplen, file}      the interface is (again) being captured
//     3 detach  {reason}                                  the interface went away or down
//     4 file    {file}                                    --write started a new file (rotation)

export const KIND_PACKET = 1;
export const KIND_ATTACH = 2;
export const KIND_DETACH = 3;
export const KIND_FILE = 4;

export const PACKET_HEAD = 20;
const CONTROL_HEAD = 8;

/** Longest record the decoder accepts: the largest snaplen libpcap allows on Linux plus headroom. */
export const MAX_RECORD = 1 << 20;

export interface AttachInfo {
  name: string;
  mux: string | null;
  linkType: number;
  snaplen: number;
  file: string | null;
  /** Epoch milliseconds of the attachment (for the iface_up event). */
  timeMs: number;
  /** False for the interfaces opened at start, true for a later (re-)attachment. */
  again: boolean;
}

export interface DetachInfo {
  reason: string;
  /** Epoch milliseconds when the loss was noticed. */
  timeMs: number;
}

/** Collects records into one buffer; take() hands the bytes written so far to the pipe. */
export class WireBatch {
  private buf: Buffer;
  private len = 0;

  constructor(initial = 256 * 1024) {
    this.buf = Buffer.allocUnsafe(initial);
  }

  get length(): number {
    return this.len;
  }

  private room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + n));
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }

  packet(id: number, sec: number, nsec: number, data: Uint8Array, caplen: number, origLen: number): void {
    this.room(PACKET_HEAD + caplen);
    const b = this.buf;
    const o = this.len;
    b[o] = KIND_PACKET;
    b[o + 1] = 0;
    b.writeUInt16LE(id, o + 2);
    b.writeUInt32LE(sec >>> 0, o + 4);
    b.writeUInt32LE(nsec >>> 0, o + 8);
    b.writeUInt32LE(caplen, o + 12);
    b.writeUInt32LE(origLen >>> 0, o + 16);
    b.set(caplen === data.length ? data : data.subarray(0, caplen), o + PACKET_HEAD);
    this.len = o + PACKET_HEAD + caplen;
  }

  control(kind: number, id: number, value: unknown): void {
    const text = Buffer.from(JSON.stringify(value), 'utf8');
    this.room(CONTROL_HEAD + text.length);
    const b = this.buf;
    const o = this.len;
    b[o] = kind;
    b[o + 1] = 0;
    b.writeUInt16LE(id, o + 2);
    b.writeUInt32LE(text.length, o + 4);
    text.copy(b, o + CONTROL_HEAD);
    this.len = o + CONTROL_HEAD + text.length;
  }

  /** A copy of the collected bytes (the pipe may hold it a while), or null when empty; the batch starts over. */
  take(): Buffer | null {
    if (this.len === 0) return null;
    const out = Buffer.from(this.buf.subarray(0, this.len));
    this.len = 0;
    return out;
  }
}

export interface WireHandler {
  /** `data` is a view valid only during the call. */
  packet(id: number, sec: number, nsec: number, data: Uint8Array, origLen: number): void;
  control(kind: number, id: number, value: unknown): void;
}

export class WireError extends Error {
  override readonly name = 'WireError';
}

/**
 * Parses the stream chunk by chunk. Records lying whole in a chunk are handed on as views; a record cut by a
 * chunk boundary is completed in a carry buffer first.
 */
export class WireReader {
  private carry: Buffer = Buffer.alloc(0);

  constructor(private readonly h: WireHandler) {}

  push(chunk: Buffer): void {
    let b = chunk;
    if (this.carry.length > 0) {
      b = Buffer.concat([this.carry, chunk]);
      this.carry = Buffer.alloc(0);
    }
    let o = 0;
    const n = b.length;
    while (n - o >= 8) {
      const kind = b[o]!;
      const id = b.readUInt16LE(o + 2);
      if (kind === KIND_PACKET) {
        if (n - o < PACKET_HEAD) break;
        const caplen = b.readUInt32LE(o + 12);
        if (caplen > MAX_RECORD) throw new WireError(`packet record of ${caplen} bytes`);
        if (n - o < PACKET_HEAD + caplen) break;
        this.h.packet(id, b.readUInt32LE(o + 4), b.readUInt32LE(o + 8), b.subarray(o + PACKET_HEAD, o + PACKET_HEAD + caplen), b.readUInt32LE(o + 16));
        o += PACKET_HEAD + caplen;
      } else if (kind === KIND_ATTACH || kind === KIND_DETACH || kind === KIND_FILE) {
        const len = b.readUInt32LE(o + 4);
        if (len > MAX_RECORD) throw new WireError(`control record of ${len} bytes`);
        if (n - o < CONTROL_HEAD + len) break;
        const value: unknown = JSON.parse(b.toString('utf8', o + CONTROL_HEAD, o + CONTROL_HEAD + len));
        o += CONTROL_HEAD + len;
        this.h.control(kind, id, value);
      } else {
        throw new WireError(`unknown record kind ${kind}`);
      }
    }
    if (o < n) this.carry = Buffer.from(b.subarray(o));
  }

  /** Bytes of an incomplete record held at the end of the stream (0 when the stream ended cleanly). */
  get pending(): number {
    return this.carry.length;
  }
}
