// MULTI_EXIT_DISC (type code 4), RFC 4271 §5.1.4: a 4-octet unsigned integer.
// RFC 7606 §7.4: a length other than 4 → treat-as-withdraw.

import { u32 } from '../../wire/reader.js';
import { type AttributeSpec, OPTIONAL_NON_TRANSITIVE, attrLengthError } from './types.js';

export const MULTI_EXIT_DISC: AttributeSpec = {
  code: 4,
  name: 'MULTI_EXIT_DISC',
  flags: OPTIONAL_NON_TRANSITIVE,
  onError: 'treat-as-withdraw',
  rule: 'RFC 7606 §7.4',
  decode(ctx, b, start, end) {
    if (end - start !== 4) throw attrLengthError('MULTI_EXIT_DISC', end - start, '4', start);
    ctx.msg.med = u32(b, start);
  },
};
