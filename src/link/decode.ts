// Frame → TCP segment: the stage between capture sources and TCP reassembly.
//
//   Frame ─▶ link header (ethernet.ts, sll.ts, ...) ─▶ ipv4.ts / ipv6.ts ─▶ tcp.ts ─▶ Segment | LinkNotice | null
//
// Almost every frame of a busy capture is not ours, so the path to `null` is kept cheap: the structure
// decoders only compare integers and write offsets into reused scratch records (layers.ts); strings and
// objects are built only for segments on a selected port and for notices.
//
// A problem is reported only when the packet could be ours: it is TCP (or its transport protocol is unknown)
// and, when its ports can be read, one of them is selected. A cut ARP frame or a malformed UDP packet is
// simply not ours.

import type { Frame, LinkNotice, Segment } from '../types.js';
import { ipv4Text, ipv6Text } from '../wire/ip.js';
import { chdlc } from './chdlc.js';
import { ethernet } from './ethernet.js';
import { ipv4 } from './ipv4.js';
import { ipv6 } from './ipv6.js';
import { juniperEther } from './juniper.js';
import {
  FRAG_FIRST,
  FRAG_LATER,
  FRAG_NONE,
  IP_MALFORMED,
  IP_NOT_OURS,
  IP_TRUNCATED,
  type IpHeader,
  type LinkCursor,
  NET_IPV4,
  NET_IPV6,
  NET_TRUNCATED,
  newCursor,
  newIpHeader,
} from './layers.js';
import { loopLink, nullLink } from './null.js';
import { ppp } from './ppp.js';
import { rawIp, rawIpv4, rawIpv6 } from './raw.js';
import { sll } from './sll.js';
import { sll2 } from './sll2.js';
import { ipv4TextCached, ipv6TextCached, macTextCached } from './textcache.js';
import { TCP_MALFORMED, TCP_OK, newTcpHeader, tcp, tcpDstPort, tcpSrcPort } from './tcp.js';

/** LINKTYPE_* values (https://www.tcpdump.org/linktypes.html) that decodeFrame understands. */
export const LINKTYPE_NULL = 0;
export const LINKTYPE_ETHERNET = 1;
export const LINKTYPE_PPP = 9;
/** DLT_RAW as written by some old libpcap versions instead of LINKTYPE_RAW (12 on most systems, 14 on OpenBSD). */
export const DLT_RAW_12 = 12;
export const DLT_RAW_14 = 14;
export const LINKTYPE_PPP_HDLC = 50;
export const LINKTYPE_RAW = 101;
export const LINKTYPE_C_HDLC = 104;
export const LINKTYPE_LOOP = 108;
export const LINKTYPE_LINUX_SLL = 113;
export const LINKTYPE_JUNIPER_ETHER = 178;
export const LINKTYPE_IPV4 = 228;
export const LINKTYPE_IPV6 = 229;
export const LINKTYPE_LINUX_SLL2 = 276;

export interface LinkOptions {
  /**
   * TCP ports that make a packet ours, on either side (source or destination). Default: {179}, the BGP port
   * (RFC 4271 §8.2.1).
   */
  ports: ReadonlySet<number>;
}

export const DEFAULT_LINK_OPTIONS: LinkOptions = Object.freeze({ ports: new Set([179]) });

/** A segment to reassemble, something to tell the user, or null for traffic that is simply not ours. */
export type LinkResult = Segment | LinkNotice | null;

/** True when the result is a notice (notices have a `code`, segments do not). */
export function isLinkNotice(r: LinkResult): r is LinkNotice {
  return r !== null && 'code' in r;
}

/** True when decodeFrame knows the link type. */
export function isSupportedLinkType(linkType: number): boolean {
  return linkDecoder(linkType) !== null;
}

type LinkDecoder = (d: Uint8Array, off: number, c: LinkCursor) => number;

function linkDecoder(linkType: number): LinkDecoder | null {
  switch (linkType) {
    case LINKTYPE_ETHERNET:
      return ethernet;
    case LINKTYPE_LINUX_SLL:
      return sll;
    case LINKTYPE_LINUX_SLL2:
      return sll2;
    case LINKTYPE_RAW:
    case DLT_RAW_12:
    case DLT_RAW_14:
      return rawIp;
    case LINKTYPE_IPV4:
      return rawIpv4;
    case LINKTYPE_IPV6:
      return rawIpv6;
    case LINKTYPE_NULL:
      return nullLink;
    case LINKTYPE_LOOP:
      return loopLink;
    case LINKTYPE_PPP:
    case LINKTYPE_PPP_HDLC:
      return ppp;
    case LINKTYPE_C_HDLC:
      return chdlc;
    case LINKTYPE_JUNIPER_ETHER:
      return juniperEther;
    default:
      return null;
  }
}

// Scratch records, reused for every frame (decodeFrame is synchronous and not re-entrant).
const cursor = newCursor();
const ip: IpHeader = newIpHeader();
const th = newTcpHeader();

/**
 * Decode one captured frame down to its TCP segment.
 *
 * Returns:
 * - a Segment for a TCP packet with a selected port on either side. `payload` is a view into `frame.data`
 *   (valid only as long as the frame is), clipped to the IP length so link padding never leaks in; when the
 *   snaplen cut the packet, `payload` holds what was captured and `missing` counts the bytes that were not.
 * - a LinkNotice for what the user must be told about, with whatever addresses and ports could be read:
 *   `ip_fragment` (IPv4/IPv6 fragments are not reassembled), `truncated_frame` (the snaplen cut a header),
 *   `malformed_packet` (a header contradicts itself, or the frame ends inside one although nothing was cut)
 *   and `unsupported_link`. `unsupported_link` is returned for every frame of an unknown link type: the
 *   caller should report it once per file (or interface), not once per frame; `isSupportedLinkType` lets it
 *   check up front.
 * - null for everything else (other protocols, other ports).
 *
 * Never throws on any input.
 */
export function decodeFrame(frame: Frame, opts: LinkOptions = DEFAULT_LINK_OPTIONS): LinkResult {
  const d = frame.data;
  const c = cursor;
  c.dstMacOff = -1;
  c.srcMacOff = -1;
  let net: number;
  switch (frame.linkType) {
    case LINKTYPE_ETHERNET:
      net = ethernet(d, 0, c);
      break;
    default: {
      const dec = linkDecoder(frame.linkType);
      if (dec === null) {
        return notice(frame, 'unsupported_link', `link type ${frame.linkType} is not supported`, null, -1, -1);
      }
      net = dec(d, 0, c);
    }
  }
  if (net !== NET_IPV4 && net !== NET_IPV6) {
    if (net === NET_TRUNCATED) return cut(frame, c.why, null, -1, -1);
    return null;
  }
  // Offsets of the captured bytes are offsets on the wire too (the capture keeps a prefix of the frame).
  const wireEnd = frame.origLen > d.length ? frame.origLen : d.length;
  const h = ip;
  const st = net === NET_IPV4 ? ipv4(d, c.off, wireEnd, h) : ipv6(d, c.off, wireEnd, h);
  if (st === IP_NOT_OURS) return null;
  if (st === IP_TRUNCATED) return cut(frame, h.why, h, -1, -1);
  if (st === IP_MALFORMED) return notice(frame, 'malformed_packet', h.why, h, -1, -1);

  if (h.frag === FRAG_LATER) return fragmentNotice(frame, h, -1, -1);
  const l4 = h.l4Off;
  const capEnd = h.end < d.length ? h.end : d.length;
  if (l4 + 4 > capEnd) {
    // The ports are not here: a first fragment too small to hold them (RFC 1858), a packet too short for
    // them, or a snaplen that cut them.
    if (h.frag === FRAG_FIRST) return fragmentNotice(frame, h, -1, -1);
    if (l4 + 4 > h.end) {
      return notice(frame, 'malformed_packet', `IP payload of ${h.end - l4} bytes is too short for TCP ports`, h, -1, -1);
    }
    return cut(frame, 'TCP ports', h, -1, -1);
  }
  const sp = tcpSrcPort(d, l4);
  const dp = tcpDstPort(d, l4);
  const ports = opts.ports;
  if (!ports.has(sp) && !ports.has(dp)) return null;
  if (h.frag !== FRAG_NONE) return fragmentNotice(frame, h, sp, dp);

  const ts = tcp(d, l4, h.end, th);
  if (ts !== TCP_OK) {
    return ts === TCP_MALFORMED ? notice(frame, 'malformed_packet', th.why, h, sp, dp) : cut(frame, th.why, h, sp, dp);
  }
  const v4 = h.version === 4;
  return {
    frameNo: frame.frameNo,
    ts: frame.ts,
    iface: frame.iface,
    ipVersion: h.version,
    srcIp: v4 ? ipv4TextCached(d, h.srcOff) : ipv6TextCached(d, h.srcOff),
    dstIp: v4 ? ipv4TextCached(d, h.dstOff) : ipv6TextCached(d, h.dstOff),
    srcPort: sp,
    dstPort: dp,
    seq: th.seq,
    ack: th.ack,
    flags: th.flags,
    payload: d.subarray(th.payloadOff, capEnd),
    missing: h.end - capEnd,
    srcMac: c.srcMacOff >= 0 ? macTextCached(d, c.srcMacOff) : null,
    dstMac: c.dstMacOff >= 0 ? macTextCached(d, c.dstMacOff) : null,
  };
}

function addrText(d: Uint8Array, h: IpHeader, off: number): string | null {
  if (off < 0) return null;
  return h.version === 4 ? ipv4Text(d, off) : ipv6Text(d, off);
}

function notice(
  frame: Frame,
  code: string,
  message: string,
  h: IpHeader | null,
  srcPort: number,
  dstPort: number,
): LinkNotice {
  const d = frame.data;
  return {
    frameNo: frame.frameNo,
    ts: frame.ts,
    iface: frame.iface,
    code,
    message,
    srcIp: h === null ? null : addrText(d, h, h.srcOff),
    dstIp: h === null ? null : addrText(d, h, h.dstOff),
    srcPort: srcPort < 0 ? null : srcPort,
    dstPort: dstPort < 0 ? null : dstPort,
  };
}

/**
 * The captured bytes end inside a header (`what`). When the capture's snaplen cut the frame, that is
 * truncated_frame; when the frame was whole on the wire (origLen says so), the frame itself is too short for
 * its headers: malformed_packet.
 */
function cut(frame: Frame, what: string, h: IpHeader | null, srcPort: number, dstPort: number): LinkNotice {
  const n = frame.data.length;
  if (frame.origLen > n) {
    return notice(frame, 'truncated_frame', `${what} cut by the capture length (${n} of ${frame.origLen} bytes captured)`, h, srcPort, dstPort);
  }
  return notice(frame, 'malformed_packet', `frame of ${n} bytes ends inside the ${what}`, h, srcPort, dstPort);
}

function fragmentNotice(frame: Frame, h: IpHeader, srcPort: number, dstPort: number): LinkNotice {
  const id = h.fragId.toString(16);
  const what = h.proto === -1 ? 'an unknown protocol (behind extension headers)' : 'TCP';
  const more = h.fragMore ? ', more fragments follow' : ', last fragment';
  return notice(
    frame,
    'ip_fragment',
    `IPv${h.version} fragment (id 0x${id}, offset ${h.fragOffset}${more}) of ${what} not reassembled: its bytes are not decoded`,
    h,
    srcPort,
    dstPort,
  );
}
