/**
 * The cluster's control plane: a JobManagerCore driving N TaskManagers through a
 * TaskManagerHost, with the semantics of `ClusterApi` (src/workers/clusterApi.ts) on top. By
 * default the TaskManagers are TaskManagerCores in this thread (InProcessTaskManagers: Node
 * tests, and the JobManager worker until it spawns TaskManager workers); a worker host
 * (src/workers/WorkerTaskManagers) plugs in through `ports.taskManagers`.
 *
 * Pacing (the only place wall time enters, through the injected {@link HostClock}):
 * - at a speed factor s, tick k runs once `s × wall ms since resume` has passed its end;
 *   when the machine cannot keep up, the anchor moves (no burst to catch up) and
 *   `status().speedReached` says what was reached;
 * - at 'max', ticks run back to back in slices of about {@link SLICE_MS} wall ms, yielding to
 *   the event loop between slices so commands and telemetry get through.
 * Wall time never reaches the engine: a tick's work depends only on virtual time, so pacing
 * changes how fast the trace is produced, never the trace.
 *
 * `advance(ms)` pauses, then runs every tick that ends within the next `ms` of virtual time
 * and pauses again with the clock at exactly `virtualTimeMs + ms`. Ticks stay on their grid
 * (multiples of `tickMs`), so when `ms` is not a multiple the work of the tick in progress
 * shows when the clock passes its end, on a later advance or resume.
 *
 * Telemetry: `subscribe` pushes frames coalesced to at most one per {@link FRAME_INTERVAL_MS}
 * wall ms, and one promptly after every state change.
 */
import type { JobGraph } from '../job/types';
import { MAX_SPEED, MIN_SPEED, type ChannelSelection, type RunConfig } from '../runtime/runConfig';
import type { CheckpointsReport, Fault, MetricsSnapshot, RecoveryReport, RunEvent, RunStatus, SinkOutput, StateLookup, TelemetryFrame } from '../runtime/telemetry';
import type { CheckpointDetail } from '../checkpoint/inspect';
import type { CheckpointMetadataDocument } from '../checkpoint/inspectExport';
import { exportCheckpoint, inspectCheckpoint } from './checkpointInspection';
import { scanOperatorState, type StateScanOptions, type StateScanPage } from './stateScan';
import type { StartReport } from './clusterPorts';
import { JobManagerCore } from './JobManagerCore';
import type { HaStatus } from './HaController';
import { type JobManagerHandoff, type JobManagerKill } from './jobManagerFailover';
import { planRun } from './planRun';
import { planRescale, rescaleCheckpoint, stopTickBudget, topologyOf } from './rescale';
import { drainChange, type PlanChange } from './drain';
import { resumeHandOver, resumeProblem, type ResumableRun } from './resume';
import type { EditedRestoreOptions } from './restoreEdited';
import { prepareEditedRestore, type EditedRestoreReport } from './restoreEditedRun';
import { codeOf, coded, lookupAnswer, messageOf } from './stateLookup';
import { type TaskManagerHost } from './TaskManagerHost';

export type { HostClock, LocalClusterPorts, StartReport } from './clusterPorts';
export type { JobManagerHandoff, JobManagerKill } from './jobManagerFailover';

export { FRAME_INTERVAL_MS, FRAME_RECORDS, SLICE_MS } from './ClusterRunLoop';

import { ClusterRunLoop, emptyCheckpoints, emptyMetrics } from './ClusterRunLoop';

export class LocalCluster extends ClusterRunLoop {
  /** Validates, plans and deploys; resolves once the cluster is up (paused at 0 if `config.paused`). */
  async start(job: JobGraph, config?: Partial<RunConfig>): Promise<StartReport> {
    if (this.jm !== null) await this.stop();
    const plan = planRun(job, config);
    if (!plan.ok) return { ok: false, errors: plan.errors };
    const jm = new JobManagerCore(plan, await this.leaderOptions(true));
    return this.launch(jm, true);
  }

  /** Saved runs that can be resumed (resume.ts): of `jobId`, or of every job, newest first. */
  async resumable(jobId?: string): Promise<ResumableRun[]> {
    const runs = (await this.ports.checkpointStore?.listRuns?.()) ?? [];
    return jobId === undefined ? runs : runs.filter((r) => r.jobId === jobId);
  }

  /** Forgets a job's saved run and checkpoints (the resume offer was declined). */
  async discardSaved(jobId: string): Promise<void> {
    await this.ports.checkpointStore?.clear(jobId);
  }

  /**
   * Resumes a job's saved run (resume.ts) from its last completed checkpoint: the saved job
   * and config (`overrides` may change pacing only), keyed state from the job's state database,
   * which is not cleared. Refused, saying why and that a fresh start remains, when nothing is
   * saved, the record does not match its checkpoint, or the state database was lost.
   */
  async resumeSaved(jobId?: string, overrides: { paused?: boolean; speed?: RunConfig['speed'] } = {}): Promise<StartReport> {
    if (this.jm !== null) await this.stop();
    const store = this.ports.checkpointStore;
    const id = jobId ?? (await this.resumable())[0]?.jobId;
    const saved = id === undefined ? undefined : await store?.loadRun?.(id);
    if (saved === undefined) {
      return { ok: false, errors: [{ path: '$', code: 'resume.nothingSaved', message: `No saved run${id === undefined ? '' : ` of job '${id}'`} to resume: start the job afresh.` }] };
    }
    const problem = resumeProblem(saved.run, saved.metadata);
    if (problem !== null) return { ok: false, errors: [{ path: '$', code: 'resume.mismatch', message: problem }] };
    const plan = planRun(saved.run.job, { ...saved.run.config, ...overrides });
    if (!plan.ok) return { ok: false, errors: plan.errors };
    if (plan.config.stateBackend === 'memory' && this.ports.taskManagers !== undefined) {
      return { ok: false, errors: [{ path: '$.stateBackend', code: 'resume.memoryState', message: 'This run kept its keyed state in the TaskManager workers\' memory, which did not survive the reload. Start the job afresh; run with stateBackend "idb" to resume after a reload.' }] };
    }
    if (plan.config.stateBackend === 'idb' && this.ports.checkJobState !== undefined) {
      try {
        await this.ports.checkJobState(saved.run.jobId);
      } catch (error) {
        return { ok: false, errors: [{ path: '$', code: codeOf(error) ?? 'state.databaseLost', message: `${messageOf(error)} Discard the saved run and start the job afresh.` }] };
      }
    }
    const { run } = saved;
    const jm = new JobManagerCore(plan, {
      ...await this.leaderOptions(true),
      resume: {
        ...resumeHandOver(plan, run, saved.metadata), eventKind: 'recovery-finished',
        message: `Resumed after a reload: ${plan.graph.subtasks.length} subtasks restored from checkpoint ${run.checkpointId} at ${run.virtualTimeMs} ms.`,
      },
    });
    return this.launch(jm, false);
  }

  /**
   * Restores the edited `job` from `jobId`'s saved run (restoreEdited.ts decides, restoreEditedRun.ts
   * loads): state taken by stable id, by name with `acceptNameMapping`, saved state no operator
   * takes dropped only with `allowNonRestoredState`. Refused with the mapping when it cannot.
   */
  async restoreEdited(jobId: string, job: JobGraph, options: EditedRestoreOptions = {}): Promise<EditedRestoreReport> {
    if (this.jm !== null) await this.stop();
    const prepared = await prepareEditedRestore(this.ports, jobId, job, options, this.ports.taskManagers !== undefined);
    if (!prepared.ok) return prepared;
    const jm = new JobManagerCore(prepared.plan, { ...await this.leaderOptions(true), resume: prepared.resume });
    const report = await this.launch(jm, false);
    return report.ok ? { ...report, job: prepared.plan.job, mapping: prepared.mapping } : { ...report, mapping: prepared.mapping };
  }

  /** Deploys `jm`'s plan on a fresh host; a fresh run clears the job's durable state and checkpoints first. */
  private async launch(jm: JobManagerCore, fresh: boolean): Promise<StartReport> {
    const config = jm.config;
    this.generation++;
    this.hostFailure = undefined;
    this.state = 'starting';
    this.clockMs = jm.virtualTimeMs;
    this.telemetry.rewind();
    this.pacer.reset(config.speed);
    this.jm = jm;
    const disposing = this.host?.dispose();
    this.host = null;
    this.lostTaskManagers.clear();
    const generation = this.generation;
    // The previous run's TaskManagers let go of their state before this run clears or opens it.
    if (disposing !== undefined) await disposing;
    if (generation !== this.generation) return { ok: true, config };
    if (fresh && config.stateBackend === 'idb' && this.ports.clearJobState !== undefined) {
      try {
        await this.ports.clearJobState(jm.jobId);
      } catch (error) {
        if (generation === this.generation) this.refuseStart(jm);
        return { ok: false, errors: [{ path: '$.stateBackend', code: codeOf(error) ?? 'state.clearFailed', message: messageOf(error) }] };
      }
      if (generation !== this.generation) return { ok: true, config };
    }
    if (fresh && this.ports.checkpointStore !== undefined) {
      // A fresh run: the job's earlier checkpoints are not this run's to restore from.
      try {
        await this.ports.checkpointStore.clear(jm.jobId);
      } catch {
        // Best effort: a stale entry is overwritten by this run's first completed checkpoint.
      }
      if (generation !== this.generation) return { ok: true, config };
    }
    const host = this.createHost();
    this.host = host;
    host.setFailureListener((failure) => {
      if (generation === this.generation) this.onTaskManagerFailure(failure);
    });
    let answers;
    try {
      answers = await host.deploy(jm.deployMessages());
    } catch (error) {
      this.taskManagerError(-1, error);
      return { ok: true, config };
    }
    if (generation !== this.generation) return { ok: true, config };
    jm.onDeployed(answers);
    await this.failover.ha.writeJob(jm).catch(() => undefined);
    this.failover.writeSnapshot(this.failoverHost(), jm);
    if (jm.outcome === 'failed') {
      this.settle();
    } else if (config.paused) {
      this.state = 'paused';
    } else {
      this.state = 'running';
      this.startLoop();
    }
    this.requestFrame();
    return { ok: true, config };
  }

  async pause(): Promise<RunStatus> {
    if (this.state === 'running') {
      this.state = 'paused';
      this.jm?.note('run-paused', 'Paused.', this.clockMs);
      await this.busy;
      this.requestFrame();
    }
    return this.status();
  }

  async resume(): Promise<RunStatus> {
    await this.busy;
    if (this.state === 'paused') {
      this.state = 'running';
      this.jm?.note('run-resumed', 'Resumed.', this.clockMs);
      this.startLoop();
      this.requestFrame();
    }
    return this.status();
  }

  /** Runs exactly `ms` of virtual time (see the module comment), then pauses. */
  async advance(ms: number): Promise<RunStatus> {
    if (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0 || ms > 1e9) {
      throw new RangeError(`advance(ms): ms must be a positive number of virtual milliseconds, not ${String(ms)}.`);
    }
    if (this.state === 'running') await this.pause();
    await this.busy;
    if (this.state !== 'paused' || this.jm === null) return this.status();
    const target = this.clockMs + ms;
    this.state = 'running';
    const run = this.runUntil(this.generation, target).catch((error: unknown) => this.crash(error)).finally(() => {
      if (this.state === 'running') this.state = 'paused';
      // The clock reaches the target only when every tick ending by it ran (a pause may cut in).
      const jm = this.jm;
      if (jm !== null && jm.outcome === 'running' && jm.nextTickEndMs > target) this.clockMs = Math.max(this.clockMs, target);
      this.requestFrame();
    });
    this.busy = run;
    await run;
    return this.status();
  }

  /** Stops the run and releases its TaskManagers. */
  async stop(): Promise<RunStatus> {
    const jm = this.jm;
    if (jm !== null && (this.state === 'running' || this.state === 'paused' || this.state === 'starting')) {
      this.generation++;
      jm.stop();
      jm.note('run-stopped', 'Stopped.', this.clockMs);
      this.state = 'stopped';
      this.cancelAll();
      this.requestFrame();
    }
    await this.busy;
    // Stopped on purpose: nothing to offer for resuming (a reload or crash never gets here).
    if (jm !== null && this.state === 'stopped' && this.jm === jm) await this.persister.forget(jm.jobId);
    return this.status();
  }

  async setSpeed(speed: number | 'max'): Promise<void> {
    if (speed !== 'max' && (typeof speed !== 'number' || !(speed >= MIN_SPEED && speed <= MAX_SPEED))) {
      throw new RangeError(`Speed must be 'max' or a number from ${MIN_SPEED} to ${MAX_SPEED}, not ${String(speed)}.`);
    }
    this.pacer.speed = speed;
    this.reanchor();
  }

  async setChannelSelection(selection: ChannelSelection, edgeId?: string): Promise<void> {
    const problem = this.requireJob().setChannelSelection(selection, edgeId);
    if (problem !== null) throw new Error(problem);
  }

  async inject(fault: Fault): Promise<void> {
    const jm = this.requireJob();
    if (fault.kind === 'kill-jobmanager') {
      const problem = this.killJobManager();
      if (problem !== null) throw new Error(problem);
      return;
    }
    if (fault.kind === 'coordination-store-down' || fault.kind === 'coordination-store-up' || fault.kind === 'coordination-store-slow') {
      const problem = await this.failover.storeFault(this.failoverHost(), jm, fault);
      if (problem !== null) throw new Error(problem);
      this.requestFrame();
      return;
    }
    const problem = jm.inject(fault);
    if (problem !== null) throw new Error(problem);
  }

  /** JobManager HA: leader, epoch, store health, snapshot writes, leader changes (`haStatus()`). */
  async haStatus(): Promise<HaStatus> {
    return this.failover.status(this.jm, this.host);
  }

  /**
   * Fencing check (tests, in-process TaskManagers): every JobManager that lost leadership tries
   * a tick on every live TaskManager and an HA write. @returns how many were tried and how many
   * accepted (must be 0).
   */
  async probeDeposedLeaders(): Promise<{ attempted: number; accepted: number }> {
    await this.busy;
    const jm = this.jm;
    if (jm === null || this.host === null) return { attempted: 0, accepted: 0 };
    return this.failover.ha.probeDeposed(this.failover.deposed, this.host, jm.liveTaskManagers);
  }

  /**
   * Kills the JobManager at the next round boundary, as `kill-jobmanager` does, or (tests, the
   * oracle suite) in the middle of that round — after the TaskManagers got its start, before
   * their reports are read — or at the next checkpoint completion, before its snapshot is written.
   * A kill waits while subtasks wait for a restart. @returns null, or why not.
   */
  killJobManager(at: JobManagerKill['at'] = 'round-boundary'): string | null {
    const jm = this.requireJob();
    const busy = jm.outcome !== 'running' || (this.state !== 'running' && this.state !== 'paused')
      ? `The run is ${this.state}: the JobManager can be killed while a job runs or is paused.`
      : this.rescaling ? 'A rescale is in progress; kill the JobManager once it is done.' : null;
    return this.failover.request(this.failoverHost(), jm, at, busy);
  }

  /**
   * A successor JobManager in a fresh worker (browser) takes over `handoff`'s job: it recovers
   * the snapshot from the HA stores and reconciles with `host`'s TaskManagers, which kept
   * running; then it goes on as the run was (running or paused).
   */
  async adoptRunning(handoff: JobManagerHandoff, host: TaskManagerHost): Promise<StartReport> {
    if (this.jm !== null) await this.stop();
    this.generation++;
    const generation = this.generation;
    this.host = host;
    host.setFailureListener((failure) => {
      if (generation === this.generation) this.onTaskManagerFailure(failure);
    });
    let jm: JobManagerCore;
    try {
      jm = await this.failover.adopt(handoff, host, this.ports.taskManagers === undefined);
    } catch (error) {
      return { ok: false, errors: [{ path: '$', code: 'ha.takeoverFailed', message: `No JobManager could take over the job: ${messageOf(error)}` }] };
    }
    this.jm = jm;
    this.clockMs = jm.virtualTimeMs;
    this.telemetry.rewind();
    this.pacer.reset(jm.config.speed);
    this.failover.writeSnapshot(this.failoverHost(), jm);
    this.state = handoff.paused ? 'paused' : 'running';
    if (jm.outcome !== 'running') this.settle();
    else if (!handoff.paused) this.startLoop();
    this.requestFrame();
    return { ok: true, config: jm.config };
  }

  async status(): Promise<RunStatus> {
    return this.currentStatus();
  }

  /** Starts a checkpoint with the next tick; resolves to its id (ClusterApi.triggerCheckpoint). */
  async triggerCheckpoint(): Promise<number> {
    const result = this.requireJob().triggerCheckpoint();
    if (!result.ok) throw new Error(result.message);
    this.requestFrame();
    return result.checkpointId;
  }

  async checkpoints(): Promise<CheckpointsReport> {
    return this.jm?.checkpointsReport() ?? emptyCheckpoints();
  }

  /** What a retained checkpoint holds (ClusterApi.checkpointDetail; checkpointInspection.ts). */
  async checkpointDetail(checkpointId?: number): Promise<CheckpointDetail> {
    return inspectCheckpoint(this.jm, checkpointId);
  }

  /** A retained checkpoint's metadata as a `checkpoint-metadata/1` document (ClusterApi.exportCheckpoint). */
  async exportCheckpoint(checkpointId?: number): Promise<CheckpointMetadataDocument> {
    return exportCheckpoint(this.jm, checkpointId);
  }

  async recoveries(): Promise<RecoveryReport[]> {
    return this.jm?.recoveries() ?? [];
  }

  async metrics(): Promise<MetricsSnapshot> {
    return this.jm?.metrics() ?? emptyMetrics();
  }

  async output(sinkId: string): Promise<SinkOutput> {
    return this.requireJob().output(sinkId);
  }

  async events(): Promise<RunEvent[]> {
    return this.jm?.events() ?? [];
  }

  async traceHash(): Promise<string> {
    return this.requireJob().traceHash();
  }

  /**
   * One key's current state (ClusterApi.lookupState): the JobManager routes the key to its
   * TaskManager, which answers between ticks (never during one), running or paused.
   *
   * @throws Error (with a `code`) when no run is active, the operator is unknown or not
   * keyed, the key is not a key, or its TaskManager is lost.
   */
  async lookupState(operatorId: string, key: string | number): Promise<StateLookup> {
    const jm = this.jm;
    if (jm === null) throw coded('state.lookup.noRun', 'No job is running: start a job, then look up the keys of its keyed operators.');
    const route = jm.routeLookup(operatorId, key);
    if (!route.ok) throw coded(route.code, route.message);
    const { target } = route;
    const host = this.host;
    if (host?.lookupState === undefined) throw coded('state.lookup.unsupported', 'These TaskManagers cannot look up state.');
    const generation = this.generation;
    const requestId = ++this.lookupRequests;
    const reply = await this.betweenTicks.run(() => {
      if (generation !== this.generation || this.jm?.outcome !== 'running') {
        throw coded('state.lookup.noRun', 'The run ended before the key could be looked up.');
      }
      return host.lookupState?.(target.taskManager, {
        type: 'lookup-state', requestId, operatorId: target.operatorId, subtask: target.subtask,
        keyGroup: target.keyGroup, encodedKey: target.encodedKey,
      }) as ReturnType<NonNullable<TaskManagerHost['lookupState']>>;
    });
    if (!reply.ok) throw coded(reply.failure.code, reply.failure.message);
    return lookupAnswer(target, reply.rows);
  }

  /**
   * A page of every key of a keyed operator's state, with key groups recomputed for another
   * max parallelism (ClusterApi.scanState; stateScan.ts), read between two ticks.
   *
   * @throws Error (with a `code`) when no run is active, the operator is not keyed, an option
   * is out of range, or a TaskManager holding the state is lost.
   */
  async scanState(operatorId: string, options: StateScanOptions = {}): Promise<StateScanPage> {
    const jm = this.jm;
    const host = this.host;
    if (jm === null || jm.outcome !== 'running') throw coded('state.scan.noRun', 'No job is running: start a job, then scan the state of its keyed operators.');
    if (host?.scanState === undefined) throw coded('state.scan.unsupported', 'These TaskManagers cannot scan state.');
    const generation = this.generation;
    // One page is read between two ticks, whatever subtasks it spans: it shows one instant.
    return this.betweenTicks.run(() => {
      if (generation !== this.generation || this.jm?.outcome !== 'running') throw coded('state.scan.noRun', 'The run ended before the state could be scanned.');
      return scanOperatorState(jm.stateFacts(), operatorId, options, (taskManager, message) =>
        host.scanState?.(taskManager, { ...message, requestId: ++this.lookupRequests }) as ReturnType<NonNullable<TaskManagerHost['scanState']>>);
    });
  }

  /**
   * Rescales one operator, or every operator but the collect sinks (`operatorId` null), to
   * `parallelism` (ClusterApi.rescale; the decisions are rescale.ts's): stops with a
   * checkpoint (sources stop after its barrier; if it fails, the latest completed checkpoint
   * is used instead), cancels every subtask, deploys the new plan and restores every subtask
   * from that checkpoint with the next tick. Resolves once the job runs again (running or
   * paused, as before), with the rescale's events in the log.
   *
   * @throws Error (with a `code`) when no job runs, or the rescale is refused (rescale.ts).
   */
  async rescale(operatorId: string | null, parallelism: number): Promise<RunStatus> {
    const jm = await this.readyToRedeploy('rescale');
    const decision = planRescale({ job: jm.job, config: jm.config, graph: jm.graph, finishedOperators: jm.finishedOperators() }, operatorId, parallelism);
    if (!decision.ok) throw coded(decision.code, decision.message);
    const { plan, rescaled, summary } = decision.rescale;
    return this.restartWithPlan(jm, {
      plan, rescaled, code: 'rescale', started: `Rescale ${summary}: stopping with a checkpoint.`,
      restored: (_id, from, note) => `Rescaled ${summary}: ${plan.graph.subtasks.length} subtasks restored ${from}${note}; no state row moved.`,
    });
  }

  /**
   * Drains TaskManager `tm` for maintenance (ClusterApi.drainTaskManager; the decisions are
   * drain.ts's): the rescale's stop-with-checkpoint, redeploy and restore, with the job at the
   * same parallelism and the drained TaskManager's subtasks on the others. It stays up, idle.
   *
   * @throws Error (with a `code`) when no job runs, or the drain is refused (drain.ts).
   */
  async drainTaskManager(tm: number): Promise<RunStatus> {
    return this.redeployDrain(tm, 'drain');
  }

  /** Returns a drained TaskManager to service (ClusterApi.undrainTaskManager): the job is spread evenly again. */
  async undrainTaskManager(tm: number): Promise<RunStatus> {
    return this.redeployDrain(tm, 'undrain');
  }

  private async redeployDrain(tm: number, what: 'drain' | 'undrain'): Promise<RunStatus> {
    const jm = await this.readyToRedeploy('drain');
    const decision = drainChange(jm, tm, what);
    if (!decision.ok) throw coded(decision.code, decision.message);
    return this.restartWithPlan(jm, decision.change);
  }

  /** The running JobManager, once no tick or other redeploy is in the way; refuses otherwise. */
  private async readyToRedeploy(code: 'rescale' | 'drain'): Promise<JobManagerCore> {
    const jm = this.requireJob();
    if (this.rescaling) throw coded(`${code}.busy`, 'A rescale or drain is already in progress; wait for it to finish.');
    await this.busy;
    if ((this.state !== 'running' && this.state !== 'paused') || jm.outcome !== 'running') {
      throw coded(`${code}.noRun`, `The run is ${this.state}: ${code} while the job runs or is paused.`);
    }
    if (jm.restarting) throw coded(`${code}.restarting`, `The job is restarting after a failure; ${code} once it runs again.`);
    if (jm.config.stateBackend === 'memory' && this.ports.taskManagers !== undefined) {
      throw coded(`${code}.memoryState`, `With stateBackend "memory" each TaskManager worker keeps its keyed state in its own heap, which a ${code} cannot hand to other subtasks. Run with stateBackend "idb" to ${code}.`);
    }
    return jm;
  }

  /**
   * Stops `jm` with a checkpoint, deploys `change.plan` and restores every subtask from that
   * checkpoint with the next tick (re-expressed for the new plan, rescale.ts). Resolves once
   * the job runs again (running or paused, as before).
   */
  private async restartWithPlan(jm: JobManagerCore, change: PlanChange): Promise<RunStatus> {
    const { plan, rescaled } = change;
    const wasRunning = this.state === 'running';
    this.rescaling = true;
    try {
      if (this.state === 'running') {
        this.state = 'paused';
        await this.busy;
      }
      jm.note(change.code === 'rescale' ? 'rescale-started' : 'drain-started', change.started);
      const stoppedWith = await this.stopWithCheckpoint(jm);
      if (jm.outcome !== 'running' || this.jm !== jm) {
        // A job that finished (or failed) while stopping keeps that outcome: nothing is left to move.
        if (this.jm === jm) this.settle();
        throw coded(`${change.code}.ended`, `The job ${jm.outcome} before it could be redeployed.`);
      }
      const handOver = jm.handOver();
      const checkpoints = rescaleCheckpoint(handOver.checkpoints, jm.checkpointTopology, topologyOf(plan), rescaled);
      const from = checkpoints.store.completed[0]?.id ?? 0;
      const restoredFrom = from === 0 ? 'from the beginning (no checkpoint had completed)' : `from checkpoint ${from}`;
      const note = stoppedWith === from ? '' : ' (the stop checkpoint did not complete; the latest completed one was used)';
      const next = new JobManagerCore(plan, {
        ...await this.leaderOptions(false),
        resume: { ...handOver, checkpoints, message: change.restored(from, restoredFrom, note), ...(change.eventKind === undefined ? {} : { eventKind: change.eventKind }) },
      });
      jm.stop();
      this.generation++;
      const generation = this.generation;
      this.jm = next;
      this.lostTaskManagers.clear();
      const answers = await this.redeployFor(next);
      if (generation !== this.generation) return this.status();
      next.onDeployed(answers);
      if (next.outcome !== 'running') {
        this.settle();
        return this.status();
      }
      // The restore tick: every subtask restores before the rescale resolves.
      const pending = this.step(1);
      if (pending !== undefined) await pending;
      if (generation !== this.generation || next.outcome !== 'running') return this.status();
      this.state = wasRunning ? 'running' : 'paused';
      if (wasRunning) this.startLoop();
    } catch (error) {
      if (codeOf(error) === `${change.code}.ended`) throw error;
      if (codeOf(error)?.startsWith(`${change.code}.`) === true) {
        // Refused after the stop: the run cannot go on with stopped sources.
        this.failFromHost({ code: codeOf(error) as string, message: messageOf(error) });
        throw error;
      }
      this.crash(error);
      throw error;
    } finally {
      this.rescaling = false;
      this.requestFrame();
    }
    return this.status();
  }

  /**
   * Triggers a checkpoint that stops the sources after its barrier and runs ticks until it
   * completes, plus one so its completion reaches the sinks (they commit). @returns its id,
   * or 0 when it did not complete within the budget (then the latest completed one is used).
   */
  private async stopWithCheckpoint(jm: JobManagerCore): Promise<number> {
    let stopId = 0;
    for (let ticks = stopTickBudget(jm.config); ticks > 0 && jm.outcome === 'running' && this.jm === jm; ticks--) {
      if (stopId === 0 && !jm.restarting) {
        const trigger = jm.triggerCheckpoint(true);
        if (trigger.ok) stopId = trigger.checkpointId;
      }
      if (stopId > 0) {
        const status = jm.checkpointsReport().history.find((c) => c.id === stopId)?.status;
        if (status === 'failed') return 0;
        if (status === 'completed') {
          await this.oneTick();
          return stopId;
        }
      }
      await this.oneTick();
    }
    return 0;
  }

  /** Pushes telemetry frames (≤ 10 per wall second) until the cluster is disposed. */
  async subscribe(onFrame: (frame: TelemetryFrame) => void): Promise<void> {
    this.telemetry.subscribe(onFrame);
  }

  /** A start refused after the plan was accepted (state could not be cleared): nothing runs. */
  private refuseStart(jm: JobManagerCore): void {
    jm.stop();
    this.jm = null;
    this.host = null;
    this.state = 'idle';
  }
}
