// Row plans write a connection's fields (file … dst_port) once and keep their bytes per connection
// (src/sink/row.ts, memo): the records of several connections interleave (the segments of concurrent
// sessions), and each must still carry its own connection's values. Two ways of telling connections apart are
// checked: the decoder's way compares the record's properties; the fast path (records read in place) compares
// the context they were copied from. The references: lines joined by hand from the contexts' values, and a
// formatter that has written nothing before (its first record is always written in full).
import { describe, expect, it } from 'vitest';
import { MessageStage, newRunStats, type MessageContext } from '../../src/pipeline.js';
import { createFormatter, type SinkOptions } from '../../src/sink/index.js';
import { ByteWriter } from '../../src/sink/bytes.js';
import { MEMO_ENTRIES } from '../../src/sink/row.js';
import type { WireRecord } from '../../src/sink/wire-fields.js';
import type { BgpRecord } from '../../src/record.js';
import { AS4, update } from '../bgp/helpers.js';

const PATH_NEXT_HOP = '40 02 0a 02 02 0000fde9 fa56ea01  40 03 04 c0000201'; // path 65001 4200000001, next hop 192.0.2.1
/** The fast path takes it: ORIGIN IGP. */
const TAKEN = update('18 c0000a', `40 01 01 00  ${PATH_NEXT_HOP}`, '18 c63364 10 0a01');
/** The fast path leaves it to the decoder: ORIGIN 3. */
const LEFT = update('', `40 01 01 03  ${PATH_NEXT_HOP}`, '18 c63364');

type Ctx = MessageContext;

function ctx(over: Partial<Ctx>): Ctx {
  return { file: 'x.pcap', iface: null, mux: null, peer_ip: '192.0.2.1', peer_asn: 65001, local_ip: '192.0.2.2', local_asn: 65002, src_port: 179, dst_port: 40000, params: AS4, ...over };
}

/**
 * Connections that differ in one property each from the first (a memo that looked at fewer properties than it
 * writes would mix them up), one with the first's values in another object (a new context after an OPEN that
 * changed nothing), and both directions of a session.
 */
const CONTEXTS: Ctx[] = [
  ctx({}),
  ctx({ local_ip: '192.0.2.3' }),
  ctx({ dst_port: 40001 }),
  ctx({ src_port: 40000, dst_port: 179, peer_ip: '192.0.2.2', local_ip: '192.0.2.1', peer_asn: 65002, local_asn: 65001 }),
  ctx({ peer_asn: 4200000001 }),
  ctx({ local_asn: null }),
  ctx({ file: 'y.pcap' }),
  ctx({ iface: 'tap1', mux: 'amsterdam01' }),
  ctx({ peer_ip: '2001:db8::1', local_ip: '2001:db8::2' }),
  ctx({}),
];

/** Both ways side by side (as test/sink/wire.test.ts pairs them): the fast path's stage and the decoder's. */
function stages(opts: SinkOptions) {
  const f = createFormatter(opts);
  const into = f.into ?? ((r: BgpRecord, w: ByteWriter) => w.str(f.format(r)));
  const plainOut = new ByteWriter(1 << 16);
  const fastOut = new ByteWriter(1 << 16);
  let taken = 0;
  const plain = new MessageStage((r: BgpRecord) => into(r, plainOut), newRunStats(), null, opts.level === 'elem', false);
  const fast = new MessageStage((r: BgpRecord) => into(r, fastOut), newRunStats(), null, opts.level === 'elem', false, (r: WireRecord) => {
    taken++;
    f.wire!(r, fastOut);
  });
  return {
    send(c: Ctx, b: Uint8Array, frame: number): void {
      const ts = { sec: 1700000000 + frame, nsec: 1000 * frame };
      const len = (b[16]! << 8) | b[17]!;
      plain.message(c, b, ts, frame, b[18]!, len);
      fast.message(c, b, ts, frame, b[18]!, len);
    },
    /** Everything written since the last call. */
    take(): { plain: string; fast: string; taken: number } {
      const out = { plain: plainOut.text(), fast: fastOut.text(), taken };
      plainOut.reset();
      fastOut.reset();
      taken = 0;
      return out;
    },
  };
}

/** `n` indices into `m` items, pseudo-random with a fixed seed, never the same index twice in a row. */
function order(n: number, m: number): number[] {
  const out: number[] = [];
  let x = 7;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    let k = (x >>> 8) % m;
    if (out.length > 0 && k === out[out.length - 1]) k = (k + 1) % m;
    out.push(k);
  }
  return out;
}

describe('connection fields of interleaved connections', () => {
  // The fields the memo covers, and one that changes with every record.
  const FIELDS = ['file', 'iface', 'mux', 'peer_ip', 'peer_asn', 'local_ip', 'local_asn', 'src_port', 'dst_port', 'frame'];
  const byHand = (c: Ctx, frame: number): string =>
    [c.file, c.iface, c.mux, c.peer_ip, c.peer_asn, c.local_ip, c.local_asn, c.src_port, c.dst_port, frame].map((v) => (v === null ? '' : String(v))).join('|') + '\n';

  it('line output: each record carries its own connection, both ways, the fast path taking its messages', () => {
    const s = stages({ format: 'line', level: 'msg', fields: FIELDS });
    const seq = order(300, CONTEXTS.length);
    let expected = '';
    seq.forEach((k, i) => {
      s.send(CONTEXTS[k]!, i % 3 === 2 ? LEFT : TAKEN, i + 1);
      expected += byHand(CONTEXTS[k]!, i + 1);
    });
    const out = s.take();
    expect(out.taken).toBe(200);
    expect(out.fast).toBe(expected);
    expect(out.plain).toBe(expected);
  });

  it(`more connections than a plan keeps (${MEMO_ENTRIES}), then the first ones again`, () => {
    const s = stages({ format: 'line', level: 'msg', fields: FIELDS });
    const many = Array.from({ length: MEMO_ENTRIES + 50 }, (_, i) => ctx({ dst_port: 1024 + i, peer_ip: `10.${i >> 8}.${i & 255}.1` }));
    let expected = '';
    let frame = 0;
    for (const c of [...many, ...many.slice(0, 60), ...many.slice(-60)]) {
      s.send(c, TAKEN, ++frame);
      s.send(c, LEFT, ++frame);
      expected += byHand(c, frame - 1) + byHand(c, frame);
    }
    const out = s.take();
    expect(out.fast).toBe(expected);
    expect(out.plain).toBe(expected);
  });

  // Every layout with a fast path writes these fields among others: against a formatter that has written
  // nothing before, record by record.
  const LAYOUTS: SinkOptions[] = [
    { format: 'jsonl', level: 'msg' },
    { format: 'jsonl', level: 'elem' },
    { format: 'line', level: 'elem' },
    { format: 'line', level: 'elem', preset: 'bgpdump' },
  ];
  for (const opts of LAYOUTS) {
    it(`${JSON.stringify(opts)}: each record as a fresh formatter writes it`, () => {
      const s = stages(opts);
      for (const [i, k] of order(40, CONTEXTS.length).entries()) {
        const msg = i % 3 === 2 ? LEFT : TAKEN;
        s.send(CONTEXTS[k]!, msg, i + 1);
        const got = s.take();
        const fresh = stages(opts);
        fresh.send(CONTEXTS[k]!, msg, i + 1);
        const want = fresh.take();
        expect(want.plain).toBe(want.fast);
        expect(got.fast).toBe(want.plain);
        expect(got.plain).toBe(want.plain);
      }
    });
  }
});
