import { it } from 'vitest';
import type { JobGraph } from '../../job/types';
import { galleryJob } from '../testing/jobs';
import { LocalCluster } from '../LocalCluster';
import { nodeClock } from '../testing/nodeClock';

async function measure(label: string, job: JobGraph, config: object, virtualMs: number) {
  const c = new LocalCluster({ clock: nodeClock });
  await c.start(job, { paused: true, ...config });
  await c.advance(200);
  const m0 = await c.metrics();
  const src0 = m0.subtasks.filter((s) => s.recordsIn > 0 && ['datagen','sequence'].includes(job.operators.find(o=>o.id===s.operatorId)!.kind)).reduce((n, s) => n + s.recordsOut, 0);
  const t0 = nodeClock.now();
  await c.advance(virtualMs);
  const wall = nodeClock.now() - t0;
  const m = await c.metrics();
  const src = m.subtasks.filter((s) => ['datagen','sequence'].includes(job.operators.find(o=>o.id===s.operatorId)!.kind)).reduce((n, s) => n + s.recordsOut, 0) - src0;
  const bp = Math.max(...m.subtasks.map(s => s.backPressuredMsPerSecond));
  console.log(`${label}: ${src} source records in ${wall.toFixed(0)} ms wall = ${(src / wall / 1000).toFixed(3)} M rec/s; speed ${(virtualMs / wall).toFixed(1)}x; maxbp ${bp.toFixed(0)}`);
}

const stateless: JobGraph = {
  sluice: 'job/1', name: 'stateless',
  operators: [
    { id: 'gen', kind: 'datagen', name: 'Gen', parallelism: 4, config: { keys: 1000, ratePerSecond: 250000, partitions: 4 } },
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
const keyed: JobGraph = {
  sluice: 'job/1', name: 'keyed',
  operators: [
    { id: 'gen', kind: 'datagen', name: 'Gen', parallelism: 4, config: { keys: 100000, ratePerSecond: 250000, partitions: 4 } },
    { id: 'count', kind: 'aggregate', name: 'Count', parallelism: 4, config: { fn: 'count' } },
    { id: 'out', kind: 'collect', name: 'Out', parallelism: 4, config: { keepRecords: 1000 } },
  ],
  edges: [
    { from: 'gen', to: 'count', partitioner: 'hash', key: 'key' },
    { from: 'count', to: 'out', partitioner: 'forward' },
  ],
};

it('tp', async () => {
  await measure('word-count gallery (teaching scale)', galleryJob('word-count'), { taskManagers: 2 }, 20000);
  await measure('straggler gallery', galleryJob('straggler-rebalance'), { taskManagers: 2 }, 20000);
  await measure('stateless p4 2TM costScale 0.001', stateless, { taskManagers: 2, slotsPerTaskManager: 2, costScale: 0.001 }, 2000);
  await measure('keyed p4 2TM costScale 0.001', keyed, { taskManagers: 2, slotsPerTaskManager: 2, costScale: 0.001 }, 2000);
  await measure('keyed p4 1TM costScale 0.001', keyed, { taskManagers: 1, slotsPerTaskManager: 4, costScale: 0.001 }, 2000);
}, 120000);
