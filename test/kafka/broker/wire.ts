// Kafka protocol primitive types (https://kafka.apache.org/protocol#protocol_types), big-endian, for the
// test broker. Only the non-flexible encodings: kafkajs 2.2 implements no flexible version, and the broker
// advertises none, so librdkafka (kcat) uses the classic ones too. A short or lying length throws
// WireError, which the broker answers by closing the connection (as Kafka does with a malformed request).

export class WireError extends Error {
  override readonly name = 'WireError';
}

export class Reader {
  private readonly dv: DataView;
  pos: number;

  constructor(
    readonly buf: Uint8Array,
    start = 0,
    readonly end = buf.length,
  ) {
    this.dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.pos = start;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  private need(n: number): number {
    if (n < 0 || this.pos + n > this.end) throw new WireError(`need ${n} bytes at ${this.pos}, have ${this.end - this.pos}`);
    const p = this.pos;
    this.pos += n;
    return p;
  }

  int8(): number {
    return this.dv.getInt8(this.need(1));
  }
  int16(): number {
    return this.dv.getInt16(this.need(2));
  }
  int32(): number {
    return this.dv.getInt32(this.need(4));
  }
  uint32(): number {
    return this.dv.getUint32(this.need(4));
  }
  int64(): bigint {
    return this.dv.getBigInt64(this.need(8));
  }
  bool(): boolean {
    return this.int8() !== 0;
  }

  /** STRING: INT16 length then UTF-8 bytes; NULLABLE_STRING: length -1 is null. */
  nullableString(): string | null {
    const n = this.int16();
    if (n === -1) return null;
    const p = this.need(n);
    return Buffer.from(this.buf.buffer, this.buf.byteOffset + p, n).toString('utf8');
  }
  string(): string {
    const s = this.nullableString();
    if (s === null) throw new WireError('null where a STRING is required');
    return s;
  }

  /** BYTES: INT32 length then bytes; NULLABLE_BYTES: -1 is null. A view, not a copy. */
  nullableBytes(): Uint8Array | null {
    const n = this.int32();
    if (n === -1) return null;
    const p = this.need(n);
    return this.buf.subarray(p, p + n);
  }
  bytes(): Uint8Array {
    return this.nullableBytes() ?? new Uint8Array(0);
  }

  raw(n: number): Uint8Array {
    const p = this.need(n);
    return this.buf.subarray(p, p + n);
  }

  /** ARRAY: INT32 count (-1: null) then the elements. The count is checked against the bytes left. */
  nullableArray<T>(item: (r: Reader) => T): T[] | null {
    const n = this.int32();
    if (n === -1) return null;
    if (n < 0 || n > this.remaining) throw new WireError(`array of ${n} elements with ${this.remaining} bytes left`);
    const out: T[] = [];
    for (let i = 0; i < n; i++) out.push(item(this));
    return out;
  }
  array<T>(item: (r: Reader) => T): T[] {
    return this.nullableArray(item) ?? [];
  }

  /** VARINT / VARLONG: zig-zag encoded, as in record batches. */
  varint(): number {
    let v = 0;
    let shift = 0;
    for (;;) {
      const b = this.buf[this.need(1)]!;
      v |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) break;
      shift += 7;
      if (shift > 28) throw new WireError('varint longer than 5 bytes');
    }
    return (v >>> 1) ^ -(v & 1);
  }
  varlong(): bigint {
    let v = 0n;
    let shift = 0n;
    for (;;) {
      const b = this.buf[this.need(1)]!;
      v |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) break;
      shift += 7n;
      if (shift > 63n) throw new WireError('varlong longer than 10 bytes');
    }
    return (v >> 1n) ^ -(v & 1n);
  }
}

export class Writer {
  private buf = Buffer.allocUnsafe(256);
  len = 0;

  private need(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < this.len + n) cap *= 2;
    const b = Buffer.allocUnsafe(cap);
    this.buf.copy(b, 0, 0, this.len);
    this.buf = b;
  }

  int8(v: number): this {
    this.need(1);
    this.buf.writeInt8(v, this.len);
    this.len += 1;
    return this;
  }
  int16(v: number): this {
    this.need(2);
    this.buf.writeInt16BE(v, this.len);
    this.len += 2;
    return this;
  }
  int32(v: number): this {
    this.need(4);
    this.buf.writeInt32BE(v, this.len);
    this.len += 4;
    return this;
  }
  uint32(v: number): this {
    this.need(4);
    this.buf.writeUInt32BE(v >>> 0, this.len);
    this.len += 4;
    return this;
  }
  int64(v: bigint | number): this {
    this.need(8);
    this.buf.writeBigInt64BE(BigInt(v), this.len);
    this.len += 8;
    return this;
  }
  bool(v: boolean): this {
    return this.int8(v ? 1 : 0);
  }
  nullableString(s: string | null): this {
    if (s === null) return this.int16(-1);
    const b = Buffer.from(s, 'utf8');
    return this.int16(b.length).raw(b);
  }
  string(s: string): this {
    return this.nullableString(s);
  }
  nullableBytes(b: Uint8Array | null): this {
    if (b === null) return this.int32(-1);
    return this.int32(b.length).raw(b);
  }
  raw(b: Uint8Array): this {
    this.need(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
    return this;
  }
  array<T>(items: readonly T[], item: (w: Writer, x: T) => void): this {
    this.int32(items.length);
    for (const x of items) item(this, x);
    return this;
  }
  varint(v: number): this {
    let z = ((v << 1) ^ (v >> 31)) >>> 0;
    while (z > 0x7f) {
      this.int8u((z & 0x7f) | 0x80);
      z >>>= 7;
    }
    return this.int8u(z);
  }
  varlong(v: bigint): this {
    let z = BigInt.asUintN(64, (v << 1n) ^ (v >> 63n));
    while (z > 0x7fn) {
      this.int8u(Number(z & 0x7fn) | 0x80);
      z >>= 7n;
    }
    return this.int8u(Number(z));
  }
  private int8u(v: number): this {
    this.need(1);
    this.buf[this.len++] = v;
    return this;
  }
  done(): Buffer {
    return this.buf.subarray(0, this.len);
  }
}
