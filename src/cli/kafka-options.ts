// The Kafka options of a command: connection (brokers, client id, TLS, SASL, timeouts, --kafka-wait), shared
// by `read` (and `live`) with `consume`; and the producer's (topic template, acks, compression, batching,
// buffer and its full policy, flush timeout). `startKafkaSink` turns parsed options into a connected sink.
//
// The password for SASL never goes on the command line (other users see it in ps): it is read from
// --kafka-password-file or the BGPCAP_KAFKA_PASSWORD environment variable.

import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { Command, InvalidArgumentError, Option } from 'commander';
import { UsageError } from '../errors.js';
import { connectWithWait, createKafka, loadKafkajs, parseBrokers, type KafkaConnOptions, type SaslMechanism } from '../kafka/client.js';
import { BufferedProducer, type ProducerClient } from '../kafka/producer.js';
import { EXIT_KAFKA, KafkaError } from '../kafka/errors.js';
import { formatCounts, KafkaSink, recordHeaders } from '../kafka/sink.js';
import { compileTopicTemplate } from '../kafka/topic.js';
import { jsonlFormatter } from '../sink/jsonl.js';
import type { Level } from '../sink/fields.js';
import { parseByteSize } from './parse.js';

export const DEFAULT_TOPIC = 'bgpcap';
export const PASSWORD_ENV = 'BGPCAP_KAFKA_PASSWORD';

/** Parsed option values (commander camel-cases the flags). */
export interface KafkaCliOptions {
  kafka?: string;
  kafkaTopic?: string;
  kafkaClientId: string;
  kafkaTls?: boolean;
  kafkaCa?: string;
  kafkaCert?: string;
  kafkaKey?: string;
  kafkaSasl?: SaslMechanism;
  kafkaUser?: string;
  kafkaPasswordFile?: string;
  kafkaTimeout: number;
  kafkaWait?: number;
  kafkaLogLevel: 'nothing' | 'error' | 'warn' | 'info' | 'debug';
  // producer
  kafkaAcks?: 'all' | 'leader' | 'none';
  kafkaCompression?: 'none' | 'gzip';
  kafkaBatchSize?: number;
  kafkaLinger?: number;
  kafkaBuffer?: number;
  kafkaFull?: 'block' | 'drop';
  kafkaFlushTimeout?: number;
  kafkaCaptureHost?: string;
}

function seconds(v: string): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError('expected a number of seconds');
  return n;
}

function waitSeconds(v: string): number {
  return v === 'forever' ? Number.POSITIVE_INFINITY : seconds(v);
}

function millis(v: string): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number of milliseconds');
  return n;
}

/** Options to reach a cluster; `topicHelp` says what --kafka-topic means for this command. */
export function addKafkaConnOptions(cmd: Command, topicHelp: string): Command {
  return cmd
    .option('--kafka <brokers>', 'Kafka brokers, host:port[,host:port...]')
    .option('--kafka-topic <topic>', topicHelp)
    .option('--kafka-client-id <id>', 'Kafka client id', 'bgpcap')
    .option('--kafka-tls', 'connect with TLS (implied by --kafka-ca, --kafka-cert)')
    .option('--kafka-ca <file>', 'PEM CA bundle to verify the brokers (default: node\'s CA store, plus NODE_EXTRA_CA_CERTS)')
    .option('--kafka-cert <file>', 'PEM client certificate (with --kafka-key)')
    .option('--kafka-key <file>', 'PEM client private key')
    .addOption(new Option('--kafka-sasl <mechanism>', 'SASL authentication (password from --kafka-password-file or $' + PASSWORD_ENV + ')').choices(['plain', 'scram-sha-256', 'scram-sha-512']))
    .option('--kafka-user <name>', 'SASL user name')
    .option('--kafka-password-file <file>', 'file holding the SASL password (first line)')
    .option('--kafka-timeout <ms>', 'time to wait for a broker to answer a request', millis, 30000)
    .option('--kafka-wait <seconds>', "wait up to this long for an unreachable broker at start instead of failing ('forever': no limit)", waitSeconds)
    .addOption(new Option('--kafka-log-level <level>', "kafkajs's own log on stderr").choices(['nothing', 'error', 'warn', 'info', 'debug']).default('nothing'));
}

/** The producer's options (connection options included). */
export function addKafkaProducerOptions(cmd: Command): Command {
  addKafkaConnOptions(cmd, `topic, or a template with record fields: bgp.{mux}, bgp.{peer_asn}, bgp.{msg_type} (default ${DEFAULT_TOPIC})`);
  return cmd
    .addOption(new Option('--kafka-acks <acks>', 'acknowledgements to wait for').choices(['all', 'leader', 'none']).default('all'))
    .addOption(new Option('--kafka-compression <codec>', 'compression of record batches').choices(['none', 'gzip']).default('none'))
    .option('--kafka-batch-size <bytes>', 'most record bytes per request', parseByteSize, 512 * 1024)
    .option('--kafka-linger <ms>', 'time to collect records before sending a batch that is not full', millis, 5)
    .option('--kafka-buffer <bytes>', 'records buffered while the broker is slow or away', parseByteSize, 64 * 1024 * 1024)
    .addOption(new Option('--kafka-full <policy>', 'buffer full: block (pause reading) or drop (count and drop new records)').choices(['block', 'drop']).default('block'))
    .option('--kafka-flush-timeout <seconds>', 'at exit, time to deliver what is buffered before counting it as failed', seconds, 30)
    .option('--kafka-capture-host <name>', 'capture host in the bgpcap-host header and {host} (default: this host name)')
    .addHelpText('after', KAFKA_HELP);
}

const KAFKA_HELP = `
Kafka (README.md "Kafka"): --kafka without --format publishes only; with -f (or --preset) both Kafka and stdout.
Each record is one Kafka record: the jsonl line, keyed by session, headers content-type, bgpcap-schema-version,
bgpcap-level, bgpcap-host. Counts on stderr at exit: sent, retried, failed, dropped.
Exit status 4: no broker at start (see --kafka-wait), authentication or TLS refused, records not delivered.
`;

export function kafkaRequested(o: object): boolean {
  return (o as KafkaCliOptions).kafka !== undefined;
}

/** --kafka-wait: null when not given, else milliseconds (Infinity: 'forever'). */
export function kafkaWaitMs(o: KafkaCliOptions): number | null {
  return o.kafkaWait === undefined ? null : o.kafkaWait * 1000;
}

/** Connection options from the command line. Throws UsageError (bad broker list, missing SASL user or password). */
export function connOptions(o: KafkaCliOptions): KafkaConnOptions {
  const c: KafkaConnOptions = { brokers: parseBrokers(o.kafka ?? ''), clientId: o.kafkaClientId, requestTimeoutMs: o.kafkaTimeout, logLevel: o.kafkaLogLevel };
  if (o.kafkaTls === true) c.tls = true;
  if (o.kafkaCa !== undefined) c.ca = o.kafkaCa;
  if (o.kafkaCert !== undefined) c.cert = o.kafkaCert;
  if (o.kafkaKey !== undefined) c.key = o.kafkaKey;
  if (o.kafkaSasl !== undefined) {
    if (o.kafkaUser === undefined) throw new UsageError('--kafka-sasl needs --kafka-user');
    let password = process.env[PASSWORD_ENV];
    if (o.kafkaPasswordFile !== undefined) {
      try {
        password = readFileSync(o.kafkaPasswordFile, 'utf8').split(/\r?\n/)[0] ?? '';
      } catch (e) {
        throw new UsageError(`--kafka-password-file ${o.kafkaPasswordFile}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
      }
    }
    if (password === undefined) throw new UsageError(`--kafka-sasl needs a password: --kafka-password-file FILE or $${PASSWORD_ENV}`);
    c.sasl = { mechanism: o.kafkaSasl, username: o.kafkaUser, password };
  } else if (o.kafkaUser !== undefined || o.kafkaPasswordFile !== undefined) {
    throw new UsageError('--kafka-user and --kafka-password-file need --kafka-sasl');
  }
  return c;
}

const ACKS = { all: -1, leader: 1, none: 0 } as const;

export interface KafkaSinkSetup {
  level: Level;
  /** Add `raw` to every record (--raw). */
  raw: boolean;
  /** Lines for the user (stderr). */
  onStatus: (line: string) => void;
}

/**
 * Check the producer options (UsageError), connect (waiting with --kafka-wait; KafkaError when no broker
 * answers) and return the sink. Nothing is read from the input before this returns.
 */
export async function startKafkaSink(opts: object, s: KafkaSinkSetup): Promise<KafkaSink> {
  const o = opts as KafkaCliOptions;
  const conn = connOptions(o);
  const host = o.kafkaCaptureHost ?? hostname();
  const template = compileTopicTemplate(o.kafkaTopic ?? DEFAULT_TOPIC, host);
  const kafka = await createKafka(conn, 2);
  const { CompressionTypes, Partitioners } = await loadKafkajs();
  // The buffer retries; kafkajs's own send retries are off so every retry is counted (producer.ts).
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, retry: { retries: 0 }, allowAutoTopicCreation: true });
  try {
    await connectWithWait(() => producer.connect(), conn.brokers, kafkaWaitMs(o), s.onStatus);
  } catch (e) {
    // A half-open connection (TLS or SASL refused) would keep the process alive.
    await producer.disconnect().catch(() => undefined);
    throw e;
  }
  const buffer = new BufferedProducer(producer as unknown as ProducerClient, {
    acks: ACKS[o.kafkaAcks ?? 'all'],
    compression: o.kafkaCompression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None,
    bufferBytes: o.kafkaBuffer ?? 64 * 1024 * 1024,
    full: o.kafkaFull ?? 'block',
    batchBytes: o.kafkaBatchSize ?? 512 * 1024,
    lingerMs: o.kafkaLinger ?? 5,
    ackTimeoutMs: o.kafkaTimeout,
    headers: recordHeaders(s.level, host),
    onStatus: s.onStatus,
  });
  return new KafkaSink(buffer, jsonlFormatter(s.level, undefined, { raw: s.raw }), template, (o.kafkaFlushTimeout ?? 30) * 1000);
}

/** Status lines of the Kafka sink and consumer on stderr. */
export function kafkaStatus(line: string): void {
  process.stderr.write(`bgpcap: kafka: ${line}\n`);
}

/**
 * --kafka without --format means Kafka only (nothing on stdout); with -f (or --preset) both. `given` tells
 * whether the user typed the option.
 */
export function kafkaOnly(o: object, given: (name: string) => boolean): boolean {
  return kafkaRequested(o) && !given('format') && (o as { preset?: unknown }).preset === undefined;
}

/**
 * startKafkaSink for a command: a KafkaError (no broker, authentication refused) is printed and gives null,
 * and the command exits with EXIT_KAFKA; a UsageError passes through (exit 2).
 */
export async function openKafkaSink(o: object, level: Level, raw: boolean): Promise<KafkaSink | null> {
  try {
    return await startKafkaSink(o, { level, raw, onStatus: kafkaStatus });
  } catch (e) {
    if (e instanceof KafkaError) {
      kafkaStatus(e.message);
      return null;
    }
    throw e;
  }
}

/** After the sink ended: the counts on stderr; records that failed make the exit status EXIT_KAFKA. */
export function reportKafka(k: KafkaSink, code: number): number {
  const c = k.producer.counts;
  kafkaStatus(formatCounts(c));
  return c.failed > 0 && code === 0 ? EXIT_KAFKA : code;
}
