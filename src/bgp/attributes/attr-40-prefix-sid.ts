// BGP Prefix-SID (type code 40), RFC 8669 §3: optional transitive, a list of TLVs
//
//   | Type (1) | Length (2, the value only) | Value |
//
//   1 Label-Index (RFC 8669 §3.1), length 7:   Reserved (1) | Flags (2) | Label Index (4)
//   3 Originator SRGB (RFC 8669 §3.2):          Flags (2) | n × ( SRGB base (3) | range (3) ), n ≥ 1
//   5 SRv6 L3 Service, 6 SRv6 L2 Service (RFC 9252 §2):
//        Reserved (1) | Sub-TLVs: Type (1) | Length (2) | Value
//          Sub-TLV 1 SRv6 SID Information (§3.1): Reserved (1) | SID (16) | Flags (1) |
//                                                  Endpoint Behavior (2) | Reserved (1) | Sub-Sub-TLVs
//            Sub-Sub-TLV 1 SRv6 SID Structure (§3.2.1), length 6: Locator Block, Locator Node, Function,
//                                                  Argument, Transposition Length, Transposition Offset
//
// Other TLV types (and repeats of a decoded one) are kept as {type, hex}; unknown Sub-TLVs and Sub-Sub-TLVs
// are skipped (RFC 9252 §3: ignored by receivers).
//
// RFC 8669 §6 / RFC 9252 §6: a malformed Prefix-SID attribute (TLVs that do not tile it, a Label-Index TLV
// whose length is not 7, an SRGB TLV that is not 2 + 6n octets, Sub-TLVs that do not tile their TLV) →
// attribute discard.

import type { PrefixSid, Srv6Sid } from '../model.js';
import { DecodeError } from '../../wire/errors.js';
import { ipv6Text } from '../../wire/ip.js';
import { hex, u16, u24, u32 } from '../../wire/reader.js';
import { type AttributeSpec, OPTIONAL_TRANSITIVE } from './types.js';

function tlvError(what: string, offset: number): DecodeError {
  return new DecodeError('prefix_sid_tlv', `PREFIX_SID: ${what}`, offset);
}

/** The SRv6 Service Sub-TLVs of [start, end) (after the TLV's reserved octet). */
function srv6Service(b: Uint8Array, start: number, end: number): Srv6Sid[] {
  const out: Srv6Sid[] = [];
  let p = start;
  while (p < end) {
    if (p + 3 > end) throw tlvError(`${end - p} byte(s) left in an SRv6 Service TLV, too few for a Sub-TLV header`, p);
    const type = b[p]!;
    const len = u16(b, p + 1);
    const vs = p + 3;
    const ve = vs + len;
    if (ve > end) throw tlvError(`SRv6 Service Sub-TLV ${type} length ${len} runs past its TLV`, p);
    if (type === 1) {
      if (len < 21) throw tlvError(`SRv6 SID Information Sub-TLV length ${len} < 21`, p);
      const sid: Srv6Sid = { sid: ipv6Text(b, vs + 1), flags: b[vs + 17]!, behavior: u16(b, vs + 18), structure: null };
      let q = vs + 21;
      while (q < ve) {
        if (q + 3 > ve) throw tlvError(`${ve - q} byte(s) left in an SRv6 SID Information Sub-TLV, too few for a Sub-Sub-TLV header`, q);
        const st = b[q]!;
        const sl = u16(b, q + 1);
        if (q + 3 + sl > ve) throw tlvError(`SRv6 Service Data Sub-Sub-TLV ${st} length ${sl} runs past its Sub-TLV`, q);
        if (st === 1 && sid.structure === null) {
          if (sl !== 6) throw tlvError(`SRv6 SID Structure Sub-Sub-TLV length ${sl}, expected 6`, q);
          const o = q + 3;
          sid.structure = { lb: b[o]!, ln: b[o + 1]!, fun: b[o + 2]!, arg: b[o + 3]!, tpos_len: b[o + 4]!, tpos_offset: b[o + 5]! };
        }
        q += 3 + sl;
      }
      out.push(sid);
    }
    p = ve;
  }
  return out;
}

export const PREFIX_SID: AttributeSpec = {
  code: 40,
  name: 'PREFIX_SID',
  flags: OPTIONAL_TRANSITIVE,
  onError: 'attribute-discard',
  rule: 'RFC 8669 §6',
  decode(ctx, b, start, end) {
    const r: PrefixSid = { label_index: null, srgb: null, srv6_l3_service: null, srv6_l2_service: null, other_tlvs: [] };
    let p = start;
    while (p < end) {
      if (p + 3 > end) throw tlvError(`${end - p} byte(s) left, too few for a TLV header`, p);
      const type = b[p]!;
      const len = u16(b, p + 1);
      const vs = p + 3;
      const ve = vs + len;
      if (ve > end) throw tlvError(`TLV ${type} length ${len} runs past the attribute (${end - vs} byte(s) left)`, p);
      if (type === 1 && r.label_index === null) {
        if (len !== 7) throw tlvError(`Label-Index TLV length ${len}, expected 7`, p);
        r.label_index = u32(b, vs + 3);
      } else if (type === 3 && r.srgb === null) {
        if (len < 8 || (len - 2) % 6 !== 0) throw tlvError(`Originator SRGB TLV length ${len} is not 2 + 6n (n ≥ 1)`, p);
        const srgb: [number, number][] = [];
        for (let q = vs + 2; q < ve; q += 6) srgb.push([u24(b, q), u24(b, q + 3)]);
        r.srgb = srgb;
      } else if (type === 5 && r.srv6_l3_service === null) {
        if (len < 1) throw tlvError('SRv6 L3 Service TLV without its reserved octet', p);
        r.srv6_l3_service = srv6Service(b, vs + 1, ve);
      } else if (type === 6 && r.srv6_l2_service === null) {
        if (len < 1) throw tlvError('SRv6 L2 Service TLV without its reserved octet', p);
        r.srv6_l2_service = srv6Service(b, vs + 1, ve);
      } else {
        r.other_tlvs.push({ type, hex: hex(b, vs, ve) });
      }
      p = ve;
    }
    ctx.msg.prefix_sid = r;
  },
};
