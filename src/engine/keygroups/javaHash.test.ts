import { describe, expect, it } from 'vitest';
import {
  isInt32,
  javaBooleanHashCode,
  javaHashCode,
  javaIntegerHashCode,
  javaLongHashCode,
  javaStringHashCode,
  type JavaKey,
} from './javaHash';

describe('javaStringHashCode', () => {
  it('is 31*h + c over UTF-16 code units', () => {
    expect(javaStringHashCode('')).toBe(0);
    expect(javaStringHashCode('a')).toBe(97);
    expect(javaStringHashCode('ab')).toBe(31 * 97 + 98);
  });

  it('wraps at 32 bits like Java int', () => {
    // Well-known Java fact: "polygenelubricants".hashCode() == Integer.MIN_VALUE.
    expect(javaStringHashCode('polygenelubricants')).toBe(-2_147_483_648);
  });

  it('hashes a surrogate pair as two code units, not one code point', () => {
    const smile = '\u{1F600}';
    expect(smile.length).toBe(2);
    expect(javaStringHashCode(smile)).toBe(31 * 0xd83d + 0xde00);
  });

  it('collides where Java collides', () => {
    expect(javaStringHashCode('Aa')).toBe(javaStringHashCode('BB'));
  });
});

describe('javaIntegerHashCode', () => {
  it('is the value itself across the int32 range', () => {
    for (const v of [0, 1, -1, 2_147_483_647, -2_147_483_648]) expect(javaIntegerHashCode(v)).toBe(v);
  });

  it('treats -0 as 0', () => {
    expect(Object.is(javaIntegerHashCode(-0), 0)).toBe(true);
  });

  it.each([2_147_483_648, -2_147_483_649, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('rejects %s with a clear message', (v) => {
    expect(() => javaIntegerHashCode(v)).toThrow(/not a Java int.*bigint for a Long key/);
  });
});

describe('javaLongHashCode', () => {
  it('is (int)(v ^ (v >>> 32)) on the two\'s complement', () => {
    expect(javaLongHashCode(0n)).toBe(0);
    expect(javaLongHashCode(-1n)).toBe(0);
    expect(javaLongHashCode(4_294_967_296n)).toBe(1);
    expect(javaLongHashCode(-4_294_967_296n)).toBe(-1);
    expect(javaLongHashCode(2n ** 63n - 1n)).toBe(-2_147_483_648);
    expect(javaLongHashCode(-(2n ** 63n))).toBe(-2_147_483_648);
  });

  it('rejects values outside the Java long range', () => {
    expect(() => javaLongHashCode(2n ** 63n)).toThrow(/not a Java long/);
    expect(() => javaLongHashCode(-(2n ** 63n) - 1n)).toThrow(/not a Java long/);
  });
});

describe('javaBooleanHashCode', () => {
  it('uses the JDK constants', () => {
    expect(javaBooleanHashCode(true)).toBe(1231);
    expect(javaBooleanHashCode(false)).toBe(1237);
  });
});

describe('javaHashCode', () => {
  it('dispatches on the JS type (DESIGN.md §8 key mapping)', () => {
    expect(javaHashCode('a')).toBe(97);
    expect(javaHashCode(97)).toBe(97);
    expect(javaHashCode(97n)).toBe(97);
    expect(javaHashCode(true)).toBe(1231);
  });

  it('distinguishes Integer 1 from the string "1"', () => {
    expect(javaHashCode(1)).not.toBe(javaHashCode('1'));
  });

  it.each([null, undefined, {}, Symbol('k')])('rejects %s as a key', (key) => {
    expect(() => javaHashCode(key as unknown as JavaKey)).toThrow(TypeError);
  });
});

describe('isInt32', () => {
  it('accepts exactly the Java int range of integers', () => {
    expect(isInt32(-2_147_483_648)).toBe(true);
    expect(isInt32(2_147_483_647)).toBe(true);
    expect(isInt32(2_147_483_648)).toBe(false);
    expect(isInt32(0.5)).toBe(false);
  });
});
