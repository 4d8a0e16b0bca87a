/**
 * One line of two-phase-commit transactions (Flink `TwoPhaseCommitSinkFunction`'s
 * `pendingCommitTransactions` plus its current transaction), as the collect sink keeps them:
 * the whole sink's, or, at a region-sharable committer (seed 2's `RegionSharable`), one
 * region's. A shared committer keeps a ledger per feeding region because the regions'
 * checkpoints complete and fail independently: region 1 may commit its transaction 7 while
 * region 2 still waits for its own snapshot, or restarts and must drop what it sent since its
 * snapshot.
 *
 * Each ledger reports to the external system (the JobManager's sink output) on its own: the
 * records it committed since the last report and, after an abort, how many of its pending
 * records survive (`restoredPending`; the aborted ones are always the newest). Commits are
 * always the oldest pending records of the ledger, so "committed is a prefix of written" holds
 * per ledger.
 */
import type { StreamRecord } from '../runtime/types';

/** A pre-committed transaction: the records of one checkpoint interval. */
export interface SinkTransaction {
  checkpointId: number;
  records: StreamRecord[];
}

/** What a ledger reports since its last report (see the module comment). */
export interface LedgerDelta {
  /** Not null after an abort: keep only the oldest this-many pending records, drop the rest. */
  restoredPending: number | null;
  /** Then commit this many of the oldest pending records. */
  committed: number;
  /** The last checkpoint committed (0: none). */
  committedThrough: number;
}

export class TransactionLedger {
  open: StreamRecord[] = [];
  preCommitted: SinkTransaction[] = [];
  lastCommittedId = 0;
  private deltaCommitted = 0;
  private deltaRestoredPending: number | null = null;

  /** @param onCommit receives every committed transaction's records, in commit order. */
  constructor(private readonly onCommit: (records: readonly StreamRecord[]) => void) {}

  /** The newest checkpoint id this ledger holds or committed (ids only increase). */
  get newestId(): number {
    return Math.max(this.lastCommittedId, this.preCommitted[this.preCommitted.length - 1]?.checkpointId ?? 0);
  }

  /** Records written and not committed. */
  get uncommitted(): number {
    let n = this.open.length;
    for (const transaction of this.preCommitted) n += transaction.records.length;
    return n;
  }

  /** Pre-commit: the open transaction becomes transaction `checkpointId`. */
  preCommit(checkpointId: number): void {
    this.preCommitted.push({ checkpointId, records: this.open });
    this.open = [];
  }

  /** Commits every pre-committed transaction up to `checkpointId`, in order. */
  commitThrough(checkpointId: number): void {
    while (this.preCommitted.length > 0 && (this.preCommitted[0] as SinkTransaction).checkpointId <= checkpointId) {
      this.commit(this.preCommitted.shift() as SinkTransaction);
    }
  }

  /**
   * Aborts every open and pre-committed transaction, then commits `recommit` (a snapshot's
   * transactions, oldest first) past what the external system already committed
   * (`committedThrough`). @returns records re-committed.
   */
  recover(recommit: readonly SinkTransaction[], committedThrough: number): number {
    this.open = [];
    this.preCommitted = [];
    this.lastCommittedId = Math.max(this.lastCommittedId, committedThrough);
    const due = recommit.filter((t) => t.checkpointId > this.lastCommittedId);
    let records = 0;
    for (const transaction of due) records += transaction.records.length;
    // Commits not reported yet are of the oldest pending records: they stay, ahead of the re-committed ones.
    this.deltaRestoredPending = this.deltaCommitted + records;
    for (const transaction of due) this.commit(transaction);
    return records;
  }

  /**
   * A live ledger's region restarts from its snapshot `snapshotId` (its sources rewind there):
   * transactions up to it commit (that snapshot completed), newer ones and the open one are
   * aborted, since their records will be sent again. @returns records aborted.
   */
  rewindTo(snapshotId: number): number {
    const aborted = this.uncommitted - this.preCommitted.filter((t) => t.checkpointId <= snapshotId).reduce((n, t) => n + t.records.length, 0);
    this.recover(this.preCommitted.filter((t) => t.checkpointId <= snapshotId), this.lastCommittedId);
    return aborted;
  }

  /** Commits everything, the open transaction included (end of a bounded input without checkpoints). */
  commitAll(): void {
    for (const transaction of this.preCommitted) this.commit(transaction);
    this.preCommitted = [];
    this.onCommit(this.open);
    this.deltaCommitted += this.open.length;
    this.open = [];
  }

  /** What the external system must apply since the last call; resets it. */
  takeDelta(): LedgerDelta {
    const delta = { restoredPending: this.deltaRestoredPending, committed: this.deltaCommitted, committedThrough: this.lastCommittedId };
    this.deltaRestoredPending = null;
    this.deltaCommitted = 0;
    return delta;
  }

  /** Whether `takeDelta` has something to report. */
  get changed(): boolean {
    return this.deltaCommitted > 0 || this.deltaRestoredPending !== null;
  }

  private commit(transaction: SinkTransaction): void {
    if (transaction.checkpointId <= this.lastCommittedId) return;
    this.lastCommittedId = transaction.checkpointId;
    this.deltaCommitted += transaction.records.length;
    this.onCommit(transaction.records);
  }
}
