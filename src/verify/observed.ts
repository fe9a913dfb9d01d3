// The observed state: what each mux's tunnel carried, from decoded BGP records (capture files or a live capture).
//
// On a client tap there are two directions (PEERING.md §5 scope note):
//   client → mux   what the client announces: the UPDATEs the checks compare with the intent;
//   mux → client   routes the mux learned from its upstreams, with per-upstream next hops: where a tracked prefix
//                  comes back (through another mux's upstreams), and where a poisoning leak shows.
// Which side is the mux is told by address: the neighbour addresses of the client's BIRD configs, else PEERING's
// addressing plan (`100.{64+N}.128.1`, `2804:269c:ff00:{N:x}:1::1`). A session with neither is counted, not guessed.
//
// Tracked prefixes keep their history in both directions: the intent's prefixes, and every prefix the client itself
// announces (a client announces a handful; up to MAX_CLIENT_PREFIXES), so an announcement made while a live capture
// runs, or one nobody intended, is there to be judged. Everything else a mux streams (its upstreams' full tables) is
// dropped on arrival.

import type { AsPath, UpdateMessage } from '../bgp/model.js';
import type { BgpRecord, EventRecord, MessageRecord } from '../record.js';
import { planMuxId } from './peering-facts.js';

/** The path attributes verify compares, as the decoder gives them. */
type PathAttrs = Pick<UpdateMessage, 'as_path' | 'origin' | 'local_pref' | 'med' | 'communities' | 'large_communities'>;

export interface RouteAttrs extends PathAttrs {
  /** The next hop of the route's family (IPv6: the global address). */
  next_hop: string | null;
  next_hop_ll: string | null;
}

export interface PrefixEvent {
  /** Capture time, epoch seconds. */
  ts: number;
  kind: 'A' | 'W';
  /** IP version of the TCP session that carried it. */
  transport: 4 | 6;
  client_ip: string;
  mux_ip: string;
  afi: number;
  safi: number;
  /** Attributes of an announcement; null for a withdrawal. */
  attrs: RouteAttrs | null;
  /**
   * An announcement in an UPDATE the receiver treats as a withdrawal (RFC 7606 §2, a warning with action
   * treat-as-withdraw): which warning, as text; the event is then `W`. Null otherwise.
   */
  malformed: string | null;
  file: string | null;
  frame: number;
}

export interface SessionObs {
  client_ip: string;
  mux_ip: string;
  transport: 4 | 6;
  first_ts: number;
  last_ts: number;
  messages: number;
  /** When the client's OPEN was seen (the session started inside the capture), else null. */
  client_open_ts: number | null;
  mux_open_ts: number | null;
  client_asn: number | null;
  mux_asn: number | null;
  /** NOTIFICATIONs seen, as text. */
  notifications: string[];
}

export interface MuxObs {
  mux: string;
  ifaces: Set<string>;
  files: Set<string>;
  /** First and last capture time seen for this mux (packets or records), epoch seconds. */
  first_ts: number | null;
  last_ts: number | null;
  sessions: Map<string, SessionObs>;
  /** Tracked prefixes: every announcement and withdrawal the client sent to the mux, in capture order. */
  to_mux: Map<string, PrefixEvent[]>;
  /** Tracked prefixes coming back from the mux. */
  from_mux: Map<string, PrefixEvent[]>;
  /** Withdrawals of untracked prefixes the client sent (BIRD's reconfiguration refeed sends many, PEERING.md §3.5). */
  other_withdrawals: number;
  /** Stream problems and capture events (gap, iface_down, …) by code. */
  events: Map<string, number>;
  /** History lists that hit MAX_EVENTS (the oldest events were dropped). */
  truncated: boolean;
}

/** Per tracked prefix and mux, events kept (the oldest are dropped beyond it). */
export const MAX_EVENTS = 50_000;
/** Prefixes the client announces that are tracked besides the intent's. */
export const MAX_CLIENT_PREFIXES = 10_000;

/** A decoded message, reduced to what verify reads; built from a MessageRecord or a JSON record. */
export interface SeenMessage {
  ts: number;
  file: string | null;
  frame: number;
  iface: string | null;
  mux: string | null;
  src_ip: string | null;
  dst_ip: string | null;
  /** 1 OPEN, 2 UPDATE, 3 NOTIFICATION, 4 KEEPALIVE, 5 ROUTE-REFRESH. */
  type: number;
  update: SeenUpdate | null;
  /** OPEN: the speaker's ASN. */
  asn: number | null;
  /** NOTIFICATION: "code/subcode name". */
  notification: string | null;
}

export interface SeenUpdate extends PathAttrs {
  /** The decoder's warnings (src/bgp/model.ts DecodeWarning): their RFC 7606 action decides treat-as-withdraw. */
  warnings: readonly { code: string; message: string; offset: number; action: string | null }[];
  withdrawals: { afi: number; safi: number; prefixes: string[] }[];
  announcements: { afi: number; safi: number; next_hop: string | null; next_hop_ll: string | null; prefixes: string[] }[];
}

/**
 * RFC 7606 §2: an UPDATE with an error whose approach is treat-as-withdraw has its routes handled as withdrawn by
 * the speaker that receives it (the attribute errors of RFC 7606 §7, an attribute running past the attribute
 * area, §4, missing mandatory attributes, §3(d)). The first such warning as text, else null.
 */
function treatAsWithdraw(u: SeenUpdate): string | null {
  for (const w of u.warnings) {
    if (w.action === 'treat-as-withdraw') return `${w.code} at offset ${w.offset}: ${w.message}`;
  }
  return null;
}

function tsOf(r: { ts: { sec: number; nsec: number } }): number {
  return r.ts.sec + r.ts.nsec / 1e9;
}

/** A pipeline record → SeenMessage (null for event records). */
export function seenFromRecord(r: MessageRecord): SeenMessage {
  const m = r.msg;
  let update: SeenUpdate | null = null;
  let asn: number | null = null;
  let notification: string | null = null;
  if (m !== null && m.kind === 'update') {
    // The UpdateMessage itself (a lazy one decodes the prefixes first, the attributes only when read: most UPDATEs
    // from a mux carry no tracked prefix and are never decoded further).
    update = m;
  } else if (m !== null && m.kind === 'open') {
    asn = m.asn;
  } else if (m !== null && m.kind === 'notification') {
    notification = `${m.code_name}/${m.subcode_name}`;
  }
  return {
    ts: tsOf(r),
    file: r.file,
    frame: r.frame,
    iface: r.iface,
    mux: r.mux,
    src_ip: r.peer_ip,
    dst_ip: r.local_ip,
    type: r.msg_type,
    update,
    asn,
    notification,
  };
}

const TYPE_BY_NAME: Record<string, number> = { OPEN: 1, UPDATE: 2, NOTIFICATION: 3, KEEPALIVE: 4, 'ROUTE-REFRESH': 5 };

type J = Record<string, unknown>;
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);
const strs = (v: unknown): string[] | null => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : null);

/**
 * A `bgpcap … -f jsonl` message record (schema/record.schema.json) → SeenMessage; null for event records and
 * lines that are not message records.
 */
export function seenFromJson(o: J): SeenMessage | null {
  const t = str(o['msg_type']);
  if (t === null) return null;
  const type = TYPE_BY_NAME[t] ?? (t.startsWith('MSG_') ? Number(t.slice(4)) : 0);
  let update: SeenUpdate | null = null;
  let asn: number | null = null;
  let notification: string | null = null;
  if (type === 2 && Array.isArray(o['announcements'])) {
    const fams = (v: unknown): J[] => (Array.isArray(v) ? v.filter((x): x is J => typeof x === 'object' && x !== null) : []);
    update = {
      withdrawals: fams(o['withdrawal_families']).map((w) => ({ afi: num(w['afi']) ?? 0, safi: num(w['safi']) ?? 0, prefixes: strs(w['prefixes']) ?? [] })),
      announcements: fams(o['announcements']).map((a) => ({
        afi: num(a['afi']) ?? 0,
        safi: num(a['safi']) ?? 0,
        next_hop: str(a['next_hop']),
        next_hop_ll: str(a['next_hop_ll']),
        prefixes: strs(a['prefixes']) ?? [],
      })),
      as_path: Array.isArray(o['as_path']) ? (o['as_path'] as AsPath) : null,
      origin: str(o['origin']),
      local_pref: num(o['local_pref']),
      med: num(o['med']),
      communities: strs(o['communities']),
      large_communities: strs(o['large_communities']),
      warnings: fams(o['warnings']).map((w) => ({
        code: str(w['code']) ?? '',
        message: str(w['message']) ?? '',
        offset: num(w['offset']) ?? 0,
        action: str(w['action']),
      })),
    };
  } else if (type === 1 && typeof o['open'] === 'object' && o['open'] !== null) {
    asn = num((o['open'] as J)['asn']);
  } else if (type === 3 && typeof o['notification'] === 'object' && o['notification'] !== null) {
    const n = o['notification'] as J;
    notification = `${str(n['code_name']) ?? n['code']}/${str(n['subcode_name']) ?? n['subcode']}`;
  }
  return {
    ts: num(o['timestamp']) ?? 0,
    file: str(o['file']),
    frame: num(o['frame']) ?? 0,
    iface: str(o['iface']),
    mux: str(o['mux']),
    src_ip: str(o['peer_ip']),
    dst_ip: str(o['local_ip']),
    type,
    update,
    asn,
    notification,
  };
}

/** What is known about the muxes: names by interface and by address (from --peering), for telling sides apart. */
export interface MuxDirectory {
  byIface: ReadonlyMap<string, string>;
  byAddress: ReadonlyMap<string, string>;
  byId: ReadonlyMap<number, string>;
}

export const EMPTY_DIRECTORY: MuxDirectory = { byIface: new Map(), byAddress: new Map(), byId: new Map() };

interface Side {
  mux: string;
  /** The record's mux label and interface this was resolved with. */
  label: string | null;
  iface: string | null;
  /** Filled on first use: the mux's observations and this session's. */
  obs: MuxObs | null;
  session: SessionObs | null;
  /** The file of the last message (undefined before the first). */
  file: string | null | undefined;
  /** The sender is the mux. */
  fromMux: boolean;
  muxIp: string;
  clientIp: string;
}

export class Observer {
  readonly muxes = new Map<string, MuxObs>();
  /** Sessions where neither address is a known mux address: "a ↔ b" → messages. */
  readonly unresolved = new Map<string, number>();
  /** Capture spans per interface or mux label, from packets (merged into MuxObs at finish()). */
  private readonly spans = new Map<string, { first: number; last: number }>();
  private readonly ifaceKeys = new Map<string, string>();
  /** Side of each session, by sender then receiver address (no string built per message). */
  private readonly sides = new Map<string, Map<string, Side | null>>();
  /** Bumped whenever something a verdict depends on arrives (a tracked prefix's event, another prefix's announcement). */
  version = 0;

  /** The intent's prefixes plus those the client announced. */
  private readonly tracked: Set<string>;
  private clientPrefixes = 0;

  constructor(
    intentPrefixes: Iterable<string>,
    private readonly dir: MuxDirectory = EMPTY_DIRECTORY,
  ) {
    this.tracked = new Set(intentPrefixes);
  }

  /** Keep the history of this prefix from now on (an intent re-read during a live capture). */
  track(prefix: string): void {
    this.tracked.add(prefix);
  }

  /** A packet of the capture was seen on `iface` (labelled `mux`) at `ts`: the capture covers that time. */
  packet(iface: string | null, mux: string | null, ts: number): void {
    let key = mux ?? (iface === null ? null : (this.dir.byIface.get(iface) ?? null));
    if (key === null) {
      if (iface === null) return;
      key = this.ifaceKeys.get(iface) ?? null;
      if (key === null) {
        key = `iface:${iface}`;
        this.ifaceKeys.set(iface, key);
      }
    }
    const s = this.spans.get(key);
    if (s === undefined) this.spans.set(key, { first: ts, last: ts });
    else {
      if (ts < s.first) s.first = ts;
      if (ts > s.last) s.last = ts;
    }
  }

  /** A mux that is captured even before any message arrives (live capture on its tap). */
  expect(mux: string, iface: string | null, ts: number): MuxObs {
    const o = this.obs(mux);
    if (iface !== null) o.ifaces.add(iface);
    this.cover(o, ts);
    return o;
  }

  record(r: BgpRecord): void {
    if (r.kind === 'event') this.event(r);
    else this.message(seenFromRecord(r));
  }

  event(r: Pick<EventRecord, 'iface' | 'mux' | 'event' | 'peer_ip' | 'local_ip'>): void {
    const mux = r.mux ?? (r.iface === null ? null : (this.dir.byIface.get(r.iface) ?? null));
    if (mux === null) return;
    const o = this.obs(mux);
    o.events.set(r.event, (o.events.get(r.event) ?? 0) + 1);
  }

  message(m: SeenMessage): void {
    if (m.src_ip === null || m.dst_ip === null) return;
    const side = this.side(m.src_ip, m.dst_ip, m.mux, m.iface);
    if (side === null) {
      const k = `${m.src_ip} ↔ ${m.dst_ip}${m.iface === null ? '' : ` on ${m.iface}`}`;
      this.unresolved.set(k, (this.unresolved.get(k) ?? 0) + 1);
      return;
    }
    const o = side.obs ?? (side.obs = this.obs(side.mux));
    if (side.file !== m.file) {
      side.file = m.file;
      if (m.iface !== null) o.ifaces.add(m.iface);
      if (m.file !== null) o.files.add(m.file);
    }
    this.cover(o, m.ts);
    let s = side.session;
    if (s === null) {
      const sk = `${side.clientIp}|${side.muxIp}`;
      s = o.sessions.get(sk) ?? null;
      if (s === null) {
        s = {
          client_ip: side.clientIp,
          mux_ip: side.muxIp,
          transport: side.muxIp.includes(':') ? 6 : 4,
          first_ts: m.ts,
          last_ts: m.ts,
          messages: 0,
          client_open_ts: null,
          mux_open_ts: null,
          client_asn: null,
          mux_asn: null,
          notifications: [],
        };
        o.sessions.set(sk, s);
      }
      side.session = s;
    }
    s.messages++;
    if (m.ts < s.first_ts) s.first_ts = m.ts;
    if (m.ts > s.last_ts) s.last_ts = m.ts;
    if (m.type === 1) {
      if (side.fromMux) {
        s.mux_open_ts ??= m.ts;
        s.mux_asn = m.asn;
      } else {
        s.client_open_ts ??= m.ts;
        s.client_asn = m.asn;
      }
      return;
    }
    if (m.type === 3 && m.notification !== null) {
      if (s.notifications.length < 100) s.notifications.push(`${side.fromMux ? 'mux' : 'client'} sent ${m.notification}`);
      return;
    }
    const u = m.update;
    if (m.type !== 2 || u === null) return;
    const base = { ts: m.ts, transport: s.transport, client_ip: side.clientIp, mux_ip: side.muxIp, file: m.file, frame: m.frame };
    for (const w of u.withdrawals) {
      for (const p of w.prefixes) {
        const ev: PrefixEvent = { ...base, kind: 'W', afi: w.afi, safi: w.safi, attrs: null, malformed: null };
        if (this.tracked.has(p)) this.push(o, side.fromMux ? o.from_mux : o.to_mux, p, ev);
        else if (!side.fromMux) o.other_withdrawals++;
      }
    }
    // Read when a tracked prefix is announced (the warnings of a lazy UPDATE decode all of it).
    let malformed: string | null | undefined;
    for (const a of u.announcements) {
      let attrs: RouteAttrs | null = null;
      for (const p of a.prefixes) {
        if (!this.tracked.has(p)) {
          if (side.fromMux || this.clientPrefixes >= MAX_CLIENT_PREFIXES) continue;
          this.tracked.add(p);
          this.clientPrefixes++;
        }
        if (malformed === undefined) malformed = treatAsWithdraw(u);
        if (malformed !== null) {
          // The receiving BGP speaker withdraws the route, whatever the attributes say.
          const ev: PrefixEvent = { ...base, kind: 'W', afi: a.afi, safi: a.safi, attrs: null, malformed };
          this.push(o, side.fromMux ? o.from_mux : o.to_mux, p, ev);
          continue;
        }
        attrs ??= {
          as_path: u.as_path,
          origin: u.origin,
          local_pref: u.local_pref,
          med: u.med,
          communities: u.communities,
          large_communities: u.large_communities,
          next_hop: a.next_hop,
          next_hop_ll: a.next_hop_ll,
        };
        const ev: PrefixEvent = { ...base, kind: 'A', afi: a.afi, safi: a.safi, attrs, malformed: null };
        this.push(o, side.fromMux ? o.from_mux : o.to_mux, p, ev);
      }
    }
  }

  /** Merge the packet spans into the muxes; call once after the last input. */
  finish(): void {
    for (const [key, span] of this.spans) {
      let o: MuxObs | undefined;
      if (key.startsWith('iface:')) {
        const iface = key.slice(6);
        o = [...this.muxes.values()].find((x) => x.ifaces.has(iface));
      } else {
        o = this.muxes.get(key) ?? this.obs(key);
      }
      if (o === undefined) continue;
      this.cover(o, span.first);
      this.cover(o, span.last);
    }
  }

  private cover(o: MuxObs, ts: number): void {
    if (o.first_ts === null || ts < o.first_ts) o.first_ts = ts;
    if (o.last_ts === null || ts > o.last_ts) o.last_ts = ts;
  }

  private push(o: MuxObs, map: Map<string, PrefixEvent[]>, prefix: string, ev: PrefixEvent): void {
    let l = map.get(prefix);
    if (l === undefined) {
      l = [];
      map.set(prefix, l);
    }
    this.version++;
    if (l.length >= MAX_EVENTS) {
      l.splice(0, MAX_EVENTS / 10);
      o.truncated = true;
    }
    l.push(ev);
  }

  private obs(mux: string): MuxObs {
    let o = this.muxes.get(mux);
    if (o === undefined) {
      o = {
        mux,
        ifaces: new Set(),
        files: new Set(),
        first_ts: null,
        last_ts: null,
        sessions: new Map(),
        to_mux: new Map(),
        from_mux: new Map(),
        other_withdrawals: 0,
        events: new Map(),
        truncated: false,
      };
      this.muxes.set(mux, o);
    }
    return o;
  }

  private side(src: string, dst: string, label: string | null, iface: string | null): Side | null {
    let bySrc = this.sides.get(src);
    if (bySrc === undefined) {
      bySrc = new Map();
      this.sides.set(src, bySrc);
    }
    const hit = bySrc.get(dst);
    if (hit !== undefined && (hit === null || (hit.label === label && hit.iface === iface))) return hit;
    const side = this.resolve(src, dst, label, iface);
    bySrc.set(dst, side);
    return side;
  }

  private resolve(src: string, dst: string, label: string | null, iface: string | null): Side | null {
    const d = this.dir;
    let fromMux: boolean | null = null;
    if (d.byAddress.has(src)) fromMux = true;
    else if (d.byAddress.has(dst)) fromMux = false;
    else if (planMuxId(src) !== null) fromMux = true;
    else if (planMuxId(dst) !== null) fromMux = false;
    if (fromMux === null) return null;
    const muxIp = fromMux ? src : dst;
    const id = planMuxId(muxIp);
    const mux =
      label ??
      (iface === null ? undefined : d.byIface.get(iface)) ??
      d.byAddress.get(muxIp) ??
      (id === null ? undefined : d.byId.get(id)) ??
      (id === null ? null : `tap${id}`) ??
      iface ??
      muxIp;
    return { mux, fromMux, muxIp, clientIp: fromMux ? dst : src, label, iface, obs: null, session: null, file: undefined };
  }
}

function sigOf(ev: PrefixEvent): string {
  if (ev.kind === 'W') return 'W';
  const a = ev.attrs!;
  return JSON.stringify([a.as_path, a.origin, a.local_pref, a.med, [...(a.communities ?? [])].sort(), [...(a.large_communities ?? [])].sort(), a.next_hop, ev.transport]);
}

/** The moments the state of the prefix towards the mux changed (identical re-sends of a refeed are not changes). */
export function changesOf(events: readonly PrefixEvent[]): PrefixEvent[] {
  const out: PrefixEvent[] = [];
  let last: string | null = null;
  for (const ev of events) {
    const s = sigOf(ev);
    if (s !== last) out.push(ev);
    last = s;
  }
  return out;
}
