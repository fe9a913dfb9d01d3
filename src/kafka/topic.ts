// Topic names from a template (producer) and topic patterns (consumer).
//
// A template is literal text with {field} placeholders filled from each record, e.g. `bgp.{mux}`,
// `bgp.{peer_asn}`, `bgp.{msg_type}`. The value is the field's line-output text (src/sink/fields.ts: msg_type
// is UPDATE, OPEN, ... and E on event records), plus {host}, the capture host. Kafka topic names allow only
// [a-zA-Z0-9._-] and 249 characters, so any other character becomes `_` (an IPv6 address 2001:db8::1 gives
// 2001_db8__1) and an empty value becomes `none`.
//
// A consumer pattern is a comma-separated list of topic names, globs (`*` matches any run of characters),
// templates (each {field} matches one or more topic characters, so the producer's template works as is) or
// /regular expressions/.

import { UsageError } from '../errors.js';
import type { BgpRecord } from '../record.js';
import { FIELDS, type FieldDef } from '../sink/fields.js';

/** Fields a template may use: one value per message (elems of a message share their topic and key). */
export const TEMPLATE_FIELDS = ['mux', 'iface', 'file', 'peer_ip', 'peer_asn', 'local_ip', 'local_asn', 'src_port', 'dst_port', 'msg_type', 'event', 'host'] as const;

const LEGAL = /^[a-zA-Z0-9._-]+$/;
const MAX_TOPIC = 249;

export function sanitizeTopicPart(s: string): string {
  if (s === '') return 'none';
  if (LEGAL.test(s)) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ok = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 46 || c === 95 || c === 45;
    out += ok ? s[i] : '_';
  }
  return out;
}

export interface TopicTemplate {
  readonly text: string;
  /** The fixed topic when the template has no placeholder, else null. */
  readonly constant: string | null;
  render(r: BgpRecord): string;
}

/** Compile a template; an unknown field, an unclosed brace or illegal literal characters are UsageErrors. */
export function compileTopicTemplate(text: string, host: string): TopicTemplate {
  const literals: string[] = [];
  const fields: (FieldDef | 'host')[] = [];
  let lit = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '{') {
      const end = text.indexOf('}', i);
      if (end < 0) throw new UsageError(`--kafka-topic '${text}': '{' without '}'`);
      const name = text.slice(i + 1, end).trim();
      if (!(TEMPLATE_FIELDS as readonly string[]).includes(name)) {
        throw new UsageError(`--kafka-topic '${text}': unknown field {${name}}; usable fields: ${TEMPLATE_FIELDS.join(', ')}`);
      }
      literals.push(lit);
      lit = '';
      fields.push(name === 'host' ? 'host' : FIELDS.find((f) => f.name === name)!);
      i = end;
    } else if (ch === '}') {
      throw new UsageError(`--kafka-topic '${text}': '}' without '{'`);
    } else {
      lit += ch;
    }
  }
  literals.push(lit);
  for (const l of literals) {
    if (l !== '' && !LEGAL.test(l)) throw new UsageError(`--kafka-topic '${text}': topic names allow only letters, digits, '.', '_' and '-'`);
  }
  if (fields.length === 0) {
    if (text === '' || text.length > MAX_TOPIC || text === '.' || text === '..') throw new UsageError(`--kafka-topic '${text}' is not a valid topic name`);
    return { text, constant: text, render: () => text };
  }
  const hostPart = sanitizeTopicPart(host);
  return {
    text,
    constant: null,
    render(r) {
      let s = literals[0]!;
      for (let i = 0; i < fields.length; i++) {
        const f = fields[i]!;
        s += (f === 'host' ? hostPart : sanitizeTopicPart(f.text(r, null))) + literals[i + 1]!;
      }
      return s.length > MAX_TOPIC ? s.slice(0, MAX_TOPIC) : s;
    },
  };
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Topic names and regular expressions for a consumer subscription. */
export function compileTopicPattern(text: string): (string | RegExp)[] {
  const out: (string | RegExp)[] = [];
  for (const raw of text.split(',')) {
    const item = raw.trim();
    if (item === '') continue;
    if (item.length >= 2 && item.startsWith('/') && item.endsWith('/')) {
      try {
        out.push(new RegExp(item.slice(1, -1)));
      } catch (e) {
        throw new UsageError(`--kafka-topic ${item}: ${(e as Error).message}`);
      }
      continue;
    }
    if (!item.includes('*') && !item.includes('{')) {
      if (!LEGAL.test(item)) throw new UsageError(`--kafka-topic '${item}': topic names allow only letters, digits, '.', '_' and '-'`);
      out.push(item);
      continue;
    }
    let re = '^';
    for (let i = 0; i < item.length; i++) {
      const ch = item[i]!;
      if (ch === '*') re += '.*';
      else if (ch === '{') {
        const end = item.indexOf('}', i);
        if (end < 0) throw new UsageError(`--kafka-topic '${item}': '{' without '}'`);
        re += '[a-zA-Z0-9._-]+';
        i = end;
      } else re += escapeRe(ch);
    }
    out.push(new RegExp(`${re}$`));
  }
  if (out.length === 0) throw new UsageError('--kafka-topic is empty');
  return out;
}

/** Whether a topic name is selected by a compiled pattern. */
export function topicMatches(pattern: readonly (string | RegExp)[], topic: string): boolean {
  for (const p of pattern) if (typeof p === 'string' ? p === topic : p.test(topic)) return true;
  return false;
}
