// Linux "cooked" capture header v2, LINKTYPE_LINUX_SLL2 = 276 (https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL2.html).
//
//   0          2          4                8          10         11          12                20
//   | protocol | reserved | interface idx  | ARPHRD   | pkt type | addr len  | link addr (8)  | payload
//
// As in v1 the link address is the sender's and the protocol is an EtherType.

import { etherPayload } from './ethernet.js';
import { type LinkCursor, linkTruncated, u16 } from './layers.js';

const ARPHRD_ETHER = 1;

export function sll2(d: Uint8Array, off: number, c: LinkCursor): number {
  if (d.length < off + 20) return linkTruncated(c, 'Linux cooked (SLL2) header');
  if (u16(d, off + 8) === ARPHRD_ETHER && d[off + 11] === 6) c.srcMacOff = off + 12;
  return etherPayload(d, off + 20, u16(d, off), c);
}
