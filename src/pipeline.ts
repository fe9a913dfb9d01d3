// The pipeline wires the stages together: Frame → link → Segment → TCP reassembly → BGP framer →
// decode with session state → BgpRecord → sink. It owns the per-connection session state (the OPENs seen)
// and the run statistics; every stage below it is ignorant of the others.

import { decodeFrame, type LinkOptions } from './link/decode.js';
import { TcpReassembler, type ReassemblyOptions } from './tcp/reassembler.js';
import type { Connection, HalfFlow, StreamEvent } from './tcp/stream.js';
import { decodeMessage } from './bgp/decode.js';
import { BgpSession } from './bgp/session.js';
import { MSG_OPEN, msgTypeName, type OpenMessage } from './bgp/model.js';
import type { BgpRecord, EventRecord, MessageRecord } from './record.js';
import type { Frame, LinkNotice, Segment, Timestamp } from './types.js';

export interface PipelineOptions {
  /** TCP ports that carry BGP. Default: {179}. */
  ports: ReadonlySet<number>;
  reassembly: Partial<ReassemblyOptions>;
}

export const DEFAULT_PIPELINE_OPTIONS: PipelineOptions = {
  ports: new Set([179]),
  reassembly: {},
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
}

/** Per-connection state kept in Connection.user: the OPENs that configure decoding of the UPDATEs. */
interface ConnState {
  session: BgpSession;
}

export class Pipeline {
  readonly stats: RunStats = {
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
  };
  private readonly linkOpts: LinkOptions;
  private readonly tcp: TcpReassembler;
  private file: string | null = null;
  private unsupportedLinkReported = new Set<string>();

  constructor(
    private readonly emit: (r: BgpRecord) => void,
    opts: Partial<PipelineOptions> = {},
  ) {
    const o = { ...DEFAULT_PIPELINE_OPTIONS, ...opts };
    this.linkOpts = { ports: o.ports };
    this.tcp = new TcpReassembler(
      {
        message: (h, bytes, ts, frameNo) => this.onMessage(h, bytes, ts, frameNo),
        event: (h, ev, ts, frameNo) => this.onStreamEvent(h, ev, ts, frameNo),
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
    const r = decodeFrame(f, this.linkOpts);
    if (r === null) return;
    if ('code' in r) {
      this.onLinkNotice(r);
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
      s = { session: new BgpSession() };
      c.user = s;
      this.stats.sessions++;
    }
    return s;
  }

  private onMessage(h: HalfFlow, bytes: Uint8Array, ts: Timestamp, frameNo: number): void {
    const st = this.connState(h.conn);
    const fromA = h === h.conn.a;
    const type = bytes.length >= 19 ? bytes[18]! : 0;
    const length = bytes.length >= 19 ? (bytes[16]! << 8) | bytes[17]! : bytes.length;
    const res = decodeMessage(bytes, st.session.paramsFor(fromA));
    if (type === MSG_OPEN && res.msg !== null && res.msg.kind === 'open') {
      st.session.setOpen(fromA, res.msg as OpenMessage);
      // RFC 8654: once both sides advertised extended messages, up to 65535 bytes may follow.
      const max = st.session.maxMessageLength();
      h.maxMessageLength = max;
      h.reverse.maxMessageLength = max;
    }
    const name = msgTypeName(type);
    this.stats.messages++;
    this.stats.byType.set(name, (this.stats.byType.get(name) ?? 0) + 1);
    if (res.error !== null) this.stats.errors++;
    if (res.msg !== null && res.msg.kind === 'update' && res.msg.warnings.length > 0) this.stats.warnings++;
    const rec: MessageRecord = {
      kind: 'message',
      ts,
      frame: frameNo,
      file: this.file,
      iface: h.conn.iface,
      mux: null,
      peer_ip: h.srcIp,
      peer_asn: st.session.asn(fromA),
      local_ip: h.dstIp,
      local_asn: st.session.asn(!fromA),
      src_port: h.srcPort,
      dst_port: h.dstPort,
      msg_type: type,
      length,
      msg: res.msg,
      error: res.error,
      raw: bytes,
      inferred: res.inferred,
    };
    this.emit(rec);
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
      mux: null,
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
      mux: null,
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
    this.emit(rec);
  }

  private countEvent(code: string): void {
    this.stats.events.set(code, (this.stats.events.get(code) ?? 0) + 1);
  }
}
