/**
 * 32-bit hashing for seeds and labels: the building blocks of the seeded PRNG and of the
 * counter-based draws that make source partitions replayable.
 *
 * Everything here is 32-bit integer arithmetic (`Math.imul`, `>>>`, `^`), so every
 * JavaScript engine computes the same bits: no floating point, no platform libm.
 */

/**
 * MurmurHash3's `fmix32` finaliser: a bijection on uint32 with full avalanche (every input
 * bit flips each output bit with probability about 1/2). Returns a uint32.
 */
export function mix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Hash of a string over its UTF-16 code units (FNV-1a, then `fmix32`), keyed by `seed`.
 * Used to turn labels (`fork('map#2')`) and text seeds into 32-bit words.
 */
export function hashString32(text: string, seed = 0): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h ^ text.length);
}

/** Splits a safe integer into its low and high 32-bit words (two's complement for negatives). */
export function splitWords(value: number): [lo: number, hi: number] {
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`Expected a safe integer, got ${String(value)}.`);
  }
  const lo = value >>> 0;
  const hi = Math.floor(value / 0x1_0000_0000) >>> 0;
  return [lo, hi];
}

/**
 * A counter-based uniform draw in [0, 1): a pure function of a 64-bit key (`k0`, `k1`), a
 * 53-bit counter and a small draw index. Sources use it so the record at any offset can be
 * recomputed without replaying the ones before it (random access, like Random123's
 * counter-based generators, with a simpler mixer that is plenty for simulation).
 */
export function counterUniform(k0: number, k1: number, counter: number, draw: number): number {
  return counterUint32(k0, k1, counter, draw) / 0x1_0000_0000;
}

/** The uint32 behind {@link counterUniform}. */
export function counterUint32(k0: number, k1: number, counter: number, draw: number): number {
  const lo = counter >>> 0;
  const hi = Math.floor(counter / 0x1_0000_0000) >>> 0;
  let h = mix32(k0 ^ Math.imul(lo, 0x9e3779b1));
  h = mix32(h ^ k1 ^ Math.imul(hi + 0x7f4a7c15, 0x85ebca77));
  h = mix32(h ^ Math.imul(draw + 0x165667b1, 0xc2b2ae3d));
  return h;
}
