/**
 * Import fuzz: hundreds of malformed documents derived from random valid jobs. None may be
 * accepted, none may throw, none may leave a trace on Object.prototype, and each must finish
 * quickly however large it is.
 *
 * Replay a failure with the printed seed:
 *   SLUICE_SEED=<seed> npx vitest run src/engine/job/fuzz.test.ts
 */
import { describe, expect, it } from 'vitest';
import { ERROR_TEMPLATES } from './errors';
import { parseJobText } from './parseJob';
import { malformedDocument, type Malformed } from './testing/malformed';
import { Prng } from './testing/prng';
import { randomValidJob } from './testing/randomJob';
import type { ValidationReport } from './types';
import { validateJob } from './validate';

const BASE_SEED = Number(process.env.SLUICE_SEED ?? 7_700_000);
const CASES = 300;
/** Generous for CI machines; the real figures are a few milliseconds (see the performance test). */
const SLOW_MS = 1000;

function prototypeFingerprint(): string {
  const names = (target: object): string => Object.getOwnPropertyNames(target).sort().join(',');
  return [names(Object.prototype), names(Array.prototype), names(Function.prototype), String(Object.getPrototypeOf({}) === Object.prototype)].join('|');
}

function importDocument(doc: Malformed): ValidationReport {
  return 'text' in doc ? parseJobText(doc.text) : validateJob(doc.value);
}

function elapsedMs(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

describe('import fuzz', () => {
  const before = prototypeFingerprint();
  const seeds = Array.from({ length: CASES }, (_, i) => BASE_SEED + i);

  it.each(seeds)('seed %i: a malformed document is rejected cleanly', (seed) => {
    const rng = new Prng(seed);
    const doc = malformedDocument(rng, randomValidJob(rng), seed - BASE_SEED);
    const replay = `seed ${seed} (${doc.kind}); replay: SLUICE_SEED=${seed} npx vitest run src/engine/job/fuzz.test.ts`;

    const start = process.hrtime.bigint();
    let report: ValidationReport | undefined;
    expect(() => { report = importDocument(doc); }, replay).not.toThrow();
    expect(elapsedMs(start), replay).toBeLessThan(SLOW_MS);

    expect(report?.ok, replay).toBe(false);
    expect(report?.job, replay).toBeUndefined();
    expect(report?.errors.length, replay).toBeGreaterThan(0);
    for (const error of report?.errors ?? []) {
      expect(error.path.startsWith('$'), replay).toBe(true);
      expect(Object.keys(ERROR_TEMPLATES), replay).toContain(error.code);
      expect(error.message.length, replay).toBeLessThan(2000);
    }
    expect(prototypeFingerprint(), replay).toBe(before);
    expect(({} as Record<string, unknown>).polluted, replay).toBeUndefined();
  });

  it('covered every category', () => {
    const kinds = new Set<string>();
    for (const seed of seeds) {
      const rng = new Prng(seed);
      kinds.add(malformedDocument(rng, randomValidJob(rng), seed - BASE_SEED).kind.split(' ')[0] as string);
    }
    for (const kind of ['truncation', 'type', 'hostile', 'huge', '100,000', 'delete', 'self-loop', 'unknown']) {
      expect([...kinds].some((k) => k.startsWith(kind)), kind).toBe(true);
    }
  });
});

describe('hostile input performance', () => {
  it('rejects 100,000 operators and a 10 MB name in well under a second', () => {
    const operator = { id: 'a', kind: 'map', name: 'x', parallelism: 1 };
    const start = process.hrtime.bigint();
    const many = validateJob({ sluice: 'job/1', name: 'x'.repeat(10 * 1024 * 1024), operators: new Array(100_000).fill(operator), edges: [] });
    const ms = elapsedMs(start);
    expect(many.errors.map((e) => e.code).sort()).toEqual(['job.tooManyOperators', 'json.tooComplex', 'string.tooLong']);
    expect(ms).toBeLessThan(250);
  });

  it('validates the largest allowed job quickly', () => {
    const operators = Array.from({ length: 500 }, (_, i) => (
      i < 100
        ? { id: `s${i}`, kind: 'datagen', name: `Source ${i}`, parallelism: 2 }
        : { id: `m${i}`, kind: 'map', name: `Map ${i}`, parallelism: 2, config: { expr: 'value * 2 + len(key)' } }
    ));
    const edges = [];
    for (let i = 100; i < 500; i++) {
      for (let k = 0; k < 5; k++) edges.push({ from: k === 0 ? `s${i % 100}` : `${i - k >= 100 ? 'm' : 's'}${i - k}`, to: `m${i}`, partitioner: 'rebalance' });
    }
    const start = process.hrtime.bigint();
    const report = validateJob({ sluice: 'job/1', name: 'Big', operators, edges: edges.slice(0, 2000) });
    const ms = elapsedMs(start);
    expect(report.errors).toEqual([]);
    expect(ms).toBeLessThan(250);
  });
});
