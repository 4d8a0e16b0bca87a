/**
 * Java `hashCode()` for the JavaScript values Sluice accepts as keys (DESIGN.md §2, §8).
 *
 * Key groups must be bit-compatible with Flink, and Flink starts from the key's Java
 * `hashCode()` (KeyGroupRangeAssignment.assignToKeyGroup). So each JS key type is mapped to
 * the Java boxed type a Flink job would see, and hashed exactly as the JDK does:
 *
 * | JS value              | Java type | hash                                          |
 * | --------------------- | --------- | --------------------------------------------- |
 * | `string`              | String    | `s[0]*31^(n-1) + … + s[n-1]` over UTF-16 units |
 * | integer `number`      | Integer   | the value itself                              |
 * | `bigint`              | Long      | `(int) (v ^ (v >>> 32))`                      |
 * | `boolean`             | Boolean   | `true` → 1231, `false` → 1237                 |
 *
 * A `number` that is not an integer in the int32 range is rejected rather than guessed at:
 * Java has no single obvious type for it (Long? Double?), and silently picking one would make
 * the same key land in different key groups in Sluice and in Flink. Callers who mean Long pass
 * a `bigint`; callers who mean "some text" pass a string.
 *
 * All arithmetic is int32: `Math.imul` for multiplication, `| 0` to wrap additions.
 */

/** A key Sluice can hash the way Flink would (see the module table). */
export type JavaKey = string | number | bigint | boolean;

const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Java's `Boolean.hashCode` constants (java.lang.Boolean.hashCode(boolean)). */
const BOOLEAN_TRUE_HASH = 1231;
const BOOLEAN_FALSE_HASH = 1237;

/** True when `value` is a JS number that Java could hold in an `int`. */
export function isInt32(value: number): boolean {
  return Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX;
}

/**
 * Java `String.hashCode()`: `h = 31 * h + c` over the UTF-16 code units, wrapping at 32 bits.
 *
 * JS strings are already sequences of UTF-16 code units, exactly like Java's `char[]`, so
 * `charCodeAt` gives the same units Java iterates over (a surrogate pair is two units in both).
 */
export function javaStringHashCode(value: string): number {
  let hash = 0;
  for (let i = 0; i < value.length; i++) {
    hash = (Math.imul(31, hash) + value.charCodeAt(i)) | 0;
  }
  return hash;
}

/**
 * Java `Integer.hashCode()`: the value itself.
 *
 * @throws RangeError when `value` is not an integer within [-2^31, 2^31 - 1].
 */
export function javaIntegerHashCode(value: number): number {
  if (!isInt32(value)) {
    throw new RangeError(
      `Key ${String(value)} is not a Java int: number keys must be integers within ` +
        `[${INT32_MIN}, ${INT32_MAX}]. Pass a bigint for a Long key, or a string.`,
    );
  }
  // `| 0` folds -0 into 0, which is what Java's int has.
  return value | 0;
}

/**
 * Java `Long.hashCode()`: `(int) (value ^ (value >>> 32))` on the 64-bit two's complement.
 *
 * @throws RangeError when `value` does not fit in a Java long.
 */
export function javaLongHashCode(value: bigint): number {
  if (value < INT64_MIN || value > INT64_MAX) {
    throw new RangeError(
      `Key ${value.toString()}n is not a Java long: bigint keys must be within [-2^63, 2^63 - 1].`,
    );
  }
  // Reinterpret as unsigned 64 bits so `>> 32n` behaves like Java's logical `>>>`.
  const bits = BigInt.asUintN(64, value);
  // Only the low 32 bits survive the (int) cast: low word XOR high word, read as signed.
  return Number(BigInt.asIntN(32, bits ^ (bits >> 32n)));
}

/** Java `Boolean.hashCode()`: 1231 for true, 1237 for false. */
export function javaBooleanHashCode(value: boolean): number {
  return value ? BOOLEAN_TRUE_HASH : BOOLEAN_FALSE_HASH;
}

/**
 * The Java `hashCode()` of a key, choosing the Java type from the JS type (module table).
 *
 * @throws TypeError for null, undefined or any other type (Flink also refuses null keys);
 * RangeError for numbers outside int32 or bigints outside int64.
 */
export function javaHashCode(key: JavaKey): number {
  switch (typeof key) {
    case 'string':
      return javaStringHashCode(key);
    case 'number':
      return javaIntegerHashCode(key);
    case 'bigint':
      return javaLongHashCode(key);
    case 'boolean':
      return javaBooleanHashCode(key);
    default:
      return unsupportedKey(key);
  }
}

function unsupportedKey(key: unknown): never {
  const what = key === null ? 'null' : typeof key;
  throw new TypeError(
    `Cannot hash a ${what} key: keys must be a string, an int32 number, a bigint or a boolean.`,
  );
}
