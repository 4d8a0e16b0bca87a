import { describe, expect, it } from 'vitest';
import type { ExprRecord, Value } from './ast';
import { compileExpression, compileExpressionSource } from './compile';
import { ExpressionError } from './ExpressionError';
import { parseExpression } from './parse';

const record: ExprRecord = { key: 'user-42', value: 7, ts: 1000, flag: true, nothing: null, text: '  Hi There ' };

function run(source: string, input: ExprRecord = record): Value {
  return compileExpressionSource(source)(input);
}

function runError(source: string, input: ExprRecord = record): ExpressionError {
  try {
    run(source, input);
  } catch (error) {
    if (error instanceof ExpressionError) return error;
    throw error;
  }
  throw new Error(`expected ${source} to throw`);
}

describe('operators', () => {
  it.each<[string, Value]>([
    ['value * 2', 14],
    ['value % 2 == 1', true],
    ['-value + 1', -6],
    ['10 / 4', 2.5],
    ['-7 % 3', -1],
    ["'n=' + value", 'n=7'],
    ["value + '!'", '7!'],
    ["key + flag + nothing", 'user-42truenull'],
    ['nothing + 1', null],
    ['nothing * value', null],
    ['-nothing', null],
    ['1 / 0', null],
    ['value % 0', null],
    ['0 / 0', null],
    ['1e308 * 10', null],
    ['-0', 0],
    ['1 == 1', true],
    ["1 == '1'", false],
    ['nothing == null', true],
    ['missing == null', true],
    ['value != 7', false],
    ["'a' < 'b'", true],
    ["'B' < 'a'", true],
    ['value >= 7 && value <= 7', true],
    ['nothing < 1', false],
    ['nothing >= 1', false],
    ['!flag', false],
    ['!nothing', true],
    ['not flag or value > 5', true],
    ['flag ? "yes" : "no"', 'yes'],
    ['nothing ? 1 : 2', 2],
    ["split('a,b', ',') == split('a,b', ',')", true],
    ["split('a,b', ',') == split('a', ',')", false],
  ])('%s = %j', (source, expected) => {
    expect(run(source)).toEqual(expected);
  });

  it('short-circuits && and || (the right side is not evaluated)', () => {
    expect(run("false && 'text'")).toBe(false);
    expect(run("true || 'text'")).toBe(true);
    expect(run("true ? 1 : 'a' - 1")).toBe(1);
  });

  it('reads only own fields of the record', () => {
    const proto: ExprRecord = { inherited: 5 };
    const child = Object.create(proto) as ExprRecord;
    expect(run('inherited', child)).toBeNull();
    expect(run('toString', child)).toBeNull();
    expect(run('hasOwnProperty == null', {})).toBe(true);
  });

  it('is deterministic and reusable across records', () => {
    const compiled = compileExpressionSource('value * 2 + 1');
    expect([1, 2, 3].map((value) => compiled({ value }))).toEqual([3, 5, 7]);
  });

  it('evaluates long flat chains without running out of stack', () => {
    const chain = Array.from({ length: 900 }, () => 'n').join('+');
    expect(run(chain, { n: 2 })).toBe(1800);
  });
});

describe('run-time type errors', () => {
  it.each([
    ["'a' - 1", "operator '-' at column 5 cannot combine text and a number"],
    ['flag * 2', "operator '*' at column 6 cannot combine a boolean and a number"],
    ["value < 'x'", "operator '<' at column 7 cannot combine a number and text"],
    ['flag < true', "operator '<' at column 6 cannot combine a boolean and a boolean"],
    ['-key', "operator '-' at column 1 cannot apply to text"],
    ['!value', "operator '!' at column 1 cannot apply to a number"],
    ['value && flag', "'&&' at column 7 needs true or false, not a number"],
    ['nothing || key', "'||' at column 9 needs true or false, not text"],
    ["key ? 1 : 2", "'?' at column 5 needs true or false, not text"],
    ['range(3) * 2', "operator '*' at column 10 cannot combine a list and a number"],
  ])('%s throws "%s"', (source, message) => {
    const error = runError(source);
    expect(error.message).toBe(message);
    expect(error.name).toBe('ExpressionError');
  });
});

describe('compileExpression', () => {
  it('compiles a tree from parseExpression', () => {
    const result = parseExpression('upper(key)');
    if (!result.ok) throw new Error(result.message);
    expect(compileExpression(result.ast)({ key: 'k' })).toBe('K');
  });

  it('refuses source that does not parse', () => {
    expect(() => compileExpressionSource('1 +')).toThrow(ExpressionError);
  });
});
