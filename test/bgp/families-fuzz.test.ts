// Bad input never escapes the family decoders: every family's sample UPDATE, mutated at random (bytes
// flipped, lengths changed, cut short), decodes to a message or an error — never an exception, never an
// `internal` error (which would mean a JavaScript fault such as reading past an array), never a hang.

import { describe, expect, it } from 'vitest';
import * as N from '../../bench/lib/nlri.js';
import { rng } from '../../bench/lib/synth.js';
import { decodeMessage } from '../../src/bgp/decode.js';
import { AS4, UNKNOWN, addPath, hx } from './families-lib.js';

const RD1: N.Rd = { type: 1, ip: '192.0.2.1', n: 9 };
const NH = N.ip4('192.0.2.254');
const ESI = hx('01 11 22 33 44 55 66 77 88 99');

function seeds(): Uint8Array[] {
  const r = N.rd(RD1);
  return [
    N.mpUpdate({ reach: N.mpReach(1, 4, NH, [...N.labeledPrefix({ labels: [1, 2, 3], addr: '10.0.0.0', len: 8 }), ...N.labeledPrefix({ labels: [4], addr: '10.1.0.0', len: 16 })]) }),
    N.mpUpdate({ reach: N.mpReach(2, 128, [...r, ...N.ip6('2001:db8::1'), ...r, ...N.ip6('fe80::1')], N.labeledPrefix({ labels: [5], addr: '2001:db8::', len: 64, rd: RD1 })) }),
    N.mpUpdate({ unreach: N.mpUnreach(1, 128, N.labeledPrefix({ labels: [], labelFields: [0x800000], addr: '10.0.0.0', len: 24, rd: RD1 })) }),
    N.mpUpdate({ reach: N.mpReach(1, 133, [], N.flowspecRule([{ type: 1, prefix: '10.0.0.0', len: 8 }, { type: 4, terms: [{ op: '>=', value: 1 }, { op: '<=', value: 9, and: true }] }, { type: 9, terms: [{ value: 3, match: true }] }])) }),
    N.mpUpdate({ reach: N.mpReach(2, 134, [], N.flowspecRule([{ type: 2, prefix: '::1234:0:0', len: 96, offset: 65 }, { type: 13, terms: [{ op: '=', value: 7, size: 4 }] }], { v6: true, rd: RD1 })) }),
    N.mpUpdate({
      reach: N.mpReach(25, 70, NH, [
        ...N.evpnRoute({ type: 1, rd: RD1, esi: ESI, tag: 1, label: 2 }),
        ...N.evpnRoute({ type: 2, rd: RD1, esi: ESI, tag: 1, mac: '00:01:02:03:04:05', ip: '2001:db8::5', label1: 2, label2: 3 }),
        ...N.evpnRoute({ type: 5, rd: RD1, esi: ESI, tag: 1, prefix: '2001:db8::', len: 32, gateway: '::', label: 2 }),
      ]),
    }),
    N.mpUpdate({ reach: N.mpReach(1, 132, NH, [...N.rtcRoute(1, N.routeTarget(2, 4200000000, 1), 80), 0]) }),
    N.mpUpdate({ reach: N.mpReach(1, 5, NH, [...N.mvpnRoute(3, [...r, ...N.mcastAddr('10.0.0.1'), ...N.mcastAddr('232.0.0.1'), ...N.ip4('10.9.9.9')]), ...N.mvpnRoute(4, [...N.mvpnRoute(1, [...r, 10, 0, 0, 1]), 10, 0, 0, 2])]) }),
    N.mpUpdate({ reach: N.mpReach(1, 66, NH, N.mdtRoute(RD1, '10.0.0.1', '239.0.0.1')), unreach: N.mpUnreach(25, 65, N.vplsRoute(RD1, 1, 2, 3, 4)) }),
    N.mpUpdate({ reach: N.mpReach(16388, 72, NH, N.bgpLsNlri(2, hx('01 0000000000000001 0100 0004 02000000'), RD1)) }),
  ];
}

describe('mutated MP family UPDATEs', () => {
  it('never throw, never fault, never hang', () => {
    const r = rng(7);
    const int = (n: number) => Math.floor(r() * n);
    let decoded = 0;
    const t0 = Date.now();
    for (const seed of seeds()) {
      // the seed itself decodes cleanly
      const clean = decodeMessage(seed, AS4);
      expect(clean.error).toBeNull();
      expect(clean.msg?.kind === 'update' ? clean.msg.warnings : []).toEqual([]);
      for (let i = 0; i < 1500; i++) {
        const b = seed.slice();
        const flips = 1 + int(4);
        for (let k = 0; k < flips; k++) {
          // keep the marker, length and type so the mutation reaches the UPDATE body
          const at = 19 + int(b.length - 19);
          b[at] = int(4) === 0 ? b[at]! ^ (1 << int(8)) : int(256);
        }
        const cut = int(5) === 0 ? b.subarray(0, 19 + int(b.length - 19)) : b;
        if (cut !== b) {
          const c = cut.slice();
          c[16] = c.length >> 8;
          c[17] = c.length & 0xff;
          check(c);
        } else check(b);
      }
    }
    function check(b: Uint8Array): void {
      for (const p of [AS4, UNKNOWN, addPath('1:4', '2:128', '25:70', '1:133', '1:5')]) {
        const res = decodeMessage(b, p);
        expect(res.msg !== null || res.error !== null).toBe(true);
        expect(res.error?.code).not.toBe('internal');
        if (res.msg?.kind === 'update') {
          for (const w of res.msg.warnings) expect(w.code, w.message).not.toBe('internal');
          // parallel arrays stay parallel
          for (const f of [...res.msg.announcements, ...res.msg.withdrawals]) {
            const n = f.prefixes.length;
            if (f.path_ids !== null) expect(f.path_ids).toHaveLength(n);
            if (f.route_distinguishers) expect(f.route_distinguishers).toHaveLength(n);
            if (f.labels) expect(f.labels).toHaveLength(n);
            if (f.nlri) expect(f.nlri).toHaveLength(n);
          }
        }
        decoded++;
      }
    }
    expect(decoded).toBe(3 * 10 * 1500);
    expect(Date.now() - t0).toBeLessThan(20000);
  });
});
