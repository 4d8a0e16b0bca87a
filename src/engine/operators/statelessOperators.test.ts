import { describe, expect, it } from 'vitest';
import { at, harness } from './testing/operatorHarness';
import { UserFunctionError } from './UserFunctionError';

describe('map (set field to expression)', () => {
  it('sets the field from the expression, keeps timestamps, never mutates the input', () => {
    const h = harness('map', { config: { field: 'double', expr: 'value * 2' } });
    const input = at(5, { key: 'a', value: 21 });
    expect(h.push([input, at(null, { key: 'b', value: 1 })])).toEqual([
      at(5, { key: 'a', value: 21, double: 42 }),
      at(null, { key: 'b', value: 1, double: 2 }),
    ]);
    expect(input.record).toEqual({ key: 'a', value: 21 });
    expect(h.runner.ctx.counters).toMatchObject({ recordsIn: 2, recordsOut: 2 });
  });

  it('a type error in the expression fails with a UserFunctionError naming operator and subtask', () => {
    const h = harness('map', { config: { field: 'x', expr: "key - 1" }, parallelism: 4, index: 2 });
    let caught: unknown;
    try {
      h.push([at(1, { key: 'text', value: 1 })]);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UserFunctionError);
    const failure = caught as UserFunctionError;
    expect(failure.operatorId).toBe('map-op');
    expect(failure.subtaskIndex).toBe(2);
    expect(failure.operatorName).toBe('Test map');
    expect(failure.code).toMatch(/^expr\./);
    expect(failure.message).toMatch(/Test map.*subtask 2/);
  });

  it('a list result fails the task (a field holds one value)', () => {
    const h = harness('map', { config: { field: 'x', expr: "split(key, '-')" } });
    expect(() => h.push([at(1, { key: 'a-b' })])).toThrow(/flatMap/);
  });

  it('an expression that does not compile fails at open', () => {
    expect(() => harness('map', { config: { field: 'x', expr: 'value +' } })).toThrow(UserFunctionError);
  });
});

describe('filter', () => {
  it('keeps true, drops false and null', () => {
    const h = harness('filter', { config: { expr: 'value > 1' } });
    const out = h.push([at(1, { value: 1 }), at(2, { value: 2 }), at(3, {})]);
    expect(out).toEqual([at(2, { value: 2 })]);
  });

  it('a non-boolean condition fails the task', () => {
    const h = harness('filter', { config: { expr: 'value' } });
    expect(() => h.push([at(1, { value: 3 })])).toThrow(/not true or false/);
  });
});

describe('flatMap', () => {
  it('emits one record per list element, none for null, one for a scalar', () => {
    const h = harness('flatMap', { config: { expr: "split(key, '-')", field: 'word' } });
    expect(h.push([at(7, { key: 'a-b-c' })]).map((r) => r.record.word)).toEqual(['a', 'b', 'c']);
    const n = harness('flatMap', { config: { expr: 'missing', field: 'word' } });
    expect(n.push([at(7, { key: 'x' })])).toEqual([]);
    const s = harness('flatMap', { config: { expr: 'value', field: 'v' } });
    expect(s.push([at(7, { value: 3 })])).toEqual([at(7, { value: 3, v: 3 })]);
  });

  it('keeps the other fields and the timestamp', () => {
    const h = harness('flatMap', { config: { expr: 'range(2)', field: 'i' } });
    expect(h.push([at(9, { key: 'k' })])).toEqual([at(9, { key: 'k', i: 0 }), at(9, { key: 'k', i: 1 })]);
    expect(h.runner.ctx.counters).toMatchObject({ recordsIn: 1, recordsOut: 2 });
  });
});

describe('union', () => {
  it('passes records of every input through unchanged', () => {
    const h = harness('union');
    expect(h.push([at(1, { a: 1 })], 0)).toEqual([at(1, { a: 1 })]);
    expect(h.push([at(2, { b: 2 })], 1)).toEqual([at(2, { b: 2 })]);
  });
});
