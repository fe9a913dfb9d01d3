// The filter keys: one table for the expression language, the flags, both stages and the documentation.
//
// Names are the snake_case names of the JSON output (src/sink/fields.ts, schema/record.schema.json) wherever
// the key filters on an output field, and bgpkit's filter names otherwise (prefix_sub, prefix_super,
// origin_asn, ...). Stage 1 keys look at packet headers only and run before TCP reassembly; stage 2 keys look at
// BGP records. `cost` orders the checks of a stage-2 `and`/`or`: cheapest first, so most records are decided
// before the message needs to be decoded, and long before an AS path is turned into text for a regex.

import { FilterError, not, type Loc, type Node, type Pred, type Value } from './expr/ast.js';
import {
  asPathRegex,
  parseAsn,
  parseCommunityPattern,
  parseMac,
  parseNet,
  parsePortValue,
  parseTime,
  parseUint,
  ValueError,
  type PrefixRel,
} from './values.js';

/** Comparison operators. `!=` and `!~` are written as `not` of `=` and `~`. */
export type Op = '=' | '<' | '<=' | '>' | '>=' | '~';

export type ValueKind =
  | 'net'
  | 'mac'
  | 'port'
  | 'name'
  | 'time'
  | 'msg_type'
  | 'event'
  | 'elem_type'
  | 'ip_version'
  | 'afi'
  | 'safi'
  | 'prefix'
  | 'asn'
  | 'uint'
  | 'regex'
  | 'community'
  | 'large_community'
  | 'ext_community'
  | 'origin'
  | 'notification'
  | 'attr'
  | 'bool'
  | 'text'
  | 'action';

export interface KeyDef {
  name: string;
  aliases: readonly string[];
  /** 1: packet headers, before reassembly; 2: BGP records. */
  stage: 1 | 2;
  kind: ValueKind;
  /** Operators the key accepts (`!=` is allowed wherever `=` is, `!~` wherever `~` is). */
  ops: readonly Op[];
  /** The operator when none is written (`peer_asn 3356` means `peer_asn = 3356`). */
  defaultOp: Op;
  /** bgpkit's prefix_sub, prefix_super, prefix_super_sub: `prefix` with a fixed relation. */
  rel?: PrefixRel;
  /** Relative cost of a stage-2 check; cheaper checks run first. */
  cost: number;
  doc: string;
  example: string;
}

const EQ: readonly Op[] = ['='];
const ORD: readonly Op[] = ['=', '<', '<=', '>', '>='];

function k(
  name: string,
  stage: 1 | 2,
  kind: ValueKind,
  cost: number,
  doc: string,
  example: string,
  more: Partial<Pick<KeyDef, 'aliases' | 'ops' | 'defaultOp' | 'rel'>> = {},
): KeyDef {
  return { name, stage, kind, cost, doc, example, aliases: [], ops: EQ, defaultOp: '=', ...more };
}

/** Cost classes (see the file comment). */
export const COST = {
  head: 1, // fields known before decoding: message type, peer, ports, interface, time
  msg: 2, // one field of the decoded message
  elem: 3, // per prefix: type, family, path id
  prefix: 4, // per prefix: the prefix or next hop, parsed from text
  attr: 5, // one path attribute value
  list: 6, // a list in the path attributes: communities, AS path members
  ext: 7, // extended communities, decoded from the raw attribute
  regex: 8, // AS path text and a regular expression
} as const;

/** Every key, in documentation order. */
export const KEYS: readonly KeyDef[] = [
  // ---- stage 1: packet headers
  k('src_ip', 1, 'net', COST.head, 'packet source address or prefix', 'src_ip 100.65.128.1', { aliases: ['src'] }),
  k('dst_ip', 1, 'net', COST.head, 'packet destination address or prefix', 'dst_ip 100.64.0.0/10', { aliases: ['dst'] }),
  k('host', 1, 'net', COST.head, 'either packet address', 'host 2804:269c:ff00:5:1::1', { aliases: ['ip'] }),
  k('src_mac', 1, 'mac', COST.head, 'Ethernet source address', 'src_mac 02:00:00:00:00:01'),
  k('dst_mac', 1, 'mac', COST.head, 'Ethernet destination address', 'dst_mac 02:00:00:00:00:02'),
  k('mac', 1, 'mac', COST.head, 'either Ethernet address', 'mac 02:00:00:00:00:01', { aliases: ['ether'] }),
  k('src_port', 1, 'port', COST.head, 'TCP source port', 'src_port 179', { ops: ORD }),
  k('dst_port', 1, 'port', COST.head, 'TCP destination port', 'dst_port 179', { ops: ORD }),
  k('port', 1, 'port', COST.head, 'either TCP port', 'port 1179', { ops: ORD }),
  k('iface', 1, 'name', COST.head, 'capture interface (pcapng interface name, live interface); * matches any characters', 'iface tap*', {
    aliases: ['interface'],
  }),
  k('timestamp', 1, 'time', COST.head, 'capture time: epoch seconds or RFC 3339', 'timestamp >= 2024-05-01T12:00:00Z', {
    aliases: ['time', 'ts'],
    ops: ORD,
  }),

  // ---- stage 2: known before the message is decoded
  k('msg_type', 2, 'msg_type', COST.head, 'OPEN, UPDATE, NOTIFICATION, KEEPALIVE, ROUTE-REFRESH or a type code', 'msg_type NOTIFICATION, OPEN'),
  k('event', 2, 'event', COST.head, 'event records: gap, reset, truncated_frame, ip_fragment, ...', 'event gap'),
  k('peer_ip', 2, 'net', COST.head, 'sender of the message (address or prefix)', 'peer_ip 100.69.128.1'),
  k('peer_asn', 2, 'asn', COST.head, "sender's ASN (from its OPEN)", 'peer_asn 47065', { ops: ORD }),
  k('local_ip', 2, 'net', COST.head, 'receiver of the message (address or prefix)', 'local_ip 100.69.128.6'),
  k('local_asn', 2, 'asn', COST.head, "receiver's ASN", 'local_asn 47065', { ops: ORD }),
  k('mux', 2, 'name', COST.head, 'PEERING mux of the record; * matches any characters', 'mux amsterdam01'),

  // ---- stage 2: the decoded message
  k('error', 2, 'text', COST.msg, 'malformed messages: the error code (* for any)', 'error *'),
  k('warning', 2, 'text', COST.msg, 'UPDATEs with a warning of this code: attribute_length, ... (* for any)', 'warning *'),
  k(
    'warning_action',
    2,
    'action',
    COST.msg,
    'UPDATEs with a warning of this RFC 7606 action: treat-as-withdraw, attribute-discard, session-reset',
    'warning_action treat-as-withdraw',
  ),
  k('notification', 2, 'notification', COST.msg, 'NOTIFICATION code or code/subcode (numbers or names, * for any)', 'notification cease/*'),
  k('notification_code', 2, 'uint', COST.msg, 'NOTIFICATION error code', 'notification_code 6', { ops: ORD }),
  k('notification_subcode', 2, 'uint', COST.msg, 'NOTIFICATION error subcode', 'notification_subcode 2', { ops: ORD }),
  k('has', 2, 'attr', COST.msg, 'the UPDATE carries this path attribute (code or name)', 'has large_communities', {
    aliases: ['has_attribute', 'attribute'],
  }),

  // ---- stage 2: per prefix
  k('type', 2, 'elem_type', COST.elem, 'A (announced) or W (withdrawn)', 'type W', { aliases: ['elem_type'] }),
  k('ip_version', 2, 'ip_version', COST.elem, "the prefix's IP version: 4 or 6", 'ip_version 6', { aliases: ['ipv'] }),
  k('afi', 2, 'afi', COST.elem, 'address family of the prefix (1 ipv4, 2 ipv6)', 'afi 2'),
  k('safi', 2, 'safi', COST.elem, 'subsequent address family (1 unicast, 2 multicast)', 'safi 1'),
  k('path_id', 2, 'uint', COST.elem, 'ADD-PATH path identifier (RFC 7911)', 'path_id 3', { ops: ORD }),
  k('prefix', 2, 'prefix', COST.prefix, 'the prefix: = exact, <= more specific or equal, >= less specific or equal, < and > strictly', 'prefix <= 184.164.224.0/19', {
    ops: ORD,
    aliases: ['prefixes'],
  }),
  k('prefix_sub', 2, 'prefix', COST.prefix, 'the prefix or a more specific one (prefix <=)', 'prefix_sub 184.164.224.0/19', { rel: 'sub' }),
  k('prefix_super', 2, 'prefix', COST.prefix, 'the prefix or a less specific one (prefix >=)', 'prefix_super 184.164.236.0/24', { rel: 'super' }),
  k('prefix_super_sub', 2, 'prefix', COST.prefix, 'the prefix, a more or a less specific one', 'prefix_super_sub 184.164.236.0/24', { rel: 'either' }),
  k('next_hop', 2, 'net', COST.prefix, "next hop (address or prefix): the announcement's family next hop", 'next_hop 192.0.2.1'),

  // ---- stage 2: path attributes (they describe announced prefixes: a withdrawn prefix has none)
  k('origin', 2, 'origin', COST.attr, 'ORIGIN: IGP, EGP or INCOMPLETE', 'origin INCOMPLETE'),
  k('local_pref', 2, 'uint', COST.attr, 'LOCAL_PREF', 'local_pref < 100', { ops: ORD }),
  k('med', 2, 'uint', COST.attr, 'MULTI_EXIT_DISC', 'med > 0', { ops: ORD }),
  k('aggregator_asn', 2, 'asn', COST.attr, 'AGGREGATOR ASN', 'aggregator_asn 64512', { ops: ORD }),
  k('atomic_aggregate', 2, 'bool', COST.attr, 'ATOMIC_AGGREGATE present: true or false', 'atomic_aggregate true'),
  k('origin_asn', 2, 'asn', COST.list, 'origin AS: the last ASN of the path, or any member of the AS_SET that ends it', 'origin_asn 61574', {
    aliases: ['origin_asns'],
    ops: ORD,
  }),
  k('contains_asn', 2, 'asn', COST.list, 'an ASN anywhere in the AS path, AS_SETs included (poisoning checks)', 'contains_asn 3356', { ops: ORD }),
  k('as_path_len', 2, 'uint', COST.list, 'AS path length as BGP counts it (RFC 4271 §9.1.2.2: an AS_SET counts 1)', 'as_path_len > 5', {
    aliases: ['path_len'],
    ops: ORD,
  }),
  k('community', 2, 'community', COST.list, 'RFC 1997 community asn:value, * per part, or a well-known name (blackhole, no_export, ...)', 'community 47065:*', {
    aliases: ['communities'],
  }),
  k('large_community', 2, 'large_community', COST.list, 'RFC 8092 large community a:b:c, * per part', 'large_community *:1:*', {
    aliases: ['large_communities'],
  }),
  k('ext_community', 2, 'ext_community', COST.ext, 'RFC 4360 extended community as bgpcap writes it (rt:65000:100, soo:192.0.2.1:7, ext:0x...); * matches any characters', 'ext_community rt:65000:*', {
    aliases: ['ext_communities', 'extended_community'],
  }),
  k('ipv6_ext_community', 2, 'ext_community', COST.ext, 'RFC 5701 IPv6 address specific extended community as bgpcap writes it; * matches any characters', 'ipv6_ext_community rt:2001:db8::1:*', {
    aliases: ['ipv6_ext_communities'],
  }),
  k('as_path', 2, 'regex', COST.regex, 'AS path: ~ regular expression with Cisco-style _ (start, end, or between ASNs), = exact text', 'as_path ~ "_3356_"', {
    aliases: ['aspath', 'path'],
    ops: ['~', '='],
    defaultOp: '~',
  }),
];

const BY_NAME = new Map<string, KeyDef>();
for (const key of KEYS) {
  BY_NAME.set(key.name, key);
  for (const a of key.aliases) BY_NAME.set(a, key);
}

/** A key by name or alias; `-` and `_` are interchangeable, case does not matter. */
export function findKey(name: string): KeyDef | undefined {
  return BY_NAME.get(name.toLowerCase().replace(/-/g, '_'));
}

/** The known name closest to a misspelt one (edit distance ≤ 2), for "did you mean". */
export function suggestKey(name: string): string | null {
  const n = name.toLowerCase();
  let best: string | null = null;
  let bestD = 3;
  for (const cand of BY_NAME.keys()) {
    const d = editDistance(n, cand);
    if (d < bestD) {
      bestD = d;
      best = BY_NAME.get(cand)!.name;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 99;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

// ---------------------------------------------------------------------------------------------- values

const MSG_TYPES: Record<string, number> = { open: 1, update: 2, notification: 3, keepalive: 4, route_refresh: 5, routerefresh: 5 };

/** RFC 4271 §4.5 error codes, RFC 7313 §5 (7). */
export const NOTIFICATION_CODES: Readonly<Record<string, number>> = {
  message_header_error: 1,
  open_message_error: 2,
  update_message_error: 3,
  hold_timer_expired: 4,
  fsm_error: 5,
  finite_state_machine_error: 5,
  cease: 6,
  route_refresh_message_error: 7,
};

/** Path attribute names (IANA registry names and the JSON field names) → type code. */
export const ATTRIBUTE_CODES: Readonly<Record<string, number>> = {
  origin: 1,
  as_path: 2,
  next_hop: 3,
  multi_exit_disc: 4,
  med: 4,
  local_pref: 5,
  atomic_aggregate: 6,
  aggregator: 7,
  communities: 8,
  community: 8,
  originator_id: 9,
  cluster_list: 10,
  mp_reach_nlri: 14,
  mp_reach: 14,
  mp_unreach_nlri: 15,
  mp_unreach: 15,
  extended_communities: 16,
  ext_communities: 16,
  ext_community: 16,
  as4_path: 17,
  as4_aggregator: 18,
  pmsi_tunnel: 22,
  tunnel_encapsulation: 23,
  ipv6_extended_communities: 25,
  aigp: 26,
  bgp_ls: 29,
  large_communities: 32,
  large_community: 32,
  bgpsec_path: 33,
  only_to_customer: 35,
  otc: 35,
  prefix_sid: 40,
  attr_set: 128,
};

export interface NotificationValue {
  code: number | null;
  subcode: number | null;
}

function lower(t: string): string {
  return t.toLowerCase().replace(/-/g, '_');
}

/** Parse one value of a key. `*` is handled by the caller. */
export function parseValue(key: KeyDef, op: Op, text: string): unknown {
  switch (key.kind) {
    case 'net':
      return parseNet(text);
    case 'prefix': {
      const n = parseNet(text, 'a prefix');
      return n;
    }
    case 'mac':
      return parseMac(text);
    case 'port':
      return parsePortValue(text);
    case 'name':
    case 'text':
      return text;
    case 'event':
      return text.toLowerCase();
    case 'time':
      return parseTime(text);
    case 'msg_type': {
      const n = MSG_TYPES[lower(text)];
      if (n !== undefined) return n;
      if (/^\d+$/.test(text)) return parseUint(text, 255, 'a message type');
      throw new ValueError(`'${text}' is not a message type (OPEN, UPDATE, NOTIFICATION, KEEPALIVE, ROUTE-REFRESH or 0-255)`);
    }
    case 'elem_type': {
      const t = text.toLowerCase();
      if (t === 'a' || t === 'announce' || t === 'announcement') return 'A';
      if (t === 'w' || t === 'withdraw' || t === 'withdrawal') return 'W';
      throw new ValueError(`'${text}' is not an elem type (A or W)`);
    }
    case 'ip_version': {
      const t = text.toLowerCase();
      if (t === '4' || t === 'ipv4' || t === 'v4') return 4;
      if (t === '6' || t === 'ipv6' || t === 'v6') return 6;
      throw new ValueError(`'${text}' is not an IP version (4 or 6)`);
    }
    case 'afi': {
      const t = text.toLowerCase();
      if (t === 'ipv4') return 1;
      if (t === 'ipv6') return 2;
      return parseUint(text, 65535, 'an AFI (1, 2, ipv4, ipv6)');
    }
    case 'safi': {
      const t = text.toLowerCase();
      if (t === 'unicast') return 1;
      if (t === 'multicast') return 2;
      return parseUint(text, 255, 'a SAFI (1, 2, unicast, multicast)');
    }
    case 'asn':
      return parseAsn(text);
    case 'uint':
      return parseUint(text, 0xffffffff, 'a whole number');
    case 'regex':
      return op === '~' ? asPathRegex(text) : text.trim().split(/\s+/).join(' ');
    case 'community':
      return parseCommunityPattern(text, 2);
    case 'large_community':
      return parseCommunityPattern(text, 3);
    case 'ext_community':
      if (/\s/.test(text) || text === '') throw new ValueError(`'${text}' is not an extended community (rt:65000:100, soo:*, ...)`);
      return text;
    case 'action': {
      // RFC 7606 §2's approaches, as the warnings' `action` spells them; `_` for `-` as in key names.
      const t = text.toLowerCase().replace(/_/g, '-');
      if (t === 'treat-as-withdraw' || t === 'attribute-discard' || t === 'session-reset') return t;
      throw new ValueError(`'${text}' is not an RFC 7606 action (treat-as-withdraw, attribute-discard, session-reset)`);
    }
    case 'origin': {
      const t = text.toUpperCase();
      if (t === 'IGP' || t === 'I') return 'IGP';
      if (t === 'EGP' || t === 'E') return 'EGP';
      if (t === 'INCOMPLETE' || t === '?') return 'INCOMPLETE';
      throw new ValueError(`'${text}' is not an ORIGIN (IGP, EGP, INCOMPLETE)`);
    }
    case 'notification': {
      const [c, s, extra] = text.split('/');
      if (extra !== undefined || c === undefined || c === '') throw new ValueError(`'${text}' is not a NOTIFICATION code[/subcode]`);
      const code = c === '*' ? null : (NOTIFICATION_CODES[lower(c)] ?? parseUint(c, 255, 'a NOTIFICATION code'));
      const subcode = s === undefined || s === '*' ? null : parseUint(s, 255, 'a NOTIFICATION subcode');
      return { code, subcode } satisfies NotificationValue;
    }
    case 'attr': {
      const n = ATTRIBUTE_CODES[lower(text)];
      if (n !== undefined) return n;
      if (/^\d+$/.test(text)) return parseUint(text, 255, 'an attribute type code');
      throw new ValueError(`'${text}' is not a path attribute (a type code or a name such as communities, as_path, med)`);
    }
    case 'bool': {
      const t = text.toLowerCase();
      if (t === 'true' || t === 'yes' || t === '1') return true;
      if (t === 'false' || t === 'no' || t === '0') return false;
      throw new ValueError(`'${text}' is not true or false`);
    }
  }
}

export interface RawValue {
  text: string;
  neg: boolean;
  /** Written in quotes: never `*`. */
  quoted: boolean;
  loc: Loc | null;
}

/**
 * Build the node for `key op values`: resolve the key, check the operator, parse every value. `!=` becomes
 * `not =` and `!~` `not ~`. Errors are FilterErrors pointing at the key, operator or value.
 */
export function predicate(keyText: string, keyLoc: Loc | null, opText: string | null, opLoc: Loc | null, raw: RawValue[]): Node {
  const key = findKey(keyText);
  if (key === undefined) {
    const s = suggestKey(keyText);
    throw new FilterError(`unknown key '${keyText}'${s !== null ? ` (did you mean ${s}?)` : ''}`, keyLoc);
  }
  let negate = false;
  let op: Op;
  if (opText === null) {
    op = key.defaultOp;
  } else {
    let o = opText === '==' ? '=' : opText;
    if (o === '!=' || o === '!~') {
      negate = true;
      o = o === '!=' ? '=' : '~';
    }
    if (!key.ops.includes(o as Op) || (key.rel !== undefined && o !== '=')) {
      const allowed = key.rel !== undefined ? ['='] : key.ops;
      const list = allowed.flatMap((x) => (x === '=' ? ['=', '!='] : x === '~' ? ['~', '!~'] : [x]));
      throw new FilterError(`${key.name} does not take '${opText}' (it takes ${list.join(' ')})`, opLoc);
    }
    op = o as Op;
  }
  const values: Value[] = raw.map((r) => {
    if (r.text === '*' && !r.quoted) {
      if (op !== '=' && op !== '~') throw new FilterError(`* (any value) needs = or no operator`, r.loc);
      return { neg: r.neg, any: true, v: null, text: '*', loc: r.loc };
    }
    try {
      return { neg: r.neg, any: false, v: parseValue(key, op, r.text), text: r.text, loc: r.loc };
    } catch (e) {
      if (e instanceof ValueError) throw new FilterError(e.message, r.loc);
      throw e;
    }
  });
  let rel: PrefixRel | null = null;
  if (key.kind === 'prefix') {
    rel = key.rel ?? (op === '=' ? 'exact' : op === '<=' ? 'sub' : op === '>=' ? 'super' : op === '<' ? 'strict_sub' : 'strict_super');
  }
  const pred: Pred = { kind: 'pred', key, op, rel, values, loc: keyLoc };
  return negate ? not(pred) : pred;
}
