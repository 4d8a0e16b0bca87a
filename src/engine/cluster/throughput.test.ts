/**
 * Prints the cluster's records per wall second in Node at speed 'max' (DESIGN.md §9: printed
 * figures, never timing assertions): a stateless and a keyed job at a tiny cost scale (so
 * wall-clock work is what is measured), and the word-count example at the teaching scale
 * (how many virtual seconds per wall second it reaches). Only correctness is asserted.
 */
import { describe, expect, it } from 'vitest';
import type { JobGraph } from '../job/types';
import { galleryJob, KEYED_COUNT_JOB, runFor } from './testing/jobs';
import { nodeClock } from './testing/nodeClock';

const STATELESS: JobGraph = {
  sluice: 'job/1', name: 'Stateless',
  operators: [
    { id: 'gen', kind: 'datagen', name: 'Gen', parallelism: 4, config: { keys: 1000, ratePerSecond: 250_000, partitions: 4 } },
    { id: 'map', kind: 'map', name: 'Map', parallelism: 4, config: { field: 'value', expr: 'value * 2 + 1' } },
    { id: 'filter', kind: 'filter', name: 'Filter', parallelism: 4, config: { expr: 'value % 2 == 1' } },
    { id: 'out', kind: 'collect', name: 'Out', parallelism: 4, config: { keepRecords: 1000 } },
  ],
  edges: [
    { from: 'gen', to: 'map', partitioner: 'forward' },
    { from: 'map', to: 'filter', partitioner: 'forward' },
    { from: 'filter', to: 'out', partitioner: 'forward' },
  ],
};

const KEYED = KEYED_COUNT_JOB;

async function measure(label: string, job: JobGraph, sourceId: string, config: object, virtualMs: number): Promise<number> {
  const { cluster } = await runFor(job, { ...config, speed: 'max' }, 100);
  const produced = async () => (await cluster.metrics()).subtasks.filter((s) => s.operatorId === sourceId).reduce((n, s) => n + s.recordsOut, 0);
  const before = await produced();
  const started = nodeClock.now();
  await cluster.advance(virtualMs);
  const wallMs = nodeClock.now() - started;
  const records = (await produced()) - before;
  console.log(
    `cluster throughput, ${label}: ${records.toLocaleString('en')} source records in ${wallMs.toFixed(0)} ms wall = ` +
      `${(records / wallMs / 1000).toFixed(2)} M records/s; ${(virtualMs / wallMs).toFixed(1)} virtual s per wall s`,
  );
  return records;
}

describe('cluster throughput in Node (printed, not asserted)', () => {
  it('stateless, keyed and word count at max speed', async () => {
    const scale = { taskManagers: 2, slotsPerTaskManager: 2, costScale: 0.001 };
    expect(await measure('stateless datagen → map → filter → collect, p4 on 2 TMs', STATELESS, 'gen', scale, 1_000)).toBeGreaterThan(0);
    expect(await measure('keyed datagen (100k keys) → hash → count → collect, p4 on 2 TMs', KEYED, 'gen', scale, 1_000)).toBeGreaterThan(0);
    expect(await measure('word-count example at the teaching scale, 2 TMs', galleryJob('word-count'), 'words', { taskManagers: 2, slotsPerTaskManager: 2 }, 10_000)).toBeGreaterThan(0);
  }, 60_000);
});
