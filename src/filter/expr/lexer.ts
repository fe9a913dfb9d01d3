// Filter expression tokens.
//
//   word     a run of characters other than space, ( ) , " ' < > = ~ ! & | #   — keys, values, and/or/not
//   string   "..." or '...'; a backslash escapes the quote or a backslash, other backslashes stay (regexes)
//   op       = == != < <= > >= ~ !~
//   !        negation (before a value: `peer_asn !3356`; before a term: `! host 10.0.0.1`)
//   && ||    and, or
//   ( ) ,    grouping, value lists
//   #        comment to the end of the line (filter files)

import { FilterError, type Source } from './ast.js';

export type TokenType = 'word' | 'string' | 'op' | 'bang' | 'and' | 'or' | 'lparen' | 'rparen' | 'comma' | 'eof';

export interface Token {
  type: TokenType;
  /** The word, the string's content (escapes resolved), or the operator. */
  value: string;
  /** Offset of the first character in the source text, and the token's length there. */
  offset: number;
  length: number;
}

const SPECIAL = new Set([' ', '\t', '\n', '\r', '(', ')', ',', '"', "'", '<', '>', '=', '~', '!', '&', '|', '#']);

export function tokenize(src: Source): Token[] {
  const s = src.text;
  const out: Token[] = [];
  const err = (msg: string, offset: number, length = 1): FilterError => new FilterError(msg, { src, offset, length });
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < s.length && s[i] !== '\n') i++;
      continue;
    }
    const start = i;
    const two = s.slice(i, i + 2);
    if (two === '&&' || two === '||') {
      out.push({ type: two === '&&' ? 'and' : 'or', value: two, offset: start, length: 2 });
      i += 2;
      continue;
    }
    if (two === '<=' || two === '>=' || two === '!=' || two === '==' || two === '!~') {
      out.push({ type: 'op', value: two, offset: start, length: 2 });
      i += 2;
      continue;
    }
    switch (c) {
      case '(':
        out.push({ type: 'lparen', value: c, offset: start, length: 1 });
        i++;
        continue;
      case ')':
        out.push({ type: 'rparen', value: c, offset: start, length: 1 });
        i++;
        continue;
      case ',':
        out.push({ type: 'comma', value: c, offset: start, length: 1 });
        i++;
        continue;
      case '<':
      case '>':
      case '=':
      case '~':
        out.push({ type: 'op', value: c, offset: start, length: 1 });
        i++;
        continue;
      case '!':
        out.push({ type: 'bang', value: c, offset: start, length: 1 });
        i++;
        continue;
      case '&':
      case '|':
        throw err(`unexpected '${c}' (write 'and'/'or' or ${c}${c}; quote a regular expression that contains ${c})`, start);
      case '"':
      case "'": {
        let v = '';
        i++;
        for (;;) {
          if (i >= s.length || s[i] === '\n') throw err(`unterminated string: the ${c} is never closed`, start);
          const d = s[i]!;
          if (d === c) {
            i++;
            break;
          }
          if (d === '\\' && i + 1 < s.length && (s[i + 1] === c || s[i + 1] === '\\')) {
            v += s[i + 1];
            i += 2;
            continue;
          }
          v += d;
          i++;
        }
        out.push({ type: 'string', value: v, offset: start, length: i - start });
        continue;
      }
    }
    while (i < s.length && !SPECIAL.has(s[i]!)) i++;
    out.push({ type: 'word', value: s.slice(start, i), offset: start, length: i - start });
  }
  out.push({ type: 'eof', value: '', offset: s.length, length: 1 });
  return out;
}
