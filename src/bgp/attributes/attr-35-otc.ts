// ONLY_TO_CUSTOMER (OTC, type code 35), RFC 9234 §5: optional transitive, one 4-octet ASN — the AS that
// first sent the route towards a customer, peer or route-server client. A route carrying OTC must not be
// sent back up to a provider or across to a peer (route-leak prevention with BGP roles).
// RFC 9234 §5: a length other than 4 is malformed → treat-as-withdraw.

import { u32 } from '../../wire/reader.js';
import { type AttributeSpec, OPTIONAL_TRANSITIVE, attrLengthError } from './types.js';

export const ONLY_TO_CUSTOMER: AttributeSpec = {
  code: 35,
  name: 'ONLY_TO_CUSTOMER',
  flags: OPTIONAL_TRANSITIVE,
  onError: 'treat-as-withdraw',
  rule: 'RFC 9234 §5',
  decode(ctx, b, start, end) {
    if (end - start !== 4) throw attrLengthError('ONLY_TO_CUSTOMER', end - start, '4', start);
    ctx.msg.otc = u32(b, start);
  },
};
