// --preset text, written by hand from each tool's own source: bgpdump 1.6 bgpdump.c (table_line_*) and
// bgpdump_lib.c, bgpkit-parser 0.15 BgpElem::to_psv / Elementor::bgp_update_to_elems, pbgpp
// Output/Formatters/LineBased.py. The bgpdump lines below are also what the real bgpdump printed for the same
// UPDATE in an MRT record (test/sink/presets-bgpdump.test.ts checks whole captures against it).
// Also: --raw in every format, and the usage errors around --preset.

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeMessage } from '../../src/bgp/decode.js';
import type { SessionParams } from '../../src/bgp/model.js';
import type { MessageRecord } from '../../src/record.js';
import { createFormatter } from '../../src/sink/index.js';
import { UsageError } from '../../src/errors.js';

const hx = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');

/** A BGP message: marker, length, type, body (RFC 4271 §4.1). */
function bgp(type: number, body: string): Uint8Array {
  const b = hx(body);
  const h = Buffer.alloc(19, 0xff);
  h.writeUInt16BE(19 + b.length, 16);
  h[18] = type;
  return new Uint8Array(Buffer.concat([h, b]));
}

function updateMsg(withdrawn: string, attrs: string, nlri: string): Uint8Array {
  const w = hx(withdrawn);
  const a = hx(attrs);
  const len = (n: number) => n.toString(16).padStart(4, '0');
  return bgp(2, len(w.length) + withdrawn + len(a.length) + attrs + nlri);
}

const AS4: SessionParams = { as4: true, extended_message: false, add_path_send: new Set() };
const AS4_ADDPATH: SessionParams = { as4: true, extended_message: false, add_path_send: new Set(['1:1']) };

function record(bytes: Uint8Array, params: SessionParams, nsec = 123_456_000): MessageRecord {
  const d = decodeMessage(bytes, params);
  return {
    kind: 'message',
    ts: { sec: 1_700_000_000, nsec },
    frame: 1,
    file: 'x.pcap',
    iface: null,
    mux: null,
    peer_ip: '192.0.2.1',
    peer_asn: 65001,
    local_ip: '192.0.2.2',
    local_asn: 65002,
    src_port: 179,
    dst_port: 40000,
    msg_type: bytes[18]!,
    length: bytes.length,
    msg: d.msg,
    error: d.error,
    raw: bytes,
    inferred: d.inferred,
  };
}

// UPDATE (4-octet session): withdrawn 10.9.0.0/16; ORIGIN IGP; AS_PATH SEQUENCE [65001 4200000001] SET {1,2};
// NEXT_HOP 192.0.2.1; COMMUNITIES NO_EXPORT, 65000:1, NO_EXPORT_SUBCONFED (0xFFFFFF03), 65535:666 (BLACKHOLE,
// not named by either tool); ATOMIC_AGGREGATE; AGGREGATOR AS 100 10.0.0.9; LARGE_COMMUNITY 65000:1:2;
// NLRI 10.0.1.0/24, 10.0.2.0/24.
const U = record(
  updateMsg(
    '10 0a09',
    '40010100' +
      '400214 02 02 0000fde9 fa56ea01 01 02 00000001 00000002' +
      '400304 c0000201' +
      'c00810 ffffff01 fde80001 ffffff03 ffff029a' +
      '400600' +
      'c00708 00000064 0a000009' +
      'c0200c 0000fde8 00000001 00000002',
    '180a0001 180a0002',
  ),
  AS4,
);

// UPDATE: no ORIGIN, no AS_PATH; AS_CONFED_SEQUENCE / AS_CONFED_SET cannot come without AS_PATH, see CONFED.
// MED 5, LOCAL_PREF 100, MP_REACH IPv6 unicast with a global + link-local next hop, 2001:db8:100::/48.
const V6 = record(
  updateMsg(
    '',
    '80040400000005 40050400000064' +
      '800e2c 0002 01 20 20010db8000100000000000000000001 fe800000000000000000000000000001 00 30 20010db80100',
    '',
  ),
  AS4,
);

// AS_PATH: AS_CONFED_SEQUENCE (65001), AS_CONFED_SET [1,2], AS_SEQUENCE 65002 (RFC 5065 §3); ORIGIN INCOMPLETE.
const CONFED = record(
  updateMsg('', '40010102' + '400216 03 01 0000fde9 04 02 00000001 00000002 02 01 0000fdea' + '400304c0000201', '180a0003'),
  AS4,
);

// ADD-PATH (RFC 7911) IPv4 unicast: withdrawn path 7 of 10.0.1.0/24; NLRI paths 1 and 2 of 10.0.6.0/24.
const ADDPATH = record(
  updateMsg('00000007 180a0001', '40010100 40020602010000fde9 400304c0000201', '00000001 180a0006 00000002 180a0006'),
  AS4_ADDPATH,
);

const KEEPALIVE = record(bgp(4, ''), AS4);

const fmt = (preset: 'bgpdump' | 'bgpkit' | 'pbgpp') => createFormatter({ format: 'line', level: 'elem', preset });

describe('--preset bgpdump (bgpdump -m)', () => {
  const f = fmt('bgpdump');
  it('withdrawals first, then one A line per prefix with every column', () => {
    expect(f.header).toBe('');
    expect(f.format(U)).toBe(
      'BGP4MP|1700000000|W|192.0.2.1|65001|10.9.0.0/16\n' +
        'BGP4MP|1700000000|A|192.0.2.1|65001|10.0.1.0/24|65001 4200000001 {1,2}|IGP|192.0.2.1|0|0|no-export 65000:1 local-AS 65535:666|AG|100 10.0.0.9|\n' +
        'BGP4MP|1700000000|A|192.0.2.1|65001|10.0.2.0/24|65001 4200000001 {1,2}|IGP|192.0.2.1|0|0|no-export 65000:1 local-AS 65535:666|AG|100 10.0.0.9|\n',
    );
  });
  it('missing ORIGIN prints INCOMPLETE, missing AS_PATH nothing; IPv6 next hop is the global address', () => {
    expect(f.format(V6)).toBe('BGP4MP|1700000000|A|192.0.2.1|65001|2001:db8:100::/48||INCOMPLETE|2001:db8:1::1|100|5||NAG||\n');
  });
  it('confederation segments in ( ) and [ ]', () => {
    expect(f.format(CONFED)).toBe('BGP4MP|1700000000|A|192.0.2.1|65001|10.0.3.0/24|(65001) [1,2] 65002|INCOMPLETE|192.0.2.1|0|0||NAG||\n');
  });
  it('path ids as bgpdump prints RFC 8050 ADDPATH records', () => {
    expect(f.format(ADDPATH)).toBe(
      'BGP4MP_AP|1700000000|W|192.0.2.1|65001|10.0.1.0/24|7\n' +
        'BGP4MP_AP|1700000000|A|192.0.2.1|65001|10.0.6.0/24|1|65001|IGP|192.0.2.1|0|0||NAG||\n' +
        'BGP4MP_AP|1700000000|A|192.0.2.1|65001|10.0.6.0/24|2|65001|IGP|192.0.2.1|0|0||NAG||\n',
    );
  });
  it('writes nothing for other messages, malformed ones and events', () => {
    expect(f.format(KEEPALIVE)).toBe('');
    expect(f.format({ ...U, error: { code: 'x', message: 'y', offset: 0 } })).toBe('');
  });
});

describe('--preset bgpkit (bgpkit-parser --psv)', () => {
  const f = fmt('bgpkit');
  it('prints the psv header once', () => {
    expect(f.header).toBe(
      'type|timestamp|peer_ip|peer_asn|prefix|as_path|origin_asns|origin|next_hop|local_pref|med|communities|atomic|aggr_asn|aggr_ip|only_to_customer\n',
    );
  });
  it('announcements first; LOCAL_PREF/MED default 0; standard then large communities; W with empty attributes and atomic false', () => {
    expect(f.format(U)).toBe(
      'A|1700000000.123456|192.0.2.1|65001|10.0.1.0/24|65001 4200000001 {1,2}|1 2|IGP|192.0.2.1|0|0|no-export 65000:1 no-export-sub-confed 65535:666 65000:1:2|true|100|10.0.0.9|\n' +
        'A|1700000000.123456|192.0.2.1|65001|10.0.2.0/24|65001 4200000001 {1,2}|1 2|IGP|192.0.2.1|0|0|no-export 65000:1 no-export-sub-confed 65535:666 65000:1:2|true|100|10.0.0.9|\n' +
        'W|1700000000.123456|192.0.2.1|65001|10.9.0.0/16||||||||false|||\n',
    );
  });
  it('timestamp is the shortest decimal of the double; confederation sequence like a sequence, sets in braces', () => {
    const g = { ...CONFED, ts: { sec: 1_700_000_000, nsec: 0 } };
    expect(f.format(g)).toBe('A|1700000000|192.0.2.1|65001|10.0.3.0/24|65001 {1,2} 65002|65002|INCOMPLETE|192.0.2.1|0|0||false|||\n');
    expect(f.format(V6)).toBe('A|1700000000.123456|192.0.2.1|65001|2001:db8:100::/48||||2001:db8:1::1|100|5||false|||\n');
  });
});

describe('--preset pbgpp (pbgpp line output, default fields)', () => {
  const f = fmt('pbgpp');
  it('one tab-separated line per message: timestamp, type, subtype, classic NLRI, classic withdrawn', () => {
    expect(f.format(U)).toBe('1700000000.123456\tUPDATE\tANNOUNCE/WITHDRAWAL\t10.0.1.0/24;10.0.2.0/24\t10.9.0.0/16\n');
    expect(f.format(KEEPALIVE)).toBe('1700000000.123456\tKEEPALIVE\t\t\t\n');
  });
  it('MP_REACH prefixes are not listed (subtype NONE), as pbgpp lists only the classic fields', () => {
    expect(f.format(V6)).toBe('1700000000.123456\tUPDATE\tNONE\t\t\n');
  });
  it("keeps pbgpp's unpadded microseconds: 5 µs prints .5", () => {
    expect(f.format({ ...KEEPALIVE, ts: { sec: 1_700_000_000, nsec: 5_000 } })).toBe('1700000000.5\tKEEPALIVE\t\t\t\n');
  });
});

describe('--raw', () => {
  it('jsonl: raw on every message record, after inferred', () => {
    const f = createFormatter({ format: 'jsonl', level: 'msg', raw: true });
    const o = JSON.parse(f.format(KEEPALIVE)) as Record<string, unknown>;
    expect(Object.keys(o).slice(-2)).toEqual(['inferred', 'raw']);
    expect(o['raw']).toBe('ff'.repeat(16) + '001304');
    const e = JSON.parse(createFormatter({ format: 'jsonl', level: 'elem', raw: true }).format(U).split('\n')[0]!) as Record<string, unknown>;
    expect(e['type']).toBe('W');
    expect(e['raw']).toBe(Buffer.from(U.raw).toString('hex'));
  });
  it('line: a raw column at the end; human: a hex dump', () => {
    const l = createFormatter({ format: 'line', level: 'msg', fields: ['msg_type'], raw: true });
    expect(l.format(KEEPALIVE)).toBe(`KEEPALIVE|${'ff'.repeat(16)}001304\n`);
    const h = createFormatter({ format: 'human', level: 'msg', raw: true }).format(KEEPALIVE);
    expect(h).toContain('    0000  ff ff ff ff ff ff ff ff  ff ff ff ff ff ff ff ff  ................\n');
    expect(h).toContain('    0010  00 13 04 ');
    expect(createFormatter({ format: 'human', level: 'msg' }).format(KEEPALIVE)).not.toContain('0000  ff');
  });
});

describe('preset usage errors', () => {
  it('the sink refuses fields, separator, header or raw next to a preset', () => {
    expect(() => createFormatter({ format: 'line', level: 'elem', preset: 'bgpdump', fields: ['prefix'] })).toThrow(UsageError);
    expect(() => createFormatter({ format: 'line', level: 'elem', preset: 'bgpkit', separator: ',' })).toThrow(UsageError);
    expect(() => createFormatter({ format: 'line', level: 'elem', preset: 'pbgpp', raw: true })).toThrow(UsageError);
  });

  const root = fileURLToPath(new URL('../..', import.meta.url));
  const run = (args: string[]) =>
    spawnSync(process.execPath, [join(root, 'dist/cli.js'), 'read', ...args, join(root, 'fixtures/bird-ipv4-ipv6.pcap')], {
      encoding: 'utf8',
      env: { ...process.env, CI: '1' },
    });
  it('the CLI exits 2 with one line for --fields, another format or level, or an unknown preset', () => {
    for (const args of [
      ['--preset', 'bgpdump', '--fields', 'prefix'],
      ['--preset', 'bgpdump', '-f', 'jsonl'],
      ['--preset', 'pbgpp', '-l', 'elem'],
      ['--preset', 'bgpkit', '--separator', ','],
      ['--preset', 'nope'],
    ]) {
      const r = run(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stdout).toBe('');
    }
  });
  it('an explicit -f line / -l elem agrees with the preset', () => {
    const r = run(['--preset', 'bgpdump', '-f', 'line', '-l', 'elem']);
    expect(r.status).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(/^BGP4MP\|\d+\|[AW]\|/);
  });
});
