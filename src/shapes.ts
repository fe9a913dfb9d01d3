// Objects whose hidden class (V8's "map") is settled when they are made, not while a capture is read.
//
// V8 gives each field of an object the narrowest representation its first value allows (a small integer of 31
// bits, a double, any value) and treats a field written only once as a constant. When a later write does not
// fit — a TCP sequence number above 2^31 into a field that held 0, or a second write to a field that had been
// written once — V8 changes the shape of every object of that kind and throws away the optimised code that
// relied on it: that code runs in the interpreter again until it is compiled again (`node --trace-deopt`,
// `--trace-generalization`). With the connection's objects that was the framer, the reassembler's lookup and
// the pipeline's per-message step, recompiled when the first connection ended (its FIN sequence number) or
// first held a segment out of order — rare events that arrive after the hot code was optimised.
//
// settle() writes a value of the final representation, then the starting value, to each field named, so the
// object's first shape is already its last. Only for objects made once per connection or per run: it writes
// by name, in a loop, which a per-packet object would pay for every packet.

/** A number above V8's small integers and not an integer: the field becomes a double. */
const WIDE = 2 ** 32 + 0.5;

/**
 * `wide`: number fields that may hold values past 2^31 (u32 sequence numbers, stream offsets, seconds):
 * doubles from the start. `mutable`: fields written again after construction (booleans, counters, references;
 * a number keeps its small-integer representation): not treated as constants.
 */
export function settle(o: object, wide: readonly string[], mutable: readonly string[] = []): void {
  const r = o as Record<string, unknown>;
  for (const k of wide) {
    const v = r[k];
    r[k] = WIDE;
    r[k] = v;
  }
  for (const k of mutable) {
    const v = r[k];
    r[k] = typeof v === 'boolean' ? !v : typeof v === 'number' ? v + 1 : {};
    r[k] = v;
  }
}
