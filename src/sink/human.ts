// Human output: a readable block per message, like tshark -V / bgpdump -v but compact. A header line
//
//   2023-11-14 22:13:20.123456 UTC  #12  10.0.0.1:179 (AS65001) → 10.0.0.2:54321 (AS65002)  UPDATE (len 55)
//
// then indented lines with what the message says. The header names frame, sender → receiver and, when known,
// interface and mux. --level and --fields do not apply: the block always shows the whole message.
//
// Text that came off the wire or from outside (RFC 8203 shutdown messages, FQDN hostnames and any other
// capability string, decoder messages quoting the bytes, interface names) has control characters and bidi
// overrides removed before it reaches a terminal (pino-pretty habit).

import type { AsPathSegment, RouteRefreshOrf, UpdateMessage, Withdrawal } from '../bgp/model.js';
import type { PrefixSid, Srv6Sid } from '../bgp/model.js';
import { communityName } from '../bgp/communities.js';
import { msgTypeName } from '../bgp/model.js';
import { decodeFully } from '../bgp/update-lazy.js';
import type { BgpRecord, EventRecord, MessageRecord } from '../record.js';
import { asPathText, hex, hexByte, stripControl, utcText } from './format.js';
import type { Formatter } from './jsonl.js';

const AFI: Record<number, string> = { 1: 'ipv4', 2: 'ipv6', 25: 'l2vpn', 16388: 'bgp-ls' };
const SAFI: Record<number, string> = {
  1: 'unicast',
  2: 'multicast',
  4: 'labeled-unicast',
  5: 'mvpn',
  65: 'vpls',
  66: 'mdt',
  70: 'evpn',
  71: 'bgp-ls',
  72: 'bgp-ls-vpn',
  73: 'sr-te',
  128: 'vpn',
  129: 'vpn-multicast',
  132: 'rtc',
  133: 'flowspec',
  134: 'flowspec-vpn',
};

/** `ipv6 unicast`, or `afi 3 safi 99` for families without a name here. */
export function familyName(afi: number, safi: number): string {
  const a = AFI[afi];
  const s = SAFI[safi];
  return a !== undefined && s !== undefined ? `${a} ${s}` : `afi ${afi} safi ${safi}`;
}

/** IANA BGP path attribute names, for attributes shown raw. */
const ATTR: Record<number, string> = {
  1: 'ORIGIN', 2: 'AS_PATH', 3: 'NEXT_HOP', 4: 'MULTI_EXIT_DISC', 5: 'LOCAL_PREF', 6: 'ATOMIC_AGGREGATE',
  7: 'AGGREGATOR', 8: 'COMMUNITIES', 9: 'ORIGINATOR_ID', 10: 'CLUSTER_LIST', 14: 'MP_REACH_NLRI',
  15: 'MP_UNREACH_NLRI', 16: 'EXTENDED_COMMUNITIES', 17: 'AS4_PATH', 18: 'AS4_AGGREGATOR', 22: 'PMSI_TUNNEL',
  23: 'TUNNEL_ENCAPSULATION', 25: 'IPV6_EXTENDED_COMMUNITIES', 26: 'AIGP', 29: 'BGP_LS', 32: 'LARGE_COMMUNITIES',
  33: 'BGPSEC_PATH', 35: 'ONLY_TO_CUSTOMER', 40: 'PREFIX_SID', 128: 'ATTR_SET',
};

const RR_SUBTYPE: Record<number, string> = { 0: 'normal request', 1: 'BoRR', 2: 'EoRR' }; // RFC 7313 §3.2

function endpoint(ip: string | null, port: number | null, asn: number | null): string {
  let s = ip === null ? '?' : port !== null && ip.includes(':') ? `[${ip}]` : ip;
  if (port !== null) s += `:${port}`;
  if (asn !== null) s += ` (AS${asn})`;
  return s;
}

function header(r: BgpRecord, what: string): string {
  let s = `${utcText(r.ts)}  #${r.frame}  ${endpoint(r.peer_ip, r.src_port, r.peer_asn)} → ${endpoint(r.local_ip, r.dst_port, r.local_asn)}  ${what}`;
  if (r.iface !== null) s += `  iface ${stripControl(r.iface)}`;
  if (r.mux !== null) s += `  mux ${stripControl(r.mux)}`;
  return s + '\n';
}

/** A decoded value for reading: strings cleaned, objects as key=value, arrays comma-separated. */
export function humanValue(v: unknown, depth = 0): string {
  if (v === null || v === undefined) return '';
  switch (typeof v) {
    case 'string':
      return stripControl(v);
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(v);
    case 'object':
      break;
    default:
      return '';
  }
  if (depth >= 8) return '…';
  if (v instanceof Uint8Array) return hex(v);
  const wrap = (s: string) => (depth > 0 ? `{${s}}` : s);
  if (Array.isArray(v) || v instanceof Set) {
    const items: string[] = [];
    for (const x of v as Iterable<unknown>) items.push(humanValue(x, depth + 1));
    return depth > 0 ? `[${items.join(', ')}]` : items.join(', ');
  }
  const entries: Iterable<[unknown, unknown]> = v instanceof Map ? v.entries() : Object.entries(v as object);
  const parts: string[] = [];
  for (const [k, x] of entries) parts.push(`${stripControl(String(k))}=${humanValue(x, depth + 1)}`);
  return wrap(parts.join(' '));
}

/** Offset, 16 bytes in two groups of 8, and their printable ASCII, like tshark's bytes pane. */
export function hexDump(b: Uint8Array, indent: string): string {
  let s = '';
  for (let off = 0; off < b.length; off += 16) {
    let h = '';
    let a = '';
    for (let i = 0; i < 16; i++) {
      if (i === 8) h += ' ';
      if (off + i < b.length) {
        const c = b[off + i]!;
        h += hexByte(c) + ' ';
        a += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '.';
      } else {
        h += '   ';
      }
    }
    s += `${indent}${off.toString(16).padStart(4, '0')}  ${h} ${a}\n`;
  }
  return s;
}

function segmentsText(segs: readonly AsPathSegment[]): string {
  // RFC 5065 confederation segments in parentheses, as bgpdump/Cisco print them; sets in braces.
  return segs
    .map((g) => {
      const list = g.asns.join(g.type === 1 || g.type === 4 ? ',' : ' ');
      return g.type === 1 ? `{${list}}` : g.type === 3 ? `(${list})` : g.type === 4 ? `[${list}]` : list;
    })
    .join(' ');
}

const ZERO_ESI = '00:00:00:00:00:00:00:00:00:00';

/**
 * One NLRI entry: its text, then the parts kept beside it — `10.0.0.0/24 rd 65000:100 label 16 (path id 2)`;
 * EVPN adds a non-zero ESI and a type-5 gateway, which its text leaves out.
 */
function entryText(f: Withdrawal, i: number): string {
  let s = f.prefixes[i]!;
  const rd = f.route_distinguishers?.[i];
  if (rd != null) s += ` rd ${rd}`;
  const labels = f.labels?.[i];
  if (labels !== undefined && labels.length > 0) s += ` label ${labels.join(',')}`;
  const d = f.nlri?.[i];
  if (d !== undefined && d.kind === 'evpn') {
    if (d.esi !== undefined && d.esi !== ZERO_ESI && d.route_type !== 1 && d.route_type !== 4) s += ` esi ${d.esi}`;
    if (d.gateway !== undefined) s += ` gateway ${d.gateway}`;
  }
  const id = f.path_ids?.[i];
  if (id != null) s += ` (path id ${id})`;
  return s;
}

function updateBody(m: UpdateMessage): string {
  let s = '';
  for (const w of m.withdrawals) {
    if (w.prefixes.length === 0) continue;
    s += `  withdrawn (${familyName(w.afi, w.safi)}):\n`;
    for (let i = 0; i < w.prefixes.length; i++) s += `    ${entryText(w, i)}\n`;
  }
  for (const a of m.announcements) {
    if (a.prefixes.length === 0) continue;
    const nh = a.next_hop === null ? '' : ` via ${a.next_hop}${a.next_hop_ll === null ? '' : ` (link-local ${a.next_hop_ll})`}`;
    s += `  announced (${familyName(a.afi, a.safi)})${nh}:\n`;
    for (let i = 0; i < a.prefixes.length; i++) s += `    ${entryText(a, i)}\n`;
  }
  // The classic NEXT_HOP is already shown on its announcement line; print it only when nothing was announced.
  s += attributeLines(m, '  ', m.announcements.every((a) => a.prefixes.length === 0));
  if (m.end_of_rib !== null) s += `  end of rib: ${m.end_of_rib.map(([a, f]) => familyName(a, f)).join(', ')}\n`;
  s += rawAttributeLines(m.other_attributes, '  ');
  for (const w of m.warnings) {
    const act = w.action === null ? '' : ` [${w.action}${w.attr_code === null ? '' : `, ${ATTR[w.attr_code] ?? `ATTR_${w.attr_code}`}`}]`;
    s += `  warning ${stripControl(w.code)} at offset ${w.offset}${act}: ${stripControl(w.message)}\n`;
    // The attribute's bytes, unless an "attribute" line above shows them (kept raw): an attribute decoded
    // despite wrong flags, or one cut off by the end of the attribute area (RFC 7606 §4), which has no value.
    if (w.hex !== null && !m.other_attributes.some((a) => a.code === w.attr_code)) s += `    bytes: ${w.hex}\n`;
  }
  return s;
}

/** Communities, with the well-known ones named: "65535:666(BLACKHOLE)". */
function communitiesText(list: readonly string[]): string {
  let s = '';
  for (let i = 0; i < list.length; i++) {
    const c = list[i]!;
    const name = communityName(c);
    s += `${i > 0 ? ' ' : ''}${c}${name === undefined ? '' : `(${name})`}`;
  }
  return s;
}

function srv6Text(list: readonly Srv6Sid[]): string {
  return list
    .map((x) => {
      const st = x.structure;
      const structure = st === null ? '' : ` structure ${st.lb}/${st.ln}/${st.fun}/${st.arg} transposition ${st.tpos_len}@${st.tpos_offset}`;
      return `sid ${x.sid} behavior 0x${x.behavior.toString(16).padStart(4, '0')}${x.flags === 0 ? '' : ` flags 0x${hexByte(x.flags)}`}${structure}`;
    })
    .join(', ');
}

function prefixSidText(p: PrefixSid): string {
  const parts: string[] = [];
  if (p.label_index !== null) parts.push(`label index ${p.label_index}`);
  if (p.srgb !== null) parts.push(`srgb ${p.srgb.map(([b, r]) => `${b}+${r}`).join(' ')}`);
  if (p.srv6_l3_service !== null) parts.push(`srv6 l3 service: ${srv6Text(p.srv6_l3_service)}`);
  if (p.srv6_l2_service !== null) parts.push(`srv6 l2 service: ${srv6Text(p.srv6_l2_service)}`);
  for (const t of p.other_tlvs) parts.push(`tlv ${t.type}: ${t.hex}`);
  return parts.join('; ');
}

/** The path attributes of an UPDATE (or of an ATTR_SET inside it), one line each, at `ind`. */
function attributeLines(m: UpdateMessage, ind: string, showNextHop: boolean): string {
  let s = '';
  const path = m.as_path_segments !== null ? segmentsText(m.as_path_segments) : m.as_path !== null ? asPathText(m.as_path) : null;
  if (path !== null) s += `${ind}as path: ${path === '' ? '(empty)' : path}\n`;
  if (m.origin !== null) s += `${ind}origin: ${stripControl(m.origin)}\n`;
  if (m.next_hop !== null && showNextHop) s += `${ind}next hop: ${m.next_hop}\n`;
  if (m.med !== null) s += `${ind}med: ${m.med}\n`;
  if (m.local_pref !== null) s += `${ind}local pref: ${m.local_pref}\n`;
  if (m.atomic_aggregate) s += `${ind}atomic aggregate\n`;
  if (m.aggregator_asn !== null || m.aggregator_ip !== null) {
    s += `${ind}aggregator: AS${m.aggregator_asn ?? '?'} ${m.aggregator_ip ?? '?'}\n`;
  }
  if (m.communities !== null) s += `${ind}communities: ${communitiesText(m.communities)}\n`;
  if (m.large_communities !== null) s += `${ind}large communities: ${m.large_communities.join(' ')}\n`;
  if (m.originator_id !== null) s += `${ind}originator id: ${m.originator_id}\n`;
  if (m.cluster_list !== null) s += `${ind}cluster list: ${m.cluster_list.join(' ')}\n`;
  if (m.ext_communities !== null) s += `${ind}extended communities: ${m.ext_communities.join(' ')}\n`;
  if (m.ipv6_ext_communities !== null) s += `${ind}ipv6 extended communities: ${m.ipv6_ext_communities.join(' ')}\n`;
  if (m.aigp !== null) s += `${ind}aigp: ${m.aigp}\n`;
  if (m.otc !== null) s += `${ind}only to customer: AS${m.otc}\n`;
  const t = m.pmsi_tunnel;
  if (t !== null) {
    s +=
      `${ind}pmsi tunnel: ${t.tunnel_type_name} (${t.tunnel_type}) label ${t.label} (field ${t.label_raw})` +
      `${t.tunnel_id === '' ? '' : ` tunnel id ${t.tunnel_id}`}${t.leaf_info_required ? ', leaf info required' : ''}` +
      `${(t.flags & 0xfe) !== 0 ? `, flags 0x${hexByte(t.flags)}` : ''}\n`;
  }
  if (m.prefix_sid !== null) s += `${ind}prefix sid: ${prefixSidText(m.prefix_sid)}\n`;
  if (m.bgpsec_path !== null) s += `${ind}bgpsec path (not verified): ${m.bgpsec_path}\n`;
  const set = m.attr_set;
  if (set !== null) {
    s += `${ind}attr set: origin AS${set.origin_as}\n`;
    s += attributeLines(set.attributes, `${ind}  `, true);
    s += rawAttributeLines(set.attributes.other_attributes, `${ind}  `);
  }
  return s;
}

function rawAttributeLines(list: UpdateMessage['other_attributes'], ind: string): string {
  let s = '';
  for (const a of list) {
    s += `${ind}attribute ${a.code} ${ATTR[a.code] ?? `ATTR_${a.code}`} (flags 0x${hexByte(a.flags)})${a.hex === '' ? '' : `: ${a.hex}`}\n`;
  }
  return s;
}

function messageBlock(r: MessageRecord, raw: boolean): string {
  let s = header(r, `${msgTypeName(r.msg_type)} (len ${r.length})`);
  const m = r.msg;
  if (m !== null) {
    switch (m.kind) {
      case 'update':
        s += updateBody(decodeFully(m));
        break;
      case 'open':
        s += `  version ${m.version}  my AS ${m.my_as}  AS ${m.asn}  hold time ${m.hold_time}  BGP id ${m.bgp_id}\n`;
        for (const c of m.capabilities) {
          const v = c.value === null || c.value === undefined ? c.hex : humanValue(c.value);
          s += `  capability ${stripControl(c.name)} (${c.code})${v === '' ? '' : `: ${v}`}\n`;
        }
        for (const p of m.other_params) s += `  optional parameter ${p.type}: ${p.hex}\n`;
        if (m.extended_opt_params) s += `  extended optional parameters length (RFC 9072)\n`;
        break;
      case 'notification':
        s += `  ${stripControl(m.code_name)} (${m.code}) / ${stripControl(m.subcode_name)} (${m.subcode})\n`;
        if (m.hard_reset != null) {
          const h = m.hard_reset;
          s += `  hard reset of: ${stripControl(h.code_name)} (${h.code}) / ${stripControl(h.subcode_name)} (${h.subcode})\n`;
        }
        if (m.max_prefixes != null) {
          const x = m.max_prefixes;
          s += `  prefix limit: ${x.limit} (${familyName(x.afi, x.safi)})\n`;
        }
        if (m.unsupported_capabilities != null) {
          for (const c of m.unsupported_capabilities) s += `  unsupported capability ${stripControl(c.name)} (${c.code})${c.hex === '' ? '' : `: ${c.hex}`}\n`;
        }
        if (m.shutdown_message !== null) s += `  shutdown message: ${stripControl(m.shutdown_message)}\n`;
        if (m.data_hex !== '') s += `  data: ${m.data_hex}\n`;
        break;
      case 'route_refresh':
        s += `  ${familyName(m.afi, m.safi)}, ${RR_SUBTYPE[m.subtype] ?? `subtype ${m.subtype}`}\n`;
        if (m.orf != null) s += orfLines(m.orf);
        if (m.data_hex !== '') s += `  data: ${m.data_hex}\n`;
        break;
      case 'keepalive':
        break;
    }
  }
  if (r.inferred !== null) s += `  inferred (no OPEN captured): ${humanValue(r.inferred)}\n`;
  if (r.error !== null) {
    s += `  error ${stripControl(r.error.code)} at offset ${r.error.offset}: ${stripControl(r.error.message)}\n`;
    s += hexDump(r.raw, '    ');
  } else if (raw) {
    s += hexDump(r.raw, '    ');
  }
  return s;
}

/** RFC 5291 ORF groups, one line per entry: `add permit seq 10 10.0.0.0/8 ge 8 le 24` (prefix-list style). */
function orfLines(o: RouteRefreshOrf): string {
  let s = `  orf, refresh ${o.when_to_refresh}:\n`;
  for (const g of o.groups) {
    s += `    ${g.name} (${g.type})${g.entries === null ? `: ${g.hex}` : ''}\n`;
    if (g.entries === null) continue;
    for (const e of g.entries) {
      s += `      ${e.action} ${e.match}`;
      if (e.sequence !== null) s += ` seq ${e.sequence}`;
      if (e.prefix !== null) s += ` ${e.prefix}`;
      if (e.min_len !== null && e.min_len !== 0) s += ` ge ${e.min_len}`;
      if (e.max_len !== null && e.max_len !== 0) s += ` le ${e.max_len}`;
      s += '\n';
    }
  }
  return s;
}

function eventBlock(r: EventRecord): string {
  const skipped = r.bytes_skipped === null ? '' : ` (${r.bytes_skipped} bytes skipped)`;
  return header(r, `EVENT ${stripControl(r.event)}${skipped}`) + `  ${stripControl(r.message)}\n`;
}

export interface HumanOptions {
  /** A hex dump of every message, not only of malformed ones. Default false. */
  raw?: boolean;
}

export function humanFormatter(opts: HumanOptions = {}): Formatter {
  const raw = opts.raw === true;
  return {
    header: '',
    format: (r) => (r.kind === 'event' ? eventBlock(r) : messageBlock(r, raw)),
  };
}
