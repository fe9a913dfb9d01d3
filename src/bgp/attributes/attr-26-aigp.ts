// AIGP (Accumulated IGP Metric, type code 26), RFC 7311 §3: optional non-transitive, a list of TLVs
//
//   | Type (1) | Length (2, the whole TLV including these 3 octets) | Value (Length - 3) |
//
// Type 1 is the AIGP TLV: Length 11, the metric as an unsigned 64-bit integer, shown as a JSON number (a
// decimal string above 2^53 - 1, where numbers stop being exact). Other TLV types are skipped and only the
// first AIGP TLV counts; an attribute without one is kept raw in `other_attributes` (nothing to show).
//
// RFC 7311 §3.1: a malformed AIGP attribute (TLVs that do not tile the attribute, an AIGP TLV whose length is
// not 11, or a first AIGP TLV holding 0xffffffffffffffff) is handled as an unrecognized non-transitive
// attribute: attribute discard.

import { DecodeError } from '../../wire/errors.js';
import { hex, u16, u32 } from '../../wire/reader.js';
import { type AttributeSpec, OPTIONAL_NON_TRANSITIVE } from './types.js';
import { add } from '../lists.js';

const TWO32 = 4294967296;

export const AIGP: AttributeSpec = {
  code: 26,
  name: 'AIGP',
  flags: OPTIONAL_NON_TRANSITIVE,
  onError: 'attribute-discard',
  rule: 'RFC 7311 §3.1',
  decode(ctx, b, start, end, flags) {
    let value: number | string | null = null;
    let p = start;
    while (p < end) {
      if (p + 3 > end) throw new DecodeError('aigp_tlv', `AIGP: ${end - p} byte(s) left, too few for a TLV header`, p);
      const type = b[p]!;
      const len = u16(b, p + 1);
      if (len < 3 || p + len > end) throw new DecodeError('aigp_tlv', `AIGP: TLV type ${type} length ${len} does not fit the ${end - p} byte(s) left`, p);
      if (type === 1 && value === null) {
        if (len !== 11) throw new DecodeError('aigp_tlv', `AIGP: AIGP TLV length ${len}, expected 11`, p);
        const hi = u32(b, p + 3);
        const lo = u32(b, p + 7);
        if (hi === 0xffffffff && lo === 0xffffffff) throw new DecodeError('aigp_value', 'AIGP: metric 0xffffffffffffffff', p + 3);
        value = hi < 0x200000 ? hi * TWO32 + lo : ((BigInt(hi) << 32n) | BigInt(lo)).toString();
      }
      p += len;
    }
    if (value === null) ctx.msg.other_attributes = add(ctx.msg.other_attributes, { code: 26, flags, hex: hex(b, start, end) });
    else ctx.msg.aigp = value;
  },
};
