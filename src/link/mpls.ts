// MPLS label stack (RFC 3032 §2.1), reached from EtherType 0x8847/0x8848, PPP protocol 0x0281/0x0283,
// Cisco HDLC protocol 0x8847 or a Juniper header.
//
//   0                   1                   2                   3
//   | Label (20 bits)                       |TC |S| TTL           |   one 4-byte entry per label
//
// The stack ends at the entry with S (bottom of stack) set. The label stack does not say what follows
// (RFC 3032 §2.2: the receiver knows from the label binding), so guess like every capture tool does: the
// version nibble 4 or 6 is IP. Anything else (a pseudowire control word, an Ethernet pseudowire) is not ours.

import { type LinkCursor, NET_IPV4, NET_IPV6, NET_NONE, linkTruncated } from './layers.js';

export function mpls(d: Uint8Array, off: number, c: LinkCursor): number {
  for (;;) {
    if (d.length < off + 4) return linkTruncated(c, 'MPLS label stack');
    const bottom = d[off + 2]! & 0x01;
    off += 4;
    if (bottom !== 0) break;
  }
  if (off >= d.length) return linkTruncated(c, 'MPLS payload');
  const version = d[off]! >> 4;
  c.off = off;
  if (version === 4) return NET_IPV4;
  if (version === 6) return NET_IPV6;
  return NET_NONE;
}
