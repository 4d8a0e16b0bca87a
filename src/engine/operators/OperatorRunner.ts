/**
 * Drives one operator subtask through its lifecycle for the scheduler: the seam between the
 * run loop (network, alignment, ticks) and the operator (STYLE.md habit 4).
 *
 * It owns the parts every operator shares, so operators do not repeat them: counting records
 * in, preparing the keys a batch or a watermark will touch (async only when the backend needs
 * it), firing timers before `processWatermark`, and bundling keyed state, timers and operator
 * state into one subtask snapshot.
 *
 * Call pattern per batch (the `await` only happens when a promise comes back):
 *
 *   const ready = runner.prepareBatch(records, input); if (ready) await ready;
 *   runner.processBatch(records, input);
 *   const { records: out, timestamps } = runner.ctx.output.drain();
 *
 * or, over the network's parallel arrays without building a `TimedRecord` per record:
 *
 *   const ready = runner.prepareSlice(records, timestamps, from, to, input); if (ready) await ready;
 *   runner.processSlice(records, timestamps, from, to, input);
 *
 * and per watermark: `prepareWatermark` then `processWatermark`, then drain, then forward the
 * watermark downstream (the runtime's job, after the records the timers emitted).
 */
import type { StreamRecord, TimedRecord, VirtualMs } from '../runtime/types';
import type { InternalTimerService, TimerServiceSnapshot } from '../state/timers/InternalTimerService';
import type { KeyedStateSnapshot, MaybePromise } from '../state/types';
import type { OperatorContext, OperatorStateSnapshot, StreamOperator } from './types';
import { userFunctionError } from './UserFunctionError';

/** Everything one subtask contributes to a checkpoint. Plain data apart from the backend handle. */
export interface SubtaskStateSnapshot {
  checkpointId: number;
  operator: OperatorStateSnapshot | undefined;
  /** The keyed backend's metadata handle (keyed operators only). */
  keyed: KeyedStateSnapshot | undefined;
  timers: TimerServiceSnapshot | undefined;
}

/** What a subtask restores from; at another parallelism, the snapshots of every former subtask. */
export interface SubtaskRestore {
  operator: OperatorStateSnapshot | undefined;
  keyed: readonly KeyedStateSnapshot[];
  timers: readonly TimerServiceSnapshot[];
}

type Lifecycle = 'created' | 'open' | 'closed';

export class OperatorRunner {
  private lifecycle: Lifecycle = 'created';

  constructor(
    readonly operator: StreamOperator,
    readonly ctx: OperatorContext,
  ) {
    if (operator.kind !== ctx.kind) throw new Error(`Operator kind ${operator.kind} does not match its context (${ctx.kind}).`);
  }

  open(): void {
    this.expect('created', 'open');
    this.operator.open(this.ctx);
    this.lifecycle = 'open';
  }

  /** Loads the state of the batch's keys when the backend needs it; `undefined` otherwise. */
  prepareBatch(records: readonly TimedRecord[], input: number): Promise<void> | undefined {
    const { keyed, keys } = this.ctx;
    if (keyed === undefined || keys === undefined || !keyed.backend.needsPrepare) return undefined;
    let batchKeys;
    try {
      batchKeys = records.map((r) => keys.keyOf(r.record, input));
    } catch (error) {
      throw userFunctionError(this.ctx, error);
    }
    return keyed.prepareKeys(batchKeys);
  }

  processBatch(records: readonly TimedRecord[], input: number): void {
    this.expect('open', 'processBatch');
    this.ctx.counters.recordsIn += records.length;
    this.operator.processBatch(records, this.ctx, input);
  }

  /** `prepareBatch` over `records[from..to)`. */
  prepareSlice(records: readonly StreamRecord[], from: number, to: number, input: number): Promise<void> | undefined {
    const { keyed, keys } = this.ctx;
    if (keyed === undefined || keys === undefined || !keyed.backend.needsPrepare) return undefined;
    const batchKeys = [];
    try {
      for (let i = from; i < to; i++) batchKeys.push(keys.keyOf(records[i] as StreamRecord, input));
    } catch (error) {
      throw userFunctionError(this.ctx, error);
    }
    return keyed.prepareKeys(batchKeys);
  }

  /** `processBatch` over `records[from..to)` with `timestamps[from..to)` (no copy when the operator reads slices). */
  processSlice(
    records: readonly StreamRecord[], timestamps: readonly (VirtualMs | null)[], from: number, to: number, input: number,
  ): void {
    this.expect('open', 'processSlice');
    this.ctx.counters.recordsIn += to - from;
    if (this.operator.processSlice !== undefined) {
      this.operator.processSlice(records, timestamps, from, to, this.ctx, input);
      return;
    }
    const batch = new Array<TimedRecord>(to - from);
    for (let i = from; i < to; i++) batch[i - from] = { record: records[i] as StreamRecord, timestamp: timestamps[i] ?? null };
    this.operator.processBatch(batch, this.ctx, input);
  }

  /** Loads the state of the keys whose timers this watermark fires. */
  prepareWatermark(watermark: VirtualMs): Promise<void> | undefined {
    const keyed = this.ctx.keyed;
    if (keyed === undefined || !keyed.backend.needsPrepare) return undefined;
    return keyed.prepareKeys([], keyed.timers.dueEventTimeTimers(watermark));
  }

  /** Fires the event-time timers due at `watermark`, then the operator's own watermark hook. */
  processWatermark(watermark: VirtualMs): void {
    this.expect('open', 'processWatermark');
    const timers = this.timers();
    if (timers !== undefined) timers.advanceWatermark(watermark, (timer) => this.operator.onTimer(timer, this.ctx));
    this.operator.processWatermark(watermark, this.ctx);
  }

  prepareProcessingTime(now: VirtualMs): Promise<void> | undefined {
    const keyed = this.ctx.keyed;
    if (keyed === undefined || !keyed.backend.needsPrepare) return undefined;
    return keyed.prepareKeys([], keyed.timers.dueProcessingTimeTimers(now));
  }

  /** Fires processing-time timers due at virtual time `now`. */
  advanceProcessingTime(now: VirtualMs): void {
    this.expect('open', 'advanceProcessingTime');
    this.timers()?.advanceProcessingTime(now, (timer) => this.operator.onTimer(timer, this.ctx));
  }

  /** Snapshots operator state, timers and (through the backend) keyed state. */
  snapshot(checkpointId: number): MaybePromise<SubtaskStateSnapshot> {
    this.expect('open', 'snapshot');
    const operator = this.operator.snapshotState(checkpointId, this.ctx);
    const keyed = this.ctx.keyed;
    if (keyed === undefined) return { checkpointId, operator, keyed: undefined, timers: undefined };
    const timers = keyed.timers.snapshot();
    const handle = keyed.backend.snapshot(checkpointId);
    if (handle instanceof Promise) return handle.then((k) => ({ checkpointId, operator, keyed: k, timers }));
    return { checkpointId, operator, keyed: handle, timers };
  }

  /**
   * Restores before `open` or after it (state is then replaced in place): keyed state first
   * (possibly async), then timers and the operator's own state.
   */
  restore(from: SubtaskRestore): Promise<void> | undefined {
    if (this.lifecycle === 'closed') throw new Error('Cannot restore a closed operator.');
    const keyed = this.ctx.keyed;
    const rest = (): void => {
      keyed?.afterRestore();
      keyed?.timers.restore(from.timers);
      this.operator.restoreState(from.operator, this.ctx);
    };
    const pending = keyed?.backend.restore(from.keyed);
    if (pending === undefined) {
      rest();
      return undefined;
    }
    return pending.then(rest);
  }

  notifyCheckpointComplete(checkpointId: number): void {
    this.expect('open', 'notifyCheckpointComplete');
    this.operator.notifyCheckpointComplete(checkpointId, this.ctx);
  }

  /** Every input finished (bounded job). */
  endInput(): void {
    this.expect('open', 'endInput');
    this.operator.endInput(this.ctx);
  }

  /** Closes the operator; the state backend belongs to the runtime and stays open. */
  close(): void {
    if (this.lifecycle === 'closed') return;
    this.lifecycle = 'closed';
    this.operator.close(this.ctx);
  }

  private timers(): InternalTimerService | undefined {
    return this.ctx.keyed?.timers;
  }

  private expect(state: Lifecycle, call: string): void {
    if (this.lifecycle !== state) {
      throw new Error(`${call}() on operator ${this.ctx.subtask.operatorId}#${this.ctx.subtask.index} while it is ${this.lifecycle}.`);
    }
  }
}
