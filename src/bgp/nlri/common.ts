// Text for the parts several NLRI formats share: route distinguishers, route targets, MAC addresses, ESIs,
// addresses of a length given on the wire. Callers have checked that the bytes exist.

import { ipv4Text, ipv6Text } from '../../wire/ip.js';
import { hex, u16, u32 } from '../../wire/reader.js';
import { DecodeError } from '../../wire/errors.js';

const HEX2: string[] = [];
for (let i = 0; i < 256; i++) HEX2.push(i.toString(16).padStart(2, '0'));

/**
 * RFC 4364 §4.2 route distinguisher (8 bytes at p): Type (2) then Administrator and Assigned Number —
 *   type 0: 2-byte ASN : 4-byte number   → 65000:100
 *   type 1: IPv4 address : 2-byte number → 192.0.2.1:100
 *   type 2: 4-byte ASN : 2-byte number   → 4200000001:100
 * (the forms tshark, tcpdump, FRR and Junos print). Another type: `type<n>:<12 hex digits>`.
 */
export function rdText(b: Uint8Array, p: number): string {
  const t = u16(b, p);
  if (t === 0) return `${u16(b, p + 2)}:${u32(b, p + 4)}`;
  if (t === 1) return `${ipv4Text(b, p + 2)}:${u16(b, p + 6)}`;
  if (t === 2) return `${u32(b, p + 2)}:${u16(b, p + 6)}`;
  return `type${t}:${hex(b, p + 2, p + 8)}`;
}

/**
 * A route target extended community (8 bytes at p, RFC 4360 §4 / RFC 5668) as text, by its high type octet:
 * 0x00 → asn:number, 0x01 → ipv4:number, 0x02 → asn4:number; another type → hex of the 8 bytes.
 */
export function routeTargetText(b: Uint8Array, p: number): string {
  const t = b[p]! & 0x3f; // the IANA-authority and transitive bits do not change the layout
  if (t === 0) return `${u16(b, p + 2)}:${u32(b, p + 4)}`;
  if (t === 1) return `${ipv4Text(b, p + 2)}:${u16(b, p + 6)}`;
  if (t === 2) return `${u32(b, p + 2)}:${u16(b, p + 6)}`;
  return hex(b, p, p + 8);
}

/** aa:bb:cc:dd:ee:ff of the 6 bytes at p. */
export function macText(b: Uint8Array, p: number): string {
  let s = HEX2[b[p]!]!;
  for (let i = 1; i < 6; i++) s += ':' + HEX2[b[p + i]!]!;
  return s;
}

/** RFC 7432 §5 Ethernet Segment Identifier (10 bytes at p) as colon-separated hex, as FRR prints it. */
export function esiText(b: Uint8Array, p: number): string {
  let s = HEX2[b[p]!]!;
  for (let i = 1; i < 10; i++) s += ':' + HEX2[b[p + i]!]!;
  return s;
}

/** IPv4 (4 bytes) or IPv6 (16 bytes) address text; `n` must be 4 or 16. */
export function addrText(b: Uint8Array, p: number, n: number): string {
  return n === 4 ? ipv4Text(b, p) : ipv6Text(b, p);
}

/** The 20-bit label value of a 3-byte label field (RFC 3032 §2.1: label, TC, S). */
export function labelValue(b: Uint8Array, p: number): number {
  return (b[p]! << 12) | (b[p + 1]! << 4) | (b[p + 2]! >> 4);
}

/** The whole 24-bit value of a 3-byte label field. */
export function labelField(b: Uint8Array, p: number): number {
  return (b[p]! << 16) | (b[p + 1]! << 8) | b[p + 2]!;
}

export function truncatedEntry(what: string, need: number, left: number, at: number): DecodeError {
  return new DecodeError('nlri_truncated', `${what} needs ${need} bytes, ${left} left`, at);
}

/** Read an RFC 7911 §3 path id at p into out.path_ids when addPath; returns the position after it. */
export function readPathId(b: Uint8Array, p: number, end: number, addPath: boolean, pathIds: number[] | null): number {
  if (!addPath) return p;
  if (p + 4 > end) throw new DecodeError('nlri_truncated', `path identifier needs 4 bytes, ${end - p} left`, p);
  pathIds?.push(u32(b, p));
  return p + 4;
}
