// The reassembler's output contract: one HalfFlow per direction of a Connection, and a StreamConsumer that
// receives whole BGP messages and stream events in stream order per direction.

import type { Timestamp } from '../types.js';

/** One direction of a TCP connection: the bytes `srcIp:srcPort` sent to `dstIp:dstPort`. */
export interface HalfFlow {
  readonly conn: Connection;
  readonly srcIp: string;
  readonly dstIp: string;
  readonly srcPort: number;
  readonly dstPort: number;
  readonly ipVersion: 4 | 6;
  /** The other direction of the same connection. */
  readonly reverse: HalfFlow;
  /**
   * Largest BGP message length the framer accepts in this direction. Starts at the reassembler's
   * `maxMessageLength` option (4096, RFC 4271 §4.1); a caller that sees both OPENs advertise the Extended
   * Message capability (RFC 8654) sets it to 65535. Read at every header, so a change made inside
   * `StreamConsumer.message` applies to the very next message.
   */
  maxMessageLength: number;
  /** Out-of-order bytes held for this direction now, bookkeeping included (see ReassemblyOptions). */
  readonly bufferedBytes: number;
  /** The stream started at its SYN (or at the ACK of a captured SYN-ACK), so the first byte is a message start. */
  readonly startedAtSyn: boolean;
}

/** A TCP connection, both directions. */
export interface Connection {
  /** 1-based, in order of first sight; a new connection on a reused 4-tuple gets a new id. */
  readonly id: number;
  /** The direction whose segment was seen first (its sender is usually the active opener). */
  readonly a: HalfFlow;
  readonly b: HalfFlow;
  /** Interface of the first segment seen, null if the capture did not say. */
  iface: string | null;
  /** Free slot for the consumer's per-connection state (e.g. BGP session: OPENs, AS4, ADD-PATH). */
  user: unknown;
  /** Both directions ended (FIN each way, a RST, eviction or end of input); no more callbacks follow but `closed`. */
  readonly closed: boolean;
}

/**
 * Stream event codes:
 * - `gap`: stream bytes were lost (never captured: bytesSkipped = missing bytes), or received bytes were skipped
 *   while looking for the next BGP header (mid-stream start, after a loss or a bad header: bytesSkipped = bytes skipped).
 * - `truncated_frame`: the capture cut a segment (snaplen); bytesSkipped = payload bytes not captured.
 * - `reset`: a RST ended the connection (reported on the RST sender's direction).
 * - `buffer_limit`: the connection table was full and this open connection was dropped.
 * - `incomplete_message`: the stream ended inside a message; bytesSkipped = bytes of it received.
 * - `bad_header`: in a synchronised stream, a header with a wrong marker or an impossible length; the hex of
 *   the 19 header bytes is in `message`. A resynchronisation (and usually a `gap`) follows.
 */
export type StreamEventCode = 'gap' | 'truncated_frame' | 'reset' | 'buffer_limit' | 'incomplete_message' | 'bad_header';

export interface StreamEvent {
  code: StreamEventCode;
  /** Stream bytes lost or skipped; null when the event concerns no bytes. */
  bytesSkipped: number | null;
  message: string;
}

export interface StreamConsumer {
  /**
   * One whole BGP message (19-byte header included). `bytes` is owned by the callee and safe to keep: either
   * a buffer of its own or a view of a copy of one segment that the reassembler never writes again (shared
   * read-only with the other messages of that segment — `slice()` it to keep one message without the rest). `ts`/`frameNo` are those of the segment whose arrival completed the message
   * in the reassembled stream (for out-of-order data: the segment that filled the hole; at end of input: the
   * buffered segment itself).
   */
  message(h: HalfFlow, bytes: Uint8Array, ts: Timestamp, frameNo: number): void;
  /**
   * Optional, called first for every whole message: the message is b[start, end), valid only during the call
   * (the buffer may be the capture's read buffer, reused for the next bytes). True when the callee is done
   * with it (a filter rejected it): message() is then not called and nothing is copied or allocated for it.
   */
  peek?(h: HalfFlow, b: Uint8Array, start: number, end: number, ts: Timestamp, frameNo: number): boolean;
  event(h: HalfFlow, ev: StreamEvent, ts: Timestamp, frameNo: number): void;
  /** The connection is over; called once, after its last message or event. */
  closed?(c: Connection): void;
}
