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
    if (!communitiesLengthOk(len)) throw attrLengthError('COMMUNITIES', len, 'a non-zero multiple of 4', start);
    ctx.msg.communities = communityList(b, start, end);
  },
};

/** RFC 7606 §7.8: a value of `len` octets is well-formed. */
export function communitiesLengthOk(len: number): boolean {
  return len !== 0 && (len & 3) === 0;
}

/** The communities of a well-formed value [start, end) (a non-zero multiple of 4 bytes) as text. */
export function communityList(b: Uint8Array, start: number, end: number): string[] {
  // Sized up front: a list grown by push() reserves 17 slots for one community.
  const out = new Array<string>((end - start) >> 2);
  for (let p = start, i = 0; p < end; p += 4, i++) out[i] = `${u16(b, p)}:${u16(b, p + 2)}`;
  return out;
}
