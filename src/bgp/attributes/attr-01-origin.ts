// ORIGIN (type code 1), RFC 4271 §4.3 / §5.1.1: one octet, 0 IGP, 1 EGP, 2 INCOMPLETE.
// RFC 7606 §7.1: a length other than 1 or an undefined value → treat-as-withdraw.

import { type AttributeSpec, WELL_KNOWN, attrLengthError } from './types.js';

export const ORIGIN_NAMES = ['IGP', 'EGP', 'INCOMPLETE'];

export const ORIGIN: AttributeSpec = {
  code: 1,
  name: 'ORIGIN',
  flags: WELL_KNOWN,
  onError: 'treat-as-withdraw',
  rule: 'RFC 7606 §7.1',
  decode(ctx, b, start, end) {
    if (end - start !== 1) throw attrLengthError('ORIGIN', end - start, '1', start);
    const v = b[start]!;
    const name = ORIGIN_NAMES[v];
    if (name !== undefined) {
      ctx.msg.origin = name;
    } else {
      ctx.msg.origin = `ORIGIN_${v}`;
      ctx.attrWarn('origin_value', `ORIGIN: undefined value ${v} (RFC 7606 §7.1: treat-as-withdraw)`, start, 'treat-as-withdraw');
    }
  },
};
