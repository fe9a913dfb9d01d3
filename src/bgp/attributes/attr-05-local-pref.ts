// LOCAL_PREF (type code 5), RFC 4271 §5.1.5: a 4-octet unsigned integer (iBGP only).
// RFC 7606 §7.5: a length other than 4 → treat-as-withdraw (an eBGP receiver discards it instead; bgpcap
// cannot tell iBGP from eBGP without both OPENs, so it names the stricter action).

import { u32 } from '../../wire/reader.js';
import { type AttributeSpec, WELL_KNOWN, attrLengthError } from './types.js';

export const LOCAL_PREF: AttributeSpec = {
  code: 5,
  name: 'LOCAL_PREF',
  flags: WELL_KNOWN,
  onError: 'treat-as-withdraw',
  rule: 'RFC 7606 §7.5',
  decode(ctx, b, start, end) {
    if (end - start !== 4) throw attrLengthError('LOCAL_PREF', end - start, '4', start);
    ctx.msg.local_pref = u32(b, start);
  },
};
