// BSD loopback encapsulations: a 4-byte address family, then the IP packet.
//   LINKTYPE_NULL = 0: the family is in the byte order of the machine that captured, which the file does not
//     record. Families are small numbers, so a value with its upper 16 bits set must be the other byte order
//     (the same test Wireshark and tcpdump make).
//   LINKTYPE_LOOP = 108 (OpenBSD): the same family, always in network byte order.
//
// AF_INET is 2 everywhere; AF_INET6 is 24 (NetBSD, OpenBSD, BSD/OS), 28 (FreeBSD, DragonFly) or 30 (Darwin).

import { type LinkCursor, NET_IPV4, NET_IPV6, NET_NONE, linkTruncated, u32 } from './layers.js';

function family(af: number, off: number, c: LinkCursor): number {
  c.off = off;
  if (af === 2) return NET_IPV4;
  if (af === 24 || af === 28 || af === 30) return NET_IPV6;
  return NET_NONE;
}

export function nullLink(d: Uint8Array, off: number, c: LinkCursor): number {
  if (d.length < off + 4) return linkTruncated(c, 'loopback (NULL) header');
  let af = u32(d, off);
  if ((af & 0xffff0000) !== 0) af = (d[off]! | (d[off + 1]! << 8) | (d[off + 2]! << 16) | (d[off + 3]! << 24)) >>> 0;
  return family(af, off + 4, c);
}

export function loopLink(d: Uint8Array, off: number, c: LinkCursor): number {
  if (d.length < off + 4) return linkTruncated(c, 'loopback (LOOP) header');
  return family(u32(d, off), off + 4, c);
}
