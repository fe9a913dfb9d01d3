import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { constants as zc, gzipSync, gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { CaptureError } from '../../src/source/errors.js';
import { parseCaptureBuffer, readCapture, readCaptureStream, type ReadOptions } from '../../src/source/open.js';
import type { Frame } from '../../src/types.js';
import { buildPcap, cat, epb, hex, idb, seen, shb, type SeenFrame } from './build.js';

const dir = mkdtempSync(join(tmpdir(), 'bgpcap-open-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, bytes: Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

/** 300 records of 100 bytes whose content is a cheap pseudo-random sequence (so gzip cannot shrink it to nothing). */
function pseudoRandom(n: number, seed: number): Uint8Array {
  const b = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b[i] = x & 0xff;
  }
  return b;
}
const records = Array.from({ length: 300 }, (_, i) => ({ sec: 1_650_000_000 + i, frac: i * 1000, data: pseudoRandom(100, i + 1) }));
const { bytes: pcap, recordOffsets } = buildPcap({ le: true, records });
const want: SeenFrame[] = records.map((r, i) => ({
  frameNo: i + 1,
  sec: r.sec,
  nsec: r.frac * 1000,
  linkType: 1,
  hex: hex(r.data),
  origLen: 100,
  iface: null,
}));
const pcapng = cat([shb(false), idb(false, 1, 0), epb(false, 0, 1_650_000_000_000_001n, pseudoRandom(50, 9))]);

async function read(path: string, opts: ReadOptions = {}): Promise<{ frames: SeenFrame[]; result: unknown; error: unknown }> {
  const frames: SeenFrame[] = [];
  try {
    const result = await readCapture(path, (f: Frame) => frames.push(seen(f)), opts);
    return { frames, result, error: null };
  } catch (error) {
    return { frames, result: null, error };
  }
}

describe('readCapture: files', () => {
  const plain = write('a.pcap', pcap);
  const gz = write('a.pcap.gz', gzipSync(pcap));
  const ng = write('b.pcapng', pcapng);

  it('reads a pcap file, in 1 MiB chunks and in 7-byte chunks', async () => {
    for (const chunkBytes of [undefined, 7]) {
      const r = await read(plain, { chunkBytes });
      expect(r.error).toBeNull();
      expect(r.frames).toEqual(want);
      expect(r.result).toEqual({ frames: 300, bytes: pcap.length, format: 'pcap', compressed: false });
    }
  });

  it('reads a gzip-compressed pcap, whatever the read size', async () => {
    for (const chunkBytes of [undefined, 1, 50]) {
      const r = await read(gz, { chunkBytes });
      expect(r.error).toBeNull();
      expect(r.frames).toEqual(want);
      expect(r.result).toEqual({ frames: 300, bytes: pcap.length, format: 'pcap', compressed: true });
    }
  });

  it('reads a pcapng file', async () => {
    const r = await read(ng);
    expect(r.error).toBeNull();
    expect(r.frames).toEqual([{ frameNo: 1, sec: 1_650_000_000, nsec: 1000, linkType: 1, hex: hex(pseudoRandom(50, 9)), origLen: 50, iface: '0' }]);
    expect(r.result).toMatchObject({ format: 'pcapng', compressed: false });
  });

  it('a truncated file: CaptureError naming the file, earlier frames delivered', async () => {
    const cut = write('cut.pcap', pcap.subarray(0, recordOffsets[100]! + 50));
    const r = await read(cut, { chunkBytes: 4096 });
    expect(r.frames).toEqual(want.slice(0, 100));
    const e = r.error as CaptureError;
    expect(e).toBeInstanceOf(CaptureError);
    expect(e.file).toBe(cut);
    expect(e.offset).toBe(recordOffsets[100]);
    expect(e.message).toBe(`truncated: file ends inside record 101 (header at byte ${recordOffsets[100]}, needs 66 more bytes)`);
  });

  it('damage in the middle, met while the next chunk is being read: frames before it, then the error', async () => {
    // Record 151 claims 2^30 captured bytes: the parser throws from inside a chunk (not at the end), while
    // readCapture already reads the next one. Each read size puts the damage in a different chunk position.
    const bad = Uint8Array.from(pcap);
    new DataView(bad.buffer).setUint32(recordOffsets[150]! + 8, 1 << 30, true);
    const path = write('mid.pcap', bad);
    for (const chunkBytes of [7, 1000, 4096, undefined]) {
      const r = await read(path, { chunkBytes });
      expect(r.frames).toEqual(want.slice(0, 150));
      const e = r.error as CaptureError;
      expect(e).toBeInstanceOf(CaptureError);
      expect(e.code).toBe('malformed');
      expect(e.offset).toBe(recordOffsets[150]);
    }
  });

  it('the gate is asked before every read after the first; a wait holds the read back, a rejection stops it', async () => {
    for (const chunkBytes of [1000, 4096]) {
      const reads = Math.ceil(pcap.length / chunkBytes);
      const frames: SeenFrame[] = [];
      let asked = 0;
      let waiting = false;
      // Every other question is answered "wait" (resolved on a later turn of the event loop); frames may be
      // delivered meanwhile (the chunk in hand), and the next ask only comes after the wait ended.
      const gate = (): Promise<void> | null => {
        expect(waiting).toBe(false);
        asked++;
        if (asked % 2 === 0) return null;
        waiting = true;
        return new Promise((resolve) => setTimeout(() => ((waiting = false), resolve()), 1));
      };
      await readCapture(plain, (f) => frames.push(seen(f)), { chunkBytes, gate });
      expect(frames).toEqual(want);
      expect(asked).toBe(reads);

      const seenBefore: SeenFrame[] = [];
      let n = 0;
      const err = await readCapture(plain, (f) => seenBefore.push(seen(f)), {
        chunkBytes,
        gate: () => (++n === 3 ? Promise.reject(new Error('worker failed')) : null),
      }).catch((e: unknown) => e);
      expect((err as Error).message).toBe('worker failed');
      // Everything in the chunks read before the third question (three chunks: the first, and one per "go on").
      expect(seenBefore).toEqual(want.filter((_, i) => recordOffsets[i]! + 116 <= 3 * chunkBytes));
    }
  });

  it('a truncated gzip file: frames from the part that decompresses, then a CaptureError, not a zlib error', async () => {
    const z = gzipSync(pcap);
    for (const keep of [Math.floor(z.length / 3), Math.floor(z.length / 2), z.length - 4]) {
      const path = write(`cut${keep}.pcap.gz`, z.subarray(0, keep));
      // What an independent decompression of the same prefix yields, and which records lie wholly in it.
      const avail = gunzipSync(z.subarray(0, keep), { finishFlush: zc.Z_SYNC_FLUSH }).length;
      const whole = recordOffsets.filter((o) => o + 116 <= avail).length;
      const r = await read(path, { chunkBytes: 1000 });
      expect(r.frames).toEqual(want.slice(0, whole));
      const e = r.error as CaptureError;
      expect(e).toBeInstanceOf(CaptureError);
      expect(e.code).toBe('truncated');
      expect(e.file).toBe(path);
      expect(e.message).toMatch(/^truncated: gzip data ends early/);
      const pending = recordOffsets[whole];
      expect(e.offset).toBe(pending !== undefined && pending < avail ? pending : avail);
    }
  });

  it('a gzip file with a wrong CRC: CaptureError code gzip', async () => {
    const z = Uint8Array.from(gzipSync(pcap));
    z[z.length - 8]! ^= 0xff; // first CRC-32 byte of the trailer (RFC 1952 §2.2)
    const path = write('crc.pcap.gz', z);
    const r = await read(path);
    const e = r.error as CaptureError;
    expect(e).toBeInstanceOf(CaptureError);
    expect(e.code).toBe('gzip');
    expect(e.file).toBe(path);
    expect(e.message).toMatch(/^gzip: corrupt compressed data/);
  });

  it('not a capture: shows the first bytes; empty; tiny; gzip of text', async () => {
    const cases: [string, Uint8Array, string][] = [
      ['text.txt', new TextEncoder().encode('hello world\n'), 'not a pcap or pcapng file (first bytes: 68 65 6c 6c)'],
      ['empty', new Uint8Array(0), 'not a pcap or pcapng file (it is empty)'],
      ['tiny', Uint8Array.from([0xd4, 0xc3]), 'not a pcap or pcapng file (first bytes: d4 c3)'],
      ['text.gz', gzipSync(new TextEncoder().encode('PK\x03\x04 zip')), 'not a pcap or pcapng file (first bytes: 50 4b 03 04)'],
    ];
    for (const [name, bytes, msg] of cases) {
      const path = write(name, bytes);
      const e = (await read(path)).error as CaptureError;
      expect(e).toBeInstanceOf(CaptureError);
      expect(e.code).toBe('not_capture');
      expect(e.file).toBe(path);
      expect(e.offset).toBe(0);
      expect(e.message).toBe(msg);
    }
  });

  it('file system errors are passed on unchanged', async () => {
    const r = await read(join(dir, 'missing.pcap'));
    expect((r.error as NodeJS.ErrnoException).code).toBe('ENOENT');
  });

  it('reports progress: bytes read and the file size, ending at the size', async () => {
    const z = gzipSync(pcap);
    const gzPath = write('p.pcap.gz', z);
    for (const [path, size] of [
      [plain, pcap.length],
      [gzPath, z.length],
    ] as const) {
      const calls: [number, number | null][] = [];
      await readCapture(path, () => {}, { chunkBytes: 1000, progressIntervalMs: 0, onProgress: (a, b) => calls.push([a, b]) });
      expect(calls.length).toBeGreaterThan(2);
      expect(calls.at(-1)).toEqual([size, size]);
      for (let i = 1; i < calls.length; i++) expect(calls[i]![0]).toBeGreaterThanOrEqual(calls[i - 1]![0]);
    }
    // Throttled: with the default interval a fast read reports only a few times.
    const calls: number[] = [];
    await readCapture(plain, () => {}, { chunkBytes: 100, onProgress: (a) => calls.push(a) });
    expect(calls.length).toBeLessThan(10);
    expect(calls.at(-1)).toBe(pcap.length);
  });
});

describe('readCaptureStream and stdin', () => {
  function chunks(b: Uint8Array, sizes: number[]): Uint8Array[] {
    const out: Uint8Array[] = [];
    let p = 0;
    let i = 0;
    while (p < b.length) {
      const n = sizes[i++ % sizes.length]!;
      out.push(b.slice(p, p + n));
      p += n;
    }
    return out;
  }

  it('plain and gzip streams, with a 1-byte first chunk', async () => {
    for (const [bytes, compressed] of [
      [pcap, false],
      [gzipSync(pcap), true],
    ] as const) {
      const frames: SeenFrame[] = [];
      const res = await readCaptureStream(Readable.from(chunks(bytes, [1, 3, 1000, 77])), 'stream', (f) => frames.push(seen(f)));
      expect(frames).toEqual(want);
      expect(res).toEqual({ frames: 300, bytes: pcap.length, format: 'pcap', compressed });
    }
  });

  it('a truncated stream: error names the stream', async () => {
    const frames: SeenFrame[] = [];
    const err = await readCaptureStream(Readable.from([pcap.slice(0, recordOffsets[3]! + 4)]), 'net', (f) => frames.push(seen(f))).catch((e: unknown) => e);
    expect(frames).toEqual(want.slice(0, 3));
    expect(err).toBeInstanceOf(CaptureError);
    expect((err as CaptureError).file).toBe('net');
    expect((err as CaptureError).offset).toBe(recordOffsets[3]);
  });

  it("path '-' reads standard input", async () => {
    const spy = vi.spyOn(process, 'stdin', 'get').mockReturnValue(Readable.from(chunks(gzipSync(pcapng), [5])) as unknown as typeof process.stdin);
    try {
      const frames: SeenFrame[] = [];
      const res = await readCapture('-', (f) => frames.push(seen(f)));
      expect(frames.map((f) => f.sec)).toEqual([1_650_000_000]);
      expect(res).toEqual({ frames: 1, bytes: pcapng.length, format: 'pcapng', compressed: true });
    } finally {
      spy.mockRestore();
    }
  });

  it('an error thrown by the frame callback propagates unchanged', async () => {
    const boom = new Error('boom');
    const err = await readCaptureStream(Readable.from([pcap]), 's', () => {
      throw boom;
    }).catch((e: unknown) => e);
    expect(err).toBe(boom);
  });
});

describe('parseCaptureBuffer', () => {
  it('plain, gzip, and truncated gzip', () => {
    const frames: SeenFrame[] = [];
    expect(parseCaptureBuffer(pcap, (f) => frames.push(seen(f)))).toEqual({ frames: 300, bytes: pcap.length, format: 'pcap', compressed: false });
    expect(frames).toEqual(want);
    const z = gzipSync(pcap);
    const f2: SeenFrame[] = [];
    expect(parseCaptureBuffer(z, (f) => f2.push(seen(f)))).toMatchObject({ frames: 300, compressed: true });
    expect(f2).toEqual(want);
    const keep = Math.floor(z.length / 2);
    const avail = gunzipSync(z.subarray(0, keep), { finishFlush: zc.Z_SYNC_FLUSH }).length;
    const whole = recordOffsets.filter((o) => o + 116 <= avail).length;
    const f3: SeenFrame[] = [];
    let err: unknown = null;
    try {
      parseCaptureBuffer(z.subarray(0, keep), (f) => f3.push(seen(f)), { file: 'mem' });
    } catch (e) {
      err = e;
    }
    expect(f3).toEqual(want.slice(0, whole));
    expect(err).toBeInstanceOf(CaptureError);
    expect((err as CaptureError).code).toBe('truncated');
    expect((err as CaptureError).file).toBe('mem');
  });
});
