// Differential test: decode real captured BGP messages and compare field by field with tshark's dissection
// of the same bytes (tshark 4.0, an independent decoder). Only messages that sit whole in one TCP segment
// are used (see tshark.ts). Session parameters come from the OPENs of the same capture when it has them
// (as the pipeline does); otherwise the decoder infers, which this test therefore also checks.

import { existsSync, readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeMessage } from '../../src/bgp/decode.js';
import { BgpSession } from '../../src/bgp/session.js';
import type { DecodedMessage, OpenMessage, SessionParams } from '../../src/bgp/model.js';
import { find, findAll, hasTshark, tsharkMessages, type PdmlNode, type TsharkMessage } from './tshark.js';

const CORPUS = fileURLToPath(new URL('../../../shared/corpus/', import.meta.url));
const haveCorpus = existsSync(CORPUS);

/** Families whose prefixes bgpcap decodes today; others are listed without prefixes (a later issue). */
const DECODED_FAMILIES = new Set(['1:1', '1:2', '2:1', '2:2']);

const FILES: { file: string; why: string }[] = [
  { file: 'the-tcpdump-group_tcpdump/tests__bgp-4byte-asn.pcap', why: '4-octet ASNs, AS4_PATH on 2-octet sessions' },
  { file: 'the-tcpdump-group_tcpdump/tests__bgp-addpath.pcap', why: 'ADD-PATH path ids in NLRI, MP_REACH v4+v6' },
  { file: 'the-tcpdump-group_tcpdump/tests__bgp-large-community.pcap', why: 'large communities' },
  { file: 'the-tcpdump-group_tcpdump/tests__mpbgp-linklocal-nexthop.pcap', why: 'IPv6 MP_REACH, link-local next hop' },
  { file: 'the-tcpdump-group_tcpdump/tests__bgp-shutdown-communication.pcapng', why: 'RFC 8203 shutdown communication' },
  { file: 'the-tcpdump-group_tcpdump/tests__bgp-extended-shutdown-msg.pcapng', why: 'RFC 9003 long shutdown communication' },
  { file: 'the-tcpdump-group_tcpdump/tests__bgp-enhanced-route-refresh-subtype.pcapng', why: 'ROUTE-REFRESH subtypes 0,1,2' },
  { file: 'the-tcpdump-group_tcpdump/tests__bgp-role.pcapng', why: 'BGP role, large communities, many capabilities' },
  { file: 'ddddddO_packemon/cmd__debugging__bgp__bgp.pcap', why: 'FRR OPENs: ADD-PATH, FQDN, LLGR capabilities' },
  { file: 'ddddddO_packemon/cmd__debugging__bgp__pcap__succeeded_bgp.pcap', why: 'NOTIFICATION' },
  { file: 'DanieleDeSensi_peafowl/test__pcaps__bgp.pcap', why: 'AS_SET, AGGREGATOR, communities, 2-octet OPENs' },
  { file: 'ntop_nDPI/tests__cfgs__default__pcap__BGP_Cisco_hdlc_slarp.pcap', why: 'Cisco over PPP, ROUTE-REFRESH' },
  { file: 'the-tcpdump-group_tcpdump/tests__bgp-lu-multiple-labels.pcap', why: 'IPv4 unicast next to labeled unicast' },
];

const num = (n: PdmlNode | undefined): number | null => (n === undefined ? null : Number(n.show));

/** "10.0.0.0/8 PathId 7 " → "10.0.0.0/8#7" */
function prefixItem(show: string): string {
  const m = /^(\S+)(?: PathId (\d+))?/.exec(show.trim());
  return m ? (m[2] !== undefined ? `${m[1]}#${m[2]}` : m[1]!) : show;
}
const prefixItems = (container: PdmlNode | undefined): string[] =>
  container ? container.children.filter((c) => c.name === '' && c.show.includes('/')).map((c) => prefixItem(c.show)) : [];

interface Summary {
  [k: string]: unknown;
}

function attrsOf(node: PdmlNode): PdmlNode[] {
  const pa = find(node, 'bgp.update.path_attributes');
  return pa ? pa.children.filter((c) => c.name === 'bgp.update.path_attribute') : [];
}

function tsharkSummary(node: PdmlNode): Summary {
  const type = num(find(node, 'bgp.type'))!;
  const s: Summary = { type };
  if (type === 1) {
    s.my_as = num(find(node, 'bgp.open.myas'));
    s.hold_time = num(find(node, 'bgp.open.holdtime'));
    s.bgp_id = find(node, 'bgp.open.identifier')?.show;
    s.cap_codes = findAll(node, 'bgp.cap.type').map((n) => Number(n.show));
    const as4 = find(node, 'bgp.cap.4as');
    s.asn = as4 ? Number(as4.show) : s.my_as;
    const afis = findAll(node, 'bgp.cap.ap.afi');
    const safis = findAll(node, 'bgp.cap.ap.safi');
    const srs = findAll(node, 'bgp.cap.ap.sendreceive');
    s.add_path = afis.map((a, i) => `${a.show}:${safis[i]!.show}:${srs[i]!.show}`);
    s.mp = findAll(node, 'bgp.cap.mp.afi').map((a, i) => `${a.show}:${findAll(node, 'bgp.cap.mp.safi')[i]!.show}`);
  } else if (type === 2) {
    const withdrawn = prefixItems(find(node, 'bgp.update.withdrawn_routes')).map((p) => `1:1 ${p}`);
    const announced = prefixItems(find(node, 'bgp.update.nlri')).map((p) => `1:1 ${p}`);
    const nextHops: string[] = [];
    let hasAs4Path = false;
    let hasAs4Agg = false;
    for (const a of attrsOf(node)) {
      const code = num(a.children.find((c) => c.name === 'bgp.update.path_attribute.type_code'));
      if (code === 17) hasAs4Path = true;
      if (code === 18) hasAs4Agg = true;
      if (code === 14) {
        const fam = `${num(find(a, 'bgp.update.path_attribute.mp_reach_nlri.afi'))}:${num(find(a, 'bgp.update.path_attribute.mp_reach_nlri.safi'))}`;
        if (!DECODED_FAMILIES.has(fam)) continue;
        const nh = find(a, 'bgp.update.path_attribute.mp_reach_nlri.next_hop.ipv4') ?? find(a, 'bgp.update.path_attribute.mp_reach_nlri.next_hop.ipv6');
        const ll = find(a, 'bgp.update.path_attribute.mp_reach_nlri.next_hop.ipv6.link_local');
        nextHops.push(`${fam} ${nh?.show ?? null} ${ll?.show ?? null}`);
        announced.push(...prefixItems(find(a, 'bgp.update.path_attribute.mp_reach_nlri')).map((p) => `${fam} ${p}`));
      } else if (code === 15) {
        const fam = `${num(find(a, 'bgp.update.path_attribute.mp_unreach_nlri.afi'))}:${num(find(a, 'bgp.update.path_attribute.mp_unreach_nlri.safi'))}`;
        if (!DECODED_FAMILIES.has(fam)) continue;
        withdrawn.push(...prefixItems(find(a, 'bgp.update.path_attribute.mp_unreach_nlri')).map((p) => `${fam} ${p}`));
      } else if (code === 2) {
        s.as_path_segments = findAll(a, 'bgp.update.path_attribute.as_path_segment').map((seg) => ({
          type: num(find(seg, 'bgp.update.path_attribute.as_path_segment.type')),
          asns: seg.children
            .filter((c) => c.name.endsWith('.as2') || c.name.endsWith('.as4'))
            .map((c) => Number(c.show)),
        }));
      }
    }
    s.withdrawn = withdrawn.sort();
    s.announced = announced.sort();
    s.next_hops = nextHops.sort();
    if (hasAs4Path) delete s.as_path_segments; // the effective path is merged (RFC 6793); checked by hand elsewhere
    s.origin = num(find(node, 'bgp.update.path_attribute.origin'));
    s.next_hop = find(node, 'bgp.update.path_attribute.next_hop')?.show ?? null;
    s.med = num(find(node, 'bgp.update.path_attribute.multi_exit_disc'));
    s.local_pref = num(find(node, 'bgp.update.path_attribute.local_pref'));
    if (!hasAs4Agg) s.aggregator = `${num(find(node, 'bgp.update.path_attribute.aggregator_as'))} ${find(node, 'bgp.update.path_attribute.aggregator_origin')?.show ?? null}`;
    const comms = findAll(node, 'bgp.update.path_attribute.community').map((c) => {
      const wk = find(c, 'bgp.update.path_attribute.community_wellknown');
      if (wk) return `${Number(wk.show) >>> 16}:${Number(wk.show) & 0xffff}`;
      return `${find(c, 'bgp.update.path_attribute.community_as')?.show}:${find(c, 'bgp.update.path_attribute.community_value')?.show}`;
    });
    s.communities = comms.length > 0 ? comms : null;
    const large = findAll(node, 'bgp.large_communities').map(
      (l) => `${find(l, 'bgp.large_communities.ga')?.show}:${find(l, 'bgp.large_communities.ldp1')?.show}:${find(l, 'bgp.large_communities.ldp2')?.show}`,
    );
    s.large_communities = large.length > 0 ? large : null;
  } else if (type === 3) {
    s.code = num(find(node, 'bgp.notify.major_error'));
    s.subcode = num(node.children.find((c) => c.name.startsWith('bgp.notify.minor_error')));
    s.shutdown_message = find(node, 'bgp.notify.communication')?.show ?? null;
  } else if (type === 5) {
    s.afi = num(find(node, 'bgp.route_refresh.afi'));
    s.subtype = num(find(node, 'bgp.route_refresh.subtype'));
    s.safi = num(find(node, 'bgp.route_refresh.safi'));
  }
  return s;
}

/** The same summary from bgpcap's decode; fields tshark does not show are left out. */
function oursSummary(bytes: Uint8Array, m: DecodedMessage, like: Summary): Summary {
  const s: Summary = { type: bytes[18]! };
  if (m.kind === 'open') {
    s.my_as = m.my_as;
    s.hold_time = m.hold_time;
    s.bgp_id = m.bgp_id;
    s.cap_codes = m.capabilities.map((c) => c.code);
    s.asn = m.asn;
    const ap = { receive: 1, send: 2, both: 3 } as const;
    s.add_path = m.capabilities
      .filter((c) => c.code === 69 && c.value !== null)
      .flatMap((c) => (c.value as { afi: number; safi: number; send_receive: keyof typeof ap }[]).map((e) => `${e.afi}:${e.safi}:${ap[e.send_receive]}`));
    s.mp = m.capabilities.filter((c) => c.code === 1 && c.value !== null).map((c) => {
      const v = c.value as { afi: number; safi: number };
      return `${v.afi}:${v.safi}`;
    });
  } else if (m.kind === 'update') {
    const fam = (afi: number, safi: number) => `${afi}:${safi}`;
    const item = (p: string, id: number | undefined) => (id === undefined ? p : `${p}#${id}`);
    s.withdrawn = m.withdrawals
      .filter((w) => DECODED_FAMILIES.has(fam(w.afi, w.safi)))
      .flatMap((w) => w.prefixes.map((p, i) => `${fam(w.afi, w.safi)} ${item(p, w.path_ids?.[i])}`))
      .sort();
    s.announced = m.announcements
      .filter((a) => DECODED_FAMILIES.has(fam(a.afi, a.safi)))
      .flatMap((a) => a.prefixes.map((p, i) => `${fam(a.afi, a.safi)} ${item(p, a.path_ids?.[i])}`))
      .sort();
    s.next_hops = m.announcements
      .slice(hasClassicNlri(bytes) ? 1 : 0)
      .filter((a) => DECODED_FAMILIES.has(fam(a.afi, a.safi)))
      .map((a) => `${fam(a.afi, a.safi)} ${a.next_hop} ${a.next_hop_ll}`)
      .sort();
    if ('as_path_segments' in like) s.as_path_segments = m.as_path_segments;
    s.origin = m.origin === null ? null : ['IGP', 'EGP', 'INCOMPLETE'].indexOf(m.origin);
    s.next_hop = m.next_hop;
    s.med = m.med;
    s.local_pref = m.local_pref;
    if ('aggregator' in like) s.aggregator = `${m.aggregator_asn} ${m.aggregator_ip}`;
    s.communities = m.communities;
    s.large_communities = m.large_communities;
  } else if (m.kind === 'notification') {
    s.code = m.code;
    s.subcode = m.subcode;
    s.shutdown_message = m.shutdown_message;
  } else if (m.kind === 'route_refresh') {
    s.afi = m.afi;
    s.subtype = m.subtype;
    s.safi = m.safi;
  }
  return s;
}

/** Whether the UPDATE has a classic NLRI field (RFC 4271 §4.3), whose announcement bgpcap lists first. */
function hasClassicNlri(b: Uint8Array): boolean {
  const len = (b[16]! << 8) | b[17]!;
  const wLen = (b[19]! << 8) | b[20]!;
  const aLen = (b[21 + wLen]! << 8) | b[22 + wLen]!;
  return len > 23 + wLen + aLen;
}

function flowPair(flow: string): { key: string; fromA: boolean } {
  const [src, dst] = flow.split('>') as [string, string];
  return src < dst ? { key: `${src}|${dst}`, fromA: true } : { key: `${dst}|${src}`, fromA: false };
}

describe.skipIf(!haveCorpus || !hasTshark())('decode vs tshark on real captures', () => {
  for (const { file, why } of FILES) {
    it(`${file} (${why})`, () => {
      const path = CORPUS + file;
      if (!existsSync(path)) return;
      const msgs: TsharkMessage[] = tsharkMessages(path);
      expect(msgs.length).toBeGreaterThan(0);
      const sessions = new Map<string, BgpSession>();
      for (const tm of msgs) {
        const { key, fromA } = flowPair(tm.flow);
        let sess = sessions.get(key);
        if (!sess) sessions.set(key, (sess = new BgpSession()));
        const res = decodeMessage(tm.bytes, sess.paramsFor(fromA));
        const where = `frame ${tm.frame}`;
        expect(res.error, where).toBeNull();
        expect(res.msg, where).not.toBeNull();
        const m = res.msg!;
        if (m.kind === 'open') sess.setOpen(fromA, m as OpenMessage);
        const theirs = tsharkSummary(tm.node);
        expect({ where, ...oursSummary(tm.bytes, m, theirs) }).toEqual({ where, ...theirs });
      }
    });
  }
});

/**
 * Where the capture has the OPENs, decoding every UPDATE a second time as if they had been missed must give
 * the same result: the AS-width and ADD-PATH inference agrees with what the OPENs negotiated.
 */
describe.skipIf(!haveCorpus || !hasTshark())('inference agrees with the OPENs on every capture that has them', () => {
  const UNKNOWN: SessionParams = { as4: null, extended_message: true, add_path_send: null };
  const index = existsSync(CORPUS + 'index.json')
    ? (JSON.parse(readFileSync(CORPUS + 'index.json', 'utf8')) as { file: string; malformed: boolean; tshark_bgp_messages: Record<string, number> }[])
    : [];
  const files = index.filter((f) => !f.malformed && f.tshark_bgp_messages.OPEN! > 0 && f.tshark_bgp_messages.UPDATE! > 0).map((f) => f.file);
  let total = 0;
  it('finds captures with OPENs and UPDATEs', () => expect(files.length).toBeGreaterThanOrEqual(20));
  for (const file of files) {
    it(file, () => {
      const sessions = new Map<string, BgpSession>();
      let compared = 0;
      for (const tm of tsharkMessages(CORPUS + file)) {
        const { key, fromA } = flowPair(tm.flow);
        let sess = sessions.get(key);
        if (!sess) sessions.set(key, (sess = new BgpSession()));
        const p = sess.paramsFor(fromA);
        const known = decodeMessage(tm.bytes, p);
        if (known.msg?.kind === 'open') sess.setOpen(fromA, known.msg);
        if (known.msg?.kind !== 'update' || (p.as4 === null && p.add_path_send === null)) continue;
        const guessed = decodeMessage(tm.bytes, UNKNOWN);
        if (!isDeepStrictEqual(guessed.msg, known.msg)) expect(guessed.msg, `frame ${tm.frame}`).toEqual(known.msg);
        compared++;
      }
      total += compared;
    });
  }
  it('compared hundreds of UPDATEs in all', () => expect(total).toBeGreaterThan(500));
});
