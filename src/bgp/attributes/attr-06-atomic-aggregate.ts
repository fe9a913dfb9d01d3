// ATOMIC_AGGREGATE (type code 6), RFC 4271 §5.1.6: no value.
// RFC 7606 §7.6: a length other than 0 → attribute discard.

import { type AttributeSpec, WELL_KNOWN, attrLengthError } from './types.js';

export const ATOMIC_AGGREGATE: AttributeSpec = {
  code: 6,
  name: 'ATOMIC_AGGREGATE',
  flags: WELL_KNOWN,
  onError: 'attribute-discard',
  rule: 'RFC 7606 §7.6',
  decode(ctx, _b, start, end) {
    if (end !== start) throw attrLengthError('ATOMIC_AGGREGATE', end - start, '0', start);
    ctx.msg.atomic_aggregate = true;
  },
};
