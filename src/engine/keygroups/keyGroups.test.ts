import { describe, expect, it } from 'vitest';
import {
  MAX_MAX_PARALLELISM,
  keyGroupForHash,
  keyGroupForKey,
  keyGroupRangeForOperator,
  maxParallelismFor,
  murmurHash,
  operatorIndexForKeyGroup,
  roundUpToPowerOfTwo,
} from './keyGroups';

describe('roundUpToPowerOfTwo (Flink MathUtils)', () => {
  it('rounds up to the next power of two and keeps powers of two', () => {
    const cases: [number, number][] = [
      [0, 0], [1, 1], [2, 2], [3, 4], [5, 8], [7, 8], [8, 8], [9, 16],
      [1000, 1024], [1024, 1024], [1025, 2048], [150_000, 262_144], [1 << 30, 1 << 30],
    ];
    for (const [x, expected] of cases) expect(roundUpToPowerOfTwo(x), `x = ${x}`).toBe(expected);
  });

  it('overflows like Java int above 2^30', () => {
    expect(roundUpToPowerOfTwo((1 << 30) + 1)).toBe(-2_147_483_648);
  });

  it('rejects non-int inputs', () => {
    expect(() => roundUpToPowerOfTwo(2.5)).toThrow(/not a Java int/);
  });
});

describe('murmurHash (Flink MathUtils)', () => {
  it('is never negative over a sweep of inputs', () => {
    for (let i = -2_147_483_648; i < 2_147_483_647 - 9_999_991; i += 9_999_991) {
      expect(murmurHash(i)).toBeGreaterThanOrEqual(0);
    }
  });

  it('maps the Integer.MIN_VALUE preimage to 0', () => {
    expect(murmurHash(-2_089_875_627)).toBe(0);
  });

  it('rejects values that are not Java ints', () => {
    expect(() => murmurHash(2 ** 31)).toThrow(/not a Java int/);
  });
});

describe('keyGroupForKey / keyGroupForHash', () => {
  it('is murmurHash(hashCode) % maxParallelism', () => {
    expect(keyGroupForKey('A', 128)).toBe(104);
    expect(keyGroupForKey('B', 128)).toBe(17);
    expect(keyGroupForHash(65, 128)).toBe(104);
  });

  it('is always within [0, maxParallelism)', () => {
    for (let k = 0; k < 500; k++) {
      const kg = keyGroupForKey(`key-${k}`, 1024);
      expect(kg).toBeGreaterThanOrEqual(0);
      expect(kg).toBeLessThan(1024);
    }
  });

  it.each([0, -1, MAX_MAX_PARALLELISM + 1, 1.5])('rejects max parallelism %s', (maxP) => {
    expect(() => keyGroupForKey('a', maxP)).toThrow(/Max parallelism .* must be an integer in \[1, 32768\]/);
  });
});

describe('operatorIndexForKeyGroup', () => {
  it('is keyGroup * p / maxP with int division', () => {
    expect(operatorIndexForKeyGroup(128, 2, 104)).toBe(1);
    expect(operatorIndexForKeyGroup(128, 8, 104)).toBe(6);
    expect(operatorIndexForKeyGroup(128, 8, 17)).toBe(1);
    expect(operatorIndexForKeyGroup(128, 3, 127)).toBe(2);
    expect(operatorIndexForKeyGroup(32_768, 32_768, 32_767)).toBe(32_767);
  });

  it('throws clear errors on bad arguments', () => {
    expect(() => operatorIndexForKeyGroup(128, 0, 0)).toThrow(/Parallelism 0 is out of range/);
    expect(() => operatorIndexForKeyGroup(128, 129, 0)).toThrow(/exceeds max parallelism 128/);
    expect(() => operatorIndexForKeyGroup(128, 4, 128)).toThrow(/Key group 128 is out of range.*\[0, 127\]/);
    expect(() => operatorIndexForKeyGroup(128, 4, -1)).toThrow(/Key group -1 is out of range/);
  });
});

describe('keyGroupRangeForOperator', () => {
  it('matches Flink computeKeyGroupRangeForOperatorIndex', () => {
    expect(keyGroupRangeForOperator(128, 3, 1)).toEqual({ start: 43, end: 85 });
    expect(keyGroupRangeForOperator(10, 10, 9)).toEqual({ start: 9, end: 9 });
    expect(keyGroupRangeForOperator(1024, 1, 0)).toEqual({ start: 0, end: 1023 });
  });

  it('is the exact inverse of operatorIndexForKeyGroup and tiles [0, maxP)', () => {
    for (const [maxP, p] of [[128, 3], [128, 128], [1024, 7], [1000, 999], [32_768, 10], [37, 5]] as const) {
      let next = 0;
      for (let i = 0; i < p; i++) {
        const { start, end } = keyGroupRangeForOperator(maxP, p, i);
        expect(start, `${maxP}/${p}#${i}`).toBe(next);
        expect(operatorIndexForKeyGroup(maxP, p, start)).toBe(i);
        expect(operatorIndexForKeyGroup(maxP, p, end)).toBe(i);
        next = end + 1;
      }
      expect(next).toBe(maxP);
    }
  });

  it('throws clear errors on bad arguments', () => {
    expect(() => keyGroupRangeForOperator(128, 3, 3)).toThrow(/Subtask index 3 is out of range.*\[0, 2\]/);
    expect(() => keyGroupRangeForOperator(4, 8, 0)).toThrow(/exceeds max parallelism/);
    expect(() => keyGroupRangeForOperator(40_000, 8, 0)).toThrow(/Max parallelism 40000 is out of range/);
  });
});

describe('maxParallelismFor', () => {
  it('defaults to the seed formula', () => {
    expect(maxParallelismFor(1)).toBe(1024);
    expect(maxParallelismFor(100)).toBe(2048); // (100 + 50) * 10 = 1500 → 2048
    expect(maxParallelismFor(100, 'sluice')).toBe(2048);
  });

  it('offers Flink computeDefaultMaxParallelism', () => {
    expect(maxParallelismFor(1, 'flink')).toBe(128);
    expect(maxParallelismFor(100, 'flink')).toBe(256); // 150 → 256
    expect(maxParallelismFor(3, 'flink')).toBe(128); // 3 + 3/2 = 4 in Java int division
  });

  it('caps at 32768 and stays >= parallelism', () => {
    for (const p of [1, 7, 999, 2_000, 21_846, MAX_MAX_PARALLELISM]) {
      for (const formula of ['sluice', 'flink'] as const) {
        const maxP = maxParallelismFor(p, formula);
        expect(maxP).toBeLessThanOrEqual(MAX_MAX_PARALLELISM);
        expect(maxP).toBeGreaterThanOrEqual(p);
      }
    }
  });

  it('rejects parallelism outside [1, 32768] and unknown formulas', () => {
    expect(() => maxParallelismFor(0)).toThrow(/Parallelism 0 is out of range/);
    expect(() => maxParallelismFor(32_769)).toThrow(/out of range/);
    expect(() => maxParallelismFor(2.5)).toThrow(/out of range/);
    expect(() => maxParallelismFor(2, 'spark' as never)).toThrow(/Unknown max-parallelism formula 'spark'/);
  });
});
