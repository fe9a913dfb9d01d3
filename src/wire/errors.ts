// Malformed input, as opposed to "need more bytes" (not an error) and "decoded with warnings" (see
// DecodeWarning in bgp/model.ts). A DecodeError carries a stable machine-readable code, a sentence for
// humans, and the byte offset where the problem was found, counted from the start of the unit being decoded
// (for BGP: the first marker byte of the message).

/** Plain-data form of a DecodeError, as it appears in records and JSON. */
export interface DecodeErrorData {
  code: string;
  message: string;
  offset: number;
}

export class DecodeError extends Error {
  override readonly name = 'DecodeError';
  readonly code: string;
  readonly offset: number;

  constructor(code: string, message: string, offset: number) {
    super(message);
    this.code = code;
    this.offset = offset;
  }

  /** The record form: code, message and offset, without the stack. */
  toData(): DecodeErrorData {
    return { code: this.code, message: this.message, offset: this.offset };
  }
}

/**
 * Turn anything thrown by a decoder into DecodeErrorData. A non-DecodeError is a bug in bgpcap rather than
 * bad input; it is still reported (code `internal`) so that one odd message never stops a capture.
 */
export function toErrorData(e: unknown, offset: number): DecodeErrorData {
  if (e instanceof DecodeError) return e.toData();
  const msg = e instanceof Error ? e.message : String(e);
  return { code: 'internal', message: `internal decoder error: ${msg}`, offset };
}
