/**
 * The JobManager's state and what recovery does to it, under JobManagerCore (which adds the
 * tick protocol, faults and queries on top): the run's facts (plan, clock, metrics, sink
 * output, events, checkpoints, attempts), failovers and their restarts and restores, lost
 * TaskManagers and their replacements, approximate recovery's channel resets, and JobManager
 * HA — the snapshot a successor needs and the takeover (onReconciled). See JobManagerCore.ts
 * for the protocol and the determinism rules.
 */
import { CATALOGUE } from '../job/catalogue';
import { subtaskKey, type ExecutionGraph, type SubtaskRef } from '../plan/executionGraph';
import {
  PROTOCOL_VERSION,
  type DeployedMessage, type DeployMessage, type PeerBatch, type ReconciledMessage, type ReconciledSink, type ReconcileMessage,
  type SubtaskPlacement, type SubtaskRestoreSpec, type TaskManagerCommand, type TickDoneMessage,
} from '../runtime/protocol';
import type { RunConfig } from '../runtime/runConfig';
import type { FailureInfo, RunEvent, RunEventKind } from '../runtime/telemetry';
import { TraceHasher } from '../runtime/traceHash';
import type { JobGraph } from '../job/types';
import type { VirtualMs } from '../runtime/types';
import { CheckpointHistory } from '../checkpoint/CheckpointHistory';
import { CleanupLedger } from '../checkpoint/inspectRetention';
import { CheckpointDriver, type CheckpointMetadata, type DriverOutput } from './CheckpointDriver';
import { failedSubtasks, lostMemoryState, type FailureFacts } from './failedSubtasks';
import { RecoveryDriver } from './RecoveryDriver';
import { ApproximateRecovery } from './approximateRecovery';
import { addRestorePoints, notifyRegions, SharedCommitterRecovery } from './sharedCommitters';
import { chainedEdges } from '../plan/chaining';
import { jobIdOf } from './jobId';
import { RunEventLog } from './RunEventLog';
import { RunMetrics } from './RunMetrics';
import { SinkOutputs } from './SinkOutputs';
import { StateMetricsBoard } from './StateMetricsBoard';
import { SNAPSHOT_FORMAT, type HaStoreKind, type JobManagerSnapshot, type LeaderChange, type TakeoverSabotage } from '../ha/types';
import { reconciledFacts, takenOverSinks, takeoverCheckpointCommands, takeoverEvents } from './jobManagerTakeover';

/** Where the run stands, as far as the JobManager decides it (pacing is the host's). */
export type RunOutcome = 'deploying' | 'running' | 'finished' | 'failed' | 'stopped';

/** The plan a JobManager runs (an accepted `planRun`). */
export interface AcceptedPlan {
  job: JobGraph;
  config: RunConfig;
  graph: ExecutionGraph;
  placement: SubtaskPlacement[];
}


/** How the host keeps state when a TaskManager is lost. */
export interface JobManagerOptions {
  /**
   * Whether memory-backend state survives the loss of a TaskManager (in-process TaskManagers
   * share one memory storage; a worker's heap dies with it). Default true.
   */
  memoryStateSurvivesLoss?: boolean;
  /**
   * Go on from where another JobManager of the same job stopped (a rescale, cluster/rescale.ts):
   * its clock, events, trace, committed output and checkpoints; every subtask is deployed
   * waiting and restored from the latest completed checkpoint with the first tick.
   */
  resume?: JobManagerHandOver & { message: string; eventKind?: RunEventKind };
  /** The leadership epoch this JobManager runs as (HA, src/engine/ha), stamped on what it sends. Default 0. */
  epoch?: number;
  /** Its name as a leader (HA), e.g. `jobmanager-2`. */
  leaderName?: string;
  /**
   * Taking over a running job from a leader that died (jobManagerTakeover.ts): state from its
   * snapshot; the TaskManagers' `reconcile` answers (`onReconciled`) complete it.
   */
  takeover?: TakeOverSpec;
}

/** Where a new leader's view of the job comes from. */
export interface TakeOverSpec {
  snapshot: JobManagerSnapshot;
  leader: string;
  recoveredFrom: HaStoreKind;
  reason: string;
  snapshotVersion: number;
  /** Which store elected the new leader. */
  electedBy: HaStoreKind;
  /** The leader that was lost. */
  lostLeader: string;
  /** Test only: a takeover broken on purpose (the oracle suite must catch it). */
  sabotage?: TakeoverSabotage;
}

/** What a JobManager hands on to the JobManager of a rescaled plan (`handOver`). */
export interface JobManagerHandOver {
  tick: number;
  virtualTimeMs: VirtualMs;
  /** Checkpoint metadata for the new plan's topology (rescale.ts `rescaleCheckpoint`). */
  checkpoints: CheckpointMetadata;
  history: CheckpointHistory;
  hasher: TraceHasher;
  eventLog: RunEventLog;
  sinks: SinkOutputs;
  /** JobManager failovers so far (a rescale or drain is no leader change, so they carry on). */
  leaderChanges?: LeaderChange[];
}

/** Events an HA snapshot carries to a successor (the most recent). */
const SNAPSHOT_EVENTS = 200;

export abstract class JobManagerRecovery {
  /** The job's stable id (jobId.ts): names its state storage. */
  readonly jobId: string;
  readonly job: JobGraph;
  readonly config: RunConfig;
  readonly graph: ExecutionGraph;
  readonly placement: readonly SubtaskPlacement[];
  protected outcomeValue: RunOutcome = 'deploying';
  protected failureValue: FailureInfo | undefined;
  protected tick = 0;
  protected processedMs: VirtualMs = 0;
  protected readonly metricsValue: RunMetrics;
  protected readonly stateBoard: StateMetricsBoard;
  protected sinks: SinkOutputs;
  protected readonly hasher: TraceHasher;
  protected readonly eventLog: RunEventLog;
  /** Set until the first tick of a resumed JobManager restores every subtask. */
  protected resumeMessage: string | undefined;
  protected commands: TaskManagerCommand[][];
  protected faultEvents: RunEvent[] = [];
  protected routed: PeerBatch[][];
  protected readonly alive: boolean[];
  protected readonly hostedCount: number[];
  protected readonly pendingLoss: number[] = [];
  /** Why a TaskManager in `pendingLoss` was lost, when not by kill-taskmanager (a crash between ticks). */
  protected readonly lossCauses = new Map<number, FailureInfo>();
  protected readonly sinkIds: ReadonlySet<string>;
  protected readonly checkpoints: CheckpointDriver;
  protected readonly cleanups = new CleanupLedger((operatorId, index) => this.metricsValue.positionOf(operatorId, index));
  protected readonly recovery: RecoveryDriver;
  protected readonly tmByKey: Map<string, number>;
  protected readonly keyedOperators: ReadonlySet<string>;
  /** TaskManagers replaced for the restart in waiting. */
  protected readonly replaced = new Set<number>();
  /** `failover: 'approximate'`: channel resets and records lost (approximateRecovery.ts). */
  protected readonly approximate: ApproximateRecovery | undefined;
  /** HA: the leadership epoch, execution attempts (plan order), leader changes, and whether the snapshot must be written. */
  readonly epoch: number;
  protected readonly attempts: number[];
  protected readonly leaderChanges: LeaderChange[];
  protected haDirtyValue = true;
  /** `failover: 'region'` with region-sharable committers: they stay up (sharedCommitters.ts). */
  protected readonly sharedCommitters: SharedCommitterRecovery | undefined;
  protected readonly isFinished = (ref: SubtaskRef): boolean =>
    this.metricsValue.snapshotStates()[this.metricsValue.positionOf(ref.operatorId, ref.index)] === 'finished';

  constructor(plan: AcceptedPlan, private readonly options: JobManagerOptions = {}) {
    this.job = plan.job;
    this.jobId = jobIdOf(plan.job);
    this.config = plan.config;
    this.graph = plan.graph;
    this.placement = plan.placement;
    const n = plan.config.taskManagers;
    this.metricsValue = new RunMetrics(plan.graph, plan.placement, plan.config.slotsPerTaskManager, { taskManagers: n, drained: plan.config.drainedTaskManagers });
    this.metricsValue.setTaskManagerCount(n);
    this.stateBoard = new StateMetricsBoard(plan.job, plan.graph, plan.placement, plan.config.stateBackend);
    const resume = options.resume;
    const takeover = options.takeover?.snapshot;
    this.epoch = options.epoch ?? 0;
    this.hasher = resume?.hasher ?? new TraceHasher();
    this.eventLog = resume?.eventLog ?? new RunEventLog(this.hasher);
    this.sinks = resume?.sinks ?? new SinkOutputs(plan.job);
    this.attempts = takeover?.attempts.slice() ?? new Array<number>(plan.graph.subtasks.length).fill(0);
    this.leaderChanges = takeover?.leaderChanges.slice() ?? resume?.leaderChanges?.slice() ?? [];
    if (resume !== undefined) {
      this.tick = resume.tick;
      this.processedMs = resume.virtualTimeMs;
      this.resumeMessage = resume.message;
    }
    if (takeover !== undefined) {
      // The trace goes on from the predecessor's (its own state cannot cross workers).
      this.hasher.add({ takeover: { from: takeover.traceHash, epoch: this.epoch } });
      this.eventLog.seed(takeover.events);
      this.tick = takeover.tick;
      this.processedMs = takeover.virtualTimeMs;
    }
    this.sinkIds = new Set(plan.job.operators.filter((op) => op.kind === 'collect').map((op) => op.id));
    this.commands = Array.from({ length: n }, () => []);
    this.routed = Array.from({ length: n }, () => []);
    this.alive = takeover?.alive.slice() ?? Array.from({ length: n }, () => true);
    this.hostedCount = Array.from({ length: n }, (_, tm) => plan.placement.filter((p) => p.taskManager === tm).length);
    this.tmByKey = new Map(plan.placement.map((p) => [subtaskKey(p), p.taskManager]));
    const tmOf = (ref: { operatorId: string; index: number }): number => this.tmByKey.get(subtaskKey(ref)) ?? 0;
    const history = resume?.history ?? (takeover?.checkpointHistory === undefined ? undefined : CheckpointHistory.fromState(takeover.checkpointHistory));
    this.checkpoints = new CheckpointDriver(plan.job, plan.graph, plan.config, tmOf, resume?.checkpoints ?? takeover?.checkpoints, history);
    this.metricsValue.setVirtualTime(this.processedMs);
    this.recovery = new RecoveryDriver(plan.config, this.checkpoints.topology);
    if (takeover !== undefined) this.recovery.importReports(takeover.recoveries);
    if (plan.config.failover === 'approximate') {
      this.approximate = new ApproximateRecovery(plan.graph, plan.config.chaining ? chainedEdges(plan.job, plan.graph) : new Set());
    }
    this.keyedOperators = new Set(plan.job.operators.filter((op) => CATALOGUE[op.kind].category === 'keyed').map((op) => op.id));
    this.sharedCommitters = SharedCommitterRecovery.of(plan.graph, this.checkpoints.topology, plan.config.failover);
  }

  /** Its name as a leader (HA). */
  get leaderName(): string | undefined {
    return this.options.takeover?.leader ?? this.options.leaderName;
  }

  /** Whether a fact the HA snapshot holds changed since it was last written (HA, src/engine/ha). */
  get haSnapshotDue(): boolean {
    return this.haDirtyValue && this.outcomeValue !== 'deploying';
  }

  /**
   * The ExecutionGraph snapshot for the HA stores (what a successor cannot learn from the
   * TaskManagers); clears `haSnapshotDue`. `sequence` is the leaders' write counter.
   */
  haSnapshot(sequence: number): JobManagerSnapshot {
    this.haDirtyValue = false;
    return {
      format: SNAPSHOT_FORMAT, jobId: this.jobId, job: this.job, config: this.config, placement: [...this.placement],
      epoch: this.epoch, sequence, tick: this.tick, virtualTimeMs: this.processedMs,
      checkpoints: this.checkpoints.coordinator.exportState(), sinks: this.sinks.exportCommitted(),
      checkpointHistory: this.checkpoints.coordinator.history.exportState(),
      attempts: [...this.attempts], alive: [...this.alive], recoveries: this.recovery.list(),
      events: this.eventLog.events().slice(-SNAPSHOT_EVENTS), traceHash: this.hasher.digest(), leaderChanges: [...this.leaderChanges],
    };
  }

  /** Leader changes so far, oldest first. */
  leaderHistory(): LeaderChange[] {
    return this.leaderChanges.map((c) => ({ ...c }));
  }

  /** What a new leader sends every live TaskManager before anything else. */
  reconcileMessage(): ReconcileMessage {
    return { type: 'reconcile', epoch: this.epoch };
  }

  /**
   * The live TaskManagers' answers to `reconcile` (a takeover): adopts their subtasks as they
   * run — tick, attempts, sink output, what the old leader never read — aborts the checkpoints
   * it left in flight, re-sends the latest completion to sinks that missed it, and goes on.
   * Nothing restarts unless a report the old leader never read says a subtask failed.
   */
  onReconciled(answers: readonly ReconciledMessage[]): void {
    const spec = this.options.takeover;
    if (spec === undefined) throw new Error('onReconciled is for a JobManager taking over (options.takeover).');
    const facts = reconciledFacts(this.graph, answers, spec.sabotage);
    if (facts.problem !== undefined) {
      this.fail({ code: 'ha.reconcile', message: `The new JobManager could not adopt the running tasks: ${facts.problem}.` }, this.processedMs);
      return;
    }
    const tickMs = this.config.tickMs;
    this.processedMs = spec.snapshot.virtualTimeMs + (facts.lastTick + 1 - spec.snapshot.tick) * tickMs;
    this.tick = facts.lastTick + 1;
    this.metricsValue.setVirtualTime(this.processedMs);
    this.sinks = takenOverSinks(this.job, this.checkpoints.topology, spec.snapshot, answers, spec.sabotage);
    facts.attempts.forEach((attempt, i) => { if (attempt >= 0) this.attempts[i] = Math.max(this.attempts[i] ?? 0, attempt); });
    for (const { report } of facts.subtaskReports) this.metricsValue.addSubtaskTick(report, tickMs);
    for (const answer of answers) {
      for (const s of answer.subtasks) {
        this.metricsValue.setState(s.operatorId, s.index, s.state);
        // Finished subtasks take no more barriers (FLIP-147); the new coordinator must know.
        if (s.state === 'finished') this.checkpoints.coordinator.onSubtaskFinished(s);
      }
    }
    this.route(facts.outgoing);
    this.outcomeValue = 'running';
    for (const event of facts.events) this.record(event);
    this.adoptCheckpoints(spec.sabotage?.reuseCheckpointIds === true ? 0 : facts.maxCheckpointId, answers);
    const kept = answers.reduce((n, a) => n + a.subtasks.filter((s) => s.state === 'running' || s.state === 'finished').length, 0);
    this.leaderChanges.push({
      epoch: this.epoch, leader: spec.leader, virtualTimeMs: this.processedMs, recoveredFrom: spec.recoveredFrom, reason: spec.reason,
      keptRunning: kept, snapshotVersion: spec.snapshotVersion,
    });
    for (const event of takeoverEvents(spec, this.epoch, this.processedMs, answers.length, kept)) this.record(event);
    this.haDirtyValue = true;
    if (facts.failures.length > 0) this.onFailures(facts.failures, this.processedMs);
    else if (this.metricsValue.snapshotStates().every((state) => state === 'finished')) {
      this.outcomeValue = 'finished';
      this.record({ virtualTimeMs: this.processedMs, kind: 'run-finished', message: 'Every source reached its end and every subtask finished; collect sinks committed their output.' });
    }
  }

  /**
   * Fresh TaskManagers to deploy before the next tick: lost ones hosting subtasks of a restart
   * that is due then (their subtasks come up `restarting` and restart with that tick).
   */
  redeployMessages(): DeployMessage[] {
    if (this.outcomeValue !== 'running' || !this.recovery.dueAt(this.processedMs)) return [];
    return this.deployMessages().filter((m) => this.alive[m.taskManager] !== true && (this.hostedCount[m.taskManager] ?? 0) > 0)
      .map((m) => ({ ...m, firstTick: this.tick, plan: { ...m.plan, recovering: true } }));
  }

  /** The answers of `redeployMessages`: the TaskManagers are alive again, or the run fails. */
  onRedeployed(answers: readonly DeployedMessage[]): void {
    for (const answer of [...answers].sort((a, b) => a.taskManager - b.taskManager)) {
      if (!answer.ok) {
        this.record({ virtualTimeMs: this.processedMs, kind: 'run-failed', message: answer.failure.message, taskManager: answer.taskManager });
        this.failWith(answer.failure);
        return;
      }
      this.alive[answer.taskManager] = true;
      this.replaced.add(answer.taskManager);
      this.metricsValue.markTaskManagerBack(answer.taskManager);
      this.record({ virtualTimeMs: this.processedMs, kind: 'taskmanager-replaced', taskManager: answer.taskManager, message: `A fresh TaskManager ${answer.taskManager} took the lost one's place.` });
    }
  }

  /** TaskManagers still alive, by index. */
  get liveTaskManagers(): number[] {
    return this.alive.flatMap((alive, tm) => (alive ? [tm] : []));
  }

  /** One deploy message per TaskManager. */
  deployMessages(): DeployMessage[] {
    const n = this.config.taskManagers;
    // A resumed JobManager deploys every subtask waiting for its restore with the first tick.
    const resuming = this.resumeMessage !== undefined;
    return Array.from({ length: n }, (_, taskManager): DeployMessage => ({
      type: 'deploy', protocol: PROTOCOL_VERSION, taskManager, taskManagers: n, slots: this.config.slotsPerTaskManager,
      plan: { jobId: this.jobId, job: this.job, config: this.config, placement: [...this.placement], ...(resuming ? { recovering: true } : {}) },
      ...(resuming ? { firstTick: this.tick } : {}),
      epoch: this.epoch,
    }));
  }

  /** A TaskManager died on its own outside a tick (a crash while paused, a deploy): the run fails (see below). */
  onTaskManagerFailure(failure: FailureInfo): void {
    if (this.outcomeValue !== 'running' && this.outcomeValue !== 'deploying') return;
    const tm = failure.taskManager;
    // A TaskManager lost between ticks (a worker crash while paused) while the job runs: it is
    // lost at the next tick's start, as kill-taskmanager is, and the failover strategy recovers it.
    if (this.outcomeValue === 'running' && tm !== undefined && this.alive[tm] === true && failure.code === 'taskmanager.lost') {
      if (!this.pendingLoss.includes(tm)) this.pendingLoss.push(tm);
      this.lossCauses.set(tm, failure);
      return;
    }
    if (tm !== undefined && this.alive[tm] === true) {
      this.alive[tm] = false;
      this.metricsValue.markTaskManagerLost(tm);
      this.stateBoard.drop(tm);
    }
    this.record({ virtualTimeMs: this.processedMs, kind: 'taskmanager-lost', message: failure.message, ...(tm === undefined ? {} : { taskManager: tm }) });
    // Not recovered: a loss the host could not place at a tick (during a deploy, an internal
    // error). One during a tick comes with that tick's reports (completeTick's `lost`) and
    // recovers, as kill-taskmanager does at a tick boundary (applyLosses).
    if (failure.operatorId !== undefined) {
      this.record({ virtualTimeMs: this.processedMs, kind: 'task-failed', message: failure.message, operatorId: failure.operatorId, ...(failure.subtask === undefined ? {} : { subtask: failure.subtask }) });
    }
    this.fail(failure, this.processedMs);
  }

  protected onFailures(failures: readonly FailureInfo[], atMs: VirtualMs): void {
    for (const failure of failures) {
      if (failure.operatorId === undefined) continue;
      this.record({
        virtualTimeMs: atMs, kind: 'task-failed', message: failure.message,
        ...(failure.operatorId === undefined ? {} : { operatorId: failure.operatorId }),
        ...(failure.subtask === undefined ? {} : { subtask: failure.subtask }),
      });
    }
    const first = failures[0] as FailureInfo;
    let failed = failedSubtasks(this.failureFacts(), failures);
    if (failed !== null && this.approximate !== undefined) {
      const states = this.metricsValue.snapshotStates();
      failed = this.approximate.restartSet(failed, (ref) => states[this.metricsValue.positionOf(ref.operatorId, ref.index)] === 'finished');
    }
    if (failed !== null && this.sharedCommitters !== undefined) failed = this.sharedCommitters.widen(failed, this.isFinished);
    const memoryLost = this.config.stateBackend === 'memory' && this.options.memoryStateSurvivesLoss === false;
    const unrecoverable = failed === null ? first : memoryLost ? lostMemoryState(this.placement, this.keyedOperators, failures) : undefined;
    if (unrecoverable !== undefined || failed === null) {
      this.fail(unrecoverable ?? first, atMs);
      return;
    }
    // Only finished subtasks were lost: nothing to restart.
    if (failed.length === 0) return;
    for (const ref of failed) this.checkpoints.subtaskFailed(ref, atMs, first.message);
    const decision = this.recovery.onFailures(first, failed, atMs);
    if (decision.kind === 'fail-job') {
      this.fail(decision.failure, atMs);
      return;
    }
    this.checkpoints.failover(decision.cancel, atMs);
    this.haDirtyValue = true;
    // Cancelled subtasks are down until their restart: no checkpoint waits for them meanwhile.
    for (const ref of decision.cancel) this.checkpoints.subtaskFailed(ref, atMs, 'the subtask restarts');
    for (const event of decision.events) this.record(event);
    for (const ref of decision.cancel) {
      const tm = this.tmByKey.get(subtaskKey(ref)) as number;
      if (this.alive[tm] !== true) continue;
      const list = this.commands[tm] as TaskManagerCommand[];
      const last = list[list.length - 1];
      if (last?.kind === 'cancel-subtasks') last.subtasks.push(ref);
      else list.push({ kind: 'cancel-subtasks', subtasks: [ref] });
    }
    this.toEveryLiveTm(this.approximate?.cancelled(decision.cancel));
    this.toEveryLiveTm(this.sharedCommitters?.cancelled(decision.cancel));
  }

  /** A takeover's checkpoints (takeoverCheckpointCommands): ids go on above any the TaskManagers saw. */
  protected adoptCheckpoints(maxSeen: number, answers: readonly ReconciledMessage[]): void {
    this.checkpoints.advanceIdsPast(maxSeen);
    const latest = this.checkpoints.coordinator.exportState().store.completed.reduce((max, c) => Math.max(max, c.id), 0);
    // A shared committer commits each region up to what the latest checkpoint maps it to.
    const checkpoint = this.checkpoints.coordinator.latestCompleted();
    const regionsOf = (sink: ReconciledSink): { region: number; snapshotId: number }[] | undefined =>
      (sink.regions !== undefined && checkpoint !== undefined ? notifyRegions(this.checkpoints.topology, sink, checkpoint) : undefined);
    const { commands, event } = takeoverCheckpointCommands(latest, maxSeen, answers, this.processedMs, regionsOf);
    for (const [tm, list] of commands) (this.commands[tm] as TaskManagerCommand[]).push(...list);
    if (event !== undefined) this.record(event);
    // Rows the predecessor left in progress: their coordinator is gone, so they failed.
    const history = this.checkpoints.coordinator.history;
    for (const row of history.list()) {
      if (row.status === 'in-progress') history.abandon(row.id, this.processedMs, { reason: 'failover', message: 'the JobManager that triggered it was lost' });
    }
  }

  protected failureFacts(): FailureFacts {
    return {
      placement: this.placement, topology: this.checkpoints.topology, states: this.metricsValue.snapshotStates(),
      positionOf: (ref) => this.metricsValue.positionOf(ref.operatorId, ref.index),
    };
  }

  protected fail(failure: FailureInfo, atMs: VirtualMs): void {
    this.record({ virtualTimeMs: atMs, kind: 'run-failed', message: `The job failed: ${failure.message}` });
    this.failWith(failure);
  }

  /** A restart due at this tick: restore specs to every TaskManager hosting a restarted subtask (after the tick's other commands). */
  protected restartIfDue(fromMs: VirtualMs): void {
    const due = this.recovery.due(fromMs, this.checkpoints.coordinator, (ref) =>
      (this.sinkIds.has(ref.operatorId) ? this.sinks.committedThrough(ref.operatorId, ref.index) : undefined));
    if (due === undefined) return;
    // Checkpoints started during the restart delay cannot count on the restarted subtasks' old attempts.
    this.checkpoints.failover(due.specs, fromMs);
    // A fresh TaskManager also hosts subtasks of regions that had finished: they come back finished.
    const restarting = new Set(due.specs.map(subtaskKey));
    for (const p of this.placement) {
      if (this.replaced.has(p.taskManager) && !restarting.has(subtaskKey(p))) due.specs.push({ operatorId: p.operatorId, index: p.index, snapshotId: 0, finished: true });
    }
    this.replaced.clear();
    this.dispatchRestores(due.specs, fromMs);
    this.toEveryLiveTm(this.approximate?.restarting(due.specs));
    const shared = this.sharedCommitters?.restarting(due.specs, due.restart.scope.regions, this.checkpoints.coordinator.latestCompleted());
    this.toEveryLiveTm(shared?.reset);
    for (const { ref, command } of shared?.rewinds ?? []) this.toTmOf(ref, command);
    this.record({ virtualTimeMs: fromMs, kind: 'recovery-finished', message: `Recovery ${due.restart.report.attempt}: ${due.specs.length} subtasks run again.` });
  }

  /**
   * The first tick of a resumed JobManager (a rescale): every subtask, deployed waiting,
   * restores from the latest completed checkpoint (the rescaled one), like a full failover.
   */
  protected restoreEverySubtask(fromMs: VirtualMs, message: string): void {
    this.resumeMessage = undefined;
    const specs = this.checkpoints.coordinator.restoreAll().map((point): SubtaskRestoreSpec => {
      const spec: SubtaskRestoreSpec = { operatorId: point.subtask.operatorId, index: point.subtask.index, snapshotId: point.snapshotId };
      if (point.handle !== undefined) spec.handle = point.handle;
      if (this.sinkIds.has(spec.operatorId)) spec.committedThrough = this.sinks.committedThrough(spec.operatorId, spec.index);
      return spec;
    });
    this.dispatchRestores(specs, fromMs);
    this.record({ virtualTimeMs: fromMs, kind: this.options.resume?.eventKind ?? 'rescale-finished', message });
  }

  /** Restore specs to every TaskManager hosting a restored subtask (after the tick's other commands), in plan order. */
  protected dispatchRestores(specs: SubtaskRestoreSpec[], fromMs: VirtualMs): void {
    const position = (ref: { operatorId: string; index: number }): number => this.metricsValue.positionOf(ref.operatorId, ref.index);
    specs.sort((a, b) => position(a) - position(b));
    addRestorePoints(this.checkpoints.topology, specs, this.checkpoints.coordinator.latestCompleted(),
      (ref) => this.sinks.regionsCommitted(ref.operatorId, ref.index), this.approximate !== undefined);
    const byTm = new Map<number, SubtaskRestoreSpec[]>();
    this.haDirtyValue = true;
    for (const spec of specs) {
      const tm = this.tmByKey.get(subtaskKey(spec)) as number;
      const at = position(spec);
      this.attempts[at] = (this.attempts[at] ?? 0) + 1;
      spec.attempt = this.attempts[at];
      const list = byTm.get(tm) ?? [];
      list.push(spec);
      byTm.set(tm, list);
      if (spec.finished === true) continue;
      this.checkpoints.coordinator.onSubtaskRestarted(spec);
      // Restored as finished (no snapshot at a checkpoint after it finished): no barrier goes there.
      if (spec.snapshotId > 0 && spec.handle === undefined) this.checkpoints.coordinator.onSubtaskFinished(spec);
      this.record({
        virtualTimeMs: fromMs, kind: 'subtask-restored', operatorId: spec.operatorId, subtask: spec.index,
        message: spec.snapshotId === 0 ? `${subtaskKey(spec)} restarted from the beginning (no checkpoint yet).` : `${subtaskKey(spec)} restored from checkpoint ${spec.snapshotId}.`,
      });
    }
    for (const [tm, list] of [...byTm].sort((a, b) => a[0] - b[0])) {
      if (this.alive[tm] === true) (this.commands[tm] as TaskManagerCommand[]).push({ kind: 'restart-subtasks', subtasks: list });
    }
  }

  /** Queues a command for the live TaskManager hosting `ref` (a shared committer's rewind). */
  protected toTmOf(ref: SubtaskRef, command: TaskManagerCommand): void {
    const tm = this.tmByKey.get(subtaskKey(ref)) as number;
    if (this.alive[tm] === true) (this.commands[tm] as TaskManagerCommand[]).push(command);
  }

  /** Queues a command for every live TaskManager (approximate recovery's channel resets). */
  protected toEveryLiveTm(command: TaskManagerCommand | undefined): void {
    if (command === undefined) return;
    for (const tm of this.liveTaskManagers) (this.commands[tm] as TaskManagerCommand[]).push(command);
  }

  /** Approximate recovery: the tick's channel losses, into the recovery's report, an event and the metrics. */
  protected countLosses(reports: readonly TickDoneMessage[], atMs: VirtualMs): void {
    const report = this.recovery.approximateReport();
    if (this.approximate === undefined || report === undefined) return;
    const losses = reports.flatMap((r) => r.channelLosses ?? []);
    if (losses.length === 0) return;
    const message = this.approximate.addLosses(report, losses);
    if (message === undefined) return;
    this.recovery.touched();
    this.metricsValue.addRecordsLost(losses);
    this.record({ virtualTimeMs: atMs, kind: 'records-lost', message });
  }

  /** Carries out the checkpoint driver's output: commands after the tick's others, events, a job failure. */
  protected sendCheckpointing(out: DriverOutput): void {
    for (const [tm, commands] of [...out.commands].sort((a, b) => a[0] - b[0])) {
      if (this.alive[tm] === true) (this.commands[tm] as TaskManagerCommand[]).push(...commands);
    }
    for (const event of out.events) this.record(event);
    if (out.events.some((e) => e.kind === 'checkpoint-completed')) this.haDirtyValue = true;
    if (out.failJob !== undefined) this.fail(out.failJob, this.processedMs);
  }

  protected failWith(failure: FailureInfo): void {
    this.haDirtyValue = true;
    this.outcomeValue = 'failed';
    this.failureValue = failure;
    this.metricsValue.markAll('canceled', (state) => state === 'running' || state === 'created');
  }

  /**
   * TaskManagers that died during the tick ending at `atMs` (completeTick's `lost`), in
   * TaskManager order: marked lost, recorded, and their failures for `onFailures` — each as it
   * came (it names the subtask that hung, if one did, and is the job's cause when it fails),
   * then the TaskManager as a whole, so every subtask it hosted fails with it.
   */
  protected loseDuringTick(lost: readonly FailureInfo[], atMs: VirtualMs): FailureInfo[] {
    const failures: FailureInfo[] = [];
    for (const failure of [...lost].sort((a, b) => (a.taskManager ?? -1) - (b.taskManager ?? -1))) {
      const tm = failure.taskManager;
      if (tm === undefined || this.alive[tm] !== true) continue;
      this.alive[tm] = false;
      this.metricsValue.markTaskManagerLost(tm);
      this.stateBoard.drop(tm);
      const hosted = this.placement.filter((p) => p.taskManager === tm).map((p) => subtaskKey(p));
      const what = hosted.length === 0 ? 'it hosted no subtasks' : `its subtasks ${hosted.join(', ')} failed with it`;
      this.record({ virtualTimeMs: atMs, kind: 'taskmanager-lost', taskManager: tm, message: `${failure.message} (${what}.)` });
      if ((this.hostedCount[tm] ?? 0) === 0) continue;
      failures.push(failure);
      if (failure.operatorId !== undefined) failures.push({ code: failure.code, message: failure.message, taskManager: tm });
    }
    return failures;
  }

  protected applyLosses(atMs: VirtualMs): void {
    const failures: FailureInfo[] = [];
    for (const tm of this.pendingLoss.splice(0)) {
      if (this.alive[tm] !== true) continue;
      this.alive[tm] = false;
      this.metricsValue.markTaskManagerLost(tm);
      this.stateBoard.drop(tm);
      const hosted = this.placement.filter((p) => p.taskManager === tm).map((p) => subtaskKey(p));
      const crash = this.lossCauses.get(tm);
      this.lossCauses.delete(tm);
      const why = crash === undefined ? 'was lost (kill-taskmanager)' : `was lost between ticks (${crash.message})`;
      const message = hosted.length === 0
        ? `TaskManager ${tm} ${why}; it hosted no subtasks, so the job runs on.`
        : `TaskManager ${tm} ${why}; its subtasks ${hosted.join(', ')} failed with it.`;
      this.record({ virtualTimeMs: atMs, kind: 'taskmanager-lost', message, taskManager: tm });
      if (this.hostedCount[tm] as number > 0) {
        failures.push({
          code: 'taskmanager.lost', message, taskManager: tm,
          cause: crash === undefined
            ? { code: 'fault.injected', message: `Fault injected: ${JSON.stringify({ kind: 'kill-taskmanager', taskManager: tm })}.` }
            : { code: crash.code, message: crash.message },
        });
      }
    }
    if (failures.length > 0) this.onFailures(failures, atMs);
  }

  protected route(batches: readonly PeerBatch[]): void {
    for (const batch of batches) {
      if (this.alive[batch.to] === true) (this.routed[batch.to] as PeerBatch[]).push(batch);
    }
  }

  protected record(event: RunEvent): void {
    this.eventLog.record(event);
  }
}
