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
 *
 * Region-sharable committer (seed 2's `RegionSharable` / `notifyRegionalCkComplete`; the
 * caller switches it on with `shareRegions`): a parallelism-1 sink that belongs to every
 * region feeding it keeps one TransactionLedger per region (`route` says which region the
 * next records come from). A completion commits each region's transactions up to the snapshot
 * that region maps to in the completed checkpoint (`commitRegions`); a region that restarts
 * while the committer stays up drops what it sent since its snapshot (`rewindRegion`); a
 * restore of the committer itself restores each region from its own snapshot id. The
 * snapshot then lists transactions per region (`regions`), and so do the deltas.
 */
import type { StreamRecord, TimedRecord, VirtualMs } from '../runtime/types';
import { configNumber, type OperatorConfig } from './operatorConfig';
import { TransactionLedger, type LedgerDelta, type SinkTransaction } from './transactionLedger';
import { BaseOperator, type OperatorStateSnapshot } from './types';

export type { SinkTransaction } from './transactionLedger';

/** One region's transactions in a shared committer's snapshot. */
export interface RegionTransactions {
  region: number;
  pendingTransactions: SinkTransaction[];
  committedThrough: number;
}

/** Where one region of a shared committer restores to (the caller's knowledge). */
export interface RegionRestorePoint {
  region: number;
  /**
   * The snapshot that region restores from: its transactions up to it count, newer ones are
   * aborted. Absent: the whole snapshot counts (a region the plan no longer has, after a rescale).
   */
  snapshotId?: number;
  /** What the external system already committed of that region. */
  committedThrough: number;
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
  /** A shared committer: the transactions per region (the two fields above are then empty). */
  regions?: RegionTransactions[];
  /** Set by the caller before a shared committer's restore: where each region restores to. */
  restoreRegions?: RegionRestorePoint[];
}

/** What the JobManager's sink output must apply since the last `takeDelta` (see the module comment). */
export type CollectSinkDelta = LedgerDelta;

/** One region's delta of a shared committer. */
export interface RegionSinkDelta extends LedgerDelta {
  region: number;
}

/** What `output(sinkId)` reports for one sink subtask. */
export interface SinkOutput {
  committed: StreamRecord[];
  pending: StreamRecord[];
  committedCount: number;
  pendingCount: number;
}

/** The ledger key of a sink that is not shared. */
const WHOLE = 0;

export class CollectSink extends BaseOperator {
  readonly kind = 'collect' as const;
  private readonly keepRecords: number;
  /** Region id → ledger; a sink that is not shared has the one ledger WHOLE. */
  private readonly ledgers = new Map<number, TransactionLedger>();
  private shared = false;
  /** The ledger the next records go to. */
  private current: TransactionLedger;
  /** Ring of the most recent committed records; `ringStart` is the oldest slot once full. */
  private ring: StreamRecord[] = [];
  private ringStart = 0;
  private committedCount = 0;

  constructor(config: OperatorConfig) {
    super();
    this.keepRecords = configNumber(config, 'keepRecords');
    this.current = this.ledger(WHOLE);
  }

  /** Makes this sink a region-sharable committer fed by `regions` (before it processes anything). */
  shareRegions(regions: readonly number[]): void {
    if (this.ledgers.get(WHOLE)?.uncommitted !== 0) throw new Error('Collect sink: regions are set before the first record.');
    this.ledgers.clear();
    this.shared = true;
    for (const region of [...regions].sort((a, b) => a - b)) this.ledger(region);
    this.current = this.ledger((regions[0] ?? WHOLE));
  }

  /** Whether this sink keeps its transactions per region. */
  get isShared(): boolean {
    return this.shared;
  }

  /** The region the next records come from (a shared committer; ignored otherwise). */
  route(region: number): void {
    if (this.shared) this.current = this.ledger(region);
  }

  processBatch(records: readonly TimedRecord[]): void {
    const transaction = this.current.open;
    for (let i = 0; i < records.length; i++) transaction.push((records[i] as TimedRecord).record);
  }

  processSlice(records: readonly StreamRecord[], _timestamps: readonly (VirtualMs | null)[], from: number, to: number): void {
    const transaction = this.current.open;
    for (let i = from; i < to; i++) transaction.push(records[i] as StreamRecord);
  }

  override snapshotState(checkpointId: number): OperatorStateSnapshot {
    for (const ledger of this.ledgers.values()) {
      if (checkpointId <= ledger.newestId) {
        throw new Error(`Collect sink: checkpoint ${checkpointId} is not newer than its last transaction; ids only increase.`);
      }
    }
    for (const ledger of this.ledgers.values()) ledger.preCommit(checkpointId);
    // Pre-committed transactions are never changed again, so the snapshot shares their arrays.
    const copy = (ledger: TransactionLedger): SinkTransaction[] => ledger.preCommitted.map((t) => ({ checkpointId: t.checkpointId, records: t.records }));
    if (!this.shared) {
      const whole = this.ledger(WHOLE);
      return { pendingTransactions: copy(whole), committedThrough: whole.lastCommittedId } satisfies CollectSinkSnapshot as unknown as OperatorStateSnapshot;
    }
    const regions = [...this.ledgers].map(([region, ledger]): RegionTransactions => ({
      region, pendingTransactions: copy(ledger), committedThrough: ledger.lastCommittedId,
    }));
    return { pendingTransactions: [], committedThrough: 0, regions } satisfies CollectSinkSnapshot as unknown as OperatorStateSnapshot;
  }

  override notifyCheckpointComplete(checkpointId: number): void {
    for (const ledger of this.ledgers.values()) ledger.commitThrough(checkpointId);
  }

  /**
   * A shared committer's completion (seed 2's `notifyRegionalCkComplete`): each listed region
   * commits its transactions up to the snapshot it maps to in the completed checkpoint (the
   * checkpoint itself when the region acknowledged it, an earlier one when it failed).
   */
  commitRegions(regions: readonly { region: number; snapshotId: number }[]): void {
    for (const { region, snapshotId } of regions) this.ledgers.get(region)?.commitThrough(snapshotId);
  }

  /**
   * Region `region` restarts from snapshot `snapshotId` while this committer stays up: its
   * transactions up to the snapshot commit, newer ones and its open one are aborted (its
   * sources rewind, so those records come again). @returns records aborted.
   */
  rewindRegion(region: number, snapshotId: number): number {
    return this.ledgers.get(region)?.rewindTo(snapshotId) ?? 0;
  }

  override restoreState(snapshot: OperatorStateSnapshot | undefined): void {
    const saved = snapshot as Partial<CollectSinkSnapshot> | undefined;
    if (this.shared) {
      this.recoverRegions(saved?.regions ?? [], saved?.restoreRegions ?? []);
      return;
    }
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
    return this.ledger(WHOLE).recover(snapshot?.pendingTransactions ?? [], committedThrough);
  }

  /**
   * A shared committer's recovery: each region re-commits its snapshot transactions up to the
   * snapshot that region restores from and past what was committed; the rest is aborted. A
   * region without a restore point keeps every snapshot transaction (the whole snapshot
   * completed: a rescale's or a resumed run's); so does a region of the snapshot the plan no
   * longer has (a rescale renumbered the regions), whose ledger commits them at once.
   * @returns records re-committed.
   */
  recoverRegions(saved: readonly RegionTransactions[], points: readonly RegionRestorePoint[]): number {
    const savedOf = new Map(saved.map((r) => [r.region, r]));
    const pointOf = new Map(points.map((p) => [p.region, p]));
    for (const region of savedOf.keys()) this.ledger(region);
    let records = 0;
    for (const [region, ledger] of this.ledgers) {
      const entry = savedOf.get(region);
      const point = pointOf.get(region);
      const through = Math.max(point?.committedThrough ?? 0, entry?.committedThrough ?? 0);
      const upTo = point?.snapshotId;
      const transactions = (entry?.pendingTransactions ?? []).filter((t) => upTo === undefined || t.checkpointId <= upTo);
      records += ledger.recover(transactions, through);
    }
    return records;
  }

  /** What the external system must apply since the last call (a sink that is not shared); resets it. */
  takeDelta(): CollectSinkDelta {
    return this.ledger(WHOLE).takeDelta();
  }

  /** A shared committer's deltas, one per region that changed, ascending; resets them. */
  takeRegionDeltas(): RegionSinkDelta[] {
    const deltas: RegionSinkDelta[] = [];
    for (const [region, ledger] of this.ledgers) if (ledger.changed) deltas.push({ region, ...ledger.takeDelta() });
    return deltas;
  }

  /** A shared committer's regions: what each committed and holds uncommitted, oldest first (a new JobManager reads this back). */
  regionStates(): { region: number; committedThrough: number; pending: StreamRecord[] }[] {
    return [...this.ledgers].sort((a, b) => a[0] - b[0]).map(([region, ledger]) => ({
      region, committedThrough: ledger.lastCommittedId, pending: [...ledger.preCommitted.flatMap((t) => t.records), ...ledger.open],
    }));
  }

  /** Records written and not yet committed (open and pre-committed transactions). */
  get uncommitted(): number {
    let n = 0;
    for (const ledger of this.ledgers.values()) n += ledger.uncommitted;
    return n;
  }

  /** The last checkpoint committed (0: none; a shared committer: the oldest of its regions'). */
  get committedThrough(): number {
    return Math.min(...[...this.ledgers.values()].map((l) => l.lastCommittedId));
  }

  /** Commits every pre-committed transaction and the open one (end of a bounded input). */
  commitAll(): void {
    for (const ledger of this.ledgers.values()) ledger.commitAll();
  }

  /** Committed (most recent `keepRecords`, oldest first) and pending records. */
  output(): SinkOutput {
    const pending = [...this.ledgers.values()].flatMap((l) => [...l.preCommitted.flatMap((t) => t.records), ...l.open]);
    const committed = [...this.ring.slice(this.ringStart), ...this.ring.slice(0, this.ringStart)];
    return { committed, pending, committedCount: this.committedCount, pendingCount: pending.length };
  }

  private ledger(region: number): TransactionLedger {
    let ledger = this.ledgers.get(region);
    if (ledger === undefined) {
      ledger = new TransactionLedger((records) => this.appendCommitted(records));
      this.ledgers.set(region, ledger);
    }
    return ledger;
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
