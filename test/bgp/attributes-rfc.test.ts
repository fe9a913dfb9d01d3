// Path attributes beyond RFC 4271, from hand-annotated bytes: each attribute is written flags | type code |
// length | value (RFC 4271 §4.3) with the value's fields separated and named from the RFC cited at each case;
// expected values are read off the RFC layout, never from the decoder. Also the RFC 7606 error-handling
// classes every malformed attribute reports.

import { describe, expect, it } from 'vitest';
import { decodeMessage } from '../../src/bgp/decode.js';
import type { DecodeWarning, SessionParams, UpdateMessage } from '../../src/bgp/model.js';
import { MAX_ATTR_SET_DEPTH } from '../../src/bgp/attributes/attr-128-attr-set.js';
import { AS4, hx, update } from './helpers.js';

const ORIGIN_IGP = '40 01 01 00';
const AS_PATH_65001 = '40 02 06 02 01 0000fde9'; // AS_SEQUENCE of one 4-octet ASN
const NEXT_HOP = '40 03 04 c6336401'; // 198.51.100.1
const BASE = ORIGIN_IGP + AS_PATH_65001 + NEXT_HOP;
const NLRI = '18 c00002'; // 192.0.2.0/24

function upd(attrs: string, params: SessionParams = AS4) {
  const r = decodeMessage(update('', attrs, NLRI), params);
  expect(r.error).toBeNull();
  return r.msg as UpdateMessage;
}

/** Offset of the first attribute after BASE: header 19, withdrawn length 2, attribute length 2, BASE bytes. */
const AFTER_BASE = 19 + 2 + 2 + hx(BASE).length;

/** The message still decoded around the bad attribute: base attributes and the NLRI are there. */
function restDecoded(m: UpdateMessage): void {
  expect(m.origin).toBe('IGP');
  expect(m.as_path).toEqual([65001]);
  expect(m.announcements[0]!.prefixes).toEqual(['192.0.2.0/24']);
}

function only(m: UpdateMessage): DecodeWarning {
  expect(m.warnings).toHaveLength(1);
  return m.warnings[0]!;
}

describe('ORIGINATOR_ID and CLUSTER_LIST (RFC 4456 §8)', () => {
  it('decodes both as dotted quads, CLUSTER_LIST in wire order', () => {
    const m = upd(BASE + '80 09 04 c0000201' + '80 0a 08 c0000202 c0000203');
    expect(m.originator_id).toBe('192.0.2.1');
    expect(m.cluster_list).toEqual(['192.0.2.2', '192.0.2.3']);
    expect(m.warnings).toEqual([]);
    expect(m.other_attributes).toEqual([]);
  });

  it('ORIGINATOR_ID of 3 octets: treat-as-withdraw (RFC 7606 §7.9), attribute and code in the warning', () => {
    const m = upd(BASE + '80 09 03 c00002');
    expect(m.originator_id).toBeNull();
    expect(only(m)).toEqual({
      code: 'attribute_length',
      message: expect.stringContaining('RFC 7606 §7.9'),
      offset: AFTER_BASE + 3,
      action: 'treat-as-withdraw',
      attr_code: 9,
      hex: '800903c00002',
    });
    expect(m.other_attributes).toEqual([{ code: 9, flags: 0x80, hex: 'c00002' }]);
    restDecoded(m);
  });

  it('CLUSTER_LIST must be a non-zero multiple of 4 (RFC 7606 §7.10)', () => {
    for (const bad of ['80 0a 00', '80 0a 05 c000020101']) {
      const m = upd(BASE + bad);
      expect(m.cluster_list).toBeNull();
      expect(only(m)).toMatchObject({ code: 'attribute_length', action: 'treat-as-withdraw', attr_code: 10, hex: hx(bad).reduce((s, x) => s + x.toString(16).padStart(2, '0'), '') });
      restDecoded(m);
    }
  });
});

describe('EXTENDED_COMMUNITIES (RFC 4360 and the IANA registry)', () => {
  // [8 bytes: type | sub-type | value, the expected text, where the layout is defined]
  const CASES: [string, string, string][] = [
    ['00 02  fde9  00000064', 'rt:65001:100', 'RFC 4360 §3.1 two-octet AS: AS 65001, local 100; §4 route target sub-type 0x02'],
    ['01 02  c0000201  0064', 'rt:192.0.2.1:100', 'RFC 4360 §3.2 IPv4 address: 192.0.2.1, local 100'],
    ['02 02  fa56ea01  0064', 'rt:4200000001:100', 'RFC 5668 §2 four-octet AS 4200000001 (0xfa56ea01), local 100'],
    ['02 02  0000fde9  0064', 'rt:65001L:100', 'RFC 5668 four-octet AS type carrying a small ASN: Junos L suffix keeps it apart from type 0x00'],
    ['00 03  fde9  00000001', 'soo:65001:1', 'RFC 4360 §5 route origin sub-type 0x03'],
    ['01 03  c0000201  0007', 'soo:192.0.2.1:7', 'RFC 4360 §5 route origin, IPv4 form'],
    ['00 05  0000  00010200', 'ospf-domain-id:0:66048', 'RFC 4577 §4.2.2 OSPF domain id (nDPI BGP_redist capture)'],
    ['01 07  c0000201  0000', 'ospf-router-id:192.0.2.1:0', 'RFC 4577 §4.2.4 OSPF router id, type 0x0107'],
    ['03 06  00000001  05  01', 'ospf-route-type:0.0.0.1:5:1', 'RFC 4577 §4.2.6: area 0.0.0.1, route type 5 (external), options 1 (E2)'],
    ['80 00  00000000  03  00', 'ospf-route-type-exp:0.0.0.0:3:0', 'IANA 0x8000 OSPF route type (deprecated, pre-RFC 4577 Cisco)'],
    ['80 01  ac100201  0000', 'ospf-router-id-exp:172.16.2.1:0', 'IANA 0x8001 OSPF router id (deprecated)'],
    ['00 08  fde9  00000064', 'data-collection:65001:100', 'RFC 4384 BGP data collection'],
    ['00 09  0001  00000000', 'source-as:1:0', 'RFC 6514 source AS'],
    ['01 0a  0a000004  0006', 'l2vpn-id:10.0.0.4:6', 'RFC 6074 L2VPN identifier'],
    ['01 0b  c0000201  0005', 'vrf-import:192.0.2.1:5', 'RFC 6514 §7 VRF route import'],
    ['40 04  fde8  47f42400', 'link-bandwidth:65000:125000', 'draft-ietf-idr-link-bandwidth: AS 65000, 0x47f42400 = 125000.0 bytes/s (1 Mbps; tcpdump bgp-link-bw capture)'],
    ['03 0b  0000  00000064', 'color:0:100', 'RFC 9012 §4.3 color 100, flags 0'],
    ['03 0b  4000  00000064', 'color:1:100', 'RFC 9256 §8.8.1 CO bits 01 in the two high flag bits'],
    ['03 0c  00000000  0008', 'encap:VXLAN', 'RFC 9012 §4.1 encapsulation, tunnel type 8 VXLAN'],
    ['03 0c  00000000  00ff', 'encap:255', 'an unassigned tunnel type stays a number'],
    ['03 0d  000000000000', 'default-gateway', 'RFC 7432 §7.8 default gateway'],
    ['06 00  01  00  00000005', 'mac-mobility:5:sticky', 'RFC 7432 §7.7 MAC mobility: sticky flag, sequence 5'],
    ['06 00  00  00  00000001', 'mac-mobility:1', 'RFC 7432 §7.7 MAC mobility, sequence 1'],
    ['06 02  001122334455', 'es-import:00:11:22:33:44:55', 'RFC 7432 §7.6 ES-Import route target'],
    ['06 03  0a0b0c0d0e0f', 'router-mac:0a:0b:0c:0d:0e:0f', "RFC 9135 §8.1 EVPN router's MAC"],
    ['43 00  0000000000  02', 'ovs:invalid', 'RFC 8097 §2 origin validation state 2 = invalid'],
    ['43 00  0000000000  00', 'ovs:valid', 'RFC 8097 §2 state 0 = valid'],
    ['80 06  fde9  00000000', 'rate:65001:0', 'RFC 8955 §7.3 traffic-rate 0 bytes/s: discard'],
    ['80 06  0000  4640e400', 'rate:0:12345', 'RFC 8955 §7.3 traffic-rate 0x4640e400 = 12345.0 bytes/s'],
    ['80 07  0000000000  03', 'traffic-action:sample,terminal', 'RFC 8955 §7.4: S and T bits set'],
    ['80 07  0000000000  00', 'traffic-action:none', 'RFC 8955 §7.4: no bit set'],
    ['80 08  fde9  00000064', 'redirect:65001:100', 'RFC 8955 §7.5 redirect to the VRF with RT 65001:100'],
    ['81 08  c0000201  0064', 'redirect:192.0.2.1:100', 'RFC 7674 §3 redirect, IPv4 address format'],
    ['82 08  fa56ea01  0064', 'redirect:4200000001:100', 'RFC 7674 §3 redirect, 4-octet AS format'],
    ['80 09  0000000000  2e', 'mark:46', 'RFC 8955 §7.6 traffic marking DSCP 46 (EF)'],
    ['00 99  0102030405 06', 'ext:0x0099:010203040506', 'an unassigned sub-type: type, sub-type and value kept'],
    ['40 02  fde9  00000064', 'ext:0x4002:fde900000064', 'a non-transitive "route target" is no route target'],
    ['03 0b  0001  00000064', 'ext:0x030b:000100000064', 'a color with flag bits bgpcap cannot show'],
    ['03 0c  00000001  0008', 'ext:0x030c:000000010008', 'an encapsulation with reserved bits set'],
    ['40 04  fde8  7fc00000', 'ext:0x4004:fde87fc00000', 'a link bandwidth that is NaN has no decimal text'],
    ['80 09  0000000000  40', 'ext:0x8009:000000000040', 'traffic marking with a reserved bit set'],
  ];
  for (const [bytes, text, why] of CASES) {
    it(`${text}  (${why})`, () => {
      const m = upd(BASE + 'c0 10 08 ' + bytes);
      expect(m.ext_communities).toEqual([text]);
      expect(m.warnings).toEqual([]);
    });
  }

  it('keeps several communities in wire order', () => {
    const m = upd(BASE + 'c0 10 18' + '0002fde900000064' + '0003fde900000001' + '030c000000000008');
    expect(m.ext_communities).toEqual(['rt:65001:100', 'soo:65001:1', 'encap:VXLAN']);
  });

  it('a length that is not a non-zero multiple of 8: treat-as-withdraw (RFC 7606 §7.14)', () => {
    const m = upd(BASE + 'c0 10 0c 0002fde900000064 01020304');
    expect(m.ext_communities).toBeNull();
    expect(only(m)).toMatchObject({ code: 'attribute_length', action: 'treat-as-withdraw', attr_code: 16, hex: 'c0100c0002fde90000006401020304' });
    expect(m.other_attributes).toEqual([{ code: 16, flags: 0xc0, hex: '0002fde90000006401020304' }]);
    restDecoded(m);
  });
});

describe('IPv6 address specific extended communities (RFC 5701)', () => {
  it('route target and route origin with an RFC 5952 address; the non-transitive type stays raw', () => {
    const m = upd(
      BASE +
        'c0 19 3c' +
        '00 02  20010db8000000000000000000000001  0064' + // transitive, RT, 2001:db8::1, local 100
        '00 03  20010db8000000000000000000000002  0001' + // route origin
        '40 02  20010db8000000000000000000000001  0064', // non-transitive: not a route target
    );
    expect(m.ipv6_ext_communities).toEqual([
      'rt:2001:db8::1:100',
      'soo:2001:db8::2:1',
      'ext:0x4002:20010db80000000000000000000000010064',
    ]);
    expect(m.warnings).toEqual([]);
  });

  it('a length that is not a non-zero multiple of 20: treat-as-withdraw (RFC 7606 §7.15)', () => {
    const m = upd(BASE + 'c0 19 13 0002 20010db800000000000000000000000100');
    expect(m.ipv6_ext_communities).toBeNull();
    expect(only(m)).toMatchObject({ code: 'attribute_length', action: 'treat-as-withdraw', attr_code: 25 });
    restDecoded(m);
  });
});

describe('PMSI_TUNNEL (RFC 6514 §5)', () => {
  it('ingress replication: label in the high 20 bits, the endpoint address as tunnel id', () => {
    // flags 0 | type 6 | label field 0x000640 = label 100 << 4 | tunnel id 192.0.2.1
    const m = upd(BASE + 'c0 16 09 00 06 000640 c0000201');
    expect(m.pmsi_tunnel).toEqual({
      flags: 0,
      leaf_info_required: false,
      tunnel_type: 6,
      tunnel_type_name: 'INGRESS_REPLICATION',
      label: 100,
      label_raw: 0x640,
      tunnel_id: '192.0.2.1',
    });
  });

  it('EVPN over VXLAN: the whole field is the VNI (RFC 8365 §5.1.3); leaf information required flag', () => {
    const m = upd(BASE + 'c0 16 09 01 06 002710 c0000201'); // VNI 10000
    expect(m.pmsi_tunnel).toMatchObject({ flags: 1, leaf_info_required: true, label_raw: 10000, label: 10000 >>> 4 });
  });

  it('PIM-SSM tree: sender,group; RSVP-TE P2MP: RFC 4875 SESSION object; unknown type: hex', () => {
    expect(upd(BASE + 'c0 16 0d 00 03 000000 c0000201 e8010101').pmsi_tunnel).toMatchObject({
      tunnel_type_name: 'PIM_SSM_TREE',
      tunnel_id: '192.0.2.1,232.1.1.1',
    });
    // P2MP ID 10.0.0.4 | must be zero | Tunnel ID 33139 (0x8173) | Extended Tunnel ID 10.0.0.4
    expect(upd(BASE + 'c0 16 11 00 01 000000 0a000004 0000 8173 0a000004').pmsi_tunnel).toMatchObject({
      tunnel_type_name: 'RSVP_TE_P2MP_LSP',
      tunnel_id: '10.0.0.4:33139:10.0.0.4',
    });
    expect(upd(BASE + 'c0 16 07 00 63 000000 abcd').pmsi_tunnel).toMatchObject({ tunnel_type_name: 'TUNNEL_99', tunnel_id: 'abcd' });
    expect(upd(BASE + 'c0 16 05 00 00 000000').pmsi_tunnel).toMatchObject({ tunnel_type_name: 'NO_TUNNEL_INFO', tunnel_id: '' });
  });

  it('shorter than 5 octets: malformed, treat-as-withdraw', () => {
    const m = upd(BASE + 'c0 16 04 00 06 0006');
    expect(m.pmsi_tunnel).toBeNull();
    expect(only(m)).toMatchObject({ code: 'attribute_length', action: 'treat-as-withdraw', attr_code: 22, hex: 'c01604' + '00060006' });
    restDecoded(m);
  });
});

describe('AIGP (RFC 7311)', () => {
  it('the AIGP TLV: type 1, length 11, metric 2000 (tcpdump bgp-aigp capture bytes)', () => {
    expect(upd(BASE + '80 1a 0b 01 000b 00000000000007d0').aigp).toBe(2000);
  });

  it('a metric above 2^53 - 1 is kept exact as a decimal string; other TLVs are skipped', () => {
    // unknown TLV type 9, length 4 (one value octet) first, then AIGP TLV 0x1000000000000000 = 2^60
    const m = upd(BASE + '80 1a 0f 09 0004 ff 01 000b 1000000000000000');
    expect(m.aigp).toBe('1152921504606846976');
    expect(m.warnings).toEqual([]);
  });

  it('malformed → attribute discard (RFC 7311 §3.1): bad TLV length, TLV past the end, metric 0xffffffffffffffff', () => {
    for (const bad of ['80 1a 0a 01 000a 000000000007d0', '80 1a 05 01 000b 0000', '80 1a 0b 01 000b ffffffffffffffff']) {
      const m = upd(BASE + bad);
      expect(m.aigp).toBeNull();
      expect(only(m)).toMatchObject({ action: 'attribute-discard', attr_code: 26 });
      restDecoded(m);
    }
  });

  it('no AIGP TLV at all: nothing to show, the attribute stays raw without a warning', () => {
    const m = upd(BASE + '80 1a 04 09 0004 ff');
    expect(m.aigp).toBeNull();
    expect(m.other_attributes).toEqual([{ code: 26, flags: 0x80, hex: '090004ff' }]);
    expect(m.warnings).toEqual([]);
  });
});

describe('ONLY_TO_CUSTOMER (RFC 9234 §5)', () => {
  it('one 4-octet ASN', () => {
    expect(upd(BASE + 'c0 23 04 fa56ea01').otc).toBe(4200000001);
  });
  it('a length other than 4: treat-as-withdraw', () => {
    const m = upd(BASE + 'c0 23 02 fde9');
    expect(m.otc).toBeNull();
    expect(only(m)).toMatchObject({ code: 'attribute_length', action: 'treat-as-withdraw', attr_code: 35 });
    restDecoded(m);
  });
});

describe('BGP Prefix-SID (RFC 8669, RFC 9252)', () => {
  it('Label-Index and Originator SRGB TLVs', () => {
    const m = upd(
      BASE +
        'c0 28 15' +
        '01 0007 00 0000 00000064' + // Label-Index TLV: reserved, flags 0, label index 100
        '03 0008 0000 003e80 001f40', // Originator SRGB TLV: flags 0, base 16000, range 8000
    );
    expect(m.prefix_sid).toEqual({ label_index: 100, srgb: [[16000, 8000]], srv6_l3_service: null, srv6_l2_service: null, other_tlvs: [] });
  });

  it('SRv6 L3 Service TLV with SID Information and SID Structure (pmacct 500 capture bytes)', () => {
    const m = upd(
      BASE +
        'c0 28 25' +
        '05 0022 00' + // SRv6 L3 Service TLV, length 34, reserved
        '01 001e 00' + // SRv6 SID Information Sub-TLV, length 30, reserved
        'fcbabe00300200000000000000000000' + // SID fcba:be00:3002::
        '00 003f 00' + // flags 0, endpoint behavior 0x003f (End.DT4 with NEXT-CSID), reserved
        '01 0006 20 10 10 00 10 30', // SID Structure: LB 32, LN 16, Fun 16, Arg 0, transposition 16 at 48
    );
    expect(m.prefix_sid).toEqual({
      label_index: null,
      srgb: null,
      srv6_l3_service: [{ sid: 'fcba:be00:3002::', flags: 0, behavior: 0x3f, structure: { lb: 32, ln: 16, fun: 16, arg: 0, tpos_len: 16, tpos_offset: 48 } }],
      srv6_l2_service: null,
      other_tlvs: [],
    });
    expect(m.warnings).toEqual([]);
  });

  it('unknown TLVs are kept as {type, hex}', () => {
    expect(upd(BASE + 'c0 28 05 63 0002 abcd').prefix_sid).toMatchObject({ other_tlvs: [{ type: 99, hex: 'abcd' }] });
  });

  it('malformed → attribute discard (RFC 8669 §6): Label-Index of 6 octets, SRGB not 2 + 6n, TLV past the end', () => {
    for (const bad of ['c0 28 09 01 0006 00 0000 000064', 'c0 28 0a 03 0007 0000 003e80 001f', 'c0 28 04 01 0007 00']) {
      const m = upd(BASE + bad);
      expect(m.prefix_sid).toBeNull();
      expect(only(m)).toMatchObject({ action: 'attribute-discard', attr_code: 40 });
      restDecoded(m);
    }
  });
});

describe('BGPsec_PATH (RFC 8205 §3): named, kept as hex', () => {
  it('keeps the value and does not ask for AS_PATH (RFC 8205 §4.1)', () => {
    // Secure_Path: length 8 (the length octets included), pCount 1, flags 0, AS 65001; a stub Signature_Block
    const value = '0008 01 00 0000fde9' + '0006 01 000000';
    const m = upd(ORIGIN_IGP + NEXT_HOP + '80 21 0e ' + value);
    expect(m.bgpsec_path).toBe('000801000000fde9000601000000');
    expect(m.warnings).toEqual([]);
  });
  it('a Secure_Path length that is not 2 + 6n: treat-as-withdraw', () => {
    const m = upd(BASE + '80 21 09 0009 01 00 0000fde9 00');
    expect(m.bgpsec_path).toBeNull();
    expect(only(m)).toMatchObject({ code: 'bgpsec_secure_path', action: 'treat-as-withdraw', attr_code: 33 });
  });
});

describe('ATTR_SET (RFC 6368 §5)', () => {
  // Origin AS 65001 then ORIGIN IGP, AS_PATH 65010 (4-octet), LOCAL_PREF 44, ORIGINATOR_ID 22.5.5.5, CLUSTER_LIST 22.5.5.5
  const INNER = '40 01 01 00' + '40 02 06 02 01 0000fdf2' + '40 05 04 0000002c' + '80 09 04 16050505' + '80 0a 04 16050505';
  const SET = (inner: string, origin = '0000fde9') => {
    const len = 4 + hx(inner).length;
    return `c0 80 ${len.toString(16).padStart(2, '0')} ${origin} ${inner}`;
  };

  it('decodes the nested attributes with the same decoders', () => {
    const m = upd(BASE + SET(INNER));
    expect(m.warnings).toEqual([]);
    expect(m.attr_set?.origin_as).toBe(65001);
    const a = m.attr_set!.attributes;
    expect(a).toMatchObject({
      origin: 'IGP',
      as_path: [65010],
      local_pref: 44,
      originator_id: '22.5.5.5',
      cluster_list: ['22.5.5.5'],
      attr_codes: [1, 2, 5, 9, 10],
      other_attributes: [],
    });
    // the outer message is untouched by the nested values
    expect(m.local_pref).toBeNull();
    expect(m.originator_id).toBeNull();
    expect(m.as_path).toEqual([65001]);
  });

  it('AS numbers inside are 4 octets even on a 2-octet session (RFC 6368 §5)', () => {
    const AS2: SessionParams = { as4: false, extended_message: false, add_path_send: new Set() };
    const m = upd(ORIGIN_IGP + '40 02 04 02 01 fde9' + NEXT_HOP + SET(INNER), AS2);
    expect(m.as_path).toEqual([65001]);
    expect(m.attr_set!.attributes.as_path).toEqual([65010]);
    expect(m.warnings).toEqual([]);
  });

  it('an inner AS_PATH that only reads as 2-octet ASNs is read so, with a treat-as-withdraw warning', () => {
    const m = upd(BASE + SET('40 01 01 00' + '40 02 04 02 01 15b3'));
    expect(m.attr_set!.attributes.as_path).toEqual([5555]);
    expect(only(m)).toMatchObject({ code: 'attr_set_as2', action: 'treat-as-withdraw', attr_code: 128 });
  });

  it('a malformed nested attribute makes the ATTR_SET malformed: treat-as-withdraw (RFC 7606 §7.16)', () => {
    const m = upd(BASE + SET('40 01 01 00' + '80 09 03 160505')); // ORIGINATOR_ID of 3 octets inside
    expect(only(m)).toMatchObject({ code: 'attribute_length', action: 'treat-as-withdraw', attr_code: 9, hex: '800903160505' });
    expect(m.attr_set!.attributes.other_attributes).toEqual([{ code: 9, flags: 0x80, hex: '160505' }]);
    expect(m.attr_set!.attributes.origin).toBe('IGP');
    restDecoded(m);
  });

  it('an inner attribute whose RFC says attribute-discard still withdraws inside ATTR_SET (RFC 6368 §5)', () => {
    const m = upd(BASE + SET('40 06 01 00')); // ATOMIC_AGGREGATE of length 1
    expect(only(m)).toMatchObject({ action: 'treat-as-withdraw', attr_code: 6 });
  });

  it('MP_REACH_NLRI inside, nested lengths past the end, or fewer than 4 octets: malformed, kept raw', () => {
    for (const [bad, code] of [
      [SET('80 0e 05 0001 01 00 00'), 'attr_set_mp'],
      ['c0 80 09 0000fde9 40 05 04 0000', 'attribute_length'], // nested LOCAL_PREF says 4 octets, 2 are left
      [`c0 80 03 0000fd`, 'attribute_length'],
    ] as const) {
      const m = upd(BASE + bad);
      expect(m.attr_set).toBeNull();
      expect(only(m)).toMatchObject({ code, action: 'treat-as-withdraw', attr_code: 128 });
      expect(m.other_attributes.map((a) => a.code)).toEqual([128]);
      restDecoded(m);
    }
  });

  it(`nesting is bounded (MAX_ATTR_SET_DEPTH ${MAX_ATTR_SET_DEPTH}): the innermost too-deep set is kept raw`, () => {
    let inner = '40 05 04 00000007';
    for (let i = 0; i < MAX_ATTR_SET_DEPTH + 1; i++) inner = SET(inner);
    const m = upd(BASE + inner);
    let a = m.attr_set;
    for (let i = 1; i < MAX_ATTR_SET_DEPTH; i++) a = a!.attributes.attr_set;
    expect(a!.attributes.attr_set).toBeNull();
    expect(a!.attributes.other_attributes.map((x) => x.code)).toEqual([128]);
    expect(only(m)).toMatchObject({ code: 'attr_set_depth', action: 'treat-as-withdraw', attr_code: 128 });
  });

  it('a repeated attribute inside: the first kept (RFC 7606 §3(g))', () => {
    const m = upd(BASE + SET('40 05 04 00000001' + '40 05 04 00000002'));
    expect(m.attr_set!.attributes.local_pref).toBe(1);
    expect(only(m)).toMatchObject({ code: 'attribute_duplicate', action: 'attribute-discard', attr_code: 5, hex: '400504' + '00000002' });
  });
});

describe('RFC 7606 classes on every attribute-level warning', () => {
  it('repeated attribute (§3(g)): attribute-discard, the repeat kept raw with its bytes', () => {
    const m = upd(BASE + 'c0 10 08 0002fde900000064' + 'c0 10 08 0002fde900000065');
    expect(m.ext_communities).toEqual(['rt:65001:100']);
    expect(only(m)).toMatchObject({ code: 'attribute_duplicate', action: 'attribute-discard', attr_code: 16, hex: 'c010080002fde900000065', offset: AFTER_BASE + 11 });
  });

  it('repeated MP_REACH_NLRI (§3(g)): session-reset', () => {
    // IPv6 unicast, next hop 2001:db8::1 (16 octets), reserved, NLRI 2001:db8::/32
    const mp = '80 0e 1a 0002 01 10 20010db8000000000000000000000001 00 20 20010db8';
    const m = upd(BASE + mp + mp);
    expect(m.warnings.find((w) => w.code === 'attribute_duplicate')).toMatchObject({ action: 'session-reset', attr_code: 14 });
  });

  it('Optional/Transitive flags that contradict the type code (§3(c)): treat-as-withdraw, value still decoded', () => {
    const m = upd(BASE + '40 10 08 0002fde900000064'); // EXTENDED_COMMUNITIES sent as well-known
    expect(m.ext_communities).toEqual(['rt:65001:100']);
    expect(only(m)).toMatchObject({ code: 'attribute_flags', action: 'treat-as-withdraw', attr_code: 16, hex: '40100800' + '02fde900000064' });
  });

  it('ORIGIN, AS_PATH, NEXT_HOP, MED, LOCAL_PREF, COMMUNITIES, LARGE_COMMUNITY malformed: treat-as-withdraw', () => {
    for (const [bad, code] of [
      ['80 04 03 000064', 4], // MED length 3 (§7.4)
      ['40 05 02 0064', 5], // LOCAL_PREF length 2 (§7.5)
      ['c0 08 03 fde900', 8], // COMMUNITIES length 3 (§7.8)
      ['c0 20 08 0000fde900000001', 32], // LARGE_COMMUNITY length 8 (RFC 8092 §6)
    ] as const) {
      const m = upd(BASE + bad);
      expect(only(m)).toMatchObject({ action: 'treat-as-withdraw', attr_code: code });
    }
    const origin = decodeMessage(update('', '40 01 02 0000' + AS_PATH_65001 + NEXT_HOP, NLRI), AS4).msg as UpdateMessage;
    expect(origin.warnings.find((w) => w.attr_code === 1)).toMatchObject({ code: 'attribute_length', action: 'treat-as-withdraw', hex: '4001020000' });
    const path = decodeMessage(update('', ORIGIN_IGP + '40 02 03 02 01 00' + NEXT_HOP, NLRI), AS4).msg as UpdateMessage;
    expect(path.warnings.find((w) => w.attr_code === 2)).toMatchObject({ action: 'treat-as-withdraw' });
    const nh = decodeMessage(update('', ORIGIN_IGP + AS_PATH_65001 + '40 03 03 c63364', NLRI), AS4).msg as UpdateMessage;
    expect(nh.warnings.find((w) => w.attr_code === 3)).toMatchObject({ action: 'treat-as-withdraw' });
  });

  it('ATOMIC_AGGREGATE, AGGREGATOR malformed: attribute-discard (§7.6, §7.7)', () => {
    expect(only(upd(BASE + '40 06 01 00'))).toMatchObject({ action: 'attribute-discard', attr_code: 6, hex: '40060100' });
    expect(only(upd(BASE + 'c0 07 05 0000fde900'))).toMatchObject({ action: 'attribute-discard', attr_code: 7 });
  });

  it('MP_REACH_NLRI malformed (§7.11): session-reset', () => {
    const m = upd(BASE + '80 0e 05 0002 01 ff 00'); // next hop length 255 runs past the attribute
    expect(m.warnings.find((w) => w.attr_code === 14)).toMatchObject({ action: 'session-reset' });
  });

  it('missing mandatory attributes (§3(d)): treat-as-withdraw, no attribute attached', () => {
    const m = decodeMessage(update('', AS_PATH_65001 + NEXT_HOP, NLRI), AS4).msg as UpdateMessage;
    expect(only(m)).toMatchObject({ code: 'attribute_missing', action: 'treat-as-withdraw', attr_code: null, hex: null });
  });

  it('a malformed NLRI field (§5.3): session-reset, no attribute attached', () => {
    const m = decodeMessage(update('', BASE, '21 c0000201 00'), AS4).msg as UpdateMessage; // prefix length 33
    expect(m.warnings.find((w) => w.code === 'prefix_length')).toMatchObject({ action: 'session-reset', attr_code: null, hex: null });
  });

  it('decoding goes on after a malformed attribute: later attributes are decoded', () => {
    const m = upd(BASE + '80 09 03 c00002' + 'c0 10 08 0002fde900000064' + 'c0 23 04 0000fde9');
    expect(m.ext_communities).toEqual(['rt:65001:100']);
    expect(m.otc).toBe(65001);
    restDecoded(m);
  });
});
