// Differential test of the path attributes beyond RFC 4271 against tshark 4.0 (an independent decoder) on the
// real captures of ../shared/corpus that carry them. For each attribute tshark dissects, the value bgpcap
// decoded must match tshark's fields; expected texts are built here from tshark's fields (not from bgpcap).
//
// Where the two disagree or tshark is silent, the reason is written next to the case:
//  - ONLY_TO_CUSTOMER (35): tshark 4.0 does not know it ("Unknown (35)"); its raw value is compared, and the
//    semantics checked: RFC 9234 §5 has the sender add its own ASN, the first AS of the path.
//  - ATTR_SET in tests__bgp_vpn_attrset.pcap: tshark and tcpdump read the inner AS_PATH as 2-octet ASNs
//    (5555) and so does bgpcap, but RFC 6368 §5 requires 4-octet ASNs inside ATTR_SET, so bgpcap also warns
//    (attr_set_as2, treat-as-withdraw): the sender is wrong, not either decoder.
//  - Extended communities tshark names but bgpcap writes as ext:0xTTSS:hex (or the reverse) are checked to be
//    lossless instead: bgpcap's text parsed back by bench/lib/attrs.ts gives the wire bytes.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeMessage } from '../../src/bgp/decode.js';
import { BgpSession } from '../../src/bgp/session.js';
import type { OpenMessage, UpdateMessage } from '../../src/bgp/model.js';
import { extCommunity, hexOf } from '../../bench/lib/attrs.js';
import { find, findAll, hasTshark, tsharkMessages, type PdmlNode } from './tshark.js';

const CORPUS = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));
const haveCorpus = existsSync(CORPUS);

const FILES = [
  'DanieleDeSensi_peafowl/test__pcaps__bgp.pcap',
  'the-tcpdump-group_tcpdump/tests__bgp-aigp.pcap',
  'the-tcpdump-group_tcpdump/tests__bgp-aigp-2.pcap',
  'the-tcpdump-group_tcpdump/tests__bgp-link-bw-extcommunity.pcapng',
  'the-tcpdump-group_tcpdump/tests__bgp-ovs.pcapng',
  'the-tcpdump-group_tcpdump/tests__bgp-encap.pcap',
  'the-tcpdump-group_tcpdump/tests__bgp-role.pcapng',
  'the-tcpdump-group_tcpdump/tests__bgp_vpn_attrset.pcap',
  'the-tcpdump-group_tcpdump/tests__tok2str-oobr-1.pcap',
  'the-tcpdump-group_tcpdump/tests__bgp-bgpsec.pcap',
  'ntop_nDPI/tests__cfgs__default__pcap__BGP_redist.pcap',
  'network-analytics_pmacct-test-automation/tests__300-BGP-IPv6-CISCO-extNH_enc__traffic-00.pcap',
  'network-analytics_pmacct-test-automation/tests__301-BGP-CISCO-pretag__traffic-00.pcap',
  'network-analytics_pmacct-test-automation/tests__302-BGP-IPv6-multiple-sources__traffic-01.pcap',
  'network-analytics_pmacct-test-automation/tests__500-IPFIXv10-BGP-CISCO-SRv6__traffic-00.pcap',
  'network-analytics_pmacct-test-automation/tests__502-IPFIXv10-BGP-IPv6-CISCO-SRv6-lcomms__traffic-00.pcap',
  'network-analytics_traffic-reproducer/examples__pcap_processing__ipfix-bgp.pcap',
];

const show = (n: PdmlNode, name: string): string | undefined => find(n, name)?.show;
const num = (n: PdmlNode, name: string): number | undefined => {
  const s = show(n, name);
  return s === undefined ? undefined : Number(s);
};

/** The path attribute nodes directly under a "Path attributes" node (nested ATTR_SET ones excluded). */
function childAttributes(container: PdmlNode | undefined): PdmlNode[] {
  return container ? container.children.filter((c) => c.name === 'bgp.update.path_attribute') : [];
}

/** bgpcap's text for one extended community, from tshark's fields; undefined where this test has no mapping. */
function expectedExtCommunity(c: PdmlNode): string | undefined {
  const type = Number(show(c, 'bgp.ext_com.type'));
  const stypeNode = c.children.find((x) => x.name.startsWith('bgp.ext_com.stype_'));
  const sub = stypeNode ? Number(stypeNode.show) : -1;
  const as2 = show(c, 'bgp.ext_com.value_as2');
  const as4 = num(c, 'bgp.ext_com.value_as4');
  const ip4 = show(c, 'bgp.ext_com.value_IP4');
  const an2 = show(c, 'bgp.ext_com.value_an2');
  const an4 = show(c, 'bgp.ext_com.value_an4');
  const words: Record<number, string> = { 0x02: 'rt', 0x03: 'soo', 0x05: 'ospf-domain-id', 0x08: 'data-collection', 0x09: 'source-as', 0x0a: 'l2vpn-id', 0x0b: 'vrf-import' };
  if (type === 0x00 && words[sub] && as2 !== undefined && an4 !== undefined) return `${words[sub]}:${as2}:${an4}`;
  if (type === 0x01 && words[sub] && ip4 !== undefined && an2 !== undefined) return `${words[sub]}:${ip4}:${an2}`;
  if (type === 0x02 && words[sub] && as4 !== undefined && an2 !== undefined) return `${words[sub]}:${as4 > 0xffff ? as4 : `${as4}L`}:${an2}`;
  if (type === 0x40 && sub === 0x04) return `link-bandwidth:${as2}:${show(c, 'bgp.ext_com.value_link_bw')}`;
  if (type === 0x43 && sub === 0x00) {
    // RFC 8097 §2: the last octet of the value is the state (tshark shows the raw value)
    const state = Number(BigInt(show(c, 'bgp.ext_com.value_raw')!) & 0xffn);
    return `ovs:${['valid', 'not-found', 'invalid'][state]}`;
  }
  if (type === 0x03 && sub === 0x0c) {
    const tt = num(c, 'bgp.ext_com.tunnel_type')!;
    return `encap:${{ 8: 'VXLAN', 9: 'NVGRE', 10: 'MPLS', 11: 'MPLS_IN_GRE', 13: 'MPLS_IN_UDP', 19: 'GENEVE' }[tt] ?? tt}`;
  }
  if (type === 0x80 && sub === 0x00) {
    const opt = Number(show(c, 'bgp.ext_com.value_ospf_rtype.options'));
    return `ospf-route-type-exp:${show(c, 'bgp.ext_com.value_ospf_rtype.area')}:${show(c, 'bgp.ext_com.value_ospf_rtype.type')}:${opt}`;
  }
  return undefined;
}

interface Tally {
  [what: string]: number;
}

/** Compare the attributes tshark shows in `attrNodes` with the decoded `m`. */
function compareAttributes(attrNodes: PdmlNode[], m: UpdateMessage, bytes: Uint8Array, msgPos: number, where: string, tally: Tally): void {
  for (const a of attrNodes) {
    const code = num(a, 'bgp.update.path_attribute.type_code');
    const start = a.pos - msgPos;
    const flags = bytes[start]!;
    const value = bytes.subarray(start + (flags & 0x10 ? 4 : 3), start + a.size);
    const count = (k: string) => (tally[k] = (tally[k] ?? 0) + 1);
    switch (code) {
      case 9:
        expect(m.originator_id, where).toBe(show(a, 'bgp.update.path_attribute.originator_id'));
        count('ORIGINATOR_ID');
        break;
      case 10:
        expect(m.cluster_list, where).toEqual(findAll(a, 'bgp.path_attribute.cluster_id').map((n) => n.show));
        count('CLUSTER_LIST');
        break;
      case 16: {
        const nodes = findAll(a, 'bgp.ext_community');
        expect(m.ext_communities?.length, where).toBe(nodes.length);
        nodes.forEach((c, i) => {
          const ours = m.ext_communities![i]!;
          const want = expectedExtCommunity(c);
          const wire = bytes.subarray(c.pos - msgPos, c.pos - msgPos + 8);
          if (want !== undefined) {
            expect(ours, `${where} ${c.showname}`).toBe(want);
            count('EXT_COMM (tshark fields)');
          } else {
            expect(hexOf(extCommunity(ours)), `${where} ${c.showname}: ${ours}`).toBe(hexOf(wire));
            count('EXT_COMM (lossless)');
          }
        });
        break;
      }
      case 22: {
        const t = m.pmsi_tunnel!;
        expect(t.flags, where).toBe(Number(show(a, 'bgp.update.path_attribute.pmsi.tunnel.flags')));
        expect(t.tunnel_type, where).toBe(num(a, 'bgp.update.path_attribute.pmsi.tunnel.type'));
        if (t.tunnel_type === 1) {
          const id = `${show(a, 'bgp.update.path_attribute.pmsi.rsvp.id')}:${show(a, 'bgp.update.path_attribute.pmsi.rsvp.tunnel_id')}:${show(a, 'bgp.update.path_attribute.pmsi.rsvp.ext_tunnel_idv4')}`;
          expect(t.tunnel_id, where).toBe(id);
        }
        count('PMSI_TUNNEL');
        break;
      }
      case 26:
        expect(String(m.aigp), where).toBe(show(a, 'bgp.update.attribute.aigp.accu_igp_metric'));
        count('AIGP');
        break;
      case 33: {
        // tshark decodes the Secure_Path; bgpcap keeps the value as hex: read the segments back from it.
        const ours = Buffer.from(m.bgpsec_path!, 'hex');
        expect(hexOf(ours), where).toBe(hexOf(value));
        const asns = findAll(a, 'bgp.update.path_attribute.bgpsec.sps.as').map((n) => Number(n.show));
        const fromHex: number[] = [];
        for (let p = 2; p < ours.readUInt16BE(0); p += 6) fromHex.push(ours.readUInt32BE(p + 2));
        expect(fromHex, where).toEqual(asns);
        count('BGPSEC_PATH');
        break;
      }
      case 35: {
        // tshark 4.0: "Unknown (35)". RFC 9234 §5: the value is one 4-octet ASN, added by the sender (AS_PATH[0]).
        expect(m.otc, where).toBe(Buffer.from(value).readUInt32BE(0));
        expect(m.otc, where).toBe(m.as_path?.[0]);
        count('OTC');
        break;
      }
      case 40: {
        const p = m.prefix_sid!;
        const li = find(a, 'bgp.prefix_sid.label_index.value');
        expect(p.label_index, where).toBe(li === undefined ? null : Number(li.show));
        const bases = findAll(a, 'bgp.prefix_sid.originator_srgb_base').map((n) => Number(n.show));
        const ranges = findAll(a, 'bgp.prefix_sid.originator_srgb_range').map((n) => Number(n.show));
        expect(p.srgb ?? [], where).toEqual(bases.map((b, i) => [b, ranges[i]]));
        const l3 = find(a, 'bgp.prefix_sid.srv6_l3vpn');
        if (l3) {
          expect(p.srv6_l3_service?.map((s) => s.sid), where).toEqual(findAll(l3, 'bgp.prefix_sid.srv6_l3vpn.sid_value').map((n) => n.show));
          expect(p.srv6_l3_service?.map((s) => s.behavior), where).toEqual(findAll(l3, 'bgp.prefix_sid.srv6_l3vpn.srv6_endpoint_behavior').map((n) => Number(n.show)));
          const st = p.srv6_l3_service![0]!.structure!;
          expect([st.lb, st.ln, st.fun, st.arg, st.tpos_len, st.tpos_offset], where).toEqual(
            ['locator_block_len', 'locator_node_len', 'func_len', 'arg_len', 'trans_len', 'trans_offset'].map((f) => num(l3, `bgp.prefix_sid.srv6_l3vpn.sid.${f}`)),
          );
        } else expect(p.srv6_l3_service, where).toBeNull();
        count('PREFIX_SID');
        break;
      }
      case 128: {
        const set = m.attr_set!;
        expect(set.origin_as, where).toBe(num(a, 'bgp.update.path_attribute.attr_set.origin_as'));
        const nested = childAttributes(a.children.find((c) => c.name === 'bgp.update.path_attributes'));
        expect(set.attributes.attr_codes, where).toEqual(nested.map((n) => num(n, 'bgp.update.path_attribute.type_code')));
        compareAttributes(nested, set.attributes, bytes, msgPos, `${where} ATTR_SET`, tally);
        count('ATTR_SET');
        break;
      }
      case 2:
        if (where.endsWith('ATTR_SET')) {
          const asns = findAll(a, 'bgp.update.path_attribute.as_path_segment.as2').concat(findAll(a, 'bgp.update.path_attribute.as_path_segment.as4'));
          expect(m.as_path, where).toEqual(asns.map((n) => Number(n.show)));
        }
        break;
      case 5:
        expect(m.local_pref, where).toBe(num(a, 'bgp.update.path_attribute.local_pref'));
        break;
    }
  }
}

function flowPair(flow: string): { key: string; fromA: boolean } {
  const [src, dst] = flow.split('>') as [string, string];
  return src < dst ? { key: `${src}|${dst}`, fromA: true } : { key: `${dst}|${src}`, fromA: false };
}

describe.skipIf(!haveCorpus || !hasTshark())('path attributes vs tshark on real captures', () => {
  const tally: Tally = {};
  for (const file of FILES) {
    it(file, () => {
      if (!existsSync(CORPUS + file)) return;
      const sessions = new Map<string, BgpSession>();
      for (const tm of tsharkMessages(CORPUS + file)) {
        const { key, fromA } = flowPair(tm.flow);
        let sess = sessions.get(key);
        if (!sess) sessions.set(key, (sess = new BgpSession()));
        const res = decodeMessage(tm.bytes, sess.paramsFor(fromA));
        if (res.msg?.kind === 'open') sess.setOpen(fromA, res.msg as OpenMessage);
        if (res.msg?.kind !== 'update') continue;
        const attrs = childAttributes(find(tm.node, 'bgp.update.path_attributes'));
        compareAttributes(attrs, res.msg, tm.bytes, tm.node.pos, `frame ${tm.frame}`, tally);
      }
    });
  }

  it('compared every kind of attribute', () => {
    for (const k of ['ORIGINATOR_ID', 'CLUSTER_LIST', 'EXT_COMM (tshark fields)', 'EXT_COMM (lossless)', 'PMSI_TUNNEL', 'AIGP', 'BGPSEC_PATH', 'OTC', 'PREFIX_SID', 'ATTR_SET']) {
      expect(tally[k] ?? 0, k).toBeGreaterThan(0);
    }
    expect(tally['EXT_COMM (tshark fields)']).toBeGreaterThan(100);
  });
});
