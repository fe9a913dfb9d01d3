// An UPDATE decoded on demand: what the pipeline hands on for every UPDATE whose session parameters are known.
//
// Building every prefix text, AS path array and community string of every message is most of what a full
// decode costs, and most runs need only part of it: a filter on the prefix never looks at communities, a
// filter that rejects a message before decoding (src/filter/stage2.ts) never looks at anything, `-f none`
// looks at nothing. So the pipeline checks the framing at once (update.ts frameUpdate: broken framing is
// the one failure that leaves no message, and it must be known before the record is made) and hands on this
// object, whose fields decode from the message bytes on first access and are then kept:
//
//   withdrawals, announcements        the prefixes only (classic fields, NEXT_HOP, MP_REACH/MP_UNREACH)
//   every other field                 the whole message, once (update.ts decodeUpdate), the prefixes
//                                     decoded before reused
//
// The values are exactly what decodeMessage gives (same decoder, same session parameters), so every consumer
// reads an UpdateMessage as before. Writers that use every field (the jsonl, line and human sinks) call
// decodeFully() first and then read the plain object.
//
// The object keeps a view of the message bytes: the caller must not modify them afterwards (the framer's
// message buffers are never written again, and the record holds the same bytes as `raw`). Plain data fields
// are not own properties: JSON.stringify, util.inspect and spreading go through toJSON / decodeFully.

import type {
  Announcement,
  AsPath,
  AsPathSegment,
  AttrSet,
  DecodeWarning,
  PmsiTunnel,
  PrefixSid,
  RawAttribute,
  SessionParams,
  UpdateMessage,
  Withdrawal,
} from './model.js';
import { decodeUpdate, PART_ALL, PART_PREFIXES, type UpdateGuesses } from './update.js';
import { emptyAttributes } from './attributes/attr-128-attr-set.js';

const scratch: UpdateGuesses = { as4: null, addPath: null };

export class LazyUpdate implements UpdateMessage {
  readonly kind = 'update' as const;
  #b: Uint8Array;
  #end: number;
  #params: SessionParams;
  /** The whole message, once decoded. */
  #all: UpdateMessage | null = null;
  /** The prefixes-only decode, when the prefixes were asked for first. */
  #w: Withdrawal[] | null = null;
  #a: Announcement[] | null = null;

  /** `b` holds the UPDATE at [0, end), its framing already checked (frameUpdate) with these parameters. */
  /** Generation of the frameUpdate call that framed this message (update.ts decodeUpdate `framed`). */
  #framed: number;

  /**
   * `framed`: frameGeneration() right after the frameUpdate call that checked this message, or -1 (decodeUpdate
   * then frames it again).
   */
  constructor(b: Uint8Array, end: number, params: SessionParams, framed = -1) {
    this.#b = b;
    this.#end = end;
    this.#params = params;
    this.#framed = framed;
  }

  /** The whole message as a plain UpdateMessage (decoded now if it was not yet). */
  full(): UpdateMessage {
    return this.#all ?? this.#decodeAll();
  }

  #decodeAll(): UpdateMessage {
    let m: UpdateMessage;
    try {
      m = decodeUpdate(this.#b, this.#end, this.#params, scratch, PART_ALL, this.#framed);
    } catch (e) {
      // frameUpdate accepted the framing, so decodeUpdate cannot throw a DecodeError; anything else is a bug,
      // reported on the message rather than thrown at whoever read a field.
      m = emptyAttributes();
      m.warnings.push({ code: 'internal', message: `internal decoder error: ${e instanceof Error ? e.message : String(e)}`, offset: 0, action: null, attr_code: null, hex: null });
    }
    if (this.#w !== null && this.#a !== null) {
      // Same values; keep the objects already handed out.
      m.withdrawals = this.#w;
      m.announcements = this.#a;
      this.#w = null;
      this.#a = null;
    }
    this.#all = m;
    return m;
  }

  /** Decode the prefixes alone (a scratch message comes back: its two arrays are kept). */
  #prefixes(): void {
    try {
      const p = decodeUpdate(this.#b, this.#end, this.#params, scratch, PART_PREFIXES, this.#framed);
      this.#w = p.withdrawals;
      this.#a = p.announcements;
    } catch {
      this.#decodeAll();
    }
  }

  get withdrawals(): Withdrawal[] {
    if (this.#all !== null) return this.#all.withdrawals;
    if (this.#w === null) this.#prefixes();
    return this.#w ?? this.full().withdrawals;
  }
  get announcements(): Announcement[] {
    if (this.#all !== null) return this.#all.announcements;
    if (this.#a === null) this.#prefixes();
    return this.#a ?? this.full().announcements;
  }
  get as_path(): AsPath | null {
    return this.full().as_path;
  }
  get as_path_segments(): AsPathSegment[] | null {
    return this.full().as_path_segments;
  }
  get origin(): string | null {
    return this.full().origin;
  }
  get next_hop(): string | null {
    return this.full().next_hop;
  }
  get med(): number | null {
    return this.full().med;
  }
  get local_pref(): number | null {
    return this.full().local_pref;
  }
  get atomic_aggregate(): boolean {
    return this.full().atomic_aggregate;
  }
  get aggregator_asn(): number | null {
    return this.full().aggregator_asn;
  }
  get aggregator_ip(): string | null {
    return this.full().aggregator_ip;
  }
  get communities(): string[] | null {
    return this.full().communities;
  }
  get large_communities(): string[] | null {
    return this.full().large_communities;
  }
  get originator_id(): string | null {
    return this.full().originator_id;
  }
  get cluster_list(): string[] | null {
    return this.full().cluster_list;
  }
  get ext_communities(): string[] | null {
    return this.full().ext_communities;
  }
  get ipv6_ext_communities(): string[] | null {
    return this.full().ipv6_ext_communities;
  }
  get pmsi_tunnel(): PmsiTunnel | null {
    return this.full().pmsi_tunnel;
  }
  get aigp(): number | string | null {
    return this.full().aigp;
  }
  get otc(): number | null {
    return this.full().otc;
  }
  get prefix_sid(): PrefixSid | null {
    return this.full().prefix_sid;
  }
  get attr_set(): AttrSet | null {
    return this.full().attr_set;
  }
  get bgpsec_path(): string | null {
    return this.full().bgpsec_path;
  }
  get attr_codes(): number[] {
    return this.full().attr_codes;
  }
  get other_attributes(): RawAttribute[] {
    return this.full().other_attributes;
  }
  get end_of_rib(): [number, number][] | null {
    return this.full().end_of_rib;
  }
  get warnings(): DecodeWarning[] {
    return this.full().warnings;
  }

  toJSON(): UpdateMessage {
    return this.full();
  }

  [Symbol.for('nodejs.util.inspect.custom')](): UpdateMessage {
    return this.full();
  }
}

/** The plain UpdateMessage behind `m` (decoding a LazyUpdate in full now), or `m` itself. */
export function decodeFully(m: UpdateMessage): UpdateMessage {
  return m instanceof LazyUpdate ? m.full() : m;
}
