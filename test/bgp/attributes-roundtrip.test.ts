// Encode → decode round trips through bench/lib/attrs.ts, an encoder written from the RFCs without sharing
// code with src/. The extended community text forms must be lossless: for any 8 (or 20) bytes, the decoder's
// text parsed back by the encoder gives the same bytes.

import { describe, expect, it } from 'vitest';
import { decodeMessage } from '../../src/bgp/decode.js';
import type { UpdateMessage } from '../../src/bgp/model.js';
import { extCommunityText } from '../../src/bgp/attributes/attr-16-ext-communities.js';
import { ipv6ExtCommunityText } from '../../src/bgp/attributes/attr-25-ipv6-ext-communities.js';
import { rng, update, v4 } from '../../bench/lib/synth.js';
import {
  aigp,
  attrSet,
  attribute,
  bgpsecPath,
  clusterList,
  extCommunities,
  extCommunity,
  hexOf,
  ipv6ExtCommunities,
  ipv6ExtCommunity,
  originatorId,
  otc,
  pmsiTunnel,
  prefixSid,
} from '../../bench/lib/attrs.js';
import { AS4 } from './helpers.js';

function decode(extra: Uint8Array[]): UpdateMessage {
  const bytes = update({ nlri: [{ addr: v4('192.0.2.0'), len: 24 }], asPath: [65001], extraAttributes: extra });
  const r = decodeMessage(bytes, AS4);
  expect(r.error).toBeNull();
  const m = r.msg as UpdateMessage;
  expect(m.warnings).toEqual([]);
  return m;
}

describe('encode → decode', () => {
  it('ORIGINATOR_ID, CLUSTER_LIST, OTC', () => {
    const m = decode([originatorId('10.1.2.3'), clusterList(['10.0.0.1', '10.0.0.2', '10.0.0.3']), otc(4200000001)]);
    expect(m).toMatchObject({ originator_id: '10.1.2.3', cluster_list: ['10.0.0.1', '10.0.0.2', '10.0.0.3'], otc: 4200000001 });
  });

  const FORMS = [
    'rt:65001:100', 'rt:65001:4294967295', 'rt:192.0.2.1:65535', 'rt:4200000001:7', 'rt:65001L:7', 'rt:0L:0',
    'soo:65001:1', 'soo:10.0.0.1:2', 'soo:4200000001:3', 'ospf-domain-id:0:66048', 'ospf-domain-id:10.0.0.1:0',
    'ospf-domain-id:65536:1', 'ospf-router-id:10.0.0.1:0', 'ospf-route-type:0.0.0.0:3:0', 'ospf-route-type-exp:0.0.0.0:5:1',
    'ospf-router-id-exp:172.16.2.1:0', 'data-collection:65001:100', 'data-collection:65536:100', 'source-as:65001:0',
    'source-as:4200000001:0', 'l2vpn-id:65001:1', 'l2vpn-id:10.0.0.4:6', 'vrf-import:192.0.2.1:5',
    'link-bandwidth:65000:125000', 'link-bandwidth:1:0.10000000149011612', 'link-bandwidth:1:1.2676506002282294e+30',
    'link-bandwidth:1:Infinity', 'color:0:100', 'color:3:4294967295', 'encap:VXLAN', 'encap:MPLS_IN_UDP', 'encap:999',
    'default-gateway', 'mac-mobility:0', 'mac-mobility:4294967295:sticky', 'es-import:00:11:22:33:44:55',
    'router-mac:fe:dc:ba:98:76:54', 'ovs:valid', 'ovs:not-found', 'ovs:invalid', 'rate:65001:0', 'rate:0:12345.5',
    'rate-packets:1:1000', 'traffic-action:none', 'traffic-action:terminal', 'traffic-action:sample',
    'traffic-action:sample,terminal', 'redirect:65001:100', 'redirect:192.0.2.1:100', 'redirect:4200000001:100',
    'redirect:65001L:100', 'mark:0', 'mark:46', 'mark:63', 'ext:0x0099:010203040506', 'ext:0xffff:ffffffffffff',
  ];

  it(`EXTENDED_COMMUNITIES: all ${FORMS.length} text forms come back as written`, () => {
    expect(decode([extCommunities(FORMS)]).ext_communities).toEqual(FORMS);
  });

  it('IPV6 extended communities', () => {
    const forms = ['rt:2001:db8::1:100', 'soo::::1', 'vrf-import:fe80::1:65535', 'ext:0x4002:20010db80000000000000000000000010064'];
    // "soo::::1": the address :: and local administrator 1 (the last colon-separated number)
    expect(decode([ipv6ExtCommunities(forms)]).ipv6_ext_communities).toEqual(forms);
  });

  it('PMSI_TUNNEL', () => {
    const m = decode([pmsiTunnel({ flags: 1, type: 6, labelField: 1000 << 4, tunnelId: v4('198.51.100.7') })]);
    expect(m.pmsi_tunnel).toEqual({
      flags: 1,
      leaf_info_required: true,
      tunnel_type: 6,
      tunnel_type_name: 'INGRESS_REPLICATION',
      label: 1000,
      label_raw: 16000,
      tunnel_id: '198.51.100.7',
    });
  });

  it('AIGP: small and large metrics, with other TLVs around', () => {
    expect(decode([aigp(123456789n)]).aigp).toBe(123456789);
    expect(decode([aigp(2n ** 53n - 1n)]).aigp).toBe(2 ** 53 - 1);
    expect(decode([aigp(2n ** 53n, [{ type: 7, value: [1, 2] }])]).aigp).toBe('9007199254740992');
    expect(decode([aigp(0xfffffffffffffffen)]).aigp).toBe('18446744073709551614');
  });

  it('Prefix-SID: label index, SRGB, SRv6 L3 and L2 services, unknown TLVs', () => {
    const m = decode([
      prefixSid({
        labelIndex: 42,
        srgb: [[16000, 8000], [100000, 100]],
        srv6L3: [{ sid: '2001:db8:1::', behavior: 0x13, structure: [40, 24, 16, 0, 16, 64] }, { sid: '2001:db8:2::', flags: 0x80, behavior: 0x12 }],
        srv6L2: [{ sid: '2001:db8:3::', behavior: 0x15 }],
        others: [{ type: 200, value: [9, 9] }],
      }),
    ]);
    expect(m.prefix_sid).toEqual({
      label_index: 42,
      srgb: [[16000, 8000], [100000, 100]],
      srv6_l3_service: [
        { sid: '2001:db8:1::', flags: 0, behavior: 0x13, structure: { lb: 40, ln: 24, fun: 16, arg: 0, tpos_len: 16, tpos_offset: 64 } },
        { sid: '2001:db8:2::', flags: 0x80, behavior: 0x12, structure: null },
      ],
      srv6_l2_service: [{ sid: '2001:db8:3::', flags: 0, behavior: 0x15, structure: null }],
      other_tlvs: [{ type: 200, hex: '0909' }],
    });
  });

  it('ATTR_SET with nested attributes, nested ATTR_SET and extended lengths', () => {
    const lp = attribute(0x40, 5, Uint8Array.from([0, 0, 0, 77]));
    const path = attribute(0x40, 2, Uint8Array.from([2, 2, 0, 0, 0xfd, 0xea, 0, 0, 0xfd, 0xeb]));
    const big = extCommunities(Array.from({ length: 40 }, (_, i) => `rt:65001:${i}`)); // 320 octets: Extended Length
    const m = decode([attrSet(65001, [path, lp, big, attrSet(65002, [lp, originatorId('10.9.9.9')])])]);
    const a = m.attr_set!;
    expect(a.origin_as).toBe(65001);
    expect(a.attributes.as_path).toEqual([65002, 65003]);
    expect(a.attributes.local_pref).toBe(77);
    expect(a.attributes.ext_communities).toHaveLength(40);
    expect(a.attributes.attr_set).toMatchObject({ origin_as: 65002, attributes: { local_pref: 77, originator_id: '10.9.9.9' } });
  });

  it('BGPsec_PATH: the value bytes come back as hex', () => {
    const a = bgpsecPath([[1, 0, 65001], [2, 0, 65002]], 1, [[Array(20).fill(0xab), [1, 2, 3]]]);
    const hdr = a[0]! & 0x10 ? 4 : 3;
    expect(decode([a]).bgpsec_path).toBe(hexOf(a.subarray(hdr)));
  });
});

describe('the extended community text forms are lossless', () => {
  /** Types and sub-types bgpcap names, and neighbours it does not, to draw random communities from. */
  const TYPES = [
    0x0002, 0x0003, 0x0005, 0x0008, 0x0009, 0x000a, 0x0102, 0x0103, 0x0105, 0x0107, 0x010a, 0x010b, 0x0202, 0x0203,
    0x0205, 0x0208, 0x0209, 0x0306, 0x030b, 0x030c, 0x030d, 0x0600, 0x0602, 0x0603, 0x4004, 0x4300, 0x8000, 0x8001,
    0x8006, 0x8007, 0x8008, 0x8009, 0x800c, 0x8108, 0x8208, 0x0004, 0x4002, 0x0601, 0x4301, 0x0000, 0xffff,
  ];

  it('random 8-byte communities: text → bytes gives the same bytes (20000 draws)', () => {
    const r = rng(7);
    const b = new Uint8Array(8);
    for (let i = 0; i < 20000; i++) {
      const t = i % 5 === 4 ? Math.floor(r() * 65536) : TYPES[Math.floor(r() * TYPES.length)]!;
      b[0] = t >>> 8;
      b[1] = t & 0xff;
      // Mostly zero or small values (where the named forms live), sometimes anything.
      for (let j = 2; j < 8; j++) b[j] = r() < 0.5 ? 0 : r() < 0.5 ? Math.floor(r() * 4) : Math.floor(r() * 256);
      const text = extCommunityText(b, 0);
      const back = extCommunity(text);
      if (hexOf(back) !== hexOf(b)) expect({ text, back: hexOf(back) }).toEqual({ text, back: hexOf(b) });
    }
  });

  it('random IPv6 address specific communities (5000 draws)', () => {
    const r = rng(11);
    const b = new Uint8Array(20);
    for (let i = 0; i < 5000; i++) {
      b[0] = [0x00, 0x40, 0x00, 0x80][Math.floor(r() * 4)]!;
      b[1] = [0x02, 0x03, 0x0b, 0x04, 0x99][Math.floor(r() * 5)]!;
      for (let j = 2; j < 20; j++) b[j] = r() < 0.6 ? 0 : Math.floor(r() * 256);
      const text = ipv6ExtCommunityText(b, 0);
      const back = ipv6ExtCommunity(text);
      if (hexOf(back) !== hexOf(b)) expect({ text, back: hexOf(back) }).toEqual({ text, back: hexOf(b) });
    }
  });
});

describe('mutated and truncated attributes never throw and never hit an internal error', () => {
  const SEED = update({
    nlri: [{ addr: v4('192.0.2.0'), len: 24 }],
    asPath: [65001],
    extraAttributes: [
      originatorId('10.1.2.3'),
      clusterList(['10.0.0.1', '10.0.0.2']),
      extCommunities(['rt:65001:100', 'link-bandwidth:65000:125000', 'encap:VXLAN', 'mac-mobility:5:sticky']),
      ipv6ExtCommunities(['rt:2001:db8::1:100']),
      pmsiTunnel({ type: 6, labelField: 1600, tunnelId: v4('198.51.100.7') }),
      aigp(2000n),
      otc(65001),
      prefixSid({ labelIndex: 1, srgb: [[16000, 8000]], srv6L3: [{ sid: '2001:db8::', behavior: 0x13, structure: [32, 16, 16, 0, 16, 48] }] }),
      attrSet(65001, [attribute(0x40, 5, Uint8Array.from([0, 0, 0, 9])), attrSet(65002, [otc(7)])]),
      bgpsecPath([[1, 0, 65001]], 1, [[Array(20).fill(1), [1, 2, 3, 4]]]),
    ],
  });

  function check(b: Uint8Array): void {
    const r = decodeMessage(b, AS4);
    if (r.error?.code === 'internal') expect(r.error).toBeNull();
    if (r.msg?.kind === 'update') for (const w of r.msg.warnings) if (w.code === 'internal') expect(w).toBeNull();
  }

  it('the seed decodes cleanly', () => {
    const r = decodeMessage(SEED, AS4);
    expect(r.error).toBeNull();
    expect((r.msg as UpdateMessage).warnings).toEqual([]);
  });

  it('one to four random bytes changed (30000 variants)', () => {
    const r = rng(3);
    for (let i = 0; i < 30000; i++) {
      const b = SEED.slice();
      const n = 1 + Math.floor(r() * 4);
      // Leave the marker and message length alone so that every variant reaches the attribute decoders.
      for (let k = 0; k < n; k++) b[19 + Math.floor(r() * (b.length - 19))] = Math.floor(r() * 256);
      check(b);
    }
  });

  it('cut at every length (the header length adjusted)', () => {
    for (let len = 19; len < SEED.length; len++) {
      const b = SEED.slice(0, len);
      b[16] = len >>> 8;
      b[17] = len & 0xff;
      check(b);
    }
  });
});
