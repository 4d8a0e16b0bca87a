/**
 * The JobManager as pure engine code: it turns a run plan into protocol messages and tick
 * reports into the run's status, metrics, sink output, events and trace hash. It never waits
 * and never touches a clock: a host (LocalCluster, later the JobManager worker) sends its
 * messages to the TaskManagers, awaits their answers and feeds them back:
 *
 *   deployMessages() → TMs → onDeployed(answers)
 *   repeat: beginTick() → TMs → completeTick(reports)      (bulk-synchronous, DESIGN.md §3)
 *
 * A host whose TaskManagers exchange their batches directly (worker TaskManagers) may begin
 * several ticks at once with `beginTicks(n)` and complete them in order: the TaskManagers
 * still run tick by tick, each waiting for its peers' batches, but the JobManager's round
 * trip is paid once per n ticks instead of once per tick. Only the first tick of a round
 * carries commands, so a fault takes effect at the next round's start.
 *
 * Determinism: reports are merged in TaskManager order, then everything the trace sees is put
 * in plan order (subtask position in the ExecutionGraph), so the hash is the same whichever
 * TaskManager hosted what. The trace gets, per tick in which anything moved, the records in
 * and out of every subtask and the rolling hash of every collect sink; and every run event
 * except pacing ones (pause, resume, stop), which depend on the wall clock, and TaskManager
 * start-ups, which depend on the cluster's shape.
 *
 * Commands (faults, channel selection) queue up and ride on the next tick's start, so they
 * take effect at a tick boundary and appear in the trace at that tick's virtual time.
 *
 * Fault tolerance (DESIGN.md §6): a CheckpointDriver turns the coordinator's decisions into
 * commands on the next start-tick (triggers, aborts, completions) and takes the tick's acks;
 * a RecoveryDriver decides restarts. A failed subtask's restart scope is cancelled on the next
 * tick and restarted, restored from its snapshots, once the restart delay passed; a lost
 * TaskManager's place is taken by a fresh one (`redeployMessages` → host → `onRedeployed`)
 * just before that restart tick.
 */
import { isLoadBalancing } from '../network/config';
import { type DeployedMessage, type PeerBatch, type StartTickMessage, type TaskManagerCommand, type TickDoneMessage } from '../runtime/protocol';
import type { ChannelSelection } from '../runtime/runConfig';
import type { Fault, FailureInfo, MetricsSnapshot, RunEvent, RunEventKind, SinkOutput } from '../runtime/telemetry';
import type { VirtualMs } from '../runtime/types';
import type { CheckpointsReport, RecoveryReport } from '../runtime/telemetry';
import type { InspectFacts } from '../checkpoint/inspect';
import { CheckpointDriver, type CheckpointMetadata } from './CheckpointDriver';
import { decideFault, faultEvent } from './faultDecision';
import { SinkOutputs } from './SinkOutputs';
import { routeLookup, type LookupFacts, type LookupRoute } from './stateLookup';

export type { AcceptedPlan, JobManagerHandOver, JobManagerOptions, RunOutcome, TakeOverSpec } from './JobManagerRecovery';
export { EVENTS_KEPT } from './RunEventLog';

const CHANNEL_SAMPLE_MS = 100;

import { JobManagerRecovery, type JobManagerHandOver, type RunOutcome } from './JobManagerRecovery';

export class JobManagerCore extends JobManagerRecovery {
  /** Whether subtasks wait for a restart (status 'restarting'). */
  get restarting(): boolean {
    return this.recovery.restarting;
  }

  /** The checkpoint history and summary (`checkpoints()`). */
  checkpointsReport(): CheckpointsReport {
    return {
      ...this.checkpoints.report(), cleanups: this.cleanups.list(),
      retained: this.checkpoints.coordinator.completedCheckpoints().map((c) => c.id),
    };
  }

  /** Recoveries so far (`recoveries()`). */
  recoveries(): RecoveryReport[] {
    return this.recovery.list();
  }

  /** Whether a recovery started or resumed since the last call. */
  recoveriesChanged(): boolean {
    return this.recovery.takeChanged();
  }

  /** Checkpoint metadata to persist after the latest completion (once). */
  takeCheckpointMetadata(): CheckpointMetadata | undefined {
    return this.checkpoints.takePersist();
  }

  /**
   * Starts a checkpoint now (its barriers go out with the next tick).
   * @returns its id, or why not.
   */
  triggerCheckpoint(stop = false): { ok: true; checkpointId: number } | { ok: false; message: string } {
    if (this.outcomeValue !== 'running') return { ok: false, message: `The run is ${this.outcomeValue}: checkpoints are taken while a job runs or is paused.` };
    return this.checkpoints.triggerNow(this.processedMs, stop);
  }

  /** The checkpoint topology (regions, plan order) the coordinator works with. */
  get checkpointTopology(): CheckpointDriver['topology'] {
    return this.checkpoints.topology;
  }

  /** Where keyed state lives now (the state processor's scan, stateScan.ts). */
  stateFacts(): LookupFacts {
    return { job: this.job, graph: this.graph, placement: this.placement, alive: this.alive };
  }

  /** What the checkpoint inspector reads (checkpoint/inspect.ts). */
  inspectFacts(): InspectFacts {
    return { job: this.job, graph: this.graph, placement: this.placement, topology: this.checkpoints.topology, metadata: this.checkpoints.coordinator.exportState() };
  }

  /** Operators with at least one finished subtask. */
  finishedOperators(): Set<string> {
    const states = this.metricsValue.snapshotStates();
    return new Set(this.graph.subtasks.filter((_, i) => states[i] === 'finished').map((s) => s.operatorId));
  }

  /**
   * What the JobManager of a rescaled plan goes on with (stop this one first): the clock,
   * events, trace, committed output, checkpoint statistics and this plan's checkpoint metadata.
   */
  handOver(): JobManagerHandOver {
    return {
      tick: this.tick, virtualTimeMs: this.processedMs, checkpoints: this.checkpoints.coordinator.exportState(),
      history: this.checkpoints.coordinator.history, hasher: this.hasher, eventLog: this.eventLog, sinks: this.sinks,
      leaderChanges: this.leaderHistory(),
    };
  }

  /** Checkpoints this JobManager's coordinator completed (decided when the last ack arrived). */
  get checkpointsCompleted(): number {
    return this.checkpoints.completed;
  }

  /** What a run saved for a resume after reload records besides the checkpoint metadata (resume.ts). */
  resumeFacts(): { tick: number; virtualTimeMs: VirtualMs; sinks: ReturnType<SinkOutputs['exportCommitted']> } {
    return { tick: this.tick, virtualTimeMs: this.processedMs, sinks: this.sinks.exportCommitted() };
  }

  get outcome(): RunOutcome {
    return this.outcomeValue;
  }

  get failure(): FailureInfo | undefined {
    return this.failureValue;
  }

  /** Virtual time covered by completed ticks. */
  get virtualTimeMs(): VirtualMs {
    return this.processedMs;
  }

  /** Start of the next tick (= `virtualTimeMs`); its end is this plus `tickMs`. */
  get nextTickEndMs(): VirtualMs {
    return this.processedMs + this.config.tickMs;
  }

  /** Takes the deploy answers (TM order): initial credit, or the first deploy failure. */
  onDeployed(answers: readonly DeployedMessage[]): void {
    const sorted = [...answers].sort((a, b) => a.taskManager - b.taskManager);
    const failed = sorted.find((answer) => !answer.ok);
    if (failed !== undefined && !failed.ok) {
      this.record({ virtualTimeMs: 0, kind: 'run-failed', message: failed.failure.message, taskManager: failed.taskManager });
      this.failWith(failed.failure);
      return;
    }
    for (const answer of sorted) if (answer.ok) this.route(answer.outgoing);
    this.outcomeValue = 'running';
    this.metricsValue.markAll('running', (state) => state === 'created');
    if (this.resumeMessage === undefined) {
      this.record({ virtualTimeMs: 0, kind: 'run-started', message: `Run started: ${this.graph.subtasks.length} subtasks, seed ${this.config.seed}.` });
    }
    for (let tm = 0; tm < this.config.taskManagers; tm++) {
      const hosted = this.placement.filter((p) => p.taskManager === tm).length;
      this.record({
        virtualTimeMs: this.processedMs, kind: 'taskmanager-started', taskManager: tm,
        message: `TaskManager ${tm} started with ${this.config.slotsPerTaskManager} slots and ${hosted} subtasks.`,
      });
    }
  }

  /**
   * The start-tick message of every live TaskManager (TM order), or null when the run is not
   * running (after applying pending TaskManager losses, which may fail it).
   */
  beginTick(): StartTickMessage[] | null {
    if (this.outcomeValue !== 'running') return null;
    const fromMs = this.processedMs;
    for (const event of this.faultEvents) this.record({ ...event, virtualTimeMs: fromMs });
    this.faultEvents = [];
    if (this.pendingLoss.length > 0) this.applyLosses(fromMs);
    if (this.outcomeValue !== 'running') return null;
    if (this.resumeMessage !== undefined) this.restoreEverySubtask(fromMs, this.resumeMessage);
    this.restartIfDue(fromMs);
    this.sendCheckpointing(this.checkpoints.beginTick(fromMs));
    if (this.outcomeValue !== 'running') return null;
    const toMs = fromMs + this.config.tickMs;
    const reportChannels = Math.floor(toMs / CHANNEL_SAMPLE_MS) > Math.floor(fromMs / CHANNEL_SAMPLE_MS);
    const messages = this.liveTaskManagers.map((tm): StartTickMessage => ({
      type: 'start-tick', tick: this.tick, fromMs, toMs, reportChannels,
      commands: this.commands[tm] as TaskManagerCommand[],
      incoming: this.routed[tm] as PeerBatch[],
      epoch: this.epoch, ackedTick: this.tick - 1,
    }));
    this.commands = this.commands.map(() => []);
    this.routed = this.routed.map(() => []);
    return messages;
  }

  /**
   * `count` consecutive ticks at once (see the module comment): the first is `beginTick()`;
   * the others carry only their time (no commands, nothing routed: the host's TaskManagers
   * exchange batches themselves). Complete them in order; once one ends the run, drop the rest.
   */
  beginTicks(count: number): StartTickMessage[][] | null {
    const first = this.beginTick();
    if (first === null) return null;
    const rounds = [first];
    const tickMs = this.config.tickMs;
    // Ticks whose start carries commands must each start a round: while a checkpoint is in
    // flight or a restart waits, every tick may; otherwise the round ends before the next trigger.
    const limit = this.checkpoints.busy || this.recovery.restarting
      ? 1
      : Math.min(count, Math.max(1, Math.ceil((this.checkpoints.coordinator.nextTriggerMs - this.processedMs) / tickMs)));
    for (let i = 1; i < limit; i++) {
      const fromMs = this.processedMs + i * tickMs;
      const toMs = fromMs + tickMs;
      const reportChannels = Math.floor(toMs / CHANNEL_SAMPLE_MS) > Math.floor(fromMs / CHANNEL_SAMPLE_MS);
      rounds.push(this.liveTaskManagers.map((): StartTickMessage => ({
        type: 'start-tick', tick: this.tick + i, fromMs, toMs, reportChannels, commands: [], incoming: [], epoch: this.epoch, ackedTick: this.tick - 1,
      })));
    }
    return rounds;
  }

  /**
   * Takes every live TaskManager's report of the tick begun last. `lost`: TaskManagers that
   * died during the tick (a worker crash, a missed tick deadline) and did not report; the others
   * did, without them. Their subtasks fail at this tick, as if a kill-taskmanager had taken them
   * at its end: nothing more is routed to them, and the failover strategy restarts them on a
   * fresh TaskManager (or the job fails with their failure as its cause).
   */
  completeTick(reports: readonly TickDoneMessage[], lost: readonly FailureInfo[] = []): void {
    for (const report of reports) {
      if (report.tick !== this.tick) throw new Error(`TaskManager ${report.taskManager} reported tick ${report.tick} where tick ${this.tick} was due.`);
    }
    const sorted = [...reports].sort((a, b) => a.taskManager - b.taskManager);
    const fromMs = this.processedMs;
    const tickMs = this.config.tickMs;
    const toMs = fromMs + tickMs;
    const lostFailures = this.loseDuringTick(lost, toMs);
    const position = (operatorId: string | undefined, index: number | undefined): number =>
      operatorId === undefined ? -1 : this.metricsValue.positionOf(operatorId, index ?? 0);
    const subtaskReports = sorted.flatMap((r) => r.subtasks);
    const recordsIn = new Array<number>(this.graph.subtasks.length).fill(0);
    const recordsOut = new Array<number>(this.graph.subtasks.length).fill(0);
    let moved = false;
    for (const report of subtaskReports) {
      this.metricsValue.addSubtaskTick(report, tickMs);
      const at = position(report.operatorId, report.index);
      recordsIn[at] = report.recordsIn;
      recordsOut[at] = report.recordsOut;
      if (report.recordsIn > 0 || report.recordsOut > 0) moved = true;
    }
    for (const report of sorted) {
      this.route(report.outgoing);
      for (const channel of report.channels) this.metricsValue.addChannelSample(channel, toMs);
      if (report.state !== undefined && this.alive[report.taskManager] === true) this.stateBoard.take(report.taskManager, report.state);
    }
    this.cleanups.record(toMs, sorted.flatMap((r) => r.snapshotReleases ?? []));
    const sinkDeltas = sorted.flatMap((r) => r.sinks).sort((a, b) => position(a.operatorId, a.index) - position(b.operatorId, b.index));
    for (const delta of sinkDeltas) {
      const through = this.sinks.committedThrough(delta.operatorId, delta.index);
      this.sinks.apply(delta);
      // Commits change what the HA snapshot holds; writes alone do not (they are pending).
      if (delta.committed > 0 || this.sinks.committedThrough(delta.operatorId, delta.index) !== through) this.haDirtyValue = true;
    }
    // After the sink deltas of the same tick: a completion never lists records not yet seen.
    const completedBefore = this.checkpoints.completed;
    this.checkpoints.completeTick(
      sorted.flatMap((r) => r.checkpointAcks).sort((a, b) => a.checkpointId - b.checkpointId || position(a.subtask.operatorId, a.subtask.index) - position(b.subtask.operatorId, b.subtask.index)),
      sorted.flatMap((r) => r.checkpointDeclines).sort((a, b) => a.checkpointId - b.checkpointId || position(a.operatorId, a.index) - position(b.operatorId, b.index)),
      toMs,
    );
    // A checkpoint completed with this tick's acks: the HA snapshot holding it is written before
    // the next round, which carries its notify (Flink stores a completed checkpoint, then notifies).
    if (this.checkpoints.completed > completedBefore) this.haDirtyValue = true;
    for (const report of subtaskReports) if (report.state === 'finished') this.checkpoints.coordinator.onSubtaskFinished(report);
    const events = sorted.flatMap((r) => r.events);
    const order = events.map((event, i) => [position(event.operatorId, event.subtask), i] as const);
    order.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    for (const [, i] of order) this.record(events[i] as RunEvent);
    this.countLosses(sorted, toMs);
    if (moved) this.hasher.add({ tick: this.tick, in: recordsIn, out: recordsOut, sinks: this.sinks.hashes() });
    this.tick++;
    this.processedMs = toMs;
    this.metricsValue.setVirtualTime(toMs);
    const failures = [...lostFailures, ...sorted.flatMap((r) => r.failures)
      .sort((a, b) => position(a.operatorId, a.subtask) - position(b.operatorId, b.subtask))];
    if (failures.length > 0) {
      this.onFailures(failures, toMs);
      return;
    }
    if (subtaskReports.length > 0 && this.metricsValue.snapshotStates().every((state) => state === 'finished')) {
      this.outcomeValue = 'finished';
      this.record({ virtualTimeMs: toMs, kind: 'run-finished', message: 'Every source reached its end and every subtask finished; collect sinks committed their output.' });
    }
  }

  /**
   * Queues a fault for the next tick.
   *
   * @returns null when accepted, else why not (unknown subtask, a kind that arrives later).
   */
  inject(fault: Fault): string | null {
    if (this.outcomeValue !== 'running') return `The run is ${this.outcomeValue}: faults apply to a running or paused job.`;
    const regions = this.checkpoints.topology.regions.map((r) => r.id);
    const decision = decideFault({ job: this.job, placement: this.placement, alive: this.alive, regions }, fault);
    switch (decision.kind) {
      case 'reject':
        return decision.reason;
      case 'command':
        (this.commands[decision.taskManager] as TaskManagerCommand[]).push(decision.command);
        this.faultEvents.push(faultEvent(fault));
        return null;
      case 'lose-taskmanager':
        this.pendingLoss.push(decision.taskManager);
        this.faultEvents.push(faultEvent(fault));
        return null;
      case 'fail-checkpoint':
        this.checkpoints.failRegion(decision.region, this.processedMs);
        this.faultEvents.push(faultEvent(fault));
        return null;
    }
  }

  /**
   * Switches rebalance/rescale edges (all, or `edgeId`) from the next tick on.
   *
   * @returns null when accepted, else why not.
   */
  setChannelSelection(selection: ChannelSelection, edgeId?: string): string | null {
    if (selection !== 'round-robin' && selection !== 'backlog') return `Channel selection '${String(selection)}' is unknown: use 'round-robin' or 'backlog'.`;
    if (edgeId !== undefined) {
      const edge = this.graph.edges.find((e) => e.id === edgeId);
      if (edge === undefined) return `Edge '${edgeId}' does not exist in this job.`;
      if (!isLoadBalancing(edge.partitioner)) return `Edge '${edgeId}' is ${edge.partitioner}; channel selection applies to rebalance and rescale edges.`;
    }
    if (this.outcomeValue !== 'running') return `The run is ${this.outcomeValue}.`;
    for (const tm of this.liveTaskManagers) (this.commands[tm] as TaskManagerCommand[]).push({ kind: 'set-channel-selection', selection, ...(edgeId === undefined ? {} : { edgeId }) });
    this.faultEvents.push({
      virtualTimeMs: 0, kind: 'channel-selection-changed',
      message: `Channel selection of ${edgeId === undefined ? 'every rebalance and rescale edge' : `edge ${edgeId}`} set to ${selection}.`,
    });
    return null;
  }

  /** The host stopped the run. */
  stop(): void {
    if (this.outcomeValue === 'running' || this.outcomeValue === 'deploying') {
      this.outcomeValue = 'stopped';
      this.metricsValue.markAll('canceled', (state) => state === 'running' || state === 'created');
    }
  }

  /** Records a host event (pause, resume, stop: kept out of the trace). */
  note(kind: RunEventKind, message: string, virtualTimeMs: VirtualMs = this.processedMs): void {
    this.record({ virtualTimeMs, kind, message });
  }

  metrics(): MetricsSnapshot {
    const snapshot = this.metricsValue.snapshot();
    snapshot.subtasks.forEach((subtask, i) => { subtask.attempt = this.attempts[i] ?? 0; });
    const state = this.stateBoard.snapshot();
    if (state !== undefined) snapshot.state = state;
    return snapshot;
  }

  /**
   * Where a key's state lives (key group, subtask, TaskManager), or why it cannot be looked
   * up now (stateLookup.ts): the run must be running or paused, with its TaskManagers deployed.
   */
  routeLookup(operatorId: string, key: unknown): LookupRoute {
    if (this.outcomeValue !== 'running') {
      const why = this.outcomeValue === 'deploying'
        ? 'is still starting'
        : `is ${this.outcomeValue} and its TaskManagers have released their state`;
      return { ok: false, code: 'state.lookup.noRun', message: `No key can be looked up: the run ${why}. Look keys up while a job runs or is paused.` };
    }
    return routeLookup({ job: this.job, graph: this.graph, placement: this.placement, alive: this.alive }, operatorId, key);
  }

  /**
   * What a sink wrote: collect sinks keep records; log and discard sinks keep none (empty).
   *
   * @throws Error naming the collect sinks when `sinkId` is not a sink of this job.
   */
  output(sinkId: string, last?: number): SinkOutput {
    const op = this.job.operators.find((o) => o.id === sinkId);
    if (op !== undefined && (op.kind === 'log' || op.kind === 'discard')) {
      return { committed: [], pending: [], committedCount: 0, pendingCount: 0 };
    }
    if (!this.sinks.has(sinkId)) {
      const known = [...this.sinkIds];
      throw new Error(`'${sinkId}' is not a collect sink of this job${known.length > 0 ? `; collect sinks: ${known.join(', ')}` : ' (it has none)'}.`);
    }
    return this.sinks.output(sinkId, last);
  }

  outputs(last: number): Record<string, SinkOutput> {
    return this.sinks.all(last);
  }

  /** Kept events, oldest first. */
  events(): RunEvent[] {
    return this.eventLog.events();
  }

  /** Events recorded so far (including those no longer kept). */
  get eventTotal(): number {
    return this.eventLog.total;
  }

  /** Events with sequence number ≥ `from` that are still kept. */
  eventsSince(from: number): RunEvent[] {
    return this.eventLog.since(from);
  }

  traceHash(): string {
    return this.hasher.digest();
  }
}
