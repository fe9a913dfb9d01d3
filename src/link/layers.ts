// Status codes and the reusable scratch records that the structure decoders of this folder fill in.
//
// Every frame goes through the link decoder, and almost all of them are not ours (not TCP, not a BGP port).
// So the structure decoders allocate nothing: they return a small integer and write offsets into one
// long-lived record. Only decode.ts turns offsets into strings and objects, and only for the frames that are
// ours or that the user must hear about.

/** Link-layer outcome: the network header at `cursor.off` is IPv4. */
export const NET_IPV4 = 4;
/** Link-layer outcome: the network header at `cursor.off` is IPv6. */
export const NET_IPV6 = 6;
/** Link-layer outcome: not an IP packet (ARP, LLDP, IS-IS, SLARP, an MPLS pseudowire...): not ours. */
export const NET_NONE = 0;
/** Link-layer outcome: the captured bytes end inside the link header (`cursor.why` says which). */
export const NET_TRUNCATED = -1;

/** Where the network header starts, and which link addresses the frame carried. */
export interface LinkCursor {
  /** Offset of the IPv4/IPv6 header in the frame. */
  off: number;
  /** Offset of the 6-byte destination / source MAC address, -1 when the link layer has none. */
  dstMacOff: number;
  srcMacOff: number;
  /** Which header the bytes end in, for NET_TRUNCATED. */
  why: string;
}

export function newCursor(): LinkCursor {
  return { off: 0, dstMacOff: -1, srcMacOff: -1, why: '' };
}

/** Record which link header the captured bytes end in; returns NET_TRUNCATED. */
export function linkTruncated(c: LinkCursor, what: string): number {
  c.why = what;
  return NET_TRUNCATED;
}

/** IP outcome: a TCP packet (or a fragment that may hold one), described by the IpHeader. */
export const IP_OK = 0;
/** IP outcome: another transport protocol, or a fragment of one: not ours. */
export const IP_NOT_OURS = 1;
/** IP outcome: the captured bytes end inside the IP header or its extension headers (`why` names it). */
export const IP_TRUNCATED = 2;
/** IP outcome: the header contradicts itself (`why` says how). */
export const IP_MALFORMED = 3;

/** Fragment state of an IP packet. */
export const FRAG_NONE = 0;
/** Offset 0 with more fragments to come: the transport header (and so the ports) may be present. */
export const FRAG_FIRST = 1;
/** Offset > 0: no transport header in this piece. */
export const FRAG_LATER = 2;

/** What the IPv4 / IPv6 decoders found; offsets are into the frame. */
export interface IpHeader {
  version: 4 | 6;
  /** Offsets of the source and destination addresses, -1 when the snaplen cut them. */
  srcOff: number;
  dstOff: number;
  /**
   * Transport protocol: 6 (TCP) for IP_OK, except -1 for a later IPv6 fragment whose fragmentable part starts
   * with an extension header, so the transport protocol is unknowable without reassembly.
   */
  proto: number;
  /** Offset of the transport header (meaningless for FRAG_LATER). */
  l4Off: number;
  /**
   * End of the IP packet as its length field says, in frame offsets. Can exceed the captured length when the
   * snaplen cut the packet; never exceeds the length of the frame on the wire (that is malformed).
   */
  end: number;
  frag: number;
  /** Fragment offset in bytes, identification, more-fragments flag (when frag !== FRAG_NONE). */
  fragOffset: number;
  fragId: number;
  fragMore: boolean;
  /** Description of the problem for IP_TRUNCATED / IP_MALFORMED. */
  why: string;
}

export function newIpHeader(): IpHeader {
  return {
    version: 4,
    srcOff: -1,
    dstOff: -1,
    proto: 0,
    l4Off: 0,
    end: 0,
    frag: FRAG_NONE,
    fragOffset: 0,
    fragId: 0,
    fragMore: false,
    why: '',
  };
}

/** Big-endian 16-bit read; caller guarantees the bytes exist. */
export function u16(d: Uint8Array, off: number): number {
  return (d[off]! << 8) | d[off + 1]!;
}

/** Big-endian unsigned 32-bit read; caller guarantees the bytes exist. */
export function u32(d: Uint8Array, off: number): number {
  return ((d[off]! << 24) | (d[off + 1]! << 16) | (d[off + 2]! << 8) | d[off + 3]!) >>> 0;
}
