// LARGE_COMMUNITY (type code 32), RFC 8092 §3: a list of 12-octet communities
// (Global Administrator : Local Data Part 1 : Local Data Part 2, each 4 octets), shown "ga:ld1:ld2".
// RFC 8092 §6: a length of 0 or not a multiple of 12 → treat-as-withdraw.

import { u32 } from '../../wire/reader.js';
import { type AttributeSpec, OPTIONAL_TRANSITIVE, attrLengthError } from './types.js';

export const LARGE_COMMUNITY: AttributeSpec = {
  code: 32,
  name: 'LARGE_COMMUNITY',
  flags: OPTIONAL_TRANSITIVE,
  onError: 'treat-as-withdraw',
  rule: 'RFC 8092 §6',
  decode(ctx, b, start, end) {
    const len = end - start;
    if (len === 0 || len % 12 !== 0) throw attrLengthError('LARGE_COMMUNITY', len, 'a non-zero multiple of 12', start);
    const out: string[] = [];
    for (let p = start; p < end; p += 12) out.push(`${u32(b, p)}:${u32(b, p + 4)}:${u32(b, p + 8)}`);
    ctx.msg.large_communities = out;
  },
};
