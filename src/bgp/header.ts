// BGP message header (RFC 4271 §4.1):
//
//    0                   1                   2                   3
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |                                                               |
//   +                           Marker (16 octets, all ones)        +
//   |                                                               |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |          Length               |      Type     |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+

import { DecodeError } from '../wire/errors.js';
import { u16 } from '../wire/reader.js';
import { MSG_KEEPALIVE, MSG_NOTIFICATION, MSG_OPEN, MSG_ROUTE_REFRESH, MSG_UPDATE } from './model.js';

export const HEADER_LEN = 19;
export const MARKER_LEN = 16;

/** Smallest valid length per message type (RFC 4271 §4.2–4.5, RFC 2918 §3). KEEPALIVE is exactly 19. */
export const MIN_LENGTH: Record<number, number> = {
  [MSG_OPEN]: 29,
  [MSG_UPDATE]: 23,
  [MSG_NOTIFICATION]: 21,
  [MSG_KEEPALIVE]: 19,
  [MSG_ROUTE_REFRESH]: 23,
};

/**
 * Check the header of the message at the start of `b` and return its declared length. Throws DecodeError:
 * `short_message` (fewer than 19 bytes), `bad_marker` (RFC 4271 §6.1 Connection Not Synchronized; offset
 * of the first byte that is not 0xff), `bad_length` (< 19), `truncated` (length > bytes given).
 */
export function checkHeader(b: Uint8Array): number {
  if (b.length < HEADER_LEN) throw new DecodeError('short_message', `${b.length} bytes, a BGP header needs 19`, 0);
  for (let i = 0; i < MARKER_LEN; i++) {
    if (b[i] !== 0xff) throw new DecodeError('bad_marker', 'marker is not all ones (RFC 4271 §6.1)', i);
  }
  const len = u16(b, 16);
  if (len < HEADER_LEN) throw new DecodeError('bad_length', `message length ${len} < 19`, 16);
  if (len > b.length) throw new DecodeError('truncated', `message length ${len} but only ${b.length} bytes given`, 16);
  return len;
}
