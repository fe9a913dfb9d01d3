// The expression language: structure, precedence, lists and negation, printing, and errors with the column of
// the mistake (counted by hand in each case) and a caret under it.

import { describe, expect, it } from 'vitest';
import { FilterError, formatFilterError, print, type Node, type Pred } from '../../src/filter/expr/ast.js';
import { parseExpression } from '../../src/filter/expr/parser.js';

function parse(text: string): Node {
  const n = parseExpression({ name: '--filter', text, file: false });
  if (n === null) throw new Error('empty');
  return n;
}

/** A compact structural rendering: (and a b), (or a b), (not a), key:op:values. */
function shape(n: Node): string {
  switch (n.kind) {
    case 'pred':
      return `${n.key.name}${n.rel !== null ? `[${n.rel}]` : `:${n.op}`}:${n.values.map((v) => (v.neg ? '!' : '') + (v.any ? '*' : v.text)).join('|')}`;
    case 'not':
      return `(not ${shape(n.child)})`;
    default:
      return `(${n.kind} ${n.children.map(shape).join(' ')})`;
  }
}

function errorOf(text: string, file = false): FilterError {
  try {
    parseExpression({ name: file ? 'x.filter' : '--filter', text, file });
  } catch (e) {
    if (e instanceof FilterError) return e;
    throw e;
  }
  throw new Error(`no error for ${text}`);
}

describe('structure', () => {
  it.each([
    ['peer_asn 3356', 'peer_asn:=:3356'],
    ['peer_asn = 3356', 'peer_asn:=:3356'],
    ['peer_asn == 3356', 'peer_asn:=:3356'],
    ['peer_asn != 3356', '(not peer_asn:=:3356)'],
    ['peer_asn 3356, 174', 'peer_asn:=:3356|174'],
    ['peer_asn 3356,!174', 'peer_asn:=:3356|!174'],
    ['peer-asn 3356', 'peer_asn:=:3356'],
    ['PEER_ASN 3356', 'peer_asn:=:3356'],
    ['as_path _3356_', 'as_path:~:_3356_'],
    ['as_path ~ "^47065 "', 'as_path:~:^47065 '],
    ['as_path !~ "_174_"', '(not as_path:~:_174_)'],
    ['as_path = "47065 3356"', 'as_path:=:47065 3356'],
    ['prefix 10.0.0.0/8', 'prefix[exact]:10.0.0.0/8'],
    ['prefix <= 10.0.0.0/8', 'prefix[sub]:10.0.0.0/8'],
    ['prefix >= 10.0.0.0/8', 'prefix[super]:10.0.0.0/8'],
    ['prefix < 10.0.0.0/8', 'prefix[strict_sub]:10.0.0.0/8'],
    ['prefix_sub 10.0.0.0/8', 'prefix_sub[sub]:10.0.0.0/8'],
    ['community *', 'community:=:*'],
    ['as_path_len > 3', 'as_path_len:>:3'],
    ['msg_type OPEN or type A and prefix 10.0.0.0/8', '(or msg_type:=:OPEN (and type:=:A prefix[exact]:10.0.0.0/8))'],
    ['(msg_type OPEN or type A) and prefix 10.0.0.0/8', '(and (or msg_type:=:OPEN type:=:A) prefix[exact]:10.0.0.0/8)'],
    ['not type A and type W', '(and (not type:=:A) type:=:W)'],
    ['! (type A || type W) && med > 0', '(and (not (or type:=:A type:=:W)) med:>:0)'],
    ['not not type A', 'type:=:A'],
    ['type A AND med 0 OR med 1', '(or (and type:=:A med:=:0) med:=:1)'],
    ['med 1 and med 2 and med 3', '(and med:=:1 med:=:2 med:=:3)'],
  ])('%s', (text, want) => {
    expect(shape(parse(text))).toBe(want);
  });

  it('comments, line breaks and tabs (filter files)', () => {
    const n = parseExpression({
      name: 'f',
      file: true,
      text: '# what this is for\n\tprefix <= 184.164.224.0/19,  # the /19\n\t\t2804:269c::/42\n# and then\nand type A\n',
    });
    expect(shape(n!)).toBe('(and prefix[sub]:184.164.224.0/19|2804:269c::/42 type:=:A)');
  });

  it('only comments is no expression', () => {
    expect(parseExpression({ name: 'f', file: true, text: '# nothing\n\n   # here\n' })).toBeNull();
  });

  it('strings: both quotes, escaped quote and backslash, other backslashes kept', () => {
    const p = parse(String.raw`as_path ~ 'a\'b' or as_path ~ "c\"d\\e\d+"`);
    expect(shape(p)).toBe(String.raw`(or as_path:~:a'b as_path:~:c"d\e\d+)`);
  });

  it('a quoted * is the character, not "any value"', () => {
    const p = parse('as_path = "*"') as Pred;
    expect(p.values[0]!.any).toBe(false);
  });

  it.each([
    'prefix <= 184.164.224.0/19 and (as_path ~ "_3356_" or not community 47065:*)',
    'not (peer_asn 1, !2 or local_ip 10.0.0.0/8) and timestamp >= 1700000000',
    'prefix_super_sub 2001:db8::/32 or prefix > 10.0.0.0/8 or as_path = "1 2" or as_path ~ "(a|b)"',
    'community blackhole or next_hop 192.0.2.1, 100::/64',
    'has 32 and not has communities and origin INCOMPLETE and notification cease/*',
  ])('print round trip: %s', (text) => {
    const once = print(parse(text));
    expect(print(parse(once))).toBe(once);
    expect(shape(parse(once))).toBe(shape(parse(text)));
  });
});

describe('errors: column and caret', () => {
  // [text, 1-based column of the mistake, message]
  it.each([
    ['prefx 10.0.0.0/8', 1, /unknown key 'prefx' \(did you mean prefix\?\)/],
    ['peer_asn', 9, /expected a value after 'peer_asn', found the end of the filter/],
    ['peer_asn =', 11, /expected a value after 'peer_asn =', found the end/],
    ['peer_asn abc', 10, /'abc' is not an AS number/],
    ['peer_asn 1, abc', 13, /'abc' is not an AS number/],
    ['prefix <= 10.0.0.1/8', 11, /bits set past \/8; did you mean 10\.0\.0\.0\/8\?/],
    ['type A and', 11, /expected a filter key, 'not' or '\(', found the end/],
    ['type A type W', 8, /expected 'and', 'or' or the end of the filter, found 'type'/],
    ['(type A or type W', 1, /'\(' is never closed/],
    ['type A)', 7, /unbalanced '\)'/],
    ['community ~ 1:2', 11, /community does not take '~' \(it takes = !=\)/],
    ['as_path < 3', 9, /as_path does not take '<' \(it takes ~ !~ = !=\)/],
    ['prefix_sub <= 10.0.0.0/8', 12, /prefix_sub does not take '<='/],
    ['as_path ~ "unterminated', 11, /unterminated string/],
    ['as_path ~ "_(3356_"', 11, /not a valid regular expression/],
    ['type A | type W', 8, /unexpected '\|'/],
    ['med > *', 7, /\* \(any value\) needs = or no operator/],
    ['med = = 3', 7, /unexpected operator '='/],
    ['and type A', 1, /expected a filter key/],
    ['type X', 6, /'X' is not an elem type/],
    ['timestamp >= tomorrow', 14, /'tomorrow' is not a time/],
    ['msg_type HELLO', 10, /'HELLO' is not a message type/],
    ['peer_ip 10.0.0.256', 9, /not an IP address or prefix/],
  ])('%j: column %i', (text, col, re) => {
    const e = errorOf(text);
    expect(e.message).toMatch(re);
    const shown = formatFilterError(e);
    const lines = shown.split('\n');
    expect(lines[0]).toMatch(new RegExp(`^--filter: .* at column ${col}$`));
    expect(lines[1]).toBe(`  ${text}`);
    expect(lines[2]!.indexOf('^')).toBe(col - 1 + 2);
    expect(lines).toHaveLength(3);
  });

  it('a filter file error names line and column', () => {
    const text = '# comment\nprefix <= 10.0.0.0/8\n  and commnity 1:2\n';
    const e = errorOf(text, true);
    const lines = formatFilterError(e).split('\n');
    expect(lines[0]).toBe("x.filter:3:7: unknown key 'commnity' (did you mean community?)");
    expect(lines[1]).toBe('    and commnity 1:2');
    expect(lines[2]).toBe('        ^^^^^^^^');
  });

  it('an error at the end of a file points after the last token, not at the trailing blank lines', () => {
    const e = errorOf('type A and\n\n# trailing\n', true);
    expect(formatFilterError(e).split('\n')[0]).toBe("x.filter:1:11: expected a filter key, 'not' or '(', found the end of the filter");
  });
});
