/**
 * Key groups, bit-compatible with Apache Flink (DESIGN.md §2).
 *
 * A key's state lives in exactly one key group, and a key group belongs to exactly one subtask
 * of a keyed operator. Matching Flink bit for bit means a Sluice job routes every key to the
 * same subtask Flink would, so the seed articles' numbers carry over and
 * `shared/vectors/keygroups.json` can check us.
 *
 * Sources (algorithms re-derived here, not copied):
 * - Flink `MathUtils.murmurHash(int)`, `MathUtils.bitMix(int)`, `MathUtils.roundUpToPowerOfTwo`
 * - Flink `KeyGroupRangeAssignment.assignToKeyGroup`, `computeKeyGroupForKeyHash`,
 *   `computeOperatorIndexForKeyGroup`, `computeKeyGroupRangeForOperatorIndex`,
 *   `computeDefaultMaxParallelism`, `checkParallelismPreconditions`
 *
 * Java `int` semantics are emulated with `Math.imul`, `| 0` and `>>>`; every product in the
 * range formulas stays below 2^31 because max parallelism is capped at 2^15.
 */
import type { MaxParallelismFormula } from '../job/types';
import { isInt32, javaHashCode, type JavaKey } from './javaHash';

/** Upper bound for max parallelism (Flink `KeyGroupRangeAssignment.UPPER_BOUND_MAX_PARALLELISM`). */
export const MAX_MAX_PARALLELISM = 32_768;

/** Lower bound of Flink's default max parallelism (`DEFAULT_LOWER_BOUND_MAX_PARALLELISM`). */
export const FLINK_MIN_DEFAULT_MAX_PARALLELISM = 128;

/** Lower bound of the seed formula's default max parallelism. */
export const SLUICE_MIN_DEFAULT_MAX_PARALLELISM = 1024;

/** An inclusive range of key groups owned by one subtask (Flink `KeyGroupRange`). */
export interface KeyGroupRange {
  /** First key group, inclusive. */
  start: number;
  /** Last key group, inclusive; `end < start` never happens while parallelism <= maxParallelism. */
  end: number;
}

/**
 * MurmurHash3's per-block mix and finaliser applied to one int, before Flink's fold to a
 * non-negative value. Exported so tests can see the one input whose mix is Integer.MIN_VALUE.
 */
export function murmurMix(code: number): number {
  let h = Math.imul(code, 0xcc9e2d51);
  h = rotateLeft(h, 15);
  h = Math.imul(h, 0x1b873593);
  h = rotateLeft(h, 13);
  h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  // Flink hashes a single 4-byte block, so the length folded in is 4.
  h ^= 4;
  return bitMix(h);
}

/**
 * Flink `MathUtils.murmurHash(int)`: a non-negative hash of an int.
 *
 * Negative mixes are negated; Integer.MIN_VALUE cannot be negated in Java, so Flink maps it
 * to 0. That case is real: -2089875627 mixes to exactly Integer.MIN_VALUE.
 */
export function murmurHash(code: number): number {
  assertInt32(code, 'murmurHash input');
  const mixed = murmurMix(code);
  if (mixed >= 0) return mixed;
  if (mixed !== -2_147_483_648) return -mixed;
  return 0;
}

/**
 * Flink `MathUtils.roundUpToPowerOfTwo(int)`: the smallest power of two >= x, in Java int
 * arithmetic (so 0 → 0, and values above 2^30 overflow exactly as Java does).
 */
export function roundUpToPowerOfTwo(x: number): number {
  assertInt32(x, 'roundUpToPowerOfTwo input');
  let v = (x - 1) | 0;
  v |= v >> 1;
  v |= v >> 2;
  v |= v >> 4;
  v |= v >> 8;
  v |= v >> 16;
  return (v + 1) | 0;
}

/**
 * Key group of a key hash: `murmurHash(hash) % maxParallelism`
 * (Flink `KeyGroupRangeAssignment.computeKeyGroupForKeyHash`).
 */
export function keyGroupForHash(keyHash: number, maxParallelism: number): number {
  assertInt32(keyHash, 'Key hash');
  assertParallelismBounds(maxParallelism, 'Max parallelism');
  return murmurHash(keyHash) % maxParallelism;
}

/**
 * Key group of a key, from its Java `hashCode()` (Flink `KeyGroupRangeAssignment.assignToKeyGroup`).
 * Keys map to Java types as in DESIGN.md §8: string → String, int32 number → Integer,
 * bigint → Long, boolean → Boolean.
 */
export function keyGroupForKey(key: JavaKey, maxParallelism: number): number {
  return keyGroupForHash(javaHashCode(key), maxParallelism);
}

/**
 * Index of the subtask that owns a key group: `keyGroup * parallelism / maxParallelism`
 * (Flink `KeyGroupRangeAssignment.computeOperatorIndexForKeyGroup`).
 *
 * @throws RangeError unless 1 <= parallelism <= maxParallelism <= 32768 and
 * 0 <= keyGroup < maxParallelism.
 */
export function operatorIndexForKeyGroup(maxParallelism: number, parallelism: number, keyGroup: number): number {
  assertParallelismPair(maxParallelism, parallelism);
  if (!Number.isInteger(keyGroup) || keyGroup < 0 || keyGroup >= maxParallelism) {
    throw new RangeError(
      `Key group ${String(keyGroup)} is out of range: it must be an integer in [0, ${maxParallelism - 1}] ` +
        `for max parallelism ${maxParallelism}.`,
    );
  }
  return javaIntDivide(keyGroup * parallelism, maxParallelism);
}

/**
 * The inclusive key-group range owned by subtask `index`
 * (Flink `KeyGroupRangeAssignment.computeKeyGroupRangeForOperatorIndex`):
 * start = ceil(index * maxP / p), end = ceil((index + 1) * maxP / p) - 1.
 * It is the exact inverse of {@link operatorIndexForKeyGroup}.
 */
export function keyGroupRangeForOperator(maxParallelism: number, parallelism: number, index: number): KeyGroupRange {
  assertParallelismPair(maxParallelism, parallelism);
  if (!Number.isInteger(index) || index < 0 || index >= parallelism) {
    throw new RangeError(
      `Subtask index ${String(index)} is out of range: it must be an integer in [0, ${parallelism - 1}] ` +
        `for parallelism ${parallelism}.`,
    );
  }
  const start = javaIntDivide(index * maxParallelism + parallelism - 1, parallelism);
  const end = javaIntDivide((index + 1) * maxParallelism - 1, parallelism);
  return { start, end };
}

/**
 * Default max parallelism (number of key groups) for an operator of the given parallelism.
 *
 * - `'sluice'` (default, the seed's formula): `min(max(roundUpToPowerOfTwo((p + p/2) * 10), 1024), 32768)`.
 *   Ten times Flink's headroom, so the rescale demos can grow a job far without running out
 *   of key groups.
 * - `'flink'` (Flink `KeyGroupRangeAssignment.computeDefaultMaxParallelism`):
 *   `min(max(roundUpToPowerOfTwo(p + p/2), 128), 32768)`.
 *
 * `p/2` is Java int division. Parallelism must be in [1, 32768], as Flink's
 * `checkParallelismPreconditions` requires.
 */
export function maxParallelismFor(parallelism: number, formula: MaxParallelismFormula = 'sluice'): number {
  assertParallelismBounds(parallelism, 'Parallelism');
  const withHeadroom = parallelism + javaIntDivide(parallelism, 2);
  switch (formula) {
    case 'sluice':
      return clampMaxParallelism(roundUpToPowerOfTwo(withHeadroom * 10), SLUICE_MIN_DEFAULT_MAX_PARALLELISM);
    case 'flink':
      return clampMaxParallelism(roundUpToPowerOfTwo(withHeadroom), FLINK_MIN_DEFAULT_MAX_PARALLELISM);
    default:
      throw new RangeError(`Unknown max-parallelism formula '${String(formula)}': use 'sluice' or 'flink'.`);
  }
}

function clampMaxParallelism(value: number, lowerBound: number): number {
  return Math.min(Math.max(value, lowerBound), MAX_MAX_PARALLELISM);
}

/** Java `Integer.rotateLeft` on an int32. */
function rotateLeft(value: number, distance: number): number {
  return (value << distance) | (value >>> (32 - distance));
}

/** Flink `MathUtils.bitMix`: MurmurHash3's fmix32 finaliser. */
function bitMix(input: number): number {
  let h = input;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

/**
 * Java int division (truncates toward zero). Operands here are below 2^31, so the float
 * quotient is never close enough to an integer boundary to round across it.
 */
function javaIntDivide(dividend: number, divisor: number): number {
  return Math.trunc(dividend / divisor);
}

function assertInt32(value: number, what: string): void {
  if (!isInt32(value)) {
    throw new RangeError(`${what} ${String(value)} is not a Java int (an integer within [-2^31, 2^31 - 1]).`);
  }
}

/** Flink `checkParallelismPreconditions`: 0 < value <= 32768. */
function assertParallelismBounds(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 1 || value > MAX_MAX_PARALLELISM) {
    throw new RangeError(`${what} ${String(value)} is out of range: it must be an integer in [1, ${MAX_MAX_PARALLELISM}].`);
  }
}

function assertParallelismPair(maxParallelism: number, parallelism: number): void {
  assertParallelismBounds(maxParallelism, 'Max parallelism');
  assertParallelismBounds(parallelism, 'Parallelism');
  if (parallelism > maxParallelism) {
    throw new RangeError(
      `Parallelism ${parallelism} exceeds max parallelism ${maxParallelism}: an operator cannot have ` +
        'more subtasks than key groups. Lower the parallelism or raise maxParallelism.',
    );
  }
}
