// Address families bgpcap decodes inside MP_REACH_NLRI / MP_UNREACH_NLRI (RFC 4760), one table keyed by
// AFI/SAFI. A family knows how to read its next hop and its NLRI; everything else about MP_REACH is common
// (attr-14-mp-reach.ts). Families not in the table are kept raw (see attributes/README.md). To add one
// (e.g. SAFI 128 L3VPN: RD + labels), add an entry here.

import type { Announcement } from './model.js';
import { DecodeError } from '../wire/errors.js';
import { ipv4Text, ipv6Text } from '../wire/ip.js';
import { decodePrefixes, looksLikeAddPath } from './nlri.js';

export const AFI_IPV4 = 1;
export const AFI_IPV6 = 2;
export const SAFI_UNICAST = 1;
export const SAFI_MULTICAST = 2;

export interface MpFamily {
  readonly afi: number;
  readonly safi: number;
  readonly name: string;
  /** `afi:safi`, the key of SessionParams.add_path_send. */
  readonly key: string;
  /** Set `out.next_hop` / `out.next_hop_ll` from the next hop bytes [start, end); throws DecodeError. */
  nextHop(b: Uint8Array, start: number, end: number, out: Announcement): void;
  /** Decode the NLRI in [start, end); throws DecodeError at the first bad entry (earlier ones are pushed). */
  nlri(b: Uint8Array, start: number, end: number, addPath: boolean, prefixes: string[], pathIds: number[] | null): void;
  /** Heuristic used when no OPEN said whether path ids are present (see nlri.ts looksLikeAddPath). */
  looksLikeAddPath(b: Uint8Array, start: number, end: number): boolean;
}

function badNextHop(afi: number, safi: number, len: number, start: number): DecodeError {
  return new DecodeError('next_hop_length', `MP_REACH ${afi}/${safi}: next hop length ${len} not allowed`, start);
}

/**
 * IPv4 NLRI: a 4-byte IPv4 next hop (RFC 4760), or an IPv6 one of 16 or 32 bytes (global, then link-local)
 * when RFC 8950 extended next hop encoding was negotiated.
 */
function nextHopForIpv4(b: Uint8Array, start: number, end: number, out: Announcement): void {
  const len = end - start;
  if (len === 4) out.next_hop = ipv4Text(b, start);
  else if (len === 16) out.next_hop = ipv6Text(b, start);
  else if (len === 32) {
    out.next_hop = ipv6Text(b, start);
    out.next_hop_ll = ipv6Text(b, start + 16);
  } else throw badNextHop(out.afi, out.safi, len, start);
}

/**
 * IPv6 NLRI (RFC 2545 §3): 16 bytes global, or 32 bytes global then link-local. A 4-byte IPv4 next hop is
 * not in any RFC but some implementations send one; it is shown as IPv4 text rather than dropped.
 */
function nextHopForIpv6(b: Uint8Array, start: number, end: number, out: Announcement): void {
  const len = end - start;
  if (len === 16) out.next_hop = ipv6Text(b, start);
  else if (len === 32) {
    out.next_hop = ipv6Text(b, start);
    out.next_hop_ll = ipv6Text(b, start + 16);
  } else if (len === 4) out.next_hop = ipv4Text(b, start);
  else throw badNextHop(out.afi, out.safi, len, start);
}

function ipFamily(afi: number, safi: number, name: string): MpFamily {
  const maxBits = afi === AFI_IPV4 ? 32 : 128;
  return {
    afi,
    safi,
    name,
    key: familyKey(afi, safi),
    nextHop: afi === AFI_IPV4 ? nextHopForIpv4 : nextHopForIpv6,
    nlri: (b, start, end, addPath, prefixes, pathIds) => decodePrefixes(b, start, end, maxBits, addPath, prefixes, pathIds),
    looksLikeAddPath: (b, start, end) => looksLikeAddPath(b, start, end, maxBits),
  };
}

const FAMILIES = new Map<number, MpFamily>();
for (const f of [
  ipFamily(AFI_IPV4, SAFI_UNICAST, 'ipv4_unicast'),
  ipFamily(AFI_IPV4, SAFI_MULTICAST, 'ipv4_multicast'),
  ipFamily(AFI_IPV6, SAFI_UNICAST, 'ipv6_unicast'),
  ipFamily(AFI_IPV6, SAFI_MULTICAST, 'ipv6_multicast'),
]) {
  FAMILIES.set(f.afi * 256 + f.safi, f);
}

/** The decoder for an AFI/SAFI, or undefined when bgpcap keeps that family raw. */
export function mpFamily(afi: number, safi: number): MpFamily | undefined {
  return FAMILIES.get(afi * 256 + safi);
}

/** The key SessionParams.add_path_send uses for a family. */
export function familyKey(afi: number, safi: number): string {
  return `${afi}:${safi}`;
}
