/**
 * Event-time and processing-time timers per key and namespace, after Flink's
 * `InternalTimerServiceImpl`.
 *
 * - Timers belong to the current key (set by the runtime per record) and a namespace (a
 *   window, or `''`). Registering the same (key, namespace, time) twice keeps one timer.
 * - `advanceWatermark(t)` first sets the current watermark to t, then fires, in order, every
 *   event-time timer with `timestamp <= t`, setting the timer's key as the current key before
 *   each callback; timers registered by a callback at or below t fire in the same call, as in
 *   Flink. `advanceProcessingTime(now)` does the same for processing-time timers.
 * - Timers are keyed state: `snapshot()` lists them per key group, and `restore()` keeps the
 *   ones whose key group this subtask owns, so rescaling moves timers with their keys.
 */
import type { JavaKey } from '../../keygroups/javaHash';
import type { KeyGroupRange } from '../../keygroups/keyGroups';
import { TimerQueue, type Timer } from './TimerQueue';

/** What the timer service needs from the keyed context. */
export interface TimerKeyContext {
  readonly keyGroupRange: KeyGroupRange;
  readonly currentKey: JavaKey;
  readonly currentKeyGroup: number;
  readonly currentEncodedKey: string;
  /** Sets the current key to a timer's key before its callback. */
  setCurrentKeyFromTimer(timer: Timer): void;
}

/** Called for each firing timer, with the timer's key already current. */
export type TimerCallback = (timer: Timer) => void;

/** Plain-data timers of one subtask, per time domain (structured-cloneable). */
export interface TimerServiceSnapshot {
  eventTime: Timer[];
  processingTime: Timer[];
}

export class InternalTimerService {
  private readonly eventTime = new TimerQueue();
  private readonly processingTime = new TimerQueue();
  private watermark = -Infinity;
  private firing = false;

  constructor(private readonly keys: TimerKeyContext) {}

  /** The last watermark passed to `advanceWatermark` (-Infinity before the first). */
  get currentWatermark(): number {
    return this.watermark;
  }

  get eventTimeTimerCount(): number {
    return this.eventTime.size;
  }

  get processingTimeTimerCount(): number {
    return this.processingTime.size;
  }

  registerEventTimeTimer(namespace: string, timestamp: number): void {
    this.eventTime.add(this.timerFor(namespace, timestamp));
  }

  deleteEventTimeTimer(namespace: string, timestamp: number): void {
    const k = this.keys;
    this.eventTime.remove(k.currentKeyGroup, k.currentEncodedKey, namespace, timestamp);
  }

  registerProcessingTimeTimer(namespace: string, timestamp: number): void {
    this.processingTime.add(this.timerFor(namespace, timestamp));
  }

  deleteProcessingTimeTimer(namespace: string, timestamp: number): void {
    const k = this.keys;
    this.processingTime.remove(k.currentKeyGroup, k.currentEncodedKey, namespace, timestamp);
  }

  /** The earliest event-time timer's timestamp, if any. */
  nextEventTime(): number | undefined {
    return this.eventTime.peek()?.timestamp;
  }

  /** Event-time timers a watermark of `watermark` would fire (for `prepare`). */
  dueEventTimeTimers(watermark: number): Timer[] {
    return this.eventTime.dueBy(watermark);
  }

  /** Processing-time timers due at `now` (for `prepare`). */
  dueProcessingTimeTimers(now: number): Timer[] {
    return this.processingTime.dueBy(now);
  }

  /**
   * Advances event time and fires due timers; returns how many fired.
   *
   * @throws Error when the watermark goes backwards (the input valve guarantees it never does).
   */
  advanceWatermark(watermark: number, onTimer: TimerCallback): number {
    if (watermark < this.watermark) {
      throw new Error(`Watermark went backwards from ${this.watermark} to ${watermark}.`);
    }
    this.watermark = watermark;
    return this.fire(this.eventTime, watermark, onTimer);
  }

  /** Fires processing-time timers due at `now`; returns how many fired. */
  advanceProcessingTime(now: number, onTimer: TimerCallback): number {
    return this.fire(this.processingTime, now, onTimer);
  }

  /** Every timer, per key group (see TimerQueue.timersByKeyGroup). */
  snapshot(): TimerServiceSnapshot {
    return { eventTime: this.eventTime.timersByKeyGroup(), processingTime: this.processingTime.timersByKeyGroup() };
  }

  /** Replaces all timers with those of the snapshots that fall in this subtask's key groups. */
  restore(snapshots: readonly TimerServiceSnapshot[]): void {
    const { start, end } = this.keys.keyGroupRange;
    this.eventTime.clear();
    this.processingTime.clear();
    for (const snapshot of snapshots) {
      for (const timer of snapshot.eventTime) if (timer.keyGroup >= start && timer.keyGroup <= end) this.eventTime.add(timer);
      for (const timer of snapshot.processingTime) if (timer.keyGroup >= start && timer.keyGroup <= end) this.processingTime.add(timer);
    }
  }

  private fire(queue: TimerQueue, bound: number, onTimer: TimerCallback): number {
    if (this.firing) throw new Error('Timers cannot be advanced from inside a timer callback.');
    this.firing = true;
    let fired = 0;
    try {
      for (let timer = queue.peek(); timer !== undefined && timer.timestamp <= bound; timer = queue.peek()) {
        queue.poll();
        this.keys.setCurrentKeyFromTimer(timer);
        onTimer(timer);
        fired++;
      }
    } finally {
      this.firing = false;
    }
    return fired;
  }

  private timerFor(namespace: string, timestamp: number): Timer {
    const k = this.keys;
    if (k.currentKeyGroup < 0) throw new Error('A timer was registered before the runtime set a current key.');
    if (!Number.isFinite(timestamp)) throw new RangeError(`Timer timestamp must be finite, got ${String(timestamp)}.`);
    return { timestamp, key: k.currentKey, keyGroup: k.currentKeyGroup, encodedKey: k.currentEncodedKey, namespace };
  }
}
