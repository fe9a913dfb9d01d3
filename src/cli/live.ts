// `bgpcap live -i IFACE … | --peering DIR`: BGP on live interfaces, records written as they arrive.
// The capture machinery is in src/source/live.ts; this file turns options into a run and a run into an exit status.
import { rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { Command, InvalidArgumentError, Option } from 'commander';
import { EXIT_INPUT, EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, UsageError } from '../errors.js';
import { kafkaConfig } from '../kafka/client.js';
import { EXIT_KAFKA } from '../kafka/errors.js';
import { compileTopicTemplate } from '../kafka/topic.js';
import { stage1ToBpf } from '../filter/bpf.js';
import { createFormatter } from '../sink/index.js';
import { PRESET_NAMES } from '../sink/presets.js';
import { readMuxMap, PeeringDirError } from '../peering/client-dir.js';
import { tunnelUp } from '../peering/status.js';
import { BackendUnavailable, type LiveBackend } from '../source/live-backend.js';
import { DecoderStartError, formatLiveStats, LiveInputError, LiveUnavailable, runLive, type LiveResult, type LiveTarget } from '../source/live.js';
import type { DecoderConfig, DecoderKafkaConfig } from '../source/live-decoder.js';
import { lookupUser, type DropTarget } from '../source/privileges.js';
import { addFilterOptions, buildFilters } from './filter-options.js';
import { addKafkaProducerOptions, connOptions, DEFAULT_TOPIC, kafkaOnly } from './kafka-options.js';
import { parseByteSize, parseCount, parsePort } from './parse.js';
import { sinkOptions, type ReadOpts } from './read.js';

export interface LiveOpts extends ReadOpts {
  interface: string[];
  peering?: string;
  /** The filter flag --mux (src/filter/flags.ts); with --peering it also picks the tunnels to capture on. */
  mux?: string[];
  backend: 'pcap' | 'cap';
  write?: string;
  rotateSize?: number;
  rotateTime?: number;
  snaplen: number;
  bufferSize: number;
  promisc: boolean;
  printBpf: boolean;
  user: string;
  dropPrivileges: boolean;
  duration?: number;
  summary?: string;
  maxQueue: number;
  pollInterval: number;
}

/** Largest snapshot length libpcap accepts on Linux: a whole TCP super-frame (GSO/GRO) fits. */
export const DEFAULT_SNAPLEN = 262144;

const EXAMPLES = `
Examples:
  bgpcap live -i tap5 -i tap1                          two tunnels, readable blocks as messages arrive
  bgpcap live --peering ~/client -f jsonl              every PEERING tunnel that is up, records labelled with the mux
  bgpcap live --peering ~/client --mux amsterdam01 -f line -l elem --write caps/ --rotate-size 100M
                                                       (--mux picks tunnels, waiting for those that are down)
  bgpcap live -i tap5 --print-bpf --host 100.69.128.1  show the kernel filter the stage-1 filters compile to

Needs root (or CAP_NET_RAW and CAP_NET_ADMIN) and the native npm package pcap (or cap with --backend cap).
The decoder runs as --user (default nobody) once the interfaces are open. An interface that disappears (a
tunnel going down) is reported, an iface_down event record is written, and capture resumes (iface_up) when it
is back. Ctrl-C (SIGINT) or SIGTERM: the last packets are decoded and written, then statistics per interface
(received, dropped by the kernel, dropped by the interface, dropped by bgpcap) go to stderr; exit status 0.
With --kafka the interfaces are opened once a broker answers; at the end the Kafka counts go to stderr too.

Exit status: 0 stopped by a signal or --duration; 1 an interface named with -i does not exist or cannot be
opened; 2 usage error, or live capture is impossible here (no native library, no permission); 3 internal error;
4 --kafka: no broker at start, or records not delivered by the end of --kafka-flush-timeout.
`;

function collect(v: string, prev: string[]): string[] {
  return [...prev, v];
}

function collectPorts(v: string, prev: number[]): number[] {
  return [...prev, parsePort(v)];
}

/** "90", "90s", "15m", "2h", "1d" → seconds. */
export function parseDuration(v: string): number {
  const m = /^([0-9]+(?:\.[0-9]+)?)\s*(s|m|h|d)?$/i.exec(v.trim());
  if (m === null) throw new InvalidArgumentError('expected a duration: seconds, or a number with s, m, h or d');
  const mult = { s: 1, m: 60, h: 3600, d: 86400 }[(m[2] ?? 's').toLowerCase() as 's' | 'm' | 'h' | 'd'];
  const n = Number(m[1]) * mult;
  if (!(n > 0)) throw new InvalidArgumentError('expected a positive duration');
  return n;
}

export function liveCommand(done: (code: number) => void): Command {
  const cmd = new Command('live')
    .description('capture BGP live on network interfaces (PEERING tunnels with --peering) and decode it as it arrives')
    .option('-i, --interface <name>', 'capture on this interface (repeatable)', collect, [])
    .option('--peering <dir>', 'a PEERING client checkout: capture on its tunnels (taps), label records with the mux')
    .addOption(new Option('--backend <lib>', 'capture library (cap: no kernel timestamps or drop counters)').choices(['pcap', 'cap']).default('pcap'))
    .option('-w, --write <dir>', 'also save the captured packets, one pcap file per interface: <mux>.<tapN>.pcap')
    .option('--rotate-size <bytes>', 'with --write: start a new file before one grows past this size (e.g. 100M)', parseByteSize)
    .option('--rotate-time <duration>', 'with --write: start a new file after this long (e.g. 3600, 15m, 1h)', parseDuration)
    .option('-s, --snaplen <bytes>', 'bytes kept per packet (the default fits TCP super-frames)', parseByteSize, DEFAULT_SNAPLEN)
    .option('-B, --buffer-size <bytes>', 'kernel capture buffer per interface', parseByteSize, 64 * 1024 * 1024)
    .option('--no-promisc', 'do not put the interfaces into promiscuous mode')
    .option('--print-bpf', 'print the kernel filter (from --port and the stage-1 filters) and exit', false)
    .option('--user <name>', 'user the decoder runs as once the interfaces are open (like tcpdump -Z)', 'nobody')
    .option('--no-drop-privileges', 'decode as the user bgpcap was started as (root)')
    .option('--duration <duration>', 'stop by itself after this long (e.g. 60, 5m)', parseDuration)
    .option('--summary <file>', 'at the end, also write the statistics per interface to this file as JSON')
    .option('--max-queue <bytes>', 'packets waiting for the decoder beyond this are counted as dropped by bgpcap', parseByteSize, 256 * 1024 * 1024)
    .addOption(new Option('--poll-interval <ms>', 'how often interfaces are checked for going away and coming back').argParser(parseCount).default(500))
    .addOption(new Option('-f, --format <format>', 'output format').choices(['human', 'jsonl', 'line', 'none']).default('human'))
    .addOption(new Option('-l, --level <level>', 'one record per message, or per prefix event').choices(['msg', 'elem']).default('msg'))
    .option('--fields <list>', 'comma-separated fields for --format line (see schema/record.schema.json)')
    .option('--separator <sep>', 'field separator for --format line', '|')
    .option('--header', 'print the field names first (--format line)', false)
    .addOption(new Option('--preset <tool>', "another tool's exact line format (bgpdump, bgpkit, pbgpp); implies --format line").choices(PRESET_NAMES))
    .option('--raw', 'add every message in hex', false)
    .option('-p, --port <port>', 'also treat this TCP port as BGP (repeatable; 179 always)', collectPorts, [])
    .option('--stats', 'also print the decoding summary of `bgpcap read --stats` at the end', false)
    .option('--max-flow-buffer <bytes>', 'out-of-order bytes buffered per TCP direction before a gap is declared', parseByteSize, 4 * 1024 * 1024)
    .option('--max-total-buffer <bytes>', 'out-of-order bytes buffered across all connections', parseByteSize, 256 * 1024 * 1024)
    .option('--max-connections <n>', 'TCP connections tracked at once', parseCount, 100_000)
    .addHelpText('after', EXAMPLES)
    .action(async (opts: LiveOpts, c: Command) => {
      const code = await runLiveCommand(opts, (name) => c.getOptionValueSource(name) === 'cli');
      done(code);
      // A capture handle whose interface vanished may keep the event loop alive; nothing is left to write.
      setTimeout(() => process.exit(code), 200).unref();
    });
  return addKafkaProducerOptions(addFilterOptions(cmd));
}

function log(line: string): void {
  process.stderr.write(`bgpcap: ${line}\n`);
}

/** Interfaces to capture on: -i names, and the taps of the chosen muxes of a PEERING checkout. */
export function selectTargets(o: Pick<LiveOpts, 'interface' | 'peering' | 'mux'>): LiveTarget[] {
  const muxes = o.mux ?? [];
  if (muxes.length > 0 && o.peering === undefined) throw new UsageError('--mux needs --peering DIR (the client checkout that says which tap each mux uses)');
  const targets: LiveTarget[] = [];
  let tapMux = new Map<string, string>();
  if (o.peering !== undefined) {
    let map;
    try {
      map = readMuxMap(o.peering);
    } catch (e) {
      if (e instanceof PeeringDirError) throw new UsageError(`--peering: ${e.message}`);
      throw e;
    }
    for (const w of map.warnings) log(`--peering: ${w}`);
    tapMux = new Map(map.muxes.map((m) => [m.tap, m.mux]));
    if (muxes.length > 0) {
      const pick = muxPicker(muxes);
      for (const v of muxes) {
        if (/[*!]/.test(v) || map.muxes.some((x) => x.mux === v)) continue;
        throw new UsageError(`--mux ${v}: not a mux of ${o.peering} (${map.muxes.map((x) => x.mux).join(', ') || 'none'})`);
      }
      for (const m of map.muxes) if (pick(m.mux)) targets.push({ iface: m.tap, mux: m.mux, mustExist: false });
      if (targets.length === 0) throw new UsageError(`--mux ${muxes.join(' --mux ')}: matches no mux of ${o.peering}`);
    } else {
      for (const m of map.muxes) if (tunnelUp(m)) targets.push({ iface: m.tap, mux: m.mux, mustExist: false });
      if (targets.length === 0 && o.interface.length === 0) {
        throw new LiveInputError(`no tunnel of ${o.peering} is up (see bgpcap peering status --peering ${o.peering}); name muxes with --mux to wait for them`);
      }
    }
  }
  for (const i of o.interface) {
    const t = targets.find((x) => x.iface === i);
    if (t !== undefined) t.mustExist = true;
    else targets.push({ iface: i, mux: tapMux.get(i) ?? null, mustExist: true });
  }
  return targets;
}

/**
 * The muxes the --mux values select, read as the filter flag reads them: names and `*` patterns are OR-ed,
 * `!name` excludes (so `--mux '!amsterdam01'` captures every other mux, up or not).
 */
export function muxPicker(values: readonly string[]): (mux: string) => boolean {
  const glob = (p: string): RegExp => new RegExp(`^${p.split('*').map((x) => x.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  const pos = values.filter((v) => !v.startsWith('!')).map(glob);
  const neg = values.filter((v) => v.startsWith('!')).map((v) => glob(v.slice(1)));
  return (mux) => (pos.length === 0 || pos.some((r) => r.test(mux))) && !neg.some((r) => r.test(mux));
}

async function loadBackend(name: 'pcap' | 'cap'): Promise<LiveBackend> {
  if (name === 'cap') {
    const m = await import('../source/live-cap.js');
    m.loadCap();
    return m.capBackend;
  }
  const m = await import('../source/live-pcap.js');
  m.loadPcap();
  return m.pcapBackend;
}

/**
 * --kafka: the producer options for the decoder process, checked here first (broker list, SASL, topic template,
 * PEM files) so that a mistake is a usage error before anything starts; null without --kafka.
 */
function kafkaForDecoder(o: LiveOpts, level: DecoderKafkaConfig['level']): DecoderKafkaConfig | null {
  if (o.kafka === undefined) return null;
  kafkaConfig(connOptions(o), 0);
  compileTopicTemplate(o.kafkaTopic ?? DEFAULT_TOPIC, o.kafkaCaptureHost ?? hostname());
  const options: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (k.startsWith('kafka') && v !== undefined) options[k] = v;
  // JSON has no Infinity.
  if (o.kafkaWait === Number.POSITIVE_INFINITY) options['kafkaWait'] = 'forever';
  return { options, level, raw: o.raw };
}

export async function runLiveCommand(o: LiveOpts, given: (name: string) => boolean = () => false): Promise<number> {
  // Everything that can be a usage error is checked before an interface is touched.
  if (kafkaOnly(o, given)) o.format = 'none'; // --kafka without -f: Kafka only; with -f: both
  const sinkOpts = sinkOptions(o, given);
  createFormatter(sinkOpts);
  const filters = buildFilters(o);
  const ports = [...new Set([179, ...o.port])];
  const bpf = stage1ToBpf(filters.stage1, { ports });
  if (o.printBpf) {
    process.stdout.write(`${bpf}\n`);
    return EXIT_OK;
  }
  if (o.interface.length === 0 && o.peering === undefined) {
    throw new UsageError('name the interfaces to capture on with -i IFACE, or a PEERING client checkout with --peering DIR');
  }
  if (o.write === undefined && (o.rotateSize !== undefined || o.rotateTime !== undefined)) throw new UsageError('--rotate-size and --rotate-time need --write DIR');
  if (o.snaplen > DEFAULT_SNAPLEN) throw new UsageError(`--snaplen ${o.snaplen}: at most ${DEFAULT_SNAPLEN}`);
  if (o.bufferSize > 0x7fffffff) throw new UsageError('--buffer-size: at most 2G');
  if (o.write !== undefined) checkWritableDir(o.write);
  const kafka = kafkaForDecoder(o, sinkOpts.level);

  let drop: DropTarget | null = null;
  const root = process.getuid?.() === 0;
  if (o.dropPrivileges && root) drop = lookupUser(o.user);
  else if (o.dropPrivileges && given('user')) log(`not running as root: --user ${o.user} ignored (the decoder runs as uid ${process.getuid?.()})`);

  let targets: LiveTarget[];
  let backend: LiveBackend;
  try {
    targets = selectTargets(o);
    backend = await loadBackend(o.backend);
  } catch (e) {
    return startError(e);
  }
  const decoder: DecoderConfig = {
    sink: sinkOpts,
    filterOptions: filterOptionsOf(o),
    ports,
    reassembly: { maxBufferedPerFlow: o.maxFlowBuffer, maxBufferedTotal: o.maxTotalBuffer, maxConnections: o.maxConnections },
    // Kafka gets every record at --level; the human format alone filters whole messages.
    filterLevel: sinkOpts.format === 'human' && kafka === null ? 'msg' : sinkOpts.level,
    drop,
    stats: o.stats,
    kafka,
  };
  let r: LiveResult;
  try {
    r = await runLive({
      targets,
      backend,
      bpf,
      snaplen: backend.name === 'cap' ? 65535 : o.snaplen,
      bufferSize: o.bufferSize,
      promiscuous: o.promisc,
      write: o.write === undefined ? null : { dir: o.write, rotateBytes: o.rotateSize ?? null, rotateSeconds: o.rotateTime ?? null },
      pollMs: o.pollInterval,
      maxQueueBytes: o.maxQueue,
      decoder,
      durationMs: o.duration === undefined ? null : Math.round(o.duration * 1000),
      handleSignals: true,
      log,
    });
  } catch (e) {
    return startError(e);
  }
  process.stderr.write(formatLiveStats(r, backend));
  if (o.summary !== undefined) {
    try {
      writeFileSync(o.summary, `${JSON.stringify({ reason: r.reason, backend: backend.name, bpf, interfaces: r.ifaces, decoder: r.decoder }, null, 2)}\n`);
    } catch (e) {
      log(`--summary ${o.summary}: ${(e as Error).message}`);
    }
  }
  return r.code === 0 ? EXIT_OK : r.code === EXIT_KAFKA ? EXIT_KAFKA : EXIT_INTERNAL;
}

function startError(e: unknown): number {
  if (e instanceof DecoderStartError) {
    // With --kafka and no broker the decoder has said why, in one line.
    if (e.message !== '') log(e.message);
    return e.code;
  }
  if (e instanceof BackendUnavailable || e instanceof LiveUnavailable) {
    log(e.message);
    return EXIT_USAGE;
  }
  if (e instanceof LiveInputError) {
    log(e.message);
    return EXIT_INPUT;
  }
  throw e;
}

function checkWritableDir(dir: string): void {
  const probe = `${dir}/.bgpcap-write-test`;
  try {
    writeFileSync(probe, '');
    rmSync(probe, { force: true });
  } catch (e) {
    throw new UsageError(`--write ${dir}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such directory' : (e as Error).message}`);
  }
}

/** The options buildFilters reads (JSON-safe), for the decoder process to build the same filters. */
function filterOptionsOf(o: LiveOpts): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined || typeof v === 'function') continue;
    out[k] = v;
  }
  return out;
}
