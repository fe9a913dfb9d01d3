// `bgpcap live`: capture BGP on several interfaces at once, decode it as it arrives, and keep going while
// tunnels come and go.
//
//   capture process (this file; root or CAP_NET_RAW)              decoder process (live-decoder.ts; --user)
//   ┌───────────────────────────────────────────────┐  pipe,     ┌───────────────────────────────────────┐
//   │ one libpcap handle per interface (kernel BPF)  │  fd 3     │ Frame → link → TCP → BGP → sink        │
//   │ packets copied once into a batch ──────────────┼──────────▶│ records written per chunk to stdout    │
//   │ --write: <mux>.<tapN>.pcap per interface       │           │ counts per interface ──▶ fd 4 at end   │
//   │ polls sysfs: gone / re-created / down ⇒ re-open│           └───────────────────────────────────────┘
//   └───────────────────────────────────────────────┘
//
// The capture process never parses a packet: it copies bytes and headers. Everything that interprets packet
// contents runs in the decoder, which drops root before reading the first packet (privileges.ts). The capture
// process keeps its privileges because re-opening an interface that disappeared needs them.
//
// Loss accounting, per interface: the kernel's counters (received, dropped because the capture buffer was full,
// dropped by the interface) summed over every handle the interface had, plus packets bgpcap itself dropped
// because the decoder fell more than --max-queue bytes behind (those are still written to the --write file).
//
// On SIGINT/SIGTERM (or --duration): read what the kernel still holds, take the counters, close the handles and
// files, end the pipe, wait for the decoder to write its last record and exit, then print the statistics.
//
// With --kafka the decoder is started first and the interfaces are opened only once it says `ready` on fd 4
// (connected to a broker): no broker, no capture — one line from the decoder and exit status 4. At stop the
// capture process also says `stop` on fd 4, so a decoder waiting for a full Kafka buffer (--kafka-full block)
// decodes the rest of the pipe instead of waiting for the broker.

import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Duplex, Writable } from 'node:stream';
import { PcapFileWriter } from '../sink/pcap-writer.js';
import { ifaceState } from './iface-state.js';
import { CaptureOpenError, type CaptureCounters, type CaptureHandle, type LiveBackend } from './live-backend.js';
import { DECODER_ENV, DECODER_READY, DECODER_STOP, type DecoderConfig, type DecoderIfaceCounts, type DecoderSummary } from './live-decoder.js';
import { KIND_ATTACH, KIND_DETACH, KIND_FILE, WireBatch, type AttachInfo, type DetachInfo } from './live-wire.js';

export interface LiveTarget {
  iface: string;
  mux: string | null;
  /** Named with -i: must exist when the capture starts. Muxes picked from a PEERING checkout may come later. */
  mustExist: boolean;
}

export interface LiveWriteOptions {
  dir: string;
  rotateBytes: number | null;
  rotateSeconds: number | null;
}

export interface LiveRunOptions {
  targets: LiveTarget[];
  backend: LiveBackend;
  /** Kernel filter (pcap-filter(7)). */
  bpf: string;
  snaplen: number;
  /** Kernel capture buffer per interface, bytes. */
  bufferSize: number;
  promiscuous: boolean;
  write: LiveWriteOptions | null;
  /** How often interfaces are checked (and handles drained as a safety net). */
  pollMs: number;
  /** Bytes waiting for the decoder beyond which packets are not handed to it (still written with --write). */
  maxQueueBytes: number;
  decoder: DecoderConfig;
  /** Stop by itself after this long; null: run until a signal. */
  durationMs: number | null;
  /** Install SIGINT/SIGTERM handlers that stop the capture. */
  handleSignals: boolean;
  /** One line of news for stderr (no newline). */
  log: (line: string) => void;
}

/** Live capture cannot start here at all: no native library, no permission. Exit status 2. */
export class LiveUnavailable extends Error {
  override readonly name = 'LiveUnavailable';
}

/** An interface named with -i does not exist or cannot be opened. Exit status 1. */
export class LiveInputError extends Error {
  override readonly name = 'LiveInputError';
}

/**
 * The decoder ended before it was ready (with --kafka: no broker; the decoder has said why on stderr, and the
 * message is then empty), or the capture was stopped while it waited. `code` is the exit status.
 */
export class DecoderStartError extends Error {
  override readonly name = 'DecoderStartError';
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

export interface IfaceReport {
  iface: string;
  mux: string | null;
  /** Kernel counters summed over every handle the interface had; null with a backend that has none. */
  received: number | null;
  droppedKernel: number | null;
  droppedIface: number | null;
  /** Packets not handed to the decoder because it was more than maxQueueBytes behind. */
  droppedQueue: number;
  /** Packets bgpcap received from the capture library. */
  captured: number;
  /** How many times the interface was opened, and lost. */
  attached: number;
  detached: number;
  /** --write: the files written, in order. */
  files: string[];
  decoder: DecoderIfaceCounts | null;
}

export interface LiveResult {
  /** 0 normally; 3 when the decoder failed; 4 when Kafka records failed (--kafka). */
  code: number;
  reason: string;
  ifaces: IfaceReport[];
  decoder: DecoderSummary | null;
  /** Exit status of the decoder process (null: killed by a signal). */
  decoderExit: number | null;
}

interface Slot {
  id: number;
  target: LiveTarget;
  handle: CaptureHandle | null;
  ifindex: number | null;
  carrier: number | null;
  writer: PcapFileWriter | null;
  linkType: number;
  totals: CaptureCounters;
  haveCounters: boolean;
  droppedQueue: number;
  captured: number;
  attached: number;
  detached: number;
  files: string[];
  /** Last reason an attach failed (logged once per reason). */
  lastFailure: string;
  waitingLogged: boolean;
  writeErrorLogged: boolean;
}

function addCounters(a: CaptureCounters, b: CaptureCounters | null): boolean {
  if (b === null) return false;
  a.received += b.received;
  a.droppedKernel += b.droppedKernel;
  a.droppedIface += b.droppedIface;
  return true;
}

/** Why a capture handle failed, in the user's terms when the interface tells. */
function lossReason(iface: string, libraryMessage: string): string {
  const st = ifaceState(iface);
  if (!st.present) return 'interface gone (tunnel down?)';
  if (!st.up) return 'interface is down';
  return libraryMessage;
}

function who(t: LiveTarget): string {
  return t.mux === null ? t.iface : `${t.iface} (mux ${t.mux})`;
}

const LINK_NAMES: Record<number, string> = { 0: 'NULL', 1: 'EN10MB', 101: 'RAW', 113: 'LINUX_SLL', 276: 'LINUX_SLL2' };

/** Path of the decoder script next to this file (dist/source/live-decoder.js). */
export function decoderScript(): string {
  return fileURLToPath(new URL('./live-decoder.js', import.meta.url));
}

interface DecoderProc {
  child: ChildProcess;
  /** fd 3: the packets. */
  pipe: Writable;
  /** Resolves at the decoder's `ready` line. */
  ready: Promise<void>;
  done: Promise<{ code: number | null; signal: string | null }>;
  /** The report the decoder wrote on fd 4 as it ended; null when there is none. */
  summary(): DecoderSummary | null;
  /** Say `stop` on fd 4. */
  stop(): void;
}

/**
 * V8 flags of the decoder process, after the capture process's own (process.execArgv; of two opposite flags V8
 * takes the last).
 *
 * --single-threaded-gc: V8 collects garbage with helper threads by default, and the decoder's main thread
 * waits for them at every young-generation collection; on a machine whose cores are busy (BIRD and OpenVPN
 * taking in a full table next to the capture), a helper waiting for a core turned a ~1 ms pause into 25–115 ms
 * (bench/live.ts with --trace-gc). Decoding the lab's full-table capture on the loaded 2-core development
 * machine: 56 collections either way, 29 ms in total and at most 2.3 ms each on one thread, against 91–98 ms in
 * total and up to 36–45 ms each with helpers.
 *
 * --concurrent-recompilation: the `bgpcap` command starts node with --no-concurrent-recompilation (src/cli.ts:
 * fewer CPU seconds for a read), which the decoder would inherit. A live decoder is measured by the delay of
 * each record, and a function compiled on its main thread holds up every packet behind it for the 5–30 ms the
 * compile takes: what the warm-up (live-warmup.ts) leaves to compile when the first real table arrives showed
 * as the tail of the delay. bench/live.ts, 1,000,000 routes at 200k/s, seven runs each, alternating: p99
 * 11–32 ms (median 24) compiling on a helper thread, 15–59 ms (median 35, two runs over 50) on the main
 * thread; the decoder's CPU seconds the same (0.78–0.95 against 0.75–0.88).
 */
const DECODER_V8_FLAGS = ['--single-threaded-gc', '--concurrent-recompilation'];

function startDecoder(cfg: DecoderConfig, log: (line: string) => void): DecoderProc {
  const child: ChildProcess = spawn(process.execPath, [...process.execArgv, ...DECODER_V8_FLAGS, decoderScript()], {
    stdio: ['ignore', 'inherit', 'inherit', 'pipe', 'pipe'],
    env: { ...process.env, [DECODER_ENV]: JSON.stringify(cfg) },
  });
  const pipe = child.stdio[3] as Writable;
  // EPIPE when the decoder is gone: its exit is handled by the caller.
  pipe.on('error', () => {});
  let text = '';
  let onReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    onReady = resolve;
  });
  const ctl = child.stdio[4] as Duplex | null | undefined;
  ctl?.on('error', () => {});
  ctl?.setEncoding('utf8');
  ctl?.on('data', (d: string) => {
    if (text.length < 1 << 20) text += d;
    if (text.startsWith(DECODER_READY)) onReady();
  });
  const done = new Promise<{ code: number | null; signal: string | null }>((resolve) => {
    child.on('close', (code, signal) => resolve({ code, signal }));
    child.on('error', (e) => {
      log(`cannot start the decoder: ${e.message}`);
      resolve({ code: null, signal: null });
    });
  });
  return {
    child,
    pipe,
    ready,
    done,
    summary() {
      try {
        const line = (text.startsWith(DECODER_READY) ? text.slice(DECODER_READY.length) : text).trim();
        return line === '' ? null : (JSON.parse(line) as DecoderSummary);
      } catch {
        return null;
      }
    },
    stop() {
      if (ctl !== null && ctl !== undefined && !ctl.destroyed) ctl.write(DECODER_STOP);
    },
  };
}

/** --kafka: wait for the decoder to connect; SIGINT/SIGTERM meanwhile tell it to give up. */
async function decoderReady(d: DecoderProc, handleSignals: boolean): Promise<void> {
  const handlers: [NodeJS.Signals, () => void][] = [];
  const signalled = new Promise<void>((resolve) => {
    if (!handleSignals) return;
    for (const sig of ['SIGINT', 'SIGTERM'] as const) {
      const h = (): void => resolve();
      handlers.push([sig, h]);
      process.on(sig, h);
    }
  });
  const first = await Promise.race([d.ready.then(() => 'ready' as const), d.done.then(() => 'exit' as const), signalled.then(() => 'signal' as const)]);
  if (first === 'signal') {
    d.stop();
    d.pipe.end();
  }
  if (first !== 'ready') {
    const exit = await d.done;
    for (const [sig, h] of handlers) process.removeListener(sig, h);
    const k = d.summary()?.kafka;
    if (k !== null && k !== undefined && k.startError !== null) throw new DecoderStartError('', 4);
    if (exit.code === 0) throw new DecoderStartError('', 0);
    throw new DecoderStartError(`the decoder ended before it was ready (exit status ${exit.code ?? exit.signal ?? 'unknown'})`, 3);
  }
  for (const [sig, h] of handlers) process.removeListener(sig, h);
}

export async function runLive(o: LiveRunOptions): Promise<LiveResult> {
  if (o.targets.length > 0xffff) throw new LiveInputError('too many interfaces');
  const batch = new WireBatch();
  const slots: Slot[] = o.targets.map((t, id) => ({
    id,
    target: t,
    handle: null,
    ifindex: null,
    carrier: null,
    writer: null,
    linkType: -1,
    totals: { received: 0, droppedKernel: 0, droppedIface: 0 },
    haveCounters: false,
    droppedQueue: 0,
    captured: 0,
    attached: 0,
    detached: 0,
    files: [],
    lastFailure: '',
    waitingLogged: false,
    writeErrorLogged: false,
  }));
  let pipe: Writable | null = null;
  let flushScheduled = false;
  let stopping = false;

  const flush = (): void => {
    flushScheduled = false;
    for (const s of slots) {
      const w = s.writer;
      if (w === null) continue;
      w.flush();
      if (w.error !== null && !s.writeErrorLogged) {
        s.writeErrorLogged = true;
        o.log(`${w.file}: ${w.error.message} (no longer saving ${s.target.iface}; capture goes on)`);
      }
    }
    const buf = batch.take();
    if (buf !== null && pipe !== null && !pipe.destroyed) pipe.write(buf);
  };
  const schedule = (): void => {
    if (!flushScheduled) {
      flushScheduled = true;
      setImmediate(flush);
    }
  };
  const queued = (): number => batch.length + (pipe === null ? 0 : pipe.writableLength);

  const onPacketFor = (s: Slot) => (sec: number, usec: number, data: Buffer, caplen: number, origLen: number): void => {
    s.captured++;
    const w = s.writer;
    if (w !== null && w.write(sec, usec, data, caplen, origLen)) {
      s.files.push(w.file);
      batch.control(KIND_FILE, s.id, { file: w.file });
    }
    if (queued() > o.maxQueueBytes) {
      s.droppedQueue++;
      return;
    }
    batch.packet(s.id, sec, usec * 1000, data, caplen, origLen);
    schedule();
  };

  /** Open the interface; false (and a log line once per reason) when it cannot be opened now. */
  const attach = (s: Slot, again: boolean): boolean => {
    const st = ifaceState(s.target.iface);
    let h: CaptureHandle;
    // The failure report comes on a later turn; by then this handle may have been replaced.
    let opened: CaptureHandle | null = null;
    try {
      h = o.backend.open(s.target.iface, {
        filter: o.bpf,
        snaplen: o.snaplen,
        bufferSize: o.bufferSize,
        promiscuous: o.promiscuous,
        onPacket: onPacketFor(s),
        onError: (msg) =>
          setImmediate(() => {
            if (s.handle !== null && s.handle === opened) detach(s, lossReason(s.target.iface, msg));
          }),
      });
      opened = h;
    } catch (e) {
      if (e instanceof CaptureOpenError && (e.kind === 'permission' || e.kind === 'filter')) throw e;
      const msg = (e as Error).message;
      if (msg !== s.lastFailure) o.log(`${who(s.target)}: cannot capture yet: ${msg}`);
      s.lastFailure = msg;
      return false;
    }
    s.lastFailure = '';
    s.waitingLogged = false;
    s.handle = h;
    s.ifindex = st.ifindex;
    s.carrier = st.carrierChanges;
    s.attached++;
    if (o.write !== null && (s.writer === null || s.linkType !== h.linkType)) {
      s.writer?.close();
      s.writer = new PcapFileWriter({
        dir: o.write.dir,
        iface: s.target.iface,
        mux: s.target.mux,
        linkType: h.linkType,
        snaplen: h.snaplen,
        rotateBytes: o.write.rotateBytes,
        rotateSeconds: o.write.rotateSeconds,
      });
      s.files.push(s.writer.file);
      s.writeErrorLogged = s.writer.error !== null;
      if (s.writer.error !== null) o.log(`${s.writer.file}: ${s.writer.error.message} (not saving ${s.target.iface})`);
    }
    s.linkType = h.linkType;
    const info: AttachInfo = {
      name: s.target.iface,
      mux: s.target.mux,
      linkType: h.linkType,
      snaplen: h.snaplen,
      file: s.writer?.file ?? null,
      timeMs: Date.now(),
      again,
    };
    batch.control(KIND_ATTACH, s.id, info);
    schedule();
    const lt = LINK_NAMES[h.linkType] ?? `link type ${h.linkType}`;
    o.log(`${again ? 'capturing again on' : 'listening on'} ${who(s.target)}, link-type ${lt}, snapshot length ${h.snaplen} bytes${s.writer !== null ? `, saving to ${s.writer.file}` : ''}`);
    return true;
  };

  const release = (s: Slot): void => {
    const h = s.handle;
    if (h === null) return;
    h.drain();
    if (addCounters(s.totals, h.stats())) s.haveCounters = true;
    h.close();
    s.handle = null;
  };

  const detach = (s: Slot, reason: string): void => {
    if (s.handle === null || stopping) return;
    release(s);
    s.detached++;
    s.writer?.flush();
    const d: DetachInfo = { reason, timeMs: Date.now() };
    batch.control(KIND_DETACH, s.id, d);
    schedule();
    o.log(`${who(s.target)}: ${reason}; capture resumes when it is back`);
  };

  // With --kafka the decoder comes first: no broker (or a signal while waiting for one), no capture.
  let early: DecoderProc | null = null;
  if (o.decoder.kafka != null) {
    early = startDecoder(o.decoder, o.log);
    pipe = early.pipe;
    await decoderReady(early, o.handleSignals);
  }

  // Start: every interface that is there and up; the others are waited for.
  for (const s of slots) {
    const st = ifaceState(s.target.iface);
    if (!st.present) {
      if (s.target.mustExist) {
        closeAll();
        throw new LiveInputError(`${s.target.iface}: no such interface`);
      }
      o.log(`${who(s.target)}: interface not present (tunnel down?); waiting for it`);
      s.waitingLogged = true;
      continue;
    }
    if (!st.up) {
      o.log(`${who(s.target)}: interface is down; waiting for it`);
      s.waitingLogged = true;
      continue;
    }
    try {
      if (!attach(s, false) && s.target.mustExist) {
        closeAll();
        throw new LiveInputError(`${s.target.iface}: ${s.lastFailure}`);
      }
    } catch (e) {
      closeAll();
      if (e instanceof CaptureOpenError && e.kind === 'permission') {
        throw new LiveUnavailable(
          `live capture needs root (or the capabilities CAP_NET_RAW and CAP_NET_ADMIN): ${e.message}; run it with sudo, or give node the capabilities: setcap cap_net_raw,cap_net_admin+eip "$(command -v node)"`,
        );
      }
      if (e instanceof CaptureOpenError && e.kind === 'filter') throw new LiveInputError(`the kernel filter "${o.bpf}" is not valid: ${e.message}`);
      throw e;
    }
  }

  function closeAll(): void {
    for (const s of slots) {
      release(s);
      s.writer?.close();
    }
    // A capture that cannot start leaves nothing behind: an early (--kafka) decoder has read no packet yet.
    early?.child.kill('SIGKILL');
  }

  // Without --kafka the decoder is started after the interfaces are open, so a capture that cannot start leaves
  // nothing behind.
  const dec = early ?? startDecoder(o.decoder, o.log);
  const child = dec.child;
  const childDone = dec.done;
  pipe = dec.pipe;
  schedule();

  return new Promise<LiveResult>((resolve) => {
    let reason = '';
    const timers: NodeJS.Timeout[] = [];
    const signalHandlers: [NodeJS.Signals, () => void][] = [];
    let signals = 0;

    const poll = (): void => {
      for (const s of slots) {
        const st = ifaceState(s.target.iface);
        if (s.handle !== null) {
          if (!st.present) detach(s, 'interface gone (tunnel down?)');
          else if (st.ifindex !== s.ifindex) {
            detach(s, 'interface was deleted and created again');
            if (st.up) attach(s, true);
          } else if (!st.up) detach(s, 'interface is down');
          else if (st.carrierChanges !== s.carrier) {
            // The link went down and up between two polls: the old handle may no longer wake up. Open the new one
            // first, then read what the old one still holds, so nothing that arrived in between is lost.
            const old = s.handle;
            s.handle = null;
            const ok = attach(s, true);
            old.drain();
            if (addCounters(s.totals, old.stats())) s.haveCounters = true;
            old.close();
            if (!ok) {
              s.detached++;
              const d: DetachInfo = { reason: 'link went down and up, cannot capture on it now', timeMs: Date.now() };
              batch.control(KIND_DETACH, s.id, d);
              schedule();
            }
          } else {
            s.handle.drain();
          }
        } else if (st.present && st.up) {
          try {
            attach(s, s.attached > 0 || s.waitingLogged);
          } catch (e) {
            o.log(`${who(s.target)}: ${(e as Error).message}`);
          }
        }
      }
    };
    timers.push(setInterval(poll, o.pollMs));

    const stop = async (why: string): Promise<void> => {
      if (stopping) return;
      stopping = true;
      reason = why;
      for (const t of timers) clearInterval(t);
      // Packets captured just before the stop may still sit in a kernel block that is not handed over yet
      // (TPACKET_V3, live-pcap.ts): wait until it must have been, reading meanwhile. Then the last packets the
      // kernel holds, then the counters, then close (counters vanish with the handle).
      const hold = Math.max(0, ...slots.map((s) => s.handle?.holdMs ?? 0));
      if (hold > 0) await new Promise((r) => setTimeout(r, 2 * hold + 5));
      for (const s of slots) release(s);
      flush();
      for (const s of slots) {
        s.writer?.close();
        if (s.writer?.error && !s.writeErrorLogged) o.log(`${s.writer.file}: ${s.writer.error.message}`);
      }
      pipe?.end();
      dec.stop();
      const exit = await childDone;
      for (const [sig, h] of signalHandlers) process.removeListener(sig, h);
      const summary = dec.summary();
      const ifaces: IfaceReport[] = slots.map((s) => ({
        iface: s.target.iface,
        mux: s.target.mux,
        received: s.haveCounters ? s.totals.received : null,
        droppedKernel: s.haveCounters ? s.totals.droppedKernel : null,
        droppedIface: s.haveCounters ? s.totals.droppedIface : null,
        droppedQueue: s.droppedQueue,
        captured: s.captured,
        attached: s.attached,
        detached: s.detached,
        files: [...new Set(s.files)],
        decoder: summary?.ifaces.find((d) => d.name === s.target.iface) ?? null,
      }));
      // Exit status 4 of the decoder: Kafka records that were not delivered (it printed the counts).
      const kafkaFailed = summary?.kafka != null && summary.kafka.failed > 0;
      const failed = summary === null || summary.error !== null || (exit.code !== 0 && exit.code !== null && !(exit.code === 4 && kafkaFailed));
      if (summary?.error) o.log(`decoder: ${summary.error}`);
      resolve({ code: failed ? 3 : kafkaFailed ? 4 : 0, reason, ifaces, decoder: summary, decoderExit: exit.code });
    };

    if (o.durationMs !== null) {
      const t = setTimeout(() => void stop('time is up'), o.durationMs);
      timers.push(t);
    }
    if (o.handleSignals) {
      for (const sig of ['SIGINT', 'SIGTERM'] as const) {
        const h = (): void => {
          signals++;
          if (signals > 1) {
            // A second signal while flushing: give up on the rest.
            o.log('interrupted again: stopping without waiting for the decoder');
            child.kill('SIGKILL');
            return;
          }
          void stop(sig);
        };
        signalHandlers.push([sig, h]);
        process.on(sig, h);
      }
    }
    // The decoder ended by itself (stdout closed by `| head`, or a failure): stop capturing.
    void childDone.then(() => {
      if (!stopping) void stop('the decoder exited');
    });
  });
}

/** The statistics table printed on stderr at the end, one row per interface. */
export function formatLiveStats(r: LiveResult, backend: LiveBackend): string {
  const head = ['interface', 'mux', 'received', 'dropped by kernel', 'dropped by interface', 'dropped by bgpcap', 'BGP messages', 'attached'];
  const na = (v: number | null): string => (v === null ? 'n/a' : String(v));
  const rows = r.ifaces.map((i) => [
    i.iface,
    i.mux ?? '-',
    i.received === null ? `${i.captured}*` : String(i.received),
    na(i.droppedKernel),
    na(i.droppedIface),
    String(i.droppedQueue),
    i.decoder === null ? '0' : String(i.decoder.messages),
    i.detached > 0 ? `${i.attached}×, lost ${i.detached}×` : `${i.attached}×`,
  ]);
  const widths = head.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c]!.length)));
  const fmt = (cells: string[]): string =>
    cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  const lines = [fmt(head), ...rows.map(fmt)];
  if (r.ifaces.some((i) => i.received === null && i.attached > 0)) {
    lines.push(`* packets bgpcap received; the ${backend.name} backend has no kernel counters`);
  }
  const d = r.decoder;
  if (d !== null) lines.push(`decoder: pid ${d.pid}, uid ${d.uid}, gid ${d.gid}; ${d.messages} BGP messages`);
  else lines.push(`decoder: no report (exit status ${r.decoderExit ?? 'signal'})`);
  if (d?.kafka != null && d.kafka.pauses > 0) {
    lines.push(
      `kafka: decoding paused ${d.kafka.pauses}× while the buffer was full (--kafka-full block); packets beyond --max-queue meanwhile are in "dropped by bgpcap"`,
    );
  }
  return `${lines.join('\n')}\n`;
}
