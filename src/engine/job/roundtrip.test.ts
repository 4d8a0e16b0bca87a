/**
 * Property: for random valid jobs, export → import → export is byte-identical, and import
 * accepts everything export writes.
 *
 * Replay a failure with the printed seed:
 *   SLUICE_SEED=<seed> npx vitest run src/engine/job/roundtrip.test.ts
 */
import { describe, expect, it } from 'vitest';
import { parseJobText } from './parseJob';
import { serializeJob } from './serialize';
import { Prng } from './testing/prng';
import { randomValidJob } from './testing/randomJob';
import { validateJob } from './validate';

const BASE_SEED = Number(process.env.SLUICE_SEED ?? 20_261_120);
const CASES = 250;

function replay(seed: number): string {
  return `seed ${seed}; replay: SLUICE_SEED=${seed} npx vitest run src/engine/job/roundtrip.test.ts`;
}

describe('random valid jobs', () => {
  const seeds = Array.from({ length: CASES }, (_, i) => BASE_SEED + i);

  it.each(seeds)('seed %i: validates, and export → import → export is byte-identical', (seed) => {
    const job = randomValidJob(new Prng(seed));
    const report = validateJob(job);
    expect(report.errors, replay(seed)).toEqual([]);

    const exported = serializeJob(job);
    expect(exported.endsWith('}\n'), replay(seed)).toBe(true);
    expect(serializeJob(report.job ?? job), replay(seed)).toBe(exported);

    const imported = parseJobText(exported);
    expect(imported.errors, replay(seed)).toEqual([]);
    const again = serializeJob(imported.job ?? job);
    expect(again, replay(seed)).toBe(exported);
  });

  it('covers every operator kind and partitioner across the seeds', () => {
    const kinds = new Set<string>();
    const partitioners = new Set<string>();
    let withLayout = 0;
    for (const seed of seeds) {
      const job = randomValidJob(new Prng(seed));
      job.operators.forEach((op) => kinds.add(op.kind));
      job.edges.forEach((edge) => partitioners.add(edge.partitioner));
      if (job.layout !== undefined) withLayout++;
    }
    expect(kinds.size).toBe(12);
    expect(partitioners.size).toBe(6);
    expect(withLayout).toBeGreaterThan(CASES / 3);
  });
});
