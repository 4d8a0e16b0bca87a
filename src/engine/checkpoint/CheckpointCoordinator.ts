/**
 * The checkpoint coordinator of the JobManager (Flink `CheckpointCoordinator` with its
 * `CheckpointRequestDecider` and `CheckpointFailureManager`), as a pure state machine driven
 * by virtual time: every method takes the facts (a tick started, an ack arrived, a task died)
 * and returns the decisions for the JobManager to carry out (`CheckpointDecision`). It never
 * reads a clock and never sends anything itself.
 *
 * Triggering (`onTick`): a periodic checkpoint starts when the interval is due, fewer than
 * `maxConcurrent` are in flight and `minPauseMs` passed since the last one ended. Barriers are
 * injected at the running subtasks all of whose inputs are finished (the sources, normally).
 * Global mode does not trigger while a subtask is down (Flink: "not all required tasks are
 * running"); regional mode triggers and fails the down subtasks' regions at once.
 *
 * Ending: global mode aborts a checkpoint on the first failure (Flink). Regional mode (seed 2)
 * fails only the regions concerned (timeout, decline / `fail-checkpoint`, dead task); the
 * checkpoint completes once every region is acknowledged, failed or finished, with each
 * failed or finished region mapped to its latest successful snapshot, unless
 * `failedRegions / regions >= regionalFailureThreshold` or no region acknowledged, which fail
 * it as a whole.
 *
 * Failure counting: failures whose reason is in COUNTED_FAILURE_REASONS count in a row; a
 * completed checkpoint resets the count. In regional mode every region also counts its own
 * failures in a row, so a region that never manages a snapshot fails the job too instead of
 * ageing its mapping forever. Past `tolerableConsecutiveFailures`: a `fail-job` decision whose
 * cause is the last checkpoint failure.
 */
import { subtaskKey, type SubtaskRef } from '../plan/executionGraph';
import type { FailureInfo } from '../runtime/telemetry';
import type { VirtualMs } from '../runtime/types';
import { CheckpointHistory } from './CheckpointHistory';
import { CheckpointIdCounter } from './CheckpointIdCounter';
import { CompletedCheckpointStore, type CheckpointStoreState } from './CompletedCheckpointStore';
import { PendingCheckpoint } from './PendingCheckpoint';
import { inPlanOrder, regionsOfSubtask, triggerTargets, type CheckpointTopology } from './topology';
import {
  COUNTED_FAILURE_REASONS, DEFAULT_CHECKPOINT_CONFIG,
  type CheckpointConfig, type CheckpointDecision, type CheckpointFailure, type CheckpointStats, type CheckpointSummary,
  type CompletedCheckpoint, type RegionOutcome, type SubtaskAck, type SubtaskRestorePoint,
} from './types';
import { checkCheckpointConfig } from './config';

/** Ports and restored state. */
export interface CoordinatorOptions<H> {
  /** Id source; pass one restored from persisted metadata so ids never repeat. */
  idCounter?: CheckpointIdCounter;
  /** Completed checkpoints to start from (reload, JobManager failover). */
  restored?: CheckpointStoreState<H>;
  /** The history to go on with (a rescale keeps the run's checkpoint statistics). */
  history?: CheckpointHistory;
}

/** What a manual trigger did. */
export type ManualTriggerResult =
  | { ok: true; checkpointId: number; decisions: CheckpointDecision[] }
  | { ok: false; reason: 'too-many-concurrent' | 'no-running-tasks' | 'tasks-down'; decisions: CheckpointDecision[] };

/** See the module comment. */
export class CheckpointCoordinator<H = unknown> {
  readonly config: CheckpointConfig;
  private readonly ids: CheckpointIdCounter;
  private readonly store: CompletedCheckpointStore<H>;
  /** The statistics (handed on to the coordinator of a rescaled plan). */
  readonly history: CheckpointHistory;
  private readonly pending = new Map<number, PendingCheckpoint<H>>();
  private readonly finished = new Set<string>();
  private readonly down = new Set<string>();
  /** `fail-checkpoint` faults waiting for the next checkpoint (no checkpoint was in flight). */
  private readonly armedRegionFailures = new Map<number, string>();
  private readonly regionFailuresInRow = new Map<number, number>();
  /** Regional mode: regions whose abort was already announced, per checkpoint in flight. */
  private readonly reportedRegionAborts = new Map<number, Set<number>>();
  private failuresInRow = 0;
  private nextPeriodicMs: VirtualMs;
  private lastEndMs: VirtualMs = Number.NEGATIVE_INFINITY;
  private jobFailed = false;

  /** @throws RangeError on an impossible config. */
  constructor(config: Partial<CheckpointConfig>, readonly topology: CheckpointTopology, options: CoordinatorOptions<H> = {}) {
    this.config = checkCheckpointConfig({ ...DEFAULT_CHECKPOINT_CONFIG, ...config });
    this.ids = options.idCounter ?? new CheckpointIdCounter();
    this.history = options.history ?? new CheckpointHistory();
    this.store = new CompletedCheckpointStore<H>(topology, this.config.retained);
    if (options.restored !== undefined) {
      this.store.importState(options.restored);
      const latest = this.store.latest();
      if (latest !== undefined) this.ids.advanceTo(latest.id + 1);
    }
    this.nextPeriodicMs = this.config.initialDelayMs ?? this.config.intervalMs;
  }

  /** Ids of checkpoints in flight, ascending. */
  get pendingIds(): number[] {
    return [...this.pending.keys()].sort((a, b) => a - b);
  }

  /**
   * The earliest virtual time a periodic trigger may happen (Infinity with periodic
   * checkpoints off); hosts that run several ticks per round trip end a round before it.
   */
  get nextTriggerMs(): VirtualMs {
    if (this.config.intervalMs <= 0 || this.jobFailed) return Number.POSITIVE_INFINITY;
    return Math.max(this.nextPeriodicMs, this.lastEndMs + this.config.minPauseMs);
  }

  /** The id the next trigger will use. */
  get nextCheckpointId(): number {
    return this.ids.next;
  }

  /** Tick start: expire overdue checkpoints, then trigger a periodic one when due. */
  onTick(nowMs: VirtualMs): CheckpointDecision[] {
    const decisions = this.expire(nowMs);
    if (this.config.intervalMs > 0 && !this.jobFailed && nowMs >= this.nextPeriodicMs &&
        nowMs >= this.lastEndMs + this.config.minPauseMs && this.pending.size < this.config.maxConcurrent) {
      const started = this.start(nowMs, decisions);
      if (started !== 'tasks-down') this.nextPeriodicMs = nowMs + this.config.intervalMs;
    }
    return decisions;
  }

  /** A manual trigger (`triggerCheckpoint()`): ignores the interval and the pause, not `maxConcurrent`. */
  triggerNow(nowMs: VirtualMs): ManualTriggerResult {
    const decisions = this.expire(nowMs);
    if (this.pending.size >= this.config.maxConcurrent) return { ok: false, reason: 'too-many-concurrent', decisions };
    const started = this.start(nowMs, decisions);
    if (typeof started === 'number') return { ok: true, checkpointId: started, decisions };
    return { ok: false, reason: started, decisions };
  }

  /** A subtask's ack (Flink `receiveAcknowledgeMessage`); late acks of ended checkpoints are dropped. */
  acknowledge(ack: SubtaskAck<H>, nowMs: VirtualMs): CheckpointDecision[] {
    const pending = this.pending.get(ack.checkpointId);
    if (pending === undefined) {
      if (ack.checkpointId >= this.ids.next) throw new Error(`Ack for checkpoint ${ack.checkpointId}, which was never triggered.`);
      return [];
    }
    pending.acknowledge(ack, nowMs);
    this.history.update(pending);
    return this.settle(pending, nowMs);
  }

  /** A subtask declined a checkpoint (its snapshot failed). */
  decline(checkpointId: number, subtask: SubtaskRef, message: string, nowMs: VirtualMs): CheckpointDecision[] {
    const pending = this.pending.get(checkpointId);
    if (pending === undefined) return [];
    pending.failSubtask(subtask, { reason: 'declined', message, subtask });
    return this.settle(pending, nowMs);
  }

  /**
   * The `fail-checkpoint` fault: the region fails every checkpoint in flight, or the next one
   * when none is.
   */
  failRegion(region: number, message: string, nowMs: VirtualMs): CheckpointDecision[] {
    if (!this.topology.regions.some((r) => r.id === region)) throw new RangeError(`Region ${region} does not exist.`);
    if (this.pending.size === 0) {
      this.armedRegionFailures.set(region, message);
      return [];
    }
    const decisions: CheckpointDecision[] = [];
    for (const pending of this.inFlight()) {
      pending.failRegion(region, { reason: 'declined', message });
      decisions.push(...this.settle(pending, nowMs));
    }
    return decisions;
  }

  /** A subtask died: it is down until `onSubtaskRestarted`; checkpoints waiting for it lose its regions. */
  onSubtaskFailed(subtask: SubtaskRef, nowMs: VirtualMs, message = 'the task failed'): CheckpointDecision[] {
    this.down.add(subtaskKey(subtask));
    const decisions: CheckpointDecision[] = [];
    for (const pending of this.inFlight()) {
      pending.failSubtask(subtask, { reason: 'task-failure', message, subtask });
      decisions.push(...this.settle(pending, nowMs));
    }
    return decisions;
  }

  /**
   * A failover restarts `restarted` (or everything): checkpoints in flight lose the regions
   * involved (global mode: abort). Call it when the restart is decided, before redeploying.
   */
  onFailover(restarted: readonly SubtaskRef[] | 'all', nowMs: VirtualMs): CheckpointDecision[] {
    const refs = restarted === 'all' ? this.topology.subtasks : restarted;
    const regions = new Set(refs.flatMap((ref) => regionsOfSubtask(this.topology, ref)));
    const decisions: CheckpointDecision[] = [];
    for (const pending of this.inFlight()) {
      for (const region of regions) pending.failRegion(region, { reason: 'failover', message: 'the region restarts' });
      decisions.push(...this.settle(pending, nowMs));
    }
    return decisions;
  }

  /** The subtask runs again (redeployed after a failover). */
  onSubtaskRestarted(subtask: SubtaskRef): void {
    this.down.delete(subtaskKey(subtask));
    this.finished.delete(subtaskKey(subtask));
  }

  /** The subtask finished (bounded input): later checkpoints do not wait for it. */
  onSubtaskFinished(subtask: SubtaskRef): void {
    this.finished.add(subtaskKey(subtask));
  }

  /** The latest completed checkpoint, or undefined before the first. */
  latestCompleted(): CompletedCheckpoint | undefined {
    return this.store.latest();
  }

  /** Retained completed checkpoints, oldest first. */
  completedCheckpoints(): readonly CompletedCheckpoint[] {
    return this.store.all();
  }

  /** What every subtask restores from, from the latest completed checkpoint (full failover, rescale, reload). */
  restoreAll(): SubtaskRestorePoint<H>[] {
    return this.store.restoreAll();
  }

  /** What one region's members restore from (region failover): the region's latest (regional) snapshot. */
  restoreRegion(region: number): SubtaskRestorePoint<H>[] {
    return this.store.restoreRegion(region);
  }

  /** What one subtask restores from (approximate local recovery). */
  restoreSubtask(subtask: SubtaskRef): SubtaskRestorePoint<H> {
    return this.store.restorePoint(subtask);
  }

  /** Checkpoint ids retained checkpoints still need (state GC), ascending. */
  referencedCheckpointIds(): number[] {
    return this.store.referencedCheckpointIds();
  }

  /** Snapshots older than this id may be released. */
  releasableBefore(): number {
    return this.store.releasableBefore();
  }

  /** History rows, oldest first. */
  stats(): CheckpointStats[] {
    return this.history.list();
  }

  /** The history's summary. */
  summary(): CheckpointSummary {
    return this.history.summary();
  }

  /** Completed checkpoints and their snapshots, plus the next id: persist this. */
  exportState(): { nextCheckpointId: number; store: CheckpointStoreState<H> } {
    return { nextCheckpointId: this.ids.next, store: this.store.exportState() };
  }

  private isRunning = (ref: SubtaskRef): boolean => !this.finished.has(subtaskKey(ref)) && !this.down.has(subtaskKey(ref));
  private isFinished = (ref: SubtaskRef): boolean => this.finished.has(subtaskKey(ref));

  private inFlight(): PendingCheckpoint<H>[] {
    return this.pendingIds.map((id) => this.pending.get(id) as PendingCheckpoint<H>);
  }

  /** Starts a checkpoint; pushes its decisions. @returns its id, or why it could not start. */
  private start(nowMs: VirtualMs, decisions: CheckpointDecision[]): number | 'no-running-tasks' | 'tasks-down' {
    if (this.config.mode === 'global' && this.down.size > 0) return 'tasks-down';
    const sources = triggerTargets(this.topology, this.isRunning, this.isFinished);
    if (sources.length === 0) return 'no-running-tasks';
    const id = this.ids.take();
    const pending = new PendingCheckpoint<H>(id, nowMs, this.config.type, this.topology,
      (ref) => !this.finished.has(subtaskKey(ref)));
    this.pending.set(id, pending);
    this.history.started(pending);
    decisions.push({ kind: 'trigger', checkpointId: id, timestampMs: nowMs, checkpointType: this.config.type, sources });
    for (const key of [...this.down].sort()) {
      const ref = this.topology.subtasks.find((s) => subtaskKey(s) === key);
      if (ref !== undefined) pending.failSubtask(ref, { reason: 'task-failure', message: 'the task is down', subtask: ref });
    }
    for (const [region, message] of [...this.armedRegionFailures].sort((a, b) => a[0] - b[0])) {
      pending.failRegion(region, { reason: 'declined', message });
    }
    this.armedRegionFailures.clear();
    decisions.push(...this.settle(pending, nowMs));
    return id;
  }

  private expire(nowMs: VirtualMs): CheckpointDecision[] {
    const decisions: CheckpointDecision[] = [];
    for (const pending of this.inFlight()) {
      if (nowMs < pending.triggerMs + this.config.timeoutMs) continue;
      pending.failPending({ reason: 'expired', message: `not acknowledged within ${this.config.timeoutMs} ms` });
      decisions.push(...this.settle(pending, nowMs));
    }
    return decisions;
  }

  /** Decides what a change to `pending` means: region aborts, completion, or a whole abort. */
  private settle(pending: PendingCheckpoint<H>, nowMs: VirtualMs): CheckpointDecision[] {
    if (!this.pending.has(pending.id)) return [];
    const failedRegions = pending.regionsWith('failed');
    const regionCount = this.topology.regions.length;
    if (this.config.mode === 'global') {
      const failure = pending.firstFailure();
      if (failure !== undefined) return this.abortWhole(pending, failure, nowMs);
    } else if (failedRegions.length > 0 &&
        (failedRegions.length / regionCount >= this.config.regionalFailureThreshold ||
         (pending.resolved && pending.regionsWith('acknowledged').length === 0))) {
      return this.abortWhole(pending, this.regionalFailure(pending, failedRegions), nowMs);
    }
    const decisions = this.regionAborts(pending, failedRegions);
    if (pending.resolved) decisions.push(...this.complete(pending, nowMs));
    return decisions;
  }

  /** Regional mode: one abort per newly failed region, so its members cancel alignment. */
  private regionAborts(pending: PendingCheckpoint<H>, failedRegions: number[]): CheckpointDecision[] {
    const reported = this.reportedRegionAborts.get(pending.id) ?? new Set<number>();
    this.reportedRegionAborts.set(pending.id, reported);
    const decisions: CheckpointDecision[] = [];
    for (const region of failedRegions) {
      if (reported.has(region)) continue;
      reported.add(region);
      const failure = pending.outcomes().find((o) => o.region === region)?.failure ?? { reason: 'declined', message: 'failed' };
      decisions.push({ kind: 'abort', checkpointId: pending.id, whole: false, regions: [region], subtasks: pending.members([region]), failure });
    }
    return decisions;
  }

  private regionalFailure(pending: PendingCheckpoint<H>, failedRegions: number[]): CheckpointFailure {
    const first = pending.firstFailure() as CheckpointFailure;
    const counted = pending.outcomes().some((o) => o.failure !== undefined && COUNTED_FAILURE_REASONS.has(o.failure.reason));
    if (!counted) return first;
    return {
      reason: 'too-many-failed-regions',
      message: `${failedRegions.length} of ${this.topology.regions.length} regions failed (regions ${failedRegions.join(', ')}); first: ${first.message}`,
    };
  }

  private abortWhole(pending: PendingCheckpoint<H>, failure: CheckpointFailure, nowMs: VirtualMs): CheckpointDecision[] {
    this.end(pending, nowMs);
    this.history.failed(pending, nowMs, failure);
    const regions = this.topology.regions.map((r) => r.id);
    const decisions: CheckpointDecision[] = [{
      kind: 'abort', checkpointId: pending.id, whole: true, regions, subtasks: pending.members(regions), failure,
    }];
    if (COUNTED_FAILURE_REASONS.has(failure.reason)) {
      this.failuresInRow++;
      if (this.failuresInRow > this.config.tolerableConsecutiveFailures) {
        decisions.push(this.failJob(`${this.failuresInRow} checkpoints failed in a row`, pending.id, failure));
      }
    }
    return decisions;
  }

  private complete(pending: PendingCheckpoint<H>, nowMs: VirtualMs): CheckpointDecision[] {
    this.end(pending, nowMs);
    const regions: RegionOutcome[] = pending.outcomes().map((outcome) => ({
      ...outcome,
      snapshotId: outcome.status === 'acknowledged' ? pending.id : this.store.latestSnapshotOf(outcome.region),
    }));
    let stateSize = 0;
    let changedSize = 0;
    for (const ack of pending.acks.values()) {
      stateSize += ack.stateSize;
      changedSize += ack.changedSize;
    }
    const checkpoint: CompletedCheckpoint = {
      id: pending.id, type: pending.type, mode: this.config.mode, triggerMs: pending.triggerMs, completedMs: nowMs,
      regions, stateSize, changedSize,
    };
    this.store.add(checkpoint, pending.acks);
    this.history.completed(pending, nowMs, regions);
    const decisions: CheckpointDecision[] = [];
    for (const older of this.inFlight().filter((p) => p.id < pending.id)) {
      decisions.push(...this.abortWhole(older, { reason: 'subsumed', message: `checkpoint ${pending.id} completed first` }, nowMs));
    }
    this.failuresInRow = 0;
    const acknowledged = pending.regionsWith('acknowledged');
    decisions.push({ kind: 'notify-complete', checkpointId: pending.id, subtasks: inPlanOrder(this.topology, pending.members(acknowledged)), checkpoint });
    decisions.push(...this.countRegionFailures(pending, regions));
    return decisions;
  }

  private countRegionFailures(pending: PendingCheckpoint<H>, regions: readonly RegionOutcome[]): CheckpointDecision[] {
    for (const outcome of regions) {
      if (outcome.status === 'acknowledged') this.regionFailuresInRow.set(outcome.region, 0);
      if (outcome.failure === undefined || !COUNTED_FAILURE_REASONS.has(outcome.failure.reason)) continue;
      const count = (this.regionFailuresInRow.get(outcome.region) ?? 0) + 1;
      this.regionFailuresInRow.set(outcome.region, count);
      if (count > this.config.tolerableConsecutiveFailures) {
        return [this.failJob(`region ${outcome.region} failed ${count} checkpoints in a row`, pending.id, outcome.failure)];
      }
    }
    return [];
  }

  private end(pending: PendingCheckpoint<H>, nowMs: VirtualMs): void {
    this.pending.delete(pending.id);
    this.reportedRegionAborts.delete(pending.id);
    this.lastEndMs = nowMs;
  }

  private failJob(what: string, checkpointId: number, failure: CheckpointFailure): CheckpointDecision {
    this.jobFailed = true;
    const cause: FailureInfo = { code: `checkpoint.${failure.reason}`, message: `Checkpoint ${checkpointId}: ${failure.message}` };
    if (failure.subtask !== undefined) {
      cause.operatorId = failure.subtask.operatorId;
      cause.subtask = failure.subtask.index;
    }
    return {
      kind: 'fail-job',
      failure: {
        code: 'checkpoint.tolerableFailuresExceeded',
        message: `Checkpointing failed: ${what}, more than the ${this.config.tolerableConsecutiveFailures} tolerated. ` +
          'Raise the tolerable failures, lengthen the checkpoint timeout, or fix what makes snapshots fail.',
        cause,
      },
    };
  }
}
