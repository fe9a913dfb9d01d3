// Route Target membership: AFI 1 SAFI 132 (RFC 4684 §4). One entry is a prefix over 12 bytes:
//
//   [Path Identifier (4), ADD-PATH only] | Length (1, bits: 0 or 32..96) | Origin AS (4) | Route Target (8)
//
// of which only ceil(Length / 8) bytes are sent. Length 0 is the default route target (all of them).
// Text (the entry's `prefixes` element), as Junos and GoBGP show it: origin-as:route-target/length, the
// absent bytes read as zero — `65000:65000:100/96`, `65000:192.0.2.1:7/96`, `0:0:0/0` (default). The route
// target is read as an extended community (RFC 4360 / RFC 5668: asn:n, ipv4:n, asn4:n; other types in hex).

import { DecodeError } from '../../wire/errors.js';
import { u32 } from '../../wire/reader.js';
import { readPathId, routeTargetText } from './common.js';
import type { NlriOut, RtcRoute } from './types.js';

const SCRATCH = new Uint8Array(12);

export function decodeRtc(b: Uint8Array, start: number, end: number, addPath: boolean, out: NlriOut): void {
  const details = (out.nlri ??= []);
  let p = start;
  while (p < end) {
    p = readPathId(b, p, end, addPath, out.path_ids);
    if (p >= end) throw new DecodeError('nlri_truncated', 'route target membership: path identifier with no route after it', p);
    const len = b[p]!;
    if (len > 96) throw new DecodeError('prefix_length', `route target membership: length ${len} > 96 (RFC 4684 §4)`, p);
    const n = (len + 7) >> 3;
    if (p + 1 + n > end) throw new DecodeError('nlri_truncated', `route target membership /${len} needs ${n} bytes, ${end - p - 1} left`, p);
    SCRATCH.fill(0);
    for (let i = 0; i < n; i++) SCRATCH[i] = b[p + 1 + i]!;
    if (len & 7) SCRATCH[n - 1] = SCRATCH[n - 1]! & (0xff << (8 - (len & 7)));
    const asn = u32(SCRATCH, 0);
    const rt = routeTargetText(SCRATCH, 4);
    const r: RtcRoute = { kind: 'rtc', length: len, origin_as: len >= 32 ? asn : null, route_target: len > 32 ? rt : null };
    details.push(r);
    out.prefixes.push(`${asn}:${rt}/${len}`);
    p += 1 + n;
  }
}
