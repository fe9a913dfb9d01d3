// BGPsec_PATH (type code 33), RFC 8205 §3: optional non-transitive; replaces AS_PATH in UPDATEs between
// BGPsec speakers. Kept as hex in `bgpsec_path` (not verified, not decoded): the Secure_Path and the
// Signature_Blocks are only meaningful to a validator holding the router keys.
//
//   Secure_Path: Length (2) | segments of pCount (1) Flags (1) AS (4)
//   Signature_Block(s): Length (2) | Algorithm Suite (1) | segments of SKI (20) Length (2) Signature
//
// RFC 8205 §5.2: a BGPsec_PATH whose Secure_Path length does not fit the attribute is malformed and the
// UPDATE is treat-as-withdraw; only that framing is checked here.

import { DecodeError } from '../../wire/errors.js';
import { hex, u16 } from '../../wire/reader.js';
import { type AttributeSpec, OPTIONAL_NON_TRANSITIVE } from './types.js';

export const BGPSEC_PATH: AttributeSpec = {
  code: 33,
  name: 'BGPSEC_PATH',
  flags: OPTIONAL_NON_TRANSITIVE,
  onError: 'treat-as-withdraw',
  rule: 'RFC 8205 §5.2',
  decode(ctx, b, start, end) {
    if (end - start < 2) throw new DecodeError('attribute_length', `BGPSEC_PATH: length ${end - start} < 2`, start);
    const spLen = u16(b, start);
    if (spLen < 8 || (spLen - 2) % 6 !== 0 || start + spLen > end) {
      throw new DecodeError('bgpsec_secure_path', `BGPSEC_PATH: Secure_Path length ${spLen} is not 2 + 6n (n ≥ 1) within the ${end - start} byte attribute`, start);
    }
    ctx.msg.bgpsec_path = hex(b, start, end);
  },
};
