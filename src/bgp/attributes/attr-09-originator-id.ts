// ORIGINATOR_ID (type code 9), RFC 4456 §8: optional non-transitive, the 4-octet BGP Identifier of the
// route's originator within the reflection domain, shown as a dotted quad.
// RFC 7606 §7.9: from an internal neighbour a length other than 4 is malformed → treat-as-withdraw; from an
// external neighbour the attribute is discarded whatever it holds. The decoder does not know which kind of
// session it is on, so it reports the internal-neighbour action.

import { ipv4Text } from '../../wire/ip.js';
import { type AttributeSpec, OPTIONAL_NON_TRANSITIVE, attrLengthError } from './types.js';

export const ORIGINATOR_ID: AttributeSpec = {
  code: 9,
  name: 'ORIGINATOR_ID',
  flags: OPTIONAL_NON_TRANSITIVE,
  onError: 'treat-as-withdraw',
  rule: 'RFC 7606 §7.9',
  decode(ctx, b, start, end) {
    if (end - start !== 4) throw attrLengthError('ORIGINATOR_ID', end - start, '4', start);
    ctx.msg.originator_id = ipv4Text(b, start);
  },
};
