// Cisco HDLC, LINKTYPE_C_HDLC = 104 (https://www.tcpdump.org/linktypes/LINKTYPE_C_HDLC.html).
//
//   0         1         2                4
//   | address | control | protocol (2)   | payload
//
// Address is 0x0F (unicast) or 0x8F (broadcast), control 0x00; the protocol is an EtherType (0x0800 IPv4,
// 0x86DD IPv6, 0x8847 MPLS; 0x8035 SLARP keepalives are not ours).

import { etherPayload } from './ethernet.js';
import { type LinkCursor, linkTruncated, u16 } from './layers.js';

export function chdlc(d: Uint8Array, off: number, c: LinkCursor): number {
  if (d.length < off + 4) return linkTruncated(c, 'Cisco HDLC header');
  return etherPayload(d, off + 4, u16(d, off + 2), c);
}
