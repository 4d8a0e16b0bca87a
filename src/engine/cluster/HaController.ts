/**
 * The host side of JobManager high availability (src/engine/ha, DESIGN.md §6) for LocalCluster:
 * elections, the write barrier that keeps the ExecutionGraph snapshot in both stores before the
 * next round starts, the coordination-store faults, and the takeover by a new leader.
 *
 * Write barrier: a round that changed a snapshotted fact (a checkpoint completed, a sink
 * committed, a failover began or ended) ends with the snapshot written to both stores, and the
 * next round waits for it — the way Flink's JobManager writes a completed checkpoint to the HA
 * store before it notifies the tasks. So the snapshot never lags what TaskManagers were told,
 * and a successor together with the TaskManagers' reconcile answers knows everything it needs.
 */
import { HaServices } from '../ha/HaServices';
import { SlowCoordination } from '../ha/SlowCoordination';
import { MemoryCoordinationStore, MemoryHaStore } from '../ha/MemoryHaStore';
import {
  HA_KEYS, HaFencedError, type CoordinationStore, type HaRecordStore, type HaStoreKind, type LeaderChange, type StoredSnapshot, type TakeoverSabotage,
} from '../ha/types';
import type { FailureInfo } from '../runtime/telemetry';
import { JobManagerCore, type JobManagerOptions } from './JobManagerCore';
import { planRun } from './planRun';
import type { TaskManagerHost } from './TaskManagerHost';

/** The two stores; the coordination store can be taken down and brought back (faults). */
export interface HaPorts {
  coordination: CoordinationStore & { setAvailable(up: boolean): void | Promise<void> };
  file: HaRecordStore;
}

/** Where HA stands (`haStatus()`, the Cluster tab). */
export interface HaStatus {
  epoch: number;
  leader: string;
  /** Whether the coordination store answers. */
  coordinationUp: boolean;
  /** Wall ms each coordination-store call waits (the slow fault; 0: none). */
  coordinationLatencyMs: number;
  /** The latest snapshot write: its sequence, virtual time and which stores took it. */
  lastSnapshot?: { sequence: number; virtualTimeMs: number; stores: HaStoreKind[] };
  /** Snapshot writes so far. */
  snapshotWrites: number;
  leaderChanges: LeaderChange[];
  /** Commands of deposed leaders the TaskManagers refused, and HA writes the stores refused (fencing). */
  staleRejected: number;
}

/** How a takeover went (for the oracle suite and events). */
export interface TakeOverResult {
  jm: JobManagerCore;
  from: HaStoreKind;
  electedBy: HaStoreKind;
}

export class HaController {
  readonly services: HaServices;
  private epochValue = 0;
  private leaderValue = '';
  private candidates = 0;
  private sequence = 0;
  private writing: Promise<void> | undefined;
  private coordinationUp = true;
  private last: HaStatus['lastSnapshot'];
  private writes = 0;
  private fencedWrites = 0;
  /** The latest completed checkpoint whose metadata the stores hold (-1: none written yet). */
  private checkpointsWritten = -1;

  /** The coordination store as this JobManager reaches it (the slow fault applies here). */
  private readonly coordination: SlowCoordination;

  constructor(
    private readonly ports: HaPorts = memoryHaPorts(), private readonly sabotage?: TakeoverSabotage,
    sleep: (ms: number) => Promise<void> = () => Promise.resolve(),
  ) {
    this.coordination = new SlowCoordination(ports.coordination, sleep);
    this.services = new HaServices(this.coordination, ports.file);
  }

  /** coordination-store-slow: every call waits this many wall ms (beyond the timeout it fails). */
  setCoordinationLatency(ms: number): void {
    this.coordination.setLatency(ms);
  }

  get epoch(): number {
    return this.epochValue;
  }

  get leader(): string {
    return this.leaderValue;
  }

  /**
   * A successor in another worker picks up the leaders' counters where the stores have them
   * (candidate names go on; epochs come from the stores anyway).
   */
  continueFrom(lostLeader: string): void {
    const n = Number(/(\d+)$/.exec(lostLeader)?.[1] ?? 0);
    this.candidates = Math.max(this.candidates, n);
  }

  /** Elects the next JobManager (at a start, or a takeover). */
  async elect(): Promise<{ epoch: number; leader: string; electedBy: HaStoreKind }> {
    const candidate = `jobmanager-${++this.candidates}`;
    const { entry, electedBy } = await this.services.elect(candidate);
    this.epochValue = entry.epoch;
    this.leaderValue = entry.leader;
    return { epoch: entry.epoch, leader: entry.leader, electedBy };
  }

  /** A fresh run: the job graph and config go to both stores, once. */
  async writeJob(jm: JobManagerCore): Promise<void> {
    await this.services.write(HA_KEYS.job(jm.jobId), { job: jm.job, config: jm.config }, jm.epoch);
  }

  /** Starts writing `jm`'s snapshot when a snapshotted fact changed; `barrier()` waits for it. */
  writeIfDue(jm: JobManagerCore, onError: (failure: FailureInfo) => void): void {
    if (!jm.haSnapshotDue) return;
    const { checkpoints, ...rest } = jm.haSnapshot(++this.sequence);
    const latest = checkpoints.store.completed.reduce((max, c) => Math.max(max, c.id), 0);
    const stored: StoredSnapshot = { ...rest, latestCheckpointId: latest, nextCheckpointId: checkpoints.nextCheckpointId };
    // The checkpoints go out only when one completed, before the snapshot that points at them.
    const writeCheckpoints = latest !== this.checkpointsWritten;
    this.checkpointsWritten = latest;
    const snapshot = stored;
    const previous = this.writing ?? Promise.resolve();
    const write = previous.then(async () => {
      // Checkpoint metadata (megabytes with memory-backend handles) goes to the file store only.
      if (writeCheckpoints) await this.services.write(HA_KEYS.checkpoints(jm.jobId), checkpoints, jm.epoch, 'file');
      const result = await this.services.write(HA_KEYS.snapshot(jm.jobId), snapshot, jm.epoch);
      this.writes++;
      this.last = { sequence: snapshot.sequence, virtualTimeMs: snapshot.virtualTimeMs, stores: Object.keys(result.versions) as HaStoreKind[] };
    }).catch((error: unknown) => {
      if (error instanceof HaFencedError) this.fencedWrites++;
      onError({ code: error instanceof HaFencedError ? 'ha.fenced' : 'ha.writeFailed', message: `The JobManager could not write its HA snapshot: ${error instanceof Error ? error.message : String(error)}` });
    });
    this.writing = write;
    void write.finally(() => {
      if (this.writing === write) this.writing = undefined;
    });
  }

  /** The snapshot write in flight, if any: the next round waits for it. */
  barrier(): Promise<void> | undefined {
    return this.writing;
  }

  /** The coordination-store-down / -up faults. */
  async setCoordinationAvailable(up: boolean): Promise<void> {
    await this.ports.coordination.setAvailable(up);
    this.coordinationUp = up;
  }

  /**
   * The leader `old` is gone: its session expires, a new leader is elected, recovers the
   * ExecutionGraph snapshot from the stores, and reconciles with the live TaskManagers of
   * `host` — which keep running their subtasks throughout. Rejects when no snapshot exists or
   * the host cannot reconcile (the caller fails the run with the message).
   */
  async takeOver(old: { jobId: string; lostLeader: string }, host: TaskManagerHost, options: JobManagerOptions): Promise<TakeOverResult> {
    await this.writing;
    await this.services.expire(old.lostLeader);
    const recovered = await this.services.recoverSnapshot(old.jobId);
    if (recovered === undefined) throw new Error(`Neither HA store holds a snapshot of job '${old.jobId}'.`);
    if (host.reconcile === undefined) throw new Error('These TaskManagers cannot outlive their JobManager (no reconciliation).');
    this.continueFrom(old.lostLeader);
    const elected = await this.elect();
    const { snapshot } = recovered;
    this.sequence = Math.max(this.sequence, snapshot.sequence);
    this.checkpointsWritten = -1;
    const plan = planRun(snapshot.job, snapshot.config);
    if (!plan.ok) throw new Error(`The snapshotted job no longer plans: ${plan.errors.map((e) => e.message).join('; ')}`);
    const jm = new JobManagerCore({ ...plan, placement: snapshot.placement }, {
      ...options, epoch: elected.epoch,
      takeover: {
        snapshot, leader: elected.leader, recoveredFrom: recovered.from, reason: recovered.reason, snapshotVersion: recovered.version,
        electedBy: elected.electedBy, lostLeader: old.lostLeader, ...(this.sabotage === undefined ? {} : { sabotage: this.sabotage }),
      },
    });
    const live = snapshot.alive.flatMap((alive, tm) => (alive ? [tm] : []));
    jm.onReconciled(await host.reconcile(jm.reconcileMessage(), live));
    return { jm, from: recovered.from, electedBy: elected.electedBy };
  }

  /**
   * Fencing check for tests, on in-process TaskManagers (a worker TaskManager would treat a
   * refused tick as an internal error): every deposed JobManager tries one tick on every live
   * TaskManager and one HA write. @returns how many were tried and how many accepted.
   */
  async probeDeposed(deposed: readonly JobManagerCore[], host: TaskManagerHost, live: readonly number[]): Promise<{ attempted: number; accepted: number }> {
    let attempted = 0;
    let accepted = 0;
    for (const old of deposed) {
      const messages = old.beginTick();
      if (messages !== null) {
        for (const tm of live) {
          const message = messages.find((_, i) => old.liveTaskManagers[i] === tm);
          if (message === undefined) continue;
          attempted++;
          try {
            await host.runTick([message], [tm]);
            accepted++;
          } catch {
            // Refused (StaleLeaderError): as it must be.
          }
        }
      }
      attempted++;
      try {
        await this.services.write(HA_KEYS.snapshot(old.jobId), { ...old.haSnapshot(0), checkpoints: undefined, latestCheckpointId: 0, nextCheckpointId: 0 }, old.epoch);
        accepted++;
      } catch {
        this.fencedWrites++;
      }
    }
    return { attempted, accepted };
  }

  status(jm: JobManagerCore | null, hostStale = 0): HaStatus {
    const status: HaStatus = {
      epoch: this.epochValue, leader: this.leaderValue, coordinationUp: this.coordinationUp, coordinationLatencyMs: this.coordination.latencyMs,
      snapshotWrites: this.writes,
      leaderChanges: jm?.leaderHistory() ?? [], staleRejected: hostStale + this.fencedWrites,
    };
    if (this.last !== undefined) status.lastSnapshot = { ...this.last, stores: [...this.last.stores] };
    return status;
  }
}

/** In-memory stores (Node, and hosts that bring none). */
export function memoryHaPorts(): HaPorts {
  return { coordination: new MemoryCoordinationStore(), file: new MemoryHaStore('file') };
}
