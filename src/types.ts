// The small types that cross stage boundaries (see src/README.md for the picture).
//
//   source ──Frame──▶ link ──Segment──▶ tcp reassembly ──bytes──▶ bgp framer ──RawMessage──▶ decode ──▶ Record ──▶ sink
//
// A stage knows the types on its two sides and nothing else.

/** Capture time: integer seconds plus integer nanoseconds, so nanosecond captures keep every digit. */
export interface Timestamp {
  sec: number;
  nsec: number;
}

/**
 * One captured frame, as a capture source hands it on. `data` is a view that is only valid during the
 * callback: the source may reuse its buffer for the next frame, so a stage that keeps bytes must copy them.
 */
export interface Frame {
  /** 1-based frame number within its input file (what tshark and Wireshark call the frame number). */
  frameNo: number;
  ts: Timestamp;
  /** LINKTYPE_* value (https://www.tcpdump.org/linktypes.html). */
  linkType: number;
  /** Captured bytes (caplen of them). */
  data: Uint8Array;
  /** Length of the packet on the wire; > data.length when the snaplen cut the frame. */
  origLen: number;
  /** Interface name or index as the capture recorded it (pcapng IDB name, live interface), null if unknown. */
  iface: string | null;
}

/** An endpoint as printed: IPv4 dotted quad or IPv6 RFC 5952 text. */
export type IpText = string;

/** A TCP segment with its IP addressing, produced by the link stage. `payload` is a view into the frame. */
export interface Segment {
  frameNo: number;
  ts: Timestamp;
  iface: string | null;
  ipVersion: 4 | 6;
  srcIp: IpText;
  dstIp: IpText;
  srcPort: number;
  dstPort: number;
  seq: number; // uint32
  ack: number; // uint32
  /** TCP flags byte (FIN=0x01 SYN=0x02 RST=0x04 PSH=0x08 ACK=0x10 URG=0x20). */
  flags: number;
  payload: Uint8Array;
  /**
   * Number of payload bytes the segment carried on the wire but the capture did not keep (snaplen).
   * Non-zero means the payload is truncated: the reassembler must report it, never guess the missing bytes.
   */
  missing: number;
  /** Source/destination MAC when the link layer had them, for stage-1 filters. */
  srcMac: string | null;
  dstMac: string | null;
}

/** Something the lower layers want the user to know about, e.g. an IP fragment they did not reassemble. */
export interface LinkNotice {
  frameNo: number;
  ts: Timestamp;
  iface: string | null;
  /** 'ip_fragment' | 'truncated_frame' | 'unsupported_link' | 'malformed_packet' */
  code: string;
  message: string;
  srcIp: IpText | null;
  dstIp: IpText | null;
  srcPort: number | null;
  dstPort: number | null;
}
