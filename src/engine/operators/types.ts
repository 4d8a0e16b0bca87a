/**
 * One lifecycle for every operator (STYLE.md habit 4, after Arroyo's `ArrowOperator` and
 * Flink's `StreamOperator`):
 *
 *   open(ctx)                          compile expressions, declare state
 *   restoreState(snapshot, ctx)        operator-local state (keyed state and timers are restored
 *                                      by the runner through the backend and timer service)
 *   processBatch(records, ctx, input)  the hot path: a plain loop, no promises
 *   processSlice(records, timestamps,  optional: the same over the network's parallel arrays
 *                from, to, ctx, input) (`records[from..to)`), so no object per record is built
 *   onTimer(timer, ctx)                a timer fired (the runner fires them on watermarks and
 *                                      processing time, with the timer's key current)
 *   processWatermark(watermark, ctx)   after the timers of that watermark fired
 *   snapshotState(checkpointId, ctx)   at a barrier
 *   notifyCheckpointComplete(id, ctx)  the checkpoint completed everywhere (sinks commit)
 *   endInput(ctx)                      every input finished (bounded jobs)
 *   close(ctx)
 *
 * Operators never await, never route, never align barriers and never forward watermarks:
 * the runtime does all of that around them. Records an operator emits go into
 * `ctx.output`, which the runtime drains into the network after each call.
 */
import type { OperatorKind } from '../job/types';
import type { KeyGroupRange } from '../keygroups/keyGroups';
import type { StreamRecord, SubtaskId, TimedRecord, VirtualMs } from '../runtime/types';
import type { KeyedStateAccess } from '../state/KeyedStateAccess';
import type { Timer } from '../state/timers/TimerQueue';
import type { VirtualClock } from '../state/types';
import type { InputKeySelector } from './keySelector';
import type { OutputCollector } from './OutputCollector';

/** Running counts of one subtask, read by the telemetry (Flink's numRecordsIn/Out, numLateRecordsDropped). */
export interface OperatorCounters {
  recordsIn: number;
  recordsOut: number;
  lateRecordsDropped: number;
}

/** A line for the run's event log (the `log` sink writes these). */
export interface LogEntry {
  operatorId: string;
  subtaskIndex: number;
  virtualTimeMs: VirtualMs;
  message: string;
  record: StreamRecord;
  timestamp: VirtualMs | null;
}

/** What an operator sees of the world; built by `createOperatorContext`. */
export interface OperatorContext {
  readonly subtask: SubtaskId;
  readonly kind: OperatorKind;
  /** Display name, for failure messages. */
  readonly operatorName: string;
  readonly parallelism: number;
  readonly maxParallelism: number;
  /** The key groups this subtask owns (Flink's range for its index). */
  readonly keyGroupRange: KeyGroupRange;
  readonly output: OutputCollector;
  readonly counters: OperatorCounters;
  /** Virtual processing time. */
  readonly clock: VirtualClock;
  /** Keyed state, timers and the current key: present for keyed operators only. */
  readonly keyed: KeyedStateAccess | undefined;
  /** Extracts the key of a record per input: present for keyed operators only. */
  readonly keys: InputKeySelector | undefined;
  /** Writes to the run's event log. */
  log(entry: LogEntry): void;
}

/** Operator-local state in a checkpoint: plain, structured-cloneable data. */
export type OperatorStateSnapshot = Readonly<Record<string, unknown>>;

/** The operator lifecycle (see the module header). */
export interface StreamOperator {
  readonly kind: OperatorKind;
  open(ctx: OperatorContext): void;
  processBatch(records: readonly TimedRecord[], ctx: OperatorContext, input: number): void;
  /**
   * Optional: `processBatch` over `records[from..to)` and `timestamps[from..to)`, the shape in
   * which the network hands out input. Must behave exactly like `processBatch` on the same
   * records; the runner falls back to `processBatch` when absent.
   */
  processSlice?(
    records: readonly StreamRecord[], timestamps: readonly (VirtualMs | null)[], from: number, to: number,
    ctx: OperatorContext, input: number,
  ): void;
  onTimer(timer: Timer, ctx: OperatorContext): void;
  processWatermark(watermark: VirtualMs, ctx: OperatorContext): void;
  snapshotState(checkpointId: number, ctx: OperatorContext): OperatorStateSnapshot | undefined;
  restoreState(snapshot: OperatorStateSnapshot | undefined, ctx: OperatorContext): void;
  notifyCheckpointComplete(checkpointId: number, ctx: OperatorContext): void;
  endInput(ctx: OperatorContext): void;
  close(ctx: OperatorContext): void;
}

/** No-op defaults, so each operator file shows only what it computes. */
export abstract class BaseOperator implements StreamOperator {
  abstract readonly kind: OperatorKind;
  abstract processBatch(records: readonly TimedRecord[], ctx: OperatorContext, input: number): void;

  open(_ctx: OperatorContext): void {}
  onTimer(_timer: Timer, _ctx: OperatorContext): void {}
  processWatermark(_watermark: VirtualMs, _ctx: OperatorContext): void {}
  snapshotState(_checkpointId: number, _ctx: OperatorContext): OperatorStateSnapshot | undefined {
    return undefined;
  }
  restoreState(_snapshot: OperatorStateSnapshot | undefined, _ctx: OperatorContext): void {}
  notifyCheckpointComplete(_checkpointId: number, _ctx: OperatorContext): void {}
  endInput(_ctx: OperatorContext): void {}
  close(_ctx: OperatorContext): void {}
}

/** The keyed parts of a context. @throws Error when the runtime built it without them. */
export function keyedParts(ctx: OperatorContext): { keyed: KeyedStateAccess; keys: InputKeySelector } {
  if (ctx.keyed === undefined || ctx.keys === undefined) {
    throw new Error(
      `Operator ${ctx.subtask.operatorId} (${ctx.kind}) is keyed: its context needs a state backend and the key of every input.`,
    );
  }
  return { keyed: ctx.keyed, keys: ctx.keys };
}
