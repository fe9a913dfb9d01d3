// IPV6_ADDRESS_SPECIFIC_EXTENDED_COMMUNITY (type code 25), RFC 5701 §2: optional transitive, a list of
// 20-octet communities
//
//   | Type (1) | Sub-Type (1) | Global Administrator: IPv6 address (16) | Local Administrator (2) |
//
// Type 0x00 is transitive, 0x40 non-transitive. Shown like the IPv4 forms of EXTENDED_COMMUNITIES with the
// address in RFC 5952 text: "rt:2001:db8::1:100" (the last colon-separated number is the local
// administrator). Sub-types without a name here, and the non-transitive type, are written
// `ext:0xTTSS:<36 hex digits>` so nothing is lost.
//
// RFC 7606 §7.15: a length that is not a non-zero multiple of 20 → treat-as-withdraw; an unknown type or
// sub-type is never an error.

import { ipv6Text } from '../../wire/ip.js';
import { hex, u16 } from '../../wire/reader.js';
import { type AttributeSpec, OPTIONAL_TRANSITIVE, attrLengthError } from './types.js';

/** IANA "Transitive IPv6-Address-Specific Extended Community Sub-Types" bgpcap names. */
const SUBTYPES: Record<number, string> = {
  0x02: 'rt', // RFC 5701 §3 route target
  0x03: 'soo', // RFC 5701 §3 route origin
  0x0b: 'vrf-import', // RFC 6515 §4 (VRF Route Import for IPv6 MVPN)
};

/** The text form of the IPv6 address specific extended community at [p, p + 20). */
export function ipv6ExtCommunityText(b: Uint8Array, p: number): string {
  const name = b[p] === 0x00 ? SUBTYPES[b[p + 1]!] : undefined;
  if (name !== undefined) return `${name}:${ipv6Text(b, p + 2)}:${u16(b, p + 18)}`;
  return `ext:0x${hex(b, p, p + 2)}:${hex(b, p + 2, p + 20)}`;
}

export const IPV6_EXT_COMMUNITIES: AttributeSpec = {
  code: 25,
  name: 'IPV6_ADDRESS_SPECIFIC_EXTENDED_COMMUNITY',
  flags: OPTIONAL_TRANSITIVE,
  onError: 'treat-as-withdraw',
  rule: 'RFC 7606 §7.15',
  decode(ctx, b, start, end) {
    const len = end - start;
    if (len === 0 || len % 20 !== 0) throw attrLengthError('IPV6_ADDRESS_SPECIFIC_EXTENDED_COMMUNITY', len, 'a non-zero multiple of 20', start);
    const out: string[] = [];
    for (let p = start; p < end; p += 20) out.push(ipv6ExtCommunityText(b, p));
    ctx.msg.ipv6_ext_communities = out;
  },
};
