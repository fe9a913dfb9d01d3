// Records: what the pipeline hands to sinks (human, jsonl, line, later kafka and verify).
// JSON field names are documented in schema/record.schema.json; keep the two in step.

import type { DecodedMessage, DecodeErrorInfo, Inference } from './bgp/model.js';
import type { Timestamp } from './types.js';

/** JSON schema version written as `v` in every JSON record. Bump on incompatible changes. */
export const SCHEMA_VERSION = 1;

interface RecordBase {
  ts: Timestamp;
  /** Frame number of the segment that completed the message (or where the event was seen). */
  frame: number;
  /** Input file name ('-' for stdin); live capture: the --write file the frame was saved in, else null. */
  file: string | null;
  iface: string | null;
  mux: string | null;
  /** The sender of the message (for events: the side whose bytes are concerned). */
  peer_ip: string | null;
  peer_asn: number | null;
  /** The receiver. */
  local_ip: string | null;
  local_asn: number | null;
  src_port: number | null;
  dst_port: number | null;
}

export interface MessageRecord extends RecordBase {
  kind: 'message';
  /** BGP message type code (1..5, or another value for an unknown type). */
  msg_type: number;
  /** Length from the BGP header. */
  length: number;
  /** Decoded content; null when the message could not be decoded (then `error` says why). */
  msg: DecodedMessage | null;
  /** Set when the message (or part of it) was malformed; decoding continues with the next message. */
  error: DecodeErrorInfo | null;
  /** The whole message (header included). Owned by the record: safe to keep. */
  raw: Uint8Array;
  /** What was inferred from the bytes because the session's OPENs were not captured; null when not needed. */
  inferred: Inference | null;
}

/**
 * Something happened to the byte stream rather than to a message: a gap (lost segments or a capture starting
 * mid-session: bytes skipped until the next plausible BGP header), a truncated frame, an IP fragment, a
 * connection reset. Reported so that nothing is lost silently.
 */
export interface EventRecord extends RecordBase {
  kind: 'event';
  /** 'gap' | 'truncated_frame' | 'ip_fragment' | 'malformed_packet' | 'unsupported_link' | 'reset' | 'buffer_limit'; live: 'iface_down' | 'iface_up' */
  event: string;
  /** Bytes of the TCP stream that were skipped or lost (gap, truncation, limits), else null. */
  bytes_skipped: number | null;
  message: string;
}

export type BgpRecord = MessageRecord | EventRecord;
