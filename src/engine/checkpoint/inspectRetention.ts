/**
 * Retention and cleanup of state versions, with figures (seed 2's "periodic state file
 * cleanup"): each time a checkpoint completes, the JobManager tells every TaskManager which
 * shard versions no retained checkpoint needs apart (`release-snapshots`); each keyed backend
 * folds them and reports what it released and what it keeps (`SnapshotReleaseReport`, the
 * backend's own counts). This ledger groups those reports into one cleanup per command, per
 * operator, and keeps the latest ones for `checkpoints().cleanups` and the inspector.
 */
import type { SnapshotReleaseReport } from '../runtime/protocol';
import type { VirtualMs } from '../runtime/types';

/** Cleanups kept (the newest). */
export const CLEANUPS_KEPT = 50;

/** One operator's part of a cleanup, summed over its subtasks. */
export interface OperatorCleanup {
  operatorId: string;
  subtasks: number;
  versionsReleased: number;
  rowsReleased: number;
  /** Approximate bytes released (IndexedDB); absent when the backend measures none. */
  bytesReleased?: number;
  /** What the operator's shards keep after the cleanup: versions, and the rows they hold. */
  versionsRetained: number;
  rowsRetained: number;
}

/** One cleanup: a `release-snapshots` command carried out by every TaskManager. */
export interface StateCleanup {
  /** Versions older than this checkpoint were folded together. */
  before: number;
  /** Virtual time of the tick that carried it out. */
  atMs: VirtualMs;
  /** In plan order. */
  operators: OperatorCleanup[];
  totals: Omit<OperatorCleanup, 'operatorId' | 'subtasks'>;
}

export class CleanupLedger {
  private readonly cleanups: StateCleanup[] = [];

  /** @param positionOf plan position of a subtask, for a deterministic order. */
  constructor(private readonly positionOf: (operatorId: string, index: number) => number) {}

  /** The release reports of one tick, from every TaskManager. */
  record(atMs: VirtualMs, reports: readonly SnapshotReleaseReport[]): void {
    if (reports.length === 0) return;
    const sorted = [...reports].sort((a, b) => a.before - b.before || this.positionOf(a.operatorId, a.index) - this.positionOf(b.operatorId, b.index));
    for (const before of [...new Set(sorted.map((r) => r.before))]) {
      const operators: OperatorCleanup[] = [];
      for (const r of sorted.filter((x) => x.before === before)) {
        let op = operators.find((o) => o.operatorId === r.operatorId);
        if (op === undefined) {
          op = { operatorId: r.operatorId, subtasks: 0, versionsReleased: 0, rowsReleased: 0, versionsRetained: 0, rowsRetained: 0 };
          operators.push(op);
        }
        add(op, r);
        op.subtasks++;
      }
      const totals: StateCleanup['totals'] = { versionsReleased: 0, rowsReleased: 0, versionsRetained: 0, rowsRetained: 0 };
      for (const op of operators) add(totals, op);
      this.cleanups.push({ before, atMs, operators, totals });
    }
    if (this.cleanups.length > CLEANUPS_KEPT) this.cleanups.splice(0, this.cleanups.length - CLEANUPS_KEPT);
  }

  /** The latest cleanups, oldest first (copies). */
  list(): StateCleanup[] {
    return this.cleanups.map((c) => ({ ...c, operators: c.operators.map((o) => ({ ...o })), totals: { ...c.totals } }));
  }
}

function add(into: Omit<OperatorCleanup, 'operatorId' | 'subtasks'>, from: Omit<OperatorCleanup, 'operatorId' | 'subtasks'>): void {
  into.versionsReleased += from.versionsReleased;
  into.rowsReleased += from.rowsReleased;
  into.versionsRetained += from.versionsRetained;
  into.rowsRetained += from.rowsRetained;
  if (from.bytesReleased !== undefined) into.bytesReleased = (into.bytesReleased ?? 0) + from.bytesReleased;
}
