// Reading bgpcap records back from Kafka: a consumer group member (committed offsets, so a second run
// continues where the first stopped) that turns each Kafka record into output through the ordinary sinks.
//
//   Kafka record ──▶ schema check ──▶ JSON.parse ──▶ (stage-2 filter) ──▶ jsonl: the value as it came
//                    (header, then v)                                     other formats, or another level:
//                                                                         record-json.ts → BgpRecord → sink
//
// jsonl output of records at the level they were produced at is the value itself, byte for byte (nothing is
// re-encoded, so keys this bgpcap does not know survive). Every other output — human, line, presets, jsonl at
// another level or with --fields / --raw — renders a BgpRecord rebuilt from the JSON (record-json.ts).
//
// Records that are not for this bgpcap are reported, never guessed at: a schema version newer than
// SCHEMA_VERSION (header bgpcap-schema-version, else the record's `v`), a value that is not JSON, or JSON
// that is not a record. The first ten get a line on stderr each; all are counted in the summary.
//
// Output is flushed after each fetched batch, before kafkajs commits its offsets: a record is committed only
// once it was written (at least once, like the producer side).

import type { Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import { SCHEMA_VERSION, type BgpRecord } from '../record.js';
import type { Stage2Filter } from '../filter/stage2.js';
import { elemsOf } from '../filter/stage2.js';
import { keepElems } from '../sink/elem.js';
import type { Formatter } from '../sink/jsonl.js';
import type { Level } from '../sink/fields.js';
import type { Output } from '../sink/output.js';
import { connectWithWait } from './client.js';
import { describeKafkaError, KafkaError } from './errors.js';
import { jsonLevel, recordFromJson } from './record-json.js';
import { HEADER_SCHEMA } from './sink.js';
import { topicMatches } from './topic.js';

export interface ConsumeOptions {
  kafka: Kafka;
  brokers: readonly string[];
  pattern: (string | RegExp)[];
  patternText: string;
  groupId: string;
  fromBeginning: boolean;
  /** Stop once every assigned partition is read up to the end it had at start. */
  exitAtEnd: boolean;
  /** --kafka-wait: time to wait for the brokers at start (Infinity: no limit; null: do not wait). */
  waitMs: number | null;
  /** Formatters per level; one may be null when the options allow only the other. */
  formatters: Record<Level, Formatter | null>;
  /** Output level; null: each record at the level it was produced at. */
  level: Level | null;
  /** jsonl without --fields / --raw: values at the output level are written as they are. */
  passthrough: boolean;
  filter: Stage2Filter | null;
  out: Output;
  onStatus: (line: string) => void;
  /** Longest a fetch waits at the broker for new records. Default 1000 ms. */
  maxWaitMs?: number;
  /** Problems reported one line each before only counting. Default 10. */
  reportLimit?: number;
}

export interface ConsumeStats {
  received: number;
  written: number;
  filtered: number;
  newerSchema: number;
  notRecords: number;
  topics: string[];
}

export async function consume(o: ConsumeOptions, signal: AbortSignal): Promise<ConsumeStats> {
  const stats: ConsumeStats = { received: 0, written: 0, filtered: 0, newerSchema: 0, notRecords: 0, topics: [] };
  const reportLimit = o.reportLimit ?? 10;
  let reported = 0;
  let headerDone = false;
  const report = (topic: string, partition: number, offset: string, what: string): void => {
    if (reported++ < reportLimit) o.onStatus(`${topic}[${partition}] offset ${offset}: ${what}; skipped`);
  };

  // Topics: resolved once at start (a pattern does not follow topics created later).
  const admin = o.kafka.admin();
  try {
    await connectWithWait(() => admin.connect(), o.brokers, o.waitMs, o.onStatus);
  } catch (e) {
    await admin.disconnect().catch(() => undefined);
    throw e;
  }
  let topics: string[];
  const ends = new Map<string, bigint>();
  const done = new Set<string>();
  try {
    const all = await admin.listTopics();
    topics = all.filter((t) => !t.startsWith('__') && topicMatches(o.pattern, t)).sort();
    if (topics.length === 0) {
      throw new KafkaError(`no topic matches '${o.patternText}'${all.length > 0 ? ` (topics: ${all.filter((t) => !t.startsWith('__')).slice(0, 20).join(', ')})` : ' (the cluster has no topics)'}`);
    }
    if (o.exitAtEnd) {
      const committed = new Map<string, bigint>();
      for (const t of await admin.fetchOffsets({ groupId: o.groupId, topics })) {
        for (const p of t.partitions) committed.set(`${t.topic}\0${p.partition}`, BigInt(p.offset));
      }
      for (const t of topics) {
        for (const p of await admin.fetchTopicOffsets(t)) {
          const k = `${t}\0${p.partition}`;
          const end = BigInt(p.high);
          const c = committed.get(k) ?? -1n;
          const start = c >= 0n ? c : o.fromBeginning ? BigInt(p.low) : end;
          ends.set(k, end);
          if (start >= end) done.add(k);
        }
      }
    }
  } catch (e) {
    await admin.disconnect().catch(() => undefined);
    if (e instanceof KafkaError) throw e;
    throw new KafkaError(describeKafkaError(e));
  }
  await admin.disconnect().catch(() => undefined);
  stats.topics = topics;

  const consumer: Consumer = o.kafka.consumer({ groupId: o.groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: o.maxWaitMs ?? 1000 });
  let finish!: (err?: Error) => void;
  const finished = new Promise<Error | undefined>((resolve) => {
    finish = resolve;
  });
  const onAbort = (): void => finish();
  signal.addEventListener('abort', onAbort, { once: true });
  let assigned: string[] | null = null;
  const checkDone = (): void => {
    if (!o.exitAtEnd || assigned === null) return;
    if (assigned.every((k) => done.has(k))) finish();
  };
  consumer.on(consumer.events.GROUP_JOIN, (ev) => {
    const a = ev.payload.memberAssignment as Record<string, number[]>;
    assigned = Object.entries(a).flatMap(([t, ps]) => ps.map((p) => `${t}\0${p}`));
    checkDone();
  });
  consumer.on(consumer.events.CRASH, (ev) => {
    if (!ev.payload.restart) finish(new KafkaError(describeKafkaError(ev.payload.error)));
  });

  const handle = (topic: string, partition: number, offset: string, value: Buffer | null, headers: Record<string, unknown> | undefined): void => {
    stats.received++;
    if (value === null) {
      stats.notRecords++;
      report(topic, partition, offset, 'empty value (not a bgpcap record)');
      return;
    }
    const hv = headers?.[HEADER_SCHEMA];
    if (hv !== undefined) {
      const n = Number(String(hv));
      if (Number.isFinite(n) && n > SCHEMA_VERSION) {
        stats.newerSchema++;
        report(topic, partition, offset, `schema version ${n} is newer than this bgpcap's (${SCHEMA_VERSION})`);
        return;
      }
    }
    const text = value.toString('utf8');
    let obj: unknown;
    try {
      obj = JSON.parse(text);
    } catch {
      stats.notRecords++;
      report(topic, partition, offset, 'value is not JSON (not a bgpcap record)');
      return;
    }
    if (typeof obj !== 'object' || obj === null || Array.isArray(obj) || typeof (obj as { v?: unknown }).v !== 'number') {
      stats.notRecords++;
      report(topic, partition, offset, 'JSON without a schema version "v" (not a bgpcap record)');
      return;
    }
    const v = (obj as { v: number }).v;
    if (v > SCHEMA_VERSION) {
      stats.newerSchema++;
      report(topic, partition, offset, `schema version ${v} is newer than this bgpcap's (${SCHEMA_VERSION})`);
      return;
    }
    const json = obj as Record<string, unknown>;
    const from = jsonLevel(json);
    const level = o.level ?? from;
    const asIs = o.passthrough && level === from;
    let rec: BgpRecord | null = null;
    if (!asIs || o.filter !== null) {
      const r = recordFromJson(json, text);
      if ('problem' in r) {
        stats.notRecords++;
        report(topic, partition, offset, `not a bgpcap record (${r.problem})`);
        return;
      }
      rec = r.record;
    }
    const f2 = o.filter;
    if (f2 !== null && rec !== null) {
      if (!f2.record(rec)) {
        stats.filtered++;
        return;
      }
      if (level === 'elem') {
        const m = elemsOf(rec);
        const r = rec;
        if (m !== null) keepElems(m, (e) => f2.elem(r, e));
      }
    }
    stats.written++;
    if (asIs) {
      o.out.write(`${text}\n`);
      return;
    }
    const fmt = o.formatters[level] ?? o.formatters[level === 'msg' ? 'elem' : 'msg']!;
    if (!headerDone) {
      headerDone = true;
      if (fmt.header !== '') o.out.write(fmt.header);
    }
    const s = fmt.format(rec!);
    if (s !== '') o.out.write(s);
  };

  const eachBatch = async ({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> => {
    const key = `${batch.topic}\0${batch.partition}`;
    const end = ends.get(key);
    for (const m of batch.messages) {
      if (!isRunning() || isStale()) break;
      handle(batch.topic, batch.partition, m.offset, m.value, m.headers as Record<string, unknown> | undefined);
      resolveOffset(m.offset);
      if (end !== undefined && BigInt(m.offset) + 1n >= end) done.add(key);
    }
    await o.out.flush();
    await heartbeat();
    checkDone();
  };

  try {
    await connectWithWait(() => consumer.connect(), o.brokers, o.waitMs, o.onStatus);
    await consumer.subscribe({ topics, fromBeginning: o.fromBeginning });
    await consumer.run({ autoCommit: true, eachBatchAutoResolve: true, eachBatch });
    const err = await finished;
    if (err !== undefined) throw err;
  } finally {
    signal.removeEventListener('abort', onAbort);
    await consumer.disconnect().catch(() => undefined);
    await o.out.flush();
  }
  return stats;
}

export function formatConsumeStats(s: ConsumeStats): string {
  const parts = [`${s.received} received`, `${s.written} written`];
  if (s.filtered > 0) parts.push(`${s.filtered} filtered out`);
  if (s.newerSchema > 0) parts.push(`${s.newerSchema} skipped: newer schema version than ${SCHEMA_VERSION} (upgrade bgpcap to read them)`);
  if (s.notRecords > 0) parts.push(`${s.notRecords} skipped: not bgpcap records`);
  return `${parts.join(', ')} (topics: ${s.topics.join(', ')})`;
}
