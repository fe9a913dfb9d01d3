// The pipeline wires the stages together: Frame → link → Segment → TCP reassembly → BGP framer →
// decode with session state → BgpRecord → sink. It owns the per-connection session state (the OPENs seen)
// and the run statistics; every stage below it is ignorant of the others.
//
// It comes in two halves. Everything up to a framed message is ordered and stateful (reassembly, framing, the
// OPENs that set the decoding parameters) and cheap; decoding, stage 2 and formatting are costly but need
// nothing from earlier messages beyond the MessageContext of their direction. MessageStage is the second half:
// Pipeline runs it in its own thread, or hands framed messages to another handler (`handOff`), which is how
// `read --workers N` (src/workers/) spreads the second half over worker threads.

import { decodeFrame, type LinkOptions } from './link/decode.js';
import { TcpReassembler, type ReassemblyOptions } from './tcp/reassembler.js';
import type { Connection, HalfFlow, StreamEvent } from './tcp/stream.js';
import { decodeMessageLazy } from './bgp/decode.js';
import { BgpSession } from './bgp/session.js';
import { MSG_OPEN, MSG_UPDATE, msgTypeName, type OpenMessage, type SessionParams } from './bgp/model.js';
import type { BgpRecord, EventRecord, MessageRecord } from './record.js';
import type { Frame, LinkNotice, Segment, Timestamp } from './types.js';
import type { Stage1Filter } from './filter/stage1.js';
import { elemsOf, F, T, U, type MessageHead, type Stage2Filter } from './filter/stage2.js';
import { keepElems, type Elem } from './sink/elem.js';
import { readWire } from './bgp/update-wire.js';
import { newWireRecord, type WireRecord } from './sink/wire-fields.js';

const EMPTY = new Uint8Array(0);

export interface PipelineOptions {
  /** TCP ports that carry BGP. Default: {179}. */
  ports: ReadonlySet<number>;
  reassembly: Partial<ReassemblyOptions>;
  /** Packet filter run before reassembly (src/filter/stage1.ts); null = every packet. */
  stage1: Stage1Filter | null;
  /** BGP filter run before decoding and before emit (src/filter/stage2.ts); null = every record. */
  stage2: Stage2Filter | null;
  /**
   * 'elem': the sink writes one record per prefix, so stage 2 drops prefixes one by one (through
   * sink/elem.ts keepElems); 'msg': a message is kept whole when any of its prefixes matches.
   */
  filterLevel: 'msg' | 'elem';
  /**
   * The PEERING mux behind a capture interface (live capture on taps, `<mux>.<tapN>.pcap` files), asked once
   * per TCP connection and per link notice; null (the default) = no mux labels.
   */
  muxOf: ((iface: string | null) => string | null) | null;
  /**
   * Count UPDATEs with warnings in `stats.warnings` (default true). Knowing whether an UPDATE has warnings
   * takes a full decode; `bgpcap read` without --stats turns this off, so UPDATEs are decoded only as far as
   * the filter and the output read them (bgp/update-lazy.ts).
   */
  countWarnings: boolean;
  /**
   * Framed messages go here instead of being decoded in this thread (src/workers/pool.ts); null (the default)
   * = decoded here. OPENs are decoded here too either way: the session state and the framing need them.
   * Events are still emitted through `emit`.
   */
  handOff: MessageHandler | null;
  /**
   * The sink's fast path for UPDATEs (sink/wire-fields.ts, Sink.wire): an UPDATE that bgp/update-wire.ts
   * readWire accepts is written from its bytes through this instead of being decoded and handed to `emit`.
   * Taken without a BGP field filter, or for a message the filter accepts before decoding (every record of it
   * passes: a filter on the peer, say); with the warning count too, as readWire takes no UPDATE that has a
   * warning or an error. null (the default) = never.
   */
  wire: ((r: WireRecord) => void) | null;
}

/**
 * What the records of one direction of a TCP connection have in common: the connection, the OPENs seen so
 * far, the input file. Replaced (never changed) when an OPEN arrives or a new file begins, so a holder may
 * keep one; --workers sends it along with the messages it hands to a worker thread.
 */
export interface MessageContext {
  file: string | null;
  iface: string | null;
  mux: string | null;
  peer_ip: string;
  peer_asn: number | null;
  local_ip: string;
  local_asn: number | null;
  src_port: number;
  dst_port: number;
  /** Decoding parameters for messages in this direction (bgp/session.ts). */
  params: SessionParams;
}

/** Takes framed messages: MessageStage decodes them, --workers hands them to a worker thread. */
export interface MessageHandler {
  message(ctx: MessageContext, bytes: Uint8Array, ts: Timestamp, frameNo: number, type: number, length: number): void;
}

export const DEFAULT_PIPELINE_OPTIONS: PipelineOptions = {
  ports: new Set([179]),
  reassembly: {},
  stage1: null,
  stage2: null,
  filterLevel: 'msg',
  muxOf: null,
  countWarnings: true,
  handOff: null,
  wire: null,
};

export interface RunStats {
  frames: number;
  bgpSegments: number;
  messages: number;
  byType: Map<string, number>;
  sessions: number;
  gaps: number;
  bytesSkipped: number;
  events: Map<string, number>;
  errors: number;
  warnings: number;
  /** Which filter stages run (--stats shows their counts). */
  stage1On: boolean;
  stage2On: boolean;
  /** Packets stage 1 rejected (never reassembled or decoded). */
  stage1Rejected: number;
  /** Records stage 2 dropped (messages and events). */
  stage2Rejected: number;
  /** Of those, messages dropped before decoding. */
  stage2Undecoded: number;
  /** Prefixes dropped from UPDATEs that were written (--level elem). */
  elemsRejected: number;
}

/** Counts by type code as RunStats.byType: type name → count, types seen only. */
function typeMap(counts: Float64Array): Map<string, number> {
  const m = new Map<string, number>();
  for (let t = 0; t < counts.length; t++) if (counts[t]! > 0) m.set(msgTypeName(t), counts[t]!);
  return m;
}

/** Per-connection state kept in Connection.user: the OPENs that configure decoding of the UPDATEs. */
interface ConnState {
  session: BgpSession;
  mux: string | null;
  /** The MessageContext of each direction (A → B, B → A), made when first needed; null after an OPEN. */
  ctxA: MessageContext | null;
  ctxB: MessageContext | null;
}

/** A RunStats with every count zero. */
export function newRunStats(): RunStats {
  return {
    frames: 0,
    bgpSegments: 0,
    messages: 0,
    byType: new Map(),
    sessions: 0,
    gaps: 0,
    bytesSkipped: 0,
    events: new Map(),
    errors: 0,
    warnings: 0,
    stage1On: false,
    stage2On: false,
    stage1Rejected: 0,
    stage2Rejected: 0,
    stage2Undecoded: 0,
    elemsRejected: 0,
  };
}

/**
 * The second half of the pipeline: decode a framed message with its direction's parameters, apply stage 2,
 * emit the record. Counts errors, warnings and what stage 2 drops into `stats`.
 */
export class MessageStage implements MessageHandler {
  /** The fast path's writer (PipelineOptions.wire), else null. */
  private readonly wire: ((r: WireRecord) => void) | null;
  /** The one record the fast path fills per message. */
  private readonly wr = newWireRecord();
  /**
   * Set by Pipeline.peek just before it hands on the message: stage 2 accepts it before decoding (stage2.ts
   * preVerdict T: every record of it; or `some`), so it may take the fast path though there is a filter.
   * Read and cleared by message(), with `some`.
   */
  sure = false;
  /**
   * Set with `sure` when stage 2 passes only some prefixes of the message (a prefix filter, stage2.ts mixed):
   * at elem level the fast path then writes those its keep() accepts.
   */
  some = false;
  /** The elem-level keep for `some` (counts what it drops, as pass() does for a decoded message). */
  private readonly keep: ((e: Elem) => boolean) | null;

  constructor(
    private readonly emit: (r: BgpRecord) => void,
    private readonly stats: RunStats,
    private readonly stage2: Stage2Filter | null,
    private readonly filterElems: boolean,
    private readonly countWarnings: boolean,
    wire: ((r: WireRecord) => void) | null = null,
  ) {
    this.wire = wire;
    const f2 = stage2;
    this.keep =
      f2 === null || !filterElems
        ? null
        : (e) => {
            if (f2.keep(e)) return true;
            this.stats.elemsRejected++;
            return false;
          };
  }

  message(ctx: MessageContext, bytes: Uint8Array, ts: Timestamp, frameNo: number, type: number, length: number): void {
    const sure = this.sure;
    const some = this.some;
    this.sure = this.some = false;
    if (type === MSG_UPDATE && this.wire !== null && (this.stage2 === null || sure)) {
      const r = this.wr;
      if (readWire(r.wire, bytes, 0, length, ctx.params)) {
        r.keep = some ? this.keep : null;
        this.writeWire(ctx, ts, frameNo, length);
        return;
      }
    }
    const res = decodeMessageLazy(bytes, ctx.params, true);
    if (res.error !== null) this.stats.errors++;
    if (this.countWarnings && res.msg !== null && res.msg.kind === 'update' && res.msg.warnings.length > 0) this.stats.warnings++;
    const rec: MessageRecord = {
      kind: 'message',
      ts,
      frame: frameNo,
      file: ctx.file,
      iface: ctx.iface,
      mux: ctx.mux,
      peer_ip: ctx.peer_ip,
      peer_asn: ctx.peer_asn,
      local_ip: ctx.local_ip,
      local_asn: ctx.local_asn,
      src_port: ctx.src_port,
      dst_port: ctx.dst_port,
      msg_type: type,
      length,
      msg: res.msg,
      error: res.error,
      raw: bytes,
      inferred: res.inferred,
    };
    const f2 = this.stage2;
    if (f2 !== null && !this.pass(rec, f2)) return;
    this.emit(rec);
  }

  /** Write the UPDATE readWire has just read into the record `wr`, with its context. */
  private writeWire(ctx: MessageContext, ts: Timestamp, frameNo: number, length: number): void {
    const r = this.wr;
    r.ts = ts;
    r.frame = frameNo;
    r.file = ctx.file;
    r.iface = ctx.iface;
    r.mux = ctx.mux;
    r.peer_ip = ctx.peer_ip;
    r.peer_asn = ctx.peer_asn;
    r.local_ip = ctx.local_ip;
    r.local_asn = ctx.local_asn;
    r.src_port = ctx.src_port;
    r.dst_port = ctx.dst_port;
    r.ctx = ctx;
    r.length = length;
    this.wire!(r);
  }

  /**
   * Stage 2 on a decoded record. At elem level an UPDATE with a matching prefix is emitted with a per-prefix
   * filter registered for the sink (sink/elem.ts keepElems), so only its matching prefixes are written.
   */
  pass(rec: BgpRecord, f2: Stage2Filter): boolean {
    if (!f2.record(rec)) {
      this.stats.stage2Rejected++;
      return false;
    }
    const m = this.filterElems ? elemsOf(rec) : null;
    if (m !== null) {
      keepElems(m, (e) => {
        if (f2.elem(rec, e)) return true;
        this.stats.elemsRejected++;
        return false;
      });
    }
    return true;
  }
}

export class Pipeline {
  readonly stats: RunStats = newRunStats();
  private readonly linkOpts: LinkOptions;
  private readonly stage1: Stage1Filter | null;
  private readonly stage2: Stage2Filter | null;
  /** Decodes, filters and emits framed messages (and runs stage 2 on events). */
  private readonly stage: MessageStage;
  /** Where framed messages go: `stage`, or the handOff option. */
  private readonly handler: MessageHandler;
  private readonly muxOf: ((iface: string | null) => string | null) | null;
  /** Messages by BGP type code (0..255). */
  private readonly typeCounts = new Float64Array(256);
  /** What stage 2 sees of a message before decoding; one object, refilled per message. */
  private readonly head: MessageHead = {
    kind: 'message',
    ts: { sec: 0, nsec: 0 },
    iface: null,
    mux: null,
    peer_ip: null,
    peer_asn: null,
    local_ip: null,
    local_asn: null,
    src_port: null,
    dst_port: null,
    msg_type: 0,
    raw: EMPTY,
    start: 0,
    end: 0,
    params: null,
  };
  private readonly tcp: TcpReassembler;
  private file: string | null = null;
  private unsupportedLinkReported = new Set<string>();

  constructor(
    private readonly emit: (r: BgpRecord) => void,
    opts: Partial<PipelineOptions> = {},
  ) {
    const o = { ...DEFAULT_PIPELINE_OPTIONS, ...opts };
    this.linkOpts = { ports: o.ports };
    this.stage1 = o.stage1;
    this.stage2 = o.stage2;
    this.muxOf = o.muxOf;
    this.stage = new MessageStage(emit, this.stats, o.stage2, o.filterLevel === 'elem', o.countWarnings, o.wire);
    this.handler = o.handOff ?? this.stage;
    this.stats.stage1On = o.stage1 !== null;
    this.stats.stage2On = o.stage2 !== null;
    // Messages are counted per type code (a Map update per message cost more than the rest of the counting);
    // stats.byType is built from the counts when it is read.
    const counts = this.typeCounts;
    Object.defineProperty(this.stats, 'byType', { enumerable: true, get: () => typeMap(counts) });
    this.tcp = new TcpReassembler(
      {
        message: (h, bytes, ts, frameNo) => this.onMessage(h, bytes, ts, frameNo),
        event: (h, ev, ts, frameNo) => this.onStreamEvent(h, ev, ts, frameNo),
        // Stage 2 before decoding, on the message where it lies (no copy, no view) when there is a filter.
        ...(o.stage2 !== null ? { peek: (h: HalfFlow, b: Uint8Array, start: number, end: number, ts: Timestamp) => this.peek(h, b, start, end, ts) } : {}),
      },
      o.reassembly,
    );
  }

  /** Start of a new input file: frame numbers restart; TCP state carries on (rotated captures of one session). */
  beginFile(name: string | null): void {
    this.file = name;
    this.unsupportedLinkReported.clear();
  }

  frame(f: Frame): void {
    this.stats.frames++;
    const s1 = this.stage1;
    // Stage 1 before the link layer: the capture time and interface are on the Frame already.
    if (s1 !== null && !s1.frame(f)) {
      this.stats.stage1Rejected++;
      return;
    }
    const r = decodeFrame(f, this.linkOpts);
    if (r === null) return;
    if ('code' in r) {
      if (s1 !== null && !s1.notice(r)) {
        this.stats.stage1Rejected++;
        return;
      }
      this.onLinkNotice(r);
      return;
    }
    // Stage 1 on addresses, MACs and ports: a rejected segment never reaches the reassembler.
    if (s1 !== null && !s1.segment(r as Segment)) {
      this.stats.stage1Rejected++;
      return;
    }
    this.stats.bgpSegments++;
    this.tcp.push(r as Segment);
  }

  /** End of all input: report what is still pending (incomplete messages, unfilled holes). */
  end(): void {
    this.tcp.flush();
  }

  private connState(c: Connection): ConnState {
    let s = c.user as ConnState | undefined;
    if (s === undefined) {
      s = { session: new BgpSession(), mux: this.muxOf === null ? null : this.muxOf(c.iface), ctxA: null, ctxB: null };
      c.user = s;
      this.stats.sessions++;
    }
    return s;
  }

  /**
   * Stage 2 before decoding, on the message b[start, end) where the framer has it (valid during the call only):
   * true when no record of it can match, so it is counted and dropped here. OPENs are always decoded (the
   * session needs them). The framer peeks at every message before handing it to onMessage.
   */
  private peek(h: HalfFlow, b: Uint8Array, start: number, end: number, ts: Timestamp): boolean {
    const f2 = this.stage2!;
    const type = end - start >= 19 ? b[start + 18]! : 0;
    if (type === MSG_OPEN) return false;
    const st = this.connState(h.conn);
    const fromA = h === h.conn.a;
    const hd = this.head;
    hd.ts = ts;
    hd.iface = h.conn.iface;
    hd.mux = st.mux;
    hd.peer_ip = h.srcIp;
    hd.peer_asn = st.session.asn(fromA);
    hd.local_ip = h.dstIp;
    hd.local_asn = st.session.asn(!fromA);
    hd.src_port = h.srcPort;
    hd.dst_port = h.dstPort;
    hd.msg_type = type;
    hd.raw = b;
    hd.start = start;
    hd.end = end;
    hd.params = st.session.paramsFor(fromA);
    const verdict = f2.preVerdict(hd);
    hd.raw = EMPTY;
    if (verdict !== F) {
      // Every record of it passes (T), or a prefix filter passes some of its prefixes (the message passes,
      // and at elem level those prefixes): the writers' fast path may take it (message() comes next).
      const some = verdict === U && f2.mixed();
      this.stage.sure = verdict === T || some;
      this.stage.some = some;
      return false;
    }
    this.stats.messages++;
    this.typeCounts[type]!++;
    this.stats.stage2Rejected++;
    this.stats.stage2Undecoded++;
    return true;
  }

  private onMessage(h: HalfFlow, bytes: Uint8Array, ts: Timestamp, frameNo: number): void {
    const st = this.connState(h.conn);
    const fromA = h === h.conn.a;
    const type = bytes.length >= 19 ? bytes[18]! : 0;
    const length = bytes.length >= 19 ? (bytes[16]! << 8) | bytes[17]! : bytes.length;
    if (type === MSG_OPEN) {
      const res = decodeMessageLazy(bytes, st.session.paramsFor(fromA), true);
      if (res.msg !== null && res.msg.kind === 'open') {
        st.session.setOpen(fromA, res.msg as OpenMessage);
        // RFC 8654: once both sides advertised extended messages, up to 65535 bytes may follow.
        const max = st.session.maxMessageLength();
        h.maxMessageLength = max;
        h.reverse.maxMessageLength = max;
        st.ctxA = null;
        st.ctxB = null;
      }
    }
    this.stats.messages++;
    this.typeCounts[type]!++;
    let ctx = fromA ? st.ctxA : st.ctxB;
    if (ctx === null || ctx.file !== this.file) ctx = this.context(h, st, fromA);
    // The OPEN itself is decoded again there (rare; the record shows the ASNs it brought).
    this.handler.message(ctx, bytes, ts, frameNo, type, length);
  }

  private context(h: HalfFlow, st: ConnState, fromA: boolean): MessageContext {
    const ctx: MessageContext = {
      file: this.file,
      iface: h.conn.iface,
      mux: st.mux,
      peer_ip: h.srcIp,
      peer_asn: st.session.asn(fromA),
      local_ip: h.dstIp,
      local_asn: st.session.asn(!fromA),
      src_port: h.srcPort,
      dst_port: h.dstPort,
      params: st.session.paramsFor(fromA),
    };
    if (fromA) st.ctxA = ctx;
    else st.ctxB = ctx;
    return ctx;
  }

  private onStreamEvent(
    h: HalfFlow,
    ev: StreamEvent,
    ts: Timestamp,
    frameNo: number,
  ): void {
    const st = this.connState(h.conn);
    const fromA = h === h.conn.a;
    if (ev.code === 'gap') this.stats.gaps++;
    if (ev.bytesSkipped !== null) this.stats.bytesSkipped += ev.bytesSkipped;
    this.countEvent(ev.code);
    const rec: EventRecord = {
      kind: 'event',
      ts,
      frame: frameNo,
      file: this.file,
      iface: h.conn.iface,
      mux: st.mux,
      peer_ip: h.srcIp,
      peer_asn: st.session.asn(fromA),
      local_ip: h.dstIp,
      local_asn: st.session.asn(!fromA),
      src_port: h.srcPort,
      dst_port: h.dstPort,
      event: ev.code,
      bytes_skipped: ev.bytesSkipped,
      message: ev.message,
    };
    if (this.stage2 !== null && !this.stage.pass(rec, this.stage2)) return;
    this.emit(rec);
  }

  private onLinkNotice(n: LinkNotice): void {
    if (n.code === 'unsupported_link') {
      // One report per file and link type, not one per frame.
      if (this.unsupportedLinkReported.has(n.message)) return;
      this.unsupportedLinkReported.add(n.message);
    }
    this.countEvent(n.code);
    const rec: EventRecord = {
      kind: 'event',
      ts: n.ts,
      frame: n.frameNo,
      file: this.file,
      iface: n.iface,
      mux: this.muxOf === null ? null : this.muxOf(n.iface),
      peer_ip: n.srcIp,
      peer_asn: null,
      local_ip: n.dstIp,
      local_asn: null,
      src_port: n.srcPort,
      dst_port: n.dstPort,
      event: n.code,
      bytes_skipped: null,
      message: n.message,
    };
    if (this.stage2 !== null && !this.stage.pass(rec, this.stage2)) return;
    this.emit(rec);
  }

  private countEvent(code: string): void {
    this.stats.events.set(code, (this.stats.events.get(code) ?? 0) + 1);
  }
}
