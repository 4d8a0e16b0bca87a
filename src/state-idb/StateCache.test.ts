import { describe, expect, it } from 'vitest';
import { SeededPrng } from '../engine/random';
import { StateCache, type CacheEntry } from './StateCache';

function entry(key: string, rows: unknown[] = [], expired = false): CacheEntry {
  return { operatorId: 'op', keyGroup: 0, group: 0, encodedKey: key, rows, inFilter: undefined, expired: () => expired };
}

describe('state cache (fixed table, CLOCK)', () => {
  it('never holds more than its capacity, and agrees with a Map model under random set/get/delete', () => {
    const cache = new StateCache(64);
    const prng = new SeededPrng(7, 11);
    const live = new Set<string>();
    for (let i = 0; i < 50_000; i++) {
      const key = `k${prng.nextInt(200)}`;
      const op = prng.nextInt(3);
      if (op === 0) {
        cache.set(entry(key), 0);
        live.add(key);
      } else if (op === 1) {
        cache.delete(0, key);
        live.delete(key);
      } else {
        const got = cache.get(0, key);
        // A hit must be the key asked for; a miss is legal (evicted) only when it was live.
        if (got !== undefined) expect(got.encodedKey).toBe(key);
        if (got === undefined) live.delete(key);
      }
      expect(cache.size).toBeLessThanOrEqual(64);
    }
    expect(cache.counters.evictions).toBeGreaterThan(0);
  });

  it('gives referenced entries a second chance and prefers expired entries', () => {
    const cache = new StateCache(3);
    cache.set(entry('a', ['v', 'a', 1]), 0);
    cache.set(entry('b', ['v', 'b', 1], true), 0);
    cache.set(entry('c', ['v', 'c', 1]), 0);
    cache.set(entry('d'), 0);
    expect(cache.get(0, 'b')).toBeUndefined();
    expect(cache.counters.expiredEvictions).toBe(1);
    expect([cache.get(0, 'a'), cache.get(0, 'c'), cache.get(0, 'd')].every((e) => e !== undefined)).toBe(true);
  });

  it('keeps the same encoded key of two groups apart', () => {
    const cache = new StateCache(8);
    const a = cache.groupOf('op', 1);
    const b = cache.groupOf('other', 1);
    expect(cache.groupOf('op', 1)).toBe(a);
    expect(b).not.toBe(a);
    cache.set({ ...entry('k', ['v', 'k', 1]), group: a }, 0);
    cache.set({ ...entry('k', ['v', 'k', 2]), group: b }, 0);
    expect(cache.get(a, 'k')?.rows[2]).toBe(1);
    expect(cache.get(b, 'k')?.rows[2]).toBe(2);
    cache.delete(a, 'k');
    expect(cache.get(a, 'k')).toBeUndefined();
    expect([...cache.entriesOf(b)].map((e) => e.rows[2])).toEqual([2]);
  });

  it('prefetch (force = false) fills free slots only', () => {
    const cache = new StateCache(2);
    expect(cache.set(entry('a'), 0, false)).toBe(true);
    expect(cache.set(entry('b'), 0, false)).toBe(true);
    expect(cache.set(entry('c'), 0, false)).toBe(false);
    expect(cache.size).toBe(2);
  });
});
