import { describe, expect, it } from 'vitest';
import type { ExprRecord, Value } from './ast';
import { compileExpressionSource } from './compile';
import { ExpressionError } from './ExpressionError';
import { FUNCTION_NAMES, MAX_LIST_LENGTH } from './functions';

const record: ExprRecord = { key: 'a-b-c', value: -2.5, n: 3, s: '  Mixed Case ', nothing: null, flag: true };

function run(source: string): Value {
  return compileExpressionSource(source)(record);
}

/** Every whitelisted function, with cases covering its normal use, null and edge values. */
const CASES: Record<string, [string, Value][]> = {
  abs: [['abs(value)', 2.5], ['abs(3)', 3], ['abs(nothing)', null]],
  floor: [['floor(value)', -3], ['floor(2.9)', 2], ['floor(nothing)', null]],
  ceil: [['ceil(value)', -2], ['ceil(2.1)', 3]],
  round: [['round(2.5)', 3], ['round(value)', -2], ['round(-0.4)', 0], ['round(nothing)', null]],
  min: [['min(3, 1, 2)', 1], ['min(n)', 3], ['min(1, nothing)', null]],
  max: [['max(3, 1, 2)', 3], ['max(value, -10)', -2.5]],
  sqrt: [['sqrt(16)', 4], ['sqrt(-1)', null], ['sqrt(nothing)', null]],
  len: [['len(key)', 5], ["len('')", 0], ["len(split(key, '-'))", 3], ['len(nothing)', null]],
  lower: [['lower(s)', '  mixed case '], ['lower(nothing)', null]],
  upper: [['upper(s)', '  MIXED CASE ']],
  trim: [['trim(s)', 'Mixed Case'], ['trim(nothing)', null]],
  concat: [["concat(key, ':', n)", 'a-b-c:3'], ['concat(flag, nothing)', 'truenull'], ["concat('x')", 'x']],
  substr: [
    ['substr(key, 2)', 'b-c'], ['substr(key, 2, 1)', 'b'], ['substr(key, -5, 2)', 'a-'],
    ['substr(key, 10)', ''], ['substr(key, 1, -1)', ''], ['substr(key, 1.9, 2.9)', '-b'], ['substr(nothing, 1)', null],
  ],
  contains: [
    ["contains(key, 'b-')", true], ["contains(key, 'x')", false], ["contains(split(key, '-'), 'c')", true],
    ['contains(range(3), 2)', true], ['contains(range(3), 3)', false], ["contains(nothing, 'a')", null],
  ],
  startsWith: [["startsWith(key, 'a-')", true], ["startsWith(key, 'b')", false], ['startsWith(nothing, key)', null]],
  str: [['str(n)', '3'], ['str(value)', '-2.5'], ['str(flag)', 'true'], ['str(nothing)', 'null'], ['str(range(2))', '[0,1]'], ['str(0.1 + 0.2)', '0.30000000000000004']],
  num: [
    ["num('42')", 42], ["num(' 1.5 ')", 1.5], ["num('x')", null], ["num('')", null], ["num('Infinity')", null],
    ['num(flag)', 1], ['num(nothing)', null], ['num(n)', 3],
  ],
  split: [["split(key, '-')", ['a', 'b', 'c']], ["split('abc', '')", ['a', 'b', 'c']], ["split(key, '+')", ['a-b-c']], ["split(nothing, '-')", null]],
  range: [['range(n)', [0, 1, 2]], ['range(0)', []], ['range(-4)', []], ['range(2.7)', [0, 1]], ['range(nothing)', null]],
  hash: [
    ["hash('')", 0], ["hash('a')", 97], ["hash('hello')", 99162322], ["hash('polygenelubricants')", -2147483648],
    ['hash(12)', 1569], ['hash(nothing)', 0],
  ],
};

describe('every whitelisted function', () => {
  it('has cases here', () => {
    expect(Object.keys(CASES).sort()).toEqual([...FUNCTION_NAMES].sort());
  });

  for (const [name, cases] of Object.entries(CASES)) {
    it.each(cases)(`${name}: %s = %j`, (source, expected) => {
      expect(run(source)).toEqual(expected);
    });
  }

  it('caps range and split at the list limit', () => {
    expect((run('range(1e9)') as Value[]).length).toBe(MAX_LIST_LENGTH);
    const long = compileExpressionSource("split(s, ',')")({ s: ','.repeat(MAX_LIST_LENGTH * 2) });
    expect((long as Value[]).length).toBe(MAX_LIST_LENGTH);
  });
});

describe('argument type errors', () => {
  it.each([
    ['abs(key)', 'abs() at column 1 needs a number as argument 1, not text'],
    ['lower(n)', 'lower() at column 1 needs text as argument 1, not a number'],
    ["substr(key, 'x')", 'substr() at column 1 needs a number as argument 2, not text'],
    ['len(flag)', 'len() at column 1 needs text or a list as argument 1, not a boolean'],
    ["1 + max(1, 'a')", 'max() at column 5 needs a number as argument 2, not text'],
    ['split(key, 1)', 'split() at column 1 needs text as argument 2, not a number'],
    ['range(key)', 'range() at column 1 needs a number as argument 1, not text'],
    ["contains(n, 'a')", 'contains() at column 1 needs text as argument 1, not a number'],
  ])('%s throws "%s"', (source, message) => {
    expect(() => run(source)).toThrow(ExpressionError);
    expect(() => run(source)).toThrow(message);
  });
});
