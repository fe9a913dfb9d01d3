// The parts of live capture that need no root: the capture→decoder byte stream, the pcap writer (checked
// against tshark and against bgpcap's own reader), user lookup, and the libraries' names for link types.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KIND_ATTACH, KIND_DETACH, KIND_FILE, WireBatch, WireReader } from '../../src/source/live-wire.js';
import { PcapFileWriter, pcapFileHeader } from '../../src/sink/pcap-writer.js';
import { readCapture } from '../../src/source/open.js';
import { lookupUser } from '../../src/source/privileges.js';
import { classifyOpenError, linkTypeNumber } from '../../src/source/live-backend.js';
import { muxPicker, parseDuration } from '../../src/cli/live.js';

const tmp = mkdtempSync(join(tmpdir(), 'bgpcap-live-units-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function bytes(n: number, seed: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = (seed + i * 7) & 255;
  return b;
}

describe('capture → decoder stream', () => {
  const packets = [
    { id: 0, sec: 1795259000, nsec: 123456000, data: bytes(60, 1), orig: 60 },
    { id: 1, sec: 1795259001, nsec: 999999000, data: bytes(1514, 2), orig: 1514 },
    { id: 0, sec: 4294967295, nsec: 0, data: bytes(0, 3), orig: 0 },
    { id: 65535, sec: 1, nsec: 1, data: bytes(200, 4), orig: 9000 },
  ];

  function encode(): Buffer {
    const b = new WireBatch(16); // grows as needed
    b.control(KIND_ATTACH, 0, { name: 'tap5', mux: 'amsterdam01' });
    for (const p of packets.slice(0, 2)) b.packet(p.id, p.sec, p.nsec, p.data, p.data.length, p.orig);
    b.control(KIND_DETACH, 0, { reason: 'interface gone' });
    // caplen shorter than the library buffer: only caplen bytes are sent
    for (const p of packets.slice(2)) b.packet(p.id, p.sec, p.nsec, Buffer.concat([p.data, bytes(50, 9)]), p.data.length, p.orig);
    b.control(KIND_FILE, 1, { file: 'x.pcap' });
    const out = b.take()!;
    expect(b.take()).toBeNull();
    return out;
  }

  function decode(chunks: Buffer[]): string[] {
    const seen: string[] = [];
    const r = new WireReader({
      packet: (id, sec, nsec, data, orig) => seen.push(`P ${id} ${sec} ${nsec} ${orig} ${Buffer.from(data).toString('hex')}`),
      control: (kind, id, v) => seen.push(`C ${kind} ${id} ${JSON.stringify(v)}`),
    });
    for (const c of chunks) r.push(c);
    expect(r.pending).toBe(0);
    return seen;
  }

  const expected = [
    `C ${KIND_ATTACH} 0 {"name":"tap5","mux":"amsterdam01"}`,
    ...packets.slice(0, 2).map((p) => `P ${p.id} ${p.sec} ${p.nsec} ${p.orig} ${p.data.toString('hex')}`),
    `C ${KIND_DETACH} 0 {"reason":"interface gone"}`,
    ...packets.slice(2).map((p) => `P ${p.id} ${p.sec} ${p.nsec} ${p.orig} ${p.data.toString('hex')}`),
    `C ${KIND_FILE} 1 {"file":"x.pcap"}`,
  ];

  it('round-trips packets and control records', () => {
    expect(decode([encode()])).toEqual(expected);
  });

  it('gives the same records however the pipe cuts the stream', () => {
    const all = encode();
    for (let cut = 1; cut < all.length; cut += 7) expect(decode([all.subarray(0, cut), all.subarray(cut)])).toEqual(expected);
    const tiny: Buffer[] = [];
    for (let i = 0; i < all.length; i += 3) tiny.push(all.subarray(i, i + 3));
    expect(decode(tiny)).toEqual(expected);
  });

  it('rejects an unknown record kind instead of guessing', () => {
    const r = new WireReader({ packet: () => {}, control: () => {} });
    expect(() => r.push(Buffer.from([9, 0, 0, 0, 0, 0, 0, 0]))).toThrow(/unknown record kind 9/);
  });
});

describe('pcap writer', () => {
  // A TCP/IPv4 Ethernet frame carrying a BGP KEEPALIVE (RFC 4271 §4.4: marker, length 19, type 4), addresses
  // 10.0.0.1:40000 → 10.0.0.2:179, checksums zero (tshark does not verify them by default). 14 + 20 + 20 + 19 =
  // 73 bytes; IPv4 total length 59 (0x3b). Each call gets the next sequence number, so no frame looks like a
  // retransmission of another.
  let seq = 1;
  function keepaliveFrame(): Buffer {
    const f = Buffer.from(
      '0200000000020200000000010800' + // Ethernet: dst, src, IPv4
        '4500003b000140004006' + '0000' + '0a0000010a000002' + // IPv4 header, protocol TCP
        '9c4000b3' + '00000000' + '00000001' + '5018ffff' + '00000000' + // TCP 40000 → 179, PSH ACK
        'ffffffffffffffffffffffffffffffff' + '0013' + '04', // BGP KEEPALIVE
      'hex',
    );
    f.writeUInt32BE(seq, 38);
    seq += 19;
    return f;
  }
  const KEEPALIVE_FRAME = keepaliveFrame();

  it('writes a file tshark and bgpcap both read back, timestamps and lengths intact', async () => {
    const dir = mkdtempSync(join(tmp, 'w-'));
    const w = new PcapFileWriter({ dir, iface: 'tap5', mux: 'amsterdam01', linkType: 1, snaplen: 262144, rotateBytes: null, rotateSeconds: null });
    expect(w.file).toBe(join(dir, 'amsterdam01.tap5.pcap'));
    for (let i = 0; i < 3; i++) {
      const f = keepaliveFrame();
      w.write(1795259000 + i, 250000 * i, f, f.length, f.length);
    }
    // a frame cut by the snaplen: 40 bytes kept of 73
    w.write(1795259009, 999999, KEEPALIVE_FRAME, 40, KEEPALIVE_FRAME.length);
    w.close();
    const file = readFileSync(w.file);
    expect(file.subarray(0, 24)).toEqual(pcapFileHeader(1, 262144));
    expect(file.readUInt32LE(0)).toBe(0xa1b2c3d4);
    const t = spawnSync('tshark', ['-n', '-r', w.file, '-T', 'fields', '-e', 'frame.time_epoch', '-e', 'frame.len', '-e', 'frame.cap_len', '-e', 'bgp.type'], {
      encoding: 'utf8',
    });
    if (t.status === null || t.error !== undefined) return; // tshark missing: the bgpcap reader check below still runs
    expect(t.stdout.trim().split('\n')).toEqual([
      '1795259000.000000000\t73\t73\t4',
      '1795259001.250000000\t73\t73\t4',
      '1795259002.500000000\t73\t73\t4',
      '1795259009.999999000\t73\t40',
    ]);
    const frames: string[] = [];
    await readCapture(w.file, (f) => frames.push(`${f.ts.sec}.${f.ts.nsec} ${f.data.length}/${f.origLen} lt${f.linkType}`));
    expect(frames).toEqual(['1795259000.0 73/73 lt1', '1795259001.250000000 73/73 lt1', '1795259002.500000000 73/73 lt1', '1795259009.999999000 40/73 lt1']);
  });

  it('rotates by size: sequence-numbered files, none past the limit, every packet kept in order', async () => {
    const dir = mkdtempSync(join(tmp, 'r-'));
    writeFileSync(join(dir, 'amsterdam01.tap5.0004.pcap'), ''); // an earlier run's file: numbering continues after it
    const files: string[] = [];
    const limit = 24 + 3 * (16 + KEEPALIVE_FRAME.length); // header + three packets
    const w = new PcapFileWriter({
      dir,
      iface: 'tap5',
      mux: 'amsterdam01',
      linkType: 1,
      snaplen: 65535,
      rotateBytes: limit,
      rotateSeconds: null,
      onFile: (p) => files.push(p),
    });
    let rotations = 0;
    for (let i = 0; i < 10; i++) if (w.write(1000 + i, 0, KEEPALIVE_FRAME, KEEPALIVE_FRAME.length, KEEPALIVE_FRAME.length)) rotations++;
    w.close();
    expect(rotations).toBe(3);
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual([
      'amsterdam01.tap5.0005.pcap',
      'amsterdam01.tap5.0006.pcap',
      'amsterdam01.tap5.0007.pcap',
      'amsterdam01.tap5.0008.pcap',
    ]);
    expect(readdirSync(dir).sort()).toEqual(['amsterdam01.tap5.0004.pcap', ...files.map((f) => f.slice(dir.length + 1))]);
    const secs: number[] = [];
    for (const f of files) {
      expect(statSync(f).size).toBeLessThanOrEqual(limit);
      await readCapture(f, (fr) => secs.push(fr.ts.sec));
    }
    expect(secs).toEqual([1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009]);
  });

  it('rotates by time, measured from when the file was opened', () => {
    const dir = mkdtempSync(join(tmp, 't-'));
    let now = 0;
    const w = new PcapFileWriter({ dir, iface: 'eth1', mux: null, linkType: 1, snaplen: 65535, rotateBytes: null, rotateSeconds: 60, now: () => now });
    const rot: boolean[] = [];
    for (const t of [0, 30, 59.9, 60, 61, 119, 121]) {
      now = t * 1000;
      rot.push(w.write(t, 0, KEEPALIVE_FRAME, KEEPALIVE_FRAME.length, KEEPALIVE_FRAME.length));
    }
    w.close();
    expect(rot).toEqual([false, false, false, true, false, false, true]);
    expect(readdirSync(dir).sort()).toEqual(['eth1.0001.pcap', 'eth1.0002.pcap', 'eth1.0003.pcap']);
  });

  it('reports a directory it cannot write to instead of throwing', () => {
    const w = new PcapFileWriter({ dir: join(tmp, 'missing', 'dir'), iface: 'tap1', mux: null, linkType: 1, snaplen: 65535, rotateBytes: null, rotateSeconds: null });
    expect(w.error?.message).toMatch(/ENOENT/);
    expect(w.write(1, 0, KEEPALIVE_FRAME, 10, 10)).toBe(false);
    w.close();
  });
});

describe('privileges, link types, options', () => {
  const PASSWD = 'root:x:0:0:root:/root:/bin/bash\n# comment\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\nbird:x:101:102::/run/bird:/usr/sbin/nologin\n';
  it('looks users up by name or uid', () => {
    expect(lookupUser('nobody', PASSWD)).toEqual({ user: 'nobody', uid: 65534, gid: 65534 });
    expect(lookupUser('101', PASSWD)).toEqual({ user: 'bird', uid: 101, gid: 102 });
    expect(() => lookupUser('nosuchuser', PASSWD)).toThrow(/no such user/);
  });

  it('maps the libraries link-type names to LINKTYPE numbers (tcpdump.org/linktypes.html)', () => {
    expect(linkTypeNumber('LINKTYPE_ETHERNET')).toBe(1);
    expect(linkTypeNumber('ETHERNET')).toBe(1);
    expect(linkTypeNumber('LINKTYPE_LINUX_SLL')).toBe(113);
    expect(linkTypeNumber('RAW')).toBe(101);
    expect(linkTypeNumber('Unknown linktype 276')).toBe(276);
  });

  it('sorts libpcap errors into what the user has to do', () => {
    expect(classifyOpenError("tap5: You don't have permission to capture on that device (socket: Operation not permitted)")).toBe('permission');
    expect(classifyOpenError('tap9: No such device exists (SIOCGIFHWADDR: No such device)')).toBe('no-device');
    expect(classifyOpenError('syntax error in filter expression')).toBe('filter');
  });

  it('reads durations and --mux patterns', () => {
    expect(parseDuration('90')).toBe(90);
    expect(parseDuration('15m')).toBe(900);
    expect(parseDuration('1.5h')).toBe(5400);
    expect(() => parseDuration('soon')).toThrow();
    const p = muxPicker(['vtr*', '!vtrmiami']);
    expect(['vtrmiami', 'vtrparis', 'amsterdam01'].filter(p)).toEqual(['vtrparis']);
    expect(['a.b', 'axb'].filter(muxPicker(['a.b']))).toEqual(['a.b']);
  });
});
