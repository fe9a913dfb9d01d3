// JSON records back into BgpRecords (src/kafka/record-json.ts), checked by round trip: every record of the
// fixtures and of the shared corpus captures is written as JSON, read back, and written again by every
// sink; each output must equal the output of the record the decoder made. The JSON format is the jsonl
// sink's, tested on its own in test/sink/.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Pipeline } from '../../src/pipeline.js';
import type { BgpRecord } from '../../src/record.js';
import { readCapture } from '../../src/source/open.js';
import { createFormatter, type SinkOptions } from '../../src/sink/index.js';
import { fieldNames, JSON_KEYS } from '../../src/sink/fields.js';
import { jsonLevel, parseTimestamp, recordFromJson, segmentsFromPath, timestampText } from '../../src/kafka/record-json.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const corpus = join(root, '../shared/corpus');
const captures = [
  join(root, 'fixtures/bird-ipv4-ipv6.pcap'),
  join(root, 'fixtures/bird-addpath.pcap'),
  ...(existsSync(corpus)
    ? readdirSync(corpus, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .flatMap((d) => readdirSync(join(corpus, d.name)).map((f) => join(corpus, d.name, f)))
        .filter((f) => /\.(pcap|pcapng|cap)(\.gz)?$/.test(f))
    : []),
];

async function recordsOf(file: string): Promise<BgpRecord[]> {
  const out: BgpRecord[] = [];
  const p = new Pipeline((r) => out.push(r), { ports: new Set([179]) });
  p.beginFile(file);
  try {
    await readCapture(file, (f) => p.frame(f));
  } catch {
    // Damaged corpus files: the records before the damage are what counts here.
  }
  p.end();
  return out;
}

const msgFields = fieldNames('msg').filter((f) => f !== 'raw');
const elemFields = fieldNames('elem').filter((f) => f !== 'raw');
/** Output formats that need only what the JSON of a record carries (published without --raw). */
const FORMATS: Record<string, SinkOptions> = {
  'jsonl msg': { format: 'jsonl', level: 'msg' },
  'jsonl elem': { format: 'jsonl', level: 'elem' },
  'line msg, every field': { format: 'line', level: 'msg', fields: msgFields },
  'line elem, every field': { format: 'line', level: 'elem', fields: elemFields },
  human: { format: 'human', level: 'msg' },
  'preset bgpdump': { format: 'line', level: 'elem', preset: 'bgpdump' },
  'preset bgpkit': { format: 'line', level: 'elem', preset: 'bgpkit' },
};
/** ... and those that need the message bytes (published with --raw). */
const RAW_FORMATS: Record<string, SinkOptions> = {
  'jsonl msg --raw': { format: 'jsonl', level: 'msg', raw: true },
  'line elem --raw': { format: 'line', level: 'elem', raw: true },
  'human --raw': { format: 'human', level: 'msg', raw: true },
  'preset pbgpp': { format: 'line', level: 'msg', preset: 'pbgpp' },
};

function roundTrip(records: BgpRecord[], via: SinkOptions, formats: Record<string, SinkOptions>): { format: string; want: string; got: string }[] {
  const src = createFormatter(via);
  const diffs: { format: string; want: string; got: string }[] = [];
  const back: BgpRecord[] = [];
  for (const r of records) {
    for (const line of src.format(r).split('\n')) {
      if (line === '') continue;
      const res = recordFromJson(JSON.parse(line), line);
      if ('problem' in res) throw new Error(`${res.problem}: ${line}`);
      back.push(res.record);
    }
  }
  for (const [name, opts] of Object.entries(formats)) {
    const f1 = createFormatter(opts);
    const f2 = createFormatter(opts);
    const want = records.map((r) => f1.format(r)).join('');
    const got = back.map((r) => f2.format(r)).join('');
    if (want !== got) diffs.push({ format: name, want, got });
  }
  return diffs;
}

function firstDiff(d: { format: string; want: string; got: string }): string {
  const a = d.want.split('\n');
  const b = d.got.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) if (a[i] !== b[i]) return `${d.format} line ${i + 1}:\n want ${a[i]}\n got  ${b[i]}`;
  return d.format;
}

describe('records from JSON, by round trip', () => {
  it.each(captures.map((c) => [c.replace(`${root}/`, '').replace(`${corpus}/`, 'corpus/'), c]))('%s', async (_name, file) => {
    const records = await recordsOf(file);
    expect(records.length).toBeGreaterThan(0);
    // Message-level JSON (the default of --kafka) carries everything every format needs but the raw bytes.
    expect(roundTrip(records, { format: 'jsonl', level: 'msg' }, FORMATS).map(firstDiff)).toEqual([]);
    expect(roundTrip(records, { format: 'jsonl', level: 'msg', raw: true }, { ...FORMATS, ...RAW_FORMATS }).map(firstDiff)).toEqual([]);
    // Elem-level JSON: each elem comes back as a one-prefix UPDATE, so elem-level output is the same again.
    // (Message-level fields such as withdrawals or announcements are not in an elem record.)
    const elemFormats = {
      'jsonl elem': FORMATS['jsonl elem']!,
      'line elem, the elem fields': { format: 'line', level: 'elem', fields: ['v', ...JSON_KEYS.common, ...JSON_KEYS.elem] } as SinkOptions,
      'preset bgpdump': FORMATS['preset bgpdump']!,
    };
    expect(roundTrip(records, { format: 'jsonl', level: 'elem' }, elemFormats).map(firstDiff)).toEqual([]);
  });
});

describe('details', () => {
  it('timestamps keep their nanoseconds: read from the JSON text, not through a double', () => {
    const line = '{"v":1,"timestamp":1700000000.123456789,"frame":1}';
    expect(timestampText(line)).toBe('1700000000.123456789');
    expect(parseTimestamp(JSON.parse(line).timestamp, timestampText(line))).toEqual({ sec: 1700000000, nsec: 123456789 });
    expect(parseTimestamp(1700000000.5)).toEqual({ sec: 1700000000, nsec: 500000000 });
    expect(parseTimestamp(1700000000.25, '1700000000.250000')).toEqual({ sec: 1700000000, nsec: 250000000 });
    expect(parseTimestamp('x')).toBeNull();
  });

  it('AS path segments: ASN runs are AS_SEQUENCE (2), nested arrays AS_SET (1) (RFC 4271 §4.3)', () => {
    expect(segmentsFromPath([65001, 65002, [65003, 65004], 65005])).toEqual([
      { type: 2, asns: [65001, 65002] },
      { type: 1, asns: [65003, 65004] },
      { type: 2, asns: [65005] },
    ]);
    expect(segmentsFromPath(null)).toBeNull();
  });

  it('an elem record is an UPDATE with its one prefix; withdrawals carry no attributes', () => {
    const a = recordFromJson({ v: 1, timestamp: 1, frame: 3, peer_ip: '192.0.2.1', local_ip: '192.0.2.2', src_port: 179, dst_port: 4000, msg_type: 'UPDATE', length: 60, type: 'A', prefix: '10.0.0.0/8', path_id: 7, afi: 1, safi: 1, next_hop: '192.0.2.1', as_path: [65001, [65002, 65003]], origin: 'IGP', med: 5, communities: ['65001:1'] });
    expect('record' in a).toBe(true);
    const r = (a as { record: BgpRecord }).record;
    expect(r.kind === 'message' && r.msg?.kind === 'update' ? r.msg.announcements : null).toEqual([
      { afi: 1, safi: 1, prefixes: ['10.0.0.0/8'], path_ids: [7], next_hop: '192.0.2.1', next_hop_ll: null },
    ]);
    const u = r.kind === 'message' && r.msg?.kind === 'update' ? r.msg : null;
    expect(u?.attr_codes).toEqual([1, 2, 3, 4, 8]);
    expect(u?.next_hop).toBe('192.0.2.1');
    const w = (recordFromJson({ v: 1, timestamp: 1, msg_type: 'UPDATE', type: 'W', prefix: '2001:db8::/32', path_id: null, afi: 2, safi: 1, as_path: null }) as { record: BgpRecord }).record;
    const wu = w.kind === 'message' && w.msg?.kind === 'update' ? w.msg : null;
    expect(wu?.withdrawals).toEqual([{ afi: 2, safi: 1, prefixes: ['2001:db8::/32'], path_ids: null }]);
    expect(wu?.announcements).toEqual([]);
    expect(wu?.as_path).toBeNull();
    expect(jsonLevel({ type: 'A', prefix: 'x' })).toBe('elem');
    expect(jsonLevel({ msg_type: 'UPDATE', announcements: [] })).toBe('msg');
  });

  it('what is not a record says why', () => {
    expect(recordFromJson([1, 2])).toEqual({ problem: 'not a JSON object' });
    expect(recordFromJson({ v: 1 })).toEqual({ problem: 'no timestamp' });
    expect(recordFromJson({ v: 1, timestamp: 5 })).toEqual({ problem: 'neither msg_type nor event' });
    expect(recordFromJson({ v: 1, timestamp: 5, msg_type: 'MSG_9', length: 19 })).toMatchObject({ record: { kind: 'message', msg_type: 9, msg: null } });
  });
});
