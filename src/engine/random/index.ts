/**
 * Seeded randomness for a run (DESIGN.md §3, STYLE.md habit 1): the PRNG behind the `Prng`
 * port, counter-based draws for replayable sources, and key samplers.
 */
export { SeededPrng, createPrng, type Seed } from './SeededPrng';
export { counterUint32, counterUniform, hashString32, mix32, splitWords } from './hash32';
export { ZipfSampler, createKeySampler, type KeyDistribution, type KeySampler } from './ZipfSampler';
