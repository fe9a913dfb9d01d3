// The Kafka sink: each BgpRecord becomes one Kafka record per JSON line — the jsonl formatter's text
// (src/sink/jsonl.ts), so Kafka carries exactly what `-f jsonl` prints, at the chosen level.
//
//   topic    the template rendered from the record (topic.ts)
//   key      the session: both endpoints as "ip:port" ([ip]:port for IPv6), the lower one first, joined by
//            a space, so both directions of a BGP session share a key, hence a partition, and stay in order
//            relative to each other; null for records without addresses (then no order is promised)
//   value    the JSON record (one line, without the newline)
//   headers  content-type: application/json, bgpcap-schema-version: SCHEMA_VERSION,
//            bgpcap-level: msg | elem, bgpcap-host: the capture host
//   time     the time of sending (Kafka's retention works on it); the capture time is in the value

import { hostname } from 'node:os';
import { SCHEMA_VERSION, type BgpRecord } from '../record.js';
import type { Formatter } from '../sink/jsonl.js';
import type { Level } from '../sink/fields.js';
import { BufferedProducer, type ProducerCounts } from './producer.js';
import type { TopicTemplate } from './topic.js';

export const HEADER_SCHEMA = 'bgpcap-schema-version';
export const HEADER_LEVEL = 'bgpcap-level';
export const HEADER_HOST = 'bgpcap-host';
export const HEADER_CONTENT_TYPE = 'content-type';
export const CONTENT_TYPE = 'application/json';

export function recordHeaders(level: Level, host: string = hostname()): Record<string, string> {
  return { [HEADER_CONTENT_TYPE]: CONTENT_TYPE, [HEADER_SCHEMA]: String(SCHEMA_VERSION), [HEADER_LEVEL]: level, [HEADER_HOST]: host };
}

function endpoint(ip: string, port: number | null): string {
  const p = port === null ? '' : String(port);
  return ip.includes(':') ? `[${ip}]:${p}` : `${ip}:${p}`;
}

/** The session key of a record; the same for both directions of a TCP connection. */
export function sessionKey(r: BgpRecord): string | null {
  if (r.peer_ip === null || r.local_ip === null) return null;
  const a = endpoint(r.peer_ip, r.src_port);
  const b = endpoint(r.local_ip, r.dst_port);
  return a <= b ? `${a} ${b}` : `${b} ${a}`;
}

export class KafkaSink {
  private lastPeer: string | null = null;
  private lastLocal: string | null = null;
  private lastSrc: number | null = null;
  private lastDst: number | null = null;
  private lastKey: string | null = null;

  constructor(
    readonly producer: BufferedProducer,
    private readonly formatter: Formatter,
    private readonly topic: TopicTemplate,
    private readonly flushTimeoutMs: number,
  ) {}

  write(r: BgpRecord): void {
    const text = this.formatter.format(r);
    if (text === '') return;
    const topic = this.topic.constant ?? this.topic.render(r);
    const key = this.key(r);
    const p = this.producer;
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      p.enqueue(topic, key, text.slice(start, nl));
      start = nl + 1;
    }
  }

  /** Null when the buffer has room; else resolves when it has (the 'block' policy: the reader waits). */
  ready(): Promise<void> | null {
    return this.producer.ready();
  }

  /** Flush (within the flush timeout) and disconnect. */
  async end(): Promise<void> {
    await this.close();
  }

  close(): Promise<ProducerCounts> {
    return this.producer.close(this.flushTimeoutMs);
  }

  /** Records of one connection come in runs: the last key is reused while the four fields repeat. */
  private key(r: BgpRecord): string | null {
    if (r.peer_ip === this.lastPeer && r.local_ip === this.lastLocal && r.src_port === this.lastSrc && r.dst_port === this.lastDst) return this.lastKey;
    this.lastPeer = r.peer_ip;
    this.lastLocal = r.local_ip;
    this.lastSrc = r.src_port;
    this.lastDst = r.dst_port;
    this.lastKey = sessionKey(r);
    return this.lastKey;
  }
}

export function formatCounts(c: ProducerCounts): string {
  return `${c.sent} sent, ${c.retried} retried, ${c.failed} failed, ${c.dropped} dropped`;
}
