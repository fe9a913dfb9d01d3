// Backpressure for readers: a byte stream that asks before each chunk whether it may go on. The capture
// parsers are push parsers with a synchronous callback per frame, so a full Kafka buffer ('block' policy)
// cannot stop them in the middle of a chunk; it stops the next chunk from being read. The buffer may thus
// go over its size by the records of one chunk (64 KiB of capture: a few hundred messages).

import { createReadStream } from 'node:fs';

export type Gate = () => Promise<void> | null;

export async function* gated(input: AsyncIterable<Uint8Array>, gate: Gate): AsyncGenerator<Uint8Array> {
  for await (const chunk of input) {
    const wait = gate();
    if (wait !== null) await wait;
    yield chunk;
  }
}

/** A file ('-': standard input) read in 64 KiB chunks through the gate. */
export function gatedInput(path: string, gate: Gate): AsyncIterable<Uint8Array> {
  const src: AsyncIterable<Uint8Array> = path === '-' ? process.stdin : createReadStream(path, { highWaterMark: 64 * 1024 });
  return gated(src, gate);
}
