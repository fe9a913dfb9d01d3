// jsonl: expected lines written by hand from the field list in src/sink/jsonl.ts (key order) and the records
// in records.ts.
import { describe, expect, it } from 'vitest';
import { createFormatter } from '../../src/sink/index.js';
import { BAD_UPDATE, EOR, GAP, KEEPALIVE, NOTIFICATION, OPEN, RESET, ROUTE_REFRESH, U1, U6, UNKNOWN_TYPE, message, update } from './records.js';

const msg = createFormatter({ format: 'jsonl', level: 'msg' });
const elem = createFormatter({ format: 'jsonl', level: 'elem' });

const COMMON =
  '"v":1,"timestamp":1700000000.123456,"frame":7,"file":"a.pcap","iface":null,"mux":null,' +
  '"peer_ip":"10.0.0.1","peer_asn":65001,"local_ip":"10.0.0.2","local_asn":65002,"src_port":179,"dst_port":54321';

describe('jsonl, message level', () => {
  it('UPDATE: common keys, then the update keys in the documented order', () => {
    expect(msg.format(U1)).toBe(
      `{${COMMON},"msg_type":"UPDATE","length":55,` +
        '"withdrawals":["10.9.0.0/16"],"withdrawal_path_ids":null,' +
        // withdrawal_families: the classic Withdrawn Routes field is IPv4 unicast (RFC 4271 §4.3); no path_ids
        // key without ADD-PATH, like the announcements
        '"withdrawal_families":[{"prefixes":["10.9.0.0/16"],"afi":1,"safi":1}],' +
        '"announcements":[{"next_hop":"10.0.0.1","next_hop_ll":null,"prefixes":["192.0.2.0/24","198.51.100.0/24"],"afi":1,"safi":1}],' +
        '"as_path":[65001,65002,[65003,65004]],"origin":"IGP","next_hop":"10.0.0.1","med":0,"local_pref":100,' +
        '"atomic_aggregate":false,"aggregator_asn":null,"aggregator_ip":null,"communities":["65001:1","65001:2"],' +
        '"large_communities":null,' +
        '"originator_id":null,"cluster_list":null,"ext_communities":null,"ipv6_ext_communities":null,"aigp":null,"otc":null,"pmsi_tunnel":null,"prefix_sid":null,"attr_set":null,"bgpsec_path":null,' +
        '"end_of_rib":null,"other_attributes":[],"warnings":[],"inferred":null}\n',
    );
  });

  it('ADD-PATH: path_ids inside the announcement, withdrawal_path_ids parallel to withdrawals', () => {
    const o = JSON.parse(msg.format(U6)) as Record<string, unknown>;
    expect(o['withdrawals']).toEqual(['2001:db8:ff::/48']);
    expect(o['withdrawal_path_ids']).toEqual([9]);
    expect(o['announcements']).toEqual([
      { next_hop: '2001:db8::1', next_hop_ll: 'fe80::1', prefixes: ['2001:db8:1::/48', '2001:db8:2::/48'], path_ids: [1, 2], afi: 2, safi: 1 },
    ]);
    expect(Object.keys((o['announcements'] as Record<string, unknown>[])[0]!)).toEqual([
      'next_hop', 'next_hop_ll', 'prefixes', 'path_ids', 'afi', 'safi',
    ]);
  });

  it('withdrawal_path_ids pads families without ADD-PATH with null', () => {
    const r = message(update({ withdrawals: [{ afi: 1, safi: 1, prefixes: ['10.0.0.0/8'], path_ids: null }, { afi: 2, safi: 1, prefixes: ['2001:db8::/32', '2001:db9::/32'], path_ids: [5, 6] }] }));
    const o = JSON.parse(msg.format(r)) as Record<string, unknown>;
    expect(o['withdrawals']).toEqual(['10.0.0.0/8', '2001:db8::/32', '2001:db9::/32']);
    expect(o['withdrawal_path_ids']).toEqual([null, 5, 6]);
  });

  it('OPEN, KEEPALIVE, NOTIFICATION, ROUTE-REFRESH carry only their own keys', () => {
    expect(msg.format(KEEPALIVE)).toBe(`{${COMMON},"msg_type":"KEEPALIVE","length":19,"inferred":null}\n`);
    expect(msg.format(ROUTE_REFRESH)).toBe(
      // subtype 1 = BoRR (RFC 7313 §3.2), which carries no ORF (RFC 7313 §5)
      `{${COMMON},"msg_type":"ROUTE-REFRESH","length":23,"route_refresh":{"afi":2,"safi":1,"subtype":1,"subtype_name":"BoRR","orf":null,"data":""},"inferred":null}\n`,
    );
    expect(msg.format(OPEN)).toBe(
      `{${COMMON},"msg_type":"OPEN","length":61,"open":{"version":4,"my_as":23456,"asn":4200000001,"hold_time":90,"bgp_id":"10.0.0.1",` +
        '"capabilities":[{"code":1,"name":"multiprotocol","value":{"afi":1,"safi":1},"hex":"00010001"},' +
        '{"code":65,"name":"four_octet_as","value":4200000001,"hex":"fa56ea01"},' +
        '{"code":73,"name":"fqdn","value":{"hostname":"r1\\u001b[2Jevil","domain":""},"hex":"0b7231"},' +
        '{"code":99,"name":"CAP_99","value":null,"hex":"0102"}],"other_params":[],"extended_opt_params":false},"inferred":null}\n',
    );
    const n = JSON.parse(msg.format(NOTIFICATION)) as Record<string, unknown>;
    expect(Object.keys(n).slice(12)).toEqual(['msg_type', 'length', 'notification', 'inferred']);
    // Wire text survives exactly: JSON escapes, it does not strip.
    expect(n['notification']).toEqual({
      code: 6,
      subcode: 2,
      code_name: 'Cease',
      subcode_name: 'Administrative Shutdown',
      shutdown_message: 'maint "now"\x1b[31m|red\x07\u202eevil\nline2',
      hard_reset: null,
      max_prefixes: null,
      unsupported_capabilities: null,
      data: '00',
    });
    // key order as in schema/record.schema.json $defs/notification
    expect(Object.keys(n['notification'] as object)).toEqual([
      'code', 'subcode', 'code_name', 'subcode_name', 'shutdown_message', 'hard_reset', 'max_prefixes', 'unsupported_capabilities', 'data',
    ]);
    expect(msg.format(NOTIFICATION).split('\n')).toHaveLength(2);
  });

  it('malformed: error and raw (hex of the whole message) at the end, no decoded keys', () => {
    expect(msg.format(BAD_UPDATE)).toBe(
      `{${COMMON},"msg_type":"UPDATE","length":23,"inferred":null,` +
        '"error":{"code":"attr_length","message":"path attribute length 16 exceeds the 0 bytes left","offset":21},' +
        // marker ff×16, length 0017, type 02, withdrawn length 0000, attribute length 0010
        '"raw":"ffffffffffffffffffffffffffffffff00170200000010"}\n',
    );
    expect(JSON.parse(msg.format(UNKNOWN_TYPE))).toMatchObject({ msg_type: 'MSG_7', raw: 'ffffffffffffffffffffffffffffffff001307' });
  });

  it('inferred is written as an object when set', () => {
    const o = JSON.parse(msg.format({ ...U1, inferred: { as4: true, add_path: false } })) as Record<string, unknown>;
    expect(o['inferred']).toEqual({ as4: true, add_path: false });
  });

  it('events: common keys, then event, bytes_skipped, message', () => {
    expect(msg.format(GAP)).toBe(`{${COMMON},"event":"gap","bytes_skipped":1234,"message":"capture started inside a message"}\n`);
    expect(JSON.parse(msg.format(RESET))).toMatchObject({ event: 'reset', bytes_skipped: null });
  });

  it('timestamps keep every digit the capture has', () => {
    const at = (sec: number, nsec: number) => (JSON.parse(msg.format({ ...KEEPALIVE, ts: { sec, nsec } })) as { timestamp: number }).timestamp;
    expect(msg.format({ ...KEEPALIVE, ts: { sec: 1700000000, nsec: 5 } })).toContain('"timestamp":1700000000.000000005,');
    expect(msg.format({ ...KEEPALIVE, ts: { sec: 1700000000, nsec: 0 } })).toContain('"timestamp":1700000000.000000,');
    expect(at(1700000001, 500_000_000)).toBe(1700000001.5);
  });
});

describe('jsonl, elem level', () => {
  const A1 =
    `{${COMMON},"msg_type":"UPDATE","length":55,"type":"A","prefix":"192.0.2.0/24","path_id":null,"afi":1,"safi":1,` +
    // IPv4 unicast has no route distinguisher, labels or structured NLRI: rd, labels, nlri are null
    '"rd":null,"labels":null,"next_hop":"10.0.0.1","next_hop_ll":null,"nlri":null,"as_path":[65001,65002,[65003,65004]],"origin":"IGP","origin_asns":[65003,65004],' +
    '"med":0,"local_pref":100,"communities":["65001:1","65001:2"],"large_communities":null,"atomic_aggregate":false,' +
    '"aggregator_asn":null,"aggregator_ip":null,"originator_id":null,"cluster_list":null,"ext_communities":null,"ipv6_ext_communities":null,"aigp":null,"otc":null,"pmsi_tunnel":null,"prefix_sid":null,"attr_set":null}\n';

  it('one record per prefix, withdrawals first, attributes null on W', () => {
    const lines = elem.format(U1);
    const W =
      `{${COMMON},"msg_type":"UPDATE","length":55,"type":"W","prefix":"10.9.0.0/16","path_id":null,"afi":1,"safi":1,` +
      '"rd":null,"labels":null,"next_hop":null,"next_hop_ll":null,"nlri":null,"as_path":null,"origin":null,"origin_asns":null,"med":null,"local_pref":null,' +
      '"communities":null,"large_communities":null,"atomic_aggregate":null,"aggregator_asn":null,"aggregator_ip":null' +
      ',"originator_id":null,"cluster_list":null,"ext_communities":null,"ipv6_ext_communities":null,"aigp":null,"otc":null,"pmsi_tunnel":null,"prefix_sid":null,"attr_set":null}\n';
    expect(lines).toBe(W + A1 + A1.replace('"192.0.2.0/24"', '"198.51.100.0/24"'));
  });

  it('per-prefix values change between prefixes of one message; ADD-PATH ids and link-local next hop', () => {
    const recs = elem
      .format(U6)
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(recs.map((r) => [r['type'], r['prefix'], r['path_id'], r['afi'], r['next_hop'], r['next_hop_ll']])).toEqual([
      ['W', '2001:db8:ff::/48', 9, 2, null, null],
      ['A', '2001:db8:1::/48', 1, 2, '2001:db8::1', 'fe80::1'],
      ['A', '2001:db8:2::/48', 2, 2, '2001:db8::1', 'fe80::1'],
    ]);
    expect(recs[1]).toMatchObject({ origin_asns: [4200000001], atomic_aggregate: true, aggregator_asn: 4200000001, large_communities: ['4200000001:1:2'] });
  });

  it('two messages in a row do not leak cached values into each other', () => {
    const first = elem.format(U6);
    const again = elem.format(U1);
    expect(again.startsWith(`{${COMMON},"msg_type":"UPDATE","length":55,"type":"W"`)).toBe(true);
    expect(elem.format(U6)).toBe(first);
  });

  it('records that are not split are written whole: End-of-RIB, malformed UPDATE, other types, events', () => {
    expect(elem.format(EOR)).toBe(msg.format(EOR));
    expect(elem.format(BAD_UPDATE)).toBe(msg.format(BAD_UPDATE));
    for (const r of [OPEN, KEEPALIVE, NOTIFICATION, ROUTE_REFRESH, GAP]) expect(elem.format(r)).toBe(msg.format(r));
  });

  it('origin_asns: a path ending in a single ASN gives that ASN; an empty path gives null', () => {
    const r = message(update({ announcements: [{ afi: 1, safi: 1, next_hop: '10.0.0.1', next_hop_ll: null, prefixes: ['10.0.0.0/8'], path_ids: null }], as_path: [] }));
    expect(JSON.parse(elem.format(r))).toMatchObject({ as_path: [], origin_asns: null });
  });
});

describe('jsonl with --fields', () => {
  it('v first, then exactly the requested keys, null where they do not apply', () => {
    const f = createFormatter({ format: 'jsonl', level: 'elem', fields: ['prefix', 'peer_asn', 'event'] });
    expect(f.format(U1).split('\n')[0]).toBe('{"v":1,"prefix":"10.9.0.0/16","peer_asn":65001,"event":null}');
    expect(f.format(GAP)).toBe('{"v":1,"prefix":null,"peer_asn":65001,"event":"gap"}\n');
  });
});
