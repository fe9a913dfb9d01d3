// MP_REACH_NLRI next hops (RFC 4760 §3: "Network Address of Next Hop", its form set by the family).
//
//   4   IPv4                                   (IPv4 families; EVPN, RTC, MVPN, MDT, VPLS, BGP-LS over IPv4)
//   16  IPv6 global                            (RFC 2545 §3; RFC 8950 §3 for IPv4 NLRI)
//   32  IPv6 global + IPv6 link-local          (RFC 2545 §3; RFC 8950 §3)
//   12  RD + IPv4                              (RFC 4364 §4.3.2: VPN-IPv4; the RD is zero)
//   24  RD + IPv6                              (RFC 4659 §3.2.1.1; RFC 8950 §4 for VPN-IPv4 over IPv6)
//   48  RD + IPv6 global + RD + link-local     (RFC 4659 §3.2.1.1, RFC 8950 §4)
//   0   none                                   (flowspec: RFC 8955 §4, "length 0")
//
// Link-local parts: an all-zero link-local half (sent as padding by some implementations) is no link-local
// address, so next_hop_ll is null; a next hop that is itself link-local (fe80::/10, e.g. Cisco sending only
// the link-local over an unnumbered or link-local session) is also reported as next_hop_ll, so that field
// always holds the link-local address when there is one.

import { DecodeError } from '../../wire/errors.js';
// Next hops repeat from one UPDATE to the next: their text comes from the address cache (link/textcache.ts).
import { ipv4TextCached as ipv4Text, ipv6TextCached as ipv6Text } from '../../link/textcache.js';

/** Where next hop text goes: Announcement's fields. */
export interface NextHopOut {
  afi: number;
  safi: number;
  next_hop: string | null;
  next_hop_ll: string | null;
}

export function badNextHop(out: NextHopOut, len: number, at: number): DecodeError {
  return new DecodeError('next_hop_length', `MP_REACH ${out.afi}/${out.safi}: next hop length ${len} not allowed`, at);
}

function allZero(b: Uint8Array, p: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (b[p + i] !== 0) return false;
  return true;
}

/** Set next_hop (and next_hop_ll) from a 16-byte global and an optional 16-byte link-local at ll (-1: none). */
export function setIpv6NextHop(b: Uint8Array, g: number, ll: number, out: NextHopOut): void {
  out.next_hop = ipv6Text(b, g);
  if (ll >= 0 && !allZero(b, ll, 16)) out.next_hop_ll = ipv6Text(b, ll);
  else if (b[g] === 0xfe && (b[g + 1]! & 0xc0) === 0x80) out.next_hop_ll = out.next_hop;
}

/** IPv4 NLRI: 4 bytes IPv4, or 16 / 32 bytes IPv6 (RFC 8950 §3). */
export function nextHopForIpv4(b: Uint8Array, start: number, end: number, out: NextHopOut): void {
  const len = end - start;
  if (len === 4) out.next_hop = ipv4Text(b, start);
  else if (len === 16) setIpv6NextHop(b, start, -1, out);
  else if (len === 32) setIpv6NextHop(b, start, start + 16, out);
  else throw badNextHop(out, len, start);
}

/**
 * IPv6 NLRI (RFC 2545 §3): 16 bytes global, or 32 bytes global then link-local. A 4-byte IPv4 next hop is
 * not in any RFC but some implementations send one; it is shown as IPv4 text rather than dropped.
 */
export function nextHopForIpv6(b: Uint8Array, start: number, end: number, out: NextHopOut): void {
  const len = end - start;
  if (len === 16) setIpv6NextHop(b, start, -1, out);
  else if (len === 32) setIpv6NextHop(b, start, start + 16, out);
  else if (len === 4) out.next_hop = ipv4Text(b, start);
  else throw badNextHop(out, len, start);
}

/**
 * VPN families (RFC 4364 §4.3.2, RFC 4659 §3.2.1.1, RFC 8950 §4): the address preceded by an 8-byte RD
 * (zero; not reported): 12 = RD + IPv4, 24 = RD + IPv6, 48 = RD + IPv6 + RD + link-local. Plain 4/16/32
 * are accepted too (some implementations leave the RD out).
 */
export function nextHopForVpn(b: Uint8Array, start: number, end: number, out: NextHopOut): void {
  const len = end - start;
  if (len === 12) out.next_hop = ipv4Text(b, start + 8);
  else if (len === 24) setIpv6NextHop(b, start + 8, -1, out);
  else if (len === 48) setIpv6NextHop(b, start + 8, start + 32, out);
  else if (len === 4) out.next_hop = ipv4Text(b, start);
  else if (len === 16) setIpv6NextHop(b, start, -1, out);
  else if (len === 32) setIpv6NextHop(b, start, start + 16, out);
  else throw badNextHop(out, len, start);
}

/**
 * Families whose next hop is a plain address of either version (EVPN, RTC, MVPN, MDT, VPLS, BGP-LS, flowspec,
 * and families bgpcap does not know): 0 (none), 4, 16, 32, or the RD forms 12, 24, 48.
 */
export function nextHopAny(b: Uint8Array, start: number, end: number, out: NextHopOut): void {
  if (end === start) return;
  nextHopForVpn(b, start, end, out);
}
