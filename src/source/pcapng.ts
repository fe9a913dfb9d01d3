// pcapng capture files (draft-ietf-opsawg-pcapng, "PCAP Next Generation (pcapng) Capture File Format").
//
// Every block has the same frame, in the byte order of its section:
//
//    0                   1                   2                   3
//    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//   +---------------------------------------------------------------+
//  0|                          Block Type                           |
//   +---------------------------------------------------------------+
//  4|                      Block Total Length                       |
//   +---------------------------------------------------------------+
//  8/                          Block Body                           /
//   +---------------------------------------------------------------+
//   |                      Block Total Length                       |
//   +---------------------------------------------------------------+
//
// Read here: Section Header Block (SHB, 0x0A0D0D0A), Interface Description Block (IDB, 1), Enhanced Packet
// Block (EPB, 6), Simple Packet Block (SPB, 3) and the obsolete Packet Block (PB, 2). Every other block type
// (name resolution, statistics, journal, custom, ...) is passed over by its length (§3.1: readers skip
// blocks they do not understand), without being buffered.
//
// A file may hold several sections (§4.1): each SHB sets a new byte order and starts a new, empty interface
// list. Frames keep counting across sections, as in Wireshark.

import type { Frame, Timestamp } from '../types.js';
import { CaptureError } from './errors.js';
import { ChunkedParser, type FrameHandler, type InterfaceInfo, type ParserOptions, type UnitDescription } from './parser.js';

export const BT_SHB = 0x0a0d0d0a;
export const BT_IDB = 0x00000001;
export const BT_PB = 0x00000002;
export const BT_SPB = 0x00000003;
export const BT_EPB = 0x00000006;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;

// Minimum sizes (§4.x figures): header 8 + fixed body + trailing length 4.
const MIN_SHB = 28;
const MIN_IDB = 20;
const MIN_EPB = 32;
const MIN_PB = 32;
const MIN_SPB = 16;

const OPT_ENDOFOPT = 0;
const IF_NAME = 2;
const IF_TSRESOL = 9;
const IF_TSOFFSET = 14;

const BLOCK_NAMES: Record<number, string> = {
  [BT_SHB]: 'Section Header Block',
  [BT_IDB]: 'Interface Description Block',
  [BT_PB]: 'Packet Block',
  [BT_SPB]: 'Simple Packet Block',
  [BT_EPB]: 'Enhanced Packet Block',
  4: 'Name Resolution Block',
  5: 'Interface Statistics Block',
  9: 'systemd Journal Export Block',
  0x204: 'sysdig Event Block',
  0x216: 'sysdig Event Block v2',
  0x221: 'sysdig Event Block v2 (large)',
  10: 'Decryption Secrets Block',
  0x00000bad: 'Custom Block',
  0x40000bad: 'Custom Block',
};

/**
 * Blocks without a packet that Wireshark (4.0) nevertheless lists as frames: custom blocks (§4.7), systemd
 * journal export entries and sysdig events. They are skipped here but take a frame number, so that our
 * frame numbers are the ones a user sees in Wireshark and tshark.
 */
const NUMBERED_BLOCKS = new Set([0x00000bad, 0x40000bad, 0x00000009, 0x00000204, 0x00000216, 0x00000221]);

function blockName(type: number): string {
  return BLOCK_NAMES[type] ?? `block type 0x${type.toString(16).padStart(8, '0')}`;
}

/** True when the 4 bytes at `off` are the SHB block type (the same in both byte orders). */
export function isPcapngMagic(b: Uint8Array, off = 0): boolean {
  return b.length >= off + 4 && b[off] === 0x0a && b[off + 1] === 0x0d && b[off + 2] === 0x0d && b[off + 3] === 0x0a;
}

const TWO32 = 4294967296;
const TWO53 = 9007199254740992;

interface Iface {
  info: InterfaceInfo;
  linkType: number;
  snaplen: number;
  label: string;
  /** Timestamp units per second, as a double (exact below 2^53) and as a BigInt (exact always). */
  units: number;
  unitsBig: bigint;
  /** Long division in doubles is exact (every intermediate stays below 2^53) when units < 2^37. */
  fast: boolean;
  /** nsec = remainder * nsMul when units divides 1e9; else 0. */
  nsMul: number;
  tsOffset: number;
}

export class PcapngParser extends ChunkedParser {
  readonly format = 'pcapng' as const;
  private readonly onFrame: FrameHandler;
  private readonly onInterface: ((info: InterfaceInfo) => void) | null;
  private le = true;
  private sections = 0;
  private ifaces: Iface[] = [];
  private readonly utf8 = new TextDecoder('utf-8');

  constructor(onFrame: FrameHandler, options: ParserOptions = {}) {
    super(options);
    this.onFrame = onFrame;
    this.onInterface = options.onInterface ?? null;
  }

  protected unitSize(_b: Uint8Array, dv: DataView, off: number, avail: number): number {
    if (avail < 8) return this.sections === 0 ? -12 : -8;
    const type = dv.getUint32(off, this.le);
    let len: number;
    if (type === BT_SHB) {
      // §4.1: the byte-order magic follows the length, and the length is in the new section's order.
      if (avail < 12) return -12;
      const le = this.shbOrder(dv, off);
      len = dv.getUint32(off + 4, le);
      this.checkLength(type, len, MIN_SHB);
      this.skippable = false;
      return len;
    }
    if (this.sections === 0) {
      throw new CaptureError('not_capture', this.file, this.offset, 'not a pcapng file (does not start with a Section Header Block)');
    }
    len = dv.getUint32(off + 4, this.le);
    switch (type) {
      case BT_EPB:
        this.checkLength(type, len, MIN_EPB);
        break;
      case BT_SPB:
        this.checkLength(type, len, MIN_SPB);
        break;
      case BT_IDB:
        this.checkLength(type, len, MIN_IDB);
        break;
      case BT_PB:
        this.checkLength(type, len, MIN_PB);
        break;
      default:
        // Skipped unread, so any size is fine; it still has to be a sane block length to find the next one.
        if (len < 12 || len % 4 !== 0) throw this.badLength(type, len);
        this.skippable = true;
        this.skipTakesFrameNo = NUMBERED_BLOCKS.has(type);
        return len;
    }
    this.skippable = false;
    return len;
  }

  private checkLength(type: number, len: number, min: number): void {
    if (len < min || len % 4 !== 0) throw this.badLength(type, len, min);
    if (len > this.maxBlockBytes) {
      throw this.malformed(
        `malformed: ${blockName(type)} (block ${this.unitsDone + 1}) claims ${len} bytes, more than the limit of ${this.maxBlockBytes} (corrupt file?)`,
      );
    }
  }

  private badLength(type: number, len: number, min = 12): CaptureError {
    return this.malformed(
      `malformed: ${blockName(type)} (block ${this.unitsDone + 1}) has total length ${len}, ` +
        (len % 4 !== 0 ? 'not a multiple of 4' : `less than the minimum of ${min}`),
    );
  }

  /** Byte order of the SHB at `off` from its byte-order magic; throws when the magic is neither order. */
  private shbOrder(dv: DataView, off: number): boolean {
    const m = dv.getUint32(off + 8, true);
    if (m === BYTE_ORDER_MAGIC) return true;
    if (dv.getUint32(off + 8, false) === BYTE_ORDER_MAGIC) return false;
    throw this.malformed(
      `malformed: Section Header Block (block ${this.unitsDone + 1}) has byte-order magic 0x${dv
        .getUint32(off + 8, false)
        .toString(16)
        .padStart(8, '0')}, not 0x1a2b3c4d in either byte order`,
      this.offset + 8,
    );
  }

  protected handleUnit(b: Uint8Array, dv: DataView, off: number, size: number): void {
    const type = dv.getUint32(off, this.le);
    if (type === BT_SHB) {
      this.le = this.shbOrder(dv, off);
    }
    const le = this.le;
    const trailer = dv.getUint32(off + size - 4, le);
    if (trailer !== size) {
      throw this.malformed(
        `malformed: ${blockName(type)} (block ${this.unitsDone + 1}) has total length ${size} at its start but ${trailer} at its end`,
      );
    }
    switch (type) {
      case BT_EPB:
        this.readPacket(b, dv, off, size, dv.getUint32(off + 8, le), MIN_EPB);
        return;
      case BT_SPB:
        this.readSimplePacket(b, dv, off, size);
        return;
      case BT_PB:
        this.readPacket(b, dv, off, size, dv.getUint16(off + 8, le), MIN_PB);
        return;
      case BT_IDB:
        this.readInterface(b, dv, off, size);
        return;
      case BT_SHB:
        this.readSection(dv, off);
        return;
    }
  }

  /**
   * EPB (§4.3) and PB (Appendix A) share the layout after the interface field:
   *   8 interface id (EPB: 32 bits; PB: 16 bits + 16 bits drops count)
   *  12 timestamp (upper 32 bits)   16 timestamp (lower 32 bits)
   *  20 captured packet length      24 original packet length
   *  28 packet data, padded to 32 bits; then options
   */
  private readPacket(b: Uint8Array, dv: DataView, off: number, size: number, ifIndex: number, min: number): void {
    const le = this.le;
    const ifc = this.ifaces[ifIndex];
    if (ifc === undefined) {
      throw this.malformed(
        `malformed: packet block (block ${this.unitsDone + 1}) refers to interface ${ifIndex}, but the section has ${this.ifaces.length}`,
      );
    }
    const caplen = dv.getUint32(off + 20, le);
    this.checkCaplen(caplen, size, min);
    const data = b.subarray(off + 28, off + 28 + caplen);
    const ts = this.timestamp(dv.getUint32(off + 12, le), dv.getUint32(off + 16, le), ifc);
    const frame: Frame = {
      frameNo: ++this.frames,
      ts,
      linkType: ifc.linkType,
      data,
      origLen: dv.getUint32(off + 24, le),
      iface: ifc.label,
    };
    this.onFrame(frame);
  }

  /**
   * SPB (§4.4): 8 original packet length, 12 packet data. No interface field (always interface 0), no
   * timestamp (Wireshark shows 0; so do we) and the captured length is min(original length, interface 0
   * snaplen when not 0).
   */
  private readSimplePacket(b: Uint8Array, dv: DataView, off: number, size: number): void {
    const ifc = this.ifaces[0];
    if (ifc === undefined) throw this.malformed(`malformed: Simple Packet Block (block ${this.unitsDone + 1}) before any Interface Description Block in its section`);
    const origLen = dv.getUint32(off + 8, this.le);
    const caplen = ifc.snaplen !== 0 && origLen > ifc.snaplen ? ifc.snaplen : origLen;
    this.checkCaplen(caplen, size, MIN_SPB - 4);
    const frame: Frame = {
      frameNo: ++this.frames,
      ts: { sec: 0, nsec: 0 },
      linkType: ifc.linkType,
      data: b.subarray(off + 12, off + 12 + caplen),
      origLen,
      iface: ifc.label,
    };
    this.onFrame(frame);
  }

  /** The captured bytes (padded to 4) must fit in the block between the fixed part (min - 4 bytes) and the trailer. */
  private checkCaplen(caplen: number, size: number, min: number): void {
    if (caplen > this.maxPacketBytes) {
      throw this.malformed(
        `malformed: packet block (block ${this.unitsDone + 1}) claims ${caplen} captured bytes, more than the limit of ${this.maxPacketBytes} (corrupt file?)`,
      );
    }
    if (min + ((caplen + 3) & ~3) > size) {
      throw this.malformed(`malformed: packet block (block ${this.unitsDone + 1}) of ${size} bytes is too small for ${caplen} bytes of packet data`);
    }
  }

  /**
   * SHB (§4.1): 8 byte-order magic, 12 major version, 14 minor version, 16 section length (64 bits), options.
   * Only major version 1 exists; a reader must not read a section of another major version.
   */
  private readSection(dv: DataView, off: number): void {
    const major = dv.getUint16(off + 12, this.le);
    const minor = dv.getUint16(off + 14, this.le);
    if (major !== 1) {
      throw new CaptureError('unsupported', this.file, this.offset + 12, `unsupported: pcapng section version ${major}.${minor} (only 1.x is read)`);
    }
    this.sections++;
    this.ifaces = [];
  }

  /** IDB (§4.2): 8 link type (16 bits), 10 reserved, 12 snaplen, 16 options. */
  private readInterface(b: Uint8Array, dv: DataView, off: number, size: number): void {
    const le = this.le;
    const index = this.ifaces.length;
    const linkType = dv.getUint16(off + 8, le);
    const snaplen = dv.getUint32(off + 12, le);
    let name: string | null = null;
    let resol = 6; // §4.2 if_tsresol: absent means 10^-6
    let tsOffset = 0;
    const end = off + size - 4;
    for (let p = off + 16; p + 4 <= end; ) {
      const code = dv.getUint16(p, le);
      const olen = dv.getUint16(p + 2, le);
      if (code === OPT_ENDOFOPT) break;
      const v = p + 4;
      if (v + olen > end) {
        throw this.malformed(
          `malformed: Interface Description Block (block ${this.unitsDone + 1}) option ${code} of ${olen} bytes overruns the block`,
          this.offset + (p - off),
        );
      }
      if (code === IF_NAME) {
        let e = v + olen;
        while (e > v && b[e - 1] === 0) e--; // some writers include the C string's NUL
        name = this.utf8.decode(b.subarray(v, e));
      } else if (code === IF_TSRESOL && olen >= 1) {
        resol = b[v]!;
      } else if (code === IF_TSOFFSET && olen >= 8) {
        tsOffset = Number(dv.getBigInt64(v, le));
      }
      p = v + ((olen + 3) & ~3);
    }
    // if_tsresol: high bit clear → 10^-n seconds, set → 2^-n seconds. Units beyond 64 bits make no sense
    // for a 64-bit timestamp (Wireshark rejects them the same way).
    const binary = (resol & 0x80) !== 0;
    const exp = resol & 0x7f;
    if (binary ? exp > 63 : exp > 19) {
      throw this.malformed(`malformed: Interface Description Block (block ${this.unitsDone + 1}) if_tsresol ${binary ? '2' : '10'}^-${exp} is finer than a 64-bit timestamp can hold`);
    }
    const unitsBig = binary ? 1n << BigInt(exp) : 10n ** BigInt(exp);
    const units = Number(unitsBig);
    const label = name ?? String(index);
    const info: InterfaceInfo = {
      index,
      section: this.sections,
      linkType,
      snaplen,
      name,
      label,
      tsUnitsPerSecond: units,
      tsOffsetSec: tsOffset,
      fcsBytes: null,
    };
    this.ifaces.push({
      info,
      linkType,
      snaplen,
      label,
      units,
      unitsBig,
      fast: units < 2 ** 37 && (1e9 % units === 0 || units * 1e9 <= TWO53 || units % 1e9 === 0),
      nsMul: 1e9 % units === 0 ? 1e9 / units : 0,
      tsOffset,
    });
    this.onInterface?.(info);
  }

  /**
   * A 64-bit count of interface units (§4.3) → seconds + nanoseconds, truncating like Wireshark
   * (nsec = floor(remainder * 1e9 / units)). Long division in 16-bit steps keeps every intermediate below
   * 2^53 for the usual resolutions; anything else goes through BigInt.
   */
  private timestamp(hi: number, lo: number, ifc: Iface): Timestamp {
    if (!ifc.fast) {
      const t = (BigInt(hi) << 32n) | BigInt(lo);
      return {
        sec: Number(t / ifc.unitsBig) + ifc.tsOffset,
        nsec: Number(((t % ifc.unitsBig) * 1_000_000_000n) / ifc.unitsBig),
      };
    }
    const u = ifc.units;
    const q1 = Math.floor(hi / u);
    let r = hi - q1 * u;
    let x = r * 65536 + (lo >>> 16);
    let q2 = Math.floor(x / u);
    r = x - q2 * u;
    if (r < 0) {
      q2--;
      r += u;
    } else if (r >= u) {
      q2++;
      r -= u;
    }
    x = r * 65536 + (lo & 0xffff);
    let q3 = Math.floor(x / u);
    r = x - q3 * u;
    if (r < 0) {
      q3--;
      r += u;
    } else if (r >= u) {
      q3++;
      r -= u;
    }
    const sec = q1 * TWO32 + q2 * 65536 + q3 + ifc.tsOffset;
    let nsec: number;
    if (ifc.nsMul !== 0) nsec = r * ifc.nsMul;
    else if (u % 1e9 === 0) nsec = Math.floor(r / (u / 1e9));
    else nsec = Math.floor((r * 1e9) / u);
    return { sec, nsec };
  }

  protected describeUnit(b: Uint8Array, avail: number): UnitDescription {
    const what = `block ${this.unitsDone + 1}`;
    if (avail < 4) return { what, kind: null };
    return { what, kind: blockName(new DataView(b.buffer, b.byteOffset, 4).getUint32(0, this.le)) };
  }

  protected checkComplete(): void {
    if (this.sections === 0) throw this.truncated({ what: 'the first Section Header Block', kind: null }, MIN_SHB, true);
  }
}

export function createPcapngParser(onFrame: FrameHandler, options: ParserOptions = {}): PcapngParser {
  return new PcapngParser(onFrame, options);
}
