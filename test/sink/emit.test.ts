// The byte emitters (fields.ts jsonTo / textTo, written through row.ts into a ByteWriter) must write exactly
// the text of the field's string functions (json / text), which the other sink tests check against the
// schema, tshark and bgpdump. Checked field by field on hand-made records covering every kind of record and
// value, and on every record of real captures (fixtures and the shared corpus: IPv6, ADD-PATH, VPN, EVPN,
// flowspec, malformed and fuzzed messages), at message level and for every prefix at elem level. Then whole
// rows: a jsonl / line formatter's bytes must equal the fields' strings joined by hand.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Pipeline } from '../../src/pipeline.js';
import { readCapture } from '../../src/source/open.js';
import type { BgpRecord } from '../../src/record.js';
import { ByteWriter } from '../../src/sink/bytes.js';
import { newElem, visitElems, type Elem } from '../../src/sink/elem.js';
import { FIELDS, JSON_KEYS, fieldsByName, type FieldDef } from '../../src/sink/fields.js';
import { jsonlFormatter } from '../../src/sink/jsonl.js';
import { stripControl, timestampText } from '../../src/sink/format.js';
import { timestampTo } from '../../src/sink/emit.js';
import { lineFormatter } from '../../src/sink/line.js';
import { decodeFully, LazyUpdate } from '../../src/bgp/update-lazy.js';
import * as R from './records.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const corpus = join(root, '../shared/corpus');

async function recordsOf(file: string): Promise<BgpRecord[]> {
  const out: BgpRecord[] = [];
  const p = new Pipeline((r) => out.push(r));
  try {
    await readCapture(file, (f) => p.frame(f));
  } catch {
    // a damaged capture: the records before the damage are still checked
  }
  p.end();
  return out;
}

const captures = [
  ...['bird-ipv4-ipv6.pcap', 'bird-addpath.pcap', 'peering/amsterdam01.tap5.pcap', 'peering/seattle01.tap1.pcap'].map((f) => join(root, 'fixtures', f)),
  ...(existsSync(corpus)
    ? readdirSync(corpus, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .flatMap((d) => readdirSync(join(corpus, d.name)).map((f) => join(corpus, d.name, f)))
        .filter((f) => /\.(pcap|pcapng|cap)(\.gz)?$/.test(f))
    : []),
];

const SEP_CLEAN = (s: string): string => s.split('|').join(' ');

/** The record with its UPDATE not decoded yet (bgp/update-lazy.ts), as a writer meets it in a real run. */
function undecoded(r: BgpRecord): BgpRecord {
  return r.kind === 'message' && r.msg instanceof LazyUpdate ? { ...r, msg: r.msg.copy() } : r;
}

/** Compare one field's bytes with its string, for the record at message level and for each of its prefixes. */
function check(f: FieldDef, r: BgpRecord, where: string, problems: string[]): void {
  const w = new ByteWriter(64);
  const cursors: (Elem | null)[] = [null];
  if (r.kind === 'message' && r.msg !== null && r.msg.kind === 'update') {
    const m = decodeFully(r.msg);
    const e = newElem();
    visitElems(m, e, () => undefined, () => cursors.push({ ...e }));
  }
  // The byte writers read an UPDATE that nothing has decoded yet, as in a real run (AS_PATH and the
  // communities are then printed from the wire: bgp/update-lazy.ts), the string functions a fully decoded one.
  for (const e of cursors) {
    if (f.absent !== undefined && f.absent(r, e) && f.json(r, e) !== f.absentJson) problems.push(`${where} ${f.name}: absent, but json is ${f.json(r, e)}`);
    // The string functions too read a message that nothing decoded yet (AS_PATH and the communities still
    // bytes): they must give what they give on the decoded one.
    const jsonFresh = f.json(undecoded(r), e);
    if (jsonFresh !== f.json(r, e)) problems.push(`${where} ${f.name} json of an undecoded message: ${jsonFresh} != ${f.json(r, e)}`);
    const textFresh = f.text(undecoded(r), e);
    if (textFresh !== f.text(r, e)) problems.push(`${where} ${f.name} text of an undecoded message: ${textFresh} != ${f.text(r, e)}`);
    if (f.jsonTo !== undefined) {
      w.reset();
      f.jsonTo(w, undecoded(r), e, null);
      const want = f.json(r, e);
      if (w.text() !== want) problems.push(`${where} ${f.name} json${e ? ` (${e.type} ${e.prefix})` : ''}: ${w.text()} != ${want}`);
    }
    if (f.textTo !== undefined) {
      w.reset();
      const clean = f.kind === 'plain' ? null : SEP_CLEAN;
      f.textTo(w, undecoded(r), e, clean);
      const t = f.text(r, e);
      const want = clean === null ? t : clean(t);
      if (w.text() !== want) problems.push(`${where} ${f.name} text${e ? ` (${e.type} ${e.prefix})` : ''}: ${w.text()} != ${want}`);
    }
  }
}

const SAMPLES: [string, BgpRecord][] = Object.entries(R).filter((x): x is [string, BgpRecord] => typeof x[1] === 'object' && x[1] !== null && 'kind' in x[1] && 'ts' in x[1]);

describe('byte emitters write what the string functions return', () => {
  it('has emitters for the hot fields (the test below compares something)', () => {
    const withBytes = FIELDS.filter((f) => f.jsonTo !== undefined || f.textTo !== undefined).map((f) => f.name);
    for (const n of ['timestamp', 'peer_ip', 'prefix', 'as_path', 'communities', 'announcements', 'withdrawals', 'next_hop']) expect(withBytes).toContain(n);
    expect(SAMPLES.length).toBeGreaterThan(10);
  });

  it('on hand-made records of every kind (UPDATE v4/v6, End-of-RIB, OPEN, NOTIFICATION, ROUTE-REFRESH, malformed, events)', () => {
    const problems: string[] = [];
    const nasty = R.message(
      R.update({
        as_path: [4200000000, 65001, [65003, 4294967295], 0],
        communities: ['65535:666', '0:0'],
        large_communities: ['4294967295:1:2'],
        ext_communities: ['rt:65001:100'],
        cluster_list: ['192.0.2.1'],
        originator_id: '192.0.2.9',
        med: 0,
        local_pref: 4294967295,
        atomic_aggregate: true,
        aggregator_asn: 4200000001,
        aggregator_ip: '10.0.0.1',
        withdrawals: [R.w4(['10.0.0.0/8'], [7]), { afi: 2, safi: 1, prefixes: ['2001:db8::/32'], path_ids: null }],
        announcements: [R.a4('192.0.2.1', ['192.0.2.0/24', '198.51.100.0/24'], [1, 2])],
      }),
      { peer_ip: 'fe80::1', peer_asn: 4294967295, file: 'a "quoted"\u0001\u00e9 name|x', iface: 'tap5', mux: 'amsterdam01' },
    );
    for (const [name, r] of [...SAMPLES, ['nasty', nasty] as [string, BgpRecord]]) for (const f of FIELDS) check(f, r, name, problems);
    expect(problems).toEqual([]);
  });

  it('on every record of the fixtures and the shared corpus', async () => {
    const problems: string[] = [];
    let n = 0;
    for (const file of captures) {
      for (const r of await recordsOf(file)) {
        n++;
        for (const f of FIELDS) check(f, r, file.slice(root.length - 1), problems);
        if (problems.length > 20) break;
      }
    }
    expect(n).toBeGreaterThan(1000);
    expect(problems.slice(0, 20)).toEqual([]);
  }, 300_000);
});

describe('timestampTo', () => {
  it("writes timestampText's text whether the timestamp repeats, changes length or goes back", () => {
    // Microsecond and nanosecond captures, 1 to 16 digits of seconds, repeats, and a value to normalise.
    const ts = [
      { sec: 1700000000, nsec: 119000 },
      { sec: 1700000000, nsec: 119000 },
      { sec: 1700000000, nsec: 119123456 },
      { sec: 5, nsec: 0 },
      { sec: 5, nsec: 0 },
      { sec: 2 ** 53 - 1, nsec: 999999999 },
      { sec: 12, nsec: 1000 },
      { sec: 1700000001, nsec: -1 },
      { sec: 1700000001, nsec: 500 },
      { sec: 1700000001, nsec: 500 },
    ];
    const w = new ByteWriter();
    const want: string[] = [];
    for (let round = 0; round < 3; round++) {
      for (const t of round === 1 ? [...ts].reverse() : ts) {
        timestampTo(w, t);
        w.byte(0x7c);
        want.push(`${timestampText(t)}|`);
      }
    }
    expect(w.text()).toBe(want.join(''));
    expect(want[3]).toBe('5.000000|');
  });
});

describe('whole rows', () => {
  it('jsonl and line rows equal the fields strings joined by hand, at both levels', async () => {
    const records = [...SAMPLES.map((x) => x[1]), ...(await recordsOf(join(root, 'fixtures/bird-addpath.pcap'))), ...(await recordsOf(join(root, 'fixtures/bird-ipv4-ipv6.pcap')))];
    const elemNames = [...JSON_KEYS.common, ...JSON_KEYS.elem];
    const elemFields = fieldsByName(elemNames);
    const lineFields = fieldsByName(['type', 'timestamp', 'peer_ip', 'prefix', 'as_path', 'communities', 'next_hop', 'info']);
    const jl = jsonlFormatter('elem', elemFields);
    const ln = lineFormatter('elem', lineFields, { separator: '|', header: false });
    let rows = 0;
    for (const r of records) {
      const cursors: (Elem | null)[] = [];
      if (r.kind === 'message' && r.error === null && r.msg !== null && r.msg.kind === 'update') {
        const e = newElem();
        visitElems(decodeFully(r.msg), e, () => undefined, () => cursors.push({ ...e }));
      }
      if (cursors.length === 0) cursors.push(null);
      const wantJson = cursors.map((e) => `{"v":1${elemFields.map((f) => `,"${f.name}":${f.json(r, e)}`).join('')}}\n`).join('');
      // line: a free-text field loses its control characters and its `|` become spaces (line.ts sanitiser)
      const wantLine = cursors.map((e) => `${lineFields.map((f) => (f.kind === 'plain' ? f.text(r, e) : SEP_CLEAN(stripControl(f.text(r, e))))).join('|')}\n`).join('');
      expect(jl.format(undecoded(r))).toBe(wantJson);
      expect(ln.format(undecoded(r))).toBe(wantLine);
      rows += cursors.length;
    }
    expect(rows).toBeGreaterThan(100);
  });

  it('an elem row decodes none of the lists it writes from their bytes (origin_asns reads the AS path alone)', async () => {
    const jl = jsonlFormatter('elem', fieldsByName([...JSON_KEYS.common, ...JSON_KEYS.elem]));
    let deferred = 0;
    for (const file of captures) {
      for (const r of await recordsOf(file)) {
        if (r.kind !== 'message' || !(r.msg instanceof LazyUpdate)) continue;
        const m = r.msg.copy();
        m.partial();
        const had = [8, 32].filter((c) => m.wireStart(c as 8 | 32) >= 0);
        jl.format({ ...r, msg: m });
        for (const c of had) {
          deferred++;
          expect(m.wireStart(c as 8 | 32), `attribute ${c}`).toBeGreaterThanOrEqual(0);
        }
      }
    }
    expect(deferred).toBeGreaterThan(50);
  });

  it('jsonl message rows (the default keys of each message kind) equal the fields strings joined by hand', async () => {
    const k = JSON_KEYS;
    const jl = jsonlFormatter('msg');
    let updates = 0;
    for (const file of captures.slice(0, 12)) {
      for (const r of await recordsOf(file)) {
        let names: string[];
        if (r.kind === 'event') names = [...k.common, ...k.event];
        else {
          const body = r.msg === null ? [] : k[r.msg.kind];
          names = [...k.common, ...k.message, ...body, ...k.tail, ...(r.error === null ? [] : k.error)];
          if (r.msg?.kind === 'update') updates++;
        }
        const want = `{"v":1${fieldsByName(names).map((f) => `,"${f.name}":${f.json(r, null)}`).join('')}}\n`;
        expect(jl.format(undecoded(r))).toBe(want);
      }
    }
    expect(updates).toBeGreaterThan(100);
  });
});
