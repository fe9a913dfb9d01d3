// MP_UNREACH_NLRI (type code 15), RFC 4760 §4:
//
//   +---------------------------------------------------------+
//   | Address Family Identifier (2 octets)                    |
//   | Subsequent Address Family Identifier (1 octet)          |
//   | Withdrawn Routes (variable)                             |
//   +---------------------------------------------------------+
//
// An MP_UNREACH_NLRI with no withdrawn routes, alone in an UPDATE, is that family's End-of-RIB marker
// (RFC 4724 §2; detected in update.ts), whatever the family. A family bgpcap does not decode is listed with
// its whole withdrawn-routes field as one entry in hex, and the attribute kept raw as well.
// RFC 7606 §7.11: malformed → session reset (or "AFI/SAFI disable").

import type { Withdrawal } from '../model.js';
import { DecodeError } from '../../wire/errors.js';
import { hex, u16 } from '../../wire/reader.js';
import { mpFamily } from '../families.js';
import { decodeRaw } from '../nlri/raw-families.js';
import { type AttributeSpec, OPTIONAL_NON_TRANSITIVE } from './types.js';
import { add } from '../lists.js';
import { WIRE_MP_UNREACH } from '../nlri.js';

export const MP_UNREACH_NLRI: AttributeSpec = {
  code: 15,
  name: 'MP_UNREACH_NLRI',
  flags: OPTIONAL_NON_TRANSITIVE,
  onError: 'session-reset',
  rule: 'RFC 7606 §7.11',
  decode(ctx, b, start, end, flags) {
    if (end - start < 3) throw new DecodeError('attribute_length', `MP_UNREACH_NLRI: length ${end - start} < 3`, start);
    const afi = u16(b, start);
    const safi = b[start + 2]!;
    const w: Withdrawal = { afi, safi, prefixes: [], path_ids: null };
    const fam = mpFamily(afi, safi);
    if (fam === undefined) {
      decodeRaw(b, start + 3, end, w);
      ctx.msg.withdrawals = add(ctx.msg.withdrawals, w);
      if (end - start > 3) ctx.msg.other_attributes = add(ctx.msg.other_attributes, { code: 15, flags, hex: hex(b, start, end) });
      return;
    }
    const addPath = ctx.addPathFor(fam, b, start + 3, end);
    if (addPath) w.path_ids = [];
    // Plain prefixes may stay bytes for the writers (update.ts PART_DEFER_PREFIXES).
    if (ctx.deferNlri(fam, b, start + 3, end, addPath, false)) w.prefixes = WIRE_MP_UNREACH;
    else fam.nlri(b, start + 3, end, addPath, w);
    ctx.msg.withdrawals = add(ctx.msg.withdrawals, w);
  },
};
