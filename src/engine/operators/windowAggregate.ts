/**
 * `window`: event-time tumbling, sliding or session windows per key with a count, sum, min or
 * max, emitting `{ key, value, windowStart, windowEnd }` at the window's max timestamp. The
 * semantics are Flink's `WindowOperator` with the default `EventTimeTrigger`:
 *
 * - A record is assigned to its windows. A window is *late* when
 *   `maxTimestamp + allowedLateness <= currentWatermark`; a record whose windows are all late
 *   is dropped and counted (`lateRecordsDropped`, Flink's `numLateRecordsDropped`).
 * - Otherwise the value is added to the window's accumulator (state namespace `start:end`)
 *   and, as `EventTimeTrigger.onElement` does, the window fires at once when its max timestamp
 *   is already at or below the watermark (a late-but-allowed record: the result is emitted again,
 *   updated), or else a timer is set for its max timestamp. A cleanup timer is set for
 *   `maxTimestamp + allowedLateness` (the same timer when lateness is 0).
 * - On a timer: fire when it is the trigger time, then clear the window's state when it is the
 *   cleanup time (Flink `onEventTime` → `emitWindowContents`, then `clearAllState`).
 * - Sessions merge (see windowAssigners.ts): the absorbed windows' accumulators are merged
 *   into the new window's namespace (Flink `InternalMergingState.mergeNamespaces`), their
 *   timers are deleted, and the key's session list (a `ValueState`, Flink's `MergingWindowSet`
 *   without the state-window indirection, since merging small accumulators is cheap) is
 *   updated. A timer of a window that no longer exists is ignored.
 * - Records without event time fail the task: windows here are event-time only.
 */
import type { JavaKey } from '../keygroups/javaHash';
import type { StreamRecord, TimedRecord, VirtualMs } from '../runtime/types';
import { sliceOfTimed } from './timedSlices';
import type { Timer } from '../state/timers/TimerQueue';
import type { AggregatingState } from '../state/views/AggregatingState';
import type { ValueState } from '../state/views/ValueState';
import { fieldAggregate, numericInput, type NumericAccumulator } from './aggregateFunctions';
import { configNumber, configString, type OperatorConfig } from './operatorConfig';
import { keyField } from './runningAggregate';
import { BaseOperator, keyedParts, type OperatorContext } from './types';
import { operatorFailure, userFunctionError } from './UserFunctionError';
import {
  addSessionWindow,
  maxTimestamp,
  parseWindowNamespace,
  slidingWindows,
  tumblingWindow,
  windowNamespace,
  type TimeWindow,
  type WindowSpan,
} from './windowAssigners';

/** State names (part of every row's address; never rename). */
export const WINDOW_CONTENTS_STATE = 'window-contents';
export const SESSION_WINDOWS_STATE = 'session-windows';

export type WindowType = 'tumbling' | 'sliding' | 'session';

type WindowContents = AggregatingState<number | null, NumericAccumulator, NumericAccumulator>;

export class WindowAggregate extends BaseOperator {
  readonly kind = 'window' as const;
  private readonly type: WindowType;
  private readonly sizeMs: number;
  private readonly slideMs: number;
  private readonly gapMs: number;
  private readonly latenessMs: number;
  private readonly counting: boolean;
  private readonly field: string;
  private readonly fnName: string;
  private contentsState: WindowContents | undefined;
  private sessionsState: ValueState<readonly WindowSpan[]> | undefined;

  constructor(config: OperatorConfig) {
    super();
    const type = configString(config, 'type');
    if (type !== 'tumbling' && type !== 'sliding' && type !== 'session') throw new TypeError(`Unknown window type '${type}'.`);
    this.type = type;
    this.sizeMs = configNumber(config, 'sizeMs');
    this.slideMs = configNumber(config, 'slideMs');
    this.gapMs = configNumber(config, 'gapMs');
    this.latenessMs = configNumber(config, 'allowedLatenessMs');
    this.fnName = configString(config, 'fn');
    this.counting = this.fnName === 'count';
    this.field = configString(config, 'field');
  }

  override open(ctx: OperatorContext): void {
    const { keyed } = keyedParts(ctx);
    this.contentsState = keyed.getAggregatingState({ name: WINDOW_CONTENTS_STATE, aggregate: fieldAggregate(this.fnName) });
    if (this.type === 'session') this.sessionsState = keyed.getValueState<readonly WindowSpan[]>({ name: SESSION_WINDOWS_STATE });
  }

  processBatch(batch: readonly TimedRecord[], ctx: OperatorContext, input: number): void {
    const { records, timestamps } = sliceOfTimed(batch);
    this.processSlice(records, timestamps, 0, records.length, ctx, input);
  }

  processSlice(
    records: readonly StreamRecord[], timestamps: readonly (VirtualMs | null)[], from: number, to: number,
    ctx: OperatorContext, input: number,
  ): void {
    const { keyed, keys } = keyedParts(ctx);
    for (let i = from; i < to; i++) {
      const record = records[i] as StreamRecord;
      const timestamp = timestamps[i] ?? null;
      if (timestamp === null) {
        throw operatorFailure(ctx, 'a record has no event time; windows need event time (turn on "Event time" at the source).');
      }
      let key: JavaKey;
      let value: number | null;
      try {
        key = keys.keyOf(record, input);
        value = this.counting ? null : numericInput(record, this.field);
      } catch (error) {
        throw userFunctionError(ctx, error);
      }
      keyed.setCurrentKey(key);
      const accepted = this.type === 'session' ? this.addToSession(timestamp, value, ctx) : this.addToAligned(timestamp, value, ctx);
      if (!accepted) ctx.counters.lateRecordsDropped++;
    }
  }

  override onTimer(timer: Timer, ctx: OperatorContext): void {
    const timeWindow = parseWindowNamespace(timer.namespace);
    if (this.type === 'session' && !this.sessionExists(timeWindow)) return;
    const triggerTime = maxTimestamp(timeWindow);
    if (timer.timestamp === triggerTime) this.fire(timeWindow, ctx);
    if (timer.timestamp === triggerTime + this.latenessMs) this.clearWindow(timeWindow);
  }

  /** Tumbling and sliding: add to every non-late window; false when all were late. */
  private addToAligned(timestamp: number, value: number | null, ctx: OperatorContext): boolean {
    const windows = this.type === 'tumbling' ? [tumblingWindow(timestamp, this.sizeMs)] : slidingWindows(timestamp, this.sizeMs, this.slideMs);
    let accepted = false;
    for (const timeWindow of windows) {
      if (this.isLate(timeWindow, ctx)) continue;
      accepted = true;
      this.addAndTrigger(timeWindow, value, ctx);
    }
    return accepted;
  }

  /** Session: merge the record's window into the key's sessions; false when the result is late. */
  private addToSession(timestamp: number, value: number | null, ctx: OperatorContext): boolean {
    const sessions = this.sessions;
    const { merged, absorbed, sessions: next } = addSessionWindow(sessions.value() ?? [], timestamp, this.gapMs);
    if (this.isLate(merged, ctx)) return false;
    const timers = keyedParts(ctx).keyed.timers;
    const target = windowNamespace(merged);
    const sources: string[] = [];
    for (const timeWindow of absorbed) {
      const namespace = windowNamespace(timeWindow);
      if (namespace === target) continue;
      sources.push(namespace);
      timers.deleteEventTimeTimer(namespace, maxTimestamp(timeWindow));
      timers.deleteEventTimeTimer(namespace, maxTimestamp(timeWindow) + this.latenessMs);
    }
    if (sources.length > 0) this.contents.mergeNamespaces(target, sources);
    sessions.update(next);
    this.addAndTrigger(merged, value, ctx);
    return true;
  }

  /** Adds to the window, then EventTimeTrigger.onElement and the cleanup timer. */
  private addAndTrigger(timeWindow: TimeWindow, value: number | null, ctx: OperatorContext): void {
    const contents = this.contents;
    const timers = keyedParts(ctx).keyed.timers;
    const namespace = windowNamespace(timeWindow);
    contents.setCurrentNamespace(namespace);
    contents.add(value);
    const triggerTime = maxTimestamp(timeWindow);
    if (triggerTime <= timers.currentWatermark) this.fire(timeWindow, ctx);
    else timers.registerEventTimeTimer(namespace, triggerTime);
    timers.registerEventTimeTimer(namespace, triggerTime + this.latenessMs);
  }

  private fire(timeWindow: TimeWindow, ctx: OperatorContext): void {
    const contents = this.contents;
    contents.setCurrentNamespace(windowNamespace(timeWindow));
    const result = contents.get();
    if (result === undefined) return;
    const key = keyedParts(ctx).keyed.currentKey;
    ctx.output.emit({ key: keyField(key), value: result, windowStart: timeWindow.start, windowEnd: timeWindow.end }, maxTimestamp(timeWindow));
  }

  private clearWindow(timeWindow: TimeWindow): void {
    const contents = this.contents;
    contents.setCurrentNamespace(windowNamespace(timeWindow));
    contents.clear();
    if (this.type !== 'session') return;
    const sessions = this.sessions;
    const remaining = (sessions.value() ?? []).filter(([s, e]) => s !== timeWindow.start || e !== timeWindow.end);
    if (remaining.length === 0) sessions.clear();
    else sessions.update(remaining);
  }

  private sessionExists(timeWindow: TimeWindow): boolean {
    const spans = this.sessions.value() ?? [];
    return spans.some(([s, e]) => s === timeWindow.start && e === timeWindow.end);
  }

  private get contents(): WindowContents {
    if (this.contentsState === undefined) throw new Error('The window operator processed records before open().');
    return this.contentsState;
  }

  private get sessions(): ValueState<readonly WindowSpan[]> {
    if (this.sessionsState === undefined) throw new Error('The window operator used session state before open().');
    return this.sessionsState;
  }

  private isLate(timeWindow: TimeWindow, ctx: OperatorContext): boolean {
    return maxTimestamp(timeWindow) + this.latenessMs <= keyedParts(ctx).keyed.timers.currentWatermark;
  }
}
