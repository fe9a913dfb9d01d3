import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CaptureError } from '../../src/source/errors.js';
import { PcapngParser } from '../../src/source/pcapng.js';
import type { InterfaceInfo, ParserOptions } from '../../src/source/parser.js';
import type { Frame } from '../../src/types.js';
import {
  block,
  cat,
  epb,
  everyByte,
  feed,
  hex,
  i64,
  idb,
  pb,
  seqBytes,
  shb,
  spb,
  u8,
  utf8,
  type SeenFrame,
} from './build.js';

const make = (opts: ParserOptions = {}) => (on: (f: Frame) => void) => new PcapngParser(on, opts);

// Section 1, little-endian: two interfaces with different link types and resolutions.
const d1 = seqBytes(60, 1);
const d2 = seqBytes(33, 2);
const d3 = seqBytes(64, 3);
const d4 = seqBytes(5, 4);
// Section 2, big-endian: one interface, default resolution (10^-6) and if_tsoffset.
const d5 = seqBytes(40, 5);
const d6 = seqBytes(4, 6);

const parts = {
  shb1: shb(true),
  // IDB 0: Ethernet, snaplen 64, if_name "eth0" (written with a trailing NUL, as some writers do), 10^-9.
  idb0: idb(true, 1, 64, [
    { code: 2, value: utf8('eth0\0') },
    { code: 9, value: u8(9) },
  ]),
  // IDB 1: Linux SLL (113), snaplen 0 (no limit), if_tsresol 0x94 = 2^-20 seconds, no name.
  idb1: idb(true, 113, 0, [{ code: 9, value: u8(0x94) }]),
  // 1_700_000_000.123456789 s in nanoseconds.
  epb1: epb(true, 0, 1_700_000_000_123_456_789n, d1),
  // Name Resolution Block (not read, skipped by length): one IPv4 record 192.0.2.1 "router1", end of records.
  nrb: block(true, 4, cat([u8(1, 0, 12, 0, 192, 0, 2, 1), utf8('router1\0'), u8(0, 0, 0, 0)])),
  // 1_700_000_001 s + 524289/2^20 s = .500000953674... → 500000953 ns (truncated, like Wireshark).
  epb2: epb(true, 1, (1_700_000_001n << 20n) + 524_289n, d2, 1500),
  // Custom Block (PEN 32473, the documentation PEN, then data): skipped, but Wireshark lists it as frame 3.
  custom: block(true, 0x00000bad, cat([u8(0x59, 0x7e, 0, 0), seqBytes(26)])),
  // SPB on interface 0: original length 100, captured min(100, snaplen 64) = 64.
  spb: spb(true, 100, d3),
  // Obsolete Packet Block on interface 1: 5 s + 3/2^20 s = 2861.02 µs → 2861 ns.
  pb: pb(true, 1, 0, (5n << 20n) + 3n, d4),
  // Interface Statistics Block (interface 0, timestamp 1, no options): skipped.
  isb: block(true, 5, u8(0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0)),
  shb2: shb(false),
  // IDB 0 of section 2: raw IP (101), if_tsoffset 1_000_000_000 s.
  idb2: idb(false, 101, 65535, [{ code: 14, value: i64(1_000_000_000n, false) }]),
  // 700_000.123456 s after the offset.
  epb3: epb(false, 0, 700_000_123_456n, d5),
  // With an opt_comment after the data, which must not become part of the packet.
  epb4: epb(false, 0, 1n, d6, 4, [{ code: 1, value: utf8('hello') }]),
};
const order = Object.keys(parts) as (keyof typeof parts)[];
const file = cat(order.map((k) => parts[k]));
const offsetOf = (k: keyof typeof parts): number => {
  let o = 0;
  for (const x of order) {
    if (x === k) return o;
    o += parts[x].length;
  }
  throw new Error(k);
};

const want: SeenFrame[] = [
  { frameNo: 1, sec: 1_700_000_000, nsec: 123_456_789, linkType: 1, hex: hex(d1), origLen: 60, iface: 'eth0' },
  { frameNo: 2, sec: 1_700_000_001, nsec: 500_000_953, linkType: 113, hex: hex(d2), origLen: 1500, iface: '1' },
  { frameNo: 4, sec: 0, nsec: 0, linkType: 1, hex: hex(d3), origLen: 100, iface: 'eth0' },
  { frameNo: 5, sec: 5, nsec: 2861, linkType: 113, hex: hex(d4), origLen: 5, iface: '1' },
  { frameNo: 6, sec: 1_000_700_000, nsec: 123_456_000, linkType: 101, hex: hex(d5), origLen: 40, iface: '0' },
  { frameNo: 7, sec: 1_000_000_000, nsec: 1000, linkType: 101, hex: hex(d6), origLen: 4, iface: '0' },
];

describe('pcapng: blocks, sections, interfaces', () => {
  it('reads two sections of different byte orders, EPB, SPB, PB, and skips other blocks', () => {
    const ifs: InterfaceInfo[] = [];
    const r = feed((on) => new PcapngParser(on, { onInterface: (i) => ifs.push(i) }), file);
    expect(r.error).toBeNull();
    expect(r.frames).toEqual(want);
    expect(ifs.map((i) => [i.section, i.index, i.linkType, i.snaplen, i.name, i.label, i.tsUnitsPerSecond, i.tsOffsetSec])).toEqual([
      [1, 0, 1, 64, 'eth0', 'eth0', 1e9, 0],
      [1, 1, 113, 0, null, '1', 2 ** 20, 0],
      [2, 0, 101, 65535, null, '0', 1e6, 1_000_000_000],
    ]);
  });

  it.skipIf(!existsSync('/usr/bin/tshark'))('the hand-built file reads the same in tshark (fixture check; skipped without tshark)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bgpcap-src-'));
    try {
      const path = join(dir, 'two-sections.pcapng');
      writeFileSync(path, file);
      const out = execFileSync('tshark', ['-r', path, '-T', 'fields', '-e', 'frame.number', '-e', 'frame.time_epoch', '-e', 'frame.len', '-e', 'frame.cap_len'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      const rows = out.trim().split('\n').map((l) => l.split('\t'));
      // tshark lists the custom block as frame 3 (so do our frame numbers) and shows no time for the SPB,
      // which has none (we give 0).
      expect(rows.map((r) => Number(r[0]))).toEqual([1, 2, 3, 4, 5, 6, 7]);
      for (const f of want) {
        const row = rows[f.frameNo - 1]!;
        expect(row[1]).toBe(f.frameNo === 4 ? '' : `${f.sec}.${String(f.nsec).padStart(9, '0')}`);
        expect([Number(row[2]), Number(row[3])]).toEqual([f.origLen, f.hex.length / 2]);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('same frames when split in two at every offset, and in 1-byte chunks', () => {
    for (let cut = 0; cut <= file.length; cut++) {
      const r = feed(make(), file, [cut]);
      expect(r.error, `cut at ${cut}`).toBeNull();
      expect(r.frames, `cut at ${cut}`).toEqual(want);
    }
    const r = feed(make(), file, everyByte(file.length));
    expect(r.error).toBeNull();
    expect(r.frames).toEqual(want);
  });

  it('hands out views into the chunk for whole blocks', () => {
    const views: Uint8Array[] = [];
    const p = new PcapngParser((f) => views.push(f.data));
    p.push(file);
    p.end();
    expect(views[0]!.buffer).toBe(file.buffer);
    expect(views[0]!.byteOffset).toBe(offsetOf('epb1') + 28);
    expect(p.bytesConsumed).toBe(file.length);
  });

  it('skips a large unknown block straddling many chunks, whatever maxBlockBytes says', () => {
    const big = block(true, 0x80000001, seqBytes(100_000));
    const f = cat([parts.shb1, parts.idb0, big, parts.epb1]);
    const cuts: number[] = [];
    for (let i = 1000; i < f.length; i += 1000) cuts.push(i);
    const r = feed(make({ maxBlockBytes: 4096 }), f, cuts);
    expect(r.error).toBeNull();
    expect(r.frames).toEqual([want[0]]);
  });
});

describe('pcapng: timestamp resolutions', () => {
  // Each case: if_tsresol byte, 64-bit timestamp, expected seconds and nanoseconds (worked by hand).
  const cases: [string, number, bigint, number, number][] = [
    ['10^-6 (default)', -1, 1_234_567_890_123_456n, 1_234_567_890, 123_456_000],
    ['10^-3', 3, 1_234_567_890_123n, 1_234_567_890, 123_000_000],
    ['10^-9 near 2^64', 9, 18_446_744_073_709_551_615n, 18_446_744_073, 709_551_615],
    ['10^-10', 10, 17_000_000_001_234_567_891n, 1_700_000_000, 123_456_789],
    ['10^-12 (BigInt path)', 12, 18_000_000_123_456_789_012n, 18_000_000, 123_456_789],
    ['2^-20', 0x94, (1_700_000_000n << 20n) | 1n, 1_700_000_000, 953],
    ['2^-32 (BigInt path)', 0xa0, (1_700_000_000n << 32n) | 0x8000_0000n, 1_700_000_000, 500_000_000],
    ['2^0 (seconds)', 0x80, 1_700_000_000n, 1_700_000_000, 0],
  ];
  for (const [name, resol, ts, sec, nsec] of cases) {
    it(name, () => {
      for (const le of [true, false]) {
        const opts = resol < 0 ? [] : [{ code: 9, value: u8(resol) }];
        const f = cat([shb(le), idb(le, 1, 0, opts), epb(le, 0, ts, seqBytes(4))]);
        const r = feed(make(), f);
        expect(r.error).toBeNull();
        expect(r.frames[0]).toMatchObject({ sec, nsec });
      }
    });
  }

  it('rejects a resolution finer than 64 bits can count', () => {
    const f = cat([shb(true), idb(true, 1, 0, [{ code: 9, value: u8(20) }])]);
    const e = feed(make(), f).error as CaptureError;
    expect(e.code).toBe('malformed');
    expect(e.offset).toBe(28);
    expect(e.message).toContain('if_tsresol 10^-20');
  });
});

describe('pcapng: damage', () => {
  it('file ending inside an EPB: earlier frames delivered, error at the EPB header', () => {
    const at = offsetOf('epb3');
    const cutAt = at + 20;
    for (const cuts of [[], everyByte(cutAt)]) {
      const r = feed(make({ file: 'f.pcapng' }), file.subarray(0, cutAt), cuts);
      expect(r.frames).toEqual(want.slice(0, 4));
      const e = r.error as CaptureError;
      expect(e.code).toBe('truncated');
      expect(e.file).toBe('f.pcapng');
      expect(e.offset).toBe(at);
      expect(e.message).toBe(
        `truncated: file ends inside block 13 (Enhanced Packet Block, header at byte ${at}, needs ${parts.epb3.length - 20} more bytes)`,
      );
    }
  });

  it('file ending inside a skipped block names it', () => {
    const at = offsetOf('custom');
    for (const cuts of [[], [at + 10], everyByte(at + 20)]) {
      const r = feed(make(), file.subarray(0, at + 20), cuts);
      expect(r.frames).toEqual(want.slice(0, 2));
      const e = r.error as CaptureError;
      expect(e.offset).toBe(at);
      expect(e.message).toBe(`truncated: file ends inside block 7 (Custom Block, header at byte ${at}, needs ${parts.custom.length - 20} more bytes)`);
    }
  });

  it('file ending inside a block header, and before the first SHB is complete', () => {
    const at = offsetOf('epb2');
    const e = feed(make(), file.subarray(0, at + 6)).error as CaptureError;
    expect(e.offset).toBe(at);
    expect(e.message).toContain('needs at least 2 more bytes');
    const e2 = feed(make(), file.subarray(0, 10)).error as CaptureError;
    expect(e2.offset).toBe(0);
    expect(e2.message).toContain('needs at least 2 more bytes');
    const e3 = feed(make(), new Uint8Array(0)).error as CaptureError;
    expect(e3.code).toBe('truncated');
  });

  /** Replace one 32-bit field of the file (in the byte order of its section) and parse at every split. */
  function corrupt(at: number, value: number, le: boolean): { frames: SeenFrame[]; error: CaptureError }[] {
    const bad = file.slice();
    new DataView(bad.buffer).setUint32(at, value, le);
    return [feed(make(), bad), feed(make(), bad, everyByte(bad.length))] as { frames: SeenFrame[]; error: CaptureError }[];
  }

  it('block length not a multiple of 4', () => {
    const at = offsetOf('epb2');
    for (const r of corrupt(at + 4, parts.epb2.length + 2, true)) {
      expect(r.frames).toEqual(want.slice(0, 1));
      expect(r.error.code).toBe('malformed');
      expect(r.error.offset).toBe(at);
      expect(r.error.message).toContain('not a multiple of 4');
    }
  });

  it('block length below the minimum, also for a skipped type', () => {
    for (const r of corrupt(offsetOf('nrb') + 4, 8, true)) {
      expect(r.frames).toEqual(want.slice(0, 1));
      expect(r.error.offset).toBe(offsetOf('nrb'));
      expect(r.error.message).toContain('less than the minimum of 12');
    }
    for (const r of corrupt(offsetOf('epb1') + 4, 28, true)) {
      expect(r.frames).toEqual([]);
      expect(r.error.message).toContain('less than the minimum of 32');
    }
  });

  it('trailing length different from the leading one', () => {
    const at = offsetOf('spb');
    for (const r of corrupt(at + parts.spb.length - 4, 4, true)) {
      expect(r.frames).toEqual(want.slice(0, 2));
      expect(r.error.offset).toBe(at);
      expect(r.error.message).toContain(`total length ${parts.spb.length} at its start but 4 at its end`);
    }
  });

  it('bad byte-order magic in the second SHB', () => {
    const at = offsetOf('shb2');
    for (const r of corrupt(at + 8, 0xdeadbeef, false)) {
      expect(r.frames).toEqual(want.slice(0, 4));
      expect(r.error.code).toBe('malformed');
      expect(r.error.offset).toBe(at + 8);
      expect(r.error.message).toContain('byte-order magic 0xdeadbeef');
    }
  });

  it('EPB naming an interface the section does not have (the second section has only one)', () => {
    const at = offsetOf('epb4');
    for (const r of corrupt(at + 8, 1, false)) {
      expect(r.frames).toEqual(want.slice(0, 5));
      expect(r.error.offset).toBe(at);
      expect(r.error.message).toContain('refers to interface 1, but the section has 1');
    }
  });

  it('EPB captured length larger than its block', () => {
    const at = offsetOf('epb1');
    for (const r of corrupt(at + 20, 61, true)) {
      expect(r.frames).toEqual([]);
      expect(r.error.offset).toBe(at);
      expect(r.error.message).toContain('too small for 61 bytes');
    }
  });

  it('SPB before any IDB, and an IDB option overrunning its block', () => {
    const e = feed(make(), cat([shb(true), spb(true, 4, seqBytes(4))])).error as CaptureError;
    expect(e.offset).toBe(28);
    expect(e.message).toContain('before any Interface Description Block');
    const idbBad = idb(true, 1, 0, [{ code: 2, value: utf8('eth0') }]);
    new DataView(idbBad.buffer).setUint16(8 + 8 + 2, 200, true); // if_name length 200
    const e2 = feed(make(), cat([shb(true), idbBad])).error as CaptureError;
    expect(e2.message).toContain('option 2 of 200 bytes overruns the block');
    expect(e2.offset).toBe(28 + 16);
  });

  it('a parsed block larger than maxBlockBytes is corrupt', () => {
    const r = feed(make({ maxBlockBytes: 64 }), file);
    expect(r.frames).toEqual([]);
    expect((r.error as CaptureError).offset).toBe(offsetOf('epb1'));
    expect((r.error as CaptureError).message).toContain('more than the limit of 64');
  });

  it('not starting with an SHB, and an SHB of another major version', () => {
    const e = feed(make(), parts.idb0).error as CaptureError;
    expect(e.code).toBe('not_capture');
    const e2 = feed(make(), cat([shb(false, 2, 0), parts.idb0])).error as CaptureError;
    expect(e2.code).toBe('unsupported');
    expect(e2.offset).toBe(12);
  });
});
