/**
 * Where a subtask's virtual time goes: busy, back-pressured or idle, reported in ms per
 * second as Flink's task metrics `busyTimeMsPerSecond`, `backPressuredTimeMsPerSecond` and
 * `idleTimeMsPerSecond` (DESIGN.md §4).
 *
 * Per tick the scheduler reports the tick's length, the processing cost the subtask spent
 * (busy), and why it stopped before the tick ended:
 * - `idle`: it ran out of input (a source: nothing due to emit). Flink counts a task waiting
 *   for input as idle.
 * - `backpressured`: its output gate was full (`ResultPartition.isBackpressured`). Flink
 *   counts a task waiting for an output buffer as back-pressured.
 * The rest of the tick after the busy time is attributed to that reason. One reason per tick
 * is exact in Sluice's bulk-synchronous model: input and credit only arrive at tick
 * boundaries, so once a subtask runs dry or is blocked it stays so until the tick ends.
 *
 * Rates are averaged over windows of virtual time (`windowMs`, default 1000; Flink's
 * `TimerGauge` averages over its 5 s metric view). A window closes at the first tick end at or
 * after `windowMs`, and its rates are normalised by its actual length, so the three always add
 * up to 1000 ms per second. Until the first window closes, the open one is reported.
 */
import type { VirtualMs } from '../runtime/types';

/** Why a subtask stopped before the tick ended. */
export type StopReason = 'idle' | 'backpressured';

/** Flink's three time metrics, plus cumulative totals. */
export interface TaskTimeMetrics {
  busyTimeMsPerSecond: number;
  backPressuredTimeMsPerSecond: number;
  idleTimeMsPerSecond: number;
  /** Virtual ms the rates above are averaged over (0 before the first tick). */
  windowMs: VirtualMs;
  totalBusyMs: VirtualMs;
  totalBackPressuredMs: VirtualMs;
  totalIdleMs: VirtualMs;
}

interface Window {
  busy: number;
  backPressured: number;
  idle: number;
  elapsed: number;
}

/** Slack for float sums of per-record costs that overshoot the tick by a rounding error. */
const EPSILON = 1e-9;

/** Busy / back-pressured / idle time of one subtask, in ms per virtual second. */
export class TaskTimeAccount {
  private open: Window = emptyWindow();
  private closed: Window | null = null;
  private readonly totals: Window = emptyWindow();

  /** @throws RangeError unless `windowMs` is a positive finite number. */
  constructor(readonly windowMs: VirtualMs = 1000) {
    if (!Number.isFinite(windowMs) || windowMs <= 0) {
      throw new RangeError(`Metric window ${String(windowMs)} ms must be a positive number.`);
    }
  }

  /**
   * Accounts one tick.
   *
   * @throws RangeError when `tickMs` is not positive, or `busyMs` is negative or longer than
   * the tick (work that overruns a tick belongs to the next tick's budget, not to this one).
   */
  recordTick(tickMs: VirtualMs, busyMs: VirtualMs, stoppedBy: StopReason): void {
    if (!Number.isFinite(tickMs) || tickMs <= 0) throw new RangeError(`Tick length ${String(tickMs)} ms must be positive.`);
    if (!Number.isFinite(busyMs) || busyMs < 0 || busyMs > tickMs * (1 + EPSILON)) {
      throw new RangeError(`Busy time ${String(busyMs)} ms must be within the tick [0, ${tickMs}] ms.`);
    }
    if (stoppedBy !== 'idle' && stoppedBy !== 'backpressured') {
      throw new RangeError(`Stop reason '${String(stoppedBy)}' is unknown: use 'idle' or 'backpressured'.`);
    }
    const busy = Math.min(busyMs, tickMs);
    const rest = tickMs - busy;
    for (const span of [this.open, this.totals]) {
      span.busy += busy;
      span.elapsed += tickMs;
      if (stoppedBy === 'idle') span.idle += rest;
      else span.backPressured += rest;
    }
    if (this.open.elapsed >= this.windowMs) {
      this.closed = this.open;
      this.open = emptyWindow();
    }
  }

  /** The rates of the last closed window (or the open one before any closed), and totals. */
  snapshot(): TaskTimeMetrics {
    const span = this.closed ?? this.open;
    const perSecond = span.elapsed > 0 ? 1000 / span.elapsed : 0;
    return {
      busyTimeMsPerSecond: span.busy * perSecond,
      backPressuredTimeMsPerSecond: span.backPressured * perSecond,
      idleTimeMsPerSecond: span.idle * perSecond,
      windowMs: span.elapsed,
      totalBusyMs: this.totals.busy,
      totalBackPressuredMs: this.totals.backPressured,
      totalIdleMs: this.totals.idle,
    };
  }
}

function emptyWindow(): Window {
  return { busy: 0, backPressured: 0, idle: 0, elapsed: 0 };
}
