import { describe, expect, it } from 'vitest';
import { CaptureError } from '../../src/source/errors.js';
import { PcapParser } from '../../src/source/pcap.js';
import type { InterfaceInfo } from '../../src/source/parser.js';
import type { Frame } from '../../src/types.js';
import { buildPcap, everyByte, feed, hex, seqBytes, type PcapRecord, type SeenFrame } from './build.js';

const records: PcapRecord[] = [
  { sec: 1_600_000_000, frac: 123_456, data: seqBytes(60, 0x10) },
  { sec: 1_600_000_001, frac: 999_999, data: seqBytes(1, 0x80), origLen: 1514 }, // cut by the snaplen
  { sec: 0x8000_0001, frac: 0, data: seqBytes(0) }, // after 2038: the seconds field is unsigned
  { sec: 1_600_000_002, frac: 7, data: seqBytes(77, 0xf0) },
];

function expected(nano: boolean, linkType = 1): SeenFrame[] {
  return records.map((r, i) => ({
    frameNo: i + 1,
    sec: r.sec,
    nsec: nano ? r.frac : r.frac * 1000,
    linkType,
    hex: hex(r.data),
    origLen: r.origLen ?? r.data.length,
    iface: null,
  }));
}

const make = (opts = {}) => (on: (f: Frame) => void) => new PcapParser(on, opts);

describe('pcap: byte orders and resolutions', () => {
  for (const le of [true, false]) {
    for (const [magic, nano] of [
      [0xa1b2c3d4, false],
      [0xa1b23c4d, true],
    ] as const) {
      it(`${le ? 'little' : 'big'}-endian, ${nano ? 'nanosecond' : 'microsecond'} magic`, () => {
        const { bytes } = buildPcap({ le, magic, records });
        // The magic as it lies in the file, written out by hand for the two orders.
        const head = hex(bytes.subarray(0, 4));
        expect(head).toBe(
          le ? (nano ? '4d3cb2a1' : 'd4c3b2a1') : nano ? 'a1b23c4d' : 'a1b2c3d4',
        );
        const r = feed(make(), bytes);
        expect(r.error).toBeNull();
        expect(r.frames).toEqual(expected(nano));
      });
    }
  }

  it('reads the modified (Kuznetzov, 0xa1b2cd34) format with 24-byte record headers', () => {
    const { bytes } = buildPcap({ le: true, magic: 0xa1b2cd34, records });
    const r = feed(make(), bytes);
    expect(r.error).toBeNull();
    expect(r.frames).toEqual(expected(false));
  });

  it('takes the link type from the low 16 bits and the FCS length from the top bits', () => {
    // 0x14000071: FCS length 1 (16-bit words) in bits 28-31, P bit 0x04000000 set, link type 113 (SLL).
    const { bytes } = buildPcap({ le: false, linkTypeField: 0x14000071, snaplen: 65535, records });
    const ifs: InterfaceInfo[] = [];
    const r = feed((on) => new PcapParser(on, { onInterface: (i) => ifs.push(i) }), bytes);
    expect(r.error).toBeNull();
    expect(r.frames.map((f) => f.linkType)).toEqual([113, 113, 113, 113]);
    expect(ifs).toEqual([
      { index: 0, section: 1, linkType: 113, snaplen: 65535, name: null, label: null, tsUnitsPerSecond: 1e6, tsOffsetSec: 0, fcsBytes: 2 },
    ]);
    // Without the P bit the FCS length is unknown, whatever the top bits say.
    const ifs2: InterfaceInfo[] = [];
    feed((on) => new PcapParser(on, { onInterface: (i) => ifs2.push(i) }), buildPcap({ le: true, linkTypeField: 0x20000001, records }).bytes);
    expect(ifs2[0]?.linkType).toBe(1);
    expect(ifs2[0]?.fcsBytes).toBeNull();
  });

  it('carries a microsecond field of 1e6 or more into the seconds', () => {
    const { bytes } = buildPcap({ le: true, records: [{ sec: 10, frac: 2_500_000, data: seqBytes(4) }] });
    expect(feed(make(), bytes).frames[0]).toMatchObject({ sec: 12, nsec: 500_000_000 });
  });

  it('hands out views into the pushed chunk, not copies', () => {
    const { bytes, recordOffsets } = buildPcap({ le: true, records });
    const views: Uint8Array[] = [];
    const p = new PcapParser((f) => views.push(f.data));
    p.push(bytes);
    p.end();
    expect(views[0]!.buffer).toBe(bytes.buffer);
    expect(views[0]!.byteOffset).toBe(recordOffsets[0]! + 16);
    expect(views[3]!.byteOffset).toBe(recordOffsets[3]! + 16);
    expect(p.bytesConsumed).toBe(bytes.length);
  });

  it('a file with a header and no records has no frames', () => {
    const { bytes } = buildPcap({ le: true, records: [] });
    expect(feed(make(), bytes)).toEqual({ frames: [], error: null });
  });
});

describe('pcap: chunk boundaries', () => {
  const { bytes } = buildPcap({ le: false, magic: 0xa1b23c4d, records });
  const want = expected(true);

  it('same frames when split in two at every offset', () => {
    for (let cut = 0; cut <= bytes.length; cut++) {
      const r = feed(make(), bytes, [cut]);
      expect(r.error, `cut at ${cut}`).toBeNull();
      expect(r.frames, `cut at ${cut}`).toEqual(want);
    }
  });

  it('same frames in 1-byte chunks', () => {
    const r = feed(make(), bytes, everyByte(bytes.length));
    expect(r.error).toBeNull();
    expect(r.frames).toEqual(want);
  });

  it('same frames in 2-, 3-, 5- and 17-byte chunks (record and header cut in every way)', () => {
    for (const step of [2, 3, 5, 17]) {
      const cuts: number[] = [];
      for (let i = step; i < bytes.length; i += step) cuts.push(i);
      expect(feed(make(), bytes, cuts).frames, `step ${step}`).toEqual(want);
    }
  });
});

describe('pcap: damage', () => {
  const { bytes, recordOffsets } = buildPcap({ le: true, records });
  const want = expected(false);

  it('file ending inside record 3 data: frames 1-2 delivered, error at record 3 header', () => {
    // Record 3 has 0 data bytes; use record 4 (77 bytes) instead: cut 10 bytes into its data.
    const cutAt = recordOffsets[3]! + 16 + 10;
    for (const cuts of [[], [5], everyByte(cutAt)]) {
      const r = feed(make({ file: 'x.pcap' }), bytes.subarray(0, cutAt), cuts);
      expect(r.frames).toEqual(want.slice(0, 3));
      expect(r.error).toBeInstanceOf(CaptureError);
      const e = r.error as CaptureError;
      expect(e.code).toBe('truncated');
      expect(e.file).toBe('x.pcap');
      expect(e.offset).toBe(recordOffsets[3]);
      expect(e.message).toBe(`truncated: file ends inside record 4 (header at byte ${recordOffsets[3]}, needs 67 more bytes)`);
    }
  });

  it('file ending inside a record header', () => {
    const cutAt = recordOffsets[1]! + 5;
    const r = feed(make(), bytes.subarray(0, cutAt));
    expect(r.frames).toEqual(want.slice(0, 1));
    const e = r.error as CaptureError;
    expect(e.offset).toBe(recordOffsets[1]);
    expect(e.message).toBe(`truncated: file ends inside record 2 (header at byte ${recordOffsets[1]}, needs at least 11 more bytes)`);
  });

  it('file ending inside the file header, and an empty input', () => {
    const e1 = feed(make(), bytes.subarray(0, 10)).error as CaptureError;
    expect(e1.code).toBe('truncated');
    expect(e1.offset).toBe(0);
    expect(e1.message).toContain('the pcap file header');
    expect(e1.message).toContain('needs 14 more bytes');
    const e2 = feed(make(), new Uint8Array(0)).error as CaptureError;
    expect(e2.code).toBe('truncated');
    expect(e2.message).toContain('needs 24 more bytes');
  });

  it('a record claiming more than maxPacketBytes is corrupt, reported at its header after earlier frames', () => {
    const bad = bytes.slice();
    new DataView(bad.buffer).setUint32(recordOffsets[2]! + 8, 0x7fff_fff0, true); // record 3 caplen
    for (const cuts of [[], everyByte(bad.length)]) {
      const r = feed(make(), bad, cuts);
      expect(r.frames).toEqual(want.slice(0, 2));
      const e = r.error as CaptureError;
      expect(e.code).toBe('malformed');
      expect(e.offset).toBe(recordOffsets[2]);
      expect(e.message).toContain('record 3 claims 2147483632 captured bytes');
    }
    // The limit is an option: 60 bytes allowed, record 4 has 77.
    const r = feed(make({ maxPacketBytes: 60 }), bytes);
    expect(r.frames).toEqual(want.slice(0, 3));
    expect((r.error as CaptureError).offset).toBe(recordOffsets[3]);
  });

  it('unknown magic and an unsupported version', () => {
    const e = feed(make(), Uint8Array.from([0x50, 0x4b, 3, 4, ...new Uint8Array(40)])).error as CaptureError;
    expect(e.code).toBe('not_capture');
    expect(e.message).toContain('0x504b0304');
    const v1 = buildPcap({ le: true, major: 1, minor: 0, records }).bytes;
    const e2 = feed(make(), v1).error as CaptureError;
    expect(e2.code).toBe('unsupported');
    expect(e2.offset).toBe(4);
  });

  it('after an error the parser keeps failing with the same error', () => {
    const p = new PcapParser(() => {});
    expect(() => p.push(new Uint8Array(24))).toThrow(CaptureError);
    expect(() => p.push(bytes)).toThrow(/not a pcap file/);
    expect(() => p.end()).toThrow(/not a pcap file/);
  });
});
