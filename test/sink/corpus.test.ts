// Real messages through the sinks: BGP messages cut out of the shared corpus captures with tshark (TCP
// payloads per direction, split on the BGP header length), decoded by src/bgp/decode.ts, formatted by every
// sink. The jsonl output of whatever the real decoder produces — fuzzed captures included — must validate
// against schema/record.schema.json; line output must keep one fixed column count; human output must carry no
// control characters from the wire.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { decodeMessage } from '../../src/bgp/decode.js';
import type { MessageRecord } from '../../src/record.js';
import { createFormatter } from '../../src/sink/index.js';
import { DEFAULT_LINE_FIELDS } from '../../src/sink/fields.js';

const corpus = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));
const haveTshark = spawnSync('tshark', ['--version'], { stdio: 'ignore' }).status === 0;
const files = existsSync(corpus)
  ? readdirSync(corpus, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .flatMap((d) => readdirSync(join(corpus, d.name)).map((f) => join(d.name, f)))
  : [];

const schema = JSON.parse(readFileSync(new URL('../../schema/record.schema.json', import.meta.url), 'utf8')) as object;
const ajv = new Ajv2020({ allErrors: true });
const validate = ajv.compile(schema);

/** Whole BGP messages found in the capture's TCP payloads, with the frame that completed each. */
function messages(file: string): MessageRecord[] {
  const r = spawnSync(
    'tshark',
    ['-r', file, '-Y', 'tcp.len > 0', '-T', 'fields', '-E', 'separator=\t', '-e', 'frame.number', '-e', 'frame.time_epoch', '-e', 'tcp.stream', '-e', 'ip.src', '-e', 'ipv6.src', '-e', 'ip.dst', '-e', 'ipv6.dst', '-e', 'tcp.srcport', '-e', 'tcp.dstport', '-e', 'tcp.seq', '-e', 'tcp.payload'],
    { encoding: 'utf8', maxBuffer: 1 << 28 },
  );
  const flows = new Map<string, { next: number; buf: Uint8Array }>();
  const out: MessageRecord[] = [];
  for (const line of r.stdout.split('\n')) {
    const [frame, epoch, stream, src4, src6, dst4, dst6, sport, dport, seqS, payload] = line.split('\t');
    if (!payload) continue;
    const key = `${stream}/${sport}`;
    const seq = Number(seqS);
    let f = flows.get(key);
    if (f === undefined) flows.set(key, (f = { next: seq, buf: new Uint8Array(0) }));
    if (seq < f.next) continue; // retransmission
    const data = Buffer.from(payload.replace(/:/g, ''), 'hex');
    if (seq > f.next) f.buf = new Uint8Array(0); // lost bytes: start again at this segment
    f.next = seq + data.length;
    const b = new Uint8Array(f.buf.length + data.length);
    b.set(f.buf);
    b.set(data, f.buf.length);
    let off = 0;
    while (b.length - off >= 19) {
      let marker = true;
      for (let i = 0; i < 16; i++) if (b[off + i] !== 0xff) marker = false;
      const len = (b[off + 16]! << 8) | b[off + 17]!;
      if (!marker || len < 19) {
        off = b.length; // not a BGP stream (or lost sync): drop what we have
        break;
      }
      if (b.length - off < len) break;
      const raw = b.slice(off, off + len);
      off += len;
      const d = decodeMessage(raw, { as4: null, extended_message: true, add_path_send: null });
      const [sec, frac = '0'] = epoch!.split('.');
      out.push({
        kind: 'message',
        ts: { sec: Number(sec), nsec: Number(frac.padEnd(9, '0').slice(0, 9)) },
        frame: Number(frame),
        file,
        iface: null,
        mux: null,
        peer_ip: src4 || src6 || null,
        peer_asn: null,
        local_ip: dst4 || dst6 || null,
        local_asn: null,
        src_port: Number(sport),
        dst_port: Number(dport),
        msg_type: raw[18]!,
        length: len,
        msg: d.msg,
        error: d.error,
        raw,
        inferred: d.inferred,
      });
    }
    f.buf = b.subarray(off);
  }
  return out;
}

describe.skipIf(files.length === 0 || !haveTshark)('corpus captures through every sink (needs ../shared/corpus and tshark)', () => {
  const jsonl = { msg: createFormatter({ format: 'jsonl', level: 'msg' }), elem: createFormatter({ format: 'jsonl', level: 'elem' }) };
  const line = { msg: createFormatter({ format: 'line', level: 'msg' }), elem: createFormatter({ format: 'line', level: 'elem' }) };
  const human = createFormatter({ format: 'human', level: 'msg' });
  let total = 0;

  it.each(files)('%s', (name) => {
    const recs = messages(join(corpus, name));
    total += recs.length;
    for (const r of recs) {
      for (const level of ['msg', 'elem'] as const) {
        for (const l of jsonl[level].format(r).trimEnd().split('\n')) {
          const ok = validate(JSON.parse(l));
          expect(ok, `${name} frame ${r.frame}: ${ajv.errorsText(validate.errors)}\n${l.slice(0, 400)}`).toBe(true);
        }
        for (const l of line[level].format(r).trimEnd().split('\n')) {
          expect(l.split('|').length, `${name} frame ${r.frame}: ${l}`).toBe(DEFAULT_LINE_FIELDS[level].length);
        }
      }
      expect(human.format(r).replace(/\n/g, '')).not.toMatch(/[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/);
    }
  });

  it('found messages in the corpus', () => {
    expect(total).toBeGreaterThan(500);
  });
});
