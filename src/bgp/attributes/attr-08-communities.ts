// COMMUNITIES (type code 8), RFC 1997: a list of 4-octet communities, shown "AS:value" with both halves
// as decimal numbers (well-known ones such as 65535:65281 NO_EXPORT keep their numeric form here).
// RFC 7606 §7.8: a length of 0 or not a multiple of 4 → treat-as-withdraw.

import { u16 } from '../../wire/reader.js';
import { type AttributeSpec, OPTIONAL_TRANSITIVE, attrLengthError } from './types.js';

export const COMMUNITIES: AttributeSpec = {
  code: 8,
  name: 'COMMUNITIES',
  flags: OPTIONAL_TRANSITIVE,
  onError: 'treat-as-withdraw',
  rule: 'RFC 7606 §7.8',
  decode(ctx, b, start, end) {
    const len = end - start;
    if (len === 0 || (len & 3) !== 0) throw attrLengthError('COMMUNITIES', len, 'a non-zero multiple of 4', start);
    const out: string[] = [];
    for (let p = start; p < end; p += 4) out.push(`${u16(b, p)}:${u16(b, p + 2)}`);
    ctx.msg.communities = out;
  },
};
