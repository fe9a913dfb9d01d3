// Formatting in `read --workers`: a record becomes output bytes in a slab (slabs.ts), the same way in a worker
// thread (worker.ts, shared slabs) and in the reading thread when it works on a chunk itself (pool.ts, slabs of
// its own).

import { createFormatter, type SinkOptions } from '../sink/index.js';
import { ByteWriter } from '../sink/bytes.js';
import type { BgpRecord } from '../record.js';
import type { WireRecord } from '../sink/wire-fields.js';

/** Where output goes: slabs (slabs.ts SlabWriter, LocalSlabs). */
export interface OutBytes {
  text(s: string): void;
  claim(): Buffer;
  fill(n: number): void;
  swap(n: number): Buffer;
  copy(b: Uint8Array): void;
}

/** Room left in a slab below which it is handed over: a few typical records. */
const HEADROOM = 64 * 1024;

/**
 * Formatting, the one place where a record becomes output: the record writer, and the flush called at the end
 * of every chunk. Kept apart so that the way records are formatted can change without touching the rest of the
 * worker.
 */
export function recordWriter(
  sink: SinkOptions,
  out: OutBytes,
): { write: (r: BgpRecord) => void; wire: ((r: WireRecord) => void) | null; flush: () => void } {
  if (sink.format === 'none') return { write: () => {}, wire: null, flush: () => {} };
  const fmt = createFormatter(sink);
  // A formatter with a fast path but no byte writer for decoded records (the bgpdump and bgpkit presets): its
  // text goes into the same bytes, so the UPDATEs its fast path takes can be written beside them.
  const into =
    fmt.into ??
    (fmt.wire === undefined
      ? undefined
      : (r: BgpRecord, w: ByteWriter): void => {
          const s = fmt.format(r);
          if (s !== '') w.str(s);
        });
  if (into !== undefined) {
    // Formatters that write bytes (jsonl, line): their ByteWriter writes straight into the buffer that stands
    // for the current slab (out.claim(): the slab itself, or in a worker a buffer copied into it), which is
    // handed over once less than HEADROOM is left. A record longer than
    // the room left makes the ByteWriter grow into a buffer of its own, holding the slab's records and this one:
    // that buffer goes as a copy and the slab is filled again from its start.
    const w = new ByteWriter(1);
    let slab: Buffer | null = null;
    let limit = 0;
    const use = (b: Buffer): void => {
      slab = b;
      w.attach(b);
      limit = Math.max(b.length - HEADROOM, b.length >> 1);
    };
    // After a record: hand the slab over when it is nearly full, or copy out what outgrew it.
    const done = (): void => {
      if (w.buf !== slab) {
        out.copy(w.bytes());
        use(slab!);
      } else if (w.pos > limit) use(out.swap(w.pos));
    };
    const wire = fmt.wire;
    return {
      write: (r) => {
        if (slab === null) use(out.claim());
        into(r, w);
        done();
      },
      // The formatter's fast path for UPDATEs (sink/wire-fields.ts), into the same slab.
      wire:
        wire === undefined
          ? null
          : (r) => {
              if (slab === null) use(out.claim());
              wire(r, w);
              done();
            },
      flush: () => {
        if (slab === null) return;
        out.fill(w.pos);
        slab = null;
      },
    };
  }
  // Formatters that make text (human): one record's text at a time, encoded straight into the slabs.
  return {
    write: (r) => {
      const s = fmt.format(r);
      if (s !== '') out.text(s);
    },
    wire: null,
    flush: () => {},
  };
}
