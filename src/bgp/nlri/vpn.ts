// BGP/MPLS IP VPN prefixes: SAFI 128 (RFC 4364 §4.3.4 VPN-IPv4, RFC 4659 §3.2 VPN-IPv6) and SAFI 129
// (RFC 6513 §4.4, multicast VPN routes: the same encoding). Each entry is a labeled prefix with an 8-byte
// route distinguisher between the label stack and the prefix (layout and label rules in labeled.ts):
//
//   Length (bits) | Label(s) (3 each) | RD (8) | Prefix
//
// `prefixes` holds the IP prefix alone (so prefix filters work across VRFs), `route_distinguishers` the RD
// (rdText: 65000:100, 192.0.2.1:100, 4200000001:100) and `labels` the stack. The next hop is RD (zero) +
// address (next-hop.ts nextHopForVpn).

import { decodeLabeledRun, scanLabeledRun } from './labeled.js';
import type { NlriOut } from './types.js';

export function decodeVpn(b: Uint8Array, start: number, end: number, maxBits: number, addPath: boolean, out: NlriOut): void {
  out.route_distinguishers ??= [];
  out.labels ??= [];
  decodeLabeledRun(b, start, end, maxBits, true, addPath, out);
}

export function scanVpn(b: Uint8Array, start: number, end: number, maxBits: number, addPath: boolean): number {
  return scanLabeledRun(b, start, end, maxBits, true, addPath);
}

