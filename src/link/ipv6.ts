// IPv6 header and extension headers, RFC 8200.
//
//   0       4               12                                      32
//   |Version| Traffic Class |           Flow Label                  |
//   |         Payload Length        |  Next Header  |   Hop Limit   |
//   |                Source Address (16) | Destination Address (16) |
//
// Extension headers (§4) are walked until TCP: Hop-by-Hop 0, Routing 43, Destination Options 60 and the
// RFC 6564 uniform-format ones (Mobility 135, HIP 139, Shim6 140) are (len + 1) * 8 bytes; AH 51 (RFC 4302
// §2.2) is (len + 2) * 4 bytes; Fragment 44 (§4.5) is 8 bytes. ESP 50 hides what follows, No Next Header 59
// ends the packet: neither is ours. Payload Length clips Ethernet padding, as the IPv4 total length does.

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
  u32,
} from './layers.js';

const PROTO_TCP = 6;
const NH_HOP_BY_HOP = 0;
const NH_ROUTING = 43;
const NH_FRAGMENT = 44;
const NH_AH = 51;
const NH_DEST_OPTS = 60;
const NH_MOBILITY = 135;
const NH_HIP = 139;
const NH_SHIM6 = 140;

/** Extension headers with a length we can skip (the Fragment header is handled apart). */
function skippable(nh: number): boolean {
  return (
    nh === NH_HOP_BY_HOP ||
    nh === NH_ROUTING ||
    nh === NH_DEST_OPTS ||
    nh === NH_AH ||
    nh === NH_MOBILITY ||
    nh === NH_HIP ||
    nh === NH_SHIM6
  );
}

/** Decode the IPv6 header at `off` and its extension headers. `wireEnd` as for ipv4(). */
export function ipv6(d: Uint8Array, off: number, wireEnd: number, h: IpHeader): number {
  h.version = 6;
  h.srcOff = -1;
  h.dstOff = -1;
  h.frag = FRAG_NONE;
  const avail = d.length - off;
  if (avail < 40) {
    if (avail >= 7) {
      const nh = d[off + 6]!;
      if (nh !== PROTO_TCP && nh !== NH_FRAGMENT && !skippable(nh)) return IP_NOT_OURS;
    }
    h.why = `IPv6 header (${avail < 0 ? 0 : avail} of 40 bytes)`;
    return IP_TRUNCATED;
  }
  let nh = d[off + 6]!;
  if (nh !== PROTO_TCP && nh !== NH_FRAGMENT && !skippable(nh)) return IP_NOT_OURS;
  h.srcOff = off + 8;
  h.dstOff = off + 24;
  if (d[off]! >> 4 !== 6) {
    h.why = `IPv6 header with version ${d[off]! >> 4}`;
    return IP_MALFORMED;
  }
  const plen = u16(d, off + 4);
  if (plen === 0) {
    // Jumbogram (RFC 2675) or a segmentation-offload super-frame: read to the end of the frame, as
    // Wireshark does. Jumbo payload options are not decoded.
    h.end = wireEnd;
  } else {
    h.end = off + 40 + plen;
    if (h.end > wireEnd) {
      h.why = `IPv6 payload length ${plen} exceeds the ${wireEnd - off - 40} bytes on the wire`;
      return IP_MALFORMED;
    }
  }
  let p = off + 40;
  while (nh !== PROTO_TCP) {
    if (nh === NH_FRAGMENT) {
      if (p + 8 > h.end) {
        h.why = 'IPv6 fragment header beyond the payload length';
        return IP_MALFORMED;
      }
      if (p + 8 > d.length) {
        h.why = 'IPv6 fragment header';
        return IP_TRUNCATED;
      }
      const next = d[p]!;
      // Offset in 8-byte units in the upper 13 bits, so the masked value is the offset in bytes; M is bit 0.
      const fragOffset = u16(d, p + 2) & 0xfff8;
      const more = (d[p + 3]! & 0x01) !== 0;
      const id = u32(d, p + 4);
      p += 8;
      nh = next;
      // RFC 6946: offset 0 without M is an "atomic fragment", a whole packet; decode it as one.
      if (fragOffset === 0 && !more) continue;
      h.fragOffset = fragOffset;
      h.fragMore = more;
      h.fragId = id;
      if (fragOffset === 0) {
        // First fragment: the rest of the chain and the TCP header (ports) may be here; keep walking.
        h.frag = FRAG_FIRST;
        continue;
      }
      h.frag = FRAG_LATER;
      // The Next Header of the Fragment header names the first header of the fragmentable part (RFC 8200
      // §4.5): TCP, or an extension header that hides the transport protocol until reassembly.
      if (next === PROTO_TCP) {
        h.proto = PROTO_TCP;
        return IP_OK;
      }
      if (next === NH_FRAGMENT || skippable(next)) {
        h.proto = -1;
        return IP_OK;
      }
      return IP_NOT_OURS;
    }
    if (!skippable(nh)) return IP_NOT_OURS;
    if (p + 2 > h.end) {
      h.why = `IPv6 extension header ${nh} beyond the payload length`;
      return IP_MALFORMED;
    }
    if (p + 2 > d.length) {
      h.why = `IPv6 extension header ${nh}`;
      return IP_TRUNCATED;
    }
    const len = nh === NH_AH ? (d[p + 1]! + 2) * 4 : (d[p + 1]! + 1) * 8;
    if (p + len > h.end) {
      h.why = `IPv6 extension header ${nh} of ${len} bytes runs past the payload length`;
      return IP_MALFORMED;
    }
    nh = d[p]!;
    p += len;
  }
  h.proto = PROTO_TCP;
  h.l4Off = p;
  return IP_OK;
}
