// `bgpcap read FILE... | -`: capture files → BGP records on stdout.
import { Command, Option } from 'commander';
import { Pipeline } from '../pipeline.js';
import { readCapture, readCaptureStream } from '../source/open.js';
import { CaptureError } from '../source/errors.js';
import { createSink, teeSink, type SinkOptions } from '../sink/index.js';
import { PRESET_LEVEL, PRESET_NAMES, type PresetName } from '../sink/presets.js';
import { Output } from '../sink/output.js';
import { EXIT_INPUT, EXIT_OK, UsageError } from '../errors.js';
import { Progress } from './progress.js';
import { formatStats } from './stats.js';
import { addFilterOptions, buildFilters } from './filter-options.js';
import { parseByteSize, parseCount, parsePort } from './parse.js';
import { addKafkaProducerOptions, kafkaOnly, openKafkaSink, reportKafka, type KafkaCliOptions } from './kafka-options.js';
import { gatedInput } from '../kafka/gate.js';
import { EXIT_KAFKA } from '../kafka/errors.js';
import { labelsFromCaptureName } from '../peering/capture-names.js';
import { WorkerPipeline, parseWorkerCount } from '../workers/pool.js';
import { warmUp, type WarmupOptions } from '../source/warmup.js';
import { stat } from 'node:fs/promises';

export interface ReadOpts extends KafkaCliOptions {
  format: 'human' | 'jsonl' | 'line' | 'none';
  level: 'msg' | 'elem';
  fields?: string;
  separator: string;
  header: boolean;
  preset?: PresetName;
  raw: boolean;
  port: number[];
  stats: boolean;
  progress: boolean;
  maxFlowBuffer: number;
  maxTotalBuffer: number;
  maxConnections: number;
  /**
   * --workers N: decode and format on N threads, this one and N - 1 worker threads (src/workers/); undefined =
   * in this thread only.
   */
  workers?: number;
}

/**
 * --workers reads files this much at a time: between two reads the reading thread learns which chunks the
 * workers have finished (their messages), so that it hands them more instead of working on every chunk itself
 * (workers/pool.ts). The stream of 64 KiB chunks used before cost the reading thread 0.15 s more on bird
 * (124 MB) than reads into one reused buffer; 256 KiB or 1 MiB reads unbalanced the threads (the worker
 * waited) and raised the peak RSS (175-245 MB).
 */
const WORKERS_READ_BYTES = 64 * 1024;

const EXAMPLES = `
Examples:
  bgpcap read fixtures/bird-ipv4-ipv6.pcap                  readable block per message
  bgpcap read -f jsonl capture.pcapng.gz | jq .as_path        JSON lines, gzip read transparently
  bgpcap read -f line -l elem --header rs.pcap                one line per prefix (like bgpdump -m)
  bgpcap read -f line -l elem --fields type,prefix,as_path rs.pcap | awk -F'|' '$1=="W"'
  tcpdump -w - -i eth0 tcp port 179 | bgpcap read -f jsonl -   read a capture from stdin
  bgpcap read --port 1179 --stats lab.pcap                    BGP on port 179 and 1179, summary on stderr

Records (JSON schema: schema/record.schema.json): one per BGP message (--level msg) or one per announced or
withdrawn prefix (--level elem); problems with the byte stream (gaps, truncated frames, IP fragments) are
event records ("event": "gap", ...) and malformed messages carry "error" and the raw bytes, so nothing is
dropped silently.
`;

export function readCommand(done: (code: number) => void): Command {
  const cmd = new Command('read')
    .description('decode BGP messages from capture files (pcap, pcapng, gzip-compressed, or - for stdin)')
    .argument('<files...>', 'capture files, or - for standard input')
    .addOption(
      new Option('-f, --format <format>', 'output format (none: decode and count only, e.g. with --stats)').choices(['human', 'jsonl', 'line', 'none']).default('human'),
    )
    .addOption(
      new Option('-l, --level <level>', 'one record per message, or per prefix event').choices(['msg', 'elem']).default('msg'),
    )
    .option('--fields <list>', 'comma-separated fields for --format line (see schema/record.schema.json)')
    .option('--separator <sep>', 'field separator for --format line', '|')
    .option('--header', 'print the field names first (--format line)', false)
    .addOption(
      new Option('--preset <tool>', "another tool's exact line format: bgpdump (bgpdump -m), bgpkit (bgpkit-parser --psv), pbgpp (pbgpp line output); implies --format line").choices(
        PRESET_NAMES,
      ),
    )
    .option('--raw', 'add every message in hex (jsonl/line: raw field; human: hex dump)', false)
    .option('-p, --port <port>', 'also treat this TCP port as BGP (repeatable; 179 always)', collectPorts, [])
    .option('--stats', 'print a summary on stderr at the end (messages by type, sessions, gaps, errors)', false)
    .option('--no-progress', 'no progress line on stderr (shown only when stderr is a terminal)')
    .option('--max-flow-buffer <bytes>', 'out-of-order bytes buffered per TCP direction before a gap is declared', parseByteSize, 4 * 1024 * 1024)
    .option('--max-total-buffer <bytes>', 'out-of-order bytes buffered across all connections', parseByteSize, 256 * 1024 * 1024)
    .option('--max-connections <n>', 'TCP connections tracked at once (least recently used closed ones dropped first)', parseCount, 100_000)
    .option(
      '--workers <n>',
      'decode and format on N threads: this one (which also reads) and N-1 worker threads; on 2 cores, 2 (the output is the same, in the same order)',
      parseWorkerCount,
    )
    .addHelpText('after', EXAMPLES)
    .action(async (files: string[], opts: ReadOpts, cmd: Command) => {
      done(await runRead(files, opts, (name) => cmd.getOptionValueSource(name) === 'cli'));
    });
  return addKafkaProducerOptions(addFilterOptions(cmd));
}

function collectPorts(v: string, prev: number[]): number[] {
  return [...prev, parsePort(v)];
}

/**
 * Sink options from the command line. A preset fixes the layout: it implies --format line and its own level,
 * and --fields, --separator, --header and --raw next to it are usage errors (as is an explicit other format or
 * level), so a script never gets a silently different layout.
 */
export function sinkOptions(o: ReadOpts, given: (name: string) => boolean): SinkOptions {
  if (o.preset !== undefined) {
    const level = PRESET_LEVEL[o.preset];
    const clash: string[] = [];
    if (given('format') && o.format !== 'line') clash.push(`--format ${o.format}`);
    if (given('level') && o.level !== level) clash.push(`--level ${o.level}`);
    if (o.fields !== undefined) clash.push('--fields');
    if (given('separator')) clash.push('--separator');
    if (o.header) clash.push('--header');
    if (o.raw) clash.push('--raw');
    if (clash.length > 0) throw new UsageError(`--preset ${o.preset} fixes the output layout; it cannot be combined with ${clash.join(', ')}`);
    return { format: 'line', level, preset: o.preset };
  }
  const sinkOpts: SinkOptions = { format: o.format, level: o.level, separator: o.separator, header: o.header, raw: o.raw };
  if (o.fields !== undefined) sinkOpts.fields = o.fields.split(',').map((s) => s.trim()).filter((s) => s !== '');
  return sinkOpts;
}

async function runRead(files: string[], o: ReadOpts, given: (name: string) => boolean = () => false): Promise<number> {
  if (files.filter((f) => f === '-').length > 1) throw new UsageError('standard input (-) can be read only once');
  if (kafkaOnly(o, given)) o.format = 'none'; // --kafka without -f: Kafka only; with -f: both
  const sinkOpts = sinkOptions(o, given);
  const out = new Output(process.stdout, { onEpipe: () => process.exit(0) });
  const stdoutSink = createSink(sinkOpts, out); // throws UsageError for unknown fields before any input is read
  const filters = buildFilters(o); // throws UsageError for a bad filter before any input is read
  if (o.workers !== undefined && o.kafka !== undefined) throw new UsageError('--workers cannot be combined with --kafka');
  const kafka = o.kafka === undefined ? null : await openKafkaSink(o, sinkOpts.level, o.raw); // connects (or waits) before reading
  if (o.kafka !== undefined && kafka === null) return EXIT_KAFKA;
  const sink = kafka === null ? stdoutSink : sinkOpts.format === 'none' ? kafka : teeSink(stdoutSink, kafka);
  const filterLevel = sinkOpts.format === 'human' && kafka === null ? 'msg' : sinkOpts.level;
  const muxByIface = new Map<string, string>();
  const pipelineOpts = {
    ports: new Set([179, ...o.port]),
    stage1: filters.stage1,
    stage2: filters.stage2,
    filterLevel,
    // The warning count is shown only by --stats, and it needs every UPDATE decoded in full.
    countWarnings: o.stats,
    // The sink's fast path for UPDATEs (stdout only: not with Kafka).
    wire: kafka !== null ? null : (stdoutSink.wire ?? null),
    // `<mux>.<tapN>.pcap` (bgpcap live --write, the PEERING client's scripts): interface and mux from the name.
    muxOf: (iface: string | null) => (iface === null ? null : (muxByIface.get(iface) ?? null)),
    reassembly: {
      maxBufferedPerFlow: o.maxFlowBuffer,
      maxBufferedTotal: o.maxTotalBuffer,
      maxConnections: o.maxConnections,
    },
  };
  // A large capture: its sessions' End-of-RIBs would each arrive at optimised code that never took that path
  // and make V8 compile it again; a hundred synthetic routes through a pipeline and sink like these first
  // (source/warmup.ts: output to /dev/null) show it every common path, End-of-RIB included. Worker threads
  // warm up the same way as they start. Not behind a BGP field filter: an End-of-RIB never passes one, and the
  // few records that do pass are too few for the warm-up to pay (a prefix filter on packed: +2 %).
  const warmRoutes = (sinkOpts.format !== 'none' || o.stats) && filters.stage2 === null ? await readWarmupRoutes(files) : 0;
  // --workers: this thread reads, reassembles and frames; worker threads (and this one, in between) decode,
  // filter and format (src/workers/pool.ts); the output is written here, in the same order as without --workers.
  const workers =
    o.workers === undefined
      ? null
      : new WorkerPipeline({
          workers: o.workers - 1, // N threads: this one and N - 1 workers
          worker: { sink: sinkOpts, filterOptions: { ...o }, filterLevel, countWarnings: o.stats, warmup: { routes: warmRoutes, shape: READ_WARMUP_SHAPE } },
          pipeline: pipelineOpts,
          out,
          // Output writes to stdout's file descriptor, synchronously, when it has one (sink/output.ts).
          syncWrites: typeof (process.stdout as { fd?: unknown }).fd === 'number',
        });
  // With Kafka the input is read through the buffer's gate: --kafka-full block pauses reading (kafka/gate.ts);
  // with --workers, through the workers' (at most a few chunks in flight per worker; a file is read with
  // readCapture's gate, standard input as a stream).
  const readInput: typeof readCapture =
    workers !== null
      ? (file, onFrame, ro) =>
          file === '-'
            ? readCaptureStream(gatedInput(file, () => workers.ready()), file, onFrame, ro)
            : readCapture(file, onFrame, { ...ro, gate: () => workers.ready(), chunkBytes: WORKERS_READ_BYTES })
      : kafka === null
        ? readCapture
        : (file, onFrame, ro) => readCaptureStream(gatedInput(file, () => kafka.ready()), file, onFrame, ro);
  const pipeline = workers ?? new Pipeline((r) => sink.write(r), pipelineOpts);
  await warmUp(sinkOpts, pipelineOpts, warmRoutes, READ_WARMUP_SHAPE);
  const progress = o.progress && process.stderr.isTTY === true && !process.env['CI'] ? new Progress(process.stderr) : null;
  let code = EXIT_OK;
  for (const file of files) {
    pipeline.beginFile(file);
    try {
      const labels = labelsFromCaptureName(file);
      if (labels !== null) muxByIface.set(labels.iface, labels.mux);
      const tap = labels === null ? null : labels.iface;
      await readInput(file, tap === null ? (f) => pipeline.frame(f) : (f) => {
        if (f.iface === null) f.iface = tap;
        pipeline.frame(f);
      }, {
        onProgress: progress ? (done, total) => progress.update(file, done, total, pipeline.stats.messages) : undefined,
      });
    } catch (err) {
      // Everything before the damage has been handed to the sink; write it out before the error so the
      // report comes after the last good record.
      await workers?.sync();
      await out.flush();
      progress?.clear();
      if (err instanceof CaptureError) {
        process.stderr.write(`bgpcap: ${err.file ?? file}: ${err.message} (at byte ${err.offset})\n`);
      } else if (isFsError(err)) {
        process.stderr.write(`bgpcap: ${file}: ${fsMessage(err)}\n`);
      } else {
        throw err;
      }
      code = EXIT_INPUT;
    }
  }
  if (pipeline instanceof WorkerPipeline) await pipeline.finish();
  else pipeline.end();
  await sink.end();
  progress?.clear();
  if (o.stats) process.stderr.write(formatStats(pipeline.stats, filters.describe()));
  return kafka === null ? code : reportKafka(kafka, code);
}

/**
 * The warm-up before a large capture (source/warmup.ts), measured in instructions executed (valgrind, which
 * counts the same on a noisy machine): `-f jsonl` on the bench corpora, whose sessions end their tables at
 * different times (packed) −6.7 %, (rs: 300 sessions) −2.6 %; where every End-of-RIB comes in the last
 * moments, after which nothing is compiled again, it only costs: the real BIRD table +0.8 %, bird +0.6 %; a
 * small capture would pay it whole (~50 M instructions, 6 ms). So from WARMUP_FROM_BYTES of files (not for
 * standard input); BGPCAP_READ_WARMUP=N sets the routes (0: none).
 */
const WARMUP_FROM_BYTES = 16 << 20;
/** Routes of the warm-up traffic: two sessions of a dozen UPDATEs each, and their End-of-RIBs (more gained nothing). */
const WARMUP_ROUTES = 100;
/**
 * Sessions as a capture file has them (no interface name; seen from their OPENs; over IPv4 and IPv6): the
 * warm-up's other kinds (sessions without OPENs, named interfaces) made the code more general and slower for
 * the rest of a run (the real BIRD table: +2.7 % instructions, against +0.8 % with these two).
 */
const READ_WARMUP_SHAPE: WarmupOptions = { sessions: [0, 1], ifaces: [null, null] };

/** How many routes to warm up on (0: none). */
async function readWarmupRoutes(files: readonly string[]): Promise<number> {
  const env = process.env['BGPCAP_READ_WARMUP'];
  if (env !== undefined && env !== '') return Number(env) || 0;
  let bytes = 0;
  for (const f of files) {
    if (f === '-') continue;
    try {
      bytes += (await stat(f)).size;
    } catch {
      // reported when the file is read
    }
  }
  return bytes >= WARMUP_FROM_BYTES ? WARMUP_ROUTES : 0;
}

function isFsError(err: unknown): err is NodeJS.ErrnoException {
  return err instanceof Error && typeof (err as NodeJS.ErrnoException).code === 'string' && 'syscall' in err;
}

function fsMessage(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory';
    default:
      return `${err.code}: ${err.message}`;
  }
}
