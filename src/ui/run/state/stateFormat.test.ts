import { describe, expect, it } from 'vitest';
import {
  describeKey, formatBytes, formatMean, formatPercent, formatRange, formatRows, formatScaleValue, parseLookupKey, prettyValue,
} from './stateFormat';

describe('formatting', () => {
  it('writes decimal byte sizes', () => {
    expect([0, 950, 1000, 12_345, 999_999, 1_500_000_000, -1, NaN].map(formatBytes))
      .toEqual(['0 B', '950 B', '1 kB', '12.3 kB', '1 MB', '1.5 GB', '—', '—']);
  });

  it('writes ratios as percentages, never rounding a miss up to 100%', () => {
    expect([null, 0, 0.5, 0.9734, 0.99996, 1].map(formatPercent)).toEqual(['—', '0%', '50%', '97.3%', '99.9%', '100%']);
    expect(formatPercent(0.00014)).toBe('<0.1%');
  });

  it('writes scale values with two significant digits below 10', () => {
    expect([0, 0.03125, 0.25, 2.5, 4, 12_345].map((v) => formatScaleValue(v, 'entries'))).toEqual(['0', '0.031', '0.25', '2.5', '4', '12.3k']);
    expect(formatScaleValue(2048, 'bytes')).toBe('2.05 kB');
    expect([1, 2, 1234].map(formatRows)).toEqual(['1 row', '2 rows', '1,234 rows']);
  });

  it('writes means and ranges', () => {
    expect([null, 3.25, 12, 250.4].map(formatMean)).toEqual(['—', '3.3', '12', '250']);
    expect(formatRange(4, 4)).toBe('4');
    expect(formatRange(0, 31)).toBe('0–31');
  });

  it('writes values as indented JSON, and what JSON cannot hold as text', () => {
    expect(prettyValue({ count: 3 })).toBe('{\n  "count": 3\n}');
    expect(prettyValue(5n)).toBe('"5n"');
    expect(prettyValue(undefined)).toBe('undefined');
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(prettyValue(loop)).toBe('[object Object]');
  });
});

describe('parseLookupKey', () => {
  it('auto-detects 32-bit integers as number keys and everything else as text', () => {
    expect(parseLookupKey('42', 'auto')).toEqual({ ok: true, key: 42 });
    expect(parseLookupKey(' -7 ', 'auto')).toEqual({ ok: true, key: -7 });
    expect(parseLookupKey('apple', 'auto')).toEqual({ ok: true, key: 'apple' });
    expect(parseLookupKey('4.5', 'auto')).toEqual({ ok: true, key: '4.5' });
    expect(parseLookupKey('2147483648', 'auto')).toEqual({ ok: true, key: '2147483648' });
  });

  it('keeps text exactly as typed in text mode', () => {
    expect(parseLookupKey('42', 'text')).toEqual({ ok: true, key: '42' });
    expect(parseLookupKey(' a ', 'text')).toEqual({ ok: true, key: ' a ' });
  });

  it('explains what a number key must be', () => {
    expect(parseLookupKey('7', 'number')).toEqual({ ok: true, key: 7 });
    expect(parseLookupKey('seven', 'number')).toMatchObject({ ok: false, message: expect.stringMatching(/not a whole number/) });
    expect(parseLookupKey('-2147483649', 'number')).toMatchObject({ ok: false, message: expect.stringMatching(/32-bit/) });
    expect(parseLookupKey('', 'auto')).toMatchObject({ ok: false, message: 'Type a key to look up.' });
  });

  it('names keys with their type', () => {
    expect(describeKey(42)).toBe('number 42');
    expect(describeKey('42')).toBe('text “42”');
  });
});
