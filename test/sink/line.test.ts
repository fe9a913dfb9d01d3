// line output: expected lines written by hand (default fields listed in src/sink/fields.ts).
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { createFormatter, createSink, type SinkOptions } from '../../src/sink/index.js';
import { Output } from '../../src/sink/output.js';
import { PassThrough } from 'node:stream';
import { BAD_UPDATE, EOR, GAP, KEEPALIVE, NOTIFICATION, OPEN, RESET, U1, U6 } from './records.js';

const line = (o: Partial<SinkOptions> = {}) => createFormatter({ format: 'line', level: 'elem', ...o });

describe('line, elem level (default fields)', () => {
  it('an UPDATE with 1 withdrawn and 2 announced prefixes gives 3 lines', () => {
    expect(line().format(U1)).toBe(
      'W|1700000000.123456|10.0.0.1|65001|10.9.0.0/16||||||||||\n' +
        'A|1700000000.123456|10.0.0.1|65001|192.0.2.0/24|65001 65002 {65003,65004}|IGP|10.0.0.1|100|0|65001:1 65001:2||false||\n' +
        'A|1700000000.123456|10.0.0.1|65001|198.51.100.0/24|65001 65002 {65003,65004}|IGP|10.0.0.1|100|0|65001:1 65001:2||false||\n',
    );
  });

  it('IPv6: the family next hop, large communities, aggregator, atomic aggregate', () => {
    expect(line().format(U6).split('\n')[1]).toBe(
      'A|1700000000.123456|2001:db8::1|4200000001|2001:db8:1::/48|4200000001|INCOMPLETE|2001:db8::1||||4200000001:1:2|true|4200000001|192.0.2.9',
    );
  });

  it('records that are not prefixes: message type or E in the type column, event name in the prefix column', () => {
    const f = line();
    expect(f.format(KEEPALIVE)).toBe('KEEPALIVE|1700000000.123456|10.0.0.1|65001|' + '|'.repeat(10) + '\n');
    // End-of-RIB is written whole: its own attributes (none, so atomic_aggregate false) and no prefix.
    expect(f.format(EOR)).toBe(['UPDATE', '1700000000.123456', '10.0.0.1', '65001', '', '', '', '', '', '', '', '', 'false', '', ''].join('|') + '\n');
    expect(f.format(GAP)).toBe('E|1700000000.123456|10.0.0.1|65001|gap' + '|'.repeat(10) + '\n');
    expect(f.format(RESET).split('|').slice(0, 5)).toEqual(['E', '1700000000.123456', '10.0.0.1', '65001', 'reset']);
  });

  it('every line has the same number of columns', () => {
    const f = line();
    for (const r of [U1, U6, EOR, OPEN, KEEPALIVE, NOTIFICATION, BAD_UPDATE, GAP]) {
      for (const l of f.format(r).trimEnd().split('\n')) expect(l.split('|')).toHaveLength(15);
    }
  });
});

describe('line, message level (default fields)', () => {
  const f = createFormatter({ format: 'line', level: 'msg' });
  it('UPDATE: prefixes space-separated, the NEXT_HOP attribute', () => {
    expect(f.format(U1)).toBe(
      'UPDATE|1700000000.123456|10.0.0.1|65001|10.0.0.2|65002|55|10.9.0.0/16|192.0.2.0/24 198.51.100.0/24|10.0.0.1|' +
        '65001 65002 {65003,65004}|IGP|100|0|65001:1 65001:2||\n',
    );
  });
  it('OPEN, NOTIFICATION, End-of-RIB, errors and events are summarised in the info column', () => {
    const info = (r: Parameters<typeof f.format>[0]) => f.format(r).trimEnd().split('|').at(-1);
    expect(info(OPEN)).toBe('version=4 asn=4200000001 hold_time=90 bgp_id=10.0.0.1 capabilities=multiprotocol,four_octet_as,fqdn,CAP_99');
    expect(info(EOR)).toBe('end_of_rib=1/1');
    expect(info(BAD_UPDATE)).toBe('error attr_length@21: path attribute length 16 exceeds the 0 bytes left');
    expect(f.format(GAP)).toBe(
      'E|1700000000.123456|10.0.0.1|65001|10.0.0.2|65002' + '|'.repeat(11) + 'gap: capture started inside a message (1234 bytes skipped)\n',
    );
  });
  it('wire text cannot break the line: no control characters, no stray separator', () => {
    const l = f.format(NOTIFICATION);
    expect(l.split('\n')).toHaveLength(2);
    expect(l.trimEnd().split('|')).toHaveLength(17);
    expect(l.trimEnd()).not.toMatch(/[\x00-\x1f\x7f\u202e]/);
    expect(l.trimEnd().split('|').at(-1)).toBe('6/2 Cease/Administrative Shutdown "maint \\"now\\"\\u001b[31m red\\u0007evil\\nline2"');
  });
});

describe('--fields, --separator, --header', () => {
  it('chooses and orders fields', () => {
    expect(line({ fields: ['prefix', 'type', 'path_id', 'next_hop_ll'] }).format(U6)).toBe(
      '2001:db8:ff::/48|W|9|\n2001:db8:1::/48|A|1|fe80::1\n2001:db8:2::/48|A|2|fe80::1\n',
    );
  });

  it('a per-prefix field between message fields', () => {
    expect(line({ fields: ['peer_asn', 'prefix', 'origin_asns', 'frame'] }).format(U1)).toBe(
      '65001|10.9.0.0/16||7\n65001|192.0.2.0/24|65003 65004|7\n65001|198.51.100.0/24|65003 65004|7\n',
    );
  });

  it('separator and header', () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (d: Buffer) => (text += d.toString()));
    const sink = createSink({ format: 'line', level: 'elem', fields: ['type', 'prefix', 'med'], separator: '\t', header: true }, new Output(out));
    sink.write(U1);
    return sink.end().then(() => {
      expect(text).toBe('type\tprefix\tmed\nW\t10.9.0.0/16\t\nA\t192.0.2.0/24\t0\nA\t198.51.100.0/24\t0\n');
    });
  });

  it('object fields are compact JSON; a separator inside wire text is escaped, JSON stays valid', () => {
    const f = createFormatter({ format: 'line', level: 'msg', fields: ['msg_type', 'notification', 'error'] });
    const cols = f.format(NOTIFICATION).trimEnd().split('|');
    expect(cols).toHaveLength(3);
    expect((JSON.parse(cols[1]!) as { shutdown_message: string }).shutdown_message).toBe('maint "now"\x1b[31m|red\x07\u202eevil\nline2');
    expect(cols[2]).toBe('');
    const e = f.format(BAD_UPDATE).trimEnd().split('|');
    expect(JSON.parse(e[2]!)).toEqual({ code: 'attr_length', message: 'path attribute length 16 exceeds the 0 bytes left', offset: 21 });
  });

  it('free text: control characters removed, separator replaced by a space', () => {
    const f = createFormatter({ format: 'line', level: 'msg', fields: ['file', 'message'] });
    expect(f.format({ ...GAP, file: 'x|y\n.pcap', message: 'a|b\x1b[0mc' })).toBe('x y.pcap|a b[0mc\n');
  });

  it('an unknown field is a UsageError listing the valid names', () => {
    let err: unknown;
    try {
      line({ fields: ['prefix', 'nonsense'] });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    expect((err as Error).message).toMatch(/unknown field 'nonsense'/);
    expect((err as Error).message).toMatch(/as_path/);
    expect((err as Error).message).toMatch(/large_communities/);
  });

  it('an elem-only field at message level is a UsageError; so are an empty list and an empty separator', () => {
    expect(() => createFormatter({ format: 'line', level: 'msg', fields: ['prefix'] })).toThrow(/prefix needs --level elem/);
    // An unknown name is reported even after an elem-only one (the CLI's default level is msg).
    expect(() => createFormatter({ format: 'line', level: 'msg', fields: ['prefix', 'nonsense'] })).toThrow(/unknown field 'nonsense'.*as_path/);
    expect(() => createFormatter({ format: 'line', level: 'msg', fields: [] })).toThrow(UsageError);
    expect(() => line({ separator: '' })).toThrow(UsageError);
    expect(() => line({ separator: '\n' })).toThrow(UsageError);
    expect(() => createFormatter({ format: 'jsonl', level: 'msg', fields: ['bogus'] })).toThrow(UsageError);
  });
});
