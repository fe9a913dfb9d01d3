// The output field registry: every name a user can see, as a JSON key (jsonl) and in --fields (line). Names
// follow bgpkit / RIS Live / bgpdump; schema/record.schema.json describes the JSON side and must stay in step.
//
// Each field renders itself twice: `json` (a JSON value literal, `null` when missing) and `text` (line output,
// '' when missing; lists space-separated like bgpdump, objects as compact JSON). Missing is always null,
// never 0. A field is evaluated against a record and, at elem level, the prefix being written (Elem).

import type { Capability, NotificationMessage, RouteRefreshOrf, UpdateMessage, Withdrawal } from '../bgp/model.js';
import type { AttrSet, DecodeWarning, PmsiTunnel, PrefixSid, Srv6Sid } from '../bgp/model.js';
import { msgTypeName } from '../bgp/model.js';
import { LazyUpdate } from '../bgp/update-lazy.js';
import { AFI_IPV4 } from '../bgp/families.js';
import { SCHEMA_VERSION, type BgpRecord } from '../record.js';
import { UsageError } from '../errors.js';
import { prefixOf, type Elem } from './elem.js';
import type { EmitFn } from './row.js';
import { constant, NULL_BYTES, type ByteWriter } from './bytes.js';
import * as B from './emit.js';
import {
  asPathJson,
  asPathText,
  hex,
  jsonAny,
  jsonNumberArray,
  jsonNumberOrNull,
  jsonString,
  jsonStringArray,
  jsonStringOrNull,
  numText,
  originAsns,
  timestampText,
} from './format.js';

export type Level = 'msg' | 'elem';

/**
 * How line output must treat a field's text: `plain` is built by bgpcap from numbers and addresses (never a
 * control character or a `|`); `free` may carry text from outside (the wire, file and interface names) and is
 * sanitised; `json` is compact JSON text.
 */
export type TextKind = 'plain' | 'free' | 'json';

export interface FieldDef {
  readonly name: string;
  /** 'elem': only meaningful per prefix, rejected with --level msg. */
  readonly scope: 'both' | 'elem';
  /** The value changes from one prefix of a message to the next (not cacheable per message). */
  readonly perElem: boolean;
  readonly kind: TextKind;
  readonly doc: string;
  json(r: BgpRecord, e: Elem | null): string;
  text(r: BgpRecord, e: Elem | null): string;
  /**
   * The same as json / text, written as bytes (row.ts, bytes.ts): the hot fields have these, the others are
   * written from their strings. textTo gets the line sink's sanitiser for the field's kind (null for plain).
   */
  readonly jsonTo?: EmitFn;
  readonly textTo?: EmitFn;
  /** The value is the record's property of the same name, as is (the connection's addresses, ports, ...). */
  readonly memo?: boolean;
  /** When this holds, json() is `absentJson` (the rarely present UPDATE attributes; row.ts Cell.absent). */
  readonly absent?: (r: BgpRecord, e: Elem | null) => boolean;
  readonly absentJson?: string;
}

// ---------------------------------------------------------------------------------------------- accessors

/**
 * The UPDATE whose path attributes apply to the record's elem (none for a withdrawn prefix: RFC 4271 §4.3,
 * attributes describe the NLRI), for the fields that read AS_PATH or the communities as values (as_path,
 * origin_asns, communities, large_communities, when not written from their bytes): a LazyUpdate's getters
 * decode the one attribute read (the accessor before decoded all three, so origin_asns made every large
 * community into text: a sixth of a jsonl elem run). Every other field reads updW, which leaves those as bytes.
 */
function attrs(r: BgpRecord, e: Elem | null): UpdateMessage | null {
  if (r.kind !== 'message' || r.msg === null || r.msg.kind !== 'update' || (e !== null && e.type === 'W')) return null;
  return r.msg;
}

/**
 * The UPDATE of a message record as the fields read it: AS_PATH, COMMUNITIES and LARGE_COMMUNITY may still be
 * bytes (bgp/update-lazy.ts partial()), null in the object, so a field that reads them uses attrs (or, in its
 * byte writers, wireOf). A field written from its string (no jsonTo / textTo) would otherwise decode them for
 * nothing: the line output of tshark's fields, with ext_communities last, cost 8 % more than before they were
 * deferred until every field read this.
 */
function updW(r: BgpRecord): UpdateMessage | null {
  if (r.kind !== 'message' || r.msg === null || r.msg.kind !== 'update') return null;
  return r.msg instanceof LazyUpdate ? r.msg.partial() : r.msg;
}

function attrsW(r: BgpRecord, e: Elem | null): UpdateMessage | null {
  return e !== null && e.type === 'W' ? null : updW(r);
}

/**
 * updW with the prefix lists decoded: partial() may hold runs of prefixes as bytes (their `prefixes` a
 * stand-in, bgp/nlri.ts WIRE_NLRI and the like), which only familyPrefixes prints; everything else that reads a
 * family's prefixes or path ids goes through here.
 */
function updP(r: BgpRecord): UpdateMessage | null {
  if (r.kind !== 'message' || r.msg === null || r.msg.kind !== 'update') return null;
  return r.msg instanceof LazyUpdate ? r.msg.prefixed() : r.msg;
}

/**
 * The prefixes of family `f` of the record's UPDATE (read through updW): from the wire while they are bytes,
 * else from the list. `json`: a JSON array; else space-separated, after a space when `sep` and the family has
 * any (the line text of several families is their prefixes joined). Returns whether it wrote a prefix.
 */
function familyPrefixes(w: ByteWriter, r: BgpRecord, f: Withdrawal, json: boolean, sep: boolean): boolean {
  const ps = f.prefixes;
  if (ps.length === 0 && r.kind === 'message' && r.msg instanceof LazyUpdate) {
    const start = r.msg.prefixesStart(ps);
    if (start >= 0) {
      // A run left as bytes holds at least one prefix (update.ts defers only fields that are not empty).
      if (sep) w.byte(0x20);
      B.prefixesWire(w, r.msg.wire, start, r.msg.prefixesEnd(ps), f.afi === AFI_IPV4 ? 32 : 128, json);
      return true;
    }
  }
  if (json) B.jsonStrArray(w, ps);
  else if (ps.length > 0) {
    if (sep) w.byte(0x20);
    B.joinedText(w, ps);
  }
  return ps.length > 0;
}

/**
 * The byte writers of `communities` (code 8) and `large_communities` (code 32): from the wire while the
 * attribute is still bytes, else from the decoded list.
 */
function communityWriters(code: 8 | 32, list: (m: UpdateMessage) => string[] | null): Pick<FieldDef, 'jsonTo' | 'textTo'> {
  const size = code === 8 ? 2 : 4;
  const write = (w: ByteWriter, r: BgpRecord, e: Elem | null, json: boolean): void => {
    const z = wireOf(r, e, code);
    if (z !== null) return B.communitiesWire(w, z.wire, z.wireStart(code), z.wireEnd(code), size, json);
    const m = attrsW(r, e);
    const l = m === null ? null : list(m);
    if (json) B.jsonStrArrayOrNull(w, l);
    else B.joinedText(w, l);
  };
  return { jsonTo: (w, r, e) => write(w, r, e, true), textTo: (w, r, e) => write(w, r, e, false) };
}

/** The record's LazyUpdate when attribute `code` is still bytes there and applies to `e`, else null. */
function wireOf(r: BgpRecord, e: Elem | null, code: 2 | 8 | 32): LazyUpdate | null {
  if ((e !== null && e.type === 'W') || r.kind !== 'message' || !(r.msg instanceof LazyUpdate)) return null;
  const m = r.msg;
  m.partial();
  return m.wireStart(code) >= 0 ? m : null;
}

const N = 'null';
const numOrEmpty = (n: number | null | undefined): string => (n == null ? '' : numText(n));
const strText = (s: string | null | undefined): string => s ?? '';

/** The prefixes of every family in `fs`, in order (no new list when there are none or one family). */
function allPrefixes(fs: readonly Withdrawal[]): readonly string[] {
  if (fs.length === 0) return NO_PREFIXES;
  if (fs.length === 1) return fs[0]!.prefixes;
  const out: string[] = [];
  for (let i = 0; i < fs.length; i++) {
    const ps = fs[i]!.prefixes;
    for (let j = 0; j < ps.length; j++) out.push(ps[j]!);
  }
  return out;
}

const NO_PREFIXES: readonly string[] = Object.freeze([]);

function withdrawnPrefixes(m: UpdateMessage): readonly string[] {
  return allPrefixes(m.withdrawals);
}

/**
 * Path ids parallel to withdrawnPrefixes, null entries for families without ADD-PATH; null when none has ids
 * (known without the prefix lists: a list left as bytes has no path ids).
 */
function withdrawnPathIds(r: BgpRecord): (number | null)[] | null {
  const mw = updW(r);
  if (mw === null) return null;
  let any = false;
  for (let i = 0; i < mw.withdrawals.length; i++) if (mw.withdrawals[i]!.path_ids !== null) any = true;
  if (!any) return null;
  const m = updP(r)!;
  const out: (number | null)[] = [];
  for (const w of m.withdrawals) {
    for (let i = 0; i < w.prefixes.length; i++) out.push(w.path_ids === null ? null : (w.path_ids[i] ?? null));
  }
  return out;
}

function announcedPrefixes(m: UpdateMessage): readonly string[] {
  return allPrefixes(m.announcements);
}

function announcementsJson(m: UpdateMessage): string {
  let s = '[';
  for (let i = 0; i < m.announcements.length; i++) {
    const a = m.announcements[i]!;
    if (i > 0) s += ',';
    s += `{"next_hop":${jsonStringOrNull(a.next_hop)},"next_hop_ll":${jsonStringOrNull(a.next_hop_ll)},"prefixes":${jsonStringArray(a.prefixes)}`;
    s += familyPartsJson(a);
    s += `,"afi":${a.afi},"safi":${a.safi}}`;
  }
  return s + ']';
}

/** The per-entry arrays a family has, each as `,"key":[...]` (path_ids only with ADD-PATH; see nlri/types.ts). */
function familyPartsJson(f: Withdrawal): string {
  let s = '';
  if (f.path_ids !== null) s += `,"path_ids":${jsonNumberArray(f.path_ids)}`;
  const rds = f.route_distinguishers;
  if (rds !== undefined) {
    s += ',"route_distinguishers":[';
    for (let i = 0; i < rds.length; i++) s += (i > 0 ? ',' : '') + jsonStringOrNull(rds[i]);
    s += ']';
  }
  const labels = f.labels;
  if (labels !== undefined) {
    s += ',"labels":[';
    for (let i = 0; i < labels.length; i++) s += (i > 0 ? ',' : '') + jsonNumberArray(labels[i]!);
    s += ']';
  }
  if (f.nlri !== undefined) s += `,"nlri":${jsonAny(f.nlri)}`;
  return s;
}

/** Withdrawals grouped by family, like announcements without the next hop. */
function withdrawalFamiliesJson(m: UpdateMessage): string {
  let s = '[';
  for (let i = 0; i < m.withdrawals.length; i++) {
    const w = m.withdrawals[i]!;
    s += `${i > 0 ? ',' : ''}{"prefixes":${jsonStringArray(w.prefixes)}${familyPartsJson(w)},"afi":${w.afi},"safi":${w.safi}}`;
  }
  return s + ']';
}

function capabilitiesJson(list: readonly Capability[]): string {
  let caps = '[';
  for (let i = 0; i < list.length; i++) {
    const c = list[i]!;
    if (i > 0) caps += ',';
    caps += `{"code":${c.code},"name":${jsonString(c.name)},"value":${jsonAny(c.value)},"hex":${jsonString(c.hex)}}`;
  }
  return caps + ']';
}

function openJson(r: BgpRecord): string {
  if (r.kind !== 'message' || r.msg === null || r.msg.kind !== 'open') return N;
  const o = r.msg;
  const caps = capabilitiesJson(o.capabilities);
  let params = '[';
  for (let i = 0; i < o.other_params.length; i++) {
    const p = o.other_params[i]!;
    params += `${i > 0 ? ',' : ''}{"type":${p.type},"hex":${jsonString(p.hex)}}`;
  }
  params += ']';
  return (
    `{"version":${o.version},"my_as":${o.my_as},"asn":${o.asn},"hold_time":${o.hold_time},` +
    `"bgp_id":${jsonString(o.bgp_id)},"capabilities":${caps},"other_params":${params},` +
    `"extended_opt_params":${o.extended_opt_params ? 'true' : 'false'}}`
  );
}

function notificationJson(r: BgpRecord): string {
  if (r.kind !== 'message' || r.msg === null || r.msg.kind !== 'notification') return N;
  const n = r.msg;
  return (
    `{"code":${n.code},"subcode":${n.subcode},"code_name":${jsonString(n.code_name)},` +
    `"subcode_name":${jsonString(n.subcode_name)},"shutdown_message":${jsonStringOrNull(n.shutdown_message)},` +
    `"hard_reset":${hardResetJson(n)},"max_prefixes":${jsonAny(n.max_prefixes)},` +
    `"unsupported_capabilities":${n.unsupported_capabilities == null ? N : capabilitiesJson(n.unsupported_capabilities)},` +
    `"data":${jsonString(n.data_hex)}}`
  );
}

// The decoder always sets hard_reset, max_prefixes, unsupported_capabilities, subtype_name and orf; `== null`
// also covers records built by hand without them (library users), which are written with nulls.
function hardResetJson(n: NotificationMessage): string {
  const h = n.hard_reset;
  if (h == null) return N;
  return (
    `{"code":${h.code},"subcode":${h.subcode},"code_name":${jsonString(h.code_name)},` +
    `"subcode_name":${jsonString(h.subcode_name)},"data":${jsonString(h.data_hex)}}`
  );
}

function routeRefreshJson(r: BgpRecord): string {
  if (r.kind !== 'message' || r.msg === null || r.msg.kind !== 'route_refresh') return N;
  const m = r.msg;
  return (
    `{"afi":${m.afi},"safi":${m.safi},"subtype":${m.subtype},"subtype_name":${jsonStringOrNull(m.subtype_name)},` +
    `"orf":${orfJson(m.orf)},"data":${jsonString(m.data_hex)}}`
  );
}

/** RFC 5291 ORF part: {when_to_refresh, groups: [{type, name, entries, hex}]}; entries keep model key order. */
function orfJson(o: RouteRefreshOrf | null | undefined): string {
  if (o == null) return N;
  let s = `{"when_to_refresh":${jsonString(o.when_to_refresh)},"groups":[`;
  for (let i = 0; i < o.groups.length; i++) {
    const g = o.groups[i]!;
    s += `${i > 0 ? ',' : ''}{"type":${g.type},"name":${jsonString(g.name)},"entries":${jsonAny(g.entries)},"hex":${jsonString(g.hex)}}`;
  }
  return s + ']}';
}

function errorJson(r: BgpRecord): string {
  if (r.kind !== 'message' || r.error === null) return N;
  const e = r.error;
  return `{"code":${jsonString(e.code)},"message":${jsonString(e.message)},"offset":${e.offset}}`;
}

function endOfRibJson(m: UpdateMessage | null): string {
  if (m === null || m.end_of_rib === null) return N;
  let s = '[';
  for (let i = 0; i < m.end_of_rib.length; i++) {
    const [afi, safi] = m.end_of_rib[i]!;
    s += `${i > 0 ? ',' : ''}[${afi},${safi}]`;
  }
  return s + ']';
}

// ---- path attributes beyond RFC 4271 (shapes in bgp/model.ts; schema $defs pmsiTunnel, prefixSid, attrSet)

/** AIGP: a JSON number always, its exact digits even above 2^53 (the model holds those as a decimal string). */
function aigpJson(v: number | string | null | undefined): string {
  return v == null ? N : String(v);
}

function pmsiTunnelJson(t: PmsiTunnel | null | undefined): string {
  if (t == null) return N;
  return (
    `{"flags":${t.flags},"leaf_info_required":${t.leaf_info_required},"tunnel_type":${t.tunnel_type},` +
    `"tunnel_type_name":${jsonString(t.tunnel_type_name)},"label":${t.label},"label_raw":${t.label_raw},` +
    `"tunnel_id":${jsonString(t.tunnel_id)}}`
  );
}

function srv6Json(list: readonly Srv6Sid[] | null): string {
  if (list === null) return N;
  let s = '[';
  for (let i = 0; i < list.length; i++) {
    const x = list[i]!;
    const st = x.structure;
    s +=
      `${i > 0 ? ',' : ''}{"sid":${jsonString(x.sid)},"flags":${x.flags},"behavior":${x.behavior},"structure":` +
      (st === null
        ? N
        : `{"lb":${st.lb},"ln":${st.ln},"fun":${st.fun},"arg":${st.arg},"tpos_len":${st.tpos_len},"tpos_offset":${st.tpos_offset}}`) +
      '}';
  }
  return s + ']';
}

function prefixSidJson(p: PrefixSid | null | undefined): string {
  if (p == null) return N;
  let srgb = N;
  if (p.srgb !== null) srgb = `[${p.srgb.map(([b, r]) => `[${b},${r}]`).join(',')}]`;
  let other = '[';
  for (let i = 0; i < p.other_tlvs.length; i++) {
    const t = p.other_tlvs[i]!;
    other += `${i > 0 ? ',' : ''}{"type":${t.type},"hex":${jsonString(t.hex)}}`;
  }
  return (
    `{"label_index":${jsonNumberOrNull(p.label_index)},"srgb":${srgb},"srv6_l3_service":${srv6Json(p.srv6_l3_service)},` +
    `"srv6_l2_service":${srv6Json(p.srv6_l2_service)},"other_tlvs":${other}]}`
  );
}

function rawAttributesJson(list: UpdateMessage['other_attributes']): string {
  let s = '[';
  for (let i = 0; i < list.length; i++) {
    const a = list[i]!;
    s += `${i > 0 ? ',' : ''}{"code":${a.code},"flags":${a.flags},"hex":${jsonString(a.hex)}}`;
  }
  return s + ']';
}

const stringsOrNull = (a: readonly string[] | null | undefined): string => (a == null ? N : jsonStringArray(a));

/** ATTR_SET: {origin_as, then every path attribute key of the nested set (null when absent), other_attributes}. */
function attrSetJson(a: AttrSet | null | undefined): string {
  if (a == null) return N;
  const m = a.attributes;
  return (
    `{"origin_as":${a.origin_as},"as_path":${m.as_path === null ? N : asPathJson(m.as_path)},` +
    `"origin":${jsonStringOrNull(m.origin)},"next_hop":${jsonStringOrNull(m.next_hop)},"med":${jsonNumberOrNull(m.med)},` +
    `"local_pref":${jsonNumberOrNull(m.local_pref)},"atomic_aggregate":${m.atomic_aggregate},` +
    `"aggregator_asn":${jsonNumberOrNull(m.aggregator_asn)},"aggregator_ip":${jsonStringOrNull(m.aggregator_ip)},` +
    `"communities":${stringsOrNull(m.communities)},"large_communities":${stringsOrNull(m.large_communities)},` +
    `"originator_id":${jsonStringOrNull(m.originator_id)},"cluster_list":${stringsOrNull(m.cluster_list)},` +
    `"ext_communities":${stringsOrNull(m.ext_communities)},"ipv6_ext_communities":${stringsOrNull(m.ipv6_ext_communities)},` +
    `"aigp":${aigpJson(m.aigp)},"otc":${jsonNumberOrNull(m.otc)},"pmsi_tunnel":${pmsiTunnelJson(m.pmsi_tunnel)},` +
    `"prefix_sid":${prefixSidJson(m.prefix_sid)},"attr_set":${attrSetJson(m.attr_set)},` +
    `"bgpsec_path":${jsonStringOrNull(m.bgpsec_path)},"other_attributes":${rawAttributesJson(m.other_attributes)}}`
  );
}

/** Warnings: {code, message, offset, action, attr_code, hex}. */
function warningsJson(list: readonly DecodeWarning[]): string {
  let s = '[';
  for (let i = 0; i < list.length; i++) {
    const w = list[i]!;
    s +=
      `${i > 0 ? ',' : ''}{"code":${jsonString(w.code)},"message":${jsonString(w.message)},"offset":${w.offset},` +
      `"action":${jsonStringOrNull(w.action)},"attr_code":${jsonNumberOrNull(w.attr_code)},"hex":${jsonStringOrNull(w.hex)}}`;
  }
  return s + ']';
}

/** One-line summary, like tshark's Info column: what a reader of line output needs for non-UPDATE records. */
function infoText(r: BgpRecord): string {
  if (r.kind === 'event') {
    return `${r.event}: ${r.message}${r.bytes_skipped === null ? '' : ` (${r.bytes_skipped} bytes skipped)`}`;
  }
  const parts: string[] = [];
  const m = r.msg;
  if (m !== null) {
    switch (m.kind) {
      case 'open':
        parts.push(
          `version=${m.version} asn=${m.asn} hold_time=${m.hold_time} bgp_id=${m.bgp_id} capabilities=${m.capabilities.map((c) => c.name).join(',')}`,
        );
        break;
      case 'notification': {
        const h = m.hard_reset;
        parts.push(
          `${m.code}/${m.subcode} ${m.code_name}/${m.subcode_name}` +
            (h == null ? '' : ` (${h.code}/${h.subcode} ${h.code_name}/${h.subcode_name})`) +
            (m.shutdown_message === null ? '' : ` ${JSON.stringify(m.shutdown_message)}`),
        );
        break;
      }
      case 'route_refresh':
        parts.push(`afi=${m.afi} safi=${m.safi} subtype=${m.subtype}`);
        if (m.orf != null) {
          parts.push(`orf ${m.orf.when_to_refresh} ${m.orf.groups.map((g) => `${g.name}:${g.entries === null ? '?' : g.entries.length}`).join(',')}`);
        }
        break;
      case 'update':
        if (m.end_of_rib !== null) parts.push(`end_of_rib=${m.end_of_rib.map(([a, s]) => `${a}/${s}`).join(',')}`);
        for (const w of m.warnings) parts.push(`warning ${w.code}@${w.offset}: ${w.message}`);
        break;
      case 'keepalive':
        break;
    }
  }
  if (r.error !== null) parts.push(`error ${r.error.code}@${r.error.offset}: ${r.error.message}`);
  return parts.join('; ');
}

// ---------------------------------------------------------------------------------------------- the registry

type Def = Omit<FieldDef, 'scope' | 'perElem' | 'kind'> & Partial<Pick<FieldDef, 'scope' | 'perElem' | 'kind'>>;

function def(d: Def): FieldDef {
  return { scope: 'both', perElem: false, kind: 'plain', ...d };
}

/** A field whose text is its JSON. */
function jsonField(name: string, doc: string, json: (r: BgpRecord, e: Elem | null) => string): FieldDef {
  return def({
    name,
    doc,
    kind: 'json',
    json,
    text: (r, e) => {
      const j = json(r, e);
      return j === N ? '' : j;
    },
  });
}

/**
 * A jsonField whose value is a list (null when the field does not apply): the empty list, which nearly every
 * record has, is written without building its text.
 */
function listField(
  list: (r: BgpRecord, e: Elem | null) => readonly unknown[] | null | undefined,
  name: string,
  doc: string,
  json: (r: BgpRecord, e: Elem | null) => string,
): FieldDef {
  return {
    ...jsonField(name, doc, json),
    jsonTo: (w, r, e) => {
      const l = list(r, e);
      if (l == null) w.lit(NULL_BYTES);
      else if (l.length === 0) w.lit(EMPTY_LIST);
      else w.str(json(r, e));
    },
  };
}

// Constant text of the emitters.
const UPDATE_JSON = constant('"UPDATE"');
const A_JSON = constant('"A"');
const W_JSON = constant('"W"');
const TRUE = constant('true');
const FALSE = constant('false');
const EMPTY_LIST = constant('[]');
const PREFIXES = constant('{"prefixes":');
const NEXT_PREFIXES = constant(',{"prefixes":');
const NEXT_HOP = constant('{"next_hop":');
const NEXT_NEXT_HOP = constant(',{"next_hop":');
const NEXT_HOP_LL = constant(',"next_hop_ll":');
const A_PREFIXES = constant(',"prefixes":');
const AFI = constant(',"afi":');
const SAFI = constant(',"safi":');

/** familyPartsJson as bytes: nothing for a plain unicast family (no ADD-PATH, RD, labels or structured NLRI). */
function familyParts(w: ByteWriter, f: Withdrawal): void {
  if (f.path_ids === null && f.route_distinguishers === undefined && f.labels === undefined && f.nlri === undefined) return;
  w.str(familyPartsJson(f));
}

/**
 * The path attributes few UPDATEs carry, with their JSON when absent. A message without any of them (nearly
 * every message) has these keys written as one constant (row.ts Cell.absent).
 */
const RARE: ReadonlyMap<string, string> = new Map([
  ['originator_id', N], ['cluster_list', N], ['ext_communities', N], ['ipv6_ext_communities', N], ['aigp', N], ['otc', N],
  ['pmsi_tunnel', N], ['prefix_sid', N], ['attr_set', N], ['bgpsec_path', N], ['end_of_rib', N], ['other_attributes', '[]'], ['warnings', '[]'],
]);

/** True when the record's path attributes apply and none of RARE is present (each field's json is then RARE's). */
function rareAbsent(r: BgpRecord, e: Elem | null): boolean {
  const m = attrsW(r, e);
  return (
    m !== null &&
    m.originator_id == null &&
    m.cluster_list == null &&
    m.ext_communities == null &&
    m.ipv6_ext_communities == null &&
    m.aigp == null &&
    m.otc == null &&
    m.pmsi_tunnel == null &&
    m.prefix_sid == null &&
    m.attr_set == null &&
    m.bgpsec_path == null &&
    m.end_of_rib === null &&
    m.other_attributes.length === 0 &&
    m.warnings.length === 0
  );
}

function markRare(fields: FieldDef[]): FieldDef[] {
  return fields.map((f) => {
    const json = RARE.get(f.name);
    return json === undefined ? f : { ...f, absent: rareAbsent, absentJson: json };
  });
}

/** Every field, in documentation order. */
export const FIELDS: readonly FieldDef[] = markRare([
  // ---- common to every record
  def({ name: 'v', doc: `schema version (${SCHEMA_VERSION})`, json: () => String(SCHEMA_VERSION), text: () => String(SCHEMA_VERSION) }),
  def({
    name: 'timestamp',
    doc: 'capture time, epoch seconds, exact (6 to 9 decimals)',
    json: (r) => timestampText(r.ts),
    text: (r) => timestampText(r.ts),
    jsonTo: (w, r) => B.timestampTo(w, r.ts),
    textTo: (w, r) => B.timestampTo(w, r.ts),
  }),
  def({
    name: 'frame',
    doc: 'frame number in the input file (1-based)',
    json: (r) => String(r.frame),
    text: (r) => String(r.frame),
    jsonTo: (w, r) => w.num(r.frame),
    textTo: (w, r) => w.num(r.frame),
  }),
  def({
    name: 'file',
    memo: true,
    kind: 'free',
    doc: "input file ('-' for stdin); live capture: the --write file, else null",
    json: (r) => jsonStringOrNull(r.file),
    text: (r) => strText(r.file),
    jsonTo: (w, r) => B.jsonStrOrNull(w, r.file),
  }),
  def({ name: 'iface', memo: true, kind: 'free', doc: 'capture interface', json: (r) => jsonStringOrNull(r.iface), text: (r) => strText(r.iface), jsonTo: (w, r) => B.jsonStrOrNull(w, r.iface) }),
  def({ name: 'mux', memo: true, kind: 'free', doc: 'PEERING mux', json: (r) => jsonStringOrNull(r.mux), text: (r) => strText(r.mux), jsonTo: (w, r) => B.jsonStrOrNull(w, r.mux) }),
  def({
    name: 'peer_ip',
    memo: true,
    doc: 'sender of the message',
    json: (r) => jsonStringOrNull(r.peer_ip),
    text: (r) => strText(r.peer_ip),
    jsonTo: (w, r) => B.jsonStrOrNull(w, r.peer_ip),
    textTo: (w, r) => B.strOrEmpty(w, r.peer_ip),
  }),
  def({
    name: 'peer_asn',
    memo: true,
    doc: "sender's ASN (from its OPEN)",
    json: (r) => jsonNumberOrNull(r.peer_asn),
    text: (r) => numOrEmpty(r.peer_asn),
    jsonTo: (w, r) => B.jsonNumOrNull(w, r.peer_asn),
    textTo: (w, r) => B.numOrEmpty(w, r.peer_asn),
  }),
  def({
    name: 'local_ip',
    memo: true,
    doc: 'receiver of the message',
    json: (r) => jsonStringOrNull(r.local_ip),
    text: (r) => strText(r.local_ip),
    jsonTo: (w, r) => B.jsonStrOrNull(w, r.local_ip),
    textTo: (w, r) => B.strOrEmpty(w, r.local_ip),
  }),
  def({
    name: 'local_asn',
    memo: true,
    doc: "receiver's ASN",
    json: (r) => jsonNumberOrNull(r.local_asn),
    text: (r) => numOrEmpty(r.local_asn),
    jsonTo: (w, r) => B.jsonNumOrNull(w, r.local_asn),
    textTo: (w, r) => B.numOrEmpty(w, r.local_asn),
  }),
  def({
    name: 'src_port',
    memo: true,
    doc: "sender's TCP port",
    json: (r) => jsonNumberOrNull(r.src_port),
    text: (r) => numOrEmpty(r.src_port),
    jsonTo: (w, r) => B.jsonNumOrNull(w, r.src_port),
    textTo: (w, r) => B.numOrEmpty(w, r.src_port),
  }),
  def({
    name: 'dst_port',
    memo: true,
    doc: "receiver's TCP port",
    json: (r) => jsonNumberOrNull(r.dst_port),
    text: (r) => numOrEmpty(r.dst_port),
    jsonTo: (w, r) => B.jsonNumOrNull(w, r.dst_port),
    textTo: (w, r) => B.numOrEmpty(w, r.dst_port),
  }),
  def({
    name: 'msg_type',
    doc: 'OPEN, UPDATE, NOTIFICATION, KEEPALIVE, ROUTE-REFRESH or MSG_<n>; line output: E on event records',
    json: (r) => (r.kind === 'message' ? `"${msgTypeName(r.msg_type)}"` : N),
    text: (r) => (r.kind === 'message' ? msgTypeName(r.msg_type) : 'E'),
    jsonTo: (w, r) => {
      if (r.kind !== 'message') w.lit(NULL_BYTES);
      else if (r.msg_type === 2) w.lit(UPDATE_JSON);
      else w.jsonStr(msgTypeName(r.msg_type));
    },
    textTo: (w, r) => w.str(r.kind === 'message' ? msgTypeName(r.msg_type) : 'E'),
  }),
  def({
    name: 'length',
    doc: 'length from the BGP header',
    json: (r) => (r.kind === 'message' ? String(r.length) : N),
    text: (r) => (r.kind === 'message' ? String(r.length) : ''),
    jsonTo: (w, r) => (r.kind === 'message' ? w.num(r.length) : w.lit(NULL_BYTES)),
    textTo: (w, r) => {
      if (r.kind === 'message') w.num(r.length);
    },
  }),

  // ---- elem level: the prefix
  def({
    name: 'type',
    scope: 'elem',
    doc: "A (announced) or W (withdrawn); line output: the message type on message records, E on event records",
    json: (_r, e) => (e === null ? N : e.type === 'A' ? '"A"' : '"W"'),
    text: (r, e) => (e !== null ? e.type : r.kind === 'message' ? msgTypeName(r.msg_type) : 'E'),
    jsonTo: (w, _r, e) => w.lit(e === null ? NULL_BYTES : e.type === 'A' ? A_JSON : W_JSON),
    textTo: (w, r, e) => (e !== null ? w.byte(e.type === 'A' ? 0x41 : 0x57) : w.str(r.kind === 'message' ? msgTypeName(r.msg_type) : 'E')),
  }),
  def({
    name: 'prefix',
    scope: 'elem',
    perElem: true,
    kind: 'free',
    doc: 'the prefix; line output: the event name on event records',
    json: (_r, e) => (e === null ? N : jsonString(prefixOf(e))),
    text: (r, e) => (e !== null ? prefixOf(e) : r.kind === 'event' ? r.event : ''),
    jsonTo: (w, _r, e) => {
      if (e === null) w.lit(NULL_BYTES);
      else if (e.wire !== null) B.prefixWire(w, e.wire, e.at, e.afi === AFI_IPV4 ? 32 : 128, true);
      else w.jsonStr(e.prefix);
    },
    // The prefix is bgpcap's own text (never a control character or separator); an event name is sanitised.
    textTo: (w, r, e, clean) => {
      if (e !== null) {
        if (e.wire !== null) B.prefixWire(w, e.wire, e.at, e.afi === AFI_IPV4 ? 32 : 128, false);
        else w.str(e.prefix);
      } else if (r.kind === 'event') w.str(clean === null ? r.event : clean(r.event));
    },
  }),
  def({
    name: 'path_id',
    scope: 'elem',
    perElem: true,
    doc: 'ADD-PATH path identifier (RFC 7911)',
    json: (_r, e) => jsonNumberOrNull(e?.path_id),
    text: (_r, e) => numOrEmpty(e?.path_id),
    jsonTo: (w, _r, e) => B.jsonNumOrNull(w, e?.path_id),
    textTo: (w, _r, e) => B.numOrEmpty(w, e?.path_id),
  }),
  def({
    name: 'afi',
    scope: 'elem',
    perElem: true,
    doc: 'address family',
    json: (_r, e) => jsonNumberOrNull(e?.afi),
    text: (_r, e) => numOrEmpty(e?.afi),
    jsonTo: (w, _r, e) => B.jsonNumOrNull(w, e?.afi),
    textTo: (w, _r, e) => B.numOrEmpty(w, e?.afi),
  }),
  def({
    name: 'safi',
    scope: 'elem',
    perElem: true,
    doc: 'subsequent address family',
    json: (_r, e) => jsonNumberOrNull(e?.safi),
    text: (_r, e) => numOrEmpty(e?.safi),
    jsonTo: (w, _r, e) => B.jsonNumOrNull(w, e?.safi),
    textTo: (w, _r, e) => B.numOrEmpty(w, e?.safi),
  }),
  def({
    name: 'rd',
    scope: 'elem',
    perElem: true,
    doc: 'route distinguisher (VPN, EVPN, flowspec VPN, MVPN, MDT, VPLS): 65000:100, 192.0.2.1:100, 4200000001:100',
    json: (_r, e) => jsonStringOrNull(e?.rd),
    text: (_r, e) => strText(e?.rd),
    jsonTo: (w, _r, e) => B.jsonStrOrNull(w, e?.rd),
    textTo: (w, _r, e) => B.strOrEmpty(w, e?.rd),
  }),
  def({
    name: 'labels',
    scope: 'elem',
    perElem: true,
    doc: 'MPLS label stack, 20-bit values, top first (labeled, VPN, EVPN); line output: space-separated',
    json: (_r, e) => (e?.labels == null ? N : jsonNumberArray(e.labels)),
    text: (_r, e) => e?.labels?.join(' ') ?? '',
    jsonTo: (w, _r, e) => (e?.labels == null ? w.lit(NULL_BYTES) : B.jsonNumArray(w, e.labels)),
  }),
  def({
    name: 'next_hop',
    perElem: true,
    doc: "elem: the announcement's family next hop (null on W); msg: the NEXT_HOP attribute",
    json: (r, e) => jsonStringOrNull(e !== null ? e.next_hop : updW(r)?.next_hop),
    text: (r, e) => strText(e !== null ? e.next_hop : updW(r)?.next_hop),
    jsonTo: (w, r, e) => B.jsonStrOrNull(w, e !== null ? e.next_hop : updW(r)?.next_hop),
    textTo: (w, r, e) => B.strOrEmpty(w, e !== null ? e.next_hop : updW(r)?.next_hop),
  }),
  def({
    name: 'next_hop_ll',
    scope: 'elem',
    perElem: true,
    doc: 'IPv6 link-local next hop (RFC 2545)',
    json: (_r, e) => jsonStringOrNull(e?.next_hop_ll),
    text: (_r, e) => strText(e?.next_hop_ll),
    jsonTo: (w, _r, e) => B.jsonStrOrNull(w, e?.next_hop_ll),
    textTo: (w, _r, e) => B.strOrEmpty(w, e?.next_hop_ll),
  }),
  def({
    name: 'nlri',
    scope: 'elem',
    perElem: true,
    kind: 'json',
    doc: 'structured NLRI entry (flowspec, EVPN, RTC, MVPN, MDT, VPLS, BGP-LS, raw): {kind, ...}; null for IP prefixes',
    json: (_r, e) => (e?.nlri == null ? N : jsonAny(e.nlri)),
    text: (_r, e) => (e?.nlri == null ? '' : jsonAny(e.nlri)),
    jsonTo: (w, _r, e) => (e?.nlri == null ? w.lit(NULL_BYTES) : w.str(jsonAny(e.nlri))),
  }),

  // ---- UPDATE
  def({
    name: 'withdrawals',
    doc: 'every withdrawn prefix (classic and MP_UNREACH)',
    json: (r) => {
      const m = updP(r);
      return m === null ? N : jsonStringArray(withdrawnPrefixes(m));
    },
    text: (r) => {
      const m = updP(r);
      return m === null ? '' : withdrawnPrefixes(m).join(' ');
    },
    jsonTo: (w, r) => {
      const m = updW(r);
      if (m === null) w.lit(NULL_BYTES);
      else if (m.withdrawals.length === 0) B.jsonStrArray(w, NO_PREFIXES);
      else if (m.withdrawals.length === 1) familyPrefixes(w, r, m.withdrawals[0]!, true, false);
      else B.jsonStrArray(w, withdrawnPrefixes(updP(r)!));
    },
    textTo: (w, r) => {
      const m = updW(r);
      let any = false;
      if (m !== null) for (let i = 0; i < m.withdrawals.length; i++) any = familyPrefixes(w, r, m.withdrawals[i]!, false, any) || any;
    },
  }),
  def({
    name: 'withdrawal_path_ids',
    doc: 'path ids parallel to withdrawals, null unless ADD-PATH (line output: - for a prefix without one)',
    json: (r) => {
      const ids = withdrawnPathIds(r);
      return ids === null ? N : jsonNumberArray(ids);
    },
    jsonTo: (w, r) => {
      const ids = withdrawnPathIds(r);
      if (ids === null) w.lit(NULL_BYTES);
      else B.jsonNumArray(w, ids);
    },
    text: (r) => {
      const ids = withdrawnPathIds(r);
      return ids === null ? '' : ids.map((x) => (x === null ? '-' : String(x))).join(' ');
    },
  }),
  {
    ...jsonField(
      'withdrawal_families',
      'withdrawn routes by family, like announcements: [{prefixes, path_ids, route_distinguishers, labels, nlri (each only when the family has it), afi, safi}]',
      (r) => {
        const m = updP(r);
        return m === null ? N : withdrawalFamiliesJson(m);
      },
    ),
    jsonTo: (w, r) => {
      const m = updW(r);
      if (m === null) return w.lit(NULL_BYTES);
      w.byte(0x5b);
      for (let i = 0; i < m.withdrawals.length; i++) {
        const f = m.withdrawals[i]!;
        w.lit(i > 0 ? NEXT_PREFIXES : PREFIXES);
        familyPrefixes(w, r, f, true, false);
        familyParts(w, f);
        w.lit(AFI);
        w.num(f.afi);
        w.lit(SAFI);
        w.num(f.safi);
        w.byte(0x7d);
      }
      w.byte(0x5d);
    },
  },
  def({
    name: 'announcements',
    doc: 'announced families: [{next_hop, next_hop_ll, prefixes, path_ids, route_distinguishers, labels, nlri (each only when the family has it), afi, safi}]; line output: the prefixes',
    json: (r) => {
      const m = updP(r);
      return m === null ? N : announcementsJson(m);
    },
    text: (r) => {
      const m = updP(r);
      return m === null ? '' : announcedPrefixes(m).join(' ');
    },
    jsonTo: (w, r) => {
      const m = updW(r);
      if (m === null) return w.lit(NULL_BYTES);
      w.byte(0x5b);
      for (let i = 0; i < m.announcements.length; i++) {
        const a = m.announcements[i]!;
        w.lit(i > 0 ? NEXT_NEXT_HOP : NEXT_HOP);
        B.jsonStrOrNull(w, a.next_hop);
        w.lit(NEXT_HOP_LL);
        B.jsonStrOrNull(w, a.next_hop_ll);
        w.lit(A_PREFIXES);
        familyPrefixes(w, r, a, true, false);
        familyParts(w, a);
        w.lit(AFI);
        w.num(a.afi);
        w.lit(SAFI);
        w.num(a.safi);
        w.byte(0x7d);
      }
      w.byte(0x5d);
    },
    textTo: (w, r) => {
      const m = updW(r);
      let any = false;
      if (m !== null) for (let i = 0; i < m.announcements.length; i++) any = familyPrefixes(w, r, m.announcements[i]!, false, any) || any;
    },
  }),
  def({
    name: 'as_path',
    doc: 'AS path, AS_SET as a nested array; line output: 65001 65002 {65003,65004}',
    json: (r, e) => {
      const p = attrs(r, e)?.as_path;
      return p == null ? N : asPathJson(p);
    },
    text: (r, e) => {
      const p = attrs(r, e)?.as_path;
      return p == null ? '' : asPathText(p);
    },
    jsonTo: (w, r, e) => {
      const z = wireOf(r, e, 2);
      if (z !== null) return B.asPathWire(w, z.wire, z.wireStart(2), z.wireEnd(2), true);
      const p = attrsW(r, e)?.as_path;
      if (p == null) w.lit(NULL_BYTES);
      else B.asPathJson(w, p);
    },
    textTo: (w, r, e) => {
      const z = wireOf(r, e, 2);
      if (z !== null) return B.asPathWire(w, z.wire, z.wireStart(2), z.wireEnd(2), false);
      const p = attrsW(r, e)?.as_path;
      if (p != null) B.asPathText(w, p);
    },
  }),
  def({
    name: 'origin',
    doc: 'IGP, EGP or INCOMPLETE',
    json: (r, e) => jsonStringOrNull(attrsW(r, e)?.origin),
    text: (r, e) => strText(attrsW(r, e)?.origin),
    jsonTo: (w, r, e) => B.jsonStrOrNull(w, attrsW(r, e)?.origin),
    textTo: (w, r, e) => B.strOrEmpty(w, attrsW(r, e)?.origin),
  }),
  def({
    name: 'origin_asns',
    doc: 'last ASN of the path, or the members of the set that ends it',
    json: (r, e) => {
      const o = originAsns(attrs(r, e)?.as_path ?? null);
      return o === null ? N : jsonNumberArray(o);
    },
    text: (r, e) => {
      const o = originAsns(attrs(r, e)?.as_path ?? null);
      return o === null ? '' : o.join(' ');
    },
    jsonTo: (w, r, e) => {
      const o = originAsns(attrs(r, e)?.as_path ?? null);
      if (o === null) w.lit(NULL_BYTES);
      else B.jsonNumArray(w, o);
    },
  }),
  def({
    name: 'med',
    doc: 'MULTI_EXIT_DISC',
    json: (r, e) => jsonNumberOrNull(attrsW(r, e)?.med),
    text: (r, e) => numOrEmpty(attrsW(r, e)?.med),
    jsonTo: (w, r, e) => B.jsonNumOrNull(w, attrsW(r, e)?.med),
    textTo: (w, r, e) => B.numOrEmpty(w, attrsW(r, e)?.med),
  }),
  def({
    name: 'local_pref',
    doc: 'LOCAL_PREF',
    json: (r, e) => jsonNumberOrNull(attrsW(r, e)?.local_pref),
    text: (r, e) => numOrEmpty(attrsW(r, e)?.local_pref),
    jsonTo: (w, r, e) => B.jsonNumOrNull(w, attrsW(r, e)?.local_pref),
    textTo: (w, r, e) => B.numOrEmpty(w, attrsW(r, e)?.local_pref),
  }),
  def({
    name: 'atomic_aggregate',
    doc: 'ATOMIC_AGGREGATE present (true/false; null on W)',
    json: (r, e) => {
      const m = attrsW(r, e);
      return m === null ? N : m.atomic_aggregate ? 'true' : 'false';
    },
    text: (r, e) => {
      const m = attrsW(r, e);
      return m === null ? '' : m.atomic_aggregate ? 'true' : 'false';
    },
    jsonTo: (w, r, e) => {
      const m = attrsW(r, e);
      w.lit(m === null ? NULL_BYTES : m.atomic_aggregate ? TRUE : FALSE);
    },
    textTo: (w, r, e) => {
      const m = attrsW(r, e);
      if (m !== null) w.lit(m.atomic_aggregate ? TRUE : FALSE);
    },
  }),
  def({
    name: 'aggregator_asn',
    doc: 'AGGREGATOR ASN',
    json: (r, e) => jsonNumberOrNull(attrsW(r, e)?.aggregator_asn),
    text: (r, e) => numOrEmpty(attrsW(r, e)?.aggregator_asn),
    jsonTo: (w, r, e) => B.jsonNumOrNull(w, attrsW(r, e)?.aggregator_asn),
    textTo: (w, r, e) => B.numOrEmpty(w, attrsW(r, e)?.aggregator_asn),
  }),
  def({
    name: 'aggregator_ip',
    doc: 'AGGREGATOR address',
    json: (r, e) => jsonStringOrNull(attrsW(r, e)?.aggregator_ip),
    text: (r, e) => strText(attrsW(r, e)?.aggregator_ip),
    jsonTo: (w, r, e) => B.jsonStrOrNull(w, attrsW(r, e)?.aggregator_ip),
    textTo: (w, r, e) => B.strOrEmpty(w, attrsW(r, e)?.aggregator_ip),
  }),
  def({
    name: 'communities',
    doc: 'RFC 1997 communities as asn:value, numeric (the human output adds well-known names: 65535:666(BLACKHOLE))',
    json: (r, e) => {
      const c = attrs(r, e)?.communities;
      return c == null ? N : jsonStringArray(c);
    },
    text: (r, e) => attrs(r, e)?.communities?.join(' ') ?? '',
    ...communityWriters(8, (m) => m.communities),
  }),
  def({
    name: 'large_communities',
    doc: 'RFC 8092 large communities as a:b:c',
    json: (r, e) => {
      const c = attrs(r, e)?.large_communities;
      return c == null ? N : jsonStringArray(c);
    },
    text: (r, e) => attrs(r, e)?.large_communities?.join(' ') ?? '',
    ...communityWriters(32, (m) => m.large_communities),
  }),
  def({
    name: 'originator_id',
    doc: 'ORIGINATOR_ID (RFC 4456)',
    json: (r, e) => jsonStringOrNull(attrsW(r, e)?.originator_id),
    text: (r, e) => strText(attrsW(r, e)?.originator_id),
    jsonTo: (w, r, e) => B.jsonStrOrNull(w, attrsW(r, e)?.originator_id),
  }),
  def({
    name: 'cluster_list',
    doc: 'CLUSTER_LIST (RFC 4456), cluster ids most recent first',
    json: (r, e) => stringsOrNull(attrsW(r, e)?.cluster_list),
    text: (r, e) => attrsW(r, e)?.cluster_list?.join(' ') ?? '',
    jsonTo: (w, r, e) => B.jsonStrArrayOrNull(w, attrsW(r, e)?.cluster_list),
  }),
  def({
    name: 'ext_communities',
    doc: 'RFC 4360 extended communities as rt:65001:100, soo:192.0.2.1:7, link-bandwidth:65001:125000, ... (forms: src/bgp/attributes/README.md)',
    json: (r, e) => stringsOrNull(attrsW(r, e)?.ext_communities),
    text: (r, e) => attrsW(r, e)?.ext_communities?.join(' ') ?? '',
    jsonTo: (w, r, e) => B.jsonStrArrayOrNull(w, attrsW(r, e)?.ext_communities),
  }),
  def({
    name: 'ipv6_ext_communities',
    doc: 'RFC 5701 IPv6 address specific extended communities as rt:2001:db8::1:100',
    json: (r, e) => stringsOrNull(attrsW(r, e)?.ipv6_ext_communities),
    text: (r, e) => attrsW(r, e)?.ipv6_ext_communities?.join(' ') ?? '',
    jsonTo: (w, r, e) => B.jsonStrArrayOrNull(w, attrsW(r, e)?.ipv6_ext_communities),
  }),
  def({
    name: 'aigp',
    doc: 'AIGP accumulated IGP metric (RFC 7311)',
    json: (r, e) => aigpJson(attrsW(r, e)?.aigp),
    text: (r, e) => {
      const v = attrsW(r, e)?.aigp;
      return v == null ? '' : String(v);
    },
  }),
  def({ name: 'otc', doc: 'ONLY_TO_CUSTOMER ASN (RFC 9234)', json: (r, e) => jsonNumberOrNull(attrsW(r, e)?.otc), text: (r, e) => numOrEmpty(attrsW(r, e)?.otc) }),
  jsonField('pmsi_tunnel', 'PMSI_TUNNEL (RFC 6514): {flags, leaf_info_required, tunnel_type, tunnel_type_name, label, label_raw, tunnel_id}', (r, e) => {
    const m = attrsW(r, e);
    return m === null ? N : pmsiTunnelJson(m.pmsi_tunnel);
  }),
  jsonField('prefix_sid', 'BGP Prefix-SID (RFC 8669, RFC 9252): {label_index, srgb, srv6_l3_service, srv6_l2_service, other_tlvs}', (r, e) => {
    const m = attrsW(r, e);
    return m === null ? N : prefixSidJson(m.prefix_sid);
  }),
  jsonField('attr_set', "ATTR_SET (RFC 6368): {origin_as, the nested set's attribute keys, other_attributes}", (r, e) => {
    const m = attrsW(r, e);
    return m === null ? N : attrSetJson(m.attr_set);
  }),
  def({
    name: 'bgpsec_path',
    doc: 'BGPsec_PATH (RFC 8205) in hex, not verified',
    json: (r, e) => jsonStringOrNull(attrsW(r, e)?.bgpsec_path),
    text: (r, e) => strText(attrsW(r, e)?.bgpsec_path),
    jsonTo: (w, r, e) => B.jsonStrOrNull(w, attrsW(r, e)?.bgpsec_path),
  }),
  def({
    name: 'end_of_rib',
    doc: 'End-of-RIB marker (RFC 4724 §2): [[afi, safi]]; line output: afi/safi',
    json: (r) => endOfRibJson(updW(r)),
    jsonTo: (w, r) => {
      const m = updW(r);
      if (m === null || m.end_of_rib === null) w.lit(NULL_BYTES);
      else w.str(endOfRibJson(m));
    },
    text: (r) => updW(r)?.end_of_rib?.map(([a, s]) => `${a}/${s}`).join(' ') ?? '',
  }),
  listField((r, e) => attrsW(r, e)?.other_attributes, 'other_attributes', 'attributes not decoded: [{code, flags, hex}]', (r, e) => {
    const m = attrsW(r, e);
    if (m === null) return N;
    let s = '[';
    for (let i = 0; i < m.other_attributes.length; i++) {
      const a = m.other_attributes[i]!;
      s += `${i > 0 ? ',' : ''}{"code":${a.code},"flags":${a.flags},"hex":${jsonString(a.hex)}}`;
    }
    return s + ']';
  }),
  listField((r) => updW(r)?.warnings, 'warnings', 'RFC 7606-style problems the message survived: [{code, message, offset, action, attr_code, hex}]', (r) => {
    const m = updW(r);
    return m === null ? N : warningsJson(m.warnings);
  }),

  // ---- other message types
  jsonField('open', 'OPEN: {version, my_as, asn, hold_time, bgp_id, capabilities: [{code, name, value, hex}], other_params, extended_opt_params}', openJson),
  jsonField(
    'notification',
    'NOTIFICATION: {code, subcode, code_name, subcode_name, shutdown_message, hard_reset, max_prefixes, unsupported_capabilities, data}',
    notificationJson,
  ),
  jsonField('route_refresh', 'ROUTE-REFRESH: {afi, safi, subtype, subtype_name, orf, data}', routeRefreshJson),
  jsonField('inferred', 'what was inferred because the OPENs were not captured: {as4?, add_path?}', (r) =>
    r.kind === 'message' && r.inferred !== null ? jsonAny(r.inferred) : N,
  ),
  jsonField('error', 'why the message is malformed: {code, message, offset}', errorJson),
  def({
    name: 'raw',
    doc: 'the whole message in hex (jsonl: on records with an error, on every message and elem record with --raw)',
    json: (r) => (r.kind === 'message' ? `"${hex(r.raw)}"` : N),
    text: (r) => (r.kind === 'message' ? hex(r.raw) : ''),
  }),

  // ---- events
  def({ name: 'event', doc: 'gap, truncated_frame, ip_fragment, reset, ...', json: (r) => (r.kind === 'event' ? jsonString(r.event) : N), text: (r) => (r.kind === 'event' ? r.event : ''), kind: 'free' }),
  def({
    name: 'bytes_skipped',
    doc: 'stream bytes skipped or lost',
    json: (r) => (r.kind === 'event' ? jsonNumberOrNull(r.bytes_skipped) : N),
    text: (r) => (r.kind === 'event' ? numOrEmpty(r.bytes_skipped) : ''),
  }),
  def({
    name: 'message',
    kind: 'free',
    doc: 'what happened, in words',
    json: (r) => (r.kind === 'event' ? jsonString(r.message) : N),
    text: (r) => (r.kind === 'event' ? r.message : ''),
  }),

  // ---- summary
  def({
    name: 'info',
    kind: 'free',
    doc: "one-line summary like tshark's Info column: OPEN parameters, NOTIFICATION names, End-of-RIB, warnings, error, event",
    json: (r) => jsonString(infoText(r)),
    text: (r) => infoText(r),
    // An UPDATE without End-of-RIB, warnings or error (nearly every record) has no info: written without
    // building the parts (infoText).
    textTo: (w, r, _e, clean) => {
      if (r.kind === 'message' && r.error === null && r.msg !== null && r.msg.kind === 'update') {
        const m = updW(r)!;
        if (m.end_of_rib === null && m.warnings.length === 0) return;
      }
      const t = infoText(r);
      w.str(clean === null ? t : clean(t));
    },
  }),
]);

export const FIELD_BY_NAME: ReadonlyMap<string, FieldDef> = new Map(FIELDS.map((f) => [f.name, f]));

/** Names valid at a level, in documentation order. */
export function fieldNames(level: Level): string[] {
  return FIELDS.filter((f) => level === 'elem' || f.scope === 'both').map((f) => f.name);
}

/** Look the names up; an unknown or misplaced name is a UsageError that lists the valid names. */
export function resolveFields(names: readonly string[], level: Level): FieldDef[] {
  if (names.length === 0) throw new UsageError(`--fields is empty; valid fields: ${fieldNames(level).join(',')}`);
  // Unknown names first: they are the likelier typo, and the message should name them whatever their position.
  const unknown = names.filter((n) => !FIELD_BY_NAME.has(n));
  if (unknown.length > 0) {
    const what = unknown.length === 1 ? `unknown field '${unknown[0]}'` : `unknown fields ${unknown.map((n) => `'${n}'`).join(', ')}`;
    throw new UsageError(`${what}; valid fields: ${fieldNames(level).join(',')}`);
  }
  const defs = names.map((n) => FIELD_BY_NAME.get(n)!);
  const misplaced = defs.filter((f) => f.scope === 'elem' && level !== 'elem').map((f) => f.name);
  if (misplaced.length > 0) {
    throw new UsageError(
      `field${misplaced.length > 1 ? 's' : ''} ${misplaced.join(',')} need${misplaced.length > 1 ? '' : 's'} --level elem; valid fields for --level msg: ${fieldNames('msg').join(',')}`,
    );
  }
  return defs;
}

// ---------------------------------------------------------------------------------------------- default layouts

/** Default --fields of line output (bgpkit psv-like at elem level). */
export const DEFAULT_LINE_FIELDS: Readonly<Record<Level, readonly string[]>> = {
  elem: [
    'type', 'timestamp', 'peer_ip', 'peer_asn', 'prefix', 'as_path', 'origin', 'next_hop', 'local_pref', 'med',
    'communities', 'large_communities', 'atomic_aggregate', 'aggregator_asn', 'aggregator_ip',
  ],
  msg: [
    'msg_type', 'timestamp', 'peer_ip', 'peer_asn', 'local_ip', 'local_asn', 'length', 'withdrawals', 'announcements',
    'next_hop', 'as_path', 'origin', 'local_pref', 'med', 'communities', 'large_communities', 'info',
  ],
};

/** Key order of jsonl records (after `v`); see schema/record.schema.json. */
export const JSON_KEYS = {
  common: ['timestamp', 'frame', 'file', 'iface', 'mux', 'peer_ip', 'peer_asn', 'local_ip', 'local_asn', 'src_port', 'dst_port'],
  /** Message records: common, then msg_type and length, then the keys of the decoded type, inferred, and error + raw only when malformed. */
  message: ['msg_type', 'length'],
  update: [
    'withdrawals', 'withdrawal_path_ids', 'withdrawal_families', 'announcements', 'as_path', 'origin', 'next_hop', 'med', 'local_pref',
    'atomic_aggregate', 'aggregator_asn', 'aggregator_ip', 'communities', 'large_communities', 'originator_id',
    'cluster_list', 'ext_communities', 'ipv6_ext_communities', 'aigp', 'otc', 'pmsi_tunnel', 'prefix_sid', 'attr_set',
    'bgpsec_path', 'end_of_rib', 'other_attributes', 'warnings',
  ],
  open: ['open'],
  notification: ['notification'],
  route_refresh: ['route_refresh'],
  keepalive: [] as string[],
  tail: ['inferred'],
  error: ['error', 'raw'],
  elem: [
    'msg_type', 'length', 'type', 'prefix', 'path_id', 'afi', 'safi', 'rd', 'labels', 'next_hop', 'next_hop_ll', 'nlri', 'as_path', 'origin',
    'origin_asns', 'med', 'local_pref', 'communities', 'large_communities', 'atomic_aggregate', 'aggregator_asn',
    'aggregator_ip', 'originator_id', 'cluster_list', 'ext_communities', 'ipv6_ext_communities', 'aigp', 'otc',
    'pmsi_tunnel', 'prefix_sid', 'attr_set',
  ],
  event: ['event', 'bytes_skipped', 'message'],
} as const;

/**
 * Fields that read nothing of an UPDATE but the prefix being written (the elem cursor) and the record header.
 * A writer whose fields are all here does not need the UPDATE decoded in full (bgp/update-lazy.ts); any
 * other field makes it decode the whole message once, before the prefixes are visited. (A field missing here
 * is only slower, never wrong: every UPDATE field decodes on access.)
 */
export const PREFIX_LEVEL_FIELDS: ReadonlySet<string> = new Set([
  'timestamp', 'frame', 'file', 'iface', 'mux', 'peer_ip', 'peer_asn', 'local_ip', 'local_asn', 'src_port', 'dst_port',
  'msg_type', 'length', 'type', 'prefix', 'path_id', 'afi', 'safi', 'rd', 'labels', 'next_hop_ll', 'nlri', 'raw',
  'event', 'bytes_skipped', 'message',
]);

/** True when writing `fields` reads UPDATE fields beyond the prefixes (see PREFIX_LEVEL_FIELDS). */
export function needsFullDecode(fields: readonly FieldDef[]): boolean {
  return fields.some((f) => !PREFIX_LEVEL_FIELDS.has(f.name));
}

export function fieldsByName(names: readonly string[]): FieldDef[] {
  return names.map((n) => {
    const f = FIELD_BY_NAME.get(n);
    if (f === undefined) throw new Error(`bgpcap: no output field '${n}'`);
    return f;
  });
}
