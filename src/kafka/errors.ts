// Kafka failures as users see them: one line, the broker named, no stack trace.

/**
 * Exit status when Kafka could not be used: no broker reachable at start (without --kafka-wait, or after its
 * time ran out), authentication refused, or records that could not be delivered before the flush timeout.
 * (0 success, 1 input damaged, 2 usage, 3 internal error: src/errors.ts.)
 */
export const EXIT_KAFKA = 4;

/** A Kafka problem that ends the command with EXIT_KAFKA; the message is shown as is after "bgpcap: kafka: ". */
export class KafkaError extends Error {
  override readonly name = 'KafkaError';
}

interface KafkaJsLikeError {
  name?: unknown;
  message?: unknown;
  cause?: unknown;
  type?: unknown;
  broker?: unknown;
  retriable?: unknown;
}

/** The innermost useful message of a kafkajs error (retry wrappers carry the real one in `cause`). */
export function describeKafkaError(err: unknown): string {
  let e = err as KafkaJsLikeError | null;
  for (let depth = 0; depth < 5 && e !== null && typeof e === 'object'; depth++) {
    const name = String(e.name ?? '');
    if ((name === 'KafkaJSNumberOfRetriesExceeded' || name === 'KafkaJSNonRetriableError') && e.cause !== undefined && e.cause !== e) {
      e = e.cause as KafkaJsLikeError;
      continue;
    }
    break;
  }
  if (e === null || typeof e !== 'object') return String(err);
  let msg = String(e.message ?? e);
  if (typeof e.type === 'string' && !msg.includes(e.type)) msg = `${msg} (${e.type})`;
  if (typeof e.broker === 'string' && e.broker !== '' && !msg.includes(e.broker)) msg = `${msg} [broker ${e.broker}]`;
  return msg.replace(/\s+/g, ' ').trim();
}

/**
 * Whether sending again can succeed: connection problems and retriable protocol errors (leader moved, not
 * enough replicas, timeouts) can; a record too large, an invalid topic name or a refused authentication
 * cannot. kafkajs wraps errors once per retry layer (a connection error inside a metadata refresh comes out
 * as KafkaJSNonRetriableError), so the innermost cause decides.
 */
export function isRetriable(err: unknown): boolean {
  let e = err as KafkaJsLikeError | null;
  for (let depth = 0; depth < 8 && e !== null && typeof e === 'object'; depth++) {
    const c = e.cause as KafkaJsLikeError | null | undefined;
    if (c === undefined || c === null || c === e || typeof c !== 'object') break;
    e = c;
  }
  if (e === null || typeof e !== 'object') return true;
  const name = String(e.name ?? '');
  if (name.startsWith('KafkaJSConnection') || name === 'KafkaJSRequestTimeoutError' || name === 'KafkaJSMetadataNotLoaded') return true;
  if (name.startsWith('KafkaJSSASL')) return false;
  if (name === 'KafkaJSProtocolError') return e.retriable === true;
  return e.retriable !== false;
}
