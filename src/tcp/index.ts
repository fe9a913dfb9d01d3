// TCP reassembly and BGP framing: Segment in, whole BGP messages and stream events out (see reassembler.ts).

export { DEFAULT_REASSEMBLY_OPTIONS, SEGMENT_OVERHEAD, TcpReassembler } from './reassembler.js';
export type { ReassemblyOptions, ReassemblyStats } from './reassembler.js';
export { BgpFramer } from './framer.js';
export type { ResyncReason } from './framer.js';
export { seqAdd, seqDiff, seqGt, seqGte, seqLt, seqLte } from './seq.js';
export type { Connection, HalfFlow, StreamConsumer, StreamEvent, StreamEventCode } from './stream.js';
