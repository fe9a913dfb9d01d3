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
    if (!largeCommunitiesLengthOk(len)) throw attrLengthError('LARGE_COMMUNITY', len, 'a non-zero multiple of 12', start);
    ctx.msg.large_communities = largeCommunityList(b, start, end);
  },
};

/** RFC 8092 §6: a value of `len` octets is well-formed. */
export function largeCommunitiesLengthOk(len: number): boolean {
  return len !== 0 && len % 12 === 0;
}

/** The large communities of a well-formed value [start, end) (a non-zero multiple of 12 bytes) as text. */
export function largeCommunityList(b: Uint8Array, start: number, end: number): string[] {
  const out = new Array<string>((end - start) / 12);
  for (let p = start, i = 0; p < end; p += 12, i++) out[i] = `${u32(b, p)}:${u32(b, p + 4)}:${u32(b, p + 8)}`;
  return out;
}
