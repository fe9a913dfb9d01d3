// JSON lines: one object per line, built directly as text (no intermediate object, no JSON.stringify of a
// record). Every object starts with `"v":<SCHEMA_VERSION>` then `"timestamp"`.
//
// Key order (fields.ts JSON_KEYS; schema/record.schema.json describes the same):
//   message: v timestamp frame file iface mux peer_ip peer_asn local_ip local_asn src_port dst_port msg_type
//            length, then by decoded type —
//              UPDATE: withdrawals withdrawal_path_ids withdrawal_families announcements as_path origin
//                      next_hop med local_pref atomic_aggregate aggregator_asn aggregator_ip communities
//                      large_communities originator_id cluster_list ext_communities ipv6_ext_communities aigp
//                      otc pmsi_tunnel prefix_sid attr_set bgpsec_path end_of_rib other_attributes warnings
//                      (each family in announcements / withdrawal_families: next_hop next_hop_ll [announced
//                      only] prefixes, then path_ids route_distinguishers labels nlri where the family has
//                      them, then afi safi)
//              OPEN: open {version my_as asn hold_time bgp_id capabilities other_params extended_opt_params}
//              NOTIFICATION: notification {code subcode code_name subcode_name shutdown_message hard_reset
//                      max_prefixes unsupported_capabilities data}
//              ROUTE-REFRESH: route_refresh {afi safi subtype subtype_name orf data}
//              KEEPALIVE: nothing (nor when the message could not be decoded) —
//            then inferred, then error raw only when the message is malformed (with --raw: raw on every
//            message record, after error when there is one).
//   elem:    v timestamp frame ... dst_port msg_type length type prefix path_id afi safi rd labels next_hop
//            next_hop_ll nlri as_path origin origin_asns med local_pref communities large_communities
//            atomic_aggregate aggregator_asn aggregator_ip originator_id cluster_list ext_communities
//            ipv6_ext_communities aigp otc pmsi_tunnel prefix_sid attr_set (with --raw: then raw, the whole UPDATE)
//   event:   v timestamp frame ... dst_port event bytes_skipped message
//
// With explicit fields, every record carries `v` and exactly those keys in that order (null where a field does
// not apply), `raw` appended with --raw; such output is not covered by the schema's required keys.

import type { DecodedMessage } from '../bgp/model.js';
import { SCHEMA_VERSION, type BgpRecord, type MessageRecord } from '../record.js';
import { newElem } from './elem.js';
import { fieldsByName, JSON_KEYS, needsFullDecode, type FieldDef, type Level } from './fields.js';
import { RowPlan } from './row.js';
import { splittable } from './elem.js';
import { ByteWriter } from './bytes.js';
import { wireCells, type WireRecord } from './wire-fields.js';
import type { Cell } from './row.js';

export interface Formatter {
  /** Text for one record: zero or more complete lines. */
  format(r: BgpRecord): string;
  /**
   * The same text written as UTF-8 into `w` (the jsonl and line writers: no string is built). Optional: a
   * formatter without it is written through format().
   */
  into?(r: BgpRecord, w: ByteWriter): void;
  /**
   * The same for an UPDATE read in place (sink/wire-fields.ts): present when every field of the layout has a
   * writer from the wire.
   */
  wire?(r: WireRecord, w: ByteWriter): void;
  /** Text written once before the first record ('' for none). */
  readonly header: string;
}

/** A formatter from its byte writer: format() writes into a scratch buffer and decodes it. */
export function byteFormatter(header: string, into: (r: BgpRecord, w: ByteWriter) => void): Formatter {
  const scratch = new ByteWriter(1 << 12);
  return {
    header,
    into,
    format(r) {
      scratch.reset();
      into(r, scratch);
      return scratch.text();
    },
  };
}


const HEAD = `{"v":${SCHEMA_VERSION}`;
const TAIL = '}\n';

function cells(fields: readonly FieldDef[]): Cell[] {
  return fields.map((f) => ({
    lead: `,"${f.name}":`,
    emit: f.jsonTo ?? null,
    value: f.jsonTo === undefined ? f.json : null,
    clean: null,
    perElem: f.perElem,
    memo: f.memo === true ? f.name : undefined,
    absent: f.absent === undefined ? undefined : { when: f.absent, text: f.absentJson ?? 'null' },
  }));
}

function plan(fields: readonly FieldDef[]): RowPlan {
  return new RowPlan(cells(fields), HEAD, TAIL);
}

/** The plan of these fields for the fast path (sink/wire-fields.ts), or null when a field has no wire writer. */
function wirePlan(fields: readonly FieldDef[]): RowPlan | null {
  const c = wireCells(fields, cells(fields), true);
  return c === null ? null : new RowPlan(c, HEAD, TAIL, true);
}

/** Formatter.wire for a plan at this level: the whole message, or a row per prefix. */
export function wireWriter(p: RowPlan | null, level: Level): Formatter['wire'] {
  if (p === null) return undefined;
  const e = newElem();
  if (level === 'elem') return (r, w) => p.wireRows(w, r, e);
  const row = p.rowFunction;
  return (r, w) => row(w, r, null);
}

type Kind = DecodedMessage['kind'] | 'none';
const KINDS: readonly Kind[] = ['update', 'open', 'notification', 'route_refresh', 'keepalive', 'none'];

export interface JsonlOptions {
  /** Add `raw` (the message in hex) to every message and elem record, not only to malformed ones. Default false. */
  raw?: boolean;
}

export function jsonlFormatter(level: Level, fields?: readonly FieldDef[], opts: JsonlOptions = {}): Formatter {
  const e = newElem();
  const raw = opts.raw === true;
  if (fields !== undefined) {
    const chosen = fields.filter((f) => f.name !== 'v');
    if (raw && !chosen.some((f) => f.name === 'raw')) chosen.push(...fieldsByName(['raw']));
    const p = plan(chosen);
    const full = needsFullDecode(chosen);
    const f = byteFormatter('', (r, w) => {
      const m = level === 'elem' ? splittable(r, full ? 'partial' : 'getters') : null;
      if (m === null) p.row(w, r, null);
      else p.elemRows(w, r, m, e);
    });
    return withWire(f, wireWriter(wirePlan(chosen), level));
  }
  const k = JSON_KEYS;
  const eventPlan = plan(fieldsByName([...k.common, ...k.event]));
  const elemPlan = plan(fieldsByName(raw ? [...k.common, ...k.elem, 'raw'] : [...k.common, ...k.elem]));
  // One plan per decoded kind, without and with the error keys: [kind][0|1].
  const msgPlans = new Map<Kind, [RowPlan, RowPlan]>();
  for (const kind of KINDS) {
    const body = kind === 'none' ? [] : k[kind];
    const names = [...k.common, ...k.message, ...body, ...k.tail];
    msgPlans.set(kind, [plan(fieldsByName(raw ? [...names, 'raw'] : names)), plan(fieldsByName([...names, ...k.error]))]);
  }
  const none = msgPlans.get('none')!;
  const messagePlan = (r: MessageRecord): RowPlan =>
    (msgPlans.get(r.msg === null ? 'none' : r.msg.kind) ?? none)[r.error === null ? 0 : 1];
  const f = byteFormatter('', (r, w) => {
    if (r.kind === 'event') return eventPlan.row(w, r, null);
    const m = level === 'elem' ? splittable(r, 'partial') : null;
    if (m === null) messagePlan(r).row(w, r, null);
    else elemPlan.elemRows(w, r, m, e);
  });
  // The fast path: UPDATEs without an error, as messagePlan / elemPlan would write them.
  const updateNames = level === 'elem' ? [...k.common, ...k.elem] : [...k.common, ...k.message, ...k.update, ...k.tail];
  return withWire(f, raw ? undefined : wireWriter(wirePlan(fieldsByName(updateNames)), level));
}

/** `f` with the fast path's writer, when there is one. */
export function withWire(f: Formatter, wire: Formatter['wire']): Formatter {
  return wire === undefined ? f : { ...f, wire };
}
