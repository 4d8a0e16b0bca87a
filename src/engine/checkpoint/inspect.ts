/**
 * The checkpoint inspector (seed 2, "Tooling Development": metadata inspection that maps
 * operator ids to names and filters by either): what one retained checkpoint holds, per
 * operator, subtask and key group, computed purely from the coordinator's exported metadata
 * (`CheckpointCoordinator.exportState`) and the plan. Nothing here reads state rows; sizes are
 * the backends' own figures from the snapshot handles (rows: the unit acks report).
 *
 * Full vs incremental, per key group: a snapshot handle lists every non-empty or changed key
 * group with `changed`, the rows its seal wrote. A key group with `changed > 0` was written by
 * the handle's checkpoint; one with `changed = 0` re-references the shard version of an
 * earlier checkpoint — the newest retained snapshot of the same operator state that changed
 * it, or, when none is retained, the folded base version older than every retained checkpoint
 * (`version: null`). This is Flink's SharedStateRegistry view (which checkpoint's file a
 * handle points at), applied to Sluice's per-key-group shard versions.
 */
import type { JobGraph, OperatorSpec } from '../job/types';
import { keyGroupRangeForOperator, type KeyGroupRange } from '../keygroups/keyGroups';
import type { ExecutionGraph, SubtaskRef } from '../plan/executionGraph';
import { stableIdOf } from '../plan/operatorIds';
import { subtaskKey } from '../plan/executionGraph';
import type { SubtaskPlacement, SubtaskSnapshotHandle } from '../runtime/protocol';
import type { KeyedStateSnapshot } from '../state/types';
import { CompletedCheckpointStore, type CheckpointStoreState } from './CompletedCheckpointStore';
import type { CheckpointTopology } from './topology';
import type { CheckpointMode, CheckpointType, RegionOutcome } from './types';

/** What the inspector reads: the JobManager's facts about the run and its checkpoints. */
export interface InspectFacts {
  job: JobGraph;
  graph: ExecutionGraph;
  placement: readonly SubtaskPlacement[];
  topology: CheckpointTopology;
  /** `CheckpointCoordinator.exportState()`. */
  metadata: { nextCheckpointId: number; store: CheckpointStoreState<SubtaskSnapshotHandle> };
}

/** Where a key group's state in the checkpoint was written. */
export type KeyGroupOrigin = 'written' | 'referenced';

/** One key group of one subtask in a checkpoint. */
export interface KeyGroupDetail {
  keyGroup: number;
  /** Rows the key group holds at the checkpoint (all states). */
  rows: number;
  /** Rows the seal of `version` wrote (0 when the shard was unchanged then). */
  writtenRows: number;
  /** Approximate bytes of the rows, when the backend recorded them (IndexedDB). */
  bytes?: number;
  /**
   * The checkpoint whose shard version holds this key group's state: the inspected one
   * (`origin: 'written'`) or an earlier one; null: folded into the base version, older than
   * every retained checkpoint.
   */
  version: number | null;
  origin: KeyGroupOrigin;
}

/** One subtask's part of a checkpoint. */
export interface SubtaskDetail {
  index: number;
  taskManager: number | null;
  /** The checkpoint whose snapshot this subtask restores from (0: none, starts from scratch). */
  snapshotId: number;
  /** True when a finished subtask left no snapshot (it restores as finished). */
  finished: boolean;
  /** Keyed operators: the key groups the subtask owns in this plan. */
  keyGroupRange?: KeyGroupRange;
  /** From the ack of `snapshotId` when it is the inspected checkpoint (else 0). */
  ackStateSize: number;
  ackChangedSize: number;
  /** Keyed rows at the checkpoint, and those written by the inspected checkpoint's seals. */
  rows: number;
  writtenRows: number;
  /** Rows re-referenced from earlier checkpoints' shard versions. */
  referencedRows: number;
  /** Approximate bytes over the key groups that recorded them (IndexedDB). */
  bytes?: number;
  /** Sources: partition offsets at the checkpoint. */
  sourceOffsets?: { partition: number; offset: number }[];
  /** Keyed operators: timers registered at the checkpoint. */
  timers?: number;
  /** Operators with operator state: its top-level fields and JSON size (characters). */
  operatorState?: { fields: string[]; jsonChars: number };
  /** A subtask of a rescaled operator restores from this many former subtasks' snapshots. */
  rescaledFrom?: number;
  /** Non-empty or changed key groups, ascending. */
  keyGroups: KeyGroupDetail[];
}

/** One operator in a checkpoint (id ↔ name, as seed 2's enriched metadata logs them). */
export interface OperatorDetail {
  /** The job's operator id (the plan id). */
  operatorId: string;
  /**
   * The stable id its state is stored under (plan/operatorIds.ts): the `uid` when set, else a
   * hash that ignores parallelism and everything downstream (seed 2's StreamGraphHasherV3 idea).
   */
  stateId: string;
  uid?: string;
  name: string;
  kind: string;
  parallelism: number;
  maxParallelism: number;
  keyed: boolean;
  rows: number;
  writtenRows: number;
  referencedRows: number;
  /** Approximate bytes (IndexedDB). */
  bytes?: number;
  /** Non-empty or changed key groups over all subtasks. */
  keyGroups: number;
  subtasks: SubtaskDetail[];
}

/** What a checkpoint holds; see the module comment. */
export interface CheckpointDetail {
  id: number;
  type: CheckpointType;
  mode: CheckpointMode;
  triggerMs: number;
  completedMs: number;
  regions: RegionOutcome[];
  operators: OperatorDetail[];
  totals: {
    rows: number; writtenRows: number; referencedRows: number; keyGroups: number; subtasks: number;
    /** Sums of the acks of this checkpoint (equal the history row's `stateSize` / `changedSize`). */
    ackStateSize: number; ackChangedSize: number;
  };
  retention: {
    /** Completed checkpoints retained, oldest first. */
    retained: number[];
    /** Checkpoints whose snapshots a retained one still needs (their shard versions are kept). */
    referenced: number[];
    /** Shard versions older than this id are folded together (no retained checkpoint needs them apart). */
    releasableBefore: number;
  };
}

export type CheckpointDetailResult =
  | { ok: true; detail: CheckpointDetail }
  /** `code`: `inspect.unknownCheckpoint` (not retained) or `inspect.noCheckpoint` (none completed yet). */
  | { ok: false; code: string; message: string };

/** The keyed snapshots a handle restores from (its own, or its former subtasks' after a rescale). */
export function keyedSnapshotsOf(handle: SubtaskSnapshotHandle | undefined): KeyedStateSnapshot[] {
  if (handle === undefined) return [];
  if (handle.keyed !== undefined) return [handle.keyed];
  return (handle.rescaledFrom ?? []).flatMap(keyedSnapshotsOf);
}

/**
 * The detail of retained checkpoint `checkpointId` (default: the latest completed).
 * Pure; see the module comment.
 */
export function checkpointDetail(facts: InspectFacts, checkpointId?: number): CheckpointDetailResult {
  const { store } = facts.metadata;
  if (store.completed.length === 0) {
    return { ok: false, code: 'inspect.noCheckpoint', message: 'No checkpoint has completed yet: trigger one (or wait for the periodic one), then inspect it.' };
  }
  const checkpoint = checkpointId === undefined ? store.completed[store.completed.length - 1] : store.completed.find((c) => c.id === checkpointId);
  if (checkpoint === undefined) {
    const ids = store.completed.map((c) => c.id).join(', ');
    return {
      ok: false, code: 'inspect.unknownCheckpoint',
      message: `Checkpoint ${String(checkpointId)} is not retained, so its metadata is gone; retained checkpoints: ${ids}.`,
    };
  }
  const restore = new CompletedCheckpointStore<SubtaskSnapshotHandle>(facts.topology, Math.max(1, store.completed.length));
  restore.importState(store);
  const points = new Map(restore.restoreAll(checkpoint).map((p) => [subtaskKey(p.subtask), p]));
  const acks = new Map((store.snapshots.find((s) => s.checkpointId === checkpoint.id)?.acks ?? []).map((a) => [subtaskKey(a.subtask), a]));
  const origins = new VersionOrigins(store);
  const operators = facts.job.operators.map((op) => {
    const subtasks = facts.graph.subtasks.filter((s) => s.operatorId === op.id).map((s) => {
      const point = points.get(subtaskKey(s));
      const ack = acks.get(subtaskKey(s));
      const placed = facts.placement.find((p) => p.operatorId === s.operatorId && p.index === s.index);
      return subtaskDetail(s, checkpoint.id, point?.snapshotId ?? 0, point?.handle, ack, placed?.taskManager ?? null, origins);
    });
    return operatorDetail(op, stableIdOf(facts.job, op.id), facts.graph, subtasks);
  });
  const sum = (f: (s: SubtaskDetail) => number): number => operators.reduce((n, o) => n + o.subtasks.reduce((m, s) => m + f(s), 0), 0);
  return {
    ok: true,
    detail: {
      id: checkpoint.id, type: checkpoint.type, mode: checkpoint.mode, triggerMs: checkpoint.triggerMs, completedMs: checkpoint.completedMs,
      regions: checkpoint.regions.map((r) => ({ ...r })),
      operators,
      totals: {
        rows: sum((s) => s.rows), writtenRows: sum((s) => s.writtenRows), referencedRows: sum((s) => s.referencedRows),
        keyGroups: sum((s) => s.keyGroups.length), subtasks: sum(() => 1),
        ackStateSize: sum((s) => s.ackStateSize), ackChangedSize: sum((s) => s.ackChangedSize),
      },
      retention: {
        retained: store.completed.map((c) => c.id),
        referenced: restore.referencedCheckpointIds(),
        releasableBefore: restore.releasableBefore(),
      },
    },
  };
}

function subtaskDetail(
  ref: SubtaskRef & { maxParallelism: number; parallelism: number },
  checkpointId: number,
  snapshotId: number,
  handle: SubtaskSnapshotHandle | undefined,
  ack: { stateSize: number; changedSize: number } | undefined,
  taskManager: number | null,
  origins: VersionOrigins,
): SubtaskDetail {
  const keyed = keyedSnapshotsOf(handle);
  // A rescaled subtask restores from former subtasks' handles: only its own range counts.
  const range = keyed.length === 0 ? undefined : keyGroupRangeForOperator(ref.maxParallelism, ref.parallelism, ref.index);
  const keyGroups: KeyGroupDetail[] = [];
  for (const snapshot of keyed) {
    for (const kg of snapshot.keyGroups) {
      if (range !== undefined && (kg.keyGroup < range.start || kg.keyGroup > range.end)) continue;
      const version = (kg.changed ?? 0) > 0 ? snapshot.checkpointId : origins.lastWriter(snapshot.operatorId, kg.keyGroup, snapshot.checkpointId);
      const detail: KeyGroupDetail = {
        keyGroup: kg.keyGroup, rows: kg.entries, writtenRows: version === checkpointId ? kg.changed ?? 0 : 0,
        version, origin: version === checkpointId ? 'written' : 'referenced',
      };
      if (kg.bytes !== undefined) detail.bytes = kg.bytes;
      keyGroups.push(detail);
    }
  }
  keyGroups.sort((a, b) => a.keyGroup - b.keyGroup);
  const rows = keyGroups.reduce((n, g) => n + g.rows, 0);
  const writtenRows = keyGroups.reduce((n, g) => n + g.writtenRows, 0);
  const detail: SubtaskDetail = {
    index: ref.index, taskManager, snapshotId, finished: snapshotId > 0 && handle === undefined,
    ackStateSize: snapshotId === checkpointId ? ack?.stateSize ?? 0 : 0,
    ackChangedSize: snapshotId === checkpointId ? ack?.changedSize ?? 0 : 0,
    rows, writtenRows, referencedRows: keyGroups.reduce((n, g) => n + (g.origin === 'referenced' ? g.rows : 0), 0),
    keyGroups,
  };
  if (keyGroups.some((g) => g.bytes !== undefined)) detail.bytes = keyGroups.reduce((n, g) => n + (g.bytes ?? 0), 0);
  if (range !== undefined) detail.keyGroupRange = range;
  if (handle?.source !== undefined) detail.sourceOffsets = handle.source.partitions.map((p) => ({ partition: p.partition, offset: p.offset }));
  const timers = timersOf(handle);
  if (timers !== undefined) detail.timers = timers;
  if (handle?.operator !== undefined) detail.operatorState = { fields: Object.keys(handle.operator).sort(), jsonChars: JSON.stringify(handle.operator).length };
  if (handle?.rescaledFrom !== undefined) detail.rescaledFrom = handle.rescaledFrom.length;
  return detail;
}

function timersOf(handle: SubtaskSnapshotHandle | undefined): number | undefined {
  if (handle === undefined) return undefined;
  if (handle.timers !== undefined) return handle.timers.eventTime.length + handle.timers.processingTime.length;
  if (handle.rescaledFrom === undefined) return undefined;
  const counts = handle.rescaledFrom.map(timersOf).filter((n): n is number => n !== undefined);
  return counts.length === 0 ? undefined : counts.reduce((a, b) => a + b, 0);
}

function operatorDetail(op: OperatorSpec, stateId: string, graph: ExecutionGraph, subtasks: SubtaskDetail[]): OperatorDetail {
  const first = graph.subtasks.find((s) => s.operatorId === op.id);
  const detail: OperatorDetail = {
    operatorId: op.id, stateId, name: op.name, kind: op.kind,
    parallelism: first?.parallelism ?? op.parallelism, maxParallelism: first?.maxParallelism ?? 0,
    keyed: subtasks.some((s) => s.keyGroupRange !== undefined),
    rows: subtasks.reduce((n, s) => n + s.rows, 0),
    writtenRows: subtasks.reduce((n, s) => n + s.writtenRows, 0),
    referencedRows: subtasks.reduce((n, s) => n + s.referencedRows, 0),
    keyGroups: subtasks.reduce((n, s) => n + s.keyGroups.length, 0),
    subtasks,
  };
  if (op.uid !== undefined) detail.uid = op.uid;
  if (subtasks.some((s) => s.bytes !== undefined)) detail.bytes = subtasks.reduce((n, s) => n + (s.bytes ?? 0), 0);
  return detail;
}

/** Which retained snapshot last wrote a key group of an operator state, before a given checkpoint. */
class VersionOrigins {
  /** `stateId|keyGroup` → checkpoint ids whose seal changed it, ascending. */
  private readonly writers = new Map<string, number[]>();

  constructor(store: CheckpointStoreState<SubtaskSnapshotHandle>) {
    const seen = new Set<string>();
    for (const { acks } of store.snapshots) {
      for (const ack of acks) {
        for (const snapshot of keyedSnapshotsOf(ack.handle)) {
          for (const kg of snapshot.keyGroups) {
            if ((kg.changed ?? 0) === 0) continue;
            const at = `${snapshot.operatorId}|${kg.keyGroup}`;
            const once = `${at}|${snapshot.checkpointId}`;
            if (seen.has(once)) continue;
            seen.add(once);
            const list = this.writers.get(at) ?? [];
            list.push(snapshot.checkpointId);
            this.writers.set(at, list);
          }
        }
      }
    }
    for (const list of this.writers.values()) list.sort((a, b) => a - b);
  }

  /** The newest writer below `before`, or null when the version is older than every retained snapshot. */
  lastWriter(stateId: string, keyGroup: number, before: number): number | null {
    const list = this.writers.get(`${stateId}|${keyGroup}`) ?? [];
    for (let i = list.length - 1; i >= 0; i--) if ((list[i] as number) < before) return list[i] as number;
    return null;
  }
}

/** Each subtask's restore handle in retained checkpoint `checkpointId`, by `operatorId#index`. */
export function checkpointHandles(facts: InspectFacts, checkpointId: number): Map<string, SubtaskSnapshotHandle | undefined> {
  const { store } = facts.metadata;
  const checkpoint = store.completed.find((c) => c.id === checkpointId);
  if (checkpoint === undefined) return new Map();
  const restore = new CompletedCheckpointStore<SubtaskSnapshotHandle>(facts.topology, Math.max(1, store.completed.length));
  restore.importState(store);
  return new Map(restore.restoreAll(checkpoint).map((p) => [subtaskKey(p.subtask), p.handle]));
}

/**
 * Operators whose id, state id, uid or name contains `query` (case-insensitive; blank: all),
 * in the detail's order (seed 2: "metadata inspection tools that can filter by operator ID or name").
 */
export function filterOperators(operators: readonly OperatorDetail[], query: string): OperatorDetail[] {
  const q = query.trim().toLowerCase();
  if (q === '') return [...operators];
  return operators.filter((o) => [o.operatorId, o.stateId, o.uid ?? '', o.name].some((s) => s.toLowerCase().includes(q)));
}
