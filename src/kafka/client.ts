// The kafkajs client configuration shared by the producer and the consumer: brokers, client id, TLS, SASL,
// timeouts, and kafkajs's own log lines routed to stderr (never stdout: records go there).

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Kafka, KafkaConfig, LogEntry, SASLOptions } from 'kafkajs';
import { UsageError } from '../errors.js';
import { describeKafkaError, isRetriable, KafkaError } from './errors.js';

export type SaslMechanism = 'plain' | 'scram-sha-256' | 'scram-sha-512';

export interface KafkaConnOptions {
  /** host:port of one or more brokers (the others are learnt from the cluster metadata). */
  brokers: string[];
  /** Client id the brokers log and quota by. Default 'bgpcap'. */
  clientId?: string;
  /** Use TLS. Implied by `ca`, `cert`, `key`. Default false. */
  tls?: boolean;
  /** PEM files: CA bundle to verify the brokers with (default: Node's CA store); client certificate and key. */
  ca?: string;
  cert?: string;
  key?: string;
  sasl?: { mechanism: SaslMechanism; username: string; password: string };
  /** TCP (and TLS) connect timeout. Default 3000 ms. */
  connectionTimeoutMs?: number;
  /** Time to wait for any answer of a broker. Default 30000 ms. */
  requestTimeoutMs?: number;
  /** kafkajs's own log on stderr: 'nothing' (default), 'error', 'warn', 'info', 'debug'. */
  logLevel?: 'nothing' | 'error' | 'warn' | 'info' | 'debug';
}

/**
 * kafkajs, loaded on first use: it is 70 ms of start-up CPU (about a third of bgpcap's), which every run that
 * does not touch Kafka would otherwise pay.
 */
export function loadKafkajs(): Promise<typeof import('kafkajs')> {
  // require() (kafkajs is CommonJS) rather than import(): the bundled CLI (src/bundle.ts) leaves kafkajs out
  // of the bundle, and a dynamic import() there would need node:vm's experimental module loader.
  return Promise.resolve().then(() => createRequire(import.meta.url)('kafkajs') as typeof import('kafkajs'));
}

/** "host:port[,host:port...]" → list; a missing or bad port is a UsageError. */
export function parseBrokers(text: string): string[] {
  const list = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (list.length === 0) throw new UsageError('--kafka needs at least one broker (host:port)');
  for (const b of list) {
    const i = b.lastIndexOf(':');
    const port = Number(b.slice(i + 1));
    if (i <= 0 || !Number.isInteger(port) || port < 1 || port > 65535 || b.slice(i + 1) === '') {
      throw new UsageError(`--kafka: '${b}' is not host:port (e.g. localhost:9092, [2001:db8::1]:9092)`);
    }
  }
  return list;
}

function readPem(what: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new UsageError(`${what} ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
}

/** Where the `bgpcap` command's shell line puts NODE_EXTRA_CA_CERTS (src/cli.ts: node then skips it at start). */
export const EXTRA_CA_ENV = 'BGPCAP_EXTRA_CA_CERTS';

/**
 * The CA store node would have verified with had the command's shell line left NODE_EXTRA_CA_CERTS to it: its
 * bundled roots and the file's certificates. undefined (node's own store) when the variable was not handed
 * over — `node dist/cli.js`, where node read NODE_EXTRA_CA_CERTS itself. A file that cannot be read is a
 * warning and the roots alone, as node says "Ignoring extra certs from ..." and goes on.
 */
export function extraCa(env: NodeJS.ProcessEnv = process.env, warn: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): (string | Buffer)[] | undefined {
  const file = env[EXTRA_CA_ENV];
  if (file === undefined || file === '') return undefined;
  try {
    // node:tls loaded here, not at start: runs without Kafka over TLS never need it.
    const { rootCertificates } = createRequire(import.meta.url)('node:tls') as typeof import('node:tls');
    return [...rootCertificates, readFileSync(file)];
  } catch (e) {
    warn(`bgpcap: warning: ignoring extra CA certificates from NODE_EXTRA_CA_CERTS ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
    return undefined;
  }
}

/**
 * kafkajs configuration but the log level (createKafka sets it once kafkajs is loaded); `retries` is kafkajs's
 * own retry count for connecting and metadata.
 */
export function kafkaConfig(o: KafkaConnOptions, retries: number): KafkaConfig {
  const cfg: KafkaConfig = {
    brokers: o.brokers,
    clientId: o.clientId ?? 'bgpcap',
    connectionTimeout: o.connectionTimeoutMs ?? 3000,
    requestTimeout: o.requestTimeoutMs ?? 30000,
    retry: { retries, initialRetryTime: 100, maxRetryTime: 1000 },
    logCreator: () => (e: LogEntry) => {
      const { message, ...rest } = e.log;
      process.stderr.write(`bgpcap: kafkajs ${e.namespace}: ${message} ${JSON.stringify(rest)}\n`);
    },
  };
  if (o.tls === true || o.ca !== undefined || o.cert !== undefined || o.key !== undefined) {
    if ((o.cert === undefined) !== (o.key === undefined)) throw new UsageError('--kafka-cert and --kafka-key go together');
    cfg.ssl = {
      // --kafka-ca replaces the default store, as `ca` does in node's tls; without it, the default store.
      ...(o.ca === undefined ? withCa(extraCa()) : { ca: [readPem('--kafka-ca', o.ca)] }),
      ...(o.cert === undefined ? {} : { cert: readPem('--kafka-cert', o.cert) }),
      ...(o.key === undefined ? {} : { key: readPem('--kafka-key', o.key) }),
    };
  }
  if (o.sasl !== undefined) {
    const s = o.sasl;
    cfg.sasl = { mechanism: s.mechanism, username: s.username, password: s.password } as SASLOptions;
  }
  return cfg;
}

function withCa(ca: (string | Buffer)[] | undefined): { ca?: (string | Buffer)[] } {
  return ca === undefined ? {} : { ca };
}

export async function createKafka(o: KafkaConnOptions, retries: number): Promise<Kafka> {
  const cfg = kafkaConfig(o, retries);
  const { Kafka, logLevel } = await loadKafkajs();
  const level = (o.logLevel ?? 'nothing').toUpperCase() as keyof typeof logLevel;
  return new Kafka({ ...cfg, logLevel: logLevel[level] });
}

/**
 * Connect, or keep trying for `waitMs` (Infinity: until it works; null: one attempt). Errors that waiting
 * cannot cure (authentication refused, TLS trust) end at once. Throws KafkaError with a one-line reason.
 */
export async function connectWithWait(
  connect: () => Promise<void>,
  brokers: readonly string[],
  waitMs: number | null,
  onStatus: (line: string) => void,
): Promise<void> {
  const deadline = waitMs === null ? 0 : Date.now() + waitMs;
  let backoff = 250;
  let said = false;
  for (;;) {
    try {
      await connect();
      if (said) onStatus(`connected to ${brokers.join(',')}`);
      return;
    } catch (e) {
      const why = describeKafkaError(e);
      const left = deadline - Date.now();
      if (!isRetriable(e) || waitMs === null || left <= 0) {
        const hint = waitMs === null && isRetriable(e) ? ' (--kafka-wait SECONDS waits for the broker)' : waitMs !== null && isRetriable(e) ? ` (waited ${Math.round(waitMs / 1000)} s)` : '';
        throw new KafkaError(`cannot connect to ${brokers.join(',')}: ${why}${hint}`);
      }
      if (!said) {
        said = true;
        onStatus(`waiting for ${brokers.join(',')} (${why})${Number.isFinite(waitMs) ? ` for up to ${Math.round(waitMs / 1000)} s` : ''}`);
      }
      await new Promise((r) => setTimeout(r, Math.min(backoff, left)));
      backoff = Math.min(backoff * 2, 2000);
    }
  }
}
