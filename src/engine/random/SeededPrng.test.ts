import { describe, expect, it } from 'vitest';
import { createPrng } from './SeededPrng';
import { counterUniform, hashString32, mix32 } from './hash32';

function draws(n: number, next: () => number): number[] {
  return Array.from({ length: n }, next);
}

describe('SeededPrng', () => {
  it('gives the same sequence for the same seed, and another for another seed', () => {
    const a = createPrng(42);
    const b = createPrng(42);
    const c = createPrng(43);
    const seqA = draws(100, () => a.nextUint32());
    expect(draws(100, () => b.nextUint32())).toEqual(seqA);
    expect(draws(100, () => c.nextUint32())).not.toEqual(seqA);
  });

  it('pins its first outputs, so an accidental algorithm change is caught', () => {
    const prng = createPrng(1);
    const first = draws(4, () => prng.nextUint32());
    // Pinned from the implementation: a change here changes every seeded run (say so in DESIGN.md).
    expect(first).toEqual(PINNED_SEED_1);
  });

  it('accepts text seeds and negative integers, and rejects unsafe numbers', () => {
    expect(createPrng('run-7').next()).toBe(createPrng('run-7').next());
    expect(createPrng(-1).next()).not.toBe(createPrng(1).next());
    expect(() => createPrng(2 ** 60)).toThrow(RangeError);
    expect(() => createPrng(1.5)).toThrow(RangeError);
  });

  it('next() stays in [0, 1) with a sane mean', () => {
    const prng = createPrng(7);
    let sum = 0;
    let outside = 0;
    for (let i = 0; i < 100_000; i++) {
      const x = prng.next();
      if (!(x >= 0 && x < 1)) outside++;
      sum += x;
    }
    expect(outside).toBe(0);
    expect(sum / 100_000).toBeCloseTo(0.5, 2);
  });

  it('nextInt is uniform over a small bound (chi-square, 9 degrees of freedom)', () => {
    const prng = createPrng(11);
    const counts = new Array<number>(10).fill(0);
    const n = 100_000;
    for (let i = 0; i < n; i++) counts[prng.nextInt(10)]! += 1;
    const expected = n / 10;
    const chi2 = counts.reduce((acc, c) => acc + (c - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(27.9); // p = 0.001
  });

  it('nextInt handles bounds of 1, 2^32 and beyond, and rejects bad bounds', () => {
    const prng = createPrng(3);
    expect(prng.nextInt(1)).toBe(0);
    const big = prng.nextInt(2 ** 32);
    expect(big >= 0 && big < 2 ** 32).toBe(true);
    const huge = prng.nextInt(2 ** 40);
    expect(huge >= 0 && huge < 2 ** 40 && Number.isInteger(huge)).toBe(true);
    expect(() => prng.nextInt(0)).toThrow(RangeError);
    expect(() => prng.nextInt(2.5)).toThrow(RangeError);
  });

  it('fork depends on the label and the parent identity, not on draws already taken', () => {
    const parent = createPrng(5);
    const early = parent.fork('map#0');
    draws(1000, () => parent.next());
    const late = parent.fork('map#0');
    expect(draws(20, () => late.nextUint32())).toEqual(draws(20, () => early.nextUint32()));
    const other = createPrng(5).fork('map#1');
    const again = createPrng(5).fork('map#0');
    expect(draws(20, () => other.nextUint32())).not.toEqual(draws(20, () => again.nextUint32()));
    expect(createPrng(6).fork('map#0').nextUint32()).not.toBe(createPrng(5).fork('map#0').nextUint32());
  });

  it('forks are order-sensitive paths: a/b differs from b/a', () => {
    const root = createPrng(9);
    expect(root.fork('a').fork('b').nextUint32()).not.toBe(root.fork('b').fork('a').nextUint32());
  });

  it('sibling forks are uncorrelated (Pearson r near 0)', () => {
    const root = createPrng(2024);
    const xs = draws(20_000, ((p) => () => p.next())(root.fork('left')));
    const ys = draws(20_000, ((p) => () => p.next())(root.fork('right')));
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    const mx = mean(xs);
    const my = mean(ys);
    let cov = 0;
    let vx = 0;
    let vy = 0;
    for (let i = 0; i < xs.length; i++) {
      cov += (xs[i]! - mx) * (ys[i]! - my);
      vx += (xs[i]! - mx) ** 2;
      vy += (ys[i]! - my) ** 2;
    }
    expect(Math.abs(cov / Math.sqrt(vx * vy))).toBeLessThan(0.03);
  });
});

describe('hash32 helpers', () => {
  it('mix32 is a bijection on a sample (no collisions among 100k consecutive inputs)', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 100_000; i++) seen.add(mix32(i));
    expect(seen.size).toBe(100_000);
  });

  it('hashString32 depends on text and seed', () => {
    expect(hashString32('abc')).toBe(hashString32('abc'));
    expect(hashString32('abc')).not.toBe(hashString32('abd'));
    expect(hashString32('abc', 1)).not.toBe(hashString32('abc', 2));
  });

  it('counterUniform is a pure function of key, counter and draw, and spreads neighbours', () => {
    expect(counterUniform(1, 2, 12345, 0)).toBe(counterUniform(1, 2, 12345, 0));
    expect(counterUniform(1, 2, 12345, 0)).not.toBe(counterUniform(1, 2, 12346, 0));
    expect(counterUniform(1, 2, 12345, 0)).not.toBe(counterUniform(1, 2, 12345, 1));
    expect(counterUniform(1, 2, 2 ** 40, 0)).not.toBe(counterUniform(1, 2, 2 ** 40 + 2 ** 32, 0));
    let sum = 0;
    for (let i = 0; i < 50_000; i++) sum += counterUniform(3, 4, i, 0);
    expect(sum / 50_000).toBeCloseTo(0.5, 2);
  });
});

const PINNED_SEED_1 = [2211729915, 1831366229, 625831922, 1689005685];
