// JSON records back into BgpRecords, so records read from Kafka go through the same sinks and stage-2
// filters as records decoded from a capture.
//
// The JSON keys are the model's field names (src/bgp/model.ts: "sinks can copy them without a mapping
// table"), so most of an UPDATE is copied key by key, and attributes added to the model later come along
// without a change here. What the JSON does not carry is rebuilt:
//
//   msg_type         the name ("UPDATE", "MSG_7") back to the code
//   withdrawals      from withdrawal_families (or, for records without it, the flat prefix list by family)
//   as_path_segments from as_path: runs of ASNs as AS_SEQUENCE, nested arrays as AS_SET (confederation
//                    segments are not told apart in JSON)
//   attr_codes       the codes of the attributes present, in code order (the wire order is not in JSON)
//   data_hex         NOTIFICATION / ROUTE-REFRESH `data`
//   raw              the message bytes when the record carries `raw` (malformed messages, or --raw), else empty
//   timestamp        read from the JSON text itself when given, so nanosecond digits survive (a double does not
//                    hold 19 digits)
//
// An elem record (--level elem) comes back as an UPDATE carrying its one prefix: written at elem level it
// gives the same elem again; at message level, a one-prefix UPDATE.

import { MSG_TYPE_NAMES, type Announcement, type AsPathSegment, type DecodedMessage, type UpdateMessage, type Withdrawal } from '../bgp/model.js';
import type { BgpRecord, EventRecord, MessageRecord } from '../record.js';
import { JSON_KEYS } from '../sink/fields.js';
import type { Timestamp } from '../types.js';

type Json = Record<string, unknown>;

const MSG_CODE = new Map<string, number>(Object.entries(MSG_TYPE_NAMES).map(([k, v]) => [v, Number(k)]));

function isObj(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const arr = <T>(v: unknown): T[] | null => (Array.isArray(v) ? (v as T[]) : null);

/** "1700000000.123456789" (or a number) → {sec, nsec}; null when it is neither. */
export function parseTimestamp(v: unknown, text?: string): Timestamp | null {
  if (text !== undefined) {
    const m = /^(-?\d+)(?:\.(\d{1,9}))?$/.exec(text);
    if (m !== null) return { sec: Number(m[1]), nsec: m[2] === undefined ? 0 : Number(m[2].padEnd(9, '0')) };
  }
  if (typeof v !== 'number' || !Number.isFinite(v)) return null;
  const sec = Math.floor(v);
  return { sec, nsec: Math.min(999_999_999, Math.round((v - sec) * 1e9)) };
}

/** The literal text of `"timestamp":` in a bgpcap JSON line (it comes right after "v"), or undefined. */
export function timestampText(line: string): string | undefined {
  const i = line.indexOf('"timestamp":');
  if (i < 0 || i > 40) return undefined;
  let j = i + 12;
  const s = j;
  while (j < line.length) {
    const c = line.charCodeAt(j);
    if ((c >= 48 && c <= 57) || c === 46 || c === 45) j++;
    else break;
  }
  return j > s ? line.slice(s, j) : undefined;
}

function hexBytes(v: unknown): Uint8Array {
  if (typeof v !== 'string' || v.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(v)) return new Uint8Array(0);
  return new Uint8Array(Buffer.from(v, 'hex'));
}

function msgTypeCode(v: unknown): number | null {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return null;
  const c = MSG_CODE.get(v);
  if (c !== undefined) return c;
  const m = /^MSG_(\d+)$/.exec(v);
  return m === null ? null : Number(m[1]);
}

/** AS path segments from the JSON path: ASN runs are AS_SEQUENCE (2), nested arrays AS_SET (1). */
export function segmentsFromPath(path: unknown): AsPathSegment[] | null {
  const p = arr<unknown>(path);
  if (p === null) return null;
  const out: AsPathSegment[] = [];
  let seq: number[] | null = null;
  for (const x of p) {
    if (typeof x === 'number') {
      if (seq === null) {
        seq = [];
        out.push({ type: 2, asns: seq });
      }
      seq.push(x);
    } else if (Array.isArray(x)) {
      seq = null;
      out.push({ type: 1, asns: x.filter((a): a is number => typeof a === 'number') });
    }
  }
  return out;
}

/** Attribute key → path attribute type code (IANA "BGP Path Attributes"). */
const ATTR_CODE: readonly [string, number][] = [
  ['origin', 1],
  ['as_path', 2],
  ['next_hop', 3],
  ['med', 4],
  ['local_pref', 5],
  ['atomic_aggregate', 6],
  ['aggregator_asn', 7],
  ['communities', 8],
  ['originator_id', 9],
  ['cluster_list', 10],
  ['ext_communities', 16],
  ['pmsi_tunnel', 22],
  ['ipv6_ext_communities', 25],
  ['aigp', 26],
  ['large_communities', 32],
  ['bgpsec_path', 33],
  ['otc', 35],
  ['prefix_sid', 40],
  ['attr_set', 128],
];

/** Keys of an UPDATE that are not copied as they are. */
const SPECIAL = new Set(['withdrawals', 'withdrawal_path_ids', 'withdrawal_families', 'announcements', 'warnings', 'other_attributes', 'atomic_aggregate', 'end_of_rib']);

function family<T extends Withdrawal>(f: Json, extra: Omit<T, keyof Withdrawal>): T {
  const out = {
    afi: num(f['afi']) ?? 0,
    safi: num(f['safi']) ?? 0,
    prefixes: arr<string>(f['prefixes']) ?? [],
    path_ids: arr<number>(f['path_ids']),
    ...extra,
  } as T;
  if (Array.isArray(f['route_distinguishers'])) out.route_distinguishers = f['route_distinguishers'] as (string | null)[];
  if (Array.isArray(f['labels'])) out.labels = f['labels'] as number[][];
  if (Array.isArray(f['nlri'])) out.nlri = f['nlri'] as NonNullable<Withdrawal['nlri']>;
  return out;
}

/** Withdrawals without withdrawal_families: the flat list, IPv4 unicast and IPv6 unicast told apart by text. */
function flatWithdrawals(list: string[], ids: (number | null)[] | null): Withdrawal[] {
  const v4: Withdrawal = { afi: 1, safi: 1, prefixes: [], path_ids: ids === null ? null : [] };
  const v6: Withdrawal = { afi: 2, safi: 1, prefixes: [], path_ids: ids === null ? null : [] };
  list.forEach((p, i) => {
    const w = p.includes(':') ? v6 : v4;
    w.prefixes.push(p);
    w.path_ids?.push(ids?.[i] ?? 0);
  });
  return [v4, v6].filter((w) => w.prefixes.length > 0);
}

/** An UPDATE (or an ATTR_SET's nested attributes) from its JSON keys. */
function updateFrom(o: Json): UpdateMessage {
  const m: Json = { kind: 'update' };
  for (const k of JSON_KEYS.update) if (!SPECIAL.has(k)) m[k] = o[k] ?? null;
  const fams = arr<Json>(o['withdrawal_families']);
  m['withdrawals'] =
    fams !== null
      ? fams.filter(isObj).map((f) => family<Withdrawal>(f, {}))
      : flatWithdrawals(arr<string>(o['withdrawals']) ?? [], arr<number | null>(o['withdrawal_path_ids']));
  m['announcements'] = (arr<Json>(o['announcements']) ?? []).filter(isObj).map((a) =>
    family<Announcement>(a, { next_hop: str(a['next_hop']), next_hop_ll: str(a['next_hop_ll']) } as Omit<Announcement, keyof Withdrawal>),
  );
  m['atomic_aggregate'] = o['atomic_aggregate'] === true;
  m['warnings'] = arr(o['warnings']) ?? [];
  m['other_attributes'] = arr(o['other_attributes']) ?? [];
  m['end_of_rib'] = arr(o['end_of_rib']);
  m['as_path_segments'] = segmentsFromPath(o['as_path']);
  if (isObj(o['attr_set'])) {
    const a = o['attr_set'];
    m['attr_set'] = { origin_as: num(a['origin_as']) ?? 0, attributes: updateFrom(a) };
  }
  const codes: number[] = [];
  for (const [k, c] of ATTR_CODE) {
    const v = m[k];
    if (v !== null && v !== undefined && v !== false) codes.push(c);
  }
  const ws = m['withdrawals'] as Withdrawal[];
  const as = m['announcements'] as Announcement[];
  if (as.some((a) => !(a.afi === 1 && a.safi === 1))) codes.push(14);
  if (ws.some((w) => !(w.afi === 1 && w.safi === 1))) codes.push(15);
  for (const a of m['other_attributes'] as { code?: unknown }[]) if (typeof a.code === 'number') codes.push(a.code);
  m['attr_codes'] = [...new Set(codes)].sort((x, y) => x - y);
  return m as unknown as UpdateMessage;
}

/** An elem record as an UPDATE with its one prefix (attributes only on an announcement). */
function updateFromElem(o: Json): UpdateMessage {
  const announced = o['type'] === 'A';
  const f: Json = {
    afi: o['afi'],
    safi: o['safi'],
    prefixes: typeof o['prefix'] === 'string' ? [o['prefix']] : [],
    path_ids: typeof o['path_id'] === 'number' ? [o['path_id']] : null,
  };
  if (o['rd'] !== null && o['rd'] !== undefined) f['route_distinguishers'] = [o['rd']];
  if (Array.isArray(o['labels'])) f['labels'] = [o['labels']];
  if (o['nlri'] !== null && o['nlri'] !== undefined) f['nlri'] = [o['nlri']];
  const body: Json = announced ? { ...o } : {};
  if (announced) {
    body['announcements'] = [{ ...f, next_hop: o['next_hop'] ?? null, next_hop_ll: o['next_hop_ll'] ?? null }];
    body['withdrawal_families'] = [];
    // The classic NEXT_HOP attribute goes with IPv4 unicast NLRI (RFC 4271 §5.1.3); other families carry theirs in MP_REACH.
    body['next_hop'] = o['afi'] === 1 && o['safi'] === 1 ? (o['next_hop'] ?? null) : null;
  } else {
    body['withdrawal_families'] = [f];
    body['announcements'] = [];
  }
  return updateFrom(body);
}

function decoded(o: Json, type: number, error: unknown): DecodedMessage | null {
  switch (type) {
    case 2:
      if ('prefix' in o && (o['type'] === 'A' || o['type'] === 'W')) return updateFromElem(o);
      return 'announcements' in o || 'withdrawal_families' in o || 'withdrawals' in o ? updateFrom(o) : null;
    case 1:
      return isObj(o['open']) ? ({ kind: 'open', ...o['open'] } as DecodedMessage) : null;
    case 3: {
      const n = o['notification'];
      if (!isObj(n)) return null;
      const { data, hard_reset, ...rest } = n;
      const h = isObj(hard_reset) ? (({ data: hd, ...hr }) => ({ ...hr, data_hex: str(hd) ?? '' }))(hard_reset) : null;
      return { kind: 'notification', ...rest, hard_reset: h, data_hex: str(data) ?? '' } as DecodedMessage;
    }
    case 5: {
      const rr = o['route_refresh'];
      if (!isObj(rr)) return null;
      const { data, ...rest } = rr;
      return { kind: 'route_refresh', ...rest, data_hex: str(data) ?? '' } as DecodedMessage;
    }
    case 4:
      return error === null || error === undefined ? { kind: 'keepalive' } : null;
    default:
      return null;
  }
}

export type FromJson = { record: BgpRecord } | { problem: string };

/**
 * A parsed bgpcap JSON record → BgpRecord. `line` is the JSON text, for the exact timestamp. The schema
 * version is the caller's business (consumer.ts checks it first).
 */
export function recordFromJson(o: unknown, line?: string): FromJson {
  if (!isObj(o)) return { problem: 'not a JSON object' };
  const ts = parseTimestamp(o['timestamp'], line === undefined ? undefined : timestampText(line));
  if (ts === null) return { problem: 'no timestamp' };
  const base = {
    ts,
    frame: num(o['frame']) ?? 0,
    file: str(o['file']),
    iface: str(o['iface']),
    mux: str(o['mux']),
    peer_ip: str(o['peer_ip']),
    peer_asn: num(o['peer_asn']),
    local_ip: str(o['local_ip']),
    local_asn: num(o['local_asn']),
    src_port: num(o['src_port']),
    dst_port: num(o['dst_port']),
  };
  if (typeof o['event'] === 'string') {
    const ev: EventRecord = { ...base, kind: 'event', event: o['event'], bytes_skipped: num(o['bytes_skipped']), message: str(o['message']) ?? '' };
    return { record: ev };
  }
  const type = msgTypeCode(o['msg_type']);
  if (type === null) return { problem: 'neither msg_type nor event' };
  const error = isObj(o['error']) ? (o['error'] as unknown as MessageRecord['error']) : null;
  const rec: MessageRecord = {
    ...base,
    kind: 'message',
    msg_type: type,
    length: num(o['length']) ?? 0,
    msg: decoded(o, type, error),
    error,
    raw: hexBytes(o['raw']),
    inferred: isObj(o['inferred']) ? (o['inferred'] as MessageRecord['inferred']) : null,
  };
  return { record: rec };
}

/** The level a JSON record was written at: elem records carry `type` A/W and `prefix`. */
export function jsonLevel(o: Json): 'msg' | 'elem' {
  return (o['type'] === 'A' || o['type'] === 'W') && 'prefix' in o ? 'elem' : 'msg';
}
