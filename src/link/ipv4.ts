// IPv4 header, RFC 791 §3.1.
//
//   0       4       8               16      19                      32
//   |Version|  IHL  |Type of Service|          Total Length         |
//   |         Identification        |Flags|     Fragment Offset     |
//   |  Time to Live |    Protocol   |        Header Checksum        |
//   |                        Source Address                         |
//   |                      Destination Address                      |
//   |                 Options (IHL > 5) ...                         |
//
// The Total Length, not the frame, says where the packet ends: Ethernet pads short frames to 60 bytes and
// may keep the FCS, and those bytes must never reach the TCP payload.

import {
  FRAG_FIRST,
  FRAG_LATER,
  FRAG_NONE,
  IP_MALFORMED,
  IP_NOT_OURS,
  IP_OK,
  IP_TRUNCATED,
  type IpHeader,
  u16,
} from './layers.js';

const PROTO_TCP = 6;

/**
 * Decode the IPv4 header at `off`. `wireEnd` is the frame's length on the wire (in frame offsets). Cheap
 * rejection first: any protocol but TCP returns IP_NOT_OURS before anything else is looked at.
 */
export function ipv4(d: Uint8Array, off: number, wireEnd: number, h: IpHeader): number {
  h.version = 4;
  h.srcOff = -1;
  h.dstOff = -1;
  const avail = d.length - off;
  if (avail < 20) {
    if (avail >= 10 && d[off + 9] !== PROTO_TCP) return IP_NOT_OURS;
    h.why = `IPv4 header (${avail < 0 ? 0 : avail} of 20 bytes)`;
    return IP_TRUNCATED;
  }
  if (d[off + 9] !== PROTO_TCP) return IP_NOT_OURS;
  h.srcOff = off + 12;
  h.dstOff = off + 16;
  const vihl = d[off]!;
  if (vihl >> 4 !== 4) {
    h.why = `IPv4 header with version ${vihl >> 4}`;
    return IP_MALFORMED;
  }
  const ihl = (vihl & 0x0f) * 4;
  if (ihl < 20) {
    h.why = `IPv4 header length ${ihl} < 20`;
    return IP_MALFORMED;
  }
  const total = u16(d, off + 2);
  if (total === 0) {
    // A total length of 0 is what TCP segmentation offload leaves in super-frames captured on the sending
    // host (the NIC fills it in per segment); Wireshark reads such packets up to the end of the frame too.
    h.end = wireEnd;
  } else {
    if (total < ihl) {
      h.why = `IPv4 total length ${total} < header length ${ihl}`;
      return IP_MALFORMED;
    }
    h.end = off + total;
    if (h.end > wireEnd) {
      h.why = `IPv4 total length ${total} exceeds the ${wireEnd - off} bytes on the wire`;
      return IP_MALFORMED;
    }
  }
  h.proto = PROTO_TCP;
  h.l4Off = off + ihl;
  // Flags (3 bits: reserved, DF, MF) and the offset in 8-byte units.
  const fragField = u16(d, off + 6);
  const fragOffset = (fragField & 0x1fff) * 8;
  const more = (fragField & 0x2000) !== 0;
  if (fragOffset !== 0 || more) {
    h.frag = fragOffset !== 0 ? FRAG_LATER : FRAG_FIRST;
    h.fragOffset = fragOffset;
    h.fragMore = more;
    h.fragId = u16(d, off + 4);
  } else {
    h.frag = FRAG_NONE;
  }
  if (off + ihl > d.length) {
    h.why = `IPv4 options (${avail} of ${ihl} header bytes)`;
    return IP_TRUNCATED;
  }
  return IP_OK;
}
