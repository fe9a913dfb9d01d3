// Address families bgpcap decodes inside MP_REACH_NLRI / MP_UNREACH_NLRI (RFC 4760), one table keyed by
// AFI/SAFI. A family knows how to read its next hop (nlri/next-hop.ts), its NLRI (one file per format under
// nlri/) and how to guess ADD-PATH when no OPEN was seen; everything else about MP_REACH is common
// (attributes/attr-14-mp-reach.ts). A family not in the table is kept raw: its NLRI field is one entry with
// the bytes in hex, and the attribute is also kept in `other_attributes` (nlri/raw-families.ts decodeRaw).
//
// | AFI/SAFI                    | family                         | NLRI file          | RFC                      |
// |-----------------------------|--------------------------------|--------------------|--------------------------|
// | 1/1 1/2 2/1 2/2             | IPv4/IPv6 unicast, multicast   | nlri.ts            | 4271, 4760, 2545         |
// | 1/4 2/4                     | labeled unicast                | nlri/labeled.ts    | 8277                     |
// | 1/128 2/128 1/129 2/129     | VPN unicast, VPN multicast     | nlri/vpn.ts        | 4364, 4659, 6513         |
// | 1/133 2/133 1/134 2/134     | flowspec, flowspec VPN         | nlri/flowspec.ts   | 8955, 8956               |
// | 25/70                       | EVPN                           | nlri/evpn.ts       | 7432, 9136               |
// | 1/132 2/132                 | route target constraint        | nlri/rtc.ts        | 4684                     |
// | 1/5 2/5                     | MCAST-VPN                      | nlri/raw-families  | 6514                     |
// | 1/66                        | MDT                            | nlri/raw-families  | 6037                     |
// | 25/65                       | VPLS, BGP-AD                   | nlri/raw-families  | 4761, 6074               |
// | 16388/71 16388/72           | BGP-LS, BGP-LS-VPN             | nlri/raw-families  | 9552 (7752)              |
//
// ADD-PATH (RFC 7911 §3) applies to every family: a 4-byte path id before each entry.

import { decodePrefixes, looksLikeAddPath, SCAN_BROKEN, SCAN_EARLY_ZERO, SCAN_HOST_BITS } from './nlri.js';
import { decodeLabeled, scanLabeledRun } from './nlri/labeled.js';
import { decodeVpn, scanVpn } from './nlri/vpn.js';
import { decodeFlowspec } from './nlri/flowspec.js';
import { decodeEvpn } from './nlri/evpn.js';
import { decodeRtc } from './nlri/rtc.js';
import { decodeBgpLs, decodeMdt, decodeMvpn, decodeVpls } from './nlri/raw-families.js';
import { nextHopAny, nextHopForIpv4, nextHopForIpv6, nextHopForVpn, type NextHopOut } from './nlri/next-hop.js';
import type { NlriOut } from './nlri/types.js';

export const AFI_IPV4 = 1;
export const AFI_IPV6 = 2;
export const AFI_L2VPN = 25;
export const AFI_BGP_LS = 16388;
export const SAFI_UNICAST = 1;
export const SAFI_MULTICAST = 2;
export const SAFI_LABELED = 4;
export const SAFI_MVPN = 5;
export const SAFI_VPLS = 65;
export const SAFI_MDT = 66;
export const SAFI_EVPN = 70;
export const SAFI_BGP_LS = 71;
export const SAFI_BGP_LS_VPN = 72;
export const SAFI_VPN = 128;
export const SAFI_VPN_MULTICAST = 129;
export const SAFI_RTC = 132;
export const SAFI_FLOWSPEC = 133;
export const SAFI_FLOWSPEC_VPN = 134;

export interface MpFamily {
  readonly afi: number;
  readonly safi: number;
  readonly name: string;
  /** `afi:safi`, the key of SessionParams.add_path_send. */
  readonly key: string;
  /** Set `out.next_hop` / `out.next_hop_ll` from the next hop bytes [start, end); throws DecodeError. */
  nextHop(b: Uint8Array, start: number, end: number, out: NextHopOut): void;
  /**
   * Decode the NLRI in [start, end) into `out` (prefixes, path ids when `addPath`, and the family's parallel
   * arrays); throws DecodeError at the first bad entry.
   */
  nlri(b: Uint8Array, start: number, end: number, addPath: boolean, out: NlriOut): void;
  /** Heuristic used when no OPEN said whether path ids are present. */
  looksLikeAddPath(b: Uint8Array, start: number, end: number): boolean;
  /** 32 or 128 when the NLRI is plain prefixes (nlri.ts decodePrefixes with that maxBits), else 0. */
  readonly prefixBits: number;
}

type Decode = (b: Uint8Array, start: number, end: number, addPath: boolean, out: NlriOut) => void;

/** Whether the run decodes cleanly (a trial decode into a scratch output; only used when guessing ADD-PATH). */
function decodes(dec: Decode, b: Uint8Array, start: number, end: number, addPath: boolean): boolean {
  try {
    dec(b, start, end, addPath, { prefixes: [], path_ids: addPath ? [] : null });
    return true;
  } catch {
    return false;
  }
}

/**
 * ADD-PATH guess for families without a scanner of their own: keep the plain reading unless it fails and
 * the path-id reading succeeds (the same rule as nlri.ts looksLikeAddPath; a small path id such as
 * 00 00 00 01 reads as a reserved type 0 or a zero length, which these formats reject).
 */
function trialLooksLikeAddPath(dec: Decode): (b: Uint8Array, start: number, end: number) => boolean {
  return (b, start, end) => start < end && !decodes(dec, b, start, end, false) && decodes(dec, b, start, end, true);
}

function scanLooksLikeAddPath(scan: (b: Uint8Array, s: number, e: number, addPath: boolean) => number) {
  return (b: Uint8Array, start: number, end: number): boolean => {
    if (start >= end) return false;
    if (scan(b, start, end, false) === 0) return false;
    return (scan(b, start, end, true) & (SCAN_BROKEN | SCAN_HOST_BITS)) === 0;
  };
}

/** RFC 4684 scan: lengths 1..31 (part of an origin AS) and a default route among others read as broken. */
function scanRtc(b: Uint8Array, start: number, end: number, addPath: boolean): number {
  let p = start;
  let count = 0;
  let zero = false;
  while (p < end) {
    if (addPath) {
      if (p + 5 > end) return SCAN_BROKEN;
      p += 4;
    }
    const len = b[p]!;
    if (len > 96 || (len > 0 && len < 32)) return SCAN_BROKEN;
    if (len === 0) zero = true;
    p += 1 + ((len + 7) >> 3);
    count++;
  }
  if (p !== end) return SCAN_BROKEN;
  return zero && count > 1 ? SCAN_EARLY_ZERO : 0;
}

function family(
  afi: number,
  safi: number,
  name: string,
  nextHop: MpFamily['nextHop'],
  nlri: Decode,
  guess: MpFamily['looksLikeAddPath'],
  prefixBits = 0,
): MpFamily {
  return { afi, safi, name, key: familyKey(afi, safi), nextHop, nlri, looksLikeAddPath: guess, prefixBits };
}

function ipFamily(afi: number, safi: number, name: string): MpFamily {
  const maxBits = afi === AFI_IPV4 ? 32 : 128;
  return family(
    afi,
    safi,
    name,
    afi === AFI_IPV4 ? nextHopForIpv4 : nextHopForIpv6,
    (b, start, end, addPath, out) => decodePrefixes(b, start, end, maxBits, addPath, out),
    (b, start, end) => looksLikeAddPath(b, start, end, maxBits),
    maxBits,
  );
}

function labeledFamily(afi: number): MpFamily {
  const maxBits = afi === AFI_IPV4 ? 32 : 128;
  return family(
    afi,
    SAFI_LABELED,
    afi === AFI_IPV4 ? 'ipv4_labeled_unicast' : 'ipv6_labeled_unicast',
    afi === AFI_IPV4 ? nextHopForIpv4 : nextHopForIpv6,
    (b, start, end, addPath, out) => decodeLabeled(b, start, end, maxBits, addPath, out),
    scanLooksLikeAddPath((b, s, e, ap) => scanLabeledRun(b, s, e, maxBits, false, ap)),
  );
}

function vpnFamily(afi: number, safi: number, name: string): MpFamily {
  const maxBits = afi === AFI_IPV4 ? 32 : 128;
  return family(
    afi,
    safi,
    name,
    nextHopForVpn,
    (b, start, end, addPath, out) => decodeVpn(b, start, end, maxBits, addPath, out),
    scanLooksLikeAddPath((b, s, e, ap) => scanVpn(b, s, e, maxBits, ap)),
  );
}

function flowspecFamily(afi: number, safi: number, name: string): MpFamily {
  const v6 = afi === AFI_IPV6;
  const vpn = safi === SAFI_FLOWSPEC_VPN;
  const dec: Decode = (b, start, end, addPath, out) => decodeFlowspec(b, start, end, v6, vpn, addPath, out);
  return family(afi, safi, name, nextHopAny, dec, trialLooksLikeAddPath(dec));
}

function typedFamily(afi: number, safi: number, name: string, dec: Decode): MpFamily {
  return family(afi, safi, name, nextHopAny, dec, trialLooksLikeAddPath(dec));
}

const FAMILIES = new Map<number, MpFamily>();
for (const f of [
  ipFamily(AFI_IPV4, SAFI_UNICAST, 'ipv4_unicast'),
  ipFamily(AFI_IPV4, SAFI_MULTICAST, 'ipv4_multicast'),
  ipFamily(AFI_IPV6, SAFI_UNICAST, 'ipv6_unicast'),
  ipFamily(AFI_IPV6, SAFI_MULTICAST, 'ipv6_multicast'),
  labeledFamily(AFI_IPV4),
  labeledFamily(AFI_IPV6),
  vpnFamily(AFI_IPV4, SAFI_VPN, 'ipv4_vpn'),
  vpnFamily(AFI_IPV6, SAFI_VPN, 'ipv6_vpn'),
  vpnFamily(AFI_IPV4, SAFI_VPN_MULTICAST, 'ipv4_vpn_multicast'),
  vpnFamily(AFI_IPV6, SAFI_VPN_MULTICAST, 'ipv6_vpn_multicast'),
  flowspecFamily(AFI_IPV4, SAFI_FLOWSPEC, 'ipv4_flowspec'),
  flowspecFamily(AFI_IPV6, SAFI_FLOWSPEC, 'ipv6_flowspec'),
  flowspecFamily(AFI_IPV4, SAFI_FLOWSPEC_VPN, 'ipv4_flowspec_vpn'),
  flowspecFamily(AFI_IPV6, SAFI_FLOWSPEC_VPN, 'ipv6_flowspec_vpn'),
  typedFamily(AFI_L2VPN, SAFI_EVPN, 'l2vpn_evpn', decodeEvpn),
  family(AFI_IPV4, SAFI_RTC, 'ipv4_rtc', nextHopAny, decodeRtc, scanLooksLikeAddPath(scanRtc)),
  family(AFI_IPV6, SAFI_RTC, 'ipv6_rtc', nextHopAny, decodeRtc, scanLooksLikeAddPath(scanRtc)),
  typedFamily(AFI_IPV4, SAFI_MVPN, 'ipv4_mvpn', decodeMvpn),
  typedFamily(AFI_IPV6, SAFI_MVPN, 'ipv6_mvpn', decodeMvpn),
  typedFamily(AFI_IPV4, SAFI_MDT, 'ipv4_mdt', decodeMdt),
  typedFamily(AFI_L2VPN, SAFI_VPLS, 'l2vpn_vpls', decodeVpls),
  typedFamily(AFI_BGP_LS, SAFI_BGP_LS, 'bgp_ls', (b, s, e, ap, out) => decodeBgpLs(b, s, e, false, ap, out)),
  typedFamily(AFI_BGP_LS, SAFI_BGP_LS_VPN, 'bgp_ls_vpn', (b, s, e, ap, out) => decodeBgpLs(b, s, e, true, ap, out)),
]) {
  FAMILIES.set(f.afi * 256 + f.safi, f);
}

/** The decoder for an AFI/SAFI, or undefined when bgpcap keeps that family raw. */
export function mpFamily(afi: number, safi: number): MpFamily | undefined {
  return FAMILIES.get(afi * 256 + safi);
}

/** Every family bgpcap decodes, in table order. */
export function mpFamilies(): MpFamily[] {
  return [...FAMILIES.values()];
}

/** The key SessionParams.add_path_send uses for a family. */
export function familyKey(afi: number, safi: number): string {
  return `${afi}:${safi}`;
}
