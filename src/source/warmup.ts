// Synthetic traffic (live-warmup.ts) through a pipeline and sink of the run's own configuration whose output
// goes to /dev/null, before or beside the real input, so that the real traffic meets code V8 has already seen
// take every common path. Nothing of it reaches stdout, Kafka, the counts or --stats: pipeline, sink and
// output are its own. Used by `live`'s decoder (100,000 routes, in slices between real packets: the first full
// table then meets optimised code) and by `read` on a large input (a hundred routes, cli/read.ts: every
// session's End-of-RIB otherwise arrives once the decoder and the writers are optimised, a path they never
// took, and V8 compiles them again).

import { Pipeline, type PipelineOptions } from '../pipeline.js';
import { createSink, type Sink, type SinkOptions } from '../sink/index.js';
import { Output } from '../sink/output.js';
import { runWarmup, warmupTraffic } from './live-warmup.js';

/** The warm-up's two interface names: one labelled with a mux, one not (records of both shapes). */
const IFACES: [string | null, string | null] = ['warm-up0', 'warm-up1'];

export interface WarmupOptions {
  /** Which of live-warmup.ts's sessions (0-7: even over IPv4, odd over IPv6; 0, 1, 4, 5 seen from their OPENs). */
  sessions?: readonly number[];
  /** Interface names of the even and the odd sessions; the first is labelled with a mux. */
  ifaces?: [string | null, string | null];
  /** Ends the warm-up early when it says so (checked between chunks of the traffic). */
  stop?: () => boolean;
}

/**
 * Decode `routes` prefixes of synthetic traffic with `sink` and `pipeline` options like the run's, output to
 * /dev/null. Never throws: a warm-up that fails leaves the real run as it was.
 */
export async function warmUp(sink: SinkOptions, pipeline: Partial<PipelineOptions>, routes: number, opts: WarmupOptions = {}): Promise<void> {
  if (!(routes > 0)) return;
  const ifaces = opts.ifaces ?? IFACES;
  let s: Sink;
  try {
    s = createSink(sink, Output.toFile('/dev/null'));
  } catch {
    return; // no /dev/null: no warm-up, nothing else changes
  }
  try {
    const p = new Pipeline((r) => s.write(r), {
      ...pipeline,
      reassembly: { ...pipeline.reassembly, keyByIface: true },
      muxOf: (iface) => (iface !== null && iface === ifaces[0] ? 'warm-up' : null),
      handOff: null,
      // The warm-up's own sink's fast path (the caller's options may carry the real sink's).
      wire: s.wire === undefined ? null : (r) => s.wire!(r),
    });
    await runWarmup(warmupTraffic(routes, opts.sessions), ifaces, (f) => p.frame(f), opts.stop ?? (() => false));
    p.end();
  } catch {
    // a failure here must not touch the real run
  }
  try {
    await s.end();
  } catch {
    // as above
  }
}
