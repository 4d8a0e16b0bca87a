/**
 * Every entry of `shared/vectors/keygroups.json` (values computed from Apache Flink's own
 * algorithms) must come out of our port unchanged: this is what "bit-compatible with Flink"
 * means in DESIGN.md §2.
 *
 * The shared copy beside the repository is preferred; a clean clone without `shared/` falls
 * back to the fixture in `__fixtures__/`, and when both exist they must be identical so the
 * fixture cannot silently go stale.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { JavaKey } from './javaHash';
import { javaHashCode } from './javaHash';
import {
  keyGroupForHash,
  keyGroupForKey,
  keyGroupRangeForOperator,
  maxParallelismFor,
  murmurHash,
  murmurMix,
  operatorIndexForKeyGroup,
} from './keyGroups';

interface VectorKey {
  type: 'string' | 'int' | 'long' | 'boolean';
  value: string | number | boolean;
  utf16CodeUnits?: string[];
  javaHashCode: number;
  murmurHash: number;
  keyGroup: Record<string, number>;
  operatorIndex: Record<string, number>;
}

interface Vectors {
  murmurMinValuePreimage: { input: number; rawMixedValue: number; murmurHash: number };
  keys: VectorKey[];
  operatorIndexKeyFormat: string;
  defaultMaxParallelism: { parallelism: number; flinkComputeDefaultMaxParallelism: number; seedFormula: number }[];
  keyGroupRanges: {
    maxParallelism: number;
    parallelism: number;
    operatorIndex: number;
    startKeyGroup: number;
    endKeyGroup: number;
    numberOfKeyGroups: number;
  }[];
}

const SHARED_PATH = fileURLToPath(new URL('../../../../shared/vectors/keygroups.json', import.meta.url));
const FIXTURE_PATH = fileURLToPath(new URL('./__fixtures__/keygroups.json', import.meta.url));

function loadVectors(): Vectors {
  const shared = existsSync(SHARED_PATH) ? (JSON.parse(readFileSync(SHARED_PATH, 'utf8')) as Vectors) : undefined;
  const fixture = existsSync(FIXTURE_PATH) ? (JSON.parse(readFileSync(FIXTURE_PATH, 'utf8')) as Vectors) : undefined;
  if (shared === undefined && fixture === undefined) {
    throw new Error(
      `Key-group vectors not found: looked for ${SHARED_PATH} (shared/ beside the repo) and ${FIXTURE_PATH} ` +
        '(the in-repo copy). Restore one of them; these tests must never be skipped.',
    );
  }
  return (shared ?? fixture) as Vectors;
}

const vectors = loadVectors();

/** The JS value a vector key stands for: Long keys are decimal strings in the JSON. */
function jsKey(entry: VectorKey): JavaKey {
  if (entry.type === 'long') return BigInt(entry.value as string);
  return entry.value;
}

function label(entry: VectorKey): string {
  return `${entry.type} ${JSON.stringify(entry.value)}`;
}

describe('key-group vector files', () => {
  it('the in-repo fixture equals shared/vectors/keygroups.json when both exist', () => {
    expect(existsSync(FIXTURE_PATH), `missing fixture ${FIXTURE_PATH}`).toBe(true);
    if (!existsSync(SHARED_PATH)) return; // clean clone: only the fixture is available
    const shared: unknown = JSON.parse(readFileSync(SHARED_PATH, 'utf8'));
    const fixture: unknown = JSON.parse(readFileSync(FIXTURE_PATH, 'utf8'));
    expect(fixture, `copy ${SHARED_PATH} over ${FIXTURE_PATH}`).toEqual(shared);
  });

  it('has the sections this suite asserts', () => {
    expect(vectors.keys.length).toBeGreaterThan(0);
    expect(vectors.keyGroupRanges.length).toBeGreaterThan(0);
    expect(vectors.defaultMaxParallelism.length).toBeGreaterThan(0);
    expect(vectors.operatorIndexKeyFormat).toBe('maxParallelism/parallelism');
  });
});

describe.each(vectors.keys.map((entry) => [label(entry), entry] as const))('vector key %s', (_name, entry) => {
  const key = jsKey(entry);

  it('decodes to the listed UTF-16 code units', () => {
    if (entry.utf16CodeUnits === undefined) return;
    const units = Array.from({ length: (key as string).length }, (_, i) =>
      (key as string).charCodeAt(i).toString(16).padStart(4, '0'));
    expect(units).toEqual(entry.utf16CodeUnits);
  });

  it('has the Java hashCode and Flink murmurHash', () => {
    expect(javaHashCode(key)).toBe(entry.javaHashCode);
    expect(murmurHash(entry.javaHashCode)).toBe(entry.murmurHash);
  });

  it('lands in the listed key group for every max parallelism', () => {
    for (const [maxP, keyGroup] of Object.entries(entry.keyGroup)) {
      expect(keyGroupForKey(key, Number(maxP)), `maxP ${maxP}`).toBe(keyGroup);
      expect(keyGroupForHash(entry.javaHashCode, Number(maxP)), `maxP ${maxP}`).toBe(keyGroup);
    }
  });

  it('routes to the listed operator index for every maxP/p', () => {
    for (const [pair, index] of Object.entries(entry.operatorIndex)) {
      const [maxP, p] = pair.split('/').map(Number) as [number, number];
      const keyGroup = keyGroupForKey(key, maxP);
      expect(operatorIndexForKeyGroup(maxP, p, keyGroup), pair).toBe(index);
    }
  });
});

describe('vector murmurMinValuePreimage', () => {
  it('mixes to Integer.MIN_VALUE and Flink folds it to 0', () => {
    const { input, rawMixedValue, murmurHash: expected } = vectors.murmurMinValuePreimage;
    expect(murmurMix(input)).toBe(rawMixedValue);
    expect(murmurHash(input)).toBe(expected);
  });
});

describe('vector keyGroupRanges', () => {
  it.each(vectors.keyGroupRanges.map((r) => [`${r.maxParallelism}/${r.parallelism}#${r.operatorIndex}`, r] as const))(
    '%s',
    (_name, r) => {
      const range = keyGroupRangeForOperator(r.maxParallelism, r.parallelism, r.operatorIndex);
      expect(range).toEqual({ start: r.startKeyGroup, end: r.endKeyGroup });
      expect(range.end - range.start + 1).toBe(r.numberOfKeyGroups);
    },
  );
});

describe('vector defaultMaxParallelism', () => {
  it.each(vectors.defaultMaxParallelism.map((d) => [d.parallelism, d] as const))('p = %i', (_p, d) => {
    expect(maxParallelismFor(d.parallelism, 'flink')).toBe(d.flinkComputeDefaultMaxParallelism);
    expect(maxParallelismFor(d.parallelism, 'sluice')).toBe(d.seedFormula);
    expect(maxParallelismFor(d.parallelism)).toBe(d.seedFormula);
  });
});
