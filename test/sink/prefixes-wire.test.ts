// sink/emit.ts prefixesWire prints a run of prefixes straight from the wire (IPv4 a word per octet from its own
// tables, IPv6 through nlri.ts putIpv6Prefix); it must give exactly the texts of the decoder's ipv4PrefixText and
// ipv6PrefixText — including host bits past the length, which both clear — for every length and octet value.
import { describe, expect, it } from 'vitest';
import { ipv4PrefixText, ipv6PrefixText } from '../../src/bgp/nlri.js';
import { ByteWriter } from '../../src/sink/bytes.js';
import { prefixesWire } from '../../src/sink/emit.js';
import { rng } from '../../bench/lib/synth.js';

/** A run of prefixes as the wire carries them: length octet, then ceil(len / 8) address bytes. */
function run(prefixes: [number, number[]][]): Uint8Array {
  const out: number[] = [];
  for (const [len, addr] of prefixes) out.push(len, ...addr.slice(0, (len + 7) >> 3));
  return Uint8Array.from(out);
}

function texts(b: Uint8Array, maxBits: number): string[] {
  const out: string[] = [];
  for (let p = 0; p < b.length; p += 1 + ((b[p]! + 7) >> 3)) out.push(maxBits === 32 ? ipv4PrefixText(b, p + 1, b[p]!) : ipv6PrefixText(b, p + 1, b[p]!));
  return out;
}

function check(b: Uint8Array, maxBits: number): void {
  const want = texts(b, maxBits);
  // Written after other text, at an odd position, into a writer that has to grow: the words must not spill.
  const w = new ByteWriter(16);
  w.str('x');
  prefixesWire(w, b, 0, b.length, maxBits, true);
  w.str('|');
  prefixesWire(w, b, 0, b.length, maxBits, false);
  w.str('|');
  expect(w.text()).toBe(`x${JSON.stringify(want)}|${want.join(' ')}|`);
}

describe('prefixesWire = the decoder\'s prefix texts', () => {
  it('IPv4: every octet value in every position, every length 0-32, host bits set', () => {
    for (let v = 0; v < 256; v++) {
      const ps: [number, number[]][] = [];
      for (let pos = 0; pos < 4; pos++) {
        const addr = [1, 2, 3, 4];
        addr[pos] = v;
        for (let len = 0; len <= 32; len++) ps.push([len, addr]);
      }
      check(run(ps), 32);
    }
  });

  it('IPv6: every length 0-128 over random addresses, and zero runs of every shape', () => {
    const r = rng(7);
    for (let k = 0; k < 200; k++) {
      const ps: [number, number[]][] = [];
      for (let len = 0; len <= 128; len++) {
        // Groups zero or random, so that RFC 5952's longest zero run moves about.
        const addr = Array.from({ length: 16 }, (_, i) => ((k >> (i >> 1)) & 1 ? Math.floor(r() * 256) : 0));
        ps.push([len, addr]);
      }
      check(run(ps), 128);
    }
  });

  it('a run of one prefix, and an empty run', () => {
    check(run([[24, [192, 0, 2, 0]]]), 32);
    const w = new ByteWriter(16);
    prefixesWire(w, new Uint8Array(0), 0, 0, 32, true);
    expect(w.text()).toBe('[]');
  });
});
