// Record batches, magic 2 (KIP-98; https://kafka.apache.org/documentation/#recordbatch). The broker keeps the
// batches its clients sent, byte for byte, and only rewrites baseOffset (not covered by the CRC), as a Kafka
// broker does for uncompressed and compressed batches alike. decodeRecords is for the tests: what a consumer
// would see, gzip included.
//
//   off  field                 type
//     0  baseOffset            int64
//     8  batchLength           int32   bytes after this field
//    12  partitionLeaderEpoch  int32
//    16  magic                 int8    2
//    17  crc                   uint32  CRC-32C of bytes 21..end
//    21  attributes            int16   bits 0-2 compression (0 none, 1 gzip, 2 snappy, 3 lz4, 4 zstd),
//                                      bit 3 timestamp type, bit 4 transactional, bit 5 control
//    23  lastOffsetDelta       int32
//    27  baseTimestamp         int64
//    35  maxTimestamp          int64
//    43  producerId            int64
//    51  producerEpoch         int16
//    53  baseSequence          int32
//    57  records count         int32
//    61  records (compressed as a whole when attributes say so)
//
// A record: length varint | attributes int8 | timestampDelta varlong | offsetDelta varint | keyLength varint
// (-1 null) | key | valueLength varint | value | headers count varint | (keyLength varint | key | valueLength
// varint | value)*

import { gunzipSync } from 'node:zlib';
import { crc32c } from './crc32c.js';
import { Reader, WireError } from './wire.js';

export const BATCH_HEADER = 61;

export interface BatchInfo {
  /** The whole batch (a copy the broker owns). */
  bytes: Buffer;
  lastOffsetDelta: number;
  count: number;
  compression: number;
  baseTimestamp: bigint;
  maxTimestamp: bigint;
  producerId: bigint;
  producerEpoch: number;
  baseSequence: number;
}

/** Split a Produce record set into batches, checking magic and CRC. Throws WireError naming the problem. */
export function splitBatches(set: Uint8Array): BatchInfo[] {
  const out: BatchInfo[] = [];
  let off = 0;
  while (off < set.length) {
    if (set.length - off < BATCH_HEADER) throw new WireError(`record set: ${set.length - off} bytes left, less than a batch header`);
    const dv = new DataView(set.buffer, set.byteOffset + off, set.length - off);
    const len = dv.getInt32(8);
    const total = 12 + len;
    if (len < BATCH_HEADER - 12 || off + total > set.length) throw new WireError(`record batch length ${len} does not fit`);
    const magic = dv.getInt8(16);
    if (magic !== 2) throw new WireError(`record batch magic ${magic}, only 2 is supported`);
    const crc = dv.getUint32(17);
    const body = set.subarray(off + 21, off + total);
    const want = crc32c(body);
    if (crc !== want) throw new WireError(`record batch CRC 0x${crc.toString(16)} != CRC-32C 0x${want.toString(16)}`);
    out.push({
      bytes: Buffer.from(set.subarray(off, off + total)),
      lastOffsetDelta: dv.getInt32(23),
      count: dv.getInt32(57),
      compression: dv.getInt16(21) & 7,
      baseTimestamp: dv.getBigInt64(27),
      maxTimestamp: dv.getBigInt64(35),
      producerId: dv.getBigInt64(43),
      producerEpoch: dv.getInt16(51),
      baseSequence: dv.getInt32(53),
    });
    off += total;
  }
  return out;
}

export function setBaseOffset(batch: Buffer, base: bigint): void {
  batch.writeBigInt64BE(base, 0);
}

export interface DecodedRecord {
  offset: bigint;
  timestamp: bigint;
  key: Buffer | null;
  value: Buffer | null;
  headers: [string, Buffer | null][];
}

/** Every record of the batches in `set` (a Fetch answer or what the broker stored). gzip is inflated. */
export function decodeRecords(set: Uint8Array): DecodedRecord[] {
  const out: DecodedRecord[] = [];
  for (const b of splitBatches(set)) {
    const base = b.bytes.readBigInt64BE(0);
    let recs: Uint8Array = b.bytes.subarray(BATCH_HEADER);
    if (b.compression === 1) recs = gunzipSync(recs);
    else if (b.compression !== 0) throw new WireError(`compression codec ${b.compression} not supported by the test decoder`);
    const r = new Reader(recs);
    for (let i = 0; i < b.count; i++) {
      const len = r.varint();
      const end = r.pos + len;
      const rr = new Reader(recs, r.pos, end);
      rr.int8();
      const tsDelta = rr.varlong();
      const offDelta = rr.varint();
      const kl = rr.varint();
      const key = kl < 0 ? null : Buffer.from(rr.raw(kl));
      const vl = rr.varint();
      const value = vl < 0 ? null : Buffer.from(rr.raw(vl));
      const nh = rr.varint();
      const headers: [string, Buffer | null][] = [];
      for (let h = 0; h < nh; h++) {
        const hk = Buffer.from(rr.raw(rr.varint())).toString('utf8');
        const hvl = rr.varint();
        headers.push([hk, hvl < 0 ? null : Buffer.from(rr.raw(hvl))]);
      }
      r.pos = end;
      out.push({ offset: base + BigInt(offDelta), timestamp: b.baseTimestamp + tsDelta, key, value, headers });
    }
  }
  return out;
}
