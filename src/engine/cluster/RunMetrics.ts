/**
 * The JobManager's picture of a run's figures (`metrics()`, DESIGN.md §8): per-subtask
 * counters, rates and Flink's three time ratios fed from every tick's reports; per-channel
 * throughput, backlog and credit from the sampled channel gauges; operator aggregates and
 * the TaskManagers. Everything is indexed by plan position, so the figures do not depend on
 * which TaskManager reported them.
 *
 * Rates are per virtual second over windows of virtual time, closing like TaskTimeAccount's
 * (the first tick end at or after 1,000 ms), so a paused run keeps showing its last rates.
 * Channel rates use the cumulative counts sampled about every 100 virtual ms, over the last
 * second of samples.
 */
import { TaskTimeAccount } from '../network/TaskTimeAccount';
import { allChannels, subtaskKey, type Channel, type ExecutionGraph, type SubtaskRef } from '../plan/executionGraph';
import type { ChannelTickReport, SubtaskPlacement, SubtaskTickReport } from '../runtime/protocol';
import type {
  ChannelMetrics, MetricsSnapshot, OperatorMetrics, SubtaskMetrics, SubtaskState, TaskManagerInfo,
} from '../runtime/telemetry';
import type { VirtualMs } from '../runtime/types';

const WINDOW_MS = 1000;
const CHANNEL_SAMPLES = 11;

/** Counts over windows of virtual time; the rate of the last closed window (or the open one). */
class WindowedRate {
  private openCount = 0;
  private openMs = 0;
  private closedRate: number | null = null;

  add(count: number, elapsedMs: number): void {
    this.openCount += count;
    this.openMs += elapsedMs;
    if (this.openMs >= WINDOW_MS) {
      this.closedRate = (this.openCount * 1000) / this.openMs;
      this.openCount = 0;
      this.openMs = 0;
    }
  }

  get perSecond(): number {
    if (this.closedRate !== null) return this.closedRate;
    return this.openMs > 0 ? (this.openCount * 1000) / this.openMs : 0;
  }
}

interface SubtaskFigures {
  ref: SubtaskRef;
  taskManager: number;
  state: SubtaskState;
  recordsIn: number;
  recordsOut: number;
  lateRecordsDropped: number;
  watermark: VirtualMs | null;
  slowFactor: number;
  inRate: WindowedRate;
  outRate: WindowedRate;
  time: TaskTimeAccount;
}

interface ChannelFigures {
  channel: Channel;
  recordsOut: number;
  backlog: number;
  credit: number;
  /** (virtual ms, cumulative records) samples, oldest first. */
  samples: [VirtualMs, number][];
}

export class RunMetrics {
  private readonly subtasks: SubtaskFigures[];
  private recordsLost = 0;
  private readonly planIndex = new Map<string, number>();
  private readonly channels: ChannelFigures[];
  private readonly operatorIds: string[];
  private readonly alive: boolean[];
  private readonly drained: ReadonlySet<number>;
  private virtualTimeMs: VirtualMs = 0;

  constructor(
    graph: ExecutionGraph,
    placement: readonly SubtaskPlacement[],
    private readonly slotsPerTaskManager: number,
    /** The cluster's shape, when known: every TaskManager is reported, hosting subtasks or not. */
    shape: { taskManagers?: number; drained?: readonly number[] } = {},
  ) {
    const tmByKey = new Map(placement.map((p) => [subtaskKey(p), p.taskManager]));
    this.subtasks = graph.subtasks.map((subtask, position) => {
      const ref = { operatorId: subtask.operatorId, index: subtask.index };
      this.planIndex.set(subtaskKey(ref), position);
      return {
        ref, taskManager: tmByKey.get(subtaskKey(ref)) ?? 0, state: 'created', recordsIn: 0, recordsOut: 0,
        lateRecordsDropped: 0, watermark: null, slowFactor: 1,
        inRate: new WindowedRate(), outRate: new WindowedRate(), time: new TaskTimeAccount(WINDOW_MS),
      };
    });
    this.channels = allChannels(graph).map((channel) => ({ channel, recordsOut: 0, backlog: 0, credit: 0, samples: [] }));
    this.operatorIds = graph.operatorOrder;
    const taskManagers = placement.reduce((n, p) => Math.max(n, p.taskManager + 1), shape.taskManagers ?? 0);
    this.alive = Array.from({ length: taskManagers }, () => true);
    this.drained = new Set(shape.drained ?? []);
  }

  /** Plan position of a subtask (its index in `graph.subtasks`), or -1. */
  positionOf(operatorId: string, index: number): number {
    return this.planIndex.get(`${operatorId}#${index}`) ?? -1;
  }

  /** Number of TaskManagers the plan uses at least (more may exist with nothing on them). */
  setTaskManagerCount(count: number): void {
    while (this.alive.length < count) this.alive.push(true);
  }

  markTaskManagerLost(taskManager: number): void {
    this.alive[taskManager] = false;
    for (const figures of this.subtasks) {
      if (figures.taskManager === taskManager && figures.state !== 'finished') figures.state = 'failed';
    }
  }

  /** A fresh TaskManager took a lost one's place (failover): alive again; its subtasks report from now on. */
  markTaskManagerBack(taskManager: number): void {
    this.alive[taskManager] = true;
    for (const figures of this.subtasks) if (figures.taskManager === taskManager) figures.state = 'restarting';
  }

  /** Approximate recovery: records lost so far (the sum of the recoveries' `recordsLost`). */
  addRecordsLost(losses: readonly { direction: 'into' | 'out-of'; sinceSnapshot?: number }[]): void {
    for (const loss of losses) if (loss.direction === 'into') this.recordsLost += loss.sinceSnapshot ?? 0;
  }

  markAll(state: SubtaskState, only: (current: SubtaskState) => boolean): void {
    for (const figures of this.subtasks) if (only(figures.state)) figures.state = state;
  }

  /** A subtask's state as a TaskManager reported it outside a tick (reconciliation). */
  setState(operatorId: string, index: number, state: SubtaskState): void {
    const figures = this.subtasks[this.positionOf(operatorId, index)];
    if (figures !== undefined) figures.state = state;
  }

  /** Applies one subtask's tick report. */
  addSubtaskTick(report: SubtaskTickReport, tickMs: number): void {
    const figures = this.subtasks[this.positionOf(report.operatorId, report.index)];
    if (figures === undefined) return;
    figures.state = report.state;
    figures.recordsIn += report.recordsIn;
    figures.recordsOut += report.recordsOut;
    figures.lateRecordsDropped += report.lateRecordsDropped;
    figures.watermark = report.watermark;
    figures.slowFactor = report.slowFactor;
    figures.inRate.add(report.recordsIn, tickMs);
    figures.outRate.add(report.recordsOut, tickMs);
    figures.time.recordTick(tickMs, Math.min(report.busyMs, tickMs), report.backPressuredMs > 0 ? 'backpressured' : 'idle');
  }

  addChannelSample(report: ChannelTickReport, atMs: VirtualMs): void {
    const figures = this.channels[report.channel];
    if (figures === undefined) return;
    figures.recordsOut = report.recordsOut;
    figures.backlog = report.backlog;
    figures.credit = report.credit;
    figures.samples.push([atMs, report.recordsOut]);
    if (figures.samples.length > CHANNEL_SAMPLES) figures.samples.shift();
  }

  setVirtualTime(ms: VirtualMs): void {
    this.virtualTimeMs = ms;
  }

  /** Subtask states in plan order. */
  snapshotStates(): SubtaskState[] {
    return this.subtasks.map((s) => s.state);
  }

  /** Cumulative records in, per subtask in plan order (for tests and digests). */
  recordsInByPosition(): number[] {
    return this.subtasks.map((s) => s.recordsIn);
  }

  snapshot(): MetricsSnapshot {
    const subtasks = this.subtasks.map((s): SubtaskMetrics => {
      const time = s.time.snapshot();
      return {
        operatorId: s.ref.operatorId, index: s.ref.index, taskManager: s.taskManager, state: s.state,
        recordsIn: s.recordsIn, recordsOut: s.recordsOut,
        recordsInPerSecond: s.inRate.perSecond, recordsOutPerSecond: s.outRate.perSecond,
        busyMsPerSecond: time.busyTimeMsPerSecond, idleMsPerSecond: time.idleTimeMsPerSecond,
        backPressuredMsPerSecond: time.backPressuredTimeMsPerSecond,
        watermark: s.watermark, lateRecordsDropped: s.lateRecordsDropped, slowFactor: s.slowFactor,
      };
    });
    const operators = this.operatorIds.map((operatorId): OperatorMetrics => {
      const own = subtasks.filter((s) => s.operatorId === operatorId);
      return {
        operatorId,
        recordsIn: sum(own, (s) => s.recordsIn),
        recordsOut: sum(own, (s) => s.recordsOut),
        recordsInPerSecond: sum(own, (s) => s.recordsInPerSecond),
        recordsOutPerSecond: sum(own, (s) => s.recordsOutPerSecond),
        backPressuredMsPerSecond: own.reduce((max, s) => Math.max(max, s.backPressuredMsPerSecond), 0),
      };
    });
    const channels = this.channels.map((c): ChannelMetrics => ({
      edgeId: c.channel.edgeId, from: { ...c.channel.from }, to: { ...c.channel.to },
      recordsOut: c.recordsOut, recordsPerSecond: channelRate(c.samples), backlog: c.backlog, credit: c.credit,
    }));
    const taskManagers = this.alive.map((alive, index): TaskManagerInfo => ({
      index, slots: this.slotsPerTaskManager, alive,
      subtasks: this.subtasks.filter((s) => s.taskManager === index).map((s) => ({ ...s.ref })),
      ...(this.drained.has(index) ? { drained: true } : {}),
    }));
    const snapshot: MetricsSnapshot = { virtualTimeMs: this.virtualTimeMs, operators, subtasks, channels, taskManagers };
    if (this.recordsLost > 0) snapshot.recordsLost = this.recordsLost;
    return snapshot;
  }
}

function channelRate(samples: readonly [VirtualMs, number][]): number {
  if (samples.length < 2) return 0;
  const [t0, n0] = samples[0] as [VirtualMs, number];
  const [t1, n1] = samples[samples.length - 1] as [VirtualMs, number];
  return t1 > t0 ? ((n1 - n0) * 1000) / (t1 - t0) : 0;
}

function sum<T>(items: readonly T[], value: (item: T) => number): number {
  let total = 0;
  for (const item of items) total += value(item);
  return total;
}
