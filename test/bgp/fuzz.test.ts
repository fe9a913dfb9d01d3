// Robustness: decodeMessage must return (error or message) and never throw or hang, on the fuzzer-found
// malformed captures of the corpus and on random mutations of valid messages. And it must never read past
// the length in the header.
// More properties (one length field changed at a time, random messages, time and output bounds, the lazy
// decoder, regression inputs in regressions/*.hex): fuzz-properties.test.ts.

import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeMessage, type DecodeResult } from '../../src/bgp/decode.js';
import type { SessionParams } from '../../src/bgp/model.js';
import { AS2, AS4, UNKNOWN, bgp, update } from './helpers.js';
import { hasTshark, tcpPayloads, tsharkMessages } from './tshark.js';

const CORPUS = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));
const haveCorpus = existsSync(CORPUS);
const ADD_PATH_ALL: SessionParams = { as4: true, extended_message: true, add_path_send: new Set(['1:1', '1:2', '2:1', '2:2']) };
const PARAMS = [AS4, AS2, UNKNOWN, ADD_PATH_ALL];

/** Decode and check the result is well formed: never throws, error offsets inside the input. */
function check(b: Uint8Array, p: SessionParams): DecodeResult {
  const r = decodeMessage(b, p);
  expect(r.msg !== null || r.error !== null).toBe(true);
  if (r.error) {
    expect(typeof r.error.code).toBe('string');
    expect(r.error.offset).toBeGreaterThanOrEqual(0);
    expect(r.error.offset).toBeLessThanOrEqual(b.length);
    expect(r.error.code).not.toBe('internal');
  }
  if (r.msg?.kind === 'update') for (const w of r.msg.warnings) expect(w.code).not.toBe('internal');
  return r;
}

function malformedFiles(): string[] {
  const dir = CORPUS + 'the-tcpdump-group_tcpdump/';
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /oobr|-ub\.|infinite-loop|malformed/.test(f))
    .map((f) => dir + f);
}

describe.skipIf(!haveCorpus || !hasTshark())('fuzzer-found malformed captures (tcpdump tests)', () => {
  const files = malformedFiles();
  it('finds the files', () => expect(files.length).toBeGreaterThanOrEqual(12));
  for (const file of files) {
    it(file.split('/').pop()!, () => {
      let problems = 0;
      const inputs = [...tsharkMessages(file, true).map((m) => m.bytes), ...tcpPayloads(file)];
      expect(inputs.length).toBeGreaterThan(0);
      for (const b of inputs) {
        for (const p of PARAMS) {
          const r = check(b, p);
          if (r.error !== null || (r.msg?.kind === 'update' && r.msg.warnings.length > 0)) problems++;
        }
      }
      // Every one of these files was written to break a decoder: something in it must be reported.
      expect(problems).toBeGreaterThan(0);
    });
  }
});

/** mulberry32: a small seeded PRNG, so failures reproduce. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SEEDS: Uint8Array[] = [
  update(
    '18 c00002',
    '40 01 01 00' + '40 02 0a 02 02 0000fde9 0000fdea' + '40 03 04 c6336401' + '80 04 04 00000064' + '40 05 04 000000c8' +
      'c0 08 08 fde90064 ffffff01' + 'c0 20 0c 0000fde9 00000001 00000002' + 'c0 07 08 0000fde9 c0000201' + '40 06 00' +
      'e0 11 0a 02 02 0000fde9 0003640e' + 'c0 12 08 0003640e c0000202',
    '08 0a 0c ac10',
  ),
  update(
    '00000001 18 c00002',
    '40 01 01 00' + '40 02 00' + '80 0e 2c 0002 01 20 20010db8000000000000000000000001 fe800000000000000000000000000001 00 30 20010db80001' +
      '80 0f 0a 0002 01 30 20010db80002' + '80 0e 19 0001 01 10 20010db8000000000000000000000001 00 18 c00002',
    '00000002 08 0a',
  ),
  update('', '40 01 01 02' + '40 02 0c 02 05 00c8 0001 5ba0 5ba0 5ba0' + '40 03 04 01000201' + 'e0 11 12 02 04 00000001 0003640e 00051615 fffffffa', '20 04040404'),
  update('', '80 0f 03 0002 01', ''),
  bgp(1, '04 5ba0 00b4 c0000201 32 02 30 0104000100 01 0200 4006 8078 0001 0180 4104 00030d40 4508 00010103 00020101 4600 4907 02 7231 03 6c6162 0901 03 0600'),
  bgp(1, '04 5ba0 00b4 c0000201 ff ff 0009 02 0006 4104 00030d40'),
  bgp(3, '06 02 0a', Buffer.from('0123456789').toString('hex')),
  bgp(3, '06 09 06 02 03 627965'),
  // normal ROUTE-REFRESH with one address prefix ORF entry (RFC 5292 §3): add/permit, seq 10, min 0, max 0, 0.0.0.0/0
  bgp(5, '0001 00 01 01 40 0008 00 0000000a 00 00 00'),
  bgp(4),
];

describe('random mutations of valid messages', () => {
  it('decodes the seeds without errors', () => {
    for (const s of SEEDS) expect(check(s, AS4).error?.code ?? null, Buffer.from(s).toString('hex')).toBeNull();
  });

  it('never throws on 20,000 mutated messages (seed 7)', () => {
    const rand = rng(7);
    const pick = (n: number) => Math.floor(rand() * n);
    for (let i = 0; i < 20_000; i++) {
      const seed = SEEDS[pick(SEEDS.length)]!;
      let b = seed.slice();
      const edits = 1 + pick(4);
      for (let e = 0; e < edits; e++) {
        const kind = pick(6);
        if (kind === 0 && b.length > 0) b[pick(b.length)] = pick(256); // random byte
        else if (kind === 1 && b.length > 19) {
          const at = 19 + pick(b.length - 19);
          b[at] = b[at]! ^ (1 << pick(8)); // bit flip in the body
        }
        else if (kind === 2 && b.length > 19) b[19 + pick(Math.min(8, b.length - 19))] = [0, 1, 0x7f, 0x80, 0xff][pick(5)]!; // a length field
        else if (kind === 3) b = b.slice(0, pick(b.length + 1)); // truncate
        else if (kind === 4) {
          const extra = new Uint8Array(pick(40)).map(() => pick(256)); // append garbage
          const c = new Uint8Array(b.length + extra.length);
          c.set(b);
          c.set(extra, b.length);
          b = c;
        }
        // keep the header length consistent with the bytes half of the time, so the body decoders get exercised
        if (kind === 5 || rand() < 0.5) {
          if (b.length >= 18) {
            b[16] = b.length >> 8;
            b[17] = b.length & 0xff;
          }
        }
      }
      check(b, PARAMS[pick(PARAMS.length)]!);
    }
  });

  it('reads nothing past the header length: bytes after it never change the result', () => {
    const rand = rng(11);
    for (const s of SEEDS) {
      for (const p of PARAMS) {
        const alone = decodeMessage(s, p);
        const tail = new Uint8Array(64).map(() => Math.floor(rand() * 256));
        const padded = new Uint8Array(s.length + tail.length);
        padded.set(s);
        padded.set(tail, s.length);
        expect(decodeMessage(padded, p)).toEqual(alone);
      }
    }
  });
});
