/**
 * Where a cluster's TaskManagers live, as the JobManager's host sees them: the seam between
 * LocalCluster (pacing, control plane) and the TaskManagers that run the ticks. Two hosts:
 * - {@link InProcessTaskManagers}: TaskManagerCores in this thread; batches between them ride
 *   on the JobManager's messages (Node tests, and the fallback when workers are unavailable);
 * - `WorkerTaskManagers` (src/workers): one Web Worker per TaskManager, batches over direct
 *   MessagePorts, a tick deadline, and kills that terminate a worker for real.
 * Both speak runtime/protocol.ts and produce the same reports for the same messages, which is
 * why the trace hash does not depend on the host.
 */
import type {
  DeployedMessage, DeployMessage, LookupStateMessage, ReconciledMessage, ReconcileMessage, ScanStateMessage, StartTickMessage, StateLookupReply,
  StateScanReply, TickDoneMessage,
} from '../runtime/protocol';
import type { FailureInfo } from '../runtime/telemetry';
import type { StateStorage } from '../state/types';
import type { CheckpointSabotage } from './OperatorTask';
import { TaskManagerCore, type TaskManagerPorts } from './TaskManagerCore';
import { defaultReleaseStateStorage } from './TaskManagerState';

/**
 * A round's outcome (several ticks begun at once, JobManagerCore.beginTicks): the reports of
 * the ticks every live TaskManager finished, in tick order, and the failure that cut the
 * round short, if one did — so a failure lands at the same tick as with one tick per round.
 */
export interface RoundResult {
  reports: TickDoneMessage[][];
  failure?: FailureInfo;
  /**
   * TaskManagers lost during the round (a crash, a missed tick deadline), each at the first tick
   * it did not report: that tick's and later ticks' reports come from the others, whom the host
   * released from waiting for its batches. `tick` is an index into `reports`.
   */
  lost?: LostTaskManager[];
}

/** A TaskManager that died during a tick, and why (its failure names it). */
export interface LostTaskManager {
  tick: number;
  failure: FailureInfo;
}

/** A tick's outcome: every live TaskManager's report, or the failure of one that did not report. */
export type TickResult =
  /** `lost`: TaskManagers that died during the tick; `reports` are the others' (see RoundResult). */
  | { ok: true; reports: TickDoneMessage[]; lost?: FailureInfo[] }
  /** A TaskManager crashed or missed the tick deadline (`taskmanager.lost`, `taskmanager.tickDeadline`). */
  | { ok: false; failure: FailureInfo };

export interface TaskManagerHost {
  /** Deploys every TaskManager (one message each, TM order); answers in TM order. */
  deploy(messages: readonly DeployMessage[]): DeployedMessage[] | Promise<DeployedMessage[]>;
  /**
   * Runs one tick on the live TaskManagers: `messages[i]` goes to TaskManager `live[i]`.
   * Synchronous when the host can be (in-process TaskManagers without state I/O).
   */
  runTick(messages: readonly StartTickMessage[], live: readonly number[]): TickResult | Promise<TickResult>;
  /**
   * Most ticks the host runs per round trip (absent: 1). Above 1 only for hosts whose
   * TaskManagers exchange batches directly, never through the JobManager.
   */
  readonly ticksPerRound?: number;
  /** Runs a round: `rounds[i][j]` is tick i's message for TaskManager `live[j]`. */
  runTicks?(rounds: readonly (readonly StartTickMessage[])[], live: readonly number[]): Promise<RoundResult>;
  /**
   * Asks a live TaskManager for one key's rows. Only called between ticks (no tick or round
   * in flight). Rejects when the TaskManager is gone or does not answer in time.
   */
  lookupState?(taskManager: number, message: LookupStateMessage): StateLookupReply | Promise<StateLookupReply>;
  /** Asks a live TaskManager for a page of a keyed subtask's rows; called like `lookupState`. */
  scanState?(taskManager: number, message: ScanStateMessage): Promise<StateScanReply>;
  /**
   * A new JobManager leader (HA failover) asks every live TaskManager what it runs, between
   * ticks; answers in `live` order. From then on the TaskManagers refuse older epochs. Absent:
   * the host cannot outlive its JobManager.
   */
  reconcile?(message: ReconcileMessage, live: readonly number[]): ReconciledMessage[] | Promise<ReconciledMessage[]>;
  /**
   * The JobManager declared TaskManager `taskManager` lost (kill-taskmanager): stop it for real.
   * A worker host terminates the worker and starts a fresh, undeployed one for recovery.
   */
  lose(taskManager: number): void;
  /**
   * Deploys fresh TaskManagers in the places of lost ones (failover; `plan.recovering`), with
   * the same data-plane wiring as the originals. Absent: the host cannot replace TaskManagers.
   */
  redeploy?(messages: readonly DeployMessage[]): DeployedMessage[] | Promise<DeployedMessage[]>;
  /**
   * A rescale: cancels every TaskManager, waits until they released their state, and deploys
   * the new plan on this host, keeping what the host shares across TaskManagers (the memory
   * storage of in-process TaskManagers). Absent: the cluster disposes the host and deploys
   * the new plan on a fresh one (worker TaskManagers; their state is in IndexedDB).
   */
  redeployAll?(messages: readonly DeployMessage[]): Promise<DeployedMessage[]>;
  /** The run ended: every TaskManager closes its subtasks and releases its state. */
  cancel(): void;
  /**
   * Releases everything (workers included); the host is not used again. A promise when
   * releasing takes I/O (in-process TaskManagers closing their state), settled once done, so
   * the next run's start does not race it.
   */
  dispose(): void | Promise<void>;
  /**
   * Failures the host notices outside a tick (a worker that crashes while the run is paused).
   * Failures during a tick come back as its {@link TickResult}.
   */
  setFailureListener(listener: (failure: FailureInfo) => void): void;
}

/** The state ports of a TaskManager core: how its storage is created and released. */
export type TaskManagerStatePorts = Pick<TaskManagerPorts, 'createStateStorage' | 'releaseStateStorage'>;

/** Creates a host for one run (LocalCluster calls it at every start). */
export type TaskManagerHostFactory = () => TaskManagerHost;

/**
 * TaskManagerCores in this thread. They share one memory storage per run (like worker
 * TaskManagers share the job's IndexedDB database), so memory-backend state survives the loss
 * of a TaskManager and a fresh one restores from it.
 */
export class InProcessTaskManagers implements TaskManagerHost {
  private tms: (TaskManagerCore | null)[] = [];
  /** Releases of lost TaskManagers still closing their state. */
  private losing: Promise<void>[] = [];
  private readonly ports: TaskManagerPorts;
  private sharedMemory: StateStorage | undefined;
  /** The shared memory storage stands in for 'idb' (no IndexedDB here). */
  private idbInMemory = false;
  private readonly release: (storage: StateStorage) => void;

  /** @param ports the state ports every TaskManager core gets, or just its storage factory. */
  constructor(ports: TaskManagerStatePorts | TaskManagerStatePorts['createStateStorage'], sabotage?: CheckpointSabotage) {
    const given = typeof ports === 'function' ? { createStateStorage: ports } : ports;
    this.release = given.releaseStateStorage ?? defaultReleaseStateStorage;
    this.ports = {
      createStateStorage: (kind, context) => {
        if (this.sharedMemory !== undefined && (kind === 'memory' || this.idbInMemory)) return this.sharedMemory;
        const storage = given.createStateStorage(kind, context);
        // 'idb' without IndexedDB (Node) falls back to memory: shared too, like the job's database.
        if (storage.kind !== 'memory') return storage;
        this.idbInMemory = kind !== 'memory';
        this.sharedMemory = storage;
        return storage;
      },
      releaseStateStorage: (storage) => {
        if (storage !== this.sharedMemory) this.release(storage);
      },
    };
    if (sabotage !== undefined) this.ports.sabotage = sabotage;
  }

  deploy(messages: readonly DeployMessage[]): DeployedMessage[] | Promise<DeployedMessage[]> {
    this.tms = messages.map(() => new TaskManagerCore(this.ports));
    const answers = messages.map((message) => (this.tms[message.taskManager] as TaskManagerCore).deploy(message));
    if (answers.some((answer) => answer instanceof Promise)) return Promise.all(answers);
    return answers as DeployedMessage[];
  }

  redeploy(messages: readonly DeployMessage[]): DeployedMessage[] | Promise<DeployedMessage[]> {
    const answers = messages.map((message) => {
      const tm = new TaskManagerCore(this.ports);
      this.tms[message.taskManager] = tm;
      return tm.deploy(message);
    });
    if (answers.some((answer) => answer instanceof Promise)) return Promise.all(answers);
    return answers as DeployedMessage[];
  }

  lookupState(taskManager: number, message: LookupStateMessage): StateLookupReply | Promise<StateLookupReply> {
    return this.core(taskManager).lookupState(message);
  }

  scanState(taskManager: number, message: ScanStateMessage): Promise<StateScanReply> {
    return this.core(taskManager).scanState(message);
  }

  redeployAll(messages: readonly DeployMessage[]): Promise<DeployedMessage[]> {
    this.cancel();
    const releasing = [...this.losing, ...this.tms.flatMap((tm) => tm?.whenReleased() ?? [])];
    this.losing = [];
    return Promise.all(releasing).then(() => this.deploy(messages));
  }

  runTick(messages: readonly StartTickMessage[], live: readonly number[]): TickResult | Promise<TickResult> {
    const results = messages.map((message, i) => this.core(live[i] as number).runTick(message));
    if (results.some((result) => result instanceof Promise)) {
      return Promise.all(results).then((reports) => ({ ok: true, reports }));
    }
    return { ok: true, reports: results as TickDoneMessage[] };
  }

  reconcile(message: ReconcileMessage, live: readonly number[]): ReconciledMessage[] {
    return live.map((tm) => this.core(tm).reconcile(message));
  }

  /** Messages of older leader epochs the TaskManagers refused (fencing). */
  staleRejected(): number {
    return this.tms.reduce((n, tm) => n + (tm?.staleRejected ?? 0), 0);
  }

  lose(taskManager: number): void {
    this.tms[taskManager]?.cancel();
    const released = this.tms[taskManager]?.whenReleased();
    if (released !== undefined) this.losing.push(released);
    this.tms[taskManager] = null;
  }

  cancel(): void {
    for (const tm of this.tms) tm?.cancel();
  }

  dispose(): Promise<void> | undefined {
    this.cancel();
    const releasing = [...this.losing, ...this.tms.flatMap((tm) => tm?.whenReleased() ?? [])];
    this.tms = [];
    this.losing = [];
    const shared = this.sharedMemory;
    this.sharedMemory = undefined;
    const releaseShared = (): void => {
      if (shared !== undefined) this.release(shared);
    };
    if (releasing.length === 0) {
      releaseShared();
      return undefined;
    }
    return Promise.all(releasing).then(releaseShared);
  }

  setFailureListener(): void {
    // In-process TaskManagers fail only inside a tick, through their reports.
  }

  private core(taskManager: number): TaskManagerCore {
    const tm = this.tms[taskManager];
    if (tm === undefined || tm === null) throw new Error(`TaskManager ${taskManager} is not running in this host.`);
    return tm;
  }
}
