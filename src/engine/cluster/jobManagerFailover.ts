/**
 * LocalCluster's JobManager high availability (src/engine/ha, HaController.ts): who leads and
 * with which epoch, the snapshot writes and their barrier, the HA faults, and what happens when
 * the leader dies. Two ways for a successor to appear:
 * - in this thread (Node, or TaskManagers in-process): a new JobManagerCore takes over at once;
 * - in the browser: the host's `jobManagerLost` port hears of it, the JobManager worker is
 *   terminated for real, and a fresh worker adopts the TaskManager workers that kept running
 *   (LocalCluster.adoptRunning).
 */
import type { Fault, FailureInfo } from '../runtime/telemetry';
import type { TakeoverSabotage } from '../ha/types';
import { COORDINATION_TIMEOUT_MS, MAX_STORE_LATENCY_MS } from '../ha/SlowCoordination';
import { HaController, type HaPorts, type HaStatus } from './HaController';
import type { JobManagerCore, JobManagerOptions } from './JobManagerCore';
import type { TaskManagerHost } from './TaskManagerHost';

/** A kill-jobmanager on its way: at the next round boundary, mid-round, or while finalising a checkpoint. */
export interface JobManagerKill {
  at: 'round-boundary' | 'mid-round' | 'finalisation';
}

/** What a successor in another worker needs to take over (plain data). */
export interface JobManagerHandoff {
  jobId: string;
  /** The leader that died, and its epoch. */
  leader: string;
  epoch: number;
  /** How the run was paced when its leader died (the successor goes on alike). */
  paused: boolean;
}

/** What the failover needs of the cluster it serves. */
export interface FailoverHost {
  readonly jm: JobManagerCore | null;
  readonly host: TaskManagerHost | null;
  readonly generation: number;
  readonly paused: boolean;
  /** In-process TaskManagers share memory state (JobManagerOptions.memoryStateSurvivesLoss). */
  readonly memoryStateSurvivesLoss: boolean;
  /** The successor took over: it becomes the cluster's JobManager. */
  adopt(jm: JobManagerCore): void;
  /** The leader died and a successor comes from elsewhere: stop driving ticks, keep the TaskManagers. */
  release(): void;
  fail(failure: FailureInfo): void;
  note(jm: JobManagerCore, kind: 'ha-store-up' | 'ha-store-down' | 'ha-store-slow' | 'fault-injected', message: string): void;
}

export class JobManagerFailover {
  readonly ha: HaController;
  private pending: JobManagerKill | undefined;
  /** JobManagers that lost leadership (kept so tests can check they are fenced off). */
  readonly deposed: JobManagerCore[] = [];

  constructor(
    ports: HaPorts | undefined, private readonly lost?: (handoff: JobManagerHandoff) => void, sabotage?: TakeoverSabotage,
    sleep?: (ms: number) => Promise<void>,
  ) {
    this.ha = new HaController(ports, sabotage, sleep);
  }

  /** Options of a new JobManager: a new leader (`elect`) or the current one (a rescale, a drain). */
  async leaderOptions(elect: boolean, memoryStateSurvivesLoss: boolean): Promise<JobManagerOptions> {
    const base: JobManagerOptions = { memoryStateSurvivesLoss };
    if (!elect) return { ...base, epoch: this.ha.epoch, leaderName: this.ha.leader };
    const { epoch, leader } = await this.ha.elect();
    return { ...base, epoch, leaderName: leader };
  }

  /** Starts writing `jm`'s snapshot when due; the next round waits (`barrier`). */
  writeSnapshot(cluster: FailoverHost, jm: JobManagerCore): void {
    const generation = cluster.generation;
    this.ha.writeIfDue(jm, (failure) => {
      if (generation === cluster.generation && cluster.jm === jm) cluster.fail(failure);
    });
  }

  barrier(): Promise<void> | undefined {
    return this.ha.barrier();
  }

  /** A kill due now (at a round boundary, not while subtasks wait for a restart). */
  due(jm: JobManagerCore): JobManagerKill | undefined {
    return this.pending !== undefined && this.pending.at !== 'finalisation' && !jm.restarting ? this.pending : undefined;
  }

  /** After a tick's reports: a 'finalisation' kill lands now if the tick completed a checkpoint (no snapshot written). */
  diesFinalising(jm: JobManagerCore, completedBefore: number): boolean {
    if (this.pending?.at !== 'finalisation' || jm.checkpointsCompleted <= completedBefore) return false;
    this.pending = { at: 'round-boundary' };
    return true;
  }

  /** Queues a kill (kill-jobmanager, or a test's chosen phase). @returns null, or why not. */
  request(cluster: FailoverHost, jm: JobManagerCore, at: JobManagerKill['at'], busy: string | null): string | null {
    if (busy !== null) return busy;
    if (this.pending !== undefined) return 'A JobManager kill is already on its way.';
    if (this.lost === undefined && cluster.host?.reconcile === undefined) {
      return 'These TaskManagers cannot outlive their JobManager, so a JobManager kill would end the run.';
    }
    this.pending = { at };
    cluster.note(jm, 'fault-injected', `Fault injected: ${JSON.stringify({ kind: 'kill-jobmanager' })}.`);
    return null;
  }

  /** coordination-store-down / -up / -slow. @returns null, or why the fault was refused. */
  async storeFault(cluster: FailoverHost, jm: JobManagerCore, fault: Fault): Promise<string | null> {
    if (fault.kind === 'coordination-store-slow') {
      const ms = fault.latencyMs;
      if (!Number.isInteger(ms) || ms < 0 || ms > MAX_STORE_LATENCY_MS) {
        return `A coordination-store latency must be a whole number of ms from 0 to ${MAX_STORE_LATENCY_MS} (0 restores it), not ${String(ms)}.`;
      }
      this.ha.setCoordinationLatency(ms);
      cluster.note(jm, 'ha-store-slow', ms === 0
        ? 'The coordination store answers at once again.'
        : ms > COORDINATION_TIMEOUT_MS
          ? `The coordination store answers ${ms} ms late: beyond ${COORDINATION_TIMEOUT_MS} ms a call counts as failed, so HA records go to the file store only.`
          : `The coordination store answers ${ms} ms late: HA writes, and so the rounds that wait for them, take that much longer in wall time (virtual time is not affected).`);
      return null;
    }
    const up = fault.kind === 'coordination-store-up';
    await this.ha.setCoordinationAvailable(up);
    cluster.note(jm, up ? 'ha-store-up' : 'ha-store-down', up
      ? 'The coordination store is back: HA records go to both stores again.'
      : 'The coordination store is down: HA records go to the file store only, and a new leader would recover from it.');
    return null;
  }

  /**
   * The leader dies — mid-round, its TaskManagers finish the round and keep the reports it never
   * reads — and a successor takes over from the HA stores and the TaskManagers, which never stop.
   */
  async failOver(cluster: FailoverHost, kill: JobManagerKill): Promise<void> {
    this.pending = undefined;
    const old = cluster.jm as JobManagerCore;
    const host = cluster.host as TaskManagerHost;
    const generation = cluster.generation;
    if (kill.at === 'mid-round') {
      // The round goes out (its snapshot first, as always); the leader dies before reading the reports.
      const messages = old.beginTick();
      this.writeSnapshot(cluster, old);
      await this.ha.barrier();
      if (messages !== null) await host.runTick(messages, old.liveTaskManagers);
    }
    await this.ha.barrier();
    this.deposed.push(old);
    if (this.lost !== undefined) {
      cluster.release();
      this.lost({ jobId: old.jobId, leader: old.leaderName ?? this.ha.leader, epoch: old.epoch, paused: cluster.paused });
      return;
    }
    try {
      const { jm } = await this.ha.takeOver({ jobId: old.jobId, lostLeader: old.leaderName ?? this.ha.leader }, host, { memoryStateSurvivesLoss: cluster.memoryStateSurvivesLoss });
      if (generation === cluster.generation) cluster.adopt(jm);
    } catch (error) {
      if (generation === cluster.generation) cluster.fail({ code: 'ha.takeoverFailed', message: `No JobManager could take over the job: ${error instanceof Error ? error.message : String(error)}` });
    }
  }

  /** A successor in a fresh worker (browser): takes over `handoff`'s job with the adopted TaskManagers. */
  async adopt(handoff: JobManagerHandoff, host: TaskManagerHost, memoryStateSurvivesLoss: boolean): Promise<JobManagerCore> {
    const { jm } = await this.ha.takeOver({ jobId: handoff.jobId, lostLeader: handoff.leader }, host, { memoryStateSurvivesLoss });
    return jm;
  }

  status(jm: JobManagerCore | null, host: TaskManagerHost | null): HaStatus {
    const stale = (host as { staleRejected?: () => number } | null)?.staleRejected?.() ?? 0;
    return this.ha.status(jm, stale);
  }
}
