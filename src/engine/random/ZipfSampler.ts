/**
 * Zipf-distributed ranks by inverse transform over a precomputed CDF.
 *
 * P(rank k) ∝ 1 / (k + 1)^s for k in [0, n). Rank 0 is the hottest key. The sampler takes the
 * uniform draw as an argument instead of owning a generator, so sources can feed it
 * counter-based draws and stay replayable from any offset.
 *
 * Why a CDF and binary search rather than rejection-inversion (Hörmann–Derflinger, as Apache
 * Commons RNG's `RejectionInversionZipfSampler`): one uniform draw per sample, exactly,
 * which keeps the number of draws per record fixed and the mapping from draw to key
 * monotone and easy to test. The cost is 8 bytes per key (8 MB at the catalogue's maximum of
 * one million keys) and O(log n) per sample (20 steps at a million keys).
 *
 * Determinism note: the weights use `Math.pow`, which ECMAScript does not require to be
 * correctly rounded. V8 (Node and Chromium, the two places Sluice runs) agree bit for bit;
 * another engine could differ in the last bit of a weight, which moves a sample only when a
 * draw lands within ~1e-16 of a bucket edge.
 */

/** Draws Zipf ranks in [0, n) from uniform draws in [0, 1). */
export class ZipfSampler {
  /** cdf[k] = P(rank <= k); cdf[n - 1] is exactly 1. */
  private readonly cdf: Float64Array;

  /**
   * @param n number of ranks (keys), at least 1
   * @param exponent the skew s > 0; larger is more skewed, 1 is classic Zipf
   * @throws RangeError on a non-positive or non-finite parameter
   */
  constructor(
    readonly n: number,
    readonly exponent: number,
  ) {
    if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`Zipf needs at least one rank, got ${String(n)}.`);
    if (!Number.isFinite(exponent) || exponent <= 0) {
      throw new RangeError(`Zipf exponent must be a positive number, got ${String(exponent)}.`);
    }
    this.cdf = new Float64Array(n);
    let total = 0;
    for (let k = 0; k < n; k++) {
      total += Math.pow(k + 1, -exponent);
      this.cdf[k] = total;
    }
    for (let k = 0; k < n; k++) this.cdf[k] = (this.cdf[k] as number) / total;
    this.cdf[n - 1] = 1;
  }

  /** The rank for a uniform draw `u` in [0, 1): the first k with cdf[k] > u. */
  sample(u: number): number {
    const cdf = this.cdf;
    let lo = 0;
    let hi = cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cdf[mid] as number) > u) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** P(rank = k): for tests and for the UI's "expected share of the hottest key". */
  probability(k: number): number {
    if (k < 0 || k >= this.n) return 0;
    const below = k === 0 ? 0 : (this.cdf[k - 1] as number);
    return (this.cdf[k] as number) - below;
  }
}

/** How a source picks keys (the catalogue's `distribution`). */
export type KeyDistribution = 'uniform' | 'zipf';

/** Maps one uniform draw in [0, 1) to a key index in [0, keys). */
export type KeySampler = (u: number) => number;

/**
 * A key sampler for a source: uniform (`floor(u * keys)`; with 32-bit draws the bias is below
 * keys / 2^32, i.e. under 0.03 % at a million keys) or Zipf with the given exponent.
 */
export function createKeySampler(keys: number, distribution: KeyDistribution, zipfExponent = 1): KeySampler {
  if (!Number.isSafeInteger(keys) || keys < 1) throw new RangeError(`A key sampler needs at least one key, got ${String(keys)}.`);
  if (distribution === 'zipf') {
    const zipf = new ZipfSampler(keys, zipfExponent);
    return (u) => zipf.sample(u);
  }
  return (u) => Math.min(keys - 1, Math.floor(u * keys));
}
