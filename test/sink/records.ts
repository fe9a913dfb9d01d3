// Hand-built records for the sink tests. Values are chosen so the expected text can be written by hand:
// 1700000000 s is 2023-11-14 22:13:20 UTC.

import type { Announcement, DecodedMessage, UpdateMessage, Withdrawal } from '../../src/bgp/model.js';
import type { EventRecord, MessageRecord } from '../../src/record.js';
import { emptyAttributes } from '../../src/bgp/attributes/attr-128-attr-set.js';

export const TS = { sec: 1_700_000_000, nsec: 123_456_000 };

const base = {
  ts: TS,
  frame: 7,
  file: 'a.pcap',
  iface: null,
  mux: null,
  peer_ip: '10.0.0.1',
  peer_asn: 65001,
  local_ip: '10.0.0.2',
  local_asn: 65002,
  src_port: 179,
  dst_port: 54321,
};

export function update(over: Partial<UpdateMessage> = {}): UpdateMessage {
  return { ...emptyAttributes(), ...over };
}

const TYPE_CODE: Record<DecodedMessage['kind'], number> = { open: 1, update: 2, notification: 3, keepalive: 4, route_refresh: 5 };

export function message(msg: DecodedMessage | null, over: Partial<MessageRecord> = {}): MessageRecord {
  return {
    ...base,
    kind: 'message',
    msg_type: msg === null ? 2 : TYPE_CODE[msg.kind],
    length: 55,
    msg,
    error: null,
    raw: new Uint8Array(0),
    inferred: null,
    ...over,
  };
}

export function event(over: Partial<EventRecord> = {}): EventRecord {
  return { ...base, kind: 'event', event: 'gap', bytes_skipped: 1234, message: 'capture started inside a message', ...over };
}

export const w4 = (prefixes: string[], path_ids: number[] | null = null): Withdrawal => ({ afi: 1, safi: 1, prefixes, path_ids });
export const a4 = (next_hop: string, prefixes: string[], path_ids: number[] | null = null): Announcement => ({
  afi: 1,
  safi: 1,
  next_hop,
  next_hop_ll: null,
  prefixes,
  path_ids,
});

/** The workhorse: 1 withdrawal, 2 announced prefixes, a path ending in an AS_SET, MED 0 (must print 0, not empty). */
export const U1 = message(
  update({
    withdrawals: [w4(['10.9.0.0/16'])],
    announcements: [a4('10.0.0.1', ['192.0.2.0/24', '198.51.100.0/24'])],
    as_path: [65001, 65002, [65003, 65004]],
    as_path_segments: [
      { type: 2, asns: [65001, 65002] },
      { type: 1, asns: [65003, 65004] },
    ],
    origin: 'IGP',
    next_hop: '10.0.0.1',
    med: 0,
    local_pref: 100,
    communities: ['65001:1', '65001:2'],
    attr_codes: [1, 2, 3, 4, 5, 8],
  }),
);

/** IPv6 MP_REACH with a link-local next hop, ADD-PATH ids, large communities, aggregator, atomic aggregate. */
export const U6 = message(
  update({
    withdrawals: [{ afi: 2, safi: 1, prefixes: ['2001:db8:ff::/48'], path_ids: [9] }],
    announcements: [
      { afi: 2, safi: 1, next_hop: '2001:db8::1', next_hop_ll: 'fe80::1', prefixes: ['2001:db8:1::/48', '2001:db8:2::/48'], path_ids: [1, 2] },
    ],
    as_path: [4200000001],
    as_path_segments: [{ type: 2, asns: [4200000001] }],
    origin: 'INCOMPLETE',
    atomic_aggregate: true,
    aggregator_asn: 4200000001,
    aggregator_ip: '192.0.2.9',
    large_communities: ['4200000001:1:2'],
    attr_codes: [14, 15, 1, 2, 6, 7, 32],
  }),
  { length: 120, peer_ip: '2001:db8::1', local_ip: '2001:db8::2', peer_asn: 4200000001 },
);

/** End-of-RIB for IPv4 unicast (RFC 4724 §2: an UPDATE with nothing in it). */
export const EOR = message(update({ end_of_rib: [[1, 1]] }), { length: 23 });

export const OPEN = message(
  {
    kind: 'open',
    version: 4,
    my_as: 23456,
    asn: 4200000001,
    hold_time: 90,
    bgp_id: '10.0.0.1',
    capabilities: [
      { code: 1, name: 'multiprotocol', value: { afi: 1, safi: 1 }, hex: '00010001' },
      { code: 65, name: 'four_octet_as', value: 4200000001, hex: 'fa56ea01' },
      { code: 73, name: 'fqdn', value: { hostname: 'r1\x1b[2Jevil', domain: '' }, hex: '0b7231' },
      { code: 99, name: 'CAP_99', value: null, hex: '0102' },
    ],
    other_params: [],
    // RFC 9072 encoding not used: one-octet Optional Parameters Length.
    extended_opt_params: false,
  },
  { length: 61 },
);

export const KEEPALIVE = message({ kind: 'keepalive' }, { length: 19 });

export const NOTIFICATION = message(
  {
    kind: 'notification',
    code: 6,
    subcode: 2,
    code_name: 'Cease',
    subcode_name: 'Administrative Shutdown',
    shutdown_message: 'maint "now"\x1b[31m|red\x07\u202eevil\nline2',
    // Cease/2 wraps no Hard Reset (Cease/9, RFC 8538), no prefix limit (Cease/1, RFC 4486), no capability list (OPEN/7, RFC 5492).
    hard_reset: null,
    max_prefixes: null,
    unsupported_capabilities: null,
    data_hex: '00',
  },
  { length: 22 },
);

/** BoRR (RFC 7313 §3.2: subtype 1) for IPv6 unicast; a BoRR carries no ORF (RFC 7313 §5: body is 4 bytes). */
export const ROUTE_REFRESH = message(
  { kind: 'route_refresh', afi: 2, safi: 1, subtype: 1, subtype_name: 'BoRR', orf: null, data_hex: '' },
  { length: 23 },
);

/**
 * 23-byte UPDATE whose Total Path Attribute Length (16) runs past the end of the message:
 * ff×16 marker | 0017 length | 02 type | 0000 withdrawn routes length | 0010 path attribute length
 */
export const BAD_RAW = new Uint8Array([...new Array<number>(16).fill(0xff), 0x00, 0x17, 0x02, 0x00, 0x00, 0x00, 0x10]);
export const BAD_UPDATE = message(null, {
  length: 23,
  raw: BAD_RAW,
  error: { code: 'attr_length', message: 'path attribute length 16 exceeds the 0 bytes left', offset: 21 },
});

/** An unknown message type (RFC 4271 §6.1: Bad Message Type), reported with its bytes. */
export const UNKNOWN_TYPE = message(null, {
  msg_type: 7,
  length: 19,
  raw: new Uint8Array([...new Array<number>(16).fill(0xff), 0x00, 0x13, 0x07]),
  error: { code: 'bad_type', message: 'unknown message type 7', offset: 18 },
});

export const GAP = event();
export const RESET = event({ event: 'reset', bytes_skipped: null, message: 'connection reset by 10.0.0.2' });
