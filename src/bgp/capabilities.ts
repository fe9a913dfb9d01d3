// BGP capabilities (RFC 5492): the triples inside OPEN optional parameter type 2.
//
//   +------------------------------+
//   | Capability Code (1 octet)    |
//   | Capability Length (1 octet)  |
//   | Capability Value (variable)  |
//   +------------------------------+
//
// One table keyed by code: IANA name ("Capability Codes" registry) and, for the capabilities bgpcap
// understands, a value decoder. A decoder returns null when the value does not have the shape its RFC
// gives; the bytes are always kept in `hex`, so nothing is lost. Unknown codes are named `CAP_<n>`.

import type { Capability } from './model.js';
import { hex, u16, u24, u32, utf8Loose } from '../wire/reader.js';

/** Decodes [start, end) of `b` into a value, or null when the value is malformed. Never reads past `end`. */
type CapDecoder = (b: Uint8Array, start: number, end: number) => unknown;

interface CapSpec {
  name: string;
  decode: CapDecoder | null;
}

export const CAP_MULTIPROTOCOL = 1;
export const CAP_ROUTE_REFRESH = 2;
export const CAP_EXTENDED_MESSAGE = 6;
export const CAP_FOUR_OCTET_AS = 65;
export const CAP_ADD_PATH = 69;

/** Capabilities that are a bare flag: present with length 0. Any value bytes make them malformed (null). */
const flag: CapDecoder = (_b, start, end) => (end === start ? true : null);

/** RFC 4760 §8: AFI (2), reserved (1), SAFI (1). */
const multiprotocol: CapDecoder = (b, start, end) =>
  end - start === 4 ? { afi: u16(b, start), safi: b[start + 3]! } : null;

/** RFC 8950 §3: a list of <NLRI AFI (2), NLRI SAFI (2), Nexthop AFI (2)>. */
const extendedNextHop: CapDecoder = (b, start, end) => {
  if ((end - start) % 6 !== 0) return null;
  const out: { afi: number; safi: number; next_hop_afi: number }[] = [];
  for (let p = start; p < end; p += 6) out.push({ afi: u16(b, p), safi: u16(b, p + 2), next_hop_afi: u16(b, p + 4) });
  return out;
};

/** RFC 9234 §4.1 BGP Role values. */
export const BGP_ROLE_NAMES: Record<number, string> = {
  0: 'Provider',
  1: 'RS',
  2: 'RS-Client',
  3: 'Customer',
  4: 'Peer',
};

/** RFC 9234 §4.1: one octet. */
const bgpRole: CapDecoder = (b, start, end) => {
  if (end - start !== 1) return null;
  const role = b[start]!;
  return { role, name: BGP_ROLE_NAMES[role] ?? `ROLE_${role}` };
};

/**
 * RFC 4724 §3 (flags as updated by RFC 8538 §2):
 *   Restart Flags (4 bits: R=0x8 restart state, N=0x4 notification) | Restart Time (12 bits)
 *   then per family: AFI (2), SAFI (1), Flags for Address Family (1; F=0x80 forwarding state)
 */
const gracefulRestart: CapDecoder = (b, start, end) => {
  const len = end - start;
  if (len < 2 || (len - 2) % 4 !== 0) return null;
  const w = u16(b, start);
  const flags = w >> 12;
  const families: { afi: number; safi: number; forwarding_state: boolean }[] = [];
  for (let p = start + 2; p < end; p += 4) {
    families.push({ afi: u16(b, p), safi: b[p + 2]!, forwarding_state: (b[p + 3]! & 0x80) !== 0 });
  }
  return {
    flags,
    restart_state: (flags & 0x8) !== 0,
    notification: (flags & 0x4) !== 0,
    restart_time: w & 0x0fff,
    families,
  };
};

/** RFC 6793 §3: the speaker's 4-octet AS number. */
const fourOctetAs: CapDecoder = (b, start, end) => (end - start === 4 ? { asn: u32(b, start) } : null);

export type AddPathMode = 'receive' | 'send' | 'both';
const ADD_PATH_MODES: (AddPathMode | undefined)[] = [undefined, 'receive', 'send', 'both'];

export interface AddPathEntry {
  afi: number;
  safi: number;
  send_receive: AddPathMode;
}

/**
 * RFC 7911 §4: tuples of AFI (2), SAFI (1), Send/Receive (1): 1 = able to receive multiple paths, 2 = able
 * to send, 3 = both. "If any other value is received, then the capability SHOULD be treated as not
 * understood and ignored": value null, which session.ts reads as "no ADD-PATH".
 */
const addPath: CapDecoder = (b, start, end) => {
  if ((end - start) % 4 !== 0 || end === start) return null;
  const out: AddPathEntry[] = [];
  for (let p = start; p < end; p += 4) {
    const mode = ADD_PATH_MODES[b[p + 3]!];
    if (mode === undefined) return null;
    out.push({ afi: u16(b, p), safi: b[p + 2]!, send_receive: mode });
  }
  return out;
};

/**
 * RFC 9494 §2 (Long-Lived Graceful Restart): per family AFI (2), SAFI (1), Flags (1; F=0x80 forwarding
 * state), Long-Lived Stale Time (3, seconds).
 */
const longLivedGracefulRestart: CapDecoder = (b, start, end) => {
  if ((end - start) % 7 !== 0) return null;
  const out: { afi: number; safi: number; forwarding_state: boolean; stale_time: number }[] = [];
  for (let p = start; p < end; p += 7) {
    out.push({ afi: u16(b, p), safi: b[p + 2]!, forwarding_state: (b[p + 3]! & 0x80) !== 0, stale_time: u24(b, p + 4) });
  }
  return out;
};

/** draft-walton-bgp-hostname-capability §3: Hostname Length (1), Hostname, Domain Name Length (1), Domain Name. */
const fqdn: CapDecoder = (b, start, end) => {
  if (end - start < 2) return null;
  const hl = b[start]!;
  const dStart = start + 1 + hl;
  if (dStart + 1 > end) return null;
  const dl = b[dStart]!;
  if (dStart + 1 + dl !== end) return null;
  return { hostname: utf8Loose(b, start + 1, dStart), domain: utf8Loose(b, dStart + 1, end) };
};

/** draft-abraitis-bgp-version-capability §3: Length (1), Software Version (UTF-8). */
const softwareVersion: CapDecoder = (b, start, end) => {
  if (end - start < 1 || start + 1 + b[start]! !== end) return null;
  return { version: utf8Loose(b, start + 1, end) };
};

const CAPS: (CapSpec | undefined)[] = new Array(256);
function def(code: number, name: string, decode: CapDecoder | null = null): void {
  CAPS[code] = { name, decode };
}
def(1, 'multiprotocol', multiprotocol); // RFC 2858 / 4760
def(2, 'route_refresh', flag); // RFC 2918
def(3, 'outbound_route_filtering'); // RFC 5291 (kept raw)
def(4, 'multiple_routes'); // RFC 8277, deprecated
def(5, 'extended_next_hop', extendedNextHop); // RFC 8950
def(6, 'extended_message', flag); // RFC 8654
def(7, 'bgpsec'); // RFC 8205
def(8, 'multiple_labels'); // RFC 8277
def(9, 'bgp_role', bgpRole); // RFC 9234
def(64, 'graceful_restart', gracefulRestart); // RFC 4724
def(65, 'four_octet_as', fourOctetAs); // RFC 6793
def(67, 'dynamic_capability'); // draft-ietf-idr-dynamic-cap
def(68, 'multisession'); // draft-ietf-idr-bgp-multisession
def(69, 'add_path', addPath); // RFC 7911
def(70, 'enhanced_route_refresh', flag); // RFC 7313
def(71, 'long_lived_graceful_restart', longLivedGracefulRestart); // RFC 9494
def(72, 'routing_policy_distribution'); // draft-ietf-idr-rpd
def(73, 'fqdn', fqdn); // draft-walton-bgp-hostname-capability
def(74, 'bfd'); // draft-ietf-idr-bgp-bfd-strict-mode
def(75, 'software_version', softwareVersion); // draft-abraitis-bgp-version-capability
def(76, 'paths_limit'); // draft-abraitis-idr-addpath-paths-limit
def(128, 'route_refresh_cisco', flag); // RFC 8810: prestandard Route Refresh (deprecated)
def(129, 'prestandard_orf_rpd'); // RFC 8810: prestandard ORF / Routing Policy Distribution (deprecated)
def(130, 'outbound_route_filtering_cisco'); // RFC 8810: prestandard ORF (deprecated)
def(131, 'multisession_cisco'); // RFC 8810: prestandard Multisession (deprecated)
def(184, 'fqdn_prestandard'); // RFC 8810: prestandard FQDN (deprecated)
def(185, 'operational_prestandard'); // RFC 8810: prestandard OPERATIONAL message (deprecated)

/** IANA name of a capability code, `CAP_<n>` when unassigned or reserved. */
export function capabilityName(code: number): string {
  return CAPS[code]?.name ?? `CAP_${code}`;
}

/** One capability from [start, end) of `b` (the value bytes, header already read). */
export function decodeCapability(code: number, b: Uint8Array, start: number, end: number): Capability {
  const spec = CAPS[code];
  return {
    code,
    name: spec?.name ?? `CAP_${code}`,
    value: spec?.decode ? spec.decode(b, start, end) : null,
    hex: hex(b, start, end),
  };
}
