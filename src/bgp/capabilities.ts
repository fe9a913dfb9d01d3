// BGP capabilities (RFC 5492): the triples inside OPEN optional parameter type 2.
//
//   +------------------------------+
//   | Capability Code (1 octet)    |
//   | Capability Length (1 octet)  |
//   | Capability Value (variable)  |
//   +------------------------------+
//
// One table keyed by code: the IANA name ("Capability Codes" registry, as of RFC 9494 / the 2024 drafts:
// 0 reserved, 1-9 IETF review, 64-76 first come first served, 128-131 and 184-185 the prestandard codes RFC
// 8810 deprecates) and, for the capabilities bgpcap understands, a value decoder. A decoder returns null
// when the value does not have the shape its RFC gives; the bytes are always kept in `hex`, so nothing is
// lost. Unknown codes are named `CAP_<n>`.
//
// Decoded values (JSON `value`; afi/safi are numbers, families are listed in wire order):
//   multiprotocol (1)            {afi, safi}                                   RFC 4760 §8
//   route_refresh (2), route_refresh_cisco (128), extended_message (6), enhanced_route_refresh (70),
//   bfd (74)                     true (the capability has no value)
//   outbound_route_filtering (3), outbound_route_filtering_cisco (130)
//                                [{afi, safi, orfs: [{type, name, send_receive}]}]  RFC 5291 §5
//   extended_next_hop (5)        [{afi, safi, next_hop_afi}]                   RFC 8950 §3
//   bgpsec (7)                   {version, direction: receive|send, afi}       RFC 8205 §2.1
//   multiple_labels (8)          [{afi, safi, count}]                          RFC 8277 §2.1
//   bgp_role (9)                 {role, name}                                  RFC 9234 §4.1
//   graceful_restart (64)        {flags, restart_state, notification, restart_time, families: [{afi, safi, forwarding_state}]}
//   four_octet_as (65)           {asn}                                         RFC 6793 §3
//   dynamic_capability (67)      [capability codes]                            draft-ietf-idr-dynamic-cap §3
//   add_path (69)                [{afi, safi, send_receive}]                   RFC 7911 §4
//   long_lived_graceful_restart (71) [{afi, safi, forwarding_state, stale_time}] RFC 9494 (LLGR Capability)
//   fqdn (73)                    {hostname, domain}                            draft-walton-bgp-hostname-capability §3
//   software_version (75)        {version}                                     draft-abraitis-bgp-version-capability
//   paths_limit (76)             [{afi, safi, limit}]                          draft-abraitis-idr-addpath-paths-limit

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
export const CAP_ORF = 3;
export const CAP_EXTENDED_MESSAGE = 6;
export const CAP_FOUR_OCTET_AS = 65;
export const CAP_ADD_PATH = 69;

/** Capabilities that are a bare flag: present with length 0. Any value bytes make them malformed (null). */
const flag: CapDecoder = (_b, start, end) => (end === start ? true : null);

/** RFC 4760 §8: AFI (2), reserved (1), SAFI (1). */
const multiprotocol: CapDecoder = (b, start, end) =>
  end - start === 4 ? { afi: u16(b, start), safi: b[start + 3]! } : null;

export type SendReceive = 'receive' | 'send' | 'both';
/** The Send/Receive octet shared by ADD-PATH (RFC 7911 §4) and ORF (RFC 5291 §5): 1 receive, 2 send, 3 both. */
const SEND_RECEIVE: (SendReceive | undefined)[] = [undefined, 'receive', 'send', 'both'];

/** IANA "BGP Outbound Route Filtering (ORF) Types"; 128 is Cisco's prestandard prefix-list ORF (RFC 5291 §8: vendor range). */
export const ORF_TYPE_NAMES: Record<number, string> = {
  64: 'address_prefix', // RFC 5292
  65: 'cp_orf', // RFC 7543
  128: 'address_prefix_cisco',
};

export function orfTypeName(type: number): string {
  return ORF_TYPE_NAMES[type] ?? `ORF_${type}`;
}

/**
 * RFC 5291 §5: one or more of
 *   AFI (2), Reserved (1), SAFI (1), Number of ORFs (1), then that many <ORF Type (1), Send/Receive (1)>.
 * Cisco's prestandard code 130 uses the same layout (tcpdump and Wireshark decode both alike). A
 * Send/Receive value other than 1-3 makes the whole value malformed (null; the bytes stay in hex).
 */
const orf: CapDecoder = (b, start, end) => {
  const out: { afi: number; safi: number; orfs: { type: number; name: string; send_receive: SendReceive }[] }[] = [];
  let p = start;
  while (p < end) {
    if (p + 5 > end) return null;
    const n = b[p + 4]!;
    const q = p + 5 + 2 * n;
    if (q > end) return null;
    const orfs: { type: number; name: string; send_receive: SendReceive }[] = [];
    for (let o = p + 5; o < q; o += 2) {
      const sr = SEND_RECEIVE[b[o + 1]!];
      if (sr === undefined) return null;
      orfs.push({ type: b[o]!, name: orfTypeName(b[o]!), send_receive: sr });
    }
    out.push({ afi: u16(b, p), safi: b[p + 3]!, orfs });
    p = q;
  }
  return out.length > 0 ? out : null;
};

/** RFC 8950 §3: a list of <NLRI AFI (2), NLRI SAFI (2), Nexthop AFI (2)>. */
const extendedNextHop: CapDecoder = (b, start, end) => {
  if ((end - start) % 6 !== 0) return null;
  const out: { afi: number; safi: number; next_hop_afi: number }[] = [];
  for (let p = start; p < end; p += 6) out.push({ afi: u16(b, p), safi: u16(b, p + 2), next_hop_afi: u16(b, p + 4) });
  return out;
};

/**
 * RFC 8205 §2.1: Version (4 bits), Dir (1 bit: 0 = able to receive BGPsec UPDATEs, 1 = able to send),
 * Unassigned (3 bits), AFI (2 octets). A speaker sends one instance per direction and family.
 */
const bgpsec: CapDecoder = (b, start, end) => {
  if (end - start !== 3) return null;
  const f = b[start]!;
  return { version: f >> 4, direction: (f & 0x08) !== 0 ? 'send' : 'receive', afi: u16(b, start + 1) };
};

/** RFC 8277 §2.1: one or more <AFI (2), SAFI (1), Count (1)>: how many labels the speaker can process. */
const multipleLabels: CapDecoder = (b, start, end) => {
  if ((end - start) % 4 !== 0 || end === start) return null;
  const out: { afi: number; safi: number; count: number }[] = [];
  for (let p = start; p < end; p += 4) out.push({ afi: u16(b, p), safi: b[p + 2]!, count: b[p + 3]! });
  return out;
};

/** RFC 9234 §4.1 (IANA "BGP Role Value" registry). */
export const BGP_ROLE_NAMES: Record<number, string> = {
  0: 'Provider',
  1: 'RS',
  2: 'RS-Client',
  3: 'Customer',
  4: 'Peer',
};

/** RFC 9234 §4.1: one octet; values 5-255 are unassigned and shown as ROLE_<n>. */
const bgpRole: CapDecoder = (b, start, end) => {
  if (end - start !== 1) return null;
  const role = b[start]!;
  return { role, name: BGP_ROLE_NAMES[role] ?? `ROLE_${role}` };
};

/**
 * RFC 4724 §3 (flags as updated by RFC 8538 §2):
 *   Restart Flags (4 bits: R=0x8 restart state, N=0x4 notification) | Restart Time (12 bits, seconds)
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

/** draft-ietf-idr-dynamic-cap §3: the codes of the capabilities the speaker can revise, one octet each. */
const dynamicCapability: CapDecoder = (b, start, end) => {
  const out: number[] = [];
  for (let p = start; p < end; p++) out.push(b[p]!);
  return out;
};

export type AddPathMode = SendReceive;

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
    const mode = SEND_RECEIVE[b[p + 3]!];
    if (mode === undefined) return null;
    out.push({ afi: u16(b, p), safi: b[p + 2]!, send_receive: mode });
  }
  return out;
};

/**
 * RFC 9494, "LLGR Capability": per family AFI (2), SAFI (1), Flags (1; F=0x80 forwarding
 * state), Long-Lived Stale Time (3, seconds). An empty value (no families) is what FRR sends when LLGR is
 * configured without families; it decodes as [].
 */
const longLivedGracefulRestart: CapDecoder = (b, start, end) => {
  if ((end - start) % 7 !== 0) return null;
  const out: { afi: number; safi: number; forwarding_state: boolean; stale_time: number }[] = [];
  for (let p = start; p < end; p += 7) {
    out.push({ afi: u16(b, p), safi: b[p + 2]!, forwarding_state: (b[p + 3]! & 0x80) !== 0, stale_time: u24(b, p + 4) });
  }
  return out;
};

/**
 * draft-walton-bgp-hostname-capability §3: Hostname Length (1), Hostname, Domain Name Length (1), Domain
 * Name. Both lengths must fit and together fill the value exactly. The names are shown as UTF-8 (invalid
 * sequences as U+FFFD; the bytes are in hex); sinks strip control characters before printing them.
 */
const fqdn: CapDecoder = (b, start, end) => {
  if (end - start < 2) return null;
  const hl = b[start]!;
  const dStart = start + 1 + hl;
  if (dStart + 1 > end) return null;
  const dl = b[dStart]!;
  if (dStart + 1 + dl !== end) return null;
  return { hostname: utf8Loose(b, start + 1, dStart), domain: utf8Loose(b, dStart + 1, end) };
};

/**
 * draft-abraitis-bgp-version-capability §3 (IANA code 75, "Software Version Capability"): Software Version
 * Length (1), then that many octets of UTF-8. The length must fill the value exactly.
 */
const softwareVersion: CapDecoder = (b, start, end) => {
  if (end - start < 1 || start + 1 + b[start]! !== end) return null;
  return { version: utf8Loose(b, start + 1, end) };
};

/** draft-abraitis-idr-addpath-paths-limit §3: one or more <AFI (2), SAFI (1), Paths Limit (2)>. */
const pathsLimit: CapDecoder = (b, start, end) => {
  if ((end - start) % 5 !== 0 || end === start) return null;
  const out: { afi: number; safi: number; limit: number }[] = [];
  for (let p = start; p < end; p += 5) out.push({ afi: u16(b, p), safi: b[p + 2]!, limit: u16(b, p + 3) });
  return out;
};

const CAPS: (CapSpec | undefined)[] = new Array(256);
function def(code: number, name: string, decode: CapDecoder | null = null): void {
  CAPS[code] = { name, decode };
}
def(1, 'multiprotocol', multiprotocol); // RFC 2858 / 4760
def(2, 'route_refresh', flag); // RFC 2918
def(3, 'outbound_route_filtering', orf); // RFC 5291
def(4, 'multiple_routes'); // RFC 8277 deprecates it; no value defined
def(5, 'extended_next_hop', extendedNextHop); // RFC 8950
def(6, 'extended_message', flag); // RFC 8654
def(7, 'bgpsec', bgpsec); // RFC 8205
def(8, 'multiple_labels', multipleLabels); // RFC 8277
def(9, 'bgp_role', bgpRole); // RFC 9234
def(64, 'graceful_restart', gracefulRestart); // RFC 4724
def(65, 'four_octet_as', fourOctetAs); // RFC 6793
def(66, 'deprecated_66'); // IANA: "Deprecated (2003-03-06)"
def(67, 'dynamic_capability', dynamicCapability); // draft-ietf-idr-dynamic-cap
def(68, 'multisession'); // draft-ietf-idr-bgp-multisession
def(69, 'add_path', addPath); // RFC 7911
def(70, 'enhanced_route_refresh', flag); // RFC 7313
def(71, 'long_lived_graceful_restart', longLivedGracefulRestart); // RFC 9494
def(72, 'routing_policy_distribution'); // draft-ietf-idr-rpd
def(73, 'fqdn', fqdn); // draft-walton-bgp-hostname-capability
def(74, 'bfd', flag); // draft-ietf-idr-bgp-bfd-strict-mode: length 0
def(75, 'software_version', softwareVersion); // draft-abraitis-bgp-version-capability
def(76, 'paths_limit', pathsLimit); // draft-abraitis-idr-addpath-paths-limit
def(128, 'route_refresh_cisco', flag); // RFC 8810: prestandard Route Refresh (deprecated)
def(129, 'prestandard_orf_rpd'); // RFC 8810: prestandard ORF / Routing Policy Distribution (deprecated)
def(130, 'outbound_route_filtering_cisco', orf); // RFC 8810: prestandard ORF (deprecated), RFC 5291 layout
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

/**
 * A run of capability triples at [start, end) (RFC 5492 §4; also the data of an Unsupported Capability
 * NOTIFICATION, RFC 5492 §3), or null when the triples do not fill the run exactly.
 */
export function decodeCapabilityList(b: Uint8Array, start: number, end: number): Capability[] | null {
  const out: Capability[] = [];
  let p = start;
  while (p < end) {
    if (p + 2 > end) return null;
    const q = p + 2 + b[p + 1]!;
    if (q > end) return null;
    out.push(decodeCapability(b[p]!, b, p + 2, q));
    p = q;
  }
  return out;
}
