// --preset: the line output of another tool, column for column and character for character, so scripts written
// for that tool can read bgpcap's output unchanged. Each preset fixes its own fields, separator, header and
// level; records the emulated tool would not print (events, malformed messages, and for the per-prefix presets
// every message that is not an UPDATE with prefixes) are not written — `--stats` counts them. The one value
// bgpcap cannot always give the way these tools do is the peer ASN: they read it from an MRT header, bgpcap
// from the sender's OPEN, so it is empty when the capture lost that OPEN.
//
// bgpdump   `bgpdump -m` (RIPE NCC bgpdump 1.6, bgpdump.c table_line_announce*/table_line_withdraw*), one line
//           per prefix, withdrawals first (as bgpdump prints an UPDATE: classic, then MP_UNREACH; classic NLRI,
//           then MP_REACH):
//             BGP4MP|<sec>|W|<peer_ip>|<peer_asn>|<prefix>
//             BGP4MP|<sec>|A|<peer_ip>|<peer_asn>|<prefix>|<as_path>|<origin>|<next_hop>|<local_pref>|<med>|<communities>|<AG|NAG>|<aggregator>|
//           Its text rules: integer seconds (bgpdump prints the MRT header's seconds; BGP4MP records have no
//           fraction); AS path segments joined by spaces, AS_SET {a,b}, AS_CONFED_SEQUENCE (a b), AS_CONFED_SET
//           [a,b] (bgpdump_lib.c process_attr_aspath_string); ORIGIN other than 0/1 — and a missing ORIGIN —
//           print INCOMPLETE (describe_origin); a missing LOCAL_PREF or MED prints 0; communities 65535:65281,
//           65535:65282 and 65535:65283 print no-export, no-advertise, local-AS (process_attr_community_string);
//           the next hop is the family's (IPv6: the global address); aggregator "<asn> <ip>". A prefix with an
//           ADD-PATH path id prints as bgpdump prints RFC 8050 ADDPATH records: BGP4MP_AP, with the path id
//           after the prefix. Checked line by line against the real bgpdump in test/sink/presets-bgpdump.test.ts.
// bgpkit    `bgpkit-parser --psv` (bgpkit-parser 0.15, BgpElem::to_psv and get_psv_header), a header line then
//           one line per prefix, announcements first (Elementor::bgp_update_to_elems: classic NLRI, MP_REACH,
//           withdrawn routes, MP_UNREACH):
//             type|timestamp|peer_ip|peer_asn|prefix|as_path|origin_asns|origin|next_hop|local_pref|med|communities|atomic|aggr_asn|aggr_ip|only_to_customer
//           timestamp is the shortest decimal of the seconds as a double (Rust f64 Display); as_path shows
//           sets and confederation sets as {a,b}, confederation sequences like sequences; local_pref and med
//           default to 0 on announcements (get_relevant_attributes) and are empty on withdrawals; next_hop is
//           the NEXT_HOP attribute when present, else the MP_REACH next hop; communities are the standard ones
//           (well-known as no-export, no-advertise, no-export-sub-confed) and large ones (a:b:c) in attribute
//           order; atomic is true/false; only_to_customer is filled on withdrawals too, as bgpkit does.
//           Extended communities are not written (bgpkit's own text for them is not reproduced).
//           Both write a line per prefix, at elem level (PRESET_LEVEL): a per-prefix filter (stage 2, elem.ts
//           keepElems, or WireRecord.keep on the fast path) leaves only the prefixes it keeps, as the other line
//           layouts at elem level do.
// pbgpp     DE-CIX pbgpp's line output with its default fields (LineBasedFormatter: timestamp, type, subtype,
//           prefixes, withdrawn_routes), tab separated, one line per BGP message of any type:
//             <sec>.<usec>\t<type>\t<subtype>\t<nlri;nlri>\t<withdrawn;withdrawn>
//           The timestamp is pbgpp's str(sec) + "." + str(usec): microseconds NOT zero-padded (5 µs prints .5),
//           kept as pbgpp writes it; type is OPEN/UPDATE/NOTIFICATION/KEEPALIVE/ROUTE-REFRESH (Unknown, RESERVED
//           for 0); subtype (UPDATE only) NONE, ANNOUNCE, WITHDRAWAL or ANNOUNCE/WITHDRAWAL; prefixes and
//           withdrawn routes are the classic IPv4 NLRI and Withdrawn Routes fields only (pbgpp does not list
//           MP_REACH/MP_UNREACH prefixes), joined by ';'. Where pbgpp's own parser is wrong (a /0 read as one
//           byte, host bits kept), bgpcap writes the correct prefix.

import type { AsPathSegment, UpdateMessage } from '../bgp/model.js';
import type { BgpRecord, MessageRecord } from '../record.js';
import { decodeFully } from '../bgp/update-lazy.js';
import { UsageError } from '../errors.js';
import type { Formatter } from './jsonl.js';
import { originAsns, type WireRecord } from './wire-fields.js';
import { keeperOf, keepsListed, keepsWire } from './elem.js';
import { constant, type ByteWriter, type Lit } from './bytes.js';
import * as B from './emit.js';
import { u16, u32 } from '../wire/reader.js';
import { ipv4TextCached } from '../link/textcache.js';

export const PRESET_NAMES = ['bgpdump', 'bgpkit', 'pbgpp'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

/** The level each preset writes at: per prefix, except pbgpp which writes per message. */
export const PRESET_LEVEL: Readonly<Record<PresetName, 'elem' | 'msg'>> = { bgpdump: 'elem', bgpkit: 'elem', pbgpp: 'msg' };

export function presetFormatter(name: PresetName): Formatter {
  switch (name) {
    case 'bgpdump':
      return { header: '', format: bgpdumpLines, wire: bgpdumpWire };
    case 'bgpkit':
      return { header: BGPKIT_HEADER, format: bgpkitLines, wire: bgpkitWire };
    case 'pbgpp':
      return { header: '', format: pbgppLine, wire: pbgppWire };
    default:
      throw new UsageError(`unknown preset '${String(name)}' (${PRESET_NAMES.join(', ')})`);
  }
}

/** The decoded UPDATE of a well-formed message record, else null (events, errors and other types are skipped). */
function goodUpdate(r: BgpRecord): UpdateMessage | null {
  return r.kind === 'message' && r.error === null && r.msg !== null && r.msg.kind === 'update' ? decodeFully(r.msg) : null;
}

const numOr = (n: number | null, missing: string): string => (n === null ? missing : String(n));

// ---------------------------------------------------------------------------------------------- bgpdump -m

/** bgpdump_lib.c aspath_delimiter_char: which brackets each RFC 4271 / RFC 5065 segment type gets. */
const DUMP_OPEN: Record<number, string> = { 1: '{', 3: '(', 4: '[' };
const DUMP_CLOSE: Record<number, string> = { 1: '}', 3: ')', 4: ']' };

/** process_attr_aspath_string: segments separated by a space, set members by ',', sequence members by ' '. */
function dumpAsPath(segs: readonly AsPathSegment[] | null): string {
  if (segs === null) return '';
  let s = '';
  for (let i = 0; i < segs.length; i++) {
    const g = segs[i]!;
    if (i > 0) s += ' ';
    const set = g.type === 1 || g.type === 4;
    s += (DUMP_OPEN[g.type] ?? '') + g.asns.join(set ? ',' : ' ') + (DUMP_CLOSE[g.type] ?? '');
  }
  return s;
}

/** process_attr_community_string's three named values; everything else "%d:%d". */
const DUMP_WELL_KNOWN: Record<string, string> = { '65535:65281': 'no-export', '65535:65282': 'no-advertise', '65535:65283': 'local-AS' };

function dumpCommunities(c: readonly string[] | null): string {
  if (c === null) return '';
  let s = '';
  for (let i = 0; i < c.length; i++) s += (i > 0 ? ' ' : '') + (DUMP_WELL_KNOWN[c[i]!] ?? c[i]!);
  return s;
}

function bgpdumpLines(r: BgpRecord): string {
  const m = goodUpdate(r);
  if (m === null) return '';
  const keep = keeperOf((r as MessageRecord).msg as UpdateMessage);
  const ts = String(Math.floor(r.ts.sec));
  const who = `|${r.peer_ip ?? ''}|${numOr(r.peer_asn, '')}|`;
  let out = '';
  for (const w of m.withdrawals) {
    const ids = w.path_ids;
    for (let i = 0; i < w.prefixes.length; i++) {
      if (keep !== undefined && !keepsListed(keep, 'W', w, i)) continue;
      const id = ids === null ? null : (ids[i] ?? null);
      out += id === null ? `BGP4MP|${ts}|W${who}${w.prefixes[i]}\n` : `BGP4MP_AP|${ts}|W${who}${w.prefixes[i]}|${id}\n`;
    }
  }
  if (m.announcements.length === 0) return out;
  // describe_origin: 0 IGP, 1 EGP, anything else (including a missing ORIGIN) INCOMPLETE.
  const origin = m.origin === 'IGP' || m.origin === 'EGP' ? m.origin : 'INCOMPLETE';
  const path = `${dumpAsPath(m.as_path_segments)}|${origin}|`;
  // An AGGREGATOR address of 255.255.255.255 is bgpdump's "no aggregator" value (INADDR_NONE).
  const agg = m.aggregator_ip !== null && m.aggregator_ip !== '255.255.255.255' ? `${m.aggregator_asn ?? 0} ${m.aggregator_ip}` : '';
  const tail =
    `|${m.local_pref ?? 0}|${m.med ?? 0}|${dumpCommunities(m.communities)}|${m.atomic_aggregate ? 'AG' : 'NAG'}|${agg}|\n`;
  for (const a of m.announcements) {
    const ids = a.path_ids;
    const nh = a.next_hop ?? '';
    for (let i = 0; i < a.prefixes.length; i++) {
      if (keep !== undefined && !keepsListed(keep, 'A', a, i)) continue;
      const id = ids === null ? null : (ids[i] ?? null);
      out +=
        id === null
          ? `BGP4MP|${ts}|A${who}${a.prefixes[i]}|${path}${nh}${tail}`
          : `BGP4MP_AP|${ts}|A${who}${a.prefixes[i]}|${id}|${path}${nh}${tail}`;
    }
  }
  return out;
}

/**
 * bgpdumpLines for an UPDATE the writers' fast path takes (sink/wire-fields.ts), written from its bytes: the
 * same lines. No ADD-PATH there, so no BGP4MP_AP; ORIGIN is present whenever there are announcements. The
 * columns after the prefix are the same for every announced prefix but the next hop: written once, copied.
 */
function bgpdumpWire(r: WireRecord, w: ByteWriter): void {
  const v = r.wire;
  const b = v.b;
  const sec = Math.floor(r.ts.sec);
  const line = (type: number, at: number, bits: number): void => {
    w.lit(BGP4MP);
    w.num(sec);
    w.byte(0x7c);
    w.byte(type);
    peerPrefixWire(w, r, at, bits);
  };
  const keep = r.keep;
  const withdrawn = (start: number, end: number, afi: number, safi: number): void => {
    for (let p = start; p < end; p += 1 + ((b[p]! + 7) >> 3)) {
      if (keep !== null && !keepsWire(keep, 'W', afi, safi, b, p, null, null)) continue;
      line(0x57, p, afi === 1 ? 32 : 128);
      w.byte(0x0a);
    }
  };
  withdrawn(v.wStart, v.wEnd, 1, 1);
  if (v.muAfi !== 0) withdrawn(v.muStart, v.muEnd, v.muAfi, v.muSafi);
  // [pathStart, pathEnd) of the output: "|<as_path>|<origin>|"; [tailStart, tailEnd): "|<local_pref>|...|\n".
  let pathStart = -1;
  let pathEnd = -1;
  let tailStart = -1;
  let tailEnd = -1;
  const announced = (start: number, end: number, afi: number, safi: number, nh: string | null, nhAt: number): void => {
    for (let p = start; p < end; p += 1 + ((b[p]! + 7) >> 3)) {
      if (keep !== null && !keepsWire(keep, 'A', afi, safi, b, p, nhAt >= 0 ? ipv4TextCached(b, nhAt) : nh, nhAt >= 0 ? null : v.mrNextHopLl)) continue;
      line(0x41, p, afi === 1 ? 32 : 128);
      if (pathStart < 0) {
        pathStart = w.pos;
        w.byte(0x7c);
        dumpAsPathWire(w, b, v.pathStart, v.pathEnd);
        w.byte(0x7c);
        w.lit(v.origin === 0 ? IGP : v.origin === 1 ? EGP : INCOMPLETE);
        w.byte(0x7c);
        pathEnd = w.pos;
      } else w.copy(pathStart, pathEnd);
      if (nhAt >= 0) w.str(ipv4TextCached(b, nhAt));
      else B.strOrEmpty(w, nh);
      if (tailStart < 0) {
        tailStart = w.pos;
        dumpTailWire(w, v);
        tailEnd = w.pos;
      } else w.copy(tailStart, tailEnd);
    }
  };
  if (v.nEnd > v.nStart) announced(v.nStart, v.nEnd, 1, 1, null, v.nextHop);
  if (v.mrAfi !== 0) announced(v.mrStart, v.mrEnd, v.mrAfi, v.mrSafi, v.mrNextHop, -1);
}

/** "|<peer_ip>|<peer_asn>|<prefix>" of both presets' lines, the prefix's length octet at `at`. */
function peerPrefixWire(w: ByteWriter, r: WireRecord, at: number, bits: number): void {
  w.byte(0x7c);
  B.strOrEmpty(w, r.peer_ip);
  w.byte(0x7c);
  B.numOrEmpty(w, r.peer_asn);
  w.byte(0x7c);
  B.prefixWire(w, r.wire.b, at, bits, false);
}

/**
 * COMMUNITIES at [start, end) (-1: absent) as both presets print them: space-separated `hi:lo`, the three
 * well-known values by `names` (65535:65281, 65535:65282, 65535:65283), after a space when `sep`.
 */
function namedCommunitiesWire(w: ByteWriter, b: Uint8Array, start: number, end: number, names: readonly Lit[], sep: boolean): void {
  for (let p = start; p >= 0 && p < end; p += 4) {
    if (p > start || sep) w.byte(0x20);
    const hi = u16(b, p);
    const lo = u16(b, p + 2);
    if (hi === 0xffff && lo >= 0xff01 && lo <= 0xff03) w.lit(names[lo - 0xff01]!);
    else {
      w.num(hi);
      w.byte(0x3a);
      w.num(lo);
    }
  }
}

const BGP4MP = constant('BGP4MP|');
const IGP = constant('IGP');
const EGP = constant('EGP');
const INCOMPLETE = constant('INCOMPLETE');
const AG = constant('|AG|');
const NAG = constant('|NAG|');
/** process_attr_community_string's names (DUMP_WELL_KNOWN) and bgpkit's (KIT_WELL_KNOWN), in value order. */
const DUMP_NAMES = [constant('no-export'), constant('no-advertise'), constant('local-AS')];
const KIT_NAMES = [constant('no-export'), constant('no-advertise'), constant('no-export-sub-confed')];

/** dumpAsPath from AS_PATH's bytes (4-octet ASNs, segments well formed: update-wire.ts). */
function dumpAsPathWire(w: ByteWriter, b: Uint8Array, start: number, end: number): void {
  for (let p = start; p < end; ) {
    const type = b[p]!;
    const n = b[p + 1]!;
    if (p > start) w.byte(0x20);
    const open = type === 1 ? 0x7b : type === 3 ? 0x28 : type === 4 ? 0x5b : 0;
    if (open !== 0) w.byte(open);
    const sep = type === 1 || type === 4 ? 0x2c : 0x20;
    p += 2;
    for (let i = 0; i < n; i++, p += 4) {
      if (i > 0) w.byte(sep);
      w.num(u32(b, p));
    }
    if (open !== 0) w.byte(type === 1 ? 0x7d : type === 3 ? 0x29 : 0x5d);
  }
}

/** "|<local_pref>|<med>|<communities>|<AG|NAG>|<aggregator>|\n" of bgpdumpLines, from the bytes. */
function dumpTailWire(w: ByteWriter, v: WireRecord['wire']): void {
  const b = v.b;
  w.byte(0x7c);
  w.num(v.localPref < 0 ? 0 : u32(b, v.localPref));
  w.byte(0x7c);
  w.num(v.med < 0 ? 0 : u32(b, v.med));
  w.byte(0x7c);
  namedCommunitiesWire(w, b, v.commStart, v.commEnd, DUMP_NAMES, false);
  w.lit(v.atomic ? AG : NAG);
  // An AGGREGATOR address of 255.255.255.255 is bgpdump's "no aggregator" value (INADDR_NONE).
  const a = v.aggregator;
  if (a >= 0 && u32(b, a + 4) !== 0xffffffff) {
    w.num(u32(b, a));
    w.byte(0x20);
    w.str(ipv4TextCached(b, a + 4));
  }
  w.byte(0x7c);
  w.byte(0x0a);
}

// ---------------------------------------------------------------------------------------------- bgpkit --psv

const BGPKIT_HEADER =
  'type|timestamp|peer_ip|peer_asn|prefix|as_path|origin_asns|origin|next_hop|local_pref|med|communities|atomic|aggr_asn|aggr_ip|only_to_customer\n';

/** AsPath Display: segments joined by ' ', sets and confederation sets {a,b}, sequences a b. */
function kitAsPath(segs: readonly AsPathSegment[] | null): string {
  if (segs === null) return '';
  let s = '';
  for (let i = 0; i < segs.length; i++) {
    const g = segs[i]!;
    if (i > 0) s += ' ';
    s += g.type === 1 || g.type === 4 ? `{${g.asns.join(',')}}` : g.asns.join(' ');
  }
  return s;
}

/** AsPath::iter_origins: the last ASN of a final sequence, every member of a final set. */
function kitOrigins(segs: readonly AsPathSegment[] | null): string {
  if (segs === null || segs.length === 0) return '';
  const last = segs[segs.length - 1]!;
  if (last.type === 1 || last.type === 4) return last.asns.join(' ');
  return last.asns.length === 0 ? '' : String(last.asns[last.asns.length - 1]);
}

const KIT_WELL_KNOWN: Record<string, string> = {
  '65535:65281': 'no-export',
  '65535:65282': 'no-advertise',
  '65535:65283': 'no-export-sub-confed',
};

/** Standard then large communities in the order their attributes came (bgpkit's MetaCommunity list). */
function kitCommunities(m: UpdateMessage): string {
  const parts: string[] = [];
  const std = (): void => {
    if (m.communities !== null) for (const c of m.communities) parts.push(KIT_WELL_KNOWN[c] ?? c);
  };
  const large = (): void => {
    if (m.large_communities !== null) for (const c of m.large_communities) parts.push(c);
  };
  const iStd = m.attr_codes.indexOf(8);
  const iLarge = m.attr_codes.indexOf(32);
  if (iLarge >= 0 && (iStd < 0 || iLarge < iStd)) {
    large();
    std();
  } else {
    std();
    large();
  }
  return parts.join(' ');
}

/** Rust's f64 Display and JavaScript's Number→String both print the shortest round-trip decimal. */
function kitTimestamp(r: BgpRecord): string {
  return String(r.ts.sec + r.ts.nsec / 1e9);
}

function bgpkitLines(r: BgpRecord): string {
  const m = goodUpdate(r);
  if (m === null) return '';
  const keep = keeperOf((r as MessageRecord).msg as UpdateMessage);
  const head = `|${kitTimestamp(r)}|${r.peer_ip ?? ''}|${numOr(r.peer_asn, '')}|`;
  const otc = m.otc === null ? '' : String(m.otc);
  let out = '';
  if (m.announcements.length > 0) {
    const attrs =
      `|${kitAsPath(m.as_path_segments)}|${kitOrigins(m.as_path_segments)}|${m.origin ?? ''}|`;
    const rest =
      `|${m.local_pref ?? 0}|${m.med ?? 0}|${kitCommunities(m)}|${m.atomic_aggregate ? 'true' : 'false'}|` +
      `${numOr(m.aggregator_asn, '')}|${m.aggregator_ip ?? ''}|${otc}\n`;
    for (const a of m.announcements) {
      // get_relevant_attributes: the NEXT_HOP attribute wins over the MP_REACH next hop for every family.
      const nh = m.next_hop ?? a.next_hop ?? '';
      for (let i = 0; i < a.prefixes.length; i++) {
        if (keep === undefined || keepsListed(keep, 'A', a, i)) out += `A${head}${a.prefixes[i]}${attrs}${nh}${rest}`;
      }
    }
  }
  const wTail = `||||||||false|||${otc}\n`;
  for (const w of m.withdrawals) {
    for (let i = 0; i < w.prefixes.length; i++) {
      if (keep === undefined || keepsListed(keep, 'W', w, i)) out += `W${head}${w.prefixes[i]}${wTail}`;
    }
  }
  return out;
}

/**
 * bgpkitLines for an UPDATE the writers' fast path takes (sink/wire-fields.ts), written from its bytes: the
 * same lines. Such an UPDATE has no ONLY_TO_CUSTOMER (its last column is empty) and no path ids; which of
 * COMMUNITIES and LARGE_COMMUNITY came first is which value lies first in the message. Every announced
 * prefix's line has the same columns after the prefix (the NEXT_HOP attribute wins over the family's next
 * hop): written once, copied.
 */
function bgpkitWire(r: WireRecord, w: ByteWriter): void {
  const v = r.wire;
  const b = v.b;
  const ts = kitTimestamp(r);
  const head = (type: number, at: number, bits: number): void => {
    w.byte(type);
    w.byte(0x7c);
    w.str(ts);
    peerPrefixWire(w, r, at, bits);
  };
  let restStart = -1;
  let restEnd = -1;
  const keep = r.keep;
  const announced = (start: number, end: number, afi: number, safi: number, nh: string | null, nhLl: string | null): void => {
    for (let p = start; p < end; p += 1 + ((b[p]! + 7) >> 3)) {
      if (keep !== null && !keepsWire(keep, 'A', afi, safi, b, p, nh, nhLl)) continue;
      head(0x41, p, afi === 1 ? 32 : 128);
      if (restStart < 0) {
        restStart = w.pos;
        kitRestWire(w, v, v.nextHop >= 0 ? ipv4TextCached(b, v.nextHop) : nh);
        restEnd = w.pos;
      } else w.copy(restStart, restEnd);
    }
  };
  if (v.nEnd > v.nStart) announced(v.nStart, v.nEnd, 1, 1, keep === null ? null : ipv4TextCached(b, v.nextHop), null);
  if (v.mrAfi !== 0) announced(v.mrStart, v.mrEnd, v.mrAfi, v.mrSafi, v.mrNextHop, v.mrNextHopLl);
  const withdrawn = (start: number, end: number, afi: number, safi: number): void => {
    for (let p = start; p < end; p += 1 + ((b[p]! + 7) >> 3)) {
      if (keep !== null && !keepsWire(keep, 'W', afi, safi, b, p, null, null)) continue;
      head(0x57, p, afi === 1 ? 32 : 128);
      w.lit(KIT_W_TAIL);
    }
  };
  withdrawn(v.wStart, v.wEnd, 1, 1);
  if (v.muAfi !== 0) withdrawn(v.muStart, v.muEnd, v.muAfi, v.muSafi);
}

const KIT_W_TAIL = constant('||||||||false|||\n');
const TRUE_BAR = constant('|true|');
const FALSE_BAR = constant('|false|');

/** "|<as_path>|<origin_asns>|<origin>|<next_hop>|<local_pref>|<med>|<communities>|<atomic>|<aggr>|<aggr_ip>|\n". */
function kitRestWire(w: ByteWriter, v: WireRecord['wire'], nh: string | null): void {
  const b = v.b;
  w.byte(0x7c);
  // kitAsPath is the line output's AS path text (sets and confederation sets {a,b}), kitOrigins its origin_asns.
  if (v.pathStart >= 0) B.asPathWire(w, b, v.pathStart, v.pathEnd, false);
  w.byte(0x7c);
  originAsns(w, v, false);
  w.byte(0x7c);
  B.strOrEmpty(w, v.originName());
  w.byte(0x7c);
  B.strOrEmpty(w, nh);
  w.byte(0x7c);
  w.num(v.localPref < 0 ? 0 : u32(b, v.localPref));
  w.byte(0x7c);
  w.num(v.med < 0 ? 0 : u32(b, v.med));
  w.byte(0x7c);
  // Standard and large communities in attribute order (kitCommunities).
  const largeFirst = v.largeStart >= 0 && (v.commStart < 0 || v.largeStart < v.commStart);
  if (largeFirst) B.communitiesWire(w, b, v.largeStart, v.largeEnd, 4, false);
  namedCommunitiesWire(w, b, v.commStart, v.commEnd, KIT_NAMES, largeFirst);
  if (!largeFirst && v.largeStart >= 0) {
    if (v.commStart >= 0) w.byte(0x20);
    B.communitiesWire(w, b, v.largeStart, v.largeEnd, 4, false);
  }
  w.lit(v.atomic ? TRUE_BAR : FALSE_BAR);
  if (v.aggregator >= 0) {
    w.num(u32(b, v.aggregator));
    w.byte(0x7c);
    w.str(ipv4TextCached(b, v.aggregator + 4));
  } else w.byte(0x7c);
  w.byte(0x7c);
  w.byte(0x0a);
}

// ---------------------------------------------------------------------------------------------- pbgpp

const PBGPP_TYPES: Record<number, string> = { 0: 'RESERVED', 1: 'OPEN', 2: 'UPDATE', 3: 'NOTIFICATION', 4: 'KEEPALIVE', 5: 'ROUTE-REFRESH' };
const PBGPP_SUBTYPES = ['NONE', 'ANNOUNCE', 'WITHDRAWAL', 'ANNOUNCE/WITHDRAWAL'];

/**
 * The classic Withdrawn Routes and NLRI prefixes (RFC 4271 §4.3) of an UPDATE. update.ts lists the classic
 * entries first, but only when the fields are non-empty, so the field lengths in the raw bytes tell whether
 * the first entries are classic or MP_UNREACH/MP_REACH IPv4 unicast.
 */
function classicPrefixes(r: MessageRecord, m: UpdateMessage): { nlri: readonly string[]; withdrawn: readonly string[] } {
  const b = r.raw;
  if (b.length < 23) return { nlri: [], withdrawn: [] };
  const wLen = (b[19]! << 8) | b[20]!;
  const aAt = 21 + wLen;
  const aLen = aAt + 2 <= b.length ? (b[aAt]! << 8) | b[aAt + 1]! : 0;
  const hasNlri = r.length > aAt + 2 + aLen;
  return {
    withdrawn: wLen > 0 && m.withdrawals.length > 0 ? m.withdrawals[0]!.prefixes : [],
    nlri: hasNlri && m.announcements.length > 0 ? m.announcements[0]!.prefixes : [],
  };
}

function pbgppLine(r: BgpRecord): string {
  if (r.kind !== 'message') return '';
  const usec = Math.floor(r.ts.nsec / 1000);
  let s = `${Math.floor(r.ts.sec)}.${usec}\t${PBGPP_TYPES[r.msg_type] ?? 'Unknown'}\t`;
  if (r.msg_type !== 2) return s + '\t\t\n';
  const m = r.msg !== null && r.msg.kind === 'update' ? r.msg : null;
  if (m === null) return s + 'NONE\t\t\n';
  const { nlri, withdrawn } = classicPrefixes(r, m);
  s += PBGPP_SUBTYPES[(nlri.length > 0 ? 1 : 0) | (withdrawn.length > 0 ? 2 : 0)]!;
  return `${s}\t${nlri.join(';')}\t${withdrawn.join(';')}\n`;
}

const UPDATE_TAB = constant('\tUPDATE\t');
const PBGPP_SUBTYPE_LITS = PBGPP_SUBTYPES.map((t) => constant(`${t}\t`));

/**
 * pbgppLine for an UPDATE the writers' fast path takes (sink/wire-fields.ts), written from its bytes: the same
 * line, its prefixes those of the classic NLRI and Withdrawn Routes fields (IPv4, well-formed there).
 */
function pbgppWire(r: WireRecord, w: ByteWriter): void {
  const v = r.wire;
  const b = v.b;
  w.num(Math.floor(r.ts.sec));
  w.byte(0x2e);
  w.num(Math.floor(r.ts.nsec / 1000));
  w.lit(UPDATE_TAB);
  w.lit(PBGPP_SUBTYPE_LITS[(v.nEnd > v.nStart ? 1 : 0) | (v.wEnd > v.wStart ? 2 : 0)]!);
  joinedWire(w, b, v.nStart, v.nEnd);
  w.byte(0x09);
  joinedWire(w, b, v.wStart, v.wEnd);
  w.byte(0x0a);
}

/** The IPv4 prefixes of a classic field [start, end), joined by ';'. */
function joinedWire(w: ByteWriter, b: Uint8Array, start: number, end: number): void {
  for (let p = start; p < end; p += 1 + ((b[p]! + 7) >> 3)) {
    if (p > start) w.byte(0x3b);
    B.prefixWire(w, b, p, 32, false);
  }
}
