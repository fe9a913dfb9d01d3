// The push-parser contract shared by the pcap and pcapng readers, and the chunk/carry machinery they share.
//
// A capture file is a sequence of "units" (a file header, a record, a block). push() hands every unit that
// lies whole inside the chunk to the format code as a view into the chunk: no copy. Only a unit that straddles
// two chunks is copied, into a carry buffer that grows to the largest such unit seen and is bounded by the
// limits below (a header claiming more is a corrupt file, not a reason to allocate). Blocks the format skips
// (unknown pcapng block types) are passed over by counting, never buffered, whatever their size.

import type { Frame } from '../types.js';
import { CaptureError } from './errors.js';

export type FrameHandler = (frame: Frame) => void;

export type CaptureFormat = 'pcap' | 'pcapng';

/** An interface as the file describes it: the pcap global header, or a pcapng Interface Description Block. */
export interface InterfaceInfo {
  /** Index within its pcapng section (0 for pcap). */
  index: number;
  /** 1-based pcapng section number (1 for pcap). */
  section: number;
  linkType: number;
  /** Snapshot length; 0 means "no limit" in pcapng. */
  snaplen: number;
  /** pcapng if_name, null when absent (and always for pcap). */
  name: string | null;
  /** What Frame.iface is set to for frames of this interface. */
  label: string | null;
  /** Timestamp units per second (1e6 for microsecond pcap, 1e9 for nanosecond; pcapng if_tsresol). */
  tsUnitsPerSecond: number;
  /** Seconds added to every timestamp (pcapng if_tsoffset), 0 when absent. */
  tsOffsetSec: number;
  /** Bytes of FCS at the end of every packet when the file says so (pcap linktype FCS bits), else null. */
  fcsBytes: number | null;
}

export interface ParserOptions {
  /** Name put into CaptureError.file. Default null. */
  file?: string | null | undefined;
  /**
   * Largest captured length of one packet accepted, in bytes. A record or packet block claiming more is a
   * corrupt file. Default 262144 (DEFAULT_MAX_PACKET_BYTES: libpcap's MAXIMUM_SNAPLEN and Wireshark's
   * WTAP_MAX_PACKET_SIZE_STANDARD, so anything either tool writes fits).
   */
  maxPacketBytes?: number | undefined;
  /**
   * pcapng: largest block that is parsed (section header, interface description, packet blocks with their
   * options). Blocks of other types are skipped by length whatever their size. Default 16 MiB
   * (DEFAULT_MAX_BLOCK_BYTES, Wireshark's MAX_BLOCK_SIZE).
   */
  maxBlockBytes?: number | undefined;
  /** Called when an interface is declared (pcap: once, from the file header), before its first frame. */
  onInterface?: ((info: InterfaceInfo) => void) | undefined;
}

export const DEFAULT_MAX_PACKET_BYTES = 262144;
export const DEFAULT_MAX_BLOCK_BYTES = 16 * 1024 * 1024;

export interface CaptureParser {
  readonly format: CaptureFormat;
  /**
   * Parse every whole unit in `chunk`, calling onFrame synchronously for each packet with a view into `chunk`
   * (or into the carry buffer for a packet that straddled chunks). The chunk may be reused by the caller once
   * push() returns. Throws CaptureError at the first damaged header, after every earlier frame was delivered.
   */
  push(chunk: Uint8Array): void;
  /** The input has ended. Throws CaptureError (code 'truncated') if it ended inside a header, record or block. */
  end(): void;
  /** Bytes of the capture stream that belong to complete units handled so far. */
  readonly bytesConsumed: number;
  /**
   * Frame numbers used so far: the frameNo of the last frame delivered, or higher when pcapng blocks that
   * Wireshark numbers as frames (custom blocks, systemd journal entries, sysdig events) came after it.
   */
  readonly frames: number;
}

const EMPTY = new Uint8Array(0);

/** "record 7" / "block 3" and what kind of unit it is ("Enhanced Packet Block"), for error messages. */
export interface UnitDescription {
  what: string;
  kind: string | null;
}

/**
 * The carry machinery. Subclasses describe units through unitSize()/handleUnit(); everything about chunk
 * boundaries lives here, so the formats never see a partial unit.
 */
export abstract class ChunkedParser implements CaptureParser {
  abstract readonly format: CaptureFormat;
  frames = 0;
  protected readonly file: string | null;
  protected readonly maxPacketBytes: number;
  protected readonly maxBlockBytes: number;
  /** Absolute offset of the start of the unit being looked at (everything before it is done). */
  protected offset = 0;
  /**
   * Set by unitSize() when it returns a size: true when the unit is to be passed over unread, so it need not
   * be buffered when it straddles chunks.
   */
  protected skippable = false;
  /**
   * Set with `skippable`: the skipped unit still takes a frame number (pcapng blocks that Wireshark shows as
   * frames although they hold no packet), so that frame numbers stay those of Wireshark.
   */
  protected skipTakesFrameNo = false;
  /** Units (header, records, blocks, skipped or not) completed so far. */
  protected unitsDone = 0;

  private carry: Uint8Array = EMPTY;
  private carryView = new DataView(new ArrayBuffer(0));
  private carryLen = 0;
  /** Bytes of a skipped unit still to pass over, and that unit's size. */
  private skipLeft = 0;
  private skipSize = 0;
  private skipDesc: UnitDescription = { what: '', kind: null };
  private skipFrameNo = false;
  private failure: unknown = null;
  private ended = false;

  constructor(options: ParserOptions) {
    this.file = options.file ?? null;
    this.maxPacketBytes = options.maxPacketBytes ?? DEFAULT_MAX_PACKET_BYTES;
    this.maxBlockBytes = options.maxBlockBytes ?? DEFAULT_MAX_BLOCK_BYTES;
  }

  get bytesConsumed(): number {
    return this.offset;
  }

  /**
   * Size of the unit starting at `off` given `avail` bytes there: > 0 the whole unit's size (may exceed
   * avail); < 0 minus the number of bytes needed before the size can be known. Throws CaptureError for a
   * header that is corrupt (use this.offset as the position). Must not change parser state except
   * `skippable` and `skipTakesFrameNo`: it may be asked again about the same unit.
   */
  protected abstract unitSize(b: Uint8Array, dv: DataView, off: number, avail: number): number;
  /** Handle a whole unit of `size` bytes at `off` (this.offset is its absolute position). */
  protected abstract handleUnit(b: Uint8Array, dv: DataView, off: number, size: number): void;
  /** Names the pending unit for a truncation message; `b` holds the `avail` bytes of it that exist. */
  protected abstract describeUnit(b: Uint8Array, avail: number): UnitDescription;
  /** Called by end() when no unit is pending: throw if the stream was not a complete file (e.g. no header). */
  protected abstract checkComplete(): void;

  push(chunk: Uint8Array): void {
    if (this.failure !== null) throw this.failure;
    if (this.ended) throw new Error('CaptureParser.push() after end()');
    try {
      // A Buffer's subarray() goes through the species constructor and costs several times a plain
      // Uint8Array's; one plain view per chunk makes every frame view cheap (and of one class).
      this.pushInner(chunk.constructor === Uint8Array ? chunk : new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    } catch (err) {
      this.failure = err;
      throw err;
    }
  }

  end(): void {
    if (this.failure !== null) throw this.failure;
    if (this.ended) return;
    this.ended = true;
    try {
      this.endInner();
    } catch (err) {
      this.failure = err;
      throw err;
    }
  }

  private endInner(): void {
    if (this.skipLeft > 0) {
      throw this.truncated(this.skipDesc, this.skipLeft, false);
    }
    if (this.carryLen > 0) {
      const need = this.unitSize(this.carry, this.carryView, 0, this.carryLen);
      const desc = this.describeUnit(this.carry, this.carryLen);
      if (need < 0) throw this.truncated(desc, -need - this.carryLen, true);
      throw this.truncated(desc, need - this.carryLen, false);
    }
    this.checkComplete();
  }

  protected truncated(unit: UnitDescription, missing: number, atLeast: boolean): CaptureError {
    const kind = unit.kind === null ? '' : `${unit.kind}, `;
    return new CaptureError(
      'truncated',
      this.file,
      this.offset,
      `truncated: file ends inside ${unit.what} (${kind}header at byte ${this.offset}, needs ${atLeast ? 'at least ' : ''}${missing} more bytes)`,
    );
  }

  protected malformed(message: string, offset = this.offset): CaptureError {
    return new CaptureError('malformed', this.file, offset, message);
  }

  private pushInner(chunk: Uint8Array): void {
    const len = chunk.length;
    let pos = 0;
    if (this.skipLeft > 0) {
      pos = Math.min(this.skipLeft, len);
      this.skipLeft -= pos;
      if (this.skipLeft > 0) return;
      this.offset += this.skipSize;
      this.unitsDone++;
      if (this.skipFrameNo) this.frames++;
    }
    if (this.carryLen > 0) {
      pos = this.completeCarry(chunk, pos);
      if (this.carryLen > 0 || this.skipLeft > 0) return;
    }
    if (pos >= len) return;
    const dv = new DataView(chunk.buffer, chunk.byteOffset, len);
    pos = this.scan(chunk, dv, pos, len);
    if (pos >= len) return;
    // An incomplete unit remains: note how much of it to skip, or copy its start into the carry buffer.
    const avail = len - pos;
    const size = this.unitSize(chunk, dv, pos, avail);
    if (size > 0 && this.skippable) {
      this.skipLeft = size - avail;
      this.skipSize = size;
      this.skipDesc = this.describeUnit(chunk.subarray(pos), avail);
      this.skipFrameNo = this.skipTakesFrameNo;
      return;
    }
    this.reserve(size > 0 ? size : Math.max(-size, avail));
    this.carry.set(chunk.subarray(pos), 0);
    this.carryLen = avail;
  }

  /**
   * Handle every whole unit from `pos`; return the position of the first incomplete one. Subclasses may
   * override this with a hand-inlined loop for their hot path; it must behave exactly like this one.
   */
  protected scan(chunk: Uint8Array, dv: DataView, pos: number, len: number): number {
    for (;;) {
      const avail = len - pos;
      if (avail === 0) return pos;
      const size = this.unitSize(chunk, dv, pos, avail);
      if (size < 0 || size > avail) return pos;
      if (!this.skippable) this.handleUnit(chunk, dv, pos, size);
      else if (this.skipTakesFrameNo) this.frames++;
      this.offset += size;
      this.unitsDone++;
      pos += size;
    }
  }

  /** Feed the carried unit from `chunk`; returns the position in chunk after what was taken. */
  private completeCarry(chunk: Uint8Array, pos: number): number {
    const len = chunk.length;
    for (;;) {
      const need = this.unitSize(this.carry, this.carryView, 0, this.carryLen);
      if (need > 0 && this.skippable) {
        const rest = need - this.carryLen;
        this.skipDesc = this.describeUnit(this.carry, this.carryLen);
        this.skipFrameNo = this.skipTakesFrameNo;
        this.carryLen = 0;
        const take = Math.min(rest, len - pos);
        pos += take;
        if (take < rest) {
          this.skipLeft = rest - take;
          this.skipSize = need;
        } else {
          this.offset += need;
          this.unitsDone++;
          if (this.skipFrameNo) this.frames++;
        }
        return pos;
      }
      const target = need < 0 ? -need : need;
      this.reserve(target);
      const take = Math.min(target - this.carryLen, len - pos);
      this.carry.set(chunk.subarray(pos, pos + take), this.carryLen);
      this.carryLen += take;
      pos += take;
      if (this.carryLen < target) return pos;
      if (need < 0) continue;
      this.handleUnit(this.carry, this.carryView, 0, need);
      this.offset += need;
      this.unitsDone++;
      this.carryLen = 0;
      return pos;
    }
  }

  /** Make the carry buffer hold at least n bytes, keeping its content. n is bounded by unitSize's checks. */
  private reserve(n: number): void {
    if (this.carry.length >= n) return;
    const next = new Uint8Array(Math.max(n, Math.min(this.carry.length * 2, this.maxBlockBytes)));
    next.set(this.carry.subarray(0, this.carryLen), 0);
    this.carry = next;
    this.carryView = new DataView(next.buffer);
  }
}
