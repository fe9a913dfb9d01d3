// Linux "cooked" capture header v1, LINKTYPE_LINUX_SLL = 113 (https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL.html).
// What libpcap writes for `-i any` and for devices without a link header of their own.
//
//   0            2            4               6                  14          16
//   | pkt type   | ARPHRD     | addr length   | link addr (8)    | protocol  | payload
//
// The link address is the sender's (there is no destination address). The protocol field is an EtherType
// for the link types that matter here, so VLAN tags left in the packet and MPLS are followed as on Ethernet.

import { etherPayload } from './ethernet.js';
import { type LinkCursor, linkTruncated, u16 } from './layers.js';

/** ARPHRD_ETHER: the link address is a MAC. */
const ARPHRD_ETHER = 1;

export function sll(d: Uint8Array, off: number, c: LinkCursor): number {
  if (d.length < off + 16) return linkTruncated(c, 'Linux cooked (SLL) header');
  if (u16(d, off + 2) === ARPHRD_ETHER && u16(d, off + 4) === 6) c.srcMacOff = off + 6;
  return etherPayload(d, off + 16, u16(d, off + 14), c);
}
