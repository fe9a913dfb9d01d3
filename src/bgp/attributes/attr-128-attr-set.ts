// ATTR_SET (type code 128), RFC 6368 §5: optional transitive; a provider carries its customer's iBGP path
// attributes through its own network (BGP as PE-CE protocol).
//
//   +------------------------------+
//   |  Origin AS (4 octets)        |
//   +------------------------------+
//   |  Path Attributes (variable)  |   encoded like an UPDATE's (RFC 4271 §4.3)
//   +------------------------------+
//
// The nested attributes go through the same decoders (dispatch.ts) into an UPDATE-shaped object, so an
// ATTR_SET shows the customer's AS_PATH, LOCAL_PREF, communities, ORIGINATOR_ID, ... exactly as the UPDATE
// fields do; its problems are warnings of the enclosing UPDATE. Nesting is bounded by MAX_ATTR_SET_DEPTH.
//
// RFC 6368 §5: AS_PATH and AGGREGATOR inside are encoded with 4-octet AS numbers whatever the session
// negotiated. Some implementations use the session's width instead (tcpdump's bgp_vpn_attrset.pcap carries a
// 2-octet inner AS_PATH): when the inner AS_PATH only reads as 2-octet ASNs, bgpcap reads it so and warns.
//
// Malformed (RFC 6368 §5): shorter than 4 octets, nested attributes that run past it, an MP_REACH_NLRI or
// MP_UNREACH_NLRI inside, or a malformed nested attribute. RFC 7606 §7.16: treat-as-withdraw.

import type { AttrSet, UpdateMessage } from '../model.js';
import { DecodeError } from '../../wire/errors.js';
import { hex, u16, u32 } from '../../wire/reader.js';
import { FIT_NO, asPathFit, flattenAsPath } from './attr-02-17-as-path.js';
import { DISPATCH, applyAttribute } from './dispatch.js';
import { type AttributeSpec, FLAG_EXTENDED_LENGTH, OPTIONAL_TRANSITIVE, attrLengthError } from './types.js';
import { NONE, add } from '../lists.js';

/** ATTR_SETs nested deeper than this (an ATTR_SET inside an ATTR_SET ...) are kept raw with a warning. Default 4. */
export const MAX_ATTR_SET_DEPTH = 4;

const ATTR_AS_PATH = 2;
const ATTR_AGGREGATOR = 7;
const ATTR_MP_REACH_NLRI = 14;
const ATTR_MP_UNREACH_NLRI = 15;
const ATTR_AS4_PATH = 17;
const ATTR_AS4_AGGREGATOR = 18;

/** An UPDATE-shaped object with nothing in it: what every UPDATE decode (and each nested ATTR_SET) fills in. */
export function emptyAttributes(): UpdateMessage {
  return {
    kind: 'update',
    withdrawals: NONE,
    announcements: NONE,
    as_path: null,
    as_path_segments: null,
    origin: null,
    next_hop: null,
    med: null,
    local_pref: null,
    atomic_aggregate: false,
    aggregator_asn: null,
    aggregator_ip: null,
    communities: null,
    large_communities: null,
    originator_id: null,
    cluster_list: null,
    ext_communities: null,
    ipv6_ext_communities: null,
    pmsi_tunnel: null,
    aigp: null,
    otc: null,
    prefix_sid: null,
    attr_set: null,
    bgpsec_path: null,
    attr_codes: NONE,
    other_attributes: NONE,
    end_of_rib: null,
    warnings: NONE,
  };
}

export const ATTR_SET: AttributeSpec = {
  code: 128,
  name: 'ATTR_SET',
  flags: OPTIONAL_TRANSITIVE,
  onError: 'treat-as-withdraw',
  rule: 'RFC 7606 §7.16',
  decode(ctx, b, start, end) {
    if (end - start < 4) throw attrLengthError('ATTR_SET', end - start, 'at least 4', start);
    if (ctx.attrSetDepth >= MAX_ATTR_SET_DEPTH) {
      throw new DecodeError('attr_set_depth', `ATTR_SET nested more than ${MAX_ATTR_SET_DEPTH} deep, not decoded`, start);
    }
    // Frame the nested attributes first, so that a malformed ATTR_SET changes nothing (AttributeSpec contract).
    let pathStart = -1;
    let pathEnd = -1;
    let aggLen = -1;
    for (let q = start + 4; q < end; ) {
      const hdrLen = b[q]! & FLAG_EXTENDED_LENGTH ? 4 : 3;
      if (q + hdrLen > end) throw new DecodeError('attribute_header', `ATTR_SET: ${end - q} byte(s) left, a nested attribute header needs ${hdrLen}`, q);
      const code = b[q + 1]!;
      const len = hdrLen === 4 ? u16(b, q + 2) : b[q + 2]!;
      if (q + hdrLen + len > end) throw new DecodeError('attribute_length', `ATTR_SET: nested attribute ${code} length ${len} runs past the ATTR_SET`, q);
      if (code === ATTR_MP_REACH_NLRI || code === ATTR_MP_UNREACH_NLRI) {
        throw new DecodeError('attr_set_mp', `ATTR_SET carries ${code === ATTR_MP_REACH_NLRI ? 'MP_REACH_NLRI' : 'MP_UNREACH_NLRI'}`, q);
      }
      if (code === ATTR_AS_PATH && pathStart < 0) {
        pathStart = q + hdrLen;
        pathEnd = q + hdrLen + len;
      } else if (code === ATTR_AGGREGATOR && aggLen < 0) aggLen = len;
      q += hdrLen + len;
    }

    const outer = ctx.msg;
    const setCode = ctx.attrCode;
    const setStart = ctx.attrStart;
    const setEnd = ctx.attrEnd;
    const saved = {
      asnSize: ctx.asnSize,
      asPath: ctx.asPath,
      as4Path: ctx.as4Path,
      as4AggregatorAsn: ctx.as4AggregatorAsn,
      as4AggregatorIp: ctx.as4AggregatorIp,
    };
    let size: 2 | 4 = 4;
    if (pathEnd > pathStart ? asPathFit(b, pathStart, pathEnd, 4) === FIT_NO && asPathFit(b, pathStart, pathEnd, 2) !== FIT_NO : aggLen === 6) {
      size = 2;
      ctx.attrWarn(
        'attr_set_as2',
        'ATTR_SET: AS_PATH/AGGREGATOR inside use 2-octet AS numbers, read as such (RFC 6368 §5 requires 4: a conforming router finds them malformed; RFC 7606 §7.16: treat-as-withdraw)',
        pathStart >= 0 ? pathStart : start,
        'treat-as-withdraw',
      );
    }

    const inner = emptyAttributes();
    ctx.msg = inner;
    ctx.asnSize = size;
    ctx.asPath = null;
    ctx.as4Path = null;
    ctx.as4AggregatorAsn = -1;
    ctx.as4AggregatorIp = null;
    ctx.attrSetDepth++;
    const seen = new Uint8Array(256);
    try {
      for (let q = start + 4; q < end; ) {
        const flags = b[q]!;
        const hdrLen = flags & FLAG_EXTENDED_LENGTH ? 4 : 3;
        const code = b[q + 1]!;
        const vStart = q + hdrLen;
        const vEnd = vStart + (hdrLen === 4 ? u16(b, q + 2) : b[q + 2]!);
        inner.attr_codes = add(inner.attr_codes, code);
        if (seen[code] === 1) {
          ctx.setAttr(code, q, vEnd);
          ctx.attrWarn('attribute_duplicate', `${DISPATCH[code]?.name ?? `ATTR_${code}`} appears more than once inside ATTR_SET (RFC 7606 §3(g): all but the first discarded); kept raw`, q, 'attribute-discard');
          inner.other_attributes = add(inner.other_attributes, { code, flags, hex: hex(b, vStart, vEnd) });
        } else {
          seen[code] = 1;
          if (applyAttribute(ctx, b, flags, code, q, vStart, vEnd) && (code === ATTR_AS4_PATH || code === ATTR_AS4_AGGREGATOR)) {
            // RFC 6368 §5: everything inside is 4-octet already, so AS4_PATH / AS4_AGGREGATOR have no use here.
            ctx.setAttr(code, q, vEnd);
            ctx.attrWarn('as4_ignored', `${code === ATTR_AS4_PATH ? 'AS4_PATH' : 'AS4_AGGREGATOR'} inside ATTR_SET is ignored (RFC 6368 §5: 4-octet AS numbers already); kept raw`, q, null);
            inner.other_attributes = add(inner.other_attributes, { code, flags, hex: hex(b, vStart, vEnd) });
          }
        }
        q = vEnd;
      }
      if (ctx.asPath !== null) {
        inner.as_path_segments = ctx.asPath;
        inner.as_path = flattenAsPath(ctx.asPath);
      }
    } finally {
      ctx.attrSetDepth--;
      ctx.msg = outer;
      ctx.asnSize = saved.asnSize;
      ctx.asPath = saved.asPath;
      ctx.as4Path = saved.as4Path;
      ctx.as4AggregatorAsn = saved.as4AggregatorAsn;
      ctx.as4AggregatorIp = saved.as4AggregatorIp;
      ctx.setAttr(setCode, setStart, setEnd);
    }
    const set: AttrSet = { origin_as: u32(b, start), attributes: inner };
    outer.attr_set = set;
  },
};
