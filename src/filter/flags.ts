// Command-line flags for the common filters, named like bgpkit-parser's where it has one (--prefix,
// --include-super, --include-sub, --ipv4-only, --ipv6-only, --peer-ip, --peer-asn, --origin-asn, --elem-type,
// --as-path, --community, --start-ts/--end-ts). Each flag is a predicate of the expression language:
//
//   --peer-asn 3356 --peer-asn 174      peer_asn 3356, 174           (values of one key are OR-ed)
//   --origin-asn '!13335'               origin_asn !13335            (a ! value excludes)
//   --community 47065:1,47065:2         community 47065:1, 47065:2   (commas separate values)
//   --local-pref '<100'                 local_pref < 100             (numeric keys take < <= > >= =)
//
// Different flags are AND-ed with each other and with --filter expressions and --filter-file files.

import { and, FilterError, or, type Node, type Source } from './expr/ast.js';
import { findKey, predicate, type RawValue } from './keys.js';

export interface FlagDef {
  /** Commander flag, e.g. `--peer-asn <asn>`. */
  flag: string;
  /** The option's property name (commander camelCase). */
  prop: string;
  /** Filter key; null for modifiers handled specially (--include-super, --ipv4-only, --start, ...). */
  key: string | null;
  help: string;
  /** Boolean flag (no value). */
  bool?: boolean;
  /** Values are not split on commas (regular expressions, times). */
  whole?: boolean;
  /** Hidden from --help (bgpkit-compatible spellings). */
  hidden?: boolean;
}

function f(flag: string, key: string | null, help: string, more: Partial<FlagDef> = {}): FlagDef {
  const name = /^--([a-z0-9-]+)/.exec(flag)![1]!;
  const prop = name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  return { flag, prop, key, help, ...more };
}

/** Every filter flag, in --help order. */
export const FILTER_FLAGS: readonly FlagDef[] = [
  // stage 1: packets
  f('--host <ip|prefix>', 'host', 'stage 1: either packet address (repeatable; ! excludes)'),
  f('--src-ip <ip|prefix>', 'src_ip', 'stage 1: packet source address'),
  f('--dst-ip <ip|prefix>', 'dst_ip', 'stage 1: packet destination address'),
  f('--mac <mac>', 'mac', 'stage 1: either Ethernet address'),
  f('--src-mac <mac>', 'src_mac', 'stage 1: Ethernet source address'),
  f('--dst-mac <mac>', 'dst_mac', 'stage 1: Ethernet destination address'),
  f('--src-port <port>', 'src_port', 'stage 1: TCP source port (also <N, >=N, ...)'),
  f('--dst-port <port>', 'dst_port', 'stage 1: TCP destination port'),
  f('--iface <name>', 'iface', 'stage 1: capture interface (* matches any characters)'),
  f('--start <time>', null, 'stage 1: only packets captured at or after this time (epoch seconds or RFC 3339)', { whole: true }),
  f('--end <time>', null, 'stage 1: only packets captured at or before this time', { whole: true }),
  f('--start-ts <time>', null, 'same as --start (bgpkit)', { whole: true, hidden: true }),
  f('--end-ts <time>', null, 'same as --end (bgpkit)', { whole: true, hidden: true }),
  // stage 2: BGP
  f('--msg-type <type>', 'msg_type', 'OPEN, UPDATE, NOTIFICATION, KEEPALIVE, ROUTE-REFRESH'),
  f('--elem-type <A|W>', 'type', 'announcements (A) or withdrawals (W)'),
  f('--prefix <prefix>', 'prefix', 'exactly this prefix (with --include-super / --include-sub: and less / more specific ones)'),
  f('--include-super', null, '--prefix also matches less specific prefixes', { bool: true }),
  f('--include-sub', null, '--prefix also matches more specific prefixes', { bool: true }),
  f('--prefix-sub <prefix>', 'prefix_sub', 'this prefix or a more specific one'),
  f('--prefix-super <prefix>', 'prefix_super', 'this prefix or a less specific one'),
  f('--ipv4-only', null, 'only IPv4 prefixes', { bool: true }),
  f('--ipv6-only', null, 'only IPv6 prefixes', { bool: true }),
  f('--peer-ip <ip|prefix>', 'peer_ip', 'sender of the message'),
  f('--peer-asn <asn>', 'peer_asn', "sender's ASN"),
  f('--local-ip <ip|prefix>', 'local_ip', 'receiver of the message'),
  f('--local-asn <asn>', 'local_asn', "receiver's ASN"),
  f('--mux <name>', 'mux', 'PEERING mux'),
  f('--origin-asn <asn>', 'origin_asn', 'origin AS (last ASN of the path, or a member of its final AS_SET)'),
  f('--as-path <regex>', 'as_path', 'AS path regular expression, _ = start, end or between ASNs: _3356_, ^47065_, _61574$', {
    whole: true,
  }),
  f('--contains-asn <asn>', 'contains_asn', 'an ASN anywhere in the AS path'),
  f('--as-path-len <n>', 'as_path_len', 'AS path length (also <N, >N, ...)'),
  f('--next-hop <ip|prefix>', 'next_hop', 'next hop'),
  f('--community <asn:value>', 'community', 'community, * per part (47065:*) or a well-known name (blackhole)'),
  f('--large-community <a:b:c>', 'large_community', 'large community, * per part (*:1:*)'),
  f('--ext-community <pattern>', 'ext_community', 'extended community (rt:65000:100, ro:*:*)'),
  f('--origin <origin>', 'origin', 'ORIGIN: IGP, EGP or INCOMPLETE'),
  f('--local-pref <n>', 'local_pref', 'LOCAL_PREF (also <N, >N, ...)'),
  f('--med <n>', 'med', 'MED (also <N, >N, ...)'),
  f('--notification <code[/subcode]>', 'notification', 'NOTIFICATION code or code/subcode (6/2, cease/*)'),
  f('--path-id <n>', 'path_id', 'ADD-PATH path identifier'),
  f('--has <attribute>', 'has', 'UPDATEs carrying this path attribute (code or name: communities, aigp, 35)'),
];

const OP = /^(<=|>=|!=|==|<|>|=|~)/;

function src(name: string, text: string): Source {
  return { name, text, file: false };
}

/** The values of one flag occurrence: `!` excludes, a leading operator for numeric keys, commas split. */
function flagPredicates(def: FlagDef, key: string, raw: string): Node {
  const s = src(def.flag.split(' ')[0]!, raw);
  const pieces: { text: string; offset: number }[] = [];
  if (def.whole === true) {
    pieces.push({ text: raw, offset: 0 });
  } else {
    let off = 0;
    for (const part of raw.split(',')) {
      const lead = part.length - part.trimStart().length;
      pieces.push({ text: part.trim(), offset: off + lead });
      off += part.length + 1;
    }
  }
  // Group by operator: one predicate per operator, OR-ed.
  const groups = new Map<string | null, RawValue[]>();
  const kdef = findKey(key)!;
  for (const p of pieces) {
    let t = p.text;
    let neg = false;
    if (t.startsWith('!') && !t.startsWith('!=')) {
      neg = true;
      t = t.slice(1).trimStart();
    }
    let op: string | null = null;
    const m = kdef.ops.length > 1 && kdef.kind !== 'regex' ? OP.exec(t) : null;
    if (m) {
      op = m[1]!;
      t = t.slice(op.length).trimStart();
    }
    if (t === '') throw new FilterError(`empty value`, { src: s, offset: p.offset, length: 1 });
    const list = groups.get(op) ?? [];
    list.push({ text: t, neg, quoted: false, loc: { src: s, offset: p.offset, length: p.text.length } });
    groups.set(op, list);
  }
  const nodes: Node[] = [];
  for (const [op, vals] of groups) nodes.push(predicate(key, { src: s, offset: 0, length: raw.length }, op, null, vals));
  return or(nodes);
}

function strings(v: unknown): string[] {
  if (v === undefined || v === null || v === false) return [];
  if (Array.isArray(v)) return v.map(String);
  return [String(v)];
}

/**
 * The filter flags given in `opts` (commander's parsed options) as expression nodes, to be AND-ed. Throws
 * FilterError for a bad value.
 */
export function flagNodes(opts: Readonly<Record<string, unknown>>): Node[] {
  const nodes: Node[] = [];
  const prefixRel = opts['includeSuper'] === true ? (opts['includeSub'] === true ? 'prefix_super_sub' : 'prefix_super') : opts['includeSub'] === true ? 'prefix_sub' : 'prefix';
  if (prefixRel !== 'prefix' && strings(opts['prefix']).length === 0) {
    throw new FilterError(`${opts['includeSuper'] === true ? '--include-super' : '--include-sub'} needs --prefix`, null);
  }
  for (const def of FILTER_FLAGS) {
    if (def.key === null) continue;
    const values = strings(opts[def.prop]);
    if (values.length === 0) continue;
    const key = def.key === 'prefix' ? prefixRel : def.key;
    const per = values.map((v) => flagPredicates(def, key, v));
    nodes.push(or(per));
  }
  // Time window (bgpkit: both ends inclusive).
  const time = (name: string, prop: string, op: '>=' | '<='): void => {
    for (const v of strings(opts[prop])) {
      nodes.push(predicate('timestamp', null, op, null, [{ text: v.trim(), neg: false, quoted: true, loc: { src: src(name, v), offset: 0, length: v.length } }]));
    }
  };
  time('--start', 'start', '>=');
  time('--start-ts', 'startTs', '>=');
  time('--end', 'end', '<=');
  time('--end-ts', 'endTs', '<=');
  const v4 = opts['ipv4Only'] === true;
  const v6 = opts['ipv6Only'] === true;
  if (v4 && v6) throw new FilterError('--ipv4-only and --ipv6-only exclude each other', null);
  if (v4 || v6) nodes.push(predicate('ip_version', null, null, null, [{ text: v4 ? '4' : '6', neg: false, quoted: true, loc: null }]));
  return nodes;
}

/** All flags as one node (AND), or null when none was given. */
export function flagsFilter(opts: Readonly<Record<string, unknown>>): Node | null {
  const n = flagNodes(opts);
  return n.length === 0 ? null : and(n);
}
