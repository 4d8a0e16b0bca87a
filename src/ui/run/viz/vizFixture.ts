/** Made-up telemetry for the visualisation's tests: subtasks, channels, checkpoints and recoveries. */
import type { JobGraph } from '../../../engine';
import type { CheckpointStats } from '../../../engine/checkpoint/types';
import type { ChannelMetrics, CheckpointsReport, MetricsSnapshot, RecoveryReport, SubtaskMetrics } from '../../../engine/runtime/telemetry';

export const vizJob = (): JobGraph => ({
  sluice: 'job/1',
  name: 'viz',
  operators: [
    { id: 'src', kind: 'datagen', name: 'Source', parallelism: 2 },
    { id: 'work', kind: 'map', name: 'Work', parallelism: 4 },
    { id: 'out', kind: 'collect', name: 'Out', parallelism: 1 },
  ],
  edges: [
    { from: 'src', to: 'work', partitioner: 'rebalance' },
    { from: 'work', to: 'out', partitioner: 'rebalance' },
  ],
}) as JobGraph;

export function subtask(operatorId: string, index: number, patch: Partial<SubtaskMetrics> = {}): SubtaskMetrics {
  return {
    operatorId, index, taskManager: index % 2, state: 'running', recordsIn: 10, recordsOut: 10, recordsInPerSecond: 100, recordsOutPerSecond: 100,
    busyMsPerSecond: 200, idleMsPerSecond: 800, backPressuredMsPerSecond: 0, watermark: null, lateRecordsDropped: 0, slowFactor: 1, ...patch,
  };
}

export function channel(edgeId: string, from: [string, number], to: [string, number], backlog: number, recordsPerSecond = 100): ChannelMetrics {
  return { edgeId, from: { operatorId: from[0], index: from[1] }, to: { operatorId: to[0], index: to[1] }, recordsOut: 1, recordsPerSecond, backlog, credit: 2 };
}

/** Straggler: sources back-pressured, work #1 busy (slowed), the rest idle; work #1's channels queue. */
export function stragglerMetrics(t = 5000): MetricsSnapshot {
  const subtasks = [
    subtask('src', 0, { busyMsPerSecond: 100, idleMsPerSecond: 0, backPressuredMsPerSecond: 900 }),
    subtask('src', 1, { busyMsPerSecond: 100, idleMsPerSecond: 0, backPressuredMsPerSecond: 900 }),
    subtask('work', 0), subtask('work', 1, { busyMsPerSecond: 1000, idleMsPerSecond: 0, slowFactor: 10 }), subtask('work', 2), subtask('work', 3),
    subtask('out', 0),
  ];
  const channels: ChannelMetrics[] = [];
  for (const s of [0, 1]) for (const w of [0, 1, 2, 3]) channels.push(channel('src->work', ['src', s], ['work', w], w === 1 ? 10 : 0, w === 1 ? 30 : 300));
  for (const w of [0, 1, 2, 3]) channels.push(channel('work->out', ['work', w], ['out', 0], 0));
  return {
    virtualTimeMs: t,
    operators: ['src', 'work', 'out'].map((operatorId) => ({ operatorId, recordsIn: 10, recordsOut: 10, recordsInPerSecond: 100, recordsOutPerSecond: 90, backPressuredMsPerSecond: operatorId === 'src' ? 900 : 0 })),
    subtasks, channels, taskManagers: [{ index: 0, slots: 4, alive: true, subtasks: [] }, { index: 1, slots: 4, alive: true, subtasks: [] }],
  };
}

export function checkpointStats(id: number, patch: Partial<CheckpointStats> = {}): CheckpointStats {
  return {
    id, status: 'completed', type: 'incremental', triggerMs: id * 2000, endMs: id * 2000 + 150, durationMs: 150, acknowledged: 7, total: 7,
    stateSize: 1200, changedSize: 300, size: 300, regions: [{ region: 1, status: 'acknowledged', snapshotId: id }],
    subtasks: [{ operatorId: 'src', index: 0, ackMs: id * 2000 + 10, syncMs: 1, asyncMs: 4, alignmentMs: 0, stateSize: 10, changedSize: 2 }],
    ...patch,
  };
}

export function checkpointsReport(history: CheckpointStats[]): CheckpointsReport {
  const done = history.filter((c) => c.status === 'completed');
  return {
    enabled: true, mode: 'regional', type: 'incremental',
    summary: {
      completed: done.length, failed: history.filter((c) => c.status === 'failed').length, inProgress: history.filter((c) => c.status === 'in-progress').length,
      durationMs: { min: 100, avg: 150, max: 200 }, size: { min: 100, avg: 300, max: 500 }, alignmentMs: { min: 0, avg: 1, max: 3 },
      latestCompletedId: done[done.length - 1]?.id ?? null, latestFailedId: null,
    },
    history,
  };
}

export function recovery(patch: Partial<RecoveryReport> = {}): RecoveryReport {
  return {
    virtualTimeMs: 7000, strategy: 'region', attempt: 1, cause: { code: 'task.killed', message: 'Work #1 was killed' },
    restarted: [{ operatorId: 'work', index: 1 }, { operatorId: 'src', index: 0 }, { operatorId: 'out', index: 0 }],
    regions: [2], restoredFrom: [{ operatorId: 'work', index: 1, checkpointId: 7 }, { operatorId: 'src', index: 0, checkpointId: 7 }, { operatorId: 'out', index: 0, checkpointId: 7 }],
    resumedMs: 7400, ...patch,
  };
}
