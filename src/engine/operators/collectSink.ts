/**
 * `collect`: the exactly-once sink, by two-phase commit per checkpoint (Flink
 * `TwoPhaseCommitSinkFunction`; the "external system" is the JobManager's sink output, which
 * receives what the sink writes and commits through `SinkDelta`s):
 *
 * - Records go into the open transaction (they are *written*: shown as pending).
 * - `snapshotState(n)` pre-commits: the open transaction becomes transaction n and a new one
 *   opens. The snapshot lists every pre-committed, not yet committed transaction, and the last
 *   checkpoint committed (`committedThrough`).
 * - `notifyCheckpointComplete(n)` commits every transaction up to n, in order. Commits are
 *   idempotent by checkpoint id.
 * - Recovery from checkpoint c (`recover`, or `restoreState` through the lifecycle): what was
 *   open or pre-committed after c is aborted (its records will be replayed by the rewound
 *   sources), and the transactions the snapshot lists are committed again unless the external
 *   system already committed them (Flink's `recoverAndCommit`): checkpoint c completed, or we
 *   would not restore from it. Which ones it already committed is the external system's
 *   knowledge (`committedThrough` as the JobManager saw it), passed in by the caller.
 * - End of a bounded input: with checkpoints on, the sink waits for one more checkpoint to
 *   commit the rest (Flink's final checkpoint, FLIP-147), so a restart after the end still
 *   commits every record once; with checkpoints off, `commitAll()` commits everything.
 *
 * What the JobManager must apply (`takeDelta`), in order: keep only the oldest
 * `restoredPending` pending records when it is not null (an abort drops the newest pending
 * records: everything after the restored checkpoint's transactions), then append the records
 * written since, then commit the oldest `committed` pending records. Commits are always a
 * prefix of the pending records, so the SinkDelta rule "committed is a prefix of written"
 * still holds. Records written before a recovery must have been reported before it (restores
 * happen on a freshly deployed task, so this holds by construction).
 *
 * Committed records are kept for display up to `keepRecords` (the most recent ones); counts
 * cover all. Pending records are kept in full: a checkpoint interval bounds them.
 */
import type { StreamRecord, TimedRecord, VirtualMs } from '../runtime/types';
import { configNumber, type OperatorConfig } from './operatorConfig';
import { BaseOperator, type OperatorStateSnapshot } from './types';

/** A pre-committed transaction: the records of one checkpoint interval. */
export interface SinkTransaction {
  checkpointId: number;
  records: StreamRecord[];
}

/** The collect sink's operator state in a checkpoint. */
export interface CollectSinkSnapshot {
  /** Pre-committed transactions not yet committed when the snapshot was taken, oldest first. */
  pendingTransactions: SinkTransaction[];
  /** The last checkpoint whose transactions this subtask had committed (0: none). */
  committedThrough: number;
  /**
   * Set by the caller before a restore when the external system committed more than the
   * snapshot knew (a notify that arrived after the snapshot); `restoreState` honours it.
   */
  externallyCommittedThrough?: number;
}

/** What the JobManager's sink output must apply since the last `takeDelta` (see the module comment). */
export interface CollectSinkDelta {
  /** Not null after a recovery: keep only the oldest this-many pending records, drop the rest. */
  restoredPending: number | null;
  /** Then commit this many of the oldest pending records. */
  committed: number;
  /** The last checkpoint committed (0: none): the external system's `committedThrough`. */
  committedThrough: number;
}

/** What `output(sinkId)` reports for one sink subtask. */
export interface SinkOutput {
  committed: StreamRecord[];
  pending: StreamRecord[];
  committedCount: number;
  pendingCount: number;
}

export class CollectSink extends BaseOperator {
  readonly kind = 'collect' as const;
  private readonly keepRecords: number;
  private openTransaction: StreamRecord[] = [];
  private preCommitted: SinkTransaction[] = [];
  /** Ring of the most recent committed records; `ringStart` is the oldest slot once full. */
  private ring: StreamRecord[] = [];
  private ringStart = 0;
  private committedCount = 0;
  private lastCommittedId = 0;
  private deltaCommitted = 0;
  private deltaRestoredPending: number | null = null;

  constructor(config: OperatorConfig) {
    super();
    this.keepRecords = configNumber(config, 'keepRecords');
  }

  processBatch(records: readonly TimedRecord[]): void {
    const transaction = this.openTransaction;
    for (let i = 0; i < records.length; i++) transaction.push((records[i] as TimedRecord).record);
  }

  processSlice(records: readonly StreamRecord[], _timestamps: readonly (VirtualMs | null)[], from: number, to: number): void {
    const transaction = this.openTransaction;
    for (let i = from; i < to; i++) transaction.push(records[i] as StreamRecord);
  }

  override snapshotState(checkpointId: number): OperatorStateSnapshot {
    const last = this.preCommitted[this.preCommitted.length - 1];
    if (checkpointId <= Math.max(this.lastCommittedId, last?.checkpointId ?? 0)) {
      throw new Error(`Collect sink: checkpoint ${checkpointId} is not newer than its last transaction; ids only increase.`);
    }
    this.preCommitted.push({ checkpointId, records: this.openTransaction });
    this.openTransaction = [];
    // Pre-committed transactions are never changed again, so the snapshot shares their arrays.
    const snapshot: CollectSinkSnapshot = {
      pendingTransactions: this.preCommitted.map((t) => ({ checkpointId: t.checkpointId, records: t.records })),
      committedThrough: this.lastCommittedId,
    };
    return snapshot as unknown as OperatorStateSnapshot;
  }

  override notifyCheckpointComplete(checkpointId: number): void {
    while (this.preCommitted.length > 0 && (this.preCommitted[0] as SinkTransaction).checkpointId <= checkpointId) {
      this.commit(this.preCommitted.shift() as SinkTransaction);
    }
  }

  override restoreState(snapshot: OperatorStateSnapshot | undefined): void {
    const saved = snapshot as Partial<CollectSinkSnapshot> | undefined;
    const through = saved?.externallyCommittedThrough ?? saved?.committedThrough ?? 0;
    this.recover(saved?.pendingTransactions === undefined ? undefined : saved as CollectSinkSnapshot, through);
  }

  /**
   * Recovery to a checkpoint (see the module comment): aborts every open and pre-committed
   * transaction, then commits the snapshot's transactions newer than `committedThrough` (what
   * the external system already committed; this instance's own commits count too).
   * `snapshot` undefined: restart from the beginning, nothing to re-commit.
   * @returns records re-committed.
   */
  recover(snapshot: CollectSinkSnapshot | undefined, committedThrough: number): number {
    this.openTransaction = [];
    this.preCommitted = [];
    this.lastCommittedId = Math.max(this.lastCommittedId, committedThrough);
    const recommit = (snapshot?.pendingTransactions ?? []).filter((t) => t.checkpointId > this.lastCommittedId);
    let records = 0;
    for (const transaction of recommit) records += transaction.records.length;
    // Commits not reported yet are of the oldest pending records: they stay, ahead of the re-committed ones.
    this.deltaRestoredPending = this.deltaCommitted + records;
    for (const transaction of recommit) this.commit(transaction);
    return records;
  }

  /** What the external system must apply since the last call (see the module comment); resets it. */
  takeDelta(): CollectSinkDelta {
    const delta = { restoredPending: this.deltaRestoredPending, committed: this.deltaCommitted, committedThrough: this.lastCommittedId };
    this.deltaRestoredPending = null;
    this.deltaCommitted = 0;
    return delta;
  }

  /** Records written and not yet committed (open and pre-committed transactions). */
  get uncommitted(): number {
    let n = this.openTransaction.length;
    for (const transaction of this.preCommitted) n += transaction.records.length;
    return n;
  }

  /** The last checkpoint committed (0: none). */
  get committedThrough(): number {
    return this.lastCommittedId;
  }

  /** Commits every pre-committed transaction and the open one (end of a bounded input). */
  commitAll(): void {
    for (const transaction of this.preCommitted) this.commit(transaction);
    this.preCommitted = [];
    this.appendCommitted(this.openTransaction);
    this.deltaCommitted += this.openTransaction.length;
    this.openTransaction = [];
  }

  /** Committed (most recent `keepRecords`, oldest first) and pending records. */
  output(): SinkOutput {
    const pending = [...this.preCommitted.flatMap((t) => t.records), ...this.openTransaction];
    const committed = [...this.ring.slice(this.ringStart), ...this.ring.slice(0, this.ringStart)];
    return { committed, pending, committedCount: this.committedCount, pendingCount: pending.length };
  }

  private commit(transaction: SinkTransaction): void {
    if (transaction.checkpointId <= this.lastCommittedId) return;
    this.lastCommittedId = transaction.checkpointId;
    this.deltaCommitted += transaction.records.length;
    this.appendCommitted(transaction.records);
  }

  private appendCommitted(records: readonly StreamRecord[]): void {
    this.committedCount += records.length;
    const keep = this.keepRecords;
    if (keep === 0) return;
    for (const record of records) {
      if (this.ring.length < keep) {
        this.ring.push(record);
      } else {
        this.ring[this.ringStart] = record;
        this.ringStart = (this.ringStart + 1) % keep;
      }
    }
  }
}

/** The collect sink behind an operator, if it is one (for `output(sinkId)`). */
export function asCollectSink(operator: { kind: string }): CollectSink | undefined {
  return operator instanceof CollectSink ? operator : undefined;
}

/** Merges the outputs of a sink's subtasks, in subtask order. */
export function mergeSinkOutputs(outputs: readonly SinkOutput[]): SinkOutput {
  return {
    committed: outputs.flatMap((o) => o.committed),
    pending: outputs.flatMap((o) => o.pending),
    committedCount: outputs.reduce((n, o) => n + o.committedCount, 0),
    pendingCount: outputs.reduce((n, o) => n + o.pendingCount, 0),
  };
}
