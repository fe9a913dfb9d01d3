// One BGP message in, one DecodeResult out. Never throws: malformed input becomes `error` (with `msg` null
// when nothing trustworthy could be decoded, or alongside `msg` when the problem is confined to trailing
// bytes). UPDATE problems that RFC 7606 lets a router survive are `warnings` on the message instead.

import type { DecodeErrorInfo, DecodedMessage, Inference, SessionParams } from './model.js';
import { MSG_KEEPALIVE, MSG_NOTIFICATION, MSG_OPEN, MSG_UPDATE } from './model.js';
import { DecodeError, toErrorData } from '../wire/errors.js';
import { u16 } from '../wire/reader.js';
import { checkHeader, HEADER_LEN, MIN_LENGTH } from './header.js';
import { decodeOpen } from './open.js';
import { decodeUpdate, frameGeneration, frameUpdate, type UpdateGuesses } from './update.js';
import { LazyUpdate } from './update-lazy.js';
import { decodeNotification } from './notification.js';
import { decodeRouteRefresh } from './route-refresh.js';

export interface DecodeResult {
  msg: DecodedMessage | null;
  error: DecodeErrorInfo | null;
  /** What had to be guessed because `params` said null; null when nothing was guessed. */
  inferred: Inference | null;
}

const guesses: UpdateGuesses = { as4: null, addPath: null };
/** decodeMessageLazy's result for UPDATEs, refilled by every call. */
const lazyResult: DecodeResult = { msg: null, error: null, inferred: null };

/**
 * Decode one whole BGP message (header included). `bytes` may be longer than the message: the header's
 * length is what counts, and nothing past it is read. The result holds no views of `bytes` (text, numbers
 * and hex strings only), so the caller may reuse the buffer afterwards.
 */
export function decodeMessage(bytes: Uint8Array, params: SessionParams): DecodeResult {
  try {
    return decodeChecked(bytes, params);
  } catch (e) {
    return { msg: null, error: toErrorData(e, 0), inferred: null };
  }
}

/**
 * decodeMessage for the hot path: the same result, except that an UPDATE whose session parameters leave
 * nothing to guess about ADD-PATH is a LazyUpdate (update-lazy.ts) — its framing is checked now, its fields
 * decode on first access. `framed`: `bytes` is one message as the BGP framer cut it (marker checked there, not
 * again here). The message then keeps a view of `bytes`, which the caller must not modify
 * afterwards. The result object itself may be reused by the next call: take its fields at once.
 */
export function decodeMessageLazy(bytes: Uint8Array, params: SessionParams, framed = false): DecodeResult {
  try {
    return decodeChecked(bytes, params, params.add_path_send !== null, framed);
  } catch (e) {
    return { msg: null, error: toErrorData(e, 0), inferred: null };
  }
}

function decodeChecked(b: Uint8Array, params: SessionParams, lazy = false, framed = false): DecodeResult {
  // The framer (tcp/framer.ts) has checked the marker of what it hands on: only the length is read again.
  const len = u16(b, 16);
  const end = framed && len >= HEADER_LEN && len <= b.length ? len : checkHeader(b);
  const type = b[18]!;
  const min = MIN_LENGTH[type];
  if (min === undefined) throw new DecodeError('message_type', `unknown message type ${type} (RFC 4271 §6.1 Bad Message Type)`, 18);
  if (end < min || (type === MSG_KEEPALIVE && end !== min)) {
    const want = type === MSG_KEEPALIVE ? 'exactly 19' : `at least ${min}`;
    throw new DecodeError('bad_length', `message type ${type} has length ${end}, needs ${want} (RFC 4271 §6.1)`, 16);
  }
  switch (type) {
    case MSG_UPDATE: {
      if (lazy) {
        // ADD-PATH known, so the only guess left (AS width) is made by the framing pass.
        frameUpdate(b, end, params, guesses);
        const r = lazyResult;
        r.msg = new LazyUpdate(b, end, params, frameGeneration());
        r.inferred = guesses.as4 === null ? null : { as4: guesses.as4 };
        return r;
      }
      const msg = decodeUpdate(b, end, params, guesses);
      let inferred: Inference | null = null;
      if (guesses.as4 !== null || guesses.addPath !== null) {
        inferred = {};
        if (guesses.as4 !== null) inferred.as4 = guesses.as4;
        if (guesses.addPath !== null) inferred.add_path = guesses.addPath;
      }
      return { msg, error: null, inferred };
    }
    case MSG_KEEPALIVE:
      return { msg: { kind: 'keepalive' }, error: null, inferred: null };
    case MSG_OPEN: {
      const { open, trailing } = decodeOpen(b, end);
      return { msg: open, error: trailing ? trailing.toData() : null, inferred: null };
    }
    case MSG_NOTIFICATION: {
      const { msg, dataError } = decodeNotification(b, end);
      return { msg, error: dataError ? dataError.toData() : null, inferred: null };
    }
    default: {
      // MSG_ROUTE_REFRESH (MIN_LENGTH has no other types)
      const { msg, lengthError } = decodeRouteRefresh(b, end);
      return { msg, error: lengthError ? lengthError.toData() : null, inferred: null };
    }
  }
}
