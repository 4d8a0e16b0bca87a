/**
 * Recursive-descent parser of the expression language.
 *
 * Precedence, loosest first (all binary levels are left-associative; `?:` is right-associative):
 *
 *   1. `c ? a : b`
 *   2. `||`, `or`
 *   3. `&&`, `and`
 *   4. `==`, `!=`
 *   5. `<`, `<=`, `>`, `>=`
 *   6. `+`, `-`
 *   7. `*`, `/`, `%`
 *   8. unary `-`, `!`, `not` (`not` is a spelling of `!`, with the same precedence)
 *   9. literals, fields, calls, `( … )`
 *
 * Parsing never runs anything; validation calls only this. Length and depth limits are
 * checked here so hostile input (10,000 brackets) yields a message, never a stack overflow.
 */
import { show } from '../job/errors';
import {
  MAX_EXPRESSION_DEPTH, MAX_EXPRESSION_LENGTH, RESERVED_NAMES,
  type BinaryOperator, type ExprNode,
} from './ast';
import { ExpressionError, expressionError } from './ExpressionError';
import { FUNCTION_NAMES, lookupFunction } from './functions';
import { tokenize, type Token } from './tokenize';

/** The outcome of `parseExpression`. */
export type ParseResult =
  | { ok: true; ast: ExprNode; fields: string[] }
  | { ok: false; code: ExpressionError['code']; message: string; offset: number };

/** Word spellings of operators. */
const WORD_OPERATORS: Readonly<Record<string, string>> = { and: '&&', or: '||', not: '!' };
const LITERAL_WORDS: Readonly<Record<string, boolean | null>> = { true: true, false: false, null: null };

const BINARY_LEVELS: readonly (readonly BinaryOperator[])[] = [
  ['==', '!='],
  ['<', '<=', '>', '>='],
  ['+', '-'],
  ['*', '/', '%'],
];

/**
 * Parses an expression. On success, `fields` lists the record fields it reads, in order of
 * first use. On failure, `message` names the column (1-based) and `offset` is 0-based.
 */
export function parseExpression(source: string): ParseResult {
  try {
    if (source.length > MAX_EXPRESSION_LENGTH) {
      throw expressionError('expr.tooLong', 0, { length: source.length, limit: MAX_EXPRESSION_LENGTH });
    }
    const parser = new Parser(tokenize(source));
    const ast = parser.parseAll();
    return { ok: true, ast, fields: parser.fields };
  } catch (error) {
    if (error instanceof ExpressionError) {
      return { ok: false, code: error.code, message: error.message, offset: error.offset };
    }
    throw error;
  }
}

/** How a token reads in a message: `')'`, `number 12`, `name "foo"`. */
function describeToken(token: Token): string {
  switch (token.kind) {
    case 'op': return `'${token.text}'`;
    case 'number': return `number ${token.text}`;
    case 'string': return `text ${show(token.value)}`;
    case 'name': return `name ${show(token.text)}`;
    default: return 'end of expression';
  }
}

class Parser {
  readonly fields: string[] = [];
  private readonly seenFields = new Set<string>();
  private position = 0;
  private depth = 0;

  constructor(private readonly tokens: Token[]) {}

  parseAll(): ExprNode {
    if (this.peek().kind === 'end') throw expressionError('expr.empty', 0, {});
    const ast = this.parseTernary();
    const rest = this.peek();
    if (rest.kind !== 'end') throw expressionError('expr.unexpectedToken', rest.offset, { token: describeToken(rest) });
    return ast;
  }

  private peek(): Token {
    // The token list always ends with an `end` token, and `next` never moves past it.
    return this.tokens[this.position] as Token;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.position++;
    return token;
  }

  /** The operator the current token spells (symbol or word), if any. */
  private operatorAt(): string | undefined {
    const token = this.peek();
    if (token.kind === 'op') return token.text;
    if (token.kind === 'name' && Object.prototype.hasOwnProperty.call(WORD_OPERATORS, token.text)) {
      return WORD_OPERATORS[token.text];
    }
    return undefined;
  }

  private expect(text: string): Token {
    const token = this.peek();
    if (token.kind !== 'op' || token.text !== text) {
      throw expressionError('expr.expected', token.offset, { expected: `'${text}'`, token: describeToken(token) });
    }
    return this.next();
  }

  /** Guards every recursive entry, so nesting is bounded no matter what the input is. */
  private nested<T>(offset: number, parse: () => T): T {
    if (this.depth >= MAX_EXPRESSION_DEPTH) throw expressionError('expr.tooDeep', offset, { limit: MAX_EXPRESSION_DEPTH });
    this.depth++;
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  private parseTernary(): ExprNode {
    return this.nested(this.peek().offset, () => {
      const test = this.parseLogical('||');
      if (this.operatorAt() !== '?') return test;
      const offset = this.next().offset;
      const consequent = this.parseTernary();
      this.expect(':');
      const alternate = this.parseTernary();
      return { type: 'conditional', test, consequent, alternate, offset };
    });
  }

  private parseLogical(op: '&&' | '||'): ExprNode {
    const parseOperand = (): ExprNode => (op === '||' ? this.parseLogical('&&') : this.parseBinary(0));
    let left = parseOperand();
    while (this.operatorAt() === op) {
      const offset = this.next().offset;
      left = { type: 'logical', op, left, right: parseOperand(), offset };
    }
    return left;
  }

  private parseBinary(level: number): ExprNode {
    const operators = BINARY_LEVELS[level];
    if (operators === undefined) return this.parseUnary();
    let left = this.parseBinary(level + 1);
    for (;;) {
      const op = this.operatorAt();
      if (op === undefined || !(operators as readonly string[]).includes(op)) return left;
      const offset = this.next().offset;
      left = { type: 'binary', op: op as BinaryOperator, left, right: this.parseBinary(level + 1), offset };
    }
  }

  private parseUnary(): ExprNode {
    const op = this.operatorAt();
    if (op !== '-' && op !== '!') return this.parsePrimary();
    const offset = this.next().offset;
    const operand = this.nested(offset, () => this.parseUnary());
    return { type: 'unary', op, operand, offset };
  }

  private parsePrimary(): ExprNode {
    const token = this.next();
    switch (token.kind) {
      case 'number':
      case 'string':
        return { type: 'literal', value: token.value as number | string, offset: token.offset };
      case 'name':
        return this.parseName(token);
      case 'op':
        if (token.text === '(') {
          const inner = this.parseTernary();
          this.expect(')');
          return inner;
        }
        throw expressionError('expr.unexpectedToken', token.offset, { token: describeToken(token) });
      default:
        throw expressionError('expr.unexpectedToken', token.offset, { token: describeToken(token) });
    }
  }

  private parseName(token: Token): ExprNode {
    const name = token.text;
    if (Object.prototype.hasOwnProperty.call(LITERAL_WORDS, name)) {
      return { type: 'literal', value: LITERAL_WORDS[name] ?? null, offset: token.offset };
    }
    if (Object.prototype.hasOwnProperty.call(WORD_OPERATORS, name)) {
      // `and`/`or` where an operand belongs, e.g. `and x`.
      throw expressionError('expr.unexpectedToken', token.offset, { token: `'${name}'` });
    }
    if (this.operatorAt() === '(') return this.parseCall(token);
    if (RESERVED_NAMES.has(name)) throw expressionError('expr.reservedName', token.offset, { name: show(name) });
    if (!this.seenFields.has(name)) {
      this.seenFields.add(name);
      this.fields.push(name);
    }
    return { type: 'field', name, offset: token.offset };
  }

  private parseCall(token: Token): ExprNode {
    const info = lookupFunction(token.text);
    if (info === undefined) {
      throw expressionError('expr.unknownFunction', token.offset, { name: show(token.text), allowed: FUNCTION_NAMES.join(', ') });
    }
    this.expect('(');
    const args: ExprNode[] = [];
    if (this.operatorAt() !== ')') {
      args.push(this.parseTernary());
      while (this.operatorAt() === ',') {
        this.next();
        args.push(this.parseTernary());
      }
    }
    this.expect(')');
    if (args.length < info.minArgs || args.length > info.maxArgs) {
      throw expressionError('expr.arity', token.offset, {
        name: token.text, expected: describeArity(info.minArgs, info.maxArgs), count: args.length,
      });
    }
    return { type: 'call', name: token.text, args, offset: token.offset };
  }
}

function describeArity(min: number, max: number): string {
  const plural = (n: number): string => `${n} argument${n === 1 ? '' : 's'}`;
  if (min === max) return plural(min);
  if (max - min === 1) return `${min} or ${plural(max)}`;
  return `${min} to ${plural(max)}`;
}
