/**
 * `collect`: the exactly-once sink, ready for two-phase commit (Flink
 * `TwoPhaseCommitSinkFunction`):
 *
 * - Records go into the open transaction (`pending`).
 * - `snapshotState(n)` pre-commits: the open transaction becomes transaction n, and the
 *   snapshot lists every pre-committed, not yet committed transaction.
 * - `notifyCheckpointComplete(n)` commits transactions up to n, in order.
 * - `restoreState(s)` commits the transactions the snapshot lists (their checkpoint completed,
 *   or we would not restore from it; commits are idempotent by checkpoint id) and drops
 *   whatever was open: those records will be replayed by the sources.
 * - Until checkpoints exist, `commitAll()` commits everything at the end of a bounded input.
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
  private lastCommittedId = -Infinity;

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
    this.preCommitted.push({ checkpointId, records: this.openTransaction });
    this.openTransaction = [];
    return { pendingTransactions: this.preCommitted.map((t) => ({ checkpointId: t.checkpointId, records: [...t.records] })) };
  }

  override notifyCheckpointComplete(checkpointId: number): void {
    while (this.preCommitted.length > 0 && (this.preCommitted[0] as SinkTransaction).checkpointId <= checkpointId) {
      this.commit(this.preCommitted.shift() as SinkTransaction);
    }
  }

  override restoreState(snapshot: OperatorStateSnapshot | undefined): void {
    this.openTransaction = [];
    this.preCommitted = [];
    const transactions = (snapshot?.pendingTransactions ?? []) as SinkTransaction[];
    for (const transaction of transactions) this.commit(transaction);
  }

  /** Commits every pre-committed transaction and the open one (end of a bounded input). */
  commitAll(): void {
    for (const transaction of this.preCommitted) this.commit(transaction);
    this.preCommitted = [];
    this.appendCommitted(this.openTransaction);
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
