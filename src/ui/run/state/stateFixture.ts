/**
 * Made-up state telemetry for tests of the State panel: a keyed operator whose subtasks own
 * contiguous key-group ranges with some rows, and backend figures of either kind.
 */
import type { OperatorStateMetrics, StateMetrics } from '../../../engine/runtime/telemetry';
import { emptyStateStorageFigures, type StateStorageFigures } from '../../../engine/state/types';

/** `operatorId` with `parallelism` subtasks over `maxParallelism` key groups; rows in every `every`-th key group. */
export function operatorStateFixture(operatorId: string, maxParallelism: number, parallelism: number, every = 3): OperatorStateMetrics {
  const subtasks = Array.from({ length: parallelism }, (_, index) => {
    const keyGroupStart = Math.ceil((index * maxParallelism) / parallelism);
    const keyGroupEnd = Math.ceil(((index + 1) * maxParallelism) / parallelism) - 1;
    const keyGroups = [];
    for (let kg = keyGroupStart; kg <= keyGroupEnd; kg++) {
      if (kg % every === 0) keyGroups.push({ keyGroup: kg, entries: 1 + (kg % 17), bytes: (1 + (kg % 17)) * 48 });
    }
    return { index, taskManager: index % 2, keyGroupStart, keyGroupEnd, keyGroups, totalEntries: keyGroups.reduce((n, k) => n + k.entries, 0) };
  });
  return { operatorId, stateId: operatorId, maxParallelism, parallelism, subtasks };
}

function idbFigures(scale: number): StateStorageFigures {
  return {
    ...emptyStateStorageFigures('idb'),
    cacheCapacity: 4096, cacheEntries: 900 * scale, cacheHits: 9000 * scale, cacheMisses: 1000 * scale,
    bloomNegatives: 950 * scale, bloomFalsePositives: 5 * scale, idbTransactions: 12 * scale, idbRowsRead: 45 * scale,
    idbRowsWritten: 300 * scale, idbEntriesWritten: 3000 * scale, flushes: 12 * scale, flushedEntries: 3000 * scale,
    flushCauses: { size: 2 * scale, latency: 7 * scale, checkpoint: 3 * scale, close: 0 }, unflushedEntries: 40 * scale,
  };
}

/** State telemetry of one operator on two TaskManagers. */
export function stateMetricsFixture(backend: 'idb' | 'memory', operators: OperatorStateMetrics[]): StateMetrics {
  if (backend === 'memory') {
    const empty = emptyStateStorageFigures('memory');
    return { backend, figures: empty, perTaskManager: [{ taskManager: 0, figures: empty }, { taskManager: 1, figures: empty }], operators };
  }
  const a = idbFigures(1);
  const b = idbFigures(2);
  const sum = { ...idbFigures(3), cacheCapacity: 8192 };
  return { backend, figures: sum, perTaskManager: [{ taskManager: 0, figures: a }, { taskManager: 1, figures: b }], operators };
}
