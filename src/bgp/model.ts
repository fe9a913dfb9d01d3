// Decoded BGP messages: plain data, no behaviour, no formatting. Field names are the snake_case names users
// see in JSON keys, --fields and filters (bgpkit / RIS Live / bgpdump conventions) wherever a value is shown
// as is, so sinks can copy them without a mapping table.

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

/** A non-fatal problem (RFC 7606 style: attribute discarded / treat-as-withdraw), the message still decoded. */
export interface DecodeWarning {
  code: string;
  message: string;
  offset: number;
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
}

/** AS path: a flat list of ASNs, with an AS_SET (or confederation set) as a nested array, as bgpkit and RIS Live show it. */
export type AsPath = (number | number[])[];

export interface AsPathSegment {
  /** 1 AS_SET, 2 AS_SEQUENCE, 3 AS_CONFED_SEQUENCE, 4 AS_CONFED_SET (RFC 5065). */
  type: number;
  asns: number[];
}

/** One announced route family in an UPDATE: the next hop and the prefixes that use it. */
export interface Announcement {
  afi: number;
  safi: number;
  /** Next hop as text; for IPv6 the global address. null when the message has none (should not happen for A). */
  next_hop: string | null;
  /** IPv6 link-local next hop (RFC 2545, 32-byte next hop), else null. */
  next_hop_ll: string | null;
  prefixes: string[];
  /** ADD-PATH path identifiers (RFC 7911), parallel to `prefixes`; null when ADD-PATH is not in use. */
  path_ids: number[] | null;
}

export interface Withdrawal {
  afi: number;
  safi: number;
  prefixes: string[];
  path_ids: number[] | null;
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
  /** Every attribute code present, in wire order (for "has attribute" filters and the human output). */
  attr_codes: number[];
  /** Attributes kept raw (unknown or not decoded yet). */
  other_attributes: RawAttribute[];
  /** AFI/SAFI pairs this UPDATE marks End-of-RIB for (RFC 4724 §2), e.g. [[1,1]]. */
  end_of_rib: [number, number][] | null;
  warnings: DecodeWarning[];
}

export interface NotificationMessage {
  kind: 'notification';
  code: number;
  subcode: number;
  code_name: string;
  subcode_name: string;
  /** RFC 8203/9003 shutdown communication, decoded as UTF-8, when the Cease subcode carries one. */
  shutdown_message: string | null;
  data_hex: string;
}

export interface RouteRefreshMessage {
  kind: 'route_refresh';
  afi: number;
  safi: number;
  /** RFC 7313: 0 normal request, 1 BoRR, 2 EoRR. */
  subtype: number;
  /** ORF entries (RFC 5291) or other trailing data, hex. */
  data_hex: string;
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
