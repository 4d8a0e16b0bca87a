/**
 * Completed checkpoints and the snapshots they use (Flink `CompletedCheckpointStore` plus
 * `SharedStateRegistry`, reduced to what Sluice needs):
 *
 * - The last `retained` completed checkpoints, oldest first. Older ones are dropped.
 * - The acks (restore handles) of every checkpoint a retained one still references. In
 *   regional mode a completed checkpoint maps a failed region to an earlier snapshot of that
 *   region, so checkpoint 7 may restore region 2 from checkpoint 5's acks.
 * - Per region, its successful snapshots (for the regional mapping and incremental chains).
 *
 * Which checkpoint ids are still referenced (`referencedCheckpointIds`) drives state garbage
 * collection: a full snapshot references only itself; an incremental one references the ids
 * its backend listed in the ack (`referencedCheckpointIds`), or conservatively every earlier
 * successful snapshot of its region back to the last full one.
 */
import { subtaskKey, type SubtaskRef } from '../plan/executionGraph';
import type { ReceivedAck } from './PendingCheckpoint';
import { regionsOfSubtask, type CheckpointTopology } from './topology';
import type { CheckpointType, CompletedCheckpoint, SubtaskRestorePoint } from './types';

/** A region's successful snapshot. */
interface RegionSnapshot {
  id: number;
  type: CheckpointType;
}

/** Everything the store holds, as plain data (persist it with the checkpoint metadata). */
export interface CheckpointStoreState<H> {
  completed: CompletedCheckpoint[];
  /** Acks by checkpoint id, for every id still referenced. */
  snapshots: { checkpointId: number; acks: ReceivedAck<H>[] }[];
  /** Successful snapshots per region, ascending. */
  regionSnapshots: { region: number; snapshots: RegionSnapshot[] }[];
}

/** Retained completed checkpoints and their snapshots; see the module comment. */
export class CompletedCheckpointStore<H> {
  private completed: CompletedCheckpoint[] = [];
  private readonly snapshots = new Map<number, Map<string, ReceivedAck<H>>>();
  private readonly regionSnapshots = new Map<number, RegionSnapshot[]>();

  constructor(
    private readonly topology: CheckpointTopology,
    private readonly retained: number,
  ) {
    if (!Number.isInteger(retained) || retained < 1) throw new RangeError(`Retained checkpoints ${String(retained)} must be at least 1.`);
    for (const region of topology.regions) this.regionSnapshots.set(region.id, []);
  }

  /** The latest completed checkpoint, or undefined before the first. */
  latest(): CompletedCheckpoint | undefined {
    return this.completed[this.completed.length - 1];
  }

  /** Retained completed checkpoints, oldest first. */
  all(): readonly CompletedCheckpoint[] {
    return this.completed;
  }

  /** The latest successful snapshot of a region, or 0 when it has none. */
  latestSnapshotOf(region: number): number {
    const list = this.regionSnapshots.get(region);
    if (list === undefined) throw new RangeError(`Region ${region} does not exist.`);
    return list[list.length - 1]?.id ?? 0;
  }

  /**
   * Adds a completed checkpoint with the acks of its acknowledged regions, then drops what no
   * retained checkpoint references. @returns the ids of the checkpoints dropped from retention.
   */
  add(checkpoint: CompletedCheckpoint, acks: ReadonlyMap<string, ReceivedAck<H>>): number[] {
    const latest = this.latest();
    if (latest !== undefined && checkpoint.id <= latest.id) {
      throw new Error(`Checkpoint ${checkpoint.id} completed after checkpoint ${latest.id}: ids only increase.`);
    }
    const kept = new Map<string, ReceivedAck<H>>();
    for (const outcome of checkpoint.regions) {
      if (outcome.status !== 'acknowledged') continue;
      this.regionSnapshots.get(outcome.region)?.push({ id: checkpoint.id, type: checkpoint.type });
      for (const ref of this.topology.regions.find((r) => r.id === outcome.region)?.subtasks ?? []) {
        const ack = acks.get(subtaskKey(ref));
        if (ack !== undefined) kept.set(subtaskKey(ref), ack);
      }
    }
    this.snapshots.set(checkpoint.id, kept);
    this.completed.push(checkpoint);
    const dropped = this.completed.splice(0, Math.max(0, this.completed.length - this.retained)).map((c) => c.id);
    this.collectGarbage();
    return dropped;
  }

  /** Restore points of every subtask from a completed checkpoint (default: the latest). */
  restoreAll(from: CompletedCheckpoint | undefined = this.latest()): SubtaskRestorePoint<H>[] {
    return this.topology.subtasks.map((ref) => this.restorePoint(ref, from));
  }

  /** Restore points of one region's members (plan order) from a completed checkpoint (default: the latest). */
  restoreRegion(region: number, from: CompletedCheckpoint | undefined = this.latest()): SubtaskRestorePoint<H>[] {
    const members = this.topology.regions.find((r) => r.id === region);
    if (members === undefined) throw new RangeError(`Region ${region} does not exist.`);
    return members.subtasks.map((ref) => this.restorePoint(ref, from));
  }

  /**
   * A subtask's snapshot in a completed checkpoint: the newest snapshot id its regions map to
   * (a subtask in several regions acked each of their snapshots), with its handle.
   *
   * @throws Error when the snapshot's ack is missing (it was collected: a bookkeeping bug).
   */
  restorePoint(ref: SubtaskRef, from: CompletedCheckpoint | undefined = this.latest()): SubtaskRestorePoint<H> {
    if (from === undefined) return { subtask: ref, snapshotId: 0, handle: undefined };
    let snapshotId = 0;
    for (const region of regionsOfSubtask(this.topology, ref)) {
      const outcome = from.regions.find((o) => o.region === region);
      snapshotId = Math.max(snapshotId, outcome?.snapshotId ?? 0);
    }
    if (snapshotId === 0) return { subtask: ref, snapshotId, handle: undefined };
    const ack = this.snapshots.get(snapshotId)?.get(subtaskKey(ref));
    if (ack === undefined) {
      // A finished subtask has no ack at the checkpoint its region maps to: it restores as finished.
      return { subtask: ref, snapshotId, handle: undefined };
    }
    return { subtask: ref, snapshotId, handle: ack.handle };
  }

  /** Checkpoint ids the retained checkpoints still need, ascending (see the module comment). */
  referencedCheckpointIds(): number[] {
    const ids = new Set<number>();
    for (const checkpoint of this.completed) {
      for (const outcome of checkpoint.regions) {
        const id = outcome.snapshotId ?? 0;
        if (id > 0) for (const ref of this.referencesOf(outcome.region, id)) ids.add(ref);
      }
    }
    return [...ids].sort((a, b) => a - b);
  }

  /** Every snapshot older than this id may be released (`KeyedStateBackend.releaseSnapshotsBefore`). */
  releasableBefore(): number {
    const ids = this.referencedCheckpointIds();
    return ids[0] ?? (this.latest()?.id ?? 0) + 1;
  }

  /** The store as plain data. */
  exportState(): CheckpointStoreState<H> {
    return {
      completed: this.completed.map((c) => structuredCopy(c)),
      snapshots: [...this.snapshots].map(([checkpointId, acks]) => ({ checkpointId, acks: [...acks.values()] })),
      regionSnapshots: [...this.regionSnapshots].map(([region, snapshots]) => ({ region, snapshots: [...snapshots] })),
    };
  }

  /** Replaces the contents with exported state (after a reload or JobManager failover). */
  importState(state: CheckpointStoreState<H>): void {
    this.completed = state.completed.map((c) => structuredCopy(c)).slice(-this.retained);
    this.snapshots.clear();
    for (const { checkpointId, acks } of state.snapshots) {
      this.snapshots.set(checkpointId, new Map(acks.map((ack) => [subtaskKey(ack.subtask), ack])));
    }
    for (const region of this.topology.regions) this.regionSnapshots.set(region.id, []);
    for (const { region, snapshots } of state.regionSnapshots) {
      if (this.regionSnapshots.has(region)) this.regionSnapshots.set(region, [...snapshots]);
    }
  }

  /** Ids a region's snapshot `id` needs: itself, plus its incremental chain. */
  private referencesOf(region: number, id: number): number[] {
    const list = this.regionSnapshots.get(region) ?? [];
    const at = list.findIndex((s) => s.id === id);
    if (at < 0 || (list[at] as RegionSnapshot).type === 'full') return [id];
    const members = this.topology.regions.find((r) => r.id === region)?.subtasks ?? [];
    const listed = members.map((ref) => this.snapshots.get(id)?.get(subtaskKey(ref))?.referencedCheckpointIds);
    if (listed.length > 0 && listed.every((refs) => refs !== undefined)) {
      return [id, ...listed.flatMap((refs) => refs ?? [])];
    }
    const chain = [id];
    for (let i = at - 1; i >= 0; i--) {
      const earlier = list[i] as RegionSnapshot;
      chain.push(earlier.id);
      if (earlier.type === 'full') break;
    }
    return chain;
  }

  private collectGarbage(): void {
    const referenced = new Set(this.referencedCheckpointIds());
    for (const id of [...this.snapshots.keys()]) if (!referenced.has(id)) this.snapshots.delete(id);
    const oldest = Math.min(...referenced, Number.POSITIVE_INFINITY);
    for (const [region, list] of this.regionSnapshots) {
      this.regionSnapshots.set(region, list.filter((s, i) => s.id >= oldest || i === list.length - 1));
    }
  }
}

function structuredCopy(checkpoint: CompletedCheckpoint): CompletedCheckpoint {
  return { ...checkpoint, regions: checkpoint.regions.map((r) => ({ ...r })) };
}
