// Ethernet II (IEEE 802.3) and the EtherType chain behind it: 802.1Q / 802.1ad / QinQ tags, MPLS, IEEE 802.2
// LLC/SNAP. LINKTYPE_ETHERNET = 1.
//
//   0      6      12         14 (+4 per VLAN tag)
//   | dst  | src  | type/len | payload ... [padding to 60 bytes] [FCS]
//
// Padding and a possible FCS trail the IP packet; the IP length fields, not the frame length, say where the
// packet ends (ipv4.ts / ipv6.ts clip them off).

import { mpls } from './mpls.js';
import { type LinkCursor, NET_IPV4, NET_IPV6, NET_NONE, linkTruncated, u16 } from './layers.js';

export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_IPV6 = 0x86dd;
/** IEEE 802.1Q customer VLAN tag. */
export const ETHERTYPE_VLAN = 0x8100;
/** IEEE 802.1ad service VLAN tag (outer tag of a QinQ stack). */
export const ETHERTYPE_QINQ = 0x88a8;
/** Pre-standard QinQ outer tag used by older Cisco / Juniper gear. */
export const ETHERTYPE_QINQ_OLD = 0x9100;
/** RFC 3032 §5: MPLS unicast and multicast. */
export const ETHERTYPE_MPLS = 0x8847;
export const ETHERTYPE_MPLS_MC = 0x8848;

/** Decode the Ethernet header at `off`; on success `c.off` is the network header. */
export function ethernet(d: Uint8Array, off: number, c: LinkCursor): number {
  if (d.length < off + 14) return linkTruncated(c, 'Ethernet header');
  c.dstMacOff = off;
  c.srcMacOff = off + 6;
  return etherPayload(d, off + 14, u16(d, off + 12), c);
}

/**
 * Follow an EtherType (also used by SLL, SLL2 and Cisco HDLC, whose protocol fields are EtherTypes) through
 * VLAN tags, LLC/SNAP and MPLS to an IP header. Each step consumes bytes, so the loop ends.
 */
export function etherPayload(d: Uint8Array, off: number, type: number, c: LinkCursor): number {
  for (;;) {
    if (type === ETHERTYPE_IPV4) {
      c.off = off;
      return NET_IPV4;
    }
    if (type === ETHERTYPE_IPV6) {
      c.off = off;
      return NET_IPV6;
    }
    if (type === ETHERTYPE_VLAN || type === ETHERTYPE_QINQ || type === ETHERTYPE_QINQ_OLD) {
      // 802.1Q §9.6: 2-byte TCI (PCP, DEI, VID), then the next EtherType.
      if (d.length < off + 4) return linkTruncated(c, 'VLAN tag');
      type = u16(d, off + 2);
      off += 4;
      continue;
    }
    if (type === ETHERTYPE_MPLS || type === ETHERTYPE_MPLS_MC) return mpls(d, off, c);
    if (type <= 1500) {
      // An IEEE 802.3 length, so an 802.2 LLC header follows. Only SNAP with OUI 0 carries an EtherType
      // (RFC 1042): AA AA 03 00 00 00 type.
      if (d.length < off + 8) return NET_NONE;
      if (d[off] !== 0xaa || d[off + 1] !== 0xaa || d[off + 2] !== 0x03) return NET_NONE;
      if (d[off + 3] !== 0 || d[off + 4] !== 0 || d[off + 5] !== 0) return NET_NONE;
      type = u16(d, off + 6);
      off += 8;
      continue;
    }
    return NET_NONE;
  }
}

const HEX2: string[] = [];
for (let i = 0; i < 256; i++) HEX2.push(i.toString(16).padStart(2, '0'));

/** "aa:bb:cc:dd:ee:ff" text of the 6 bytes at `off`. Caller guarantees the bytes exist. */
export function macText(d: Uint8Array, off: number): string {
  return `${HEX2[d[off]!]}:${HEX2[d[off + 1]!]}:${HEX2[d[off + 2]!]}:${HEX2[d[off + 3]!]}:${HEX2[d[off + 4]!]}:${HEX2[d[off + 5]!]}`;
}
