// PPP, LINKTYPE_PPP = 9 and LINKTYPE_PPP_HDLC = 50 (https://www.tcpdump.org/linktypes.html).
//
//   [ 0xFF 0x03 ]  protocol (1 or 2 bytes)  payload
//
// RFC 1662 §3.1: in HDLC-like framing the frame starts with address 0xFF and control 0x03; LINKTYPE_PPP may
// or may not carry them (Address-and-Control-Field-Compression, RFC 1661 §6.6, drops them).
// RFC 1661 §2: protocol numbers have an odd last byte and an even first byte, so a first byte with its low
// bit set is a 1-byte protocol field (Protocol-Field-Compression, §6.5).
// A first byte 0x0F or 0x8F is Cisco HDLC framing: LINKTYPE_PPP_HDLC allows it explicitly, and real files
// labelled LINKTYPE_PPP carry it too (Wireshark decodes both as Cisco HDLC).

import { chdlc } from './chdlc.js';
import { mpls } from './mpls.js';
import { type LinkCursor, NET_IPV4, NET_IPV6, NET_NONE, linkTruncated, u16 } from './layers.js';

/** RFC 1332 IPv4, RFC 5072 IPv6, RFC 3032 §4 MPLS unicast / multicast. */
const PPP_IPV4 = 0x0021;
const PPP_IPV6 = 0x0057;
const PPP_MPLS = 0x0281;
const PPP_MPLS_MC = 0x0283;

export function ppp(d: Uint8Array, off: number, c: LinkCursor): number {
  if (d.length < off + 1) return linkTruncated(c, 'PPP header');
  const first = d[off]!;
  if (first === 0x0f || first === 0x8f) return chdlc(d, off, c);
  if (first === 0xff) {
    if (d.length < off + 2) return linkTruncated(c, 'PPP header');
    if (d[off + 1] === 0x03) off += 2;
  }
  if (d.length < off + 1) return linkTruncated(c, 'PPP protocol');
  let proto: number;
  if ((d[off]! & 0x01) !== 0) {
    proto = d[off]!;
    off += 1;
  } else {
    if (d.length < off + 2) return linkTruncated(c, 'PPP protocol');
    proto = u16(d, off);
    off += 2;
  }
  if (proto === PPP_IPV4) {
    c.off = off;
    return NET_IPV4;
  }
  if (proto === PPP_IPV6) {
    c.off = off;
    return NET_IPV6;
  }
  if (proto === PPP_MPLS || proto === PPP_MPLS_MC) return mpls(d, off, c);
  return NET_NONE;
}
