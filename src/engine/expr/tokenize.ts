/**
 * Tokenizer of the expression language.
 *
 * Turns the source into numbers, strings, names and operators, each with its 0-based offset
 * so every later message can point at a column. It is a single forward pass with no regular
 * expressions over the whole input, so hostile input costs linear time.
 */
import { show } from '../job/errors';
import { expressionError } from './ExpressionError';

export type TokenKind = 'number' | 'string' | 'name' | 'op' | 'end';

export interface Token {
  kind: TokenKind;
  /** The source text of the token (for `op` and `name`, what to compare against). */
  text: string;
  /** The literal value of `number` and `string` tokens. */
  value?: number | string;
  /** 0-based offset of the first character. */
  offset: number;
}

/** Operators, longest first so `<=` wins over `<`. */
const OPERATORS = ['==', '!=', '<=', '>=', '&&', '||', '+', '-', '*', '/', '%', '!', '<', '>', '?', ':', '(', ')', ','];

const ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\', '"': '"', "'": "'", n: '\n', t: '\t', r: '\r',
};

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}

function isNameStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
}

function isNamePart(c: string): boolean {
  return isNameStart(c) || isDigit(c);
}

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r';
}

/**
 * Splits `source` into tokens, ending with one `end` token.
 *
 * @throws ExpressionError on a character that starts no token, a malformed number, an unclosed
 *   string or an unknown escape.
 */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source.charAt(i);
    if (isSpace(c)) {
      i++;
    } else if (isDigit(c)) {
      i = readNumber(source, i, tokens);
    } else if (c === '"' || c === "'") {
      i = readString(source, i, tokens);
    } else if (isNameStart(c)) {
      let end = i + 1;
      while (end < source.length && isNamePart(source.charAt(end))) end++;
      tokens.push({ kind: 'name', text: source.slice(i, end), offset: i });
      i = end;
    } else {
      i = readOperator(source, i, tokens);
    }
  }
  tokens.push({ kind: 'end', text: '', offset: source.length });
  return tokens;
}

function readOperator(source: string, start: number, tokens: Token[]): number {
  const op = OPERATORS.find((candidate) => source.startsWith(candidate, start));
  if (op !== undefined) {
    tokens.push({ kind: 'op', text: op, offset: start });
    return start + op.length;
  }
  const c = source.charAt(start);
  // The three likeliest slips from other languages get a message that says what to write.
  if (c === '=') throw expressionError('expr.assignment', start, {});
  if (c === '&') throw expressionError('expr.singleAmpersand', start, { char: '"&"', suggestion: '"&&" or "and"' });
  if (c === '|') throw expressionError('expr.singleAmpersand', start, { char: '"|"', suggestion: '"||" or "or"' });
  throw expressionError('expr.unexpectedChar', start, { char: show(String.fromCodePoint(source.codePointAt(start) ?? 0)) });
}

/** Reads `123`, `1.5`, `2e-3`; a number glued to a name (`12ab`) is malformed, not two tokens. */
function readNumber(source: string, start: number, tokens: Token[]): number {
  let i = start;
  while (i < source.length && isDigit(source.charAt(i))) i++;
  if (source.charAt(i) === '.' && isDigit(source.charAt(i + 1))) {
    i++;
    while (i < source.length && isDigit(source.charAt(i))) i++;
  }
  const e = source.charAt(i);
  if (e === 'e' || e === 'E') {
    let j = i + 1;
    if (source.charAt(j) === '+' || source.charAt(j) === '-') j++;
    if (isDigit(source.charAt(j))) {
      while (j < source.length && isDigit(source.charAt(j))) j++;
      i = j;
    }
  }
  const next = source.charAt(i);
  if (isNamePart(next) || next === '.') {
    let end = i;
    while (end < source.length && (isNamePart(source.charAt(end)) || source.charAt(end) === '.')) end++;
    throw expressionError('expr.badNumber', start, { text: show(source.slice(start, end)) });
  }
  const text = source.slice(start, i);
  const value = Number(text);
  // 1e999 would be Infinity, which no record field can hold.
  if (!Number.isFinite(value)) throw expressionError('expr.badNumber', start, { text: show(text) });
  tokens.push({ kind: 'number', text, value, offset: start });
  return i;
}

function readString(source: string, start: number, tokens: Token[]): number {
  const quote = source.charAt(start);
  let value = '';
  let i = start + 1;
  while (i < source.length) {
    const c = source.charAt(i);
    if (c === quote) {
      tokens.push({ kind: 'string', text: source.slice(start, i + 1), value, offset: start });
      return i + 1;
    }
    if (c === '\\') {
      const [decoded, length] = readEscape(source, i);
      value += decoded;
      i += length;
    } else {
      value += c;
      i++;
    }
  }
  throw expressionError('expr.unterminatedString', start, { quote: quote === '"' ? "'\"'" : `"'"` });
}

/** Decodes the escape at `at` (a backslash); returns the text and the escape's length. */
function readEscape(source: string, at: number): [string, number] {
  const letter = source.charAt(at + 1);
  const simple = Object.prototype.hasOwnProperty.call(ESCAPES, letter) ? ESCAPES[letter] : undefined;
  if (simple !== undefined) return [simple, 2];
  if (letter === 'u') {
    const hex = source.slice(at + 2, at + 6);
    if (/^[0-9A-Fa-f]{4}$/.test(hex)) return [String.fromCharCode(parseInt(hex, 16)), 6];
  }
  throw expressionError('expr.badEscape', at, { escape: show(source.slice(at, at + 2)) });
}
