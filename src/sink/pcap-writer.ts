// `bgpcap live --write DIR`: what was captured, saved as classic pcap files, one per interface, named like the
// PEERING client's measurement scripts name theirs (peering/capture-names.ts): `<mux>.<tapN>.pcap`, or
// `<iface>.pcap` when the interface belongs to no mux. `bgpcap read` recognises the names and puts mux and
// interface back on the records.
//
// Rotation (--rotate-size, --rotate-time) starts a new file when the current one would grow past the size or has
// been open for the time; rotated files carry a sequence number, `<mux>.<tapN>.0001.pcap`, `….0002.pcap`, so a
// shell glob lists them in capture order. The sequence continues after the highest number already in DIR, so a
// second run never overwrites the first; without rotation the single file is overwritten, as tcpdump -w does.
//
// File format (pcap-savefile(5), draft-ietf-opsawg-pcap §4–5): written little-endian, magic 0xa1b2c3d4
// (microsecond timestamps, what libpcap hands live captures), version 2.4, snaplen and link type of the
// interface; per packet a 16-byte header (seconds, microseconds, captured length, length on the wire) and the
// bytes. Records are collected in memory and written once per batch, so the file is always a whole number of
// records when a batch has been written (readable while the capture runs, like tcpdump -U).

import { closeSync, openSync, readdirSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { captureFileName, labelsFromCaptureName, SEQ_DIGITS } from '../peering/capture-names.js';

export const PCAP_FILE_HEADER = 24;
export const PCAP_RECORD_HEADER = 16;

export interface PcapWriterOptions {
  dir: string;
  iface: string;
  mux: string | null;
  linkType: number;
  snaplen: number;
  /** Start a new file before one would grow past this many bytes; null: no size limit. */
  rotateBytes: number | null;
  /** Start a new file when the current one has been open this long (checked when a packet comes); null: never. */
  rotateSeconds: number | null;
  /** Called with the path of every new file, the first included. */
  onFile?: (path: string) => void;
  /** Wall clock in ms (tests). */
  now?: () => number;
}

/** The 24-byte pcap file header, little-endian. */
export function pcapFileHeader(linkType: number, snaplen: number): Buffer {
  const h = Buffer.alloc(PCAP_FILE_HEADER);
  h.writeUInt32LE(0xa1b2c3d4, 0);
  h.writeUInt16LE(2, 4);
  h.writeUInt16LE(4, 6);
  h.writeInt32LE(0, 8);
  h.writeUInt32LE(0, 12);
  h.writeUInt32LE(snaplen >>> 0, 16);
  h.writeUInt32LE(linkType >>> 0, 20);
  return h;
}

/** Highest rotation sequence number of `<mux>.<iface>.NNNN.pcap` files already in dir (0 when none). */
function highestSeq(dir: string, mux: string | null, iface: string): number {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  let max = 0;
  const prefix = mux === null ? `${iface}.` : `${mux}.${iface}.`;
  for (const n of names) {
    if (!n.startsWith(prefix) || !n.endsWith('.pcap')) continue;
    if (mux !== null) {
      const l = labelsFromCaptureName(n);
      if (l !== null && l.mux === mux && l.iface === iface && l.seq !== null && l.seq > max) max = l.seq;
    } else {
      const mid = n.slice(prefix.length, -'.pcap'.length);
      if (mid.length >= SEQ_DIGITS && /^[0-9]+$/.test(mid)) max = Math.max(max, Number(mid));
    }
  }
  return max;
}

export class PcapFileWriter {
  private fd: number | null = null;
  private path = '';
  private seq: number | null;
  private fileBytes = 0;
  private openedAt = 0;
  private frames = 0;
  private batch: Buffer = Buffer.allocUnsafe(256 * 1024);
  private batchLen = 0;
  private failed: Error | null = null;
  private readonly now: () => number;

  constructor(private readonly o: PcapWriterOptions) {
    this.now = o.now ?? Date.now;
    const rotating = o.rotateBytes !== null || o.rotateSeconds !== null;
    this.seq = rotating ? highestSeq(o.dir, o.mux, o.iface) : null;
    this.openNext();
  }

  /** Path of the file being written. */
  get file(): string {
    return this.path;
  }

  /** Frames in the current file (the next frame's number minus one). */
  get framesInFile(): number {
    return this.frames;
  }

  /** The write error that stopped this writer, if any. */
  get error(): Error | null {
    return this.failed;
  }

  /**
   * Queue one packet. Returns true when it starts a new file (rotation), so the caller can tell the decoder
   * that frame numbers restart.
   */
  write(sec: number, usec: number, data: Uint8Array, caplen: number, origLen: number): boolean {
    if (this.failed !== null) return false;
    let rotated = false;
    const size = PCAP_RECORD_HEADER + caplen;
    if (this.frames > 0) {
      const o = this.o;
      if (
        (o.rotateBytes !== null && this.fileBytes + size > o.rotateBytes) ||
        (o.rotateSeconds !== null && this.now() - this.openedAt >= o.rotateSeconds * 1000)
      ) {
        this.flush();
        this.closeFile();
        this.openNext();
        rotated = this.failed === null;
        if (this.failed !== null) return false;
      }
    }
    if (this.batchLen + size > this.batch.length) {
      this.flush();
      if (size > this.batch.length) this.batch = Buffer.allocUnsafe(size);
    }
    const b = this.batch;
    const p = this.batchLen;
    b.writeUInt32LE(sec >>> 0, p);
    b.writeUInt32LE(usec >>> 0, p + 4);
    b.writeUInt32LE(caplen, p + 8);
    b.writeUInt32LE(origLen >>> 0, p + 12);
    b.set(caplen === data.length ? data : data.subarray(0, caplen), p + PCAP_RECORD_HEADER);
    this.batchLen = p + size;
    this.fileBytes += size;
    this.frames++;
    return rotated;
  }

  /** Write the queued packets to the file. */
  flush(): void {
    if (this.batchLen === 0 || this.fd === null) {
      this.batchLen = 0;
      return;
    }
    try {
      let off = 0;
      while (off < this.batchLen) off += writeSync(this.fd, this.batch, off, this.batchLen - off);
    } catch (e) {
      this.fail(e as Error);
    }
    this.batchLen = 0;
  }

  close(): void {
    this.flush();
    this.closeFile();
  }

  private openNext(): void {
    if (this.seq !== null) this.seq++;
    this.path = join(this.o.dir, captureFileName(this.o.mux, this.o.iface, this.seq));
    try {
      this.fd = openSync(this.path, 'w', 0o644);
      const h = pcapFileHeader(this.o.linkType, this.o.snaplen);
      writeSync(this.fd, h, 0, h.length);
    } catch (e) {
      this.fail(e as Error);
      return;
    }
    this.fileBytes = PCAP_FILE_HEADER;
    this.frames = 0;
    this.openedAt = this.now();
    this.o.onFile?.(this.path);
  }

  private closeFile(): void {
    if (this.fd === null) return;
    try {
      closeSync(this.fd);
    } catch (e) {
      this.fail(e as Error);
    }
    this.fd = null;
  }

  private fail(e: Error): void {
    if (this.failed === null) this.failed = e;
    if (this.fd !== null) {
      try {
        closeSync(this.fd);
      } catch {
        // already failing
      }
      this.fd = null;
    }
  }
}
