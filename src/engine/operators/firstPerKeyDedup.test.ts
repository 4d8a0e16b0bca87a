import { describe, expect, it } from 'vitest';
import { at, harness } from './testing/operatorHarness';

const event = (key: string, n: number) => at(n, { key, value: n });

describe('dedup (first record per key, TTL)', () => {
  it('passes the first record of a key and drops repeats within the TTL', () => {
    const h = harness('dedup', { config: { ttlMs: 100 } });
    const out = h.push([event('a', 1), event('b', 2), event('a', 3)]);
    expect(out.map((r) => r.record.value)).toEqual([1, 2]);
    h.clock.advance(99);
    expect(h.push([event('a', 4)])).toEqual([]);
  });

  it('OnCreateAndWrite: the key passes again ttl after it was first seen, despite repeats', () => {
    const h = harness('dedup', { config: { ttlMs: 100, ttlUpdate: 'OnCreateAndWrite' } });
    h.push([event('a', 1)]);
    for (let t = 0; t < 3; t++) {
      h.clock.advance(30);
      expect(h.push([event('a', 2)])).toEqual([]);
    }
    h.clock.advance(10); // 100 ms after the first record
    expect(h.push([event('a', 3)]).map((r) => r.record.value)).toEqual([3]);
  });

  it('OnReadAndWrite: every repeat refreshes the TTL, so only silence lets the key pass again', () => {
    const h = harness('dedup', { config: { ttlMs: 100, ttlUpdate: 'OnReadAndWrite' } });
    h.push([event('a', 1)]);
    for (let t = 0; t < 5; t++) {
      h.clock.advance(60);
      expect(h.push([event('a', 2)])).toEqual([]);
    }
    h.clock.advance(100);
    expect(h.push([event('a', 3)]).map((r) => r.record.value)).toEqual([3]);
  });

  it('state levels off: expired keys that never return are cleaned up incrementally', () => {
    const h = harness('dedup', { config: { ttlMs: 1000 } });
    const metrics = () => h.runner.ctx.keyed?.backend.metrics().totalEntries ?? -1;
    let n = 0;
    const sizes: number[] = [];
    for (let second = 0; second < 10; second++) {
      for (let batch = 0; batch < 10; batch++) {
        const records = Array.from({ length: 50 }, () => event(`key-${n++}`, n));
        h.push(records);
        h.clock.advance(100);
      }
      sizes.push(metrics());
    }
    // 500 fresh keys per virtual second with a 1 s TTL: live state stays near 500, never the 5,000 seen.
    for (const size of sizes.slice(2)) expect(size).toBeLessThan(1200);
    expect(n).toBe(5000);
  });
});
