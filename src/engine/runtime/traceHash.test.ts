import { describe, expect, it } from 'vitest';
import { canonicalJson, TraceHasher } from './traceHash';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined fields', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 0, y: 'x' }], c: undefined } })).toBe('{"a":{"d":[1,{"y":"x","z":0}]},"b":1}');
  });
  it('writes non-finite numbers as null and bigints as strings', () => {
    expect(canonicalJson([Number.NaN, Infinity, 10n])).toBe('[null,null,"10"]');
  });
});

describe('TraceHasher', () => {
  it('gives the SHA-256 of the canonical lines', () => {
    const hasher = new TraceHasher();
    expect(hasher.digest()).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    hasher.add({ tick: 1 });
    expect(hasher.events).toBe(1);
    // sha256 of the line '{"tick":1}\n', computed with sha256sum.
    expect(hasher.digest()).toBe('7a2aff1eefddbe29456851525e4ae03e4eae2e1fda84dacfbe62ce81d50ce503');
  });
  it('is independent of key order and sensitive to event order', () => {
    const a = new TraceHasher();
    const b = new TraceHasher();
    a.add({ x: 1, y: 2 });
    b.add({ y: 2, x: 1 });
    expect(a.digest()).toBe(b.digest());
    a.add('first');
    a.add('second');
    b.add('second');
    b.add('first');
    expect(a.digest()).not.toBe(b.digest());
  });
  it('keeps hashing after a digest was read', () => {
    const a = new TraceHasher();
    const b = new TraceHasher();
    a.add(1);
    a.digest();
    a.add(2);
    b.add(1);
    b.add(2);
    expect(a.digest()).toBe(b.digest());
  });
});
