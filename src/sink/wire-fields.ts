// The fast path of the jsonl and line writers: an UPDATE that bgp/update-wire.ts readWire accepts (no warning,
// the common attributes, plain IPv4/IPv6 prefixes, a session with 4-octet ASNs and no ADD-PATH) is written
// from its bytes by these emitters, with no message object, no record object and no prefix or attribute text.
// They write exactly what the fields' own emitters (fields.ts) write for the decoded message, field by field;
// test/sink/wire.test.ts compares the two ways on every capture of the corpora.
//
// The record handed to the row functions is one WireRecord, refilled per message (pipeline.ts MessageStage):
// the connection's properties, the time and frame are those of a MessageRecord, so the fields that read only
// those (RECORD_FIELDS) keep their own emitters; `msg` is null and `wire` holds the message's spans. A plan
// is made for this path only when every field has a wire emitter here or is a record field (wireCells),
// so no field can read the null `msg` and quietly print nothing.

import type { BgpRecord, MessageRecord } from '../record.js';
import { WireUpdate } from '../bgp/update-wire.js';
import { extCommunityText } from '../bgp/attributes/attr-16-ext-communities.js';
import { ipv4TextCached } from '../link/textcache.js';
import { u16, u32 } from '../wire/reader.js';
import { constant, NULL_BYTES, type ByteWriter } from './bytes.js';
import type { Elem } from './elem.js';
import type { Cell, EmitFn } from './row.js';
import type { FieldDef } from './fields.js';
import * as B from './emit.js';

/** A MessageRecord for the fast path: `msg` null, the UPDATE in `wire` (see the top of this file). */
export interface WireRecord extends MessageRecord {
  readonly wire: WireUpdate;
  /**
   * At elem level, the prefixes to write when a prefix filter passes only some of them (pipeline.ts
   * MessageStage; stage2.ts keep), as keepElems gives them for a decoded message; null: every prefix.
   */
  keep: ((e: Elem) => boolean) | null;
  /**
   * The object the connection properties (file … dst_port) were copied from, which is replaced rather than
   * changed when one of them changes (pipeline.ts MessageContext): the same object, the same properties. Row
   * plans compare it instead of the properties (row.ts, memo). null: unknown.
   */
  ctx: object | null;
}

export function newWireRecord(): WireRecord {
  return {
    kind: 'message',
    ts: { sec: 0, nsec: 0 },
    frame: 0,
    file: null,
    iface: null,
    mux: null,
    peer_ip: null,
    peer_asn: null,
    local_ip: null,
    local_asn: null,
    src_port: null,
    dst_port: null,
    msg_type: 2,
    length: 0,
    msg: null,
    error: null,
    raw: new Uint8Array(0),
    inferred: null,
    wire: new WireUpdate(),
    keep: null,
    ctx: null,
  };
}

/**
 * Fields whose own emitters read nothing but the record's properties and the elem cursor (never `msg`): the
 * same with a WireRecord.
 */
export const RECORD_FIELDS: ReadonlySet<string> = new Set([
  'v', 'timestamp', 'frame', 'file', 'iface', 'mux', 'peer_ip', 'peer_asn', 'local_ip', 'local_asn', 'src_port', 'dst_port',
  'msg_type', 'length', 'type', 'prefix', 'path_id', 'afi', 'safi', 'rd', 'labels', 'next_hop_ll', 'nlri',
]);

/** The UPDATE behind a record of this path. */
function wv(r: BgpRecord): WireUpdate {
  return (r as WireRecord).wire;
}

/** The path attributes apply to the cursor's prefix (none on a withdrawn one: RFC 4271 §4.3). */
function attrs(e: Elem | null): boolean {
  return e === null || e.type !== 'W';
}

const TRUE = constant('true');
const FALSE = constant('false');
const EMPTY_STRING = constant('""');
const EMPTY_LIST = constant('[]');
const NEXT_HOP = constant('{"next_hop":');
const NEXT_NEXT_HOP = constant(',{"next_hop":');
const NEXT_HOP_LL = constant(',"next_hop_ll":');
const A_PREFIXES = constant(',"prefixes":');
const PREFIXES = constant('{"prefixes":');
const NEXT_PREFIXES = constant(',{"prefixes":');
const AFI = constant(',"afi":');
const SAFI = constant(',"safi":');

const bits = (afi: number): number => (afi === 1 ? 32 : 128);

// The helpers below take values, never functions: each field's emitters are their own function literals, so
// every call site in them has one target (V8 inlines it). Emitters made by a factory from closures share one
// literal, whose calls of the closures then see every field's and are not inlined (3-4 % of a jsonl run).

/** A 32-bit number attribute at value offset `at` (-1: absent): JSON number or null. */
function u32Json(w: ByteWriter, b: Uint8Array, at: number, e: Elem | null): void {
  if (at < 0 || !attrs(e)) w.lit(NULL_BYTES);
  else w.num(u32(b, at));
}

/** The same as line text: the number or nothing. */
function u32Text(w: ByteWriter, b: Uint8Array, at: number, e: Elem | null): void {
  if (at >= 0 && attrs(e)) w.num(u32(b, at));
}

/** COMMUNITIES (`size` 2) or LARGE_COMMUNITY (4) at [start, end) (-1: absent): a JSON array or null. */
function communitiesJson(w: ByteWriter, b: Uint8Array, start: number, end: number, size: 2 | 4, e: Elem | null): void {
  if (start < 0 || !attrs(e)) w.lit(NULL_BYTES);
  else B.communitiesWire(w, b, start, end, size, true);
}

/** The same as line text: space-separated, or nothing. */
function communitiesText(w: ByteWriter, b: Uint8Array, start: number, end: number, size: 2 | 4, e: Elem | null): void {
  if (start >= 0 && attrs(e)) B.communitiesWire(w, b, start, end, size, false);
}

/**
 * EXTENDED_COMMUNITIES as the decoder's texts (attr-16-ext-communities.ts extCommunityText), one per community:
 * the two-octet-AS route target and route origin (RFC 4360 §4, §5: `rt:65001:100`, `soo:65001:100`, the
 * common ones) written from the bytes, any other made by extCommunityText.
 */
function extCommunities(w: ByteWriter, v: WireUpdate, json: boolean): void {
  const b = v.b;
  if (json) w.byte(0x5b);
  for (let p = v.extStart; p < v.extEnd; p += 8) {
    if (p > v.extStart) w.byte(json ? 0x2c : 0x20);
    const sub = b[p + 1]!;
    if (b[p] === 0 && (sub === 2 || sub === 3)) {
      if (json) w.byte(0x22);
      w.lit(sub === 2 ? RT : SOO);
      w.num(u16(b, p + 2));
      w.byte(0x3a);
      w.num(u32(b, p + 4));
      if (json) w.byte(0x22);
    } else if (json) w.jsonStr(extCommunityText(b, p));
    else w.str(extCommunityText(b, p));
  }
  if (json) w.byte(0x5d);
}

const RT = constant('rt:');
const SOO = constant('soo:');

/** The prefixes of two runs, the first's then the second's (either may be empty: start === end). */
function twoRunsText(w: ByteWriter, b: Uint8Array, s1: number, e1: number, bits1: number, s2: number, e2: number, bits2: number): void {
  if (e1 > s1) B.prefixesWire(w, b, s1, e1, bits1, false);
  if (e2 > s2) {
    if (e1 > s1) w.byte(0x20);
    B.prefixesWire(w, b, s2, e2, bits2, false);
  }
}

export interface WireField {
  readonly json?: EmitFn;
  readonly text?: EmitFn;
}

/** The UPDATE fields' wire emitters, by field name. */
export const WIRE_FIELDS: ReadonlyMap<string, WireField> = new Map<string, WireField>([
  [
    'as_path',
    {
      json: (w, r, e) => {
        const v = wv(r);
        if (v.pathStart < 0 || !attrs(e)) w.lit(NULL_BYTES);
        else B.asPathWire(w, v.b, v.pathStart, v.pathEnd, true);
      },
      text: (w, r, e) => {
        const v = wv(r);
        if (v.pathStart >= 0 && attrs(e)) B.asPathWire(w, v.b, v.pathStart, v.pathEnd, false);
      },
    },
  ],
  [
    'origin',
    {
      json: (w, r, e) => B.jsonStrOrNull(w, attrs(e) ? wv(r).originName() : null),
      text: (w, r, e) => B.strOrEmpty(w, attrs(e) ? wv(r).originName() : null),
    },
  ],
  [
    'origin_asns',
    {
      json: (w, r, e) => {
        const v = wv(r);
        if (v.pathStart < 0 || !attrs(e)) w.lit(NULL_BYTES);
        else originAsns(w, v, true);
      },
      text: (w, r, e) => {
        const v = wv(r);
        if (v.pathStart >= 0 && attrs(e)) originAsns(w, v, false);
      },
    },
  ],
  [
    'next_hop',
    {
      // elem: the family's next hop (the cursor's); msg: the NEXT_HOP attribute.
      json: (w, r, e) => B.jsonStrOrNull(w, e !== null ? e.next_hop : nextHopText(wv(r))),
      text: (w, r, e) => B.strOrEmpty(w, e !== null ? e.next_hop : nextHopText(wv(r))),
    },
  ],
  ['med', { json: (w, r, e) => u32Json(w, wv(r).b, wv(r).med, e), text: (w, r, e) => u32Text(w, wv(r).b, wv(r).med, e) }],
  ['local_pref', { json: (w, r, e) => u32Json(w, wv(r).b, wv(r).localPref, e), text: (w, r, e) => u32Text(w, wv(r).b, wv(r).localPref, e) }],
  [
    'atomic_aggregate',
    {
      json: (w, r, e) => w.lit(!attrs(e) ? NULL_BYTES : wv(r).atomic ? TRUE : FALSE),
      text: (w, r, e) => {
        if (attrs(e)) w.lit(wv(r).atomic ? TRUE : FALSE);
      },
    },
  ],
  ['aggregator_asn', { json: (w, r, e) => u32Json(w, wv(r).b, wv(r).aggregator, e), text: (w, r, e) => u32Text(w, wv(r).b, wv(r).aggregator, e) }],
  [
    'aggregator_ip',
    {
      json: (w, r, e) => B.jsonStrOrNull(w, attrs(e) ? aggregatorIp(wv(r)) : null),
      text: (w, r, e) => B.strOrEmpty(w, attrs(e) ? aggregatorIp(wv(r)) : null),
    },
  ],
  [
    'communities',
    {
      json: (w, r, e) => communitiesJson(w, wv(r).b, wv(r).commStart, wv(r).commEnd, 2, e),
      text: (w, r, e) => communitiesText(w, wv(r).b, wv(r).commStart, wv(r).commEnd, 2, e),
    },
  ],
  [
    'large_communities',
    {
      json: (w, r, e) => communitiesJson(w, wv(r).b, wv(r).largeStart, wv(r).largeEnd, 4, e),
      text: (w, r, e) => communitiesText(w, wv(r).b, wv(r).largeStart, wv(r).largeEnd, 4, e),
    },
  ],
  [
    'ext_communities',
    {
      json: (w, r, e) => {
        const v = wv(r);
        if (v.extStart < 0 || !attrs(e)) w.lit(NULL_BYTES);
        else extCommunities(w, v, true);
      },
      text: (w, r, e) => {
        const v = wv(r);
        if (v.extStart >= 0 && attrs(e)) extCommunities(w, v, false);
      },
    },
  ],
  [
    'withdrawals',
    {
      json: (w, r) => {
        const v = wv(r);
        // readWire takes no message with both a classic and an MP_UNREACH run, so there is one run at most.
        if (v.wEnd > v.wStart) B.prefixesWire(w, v.b, v.wStart, v.wEnd, 32, true);
        else if (v.muAfi !== 0) B.prefixesWire(w, v.b, v.muStart, v.muEnd, bits(v.muAfi), true);
        else w.lit(EMPTY_LIST);
      },
      text: (w, r) => {
        const v = wv(r);
        twoRunsText(w, v.b, v.wStart, v.wEnd, 32, v.muStart, v.muAfi === 0 ? v.muStart : v.muEnd, bits(v.muAfi));
      },
    },
  ],
  [
    'withdrawal_families',
    {
      json: (w, r) => {
        const v = wv(r);
        w.byte(0x5b);
        let first = true;
        if (v.wEnd > v.wStart) {
          family(w, v.b, v.wStart, v.wEnd, 1, 1, true);
          first = false;
        }
        if (v.muAfi !== 0) family(w, v.b, v.muStart, v.muEnd, v.muAfi, v.muSafi, first);
        w.byte(0x5d);
      },
    },
  ],
  // Nothing to sum up: no End-of-RIB, no warning, no error (fields.ts infoText).
  ['info', { json: (w) => w.lit(EMPTY_STRING), text: () => {} }],
  [
    'announcements',
    {
      json: (w, r) => {
        const v = wv(r);
        w.byte(0x5b);
        let first = true;
        if (v.nEnd > v.nStart) {
          announcement(w, v.b, v.nStart, v.nEnd, 1, 1, nextHopText(v), null, true);
          first = false;
        }
        if (v.mrAfi !== 0) announcement(w, v.b, v.mrStart, v.mrEnd, v.mrAfi, v.mrSafi, v.mrNextHop, v.mrNextHopLl, first);
        w.byte(0x5d);
      },
      text: (w, r) => {
        const v = wv(r);
        twoRunsText(w, v.b, v.nStart, v.nEnd, 32, v.mrStart, v.mrAfi === 0 ? v.mrStart : v.mrEnd, bits(v.mrAfi));
      },
    },
  ],
]);

/**
 * The fields readWire's messages never have (it takes no message with the attributes behind them, no ADD-PATH,
 * no End-of-RIB, no warning, nothing inferred), with their JSON: one constant each.
 */
export const WIRE_CONSTANT_JSON: ReadonlyMap<string, string> = new Map([
  ['withdrawal_path_ids', 'null'], ['originator_id', 'null'], ['cluster_list', 'null'], ['ipv6_ext_communities', 'null'],
  ['aigp', 'null'], ['otc', 'null'], ['pmsi_tunnel', 'null'], ['prefix_sid', 'null'], ['attr_set', 'null'],
  ['bgpsec_path', 'null'], ['end_of_rib', 'null'], ['other_attributes', '[]'], ['warnings', '[]'], ['inferred', 'null'],
]);

/**
 * origin_asns (format.ts originAsns) from AS_PATH's bytes: the last ASN when the path ends in a sequence, the
 * members when it ends in a set; JSON `[..]`, else space-separated. An empty path has none: null. Also the
 * bgpkit preset's origin_asns column (presets.ts), the same text.
 */
export function originAsns(w: ByteWriter, v: WireUpdate, json: boolean): void {
  const b = v.b;
  let last = -1;
  for (let p = v.pathStart; p < v.pathEnd; p += 2 + 4 * b[p + 1]!) last = p;
  if (last < 0) {
    if (json) w.lit(NULL_BYTES);
    return;
  }
  const n = b[last + 1]!;
  // AS_SET (1) or AS_CONFED_SET (4): every member; a sequence: its last ASN (readWire: n >= 1).
  const first = b[last] === 1 || b[last] === 4 ? 0 : n - 1;
  if (json) w.byte(0x5b);
  for (let i = first; i < n; i++) {
    if (i > first) w.byte(json ? 0x2c : 0x20);
    w.num(u32(b, last + 2 + 4 * i));
  }
  if (json) w.byte(0x5d);
}

function aggregatorIp(v: WireUpdate): string | null {
  return v.aggregator < 0 ? null : ipv4TextCached(v.b, v.aggregator + 4);
}

function nextHopText(v: WireUpdate): string | null {
  return v.nextHop < 0 ? null : ipv4TextCached(v.b, v.nextHop);
}

/** `{"prefixes":[...],"afi":A,"safi":S}` (withdrawal_families), after a comma unless `first`. */
function family(w: ByteWriter, b: Uint8Array, start: number, end: number, afi: number, safi: number, first: boolean): void {
  w.lit(first ? PREFIXES : NEXT_PREFIXES);
  B.prefixesWire(w, b, start, end, bits(afi), true);
  w.lit(AFI);
  w.num(afi);
  w.lit(SAFI);
  w.num(safi);
  w.byte(0x7d);
}

/** `{"next_hop":..,"next_hop_ll":..,"prefixes":[...],"afi":A,"safi":S}` (announcements), after a comma unless `first`. */
function announcement(
  w: ByteWriter,
  b: Uint8Array,
  start: number,
  end: number,
  afi: number,
  safi: number,
  nh: string | null,
  ll: string | null,
  first: boolean,
): void {
  w.lit(first ? NEXT_HOP : NEXT_NEXT_HOP);
  B.jsonStrOrNull(w, nh);
  w.lit(NEXT_HOP_LL);
  B.jsonStrOrNull(w, ll);
  w.lit(A_PREFIXES);
  B.prefixesWire(w, b, start, end, bits(afi), true);
  w.lit(AFI);
  w.num(afi);
  w.lit(SAFI);
  w.num(safi);
  w.byte(0x7d);
}

/**
 * The cells of a row plan for this path, from the plan's own `cells` (one per field of `fields`, in order):
 * the record fields keep theirs, the UPDATE fields get their wire emitters, and in JSON the fields these
 * messages never have their constant. Null when a
 * field has none of these: that layout has no fast path.
 */
export function wireCells(fields: readonly FieldDef[], cells: readonly Cell[], json: boolean): Cell[] | null {
  const out: Cell[] = [];
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    const c = cells[i]!;
    if (RECORD_FIELDS.has(f.name)) {
      out.push(c);
      continue;
    }
    // (The wire emitters write only bgpcap's own text, numbers and addresses: nothing the line sanitiser changes.)
    const emit = WIRE_FIELDS.get(f.name)?.[json ? 'json' : 'text'];
    if (emit !== undefined) {
      out.push({ ...c, emit, value: null, absent: undefined });
      continue;
    }
    // A constant is part of the cell's lead: written with the keys, as byte stores in the row function.
    const k = json ? WIRE_CONSTANT_JSON.get(f.name) : undefined;
    if (k === undefined) return null;
    out.push({ ...c, lead: c.lead + k, emit: null, value: null, absent: undefined });
  }
  return out;
}
