// Classic libpcap capture files (draft-ietf-opsawg-pcap; pcap-savefile(5)).
//
// File header, 24 bytes, in the writer's byte order (the magic tells which):
//
//    0                   1                   2                   3
//    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//  0|                     Magic Number                              |
//  4|         Major Version         |         Minor Version         |
//  8|                      Reserved1 (thiszone)                     |
// 12|                      Reserved2 (sigfigs)                      |
// 16|                            SnapLen                            |
// 20| FCS |f|P|  reserved (10 bits) |           LinkType            |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// Record header, 16 bytes: seconds, microseconds (nanoseconds with the 0xa1b23c4d magic), captured length,
// original length; then the captured bytes, unpadded. The "modified" format of Alexey Kuznetzov's patched
// libpcap (magic 0xa1b2cd34) appends ifindex (4), protocol (2), pkt_type (1) and a pad byte: 24-byte record
// headers, read here and otherwise ignored, as libpcap does.

import type { Frame } from '../types.js';
import { CaptureError } from './errors.js';
import { ChunkedParser, type FrameHandler, type InterfaceInfo, type ParserOptions, type UnitDescription } from './parser.js';

export const PCAP_MAGIC_USEC = 0xa1b2c3d4;
export const PCAP_MAGIC_NSEC = 0xa1b23c4d;
export const PCAP_MAGIC_KUZNETZOV = 0xa1b2cd34;

const FILE_HEADER = 24;

/** True when the 4 bytes at `off` are a pcap magic number in either byte order. */
export function isPcapMagic(b: Uint8Array, off = 0): boolean {
  if (b.length < off + 4) return false;
  const be = ((b[off]! << 24) | (b[off + 1]! << 16) | (b[off + 2]! << 8) | b[off + 3]!) >>> 0;
  const le = ((b[off + 3]! << 24) | (b[off + 2]! << 16) | (b[off + 1]! << 8) | b[off]!) >>> 0;
  return isMagic(be) || isMagic(le);
}

function isMagic(m: number): boolean {
  return m === PCAP_MAGIC_USEC || m === PCAP_MAGIC_NSEC || m === PCAP_MAGIC_KUZNETZOV;
}

export class PcapParser extends ChunkedParser {
  readonly format = 'pcap' as const;
  private readonly onFrame: FrameHandler;
  private readonly onInterface: ((info: InterfaceInfo) => void) | null;
  private headerDone = false;
  private le = true;
  private nano = false;
  private recHdr = 16;
  private linkType = 0;

  constructor(onFrame: FrameHandler, options: ParserOptions = {}) {
    super(options);
    this.onFrame = onFrame;
    this.onInterface = options.onInterface ?? null;
  }

  /** Link type from the file header (lower 16 bits of the field), or -1 before the header was read. */
  get fileLinkType(): number {
    return this.headerDone ? this.linkType : -1;
  }

  protected unitSize(_b: Uint8Array, dv: DataView, off: number, avail: number): number {
    if (!this.headerDone) return FILE_HEADER; // checked by handleUnit once all 24 bytes are there
    if (avail < this.recHdr) return -this.recHdr;
    const caplen = dv.getUint32(off + 8, this.le);
    if (caplen > this.maxPacketBytes) throw this.tooLong(caplen);
    return this.recHdr + caplen;
  }

  protected handleUnit(b: Uint8Array, dv: DataView, off: number, size: number): void {
    if (!this.headerDone) {
      this.magicOrder(dv, off);
      this.readFileHeader(dv, off);
      return;
    }
    this.emit(b, dv, off, off + size);
  }

  protected override scan(b: Uint8Array, dv: DataView, pos: number, len: number): number {
    if (!this.headerDone) {
      if (len - pos < FILE_HEADER) return pos;
      this.magicOrder(dv, pos);
      this.readFileHeader(dv, pos);
      this.offset += FILE_HEADER;
      this.unitsDone++;
      pos += FILE_HEADER;
    }
    // The hot loop: one record per iteration, no allocation but the Frame, its timestamp and the view.
    const hdr = this.recHdr;
    const le = this.le;
    const max = this.maxPacketBytes;
    while (len - pos >= hdr) {
      const caplen = dv.getUint32(pos + 8, le);
      if (caplen > max) throw this.tooLong(caplen);
      const end = pos + hdr + caplen;
      if (end > len) break;
      this.emit(b, dv, pos, end);
      this.offset += end - pos;
      this.unitsDone++;
      pos = end;
    }
    return pos;
  }

  private emit(b: Uint8Array, dv: DataView, off: number, end: number): void {
    const le = this.le;
    let sec = dv.getUint32(off, le);
    let nsec = this.nano ? dv.getUint32(off + 4, le) : dv.getUint32(off + 4, le) * 1000;
    if (nsec >= 1e9) {
      // A writer that let the fraction overflow: carry into the seconds rather than print 10 digits.
      sec += Math.floor(nsec / 1e9);
      nsec %= 1e9;
    }
    const frame: Frame = {
      frameNo: ++this.frames,
      ts: { sec, nsec },
      linkType: this.linkType,
      data: b.subarray(off + this.recHdr, end),
      origLen: dv.getUint32(off + 12, le),
      iface: null,
    };
    this.onFrame(frame);
  }

  private tooLong(caplen: number): CaptureError {
    return this.malformed(
      `malformed: record ${this.frames + 1} claims ${caplen} captured bytes, more than the limit of ${this.maxPacketBytes} (corrupt file?)`,
    );
  }

  /** Sets byte order and resolution from the magic; throws when the 4 bytes are not a pcap magic. */
  private magicOrder(dv: DataView, off: number): void {
    const be = dv.getUint32(off, false);
    const le = dv.getUint32(off, true);
    if (isMagic(be)) {
      this.le = false;
      this.setMagic(be);
    } else if (isMagic(le)) {
      this.le = true;
      this.setMagic(le);
    } else {
      throw new CaptureError('not_capture', this.file, this.offset, `not a pcap file (magic 0x${be.toString(16).padStart(8, '0')})`);
    }
  }

  private setMagic(m: number): void {
    this.nano = m === PCAP_MAGIC_NSEC;
    this.recHdr = m === PCAP_MAGIC_KUZNETZOV ? 24 : 16;
  }

  private readFileHeader(dv: DataView, off: number): void {
    const le = this.le;
    const major = dv.getUint16(off + 4, le);
    const minor = dv.getUint16(off + 6, le);
    if (major !== 2) {
      throw new CaptureError('unsupported', this.file, this.offset + 4, `unsupported: pcap version ${major}.${minor} (only 2.x is read)`);
    }
    const snaplen = dv.getUint32(off + 16, le);
    const field = dv.getUint32(off + 20, le);
    // draft-ietf-opsawg-pcap §4: the link type is the low 16 bits; the top 4 bits are the FCS length in
    // 16-bit words, meaningful only when the P bit (0x04000000) is set; the bits between are reserved and
    // must be ignored by readers (libpcap LT_LINKTYPE / LT_FCS_LENGTH).
    this.linkType = field & 0xffff;
    const fcsBytes = (field & 0x04000000) !== 0 ? ((field >>> 28) & 0xf) * 2 : null;
    this.headerDone = true;
    this.onInterface?.({
      index: 0,
      section: 1,
      linkType: this.linkType,
      snaplen,
      name: null,
      label: null,
      tsUnitsPerSecond: this.nano ? 1e9 : 1e6,
      tsOffsetSec: 0,
      fcsBytes,
    });
  }

  protected describeUnit(): UnitDescription {
    return { what: this.headerDone ? `record ${this.frames + 1}` : 'the pcap file header', kind: null };
  }

  protected checkComplete(): void {
    if (!this.headerDone) throw this.truncated(this.describeUnit(), FILE_HEADER, false);
  }
}

export function createPcapParser(onFrame: FrameHandler, options: ParserOptions = {}): PcapParser {
  return new PcapParser(onFrame, options);
}
