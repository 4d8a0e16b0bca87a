import { describe, expect, it } from 'vitest';
import { MAX_JOB_BYTES, formatBytes, utf8ByteLength } from './jobLimits';

describe('job size limits', () => {
  it('is 1 MiB', () => {
    expect(MAX_JOB_BYTES).toBe(1_048_576);
  });

  it('formats sizes for people', () => {
    expect(formatBytes(1)).toBe('1 byte');
    expect(formatBytes(512)).toBe('512 bytes');
    expect(formatBytes(3_482)).toBe('3.4 KiB');
    expect(formatBytes(MAX_JOB_BYTES)).toBe('1 MiB');
    expect(formatBytes(1_300_000)).toBe('1.2 MiB');
  });

  it('counts UTF-8 bytes like TextEncoder, lone surrogates included', () => {
    for (const text of ['', 'plain', 'é', '€uro', '😀 and 😀', '\ud800', 'a\udc00b', '\ud83d']) {
      expect(utf8ByteLength(text), JSON.stringify(text)).toBe(new TextEncoder().encode(text).length);
    }
  });
});
