/**
 * The engine face is a public contract (DESIGN.md §8): these names must stay exported, with
 * the behaviour the design promises. Deep behaviour is tested next to each module.
 */
import { describe, expect, it } from 'vitest';
import * as engine from './index';

describe('engine face (DESIGN.md §8)', () => {
  it.each([
    'validateJob',
    'keyGroupForKey',
    'operatorIndexForKeyGroup',
    'keyGroupRangeForOperator',
    'maxParallelismFor',
    'divideRegions',
    'buildExecutionGraph',
    'topologicalOrder',
    'stableOperatorIds',
    'regionOfSubtask',
    'edgeId',
  ] as const)('exports the function %s', (name) => {
    expect(typeof engine[name]).toBe('function');
  });

  it('exports the cluster: LocalCluster, the cores, planRun and the run configuration', () => {
    expect(typeof engine.LocalCluster).toBe('function');
    expect(typeof engine.JobManagerCore).toBe('function');
    expect(typeof engine.TaskManagerCore).toBe('function');
    expect(typeof engine.planRun).toBe('function');
    expect(engine.protocol.PROTOCOL_VERSION).toBe(1);
    expect(engine.DEFAULT_RUN_CONFIG.costScale).toBe(1);
  });

  it('exports the catalogue and partitioner tables', () => {
    expect(engine.CATALOGUE.datagen.category).toBe('source');
    expect(engine.ALL_TO_ALL.has('hash')).toBe(true);
    expect(engine.MAX_MAX_PARALLELISM).toBe(32_768);
  });

  it('maps keys to Java types as §8 says', () => {
    expect(engine.keyGroupForKey('A', 128)).toBe(104); // String
    expect(engine.keyGroupForKey(42, 128)).toBe(engine.keyGroupForHash(42, 128)); // Integer
    expect(engine.keyGroupForKey(4_294_967_296n, 128)).toBe(engine.keyGroupForHash(1, 128)); // Long
    expect(engine.keyGroupForKey(true, 128)).toBe(engine.keyGroupForHash(1231, 128)); // Boolean
  });

  it('divides the §8 example job into one region (hash and rebalance fuse)', () => {
    const job: engine.JobGraph = {
      sluice: 'job/1',
      name: 'Word count',
      operators: [
        { id: 'words', kind: 'datagen', name: 'Words', parallelism: 2 },
        { id: 'count', kind: 'aggregate', name: 'Count', parallelism: 4 },
        { id: 'out', kind: 'collect', name: 'Out', parallelism: 1 },
      ],
      edges: [
        { from: 'words', to: 'count', partitioner: 'hash', key: 'key' },
        { from: 'count', to: 'out', partitioner: 'rebalance' },
      ],
    };
    expect(engine.divideRegions(job)).toHaveLength(1);
    expect(engine.buildExecutionGraph(job).subtasks).toHaveLength(7);
  });
});
