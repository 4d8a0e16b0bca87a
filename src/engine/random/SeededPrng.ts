/**
 * The run's seeded pseudo-random generator (STYLE.md habit 1: one seeded PRNG per run,
 * split deterministically per subtask). Implements the runtime's `Prng` port.
 *
 * Algorithm: sfc32 (Chris Doty-Humphrey's Small Fast Chaotic generator, 128-bit state, passes
 * PractRand to terabytes), seeded from a 64-bit identity through MurmurHash3's `fmix32`.
 * Only 32-bit integer operations, so Node and every browser produce the same bits.
 *
 * `fork(label)` derives a child from the parent's *identity* (its seed words) and the label
 * hash, never from the parent's current position: forking `'map#2'` gives the same stream
 * however many numbers the parent has already drawn, and in whatever order subtasks are
 * created. Children of different labels are independent streams for simulation purposes.
 */
import type { Prng } from '../runtime/types';
import { hashString32, mix32, splitWords } from './hash32';

const TWO_32 = 0x1_0000_0000;
/** sfc32 mixes poorly for its first few outputs after seeding; skip them. */
const WARM_UP_ROUNDS = 12;

/** A seed: a safe integer, or text (hashed to 64 bits). */
export type Seed = number | string;

/** sfc32 seeded from a 64-bit identity; see the module header. */
export class SeededPrng implements Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** Prefer {@link createPrng}; `k0`, `k1` are the generator's 64-bit identity. */
  constructor(
    private readonly k0: number,
    private readonly k1: number,
  ) {
    // mix32 is a bijection, so distinct identities give distinct (a, b) and distinct streams.
    this.a = mix32(k0 ^ 0x9e3779b9);
    this.b = mix32(k1 ^ 0x243f6a88);
    this.c = mix32((k0 + k1 + 0x85a308d3) >>> 0);
    this.d = 1;
    for (let i = 0; i < WARM_UP_ROUNDS; i++) this.nextUint32();
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Uniform float in [0, 1) with 32 bits of resolution. */
  next(): number {
    return this.nextUint32() / TWO_32;
  }

  /**
   * Uniform integer in [0, bound). Unbiased for bounds up to 2^32 (rejection on the
   * remainder, as PCG's bounded draw); larger bounds up to 2^53 use 53-bit floats (bias below
   * 2^-20, irrelevant here).
   *
   * @throws RangeError unless bound is an integer in [1, 2^53].
   */
  nextInt(bound: number): number {
    if (!Number.isSafeInteger(bound) || bound < 1) {
      throw new RangeError(`nextInt bound must be a positive safe integer, got ${String(bound)}.`);
    }
    if (bound <= TWO_32) {
      const threshold = TWO_32 % bound;
      for (;;) {
        const r = this.nextUint32();
        if (r >= threshold) return r % bound;
      }
    }
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return Math.floor(((hi * 0x400_0000 + lo) / 2 ** 53) * bound);
  }

  /** An independent generator for `label`, derived from this one's identity (see header). */
  fork(label: string): SeededPrng {
    const h0 = hashString32(label, this.k0);
    const h1 = hashString32(label, this.k1 ^ 0x5bd1e995);
    return new SeededPrng(mix32(h0 ^ this.k1), mix32((h1 + this.k0) >>> 0));
  }

  /**
   * The generator's 64-bit identity as two uint32 words: what counter-based draws
   * ({@link counterUniform}) are keyed by.
   */
  identity(): [number, number] {
    return [this.k0, this.k1];
  }
}

/**
 * The run's root generator from a seed. Integer seeds use their 64-bit two's-complement
 * words; text seeds are hashed twice with different keys.
 *
 * @throws RangeError when a numeric seed is not a safe integer.
 */
export function createPrng(seed: Seed): SeededPrng {
  if (typeof seed === 'string') {
    return new SeededPrng(hashString32(seed, 0x2545f491), hashString32(seed, 0x9e3779b9));
  }
  const [lo, hi] = splitWords(seed);
  return new SeededPrng(lo, hi);
}
