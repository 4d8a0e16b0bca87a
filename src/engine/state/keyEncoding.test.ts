import { describe, expect, it } from 'vitest';
import { KEY_SEPARATOR, decodeKey, encodeKey, escapePart, splitUserKey, unescapePart, userKeyOf } from './keyEncoding';

describe('state key encoding', () => {
  it('round-trips every Java key type and keeps types apart', () => {
    for (const key of ['a', '', '1', 1, -5, 10n, true, false, 'x\u0000y', 'p\u0001q', '\u0002i1', '\u0002']) {
      expect(decodeKey(encodeKey(key))).toEqual(key);
    }
    expect(encodeKey('1')).not.toBe(encodeKey(1));
    expect(encodeKey(1)).not.toBe(encodeKey(1n));
    expect(encodeKey('\u0002i1')).not.toBe(encodeKey(1));
    expect(encodeKey('plain')).toBe('plain');
    expect(() => decodeKey('\u0002?')).toThrow();
  });

  it('never lets the separator into a part, so key prefixes are exact', () => {
    const tricky = encodeKey('a\u0000b');
    expect(tricky.includes(KEY_SEPARATOR)).toBe(false);
    const nsRow = userKeyOf(encodeKey('a'), 'b');
    expect(nsRow).not.toBe(tricky);
    expect(splitUserKey(nsRow)).toEqual({ encodedKey: encodeKey('a'), namespace: 'b' });
    expect(splitUserKey(encodeKey('a'))).toEqual({ encodedKey: 'a', namespace: '' });
    expect(userKeyOf('a', '')).toBe('a');
  });

  it('escape and unescape are inverse', () => {
    for (const text of ['', 'plain', '\u0000', '\u0001', '\u0001\u0000\u00010']) {
      expect(unescapePart(escapePart(text))).toBe(text);
    }
  });
});
