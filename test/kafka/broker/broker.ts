// A small Kafka broker for the tests: the Kafka wire protocol over real TCP (or TLS) on 127.0.0.1, one node
// that leads every partition, everything in memory. It answers the requests kafkajs 2.2's producer, consumer
// and admin client send, and those librdkafka (kcat) sends for producing and for a simple consumer:
//
//   ApiVersions 0-2 (a newer request gets the v0 error answer KIP-511 prescribes), Metadata 1-6, Produce 3-7
//   (record batches v2, stored byte for byte: gzip and the other codecs pass through), Fetch 4-11 (long poll:
//   max_wait / min_bytes; full fetches, no incremental sessions), ListOffsets 1-3, FindCoordinator 0-2,
//   JoinGroup 0-5 (MEMBER_ID_REQUIRED from v4), SyncGroup 0-3, Heartbeat 0-3, LeaveGroup 0-3,
//   OffsetCommit 2-5, OffsetFetch 1-4, InitProducerId 0-1 (idempotent
//   producers: duplicate batches are acknowledged and not stored again), SaslHandshake 0-1 and
//   SaslAuthenticate 0-1 (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512) when configured.
//
// Only non-flexible versions are advertised, so clients never use tagged fields. Requests on one connection
// are answered in order, one at a time, as Kafka does. stop() is a crash: sockets are destroyed mid-request;
// start() again listens on the same port with the same logs and committed offsets, as a broker restarted
// with its disk would. Specs: https://kafka.apache.org/protocol, https://kafka.apache.org/documentation/#recordbatch

import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { Group } from './groups.js';
import { decodeRecords, setBaseOffset, splitBatches, type BatchInfo, type DecodedRecord } from './record-batch.js';
import { Reader, WireError, Writer } from './wire.js';

export const API = {
  Produce: 0,
  Fetch: 1,
  ListOffsets: 2,
  Metadata: 3,
  OffsetCommit: 8,
  OffsetFetch: 9,
  FindCoordinator: 10,
  JoinGroup: 11,
  Heartbeat: 12,
  LeaveGroup: 13,
  SyncGroup: 14,
  SaslHandshake: 17,
  ApiVersions: 18,
  InitProducerId: 22,
  SaslAuthenticate: 36,
} as const;

const API_NAME: Record<number, string> = Object.fromEntries(Object.entries(API).map(([k, v]) => [v, k]));

/**
 * Versions advertised, [min, max]. The maxima are kafkajs 2.2's, so it negotiates the versions it uses with a
 * Kafka 2.4+ cluster (Produce 7, Fetch 11, Metadata 6, JoinGroup 5 ...); librdkafka picks its own highest.
 * librdkafka 2.0 compresses with gzip only for brokers whose Produce range includes v0 (every Kafka before
 * 4.0 lists it), so Produce and Fetch are listed from 0; the record-batch-less versions below IMPLEMENTED_MIN
 * are refused (the connection is closed) if a client ever sends them.
 */
const VERSIONS: Record<number, [number, number]> = {
  [API.Produce]: [0, 7],
  [API.Fetch]: [0, 11],
  [API.ListOffsets]: [1, 3],
  [API.Metadata]: [1, 6],
  [API.OffsetCommit]: [2, 5],
  [API.OffsetFetch]: [1, 4],
  [API.FindCoordinator]: [0, 2],
  [API.JoinGroup]: [0, 5],
  [API.Heartbeat]: [0, 3],
  [API.LeaveGroup]: [0, 3],
  [API.SyncGroup]: [0, 3],
  [API.ApiVersions]: [0, 2],
  [API.InitProducerId]: [0, 1],
};
const IMPLEMENTED_MIN: Record<number, number> = { [API.Produce]: 3, [API.Fetch]: 4 };
const SASL_VERSIONS: Record<number, [number, number]> = {
  [API.SaslHandshake]: [0, 1],
  [API.SaslAuthenticate]: [0, 1],
};

/** Kafka error codes used here (org.apache.kafka.common.protocol.Errors). */
export const E = {
  NONE: 0,
  OFFSET_OUT_OF_RANGE: 1,
  CORRUPT_MESSAGE: 2,
  UNKNOWN_TOPIC_OR_PARTITION: 3,
  LEADER_NOT_AVAILABLE: 5,
  NOT_LEADER_FOR_PARTITION: 6,
  MESSAGE_TOO_LARGE: 10,
  INVALID_TOPIC: 17,
  ILLEGAL_SASL_STATE: 34,
  UNSUPPORTED_VERSION: 35,
  UNSUPPORTED_SASL_MECHANISM: 33,
  MEMBER_ID_REQUIRED: 79,
  OUT_OF_ORDER_SEQUENCE_NUMBER: 45,
  SASL_AUTHENTICATION_FAILED: 58,
} as const;

export interface SaslConfig {
  mechanisms: ('PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512')[];
  users: Record<string, string>;
}

export interface BrokerOptions {
  /** Port to listen on; 0 (default) picks one at the first start, later starts reuse it. */
  port?: number;
  /** Partitions of a topic created on first use. Default 3. */
  partitions?: number;
  /** Create unknown topics named in Metadata requests (when the client allows it). Default true. */
  autoCreate?: boolean;
  /** Answer LEADER_NOT_AVAILABLE for a topic in the Metadata response that creates it, as Kafka does. Default false. */
  leaderNotAvailableOnCreate?: boolean;
  /** Largest record batch accepted (message.max.bytes). Default 1 MiB + 12. */
  maxBatchBytes?: number;
  /** Cap on the wait for members to (re)join during a rebalance. Default 3000 ms. */
  maxJoinWaitMs?: number;
  tls?: { key: string | Buffer; cert: string | Buffer; ca?: string | Buffer; requestCert?: boolean };
  sasl?: SaslConfig;
  /** Hook deciding an error code for a partition of a Produce request before it is stored (fault tests). */
  produceError?: (topic: string, partition: number) => number;
  /** Called for every request (debugging). */
  log?: (line: string) => void;
}

interface StoredBatch {
  base: bigint;
  /** Offset after the batch. */
  next: bigint;
  info: BatchInfo;
}

interface ProducerState {
  epoch: number;
  /** Recent batches: first and last sequence and the offset they were stored at. */
  recent: { first: number; last: number; base: bigint }[];
}

export class PartitionLog {
  readonly batches: StoredBatch[] = [];
  hw = 0n;
  readonly producers = new Map<bigint, ProducerState>();
  bytes = 0;

  append(info: BatchInfo): bigint {
    const base = this.hw;
    setBaseOffset(info.bytes, base);
    const next = base + BigInt(info.lastOffsetDelta) + 1n;
    this.batches.push({ base, next, info });
    this.hw = next;
    this.bytes += info.bytes.length;
    return base;
  }

  /** Index of the first batch holding offsets >= off. */
  find(off: bigint): number {
    let lo = 0;
    let hi = this.batches.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.batches[mid]!.next <= off) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

interface Request {
  apiKey: number;
  version: number;
  correlationId: number;
  clientId: string | null;
  body: Reader;
}

interface Conn {
  socket: Socket;
  chain: Promise<void>;
  buf: Buffer;
  authenticated: boolean;
  saslMechanism: string | null;
  scram: { stage: number; user: string; clientFirstBare: string; serverFirst: string; nonce: string } | null;
}

const TOPIC_RE = /^[a-zA-Z0-9._-]{1,249}$/;

export class TestBroker {
  readonly topics = new Map<string, PartitionLog[]>();
  readonly groups = new Map<string, Group>();
  /** Requests seen: "Name vN" → count. */
  readonly seen = new Map<string, number>();
  readonly nodeId = 0;
  private server: Server | null = null;
  private readonly conns = new Set<Conn>();
  private waiters = new Set<() => void>();
  private nextProducerId = 1000n;
  private expiry: NodeJS.Timeout | null = null;
  port: number;

  constructor(readonly opts: BrokerOptions = {}) {
    this.port = opts.port ?? 0;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.server !== null;
  }

  async start(): Promise<number> {
    if (this.server !== null) return this.port;
    const onConn = (s: Socket): void => this.accept(s);
    const t = this.opts.tls;
    const server: Server =
      t === undefined
        ? createTcpServer(onConn)
        : createTlsServer(
            { key: t.key, cert: t.cert, ...(t.ca === undefined ? {} : { ca: t.ca }), requestCert: t.requestCert === true, rejectUnauthorized: t.requestCert === true },
            onConn,
          );
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const a = server.address();
    if (a !== null && typeof a === 'object') this.port = a.port;
    this.server = server;
    this.expiry = setInterval(() => {
      const now = Date.now();
      for (const g of this.groups.values()) g.expire(now);
    }, 200);
    this.expiry.unref();
    return this.port;
  }

  /** A crash: stop listening, destroy every connection (requests in progress get no answer). */
  async stop(): Promise<void> {
    const s = this.server;
    if (s === null) return;
    this.server = null;
    if (this.expiry !== null) clearInterval(this.expiry);
    for (const c of this.conns) c.socket.destroy();
    this.conns.clear();
    for (const g of this.groups.values()) g.reset();
    this.wake();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  // ------------------------------------------------------------------------------------------- inspection

  createTopic(name: string, partitions = this.opts.partitions ?? 3): PartitionLog[] {
    let t = this.topics.get(name);
    if (t === undefined) {
      t = Array.from({ length: partitions }, () => new PartitionLog());
      this.topics.set(name, t);
    }
    return t;
  }

  /** Every stored record of a topic, partition by partition, decoded (gzip inflated). */
  records(topic: string): (DecodedRecord & { partition: number })[] {
    const out: (DecodedRecord & { partition: number })[] = [];
    const t = this.topics.get(topic) ?? [];
    t.forEach((p, i) => {
      for (const b of p.batches) for (const r of decodeRecords(b.info.bytes)) out.push({ ...r, partition: i });
    });
    return out;
  }

  /** Batches stored for a topic (compression codecs, counts). */
  batches(topic: string): BatchInfo[] {
    return (this.topics.get(topic) ?? []).flatMap((p) => p.batches.map((b) => b.info));
  }

  count(api: keyof typeof API): number {
    let n = 0;
    for (const [k, v] of this.seen) if (k.startsWith(`${api} v`)) n += v;
    return n;
  }

  // ------------------------------------------------------------------------------------------- transport

  private accept(socket: Socket): void {
    socket.setNoDelay(true);
    const c: Conn = { socket, chain: Promise.resolve(), buf: Buffer.alloc(0), authenticated: this.opts.sasl === undefined, saslMechanism: null, scram: null };
    this.conns.add(c);
    socket.on('data', (d: Buffer) => this.onData(c, d));
    socket.on('error', () => socket.destroy());
    socket.on('close', () => this.conns.delete(c));
  }

  private onData(c: Conn, d: Buffer): void {
    c.buf = c.buf.length === 0 ? d : Buffer.concat([c.buf, d]);
    while (c.buf.length >= 4) {
      const size = c.buf.readInt32BE(0);
      if (size < 8 || size > 64 * 1024 * 1024) {
        c.socket.destroy();
        return;
      }
      if (c.buf.length < 4 + size) break;
      const frame = c.buf.subarray(4, 4 + size);
      c.buf = c.buf.subarray(4 + size);
      c.chain = c.chain.then(() => this.serve(c, frame));
    }
  }

  private async serve(c: Conn, frame: Buffer): Promise<void> {
    if (c.socket.destroyed) return;
    const r = new Reader(frame);
    let req: Request;
    try {
      const apiKey = r.int16();
      const version = r.int16();
      const correlationId = r.int32();
      // Request header v1 (client_id). A flexible ApiVersions request (v3+, header v2) is answered from the
      // fixed part alone.
      const clientId = apiKey === API.ApiVersions && version >= 3 ? null : r.nullableString();
      req = { apiKey, version, correlationId, clientId, body: r };
    } catch {
      c.socket.destroy();
      return;
    }
    const name = API_NAME[req.apiKey] ?? `api${req.apiKey}`;
    const key = `${name} v${req.version}`;
    this.seen.set(key, (this.seen.get(key) ?? 0) + 1);
    this.opts.log?.(`${c.socket.remotePort} ${key} #${req.correlationId} ${req.clientId ?? ''}`);
    let body: Writer | null;
    try {
      body = await this.dispatch(c, req);
    } catch (e) {
      this.opts.log?.(`closing: ${key}: ${(e as Error).message}`);
      c.socket.destroy();
      return;
    }
    if (body === null || c.socket.destroyed) return;
    const payload = body.done();
    const head = Buffer.allocUnsafe(8);
    head.writeInt32BE(payload.length + 4, 0);
    head.writeInt32BE(req.correlationId, 4);
    c.socket.write(Buffer.concat([head, payload]));
  }

  private versions(): Record<number, [number, number]> {
    return this.opts.sasl === undefined ? VERSIONS : { ...VERSIONS, ...SASL_VERSIONS };
  }

  private dispatch(c: Conn, req: Request): Promise<Writer | null> | Writer | null {
    const range = this.versions()[req.apiKey];
    if (req.apiKey === API.ApiVersions) return this.apiVersions(req, range!);
    const implemented = req.version >= (IMPLEMENTED_MIN[req.apiKey] ?? 0);
    if (range === undefined || req.version < range[0] || req.version > range[1] || !implemented) {
      throw new WireError(`unsupported request ${API_NAME[req.apiKey] ?? req.apiKey} v${req.version}`);
    }
    if (!c.authenticated && req.apiKey !== API.SaslHandshake && req.apiKey !== API.SaslAuthenticate) {
      throw new WireError('request before SASL authentication');
    }
    switch (req.apiKey) {
      case API.Metadata:
        return this.metadata(req);
      case API.Produce:
        return this.produce(req);
      case API.Fetch:
        return this.fetch(req);
      case API.ListOffsets:
        return this.listOffsets(req);
      case API.FindCoordinator:
        return this.findCoordinator(req);
      case API.JoinGroup:
        return this.joinGroup(req);
      case API.SyncGroup:
        return this.syncGroup(req);
      case API.Heartbeat:
        return this.heartbeat(req);
      case API.LeaveGroup:
        return this.leaveGroup(req);
      case API.OffsetCommit:
        return this.offsetCommit(req);
      case API.OffsetFetch:
        return this.offsetFetch(req);
      case API.InitProducerId:
        return this.initProducerId(req);
      case API.SaslHandshake:
        return this.saslHandshake(c, req);
      case API.SaslAuthenticate:
        return this.saslAuthenticate(c, req);
      default:
        throw new WireError(`no handler for api ${req.apiKey}`);
    }
  }

  // ------------------------------------------------------------------------------------------- handlers

  /** ApiVersions: v0 error_code [api_key min max]; v1+ adds throttle_time_ms. Unknown versions: v0 + error 35. */
  private apiVersions(req: Request, range: [number, number]): Writer {
    const w = new Writer();
    const list = Object.entries(this.versions()).map(([k, v]) => [Number(k), v[0], v[1]] as const);
    const supported = req.version >= range[0] && req.version <= range[1];
    w.int16(supported ? E.NONE : E.UNSUPPORTED_VERSION);
    w.array(list, (x, [k, lo, hi]) => x.int16(k).int16(lo).int16(hi));
    if (supported && req.version >= 1) w.int32(0);
    return w;
  }

  private metadata(req: Request): Writer {
    const v = req.version;
    const r = req.body;
    const names = r.nullableArray((x) => x.string());
    const allowCreate = (v >= 4 ? r.bool() : true) && this.opts.autoCreate !== false;
    const w = new Writer();
    if (v >= 3) w.int32(0);
    w.array([0], (x) => {
      x.int32(this.nodeId).string('127.0.0.1').int32(this.port);
      x.nullableString(null); // rack (v1+)
    });
    if (v >= 2) w.nullableString('bgpcap-test-cluster');
    w.int32(this.nodeId); // controller_id (v1+)
    const list: { name: string; error: number }[] = [];
    for (const name of names ?? [...this.topics.keys()]) {
      if (this.topics.has(name)) list.push({ name, error: E.NONE });
      else if (!TOPIC_RE.test(name)) list.push({ name, error: E.INVALID_TOPIC });
      else if (allowCreate) {
        this.createTopic(name);
        list.push({ name, error: this.opts.leaderNotAvailableOnCreate === true ? E.LEADER_NOT_AVAILABLE : E.NONE });
      } else list.push({ name, error: E.UNKNOWN_TOPIC_OR_PARTITION });
    }
    w.array(list, (x, t) => {
      x.int16(t.error).string(t.name).bool(false);
      const parts = t.error === E.NONE ? (this.topics.get(t.name) ?? []) : [];
      x.array(parts.map((_p, i) => i), (y, i) => {
        y.int16(E.NONE).int32(i).int32(this.nodeId);
        y.array([this.nodeId], (z, n) => z.int32(n)); // replicas
        y.array([this.nodeId], (z, n) => z.int32(n)); // isr
        if (v >= 5) y.array([] as number[], (z, n) => z.int32(n)); // offline replicas
      });
    });
    return w;
  }

  /**
   * Produce v3-7: transactional_id acks timeout [topic [partition records]] → [topic [partition error
   * base_offset log_append_time log_start_offset(v5+)]] throttle.
   */
  private produce(req: Request): Writer | null {
    const r = req.body;
    r.nullableString();
    const acks = r.int16();
    r.int32();
    const topics = r.array((x) => ({
      name: x.string(),
      parts: x.array((y) => ({ index: y.int32(), records: y.nullableBytes() })),
    }));
    const results = topics.map((t) => ({
      name: t.name,
      parts: t.parts.map((p) => ({ index: p.index, ...this.store(t.name, p.index, p.records) })),
    }));
    this.wake();
    if (acks === 0) return null;
    const w = new Writer();
    w.array(results, (x, t) => {
      x.string(t.name);
      x.array(t.parts, (y, p) => {
        y.int32(p.index).int16(p.error).int64(p.base).int64(-1);
        if (req.version >= 5) y.int64(0);
      });
    });
    w.int32(0);
    return w;
  }

  private store(topic: string, partition: number, records: Uint8Array | null): { error: number; base: bigint } {
    const log = this.topics.get(topic)?.[partition];
    if (log === undefined) return { error: E.UNKNOWN_TOPIC_OR_PARTITION, base: -1n };
    const injected = this.opts.produceError?.(topic, partition) ?? E.NONE;
    if (injected !== E.NONE) return { error: injected, base: -1n };
    let batches: BatchInfo[];
    try {
      batches = splitBatches(records ?? new Uint8Array(0));
    } catch {
      return { error: E.CORRUPT_MESSAGE, base: -1n };
    }
    const max = this.opts.maxBatchBytes ?? 1024 * 1024 + 12;
    if (batches.some((b) => b.bytes.length > max)) return { error: E.MESSAGE_TOO_LARGE, base: -1n };
    let first = -1n;
    for (const b of batches) {
      let base: bigint;
      if (b.producerId >= 0n) {
        // Idempotent producer (KIP-98): a batch seen before is acknowledged with its first offset, not stored again.
        let st = log.producers.get(b.producerId);
        if (st === undefined || st.epoch !== b.producerEpoch) {
          st = { epoch: b.producerEpoch, recent: [] };
          log.producers.set(b.producerId, st);
        }
        const last = b.baseSequence + b.lastOffsetDelta;
        const dup = st.recent.find((x) => x.first === b.baseSequence && x.last === last);
        if (dup !== undefined) {
          base = dup.base;
        } else {
          const prev = st.recent[st.recent.length - 1];
          if (prev !== undefined && b.baseSequence !== prev.last + 1) return { error: E.OUT_OF_ORDER_SEQUENCE_NUMBER, base: -1n };
          base = log.append(b);
          st.recent.push({ first: b.baseSequence, last, base });
          if (st.recent.length > 5) st.recent.shift();
        }
      } else {
        base = log.append(b);
      }
      if (first < 0n) first = base;
    }
    return { error: E.NONE, base: first };
  }

  /**
   * Fetch v4-11: long poll until min_bytes are available or max_wait passed. Request: replica_id max_wait
   * min_bytes max_bytes isolation_level session_id(v7+) session_epoch(v7+) [topic [partition
   * current_leader_epoch(v9+) fetch_offset log_start_offset(v5+) partition_max_bytes]] forgotten(v7+) rack(v11).
   */
  private async fetch(req: Request): Promise<Writer> {
    const v = req.version;
    const r = req.body;
    r.int32(); // replica_id
    const maxWait = r.int32();
    const minBytes = r.int32();
    const maxBytes = r.int32();
    r.int8(); // isolation_level
    if (v >= 7) {
      r.int32(); // session_id: 0, no incremental fetch session (KIP-227) is kept; every answer is full
      r.int32(); // session_epoch
    }
    const topics = r.array((x) => ({
      name: x.string(),
      parts: x.array((y) => {
        const index = y.int32();
        if (v >= 9) y.int32(); // current_leader_epoch
        const offset = y.int64();
        if (v >= 5) y.int64(); // log_start_offset (followers only)
        return { index, offset, maxBytes: y.int32() };
      }),
    }));
    const deadline = Date.now() + Math.max(0, maxWait);
    for (;;) {
      const { w, bytes } = this.fetchAnswer(topics, maxBytes, v);
      const left = deadline - Date.now();
      if (bytes >= Math.max(1, minBytes) || left <= 0 || !this.running) return w;
      await this.waitData(left);
    }
  }

  /** Fetch response: throttle error(v7+) session_id(v7+) [topic [partition error high_watermark
   * last_stable_offset log_start_offset(v5+) [aborted] preferred_read_replica(v11) records]]. */
  private fetchAnswer(
    topics: { name: string; parts: { index: number; offset: bigint; maxBytes: number }[] }[],
    maxBytes: number,
    v: number,
  ): { w: Writer; bytes: number } {
    let total = 0;
    const w = new Writer();
    w.int32(0);
    if (v >= 7) w.int16(E.NONE).int32(0);
    const head = (y: Writer, index: number, error: number, hw: bigint): void => {
      y.int32(index).int16(error).int64(hw).int64(hw);
      if (v >= 5) y.int64(hw < 0n ? -1 : 0);
      y.int32(0); // aborted_transactions: none (no transactions here)
      if (v >= 11) y.int32(-1); // preferred_read_replica: the leader
    };
    w.array(topics, (x, t) => {
      x.string(t.name);
      x.array(t.parts, (y, p) => {
        const log = this.topics.get(t.name)?.[p.index];
        if (log === undefined) {
          head(y, p.index, E.UNKNOWN_TOPIC_OR_PARTITION, -1n);
          y.nullableBytes(null);
          return;
        }
        if (p.offset < 0n || p.offset > log.hw) {
          head(y, p.index, E.OFFSET_OUT_OF_RANGE, log.hw);
          y.nullableBytes(null);
          return;
        }
        const chunks: Buffer[] = [];
        let n = 0;
        // At least one whole batch even when it is larger than the limits (KIP-74), so consumers progress.
        for (let i = log.find(p.offset); i < log.batches.length; i++) {
          const b = log.batches[i]!.info.bytes;
          if (chunks.length > 0 && (n + b.length > p.maxBytes || total + n + b.length > maxBytes)) break;
          if (chunks.length === 0 && total > 0 && total + b.length > maxBytes) break;
          chunks.push(b);
          n += b.length;
        }
        total += n;
        head(y, p.index, E.NONE, log.hw);
        y.nullableBytes(Buffer.concat(chunks));
      });
    });
    return { w, bytes: total };
  }

  private waitData(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(t);
        this.waiters.delete(done);
        resolve();
      };
      const t = setTimeout(done, ms);
      this.waiters.add(done);
    });
  }

  private wake(): void {
    const ws = [...this.waiters];
    this.waiters.clear();
    for (const w of ws) w();
  }

  /** ListOffsets v1-3: -1 latest (high watermark), -2 earliest, else the first batch at or after the time. */
  private listOffsets(req: Request): Writer {
    const r = req.body;
    r.int32();
    if (req.version >= 2) r.int8();
    const topics = r.array((x) => ({ name: x.string(), parts: x.array((y) => ({ index: y.int32(), ts: y.int64() })) }));
    const w = new Writer();
    if (req.version >= 2) w.int32(0);
    w.array(topics, (x, t) => {
      x.string(t.name);
      x.array(t.parts, (y, p) => {
        const log = this.topics.get(t.name)?.[p.index];
        if (log === undefined) {
          y.int32(p.index).int16(E.UNKNOWN_TOPIC_OR_PARTITION).int64(-1).int64(-1);
          return;
        }
        let off = -1n;
        if (p.ts === -1n) off = log.hw;
        else if (p.ts === -2n) off = 0n;
        else off = log.batches.find((b) => b.info.maxTimestamp >= p.ts)?.base ?? -1n;
        y.int32(p.index).int16(E.NONE).int64(-1).int64(off);
      });
    });
    return w;
  }

  private findCoordinator(req: Request): Writer {
    const r = req.body;
    r.string();
    if (req.version >= 1) r.int8();
    const w = new Writer();
    if (req.version >= 1) w.int32(0);
    w.int16(E.NONE);
    if (req.version >= 1) w.nullableString(null);
    w.int32(this.nodeId).string('127.0.0.1').int32(this.port);
    return w;
  }

  private group(id: string): Group {
    let g = this.groups.get(id);
    if (g === undefined) {
      g = new Group(id, this.opts.maxJoinWaitMs ?? 3000);
      this.groups.set(id, g);
    }
    return g;
  }

  private async joinGroup(req: Request): Promise<Writer> {
    const r = req.body;
    const groupId = r.string();
    const session = r.int32();
    const rebalance = req.version >= 1 ? r.int32() : session;
    const memberId = r.string();
    if (req.version >= 5) r.nullableString(); // group_instance_id (static membership: not kept apart here)
    const protocolType = r.string();
    const protocols = r.array((x) => ({ name: x.string(), metadata: Buffer.from(x.bytes()) }));
    const g = this.group(groupId);
    // KIP-394 (v4+): a new member first gets its id with MEMBER_ID_REQUIRED and joins again with it.
    const res =
      req.version >= 4 && memberId === ''
        ? { error: E.MEMBER_ID_REQUIRED, generation: -1, protocol: '', leader: '', memberId: g.newMemberId(req.clientId ?? 'client'), members: [] }
        : await g.join(memberId, req.clientId ?? 'client', session, rebalance, protocolType, protocols);
    const w = new Writer();
    if (req.version >= 2) w.int32(0);
    w.int16(res.error).int32(res.generation).string(res.protocol).string(res.leader).string(res.memberId);
    w.array(res.members, (x, m) => {
      x.string(m.id);
      if (req.version >= 5) x.nullableString(null);
      x.nullableBytes(m.metadata);
    });
    return w;
  }

  private async syncGroup(req: Request): Promise<Writer> {
    const r = req.body;
    const groupId = r.string();
    const generation = r.int32();
    const memberId = r.string();
    if (req.version >= 3) r.nullableString(); // group_instance_id
    const assignments = r.array((x) => ({ id: x.string(), assignment: Buffer.from(x.bytes()) }));
    const res = await this.group(groupId).sync(memberId, generation, assignments);
    const w = new Writer();
    if (req.version >= 1) w.int32(0);
    return w.int16(res.error).nullableBytes(res.assignment);
  }

  private heartbeat(req: Request): Writer {
    const r = req.body;
    const g = this.group(r.string());
    const generation = r.int32();
    const memberId = r.string();
    if (req.version >= 3) r.nullableString(); // group_instance_id
    const err = g.heartbeat(memberId, generation);
    const w = new Writer();
    if (req.version >= 1) w.int32(0);
    return w.int16(err);
  }

  /** LeaveGroup v0-2: group member → error; v3 (KIP-345): group [member instance] → error [member instance error]. */
  private leaveGroup(req: Request): Writer {
    const r = req.body;
    const g = this.group(r.string());
    const w = new Writer();
    if (req.version >= 1) w.int32(0);
    if (req.version < 3) return w.int16(g.leave(r.string()));
    const members = r.array((x) => ({ id: x.string(), instance: x.nullableString() }));
    const errs = members.map((m) => g.leave(m.id));
    w.int16(E.NONE);
    w.array(members.map((m, i) => ({ ...m, err: errs[i]! })), (x, m) => x.string(m.id).nullableString(m.instance).int16(m.err));
    return w;
  }

  /** OffsetCommit v2-5: group generation member retention(v2-4) [topic [partition offset metadata]]. */
  private offsetCommit(req: Request): Writer {
    const r = req.body;
    const g = this.group(r.string());
    const generation = r.int32();
    const memberId = r.string();
    if (req.version <= 4) r.int64(); // retention_time
    const topics = r.array((x) => ({
      name: x.string(),
      parts: x.array((y) => ({ index: y.int32(), offset: y.int64(), metadata: y.nullableString() })),
    }));
    const err = g.commitError(memberId, generation);
    const w = new Writer();
    if (req.version >= 3) w.int32(0);
    w.array(topics, (x, t) => {
      x.string(t.name);
      x.array(t.parts, (y, p) => {
        if (err === E.NONE) g.offsets.set(`${t.name}\0${p.index}`, { offset: p.offset, metadata: p.metadata });
        y.int32(p.index).int16(err);
      });
    });
    return w;
  }

  /** OffsetFetch v1-4: -1 for partitions without a committed offset. */
  private offsetFetch(req: Request): Writer {
    const r = req.body;
    const g = this.group(r.string());
    let topics = r.nullableArray((x) => ({ name: x.string(), parts: x.array((y) => y.int32()) }));
    if (topics === null) {
      const byTopic = new Map<string, number[]>();
      for (const k of g.offsets.keys()) {
        const [t, p] = k.split('\0') as [string, string];
        byTopic.set(t, [...(byTopic.get(t) ?? []), Number(p)]);
      }
      topics = [...byTopic].map(([name, parts]) => ({ name, parts }));
    }
    const w = new Writer();
    if (req.version >= 3) w.int32(0);
    w.array(topics, (x, t) => {
      x.string(t.name);
      x.array(t.parts, (y, p) => {
        const c = g.offsets.get(`${t.name}\0${p}`);
        y.int32(p).int64(c?.offset ?? -1n).nullableString(c?.metadata ?? '').int16(E.NONE);
      });
    });
    if (req.version >= 2) w.int16(E.NONE);
    return w;
  }

  private initProducerId(req: Request): Writer {
    const r = req.body;
    r.nullableString();
    r.int32();
    const w = new Writer();
    return w.int32(0).int16(E.NONE).int64(this.nextProducerId++).int16(0);
  }

  // ------------------------------------------------------------------------------------------- SASL

  private saslHandshake(c: Conn, req: Request): Writer {
    const mech = req.body.string();
    const mechs = this.opts.sasl?.mechanisms ?? [];
    const ok = (mechs as string[]).includes(mech);
    if (ok) c.saslMechanism = mech;
    if (req.version === 0 && ok) throw new WireError('SaslHandshake v0 (unframed tokens) is not implemented');
    return new Writer().int16(ok ? E.NONE : E.UNSUPPORTED_SASL_MECHANISM).array(mechs, (x, m) => x.string(m));
  }

  private saslAuthenticate(c: Conn, req: Request): Writer {
    const token = Buffer.from(req.body.bytes());
    const w = new Writer();
    const answer = (error: number, message: string | null, bytes: Buffer): Writer => {
      w.int16(error).nullableString(message).nullableBytes(bytes);
      if (req.version >= 1) w.int64(0);
      return w;
    };
    const users = this.opts.sasl?.users ?? {};
    const mech = c.saslMechanism;
    if (mech === 'PLAIN') {
      // RFC 4616 §2: [authzid] NUL authcid NUL passwd
      const [, user = '', pass = ''] = token.toString('utf8').split('\0');
      if (users[user] !== undefined && users[user] === pass) {
        c.authenticated = true;
        return answer(E.NONE, null, Buffer.alloc(0));
      }
      return answer(E.SASL_AUTHENTICATION_FAILED, 'Authentication failed: invalid username or password', Buffer.alloc(0));
    }
    if (mech === 'SCRAM-SHA-256' || mech === 'SCRAM-SHA-512') return this.scram(c, mech, token, users, answer);
    return answer(E.ILLEGAL_SASL_STATE, 'no SASL mechanism selected', Buffer.alloc(0));
  }

  /** RFC 5802 §3 server side, iteration count 4096. */
  private scram(
    c: Conn,
    mech: 'SCRAM-SHA-256' | 'SCRAM-SHA-512',
    token: Buffer,
    users: Record<string, string>,
    answer: (error: number, message: string | null, bytes: Buffer) => Writer,
  ): Writer {
    const hash = mech === 'SCRAM-SHA-256' ? 'sha256' : 'sha512';
    const keyLen = mech === 'SCRAM-SHA-256' ? 32 : 64;
    const text = token.toString('utf8');
    const attrs = (s: string): Map<string, string> => new Map(s.split(',').map((kv) => [kv.slice(0, 1), kv.slice(2)]));
    const fail = (): Writer => answer(E.SASL_AUTHENTICATION_FAILED, `Authentication failed during authentication due to invalid credentials with SASL mechanism ${mech}`, Buffer.alloc(0));
    if (c.scram === null) {
      const bare = text.replace(/^[^,]*,[^,]*,/, '');
      const a = attrs(bare);
      const user = (a.get('n') ?? '').replace(/=2C/g, ',').replace(/=3D/g, '=');
      const nonce = `${a.get('r') ?? ''}${randomBytes(12).toString('base64')}`;
      const salt = createHash('sha256').update(`salt:${user}`).digest().subarray(0, 16);
      const serverFirst = `r=${nonce},s=${salt.toString('base64')},i=4096`;
      c.scram = { stage: 1, user, clientFirstBare: bare, serverFirst, nonce };
      return answer(E.NONE, null, Buffer.from(serverFirst));
    }
    const st = c.scram;
    c.scram = null;
    const pass = users[st.user];
    const a = attrs(text);
    if (pass === undefined || a.get('r') !== st.nonce) return fail();
    const withoutProof = text.slice(0, text.lastIndexOf(',p='));
    const salt = createHash('sha256').update(`salt:${st.user}`).digest().subarray(0, 16);
    const salted = pbkdf2Sync(pass, salt, 4096, keyLen, hash);
    const clientKey = createHmac(hash, salted).update('Client Key').digest();
    const storedKey = createHash(hash).update(clientKey).digest();
    const authMessage = `${st.clientFirstBare},${st.serverFirst},${withoutProof}`;
    const clientSig = createHmac(hash, storedKey).update(authMessage).digest();
    const proof = Buffer.from(a.get('p') ?? '', 'base64');
    const expected = Buffer.alloc(clientKey.length);
    for (let i = 0; i < expected.length; i++) expected[i] = clientKey[i]! ^ clientSig[i]!;
    if (proof.length !== expected.length || !timingSafeEqual(proof, expected)) return fail();
    const serverKey = createHmac(hash, salted).update('Server Key').digest();
    const serverSig = createHmac(hash, serverKey).update(authMessage).digest();
    c.authenticated = true;
    return answer(E.NONE, null, Buffer.from(`v=${serverSig.toString('base64')}`));
  }
}
