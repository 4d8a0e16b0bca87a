import { describe, expect, it } from 'vitest';
import { createPrng } from './SeededPrng';
import { ZipfSampler, createKeySampler } from './ZipfSampler';

function histogram(n: number, samples: number, sample: (u: number) => number, seed = 1): number[] {
  const prng = createPrng(seed);
  const counts = new Array<number>(n).fill(0);
  for (let i = 0; i < samples; i++) counts[sample(prng.next())]! += 1;
  return counts;
}

describe('ZipfSampler', () => {
  it('probabilities sum to 1 and follow 1/(k+1)^s', () => {
    const zipf = new ZipfSampler(100, 1.1);
    let total = 0;
    for (let k = 0; k < 100; k++) total += zipf.probability(k);
    expect(total).toBeCloseTo(1, 12);
    expect(zipf.probability(0) / zipf.probability(1)).toBeCloseTo(2 ** 1.1, 10);
    expect(zipf.probability(-1)).toBe(0);
    expect(zipf.probability(100)).toBe(0);
  });

  it('maps the extremes of u to the first and last rank', () => {
    const zipf = new ZipfSampler(1000, 1);
    expect(zipf.sample(0)).toBe(0);
    expect(zipf.sample(0.9999999999)).toBe(999);
  });

  it('observed frequencies match the expected ones (hot keys within 3 %)', () => {
    const zipf = new ZipfSampler(1000, 1.1);
    const samples = 200_000;
    const counts = histogram(1000, samples, (u) => zipf.sample(u));
    for (const k of [0, 1, 2, 9]) {
      const expected = zipf.probability(k) * samples;
      expect(Math.abs(counts[k]! - expected) / expected, `rank ${k}`).toBeLessThan(0.03);
    }
  });

  it('is skewed: the hottest 1 % of keys get far more than 1 % of the draws, more so for larger s', () => {
    const share = (s: number) => {
      const zipf = new ZipfSampler(1000, s);
      const counts = histogram(1000, 100_000, (u) => zipf.sample(u));
      return counts.slice(0, 10).reduce((a, b) => a + b, 0) / 100_000;
    };
    const mild = share(0.8);
    const classic = share(1.1);
    expect(mild).toBeGreaterThan(0.1);
    expect(classic).toBeGreaterThan(mild);
    expect(classic).toBeGreaterThan(0.4);
  });

  it('rejects bad parameters', () => {
    expect(() => new ZipfSampler(0, 1)).toThrow(RangeError);
    expect(() => new ZipfSampler(10, 0)).toThrow(RangeError);
    expect(() => new ZipfSampler(10, Number.NaN)).toThrow(RangeError);
  });
});

describe('createKeySampler', () => {
  it('uniform: every key in range, roughly equal counts', () => {
    const sample = createKeySampler(20, 'uniform');
    const counts = histogram(20, 100_000, sample);
    for (const c of counts) expect(Math.abs(c - 5000)).toBeLessThan(400);
    expect(sample(0.999999999999)).toBe(19);
  });

  it('zipf: the same draws give the same keys (pure in u)', () => {
    const a = createKeySampler(500, 'zipf', 0.8);
    const b = createKeySampler(500, 'zipf', 0.8);
    for (const u of [0, 0.1, 0.5, 0.77, 0.999]) expect(a(u)).toBe(b(u));
  });
});
