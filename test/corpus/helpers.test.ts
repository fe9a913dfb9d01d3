// Unit tests of the differential-test machinery itself (test/corpus/tshark.ts), on hand-written input, so a
// bug in the comparison cannot hide a bgpcap bug. Needs neither tshark nor the CLI.

import { describe, expect, it } from 'vitest';
import {
  asPathText,
  crashSigns,
  diffFields,
  diffSummaries,
  emptyCounts,
  jsonlMessageFields,
  labelsOnly,
  mergeAs4Path,
  normalisePrefix,
  parseJsonl,
  parsePdml,
  parsePdmlFields,
} from './tshark.js';

describe('normalisePrefix', () => {
  it('keeps IPv4 text and compresses IPv6 per RFC 5952', () => {
    expect(normalisePrefix('10.1.0.0/24')).toBe('10.1.0.0/24');
    expect(normalisePrefix('2001:0DB8:0000:0000:0000:0000:0000:0000/32')).toBe('2001:db8::/32');
    expect(normalisePrefix('2002::1400:0/120')).toBe('2002::1400:0/120');
    expect(normalisePrefix('::/0')).toBe('::/0');
  });
  it('rejects what is not a plain prefix', () => {
    expect(normalisePrefix('100:1:10.0.0.0/24')).toBe(null); // RD-prefixed VPN text
    expect(normalisePrefix('10.0.0.0/33')).toBe(null);
    expect(normalisePrefix('10.0.0.0')).toBe(null);
    expect(normalisePrefix('2001:db8::/129')).toBe(null);
  });
});

// PDML shaped like tshark 4.0 output (attributes trimmed): one frame with an UPDATE carrying a classic
// withdrawal, MP_REACH IPv6 unicast, MP_REACH VPNv4 (must be ignored) and classic NLRI with a path id,
// then a KEEPALIVE and a malformed ROUTE-REFRESH.
const PDML = `<?xml version="1.0" encoding="utf-8"?>
<pdml version="0" creator="wireshark/4.0.17">
<packet>
  <proto name="frame" showname="Frame 7">
    <field name="frame.number" showname="Frame Number: 7" size="0" pos="0" show="7"/>
  </proto>
  <proto name="bgp" showname="Border Gateway Protocol - UPDATE Message" size="74" pos="86">
    <field name="bgp.type" showname="Type: UPDATE Message (2)" size="1" pos="104" show="2" value="02"/>
    <field name="bgp.update.withdrawn_routes" showname="Withdrawn Routes" size="4" pos="107" show="" value="">
      <field name="" show="192.0.2.0/24" size="4" pos="107" value="18c00002">
        <field name="bgp.prefix_length" showname="Prefix Length: 24" size="1" pos="107" show="24" value="18"/>
        <field name="bgp.withdrawn_prefix" showname="Withdrawn prefix: 192.0.2.0" size="3" pos="108" show="192.0.2.0" value="c00002"/>
      </field>
    </field>
    <field name="bgp.update.path_attribute.type_code" showname="Type Code: MP_REACH_NLRI (14)" size="1" pos="110" show="14" value="0e"/>
    <field name="bgp.update.path_attribute.mp_reach_nlri.afi" showname="AFI: IPv6 (2)" size="2" pos="113" show="2" value="0002"/>
    <field name="bgp.update.path_attribute.mp_reach_nlri.safi" showname="SAFI: Unicast (1)" size="1" pos="115" show="1" value="01"/>
    <field name="bgp.update.path_attribute.mp_reach_nlri" showname="NLRI" size="13" pos="134" show="" value="">
      <field name="" show="2001:db8:f100::/40" size="6" pos="134" value="2820010db8f1">
        <field name="bgp.prefix_length" showname="MP Reach NLRI prefix length: 40" size="1" pos="134" show="40" value="28"/>
        <field name="bgp.mp_reach_nlri_ipv6_prefix" showname="MP Reach NLRI IPv6 prefix: 2001:db8:f100::" size="5" pos="135" show="2001:db8:f100::" value="20010db8f1"/>
      </field>
    </field>
    <field name="bgp.update.path_attribute.type_code" showname="Type Code: MP_REACH_NLRI (14)" size="1" pos="150" show="14" value="0e"/>
    <field name="bgp.update.path_attribute.mp_reach_nlri.afi" showname="AFI: IPv4 (1)" size="2" pos="151" show="1" value="0001"/>
    <field name="bgp.update.path_attribute.mp_reach_nlri.safi" showname="SAFI: Labeled VPN Unicast (128)" size="1" pos="153" show="128" value="80"/>
    <field name="bgp.prefix_length" showname="Prefix Length: 116" size="1" pos="160" show="116" value="74"/>
    <field name="bgp.mp_reach_nlri_ipv4_prefix" showname="MP Reach NLRI IPv4 prefix: 172.16.130.32" size="4" pos="172" show="172.16.130.32" value="ac108220"/>
    <field name="bgp.update.path_attribute.type_code" showname="Type Code: ORIGIN (1)" size="1" pos="180" show="1" value="01"/>
    <field name="bgp.update.nlri" showname="NLRI" size="8" pos="190" show="" value="">
      <field name="bgp.nlri_path_id" showname="NLRI path id: 20" size="4" pos="190" show="20" value="00000014"/>
      <field name="bgp.prefix_length" showname="Prefix Length: 16" size="1" pos="194" show="16" value="10"/>
      <field name="bgp.nlri_prefix" showname="NLRI prefix: 10.1.0.0" size="2" pos="195" show="10.1.0.0" value="0a01"/>
    </field>
    <field name="bgp.type" showname="Type: KEEPALIVE Message (4)" size="1" pos="216" show="4" value="04"/>
  </proto>
</packet>
<packet>
  <proto name="frame" showname="Frame 9">
    <field name="frame.number" showname="Frame Number: 9" size="0" pos="0" show="9"/>
  </proto>
  <proto name="bgp" showname="Border Gateway Protocol - ROUTE-REFRESH Message" size="23" pos="54">
    <field name="bgp.type" showname="Type: ROUTE-REFRESH Message (5)" size="1" pos="72" show="5" value="05"/>
    <field name="bgp.type" showname="Type: Unknown (9)" size="1" pos="95" show="9" value="09"/>
    <proto name="_ws.malformed" showname="Malformed Packet" hide="yes" size="0" pos="86"/>
  </proto>
</packet>
</pdml>
`;

describe('parsePdml', () => {
  const s = parsePdml(PDML);
  it('counts one message per bgp.type field, unknown types as other', () => {
    expect(s.counts).toEqual({ OPEN: 0, UPDATE: 1, NOTIFICATION: 0, KEEPALIVE: 1, 'ROUTE-REFRESH': 1, other: 1 });
    expect(s.messages).toEqual([
      { frame: 7, type: 2 },
      { frame: 7, type: 4 },
      { frame: 9, type: 5 },
      { frame: 9, type: 9 },
    ]);
    expect(s.malformedFrames).toEqual([9]);
  });
  it('pairs each prefix with the length before it and keeps only IPv4/IPv6 unicast', () => {
    expect([...s.announced].sort()).toEqual(['10.1.0.0/16', '2001:db8:f100::/40']);
    expect([...s.withdrawn]).toEqual(['192.0.2.0/24']);
  });
});

describe('parseJsonl', () => {
  const lines = [
    { kind: 'message', frame: 4, msg_type: 'OPEN' },
    {
      kind: 'message',
      frame: 5,
      msg_type: 'UPDATE',
      withdrawals: ['192.0.2.0/24', '2001:DB8:0:0::/48'],
      announcements: [
        { afi: 1, safi: 1, next_hop: '192.0.2.1', next_hop_ll: null, prefixes: ['10.1.0.0/16'], path_ids: null },
        { afi: 1, safi: 128, next_hop: '0.0.0.0', next_hop_ll: null, prefixes: ['1:1:10.9.0.0/24'], path_ids: null },
        { afi: 2, safi: 4, next_hop: '::', next_hop_ll: null, prefixes: ['2001:db8:9::/48'], path_ids: null },
      ],
    },
    // src/bgp/model.ts shape: decoded message under msg, withdrawals grouped by family
    {
      kind: 'message',
      frame: 6,
      msg_type: 2,
      msg: {
        kind: 'update',
        withdrawals: [
          { afi: 2, safi: 1, prefixes: ['2001:db8:5::/48'], path_ids: null },
          { afi: 1, safi: 2, prefixes: ['10.7.0.0/16'], path_ids: null },
        ],
        announcements: [],
      },
    },
    // per-family withdrawals win over the flat list (which cannot tell labelled unicast from unicast)
    {
      kind: 'message',
      frame: 6,
      msg_type: 'UPDATE',
      withdrawals: ['30.1.1.1/32', '10.8.0.0/16'],
      withdrawal_families: [
        { afi: 1, safi: 4, prefixes: ['30.1.1.1/32'], labels: [[524288]] },
        { afi: 1, safi: 1, prefixes: ['10.8.0.0/16'] },
      ],
      announcements: [],
    },
    { kind: 'message', frame: 7, msg_type: 'MSG_9', error: { code: 'bad_type', message: 'x', offset: 18 }, raw: 'ff' },
    { kind: 'event', frame: 8, event: 'gap', bytes_skipped: 10, message: 'gap' },
  ];
  const text = lines.map((l) => JSON.stringify(l)).join('\n') + '\nnot json\n';
  const s = parseJsonl(text);
  it('counts messages by msg_type name or code, events apart', () => {
    expect(s.counts).toEqual({ OPEN: 1, UPDATE: 3, NOTIFICATION: 0, KEEPALIVE: 0, 'ROUTE-REFRESH': 0, other: 1 });
    expect(s.errors).toEqual([{ frame: 7, msg_type: 'MSG_9', code: 'bad_type' }]);
    expect(s.events).toEqual(['8:gap']);
    expect(s.badLines).toBe(1);
  });
  it('collects unicast prefixes only', () => {
    expect([...s.announced]).toEqual(['10.1.0.0/16']);
    expect([...s.withdrawn].sort()).toEqual(['10.8.0.0/16', '192.0.2.0/24', '2001:db8:5::/48', '2001:db8::/48']);
  });
});

describe('diffSummaries', () => {
  it('lists count and set differences as stable lines', () => {
    const a = { counts: emptyCounts(), announced: new Set(['10.0.0.0/8', '10.1.0.0/16']), withdrawn: new Set<string>() };
    const b = { counts: emptyCounts(), announced: new Set(['10.0.0.0/8']), withdrawn: new Set(['2001:db8::/32']) };
    a.counts.UPDATE = 3;
    b.counts.UPDATE = 4;
    expect(diffSummaries(a, b)).toEqual([
      'UPDATE: tshark 3, bgpcap 4',
      'announced only in tshark (1): 10.1.0.0/16',
      'withdrawn only in bgpcap (1): 2001:db8::/32',
    ]);
    expect(diffSummaries(a, a)).toEqual([]);
  });
  it('abbreviates long lists', () => {
    const many = new Set(Array.from({ length: 9 }, (_, i) => `10.${i}.0.0/16`));
    const a = { counts: emptyCounts(), announced: many, withdrawn: new Set<string>() };
    const b = { counts: emptyCounts(), announced: new Set<string>(), withdrawn: new Set<string>() };
    expect(diffSummaries(a, b)).toEqual([
      'announced only in tshark (9): 10.0.0.0/16 10.1.0.0/16 10.2.0.0/16 10.3.0.0/16 10.4.0.0/16 10.5.0.0/16 +3 more',
    ]);
  });
});

describe('crashSigns', () => {
  const ok = { status: 1, signal: null, stdout: '', stderr: 'bgpcap: malformed input\n', ms: 20 };
  it('accepts exit 0/1 with a plain message', () => {
    expect(crashSigns(ok)).toEqual([]);
    expect(crashSigns({ ...ok, status: 0 })).toEqual([]);
  });
  it('flags crash exit codes, stack traces, JS error names and timeouts', () => {
    expect(crashSigns({ ...ok, status: 134 })).toEqual(['exit status 134']);
    expect(
      crashSigns({ ...ok, stderr: 'TypeError: x is undefined\n    at decode (file:///dist/bgp/update.js:10:5)\n' }),
    ).toEqual(['stack trace on stderr: at decode (file:///dist/bgp/update.js:10:5)', 'TypeError on stderr']);
    expect(crashSigns({ ...ok, status: null, signal: 'SIGKILL', ms: 10_050 })).toEqual([
      'killed by SIGKILL (timeout)',
      'took 10050 ms',
    ]);
  });
});

// ---- field-level comparison (diffFields and the two reducers), on hand-written input

const BGP_HEAD = (type: number, len: number, marker = 'ff'.repeat(16)) =>
  `<field name="bgp.marker" show="" value="${marker}" size="16" pos="0"/>` +
  `<field name="bgp.length" show="${len}" value="" size="2" pos="16"/>` +
  `<field name="bgp.type" show="${type}" value="" size="1" pos="18"/>`;

/** One frame holding an UPDATE (RFC 4271 attributes, AS4_PATH, VPNv4 and VPN-IPv6 routes), an OPEN and a
 * NOTIFICATION followed by a malformed mark, shaped like tshark 4.0 PDML. */
const FIELDS_PDML = `<pdml>
<packet>
  <proto name="frame"><field name="frame.number" show="3" size="0" pos="0"/></proto>
  <proto name="bgp" size="200" pos="0">
    ${BGP_HEAD(2, 200)}
    <field name="bgp.update.withdrawn_routes" show="" value="" size="4" pos="21">
      <field name="" show="10.9.0.0/16" size="3" pos="21" value="100a09">
        <field name="bgp.prefix_length" show="16" value="10" size="1" pos="21"/>
        <field name="bgp.withdrawn_prefix" show="10.9.0.0" value="0a09" size="2" pos="22"/>
      </field>
    </field>
    <field name="bgp.update.path_attributes" show="" value="" size="150" pos="25">
      <field name="bgp.update.path_attribute" show="" value="" size="4" pos="25">
        <field name="bgp.update.path_attribute.type_code" show="1" value="01" size="1" pos="26"/>
        <field name="bgp.update.path_attribute.origin" show="2" value="02" size="1" pos="28"/>
      </field>
      <field name="bgp.update.path_attribute" show="" value="" size="15" pos="29">
        <field name="bgp.update.path_attribute.type_code" show="2" value="02" size="1" pos="30"/>
        <field name="bgp.update.path_attribute.as_path_segment" show="" value="" size="12" pos="32">
          <field name="bgp.update.path_attribute.as_path_segment.type" show="2" value="02" size="1" pos="32"/>
          <field name="bgp.update.path_attribute.as_path_segment.as2" show="200" value="00c8" size="2" pos="34"/>
          <field name="bgp.update.path_attribute.as_path_segment.as2" show="23456" value="5ba0" size="2" pos="36"/>
          <field name="bgp.update.path_attribute.as_path_segment.as2" show="23456" value="5ba0" size="2" pos="38"/>
        </field>
        <field name="bgp.update.path_attribute.as_path_segment" show="" value="" size="4" pos="40">
          <field name="bgp.update.path_attribute.as_path_segment.type" show="1" value="01" size="1" pos="40"/>
          <field name="bgp.update.path_attribute.as_path_segment.as2" show="7" value="0007" size="2" pos="42"/>
        </field>
      </field>
      <field name="bgp.update.path_attribute" show="" value="" size="7" pos="44">
        <field name="bgp.update.path_attribute.type_code" show="3" value="03" size="1" pos="45"/>
        <field name="bgp.update.path_attribute.next_hop" show="192.0.2.1" value="c0000201" size="4" pos="47"/>
      </field>
      <field name="bgp.update.path_attribute" show="" value="" size="11" pos="51">
        <field name="bgp.update.path_attribute.type_code" show="17" value="11" size="1" pos="52"/>
        <field name="bgp.update.path_attribute.as_path_segment" show="" value="" size="10" pos="54">
          <field name="bgp.update.path_attribute.as_path_segment.type" show="2" value="02" size="1" pos="54"/>
          <field name="bgp.update.path_attribute.as_path_segment.as4" show="4200000001" value="fa56ea01" size="4" pos="56"/>
          <field name="bgp.update.path_attribute.as_path_segment.as4" show="4200000002" value="fa56ea02" size="4" pos="60"/>
        </field>
      </field>
      <field name="bgp.update.path_attribute" show="" value="" size="11" pos="64">
        <field name="bgp.update.path_attribute.type_code" show="8" value="08" size="1" pos="65"/>
        <field name="bgp.update.path_attribute.community" show="" value="" size="4" pos="67">
          <field name="bgp.update.path_attribute.community_as" show="65001" value="fde9" size="2" pos="67"/>
          <field name="bgp.update.path_attribute.community_value" show="100" value="0064" size="2" pos="69"/>
        </field>
        <field name="bgp.update.path_attribute.community" show="" value="" size="4" pos="71">
          <field name="bgp.update.path_attribute.community_wellknown" show="4294967041" value="ffffff01" size="4" pos="71"/>
        </field>
      </field>
      <field name="bgp.update.path_attribute" show="" value="" size="19" pos="75">
        <field name="bgp.update.path_attribute.type_code" show="16" value="10" size="1" pos="76"/>
        <field name="bgp.ext_community" show="" value="" size="8" pos="78">
          <field name="bgp.ext_com.type" show="0x00" value="00" size="1" pos="78">
            <field name="bgp.ext_com.type.tran" show="0" value="0" unmaskedvalue="00" size="1" pos="78"/>
          </field>
          <field name="bgp.ext_com.stype_tr_as2" show="0x02" value="02" size="1" pos="79"/>
          <field name="bgp.ext_com.value_as2" show="65001" value="fde9" size="2" pos="80"/>
          <field name="bgp.ext_com.value_an4" show="100" value="00000064" size="4" pos="82"/>
        </field>
        <field name="bgp.ext_community" show="" value="" size="8" pos="86">
          <field name="bgp.ext_com.type" show="0x43" value="43" size="1" pos="86"/>
          <field name="bgp.ext_com.stype_unknown" show="0x00" value="00" size="1" pos="87"/>
        </field>
      </field>
      <field name="bgp.update.path_attribute" show="" value="" size="60" pos="94">
        <field name="bgp.update.path_attribute.type_code" show="14" value="0e" size="1" pos="95"/>
        <field name="bgp.update.path_attribute.mp_reach_nlri.afi" show="1" value="0001" size="2" pos="97"/>
        <field name="bgp.update.path_attribute.mp_reach_nlri.safi" show="128" value="80" size="1" pos="99"/>
        <field name="bgp.update.path_attribute.mp_reach_nlri.next_hop" show="" value="" size="13" pos="100">
          <field name="bgp.update.path_attribute.mp_reach_nlri.next_hop.rd" show="0:0" value="0000000000000000" size="8" pos="101"/>
          <field name="bgp.update.path_attribute.mp_reach_nlri.next_hop.ipv4" show="10.0.0.1" value="0a000001" size="4" pos="109"/>
        </field>
        <field name="bgp.update.path_attribute.mp_reach_nlri" show="" value="" size="15" pos="114">
          <field name="" show="BGP Prefix" size="15" pos="114" value="">
            <field name="bgp.prefix_length" show="116" value="74" size="1" pos="114"/>
            <field name="bgp.label_stack" show="100 (bottom)" value="000641" size="3" pos="115"/>
            <field name="bgp.rd" show="65001:1" value="0000fde900000001" size="8" pos="118"/>
            <field name="bgp.mp_reach_nlri_ipv4_prefix" show="10.0.0.17" value="0a000011" size="4" pos="126"/>
          </field>
        </field>
      </field>
      <field name="bgp.update.path_attribute" show="" value="" size="40" pos="130">
        <field name="bgp.update.path_attribute.type_code" show="15" value="0f" size="1" pos="131"/>
        <field name="bgp.update.path_attribute.mp_unreach_nlri.afi" show="2" value="0002" size="2" pos="133"/>
        <field name="bgp.update.path_attribute.mp_unreach_nlri.safi" show="128" value="80" size="1" pos="135"/>
        <field name="bgp.update.path_attribute.mp_unreach_nlri" show="" value="" size="40" pos="136">
          <field name="bgp.label_stack" showname="Label Stack=16 (bottom) RD=65000:7, IPv6=2001:db8:1::/48" show="16 (bottom)" value="" size="20" pos="136"/>
          <field name="bgp.label_stack" showname="21 (bottom)" show="Label Stack=%s RD=%u.%u:%u, IPv6=%s/%u" value="d80001510002fdec005e06b820014d98bffd0000000000000000a00d" size="28" pos="156"/>
        </field>
      </field>
    </field>
  </proto>
  <proto name="bgp" size="29" pos="200">
    ${BGP_HEAD(1, 29)}
    <field name="bgp.cap.type" show="1" value="01" size="1" pos="229"/>
    <field name="bgp.cap.type" show="65" value="41" size="1" pos="235"/>
  </proto>
  <proto name="bgp" size="21" pos="229">
    ${BGP_HEAD(3, 21)}
    <field name="bgp.notify.major_error" show="6" value="06" size="1" pos="248"/>
    <field name="bgp.notify.minor_error_cease" show="9" value="09" size="1" pos="249"/>
  </proto>
  <proto name="_ws.malformed" size="0" pos="250"/>
  <proto name="bgp" size="19" pos="250">
    ${BGP_HEAD(4, 19, 'ff'.repeat(8) + '7f' + 'ff'.repeat(7))}
  </proto>
</packet>
</pdml>`;

/** bgpcap's JSON lines for the same messages, as src/sink/jsonl.ts writes them (keys trimmed to what is read). */
const FIELDS_JSONL = [
  {
    frame: 3,
    msg_type: 'UPDATE',
    length: 200,
    withdrawal_families: [
      { prefixes: ['10.9.0.0/16'], afi: 1, safi: 1 },
      { prefixes: ['2001:db8:1::/48', '2001:4d98:bffd::a00d/128'], route_distinguishers: ['65000:7', '4260102238:1720'], labels: [[16], [21]], afi: 2, safi: 128 },
    ],
    announcements: [{ next_hop: '10.0.0.1', next_hop_ll: null, prefixes: ['10.0.0.16/28'], route_distinguishers: ['65001:1'], labels: [[100]], afi: 1, safi: 128 }],
    as_path: [200, 23456, 4200000001, 4200000002],
    origin: 'INCOMPLETE',
    next_hop: '192.0.2.1',
    med: null,
    local_pref: null,
    communities: ['65001:100', '65535:65281'],
    large_communities: null,
    ext_communities: ['rt:65001:100', 'ovs:invalid'],
    warnings: [],
  },
  { frame: 3, msg_type: 'OPEN', length: 29, open: { capabilities: [{ code: 1 }, { code: 65 }] } },
  {
    frame: 3,
    msg_type: 'NOTIFICATION',
    length: 21,
    notification: { code: 6, subcode: 9 },
    error: { code: 'hard_reset_data', message: 'x', offset: 21 },
  },
];

describe('field comparison', () => {
  const t = parsePdmlFields(FIELDS_PDML);
  const b = FIELDS_JSONL.map((r) => jsonlMessageFields(r)!);

  it('reduces tshark UPDATE fields: entries (labels and RD off the length, host bits cleared), AS4_PATH merged, next hops', () => {
    const u = t[0]!;
    expect([u.frame, u.type, u.length, u.badMarker, u.flagged]).toEqual([3, 2, 200, false, false]);
    expect(u.entries).toEqual([
      'A 1:128 10.0.0.16/28 rd 65001:1 [100]', // 116 - 24 - 64 = 28 bits; 10.0.0.17 masked
      'W 1:1 10.9.0.0/16',
      'W 2:128 2001:db8:1::/48 rd 65000:7 [16]',
      'W 2:128 ? [21]', // format-string entry, RD type 2 in its octets: labels only
    ]);
    // RFC 6793 §4.2.3: AS_PATH counts 3 + 1 (the set), AS4_PATH 2 → keep the first 2 of AS_PATH, then AS4_PATH
    expect(u.f).toMatchObject({
      as_path: '200 23456 4200000001 4200000002',
      origin: 'INCOMPLETE',
      next_hop: '1:128 10.0.0.1 null, NEXT_HOP 192.0.2.1',
      communities: '65001:100 65535:65281',
      ext_communities: '0002fde900000064 4300............',
      med: null,
    });
  });

  it('merges AS4_PATH per RFC 6793 §4.2.3 and leaves it out when it is longer', () => {
    const seq = (...asns: number[]) => ({ type: 2, asns });
    expect(asPathText(mergeAs4Path([seq(1, 23456, 23456)], [seq(70000, 80000)]))).toBe('1 70000 80000');
    expect(asPathText(mergeAs4Path([seq(1, 23456), { type: 1, asns: [5, 6] }], [seq(70000, 80000)]))).toBe('1 70000 80000');
    expect(asPathText(mergeAs4Path([seq(23456)], [seq(70000, 80000)]))).toBe('23456');
    expect(asPathText([seq(1, 2), { type: 3, asns: [9] }, { type: 4, asns: [3, 4] }])).toBe('1 2 9 {3,4}');
  });

  it('reduces the other message types and marks malformed and bad-marker messages', () => {
    expect(t.slice(1).map((m) => [m.type, m.f, m.flagged, m.badMarker])).toEqual([
      [1, { capabilities: '1 65' }, false, false],
      [3, { notification: '6/9' }, true, false], // the [Malformed Packet] right after it
      [4, {}, false, true],
    ]);
  });

  it('reduces bgpcap records the same way, extended communities back to octets', () => {
    expect(b[0]!.entries).toEqual([
      'A 1:128 10.0.0.16/28 rd 65001:1 [100]',
      'W 1:1 10.9.0.0/16',
      'W 2:128 2001:4d98:bffd::a00d/128 rd 4260102238:1720 [21]',
      'W 2:128 2001:db8:1::/48 rd 65000:7 [16]',
    ]);
    expect(b[0]!.f.ext_communities).toBe('0002fde900000064 4300000000000002'); // RFC 8097 §2: state 2 = invalid
    expect(b[0]!.f.as_path).toBe('200 23456 4200000001 4200000002');
    expect(jsonlMessageFields({ frame: 1, msg_type: 'UPDATE', length: 30, as_path: [1, [2, 3]], announcements: [] })!.f.as_path).toBe('1 {2,3}');
    expect(b[2]).toMatchObject({ error: 'hard_reset_data', decoded: true, flagged: true, f: { notification: '6/9' } });
    expect(labelsOnly('W 2:128 2001:db8::/32#4 rd 1:2 [16,17]')).toBe('W 2:128 ?#4 [16,17]');
  });

  it('lists what differs, pairs by frame, type and length, and counts what it compared', () => {
    const tally: Record<string, number> = {};
    // the VPN-IPv6 entry tshark shows by its labels only pairs with bgpcap's entry of the same labels
    expect(diffFields(t, b, tally)).toEqual(['tshark dissected 1 message whose marker is not all ones (first: frame 3), not paired']);
    expect(tally).toMatchObject({ 'paired UPDATE': 1, 'paired OPEN': 1, 'paired NOTIFICATION': 1, 'entries 2:128': 2, capabilities: 1 });
  });

  it('reports errors tshark does not see, malformed marks bgpcap does not report, unpaired messages', () => {
    const clean = { ...b[2]!, error: null, flagged: false };
    expect(diffFields(t.slice(1, 3), [b[1]!, clean])).toEqual([
      'tshark marks 1 message malformed that bgpcap decoded without error or warning: NOTIFICATION×1 (first frame 3)',
    ]);
    const unmarked = { ...t[2]!, flagged: false };
    expect(diffFields([unmarked], [b[2]!])).toEqual([
      'error in bgpcap on 1 message tshark dissected without a malformed mark: NOTIFICATION hard_reset_data×1',
    ]);
    expect(diffFields([t[1]!], [{ ...b[1]!, frame: 4 }])).toEqual(['unpaired OPEN: tshark 1, bgpcap 1 (first: tshark frame 3, bgpcap frame 4)']);
    // an extended community differing where tshark knows the octets is a difference, an AS path too
    const other = { ...b[0]!, f: { ...b[0]!.f, as_path: '200 4200000001 4200000002', ext_communities: '0002fde900000065 4300000000000002' } };
    expect(diffFields([t[0]!], [other])).toEqual([
      'as_path: differs in 1 UPDATE message, first frame 3: tshark "200 23456 4200000001 4200000002" bgpcap "200 4200000001 4200000002"',
      'ext_communities: differs in 1 UPDATE message, first frame 3: tshark "0002fde900000064 4300............" bgpcap "0002fde900000065 4300000000000002"',
    ]);
    // entries: a missing withdrawal and a different label
    const fewer = { ...b[0]!, entries: b[0]!.entries.filter((e) => !e.startsWith('W 1:1')).map((e) => e.replace('[100]', '[101]')) };
    expect(diffFields([t[0]!], [fewer])).toEqual([
      'prefixes: differs in 1 UPDATE message, first frame 3: only tshark [A 1:128 10.0.0.16/28 rd 65001:1 [100]; W 1:1 10.9.0.0/16] only bgpcap [A 1:128 10.0.0.16/28 rd 65001:1 [101]]',
    ]);
  });
});
