// OPEN message body (RFC 4271 §4.2), with the RFC 9072 extended optional parameters length.
//
//    0                   1                   2                   3
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |    Version    |     My Autonomous System      |   Hold Time   :
//   :               |                BGP Identifier                 :
//   :               | Opt Parm Len  |  Optional Parameters (var)    |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// Optional parameter: Type (1), Length (1), Value. RFC 9072 §2: when Opt Parm Len is 255 and the first
// parameter type octet is 255 (a reserved type, "Non-Ext OP Type"), the real length follows in 2 octets and
// every parameter's length field is 2 octets as well. Capabilities inside keep their 1-octet length (RFC
// 5492 is unchanged). Which encoding was used is reported in `extended_opt_params`.

import type { Capability, OpenMessage } from './model.js';
import { decodeCapability, CAP_FOUR_OCTET_AS } from './capabilities.js';
import { BoundedReader } from '../wire/reader.js';
import { DecodeError } from '../wire/errors.js';
import { ipv4Text } from '../wire/ip.js';

/** RFC 5492 §4: optional parameter type 2 carries capabilities. */
const PARAM_CAPABILITIES = 2;

/**
 * Decode the OPEN at [0, end) of `b` (header included; the body starts at 19). Throws DecodeError when a
 * length field points past its enclosing structure; bytes left over after the declared optional parameters
 * are reported through `trailing` (the OPEN itself is still returned).
 */
export function decodeOpen(b: Uint8Array, end: number): { open: OpenMessage; trailing: DecodeError | null } {
  const r = new BoundedReader(b, 19, end);
  const version = r.u8('OPEN version');
  const myAs = r.u16('OPEN My Autonomous System');
  const holdTime = r.u16('OPEN Hold Time');
  const bgpId = ipv4Text(b, r.skip(4, 'OPEN BGP Identifier'));
  let optLen = r.u8('OPEN Optional Parameters Length');
  let extended = false;
  if (optLen === 255 && r.remaining >= 1 && b[r.pos] === 255) {
    r.pos++;
    optLen = r.u16('OPEN Extended Optional Parameters Length (RFC 9072)');
    extended = true;
  }
  const params = r.sub(optLen, 'OPEN optional parameters');

  const capabilities: Capability[] = [];
  const otherParams: { type: number; hex: string }[] = [];
  while (!params.atEnd()) {
    const type = params.u8('optional parameter type');
    const len = extended ? params.u16('optional parameter length') : params.u8('optional parameter length');
    const v = params.sub(len, `optional parameter ${type}`);
    if (type === PARAM_CAPABILITIES) {
      while (!v.atEnd()) {
        const code = v.u8('capability code');
        const clen = v.u8('capability length');
        const start = v.skip(clen, `capability ${code} value`);
        capabilities.push(decodeCapability(code, b, start, start + clen));
      }
    } else {
      otherParams.push({ type, hex: v.restHex() });
    }
  }

  // RFC 6793 §3: a speaker with a 4-octet AS puts it in the capability (My AS then carries AS_TRANS).
  let asn = myAs;
  for (const c of capabilities) {
    if (c.code === CAP_FOUR_OCTET_AS && c.value !== null) asn = (c.value as { asn: number }).asn;
  }

  const trailing = r.atEnd()
    ? null
    : new DecodeError('open_trailing_bytes', `OPEN has ${r.remaining} byte(s) after its optional parameters`, r.pos);
  return {
    open: {
      kind: 'open',
      version,
      my_as: myAs,
      asn,
      hold_time: holdTime,
      bgp_id: bgpId,
      capabilities,
      other_params: otherParams,
      extended_opt_params: extended,
    },
    trailing,
  };
}
