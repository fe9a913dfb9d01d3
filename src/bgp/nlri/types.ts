// The shapes family decoders fill. Announcement and Withdrawal (model.ts) both satisfy NlriOut: every array
// is parallel to `prefixes` (one element per NLRI entry), and the optional ones exist only for the families
// that have that part, so an IPv4 unicast announcement keeps its small shape on the hot path.
//
// `prefixes` holds the main text of each entry: the IP prefix for unicast, multicast, labeled and VPN
// families (so prefix filters work whatever the family), a canonical text for the others (documented per
// family in its file and in schema/record.schema.json). `nlri` holds the structured form of the families
// whose entry is more than a prefix.

/** What a family's NLRI decoder appends to: one element per entry in each array present. */
export interface NlriOut {
  prefixes: string[];
  path_ids: number[] | null;
  /** RFC 4364 §4.2 route distinguisher text per entry (null for an entry without one, e.g. an MVPN Leaf A-D route). */
  route_distinguishers?: (string | null)[];
  /** MPLS label values (20 bits) per entry, top of the stack first. */
  labels?: number[][];
  /** Family-specific structure per entry. */
  nlri?: NlriDetail[];
}

/** RFC 8955 §4.2.1.1 numeric operator term, e.g. `>=1024`; `and` joins it to the previous term. */
export interface NumericTerm {
  and: boolean;
  /** '=', '>', '>=', '<', '<=', '!=', 'true' or 'false' (lt/gt/eq bits 111 and 000). */
  op: string;
  /** Values wider than 2^53 (8-byte operands) are decimal strings. */
  value: number | string;
}

/** RFC 8955 §4.2.1.2 bitmask operator term: match = (data & value) == value, else (data & value) != 0; `not` negates. */
export interface BitmaskTerm {
  and: boolean;
  not: boolean;
  match: boolean;
  value: number;
}

/** One flowspec component (RFC 8955 §4.2.2, RFC 8956 §3). */
export interface FlowspecComponent {
  type: number;
  /** dst, src, proto, port, dport, sport, icmp-type, icmp-code, tcp-flags, length, dscp, fragment, flow-label, or type<n>. */
  name: string;
  /** Types 1 and 2: the prefix (IPv6: bits outside offset..length zero). */
  prefix?: string;
  /** IPv6 types 1 and 2: bits of the address skipped before the pattern (RFC 8956 §3.1). */
  offset?: number;
  /** Numeric components. */
  numeric?: NumericTerm[];
  /** tcp-flags and fragment. */
  bitmask?: BitmaskTerm[];
  /** A component type bgpcap does not know: the rest of the rule, raw (its length cannot be known). */
  hex?: string;
}

export interface FlowspecRule {
  kind: 'flowspec';
  components: FlowspecComponent[];
}

/** RFC 7432 §7 / RFC 9136 §3 EVPN route. Fields appear for the route types that carry them. */
export interface EvpnRoute {
  kind: 'evpn';
  route_type: number;
  /** ethernet_ad (1), mac_ip (2), inclusive_multicast (3), ethernet_segment (4), ip_prefix (5), type<n>. */
  name: string;
  /** Ethernet Segment Identifier, 10 bytes as colon-separated hex (types 1, 2, 4, 5). */
  esi?: string;
  ethernet_tag?: number;
  /** Type 2. */
  mac?: string;
  /** Type 2: the IP address, null when the route carries none. */
  ip?: string | null;
  /** Types 3 and 4: the originating router's address. */
  originator?: string;
  /** Type 5: the IP prefix. */
  prefix?: string;
  /** Type 5: the gateway address. */
  gateway?: string;
  /**
   * The 3-byte label fields as sent (24-bit values). With MPLS encapsulation the label is value >> 4 (also in
   * `labels`); with VXLAN/NVGRE the whole value is the VNI/VSID (RFC 8365 §5.1.3).
   */
  label_fields?: number[];
  /** Route types bgpcap does not decode: the route's bytes after its length. */
  hex?: string;
}

/** RFC 4684 §4 route target membership. */
export interface RtcRoute {
  kind: 'rtc';
  /** Prefix length in bits over origin AS + route target: 0 (default) or 32..96. */
  length: number;
  /** null when length < 32 (the default route, or part of an AS). */
  origin_as: number | null;
  /** Route target text of the bytes present, zero-filled (null when length <= 32: no route target byte). */
  route_target: string | null;
}

/** RFC 6514 §4 MCAST-VPN route. */
export interface MvpnRoute {
  kind: 'mvpn';
  route_type: number;
  /** intra_as_ipmsi_ad (1), inter_as_ipmsi_ad (2), spmsi_ad (3), leaf_ad (4), source_active_ad (5), shared_tree_join (6), source_tree_join (7), type<n>. */
  name: string;
  originator?: string;
  source_as?: number;
  /** Multicast source and group; null for a wildcard (RFC 6625: length 0). */
  source?: string | null;
  group?: string | null;
  /** Leaf A-D: the route key (an MVPN route), hex. */
  route_key?: string;
  hex?: string;
}

/** RFC 7752 §3.2 BGP-LS NLRI: the type and the raw value (after the RD for SAFI 72). */
export interface BgpLsNlri {
  kind: 'bgp_ls';
  nlri_type: number;
  /** node (1), link (2), ipv4_prefix (3), ipv6_prefix (4), sr_policy (5), srv6_sid (6), type<n>. */
  name: string;
  /** RFC 7752 §3.2 Protocol-ID, when the value has one (types 1-4, 6). */
  protocol_id: number | null;
  hex: string;
}

/** RFC 4761 §3.2.2 VPLS NLRI, or RFC 6074 §7.1 BGP-AD (same SAFI, 12-byte value). */
export interface VplsNlri {
  kind: 'vpls';
  ve_id?: number;
  ve_block_offset?: number;
  ve_block_size?: number;
  /** First label of the block (20-bit label value). */
  label_base?: number;
  /** RFC 6074: the PE address. */
  pe?: string;
  hex?: string;
}

/** RFC 6037 §5 MDT SAFI NLRI. */
export interface MdtNlri {
  kind: 'mdt';
  /** The originating PE's IPv4 address. */
  address: string;
  group: string;
}

/** An NLRI bgpcap keeps raw: a family it does not decode (the whole NLRI field is one entry). */
export interface RawNlri {
  kind: 'raw';
  hex: string;
}

export type NlriDetail = FlowspecRule | EvpnRoute | RtcRoute | MvpnRoute | BgpLsNlri | VplsNlri | MdtNlri | RawNlri;
