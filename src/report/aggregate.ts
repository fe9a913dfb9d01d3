// Records → the report's data model (model.ts). One pass over the records builds sessions, rates, counts and
// the event list; prefix histories are collected either in the same pass (when the prefixes are known up
// front: `historyFor` set at construction) or in a second pass over the same input once the most-changed
// prefixes are known (`selectTop()` then `history()` for every record again).
//
// Memory is bounded by what is shown, not by the input, except for one counter per distinct prefix (to rank
// them): per-second buckets exist only for seconds with UPDATEs, marks and events are capped, and per-prefix
// detail exists only for the selected prefixes.

import { mpFamily } from '../bgp/families.js';
import { msgTypeName, type AsPath, type NotificationMessage, type OpenMessage, type UpdateMessage } from '../bgp/model.js';
import type { BgpRecord, EventRecord, MessageRecord } from '../record.js';
import { newElem, visitElems, type Elem } from '../sink/elem.js';
import type { Timestamp } from '../types.js';
import {
  PEERING_ASNS,
  REPORT_VERSION,
  type Busy,
  type ConnectionInfo,
  type DirCounts,
  type EventRow,
  type GraphEdge,
  type GraphNode,
  type Mark,
  type PathSeen,
  type PrefixHistory,
  type PrefixRank,
  type RateSeries,
  type ReportData,
  type SessionInfo,
  type Speaker,
} from './model.js';
import { pathRoles, poisonedIn, poisonLeaks } from './poison.js';

export interface ReportOptions {
  title: string;
  generator: string;
  inputs: string[];
  filter: string;
  /** Prefix histories when no prefix was chosen. Default 10. */
  top: number;
  /** Events kept per selected prefix (announcements and withdrawals beyond are counted only). Default 2000. */
  historyPerPrefix: number;
  /** Rate points across all series; above it buckets widen (1 s, 2 s, 5 s, ... 1 day). Default 100000. */
  maxPoints: number;
  /** Marks kept per session (OPEN, NOTIFICATION, gaps, End-of-RIB, silences, ...). Default 1000. */
  marksPerSession: number;
  /** Rows of the event list (stream events and malformed messages). Default 1000. */
  events: number;
  /** Prefixes listed in the ranking table. Default 100. */
  ranking: number;
  /** Prefixes with a history at most (--prefix with --include-sub can match many). Default 200. */
  maxHistoryPrefixes: number;
  /** Busiest seconds listed. Default 25. */
  busiest: number;
  peeringAsns: readonly number[];
  /** ASNs to mark as poisoned wherever they appear (--poisoned). */
  poisoned: readonly number[];
  /**
   * The prefixes to keep history for, known before reading (--prefix): a test per announced or withdrawn
   * prefix. null: the most-changed ones, chosen after a first pass (selectTop).
   */
  historyFor: ((r: MessageRecord, e: Elem) => boolean) | null;
}

export const DEFAULT_REPORT_OPTIONS: ReportOptions = {
  title: 'bgpcap report',
  generator: 'bgpcap',
  inputs: [],
  filter: 'no filter',
  top: 10,
  historyPerPrefix: 2000,
  maxPoints: 100_000,
  marksPerSession: 1000,
  events: 1000,
  ranking: 100,
  maxHistoryPrefixes: 200,
  busiest: 25,
  peeringAsns: PEERING_ASNS,
  poisoned: [],
  historyFor: null,
};

/** Bucket widths tried, in seconds, when there are more rate points than maxPoints. */
const BUCKETS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 43200, 86400];

type Dir = 'a' | 'b';

function seconds(ts: Timestamp): number {
  return ts.sec + ts.nsec / 1e9;
}

/** Epoch seconds rounded to the microsecond, as the JSON carries them. */
function round6(t: number): number {
  return Math.round(t * 1e6) / 1e6;
}

function familyName(afi: number, safi: number): string {
  return mpFamily(afi, safi)?.name ?? `afi${afi}_safi${safi}`;
}

function newCounts(): DirCounts {
  return { messages: 0, updates: 0, keepalives: 0, notifications: 0, announcements: 0, withdrawals: 0, end_of_rib: 0, errors: 0 };
}

function newSpeaker(ip: string, peering: ReadonlySet<number>, asn: number | null): Speaker {
  return { ip, asn, bgp_id: null, hold_time: null, capabilities: [], families: [], add_path: [], peering: asn !== null && peering.has(asn) };
}

interface ConnState {
  info: ConnectionInfo;
  /** Last message time per direction, for silences longer than the hold time. */
  lastA: number;
  lastB: number;
  ended: boolean;
}

interface SessState {
  info: SessionInfo;
  conns: Map<string, ConnState>;
  /** Per direction: second → [announcements, withdrawals, updates]. */
  perSec: { a: Map<number, number[]>; b: Map<number, number[]> };
  updateFamilies: Set<string>;
}

interface HistState {
  h: PrefixHistory;
  sessions: Set<number>;
  /** `${session}|${dir}|${path_id}` → last announced path and other attributes (JSON text). */
  last: Map<string, { path: string; attrs: string }>;
  paths: Map<string, PathSeen>;
}

/** The text after a NOTIFICATION's names: RFC 9003 shutdown communication, Hard Reset's inner error. */
function notificationText(n: NotificationMessage): string {
  // Loose checks: records read back from JSON lines may lack the optional parts.
  let s = `${n.code_name ?? `code ${n.code}`} / ${n.subcode_name ?? `subcode ${n.subcode}`}`;
  if (n.hard_reset != null) s += ` (hard reset of ${n.hard_reset.code_name} / ${n.hard_reset.subcode_name})`;
  if (n.max_prefixes != null) s += ` (${familyName(n.max_prefixes.afi, n.max_prefixes.safi)} limit ${n.max_prefixes.limit})`;
  if (typeof n.shutdown_message === 'string') s += `: "${n.shutdown_message}"`;
  return s;
}

export class ReportBuilder {
  private readonly o: ReportOptions;
  private readonly peering: ReadonlySet<number>;
  private readonly givenPoison: ReadonlySet<number>;
  private readonly sessions: SessState[] = [];
  private readonly byKey = new Map<string, SessState>();
  /** prefix → announcements + withdrawals * 2^26 (two counters in one number, exact below 2^53). */
  private readonly prefixCounts = new Map<string, number>();
  private readonly hist = new Map<string, HistState>();
  private historyFor: ((r: MessageRecord, e: Elem) => boolean) | null;
  private selected: Set<string> | null = null;
  private readonly events: EventRow[] = [];
  private eventsDropped = 0;
  private first: number | null = null;
  private last: number | null = null;
  private readonly totals: ReportData['totals'] = {
    records: 0,
    messages: 0,
    by_type: {},
    announcements: 0,
    withdrawals: 0,
    sessions: 0,
    prefixes: 0,
    events: {},
    errors: 0,
    warnings: 0,
    bytes_skipped: 0,
  };
  private readonly notes: string[] = [];
  private histElemsDropped = 0;

  // Per-record scratch for the elem visitor (no closure per record).
  private readonly cursor: Elem = newElem();
  private cur: MessageRecord | null = null;
  private curMsg: UpdateMessage | null = null;
  private curSess = 0;
  private curDir: Dir = 'a';
  private curT = 0;
  private curAnn = 0;
  private curWd = 0;
  private historyPass = false;
  private readonly onBegin = (): void => {};
  private readonly onElem = (): void => this.elem();

  // Session lookup cache: consecutive records mostly belong to the same session.
  private lastPeer: string | null = null;
  private lastLocal: string | null = null;
  private lastMux: string | null = null;
  private lastSess: SessState | null = null;

  constructor(opts: Partial<ReportOptions> = {}) {
    this.o = { ...DEFAULT_REPORT_OPTIONS, ...opts };
    this.peering = new Set(this.o.peeringAsns);
    this.givenPoison = new Set(this.o.poisoned);
    this.historyFor = this.o.historyFor;
  }

  /** First pass: every record. Prefix histories too when the prefixes were given. */
  record(r: BgpRecord): void {
    this.totals.records++;
    const t = seconds(r.ts);
    if (this.first === null || t < this.first) this.first = t;
    if (this.last === null || t > this.last) this.last = t;
    if (r.kind === 'event') this.event(r, t);
    else this.message(r, t);
  }

  /**
   * After the first pass without given prefixes: choose the `top` most-changed prefixes. Returns false when
   * none was seen (no second pass needed).
   */
  selectTop(): boolean {
    const top = this.rank(this.o.top);
    this.selected = new Set(top.map((x) => x.prefix));
    this.historyFor = null;
    return this.selected.size > 0;
  }

  /** Second pass: only the histories of the selected prefixes (sessions are known from the first pass). */
  history(r: BgpRecord): void {
    if (r.kind !== 'message' || r.msg === null || r.msg.kind !== 'update' || r.error !== null) return;
    const s = this.sessionOf(r);
    if (s === null) return;
    this.historyPass = true;
    this.visit(r, r.msg, s, seconds(r.ts));
    this.historyPass = false;
  }

  private sessionOf(r: BgpRecord): SessState | null {
    const p = r.peer_ip;
    const l = r.local_ip;
    if (p === null || l === null) return null;
    if (p === this.lastPeer && l === this.lastLocal && r.mux === this.lastMux && this.lastSess !== null) return this.lastSess;
    const key = p < l ? `${r.mux ?? ''}|${p}|${l}` : `${r.mux ?? ''}|${l}|${p}`;
    let s = this.byKey.get(key);
    if (s === undefined) {
      // Side a is the one that opened the connection (its destination port is 179), else the lower address.
      let aIsPeer: boolean;
      if (r.dst_port === 179 && r.src_port !== 179) aIsPeer = true;
      else if (r.src_port === 179 && r.dst_port !== 179) aIsPeer = false;
      else aIsPeer = p < l;
      const t = seconds(r.ts);
      s = {
        info: {
          id: this.sessions.length,
          label: '',
          mux: r.mux,
          iface: r.iface,
          a: newSpeaker(aIsPeer ? p : l, this.peering, aIsPeer ? r.peer_asn : r.local_asn),
          b: newSpeaker(aIsPeer ? l : p, this.peering, aIsPeer ? r.local_asn : r.peer_asn),
          families: [],
          first: t,
          last: t,
          connections: [],
          marks: [],
          marks_dropped: 0,
          counts: { a: newCounts(), b: newCounts() },
          notifications: [],
        },
        conns: new Map(),
        perSec: { a: new Map(), b: new Map() },
        updateFamilies: new Set(),
      };
      this.sessions.push(s);
      this.byKey.set(key, s);
    }
    this.lastPeer = p;
    this.lastLocal = l;
    this.lastMux = r.mux;
    this.lastSess = s;
    return s;
  }

  private dirOf(s: SessState, r: BgpRecord): Dir {
    return r.peer_ip === s.info.a.ip ? 'a' : 'b';
  }

  private mark(s: SessState, m: Mark): void {
    if (s.info.marks.length >= this.o.marksPerSession) {
      s.info.marks_dropped++;
      return;
    }
    s.info.marks.push(m);
  }

  private conn(s: SessState, r: BgpRecord, t: number, opening: boolean): ConnState {
    const dir = this.dirOf(s, r);
    const aPort = dir === 'a' ? r.src_port : r.dst_port;
    const bPort = dir === 'a' ? r.dst_port : r.src_port;
    const key = `${aPort}|${bPort}`;
    let c = s.conns.get(key);
    if (c === undefined) {
      const info: ConnectionInfo = {
        a_port: aPort,
        b_port: bPort,
        start: round6(t),
        open_a: null,
        open_b: null,
        established: null,
        mid_session: !opening,
        end: round6(t),
        end_reason: 'capture',
        end_text: null,
        hold_time: null,
        messages: 0,
      };
      c = { info, lastA: t, lastB: t, ended: false };
      s.conns.set(key, c);
      s.info.connections.push(info);
    }
    return c;
  }

  private addEventRow(r: BgpRecord, t: number, s: SessState | null, kind: string, text: string, bytes: number | null): void {
    if (this.events.length >= this.o.events) {
      this.eventsDropped++;
      return;
    }
    this.events.push({
      t: round6(t),
      session: s === null ? null : s.info.id,
      dir: s === null ? null : this.dirOf(s, r),
      kind,
      frame: r.frame,
      file: r.file,
      text,
      bytes_skipped: bytes,
    });
  }

  private event(r: EventRecord, t: number): void {
    const tot = this.totals;
    tot.events[r.event] = (tot.events[r.event] ?? 0) + 1;
    if (r.bytes_skipped !== null) tot.bytes_skipped += r.bytes_skipped;
    const s = this.sessionOf(r);
    this.addEventRow(r, t, s, r.event, r.message, r.bytes_skipped);
    if (s === null) return;
    if (t > s.info.last) s.info.last = t;
    const dir = this.dirOf(s, r);
    const bytes = r.bytes_skipped === null ? '' : ` (${r.bytes_skipped} bytes skipped)`;
    this.mark(s, { t: round6(t), kind: r.event, dir, text: `${r.event}: ${r.message}${bytes}` });
    if (r.event === 'reset' && r.src_port !== null) {
      const c = this.conn(s, r, t, false);
      if (!c.ended) {
        c.ended = true;
        c.info.end = round6(t);
        c.info.end_reason = 'reset';
        c.info.end_text = r.message;
      }
    }
  }

  private message(r: MessageRecord, t: number): void {
    const tot = this.totals;
    tot.messages++;
    const name = msgTypeName(r.msg_type);
    tot.by_type[name] = (tot.by_type[name] ?? 0) + 1;
    const s = this.sessionOf(r);
    if (r.error !== null) {
      tot.errors++;
      this.addEventRow(r, t, s, 'error', `${name} ${r.error.code}: ${r.error.message} (offset ${r.error.offset})`, null);
    }
    if (s === null) return;
    const si = s.info;
    if (t > si.last) si.last = t;
    if (t < si.first) si.first = t;
    const dir = this.dirOf(s, r);
    const cnt = si.counts[dir];
    cnt.messages++;
    const m = r.msg;
    const c = this.conn(s, r, t, r.msg_type === 1);
    const ci = c.info;
    ci.messages++;
    if (!c.ended) ci.end = round6(t);
    if (r.error !== null) {
      cnt.errors++;
      this.mark(s, { t: round6(t), kind: 'error', dir, text: `malformed ${name}: ${r.error.code}: ${r.error.message}` });
    }
    // A silence longer than the negotiated hold time: the capture lost it, or the peer was gone (RFC 4271 §4.4).
    if (ci.established !== null && ci.hold_time !== null && ci.hold_time > 0 && !c.ended) {
      const prev = dir === 'a' ? c.lastA : c.lastB;
      if (t - prev > ci.hold_time) {
        this.mark(s, {
          t: round6(prev),
          end: round6(t),
          kind: 'silence',
          dir,
          text: `nothing from ${dir === 'a' ? si.a.ip : si.b.ip} for ${(t - prev).toFixed(1)} s (hold time ${ci.hold_time} s)`,
        });
      }
    }
    if (dir === 'a') c.lastA = t;
    else c.lastB = t;
    if (m === null) return;
    switch (m.kind) {
      case 'open':
        this.open(s, c, dir, m, t);
        break;
      case 'keepalive':
        cnt.keepalives++;
        this.maybeEstablished(s, c, t);
        break;
      case 'update':
        cnt.updates++;
        if (m.warnings.length > 0) tot.warnings++;
        this.maybeEstablished(s, c, t);
        if (r.error === null) this.update(r, m, s, dir, t);
        break;
      case 'notification': {
        cnt.notifications++;
        const text = notificationText(m);
        si.notifications.push(text);
        this.mark(s, { t: round6(t), kind: 'notification', dir, text: `NOTIFICATION from ${dir === 'a' ? si.a.ip : si.b.ip}: ${text}` });
        if (!c.ended) {
          c.ended = true;
          ci.end = round6(t);
          ci.end_reason = 'notification';
          ci.end_text = text;
        }
        break;
      }
      default:
        break;
    }
  }

  private open(s: SessState, c: ConnState, dir: Dir, m: OpenMessage, t: number): void {
    const sp = s.info[dir];
    sp.asn = m.asn;
    sp.peering = this.peering.has(m.asn);
    sp.bgp_id = m.bgp_id;
    sp.hold_time = m.hold_time;
    sp.capabilities = m.capabilities.map((x) => x.name);
    sp.families = [];
    sp.add_path = [];
    for (const cap of m.capabilities) {
      const v = cap.value as unknown;
      if (cap.code === 1 && v !== null && typeof v === 'object') {
        const f = v as { afi: number; safi: number };
        sp.families.push(familyName(f.afi, f.safi));
      } else if (cap.code === 69 && Array.isArray(v)) {
        for (const x of v as { afi: number; safi: number; send_receive: string }[]) sp.add_path.push(`${familyName(x.afi, x.safi)}:${x.send_receive}`);
      }
    }
    const ci = c.info;
    if (dir === 'a') ci.open_a ??= round6(t);
    else ci.open_b ??= round6(t);
    const a = s.info.a.hold_time;
    const b = s.info.b.hold_time;
    if (ci.open_a !== null && ci.open_b !== null && a !== null && b !== null) ci.hold_time = Math.min(a, b);
    const caps = m.capabilities.length > 0 ? `; ${m.capabilities.map((x) => x.name).join(', ')}` : '';
    this.mark(s, { t: round6(t), kind: 'open', dir, text: `OPEN from ${sp.ip}: AS${m.asn}, hold ${m.hold_time} s, id ${m.bgp_id}${caps}` });
  }

  private maybeEstablished(s: SessState, c: ConnState, t: number): void {
    const ci = c.info;
    if (ci.established !== null || ci.open_a === null || ci.open_b === null || c.ended) return;
    ci.established = round6(t);
    this.mark(s, { t: round6(t), kind: 'established', dir: null, text: `session established (hold time ${ci.hold_time ?? '?'} s)` });
  }

  private update(r: MessageRecord, m: UpdateMessage, s: SessState, dir: Dir, t: number): void {
    if (m.end_of_rib !== null) {
      s.info.counts[dir].end_of_rib++;
      const fams = m.end_of_rib.map(([afi, safi]) => familyName(afi, safi)).join(', ');
      this.mark(s, { t: round6(t), kind: 'eor', dir, text: `End-of-RIB (${fams}) from ${s.info[dir].ip}` });
    }
    for (const a of m.announcements) if (a.prefixes.length > 0) s.updateFamilies.add(familyName(a.afi, a.safi));
    for (const w of m.withdrawals) if (w.prefixes.length > 0) s.updateFamilies.add(familyName(w.afi, w.safi));
    this.curAnn = 0;
    this.curWd = 0;
    this.visit(r, m, s, t);
    const cnt = s.info.counts[dir];
    cnt.announcements += this.curAnn;
    cnt.withdrawals += this.curWd;
    this.totals.announcements += this.curAnn;
    this.totals.withdrawals += this.curWd;
    const sec = Math.floor(t);
    const map = s.perSec[dir];
    const b = map.get(sec);
    if (b === undefined) map.set(sec, [this.curAnn, this.curWd, 1]);
    else {
      b[0]! += this.curAnn;
      b[1]! += this.curWd;
      b[2]! += 1;
    }
  }

  private visit(r: MessageRecord, m: UpdateMessage, s: SessState, t: number): void {
    this.cur = r;
    this.curMsg = m;
    this.curSess = s.info.id;
    this.curDir = this.dirOf(s, r);
    this.curT = t;
    visitElems(m, this.cursor, this.onBegin, this.onElem);
    this.cur = null;
    this.curMsg = null;
  }

  private elem(): void {
    const e = this.cursor;
    if (!this.historyPass) {
      if (e.type === 'A') this.curAnn++;
      else this.curWd++;
      const v = this.prefixCounts.get(e.prefix) ?? 0;
      this.prefixCounts.set(e.prefix, v + (e.type === 'A' ? 1 : 67_108_864));
    }
    const keep =
      this.historyFor !== null ? (this.historyPass ? false : this.historyFor(this.cur!, e)) : this.historyPass && this.selected !== null && this.selected.has(e.prefix);
    if (keep) this.addHistory(e);
  }

  private addHistory(e: Elem): void {
    const m = this.curMsg!;
    let hs = this.hist.get(e.prefix);
    if (hs === undefined) {
      if (this.hist.size >= this.o.maxHistoryPrefixes) {
        this.histElemsDropped++;
        return;
      }
      hs = {
        h: {
          prefix: e.prefix,
          announcements: 0,
          withdrawals: 0,
          path_changes: 0,
          attr_changes: 0,
          sessions: [],
          history: [],
          history_dropped: 0,
          paths: [],
          graph: { nodes: [], edges: [] },
          poisoned: [],
          poison_leaks: [],
        },
        sessions: new Set(),
        last: new Map(),
        paths: new Map(),
      };
      this.hist.set(e.prefix, hs);
    }
    const h = hs.h;
    hs.sessions.add(this.curSess);
    const key = `${this.curSess}|${this.curDir}|${e.path_id ?? ''}`;
    let pathChange = false;
    let attrChange = false;
    const t = round6(this.curT);
    if (e.type === 'A') {
      h.announcements++;
      const path: AsPath = m.as_path ?? [];
      const pathText = JSON.stringify(path);
      const attrs = JSON.stringify([e.next_hop, m.origin, m.med, m.local_pref, m.communities, m.large_communities]);
      const prev = hs.last.get(key);
      if (prev !== undefined) {
        pathChange = prev.path !== pathText;
        attrChange = !pathChange && prev.attrs !== attrs;
      }
      hs.last.set(key, { path: pathText, attrs });
      if (pathChange) h.path_changes++;
      if (attrChange) h.attr_changes++;
      const pk = `${key}|${pathText}`;
      const ps = hs.paths.get(pk);
      if (ps === undefined) {
        hs.paths.set(pk, {
          session: this.curSess,
          dir: this.curDir,
          path_id: e.path_id,
          as_path: path,
          first: t,
          last: t,
          count: 1,
          poisoned: poisonedIn(path, this.peering, this.givenPoison),
          nodes: [],
        });
      } else {
        ps.last = t;
        ps.count++;
      }
    } else {
      h.withdrawals++;
    }
    if (h.history.length >= this.o.historyPerPrefix) {
      h.history_dropped++;
      return;
    }
    const ann = e.type === 'A';
    h.history.push({
      t,
      session: this.curSess,
      dir: this.curDir,
      type: e.type,
      path_id: e.path_id,
      as_path: ann ? m.as_path : null,
      origin: ann ? m.origin : null,
      next_hop: ann ? e.next_hop : null,
      med: ann ? m.med : null,
      local_pref: ann ? m.local_pref : null,
      communities: ann ? m.communities : null,
      large_communities: ann ? m.large_communities : null,
      path_change: pathChange,
      attr_change: attrChange,
    });
  }

  /** The `n` prefixes with the most announcements and withdrawals (ties: more withdrawals, then text order). */
  private rank(n: number): { prefix: string; v: number }[] {
    const top: { prefix: string; v: number }[] = [];
    const score = (v: number): number => (v % 67_108_864) + Math.floor(v / 67_108_864);
    const better = (x: { prefix: string; v: number }, y: { prefix: string; v: number }): boolean => {
      const sx = score(x.v);
      const sy = score(y.v);
      if (sx !== sy) return sx > sy;
      const wx = Math.floor(x.v / 67_108_864);
      const wy = Math.floor(y.v / 67_108_864);
      if (wx !== wy) return wx > wy;
      return x.prefix < y.prefix;
    };
    if (n <= 0) return top;
    for (const [prefix, v] of this.prefixCounts) {
      const x = { prefix, v };
      if (top.length === n && !better(x, top[n - 1]!)) continue;
      let i = top.length === n ? n - 1 : top.length;
      if (top.length === n) top.pop();
      while (i > 0 && better(x, top[i - 1]!)) i--;
      top.splice(i, 0, x);
    }
    return top;
  }

  /** The data model; call once, after the last record. */
  finish(): ReportData {
    const o = this.o;
    const end = this.last;
    const sessions: SessionInfo[] = [];
    for (const s of this.sessions) {
      const si = s.info;
      si.first = round6(si.first);
      si.last = round6(si.last);
      const famA = si.a.families;
      const famB = si.b.families;
      si.families =
        famA.length > 0 && famB.length > 0 ? famA.filter((f) => famB.includes(f)) : famA.length + famB.length > 0 ? [...famA, ...famB] : [...s.updateFamilies].sort();
      // Silent until the end of the capture: the last thing the capture shows of an established connection.
      for (const c of s.conns.values()) {
        const ci = c.info;
        if (c.ended || end === null || ci.established === null || ci.hold_time === null || ci.hold_time === 0) continue;
        for (const [dir, prev] of [['a', c.lastA], ['b', c.lastB]] as const) {
          if (end - prev > ci.hold_time) {
            this.mark(s, {
              t: round6(prev),
              end: round6(end),
              kind: 'silence',
              dir,
              text: `nothing from ${si[dir].ip} for the last ${(end - prev).toFixed(1)} s of the capture (hold time ${ci.hold_time} s)`,
            });
          }
        }
      }
      si.marks.sort((x, y) => x.t - y.t);
      const name = (sp: Speaker): string => `${sp.ip} (${sp.asn === null ? 'AS?' : `AS${sp.asn}`})`;
      si.label = `${si.mux === null ? '' : `${si.mux}: `}${name(si.a)} ↔ ${name(si.b)}`;
      sessions.push(si);
    }
    if (this.sessions.some((s) => s.info.marks_dropped > 0)) this.notes.push(`Some sessions have more than ${o.marksPerSession} marks; the rest are counted in marks_dropped.`);
    if (this.eventsDropped > 0) this.notes.push(`${this.eventsDropped} more events and malformed messages are not listed (limit ${o.events}).`);
    if (this.sessions.some((s) => s.info.connections.some((c) => c.mid_session)))
      this.notes.push('Some connections started before the capture (no OPEN seen): their capabilities and hold time are unknown.');

    const rates = this.rates();
    if (rates.bucket_seconds > 1) this.notes.push(`Update rates are shown per ${rates.bucket_seconds} s (more than ${o.maxPoints} per-second points).`);

    const rankedAll = this.rank(o.ranking);
    const list: PrefixHistory[] = [];
    for (const hs of this.hist.values()) list.push(this.finishHistory(hs));
    // The ranking's order: most events, then most withdrawals, then text.
    list.sort((x, y) => y.announcements + y.withdrawals - (x.announcements + x.withdrawals) || y.withdrawals - x.withdrawals || (x.prefix < y.prefix ? -1 : 1));
    const detail = new Set(list.map((h) => h.prefix));
    const ranking: PrefixRank[] = rankedAll.map(({ prefix, v }) => ({
      prefix,
      events: (v % 67_108_864) + Math.floor(v / 67_108_864),
      announcements: v % 67_108_864,
      withdrawals: Math.floor(v / 67_108_864),
      detail: detail.has(prefix),
    }));
    // Given prefixes may rank below the table's cut: list them too.
    for (const h of list) {
      if (!ranking.some((x) => x.prefix === h.prefix)) {
        const v = this.prefixCounts.get(h.prefix) ?? 0;
        ranking.push({ prefix: h.prefix, events: (v % 67_108_864) + Math.floor(v / 67_108_864), announcements: v % 67_108_864, withdrawals: Math.floor(v / 67_108_864), detail: true });
      }
    }
    if (this.histElemsDropped > 0)
      this.notes.push(`More than ${o.maxHistoryPrefixes} prefixes matched --prefix: histories are kept for the first ${o.maxHistoryPrefixes} only (${this.histElemsDropped} announcements and withdrawals of the others left out).`);
    if (list.some((h) => h.history_dropped > 0)) this.notes.push(`Prefix histories are cut at ${o.historyPerPrefix} events per prefix (history_dropped counts the rest).`);

    this.events.sort((x, y) => x.t - y.t);
    this.totals.sessions = sessions.length;
    this.totals.prefixes = this.prefixCounts.size;
    return {
      report_version: REPORT_VERSION,
      generator: o.generator,
      title: o.title,
      inputs: o.inputs,
      filter: o.filter,
      time: { first: this.first === null ? null : round6(this.first), last: end === null ? null : round6(end) },
      totals: this.totals,
      sessions,
      rates,
      prefixes: {
        selection: o.historyFor !== null ? 'given' : 'most-changed',
        ranking,
        list,
        poisoned_given: [...o.poisoned],
        peering_asns: [...o.peeringAsns],
      },
      events: this.events,
      events_dropped: this.eventsDropped,
      verify: null,
      limits: {
        history_per_prefix: o.historyPerPrefix,
        top: o.top,
        max_points: o.maxPoints,
        marks_per_session: o.marksPerSession,
        events: o.events,
      },
      notes: this.notes,
    };
  }

  private rates(): ReportData['rates'] {
    const o = this.o;
    let minSec = Infinity;
    for (const s of this.sessions) for (const m of [s.perSec.a, s.perSec.b]) for (const sec of m.keys()) if (sec < minSec) minSec = sec;
    if (minSec === Infinity) return { origin: null, bucket_seconds: 1, series: [], busiest: [] };
    // The narrowest bucket that keeps the number of points under the limit.
    let width = BUCKETS[BUCKETS.length - 1]!;
    for (const w of BUCKETS) {
      let n = 0;
      for (const s of this.sessions) {
        for (const m of [s.perSec.a, s.perSec.b]) {
          if (w === 1) n += m.size;
          else {
            const seen = new Set<number>();
            for (const sec of m.keys()) seen.add(Math.floor(sec / w));
            n += seen.size;
          }
        }
      }
      if (n <= o.maxPoints) {
        width = w;
        break;
      }
    }
    const base = Math.floor(minSec / width);
    const series: RateSeries[] = [];
    const busiest: Busy[] = [];
    const better = (x: Busy, y: Busy): boolean => x.announcements + x.withdrawals > y.announcements + y.withdrawals || (x.announcements + x.withdrawals === y.announcements + y.withdrawals && x.t < y.t);
    for (const s of this.sessions) {
      for (const dir of ['a', 'b'] as const) {
        const m = s.perSec[dir];
        if (m.size === 0) continue;
        const buckets = new Map<number, number[]>();
        for (const [sec, v] of m) {
          const i = Math.floor(sec / width) - base;
          const b = buckets.get(i);
          if (b === undefined) buckets.set(i, [v[0]!, v[1]!, v[2]!]);
          else {
            b[0]! += v[0]!;
            b[1]! += v[1]!;
            b[2]! += v[2]!;
          }
          if (v[0]! + v[1]! > 0) {
            const x: Busy = { t: sec, session: s.info.id, dir, announcements: v[0]!, withdrawals: v[1]! };
            if (busiest.length < o.busiest || better(x, busiest[busiest.length - 1]!)) {
              let k = busiest.length;
              while (k > 0 && better(x, busiest[k - 1]!)) k--;
              busiest.splice(k, 0, x);
              if (busiest.length > o.busiest) busiest.pop();
            }
          }
        }
        const keys = [...buckets.keys()].sort((x, y) => x - y);
        series.push({
          session: s.info.id,
          dir,
          t: keys,
          announcements: keys.map((k) => buckets.get(k)![0]!),
          withdrawals: keys.map((k) => buckets.get(k)![1]!),
          updates: keys.map((k) => buckets.get(k)![2]!),
        });
      }
    }
    return { origin: base * width, bucket_seconds: width, series, busiest };
  }

  private finishHistory(hs: HistState): PrefixHistory {
    const h = hs.h;
    // Inputs are read one after the other (one file per mux): order the story by time (stable within a file).
    h.history.sort((x, y) => x.t - y.t);
    h.sessions = [...hs.sessions].sort((x, y) => x - y);
    h.paths = [...hs.paths.values()].sort((x, y) => x.first - y.first);
    const poisoned = new Set<number>();
    for (const p of h.paths) for (const a of p.poisoned) poisoned.add(a);
    h.poisoned = [...poisoned].sort((x, y) => x - y);
    for (const p of h.paths) {
      for (const asn of poisonLeaks(p.as_path, this.peering, poisoned)) {
        // One per ASN, session and direction (the first path that shows it).
        if (!h.poison_leaks.some((l) => l.asn === asn && l.session === p.session && l.dir === p.dir)) h.poison_leaks.push({ asn, session: p.session, dir: p.dir, as_path: p.as_path });
      }
    }
    h.graph = this.graph(h.paths, poisoned);
    return h;
  }

  /**
   * The AS graph of a prefix, BGPlay style: one node per ASN and role (poison.ts: an ASN seen as transit, as
   * a poison and as origin gives three nodes, so a poisoned path reads left to right without loops; an
   * AS_SET is one node), an edge per adjacency towards the origin; prepends collapse into one node. Layer =
   * hops from the origin. Sets `nodes` on every path.
   */
  private graph(paths: PathSeen[], poisoned: ReadonlySet<number>): { nodes: GraphNode[]; edges: GraphEdge[] } {
    const nodes = new Map<string, GraphNode>();
    const edges = new Map<string, GraphEdge>();
    for (const p of paths) {
      // An empty AS path (iBGP: the sender originated the route) is drawn as the sender's own AS.
      const sender = this.sessions[p.session]?.info[p.dir].asn ?? null;
      const path: AsPath = p.as_path.length === 0 && sender !== null ? [sender] : p.as_path;
      const roles = pathRoles(path, this.peering, this.givenPoison);
      const seq: string[] = [];
      for (let i = 0; i < path.length; i++) {
        const x = path[i]!;
        const role = roles[i]!;
        const base = typeof x === 'number' ? String(x) : `{${x.join(',')}}`;
        const id = role === 'transit' ? base : `${base}~${role}`;
        if (seq.length > 0 && seq[seq.length - 1] === id) continue;
        seq.push(id);
        if (!nodes.has(id)) {
          const flat = typeof x === 'number' ? [x] : x;
          nodes.set(id, {
            id,
            asn: typeof x === 'number' ? x : null,
            role,
            peering: flat.some((a) => this.peering.has(a)),
            poisoned: role === 'poison',
            leak: role === 'transit' && flat.some((a) => poisoned.has(a)),
            origin: role === 'origin',
            layer: Infinity,
          });
        }
      }
      p.nodes = seq;
      for (let i = 0; i < seq.length; i++) {
        const n = nodes.get(seq[i]!)!;
        n.layer = Math.min(n.layer, seq.length - 1 - i);
        if (i + 1 < seq.length) {
          const k = `${seq[i]}>${seq[i + 1]}`;
          let e = edges.get(k);
          if (e === undefined) {
            e = { from: seq[i]!, to: seq[i + 1]!, count: 0, sessions: [] };
            edges.set(k, e);
          }
          e.count += p.count;
          if (!e.sessions.includes(p.session)) e.sessions.push(p.session);
        }
      }
    }
    return { nodes: [...nodes.values()], edges: [...edges.values()] };
  }
}
