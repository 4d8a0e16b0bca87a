/**
 * The checkpoint history for the checkpoint panel and `checkpoints()` (Flink's
 * `CheckpointStatsTracker` / `CheckpointStatsHistory`): one row per checkpoint with status,
 * acknowledged/total, trigger time, duration, full and incremental sizes, per-region outcome
 * and per-subtask sync/async/alignment figures, plus a min/avg/max summary over completed ones.
 *
 * Plain data in, plain data out. Rows beyond `kept` (oldest first) are dropped; the counts in
 * the summary cover every checkpoint ever seen.
 */
import type { VirtualMs } from '../runtime/types';
import type { PendingCheckpoint } from './PendingCheckpoint';
import type {
  CheckpointFailure, CheckpointStats, CheckpointSummary, MinAvgMax, RegionOutcome, SubtaskCheckpointStats,
} from './types';

/** Rows kept by default (Flink's `web.checkpoints.history` is 10; the panel scrolls). */
export const HISTORY_KEPT = 50;

/** A history as plain data (JobManager HA: a successor goes on with its predecessor's rows). */
export interface CheckpointHistoryState {
  rows: CheckpointStats[];
  completed: number;
  failed: number;
  latestCompletedId: number | null;
  latestFailedId: number | null;
}

/** Checkpoint rows and counts; see the module comment. */
export class CheckpointHistory {
  private readonly rows: CheckpointStats[] = [];
  private completedCount = 0;
  private failedCount = 0;
  private latestCompletedId: number | null = null;
  private latestFailedId: number | null = null;

  constructor(private readonly kept = HISTORY_KEPT) {}

  /** A row for a checkpoint that just started. */
  started<H>(pending: PendingCheckpoint<H>): void {
    this.rows.push(rowOf(pending, 'in-progress'));
    if (this.rows.length > this.kept) this.rows.shift();
  }

  /** Refreshes an in-progress row from its pending checkpoint (after acks). */
  update<H>(pending: PendingCheckpoint<H>): void {
    this.replace(pending.id, rowOf(pending, 'in-progress'));
  }

  /** Ends a row as completed at `endMs`, with the regions' snapshot mapping. */
  completed<H>(pending: PendingCheckpoint<H>, endMs: VirtualMs, regions: RegionOutcome[]): void {
    this.replace(pending.id, { ...rowOf(pending, 'completed', endMs), regions });
    this.completedCount++;
    this.latestCompletedId = Math.max(this.latestCompletedId ?? 0, pending.id);
  }

  /** Ends a row as failed at `endMs`. */
  failed<H>(pending: PendingCheckpoint<H>, endMs: VirtualMs, failure: CheckpointFailure): void {
    this.replace(pending.id, { ...rowOf(pending, 'failed', endMs), failure });
    this.failedCount++;
    this.latestFailedId = Math.max(this.latestFailedId ?? 0, pending.id);
  }

  /** The rows and counts as plain data (copies). */
  exportState(): CheckpointHistoryState {
    return {
      rows: this.list(), completed: this.completedCount, failed: this.failedCount,
      latestCompletedId: this.latestCompletedId, latestFailedId: this.latestFailedId,
    };
  }

  /** A history that goes on from `state` (a JobManager takeover). */
  static fromState(state: CheckpointHistoryState, kept = HISTORY_KEPT): CheckpointHistory {
    const history = new CheckpointHistory(kept);
    history.rows.push(...state.rows.slice(-kept).map((row) => ({ ...row, regions: [...row.regions], subtasks: [...row.subtasks] })));
    history.completedCount = state.completed;
    history.failedCount = state.failed;
    history.latestCompletedId = state.latestCompletedId;
    history.latestFailedId = state.latestFailedId;
    return history;
  }

  /**
   * A row still in progress whose coordinator is gone (a JobManager that died): it ends as
   * failed at `endMs`. Other rows are left alone.
   */
  abandon(id: number, endMs: VirtualMs, failure: CheckpointFailure): void {
    const at = this.rows.findIndex((r) => r.id === id);
    const row = this.rows[at];
    if (row === undefined || row.status !== 'in-progress') return;
    this.rows[at] = { ...row, status: 'failed', endMs, durationMs: endMs - row.triggerMs, failure };
    this.failedCount++;
    this.latestFailedId = Math.max(this.latestFailedId ?? 0, id);
  }

  /** Rows, oldest first (copies). */
  list(): CheckpointStats[] {
    return this.rows.map((row) => ({
      ...row, regions: row.regions.map((r) => ({ ...r })), subtasks: row.subtasks.map((s) => ({ ...s })),
    }));
  }

  /** Counts and min/avg/max over the completed rows still kept. */
  summary(): CheckpointSummary {
    const done = this.rows.filter((row) => row.status === 'completed');
    return {
      completed: this.completedCount,
      failed: this.failedCount,
      inProgress: this.rows.filter((row) => row.status === 'in-progress').length,
      durationMs: minAvgMax(done.map((row) => row.durationMs ?? 0)),
      size: minAvgMax(done.map((row) => row.size)),
      alignmentMs: minAvgMax(done.flatMap((row) => row.subtasks.map((s) => s.alignmentMs))),
      latestCompletedId: this.latestCompletedId,
      latestFailedId: this.latestFailedId,
    };
  }

  private replace(id: number, row: CheckpointStats): void {
    const at = this.rows.findIndex((r) => r.id === id);
    if (at >= 0) this.rows[at] = row;
  }
}

function rowOf<H>(pending: PendingCheckpoint<H>, status: CheckpointStats['status'], endMs?: VirtualMs): CheckpointStats {
  const subtasks: SubtaskCheckpointStats[] = [];
  let stateSize = 0;
  let changedSize = 0;
  for (const ack of pending.acks.values()) {
    subtasks.push({
      operatorId: ack.subtask.operatorId, index: ack.subtask.index, ackMs: ack.ackMs,
      syncMs: ack.syncMs, asyncMs: ack.asyncMs, alignmentMs: ack.alignmentMs,
      stateSize: ack.stateSize, changedSize: ack.changedSize,
    });
    stateSize += ack.stateSize;
    changedSize += ack.changedSize;
  }
  const row: CheckpointStats = {
    id: pending.id,
    status,
    type: pending.type,
    triggerMs: pending.triggerMs,
    acknowledged: pending.acks.size,
    total: pending.total,
    stateSize,
    changedSize,
    size: pending.type === 'full' ? stateSize : changedSize,
    regions: pending.outcomes(),
    subtasks,
  };
  if (endMs !== undefined) {
    row.endMs = endMs;
    row.durationMs = endMs - pending.triggerMs;
  }
  return row;
}

/** min / avg / max of the values; zeros when empty. */
export function minAvgMax(values: readonly number[]): MinAvgMax {
  if (values.length === 0) return { min: 0, avg: 0, max: 0 };
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let sum = 0;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  return { min, avg: sum / values.length, max };
}
