// ROUTE-REFRESH message body (RFC 2918 §3, subtype from RFC 7313 §3.2, ORF entries RFC 5291 §4):
//
//    0       7      15      23      31
//   +-------+-------+-------+-------+
//   |      AFI      |Subtype| SAFI  |
//   +-------+-------+-------+-------+
//   | ORF entries / other data ...  |
//
// The subtype byte was "Reserved" in RFC 2918; RFC 7313 made it 0 = normal request, 1 = BoRR, 2 = EoRR.

import type { RouteRefreshMessage } from './model.js';
import { DecodeError } from '../wire/errors.js';
import { hex, u16 } from '../wire/reader.js';

export const RR_SUBTYPE_BORR = 1;
export const RR_SUBTYPE_EORR = 2;

/**
 * Decode the ROUTE-REFRESH at [0, end) of `b`; the caller has checked end >= 23. `lengthError` is set when a
 * BoRR/EoRR carries data, which RFC 7313 §5 calls an invalid message length (the message is still returned).
 */
export function decodeRouteRefresh(b: Uint8Array, end: number): { msg: RouteRefreshMessage; lengthError: DecodeError | null } {
  const subtype = b[21]!;
  const msg: RouteRefreshMessage = {
    kind: 'route_refresh',
    afi: u16(b, 19),
    safi: b[22]!,
    subtype,
    data_hex: hex(b, 23, end),
  };
  const lengthError =
    (subtype === RR_SUBTYPE_BORR || subtype === RR_SUBTYPE_EORR) && end !== 23
      ? new DecodeError(
          'route_refresh_length',
          `ROUTE-REFRESH subtype ${subtype} must have a 4-byte body, has ${end - 19} (RFC 7313 §5)`,
          23,
        )
      : null;
  return { msg, lengthError };
}
