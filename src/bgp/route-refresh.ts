// ROUTE-REFRESH message body (RFC 2918 §3, subtype from RFC 7313 §3.2, ORF entries RFC 5291 §4):
//
//    0       7      15      23      31
//   +-------+-------+-------+-------+
//   |      AFI      |Subtype| SAFI  |
//   +-------+-------+-------+-------+
//   | ORF entries / other data ...  |
//
// The subtype byte was "Reserved" in RFC 2918; RFC 7313 made it 0 = normal request, 1 = BoRR (beginning of
// route refresh), 2 = EoRR (end of route refresh).
//
// A normal request longer than 4 bytes carries Outbound Route Filters (RFC 5291 §4):
//
//   When-to-refresh (1: 1 IMMEDIATE, 2 DEFER)
//   then one or more groups:  ORF Type (1) | Length of ORFs (2) | ORF entries (Length octets)
//
// Every entry starts with the common part (RFC 5291 §4): Action (2 bits: 0 ADD, 1 REMOVE, 2 REMOVE-ALL),
// Match (1 bit: 0 PERMIT, 1 DENY), Reserved (5 bits); a REMOVE-ALL entry is that octet alone. For the
// address prefix ORF (type 64, RFC 5292 §3; Cisco's prestandard type 128 uses the same layout) the
// type-specific part follows:
//
//   Sequence (4) | Minlen (1) | Maxlen (1) | Length (1, bits) | Prefix (ceil(Length/8) octets)
//
// FRR (and Quagga) encode REMOVE as 0x80 and REMOVE-ALL as 0xC0 (bgp_packet.h ORF_COMMON_PART_*), i.e.
// actions 2 and 3 in RFC terms. bgpcap shows the RFC reading (2 = remove-all, 3 = action_3) and treats the
// undefined action 3 like REMOVE-ALL, as the common part alone, because that is what FRR sends it for.

import type { OrfEntry, OrfGroup, RouteRefreshMessage, RouteRefreshOrf } from './model.js';
import { DecodeError } from '../wire/errors.js';
import { hex, u16, u32 } from '../wire/reader.js';
import { ipv4PrefixText, ipv6PrefixText } from './nlri.js';
import { orfTypeName } from './capabilities.js';

export const RR_SUBTYPE_NORMAL = 0;
export const RR_SUBTYPE_BORR = 1;
export const RR_SUBTYPE_EORR = 2;

const SUBTYPE_NAMES: Record<number, string> = { 0: 'normal', 1: 'BoRR', 2: 'EoRR' };

export function routeRefreshSubtypeName(subtype: number): string {
  return SUBTYPE_NAMES[subtype] ?? `SUBTYPE_${subtype}`;
}

const WHEN_NAMES: Record<number, string> = { 1: 'immediate', 2: 'defer' };
const ACTIONS = ['add', 'remove', 'remove-all', 'action_3'] as const;
/** ORF types whose entries are address prefixes (RFC 5292 §3 layout). */
const ORF_ADDRESS_PREFIX = 64;
const ORF_ADDRESS_PREFIX_CISCO = 128;

/**
 * Decode the ROUTE-REFRESH at [0, end) of `b`; the caller has checked end >= 23. The message is always
 * returned; `lengthError` (the name predates ORF decoding) is set when a BoRR/EoRR carries data (RFC 7313 §5
 * Invalid Message Length) or the ORF part of a normal request is malformed (the groups before the problem are
 * kept, data_hex has every byte).
 */
export function decodeRouteRefresh(b: Uint8Array, end: number): { msg: RouteRefreshMessage; lengthError: DecodeError | null } {
  const afi = u16(b, 19);
  const subtype = b[21]!;
  let error: DecodeError | null = null;
  let orf: RouteRefreshOrf | null = null;
  if ((subtype === RR_SUBTYPE_BORR || subtype === RR_SUBTYPE_EORR) && end !== 23) {
    error = new DecodeError(
      'route_refresh_length',
      `ROUTE-REFRESH subtype ${subtype} must have a 4-byte body, has ${end - 19} (RFC 7313 §5)`,
      23,
    );
  } else if (subtype === RR_SUBTYPE_NORMAL && end > 23) {
    const r = decodeOrf(b, 23, end, afi);
    orf = r.orf;
    error = r.error;
  }
  return {
    msg: {
      kind: 'route_refresh',
      afi,
      safi: b[22]!,
      subtype,
      subtype_name: routeRefreshSubtypeName(subtype),
      orf,
      data_hex: hex(b, 23, end),
    },
    lengthError: error,
  };
}

/** The ORF part at [start, end): when-to-refresh, then <type, length, entries> groups. */
function decodeOrf(b: Uint8Array, start: number, end: number, afi: number): { orf: RouteRefreshOrf; error: DecodeError | null } {
  const when = b[start]!;
  const groups: OrfGroup[] = [];
  const orf: RouteRefreshOrf = { when_to_refresh: WHEN_NAMES[when] ?? `WHEN_${when}`, groups };
  let error: DecodeError | null = null;
  let p = start + 1;
  if (p === end) return { orf, error: new DecodeError('orf_truncated', 'ORF has When-to-refresh but no ORF type (RFC 5291 §4)', p) };
  while (p < end) {
    if (p + 3 > end) return { orf, error: new DecodeError('orf_truncated', `ORF type and length need 3 bytes, ${end - p} left (RFC 5291 §4)`, p) };
    const type = b[p]!;
    const len = u16(b, p + 1);
    const gs = p + 3;
    const ge = gs + len;
    if (ge > end) {
      return { orf, error: new DecodeError('orf_length', `ORF length ${len} runs past the message (${end - gs} bytes left)`, p + 1) };
    }
    let entries: OrfEntry[] | null = null;
    const maxBits = afi === 1 ? 32 : afi === 2 ? 128 : 0;
    if ((type === ORF_ADDRESS_PREFIX || type === ORF_ADDRESS_PREFIX_CISCO) && maxBits > 0) {
      const r = prefixEntries(b, gs, ge, maxBits);
      entries = r.entries;
      if (r.error !== null && error === null) error = r.error;
    }
    groups.push({ type, name: orfTypeName(type), entries, hex: hex(b, gs, ge) });
    p = ge;
  }
  return { orf, error };
}

/** RFC 5292 §3 entries at [start, end); on a malformed entry the entries are null and the error says where. */
function prefixEntries(b: Uint8Array, start: number, end: number, maxBits: number): { entries: OrfEntry[] | null; error: DecodeError | null } {
  const out: OrfEntry[] = [];
  let p = start;
  while (p < end) {
    const c = b[p]!;
    const action = c >> 6;
    const match = (c & 0x20) !== 0 ? 'deny' : 'permit';
    if (action >= 2) {
      out.push({ action: ACTIONS[action]!, match, sequence: null, min_len: null, max_len: null, prefix: null });
      p++;
      continue;
    }
    if (p + 8 > end) {
      return { entries: null, error: new DecodeError('orf_entry_truncated', `address prefix ORF entry needs 8 bytes before its prefix, ${end - p} left (RFC 5292 §3)`, p) };
    }
    const bits = b[p + 7]!;
    if (bits > maxBits) {
      return { entries: null, error: new DecodeError('orf_prefix_length', `address prefix ORF entry prefix length ${bits} > ${maxBits}`, p + 7) };
    }
    const n = (bits + 7) >> 3;
    if (p + 8 + n > end) {
      return { entries: null, error: new DecodeError('orf_entry_truncated', `address prefix ORF entry /${bits} needs ${n} address bytes, ${end - p - 8} left`, p + 8) };
    }
    out.push({
      action: ACTIONS[action]!,
      match,
      sequence: u32(b, p + 1),
      min_len: b[p + 5]!,
      max_len: b[p + 6]!,
      prefix: maxBits === 32 ? ipv4PrefixText(b, p + 8, bits) : ipv6PrefixText(b, p + 8, bits),
    });
    p += 8 + n;
  }
  return { entries: out, error: null };
}
