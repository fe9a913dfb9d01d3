// Unit tests of the differential-test machinery itself (test/corpus/tshark.ts), on hand-written input, so a
// bug in the comparison cannot hide a bgpcap bug. Needs neither tshark nor the CLI.

import { describe, expect, it } from 'vitest';
import { crashSigns, diffSummaries, emptyCounts, normalisePrefix, parseJsonl, parsePdml } from './tshark.js';

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
