// Link types without a link header: the frame starts with the IP header.
//   LINKTYPE_RAW = 101 (and the DLT_RAW values 12 and 14 that some old files carry as their link type):
//     IPv4 or IPv6, told apart by the version nibble.
//   LINKTYPE_IPV4 = 228, LINKTYPE_IPV6 = 229: the version is given by the link type.

import { type LinkCursor, NET_IPV4, NET_IPV6, NET_NONE, linkTruncated } from './layers.js';

export function rawIp(d: Uint8Array, off: number, c: LinkCursor): number {
  if (d.length <= off) return linkTruncated(c, 'IP version nibble');
  c.off = off;
  const version = d[off]! >> 4;
  if (version === 4) return NET_IPV4;
  if (version === 6) return NET_IPV6;
  return NET_NONE;
}

export function rawIpv4(_d: Uint8Array, off: number, c: LinkCursor): number {
  c.off = off;
  return NET_IPV4;
}

export function rawIpv6(_d: Uint8Array, off: number, c: LinkCursor): number {
  c.off = off;
  return NET_IPV6;
}
