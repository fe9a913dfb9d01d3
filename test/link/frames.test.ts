// The decoder on hand-made frames (frames.ts), and tshark on the same frames to confirm the annotations.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LINK_OPTIONS, decodeFrame, isLinkNotice, isSupportedLinkType } from '../../src/link/decode.js';
import type { Segment } from '../../src/types.js';
import { CASES, type Case, IPV4_KA } from './frames.js';
import { hasTshark, makeFrame, tshark, writePcapng } from './helpers.js';

function run(c: Case) {
  const frame = makeFrame(c.linkType, c.data, c.origLen ?? c.data.length, 7);
  const opts = c.ports ? { ports: new Set(c.ports) } : DEFAULT_LINK_OPTIONS;
  return { frame, result: decodeFrame(frame, opts) };
}

describe('decodeFrame on hand-made frames', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const { frame, result } = run(c);
    const e = c.expect;
    if ('nothing' in e) {
      expect(result).toBeNull();
      return;
    }
    expect(result).not.toBeNull();
    if ('notice' in e) {
      expect(isLinkNotice(result)).toBe(true);
      const n = result as Exclude<typeof result, Segment | null>;
      expect({ code: n.code, srcIp: n.srcIp, dstIp: n.dstIp, srcPort: n.srcPort, dstPort: n.dstPort }).toEqual({
        code: e.notice.code,
        srcIp: e.notice.srcIp,
        dstIp: e.notice.dstIp,
        srcPort: e.notice.srcPort,
        dstPort: e.notice.dstPort,
      });
      expect(n.message).toContain(e.notice.says);
      expect(n.frameNo).toBe(7);
      expect(n.ts).toEqual(frame.ts);
      expect(n.iface).toBe('eth0');
      return;
    }
    expect(isLinkNotice(result)).toBe(false);
    const s = result as Segment;
    const want = e.segment;
    expect({
      ipVersion: s.ipVersion,
      srcIp: s.srcIp,
      dstIp: s.dstIp,
      srcPort: s.srcPort,
      dstPort: s.dstPort,
      seq: s.seq,
      ack: s.ack,
      flags: s.flags,
      payload: Array.from(s.payload),
      missing: s.missing,
      srcMac: s.srcMac,
      dstMac: s.dstMac,
    }).toEqual({ ...want, payload: Array.from(want.payload) });
    expect(s.frameNo).toBe(7);
    expect(s.ts).toEqual(frame.ts);
    expect(s.iface).toBe('eth0');
    // A view into the frame, not a copy.
    expect(s.payload.buffer).toBe(frame.data.buffer);
  });

  it('knows which link types it supports', () => {
    for (const lt of [0, 1, 9, 12, 14, 50, 101, 104, 108, 113, 178, 228, 229, 276]) expect(isSupportedLinkType(lt)).toBe(true);
    for (const lt of [105, 127, 147, 192]) expect(isSupportedLinkType(lt)).toBe(false);
  });

  it('never throws on any prefix, and on random bytes, for every link type', () => {
    const types = [0, 1, 9, 12, 50, 101, 104, 108, 113, 178, 228, 229, 276];
    for (const c of CASES) {
      for (let n = 0; n <= c.data.length; n++) {
        const d = c.data.subarray(0, n);
        for (const lt of [c.linkType, ...types]) {
          expect(() => decodeFrame(makeFrame(lt, d, c.data.length))).not.toThrow();
          expect(() => decodeFrame(makeFrame(lt, d, 0))).not.toThrow();
        }
      }
    }
    // Deterministic pseudo-random frames (xorshift), some starting with valid headers.
    let x = 0x9e3779b9;
    const rnd = (): number => {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return (x >>> 0) & 0xff;
    };
    for (let i = 0; i < 20000; i++) {
      const len = rnd() % 120;
      const d = new Uint8Array(len);
      for (let j = 0; j < len; j++) d[j] = rnd();
      if (len > 60 && i % 3 === 0) d.set(IPV4_KA.subarray(0, 20), 0);
      const lt = types[i % types.length]!;
      expect(() => decodeFrame(makeFrame(lt, d, len + (rnd() % 3) * 100), { ports: new Set([179, (d[2] ?? 0) << 8]) })).not.toThrow();
    }
  });

  it('a segment is the same whatever the scratch state left by a previous frame', () => {
    const seg = CASES.find((c) => c.name === 'Linux cooked SLL + IPv4')!;
    const eth = CASES.find((c) => c.name === 'Ethernet II + IPv4')!;
    run(eth);
    const s = run(seg).result as Segment;
    expect(s.dstMac).toBeNull();
  });
});

// tshark reads the same frames from a pcapng file: its addresses, ports, sequence numbers and TCP lengths
// must be what the annotations in frames.ts say (this checks the test data, not the decoder).
describe.skipIf(!hasTshark())('tshark agrees with the annotations of the segment cases', () => {
  const cases = CASES.filter((c) => 'segment' in c.expect);
  it('every segment case', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bgpcap-link-'));
    try {
      const file = join(dir, 'cases.pcapng');
      writeFileSync(file, writePcapng(cases.map((c, i) => makeFrame(c.linkType, c.data, c.origLen ?? c.data.length, i + 1))));
      const out = tshark([
        '-r', file,
        '-o', 'tcp.relative_sequence_numbers:FALSE',
        '-T', 'fields', '-E', 'separator=/t', '-E', 'occurrence=f',
        '-e', 'ip.src', '-e', 'ipv6.src', '-e', 'ip.dst', '-e', 'ipv6.dst',
        '-e', 'tcp.srcport', '-e', 'tcp.dstport', '-e', 'tcp.seq', '-e', 'tcp.ack', '-e', 'tcp.flags', '-e', 'tcp.len',
        '-e', 'eth.src', '-e', 'eth.dst',
      ]);
      const lines = out.split('\n').filter((l) => l !== '');
      expect(lines.length).toBe(cases.length);
      cases.forEach((c, i) => {
        const w = (c.expect as { segment: import('./frames.js').SegmentExpect }).segment;
        const [s4, s6, d4, d6, sp, dp, seq, ack, flags, len, esrc, edst] = lines[i]!.split('\t');
        const got = {
          name: c.name,
          src: s4 || s6,
          dst: d4 || d6,
          sp: Number(sp),
          dp: Number(dp),
          seq: Number(seq),
          ack: Number(ack),
          flags: Number(flags),
          len: Number(len),
          ethSrc: esrc || null,
          ethDst: edst || null,
        };
        const ethernetMacs = w.dstMac !== null;
        expect(got).toEqual({
          name: c.name,
          src: w.srcIp,
          dst: w.dstIp,
          sp: w.srcPort,
          dp: w.dstPort,
          seq: w.seq,
          ack: w.ack,
          flags: w.flags,
          len: w.payload.length + w.missing,
          ethSrc: ethernetMacs ? w.srcMac : null,
          ethDst: ethernetMacs ? w.dstMac : null,
        });
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
