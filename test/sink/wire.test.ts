// The writers' fast path (src/bgp/update-wire.ts, src/sink/wire-fields.ts) must write exactly what the decoder's
// way writes, for every layout it takes. Two MessageStages get the same messages, one with the sink's fast path
// and one without; their outputs are compared byte for byte. Hand-made UPDATEs check each condition under
// which readWire takes or leaves a message (bytes annotated below); the shared corpus checks real traffic, and
// small versions of the bench corpora (bench/gen.ts: every common attribute, IPv6, 300 sessions) the mix the
// fast path is for.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { MessageStage, Pipeline, newRunStats, type MessageContext } from '../../src/pipeline.js';
import { createFormatter, type SinkOptions } from '../../src/sink/index.js';
import { ByteWriter } from '../../src/sink/bytes.js';
import { readWire, WireUpdate } from '../../src/bgp/update-wire.js';
import type { WireRecord } from '../../src/sink/wire-fields.js';
import type { SessionParams } from '../../src/bgp/model.js';
import type { BgpRecord } from '../../src/record.js';
import { readCapture } from '../../src/source/open.js';
import { AS2, AS4, UNKNOWN, update } from '../bgp/helpers.js';
import { generate, PROFILES } from '../../bench/gen.js';
import { Stage2Filter } from '../../src/filter/stage2.js';
import { parseExpression } from '../../src/filter/index.js';

/** Layouts with a fast path: the defaults, chosen fields, tshark's field set, the two presets that have one. */
const LAYOUTS: SinkOptions[] = [
  { format: 'line', level: 'elem' },
  { format: 'line', level: 'msg' },
  { format: 'jsonl', level: 'msg' },
  { format: 'jsonl', level: 'elem' },
  { format: 'line', level: 'elem', fields: ['prefix', 'origin_asns', 'as_path'] },
  { format: 'jsonl', level: 'elem', fields: ['timestamp', 'type', 'prefix', 'next_hop', 'next_hop_ll', 'as_path', 'origin', 'ext_communities'] },
  {
    format: 'line',
    level: 'msg',
    fields: ['frame', 'timestamp', 'peer_ip', 'local_ip', 'src_port', 'dst_port', 'msg_type', 'length', 'withdrawals', 'announcements', 'origin', 'as_path', 'next_hop', 'med', 'local_pref', 'communities', 'large_communities', 'ext_communities'],
  },
  { format: 'jsonl', level: 'msg', fields: ['withdrawals', 'withdrawal_families', 'announcements', 'aggregator_asn', 'aggregator_ip', 'atomic_aggregate', 'warnings'] },
  // bgpdump -m's lines (sink/presets.ts), which the decoder's way builds as strings.
  { format: 'line', level: 'elem', preset: 'bgpdump' },
  { format: 'line', level: 'elem', preset: 'bgpkit' },
  { format: 'line', level: 'msg', preset: 'pbgpp' },
];

/** The two ways side by side: `send` gives both stages a message; `out` their outputs and the fast path's count. */
function pair(opts: SinkOptions) {
  const f = createFormatter(opts);
  if (f.wire === undefined) throw new Error(`no fast path for ${JSON.stringify(opts)}`);
  const into = f.into ?? ((r: BgpRecord, w: ByteWriter) => w.str(f.format(r)));
  const slow = new ByteWriter(1 << 16);
  const fast = new ByteWriter(1 << 16);
  let taken = 0;
  const stats = newRunStats();
  const plain = new MessageStage((r) => into(r, slow), stats, null, opts.level === 'elem', false);
  const wired = new MessageStage(
    (r) => into(r, fast),
    stats,
    null,
    opts.level === 'elem',
    false,
    (r: WireRecord) => {
      taken++;
      f.wire!(r, fast);
    },
  );
  return {
    send(ctx: MessageContext, b: Uint8Array, frame: number) {
      const ts = { sec: 1700000000 + frame, nsec: 1000 * frame };
      const len = (b[16]! << 8) | b[17]!;
      plain.message(ctx, b, ts, frame, b[18]!, len);
      wired.message(ctx, b, ts, frame, b[18]!, len);
    },
    out: () => ({ slow: slow.text(), fast: fast.text(), taken }),
  };
}

function context(params: SessionParams): MessageContext {
  return { file: 'x.pcap', iface: null, mux: null, peer_ip: '192.0.2.1', peer_asn: 65001, local_ip: '192.0.2.2', local_asn: 65002, src_port: 179, dst_port: 40000, params };
}

// Attributes, annotated: flags, code, length, value.
const ORIGIN_IGP = '40 01 01 00';
const AS_PATH = '40 02 14  02 02 0000fde9 fa56ea01  01 02 0000fdea 0000fdeb'; // SEQ 65001 4200000001, SET {65002,65003}
const NEXT_HOP = '40 03 04 c0000201'; // 192.0.2.1
const MED = '80 04 04 00000064'; // 100
const LOCAL_PREF = '40 05 04 000000c8'; // 200
const ATOMIC = '40 06 00';
const AGGREGATOR = 'c0 07 08 0000fde9 c0000203'; // AS 65001, 192.0.2.3
const COMMUNITIES = 'c0 08 08 fde90001 ffffff01'; // 65001:1, 65535:65281
const EXT = 'c0 10 10 0002fde900000064 0102c000020b0007'; // rt:65001:100, soo:192.0.2.11:7
const LARGE = 'c0 20 0c 0000fde9 00000001 00000002'; // 65001:1:2
const NLRI2 = '18 c63364 10 0a01'; // 198.51.100.0/24, 10.1.0.0/16
const MP_REACH6 =
  '90 0e 0035  0002 01 20 20010db8000000000000000000000001 fe800000000000000000000000000001 00  30 20010db80001  40 20010db800020003';
// ^ extended length; IPv6 unicast, next hop global 2001:db8::1 + link-local fe80::1, reserved, 2001:db8:1::/48, 2001:db8:2:3::/64
const MP_UNREACH6 = '80 0f 0c  0002 01  30 20010db80009  08 20'; // IPv6 unicast: 2001:db8:9::/48, 2000::/8 (0x20 = /8 of 0x20)
const MP_REACH4_MULTICAST = '80 0e 0f  0001 02 04 c0000209 00  18 e00001 08 e8'; // IPv4 multicast via 192.0.2.9: 224.0.1.0/24, 232.0.0.0/8

interface Case {
  name: string;
  msg: Uint8Array;
  params?: SessionParams;
  /** Whether the fast path takes it. */
  wire: boolean;
}

const ALL = [ORIGIN_IGP, AS_PATH, NEXT_HOP, MED, LOCAL_PREF, ATOMIC, AGGREGATOR, COMMUNITIES, EXT, LARGE].join(' ');
const BASE = [ORIGIN_IGP, AS_PATH, NEXT_HOP].join(' ');

const CASES: Case[] = [
  { name: 'every common attribute, a withdrawn route and two prefixes', msg: update('18 c0000a', ALL, NLRI2), wire: true },
  { name: 'IPv6 MP_REACH (link-local next hop) and MP_UNREACH, no classic fields', msg: update('', [ORIGIN_IGP, AS_PATH, MP_REACH6, MP_UNREACH6].join(' '), ''), wire: true },
  { name: 'IPv4 multicast in MP_REACH, classic NLRI beside it', msg: update('', [BASE, MP_REACH4_MULTICAST].join(' '), NLRI2), wire: true },
  { name: 'withdrawals only', msg: update('18 c0000a 20 0a000001', '', ''), wire: true },
  { name: 'attributes in any order', msg: update('', [LARGE, NEXT_HOP, COMMUNITIES, AS_PATH, ORIGIN_IGP].join(' '), NLRI2), wire: true },
  {
    name: 'confederation segments (RFC 5065), the path ending in AS_CONFED_SET',
    // AS_CONFED_SEQUENCE 65008, AS_SEQUENCE 65001, AS_CONFED_SET {65009,65010}
    msg: update('', [ORIGIN_IGP, '40 02 16 03 01 0000fdf0 02 01 0000fde9 04 02 0000fdf1 0000fdf2', NEXT_HOP].join(' '), NLRI2),
    wire: true,
  },
  { name: 'empty AS_PATH (iBGP)', msg: update('', [ORIGIN_IGP, '40 02 00', NEXT_HOP, LOCAL_PREF].join(' '), NLRI2), wire: true },
  // Left to the decoder:
  { name: 'AGGREGATOR AS 0 (RFC 7607 warning)', msg: update('', [BASE, 'c0 07 08 00000000 c0000203'].join(' '), NLRI2), wire: false },
  { name: 'MED with well-known flags (RFC 7606 §3(c))', msg: update('', [BASE, '40 04 04 00000064'].join(' '), NLRI2), wire: false },
  { name: 'ORIGIN 3', msg: update('', ['40 01 01 03', AS_PATH, NEXT_HOP].join(' '), NLRI2), wire: false },
  { name: 'a repeated attribute', msg: update('', [BASE, MED, MED].join(' '), NLRI2), wire: false },
  { name: 'NLRI without NEXT_HOP (RFC 7606 §3(d))', msg: update('', [ORIGIN_IGP, AS_PATH].join(' '), NLRI2), wire: false },
  { name: 'withdrawn routes in the classic field and MP_UNREACH', msg: update('18 c0000a', MP_UNREACH6, ''), wire: false },
  { name: 'an attribute the fast path does not write (OTC)', msg: update('', [BASE, 'c0 23 04 0000fde9'].join(' '), NLRI2), wire: false },
  { name: 'End-of-RIB, IPv4', msg: update('', '', ''), wire: false },
  { name: 'End-of-RIB, IPv6', msg: update('', '80 0f 03 0002 01', ''), wire: false },
  { name: 'a prefix length of 33', msg: update('', BASE, '21 0a000000 00'), wire: false },
  { name: 'AS 0 in AS_PATH', msg: update('', [ORIGIN_IGP, '40 02 06 02 01 00000000', NEXT_HOP].join(' '), NLRI2), wire: false },
  { name: 'a 2-octet AS session', msg: update('', [ORIGIN_IGP, '40 02 04 02 01 fde9', NEXT_HOP].join(' '), NLRI2), params: AS2, wire: false },
  { name: 'no OPEN seen (AS width inferred)', msg: update('', BASE, NLRI2), params: UNKNOWN, wire: false },
  {
    name: 'ADD-PATH negotiated',
    msg: update('', BASE, '00000001 18 c63364'),
    params: { as4: true, extended_message: false, add_path_send: new Set(['1:1']) },
    wire: false,
  },
];

describe('fast path: hand-made UPDATEs', () => {
  for (const c of CASES) {
    it(`${c.wire ? 'takes' : 'leaves'}: ${c.name}`, () => {
      const params = c.params ?? AS4;
      expect(readWire(new WireUpdate(), c.msg, 0, c.msg.length, params)).toBe(c.wire);
      for (const opts of LAYOUTS) {
        const p = pair(opts);
        p.send(context(params), c.msg, 1);
        const o = p.out();
        expect(o.taken, JSON.stringify(opts)).toBe(c.wire ? 1 : 0);
        expect(o.fast, JSON.stringify(opts)).toBe(o.slow);
        // (bgpdump -m prints nothing for an End-of-RIB or a malformed UPDATE.)
        if (opts.preset === undefined || c.wire) expect(o.slow.length).toBeGreaterThan(0);
      }
    });
  }

  it('reads the message where it lies in a larger buffer', () => {
    const m = CASES[0]!.msg;
    const b = new Uint8Array(m.length + 10);
    b.set(m, 7);
    const v = new WireUpdate();
    expect(readWire(v, b, 7, 7 + m.length, AS4)).toBe(true);
    expect(v.nStart).toBe(7 + m.length - 7);
    expect(v.origin).toBe(0);
  });

  it('has no fast path where a field has no wire writer', () => {
    expect(createFormatter({ format: 'jsonl', level: 'msg', raw: true }).wire).toBeUndefined();
    expect(createFormatter({ format: 'line', level: 'msg', fields: ['as_path', 'open'] }).wire).toBeUndefined();
    expect(createFormatter({ format: 'line', level: 'elem', fields: ['prefix', 'cluster_list'] }).wire).toBeUndefined();
    expect(createFormatter({ format: 'human', level: 'msg' }).wire).toBeUndefined();
    expect(createFormatter({ format: 'line', level: 'elem' }).wire).toBeDefined();
  });
});

const corpus = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));
const files = existsSync(corpus)
  ? readdirSync(corpus, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .flatMap((d) => readdirSync(join(corpus, d.name)).map((f) => join(corpus, d.name, f)))
      .filter((f) => /\.(pcap|pcapng|cap)(\.gz)?$/.test(f))
  : [];

/** The whole capture through a Pipeline writing `opts`, with the fast path or without. */
async function run(
  file: string,
  opts: SinkOptions,
  wire: boolean,
  filter: string | null = null,
): Promise<{ text: string; taken: number; some: number; stats: string }> {
  const f = createFormatter(opts);
  const into = f.into ?? ((r: BgpRecord, w: ByteWriter) => w.str(f.format(r)));
  const w = new ByteWriter(1 << 16);
  let taken = 0;
  // Of those, the messages a prefix filter passes only some prefixes of (WireRecord.keep set).
  let some = 0;
  // With the counts of --stats, which the fast path keeps (it takes no UPDATE with a warning or an error).
  const p = new Pipeline((r) => into(r, w), {
    stage2: filter === null ? null : new Stage2Filter(parseExpression({ name: '--filter', text: filter, file: false })!),
    countWarnings: true,
    filterLevel: opts.level,
    wire: wire
      ? (r) => {
          taken++;
          if (r.keep !== null) some++;
          f.wire!(r, w);
        }
      : null,
  });
  p.beginFile(file);
  try {
    await readCapture(file, (fr) => p.frame(fr), {});
  } catch {
    // a damaged capture: compare what came before the damage
  }
  p.end();
  const st = p.stats;
  const counts = [st.messages, [...st.byType], st.errors, st.warnings, st.sessions, st.gaps, st.stage2Rejected, st.stage2Undecoded, st.elemsRejected];
  return { text: w.text(), taken, some, stats: JSON.stringify(counts) };
}

describe.skipIf(files.length === 0)('fast path: the shared corpus', () => {
  it('writes every capture the same with and without it, in every layout', async () => {
    let taken = 0;
    for (const file of files) {
      for (const opts of LAYOUTS) {
        const slow = await run(file, opts, false);
        const fast = await run(file, opts, true);
        expect(fast.text, `${file} ${JSON.stringify(opts)}`).toBe(slow.text);
        expect(fast.stats, file).toBe(slow.stats);
        expect(slow.taken).toBe(0);
        taken += fast.taken;
      }
    }
    // Only captures with both OPENs of a 4-octet-AS session without ADD-PATH can take it: a few dozen UPDATEs.
    expect(taken).toBeGreaterThan(0);
  }, 300_000);
});

describe('fast path: the bench corpora, small', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bgpcap-wire-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  for (const name of ['bird', 'packed', 'rs']) {
    it(`${name}: the same with and without it, in every layout, and it takes nearly every UPDATE`, async () => {
      const file = join(dir, `${name}.pcap`);
      const info = await generate(PROFILES[name]!, file, name === 'rs' ? 0.004 : 0.002);
      for (const opts of LAYOUTS) {
        const slow = await run(file, opts, false);
        const fast = await run(file, opts, true);
        expect(fast.text, JSON.stringify(opts)).toBe(slow.text);
        expect(fast.stats).toBe(slow.stats);
        // Every UPDATE but the End-of-RIBs (at most one per family and session).
        expect(fast.taken).toBeGreaterThanOrEqual((info.messages.UPDATE ?? 0) - 2 * info.sessions);
      }
    }, 120_000);
  }

  // A message the filter accepts before decoding — every record of it passes — takes the fast path too:
  // `prefix_sub 0.0.0.0/0` accepts the IPv4 UPDATEs for sure, rejects the IPv6 ones, and leaves End-of-RIBs
  // and mixed messages to the decoder; `origin IGP` can only be told by a decode.
  for (const filter of ['prefix_sub 0.0.0.0/0', 'not prefix_sub 0.0.0.0/0', 'origin IGP']) {
    it(`with --filter '${filter}': the same with and without it`, async () => {
      const file = join(dir, 'filtered.pcap');
      if (!existsSync(file)) await generate(PROFILES['rs']!, file, 0.004);
      let taken = 0;
      for (const opts of [LAYOUTS[0]!, LAYOUTS[2]!, LAYOUTS[3]!]) {
        const slow = await run(file, opts, false, filter);
        const fast = await run(file, opts, true, filter);
        expect(fast.text, JSON.stringify(opts)).toBe(slow.text);
        expect(fast.stats).toBe(slow.stats);
        expect(slow.text.length).toBeGreaterThan(0);
        taken += fast.taken;
      }
      if (filter === 'prefix_sub 0.0.0.0/0') expect(taken).toBeGreaterThan(1000);
      if (filter === 'origin IGP') expect(taken).toBe(0);
    }, 120_000);
  }

  // A prefix filter that passes some prefixes of a message and not others (stage2.ts mixed): the message takes
  // the fast path, and at elem level only the prefixes the filter keeps are written (WireRecord.keep), the
  // others counted as dropped — in the row writers and the presets alike. With an attribute beside the prefix
  // (`and origin IGP`) the filter no longer reads the elem alone, and such a message is decoded.
  for (const filter of ['prefix_sub 0.0.0.0/1', 'not (prefix_sub 64.0.0.0/2 or prefix_sub 2000::/4)', 'prefix_sub 0.0.0.0/1 and origin IGP']) {
    it(`with --filter '${filter}', messages only partly matching: the same with and without it`, async () => {
      const file = join(dir, 'mixed.pcap');
      if (!existsSync(file)) await generate(PROFILES['packed']!, file, 0.002);
      let some = 0;
      for (const opts of LAYOUTS) {
        const slow = await run(file, opts, false, filter);
        const fast = await run(file, opts, true, filter);
        expect(fast.text, JSON.stringify(opts)).toBe(slow.text);
        expect(fast.stats, JSON.stringify(opts)).toBe(slow.stats);
        if (opts.level === 'elem') expect(JSON.parse(slow.stats)[8], 'prefixes dropped').toBeGreaterThan(100);
        some += fast.some;
      }
      if (filter.includes('and')) expect(some).toBe(0);
      else expect(some).toBeGreaterThan(100);
    }, 120_000);
  }

  // The presets write one line per prefix: at elem level, a prefix filter leaves only the matching prefixes'
  // lines (it used to keep every prefix of a message with one match), decoded or read in place.
  it('the presets write only the prefixes a prefix filter keeps', async () => {
    const file = join(dir, 'mixed.pcap');
    if (!existsSync(file)) await generate(PROFILES['packed']!, file, 0.002);
    const filter = 'prefix_sub 0.0.0.0/1';
    const elems = (await run(file, { format: 'jsonl', level: 'elem', fields: ['prefix'] }, true, filter)).text.trim().split('\n');
    const ours = elems.map((l) => (JSON.parse(l) as { prefix: string }).prefix);
    // Independently of the filter code: 0.0.0.0/1 holds the IPv4 prefixes whose first octet is below 128.
    expect(ours.every((p) => !p.includes(':') && Number(p.split('.')[0]) < 128)).toBe(true);
    for (const wire of [false, true]) {
      const dump = (await run(file, { format: 'line', level: 'elem', preset: 'bgpdump' }, wire, filter)).text.trim().split('\n');
      expect(dump.map((l) => l.split('|')[5])).toEqual(ours);
      const kit = (await run(file, { format: 'line', level: 'elem', preset: 'bgpkit' }, wire, filter)).text.trim().split('\n');
      // bgpkit lists the announcements before the withdrawals of a message: compare as sets of lines.
      expect(kit.map((l) => l.split('|')[4]).sort()).toEqual([...ours].sort());
    }
  }, 120_000);
});
