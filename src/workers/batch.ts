// Frames on their way from the reading thread to a worker: packed one after another into one buffer that is
// transferred (not copied) with postMessage, a few hundred KiB at a time.
//
//   per frame:  frameNo u32 | sec f64 | nsec u32 | linkType u32 | origLen u32 | iface i32 (-1 = null) | caplen u32 | bytes
//
// Interface names go in a table sent with the batch (most batches have none or one).

import type { Frame } from '../types.js';

const HEAD = 4 + 8 + 4 + 4 + 4 + 4 + 4;

/** Batch size at which a batch is handed over. */
export const BATCH_BYTES = 256 * 1024;

export interface Batch {
  id: number;
  buf: ArrayBuffer;
  len: number;
  frames: number;
  ifaces: string[];
}

export class BatchWriter {
  private buf: ArrayBuffer;
  private u8: Uint8Array;
  private dv: DataView;
  private len = 0;
  private frames = 0;
  private ifaces: string[] = [];

  /** Buffers the worker gave back, to fill again. */
  private readonly spare: ArrayBuffer[] = [];

  constructor() {
    this.buf = new ArrayBuffer(BATCH_BYTES + 65536 + HEAD);
    this.u8 = new Uint8Array(this.buf);
    this.dv = new DataView(this.buf);
  }

  /** A batch buffer back from the worker. */
  recycle(buf: ArrayBuffer): void {
    if (this.spare.length < 8) this.spare.push(buf);
  }

  get bytes(): number {
    return this.len;
  }

  get empty(): boolean {
    return this.frames === 0;
  }

  add(f: Frame): void {
    const n = f.data.length;
    if (this.len + HEAD + n > this.buf.byteLength) this.grow(this.len + HEAD + n);
    const dv = this.dv;
    let o = this.len;
    let iface = -1;
    if (f.iface !== null) {
      iface = this.ifaces.indexOf(f.iface);
      if (iface < 0) iface = this.ifaces.push(f.iface) - 1;
    }
    dv.setUint32(o, f.frameNo, true);
    dv.setFloat64(o + 4, f.ts.sec, true);
    dv.setUint32(o + 12, f.ts.nsec, true);
    dv.setUint32(o + 16, f.linkType, true);
    dv.setUint32(o + 20, f.origLen, true);
    dv.setInt32(o + 24, iface, true);
    dv.setUint32(o + 28, n, true);
    o += HEAD;
    this.u8.set(f.data, o);
    this.len = o + n;
    this.frames++;
  }

  /** The batch so far (the buffer changes hands: it is transferred), and a fresh buffer for the next one. */
  take(id: number): Batch {
    const b: Batch = { id, buf: this.buf, len: this.len, frames: this.frames, ifaces: this.ifaces };
    this.buf = this.spare.pop() ?? new ArrayBuffer(BATCH_BYTES + 65536 + HEAD);
    this.u8 = new Uint8Array(this.buf);
    this.dv = new DataView(this.buf);
    this.len = 0;
    this.frames = 0;
    this.ifaces = [];
    return b;
  }

  private grow(need: number): void {
    const next = new ArrayBuffer(Math.max(need, this.buf.byteLength * 2));
    new Uint8Array(next).set(this.u8.subarray(0, this.len));
    this.buf = next;
    this.u8 = new Uint8Array(next);
    this.dv = new DataView(next);
  }
}

/** Call `onFrame` for every frame of a batch; the frame object and its data view are reused. */
export function readBatch(b: Batch, onFrame: (f: Frame) => void): void {
  const dv = new DataView(b.buf, 0, b.len);
  const u8 = new Uint8Array(b.buf, 0, b.len);
  const f: Frame = { frameNo: 0, ts: { sec: 0, nsec: 0 }, linkType: 0, data: u8, origLen: 0, iface: null };
  let o = 0;
  while (o + HEAD <= b.len) {
    const n = dv.getUint32(o + 28, true);
    const iface = dv.getInt32(o + 24, true);
    // A fresh timestamp object per frame: records keep it.
    f.ts = { sec: dv.getFloat64(o + 4, true), nsec: dv.getUint32(o + 12, true) };
    f.frameNo = dv.getUint32(o, true);
    f.linkType = dv.getUint32(o + 16, true);
    f.origLen = dv.getUint32(o + 20, true);
    f.iface = iface < 0 ? null : (b.ifaces[iface] ?? null);
    f.data = u8.subarray(o + HEAD, o + HEAD + n);
    onFrame(f);
    o += HEAD + n;
  }
}
