// OPEN and capabilities with hand-annotated bytes (RFC 4271 §4.2, RFC 5492, and the RFC of each capability).

import { describe, expect, it } from 'vitest';
import { decodeMessage } from '../../src/bgp/decode.js';
import type { OpenMessage } from '../../src/bgp/model.js';
import { AS4, bgp, hexOf } from './helpers.js';

/** type (1) | length (1) | value — the TLV shape of optional parameters and capabilities. */
const tlv = (type: number, value: string) =>
  type.toString(16).padStart(2, '0') + (value.replace(/\s+/g, '').length / 2).toString(16).padStart(2, '0') + value.replace(/\s+/g, '');

const FIXED =
  '04' + // version 4
  '5ba0' + // My AS 23456 = AS_TRANS (RFC 6793 §2): the real AS is in capability 65
  '00b4' + // hold time 180 s
  'c0000201'; // BGP identifier 192.0.2.1

function open(params: string): Uint8Array {
  return bgp(1, FIXED, (params.length / 2).toString(16).padStart(2, '0'), params);
}

describe('OPEN', () => {
  it('decodes the fixed fields and every capability bgpcap understands', () => {
    const caps = [
      tlv(1, '0001 00 01'), // multiprotocol: AFI 1 IPv4, reserved, SAFI 1 unicast (RFC 4760 §8)
      tlv(1, '0002 00 01'), // multiprotocol: IPv6 unicast
      tlv(2, ''), // route refresh (RFC 2918)
      tlv(64, '8078 0001 01 80'), // graceful restart: R bit, restart time 0x078 = 120; IPv4/unicast with F bit (RFC 4724 §3)
      tlv(65, '00030d40'), // 4-octet AS 200000 (RFC 6793 §3)
      tlv(69, '0001 01 03 0002 01 01'), // ADD-PATH: IPv4/unicast send+receive, IPv6/unicast receive (RFC 7911 §4)
      tlv(70, ''), // enhanced route refresh (RFC 7313)
      tlv(71, '0001 01 80 000e10'), // LLGR: IPv4/unicast, F bit, stale time 3600 (RFC 9494)
      tlv(73, '02' + hexOf('r1') + '03' + hexOf('lab')), // FQDN: hostname "r1", domain "lab"
      tlv(9, '03'), // BGP role 3 = Customer (RFC 9234 §4.1)
      tlv(6, ''), // extended message (RFC 8654)
      tlv(5, '0001 0001 0002'), // extended next hop: IPv4 NLRI, SAFI 1, next hop AFI 2 (RFC 8950 §3)
      tlv(128, ''), // prestandard route refresh (RFC 8810)
      tlv(200, 'abcd'), // unassigned code
    ].join('');
    const r = decodeMessage(open(tlv(2, caps)), AS4);
    expect(r.error).toBeNull();
    const o = r.msg as OpenMessage;
    expect(o).toMatchObject({ kind: 'open', version: 4, my_as: 23456, asn: 200000, hold_time: 180, bgp_id: '192.0.2.1', other_params: [] });
    expect(o.capabilities.map((c) => [c.code, c.name, c.value, c.hex])).toEqual([
      [1, 'multiprotocol', { afi: 1, safi: 1 }, '00010001'],
      [1, 'multiprotocol', { afi: 2, safi: 1 }, '00020001'],
      [2, 'route_refresh', true, ''],
      [
        64,
        'graceful_restart',
        { flags: 8, restart_state: true, notification: false, restart_time: 120, families: [{ afi: 1, safi: 1, forwarding_state: true }] },
        '8078000101' + '80',
      ],
      [65, 'four_octet_as', { asn: 200000 }, '00030d40'],
      [
        69,
        'add_path',
        [
          { afi: 1, safi: 1, send_receive: 'both' },
          { afi: 2, safi: 1, send_receive: 'receive' },
        ],
        '0001010300020101',
      ],
      [70, 'enhanced_route_refresh', true, ''],
      [71, 'long_lived_graceful_restart', [{ afi: 1, safi: 1, forwarding_state: true, stale_time: 3600 }], '00010180000e10'],
      [73, 'fqdn', { hostname: 'r1', domain: 'lab' }, '02' + hexOf('r1') + '03' + hexOf('lab')],
      [9, 'bgp_role', { role: 3, name: 'Customer' }, '03'],
      [6, 'extended_message', true, ''],
      [5, 'extended_next_hop', [{ afi: 1, safi: 1, next_hop_afi: 2 }], '000100010002'],
      [128, 'route_refresh_cisco', true, ''],
      [200, 'CAP_200', null, 'abcd'],
    ]);
  });

  it('accepts one capability per parameter and keeps other parameter types raw', () => {
    const params = tlv(1, 'aabb') /* deprecated authentication parameter (RFC 4271 first edition) */ + tlv(2, tlv(65, '0000fde8')) + tlv(2, tlv(2, ''));
    const o = decodeMessage(open(params), AS4).msg as OpenMessage;
    expect(o.asn).toBe(65000);
    expect(o.capabilities.map((c) => c.name)).toEqual(['four_octet_as', 'route_refresh']);
    expect(o.other_params).toEqual([{ type: 1, hex: 'aabb' }]);
  });

  it('uses My AS when there is no 4-octet AS capability', () => {
    const b = bgp(1, '04', 'fde8' /* 65000 */, '005a', '0a000001', '00');
    expect(decodeMessage(b, AS4).msg).toMatchObject({ my_as: 65000, asn: 65000, hold_time: 90, bgp_id: '10.0.0.1', capabilities: [] });
  });

  it('keeps a malformed capability value raw (value null) instead of failing the OPEN', () => {
    const o = decodeMessage(open(tlv(2, tlv(65, '0001') + tlv(1, '00010001ff') + tlv(69, '0001 01 04'))), AS4).msg as OpenMessage;
    expect(o.capabilities.map((c) => [c.name, c.value, c.hex])).toEqual([
      ['four_octet_as', null, '0001'], // RFC 6793: 4 octets
      ['multiprotocol', null, '00010001ff'], // RFC 4760: 4 octets
      ['add_path', null, '00010104'], // RFC 7911 §4: Send/Receive 4 is not understood → ignored
    ]);
    expect(o.asn).toBe(23456);
  });

  it('decodes the RFC 9072 extended optional parameters length', () => {
    const caps = tlv(65, '00030d40') + tlv(2, '');
    // Non-Ext OP Len 255, Non-Ext OP Type 255, Extended Opt. Parm. Length (2), then params with 2-octet lengths.
    const param = '02' + (caps.length / 2).toString(16).padStart(4, '0') + caps;
    const b = bgp(1, FIXED, 'ff', 'ff', (param.length / 2).toString(16).padStart(4, '0'), param);
    const r = decodeMessage(b, AS4);
    expect(r.error).toBeNull();
    expect((r.msg as OpenMessage).capabilities.map((c) => c.name)).toEqual(['four_octet_as', 'route_refresh']);
  });

  it('fails when a capability runs past its parameter', () => {
    const r = decodeMessage(open('02' + '04' + '41' + '04' + '0003'), AS4); // param says 4 bytes, capability says 4 more
    expect(r.msg).toBeNull();
    expect(r.error).toMatchObject({ code: 'truncated', offset: 33 });
  });

  it('fails when the optional parameters run past the message', () => {
    const b = bgp(1, FIXED, '10', tlv(2, ''));
    expect(decodeMessage(b, AS4).error?.code).toBe('truncated');
  });

  it('reports bytes after the optional parameters but still returns the OPEN', () => {
    const r = decodeMessage(bgp(1, FIXED, '00', 'beef'), AS4);
    expect(r.msg).toMatchObject({ kind: 'open', asn: 23456 });
    expect(r.error).toMatchObject({ code: 'open_trailing_bytes', offset: 29 });
  });
});
