// human output: blocks written by hand from the layout documented in src/sink/human.ts.
import { describe, expect, it } from 'vitest';
import { createFormatter } from '../../src/sink/index.js';
import { BAD_UPDATE, EOR, GAP, KEEPALIVE, NOTIFICATION, OPEN, ROUTE_REFRESH, U1, U6, message, update } from './records.js';

const h = createFormatter({ format: 'human', level: 'msg' });
const HEAD = '2023-11-14 22:13:20.123456 UTC  #7  10.0.0.1:179 (AS65001) → 10.0.0.2:54321 (AS65002)';

describe('human', () => {
  it('UPDATE: withdrawn, announced per next hop, attributes', () => {
    expect(h.format(U1)).toBe(
      `${HEAD}  UPDATE (len 55)
  withdrawn (ipv4 unicast):
    10.9.0.0/16
  announced (ipv4 unicast) via 10.0.0.1:
    192.0.2.0/24
    198.51.100.0/24
  as path: 65001 65002 {65003,65004}
  origin: IGP
  med: 0
  local pref: 100
  communities: 65001:1 65001:2
`,
    );
  });

  it('IPv6 endpoints in brackets, link-local next hop, path ids, aggregator', () => {
    expect(h.format(U6)).toBe(
      `2023-11-14 22:13:20.123456 UTC  #7  [2001:db8::1]:179 (AS4200000001) → [2001:db8::2]:54321 (AS65002)  UPDATE (len 120)
  withdrawn (ipv6 unicast):
    2001:db8:ff::/48 (path id 9)
  announced (ipv6 unicast) via 2001:db8::1 (link-local fe80::1):
    2001:db8:1::/48 (path id 1)
    2001:db8:2::/48 (path id 2)
  as path: 4200000001
  origin: INCOMPLETE
  atomic aggregate
  aggregator: AS4200000001 192.0.2.9
  large communities: 4200000001:1:2
`,
    );
  });

  it('OPEN: one capability per line, wire strings without control characters', () => {
    expect(h.format(OPEN)).toBe(
      `${HEAD}  OPEN (len 61)
  version 4  my AS 23456  AS 4200000001  hold time 90  BGP id 10.0.0.1
  capability multiprotocol (1): afi=1 safi=1
  capability four_octet_as (65): 4200000001
  capability fqdn (73): hostname=r1[2Jevil domain=
  capability CAP_99 (99): 0102
`,
    );
  });

  it('NOTIFICATION: names and the shutdown message with control characters and bidi overrides stripped', () => {
    const text = h.format(NOTIFICATION);
    expect(text).toBe(
      `${HEAD}  NOTIFICATION (len 22)
  Cease (6) / Administrative Shutdown (2)
  shutdown message: maint "now"[31m|redevilline2
  data: 00
`,
    );
    expect(text.replace(/\n/g, '')).not.toMatch(/[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/);
  });

  it('raw attributes with their IANA name, an empty AS path, warnings', () => {
    const r = message(
      update({
        as_path: [],
        as_path_segments: [],
        origin: 'ORIGIN_7',
        other_attributes: [
          { code: 16, flags: 0xc0, hex: '0002fbf100000001' },
          { code: 250, flags: 0xe0, hex: '' },
        ],
        warnings: [{ code: 'bad_origin', message: 'ORIGIN value 7 \x1b[1m', offset: 24, action: null, attr_code: null, hex: null }],
      }),
      { length: 40 },
    );
    expect(h.format(r)).toBe(
      `${HEAD}  UPDATE (len 40)
  as path: (empty)
  origin: ORIGIN_7
  attribute 16 EXTENDED_COMMUNITIES (flags 0xc0): 0002fbf100000001
  attribute 250 ATTR_250 (flags 0xe0)
  warning bad_origin at offset 24: ORIGIN value 7 [1m
`,
    );
  });

  it("a warning's bytes, unless the attribute is shown raw above", () => {
    // A cut-off attribute (RFC 7606 §4) is in no attribute line: its bytes go under the warning. A malformed
    // one kept raw is shown once, on its attribute line.
    const r = message(
      update({
        origin: 'IGP',
        other_attributes: [{ code: 5, flags: 0x40, hex: '000000640000' }],
        warnings: [
          { code: 'attribute_length', message: 'LOCAL_PREF: length 6', offset: 27, action: 'treat-as-withdraw', attr_code: 5, hex: '4005060000006400' },
          { code: 'attribute_length', message: 'cut off', offset: 36, action: 'treat-as-withdraw', attr_code: 16, hex: 'c01008000201' },
        ],
      }),
      { length: 42 },
    );
    expect(h.format(r)).toBe(
      `${HEAD}  UPDATE (len 42)
  origin: IGP
  attribute 5 LOCAL_PREF (flags 0x40): 000000640000
  warning attribute_length at offset 27 [treat-as-withdraw, LOCAL_PREF]: LOCAL_PREF: length 6
  warning attribute_length at offset 36 [treat-as-withdraw, EXTENDED_COMMUNITIES]: cut off
    bytes: c01008000201
`,
    );
  });

  it('KEEPALIVE, ROUTE-REFRESH, End-of-RIB', () => {
    expect(h.format(KEEPALIVE)).toBe(`${HEAD}  KEEPALIVE (len 19)\n`);
    expect(h.format(ROUTE_REFRESH)).toBe(`${HEAD}  ROUTE-REFRESH (len 23)\n  ipv6 unicast, BoRR\n`);
    expect(h.format(EOR)).toBe(`${HEAD}  UPDATE (len 23)\n  end of rib: ipv4 unicast\n`);
  });

  it('malformed: the error with its offset and a hex dump of the message', () => {
    expect(h.format(BAD_UPDATE)).toBe(
      `${HEAD}  UPDATE (len 23)\n` +
        '  error attr_length at offset 21: path attribute length 16 exceeds the 0 bytes left\n' +
        '    0000  ff ff ff ff ff ff ff ff  ff ff ff ff ff ff ff ff  ................\n' +
        '    0010  00 17 02 00 00 00 10' + ' '.repeat(30) + '.......\n',
    );
  });

  it('events, unknown endpoints, interface and mux, nanosecond time', () => {
    expect(h.format(GAP)).toBe(`${HEAD}  EVENT gap (1234 bytes skipped)\n  capture started inside a message\n`);
    const r = message(
      { kind: 'keepalive' },
      { ts: { sec: 1700000000, nsec: 5 }, peer_ip: null, local_ip: null, src_port: null, dst_port: null, peer_asn: null, local_asn: null, iface: 'eth0\x1b', mux: 'amsterdam01', length: 19 },
    );
    expect(h.format(r)).toBe('2023-11-14 22:13:20.000000005 UTC  #7  ? → ?  KEEPALIVE (len 19)  iface eth0  mux amsterdam01\n');
  });
});
