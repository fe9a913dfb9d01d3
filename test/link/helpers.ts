// Test helpers for the link stage: annotated hex, a minimal capture-file reader (classic pcap and pcapng,
// optionally gzipped) and a minimal pcapng writer, so these tests depend on nothing outside src/link/.
// The reader is deliberately small and separate from src/source/: it only needs to handle the corpus.

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import type { Frame } from '../../src/types.js';

/**
 * Bytes from annotated hex: `#` starts a comment to the end of the line, whitespace is ignored, and
 * interpolated Uint8Arrays are spliced in.
 */
export function hex(strings: TemplateStringsArray, ...parts: Uint8Array[]): Uint8Array {
  let text = '';
  strings.forEach((s, i) => {
    text += s.replace(/#[^\n]*/g, '');
    const p = parts[i];
    if (p !== undefined) text += Buffer.from(p).toString('hex');
  });
  const clean = text.replace(/\s+/g, '');
  if (!/^([0-9a-fA-F]{2})*$/.test(clean)) throw new Error(`bad hex: ${clean}`);
  return new Uint8Array(Buffer.from(clean, 'hex'));
}

export function makeFrame(linkType: number, data: Uint8Array, origLen = data.length, frameNo = 1): Frame {
  return { frameNo, ts: { sec: 1700000000, nsec: 5000 }, linkType, data, origLen, iface: 'eth0' };
}

export const CORPUS = new URL('../../../shared/corpus/', import.meta.url);

export function hasTshark(): boolean {
  if (!existsSync('/usr/bin/tshark')) {
    try {
      execFileSync('tshark', ['--version'], { stdio: 'ignore' });
    } catch {
      return false;
    }
  }
  return true;
}

/** Run tshark with `args` and return its stdout (stderr, e.g. the "running as root" warning, is dropped). */
export function tshark(args: string[]): string {
  return execFileSync('tshark', args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] });
}

// ---- minimal capture reader -------------------------------------------------------------------------------

/**
 * All frames of a classic pcap or pcapng file (gzip allowed). Frames are views into the file buffer.
 * pcap: both byte orders, micro- and nanosecond magic. pcapng: SHB (any byte order, several sections), IDB,
 * EPB, SPB and the obsolete PB; other blocks are skipped.
 */
export function readCapture(file: Uint8Array): Frame[] {
  let b = file;
  if (b[0] === 0x1f && b[1] === 0x8b) b = new Uint8Array(gunzipSync(b));
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const magicBE = dv.getUint32(0, false);
  if (magicBE === 0x0a0d0d0a) return readPcapng(b, dv);
  return readPcap(b, dv);
}

function readPcap(b: Uint8Array, dv: DataView): Frame[] {
  const m = dv.getUint32(0, true);
  let le: boolean;
  let nano: boolean;
  if (m === 0xa1b2c3d4 || m === 0xa1b23c4d) {
    le = true;
    nano = m === 0xa1b23c4d;
  } else {
    const mb = dv.getUint32(0, false);
    if (mb !== 0xa1b2c3d4 && mb !== 0xa1b23c4d) throw new Error('not a pcap/pcapng file');
    le = false;
    nano = mb === 0xa1b23c4d;
  }
  // Link type in the low 16 bits; the upper bits may carry FCS information.
  const linkType = dv.getUint32(20, le) & 0xffff;
  const frames: Frame[] = [];
  let off = 24;
  while (off + 16 <= b.length) {
    const sec = dv.getUint32(off, le);
    const frac = dv.getUint32(off + 4, le);
    const incl = dv.getUint32(off + 8, le);
    const orig = dv.getUint32(off + 12, le);
    off += 16;
    const end = Math.min(off + incl, b.length);
    frames.push({
      frameNo: frames.length + 1,
      ts: { sec, nsec: nano ? frac : frac * 1000 },
      linkType,
      data: b.subarray(off, end),
      origLen: orig,
      iface: null,
    });
    off += incl;
  }
  return frames;
}

function readPcapng(b: Uint8Array, dv: DataView): Frame[] {
  const frames: Frame[] = [];
  let le = true;
  let ifaces: { linkType: number; tsresol: number }[] = [];
  let off = 0;
  while (off + 12 <= b.length) {
    const typeBE = dv.getUint32(off, false);
    if (typeBE === 0x0a0d0d0a) {
      le = dv.getUint32(off + 8, true) === 0x1a2b3c4d;
      ifaces = [];
    }
    const type = dv.getUint32(off, le);
    const len = dv.getUint32(off + 4, le);
    if (len < 12 || off + len > b.length) break;
    const body = off + 8;
    if (type === 1) {
      // IDB: link type, reserved, snaplen, options (if_tsresol = 9).
      let tsresol = 1e6;
      let o = body + 8;
      while (o + 4 <= off + len - 4) {
        const code = dv.getUint16(o, le);
        const olen = dv.getUint16(o + 2, le);
        if (code === 0) break;
        if (code === 9 && olen >= 1) {
          const v = b[o + 4]!;
          tsresol = v & 0x80 ? 2 ** (v & 0x7f) : 10 ** v;
        }
        o += 4 + ((olen + 3) & ~3);
      }
      ifaces.push({ linkType: dv.getUint16(body, le), tsresol });
    } else if (type === 6 || type === 2) {
      // EPB: iface u32, ts hi, ts lo, caplen, origlen, data. Obsolete PB: iface u16, drops u16, then the same.
      const ifIdx = type === 6 ? dv.getUint32(body, le) : dv.getUint16(body, le);
      const hi = dv.getUint32(body + 4, le);
      const lo = dv.getUint32(body + 8, le);
      const cap = dv.getUint32(body + 12, le);
      const orig = dv.getUint32(body + 16, le);
      const iface = ifaces[ifIdx];
      const ticks = hi * 2 ** 32 + lo;
      const res = iface?.tsresol ?? 1e6;
      const sec = Math.floor(ticks / res);
      frames.push({
        frameNo: frames.length + 1,
        ts: { sec, nsec: Math.round(((ticks - sec * res) * 1e9) / res) },
        linkType: iface?.linkType ?? -1,
        data: b.subarray(body + 20, Math.min(body + 20 + cap, off + len - 4)),
        origLen: orig,
        iface: String(ifIdx),
      });
    } else if (type === 3) {
      // SPB: original length, then the packet (as much as the block holds).
      const orig = dv.getUint32(body, le);
      const cap = Math.min(orig, len - 16);
      frames.push({
        frameNo: frames.length + 1,
        ts: { sec: 0, nsec: 0 },
        linkType: ifaces[0]?.linkType ?? -1,
        data: b.subarray(body + 4, body + 4 + cap),
        origLen: orig,
        iface: '0',
      });
    }
    off += len;
  }
  return frames;
}

// ---- minimal pcapng writer (for cross-checking hand-made frames with tshark) -----------------------------

/** A little-endian pcapng file holding `frames`, one IDB per distinct link type. */
export function writePcapng(frames: Frame[]): Uint8Array {
  const chunks: Buffer[] = [];
  const block = (type: number, body: Buffer): void => {
    const padded = Buffer.alloc((body.length + 3) & ~3);
    body.copy(padded);
    const len = 12 + padded.length;
    const head = Buffer.alloc(8);
    head.writeUInt32LE(type, 0);
    head.writeUInt32LE(len, 4);
    const tail = Buffer.alloc(4);
    tail.writeUInt32LE(len, 0);
    chunks.push(head, padded, tail);
  };
  const shb = Buffer.alloc(16);
  shb.writeUInt32LE(0x1a2b3c4d, 0);
  shb.writeUInt16LE(1, 4);
  shb.writeUInt16LE(0, 6);
  shb.writeBigInt64LE(-1n, 8);
  block(0x0a0d0d0a, shb);
  const ifIndex = new Map<number, number>();
  for (const f of frames) {
    if (ifIndex.has(f.linkType)) continue;
    ifIndex.set(f.linkType, ifIndex.size);
    const idb = Buffer.alloc(8);
    idb.writeUInt16LE(f.linkType, 0);
    idb.writeUInt32LE(262144, 4);
    block(1, idb);
  }
  for (const f of frames) {
    const epb = Buffer.alloc(20 + f.data.length);
    const usec = BigInt(f.ts.sec) * 1000000n + BigInt(Math.floor(f.ts.nsec / 1000));
    epb.writeUInt32LE(ifIndex.get(f.linkType)!, 0);
    epb.writeUInt32LE(Number(usec >> 32n), 4);
    epb.writeUInt32LE(Number(usec & 0xffffffffn), 8);
    epb.writeUInt32LE(f.data.length, 12);
    epb.writeUInt32LE(f.origLen, 16);
    Buffer.from(f.data).copy(epb, 20);
    block(6, epb);
  }
  return new Uint8Array(Buffer.concat(chunks));
}
