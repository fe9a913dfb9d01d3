// NOTIFICATION message body (RFC 4271 §4.5): Error code (1), Error subcode (1), Data (variable).
//
// Names follow the IANA "BGP Error Codes" and "BGP Error Subcodes" registries. Subcode 0 is "Unspecific"
// (RFC 4271 §4.5: used when no appropriate subcode is defined) except for the FSM error, where RFC 6608 §3
// names it "Unspecified Error".

import type { NotificationMessage } from './model.js';
import { DecodeError } from '../wire/errors.js';
import { hex, utf8Strict } from '../wire/reader.js';

export const NOTIF_CEASE = 6;
/** RFC 4486 Cease subcodes that may carry a shutdown communication (RFC 9003 §2). */
export const CEASE_ADMIN_SHUTDOWN = 2;
export const CEASE_ADMIN_RESET = 4;
/** RFC 8538 §3: Hard Reset wraps the original code/subcode/data in its data. */
export const CEASE_HARD_RESET = 9;

export const NOTIFICATION_CODE_NAMES: Record<number, string> = {
  1: 'Message Header Error', // RFC 4271 §6.1
  2: 'OPEN Message Error', // RFC 4271 §6.2
  3: 'UPDATE Message Error', // RFC 4271 §6.3
  4: 'Hold Timer Expired', // RFC 4271 §6.5
  5: 'Finite State Machine Error', // RFC 4271 §6.6, RFC 6608
  6: 'Cease', // RFC 4271 §6.7, RFC 4486
  7: 'ROUTE-REFRESH Message Error', // RFC 7313 §5
  8: 'Send Hold Timer Expired', // RFC 9687
};

export const NOTIFICATION_SUBCODE_NAMES: Record<number, Record<number, string>> = {
  1: {
    0: 'Unspecific',
    1: 'Connection Not Synchronized',
    2: 'Bad Message Length',
    3: 'Bad Message Type',
  },
  2: {
    0: 'Unspecific',
    1: 'Unsupported Version Number',
    2: 'Bad Peer AS',
    3: 'Bad BGP Identifier',
    4: 'Unsupported Optional Parameter',
    5: 'Authentication Failure (deprecated)', // RFC 4271
    6: 'Unacceptable Hold Time',
    7: 'Unsupported Capability', // RFC 5492
    8: 'Deprecated (8)', // draft-ietf-idr-bgp-multisession
    9: 'Deprecated (9)',
    10: 'Deprecated (10)',
    11: 'Role Mismatch', // RFC 9234
  },
  3: {
    0: 'Unspecific',
    1: 'Malformed Attribute List',
    2: 'Unrecognized Well-known Attribute',
    3: 'Missing Well-known Attribute',
    4: 'Attribute Flags Error',
    5: 'Attribute Length Error',
    6: 'Invalid ORIGIN Attribute',
    7: 'AS Routing Loop (deprecated)', // RFC 4271
    8: 'Invalid NEXT_HOP Attribute',
    9: 'Optional Attribute Error',
    10: 'Invalid Network Field',
    11: 'Malformed AS_PATH',
  },
  4: { 0: 'Unspecific' },
  5: {
    0: 'Unspecified Error', // RFC 6608 §3
    1: 'Receive Unexpected Message in OpenSent State',
    2: 'Receive Unexpected Message in OpenConfirm State',
    3: 'Receive Unexpected Message in Established State',
  },
  6: {
    0: 'Unspecific',
    1: 'Maximum Number of Prefixes Reached', // RFC 4486
    2: 'Administrative Shutdown',
    3: 'Peer De-configured',
    4: 'Administrative Reset',
    5: 'Connection Rejected',
    6: 'Other Configuration Change',
    7: 'Connection Collision Resolution',
    8: 'Out of Resources',
    9: 'Hard Reset', // RFC 8538
    10: 'BFD Down', // RFC 9384
  },
  7: {
    0: 'Unspecific',
    1: 'Invalid Message Length', // RFC 7313 §5
  },
  8: { 0: 'Unspecific' },
};

export function notificationCodeName(code: number): string {
  return NOTIFICATION_CODE_NAMES[code] ?? `CODE_${code}`;
}

export function notificationSubcodeName(code: number, subcode: number): string {
  return NOTIFICATION_SUBCODE_NAMES[code]?.[subcode] ?? `SUBCODE_${subcode}`;
}

/**
 * RFC 9003 §2 Shutdown Communication at [start, end): Length (1 octet, up to 255) then that many octets of
 * UTF-8. Returns '' for a zero length, null when there is no length octet, the length runs past the data,
 * or the text is not valid UTF-8 (RFC 9003 §2 requires UTF-8; a receiver cannot show anything else
 * faithfully). Octets after the communication stay visible in data_hex.
 */
function shutdownCommunication(b: Uint8Array, start: number, end: number): string | null {
  if (start >= end) return null;
  const len = b[start]!;
  if (start + 1 + len > end) return null;
  return utf8Strict(b, start + 1, start + 1 + len);
}

/**
 * Decode the NOTIFICATION at [0, end) of `b`; the caller has checked end >= 21. `dataError` is set (and the
 * message still returned) when a Cease data field is malformed: a shutdown communication whose length runs
 * past the data or whose text is not UTF-8 (RFC 9003 §2), or a Hard Reset without the Cease subcode it
 * wraps (RFC 8538 §3).
 */
export function decodeNotification(b: Uint8Array, end: number): { msg: NotificationMessage; dataError: DecodeError | null } {
  const code = b[19]!;
  const subcode = b[20]!;
  let shutdown: string | null = null;
  let dataError: DecodeError | null = null;
  if (code === NOTIF_CEASE) {
    let commAt = -1;
    if (subcode === CEASE_ADMIN_SHUTDOWN || subcode === CEASE_ADMIN_RESET) {
      if (end > 21) commAt = 21;
    } else if (subcode === CEASE_HARD_RESET) {
      // RFC 8538 §3: the data is the error code and subcode of the NOTIFICATION being hard-reset, then its data.
      if (end - 21 < 2) {
        dataError = new DecodeError('hard_reset_data', 'Hard Reset NOTIFICATION without the wrapped error code and subcode (RFC 8538 §3)', 21);
      } else if (b[21] === NOTIF_CEASE && (b[22] === CEASE_ADMIN_SHUTDOWN || b[22] === CEASE_ADMIN_RESET) && end > 23) {
        commAt = 23;
      }
    }
    if (commAt >= 0) {
      shutdown = shutdownCommunication(b, commAt, end);
      if (shutdown === null) {
        const len = b[commAt]!;
        const why = commAt + 1 + len > end ? `length ${len} runs past the data (${end - commAt - 1} bytes)` : 'text is not valid UTF-8';
        dataError = new DecodeError('shutdown_communication', `shutdown communication ${why} (RFC 9003 §2)`, commAt);
      }
    }
  }
  return {
    msg: {
      kind: 'notification',
      code,
      subcode,
      code_name: notificationCodeName(code),
      subcode_name: notificationSubcodeName(code, subcode),
      shutdown_message: shutdown,
      data_hex: hex(b, 21, end),
    },
    dataError,
  };
}
