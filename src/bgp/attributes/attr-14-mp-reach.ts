// MP_REACH_NLRI (type code 14), RFC 4760 §3:
//
//   +---------------------------------------------------------+
//   | Address Family Identifier (2 octets)                    |
//   | Subsequent Address Family Identifier (1 octet)          |
//   | Length of Next Hop Network Address (1 octet)            |
//   | Network Address of Next Hop (variable)                  |
//   | Reserved (1 octet)                                      |
//   | Network Layer Reachability Information (variable)       |
//   +---------------------------------------------------------+
//
// The reserved octet was the SNPA count in RFC 2858; RFC 4760 says to ignore it. The next hop and NLRI
// formats depend on the family (families.ts). A family bgpcap does not decode yet is still listed in
// `announcements` (afi/safi, no prefixes) and the attribute is kept raw in `other_attributes`.
// RFC 7606 §7.11: a malformed MP_REACH_NLRI → session reset (or "AFI/SAFI disable").

import type { Announcement } from '../model.js';
import { DecodeError } from '../../wire/errors.js';
import { hex, u16 } from '../../wire/reader.js';
import { mpFamily } from '../families.js';
import { type AttributeSpec, OPTIONAL_NON_TRANSITIVE } from './types.js';

export const MP_REACH_NLRI: AttributeSpec = {
  code: 14,
  name: 'MP_REACH_NLRI',
  flags: OPTIONAL_NON_TRANSITIVE,
  onError: 'session-reset',
  rule: 'RFC 7606 §7.11',
  decode(ctx, b, start, end, flags) {
    if (end - start < 5) throw new DecodeError('attribute_length', `MP_REACH_NLRI: length ${end - start} < 5`, start);
    const afi = u16(b, start);
    const safi = b[start + 2]!;
    const nhStart = start + 4;
    const nhEnd = nhStart + b[start + 3]!;
    if (nhEnd + 1 > end) {
      throw new DecodeError('next_hop_length', `MP_REACH_NLRI: next hop length ${nhEnd - nhStart} runs past the attribute`, start + 3);
    }
    const nlriStart = nhEnd + 1;
    const ann: Announcement = { afi, safi, next_hop: null, next_hop_ll: null, prefixes: [], path_ids: null };
    const fam = mpFamily(afi, safi);
    if (fam === undefined) {
      ctx.msg.announcements.push(ann);
      ctx.msg.other_attributes.push({ code: 14, flags, hex: hex(b, start, end) });
      return;
    }
    fam.nextHop(b, nhStart, nhEnd, ann);
    const addPath = ctx.addPathFor(fam, b, nlriStart, end);
    if (addPath) ann.path_ids = [];
    fam.nlri(b, nlriStart, end, addPath, ann.prefixes, ann.path_ids);
    ctx.msg.announcements.push(ann);
  },
};
