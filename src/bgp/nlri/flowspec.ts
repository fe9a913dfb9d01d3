// Flow specification rules: SAFI 133 (RFC 8955 IPv4, RFC 8956 IPv6) and SAFI 134 (RFC 8955 §8, VPN: an RD
// before the components). One entry:
//
//   +-------------------------------+
//   | Path Identifier (4)           |  only with ADD-PATH
//   +-------------------------------+
//   | Length (1 or 2 octets)        |  < 0xf0: one octet; else 0xfnnn, 12 bits (RFC 8955 §4.1)
//   +-------------------------------+
//   | Route Distinguisher (8)       |  SAFI 134 only
//   +-------------------------------+
//   | Components (type, value)...   |  in increasing type order (RFC 8955 §4.2)
//   +-------------------------------+
//
// Components: 1 dst / 2 src prefix (IPv4: length, prefix bytes; IPv6: length, offset, pattern — RFC 8956
// §3.1), numeric ones (3 proto, 4 port, 5 dport, 6 sport, 7 icmp-type, 8 icmp-code, 10 length, 11 dscp,
// 13 flow-label on IPv6) as {op, value} terms, bitmask ones (9 tcp-flags, 12 fragment) as {op, bitmask} terms.
// Each op byte: end-of-list (0x80), and (0x40), value length 1 << ((op >> 4) & 3); numeric lt/gt/eq
// (0x04/0x02/0x01), bitmask not/match (0x02/0x01).
//
// Text (the entry's `prefixes` element), BIRD-like (bird.network.cz "Flowspec network type") in one line:
// components separated by spaces, each `name value`, e.g.
//
//   dst 192.0.2.0/24 src 203.0.113.0/24 proto =6 port >=137&&<=139,=8080 tcp-flags =syn&&!ack fragment isf
//
// numeric terms: =, >, >=, <, <=, != and the value (`true` / `false` for the always/never operators); bitmask
// terms: `=` when the match bit is set (all of the bits), none when it is not (any of the bits), `!` before it
// when the not bit is set; the bits named (tcp-flags: fin syn rst psh ack urg ece cwr; fragment: df isf ff lf;
// others in hex) and joined with `+`. Terms are joined with `&&` when the and bit is set and `,` otherwise
// (BIRD writes `,` and `||` for the same thing; `,` keeps the text free of the `|` that line output uses as its
// separator). AND binds tighter than OR (RFC 8955 §4.2.1.1). IPv6 prefixes with an offset use RFC 8956's
// notation address/offset-length: `src ::1234:5678:9a00:0/64-104`. A component type bgpcap does not know
// ends the rule: `type<n> <hex of the rest>`.

import { DecodeError } from '../../wire/errors.js';
import { ipv6Text } from '../../wire/ip.js';
import { hex, u16, u32 } from '../../wire/reader.js';
import { ipv4PrefixText } from '../nlri.js';
import { rdText, readPathId } from './common.js';
import type { BitmaskTerm, FlowspecComponent, FlowspecRule, NlriOut, NumericTerm } from './types.js';

const NAMES: Record<number, string> = {
  1: 'dst',
  2: 'src',
  3: 'proto',
  4: 'port',
  5: 'dport',
  6: 'sport',
  7: 'icmp-type',
  8: 'icmp-code',
  9: 'tcp-flags',
  10: 'length',
  11: 'dscp',
  12: 'fragment',
  13: 'flow-label',
};

/** lt gt eq bits (RFC 8955 §4.2.1.1 table) → operator text. */
const NUMERIC_OPS = ['false', '=', '>', '>=', '<', '<=', '!=', 'true'];

const TCP_FLAGS = ['fin', 'syn', 'rst', 'psh', 'ack', 'urg', 'ece', 'cwr'];
/** RFC 8955 §4.2.2.12: 0 0 0 0 LF FF IsF DF, DF the least significant bit. */
const FRAGMENT_BITS = ['df', 'isf', 'ff', 'lf'];

function bitsText(v: number, names: readonly string[]): string {
  if (v === 0) return '0';
  let s = '';
  for (let i = 0; i < names.length; i++) {
    if (v & (1 << i)) s += (s === '' ? '' : '+') + names[i]!;
  }
  const rest = v & ~((1 << names.length) - 1);
  if (rest !== 0) s += (s === '' ? '' : '+') + '0x' + rest.toString(16);
  return s;
}

function numericValue(b: Uint8Array, p: number, n: number): number | string {
  if (n === 1) return b[p]!;
  if (n === 2) return u16(b, p);
  if (n === 4) return u32(b, p);
  const hi = u32(b, p);
  const lo = u32(b, p + 4);
  if (hi < 0x200000) return hi * 4294967296 + lo;
  return ((BigInt(hi) << 32n) | BigInt(lo)).toString();
}

/** IPv6 address whose bits offset..len-1 are the pattern at p (RFC 8956 §3.1), other bits zero. */
function ipv6PatternText(b: Uint8Array, p: number, offset: number, len: number): string {
  const a = new Uint8Array(16);
  const nbits = len - offset;
  for (let i = 0; i < nbits; i++) {
    const bit = (b[p + (i >> 3)]! >> (7 - (i & 7))) & 1;
    if (bit) {
      const j = offset + i;
      a[j >> 3] = a[j >> 3]! | (0x80 >> (j & 7));
    }
  }
  return ipv6Text(a, 0);
}

function bad(code: string, message: string, at: number): DecodeError {
  return new DecodeError(code, `flowspec: ${message}`, at);
}

/**
 * Decode the components in [p, end) of one rule. Returns the rule and its text; throws DecodeError when a
 * component runs past the rule or is malformed.
 */
function decodeRule(b: Uint8Array, p: number, end: number, v6: boolean): { rule: FlowspecRule; text: string } {
  const components: FlowspecComponent[] = [];
  let text = '';
  while (p < end) {
    const at = p;
    const type = b[p++]!;
    const name = (v6 || type !== 13 ? NAMES[type] : undefined) ?? `type${type}`;
    let value = '';
    const c: FlowspecComponent = { type, name };
    if (type === 1 || type === 2) {
      if (p >= end) throw bad('nlri_truncated', `${name} component has no length`, at);
      const len = b[p++]!;
      if (!v6) {
        if (len > 32) throw bad('prefix_length', `${name} prefix length ${len} > 32`, at);
        const n = (len + 7) >> 3;
        if (p + n > end) throw bad('nlri_truncated', `${name} prefix /${len} needs ${n} bytes, ${end - p} left`, at);
        value = ipv4PrefixText(b, p, len);
        c.prefix = value;
        p += n;
      } else {
        if (p >= end) throw bad('nlri_truncated', `${name} component has no offset`, at);
        const offset = b[p++]!;
        if (len > 128 || offset > len) throw bad('prefix_length', `${name} length ${len} offset ${offset} (RFC 8956 §3.1)`, at);
        const n = (len - offset + 7) >> 3;
        if (p + n > end) throw bad('nlri_truncated', `${name} pattern of ${len - offset} bits needs ${n} bytes, ${end - p} left`, at);
        const addr = ipv6PatternText(b, p, offset, len);
        value = offset === 0 ? `${addr}/${len}` : `${addr}/${offset}-${len}`;
        c.prefix = offset === 0 ? value : `${addr}/${len}`;
        c.offset = offset;
        p += n;
      }
    } else if (NAMES[type] !== undefined && (v6 || type !== 13)) {
      const bitmask = type === 9 || type === 12;
      const terms: (NumericTerm | BitmaskTerm)[] = [];
      for (;;) {
        if (p >= end) throw bad('nlri_truncated', `${name} operator list has no end-of-list bit`, at);
        const op = b[p++]!;
        const n = 1 << ((op >> 4) & 3);
        if (p + n > end) throw bad('nlri_truncated', `${name} value needs ${n} bytes, ${end - p} left`, p - 1);
        const and = terms.length > 0 && (op & 0x40) !== 0; // RFC 8955 §4.2.1.1: ignored on the first term
        if (terms.length > 0) value += and ? '&&' : ',';
        if (bitmask) {
          const v = n === 1 ? b[p]! : n === 2 ? u16(b, p) : Number(numericValue(b, p, n));
          const t: BitmaskTerm = { and, not: (op & 0x02) !== 0, match: (op & 0x01) !== 0, value: v };
          terms.push(t);
          value += (t.not ? '!' : '') + (t.match ? '=' : '') + bitsText(v, type === 9 ? TCP_FLAGS : FRAGMENT_BITS);
        } else {
          const v = numericValue(b, p, n);
          const o = NUMERIC_OPS[op & 7]!;
          terms.push({ and, op: o, value: v });
          value += o === 'true' || o === 'false' ? o : o + String(v);
        }
        p += n;
        if (op & 0x80) break;
      }
      if (bitmask) c.bitmask = terms as BitmaskTerm[];
      else c.numeric = terms as NumericTerm[];
    } else {
      // An unknown type's value length cannot be known: keep the rest of the rule raw.
      value = hex(b, p, end);
      c.hex = value;
      p = end;
    }
    components.push(c);
    text += (text === '' ? '' : ' ') + name + (value === '' ? '' : ' ' + value);
  }
  return { rule: { kind: 'flowspec', components }, text };
}

/**
 * Decode a run of flowspec rules in [start, end) into `out` (prefixes = rule text, nlri = rules, and
 * route_distinguishers when vpn). Throws DecodeError at the first bad rule.
 */
export function decodeFlowspec(b: Uint8Array, start: number, end: number, v6: boolean, vpn: boolean, addPath: boolean, out: NlriOut): void {
  const rules = (out.nlri ??= []);
  if (vpn) out.route_distinguishers ??= [];
  let p = start;
  while (p < end) {
    p = readPathId(b, p, end, addPath, out.path_ids);
    if (p >= end) throw new DecodeError('nlri_truncated', 'flowspec: path identifier with no rule after it', p);
    const at = p;
    let len = b[p]!;
    if (len >= 0xf0) {
      if (p + 2 > end) throw bad('nlri_truncated', 'extended length needs 2 bytes', at);
      len = u16(b, p) & 0x0fff;
      p += 2;
    } else p += 1;
    if (len === 0) throw bad('nlri_length', 'rule of length 0', at);
    const ruleEnd = p + len;
    if (ruleEnd > end) throw bad('nlri_truncated', `rule of ${len} bytes, ${end - p} left`, at);
    if (vpn) {
      if (len < 9) throw bad('nlri_length', `VPN rule of ${len} bytes has no room for its route distinguisher and a component`, at);
      out.route_distinguishers!.push(rdText(b, p));
      p += 8;
    }
    const { rule, text } = decodeRule(b, p, ruleEnd, v6);
    rules.push(rule);
    out.prefixes.push(text);
    p = ruleEnd;
  }
}
