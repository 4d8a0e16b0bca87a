/**
 * What every subtask a TaskManager hosts shares: the per-tick virtual-time budget, the time
 * account (busy / back-pressured / idle), the slow factor, counters reported as deltas, and
 * the failure path.
 *
 * Budget. A tick of `tickMs` gives a subtask `tickMs × 1000` virtual µs. Each call is charged
 * `virtualCostUs(kind, in, out) × costScale × slowFactor`; the subtask stops when the budget
 * is spent, its output is back-pressured, or it runs out of input. A call may overshoot (its
 * outputs, a minimum of one record per poll): the overshoot is a debt paid from the next
 * ticks' budgets, so busy time never exceeds the tick and slow subtasks stay exact on average.
 *
 * `run()` continues the current tick and returns a promise only when it must wait for state
 * I/O (a backend `prepare` that returned one); the TaskManager then awaits it and calls
 * `run()` again, which resumes where it stopped. With the memory backend nothing ever waits.
 */
import type { OperatorKind } from '../job/types';
import { PartitionKeyError } from '../network/HashSelector';
import { OPERATOR_COSTS } from '../operators/costModel';
import { UserFunctionError } from '../operators/UserFunctionError';
import type { OperatorCounters } from '../operators/types';
import type { SubtaskRef } from '../plan/executionGraph';
import type { CheckpointDecline, SubtaskCheckpointAck, SubtaskSnapshotHandle, SubtaskTickReport } from '../runtime/protocol';
import type { FailureInfo, RunEvent, SubtaskState } from '../runtime/telemetry';
import type { StreamEvent, StreamRecord, VirtualMs } from '../runtime/types';
import { storageErrorCode, subtaskStorageFailure } from './stateFailure';

/** Where a hosted task reports what is not a counter: events and checkpoint acks. */
export interface TaskOutbox {
  event(event: RunEvent): void;
  /** A finished snapshot; it travels in this tick's tick-done, with the tick's sink delta. */
  ack(ack: SubtaskCheckpointAck): void;
  decline(decline: CheckpointDecline): void;
}

/** Modelled virtual cost of writing a changed state row in the asynchronous snapshot phase. */
export const SNAPSHOT_ASYNC_US_PER_ROW = 2;
/** Modelled virtual cost of the synchronous snapshot phase (sealing versions, copying metadata). */
export const SNAPSHOT_SYNC_MS = 0.05;

/**
 * Where a subtask's output goes: a ResultPartition (one per output edge) or, for a chained
 * edge, a ChainedOutput that calls the next operator of the chain directly.
 */
export interface TaskOutput {
  emitRecord(record: StreamRecord, timestamp: VirtualMs | null): void;
  emitEvent(event: StreamEvent): void;
  isBackpressured(): boolean;
  /** Hands what was emitted so far onwards (chained outputs; partitions flush at tick end). */
  flush?(): void;
  /** True for a chained output (a direct call to the next operator of the chain). */
  readonly direct?: boolean;
}

/** The tick being run. */
export interface TickWindow {
  tick: number;
  fromMs: VirtualMs;
  toMs: VirtualMs;
}

export abstract class HostedTask {
  state: SubtaskState = 'running';
  slowFactor = 1;
  failure: FailureInfo | undefined;
  /** The failure not yet reported in a tick-done. */
  newFailure: FailureInfo | undefined;
  protected tickWindow: TickWindow = { tick: -1, fromMs: 0, toMs: 0 };
  /** Virtual µs of the current tick spent so far (debt included). */
  protected busyUs = 0;
  protected tickUs = 0;
  protected stoppedBy: 'idle' | 'backpressured' = 'idle';
  /**
   * Operator chaining (plan/chaining.ts): a chain's head runs the chain; its followers, in
   * chain order, are called directly from it. The chain shares the head's budget; each
   * operator charges its own cost, so the chain's time is split by operator cost, and the
   * head's stop reason (the tail's back-pressure, or idle) applies to the whole chain.
   */
  chainHead: HostedTask | undefined;
  readonly chainFollowers: HostedTask[] = [];
  /** Scales `busyUs` in the report so a chain's busy time never exceeds the tick. */
  private busyScale = 1;
  private debtUs = 0;
  private readonly perRecordUs: number;
  private readonly perOutputUs: number;
  private reported: OperatorCounters = { recordsIn: 0, recordsOut: 0, lateRecordsDropped: 0 };

  protected constructor(
    readonly ref: SubtaskRef,
    readonly kind: OperatorKind,
    readonly operatorName: string,
    protected readonly outputs: readonly TaskOutput[],
    protected readonly counters: OperatorCounters,
    private readonly costScale: number,
    protected readonly outbox: TaskOutbox,
  ) {
    this.perRecordUs = OPERATOR_COSTS[kind].perRecordUs;
    this.perOutputUs = OPERATOR_COSTS[kind].perOutputUs;
  }

  /** Starts a tick: a fresh budget, less any debt. */
  beginTick(tickWindow: TickWindow): void {
    this.tickWindow = tickWindow;
    this.tickUs = (tickWindow.toMs - tickWindow.fromMs) * 1000;
    const paid = Math.min(this.debtUs, this.tickUs);
    this.debtUs -= paid;
    this.busyUs = paid;
    this.stoppedBy = 'idle';
  }

  /** Continues the tick; a promise when it must wait for state I/O (call `run` again after). */
  run(): Promise<void> | undefined {
    if (this.state !== 'running') return undefined;
    try {
      const pending = this.work();
      if (pending === undefined) {
        this.flushOutputs();
        return undefined;
      }
      return pending.catch((error: unknown) => this.failWith(error));
    } catch (error) {
      this.failWith(error);
      return undefined;
    }
  }

  /** Fails the subtask now (kill-task, an error). Nothing runs afterwards. */
  fail(failure: FailureInfo): void {
    // A finished subtask has nothing left to fail; a restarting one is already down.
    if (this.state === 'failed' || this.state === 'finished' || this.state === 'restarting') return;
    this.state = 'failed';
    this.failure = failure;
    this.newFailure = failure;
    this.onFailed();
  }

  /** This tick's figures, as deltas since the previous report. */
  report(): SubtaskTickReport {
    const tickMs = this.tickUs / 1000;
    if (this.chainFollowers.length > 0) {
      // Reported before its followers (plan order is topological): the chain's overshoot
      // becomes the head's debt, and every member's busy time is scaled into the tick.
      let total = this.busyUs;
      for (const follower of this.chainFollowers) total += follower.busyUs;
      const scale = total > this.tickUs ? this.tickUs / total : 1;
      if (total > this.tickUs) this.debtUs += total - this.tickUs;
      this.busyScale = scale;
      for (const follower of this.chainFollowers) follower.busyScale = scale;
    } else if (this.chainHead === undefined && this.busyUs > this.tickUs) {
      this.debtUs += this.busyUs - this.tickUs;
      this.busyUs = this.tickUs;
    }
    const busyMs = Math.min(tickMs, (this.busyUs * this.busyScale) / 1000);
    const rest = Math.max(0, tickMs - busyMs);
    const stoppedBy = (this.chainHead ?? this).stoppedBy;
    const { recordsIn, recordsOut, lateRecordsDropped } = this.counters;
    const report: SubtaskTickReport = {
      operatorId: this.ref.operatorId,
      index: this.ref.index,
      state: this.state,
      recordsIn: recordsIn - this.reported.recordsIn,
      recordsOut: recordsOut - this.reported.recordsOut,
      lateRecordsDropped: lateRecordsDropped - this.reported.lateRecordsDropped,
      busyMs,
      backPressuredMs: stoppedBy === 'backpressured' ? rest : 0,
      idleMs: stoppedBy === 'idle' ? rest : 0,
      watermark: this.watermark(),
      slowFactor: this.slowFactor,
    };
    this.reported = { recordsIn, recordsOut, lateRecordsDropped };
    return report;
  }

  /** Releases the subtask (cancel, end of run). */
  abstract close(): void;

  /**
   * Chaining: output `at` becomes a direct call to the next operator. The array is shared with
   * the task's collector, so both see the change.
   */
  replaceOutput(at: number, output: TaskOutput): void {
    (this.outputs as TaskOutput[])[at] = output;
  }

  /**
   * A trigger for `checkpointId` at this subtask (a source, or a subtask all of whose inputs
   * ended); `stop`: a source emits nothing after this barrier (a rescale's stop-with-checkpoint).
   */
  abstract trigger(checkpointId: number, checkpointType: 'full' | 'incremental', stop?: boolean): Promise<void> | undefined;

  /** The coordinator gave up on `checkpointId` (stop aligning it). */
  abortCheckpoint(_checkpointId: number): void {}

  /** `checkpointId` completed everywhere (collect sinks commit). */
  notifyCheckpointComplete(_checkpointId: number, _regions?: readonly { region: number; snapshotId: number }[]): void {}

  /** A failover stopped this subtask; it waits for its restart, running nothing. */
  cancelForRestart(): void {
    this.state = 'restarting';
    this.newFailure = undefined;
    try {
      this.close();
    } catch {
      // Closing a failed subtask is best effort: it is rebuilt from its snapshot anyway.
    }
  }

  /**
   * Restored as finished (it had finished before the checkpoint restored from): it sends
   * end-of-partition on its fresh outputs and runs nothing more.
   */
  restoreFinished(): void {
    this.state = 'finished';
    // A chained follower still running (a collect sink awaiting its final checkpoint) ends by direct call.
    for (const output of this.outputs) output.emitEvent({ type: 'end-of-partition' });
  }

  /** Virtual time now within the tick: its start plus the budget spent so far. */
  protected get nowMs(): VirtualMs {
    return this.tickWindow.fromMs + Math.min(this.busyUs, this.tickUs) / 1000;
  }

  /** Sends the ack of a finished snapshot. */
  protected acknowledge(checkpointId: number, handle: SubtaskSnapshotHandle, alignmentMs: number, checkpointType: 'full' | 'incremental' | undefined): void {
    const keyed = handle.keyed;
    const stateSize = keyed?.totalEntries ?? 0;
    const changedSize = checkpointType === 'full' ? stateSize : keyed?.changedEntries ?? 0;
    const ack: SubtaskCheckpointAck = {
      checkpointId, subtask: { operatorId: this.ref.operatorId, index: this.ref.index },
      syncMs: SNAPSHOT_SYNC_MS, asyncMs: (changedSize * SNAPSHOT_ASYNC_US_PER_ROW) / 1000, alignmentMs,
      stateSize, changedSize, handle,
    };
    // No snapshot needs an earlier checkpoint kept apart. A full one is self-contained; an
    // incremental one reuses earlier shard versions, but a release folds versions older than
    // the oldest retained checkpoint into one base version (MemoryShard.fold, state-idb
    // foldShard) and never deletes their rows, so the reused rows survive it. Listing the whole
    // chain instead would keep every version, and every checkpoint's acks, forever.
    ack.referencedCheckpointIds = [];
    this.outbox.ack(ack);
  }

  /** The tick's work; see `run`. */
  protected abstract work(): Promise<void> | undefined;

  /** The subtask's current output watermark, or null before the first. */
  protected abstract watermark(): VirtualMs | null;

  protected onFailed(): void {}

  /** Virtual µs of one record in (before output costs). */
  protected get recordCostUs(): number {
    return this.perRecordUs * this.costScale * this.slowFactor;
  }

  /** Charges a call that took `recordsIn` and emitted `recordsOut`. */
  protected charge(recordsIn: number, recordsOut: number): void {
    this.busyUs += (recordsIn * this.perRecordUs + recordsOut * this.perOutputUs) * this.costScale * this.slowFactor;
  }

  /** Records the budget still allows at the per-record cost (at least 1, so work progresses). */
  protected recordsAffordable(): number {
    let busy = this.busyUs;
    let cost = this.recordCostUs;
    for (const follower of this.chainFollowers) {
      busy += follower.busyUs;
      cost += follower.recordCostUs;
    }
    const left = this.tickUs - busy;
    if (left <= 0) return 0;
    return Math.max(1, Math.floor(left / cost));
  }

  /** Hands records buffered for chained operators onwards. */
  protected flushOutputs(): void {
    for (const output of this.outputs) output.flush?.();
  }

  protected isBackpressured(): boolean {
    for (const output of this.outputs) if (output.isBackpressured()) return true;
    return false;
  }

  protected emitEvent(event: StreamEvent): void {
    for (const output of this.outputs) output.emitEvent(event);
  }

  protected finish(): void {
    this.state = 'finished';
    this.outbox.event({
      virtualTimeMs: this.tickWindow.toMs, kind: 'subtask-finished',
      message: `${this.operatorName} #${this.ref.index} finished (its input ended).`,
      operatorId: this.ref.operatorId, subtask: this.ref.index,
    });
  }

  protected failWith(error: unknown): void {
    this.fail(this.failureOf(error));
  }

  private failureOf(error: unknown): FailureInfo {
    const where = { operatorId: this.ref.operatorId, subtask: this.ref.index };
    if (error instanceof UserFunctionError) {
      const failure: FailureInfo = { code: 'task.userFunction', message: error.message, ...where };
      // The expression's own error (its catalogue code, e.g. a type error) is the cause.
      if (error.code !== undefined) failure.cause = { code: error.code, message: error.detail };
      return failure;
    }
    if (error instanceof PartitionKeyError) {
      return {
        code: 'task.userFunction',
        message: `Operator '${this.operatorName}' (${this.ref.operatorId}, subtask ${this.ref.index}) failed: ${error.message}`,
        ...where,
      };
    }
    const stateCode = storageErrorCode(error);
    if (stateCode !== undefined && stateCode.startsWith('state.')) {
      // A rejected `prepare`: the storage's own code and words (e.g. state.storageFull).
      return subtaskStorageFailure(error, stateCode, { ...where, name: this.operatorName });
    }
    const detail = error instanceof Error ? error.message : String(error);
    return {
      code: 'task.internal',
      message: `Operator '${this.operatorName}' (${this.ref.operatorId}, subtask ${this.ref.index}) failed inside the engine: ${detail}`,
      ...where,
    };
  }
}
