// Differential test on real captures: tshark (an independent dissector) turns each file into TCP segments
// (addresses, ports, raw seq/ack, flags, payload), those go through TcpReassembler, and the BGP message
// types found are compared with tshark's own BGP message counts recorded in the corpus index.
// Skips when the corpus or tshark is absent.

import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { Segment } from '../../src/types.js';
import { TcpReassembler } from '../../src/tcp/reassembler.js';
import { Recorder } from './helpers.js';

const corpus = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));
const haveCorpus = existsSync(`${corpus}index.json`);
const haveTshark = existsSync('/usr/bin/tshark');
const run = promisify(execFile);

interface Entry {
  file: string;
  malformed: boolean;
  tshark_bgp_messages: Record<string, number>;
}

const FIELDS = ['frame.number', 'frame.time_epoch', 'ip.src', 'ip.dst', 'ipv6.src', 'ipv6.dst', 'tcp.srcport', 'tcp.dstport', 'tcp.seq_raw', 'tcp.ack_raw', 'tcp.flags', 'tcp.len', 'tcp.payload'];

async function segmentsOf(path: string): Promise<Segment[]> {
  const args = ['-r', path, '-n', '-o', 'tcp.desegment_tcp_streams:FALSE', '-Y', 'tcp', '-T', 'fields', '-E', 'occurrence=l', '-E', 'separator=|'];
  for (const f of FIELDS) args.push('-e', f);
  const { stdout } = await run('/usr/bin/tshark', args, { maxBuffer: 1 << 28 });
  const out: Segment[] = [];
  for (const line of stdout.split('\n')) {
    if (line === '') continue;
    const [no, time, s4, d4, s6, d6, sp, dp, seq, ack, flags, len, payload] = line.split('|');
    const data = Uint8Array.from(Buffer.from(payload ?? '', 'hex'));
    const [sec, frac = '0'] = (time ?? '0').split('.');
    out.push({
      frameNo: Number(no),
      ts: { sec: Number(sec), nsec: Number(frac.padEnd(9, '0').slice(0, 9)) },
      iface: null,
      ipVersion: s6 ? 6 : 4,
      srcIp: (s6 || s4)!,
      dstIp: (d6 || d4)!,
      srcPort: Number(sp),
      dstPort: Number(dp),
      seq: Number(seq),
      ack: Number(ack),
      flags: Number.parseInt(flags ?? '0', 16),
      payload: data,
      missing: Math.max(0, Number(len) - data.length),
      srcMac: null,
      dstMac: null,
    });
  }
  return out;
}

const NAMES: Record<number, string> = { 1: 'OPEN', 2: 'UPDATE', 3: 'NOTIFICATION', 4: 'KEEPALIVE', 5: 'ROUTE-REFRESH' };

/**
 * Files where tshark's count is not the truth, with the reason (checked by reading the capture).
 */
const KNOWN: Record<string, string> = {};

describe.skipIf(!haveCorpus || !haveTshark)('real captures vs tshark message counts', () => {
  // Malformed (fuzzed) files are run too, for crashes and hangs only: tshark stops dissecting a frame at its
  // first error, so its counts there are lower bounds (e.g. bgp-aigp-oobr: one 64 KB frame, tshark 9 UPDATEs).
  it('finds the same BGP messages as tshark in every well-formed capture, survives the malformed ones', async () => {
    const entries = (JSON.parse(readFileSync(`${corpus}index.json`, 'utf8')) as Entry[]).slice();
    const results: string[] = [];
    const queue = [...entries];
    const worker = async (): Promise<void> => {
      for (let e = queue.shift(); e !== undefined; e = queue.shift()) {
        const segs = await segmentsOf(`${corpus}${e.file}`);
        const rec = new Recorder();
        const r = new TcpReassembler(rec, { maxMessageLength: 65535 });
        // Port 179 only, as the pipeline's default filter would select (BMP and IPFIX flows carry BGP PDUs inside).
        for (const s of segs) if (s.srcPort === 179 || s.dstPort === 179) r.push(s);
        r.flush();
        expect(r.bufferedBytes).toBe(0);
        const got: Record<string, number> = { OPEN: 0, UPDATE: 0, NOTIFICATION: 0, KEEPALIVE: 0, 'ROUTE-REFRESH': 0, other: 0 };
        for (const m of rec.messages) got[NAMES[m.bytes[18]!] ?? 'other']!++;
        const want = e.tshark_bgp_messages;
        const same = Object.keys(got).every((k) => (got[k] ?? 0) === (want[k] ?? 0));
        if (!e.malformed && !same && !(e.file in KNOWN)) {
          results.push(`${e.file}: got ${JSON.stringify(got)} tshark ${JSON.stringify(want)} events ${JSON.stringify(rec.events.map((x) => `${x.code}:${x.bytesSkipped}@${x.frameNo}`))}`);
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    expect(results).toEqual([]);
  }, 120_000);
});
