/**
 * Test support: the gallery jobs (public/jobs) and small jobs for cluster tests, and a helper
 * that runs a job on a LocalCluster for a stretch of virtual time.
 */
import { readFileSync } from 'node:fs';
import type { JobGraph } from '../../job/types';
import type { RunConfig } from '../../runtime/runConfig';
import type { RunStatus } from '../../runtime/telemetry';
import { LocalCluster } from '../LocalCluster';
import { nodeClock } from './nodeClock';

const JOBS_DIR = new URL('../../../../public/jobs/', import.meta.url);

/** Every job of the gallery, by file name without `.json`. */
export function galleryJobs(): { name: string; job: JobGraph }[] {
  const index = JSON.parse(readFileSync(new URL('index.json', JOBS_DIR), 'utf8')) as { file: string }[];
  return index.map(({ file }) => ({
    name: file.replace(/\.json$/, ''),
    job: JSON.parse(readFileSync(new URL(file, JOBS_DIR), 'utf8')) as JobGraph,
  }));
}

/**
 * `shape` with enough slots per TaskManager for `job` (its highest parallelism), so a gallery
 * job that needs more slots than a small shape has (partitions-rescale: 6) runs on it too.
 */
export function fitShape<S extends { taskManagers: number; slotsPerTaskManager: number }>(job: JobGraph, shape: S): S {
  const needed = Math.max(...job.operators.map((op) => op.parallelism));
  return { ...shape, slotsPerTaskManager: Math.max(shape.slotsPerTaskManager, Math.ceil(needed / shape.taskManagers)) };
}

/** One gallery job by name. */
export function galleryJob(name: string): JobGraph {
  const found = galleryJobs().find((entry) => entry.name === name);
  if (found === undefined) throw new Error(`No gallery job '${name}'.`);
  return found.job;
}

/** A bounded job over every partitioner kind that finishes in a few virtual seconds. */
export const BOUNDED_SEQUENCE_JOB: JobGraph = {
  sluice: 'job/1',
  name: 'Bounded sequence',
  operators: [
    { id: 'numbers', kind: 'sequence', name: 'Numbers', parallelism: 2, config: { from: 1, to: 6000, ratePerSecond: 1500, partitions: 4 } },
    { id: 'double', kind: 'map', name: 'Double', parallelism: 3, config: { field: 'value', expr: 'value * 2' } },
    { id: 'some', kind: 'filter', name: 'Some', parallelism: 3, config: { expr: 'value % 3 != 0' } },
    { id: 'sum', kind: 'aggregate', name: 'Sum per key', parallelism: 4, config: { fn: 'sum', field: 'value' } },
    { id: 'out', kind: 'collect', name: 'Out', parallelism: 2 },
  ],
  edges: [
    { from: 'numbers', to: 'double', partitioner: 'rebalance' },
    { from: 'double', to: 'some', partitioner: 'forward' },
    { from: 'some', to: 'sum', partitioner: 'hash', key: 'key' },
    { from: 'sum', to: 'out', partitioner: 'rescale' },
  ],
};

/** Starts `job` paused, advances `ms` and returns the cluster and its status. */
/** A keyed count over 100k keys at 250k records/s, p4 (throughput and HA cost figures). */
export const KEYED_COUNT_JOB: JobGraph = {
  sluice: 'job/1', name: 'Keyed',
  operators: [
    { id: 'gen', kind: 'datagen', name: 'Gen', parallelism: 4, config: { keys: 100_000, ratePerSecond: 250_000, partitions: 4 } },
    { id: 'count', kind: 'aggregate', name: 'Count', parallelism: 4, config: { fn: 'count' } },
    { id: 'out', kind: 'collect', name: 'Out', parallelism: 4, config: { keepRecords: 1000 } },
  ],
  edges: [
    { from: 'gen', to: 'count', partitioner: 'hash', key: 'key' },
    { from: 'count', to: 'out', partitioner: 'forward' },
  ],
};

export async function runFor(job: JobGraph, config: Partial<RunConfig>, ms: number): Promise<{ cluster: LocalCluster; status: RunStatus }> {
  const cluster = new LocalCluster({ clock: nodeClock });
  const report = await cluster.start(job, { ...config, paused: true });
  if (!report.ok) throw new Error(`start refused: ${JSON.stringify(report.errors)}`);
  const status = await cluster.advance(ms);
  return { cluster, status };
}
