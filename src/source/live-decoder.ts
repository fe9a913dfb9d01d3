// The decoder process of `bgpcap live`: reads packets from the capture process (fd 3, live-wire.ts), runs them
// through the same pipeline as `bgpcap read`, writes records to stdout as they come (one write per chunk read
// from the pipe), and when the stream ends reports its counts to the capture process (fd 4, one JSON line).
// At start it decodes synthetic traffic into /dev/null so the first real full table meets optimised code
// (live-warmup.ts).
//
// It is started as root only so that it can load its code from wherever bgpcap is installed; before it reads the
// first packet it becomes the --user (privileges.ts). It ignores SIGINT and SIGTERM: a Ctrl-C reaches the whole
// process group, and the capture process answers it by ending the stream, after which this process flushes and
// exits — so every packet captured before the signal is decoded and written.
//
// With --kafka the decoder also publishes every record (src/kafka/): it connects before it drops root (the CA,
// client key and password files may be readable by root only) and before it says it is ready (a `ready` line on
// fd 4), so the capture process opens no interface when no broker answers. While the Kafka buffer is full
// (--kafka-full block) it stops reading fd 3: packets wait in the pipe and then in the capture process, which
// counts those beyond --max-queue as dropped by bgpcap. A `stop` line from the capture process on fd 4 (it is a
// socket pair) ends the wait: at stop every packet still in the pipe is decoded, and the buffer gets
// --kafka-flush-timeout to be delivered.

import { Socket } from 'node:net';
import { writeSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Pipeline } from '../pipeline.js';
import { createSink, teeSink, type Level, type Sink, type SinkOptions } from '../sink/index.js';
import { Output } from '../sink/output.js';
import { buildFilters } from '../cli/filter-options.js';
import { formatStats } from '../cli/stats.js';
import type { KafkaSink } from '../kafka/sink.js';
import type { BgpRecord, EventRecord, MessageRecord } from '../record.js';
import type { WireRecord } from '../sink/wire-fields.js';
import type { Frame } from '../types.js';
import { dropPrivileges, type DropResult, type DropTarget } from './privileges.js';
import { KIND_ATTACH, KIND_DETACH, KIND_FILE, WireReader, type AttachInfo, type DetachInfo } from './live-wire.js';
import { warmUp as warmPipeline } from './warmup.js';

export const DECODER_ENV = 'BGPCAP_LIVE_DECODER';
/** fd 4, decoder → capture process: set up (Kafka connected, root dropped), about to read packets. */
export const DECODER_READY = 'ready\n';
/** fd 4, capture process → decoder: the capture stops; do not wait for Kafka any longer. */
export const DECODER_STOP = 'stop\n';

/** Everything the decoder needs, as JSON in the environment variable DECODER_ENV. */
export interface DecoderConfig {
  sink: SinkOptions;
  /** The command's parsed options, for buildFilters (same flags, same result as in the capture process). */
  filterOptions: Record<string, unknown>;
  ports: number[];
  reassembly: { maxBufferedPerFlow: number; maxBufferedTotal: number; maxConnections: number };
  filterLevel: 'msg' | 'elem';
  /** User to become before reading packets; null: keep the current one. */
  drop: DropTarget | null;
  /** Print the `bgpcap read --stats` summary on stderr at the end. */
  stats: boolean;
  /** --kafka: also publish every record; null or absent: stdout only. */
  kafka?: DecoderKafkaConfig | null;
}

export interface DecoderKafkaConfig {
  /** The command's --kafka-* options (src/cli/kafka-options.ts KafkaCliOptions); --kafka-wait forever as 'forever'. */
  options: Record<string, unknown>;
  level: Level;
  raw: boolean;
}

/** What the Kafka producer did (the counts line on stderr), for the capture process and --summary. */
export interface DecoderKafkaReport {
  sent: number;
  retried: number;
  failed: number;
  dropped: number;
  /** Times decoding paused because the buffer was full (--kafka-full block). */
  pauses: number;
  /** No broker at start (or stopped while waiting for one): the one-line reason, already on stderr. */
  startError: string | null;
}

/** Per interface, what the decoder saw. */
export interface DecoderIfaceCounts {
  name: string;
  mux: string | null;
  frames: number;
  messages: number;
  byType: Record<string, number>;
  /** Capture time of the last BGP message (epoch seconds), null before the first. */
  lastMessage: number | null;
}

/** The report on fd 4 at the end. */
export interface DecoderSummary {
  pid: number;
  uid: number;
  gid: number;
  groups: number[];
  ifaces: DecoderIfaceCounts[];
  messages: number;
  /** Bytes of an incomplete record at the end of the stream (0 normally). */
  truncatedTail: number;
  error: string | null;
  /** null without --kafka. */
  kafka: DecoderKafkaReport | null;
}

const TYPE_NAMES: Record<number, string> = { 1: 'OPEN', 2: 'UPDATE', 3: 'NOTIFICATION', 4: 'KEEPALIVE', 5: 'ROUTE-REFRESH' };

interface IfaceSlot {
  counts: DecoderIfaceCounts;
  linkType: number;
  file: string | null;
  frameNo: number;
  frame: Frame;
}

function eventRecord(slot: IfaceSlot, event: string, message: string, timeMs: number): EventRecord {
  const ms = Math.floor(timeMs);
  return {
    kind: 'event',
    ts: { sec: Math.floor(ms / 1000), nsec: (ms % 1000) * 1_000_000 },
    frame: slot.frameNo,
    file: slot.file,
    iface: slot.counts.name,
    mux: slot.counts.mux,
    peer_ip: null,
    peer_asn: null,
    local_ip: null,
    local_asn: null,
    src_port: null,
    dst_port: null,
    event,
    bytes_skipped: null,
    message,
  };
}

/** The decoder's side of fd 4 besides the final report. */
export interface DecoderControl {
  /** Set up (Kafka connected, privileges dropped): the first packet is read next. */
  ready(): void;
  /** Resolves when the capture process stops (or is gone). */
  stopped: Promise<void>;
}

const NO_CONTROL: DecoderControl = { ready: () => {}, stopped: new Promise<void>(() => {}) };

/**
 * --kafka: connect (waiting with --kafka-wait, unless the capture stops first). A broker that cannot be reached
 * gives its one-line reason, already written to stderr; a usage mistake (an unreadable PEM file) throws.
 */
async function openKafka(k: DecoderKafkaConfig, stopped: Promise<void>): Promise<{ sink: KafkaSink; report: (s: KafkaSink) => void } | string> {
  // Loaded only with --kafka: kafkajs costs start-up time, and packets queue while the decoder starts.
  const { kafkaStatus, reportKafka, startKafkaSink } = await import('../cli/kafka-options.js');
  const { KafkaError } = await import('../kafka/errors.js');
  const options: Record<string, unknown> = { ...k.options };
  if (options['kafkaWait'] === 'forever') options['kafkaWait'] = Number.POSITIVE_INFINITY;
  const r = await Promise.race([
    startKafkaSink(options, { level: k.level, raw: k.raw, onStatus: kafkaStatus }).then(
      (sink) => ({ sink }),
      (error: unknown) => ({ error }),
    ),
    stopped.then(() => ({ stopped: true as const })),
  ]);
  if ('sink' in r) return { sink: r.sink, report: (s) => void reportKafka(s, 0) };
  if ('stopped' in r) {
    const why = `stopped while waiting for ${String(options['kafka'])}; nothing was captured`;
    kafkaStatus(why);
    return why;
  }
  if (r.error instanceof KafkaError) {
    kafkaStatus(r.error.message);
    return r.error.message;
  }
  throw r.error;
}

export async function runDecoder(
  cfg: DecoderConfig,
  input: NodeJS.ReadableStream,
  report: (s: DecoderSummary) => void,
  control: DecoderControl = NO_CONTROL,
): Promise<void> {
  // Set once packets are read; a closed stdout before that only ends the run when it starts.
  let started = false;
  let epipe = false;
  // Records are collected while one chunk of the pipe is decoded and written when the chunk is done (and every
  // 64 KiB meanwhile), not one write per record: with -l elem a full table (BIRD sends 200k prefixes/s and
  // more) made that 200k system calls a second here and as many wake-ups of the reader; in the lab the median
  // capture→stdout delay went from 21 ms to 2 ms with this change (bench/live.ts). A chunk is at most 64 KiB
  // of packets (one read of the pipe), about 3,000 prefixes, so a record waits no longer than their decoding:
  // a millisecond or two.
  const out = new Output(process.stdout, {
    flushEachRecord: false,
    onEpipe: () => {
      epipe = true;
      if (started) void finish(null);
    },
  });
  const stdoutSink = createSink(cfg.sink, out);
  const filters = buildFilters(cfg.filterOptions);
  // Kafka before dropping root: the CA, key and password files may be readable by root only.
  let kafka: KafkaSink | null = null;
  let reportKafka: (s: KafkaSink) => void = () => {};
  if (cfg.kafka != null) {
    const k = await openKafka(cfg.kafka, control.stopped);
    if (typeof k === 'string') {
      report({
        pid: process.pid,
        uid: process.getuid?.() ?? -1,
        gid: process.getgid?.() ?? -1,
        groups: process.getgroups?.() ?? [],
        ifaces: [],
        messages: 0,
        truncatedTail: 0,
        error: null,
        kafka: { sent: 0, retried: 0, failed: 0, dropped: 0, pauses: 0, startError: k },
      });
      return;
    }
    kafka = k.sink;
    reportKafka = k.report;
  }
  // --kafka without -f: format none, Kafka only (src/cli/kafka-options.ts kafkaOnly).
  const sink: Sink = kafka === null ? stdoutSink : cfg.sink.format === 'none' ? kafka : teeSink(stdoutSink, kafka);
  let dropped: DropResult | null = null;
  if (cfg.drop !== null) dropped = dropPrivileges(cfg.drop);

  const slots: IfaceSlot[] = [];
  const muxByIface = new Map<string, string | null>();
  let messages = 0;
  const count = (r: MessageRecord): void => {
    if (r.iface === null) return;
    const slot = slotByName.get(r.iface);
    if (slot !== undefined) {
      const c = slot.counts;
      c.messages++;
      const name = TYPE_NAMES[r.msg_type] ?? `TYPE_${r.msg_type}`;
      c.byType[name] = (c.byType[name] ?? 0) + 1;
      c.lastMessage = r.ts.sec + r.ts.nsec / 1e9;
    }
    messages++;
  };
  const write = (r: BgpRecord): void => {
    if (r.kind === 'message') count(r);
    sink.write(r);
  };
  // The writers' fast path for UPDATEs (sink/wire-fields.ts): stdout only, not with Kafka.
  const wireSink = kafka === null ? stdoutSink.wire : undefined;
  const wire =
    wireSink === undefined
      ? null
      : (r: WireRecord): void => {
          count(r);
          wireSink(r);
        };
  const slotByName = new Map<string, IfaceSlot>();
  const pipeline = new Pipeline(write, {
    ports: new Set(cfg.ports),
    stage1: filters.stage1,
    stage2: filters.stage2,
    filterLevel: cfg.filterLevel,
    reassembly: { ...cfg.reassembly, keyByIface: true },
    muxOf: (iface) => (iface === null ? null : (muxByIface.get(iface) ?? null)),
    countWarnings: cfg.stats,
    wire,
  });
  let currentFile: string | null = null;
  const event = (slot: IfaceSlot, code: string, message: string, timeMs: number): void => {
    const rec = eventRecord(slot, code, message, timeMs);
    if (filters.stage2 !== null && !filters.stage2.record(rec)) return;
    sink.write(rec);
  };

  const reader = new WireReader({
    packet(id, sec, nsec, data, origLen) {
      const slot = slots[id];
      if (slot === undefined) return;
      if (slot.file !== currentFile) {
        currentFile = slot.file;
        pipeline.beginFile(currentFile);
      }
      const f = slot.frame;
      f.frameNo = ++slot.frameNo;
      f.ts = { sec, nsec };
      f.data = data;
      f.origLen = origLen;
      slot.counts.frames++;
      pipeline.frame(f);
    },
    control(kind, id, value) {
      if (kind === KIND_ATTACH) {
        const a = value as AttachInfo;
        let slot = slots[id];
        if (slot === undefined) {
          slot = {
            counts: { name: a.name, mux: a.mux, frames: 0, messages: 0, byType: {}, lastMessage: null },
            linkType: a.linkType,
            file: a.file,
            frameNo: 0,
            frame: { frameNo: 0, ts: { sec: 0, nsec: 0 }, linkType: a.linkType, data: new Uint8Array(0), origLen: 0, iface: a.name },
          };
          slots[id] = slot;
          slotByName.set(a.name, slot);
          muxByIface.set(a.name, a.mux);
        }
        slot.linkType = a.linkType;
        slot.frame.linkType = a.linkType;
        if (a.file !== slot.file) {
          slot.file = a.file;
          slot.frameNo = 0;
        }
        const who = a.mux === null ? a.name : `${a.name} (mux ${a.mux})`;
        if (a.again) event(slot, 'iface_up', `capturing on ${who} again`, a.timeMs);
      } else if (kind === KIND_DETACH) {
        const slot = slots[id];
        const d = value as DetachInfo;
        if (slot !== undefined) event(slot, 'iface_down', `${slot.counts.name}: ${d.reason}`, d.timeMs);
      } else if (kind === KIND_FILE) {
        const slot = slots[id];
        if (slot !== undefined) {
          slot.file = (value as { file: string }).file;
          slot.frameNo = 0;
        }
      }
    },
  });

  let finished = false;
  let resolveDone: () => void = () => {};
  const done = new Promise<void>((r) => {
    resolveDone = r;
  });
  async function finish(err: Error | null): Promise<void> {
    if (finished) return;
    finished = true;
    input.removeAllListeners('data');
    let error = err === null ? null : err.message;
    try {
      pipeline.end();
      await sink.end();
    } catch (e) {
      error ??= (e as Error).message;
    }
    if (cfg.stats) process.stderr.write(formatStats(pipeline.stats, filters.describe()));
    // The counts line (sent, retried, failed, dropped) comes last, as with `bgpcap read --kafka`.
    if (kafka !== null) reportKafka(kafka);
    const kc = kafka?.producer.counts;
    report({
      pid: process.pid,
      uid: process.getuid?.() ?? -1,
      gid: process.getgid?.() ?? -1,
      groups: dropped?.groups ?? process.getgroups?.() ?? [],
      ifaces: slots.filter((s) => s !== undefined).map((s) => s.counts),
      messages,
      truncatedTail: reader.pending,
      error,
      kafka: kc === undefined ? null : { sent: kc.sent, retried: kc.retried, failed: kc.failed, dropped: kc.dropped, pauses: kc.pauses, startError: null },
    });
    resolveDone();
  }
  // --kafka-full block: while the buffer is full no packet is read; they wait in the pipe, then in the capture
  // process (beyond --max-queue: dropped by bgpcap). Once the capture stops, nothing waits any more: the rest
  // of the pipe is decoded and the buffer gets the flush timeout.
  let paused = false;
  let stopping = false;
  const resume = (): void => {
    if (!paused || finished) return;
    paused = false;
    input.resume();
  };
  void control.stopped.then(() => {
    stopping = true;
    resume();
  });
  input.on('data', (chunk: Buffer) => {
    if (finished) return;
    try {
      reader.push(chunk);
    } catch (e) {
      void finish(e as Error);
      return;
    }
    void out.flush();
    if (kafka !== null && !stopping) {
      const wait = kafka.ready();
      if (wait !== null) {
        paused = true;
        input.pause();
        void wait.then(resume);
      }
    }
  });
  input.on('end', () => void finish(null));
  input.on('error', (e: Error) => void finish(e));
  started = true;
  control.ready();
  if (epipe) void finish(null);
  if (!finished) void warmUp(cfg, filters, () => finished);
  return done;
}

/** Prefixes of synthetic traffic decoded at start (warmup.ts); BGPCAP_LIVE_WARMUP=0 turns it off. */
const WARMUP_ROUTES = 100_000;

/**
 * warmup.ts with this decoder's configuration, so the first real full table meets optimised code. Kafka is not
 * involved.
 */
async function warmUp(cfg: DecoderConfig, filters: ReturnType<typeof buildFilters>, stop: () => boolean): Promise<void> {
  const env = process.env['BGPCAP_LIVE_WARMUP'];
  const routes = env === undefined || env === '' ? WARMUP_ROUTES : Number(env);
  await warmPipeline(
    cfg.sink,
    {
      ports: new Set(cfg.ports),
      stage1: filters.stage1,
      stage2: filters.stage2,
      filterLevel: cfg.filterLevel,
      reassembly: cfg.reassembly,
      countWarnings: cfg.stats,
    },
    routes,
    { stop },
  );
}

/** Entry point when the capture process starts this file. */
async function main(): Promise<void> {
  const text = process.env[DECODER_ENV];
  delete process.env[DECODER_ENV];
  if (text === undefined) {
    process.stderr.write('bgpcap: the live decoder is started by `bgpcap live`\n');
    process.exit(2);
  }
  const cfg = JSON.parse(text) as DecoderConfig;
  // The capture process ends the stream on a signal; ending here first would lose what is still in the pipe.
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => {});
  const input = new Socket({ fd: 3, readable: true, writable: false });
  const send = (text: string): void => {
    try {
      writeSync(4, text);
    } catch {
      // the capture process is gone; nothing to report to
    }
  };
  // fd 4 is a socket pair: the capture process says `stop` on it (only waits for Kafka need to hear it).
  let stopped = NO_CONTROL.stopped;
  if (cfg.kafka != null) {
    const ctl = new Socket({ fd: 4, readable: true, writable: false });
    ctl.setEncoding('utf8');
    stopped = new Promise<void>((resolve) => {
      let heard = '';
      ctl.on('data', (d: string) => {
        heard += d;
        if (heard.includes(DECODER_STOP)) resolve();
      });
      ctl.on('end', () => resolve());
      ctl.on('error', () => resolve());
    });
  }
  let code = 0;
  await runDecoder(
    cfg,
    input,
    (s) => {
      if (s.error !== null) code = 3;
      else if (s.kafka !== null && (s.kafka.startError !== null || s.kafka.failed > 0)) code = 4;
      send(`${JSON.stringify(s)}\n`);
    },
    { ready: () => send(DECODER_READY), stopped },
  ).catch((e: unknown) => {
    process.stderr.write(`bgpcap: live decoder: ${e instanceof Error ? e.message : String(e)}\n`);
    code = 3;
  });
  process.exit(code);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) void main();
