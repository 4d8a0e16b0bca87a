/**
 * checkpointDetail on hand-made metadata, for the cases a short run rarely shows: a region
 * mapped to an earlier snapshot (regional checkpoints), a key group whose version was folded
 * below every retained checkpoint, and a rescaled subtask restoring from former subtasks'
 * handles (only its own key groups count).
 */
import { describe, expect, it } from 'vitest';
import { planRun } from '../cluster/planRun';
import type { JobGraph } from '../job/types';
import { divideRegions, RUN_REGIONS } from '../plan/regions';
import type { SubtaskSnapshotHandle } from '../runtime/protocol';
import type { KeyedStateSnapshot } from '../state/types';
import type { CheckpointStoreState } from './CompletedCheckpointStore';
import { checkpointDetail, type InspectFacts } from './inspect';
import type { ReceivedAck } from './PendingCheckpoint';
import { checkpointTopology } from './topology';
import type { CompletedCheckpoint } from './types';

/** Two independent keyed pipelines: two regions. */
const JOB: JobGraph = {
  sluice: 'job/1', name: 'Two pipelines',
  operators: [
    { id: 'a', kind: 'sequence', name: 'A', parallelism: 1, config: { from: 1, to: 10, ratePerSecond: 10 } },
    { id: 'sumA', kind: 'aggregate', name: 'Sum A', parallelism: 2, maxParallelism: 8, config: { fn: 'count' } },
    { id: 'b', kind: 'sequence', name: 'B', parallelism: 1, config: { from: 1, to: 10, ratePerSecond: 10 } },
    { id: 'sumB', kind: 'aggregate', name: 'Sum B', parallelism: 2, maxParallelism: 8, uid: 'b-state', config: { fn: 'count' } },
  ],
  edges: [
    { from: 'a', to: 'sumA', partitioner: 'hash', key: 'key' },
    { from: 'b', to: 'sumB', partitioner: 'hash', key: 'key' },
  ],
};

function facts(store: CheckpointStoreState<SubtaskSnapshotHandle>): InspectFacts {
  const plan = planRun(JOB, { taskManagers: 1, slotsPerTaskManager: 2 });
  if (!plan.ok) throw new Error(JSON.stringify(plan.errors));
  const topology = checkpointTopology(plan.graph, divideRegions(plan.job, RUN_REGIONS));
  return { job: plan.job, graph: plan.graph, placement: plan.placement, topology, metadata: { nextCheckpointId: 9, store } };
}

function keyed(operatorId: string, checkpointId: number, start: number, end: number, groups: [kg: number, rows: number, changed: number][]): KeyedStateSnapshot {
  const keyGroups = groups.map(([keyGroup, entries, changed]) => ({ keyGroup, entries, changed }));
  return {
    operatorId, checkpointId, maxParallelism: 8, keyGroupRange: { start, end }, keyGroups,
    totalEntries: keyGroups.reduce((n, g) => n + g.entries, 0), changedEntries: keyGroups.reduce((n, g) => n + g.changed, 0),
  };
}

function ack(checkpointId: number, operatorId: string, index: number, handle: SubtaskSnapshotHandle): ReceivedAck<SubtaskSnapshotHandle> {
  const k = handle.keyed;
  return {
    checkpointId, subtask: { operatorId, index }, syncMs: 0, asyncMs: 0, alignmentMs: 0, ackMs: checkpointId * 100,
    stateSize: k?.totalEntries ?? 0, changedSize: k?.changedEntries ?? 0, handle, referencedCheckpointIds: [],
  };
}

function completed(id: number, regions: [region: number, snapshotId: number][]): CompletedCheckpoint {
  return {
    id, type: 'incremental', mode: 'regional', triggerMs: id * 100, completedMs: id * 100 + 10, stateSize: 0, changedSize: 0,
    regions: regions.map(([region, snapshotId]) => ({ region, status: snapshotId === id ? 'acknowledged' : 'failed', snapshotId })),
  };
}

describe('checkpointDetail on hand-made metadata', () => {
  const f0 = facts({ completed: [], snapshots: [], regionSnapshots: [] });
  const regionOf = (op: string): number => f0.topology.regionsOf.get(`${op}#0`)?.[0] as number;
  const [ra, rb] = [regionOf('sumA'), regionOf('sumB')];

  it('names written, re-referenced and folded versions; a failed region restores from its earlier snapshot', () => {
    const store: CheckpointStoreState<SubtaskSnapshotHandle> = {
      completed: [completed(4, [[ra, 4], [rb, 4]]), completed(5, [[ra, 5], [rb, 4]])],
      snapshots: [
        { checkpointId: 4, acks: [
          ack(4, 'sumA', 0, { keyed: keyed('sumA', 4, 0, 3, [[1, 2, 2], [2, 5, 0]]) }),
          ack(4, 'sumB', 0, { keyed: keyed('b-state', 4, 0, 3, [[0, 1, 1]]) }),
        ] },
        { checkpointId: 5, acks: [
          ack(5, 'sumA', 0, { keyed: keyed('sumA', 5, 0, 3, [[1, 3, 1], [2, 5, 0], [3, 4, 4]]) }),
        ] },
      ],
      regionSnapshots: [{ region: ra, snapshots: [{ id: 4, type: 'incremental' }, { id: 5, type: 'incremental' }] }, { region: rb, snapshots: [{ id: 4, type: 'incremental' }] }],
    };
    const result = checkpointDetail(facts(store), 5);
    if (!result.ok) throw new Error(result.message);
    const { detail } = result;
    const sumA0 = detail.operators.find((o) => o.operatorId === 'sumA')?.subtasks[0];
    expect(sumA0?.keyGroups).toEqual([
      { keyGroup: 1, rows: 3, writtenRows: 1, version: 5, origin: 'written' },
      // Unchanged since before 4, whose ack shows no write either: folded below every retained checkpoint.
      { keyGroup: 2, rows: 5, writtenRows: 0, version: null, origin: 'referenced' },
      { keyGroup: 3, rows: 4, writtenRows: 4, version: 5, origin: 'written' },
    ]);
    expect(sumA0).toMatchObject({ snapshotId: 5, rows: 12, writtenRows: 5, referencedRows: 5, ackStateSize: 12, ackChangedSize: 5, keyGroupRange: { start: 0, end: 3 } });
    const sumB = detail.operators.find((o) => o.operatorId === 'sumB');
    expect(sumB).toMatchObject({ stateId: 'b-state', uid: 'b-state', name: 'Sum B' });
    // Region B failed checkpoint 5: it restores from 4, so everything there is re-referenced.
    expect(sumB?.subtasks[0]).toMatchObject({ snapshotId: 4, ackStateSize: 0, rows: 1, writtenRows: 0, referencedRows: 1 });
    expect(sumB?.subtasks[0]?.keyGroups).toEqual([{ keyGroup: 0, rows: 1, writtenRows: 0, version: 4, origin: 'referenced' }]);
    expect(detail.totals).toMatchObject({ ackStateSize: 12, ackChangedSize: 5, writtenRows: 5 });
    expect(detail.retention).toEqual({ retained: [4, 5], referenced: [4, 5], releasableBefore: 4 });
  });

  it('a rescaled subtask lists only its own key groups from its former subtasks’ handles', () => {
    const former = [keyed('sumA', 6, 0, 1, [[0, 1, 1], [1, 2, 0]]), keyed('sumA', 6, 2, 7, [[2, 3, 3], [6, 4, 4]])];
    const rescaled: SubtaskSnapshotHandle = { rescaledFrom: former.map((k) => ({ keyed: k })) };
    const store: CheckpointStoreState<SubtaskSnapshotHandle> = {
      completed: [completed(6, [[ra, 6], [rb, 6]])],
      snapshots: [{ checkpointId: 6, acks: [ack(6, 'sumA', 0, rescaled), ack(6, 'sumA', 1, rescaled)] }],
      regionSnapshots: [{ region: ra, snapshots: [{ id: 6, type: 'incremental' }] }, { region: rb, snapshots: [{ id: 6, type: 'incremental' }] }],
    };
    const result = checkpointDetail(facts(store));
    if (!result.ok) throw new Error(result.message);
    const [s0, s1] = result.detail.operators.find((o) => o.operatorId === 'sumA')?.subtasks ?? [];
    expect(s0?.keyGroupRange).toEqual({ start: 0, end: 3 });
    expect(s0?.keyGroups.map((g) => g.keyGroup)).toEqual([0, 1, 2]);
    expect(s1?.keyGroups.map((g) => g.keyGroup)).toEqual([6]);
    expect(s0?.rescaledFrom).toBe(2);
  });
});
