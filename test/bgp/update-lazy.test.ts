// The lazy UPDATE the pipeline hands on (src/bgp/update-lazy.ts) against the eager decoder: for every UPDATE of
// the fixtures, of synthetic full-table sessions (bench/gen.ts), and of many damaged copies of them (bytes of
// the attribute area overwritten, so that warnings, raw attributes, duplicates and failed attributes occur),
// decodeMessageLazy must give exactly what decodeMessage gives — the same error, the same `inferred`, and a
// message whose every field equals the eager one, whether the fields are read in full first or the prefixes
// first (the prefixes-only decode) — under 4-octet, 2-octet, ADD-PATH and half-known session parameters.
import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeMessage, decodeMessageLazy } from '../../src/bgp/decode.js';
import { LazyUpdate, decodeFully } from '../../src/bgp/update-lazy.js';
import type { SessionParams, UpdateMessage, Withdrawal } from '../../src/bgp/model.js';
import { ByteWriter } from '../../src/sink/bytes.js';
import { prefixesWire } from '../../src/sink/emit.js';
import { Pipeline } from '../../src/pipeline.js';
import { parseCaptureBuffer } from '../../src/source/open.js';
import { PROFILES, generate } from '../../bench/gen.js';
import { rng } from '../../bench/lib/synth.js';
import { AS2, AS4 } from './helpers.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'bgpcap-lazy-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const ADD_PATH: SessionParams = { as4: true, extended_message: false, add_path_send: new Set(['1:1', '2:1']) };
/** One OPEN seen, which rules out ADD-PATH but not the AS width: as4 is inferred, ADD-PATH known. */
const AS_UNKNOWN: SessionParams = { as4: null, extended_message: true, add_path_send: new Set() };
const PARAMS: [string, SessionParams][] = [
  ['4-octet', AS4],
  ['2-octet', AS2],
  ['ADD-PATH', ADD_PATH],
  ['AS width unknown', AS_UNKNOWN],
];

/** Every UPDATE (whole message bytes) the pipeline frames in a capture. */
function updatesOf(capture: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  const p = new Pipeline((r) => {
    if (r.kind === 'message' && r.msg_type === 2) out.push(r.raw);
  });
  parseCaptureBuffer(capture, (f) => p.frame(f));
  p.end();
  return out;
}

const FIELDS: (keyof UpdateMessage)[] = [
  'kind', 'withdrawals', 'announcements', 'as_path', 'as_path_segments', 'origin', 'next_hop', 'med', 'local_pref',
  'atomic_aggregate', 'aggregator_asn', 'aggregator_ip', 'communities', 'large_communities', 'originator_id',
  'cluster_list', 'ext_communities', 'ipv6_ext_communities', 'pmsi_tunnel', 'aigp', 'otc', 'prefix_sid', 'attr_set',
  'bgpsec_path', 'attr_codes', 'other_attributes', 'end_of_rib', 'warnings',
];

/**
 * What is read of a LazyUpdate before its fields: nothing; the prefix lists through the getters (decoded alone,
 * before the rest); or its prefixLists() (the prefixes alone, runs still bytes: stage 2's prefix filters).
 */
type First = 'nothing' | 'getters' | 'lists';

/**
 * The fields of a message as a plain object, read through its getters, in FIELDS order or backwards (then the
 * fields decoded without AS_PATH and the communities are read before those are decoded from their bytes).
 */
function plain(m: UpdateMessage, before: First, backwards = false): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  let first: unknown[] | null = null;
  if (before === 'getters') first = [m.withdrawals, m.announcements];
  else if (before === 'lists' && m instanceof LazyUpdate) {
    const l = m.prefixLists();
    first = [l.withdrawals, l.announcements];
  }
  const read = new Map<string, unknown>();
  for (const k of backwards ? [...FIELDS].reverse() : FIELDS) read.set(k, m[k]);
  for (const k of FIELDS) o[k] = read.get(k);
  if (first !== null && (first[0] !== o['withdrawals'] || first[1] !== o['announcements'])) o['identity'] = 'prefix arrays replaced';
  return o;
}

/** Compare the lazy and the eager decode of `b`; returns a description of the first difference, or null. */
function differs(b: Uint8Array, params: SessionParams, prefixesFirst: First): string | null {
  const eager = decodeMessage(b, params);
  const lazyRes = decodeMessageLazy(b, params);
  const lazy = { msg: lazyRes.msg, error: lazyRes.error, inferred: lazyRes.inferred }; // the result object is reused
  if (JSON.stringify(lazy.error) !== JSON.stringify(eager.error)) return `error ${JSON.stringify(lazy.error)} vs ${JSON.stringify(eager.error)}`;
  if (JSON.stringify(lazy.inferred) !== JSON.stringify(eager.inferred)) return `inferred ${JSON.stringify(lazy.inferred)} vs ${JSON.stringify(eager.inferred)}`;
  if ((lazy.msg === null) !== (eager.msg === null)) return `msg ${lazy.msg === null ? 'null' : 'present'} vs ${eager.msg === null ? 'null' : 'present'}`;
  if (lazy.msg === null || eager.msg === null) return null;
  if (lazy.msg.kind !== 'update' || eager.msg.kind !== 'update') return `kind ${lazy.msg.kind} vs ${eager.msg.kind}`;
  const e = JSON.stringify(plain(eager.msg, 'nothing'));
  const a = JSON.stringify(plain(lazy.msg, prefixesFirst));
  if (a !== e) return `fields differ:\n lazy  ${a}\n eager ${e}`;
  const back = decodeMessageLazy(b, params).msg;
  const ab = back !== null && back.kind === 'update' ? JSON.stringify(plain(back, prefixesFirst, true)) : null;
  if (ab !== e) return `fields read backwards differ:\n lazy  ${ab}\n eager ${e}`;
  // toJSON and decodeFully give the plain object with the same content.
  if (JSON.stringify(lazy.msg) !== JSON.stringify(eager.msg)) return 'JSON.stringify differs';
  if (JSON.stringify(decodeFully(lazy.msg)) !== JSON.stringify(eager.msg)) return 'decodeFully differs';
  return null;
}

let corpus: Uint8Array[] = [];

beforeAll(async () => {
  const file = join(tmp, 'rs.pcap');
  await generate(PROFILES['rs']!, file, 0.002, 3);
  corpus = [
    ...updatesOf(new Uint8Array(readFileSync(join(root, 'fixtures/bird-ipv4-ipv6.pcap')))),
    ...updatesOf(new Uint8Array(readFileSync(join(root, 'fixtures/bird-addpath.pcap')))),
    ...updatesOf(new Uint8Array(readFileSync(file))),
  ];
}, 60_000);

describe('decodeMessageLazy = decodeMessage', () => {
  it('the pipeline hands on lazy UPDATEs when ADD-PATH is known', () => {
    const r = decodeMessageLazy(corpus[0]!, AS4);
    expect(r.msg).toBeInstanceOf(LazyUpdate);
    expect(decodeMessageLazy(corpus[0]!, { as4: null, extended_message: true, add_path_send: null }).msg).not.toBeInstanceOf(LazyUpdate);
  });

  it('AS_PATH and the communities stay bytes until read, and the other fields do not decode them', () => {
    let deferredPaths = 0;
    let deferredCommunities = 0;
    for (const b of corpus) {
      const m = decodeMessageLazy(b, AS4).msg;
      if (!(m instanceof LazyUpdate)) continue;
      const eager = decodeMessage(b, AS4).msg as UpdateMessage;
      // Everything but the four deferred fields, through the getters and partial().
      for (const k of FIELDS) if (k !== 'as_path' && k !== 'as_path_segments' && k !== 'communities' && k !== 'large_communities') void m[k];
      const part = m.partial();
      if (m.wireStart(2) >= 0) {
        deferredPaths++;
        expect(part.as_path).toBeNull();
        expect(eager.as_path).not.toBeNull();
        expect(eager.warnings.filter((w) => w.attr_code === 2)).toEqual([]);
      }
      if (m.wireStart(8) >= 0) {
        deferredCommunities++;
        expect(part.communities).toBeNull();
        expect(Buffer.from(m.wire.subarray(m.wireStart(8), m.wireEnd(8))).length).toBe(4 * eager.communities!.length);
      }
      // Reading one decodes that one alone (a filter on communities does not pay for the AS path), as the
      // eager decoder has it; the others when they are read.
      const path = m.wireStart(2);
      const large = m.wireStart(32);
      expect(m.communities).toEqual(eager.communities);
      expect([m.wireStart(2), m.wireStart(8), m.wireStart(32)]).toEqual([path, -1, large]);
      expect(m.large_communities).toEqual(eager.large_communities);
      expect([m.wireStart(2), m.wireStart(32)]).toEqual([path, -1]);
      expect(m.as_path_segments).toEqual(eager.as_path_segments);
      expect([m.wireStart(2), m.wireStart(8), m.wireStart(32)]).toEqual([-1, -1, -1]);
      expect(part.as_path).toEqual(eager.as_path);
      expect(part.large_communities).toEqual(eager.large_communities);
    }
    expect(deferredPaths).toBeGreaterThan(400);
    expect(deferredCommunities).toBeGreaterThan(100);
  });

  it('partial() and prefixLists() keep runs of plain prefixes as bytes (never with path ids); printed from them they are the eager lists; reading the lists decodes them', () => {
    let deferred = 0;
    let mp = 0;
    let listed = 0;
    for (const b of corpus) {
      for (const [params, way] of [[AS4, 'partial'], [ADD_PATH, 'partial'], [AS4, 'lists'], [ADD_PATH, 'lists']] as const) {
        const m = decodeMessageLazy(b, params).msg;
        if (!(m instanceof LazyUpdate)) continue;
        const eager = decodeMessage(b, params).msg as UpdateMessage;
        const part = way === 'partial' ? m.partial() : m.prefixLists();
        // The prefix lists alone decode no attribute (no message object made) ...
        if (way === 'lists') expect(m.decoded()).toBeNull();
        const pairs: [Withdrawal[], Withdrawal[]][] = [
          [part.withdrawals, eager.withdrawals],
          [part.announcements, eager.announcements],
        ];
        for (const [lazyList, eagerList] of pairs) {
          expect(lazyList.length).toBe(eagerList.length);
          for (let i = 0; i < lazyList.length; i++) {
            const ps = lazyList[i]!.prefixes;
            const start = m.prefixesStart(ps);
            if (start < 0) continue;
            deferred++;
            if (way === 'lists') listed++;
            if (lazyList[i]!.afi === 2) mp++;
            expect(params).toBe(AS4);
            expect(ps).toEqual([]);
            for (const json of [true, false]) {
              const w = new ByteWriter(64);
              prefixesWire(w, m.wire, start, m.prefixesEnd(ps), lazyList[i]!.afi === 1 ? 32 : 128, json);
              expect(w.text()).toBe(json ? JSON.stringify(eagerList[i]!.prefixes) : eagerList[i]!.prefixes.join(' '));
            }
          }
        }
        // ... and partial() made afterwards lists the same family objects, its runs the same bytes.
        if (way === 'lists') {
          const starts = (l: typeof part): number[] => [...l.withdrawals, ...l.announcements].map((f) => m.prefixesStart(f.prefixes));
          const before = starts(part);
          const later = m.partial();
          expect(later.announcements).toBe(part.announcements);
          expect(later.withdrawals).toBe(part.withdrawals);
          expect(starts(later)).toEqual(before);
        }
        // Reading a list decodes the runs into the same family objects, as the eager decoder has them.
        const a0 = part.announcements[0];
        expect(JSON.stringify(m.announcements)).toBe(JSON.stringify(eager.announcements));
        expect(JSON.stringify(m.withdrawals)).toBe(JSON.stringify(eager.withdrawals));
        if (a0 !== undefined) expect(m.announcements[0]).toBe(a0);
        expect(m.prefixesStart(a0?.prefixes ?? [])).toBe(-1);
      }
    }
    expect(deferred).toBeGreaterThan(400);
    expect(listed).toBeGreaterThan(200);
    expect(mp).toBeGreaterThan(50);
  });

  for (const [name, params] of PARAMS) {
    it(`every UPDATE of the fixtures and a synthetic route server, ${name} session`, () => {
      expect(corpus.length).toBeGreaterThan(500);
      for (const b of corpus) {
        for (const first of ['nothing', 'getters', 'lists'] as const) {
          const d = differs(b, params, first);
          if (d !== null) expect.fail(`${Buffer.from(b).toString('hex')} (prefixes first: ${first}): ${d}`);
        }
      }
    });
  }

  it('decoded in full right after framing (framing reused) or after other messages were framed (framed again): the same', () => {
    for (const params of [AS4, AS_UNKNOWN]) {
      const lazies = corpus.map((b) => decodeMessageLazy(b, params).msg);
      // every message framed, none decoded yet: each must frame itself again
      for (let i = 0; i < corpus.length; i++) {
        const eager = decodeMessage(corpus[i]!, params).msg;
        const late = lazies[i]!;
        expect(late.kind).toBe('update');
        if (late.kind === 'update') expect(JSON.stringify(decodeFully(late))).toBe(JSON.stringify(eager));
        // and decoded at once after its own framing: the framing pass is reused
        const now = decodeMessageLazy(corpus[i]!, params).msg;
        if (now !== null && now.kind === 'update') expect(JSON.stringify(decodeFully(now))).toBe(JSON.stringify(eager));
      }
    }
  });

  it('damaged copies: overwritten attribute bytes, lengths and NLRI', () => {
    const r = rng(42);
    let n = 0;
    for (let k = 0; k < 4000; k++) {
      const src = corpus[Math.floor(r() * corpus.length)]!;
      const b = src.slice();
      const hits = 1 + Math.floor(r() * 3);
      for (let h = 0; h < hits; h++) {
        // Past the header (the framer checked it): withdrawn length, attribute area, NLRI.
        const at = 19 + Math.floor(r() * (b.length - 19));
        b[at] = r() < 0.3 ? 0 : r() < 0.5 ? 0xff : Math.floor(r() * 256);
      }
      const params = PARAMS[k % PARAMS.length]![1];
      const d = differs(b, params, (['nothing', 'getters', 'lists'] as const)[k % 3]!);
      if (d !== null) expect.fail(`${Buffer.from(b).toString('hex')}: ${d}`);
      n++;
    }
    expect(n).toBe(4000);
  });
});
