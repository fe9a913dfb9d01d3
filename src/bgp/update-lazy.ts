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
//   as_path, as_path_segments,        the message as partial() has it, then the one list read from its
//   communities, large_communities    bytes (update.ts PART_DEFER leaves them as bytes when decoding them
//                                     cannot warn): a filter on one of them decodes neither the others nor
//                                     a prefix
//   every other field                 the whole message but for those lists, once (update.ts decodeUpdate),
//                                     the prefixes decoded before reused
//
// The byte writers (sink/fields.ts) read the message through partial() and print the deferred lists straight
// from their bytes (wireStart / wireEnd), so a jsonl or line row never builds them. partial() leaves runs of
// plain prefixes as bytes too (update.ts PART_DEFER_PREFIXES: their family objects are listed, their
// `prefixes` one of nlri.ts's WIRE_* stand-ins; prefixesStart / prefixesEnd give the bytes); the getters,
// full() and prefixed() decode them first.
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
import { ATTR_CODES_WIRE, attributeCodes, decodeUpdate, deferred, PART_DEFER, PART_DEFER_PREFIXES, PART_PREFIXES, PART_PREFIXES_WIRE, undeferValue, type UpdateGuesses } from './update.js';
import { decodePrefixes, WIRE_MP_REACH, WIRE_MP_UNREACH, WIRE_NLRI, WIRE_WITHDRAWN } from './nlri.js';
import { AFI_IPV4 } from './families.js';
import { emptyAttributes } from './attributes/attr-128-attr-set.js';
import { add } from './lists.js';

const scratch: UpdateGuesses = { as4: null, addPath: null };

/** An UPDATE's prefix lists (LazyUpdate.prefixLists). */
export interface PrefixLists {
  readonly withdrawals: Withdrawal[];
  readonly announcements: Announcement[];
}

/** What prefixLists returns before partial() was made: one object, refilled per call (none per message). */
const listsScratch: { withdrawals: Withdrawal[]; announcements: Announcement[] } = { withdrawals: [], announcements: [] };

export class LazyUpdate implements UpdateMessage {
  readonly kind = 'update' as const;
  #b: Uint8Array;
  #end: number;
  #params: SessionParams;
  /** The whole message, once decoded. */
  #all: UpdateMessage | null = null;
  /** Value spans of the attributes left as bytes (update.ts `deferred`), -1 when none or decoded since. */
  #pathStart = -1;
  #pathEnd = -1;
  #commStart = -1;
  #commEnd = -1;
  #largeStart = -1;
  #largeEnd = -1;
  /**
   * Runs of prefixes partial() has as bytes (update.ts `deferred` 6-13): classic Withdrawn Routes and NLRI,
   * MP_UNREACH_NLRI and MP_REACH_NLRI; #prefixRuns counts them (0: nothing to decode).
   */
  #wStart = -1;
  #wEnd = -1;
  #nStart = -1;
  #nEnd = -1;
  #muStart = -1;
  #muEnd = -1;
  #mrStart = -1;
  #mrEnd = -1;
  #prefixRuns = 0;
  /**
   * The prefixes-only decode, when the prefixes were asked for first (the getters: decoded; prefixLists: its
   * runs of plain prefixes possibly still bytes, in the run spans above).
   */
  #w: Withdrawal[] | null = null;
  #a: Announcement[] | null = null;

  /** Generation of the frameUpdate call that framed this message (update.ts decodeUpdate `framed`). */
  #framed: number;

  /**
   * `b` holds the UPDATE at [0, end), its framing already checked (frameUpdate) with these parameters.
   * `framed`: frameGeneration() right after the frameUpdate call that checked this message, or -1 (decodeUpdate
   * then frames it again).
   */
  constructor(b: Uint8Array, end: number, params: SessionParams, framed = -1) {
    this.#b = b;
    this.#end = end;
    this.#params = params;
    this.#framed = framed;
  }

  /**
   * Make this object another message, nothing decoded, as the constructor would. Only for a scratch object
   * that is never handed on (stage 2's verdict before the record, src/filter/stage2.ts preUpdate): whoever
   * holds a LazyUpdate may read it later and expects the same message.
   */
  reset(b: Uint8Array, end: number, params: SessionParams, framed: number): void {
    this.#b = b;
    this.#end = end;
    this.#params = params;
    this.#framed = framed;
    this.#all = null;
    this.#pathStart = this.#pathEnd = this.#commStart = this.#commEnd = this.#largeStart = this.#largeEnd = -1;
    this.#wStart = this.#wEnd = this.#nStart = this.#nEnd = this.#muStart = this.#muEnd = this.#mrStart = this.#mrEnd = -1;
    this.#prefixRuns = 0;
    this.#w = null;
    this.#a = null;
  }

  /** The same message, not decoded yet (for comparing what each way of reading it gives). */
  copy(): LazyUpdate {
    return new LazyUpdate(this.#b, this.#end, this.#params);
  }

  /** The whole message as a plain UpdateMessage (decoded now if it was not yet). */
  full(): UpdateMessage {
    const m = this.#all ?? this.#decodeAll();
    if (this.#pathStart >= 0 || this.#commStart >= 0 || this.#largeStart >= 0) this.#undefer(m);
    if (this.#prefixRuns > 0) this.#decodePrefixRuns(m);
    if (m.attr_codes === ATTR_CODES_WIRE) m.attr_codes = attributeCodes(this.#b);
    return m;
  }

  /**
   * The message with the deferred attributes possibly still as bytes: their fields are null where wireStart()
   * is not -1, the prefix lists stand-ins where prefixesStart() is not -1, and `attr_codes` a stand-in
   * (update.ts ATTR_CODES_WIRE). For writers that print those from the bytes; anything else reads full(),
   * prefixed() or the getters (each of AS_PATH's and the communities' decodes that attribute alone).
   */
  partial(): UpdateMessage {
    return this.#all ?? this.#decodeAll();
  }

  /** The partial() message if it was made already, else null (nothing decoded). */
  decoded(): UpdateMessage | null {
    return this.#all;
  }

  /** partial() with every prefix list decoded (for what reads the lists, such as the per-prefix visit). */
  prefixed(): UpdateMessage {
    const m = this.#all ?? this.#decodeAll(PART_DEFER);
    if (this.#prefixRuns > 0) this.#decodePrefixRuns(m);
    return m;
  }

  /**
   * The prefix lists as partial() has them, runs of plain prefixes possibly still bytes (prefixesStart), for a
   * reader of the prefixes alone that reads them from their bytes (stage 2's per-prefix filters, through
   * sink/elem.ts visitElems): partial() itself once it was made; else a decode of the prefixes alone
   * (update.ts PART_PREFIXES_WIRE: the classic fields, NEXT_HOP, MP_REACH / MP_UNREACH; no other attribute
   * and no message object), whose lists partial() takes over later. A prefix filter that rejects nearly every
   * message thus never decodes their attributes. The object returned may be refilled by the next call (on any
   * message): take its two lists at once.
   */
  prefixLists(): PrefixLists {
    if (this.#all !== null) return this.#all;
    if (this.#w === null) {
      try {
        const p = decodeUpdate(this.#b, this.#end, this.#params, scratch, PART_PREFIXES_WIRE, this.#framed);
        this.#w = p.withdrawals;
        this.#a = p.announcements;
        this.#takeRuns();
      } catch {
        return this.partial();
      }
    }
    listsScratch.withdrawals = this.#w;
    listsScratch.announcements = this.#a!;
    return listsScratch;
  }

  /**
   * Start of the run of prefixes that partial() lists as bytes in the family whose `prefixes` is `ps` (one of
   * nlri.ts's WIRE_* stand-ins) — well-formed, no path identifiers; IPv4 text when the family's afi is 1 — else -1.
   */
  prefixesStart(ps: readonly string[]): number {
    if (this.#prefixRuns === 0) return -1;
    return ps === WIRE_NLRI ? this.#nStart : ps === WIRE_MP_REACH ? this.#mrStart : ps === WIRE_WITHDRAWN ? this.#wStart : ps === WIRE_MP_UNREACH ? this.#muStart : -1;
  }

  prefixesEnd(ps: readonly string[]): number {
    if (this.#prefixRuns === 0) return -1;
    return ps === WIRE_NLRI ? this.#nEnd : ps === WIRE_MP_REACH ? this.#mrEnd : ps === WIRE_WITHDRAWN ? this.#wEnd : ps === WIRE_MP_UNREACH ? this.#muEnd : -1;
  }

  /** Decode the prefix runs left as bytes into their family objects (as PART_ALL would). */
  #decodePrefixRuns(m: PrefixLists): void {
    for (const list of [m.withdrawals, m.announcements]) {
      for (let i = 0; i < list.length; i++) {
        const f = list[i]!;
        const start = this.prefixesStart(f.prefixes);
        if (start >= 0) decodePrefixes(this.#b, start, this.prefixesEnd(f.prefixes), f.afi === AFI_IPV4 ? 32 : 128, false, f);
      }
    }
    this.#wStart = this.#wEnd = this.#nStart = this.#nEnd = this.#muStart = this.#muEnd = this.#mrStart = this.#mrEnd = -1;
    this.#prefixRuns = 0;
  }

  /** The message's bytes, for wireStart / wireEnd. */
  get wire(): Uint8Array {
    return this.#b;
  }

  /**
   * Start of the value of AS_PATH (2), COMMUNITIES (8) or LARGE_COMMUNITY (32) when partial() has it still as
   * bytes — well-formed: 4-octet ASNs in segments that tile it, whole communities — else -1.
   */
  wireStart(code: 2 | 8 | 32): number {
    return code === 2 ? this.#pathStart : code === 8 ? this.#commStart : this.#largeStart;
  }

  wireEnd(code: 2 | 8 | 32): number {
    return code === 2 ? this.#pathEnd : code === 8 ? this.#commEnd : this.#largeEnd;
  }

  /** Decode the deferred attributes into `m`, with the decoders PART_ALL would have used. */
  #undefer(m: UpdateMessage): void {
    this.#undeferPath(m);
    this.#undeferCommunities(m);
    this.#undeferLarge(m);
  }

  // One attribute at a time for the getters: a filter on one of them (say --large-community, which rejects
  // nearly every message) decodes that one alone, not the others nor the prefix runs.
  #undeferPath(m: UpdateMessage): UpdateMessage {
    if (this.#pathStart >= 0) {
      undeferValue(m, this.#b, 2, this.#pathStart, this.#pathEnd);
      this.#pathStart = this.#pathEnd = -1;
    }
    return m;
  }

  #undeferCommunities(m: UpdateMessage): UpdateMessage {
    if (this.#commStart >= 0) {
      undeferValue(m, this.#b, 8, this.#commStart, this.#commEnd);
      this.#commStart = this.#commEnd = -1;
    }
    return m;
  }

  #undeferLarge(m: UpdateMessage): UpdateMessage {
    if (this.#largeStart >= 0) {
      undeferValue(m, this.#b, 32, this.#largeStart, this.#largeEnd);
      this.#largeStart = this.#largeEnd = -1;
    }
    return m;
  }

  #decodeAll(part: typeof PART_DEFER | typeof PART_DEFER_PREFIXES = PART_DEFER_PREFIXES): UpdateMessage {
    let m: UpdateMessage;
    try {
      // Prefix lists made before (#prefixes, prefixLists) replace the lists below. Their runs still bytes, if
      // any, are the runs this decode leaves as bytes (the same rules on the same message), with the same
      // spans; else none is left as bytes.
      m = decodeUpdate(this.#b, this.#end, this.#params, scratch, this.#w === null ? part : this.#prefixRuns > 0 ? PART_DEFER_PREFIXES : PART_DEFER, this.#framed);
      this.#pathStart = deferred[0]!;
      this.#pathEnd = deferred[1]!;
      this.#commStart = deferred[2]!;
      this.#commEnd = deferred[3]!;
      this.#largeStart = deferred[4]!;
      this.#largeEnd = deferred[5]!;
      this.#takeRuns();
    } catch (e) {
      // frameUpdate accepted the framing, so decodeUpdate cannot throw a DecodeError; anything else is a bug,
      // reported on the message rather than thrown at whoever read a field.
      m = emptyAttributes();
      m.warnings = add(m.warnings, { code: 'internal', message: `internal decoder error: ${e instanceof Error ? e.message : String(e)}`, offset: 0, action: null, attr_code: null, hex: null });
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

  /** The run spans of the last decodeUpdate call (update.ts `deferred` 6-13). */
  #takeRuns(): void {
    this.#wStart = deferred[6]!;
    this.#wEnd = deferred[7]!;
    this.#nStart = deferred[8]!;
    this.#nEnd = deferred[9]!;
    this.#muStart = deferred[10]!;
    this.#muEnd = deferred[11]!;
    this.#mrStart = deferred[12]!;
    this.#mrEnd = deferred[13]!;
    this.#prefixRuns = (this.#wStart >= 0 ? 1 : 0) + (this.#nStart >= 0 ? 1 : 0) + (this.#muStart >= 0 ? 1 : 0) + (this.#mrStart >= 0 ? 1 : 0);
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
    if (this.#all !== null || !this.#decodedLists()) return this.prefixed().withdrawals;
    return this.#w!;
  }
  get announcements(): Announcement[] {
    if (this.#all !== null || !this.#decodedLists()) return this.prefixed().announcements;
    return this.#a!;
  }

  /**
   * Before partial() was made: the prefixes-only decode (made now if there is none) with its runs decoded, in
   * #w and #a; false when there is none after all (the decode failed: partial() was made instead).
   */
  #decodedLists(): boolean {
    if (this.#w === null) this.#prefixes();
    if (this.#w === null || this.#a === null) return false;
    if (this.#prefixRuns > 0) this.#decodePrefixRuns({ withdrawals: this.#w, announcements: this.#a });
    return true;
  }

  get as_path(): AsPath | null {
    return this.#undeferPath(this.partial()).as_path;
  }
  get as_path_segments(): AsPathSegment[] | null {
    return this.#undeferPath(this.partial()).as_path_segments;
  }
  get origin(): string | null {
    return this.partial().origin;
  }
  get next_hop(): string | null {
    return this.partial().next_hop;
  }
  get med(): number | null {
    return this.partial().med;
  }
  get local_pref(): number | null {
    return this.partial().local_pref;
  }
  get atomic_aggregate(): boolean {
    return this.partial().atomic_aggregate;
  }
  get aggregator_asn(): number | null {
    return this.partial().aggregator_asn;
  }
  get aggregator_ip(): string | null {
    return this.partial().aggregator_ip;
  }
  get communities(): string[] | null {
    return this.#undeferCommunities(this.partial()).communities;
  }
  get large_communities(): string[] | null {
    return this.#undeferLarge(this.partial()).large_communities;
  }
  get originator_id(): string | null {
    return this.partial().originator_id;
  }
  get cluster_list(): string[] | null {
    return this.partial().cluster_list;
  }
  get ext_communities(): string[] | null {
    return this.partial().ext_communities;
  }
  get ipv6_ext_communities(): string[] | null {
    return this.partial().ipv6_ext_communities;
  }
  get pmsi_tunnel(): PmsiTunnel | null {
    return this.partial().pmsi_tunnel;
  }
  get aigp(): number | string | null {
    return this.partial().aigp;
  }
  get otc(): number | null {
    return this.partial().otc;
  }
  get prefix_sid(): PrefixSid | null {
    return this.partial().prefix_sid;
  }
  get attr_set(): AttrSet | null {
    return this.partial().attr_set;
  }
  get bgpsec_path(): string | null {
    return this.partial().bgpsec_path;
  }
  get attr_codes(): number[] {
    const m = this.partial();
    if (m.attr_codes === ATTR_CODES_WIRE) m.attr_codes = attributeCodes(this.#b);
    return m.attr_codes;
  }
  get other_attributes(): RawAttribute[] {
    return this.partial().other_attributes;
  }
  get end_of_rib(): [number, number][] | null {
    return this.partial().end_of_rib;
  }
  get warnings(): DecodeWarning[] {
    return this.partial().warnings;
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
