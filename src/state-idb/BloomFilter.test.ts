import { describe, expect, it } from 'vitest';
import { BloomFilter, ScalableBloomFilter } from './BloomFilter';

describe('Bloom filter', () => {
  it('has no false negatives over 10^6 keys and a measured false-positive rate within 1.5× of the configured one', () => {
    const n = 1_000_000;
    const fpr = 0.01;
    const filter = new BloomFilter(n, fpr);
    for (let i = 0; i < n; i++) filter.add(`key-${i}`);
    let falseNegatives = 0;
    for (let i = 0; i < n; i++) if (!filter.mightContain(`key-${i}`)) falseNegatives++;
    let falsePositives = 0;
    const probes = 200_000;
    for (let i = 0; i < probes; i++) if (filter.mightContain(`absent-${i}`)) falsePositives++;
    const measured = falsePositives / probes;
    expect(falseNegatives).toBe(0);
    expect(measured).toBeLessThan(1.5 * fpr);
    expect(measured).toBeGreaterThan(fpr / 1.5);
  });

  it('scalable: grows past its first stage with 0 false negatives and a compound rate below the configured one', () => {
    const fpr = 0.02;
    const filter = new ScalableBloomFilter(fpr, 256);
    const n = 100_000;
    for (let i = 0; i < n; i++) filter.add(String(i * 7919));
    expect(filter.stageCount).toBeGreaterThan(5);
    for (let i = 0; i < n; i++) expect(filter.mightContain(String(i * 7919))).toBe(true);
    let falsePositives = 0;
    for (let i = 0; i < 100_000; i++) if (filter.mightContain(`x${i}`)) falsePositives++;
    expect(falsePositives / 100_000).toBeLessThan(1.5 * fpr);
  });

  it('absorb unions two filters', () => {
    const a = new ScalableBloomFilter(0.01);
    const b = new ScalableBloomFilter(0.01);
    for (let i = 0; i < 1000; i++) (i % 2 === 0 ? a : b).add(`k${i}`);
    a.absorb(b);
    for (let i = 0; i < 1000; i++) expect(a.mightContain(`k${i}`)).toBe(true);
  });
});
