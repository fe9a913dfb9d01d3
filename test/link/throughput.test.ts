// Informational: frames/s of decodeFrame on a realistic BGP frame and on frames that are not ours.
// Prints numbers, asserts nothing about time (machines differ). Measured in a plain `node` process on the
// dist/ build (made by test/global-setup.ts): vitest's module transform turns every cross-module call into
// a getter lookup and would measure that instead.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { decodeFrame } from '../../src/link/decode.js';
import { hex, makeFrame } from './helpers.js';

// Ethernet + IPv4 + TCP with timestamps (what Linux sends) + a 54-byte BGP UPDATE (ORIGIN, AS_PATH, NEXT_HOP, MED, one /24).
const update = hex`ffffffffffffffffffffffffffffffff 0036 02 0000 001b 40010100 400206020100000001 400304c0000201 800404 00000000 18c63364`;
const BGP = hex`001122334455 66778899aabb 0800
  4500 006a 1234 4000 4006 0000 0a000001 0a000002
  c350 00b3 11223344 80000001 8018 4000 0000 0000 0101080a 00000001 00000002
  ${update}`;
const UDP = hex`001122334455 66778899aabb 0800 4500 0024 1234 4000 4011 0000 0a000001 0a000002 c350 0035 0010 0000 0000000000000000 000000000000`;
const OTHER_TCP = hex`001122334455 66778899aabb 0800 4500 0028 1234 4000 4006 0000 0a000001 0a000002 0016 1f90 00000001 00000001 5010 4000 0000 0000 000000000000`;

const dist = fileURLToPath(new URL('../../dist/link/decode.js', import.meta.url));

const SCRIPT = `
import { decodeFrame } from ${JSON.stringify(dist)};
const [bgp, udp, tcp] = process.argv.slice(1).map((h) => new Uint8Array(Buffer.from(h, 'hex')));
function rate(data, n) {
  const frame = { frameNo: 1, ts: { sec: 1, nsec: 0 }, linkType: 1, data, origLen: data.length, iface: null };
  let sink = 0;
  for (let i = 0; i < 200000; i++) if (decodeFrame(frame) !== null) sink++;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) { frame.frameNo = i; if (decodeFrame(frame) !== null) sink++; }
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  return (n / s / 1e6).toFixed(1) + ' M frames/s' + (sink < 0 ? '!' : '');
}
console.log('decodeFrame: BGP Ethernet+IPv4+TCP ' + rate(bgp, 3e6) + '; not ours: UDP ' + rate(udp, 3e6) + ', TCP 22->8080 ' + rate(tcp, 3e6));
`;

it.skipIf(!existsSync(dist))('reports decodeFrame throughput (no assertion on time)', () => {
  const seg = decodeFrame(makeFrame(1, BGP));
  expect(seg !== null && !('code' in seg) && seg.payload.length).toBe(54);
  const hexOf = (b: Uint8Array): string => Buffer.from(b).toString('hex');
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', SCRIPT, hexOf(BGP), hexOf(UDP), hexOf(OTHER_TCP)], {
    encoding: 'utf8',
  });
  console.log(r.stdout.trim() || r.stderr.trim());
});
