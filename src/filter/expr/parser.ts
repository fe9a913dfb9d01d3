// The filter expression language: one syntax for --filter and for filter files.
//
//   expr  := and ( ('or' | '||') and )*
//   and   := unary ( ('and' | '&&') unary )*
//   unary := ('not' | '!') unary | '(' expr ')' | pred
//   pred  := KEY [OP] value ( ',' value )*
//   value := ['!'] (WORD | STRING)
//
// `and` binds tighter than `or`. Values of one predicate are OR-ed; a `!value` excludes (a record must match
// one of the plain values, if any, and none of the `!` ones). Keys and operators: keys.ts.
//
//   prefix <= 184.164.224.0/19 and (as_path ~ "_3356_" or not community 47065:*)
//
// Nothing runs when the text has a mistake: the first one is a FilterError pointing at the token.

import { and, FilterError, not, or, type Loc, type Node, type Source } from './ast.js';
import { tokenize, type Token } from './lexer.js';
import { predicate, type RawValue } from '../keys.js';

/** Parse filter text; null when it holds nothing but spaces and comments. */
export function parseExpression(src: Source): Node | null {
  const p = new Parser(src, tokenize(src));
  return p.parse();
}

function isWord(t: Token, w: string): boolean {
  return t.type === 'word' && t.value.toLowerCase() === w;
}

class Parser {
  private i = 0;
  constructor(
    private readonly src: Source,
    private readonly toks: Token[],
  ) {}

  private peek(): Token {
    return this.toks[this.i]!;
  }

  private next(): Token {
    return this.toks[this.i++]!;
  }

  private loc(t: Token): Loc {
    if (t.type === 'eof') {
      // Point just past the last real token rather than at the end of trailing blank lines and comments.
      const prev = this.toks[this.toks.length - 2];
      return { src: this.src, offset: prev === undefined ? 0 : prev.offset + prev.length, length: 1 };
    }
    return { src: this.src, offset: t.offset, length: t.length };
  }

  private fail(msg: string, t: Token): never {
    throw new FilterError(msg, this.loc(t));
  }

  private describe(t: Token): string {
    switch (t.type) {
      case 'eof':
        return 'the end of the filter';
      case 'string':
        return `"${t.value}"`;
      default:
        return `'${t.value}'`;
    }
  }

  parse(): Node | null {
    if (this.peek().type === 'eof') return null;
    const n = this.parseOr();
    const t = this.peek();
    if (t.type !== 'eof') {
      if (t.type === 'rparen') this.fail(`unbalanced ')'`, t);
      this.fail(`expected 'and', 'or' or the end of the filter, found ${this.describe(t)}`, t);
    }
    return n;
  }

  private isOr(t: Token): boolean {
    return t.type === 'or' || isWord(t, 'or');
  }

  private isAnd(t: Token): boolean {
    return t.type === 'and' || isWord(t, 'and');
  }

  private parseOr(): Node {
    const parts = [this.parseAnd()];
    while (this.isOr(this.peek())) {
      this.next();
      parts.push(this.parseAnd());
    }
    return or(parts);
  }

  private parseAnd(): Node {
    const parts = [this.parseUnary()];
    while (this.isAnd(this.peek())) {
      this.next();
      parts.push(this.parseUnary());
    }
    return and(parts);
  }

  private parseUnary(): Node {
    const t = this.peek();
    if (t.type === 'bang' || isWord(t, 'not')) {
      this.next();
      return not(this.parseUnary());
    }
    if (t.type === 'lparen') {
      this.next();
      const n = this.parseOr();
      const c = this.peek();
      if (c.type !== 'rparen') {
        if (c.type === 'eof') this.fail(`'(' is never closed`, t);
        this.fail(`expected 'and', 'or' or ')', found ${this.describe(c)}`, c);
      }
      this.next();
      return n;
    }
    if (t.type === 'word' && !this.isAnd(t) && !this.isOr(t)) return this.parsePred();
    this.fail(`expected a filter key, 'not' or '(', found ${this.describe(t)}`, t);
  }

  private parsePred(): Node {
    const keyTok = this.next();
    let opText: string | null = null;
    let opLoc: Loc | null = null;
    const o = this.peek();
    if (o.type === 'op') {
      this.next();
      opText = o.value;
      opLoc = this.loc(o);
    }
    const values: RawValue[] = [this.parseValue(keyTok, opText)];
    while (this.peek().type === 'comma') {
      this.next();
      values.push(this.parseValue(keyTok, opText));
    }
    return predicate(keyTok.value, this.loc(keyTok), opText, opLoc, values);
  }

  private parseValue(keyTok: Token, opText: string | null): RawValue {
    let t = this.next();
    let neg = false;
    if (t.type === 'bang') {
      neg = true;
      t = this.next();
    }
    if (t.type === 'string' || (t.type === 'word' && !this.isAnd(t) && !this.isOr(t) && !isWord(t, 'not'))) {
      return { text: t.value, neg, quoted: t.type === 'string', loc: this.loc(t) };
    }
    const after = opText === null ? `'${keyTok.value}'` : `'${keyTok.value} ${opText}'`;
    if (t.type === 'op') this.fail(`unexpected operator '${t.value}' after ${after}`, t);
    this.fail(`expected a value after ${after}, found ${this.describe(t)}`, t);
  }
}
