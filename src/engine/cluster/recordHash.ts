/**
 * A rolling 32-bit hash of sink output, for the trace hash (DESIGN.md §3): cheap enough for
 * every record a sink writes (a few integer multiplications per character, no allocation),
 * and the same in every JavaScript engine (32-bit integer arithmetic only; numbers are hashed
 * through their IEEE-754 bits).
 *
 * Field order counts: records are built by the same code in the same order on every run and
 * structured cloning keeps insertion order, so a record hashes the same wherever it was made.
 * This is not a cryptographic hash; the trace itself is SHA-256 over per-tick digests that
 * include these values.
 */
import type { StreamRecord, VirtualMs } from '../runtime/types';
import { mix32 } from '../random';

const FNV_PRIME = 0x01000193;
const float = new Float64Array(1);
const words = new Uint32Array(float.buffer);

/** The hash before any record. */
export const EMPTY_RECORD_HASH = 0x811c9dc5;

function hashString(h: number, text: string): number {
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  return Math.imul(h ^ text.length, FNV_PRIME);
}

function hashNumber(h: number, n: number): number {
  float[0] = n;
  h = Math.imul(h ^ (words[0] as number), FNV_PRIME);
  return Math.imul(h ^ (words[1] as number), FNV_PRIME);
}

function hashValue(h: number, value: unknown): number {
  if (value === null || value === undefined) return Math.imul(h ^ 0x6e, FNV_PRIME);
  switch (typeof value) {
    case 'string': return hashString(Math.imul(h ^ 0x73, FNV_PRIME), value);
    case 'number': return hashNumber(Math.imul(h ^ 0x64, FNV_PRIME), value);
    case 'boolean': return Math.imul(h ^ (value ? 0x74 : 0x66), FNV_PRIME);
    default: {
      // Lists (and anything else a future field type brings) hash by their JSON text.
      return hashString(Math.imul(h ^ 0x6c, FNV_PRIME), JSON.stringify(value) ?? '');
    }
  }
}

/** `h` extended by one record and its event time; returns a uint32. */
export function hashRecord(h: number, record: StreamRecord, timestamp: VirtualMs | null): number {
  for (const field in record) {
    h = hashString(h, field);
    h = hashValue(h, record[field]);
  }
  h = timestamp === null ? Math.imul(h ^ 0x4e, FNV_PRIME) : hashNumber(h, timestamp);
  return mix32(h);
}
