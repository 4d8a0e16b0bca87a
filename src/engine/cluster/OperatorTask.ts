/**
 * An operator subtask on a TaskManager: the network module's per-tick recipe (see
 * network/index.ts) around an OperatorRunner.
 *
 * Per tick: fire due processing-time timers, then read the input gate while the budget lasts
 * and the output is not back-pressured. Records go to the operator as slices of the buffer's
 * parallel arrays; watermarks, idleness and end-of-partition go through the WatermarkTracker,
 * and the combined watermark first fires event-time timers (`processWatermark`) and then
 * travels downstream after the records those timers emitted. The operator's output is a
 * ForwardingCollector, so records enter the output gates as they are emitted. When every input channel has
 * ended: `endInput`, a final commit for collect sinks (before checkpoints exist, the end of a
 * bounded input is when a collect sink commits), end-of-partition downstream.
 *
 * Chained (plan/chaining.ts): a follower has no input gate; the previous operator of its
 * chain calls `pushRecords` / `pushEvent` directly (through a ChainedOutput), within the same
 * tick, and its own errors fail it under its own name.
 *
 * State I/O: `prepareSlice` / `prepareWatermark` may return a promise; the task then parks the
 * rest of the step in `resume` and hands the promise to the TaskManager, which calls `run()`
 * again once it settles (see HostedTask).
 */
import type { OperatorKind } from '../job/types';
import type { InputGate, RecordsItem } from '../network/InputGate';
import { WatermarkTracker } from '../network/WatermarkTracker';
import { asCollectSink } from '../operators/collectSink';
import type { OperatorRunner } from '../operators/OperatorRunner';
import type { SubtaskRef } from '../plan/executionGraph';
import type { StreamEvent, StreamRecord, VirtualMs } from '../runtime/types';
import { HostedTask, type TaskOutbox, type TaskOutput } from './HostedTask';
import { EMPTY_RECORD_HASH, hashRecord } from './recordHash';

type Step = Promise<void> | undefined;

/** What a collect sink subtask wrote and committed since the last report. */
export interface SinkRecording {
  /** Slices written since the last report, in order. */
  written: StreamRecord[][];
  committed: number;
  hash: number;
  /** Written and not yet committed, over the whole run. */
  pending: number;
}

export class OperatorTask extends HostedTask {
  /** What a collect sink wrote and committed since the last report; undefined for other kinds. */
  readonly sink: SinkRecording | undefined;
  private readonly tracker: WatermarkTracker;
  private readonly inputIndex: Int32Array;
  private readonly keyed: boolean;
  private resume: (() => Step) | null = null;
  /** `recordsOut` already charged for. */
  private chargedOut = 0;
  private timersDue = false;

  constructor(
    ref: SubtaskRef,
    kind: OperatorKind,
    operatorName: string,
    private readonly runner: OperatorRunner,
    /** Null for a chained follower (fed by `pushRecords` / `pushEvent`). */
    private readonly gate: InputGate | null,
    outputs: readonly TaskOutput[],
    costScale: number,
    outbox: TaskOutbox,
  ) {
    super(ref, kind, operatorName, outputs, runner.ctx.counters, costScale, outbox);
    const channels = gate?.numberOfChannels ?? 1;
    this.tracker = new WatermarkTracker(channels);
    this.inputIndex = Int32Array.from({ length: channels }, (_, c) => gate?.channelInfo(c).inputIndex ?? 0);
    this.keyed = runner.ctx.keyed !== undefined;
    this.sink = kind === 'collect' ? { written: [], committed: 0, hash: EMPTY_RECORD_HASH, pending: 0 } : undefined;
  }

  override beginTick(tickWindow: Parameters<HostedTask['beginTick']>[0]): void {
    super.beginTick(tickWindow);
    this.timersDue = this.keyed;
  }

  /** Chained: a slice of records from the previous operator of the chain. */
  pushRecords(records: readonly StreamRecord[], timestamps: readonly (VirtualMs | null)[]): void {
    if (this.state !== 'running') return;
    try {
      this.tracker.onActivity(0);
      this.processRecords({ kind: 'records', channel: 0, records, timestamps, start: 0, end: records.length }, 0);
      this.flushOutputs();
    } catch (error) {
      this.failWith(error);
    }
  }

  /** Chained: a watermark, idle or end-of-partition event from the previous operator. */
  pushEvent(event: StreamEvent): void {
    if (this.state !== 'running') return;
    try {
      const pending = this.onEvent(0, event);
      if (pending !== undefined) {
        void pending.catch(() => undefined);
        throw new Error('a chained operator cannot wait for state I/O');
      }
      this.flushOutputs();
    } catch (error) {
      this.failWith(error);
    }
  }

  /** Chained: whether the previous operator must stop (this one failed, or its output is full). */
  chainBlocked(): boolean {
    return this.state !== 'running' || this.isBackpressured();
  }

  close(): void {
    this.resume = null;
    this.runner.close();
  }

  protected override onFailed(): void {
    this.resume = null;
  }

  protected watermark(): VirtualMs | null {
    const watermark = this.tracker.watermark;
    return watermark === Number.NEGATIVE_INFINITY ? null : watermark;
  }

  protected work(): Step {
    if (this.resume !== null) {
      const resume = this.resume;
      this.resume = null;
      const pending = resume();
      if (pending !== undefined) return pending;
    }
    if (this.timersDue) {
      this.timersDue = false;
      const now = this.tickWindow.fromMs;
      const pending = this.runner.prepareProcessingTime(now);
      const fire = (): Step => {
        this.runner.advanceProcessingTime(now);
        this.flushOutput(0);
        return undefined;
      };
      if (pending !== undefined) return this.park(pending, fire);
      fire();
    }
    return this.readInput();
  }

  private readInput(): Step {
    const gate = this.gate;
    if (gate === null) return undefined;
    for (;;) {
      if (this.state !== 'running') return undefined;
      if (this.isBackpressured()) {
        this.stoppedBy = 'backpressured';
        return undefined;
      }
      const affordable = this.recordsAffordable();
      if (affordable === 0) return undefined;
      const item = gate.poll(affordable);
      if (item === null) {
        this.stoppedBy = 'idle';
        return undefined;
      }
      if (item.kind === 'records') {
        this.tracker.onActivity(item.channel);
        const input = this.inputIndex[item.channel] as number;
        const pending = this.runner.prepareSlice(item.records, item.start, item.end, input);
        if (pending !== undefined) return this.park(pending, () => this.processRecords(item, input));
        this.processRecords(item, input);
        continue;
      }
      const pending = this.onEvent(item.channel, item.event);
      if (pending !== undefined) return pending;
    }
  }

  private processRecords(item: RecordsItem, input: number): undefined {
    const { records, timestamps, start, end } = item;
    this.runner.processSlice(records, timestamps, start, end, input);
    const sink = this.sink;
    if (sink !== undefined) {
      let hash = sink.hash;
      for (let i = start; i < end; i++) hash = hashRecord(hash, records[i] as StreamRecord, timestamps[i] ?? null);
      sink.hash = hash;
      sink.written.push(records.slice(start, end));
      sink.pending += end - start;
    }
    this.flushOutput(end - start);
    return undefined;
  }

  private onEvent(channel: number, event: StreamEvent): Step {
    switch (event.type) {
      case 'watermark': return this.forward(this.tracker.onWatermark(channel, event.timestamp), 0);
      case 'idle': return this.forward(this.tracker.onIdle(channel), 0);
      case 'end-of-partition': return this.forward(this.tracker.onEndOfPartition(channel), 0, () => this.endIfDone());
      case 'barrier':
        // Checkpoints arrive with fault tolerance (next issue); nothing injects barriers yet.
        return undefined;
    }
  }

  /** Applies the tracker's output events from `from` on, then `after`. */
  private forward(events: readonly StreamEvent[], from: number, after?: () => void): Step {
    for (let i = from; i < events.length; i++) {
      const event = events[i] as StreamEvent;
      if (event.type !== 'watermark') {
        this.emitEvent(event);
        continue;
      }
      const pending = this.runner.prepareWatermark(event.timestamp);
      if (pending !== undefined) {
        return this.park(pending, () => {
          this.applyWatermark(event.timestamp);
          return this.forward(events, i + 1, after);
        });
      }
      this.applyWatermark(event.timestamp);
    }
    after?.();
    return undefined;
  }

  private applyWatermark(timestamp: VirtualMs): void {
    this.runner.processWatermark(timestamp);
    this.flushOutput(0);
    this.emitEvent({ type: 'watermark', timestamp });
  }

  private endIfDone(): void {
    if (this.gate !== null && !this.gate.isFinished()) return;
    this.runner.endInput();
    this.flushOutput(0);
    const sink = this.sink;
    const collect = asCollectSink(this.runner.operator);
    if (sink !== undefined && collect !== undefined) {
      collect.commitAll();
      sink.committed += sink.pending;
      sink.pending = 0;
    }
    this.emitEvent({ type: 'end-of-partition' });
    this.finish();
  }

  /**
   * Charges a call that consumed `recordsIn`; what it emitted already went into the network
   * (the context's output is a ForwardingCollector) and is counted by `recordsOut`.
   */
  private flushOutput(recordsIn: number): void {
    const out = this.counters.recordsOut;
    this.charge(recordsIn, out - this.chargedOut);
    this.chargedOut = out;
  }

  private park(pending: Promise<void>, continuation: () => Step): Promise<void> {
    this.resume = continuation;
    return pending;
  }
}
