// TCP header, RFC 9293 §3.1.
//
//   0                   1                   2                   3
//   |          Source Port          |       Destination Port        |
//   |                        Sequence Number                        |
//   |                    Acknowledgment Number                      |
//   |  DOff | Rsrvd |C|E|U|A|P|R|S|F|            Window             |
//   |           Checksum            |         Urgent Pointer        |
//   |                     Options (DOff > 5) ...                    |
//
// Options (MSS, timestamps, TCP-MD5 / TCP-AO signatures) are skipped: the reassembler needs only the
// sequence numbers, flags and payload.

import { u16, u32 } from './layers.js';
import { settle } from '../shapes.js';

/** TCP outcome: header complete; fields in the TcpHeader. */
export const TCP_OK = 0;
/** The captured bytes end inside the header (`why` names it). */
export const TCP_TRUNCATED = 1;
/** The header contradicts itself or the IP length (`why`). */
export const TCP_MALFORMED = 2;

export interface TcpHeader {
  seq: number;
  ack: number;
  flags: number;
  /** Offset of the first payload byte in the frame. */
  payloadOff: number;
  why: string;
}

export function newTcpHeader(): TcpHeader {
  const t = { seq: 0, ack: 0, flags: 0, payloadOff: 0, why: '' };
  // u32s: doubles from the start (shapes.ts), and every field rewritten per packet.
  settle(t, ['seq', 'ack'], ['flags', 'payloadOff', 'why']);
  return t;
}

/** Source port of the TCP header at `off`; caller checked that 4 bytes exist. */
export function tcpSrcPort(d: Uint8Array, off: number): number {
  return u16(d, off);
}

/** Destination port of the TCP header at `off`; caller checked that 4 bytes exist. */
export function tcpDstPort(d: Uint8Array, off: number): number {
  return u16(d, off + 2);
}

/**
 * Decode the rest of the TCP header at `off` (ports already read). `end` is the end of the IP packet by its
 * length field, which may lie beyond the captured bytes.
 */
export function tcp(d: Uint8Array, off: number, end: number, t: TcpHeader): number {
  if (off + 20 > end) {
    t.why = `IP payload of ${end - off} bytes is too short for a TCP header`;
    return TCP_MALFORMED;
  }
  if (off + 20 > d.length) {
    t.why = `TCP header (${d.length - off} of 20 bytes)`;
    return TCP_TRUNCATED;
  }
  const doff = (d[off + 12]! >> 4) * 4;
  if (doff < 20) {
    t.why = `TCP data offset ${doff} < 20`;
    return TCP_MALFORMED;
  }
  if (off + doff > end) {
    t.why = `TCP header length ${doff} exceeds the ${end - off} bytes of IP payload`;
    return TCP_MALFORMED;
  }
  if (off + doff > d.length) {
    t.why = `TCP options (${d.length - off} of ${doff} header bytes)`;
    return TCP_TRUNCATED;
  }
  t.seq = u32(d, off + 4);
  t.ack = u32(d, off + 8);
  t.flags = d[off + 13]!;
  t.payloadOff = off + doff;
  return TCP_OK;
}
