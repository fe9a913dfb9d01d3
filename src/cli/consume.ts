// `bgpcap consume --kafka BROKERS --kafka-topic PATTERN`: records that bgpcap published to Kafka (from one
// or many capture points) → the same filters and output formats as `read`.
import { Command, Option } from 'commander';
import { UsageError, EXIT_OK } from '../errors.js';
import { and, FilterError, formatFilterError, type Node } from '../filter/expr/ast.js';
import { Stage2Filter } from '../filter/stage2.js';
import { createKafka } from '../kafka/client.js';
import { consume, formatConsumeStats, type ConsumeStats } from '../kafka/consumer.js';
import { EXIT_KAFKA, KafkaError } from '../kafka/errors.js';
import { compileTopicPattern } from '../kafka/topic.js';
import { createFormatter, type SinkOptions } from '../sink/index.js';
import type { Formatter } from '../sink/jsonl.js';
import type { Level } from '../sink/fields.js';
import { Output } from '../sink/output.js';
import { PRESET_LEVEL, PRESET_NAMES, type PresetName } from '../sink/presets.js';
import { addFilterOptions, buildFilters } from './filter-options.js';
import { addKafkaConnOptions, connOptions, kafkaStatus, kafkaWaitMs, DEFAULT_TOPIC, type KafkaCliOptions } from './kafka-options.js';

interface ConsumeOpts extends KafkaCliOptions {
  group: string;
  fromBeginning?: boolean;
  exitAtEnd?: boolean;
  format: 'human' | 'jsonl' | 'line' | 'none';
  level?: Level;
  fields?: string;
  separator: string;
  header: boolean;
  preset?: PresetName;
  raw: boolean;
  stats: boolean;
}

const HELP = `
Records are read as a member of the consumer group (--group): offsets are committed after the records were
written, so the next run with the same group continues where this one stopped. --from-beginning applies
when the group has no committed offset yet. Without --exit-at-end, consume runs until interrupted (Ctrl-C,
SIGTERM), then commits and leaves the group.

Without --level, each record is written at the level it was published at (msg or elem); jsonl output of such
records is the Kafka value byte for byte. Other formats and levels are rendered from the JSON record. Records
with a newer schema version than this bgpcap knows, and values that are not bgpcap records, are reported
on stderr and counted, never misread.

Examples:
  bgpcap consume --kafka kafka1:9092 --kafka-topic 'bgp.{mux}' --from-beginning --exit-at-end -f jsonl
  bgpcap consume --kafka kafka1:9092 --kafka-topic 'bgp.*' -f line -l elem --filter 'community 47065:*'
  bgpcap consume --kafka kafka1:9092 --kafka-topic /^bgp\\.(amsterdam01|seattle01)$/ --group verify

Exit status: 0 success, 2 usage error, 4 Kafka unreachable (see --kafka-wait) or no topic matches.
`;

export function consumeCommand(done: (code: number) => void): Command {
  const cmd = new Command('consume')
    .description('read bgpcap records back from Kafka and write them in any output format, with the same filters')
    .option('--group <id>', 'consumer group (committed offsets are per group)', 'bgpcap')
    .option('--from-beginning', 'start at the oldest record when the group has no committed offset (default: only new records)')
    .option('--exit-at-end', 'exit once every partition is read up to the end it had at start')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['human', 'jsonl', 'line', 'none']).default('human'))
    .addOption(new Option('-l, --level <level>', 'one record per message, or per prefix event (default: as published)').choices(['msg', 'elem']))
    .option('--fields <list>', 'comma-separated fields for --format line (see schema/record.schema.json)')
    .option('--separator <sep>', 'field separator for --format line', '|')
    .option('--header', 'print the field names first (--format line)', false)
    .addOption(new Option('--preset <tool>', "another tool's exact line format (implies --format line)").choices(PRESET_NAMES))
    .option('--raw', 'add every message in hex, when the published record carries it (published with --raw)', false)
    .option('--stats', 'print counts on stderr at the end', false);
  addKafkaConnOptions(cmd, `topics: names, globs (bgp.*), the producer's template (bgp.{mux}) or /regex/, comma-separated (default ${DEFAULT_TOPIC})`);
  addFilterOptions(cmd);
  cmd.addHelpText('after', HELP);
  cmd.action(async (opts: ConsumeOpts, c: Command) => {
    done(await runConsume(opts, (name) => c.getOptionValueSource(name) === 'cli'));
  });
  return cmd;
}

/** Both filter stages as one stage-2 filter: in Kafka every packet key is a record field (mac keys are not). */
function consumeFilter(o: object): Stage2Filter | null {
  const f = buildFilters(o);
  const parts: Node[] = [];
  if (f.stage1 !== null) parts.push(f.stage1.expr);
  if (f.stage2 !== null) parts.push(f.stage2.expr);
  if (parts.length === 0) return null;
  try {
    return new Stage2Filter(parts.length === 1 ? parts[0]! : and(parts));
  } catch (e) {
    if (e instanceof FilterError) throw new UsageError(`${formatFilterError(e)} (records from Kafka carry no MAC addresses)`);
    throw e;
  }
}

function formatters(o: ConsumeOpts, given: (n: string) => boolean): { level: Level | null; f: Record<Level, Formatter | null>; passthrough: boolean } {
  if (o.preset !== undefined) {
    const clash = [given('format') && o.format !== 'line' ? `--format ${o.format}` : '', o.fields !== undefined ? '--fields' : '', o.header ? '--header' : '', o.raw ? '--raw' : '', given('separator') ? '--separator' : '']
      .filter((x) => x !== '');
    const level = PRESET_LEVEL[o.preset];
    if (o.level !== undefined && o.level !== level) clash.push(`--level ${o.level}`);
    if (clash.length > 0) throw new UsageError(`--preset ${o.preset} fixes the output layout; it cannot be combined with ${clash.join(', ')}`);
    const f = createFormatter({ format: 'line', level, preset: o.preset });
    return { level, f: { msg: level === 'msg' ? f : null, elem: level === 'elem' ? f : null }, passthrough: false };
  }
  const base: Omit<SinkOptions, 'level'> = { format: o.format, separator: o.separator, header: o.header, raw: o.raw };
  if (o.fields !== undefined) base.fields = o.fields.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const passthrough = o.format === 'jsonl' && o.fields === undefined && !o.raw;
  if (o.level !== undefined) {
    const f = createFormatter({ ...base, level: o.level });
    return { level: o.level, f: { msg: o.level === 'msg' ? f : null, elem: o.level === 'elem' ? f : null }, passthrough };
  }
  // As published: a formatter per level; fields that exist only per prefix make every record an elem one.
  const elem = createFormatter({ ...base, level: 'elem' });
  let msg: Formatter | null = null;
  try {
    msg = createFormatter({ ...base, level: 'msg' });
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
  }
  return { level: msg === null ? 'elem' : null, f: { msg, elem }, passthrough };
}

async function runConsume(o: ConsumeOpts, given: (name: string) => boolean): Promise<number> {
  if (o.kafka === undefined) throw new UsageError('consume needs --kafka BROKER[,BROKER...]');
  const conn = connOptions(o);
  const patternText = o.kafkaTopic ?? DEFAULT_TOPIC;
  const pattern = compileTopicPattern(patternText);
  const { level, f, passthrough } = formatters(o, given);
  const filter = consumeFilter(o);
  const out = new Output(process.stdout, { onEpipe: () => process.exit(0) });
  const ac = new AbortController();
  const stop = (): void => ac.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  let stats: ConsumeStats;
  try {
    stats = await consume(
      {
        kafka: await createKafka(conn, 2),
        brokers: conn.brokers,
        pattern,
        patternText,
        groupId: o.group,
        fromBeginning: o.fromBeginning === true,
        exitAtEnd: o.exitAtEnd === true,
        waitMs: kafkaWaitMs(o),
        formatters: f,
        level,
        passthrough: passthrough && o.format === 'jsonl',
        filter,
        out,
        onStatus: kafkaStatus,
      },
      ac.signal,
    );
  } catch (e) {
    await out.end().catch(() => undefined);
    if (e instanceof KafkaError) {
      kafkaStatus(e.message);
      return EXIT_KAFKA;
    }
    throw e;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
  await out.end();
  if (o.stats || stats.newerSchema > 0 || stats.notRecords > 0) process.stderr.write(`bgpcap: consume: ${formatConsumeStats(stats)}\n`);
  return EXIT_OK;
}
