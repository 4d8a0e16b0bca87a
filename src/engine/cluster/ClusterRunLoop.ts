/**
 * The run loop under LocalCluster (which adds the ClusterApi on top): the cluster's state
 * (JobManager, TaskManager host, run state, clock, generation), driving ticks and rounds through
 * the host with HA snapshot barriers and kills in between, replacing lost TaskManagers, settling
 * the run when it ends, pacing against the injected wall clock, and telemetry frames.
 * See LocalCluster.ts for pacing, `advance` and telemetry semantics.
 */
import type { CheckpointsReport, FailureInfo, MetricsSnapshot, RunState, RunStatus } from '../runtime/telemetry';
import { createMemoryStateStorage } from '../state/memory/MemoryStateStorage';
import { BetweenTicks } from './BetweenTicks';
import { CheckpointPersister, replaceLostTaskManagers } from './clusterFailover';
import type { LocalClusterPorts } from './clusterPorts';
import { JobManagerCore, type JobManagerOptions } from './JobManagerCore';
import { JobManagerFailover, type FailoverHost } from './jobManagerFailover';
import type { DeployedMessage, StartTickMessage, TickDoneMessage } from '../runtime/protocol';
import { Pacer } from './Pacer';
import { messageOf } from './stateLookup';
import { InProcessTaskManagers, type TaskManagerHost, type TickResult } from './TaskManagerHost';
import { TelemetryFeed } from './TelemetryFeed';

/** Wall ms of ticks run between two yields to the event loop. */
export const SLICE_MS = 12;
/** Telemetry frames: at most one per this many wall ms. */
export const FRAME_INTERVAL_MS = 100;
/** Records per sink list in a telemetry frame. */
export const FRAME_RECORDS = 50;

export abstract class ClusterRunLoop {
  protected jm: JobManagerCore | null = null;
  protected host: TaskManagerHost | null = null;
  /** TaskManagers the host was told to stop (kill-taskmanager) or reported dead. */
  protected readonly lostTaskManagers = new Set<number>();
  protected state: RunState = 'idle';
  protected clockMs = 0;
  protected generation = 0;
  protected busy: Promise<void> | null = null;
  protected readonly pacer: Pacer;
  protected readonly telemetry: TelemetryFeed;
  /** Work that must not overlap a tick (state lookups), run between ticks. */
  protected readonly betweenTicks = new BetweenTicks();
  protected lookupRequests = 0;
  protected hostFailure: FailureInfo | undefined;
  protected rescaling = false;
  /** Checkpoint metadata saves, one after the other. */
  protected readonly persister: CheckpointPersister;
  /** JobManager HA: elections, the snapshot write barrier, kills and takeovers (jobManagerFailover.ts). */
  protected readonly failover: JobManagerFailover;

  constructor(protected readonly ports: LocalClusterPorts) {
    this.failover = new JobManagerFailover(ports.ha, ports.jobManagerLost, ports.haTesting, (ms) => ports.clock.sleep(ms));
    this.pacer = new Pacer(() => ports.clock.now());
    this.persister = new CheckpointPersister(ports.checkpointStore);
    this.telemetry = new TelemetryFeed(ports.clock, () => this.frameParts(), FRAME_INTERVAL_MS, FRAME_RECORDS);
  }

  protected async oneTick(): Promise<void> {
    const pending = this.step(1);
    if (pending !== undefined) await pending;
  }

  /** Cancels every subtask and deploys `jm`'s plan: on the same host when it can, else on a fresh one. */
  protected async redeployFor(jm: JobManagerCore): Promise<DeployedMessage[]> {
    const host = this.host as TaskManagerHost;
    if (host.redeployAll !== undefined) return host.redeployAll(jm.deployMessages());
    const disposing = host.dispose();
    if (disposing !== undefined) await disposing;
    const fresh = this.createHost();
    const generation = this.generation;
    fresh.setFailureListener((failure) => {
      if (generation === this.generation) this.onTaskManagerFailure(failure);
    });
    this.host = fresh;
    return fresh.deploy(jm.deployMessages());
  }

  /**
   * The host reports a failure outside the engine's control (an uncaught error): the run
   * fails with it, and nothing hangs.
   */
  failFromHost(failure: FailureInfo): void {
    this.generation++;
    this.hostFailure = failure;
    this.jm?.onTaskManagerFailure(failure);
    this.state = 'failed';
    this.cancelAll();
    this.requestFrame();
  }

  protected currentStatus(): RunStatus {
    const failure = this.hostFailure ?? this.jm?.failure;
    const restarting = (this.state === 'running' || this.state === 'paused') && this.jm?.restarting === true;
    const status: RunStatus = { state: restarting ? 'restarting' : this.state, virtualTimeMs: this.clockMs };
    if (failure !== undefined) status.failure = failure;
    const reached = this.state === 'running' ? this.pacer.reached() : undefined;
    if (reached !== undefined) status.speedReached = reached;
    return status;
  }

  protected startLoop(): void {
    this.reanchor();
    const generation = this.generation;
    this.busy = this.runUntil(generation, Number.POSITIVE_INFINITY).catch((error: unknown) => this.crash(error));
  }

  /** Runs ticks while running and the next tick ends at or before `targetMs`, paced. */
  protected async runUntil(generation: number, targetMs: number): Promise<void> {
    this.betweenTicks.loopStarted();
    try {
      await this.runTicksUntil(generation, targetMs);
    } finally {
      this.betweenTicks.loopEnded();
    }
  }

  protected async runTicksUntil(generation: number, targetMs: number): Promise<void> {
    const { clock } = this.ports;
    const paced = targetMs === Number.POSITIVE_INFINITY;
    while (this.isLive(generation)) {
      const sliceEnd = clock.now() + SLICE_MS;
      let ranOut = false;
      while (this.isLive(generation)) {
        const jm = this.jm as JobManagerCore;
        if (jm.nextTickEndMs > targetMs) {
          ranOut = true;
          break;
        }
        const due = paced ? this.dueVirtualMs() : targetMs;
        if (jm.nextTickEndMs > due) break;
        const gate = this.betweenTicks.serve();
        if (gate !== undefined) {
          await gate;
          if (!this.isLive(generation)) break;
        }
        // The last round's HA snapshot write (the next round waits for it; a pause meanwhile stops here).
        const barrier = this.failover.barrier();
        if (barrier !== undefined) {
          await barrier;
          if (!this.isLive(generation)) break;
        }
        const pending = this.step(this.ticksThisRound(jm, due));
        if (pending !== undefined) await pending;
        if (clock.now() >= sliceEnd) break;
      }
      this.afterProgress();
      if (ranOut || !this.isLive(generation)) return;
      await clock.sleep(paced ? this.wallUntilNextTick() : 0);
    }
  }

  /**
   * Ticks to begin at once: 1, unless the host runs rounds (worker TaskManagers), then as many
   * as end by `dueMs` (the advance target, or what the pacing allows), up to its round size.
   */
  protected ticksThisRound(jm: JobManagerCore, dueMs: number): number {
    const perRound = this.host?.ticksPerRound ?? 1;
    if (perRound <= 1) return 1;
    const fit = Math.floor((dueMs - jm.virtualTimeMs) / jm.config.tickMs);
    return Math.max(1, Math.min(perRound, fit));
  }

  /** One bulk-synchronous tick (or a round of them); a promise only when some TaskManager waits for state I/O. */
  protected step(ticks: number): Promise<void> | undefined {
    // The HA snapshot of the last round is in both stores before TaskManagers hear more (HaController.ts).
    const barrier = this.failover.barrier();
    if (barrier !== undefined) return barrier.then(() => this.step(ticks));
    const kill = this.failover.due(this.jm as JobManagerCore);
    if (kill !== undefined) return this.failover.failOver(this.failoverHost(), kill).then(() => this.requestFrame());
    const replacing = this.replaceLostTaskManagers();
    if (replacing !== undefined) return replacing.then(() => this.step(ticks));
    if (ticks > 1) return this.stepRound(ticks);
    const jm = this.jm as JobManagerCore;
    const messages = jm.beginTick();
    this.dropLostTaskManagers();
    if (messages === null) {
      this.settle();
      return undefined;
    }
    return this.sendTick(jm, messages);
  }

  protected sendTick(jm: JobManagerCore, messages: StartTickMessage[]): Promise<void> | undefined {
    if (this.jm !== jm) return undefined;
    let result: TickResult | Promise<TickResult>;
    try {
      result = (this.host as TaskManagerHost).runTick(messages, jm.liveTaskManagers);
    } catch (error) {
      this.taskManagerError(-1, error);
      return undefined;
    }
    if (result instanceof Promise) {
      const generation = this.generation;
      return result.then(
        (outcome) => {
          if (generation === this.generation) this.onTickResult(outcome);
        },
        (error: unknown) => {
          if (generation === this.generation) this.taskManagerError(-1, error);
        },
      );
    }
    this.onTickResult(result);
    return undefined;
  }

  /** A round of ticks on a host that runs rounds (see JobManagerCore.beginTicks). */
  protected stepRound(ticks: number): Promise<void> | undefined {
    const jm = this.jm as JobManagerCore;
    const host = this.host as TaskManagerHost;
    const rounds = jm.beginTicks(ticks);
    this.dropLostTaskManagers();
    if (rounds === null) {
      this.settle();
      return undefined;
    }
    const generation = this.generation;
    // Nothing is awaited between beginning the round and sending it: a worker crash noticed
    // meanwhile would otherwise land between ticks, at another virtual time.
    const run = host.runTicks?.(rounds, jm.liveTaskManagers) ?? Promise.reject(new Error('The TaskManager host runs no rounds.'));
    return run.then(
      (result) => {
        if (generation !== this.generation) return;
        for (const [i, reports] of result.reports.entries()) {
          if (reports.some((report) => report.outgoing.length > 0)) throw new Error('A TaskManager sent batches through the JobManager in a round.');
          this.complete(reports, (result.lost ?? []).filter((l) => l.tick === i).map((l) => l.failure));
          if (jm.outcome !== 'running') return;
        }
        if (result.failure !== undefined) this.onTaskManagerFailure(result.failure);
      },
      (error: unknown) => {
        if (generation === this.generation) this.taskManagerError(-1, error);
      },
    );
  }

  /** Fresh TaskManagers for a restart due with the next tick (clusterFailover.ts). */
  protected replaceLostTaskManagers(): Promise<void> | undefined {
    const jm = this.jm as JobManagerCore;
    const generation = this.generation;
    return replaceLostTaskManagers(jm, this.host as TaskManagerHost, {
      current: () => generation === this.generation,
      replaced: (answers) => {
        for (const answer of answers) if (answer.ok) this.lostTaskManagers.delete(answer.taskManager);
      },
      failed: (failure) => {
        if (isFailureInfo(failure)) this.onTaskManagerFailure(failure);
        else this.taskManagerError(-1, failure);
      },
    })?.then(() => {
      if (generation === this.generation && jm.outcome !== 'running') this.settle();
    });
  }

  protected onTickResult(result: TickResult): void {
    if (result.ok) this.complete(result.reports, result.lost);
    else this.onTaskManagerFailure(result.failure);
  }

  /** A failure the host could not place at a tick (a crash between ticks, a deploy, a cancel): the run fails with it. */
  protected onTaskManagerFailure(failure: FailureInfo): void {
    if (failure.taskManager !== undefined) this.lostTaskManagers.add(failure.taskManager);
    this.jm?.onTaskManagerFailure(failure);
    this.settle();
  }

  /** A TaskManager core threw outside any task (a bug or a broken message): the run fails. */
  protected taskManagerError(taskManager: number, error: unknown): void {
    const detail = error instanceof Error ? error.message : String(error);
    const where = taskManager >= 0 ? `TaskManager ${taskManager}` : 'A TaskManager';
    const failure: FailureInfo = { code: 'taskmanager.error', message: `${where} stopped on an internal error: ${detail}` };
    if (taskManager >= 0) failure.taskManager = taskManager;
    this.onTaskManagerFailure(failure);
  }

  /** A tick's reports; `lost`: TaskManagers that died during it (the host already replaced their workers). */
  protected complete(reports: TickDoneMessage[], lost: readonly FailureInfo[] = []): void {
    const jm = this.jm as JobManagerCore;
    for (const failure of lost) if (failure.taskManager !== undefined) this.lostTaskManagers.add(failure.taskManager);
    const completedBefore = jm.checkpointsCompleted;
    jm.completeTick(reports, lost);
    // A kill while finalising a checkpoint: its last ack is in, the snapshot never written.
    if (this.failover.diesFinalising(jm, completedBefore)) return;
    this.failover.writeSnapshot(this.failoverHost(), jm);
    this.persistCheckpoint(jm);
    this.clockMs = Math.max(this.clockMs, jm.virtualTimeMs);
    if (jm.outcome !== 'running') this.settle();
  }

  /** Options of a JobManager this cluster creates: a new leader (`elect`) or the current one (a rescale, a drain). */
  protected leaderOptions(elect: boolean): Promise<JobManagerOptions> {
    // In-process TaskManagers share one memory storage; a worker's heap dies with it.
    return this.failover.leaderOptions(elect, this.ports.taskManagers === undefined);
  }

  /** What the failover (jobManagerFailover.ts) may see and do of this cluster. */
  protected failoverHost(): FailoverHost {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the failover reads live fields
    const cluster = this;
    return {
      get jm() { return cluster.jm; },
      get host() { return cluster.host; },
      get generation() { return cluster.generation; },
      get paused() { return cluster.state === 'paused'; },
      memoryStateSurvivesLoss: this.ports.taskManagers === undefined,
      adopt: (jm) => {
        this.jm = jm;
        this.clockMs = Math.max(this.clockMs, jm.virtualTimeMs);
        this.failover.writeSnapshot(this.failoverHost(), jm);
        if (jm.outcome !== 'running') this.settle();
      },
      release: () => {
        // The successor lives in another worker: stop driving ticks, leave the TaskManagers be.
        this.generation++;
        this.state = 'stopped';
        this.host = null;
      },
      fail: (failure) => this.failFromHost(failure),
      note: (jm, kind, message) => jm.note(kind, message),
    };
  }

  /** Hands the latest completed checkpoint's metadata to the persistence port, in completion order. */
  protected persistCheckpoint(jm: JobManagerCore): void {
    const generation = this.generation;
    this.persister.persist(jm, (error) => {
      if (generation !== this.generation) return;
      this.failFromHost({ code: 'checkpoint.persistFailed', message: `Checkpoint metadata could not be saved: ${messageOf(error)}` });
    });
  }

  /** The run ended (finished, failed): release TaskManagers and report. */
  protected settle(): void {
    const jm = this.jm;
    if (jm === null) return;
    if (jm.outcome === 'finished') {
      this.state = 'finished';
      void this.persister.forget(jm.jobId);
    }
    else if (jm.outcome === 'failed') this.state = 'failed';
    else if (jm.outcome === 'stopped') this.state = 'stopped';
    else return;
    this.clockMs = Math.max(this.clockMs, jm.virtualTimeMs);
    this.cancelAll();
    this.requestFrame();
  }

  protected crash(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.failFromHost({ code: 'jobmanager.error', message: `The JobManager stopped on an internal error: ${message}` });
  }

  protected isLive(generation: number): boolean {
    return generation === this.generation && this.state === 'running' && this.jm !== null;
  }

  /** Stops, for real, the TaskManagers the JobManager has just declared lost (kill-taskmanager). */
  protected dropLostTaskManagers(): void {
    const live = new Set((this.jm as JobManagerCore).liveTaskManagers);
    for (let tm = 0; tm < (this.jm as JobManagerCore).config.taskManagers; tm++) {
      if (live.has(tm) || this.lostTaskManagers.has(tm)) continue;
      this.lostTaskManagers.add(tm);
      this.host?.lose(tm);
    }
  }

  protected cancelAll(): void {
    this.host?.cancel();
  }

  protected createHost(): TaskManagerHost {
    if (this.ports.taskManagers !== undefined) return this.ports.taskManagers();
    const createStateStorage = this.ports.createStateStorage ?? (() => createMemoryStateStorage());
    const release = this.ports.releaseStateStorage;
    return new InProcessTaskManagers(
      release === undefined ? { createStateStorage } : { createStateStorage, releaseStateStorage: release }, this.ports.checkpointTesting,
    );
  }

  protected requireJob(): JobManagerCore {
    if (this.jm === null) throw new Error('No job has been started: call start(job) first.');
    return this.jm;
  }

  protected reanchor(): void {
    this.pacer.reanchor(this.jm?.virtualTimeMs ?? 0);
  }

  protected dueVirtualMs(): number {
    return this.pacer.dueVirtualMs((this.jm as JobManagerCore).virtualTimeMs);
  }

  protected wallUntilNextTick(): number {
    const jm = this.jm as JobManagerCore;
    return this.pacer.wallUntil(jm.nextTickEndMs, jm.virtualTimeMs, FRAME_INTERVAL_MS);
  }

  protected afterProgress(): void {
    this.pacer.sample(this.jm?.virtualTimeMs ?? 0);
    this.requestFrame();
  }

  protected requestFrame(): void {
    this.telemetry.request();
  }

  protected frameParts(): { status: RunStatus; metrics: MetricsSnapshot; jm: JobManagerCore | null } {
    const jm = this.jm;
    return { status: this.currentStatus(), metrics: jm?.metrics() ?? emptyMetrics(), jm };
  }
}

function isFailureInfo(value: unknown): value is FailureInfo {
  return typeof value === 'object' && value !== null && typeof (value as FailureInfo).code === 'string' && typeof (value as FailureInfo).message === 'string';
}

export function emptyCheckpoints(): CheckpointsReport {
  const none = { min: 0, avg: 0, max: 0 };
  return {
    enabled: false, mode: 'global', type: 'incremental', history: [],
    summary: { completed: 0, failed: 0, inProgress: 0, latestCompletedId: null, latestFailedId: null, durationMs: none, size: none, alignmentMs: none },
  };
}

export function emptyMetrics(): MetricsSnapshot {
  return { virtualTimeMs: 0, operators: [], subtasks: [], channels: [], taskManagers: [] };
}
