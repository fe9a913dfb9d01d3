// What every attribute decoder sees: the UPDATE under construction plus what the session (or inference)
// says about AS number width and ADD-PATH. One context object is reused for every UPDATE (decoding is
// synchronous and never re-entered), so attribute decoders allocate only what they return.

import type { AsPathSegment, DecodeWarning, UpdateMessage } from '../model.js';
import type { MpFamily } from '../families.js';
import { DecodeError } from '../../wire/errors.js';
import { hex } from '../../wire/reader.js';
import { add } from '../lists.js';
import { scanPrefixes, SCAN_BROKEN } from '../nlri.js';

/**
 * RFC 7606 §2 error-handling approaches, in increasing severity. bgpcap never drops data: the action is
 * named in the warning so a reader knows what a conforming router would have done.
 */
export type ErrorAction = NonNullable<DecodeWarning['action']>;

/** RFC 4271 §4.3 attribute flag bits. */
export const FLAG_OPTIONAL = 0x80;
export const FLAG_TRANSITIVE = 0x40;
export const FLAG_PARTIAL = 0x20;
export const FLAG_EXTENDED_LENGTH = 0x10;

/** Expected Optional/Transitive bits of the attribute kinds (RFC 4271 §5). */
export const WELL_KNOWN = FLAG_TRANSITIVE;
export const OPTIONAL_TRANSITIVE = FLAG_OPTIONAL | FLAG_TRANSITIVE;
export const OPTIONAL_NON_TRANSITIVE = FLAG_OPTIONAL;

export interface AttributeSpec {
  readonly code: number;
  /** IANA "BGP Path Attributes" name. */
  readonly name: string;
  /** Expected (flags & 0xc0); a mismatch is warned about (RFC 7606 §3(c)) and the attribute still decoded. */
  readonly flags: number;
  /** What RFC 7606 (or the attribute's own RFC) says to do when the attribute is malformed. */
  readonly onError: ErrorAction;
  /** Where that rule is written, for the warning text. */
  readonly rule: string;
  /**
   * Decode the value [start, end) of `b` into `ctx.msg` (or ctx fields). Throw DecodeError when the value is
   * malformed, before changing anything: the caller then keeps the attribute raw and adds a warning.
   */
  decode(ctx: UpdateContext, b: Uint8Array, start: number, end: number, flags: number): void;
}

export class UpdateContext {
  /** Where attribute decoders write: the UPDATE, or the ATTR_SET being decoded inside it. */
  msg!: UpdateMessage;
  /** The UPDATE, whose warning list takes the warnings (also those about attributes inside an ATTR_SET). */
  top!: UpdateMessage;
  /** The message bytes; offsets everywhere are from its first marker byte. */
  buf!: Uint8Array;
  /** The attribute being decoded: type code, header start, value end (for attrWarn). */
  attrCode = -1;
  attrStart = 0;
  attrEnd = 0;
  /** How many ATTR_SETs enclose the attribute being decoded (RFC 6368; bounded by MAX_ATTR_SET_DEPTH). */
  attrSetDepth = 0;
  /** Width of AS numbers in AS_PATH and AGGREGATOR: 4 on an RFC 6793 session, else 2. */
  asnSize: 2 | 4 = 4;
  /** Families (afi:safi) on which the sender sends path ids; null = unknown, guess per NLRI run. */
  addPath: Set<string> | null = null;
  /** Outcome of the ADD-PATH guesses made for this message: null = none made. */
  addPathGuess: boolean | null = null;
  /** AS_PATH as received (before the RFC 6793 merge). */
  asPath: AsPathSegment[] | null = null;
  /** AS4_PATH as received (confederation segments removed, RFC 6793 §6). */
  as4Path: AsPathSegment[] | null = null;
  /** AS4_AGGREGATOR, -1 when absent. */
  as4AggregatorAsn = -1;
  as4AggregatorIp: string | null = null;
  /**
   * MP_REACH_NLRI / MP_UNREACH_NLRI may leave a run of plain prefixes as bytes (update.ts PART_DEFER_PREFIXES;
   * deferNlri), and where: value spans, -1 when none.
   */
  deferMp = false;
  reachStart = -1;
  reachEnd = -1;
  unreachStart = -1;
  unreachEnd = -1;

  reset(msg: UpdateMessage, buf: Uint8Array, asnSize: 2 | 4, addPath: Set<string> | null): void {
    this.msg = msg;
    this.top = msg;
    this.buf = buf;
    this.attrCode = -1;
    this.attrSetDepth = 0;
    this.asnSize = asnSize;
    this.addPath = addPath;
    this.addPathGuess = null;
    this.asPath = null;
    this.as4Path = null;
    this.as4AggregatorAsn = -1;
    this.as4AggregatorIp = null;
    this.deferMp = false;
    this.reachStart = this.reachEnd = this.unreachStart = this.unreachEnd = -1;
  }

  /** A warning about the message as a whole (or its NLRI): no attribute attached. */
  warn(code: string, message: string, offset: number, action: ErrorAction | null = null): void {
    this.top.warnings = add(this.top.warnings, { code, message, offset, action, attr_code: null, hex: null });
  }

  /** Make [start, end) of type `code` the attribute that attrWarn reports. */
  setAttr(code: number, start: number, end: number): void {
    this.attrCode = code;
    this.attrStart = start;
    this.attrEnd = end;
  }

  /**
   * A warning about the current attribute (setAttr): its code and whole bytes are attached. `bytes`: attach the
   * bytes even when the code is unknown (an attribute cut off inside its header, update.ts).
   */
  attrWarn(code: string, message: string, offset: number, action: ErrorAction | null, bytes = false): void {
    const known = this.attrCode >= 0;
    this.top.warnings = add(this.top.warnings, {
      code,
      message,
      offset,
      action,
      attr_code: known ? this.attrCode : null,
      hex: known || bytes ? hex(this.buf, this.attrStart, this.attrEnd) : null,
    });
  }

  /**
   * Whether the NLRI [start, end) of MP_REACH_NLRI (`reach`) or MP_UNREACH_NLRI stays bytes (noted here): when
   * deferring, for a family of plain prefixes (IPv4 / IPv6 unicast or multicast) without path ids, in the
   * UPDATE itself (not inside an ATTR_SET), the first such attribute of the message, a run that is not empty
   * and that decodePrefixes would decode without an error.
   */
  deferNlri(fam: MpFamily, b: Uint8Array, start: number, end: number, addPath: boolean, reach: boolean): boolean {
    if (!this.deferMp || addPath || fam.prefixBits === 0 || start >= end || this.msg !== this.top) return false;
    if ((reach ? this.reachStart : this.unreachStart) >= 0) return false;
    if (scanPrefixes(b, start, end, fam.prefixBits, false) & SCAN_BROKEN) return false;
    if (reach) {
      this.reachStart = start;
      this.reachEnd = end;
    } else {
      this.unreachStart = start;
      this.unreachEnd = end;
    }
    return true;
  }

  /** Whether the NLRI run [start, end) of family `fam` carries path ids: from the session, else guessed. */
  addPathFor(fam: MpFamily, b: Uint8Array, start: number, end: number): boolean {
    if (this.addPath !== null) return this.addPath.size !== 0 && this.addPath.has(fam.key);
    if (start >= end) return false;
    const guess = fam.looksLikeAddPath(b, start, end);
    this.addPathGuess = this.addPathGuess === true || guess;
    return guess;
  }
}

/** The DecodeError for an attribute whose length is not one its RFC allows. */
export function attrLengthError(name: string, len: number, expected: string, offset: number): DecodeError {
  return new DecodeError('attribute_length', `${name}: length ${len}, expected ${expected}`, offset);
}
