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
// formats depend on the family (families.ts). A family bgpcap does not decode is still listed in
// `announcements`: its next hop read when it has a usual length (nlri/next-hop.ts nextHopAny), its whole
// NLRI field as one entry in hex; and the attribute is kept raw in `other_attributes` as well.
// RFC 7606 §7.11: a malformed MP_REACH_NLRI → session reset (or "AFI/SAFI disable"); the attribute is then
// kept raw (update.ts) and no announcement is listed for it.

import type { Announcement } from '../model.js';
import { DecodeError } from '../../wire/errors.js';
import { hex, u16 } from '../../wire/reader.js';
import { mpFamily } from '../families.js';
import { nextHopAny } from '../nlri/next-hop.js';
import { decodeRaw } from '../nlri/raw-families.js';
import { type AttributeSpec, OPTIONAL_NON_TRANSITIVE } from './types.js';
import { add } from '../lists.js';
import { WIRE_MP_REACH } from '../nlri.js';

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
      try {
        nextHopAny(b, nhStart, nhEnd, ann);
      } catch {
        // a next hop of an unusual length: the raw attribute below keeps it
      }
      decodeRaw(b, nlriStart, end, ann);
      ctx.msg.announcements = add(ctx.msg.announcements, ann);
      ctx.msg.other_attributes = add(ctx.msg.other_attributes, { code: 14, flags, hex: hex(b, start, end) });
      return;
    }
    fam.nextHop(b, nhStart, nhEnd, ann);
    const addPath = ctx.addPathFor(fam, b, nlriStart, end);
    if (addPath) ann.path_ids = [];
    // Plain prefixes may stay bytes for the writers (update.ts PART_DEFER_PREFIXES).
    if (ctx.deferNlri(fam, b, nlriStart, end, addPath, true)) ann.prefixes = WIRE_MP_REACH;
    else fam.nlri(b, nlriStart, end, addPath, ann);
    ctx.msg.announcements = add(ctx.msg.announcements, ann);
  },
};
