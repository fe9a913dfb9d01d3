// NEXT_HOP (type code 3), RFC 4271 §5.1.3: the IPv4 next hop of the routes in the classic NLRI field.
// RFC 7606 §7.3: a length other than 4 → treat-as-withdraw.

// Next hops repeat from one UPDATE to the next: the text comes from the address cache (link/textcache.ts).
import { ipv4TextCached } from '../../link/textcache.js';
import { type AttributeSpec, WELL_KNOWN, attrLengthError } from './types.js';

export const NEXT_HOP: AttributeSpec = {
  code: 3,
  name: 'NEXT_HOP',
  flags: WELL_KNOWN,
  onError: 'treat-as-withdraw',
  rule: 'RFC 7606 §7.3',
  decode(ctx, b, start, end) {
    if (end - start !== 4) throw attrLengthError('NEXT_HOP', end - start, '4', start);
    ctx.msg.next_hop = ipv4TextCached(b, start);
  },
};
