// Errors of the capture input layer. A CaptureError always says where the damage starts, as an absolute byte
// offset in the (decompressed) capture stream, so a user can look at the bytes with `xxd -s OFFSET`.

/**
 * - `truncated`: the stream ends inside a header, record or block (including a gzip stream cut short).
 * - `malformed`: a header or block contradicts the format (bad length, bad magic, unknown interface, ...).
 * - `unsupported`: well-formed but a variant this reader does not handle (e.g. pcap version 1.x).
 * - `not_capture`: the first bytes are neither pcap nor pcapng (nor gzip around one of them).
 * - `gzip`: the gzip layer reported corrupt compressed data.
 */
export type CaptureErrorCode = 'truncated' | 'malformed' | 'unsupported' | 'not_capture' | 'gzip';

export class CaptureError extends Error {
  override readonly name = 'CaptureError';
  readonly code: CaptureErrorCode;
  /** Input file name ('-' for stdin), null when the parser was fed directly. */
  file: string | null;
  /** Absolute byte offset in the (decompressed) capture stream where the damage starts. */
  readonly offset: number;

  constructor(code: CaptureErrorCode, file: string | null, offset: number, message: string) {
    super(message);
    this.code = code;
    this.file = file;
    this.offset = offset;
  }
}
