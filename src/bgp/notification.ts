// NOTIFICATION message body (RFC 4271 §4.5): Error code (1), Error subcode (1), Data (variable).
//
// Names follow the IANA "BGP Error (Notification) Codes" and "BGP Error Subcodes" registries. Subcode 0 is
// "Unspecific" (RFC 4271 §4.5: used when no appropriate subcode is defined; IANA lists it as Reserved in
// several subcode registries) except for the FSM error, where RFC 6608 §3 names it "Unspecified Error".
//
// Data decoded where an RFC gives it a shape (the bytes always stay in data_hex):
//   Cease / Administrative Shutdown or Reset   RFC 9003 §2 shutdown communication (RFC 8203 allowed 128 bytes):
//       Length (1) | Shutdown Communication (Length octets of UTF-8, at most 255)
//   Cease / Hard Reset                         RFC 8538 §3: the Error Code (1), Subcode (1) and Data of the
//       NOTIFICATION being hard-reset; a wrapped Administrative Shutdown/Reset carries its communication
//   Cease / Maximum Number of Prefixes Reached RFC 4486 §4: optionally AFI (2), SAFI (1), upper bound (4)
//   OPEN Message Error / Unsupported Capability RFC 5492 §3: the capability triples not supported

import type { Capability, NotificationInner, NotificationMessage } from './model.js';
import { DecodeError } from '../wire/errors.js';
import { hex, u16, u32, utf8Strict } from '../wire/reader.js';
import { decodeCapabilityList } from './capabilities.js';

export const NOTIF_OPEN_ERROR = 2;
export const NOTIF_CEASE = 6;
/** RFC 5492 §3: OPEN Message Error subcode whose data lists the unsupported capabilities. */
export const OPEN_UNSUPPORTED_CAPABILITY = 7;
/** RFC 4486 §4: Cease subcode whose data may carry AFI, SAFI and the prefix limit. */
export const CEASE_MAX_PREFIXES = 1;
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

const carriesCommunication = (code: number, subcode: number): boolean =>
  code === NOTIF_CEASE && (subcode === CEASE_ADMIN_SHUTDOWN || subcode === CEASE_ADMIN_RESET);

/**
 * Decode the NOTIFICATION at [0, end) of `b`; the caller has checked end >= 21. `dataError` is set (and the
 * message still returned) when a Cease data field is malformed: a shutdown communication whose length runs
 * past the data or whose text is not UTF-8 (RFC 9003 §2), or a Hard Reset without the code and subcode it
 * wraps (RFC 8538 §3). Octets after a shutdown communication are allowed (data_hex keeps them).
 */
export function decodeNotification(b: Uint8Array, end: number): { msg: NotificationMessage; dataError: DecodeError | null } {
  const code = b[19]!;
  const subcode = b[20]!;
  let shutdown: string | null = null;
  let dataError: DecodeError | null = null;
  let hardReset: NotificationInner | null = null;
  let maxPrefixes: NotificationMessage['max_prefixes'] = null;
  let unsupported: Capability[] | null = null;

  // Where a shutdown communication starts: right after the header for Administrative Shutdown/Reset, after
  // the wrapped code and subcode for a Hard Reset that wraps one (RFC 9003 §2 with RFC 8538 §3).
  let commAt = -1;
  if (carriesCommunication(code, subcode)) {
    if (end > 21) commAt = 21;
  } else if (code === NOTIF_CEASE && subcode === CEASE_HARD_RESET) {
    if (end - 21 < 2) {
      dataError = new DecodeError('hard_reset_data', 'Hard Reset NOTIFICATION without the wrapped error code and subcode (RFC 8538 §3)', 21);
    } else {
      const ic = b[21]!;
      const is = b[22]!;
      hardReset = { code: ic, subcode: is, code_name: notificationCodeName(ic), subcode_name: notificationSubcodeName(ic, is), data_hex: hex(b, 23, end) };
      if (carriesCommunication(ic, is) && end > 23) commAt = 23;
    }
  } else if (code === NOTIF_CEASE && subcode === CEASE_MAX_PREFIXES) {
    // RFC 4486 §4: the data "MAY" be present; only the exact 7-octet form is decoded.
    if (end - 21 === 7) maxPrefixes = { afi: u16(b, 21), safi: b[23]!, limit: u32(b, 24) };
  } else if (code === NOTIF_OPEN_ERROR && subcode === OPEN_UNSUPPORTED_CAPABILITY && end > 21) {
    unsupported = decodeCapabilityList(b, 21, end);
  }

  if (commAt >= 0) {
    const len = b[commAt]!;
    if (commAt + 1 + len > end) {
      dataError = new DecodeError(
        'shutdown_communication',
        `shutdown communication length ${len} runs past the data (${end - commAt - 1} bytes) (RFC 9003 §2)`,
        commAt,
      );
    } else {
      shutdown = utf8Strict(b, commAt + 1, commAt + 1 + len);
      // RFC 9003 §4: a malformed communication is reported, never shown verbatim (data_hex keeps the bytes).
      if (shutdown === null) dataError = new DecodeError('shutdown_communication', 'shutdown communication text is not valid UTF-8 (RFC 9003 §2)', commAt + 1);
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
      hard_reset: hardReset,
      max_prefixes: maxPrefixes,
      unsupported_capabilities: unsupported,
      data_hex: hex(b, 21, end),
    },
    dataError,
  };
}
