// Decoded BGP messages: plain data, no behaviour, no formatting. Field names are the snake_case names users
// see in JSON keys, --fields and filters (bgpkit / RIS Live / bgpdump conventions) wherever a value is shown
// as is, so sinks can copy them without a mapping table.

import type { NlriDetail } from './nlri/types.js';

/** RFC 4271 §4.1 message type codes. */
export const MSG_OPEN = 1;
export const MSG_UPDATE = 2;
export const MSG_NOTIFICATION = 3;
export const MSG_KEEPALIVE = 4;
export const MSG_ROUTE_REFRESH = 5;

export const MSG_TYPE_NAMES: Record<number, string> = {
  1: 'OPEN',
  2: 'UPDATE',
  3: 'NOTIFICATION',
  4: 'KEEPALIVE',
  5: 'ROUTE-REFRESH',
};

export function msgTypeName(t: number): string {
  return MSG_TYPE_NAMES[t] ?? `MSG_${t}`;
}

/** Where a decode went wrong: a stable code, a sentence, and the byte offset from the start of the message. */
export interface DecodeErrorInfo {
  code: string;
  message: string;
  offset: number;
}

/**
 * A non-fatal problem, the message still decoded. For a malformed attribute, `action` is what RFC 7606 (or
 * the attribute's own RFC) tells a router to do with it, `attr_code` names the attribute and `hex` holds the
 * whole attribute (flags, type, length, value) as a NOTIFICATION would carry it (RFC 4271 §6.3); warnings
 * about the message as a whole have nulls there.
 */
export interface DecodeWarning {
  code: string;
  message: string;
  offset: number;
  action: 'attribute-discard' | 'treat-as-withdraw' | 'session-reset' | null;
  attr_code: number | null;
  hex: string | null;
}

export interface Capability {
  code: number;
  /** IANA name, e.g. "multiprotocol", "four_octet_as", or `CAP_<n>` for unknown codes. */
  name: string;
  /** Decoded value when bgpcap knows the capability; otherwise null and `hex` carries the bytes. */
  value: unknown;
  hex: string;
}

export interface OpenMessage {
  kind: 'open';
  version: number;
  /** The 2-octet My AS field (23456 = AS_TRANS when the speaker has a 4-octet AS). */
  my_as: number;
  /** The speaker's ASN: the 4-octet AS capability when present, else my_as. */
  asn: number;
  hold_time: number;
  bgp_id: string;
  capabilities: Capability[];
  /** Optional parameters other than capabilities (type 2), e.g. the deprecated authentication parameter. */
  other_params: { type: number; hex: string }[];
  /** The RFC 9072 extended encoding was used (Non-Ext OP Len and Type 255, 2-octet parameter lengths). */
  extended_opt_params: boolean;
}

/** AS path: a flat list of ASNs, with an AS_SET (or confederation set) as a nested array, as bgpkit and RIS Live show it. */
export type AsPath = (number | number[])[];

export interface AsPathSegment {
  /** 1 AS_SET, 2 AS_SEQUENCE, 3 AS_CONFED_SEQUENCE, 4 AS_CONFED_SET (RFC 5065). */
  type: number;
  asns: number[];
}

/**
 * One announced route family in an UPDATE: the next hop and the NLRI entries that use it. `prefixes` has one
 * text per entry: the IP prefix for unicast, multicast, labeled and VPN families, a canonical text for the
 * others (flowspec rule, EVPN route, ...; see src/bgp/nlri/ and the schema). The optional arrays are parallel
 * to `prefixes` and present only for the families that have that part (src/bgp/nlri/types.ts NlriOut).
 */
export interface Announcement {
  afi: number;
  safi: number;
  /** Next hop as text; for IPv6 the global address. null when the message has none (flowspec, or none sent). */
  next_hop: string | null;
  /** IPv6 link-local next hop (RFC 2545, 32-byte next hop; or the next hop itself when it is link-local), else null. */
  next_hop_ll: string | null;
  prefixes: string[];
  /** ADD-PATH path identifiers (RFC 7911), parallel to `prefixes`; null when ADD-PATH is not in use. */
  path_ids: number[] | null;
  /** Route distinguisher per entry (VPN, EVPN, flowspec VPN, MVPN, MDT, VPLS, BGP-LS-VPN); absent for other families. */
  route_distinguishers?: (string | null)[];
  /** MPLS label stack per entry, 20-bit values (labeled, VPN, EVPN); absent for other families. */
  labels?: number[][];
  /** Structured entry (flowspec, EVPN, RTC, MVPN, MDT, VPLS, BGP-LS, raw families); absent for IP prefixes. */
  nlri?: NlriDetail[];
}

/** One withdrawn route family: the entries as in Announcement (MP_UNREACH carries no next hop). */
export interface Withdrawal {
  afi: number;
  safi: number;
  prefixes: string[];
  path_ids: number[] | null;
  route_distinguishers?: (string | null)[];
  labels?: number[][];
  nlri?: NlriDetail[];
}

/** A path attribute bgpcap did not decode (or is kept raw): RFC 4271 §4.3 flags and code, bytes in hex. */
export interface RawAttribute {
  code: number;
  flags: number;
  hex: string;
}

export interface UpdateMessage {
  kind: 'update';
  /** Withdrawn routes: the classic field (IPv4 unicast) first, then every MP_UNREACH_NLRI family. */
  withdrawals: Withdrawal[];
  /** Announced routes: classic NLRI (IPv4 unicast, with NEXT_HOP) first, then every MP_REACH_NLRI family. */
  announcements: Announcement[];
  /** Effective AS path (AS4_PATH merged per RFC 6793 §4.2.3 when the sender is a 2-octet speaker). */
  as_path: AsPath | null;
  /** Raw segments of the effective path, for filters and the human output. */
  as_path_segments: AsPathSegment[] | null;
  /** 'IGP' | 'EGP' | 'INCOMPLETE' (or `ORIGIN_<n>` for an invalid value, with a warning). */
  origin: string | null;
  /** Classic NEXT_HOP attribute (code 3). The per-family next hop is in `announcements`. */
  next_hop: string | null;
  med: number | null;
  local_pref: number | null;
  atomic_aggregate: boolean;
  aggregator_asn: number | null;
  aggregator_ip: string | null;
  communities: string[] | null;
  large_communities: string[] | null;
  /** ORIGINATOR_ID (RFC 4456 §8): the route reflection client that originated the route. */
  originator_id: string | null;
  /** CLUSTER_LIST (RFC 4456 §8): the reflection clusters the route passed through, most recent first. */
  cluster_list: string[] | null;
  /** EXTENDED_COMMUNITIES (RFC 4360) as operators write them: "rt:65001:100", "soo:192.0.2.1:7", ... */
  ext_communities: string[] | null;
  /** IPv6 Address Specific Extended Communities (RFC 5701): "rt:2001:db8::1:100", ... */
  ipv6_ext_communities: string[] | null;
  /** PMSI_TUNNEL (RFC 6514 §5). */
  pmsi_tunnel: PmsiTunnel | null;
  /** AIGP (RFC 7311) accumulated IGP metric (a decimal string above 2^53 - 1). */
  aigp: number | string | null;
  /** ONLY_TO_CUSTOMER (RFC 9234 §5). */
  otc: number | null;
  /** BGP Prefix-SID (RFC 8669, SRv6 services RFC 9252). */
  prefix_sid: PrefixSid | null;
  /** ATTR_SET (RFC 6368): the customer's path attributes carried across a provider. */
  attr_set: AttrSet | null;
  /** BGPsec_PATH (RFC 8205), the value in hex (not verified or decoded). */
  bgpsec_path: string | null;
  /** Every attribute code present, in wire order (for "has attribute" filters and the human output). */
  attr_codes: number[];
  /** Attributes kept raw (unknown or not decoded yet). */
  other_attributes: RawAttribute[];
  /** AFI/SAFI pairs this UPDATE marks End-of-RIB for (RFC 4724 §2), e.g. [[1,1]]. */
  end_of_rib: [number, number][] | null;
  warnings: DecodeWarning[];
}

/** PMSI_TUNNEL (RFC 6514 §5): Flags (1) | Tunnel Type (1) | MPLS Label (3) | Tunnel Identifier (variable). */
export interface PmsiTunnel {
  flags: number;
  /** Flags bit 0x01, Leaf Information Required. */
  leaf_info_required: boolean;
  tunnel_type: number;
  /** IANA "P-Multicast Service Interface Tunnel (PMSI Tunnel) Tunnel Types" name, `TUNNEL_<n>` if unknown. */
  tunnel_type_name: string;
  /** The high-order 20 bits of the label field (RFC 6514 §5). */
  label: number;
  /** The whole 24-bit label field: what EVPN over VXLAN carries as the VNI (RFC 8365 §5.1.3). */
  label_raw: number;
  /** Ingress replication: the endpoint address; PIM trees: "sender,group"; RSVP-TE P2MP: "p2mp-id:tunnel-id:extended-tunnel-id"; otherwise hex ('' when absent). */
  tunnel_id: string;
}

/** An SRv6 SID Information Sub-TLV (RFC 9252 §3.1) with its SID Structure (§3.2.1) when present. */
export interface Srv6Sid {
  sid: string;
  flags: number;
  /** RFC 8986 endpoint behavior code point. */
  behavior: number;
  structure: { lb: number; ln: number; fun: number; arg: number; tpos_len: number; tpos_offset: number } | null;
}

/** BGP Prefix-SID TLVs bgpcap decodes; others in `other_tlvs`. */
export interface PrefixSid {
  /** Label-Index TLV (type 1, RFC 8669 §3.1). */
  label_index: number | null;
  /** Originator SRGB TLV (type 3, RFC 8669 §3.2): [base, range] pairs. */
  srgb: [number, number][] | null;
  /** SRv6 L3 Service TLV (type 5, RFC 9252 §2). */
  srv6_l3_service: Srv6Sid[] | null;
  /** SRv6 L2 Service TLV (type 6, RFC 9252 §2). */
  srv6_l2_service: Srv6Sid[] | null;
  other_tlvs: { type: number; hex: string }[];
}

/**
 * ATTR_SET (RFC 6368 §5): the Origin AS and the customer's attributes, decoded with the same decoders into an
 * UPDATE-shaped object whose prefix lists stay empty (warnings go to the enclosing message).
 */
export interface AttrSet {
  origin_as: number;
  attributes: UpdateMessage;
}

export interface NotificationMessage {
  kind: 'notification';
  code: number;
  subcode: number;
  code_name: string;
  subcode_name: string;
  /** RFC 8203/9003 shutdown communication, decoded as UTF-8, when the Cease subcode carries one. */
  shutdown_message: string | null;
  /** RFC 8538 §3 Hard Reset (Cease subcode 9): the error it wraps, with names; else null. */
  hard_reset: NotificationInner | null;
  /** RFC 4486 §4 Maximum Number of Prefixes Reached (Cease subcode 1) with its optional data; else null. */
  max_prefixes: { afi: number; safi: number; limit: number } | null;
  /** RFC 5492 §3 Unsupported Capability (OPEN error subcode 7): the capabilities the data lists; else null. */
  unsupported_capabilities: Capability[] | null;
  data_hex: string;
}

/** The NOTIFICATION a Hard Reset carries in its data (RFC 8538 §3). */
export interface NotificationInner {
  code: number;
  subcode: number;
  code_name: string;
  subcode_name: string;
  data_hex: string;
}

export interface RouteRefreshMessage {
  kind: 'route_refresh';
  afi: number;
  safi: number;
  /** RFC 7313: 0 normal request, 1 BoRR, 2 EoRR. */
  subtype: number;
  /** 'normal', 'BoRR', 'EoRR' or `SUBTYPE_<n>`. */
  subtype_name: string;
  /** RFC 5291 §4 ORF entries carried by a normal request; null when the message has none. */
  orf: RouteRefreshOrf | null;
  /** Everything after the 4-byte body (the ORF bytes, or other trailing data), hex. */
  data_hex: string;
}

/** The ORF part of a ROUTE-REFRESH (RFC 5291 §4): when to refresh, then ORFs grouped by type. */
export interface RouteRefreshOrf {
  /** 'immediate' (1), 'defer' (2) or `WHEN_<n>`. */
  when_to_refresh: string;
  groups: OrfGroup[];
}

export interface OrfGroup {
  /** ORF Type (IANA registry): 64 address prefix (RFC 5292), 65 CP-ORF (RFC 7543), 128 Cisco prefix list. */
  type: number;
  name: string;
  /** Decoded entries for the prefix ORF types (64, 128) of IPv4/IPv6; null for other types (see hex). */
  entries: OrfEntry[] | null;
  /** The group's entries, hex. */
  hex: string;
}

/** One ORF entry: RFC 5291 §4 common part, then the RFC 5292 §3 address prefix part (null for remove-all). */
export interface OrfEntry {
  /** 'add' (0), 'remove' (1), 'remove-all' (2) or 'action_3' (undefined; FRR sends it to mean remove-all). */
  action: string;
  /** 'permit' (0) or 'deny' (1). */
  match: 'permit' | 'deny';
  sequence: number | null;
  min_len: number | null;
  max_len: number | null;
  prefix: string | null;
}

export interface KeepaliveMessage {
  kind: 'keepalive';
}

export type DecodedMessage =
  | OpenMessage
  | UpdateMessage
  | NotificationMessage
  | RouteRefreshMessage
  | KeepaliveMessage;

/**
 * What a session knows from its OPENs and applies to its UPDATEs. One per TCP connection, shared by both
 * directions; ADD-PATH is per direction (RFC 7911 §4: a speaker may receive path ids only if it advertised
 * receive and the peer advertised send).
 */
export interface SessionParams {
  /** Both OPENs carried the 4-octet AS capability (RFC 6793 §3); null = unknown (no OPEN seen). */
  as4: boolean | null;
  /** Extended messages up to 65535 bytes (RFC 8654), negotiated by both sides. */
  extended_message: boolean;
  /**
   * Families on which the sender of the message being decoded sends path ids, as `afi:safi` keys.
   * null = unknown (no OPEN seen), then the decoder infers.
   */
  add_path_send: Set<string> | null;
}

/** How the decoder filled in what the OPENs would have said, recorded on the message when no OPEN was seen. */
export interface Inference {
  as4?: boolean;
  add_path?: boolean;
}
