// Stage 2, key by key: hand-built UPDATEs (encoded by bench/lib/synth.ts, which shares no code with the
// decoder, then decoded) and the other record kinds, each filter's expected verdict per prefix worked out by
// hand from the fixture below. Also: the three-valued verdict before decoding is never wrong (false means no
// record of the message matches, true means all do), and the elem-level sink writes only matching prefixes.

import { describe, expect, it } from 'vitest';
import { keepalive, notification, open, update, v4, v6, type UpdateSpec } from '../../bench/lib/synth.js';
import type { UpdateMessage } from '../../src/bgp/model.js';
import type { BgpRecord, EventRecord, MessageRecord } from '../../src/record.js';
import { paramsOf, rec } from './records.js';
import { keepElems, newElem, prefixOf, visitElems } from '../../src/sink/elem.js';
import { createFormatter } from '../../src/sink/index.js';
import { parseExpression } from '../../src/filter/expr/parser.js';
import { F, Stage2Filter, T, U, type MessageHead } from '../../src/filter/stage2.js';
import { decodeMessageLazy } from '../../src/bgp/decode.js';
import { LazyUpdate } from '../../src/bgp/update-lazy.js';

const MUX = { peer_ip: '100.69.128.1', peer_asn: 47065 };
const LAB = { peer_ip: '10.0.0.2', peer_asn: 65001, local_ip: '10.0.0.1', local_asn: 65000 };

// U1, elems in visit order: W 10.9.0.0/16, W 2001:db8:dead::/48, A 184.164.236.0/24, A 10.1.0.0/16, A 2804:269c:1::/48
const U1_SPEC: UpdateSpec = {
  withdrawn: [{ addr: v4('10.9.0.0'), len: 16 }],
  v6Withdrawn: [{ addr: v6('2001:db8:dead::'), len: 48 }],
  nlri: [
    { addr: v4('184.164.236.0'), len: 24 },
    { addr: v4('10.1.0.0'), len: 16 },
  ],
  v6Nlri: [{ addr: v6('2804:269c:1::'), len: 48 }],
  v6NextHop: v6('2001:db8::1'),
  nextHop: v4('192.0.2.1'),
  origin: 2,
  asPath: [174, 3356, 47065],
  asSet: [64512, 64513],
  med: 10,
  localPref: 100,
  communities: [
    [47065, 1001],
    [65535, 666],
  ],
  largeCommunities: [[47065, 1, 2]],
};
const U1 = rec(update(U1_SPEC), MUX);
// U2, ADD-PATH: A 10.2.0.0/16 path id 1, A 10.2.0.0/16 path id 2
const U2 = rec(
  update({
    addPath: true,
    nlri: [
      { addr: v4('10.2.0.0'), len: 16, pathId: 1 },
      { addr: v4('10.2.0.0'), len: 16, pathId: 2 },
    ],
    nextHop: v4('10.0.0.2'),
    asPath: [65001],
  }),
  LAB,
  true,
);
// C1, classic fields only (no MP_REACH / MP_UNREACH):
// W 10.9.0.0/16, A 184.164.236.0/24, A 10.1.0.0/16, A 10.1.16.0/20
const C1 = rec(
  update({
    withdrawn: [{ addr: v4('10.9.0.0'), len: 16 }],
    nlri: [
      { addr: v4('184.164.236.0'), len: 24 },
      { addr: v4('10.1.0.0'), len: 16 },
      { addr: v4('10.1.16.0'), len: 20 },
    ],
    nextHop: v4('192.0.2.1'),
    asPath: [174, 3356],
    communities: [[47065, 1001]],
  }),
  MUX,
);
// U3, ADD-PATH whose bytes also tile as plain prefixes (path id 0 reads as four /0): A 10.3.0.0/24 path id 0
const U3 = rec(update({ addPath: true, nlri: [{ addr: v4('10.3.0.0'), len: 24, pathId: 0 }], nextHop: v4('10.0.0.2'), asPath: [65001] }), LAB, true);
// A1, announcements only, with communities: A 10.5.0.0/16
const A1 = rec(
  update({ nlri: [{ addr: v4('10.5.0.0'), len: 16 }], nextHop: v4('192.0.2.1'), asPath: [174], communities: [[65535, 666]], largeCommunities: [[47065, 7, 1]] }),
  MUX,
);
// V1, IPv6 only (MP_REACH_NLRI): A 2804:269c:1::/48
const V1 = rec(update({ v6Nlri: [{ addr: v6('2804:269c:1::'), len: 48 }], v6NextHop: v6('2001:db8::1'), asPath: [47065] }), MUX);
// U4, ADD-PATH over MP_REACH_NLRI, path id 0 (four ::/0 if read without it): A 2804:269c:1::/48 path id 0
const U4 = rec(
  update({ addPath: true, v6Nlri: [{ addr: v6('2804:269c:1::'), len: 48, pathId: 0 }], v6NextHop: v6('2001:db8::1'), asPath: [65001] }),
  LAB,
  true,
);
const OPEN = rec(open({ asn: 65001, bgpId: '10.0.0.2' }), LAB);
const KA = rec(keepalive(), { peer_ip: '10.0.0.3', peer_asn: null });
const NOTIF = rec(notification(6, 2), MUX);
const EOR = rec(update({}), LAB); // End-of-RIB for IPv4 unicast: an UPDATE without anything (RFC 4724 §2)
const GAP: EventRecord = {
  kind: 'event',
  ts: { sec: 1699999999, nsec: 0 },
  frame: 9,
  file: null,
  iface: 'tap5',
  mux: null,
  peer_ip: '100.69.128.1',
  peer_asn: 47065,
  local_ip: '100.69.128.6',
  local_asn: 47065,
  src_port: 179,
  dst_port: 40000,
  event: 'gap',
  bytes_skipped: 100,
  message: 'lost',
};

it('fixture decodes as intended', () => {
  const u1 = U1.msg as UpdateMessage;
  expect(U1.error).toBeNull();
  expect(elemList(U1)).toEqual(['W 10.9.0.0/16', 'W 2001:db8:dead::/48', 'A 184.164.236.0/24', 'A 10.1.0.0/16', 'A 2804:269c:1::/48']);
  expect(u1.as_path).toEqual([174, 3356, 47065, [64512, 64513]]);
  expect(elemList(U2)).toEqual(['A 10.2.0.0/16', 'A 10.2.0.0/16']);
  expect((U2.msg as UpdateMessage).announcements[0]!.path_ids).toEqual([1, 2]);
  expect(elemList(U3)).toEqual(['A 10.3.0.0/24']);
  expect(elemList(U4)).toEqual(['A 2804:269c:1::/48']);
  expect(elemList(C1)).toEqual(['W 10.9.0.0/16', 'A 184.164.236.0/24', 'A 10.1.0.0/16', 'A 10.1.16.0/20']);
  expect(EOR.msg?.kind).toBe('update');
  expect(NOTIF.msg?.kind).toBe('notification');
});

function elemList(r: MessageRecord): string[] {
  const out: string[] = [];
  const e = newElem();
  visitElems(r.msg as UpdateMessage, e, () => {}, () => out.push(`${e.type} ${e.prefix}`));
  return out;
}

function filter(text: string): Stage2Filter {
  return new Stage2Filter(parseExpression({ name: '--filter', text, file: false })!);
}

/** '0'/'1' per elem of an UPDATE, in visit order. */
function mask(f: Stage2Filter, r: MessageRecord): string {
  let s = '';
  const e = newElem();
  visitElems(r.msg as UpdateMessage, e, () => {}, () => {
    s += f.elem(r, e) ? '1' : '0';
  });
  return s;
}

interface Case {
  f: string;
  u1: string;
  u2: string;
  /** OPEN, KEEPALIVE, NOTIFICATION, End-of-RIB, gap event */
  open?: boolean;
  ka?: boolean;
  notif?: boolean;
  eor?: boolean;
  gap?: boolean;
}

// Values not given are false. Negated keys: a record without the value is not excluded.
const ALL = { open: true, ka: true, notif: true, eor: true, gap: true };
const CASES: Case[] = [
  // elem type
  { f: 'type A', u1: '00111', u2: '11' },
  { f: 'type W', u1: '11000', u2: '00' },
  { f: 'elem_type announce', u1: '00111', u2: '11' },
  // prefixes
  { f: 'prefix 10.1.0.0/16', u1: '00010', u2: '00' },
  { f: 'prefix <= 10.0.0.0/8', u1: '10010', u2: '11' },
  { f: 'prefix_sub 10.0.0.0/8', u1: '10010', u2: '11' },
  { f: 'prefix >= 184.164.236.128/25', u1: '00100', u2: '00' },
  { f: 'prefix_super 184.164.236.128/25', u1: '00100', u2: '00' },
  { f: 'prefix < 10.1.0.0/16', u1: '00000', u2: '00' },
  { f: 'prefix > 10.1.0.0/17', u1: '00010', u2: '00' },
  { f: 'prefix_super_sub 10.0.0.0/15', u1: '00010', u2: '00' },
  { f: 'prefix_super_sub 10.0.0.0/9', u1: '10010', u2: '11' },
  { f: 'prefix <= 2804:269c::/32', u1: '00001', u2: '00' },
  { f: 'prefix 2001:db8:dead::/48', u1: '01000', u2: '00' },
  { f: 'prefix <= 2804:269c::/32, 184.164.224.0/19', u1: '00101', u2: '00' },
  { f: 'prefix !10.1.0.0/16', u1: '11101', u2: '11', ...ALL },
  { f: 'not prefix 10.1.0.0/16', u1: '11101', u2: '11', ...ALL },
  { f: 'prefix != 10.1.0.0/16', u1: '11101', u2: '11', ...ALL },
  { f: 'prefix <= 10.0.0.0/8, !10.1.0.0/16', u1: '10000', u2: '11' },
  { f: 'prefix 10.1.0.0/16, !10.1.0.0/16', u1: '00000', u2: '00' },
  { f: 'prefix *', u1: '11111', u2: '11' },
  { f: 'prefix !*', u1: '00000', u2: '00', ...ALL },
  // family
  { f: 'ip_version 6', u1: '01001', u2: '00' },
  { f: 'ip_version ipv4', u1: '10110', u2: '11' },
  { f: 'afi 2 and safi 1', u1: '01001', u2: '00' },
  { f: 'afi ipv4 and safi unicast', u1: '10110', u2: '11' },
  // ADD-PATH
  { f: 'path_id 2', u1: '00000', u2: '01' },
  { f: 'path_id *', u1: '00000', u2: '11' },
  { f: 'path_id >= 1', u1: '00000', u2: '11' },
  { f: 'path_id !1', u1: '11111', u2: '01', ...ALL },
  // communities: attributes describe announced prefixes only
  { f: 'community 47065:*', u1: '00111', u2: '00' },
  { f: 'community blackhole', u1: '00111', u2: '00' },
  { f: 'community *:1001', u1: '00111', u2: '00' },
  { f: 'community 47065:1', u1: '00000', u2: '00' },
  { f: 'community !47065:*', u1: '11000', u2: '11', ...ALL },
  { f: 'not community 47065:*', u1: '11000', u2: '11', ...ALL },
  { f: 'community 1:1, 65535:666', u1: '00111', u2: '00' },
  { f: 'large_community *:1:*', u1: '00111', u2: '00' },
  { f: 'large_community *:2:*', u1: '00000', u2: '00' },
  { f: 'large_community 47065:1:2', u1: '00111', u2: '00' },
  { f: 'large_community *', u1: '00111', u2: '00' },
  // AS path, AS_SET members included
  { f: 'as_path ~ "_3356_"', u1: '00111', u2: '00' },
  { f: 'as_path _64513_', u1: '00111', u2: '00' },
  { f: 'as_path ~ "^174_"', u1: '00111', u2: '00' },
  { f: 'as_path ~ "_47065$"', u1: '00000', u2: '00' },
  { f: 'as_path ~ "_65001$"', u1: '00000', u2: '11' },
  { f: 'as_path = "174 3356 47065 {64512,64513}"', u1: '00111', u2: '00' },
  { f: 'as_path !~ "_3356_"', u1: '11000', u2: '11', ...ALL },
  { f: 'contains_asn 64512', u1: '00111', u2: '00' },
  { f: 'contains_asn AS65001', u1: '00000', u2: '11' },
  { f: 'contains_asn > 64511', u1: '00111', u2: '11' },
  { f: 'origin_asn 64513', u1: '00111', u2: '00' },
  { f: 'origin_asn 47065', u1: '00000', u2: '00' },
  { f: 'origin_asn 65001', u1: '00000', u2: '11' },
  { f: 'as_path_len 4', u1: '00111', u2: '00' },
  { f: 'as_path_len > 4', u1: '00000', u2: '00' },
  { f: 'as_path_len <= 1', u1: '00000', u2: '11' },
  // next hop: the announcement's family next hop
  { f: 'next_hop 192.0.2.1', u1: '00110', u2: '00' },
  { f: 'next_hop 2001:db8::/32', u1: '00001', u2: '00' },
  { f: 'next_hop 10.0.0.0/8', u1: '00000', u2: '11' },
  // single attributes
  { f: 'med 10', u1: '00111', u2: '00' },
  { f: 'med > 10', u1: '00000', u2: '00' },
  { f: 'med *', u1: '00111', u2: '00' },
  { f: 'med !*', u1: '11000', u2: '11', ...ALL },
  { f: 'local_pref >= 100', u1: '00111', u2: '00' },
  { f: 'origin INCOMPLETE', u1: '00111', u2: '00' },
  { f: 'origin igp', u1: '00000', u2: '11' },
  { f: 'atomic_aggregate false', u1: '00111', u2: '11', eor: true },
  // header keys: the same for every prefix of a message
  { f: 'peer_asn 47065', u1: '11111', u2: '00', notif: true, gap: true },
  { f: 'peer_asn !47065', u1: '00000', u2: '11', open: true, ka: true, eor: true },
  { f: 'peer_asn < 65000', u1: '11111', u2: '00', notif: true, gap: true },
  { f: 'peer_ip 100.64.0.0/10', u1: '11111', u2: '00', notif: true, gap: true },
  { f: 'local_ip 10.0.0.1', u1: '00000', u2: '11', open: true, eor: true },
  { f: 'local_asn 65000', u1: '00000', u2: '11', open: true, eor: true },
  { f: 'msg_type UPDATE', u1: '11111', u2: '11', eor: true },
  { f: 'msg_type NOTIFICATION, OPEN', u1: '00000', u2: '00', open: true, notif: true },
  { f: 'msg_type 4', u1: '00000', u2: '00', ka: true },
  { f: 'event gap', u1: '00000', u2: '00', gap: true },
  { f: 'event *', u1: '00000', u2: '00', gap: true },
  { f: 'iface tap*', u1: '11111', u2: '11', ...ALL },
  { f: 'src_ip 100.69.128.1', u1: '11111', u2: '00', notif: true, gap: true },
  { f: 'host 10.0.0.1', u1: '00000', u2: '11', open: true, eor: true },
  { f: 'src_port 179 and dst_port > 1024', u1: '11111', u2: '11', ...ALL },
  { f: 'timestamp < 1700000000', u1: '00000', u2: '00', gap: true },
  { f: 'timestamp >= 2023-11-14T22:13:20Z', u1: '11111', u2: '11', open: true, ka: true, notif: true, eor: true },
  // message keys
  { f: 'notification cease/*', u1: '00000', u2: '00', notif: true },
  { f: 'notification 6/2', u1: '00000', u2: '00', notif: true },
  { f: 'notification 6/3', u1: '00000', u2: '00' },
  { f: 'notification_subcode 2', u1: '00000', u2: '00', notif: true },
  { f: 'has communities', u1: '11111', u2: '00' },
  { f: 'has 32, 99', u1: '11111', u2: '00' },
  { f: 'has !communities', u1: '00000', u2: '11', ...ALL },
  { f: 'has *', u1: '11111', u2: '11' },
  { f: 'error *', u1: '00000', u2: '00' },
  // combinations
  { f: 'type A and prefix <= 10.0.0.0/8 or msg_type OPEN', u1: '00010', u2: '11', open: true },
  { f: 'prefix <= 184.164.224.0/19 and (as_path ~ "_3356_" or not community 47065:*)', u1: '00100', u2: '00' },
  { f: 'not (type A or peer_asn 47065)', u1: '00000', u2: '00', open: true, ka: true, eor: true },
  { f: 'ip_version 6 and not type W or community !*', u1: '11001', u2: '11', ...ALL },
];

describe('stage 2, per key', () => {
  it.each(CASES)('$f', (c) => {
    const f = filter(c.f);
    expect(mask(f, U1), 'U1 per prefix').toBe(c.u1);
    expect(mask(f, U2), 'U2 per prefix').toBe(c.u2);
    // msg level: a message matches when any of its prefixes does
    expect(f.record(U1), 'U1 message').toBe(c.u1.includes('1'));
    expect(f.record(U2), 'U2 message').toBe(c.u2.includes('1'));
    expect(f.record(OPEN), 'OPEN').toBe(c.open === true);
    expect(f.record(KA), 'KEEPALIVE').toBe(c.ka === true);
    expect(f.record(NOTIF), 'NOTIFICATION').toBe(c.notif === true);
    expect(f.record(EOR), 'End-of-RIB').toBe(c.eor === true);
    expect(f.record(GAP), 'gap event').toBe(c.gap === true);
  });

  it.each(CASES)('before decoding, never wrong: $f', (c) => {
    const f = filter(c.f);
    for (const r of [U1, U2, U3, U4, C1, A1, V1, KA, NOTIF, EOR]) {
      const v = f.preVerdict(head(r));
      // The same verdict with the message inside a larger buffer, as the framer hands it.
      expect(f.preVerdict(headInside(r, 7, 0)), 'inside a buffer').toBe(v);
      expect(f.preVerdict(headInside(r, 1, 30)), 'inside a buffer').toBe(v);
      const actual = f.record(r);
      if (v === F) expect(actual, `F claimed for ${r.msg?.kind}`).toBe(false);
      if (v === T) expect(actual, `T claimed for ${r.msg?.kind}`).toBe(true);
    }
  });

  it('extended communities (decoder text forms), * matches any characters', () => {
    const withExt = { ...U1, msg: { ...(U1.msg as UpdateMessage), ext_communities: ['rt:65000:100', 'soo:192.0.2.1:7', 'rt:65001L:1'] } };
    expect(filter('ext_community rt:65000:*').record(withExt)).toBe(true);
    expect(filter('ext_community "rt:*L:*"').record(withExt)).toBe(true);
    expect(filter('ext_community soo:192.0.2.1:7').record(withExt)).toBe(true);
    expect(filter('ext_community soo:192.0.2.2:7').record(withExt)).toBe(false);
    expect(filter('ext_community rt:6500*').record(withExt)).toBe(true);
    expect(filter('ext_community *').record(U1)).toBe(false);
  });

  it('mac keys cannot be mixed into BGP expressions', () => {
    expect(() => filter('mac 02:00:00:00:00:01 or type A')).toThrow(/packet key/);
  });
});

function head(r: MessageRecord): MessageHead {
  return {
    kind: 'message',
    ts: r.ts,
    iface: r.iface,
    mux: r.mux,
    peer_ip: r.peer_ip,
    peer_asn: r.peer_asn,
    local_ip: r.local_ip,
    local_asn: r.local_asn,
    src_port: r.src_port,
    dst_port: r.dst_port,
    msg_type: r.msg_type,
    raw: r.raw,
    start: 0,
    end: r.raw.length,
    params: paramsOf(r),
  };
}

/**
 * head() with the message where the framer may have it: inside a larger buffer (the capture's read buffer),
 * other bytes before and after it (0xff: marker-like, long lengths, if anything read past the message).
 */
function headInside(r: MessageRecord, before: number, after: number): MessageHead {
  const buf = new Uint8Array(before + r.raw.length + after).fill(0xff);
  buf.set(r.raw, before);
  return { ...head(r), raw: buf, start: before, end: before + r.raw.length };
}

describe('lazy UPDATEs (as the pipeline hands them on)', () => {
  // The same bytes as the records above, decoded lazily: the verdict must not depend on it, and a filter
  // that looks at no prefix must not make the prefixes into text (Stage2Filter.recordByType).
  const lazyOf = (r: MessageRecord, addPath = false): MessageRecord => {
    const params = { as4: true, extended_message: false, add_path_send: addPath ? new Set(['1:1', '2:1']) : new Set<string>() };
    const res = decodeMessageLazy(r.raw, params, true);
    return { ...r, msg: res.msg, error: res.error, inferred: res.inferred };
  };
  const records: [string, MessageRecord, boolean][] = [
    ['U1', U1, false],
    ['U2', U2, true],
    ['End-of-RIB', EOR, false],
    ['withdrawals only', rec(update({ withdrawn: [{ addr: v4('10.9.0.0'), len: 16 }] }), MUX), false],
    ['IPv6 only', rec(update({ v6Nlri: [{ addr: v6('2804:269c:1::'), len: 48 }], v6NextHop: v6('2001:db8::1'), asPath: [47065], largeCommunities: [[47065, 7, 1]] }), MUX), false],
  ];
  const filters = [
    'large_community 47065:*:*',
    'large_community *:7:*',
    'not community 65535:666',
    'origin IGP and med > 5',
    'as_path ~ "_3356_"',
    'local_pref >= 100 or as_path_len > 2',
    'prefix_sub 10.0.0.0/8',
    'type W',
    'afi 2 and large_community *:*:*',
    // True for a withdrawn prefix (no attributes apply), false for U1's announced ones (origin INCOMPLETE).
    'not origin INCOMPLETE',
    // Per prefix with attributes: the prefix lists first, the attributes through the getters.
    'prefix_sub 10.0.0.0/8 and origin IGP',
    'prefix_super 2804:269c:1::/48 or community 47065:*',
    'next_hop 2001:db8::1 and not prefix_sub 10.0.0.0/8',
  ];
  it('the same verdict as the eagerly decoded message, for every filter and message', () => {
    for (const text of filters) {
      for (const [name, r, addPath] of records) {
        const f = filter(text);
        expect(f.record(lazyOf(r, addPath)), `${text} on ${name}`).toBe(f.record(r));
      }
    }
  });
  it('a filter that looks at no prefix leaves the runs of prefixes as bytes', () => {
    for (const text of ['large_community 47065:*:*', 'not community 65535:666', 'origin IGP and med > 5']) {
      const r = lazyOf(U1);
      filter(text).record(r);
      const m = r.msg as LazyUpdate;
      const d = m.decoded();
      expect(d, text).not.toBeNull();
      const runs = [...d!.withdrawals, ...d!.announcements].filter((fam) => m.prefixesStart(fam.prefixes) >= 0);
      expect(runs.length, text).toBeGreaterThan(0);
      // ... and they still read as the eager decoder's prefixes.
      expect(elemList(r), text).toEqual(elemList(U1));
    }
  });
  it('a filter on the prefix alone decodes no attribute of a message it rejects, and the message it passes reads as the eager one', () => {
    let rejected = 0;
    for (const text of ['prefix_sub 10.0.0.0/8', 'prefix_sub 192.0.2.0/24', 'prefix 2804:269c:1::/48', 'type W']) {
      for (const [name, r, addPath] of records) {
        const lazy = lazyOf(r, addPath);
        const f = filter(text);
        const verdict = f.record(lazy);
        expect(verdict, `${text} on ${name}`).toBe(f.record(r));
        const m = lazy.msg as LazyUpdate;
        if (!verdict) {
          rejected++;
          expect(m.decoded(), `${text} on ${name}`).toBeNull();
        }
        expect(elemList(lazy), `${text} on ${name}`).toEqual(elemList(r));
      }
    }
    expect(rejected).toBeGreaterThan(2);
  });
});

describe('decided before decoding', () => {
  // [filter, record, verdict]: what the header and one walk over the attribute headers can tell
  const cases: [string, MessageRecord, number][] = [
    ['community 1:1', KA, F],
    ['community 1:1', U2, F], // no COMMUNITIES attribute
    ['community 1:1', U1, F], // its communities, read from the bytes, do not include it
    ['community !1:1', U2, T],
    ['prefix 10.0.0.0/8', EOR, F], // no prefix at all
    ['prefix 10.0.0.0/8', NOTIF, F],
    // Keys of the prefix itself: from the prefix lists, read with the session's parameters (U2 has ADD-PATH:
    // read without it, its path identifiers would be prefixes).
    ['prefix 10.0.0.0/8', U2, F], // both its prefixes are 10.2.0.0/16
    ['prefix_sub 10.0.0.0/8', U2, T],
    ['prefix_sub 10.0.0.0/8', U1, U], // two of its five
    ['prefix_sub 192.0.2.0/24', U1, F],
    ['not prefix_sub 192.0.2.0/24', U1, T],
    ['prefix 2804:269c:1::/48', U1, U],
    ['type W', U2, F],
    ['type A', U2, T],
    ['ip_version 6', U2, F],
    ['path_id 2', U2, U],
    ['path_id 3', U2, F],
    ['prefix_sub 192.0.2.0/24 and community 1:1', U1, F],
    ['prefix_sub 10.0.0.0/8 and community 1:1', U2, F], // no COMMUNITIES
    ['prefix_sub 10.0.0.0/8 and community 1:1', U1, F],
    ['prefix_sub 10.0.0.0/8 and community 47065:1001', U1, U],
    ['prefix_sub 192.0.2.0/24 or community 1:1', U1, F],
    ['prefix_sub 192.0.2.0/24 or community 47065:1001', U1, U],
    ['type W', EOR, F],
    // Classic fields only: read straight from the bytes.
    ['prefix_sub 10.0.0.0/8', C1, U],
    ['prefix_sub 192.0.2.0/24', C1, F],
    ['prefix_sub 0.0.0.0/0', C1, T],
    ['prefix_sub 10.1.0.0/16', C1, U],
    ['prefix 184.164.236.0/24 or prefix_sub 10.0.0.0/8', C1, T],
    ['prefix 10.9.0.0/16 and type W', C1, U],
    ['prefix 10.9.0.0/16 and type A', C1, F],
    ['ip_version 6', C1, F],
    ['afi 1 and safi 1', C1, T],
    ['prefix_sub 10.0.0.0/8', U3, T], // read without its session's ADD-PATH: four 0.0.0.0/0 before it
    ['prefix 0.0.0.0/0', U3, F],
    ['prefix ::/0', U4, F],
    ['prefix_sub 2804:269c::/32', U4, T],
    ['prefix_sub 2804:269c::/32', V1, T],
    ['prefix 2804:269c:1::/48', V1, T],
    ['prefix 2804:269c:2::/48', V1, F],
    ['ip_version 4', V1, F],
    ['afi 2 and safi 1 and type A', V1, T],
    ['prefix_sub 2001:db8::/32 or prefix_sub 10.0.0.0/8', U1, U], // W 2001:db8:dead::/48 and the two 10/8
    ['prefix_sub 2000::/3', U1, U],
    ['prefix_sub 2000::/3 or prefix_sub 0.0.0.0/0', U1, T],
    // Communities from their bytes: a withdrawn prefix has none, an announced one the list.
    ['community 47065:1001', C1, U], // its announced prefixes match, its withdrawn one cannot
    ['community 1:1', C1, F],
    ['community !1:1', C1, T],
    ['large_community *:7:*', U1, F],
    ['large_community 47065:1:2', U1, U],
    ['not community 65535:666', U1, U],
    ['community 65535:666', A1, T], // nothing withdrawn: every record has the list
    ['large_community 47065:7:*', A1, T],
    ['large_community 47065:8:*', A1, F],
    ['prefix_sub 10.0.0.0/8 and not community 65535:666', A1, F],
    // The AS path from its bytes (a 4-octet session; U1's has an AS_SET at the end).
    ['contains_asn 3356', U1, U],
    ['contains_asn 1', U1, F],
    ['origin_asn 64513', U1, U],
    ['origin_asn 47065', U1, F], // the AS_SET is the origin
    ['as_path ~ "_3356_"', U1, U],
    ['as_path ~ "_9_"', U1, F],
    ['as_path_len > 20', U1, F],
    ['contains_asn 174', A1, T],
    ['as_path ~ "^174$"', A1, T],
    ['as_path_len 1', A1, T],
    ['origin_asn 3356', A1, F],
    ['not contains_asn 174 or community 1:1', A1, F],
    ['not type W', EOR, T], // no prefix: tested whole, where the type is missing
    ['peer_asn 47065', U2, F],
    ['peer_asn 47065', U1, T],
    ['peer_asn 47065 and community 1:1', U1, F],
    ['peer_asn 47065 and community 47065:*', U1, U],
    ['peer_asn 47065 or community 1:1', U1, T],
    ['msg_type UPDATE and large_community *', U2, F],
    ['has large_communities', U2, F],
    ['has !large_communities', U2, T],
    ['has large_communities', U1, U],
    ['notification cease/*', U1, F],
    ['notification cease/*', NOTIF, U],
    ['as_path ~ "_1_"', KA, F],
    ['error *', KA, U],
    ['timestamp < 1700000000', U1, F],
  ];
  it.each(cases)('%s on %#', (text, r, want) => {
    expect(filter(text).preVerdict(head(r))).toBe(want);
    expect(filter(text).preVerdict(headInside(r, 5, 11))).toBe(want);
  });

  it('a message whose attribute lengths do not add up is left to the decoder', () => {
    const bad = U1.raw.slice();
    const at = 21 + ((bad[19]! << 8) | bad[20]!); // after the withdrawn routes
    bad[at] = 0xff; // total path attribute length far past the message
    expect(filter('community 1:1').preVerdict({ ...head(U1), raw: bad })).toBe(U);
    expect(filter('prefix_sub 192.0.2.0/24').preVerdict({ ...head(U1), raw: bad })).toBe(U);
  });

  it('communities with flags the decoder warns about are left to the decoder', () => {
    const bad = A1.raw.slice();
    // Find COMMUNITIES (code 8) among the attributes and mark it well-known (RFC 4271 §5: it is optional).
    const aStart = 23 + ((bad[19]! << 8) | bad[20]!);
    const aEnd = aStart + ((bad[aStart - 2]! << 8) | bad[aStart - 1]!);
    let p = aStart;
    while (p < aEnd && bad[p + 1] !== 8) p += (bad[p]! & 0x10 ? 4 + ((bad[p + 2]! << 8) | bad[p + 3]!) : 3 + bad[p + 2]!);
    expect(p).toBeLessThan(aEnd);
    expect(filter('community 1:1').preVerdict({ ...head(A1), raw: bad })).toBe(F); // the copy as it is: decided
    bad[p] = 0x40;
    expect(filter('community 1:1').preVerdict({ ...head(A1), raw: bad })).toBe(U);
    expect(filter('large_community 1:1:1').preVerdict({ ...head(A1), raw: bad })).toBe(F);
  });

  it('a buffer reused for the next message: nothing is remembered from the bytes that were there', () => {
    // Two messages of the same layout, the prefix at the same position, one after the other in one buffer
    // (the capture's read buffer is reused from chunk to chunk).
    const m = (a: string): MessageRecord => rec(update({ nlri: [{ addr: v4(a), len: 16 }], nextHop: v4('192.0.2.1'), asPath: [174] }), MUX);
    const [m1, m2] = [m('10.1.0.0'), m('10.2.0.0')];
    expect(m1.raw.length).toBe(m2.raw.length);
    const f = filter('prefix 10.1.0.0/16');
    const h = headInside(m1, 3, 3);
    expect(f.preVerdict(h)).toBe(T);
    h.raw.set(m2.raw, 3);
    expect(f.preVerdict(h)).toBe(F);
    h.raw.set(m1.raw, 3);
    expect(f.preVerdict(h)).toBe(T);
  });

  /** The attributes of an UPDATE: [header start, value start, value end] by type code (the first of each). */
  function attrSpans(b: Uint8Array): Map<number, [number, number, number]> {
    const aStart = 23 + ((b[19]! << 8) | b[20]!);
    const aEnd = aStart + ((b[aStart - 2]! << 8) | b[aStart - 1]!);
    const out = new Map<number, [number, number, number]>();
    for (let p = aStart; p < aEnd; ) {
      const ext = (b[p]! & 0x10) !== 0;
      const len = ext ? (b[p + 2]! << 8) | b[p + 3]! : b[p + 2]!;
      const v = p + (ext ? 4 : 3);
      if (!out.has(b[p + 1]!)) out.set(b[p + 1]!, [p, v, v + len]);
      p = v + len;
    }
    return out;
  }

  it('an MP_REACH_NLRI next hop the decoder rejects, or a repeated MP_REACH_NLRI, is left to the decoder', () => {
    const f = filter('prefix 2804:269c:1::/48');
    // Next hop length 15: the decoder keeps the attribute raw and lists no announcement, so the message has no
    // prefix (read from there, the NLRI would start at the reserved octet: ::/0, then 2804:269c:1::/48).
    const badNh = V1.raw.slice();
    const [, v] = attrSpans(badNh).get(14)!;
    expect(badNh[v + 3]).toBe(16);
    badNh[v + 3] = 15;
    expect(elemList(rec(badNh, MUX))).toEqual([]);
    expect(f.preVerdict({ ...head(V1), raw: badNh })).toBe(F);
    // The attribute twice, the second one announcing 2804:269c:2::/48 (RFC 7606 §3(g): both are decoded).
    const [hdr, , end] = attrSpans(V1.raw).get(14)!;
    const copy = V1.raw.slice(hdr, end);
    copy[copy.length - 1] = 2; // the /48 ends 00 01: 2804:269c:1:: → 2804:269c:2::
    const twice = new Uint8Array(V1.raw.length + copy.length);
    twice.set(V1.raw.subarray(0, end));
    twice.set(copy, end);
    twice.set(V1.raw.subarray(end), end + copy.length);
    twice[16] = twice.length >> 8;
    twice[17] = twice.length & 0xff;
    const aLenAt = 21 + ((twice[19]! << 8) | twice[20]!);
    const aLen = ((twice[aLenAt]! << 8) | twice[aLenAt + 1]!) + copy.length;
    twice[aLenAt] = aLen >> 8;
    twice[aLenAt + 1] = aLen & 0xff;
    const r = rec(twice, MUX);
    expect(elemList(r)).toEqual(['A 2804:269c:1::/48', 'A 2804:269c:2::/48']);
    expect(f.preVerdict(head(r))).toBe(U);
    expect(filter('prefix_sub 2804:269c::/32').preVerdict(head(r))).toBe(T); // through the lazy UPDATE's lists
  });

  it('a malformed run of prefixes is read as the decoder reads it (up to the bad prefix)', () => {
    // C1's last NLRI prefix, 10.1.16.0/20 (4 octets at the end), claims 33 bits: 5 octets, past the message.
    const bad = C1.raw.slice();
    expect(bad[bad.length - 4]).toBe(20);
    bad[bad.length - 4] = 33;
    const r = rec(bad, MUX);
    expect(elemList(r)).toEqual(['W 10.9.0.0/16', 'A 184.164.236.0/24', 'A 10.1.0.0/16']);
    expect(filter('prefix_sub 0.0.0.0/0').preVerdict({ ...head(C1), raw: bad })).toBe(T);
    expect(filter('prefix_sub 0.0.0.0/0').record(r)).toBe(true);
  });

  it('the AS path is left to the decoder unless the session is known to use 4-octet ASNs', () => {
    const params = paramsOf(A1);
    expect(filter('contains_asn 1').preVerdict(head(A1))).toBe(F);
    expect(filter('contains_asn 1').preVerdict({ ...head(A1), params: { ...params, as4: null } })).toBe(U);
    expect(filter('contains_asn 1').preVerdict({ ...head(A1), params: { ...params, as4: false } })).toBe(U);
    expect(filter('contains_asn 1').preVerdict({ ...head(A1), params: null })).toBe(U);
    // A segment that claims two ASNs where the value holds one: the decoder warns and drops the path.
    const bad = A1.raw.slice();
    const aStart = 23 + ((bad[19]! << 8) | bad[20]!);
    let p = aStart;
    while (bad[p + 1] !== 2) p += 3 + bad[p + 2]!;
    expect(bad[p + 4]).toBe(1);
    bad[p + 4] = 2;
    expect(filter('contains_asn 1').preVerdict({ ...head(A1), raw: bad })).toBe(U);
    expect(filter('not contains_asn 174').preVerdict({ ...head(A1), raw: bad })).toBe(U);
  });

  it('prefixes are left undecided without the session parameters, or where the decoder would see an error', () => {
    expect(filter('prefix_sub 192.0.2.0/24').preVerdict({ ...head(U1), params: null })).toBe(U);
    // A header length past the bytes given: the decoder's error record decides.
    const cut = U1.raw.slice(0, U1.raw.length - 1);
    expect(filter('prefix_sub 192.0.2.0/24').preVerdict({ ...head(U1), raw: cut, end: cut.length })).toBe(U);
    // The same bytes, whole: decided.
    expect(filter('prefix_sub 192.0.2.0/24').preVerdict(head(U1))).toBe(F);
  });
});

describe('elem level in the sink', () => {
  it('keepElems: only matching prefixes are written', () => {
    const f = filter('prefix <= 10.0.0.0/8 or ip_version 6');
    const fmt = createFormatter({ format: 'jsonl', level: 'elem' });
    const all = fmt.format(U1).trim().split('\n');
    expect(all).toHaveLength(5);
    const r: BgpRecord = { ...U1, msg: { ...(U1.msg as UpdateMessage) } }; // a fresh message object: keepers are per message
    keepElems(r.msg as UpdateMessage, (e) => f.elem(r, e));
    const kept = fmt.format(r).trim().split('\n').map((l) => (JSON.parse(l) as { prefix: string }).prefix);
    expect(kept).toEqual(['10.9.0.0/16', '2001:db8:dead::/48', '10.1.0.0/16', '2804:269c:1::/48']);
    // the unfiltered message object is untouched
    expect(fmt.format(U1).trim().split('\n')).toHaveLength(5);
  });

  it('keepElems on a lazy UPDATE: its runs of prefixes still bytes are filtered there, each prefix once', () => {
    const f = filter('prefix <= 10.0.0.0/8 or ip_version 6');
    for (const format of ['jsonl', 'line'] as const) {
      const fmt = createFormatter({ format, level: 'elem' });
      const res = decodeMessageLazy(U1.raw, paramsOf(U1), true);
      const r: BgpRecord = { ...U1, msg: res.msg, error: res.error, inferred: res.inferred };
      const asked: string[] = [];
      keepElems(r.msg as UpdateMessage, (e) => {
        asked.push(prefixOf(e));
        return f.elem(r, e);
      });
      const out = fmt.format(r).trim().split('\n');
      expect(asked, format).toEqual(['10.9.0.0/16', '2001:db8:dead::/48', '184.164.236.0/24', '10.1.0.0/16', '2804:269c:1::/48']);
      expect(out, format).toHaveLength(4);
      expect(out.join('\n'), format).not.toContain('184.164.236.0/24');
      // The runs were visited as bytes: the lazy UPDATE's lists are still stand-ins.
      const d = (r.msg as LazyUpdate).decoded()!;
      expect([...d.withdrawals, ...d.announcements].some((fam) => (r.msg as LazyUpdate).prefixesStart(fam.prefixes) >= 0), format).toBe(true);
    }
  });
});
