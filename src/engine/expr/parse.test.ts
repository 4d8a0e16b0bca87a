import { describe, expect, it } from 'vitest';
import { MAX_EXPRESSION_DEPTH, MAX_EXPRESSION_LENGTH, type ExprNode } from './ast';
import { parseExpression } from './parse';

/** Prints a tree fully bracketed, so precedence is visible in a string. */
function bracketed(node: ExprNode): string {
  switch (node.type) {
    case 'literal': return typeof node.value === 'string' ? JSON.stringify(node.value) : String(node.value);
    case 'field': return node.name;
    case 'unary': return `(${node.op}${bracketed(node.operand)})`;
    case 'binary':
    case 'logical': return `(${bracketed(node.left)} ${node.op} ${bracketed(node.right)})`;
    case 'conditional': return `(${bracketed(node.test)} ? ${bracketed(node.consequent)} : ${bracketed(node.alternate)})`;
    case 'call': return `${node.name}(${node.args.map(bracketed).join(', ')})`;
  }
}

function parsed(source: string): string {
  const result = parseExpression(source);
  if (!result.ok) throw new Error(`expected ${source} to parse: ${result.message}`);
  return bracketed(result.ast);
}

function failure(source: string): { message: string; offset: number; code: string } {
  const result = parseExpression(source);
  if (result.ok) throw new Error(`expected ${source} to fail`);
  return result;
}

describe('precedence and associativity', () => {
  it.each([
    ['1 + 2 * 3', '(1 + (2 * 3))'],
    ['1 * 2 + 3', '((1 * 2) + 3)'],
    ['1 - 2 - 3', '((1 - 2) - 3)'],
    ['8 / 4 / 2', '((8 / 4) / 2)'],
    ['7 % 3 * 2', '((7 % 3) * 2)'],
    ['(1 + 2) * 3', '((1 + 2) * 3)'],
    ['-a * b', '((-a) * b)'],
    ['- - a', '(-(-a))'],
    ['!a && b', '((!a) && b)'],
    ['not a and b', '((!a) && b)'],
    ['a + 1 < b * 2', '((a + 1) < (b * 2))'],
    ['a < b == c < d', '((a < b) == (c < d))'],
    ['a == b != c', '((a == b) != c)'],
    ['a == 1 && b == 2', '((a == 1) && (b == 2))'],
    ['a || b && c', '(a || (b && c))'],
    ['a or b and c', '(a || (b && c))'],
    ['a && b || c && d', '((a && b) || (c && d))'],
    ['a || b ? c : d', '((a || b) ? c : d)'],
    ['a ? b : c ? d : e', '(a ? b : (c ? d : e))'],
    ['a ? b ? c : d : e', '(a ? (b ? c : d) : e)'],
    ['a >= 1 ? x + 1 : y * 2', '((a >= 1) ? (x + 1) : (y * 2))'],
    ['abs(a - b) <= 2', '(abs((a - b)) <= 2)'],
    ["concat('a', b, 1 + 2)", 'concat("a", b, (1 + 2))'],
    ['true || false && null', '(true || (false && null))'],
    ['"x" + 1.5e2', '("x" + 150)'],
  ])('%s parses as %s', (source, expected) => {
    expect(parsed(source)).toBe(expected);
  });
});

describe('literals and names', () => {
  it('reads numbers, both quote styles and escapes', () => {
    expect(parsed("'it\\'s' + \"q\\\"\\n\\t\\u0041\\\\\"")).toBe(`(${JSON.stringify("it's")} + ${JSON.stringify('q"\n\tA\\')})`);
    expect(parsed('0.25')).toBe('0.25');
    expect(parsed('2E-3')).toBe('0.002');
  });

  it('lists the fields read, in order of first use, without keywords or function names', () => {
    const result = parseExpression('value * 2 + len(key) + value + ts > other_1 and not flag');
    expect(result.ok && result.fields).toEqual(['value', 'key', 'ts', 'other_1', 'flag']);
  });

  it('treats a function name without a call as a field name', () => {
    expect(parsed('len + 1')).toBe('(len + 1)');
  });
});

describe('errors name the column', () => {
  it.each([
    ['abs(1))', "unexpected ')' at column 7", 6],
    ['1 +', 'unexpected end of expression at column 4', 3],
    ['(1 + 2', "expected ')' but found end of expression at column 7", 6],
    ['a b', 'unexpected name "b" at column 3', 2],
    ['x = 1', 'unexpected "=" at column 3; use "==" to compare', 2],
    ['a & b', 'unexpected "&" at column 3; use "&&" or "and"', 2],
    ['a | b', 'unexpected "|" at column 3; use "||" or "or"', 2],
    ['a # b', 'unexpected character "#" at column 3', 2],
    ['  "open', 'the string starting at column 3 is not closed; add the closing \'"\'', 2],
    ["'bad \\x'", 'unknown escape "\\\\x" at column 6', 5],
    ['12ab', 'malformed number "12ab" at column 1', 0],
    ['1.2.3', 'malformed number "1.2.3" at column 1', 0],
    ['1e999', 'malformed number "1e999" at column 1', 0],
    ['len(1, 2)', 'len() takes 1 argument but has 2 at column 1', 0],
    ['substr(s)', 'substr() takes 2 or 3 arguments but has 1 at column 1', 0],
    ['min()', 'min() takes 1 to 64 arguments but has 0 at column 1', 0],
    ['a ? b', "expected ':' but found end of expression at column 6", 5],
    ['f(,)', 'unknown function "f" at column 1', 0],
    ['1 + and', "unexpected 'and' at column 5", 4],
    ['__proto__ + 1', 'the name "__proto__" at column 1 is reserved; use another field name', 0],
    ['constructor', 'the name "constructor" at column 1 is reserved', 0],
  ])('%s → %s', (source, message, offset) => {
    const result = failure(source);
    expect(result.message).toContain(message);
    expect(result.offset).toBe(offset);
  });

  it('names the allowed functions when the name is unknown', () => {
    const result = failure('eval("1")');
    expect(result.code).toBe('expr.unknownFunction');
    expect(result.message).toContain('abs, floor, ceil, round, min, max, sqrt, len, lower, upper, trim, concat, substr, contains, startsWith, str, num, split, range, hash');
  });

  it('does not treat inherited object members as functions', () => {
    for (const name of ['toString', 'hasOwnProperty', 'constructor', '__proto__', 'valueOf']) {
      expect(failure(`${name}(1)`).code).toBe('expr.unknownFunction');
    }
  });

  it('rejects empty and blank expressions', () => {
    expect(failure('').code).toBe('expr.empty');
    expect(failure('   ').code).toBe('expr.empty');
  });
});

describe('hostile input', () => {
  it('rejects 10,000 opening brackets with a message, not a crash', () => {
    const result = failure('('.repeat(10_000));
    expect(result.code).toBe('expr.tooLong');
  });

  it('rejects nesting beyond the depth limit within the length limit', () => {
    expect(failure(`${'('.repeat(900)}1${')'.repeat(900)}`).code).toBe('expr.tooDeep');
    expect(failure(`${'-'.repeat(1500)}1`).code).toBe('expr.tooDeep');
    expect(failure(`${'!'.repeat(MAX_EXPRESSION_DEPTH + 1)}true`).code).toBe('expr.tooDeep');
    expect(failure(`${'abs('.repeat(300)}1${')'.repeat(300)}`).code).toBe('expr.tooDeep');
    expect(failure(`${'a ? b : '.repeat(200)}c`).code).toBe('expr.tooDeep');
  });

  it('accepts nesting just inside the limit', () => {
    const depth = MAX_EXPRESSION_DEPTH - 1;
    expect(parseExpression(`${'('.repeat(depth)}1${')'.repeat(depth)}`).ok).toBe(true);
  });

  it('accepts long flat chains (they loop, they do not nest)', () => {
    const chain = Array.from({ length: 600 }, () => '1').join('+');
    expect(chain.length).toBeLessThanOrEqual(MAX_EXPRESSION_LENGTH);
    expect(parseExpression(chain).ok).toBe(true);
  });

  it('rejects sources over the length limit before tokenizing', () => {
    const result = failure('a'.repeat(MAX_EXPRESSION_LENGTH + 1));
    expect(result.message).toBe(`the expression is ${MAX_EXPRESSION_LENGTH + 1} characters long; the limit is ${MAX_EXPRESSION_LENGTH}`);
  });

  it('never throws on random printable input', () => {
    const alphabet = 'ab1 ()+-*/%!=<>&|?:,\'".e_x\\n';
    let state = 12345;
    for (let i = 0; i < 2000; i++) {
      let source = '';
      const length = i % 40;
      for (let j = 0; j < length; j++) {
        state = (Math.imul(state, 1103515245) + 12345) >>> 0;
        source += alphabet.charAt(state % alphabet.length);
      }
      expect(() => parseExpression(source), `source ${JSON.stringify(source)}`).not.toThrow();
    }
  });
});
