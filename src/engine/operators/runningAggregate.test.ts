import { describe, expect, it } from 'vitest';
import { at, harness } from './testing/operatorHarness';
import { UserFunctionError } from './UserFunctionError';

const words = (...keys: string[]) => keys.map((key, i) => at(i * 10, { key, value: i + 1 }));

describe('aggregate (running count/sum/min/max per key)', () => {
  it('count emits {key, value, ts} on every update', () => {
    const h = harness('aggregate', { config: { fn: 'count' } });
    expect(h.push(words('a', 'b', 'a')).map((r) => r.record)).toEqual([
      { key: 'a', value: 1, ts: 0 },
      { key: 'b', value: 1, ts: 10 },
      { key: 'a', value: 2, ts: 20 },
    ]);
  });

  it('sum, min and max over a field; nulls are skipped', () => {
    const input = [at(1, { key: 'k', value: 5 }), at(2, { key: 'k', value: -2 }), at(3, { key: 'k' }), at(4, { key: 'k', value: 9 })];
    const run = (fn: string) => harness('aggregate', { config: { fn } }).push(input).map((r) => r.record.value);
    expect(run('sum')).toEqual([5, 3, 3, 12]);
    expect(run('min')).toEqual([5, -2, -2, -2]);
    expect(run('max')).toEqual([5, 5, 5, 9]);
  });

  it('min of only nulls is null; count ignores the field', () => {
    expect(harness('aggregate', { config: { fn: 'min' } }).push([at(1, { key: 'k' })])[0]?.record.value).toBeNull();
    expect(harness('aggregate', { config: { fn: 'count', field: 'nope' } }).push([at(1, { key: 'k', nope: 'x' })])[0]?.record.value).toBe(1);
  });

  it('without event time, ts is the virtual processing time and the timestamp stays null', () => {
    const h = harness('aggregate', { config: { fn: 'count' } });
    h.clock.set(1234);
    expect(h.push([at(null, { key: 'a' })])).toEqual([at(null, { key: 'a', value: 1, ts: 1234 })]);
  });

  it('keys by an expression of the input edge, and integer keys work', () => {
    const h = harness('aggregate', { config: { fn: 'sum' }, inputKeys: ['value % 2'] });
    const out = h.push([at(1, { value: 1 }), at(2, { value: 2 }), at(3, { value: 3 })]).map((r) => r.record);
    expect(out).toEqual([{ key: 1, value: 1, ts: 1 }, { key: 0, value: 2, ts: 2 }, { key: 1, value: 4, ts: 3 }]);
  });

  it('a text field, a null key and a non-integer key fail with UserFunctionError', () => {
    expect(() => harness('aggregate', { config: { fn: 'sum' } }).push([at(1, { key: 'k', value: 'x' })])).toThrow(UserFunctionError);
    expect(() => harness('aggregate').push([at(1, { value: 1 })])).toThrow(/key 'key' is null/);
    expect(() => harness('aggregate', { inputKeys: ['value / 2'] }).push([at(1, { value: 1 })])).toThrow(UserFunctionError);
  });

  it('a key owned by another subtask is refused (routing bug), not silently stored', () => {
    const h = harness('aggregate', { parallelism: 2, index: 0, maxParallelism: 128 });
    // 'A' is in key group 104, which subtask 1 of 2 owns.
    expect(() => h.push([at(1, { key: 'A' })])).toThrow(/wrong subtask/);
  });

  it('state survives across batches and is kept per key', () => {
    const h = harness('aggregate', { config: { fn: 'count' } });
    for (let i = 0; i < 10; i++) h.push(words('x', 'y'));
    expect(h.push(words('x')).map((r) => r.record.value)).toEqual([11]);
    expect(h.runner.ctx.keyed?.backend.metrics().totalEntries).toBe(2);
  });
});
