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
 * Checkpoints (Flink `SubtaskCheckpointCoordinatorImpl.checkpointState`): a gated task
 * aligns barriers with a BarrierAligner; once aligned it snapshots (operator state, timers,
 * the keyed backend's handle: OperatorRunner.snapshot, awaited like a prepare when the backend
 * needs I/O), then forwards the barrier on every output, then acknowledges. A chained
 * follower gets the barrier from its chain head, by direct call, so a chain snapshots in
 * chain order before the barrier leaves its tail. A collect sink's snapshot pre-commits its
 * transaction; its commits travel as `takeDelta()` in the sink delta, and a restore reports
 * what it aborted the same way (collectSink.ts). A region-sharable committer (`shareRegions`)
 * routes each slice to the region of the channel it came from, commits per region on
 * completion and rewinds one region while it stays up (`rewindRegion`).
 *
 * State I/O: `prepareSlice` / `prepareWatermark` may return a promise; the task then parks the
 * rest of the step in `resume` and hands the promise to the TaskManager, which calls `run()`
 * again once it settles (see HostedTask).
 */
import type { OperatorKind } from '../job/types';
import { BarrierAligner, type AlignmentEvent } from '../network/BarrierAligner';
import type { InputGate, RecordsItem } from '../network/InputGate';
import { WatermarkTracker } from '../network/WatermarkTracker';
import { asCollectSink, type CollectSink, type CollectSinkDelta, type CollectSinkSnapshot, type RegionSinkDelta } from '../operators/collectSink';
import type { OperatorRunner, SubtaskStateSnapshot } from '../operators/OperatorRunner';
import type { ReconciledSink, SubtaskRestoreSpec, SubtaskSnapshotHandle } from '../runtime/protocol';
import type { KeyedStateBackend } from '../state/types';
import type { SubtaskRef } from '../plan/executionGraph';
import type { StreamEvent, StreamRecord, VirtualMs } from '../runtime/types';
import { HostedTask, type TaskOutbox, type TaskOutput } from './HostedTask';
import { EMPTY_RECORD_HASH, hashRecord } from './recordHash';

type Step = Promise<void> | undefined;

/** What a collect sink subtask wrote since the last report (commits come from its `takeDelta`). */
export interface SinkRecording {
  /** Slices written since the last report, in order. */
  written: StreamRecord[][];
  /** A region-sharable committer: the region of each slice in `written`. */
  regions: number[];
  hash: number;
}

/** Test-only switches that break checkpointing on purpose, so the oracle suite can show it bites. */
export interface CheckpointSabotage {
  /** Snapshot at the first barrier instead of waiting for every channel's. */
  skipAlignment?: boolean;
  /** Acknowledge before snapshotting (the ack covers less than the checkpoint claims). */
  ackBeforeSnapshot?: boolean;
  /** A restored collect sink keeps what the failed attempt wrote after the checkpoint (it will be written again). */
  reemitAfterRestore?: boolean;
  /** Test only: told after every keyed snapshot and restore (the oracle compares state). */
  observer?: CheckpointObserver;
}

/** Sees keyed state at snapshots and restores (test only). */
export interface CheckpointObserver {
  snapshotted(ref: SubtaskRef, checkpointId: number, backend: KeyedStateBackend): void;
  restored(ref: SubtaskRef, snapshotId: number, backend: KeyedStateBackend): void;
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
  /**
   * Checkpoints are on: a collect sink whose input ended waits for the next completed
   * checkpoint to commit what is left and only then finishes (Flink's final checkpoint).
   */
  commitOnCheckpoint = false;
  private inputEnded = false;
  /** Input channels whose sender went down, not yet handled (`inputChannelDown`). */
  private readonly downChannels: number[] = [];
  private deferredTrigger: { checkpointId: number; checkpointType: 'full' | 'incremental' } | null = null;
  private readonly aligner: BarrierAligner | null;
  private readonly collect: CollectSink | undefined;
  /** A region-sharable committer: the region of each input channel's sender. */
  private regionOfChannel: Int32Array | undefined;

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
    private readonly sabotage: CheckpointSabotage = {},
  ) {
    super(ref, kind, operatorName, outputs, runner.ctx.counters, costScale, outbox);
    this.aligner = gate === null ? null : new BarrierAligner(gate);
    this.collect = asCollectSink(runner.operator);
    const channels = gate?.numberOfChannels ?? 1;
    this.tracker = new WatermarkTracker(channels);
    this.inputIndex = Int32Array.from({ length: channels }, (_, c) => gate?.channelInfo(c).inputIndex ?? 0);
    this.keyed = runner.ctx.keyed !== undefined;
    this.sink = kind === 'collect' ? { written: [], regions: [], hash: EMPTY_RECORD_HASH } : undefined;
  }

  /**
   * Makes this collect sink a region-sharable committer (collectSink.ts): `regionOfChannel[c]`
   * is the region of input channel c's sender. Called once, before the task runs.
   */
  shareRegions(regionOfChannel: Int32Array): void {
    if (this.collect === undefined) throw new Error(`${this.ref.operatorId}#${this.ref.index} is not a collect sink; only a collect sink is region-sharable.`);
    this.regionOfChannel = regionOfChannel;
    this.collect.shareRegions([...new Set(regionOfChannel)]);
  }

  /** Whether this is a region-sharable committer (its deltas are per region). */
  get sharedCommitter(): boolean {
    return this.regionOfChannel !== undefined;
  }

  /**
   * A collect sink's uncommitted records (pre-committed transactions, then the open one), its
   * last commit and output hash: what a new JobManager leader reads back at reconciliation.
   */
  sinkState(): Omit<ReconciledSink, 'operatorId' | 'index'> | undefined {
    const collect = this.collect;
    const sink = this.sink;
    if (collect === undefined || sink === undefined) return undefined;
    const state: Omit<ReconciledSink, 'operatorId' | 'index'> = { committedThrough: collect.committedThrough, pending: collect.output().pending, hash: sink.hash };
    if (collect.isShared) state.regions = collect.regionStates();
    return state;
  }

  /** A collect sink's commits and aborts since the last call (collectSink.ts `takeDelta`). */
  takeSinkDelta(): CollectSinkDelta | undefined {
    return this.collect?.takeDelta();
  }

  /** A region-sharable committer's commits and aborts per region since the last call. */
  takeRegionSinkDeltas(): RegionSinkDelta[] {
    return this.collect?.takeRegionDeltas() ?? [];
  }

  /**
   * A region-sharable committer stays up while region `region` restarts from `snapshotId`:
   * that region's transactions after the snapshot are aborted (collectSink.ts `rewindRegion`).
   */
  rewindRegion(region: number, snapshotId: number): void {
    if (this.state !== 'running' && this.state !== 'finished') return;
    const aborted = this.collect?.rewindRegion(region, snapshotId) ?? 0;
    this.outbox.event({
      virtualTimeMs: this.nowMs, kind: 'committer-region-rewound', operatorId: this.ref.operatorId, subtask: this.ref.index,
      message: `${this.operatorName} stays up while region ${region} restarts from ${snapshotId === 0 ? 'the beginning' : `checkpoint ${snapshotId}`}: ` +
        `${aborted} records it sent since then were aborted (they come again).`,
    });
  }

  /**
   * Restores a freshly built task from its spec (before it runs): keyed state (possibly
   * async), timers and operator state. A collect sink learns what the JobManager's output
   * already committed, so it re-commits only the rest.
   */
  restore(spec: SubtaskRestoreSpec): Promise<void> | undefined {
    const handle = spec.handle;
    // A rescaled subtask restores from every former subtask's handle (cluster/rescale.ts);
    // operator state belongs to one subtask and does not follow a rescale.
    const handles = handle?.rescaledFrom ?? (handle === undefined ? [] : [handle]);
    let operator = handle?.operator;
    if (this.collect !== undefined && this.sabotage.reemitAfterRestore === true) return undefined;
    if (this.collect !== undefined) {
      const saved = (operator ?? { pendingTransactions: [], committedThrough: 0 }) as unknown as CollectSinkSnapshot;
      const restoring: CollectSinkSnapshot = { ...saved, externallyCommittedThrough: spec.committedThrough ?? 0 };
      if (spec.regions !== undefined) restoring.restoreRegions = spec.regions;
      operator = restoring as unknown as typeof operator;
    }
    const restoring = this.runner.restore({
      operator,
      keyed: handles.flatMap((h) => (h.keyed === undefined ? [] : [h.keyed])),
      timers: handles.flatMap((h) => (h.timers === undefined ? [] : [h.timers])),
    });
    const observer = this.sabotage.observer;
    const backend = this.runner.ctx.keyed?.backend;
    if (observer === undefined || backend === undefined) return restoring;
    const tell = (): void => observer.restored(this.ref, spec.snapshotId, backend);
    if (restoring === undefined) {
      tell();
      return undefined;
    }
    return restoring.then(tell);
  }

  /**
   * A trigger here means every upstream subtask finished (checkpoint/topology.ts
   * `triggerTargets`); what they sent may still be on its way, so the snapshot waits for the
   * end of input (Flink: finished inputs count as aligned once their end was read).
   */
  trigger(checkpointId: number, checkpointType: 'full' | 'incremental'): Promise<void> | undefined {
    if (this.state === 'finished' && this.collect !== undefined && this.inputEnded) {
      // A collect sink the completion notified just before this trigger (same tick) let
      // finish: the coordinator chose its targets from the previous tick's reports. It committed
      // everything, so its snapshot is empty; without this ack the checkpoint would wait for it
      // until the timeout, and the other sinks awaiting their final checkpoint with it.
      this.acknowledge(checkpointId, {}, 0, checkpointType);
      return undefined;
    }
    if (this.state !== 'running') return undefined;
    if (this.gate !== null && !this.gate.isFinished()) {
      this.deferredTrigger = { checkpointId, checkpointType };
      return undefined;
    }
    return this.checkpoint(checkpointId, 0, checkpointType);
  }

  override abortCheckpoint(checkpointId: number): void {
    this.aligner?.abort(checkpointId);
    if (this.deferredTrigger !== null && this.deferredTrigger.checkpointId <= checkpointId) this.deferredTrigger = null;
  }

  override notifyCheckpointComplete(checkpointId: number, regions?: readonly { region: number; snapshotId: number }[]): void {
    if (this.state !== 'running' && this.state !== 'finished') return;
    if (this.state === 'finished' && this.collect === undefined) return;
    try {
      if (regions !== undefined && this.collect?.isShared === true) this.collect.commitRegions(regions);
      else this.runner.notifyCheckpointComplete(checkpointId);
      if (this.inputEnded && this.state === 'running' && this.collect?.uncommitted === 0) this.finish();
    } catch (error) {
      this.failWith(error);
    }
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

  /**
   * Approximate local recovery: input channel `channel`'s sender went down (its buffers were
   * discarded). Handled when the task next runs: the channel is idle for the watermark valve
   * (Flink's approximate recovery never holds live tasks' watermarks back for a dead peer; it
   * rejoins once its restarted sender's watermarks catch up) and aligned for the barrier aligner.
   */
  inputChannelDown(channel: number): void {
    this.downChannels.push(channel);
  }

  protected work(): Step {
    if (this.resume !== null) {
      const resume = this.resume;
      this.resume = null;
      const pending = resume();
      if (pending !== undefined) return pending;
    }
    while (this.downChannels.length > 0) {
      const pending = this.onChannelDown(this.downChannels.shift() as number);
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
    const region = this.regionOfChannel?.[item.channel] ?? 0;
    if (this.regionOfChannel !== undefined) this.collect?.route(region);
    this.runner.processSlice(records, timestamps, start, end, input);
    const sink = this.sink;
    if (sink !== undefined) {
      let hash = sink.hash;
      for (let i = start; i < end; i++) hash = hashRecord(hash, records[i] as StreamRecord, timestamps[i] ?? null);
      sink.hash = hash;
      sink.written.push(records.slice(start, end));
      sink.regions.push(region);
    }
    this.flushOutput(end - start);
    return undefined;
  }

  private onEvent(channel: number, event: StreamEvent): Step {
    switch (event.type) {
      case 'watermark': return this.forward(this.tracker.onWatermark(channel, event.timestamp), 0);
      case 'idle': return this.forward(this.tracker.onIdle(channel), 0);
      case 'end-of-partition': {
        const aligned = this.aligner === null ? [] : this.aligner.onEndOfPartition(channel, this.nowMs);
        return this.andThen(this.afterAlignment(aligned, undefined),
          () => this.forward(this.tracker.onEndOfPartition(channel), 0, () => this.endIfDone()));
      }
      case 'barrier': return this.onBarrier(channel, event.checkpointId, event.checkpointType);
    }
  }

  private onChannelDown(channel: number): Step {
    if (this.gate === null || this.gate.isChannelFinished(channel)) return undefined;
    const aligned = this.aligner === null ? [] : this.aligner.onChannelDown(channel, this.nowMs);
    return this.andThen(this.afterAlignment(aligned, undefined), () => this.forward(this.tracker.onIdle(channel), 0));
  }

  private onBarrier(channel: number, checkpointId: number, checkpointType: 'full' | 'incremental' | undefined): Step {
    if (this.aligner === null || this.sabotage.skipAlignment === true) {
      if (this.aligner !== null && checkpointId <= this.aligner.latestCheckpointId) return undefined;
      if (this.aligner !== null) this.aligner.abort(checkpointId);
      return this.checkpoint(checkpointId, 0, checkpointType);
    }
    return this.afterAlignment(this.aligner.onBarrier(channel, checkpointId, this.nowMs), checkpointType);
  }

  private afterAlignment(events: readonly AlignmentEvent[], checkpointType: 'full' | 'incremental' | undefined): Step {
    for (const event of events) {
      if (event.kind === 'aligned') return this.checkpoint(event.checkpointId, event.alignmentMs, checkpointType);
    }
    return undefined;
  }

  /**
   * Snapshot, then the barrier downstream, then the ack (see the module comment). A promise
   * when the keyed backend seals asynchronously; the task waits for it before reading on.
   */
  private checkpoint(checkpointId: number, alignmentMs: number, checkpointType: 'full' | 'incremental' | undefined): Step {
    if (this.sabotage.ackBeforeSnapshot === true) this.acknowledge(checkpointId, {}, alignmentMs, checkpointType);
    const finish = (snapshot: SubtaskStateSnapshot): undefined => {
      const backend = this.runner.ctx.keyed?.backend;
      if (backend !== undefined) this.sabotage.observer?.snapshotted(this.ref, checkpointId, backend);
      this.emitEvent(checkpointType === undefined ? { type: 'barrier', checkpointId } : { type: 'barrier', checkpointId, checkpointType });
      if (this.sabotage.ackBeforeSnapshot === true) return undefined;
      const handle: SubtaskSnapshotHandle = {};
      if (snapshot.operator !== undefined) handle.operator = snapshot.operator;
      if (snapshot.keyed !== undefined) handle.keyed = snapshot.keyed;
      if (snapshot.timers !== undefined) handle.timers = snapshot.timers;
      this.acknowledge(checkpointId, handle, alignmentMs, checkpointType);
      return undefined;
    };
    const snapshot = this.runner.snapshot(checkpointId);
    if (!(snapshot instanceof Promise)) return finish(snapshot);
    let taken: SubtaskStateSnapshot | undefined;
    return this.park(snapshot.then((s) => {
      taken = s;
    }), () => finish(taken as SubtaskStateSnapshot));
  }

  /** Applies the tracker's output events from `from` on, then `after`. */
  private forward(events: readonly StreamEvent[], from: number, after?: () => Step): Step {
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
    return after?.();
  }

  private applyWatermark(timestamp: VirtualMs): void {
    this.runner.processWatermark(timestamp);
    this.flushOutput(0);
    this.emitEvent({ type: 'watermark', timestamp });
  }

  private endIfDone(): Step {
    if (this.gate !== null && !this.gate.isFinished()) return undefined;
    this.runner.endInput();
    this.flushOutput(0);
    // A trigger that came while input was still arriving covers everything up to the end.
    const trigger = this.deferredTrigger;
    this.deferredTrigger = null;
    return this.andThen(trigger === null ? undefined : this.checkpoint(trigger.checkpointId, 0, trigger.checkpointType), () => {
      this.emitEvent({ type: 'end-of-partition' });
      this.inputEnded = true;
      if (this.collect !== undefined && this.commitOnCheckpoint) {
        // Waits, running, for a checkpoint triggered here (its inputs ended) to commit the rest.
        this.stoppedBy = 'idle';
        return undefined;
      }
      this.collect?.commitAll();
      this.finish();
      return undefined;
    });
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

  /** Runs `next` after `step`, which may have parked (then `next` joins its continuation). */
  private andThen(step: Step, next: () => Step): Step {
    if (step === undefined) return next();
    const first = this.resume;
    this.resume = () => this.andThen(first === null ? undefined : first(), next);
    return step;
  }

  private park(pending: Promise<void>, continuation: () => Step): Promise<void> {
    this.resume = continuation;
    return pending;
  }
}
