/**
 * TaskManagers in Web Workers, one each (DESIGN.md §1, §4), behind the TaskManagerHost seam
 * LocalCluster drives: the JobManager worker creates them (nested dedicated workers), wires a
 * MessageChannel per TaskManager pair for the data plane, deploys, and runs the
 * bulk-synchronous ticks of runtime/protocol.ts.
 *
 * Nothing hangs and nothing dies quietly:
 * - Tick deadline: a TaskManager that does not finish a tick within `tickDeadlineMs` of wall
 *   time (default 5 s) is lost with `taskmanager.tickDeadline`. The late TaskManager that is
 *   *running* (not merely waiting for a peer's batch) is blamed; its shared progress cell names
 *   the subtask it is stuck in (a user expression that never returns), and its worker is
 *   terminated — the only way to stop a loop in JavaScript.
 * - A worker `error` or `messageerror`, or an internal error the worker reports, loses it
 *   with `taskmanager.lost` carrying the message.
 * - A TaskManager lost during a round is lost at the first tick it did not report: its worker
 *   is replaced, the others are told (`peer-lost`) so none waits for its batches of that tick
 *   or later, and the round goes on without it. The round's result lists the loss with the
 *   others' reports (RoundResult.lost); the JobManager fails its subtasks at that tick and
 *   recovers, or fails the job with that failure. Which tick that is depends only on where
 *   the TaskManager stopped, never on when the host noticed.
 * - kill-taskmanager (`lose`) calls `worker.terminate()` for real, and a fresh, undeployed
 *   worker takes the slot; a failover deploys it (`redeploy`) with new ports to its peers.
 * Failures during a tick come back as its TickResult; failures between ticks (a crash while
 * paused) go to the failure listener.
 *
 * JobManager HA: TaskManager workers may outlive this host's JobManager (the main thread owns
 * them). A successor builds its host around the running workers with {@link WorkerTaskManagers.adopt}
 * (no deploy) and asks them what they run with `reconcile`.
 *
 * Rounds (`runTicks`, JobManagerCore.beginTicks): at speed 'max' and in long advances, each
 * TaskManager gets up to `ticksPerRound` ticks at once and runs them back to back, tick by
 * tick with its peers over their ports; it still answers every tick, so the JobManager takes
 * the reports in order and a failure cuts the round at the tick where it happened.
 */
import type { RoundResult, TaskManagerHost, TickResult } from '../engine/cluster/TaskManagerHost';
import type {
  DeployedMessage, DeployMessage, LookupStateMessage, ReconciledMessage, ReconcileMessage, ScanStateMessage, StartTickMessage, StateLookupReply, StateScanReply, TickDoneMessage,
} from '../engine/runtime/protocol';
import type { FailureInfo } from '../engine/runtime/telemetry';
import { PHASE, PROGRESS, type HostToTaskManager, type TaskManagerToHost } from './taskmanager/messages';
import { DEFAULT_BATCH_ENCODING, type BatchEncoding } from './transport/peerTransport';
import { decodeTickDone } from './transport/tickReport';

/** What the host needs of a TaskManager worker (a real Worker, or a test double). */
export interface TaskManagerWorker {
  postMessage(message: HostToTaskManager, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<TaskManagerToHost>) => void): void;
  addEventListener(type: 'error' | 'messageerror', listener: (event: Event) => void): void;
  terminate(): void;
}

export interface WorkerTaskManagersOptions {
  /** Starts the worker for TaskManager slot `taskManager`. */
  spawn(taskManager: number): TaskManagerWorker;
  /** Wall ms a tick may take before its late TaskManager is declared hung (default 5000). */
  tickDeadlineMs?: number;
  /** Wall ms deploying may take, module loading included (default 30000). */
  deployDeadlineMs?: number;
  /** Most ticks per round trip to the TaskManagers (default {@link DEFAULT_TICKS_PER_ROUND}; 1: lockstep). */
  ticksPerRound?: number;
  /** How peer batches cross the ports (default: the packed, transferable form). */
  encoding?: BatchEncoding;
  /** Share a progress cell with each worker (default: when SharedArrayBuffer is usable). */
  progressCells?: boolean;
  timers?: { set(callback: () => void, ms: number): unknown; clear(handle: unknown): void };
}

export const DEFAULT_TICK_DEADLINE_MS = 5_000;
export const DEFAULT_DEPLOY_DEADLINE_MS = 30_000;
/** Wall ms a crashed worker's last reports get to arrive before it is declared lost. */
export const CRASH_GRACE_MS = 50;

interface Slot {
  worker: TaskManagerWorker;
  progress: Int32Array | null;
  deployed: boolean;
}

/**
 * The request in flight: the deploy, or a round of ticks. Answers arrive per tick and
 * TaskManager; `current` is the earliest tick not every TaskManager has answered yet.
 */
interface Pending {
  kind: 'deploy' | 'round';
  /** The round's tick numbers in order (deploy: just -1). */
  ticks: number[];
  from: readonly number[];
  answers: Map<number, DeployedMessage | TickDoneMessage>[];
  current: number;
  /** TaskManagers lost during the round: the tick (index) they stopped at, and why. */
  lost: Map<number, { tick: number; failure: FailureInfo }>;
  timer: unknown;
  deadlineMs: number;
  settle(failure?: FailureInfo): void;
}

/** A TaskManager worker already running a job, adopted by a new JobManager. */
export interface AdoptedTaskManager {
  taskManager: number;
  worker: TaskManagerWorker;
}

/** A state lookup or scan (or a reconciliation) waiting for its TaskManager's reply. */
interface PendingLookup<R = StateLookupReply | StateScanReply> {
  taskManager: number;
  resolve(reply: R): void;
  reject(error: Error): void;
  timer: unknown;
}

interface Answered {
  answers: Map<number, DeployedMessage | TickDoneMessage>[];
  /** Ticks (from the first) every TaskManager answered. */
  complete: number;
  failure?: FailureInfo;
  lost: Pending['lost'];
}

/** Ticks per round at speed 'max' or in a long advance: one round trip per this many ticks. */
export const DEFAULT_TICKS_PER_ROUND = 16;

const defaultTimers = {
  set: (callback: () => void, ms: number): unknown => setTimeout(callback, ms),
  clear: (handle: unknown): void => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

function canShareMemory(): boolean {
  return typeof SharedArrayBuffer === 'function' && (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
}

export class WorkerTaskManagers implements TaskManagerHost {
  private readonly slots: Slot[] = [];
  private deployMessages: readonly DeployMessage[] = [];
  private pending: Pending | null = null;
  private readonly lookups = new Map<number, PendingLookup>();
  /** Reconciliations in flight, by TaskManager. */
  private readonly reconciling = new Map<number, PendingLookup<ReconciledMessage>>();
  private listener: (failure: FailureInfo) => void = () => undefined;
  private disposed = false;
  readonly ticksPerRound: number;
  private readonly tickDeadlineMs: number;
  private readonly deployDeadlineMs: number;
  private readonly encoding: BatchEncoding;
  private readonly shareProgress: boolean;
  private readonly timers: NonNullable<WorkerTaskManagersOptions['timers']>;

  constructor(private readonly options: WorkerTaskManagersOptions) {
    this.tickDeadlineMs = options.tickDeadlineMs ?? DEFAULT_TICK_DEADLINE_MS;
    this.ticksPerRound = options.ticksPerRound ?? DEFAULT_TICKS_PER_ROUND;
    this.deployDeadlineMs = options.deployDeadlineMs ?? DEFAULT_DEPLOY_DEADLINE_MS;
    this.encoding = options.encoding ?? DEFAULT_BATCH_ENCODING;
    this.shareProgress = options.progressCells ?? canShareMemory();
    this.timers = options.timers ?? defaultTimers;
  }

  /**
   * A host around TaskManager workers that are already deployed and running (a new JobManager
   * taking over, JobManager HA): nothing is deployed; `reconcile` tells what they run. Without
   * the deploy messages a missed tick deadline cannot name the stuck subtask, and without the
   * progress cells (given at deploy) the first late TaskManager is blamed.
   */
  static adopt(options: WorkerTaskManagersOptions, adopted: readonly AdoptedTaskManager[]): WorkerTaskManagers {
    const host = new WorkerTaskManagers({ ...options, progressCells: false });
    for (const { taskManager, worker } of adopted) host.slots[taskManager] = { ...host.attach(taskManager, worker), deployed: true };
    return host;
  }

  /**
   * A new leader asks the live TaskManagers what they run (between ticks); answers in `live`
   * order. Rejects when one is not running this job, is lost, or does not answer within the
   * deploy deadline.
   */
  reconcile(message: ReconcileMessage, live: readonly number[]): Promise<ReconciledMessage[]> {
    return Promise.all(live.map((tm) => new Promise<ReconciledMessage>((resolve, reject) => {
      const slot = this.slots[tm];
      if (slot === undefined || !slot.deployed) {
        reject(new Error(`TaskManager ${tm} is not running this job, so the new leader cannot adopt it.`));
        return;
      }
      const timer = this.timers.set(() => {
        this.reconciling.delete(tm);
        reject(new Error(`TaskManager ${tm} did not answer the new leader's reconciliation within ${this.deployDeadlineMs} ms.`));
      }, this.deployDeadlineMs);
      this.reconciling.set(tm, { taskManager: tm, resolve, reject, timer });
      slot.worker.postMessage({ type: 'reconcile', reconcile: message }, []);
    })));
  }

  /** The live worker of a slot (tests and the e2e hooks check termination through it). */
  workerOf(taskManager: number): TaskManagerWorker | undefined {
    return this.slots[taskManager]?.worker;
  }

  setFailureListener(listener: (failure: FailureInfo) => void): void {
    this.listener = listener;
  }

  deploy(messages: readonly DeployMessage[]): Promise<DeployedMessage[]> {
    this.deployMessages = messages;
    const n = messages.length;
    for (let tm = 0; tm < n; tm++) this.slot(tm);
    const ports: (MessagePort | null)[][] = Array.from({ length: n }, () => Array.from({ length: n }, () => null));
    for (let a = 0; a < n; a++) {
      for (let b = a + 1; b < n; b++) {
        const channel = new MessageChannel();
        (ports[a] as (MessagePort | null)[])[b] = channel.port1;
        (ports[b] as (MessagePort | null)[])[a] = channel.port2;
      }
    }
    const result = this.request('deploy', [-1], messages.map((m) => m.taskManager), this.deployDeadlineMs);
    for (const message of messages) {
      const slot = this.slot(message.taskManager);
      slot.deployed = true;
      const peers = ports[message.taskManager] as (MessagePort | null)[];
      slot.worker.postMessage({
        type: 'deploy', deploy: message, peers, encoding: this.encoding,
        // A rescaled plan deploys mid-run: its TaskManagers start at the JobManager's tick.
        ...(message.firstTick === undefined ? {} : { firstTick: message.firstTick }),
        progress: slot.progress === null ? null : (slot.progress.buffer as SharedArrayBuffer),
      }, peers.filter((port): port is MessagePort => port !== null));
    }
    return result.then((outcome) => messages.map((message): DeployedMessage => {
      const answer = outcome.answers[0]?.get(message.taskManager);
      if (answer !== undefined && answer.type === 'deployed') return answer;
      // Unanswered because another TaskManager failed first: report that cause.
      const failure = outcome.failure ?? this.lostFailure(message.taskManager, 'it did not answer the deploy');
      return { type: 'deployed', taskManager: message.taskManager, ok: false, failure };
    }));
  }

  /**
   * Fresh workers in the places of lost ones (failover), between ticks: each gets a new port
   * to every deployed peer, which is told of it (`replace-peer`); both sides send an empty
   * batch for the tick before the next, so the next tick runs without waiting for the dead.
   */
  redeploy(messages: readonly DeployMessage[]): Promise<DeployedMessage[]> {
    const n = this.slots.length;
    const result = this.request('deploy', [-1], messages.map((m) => m.taskManager), this.deployDeadlineMs);
    for (const message of messages) {
      const tm = message.taskManager;
      const tick = (message.firstTick ?? 0) - 1;
      const peers: (MessagePort | null)[] = Array.from({ length: n }, () => null);
      this.slots.forEach((slot, peer) => {
        if (peer === tm || !slot.deployed) return;
        const channel = new MessageChannel();
        peers[peer] = channel.port1;
        slot.worker.postMessage({ type: 'replace-peer', peer: tm, port: channel.port2, tick }, [channel.port2]);
      });
      const slot = this.slot(tm);
      slot.deployed = true;
      slot.worker.postMessage({
        type: 'deploy', deploy: message, peers, encoding: this.encoding, ...(message.firstTick === undefined ? {} : { firstTick: message.firstTick }),
        progress: slot.progress === null ? null : (slot.progress.buffer as SharedArrayBuffer),
      }, peers.filter((port): port is MessagePort => port !== null));
    }
    return result.then((outcome) => messages.map((message): DeployedMessage => {
      const answer = outcome.answers[0]?.get(message.taskManager);
      if (answer !== undefined && answer.type === 'deployed') return answer;
      const failure = outcome.failure ?? this.lostFailure(message.taskManager, 'it did not answer the deploy');
      return { type: 'deployed', taskManager: message.taskManager, ok: false, failure };
    }));
  }

  runTick(messages: readonly StartTickMessage[], live: readonly number[]): Promise<TickResult> {
    return this.runTicks([messages], live).then((result): TickResult => {
      if (result.failure !== undefined) return { ok: false, failure: result.failure };
      const lost = (result.lost ?? []).map((l) => l.failure);
      return lost.length > 0 ? { ok: true, reports: result.reports[0] ?? [], lost } : { ok: true, reports: result.reports[0] ?? [] };
    });
  }

  /**
   * A round: each TaskManager gets its messages of every tick at once and runs them in order,
   * tick by tick with its peers; it answers every tick, and the deadline applies to each.
   */
  runTicks(rounds: readonly (readonly StartTickMessage[])[], live: readonly number[]): Promise<RoundResult> {
    const ticks = rounds.map((messages) => (messages[0] as StartTickMessage).tick);
    if (ticks.length === 0 || live.length === 0) return Promise.resolve({ reports: rounds.map(() => []) });
    const result = this.request('round', ticks, live, this.tickDeadlineMs);
    live.forEach((tm, j) => {
      const starts = rounds.map((messages) => messages[j] as StartTickMessage);
      this.slot(tm).worker.postMessage({ type: 'start-ticks', starts, peers: live.filter((peer) => peer !== tm) }, []);
    });
    return result.then((outcome): RoundResult => {
      const reports = outcome.answers.slice(0, outcome.complete).map((byTm, i) =>
        live.filter((tm) => !lostBy(outcome.lost, tm, i)).map((tm) => byTm.get(tm) as TickDoneMessage));
      const lost = [...outcome.lost].sort((a, b) => a[1].tick - b[1].tick || a[0] - b[0]).map(([, l]) => l);
      const withLost = lost.length > 0 ? { reports, lost } : { reports };
      return outcome.failure === undefined ? withLost : { ...withLost, failure: outcome.failure };
    });
  }

  /**
   * Asks a TaskManager worker for one key's rows (between ticks: LocalCluster never calls this
   * with a tick in flight). Rejects when the worker is lost or misses the tick deadline.
   */
  lookupState(taskManager: number, message: LookupStateMessage): Promise<StateLookupReply> {
    const slot = this.slots[taskManager];
    if (slot === undefined || !slot.deployed) {
      return Promise.reject(new Error(`TaskManager ${taskManager} is not running this job, so it cannot look up state.`));
    }
    return new Promise<StateLookupReply>((resolve, reject) => {
      const timer = this.timers.set(() => {
        this.lookups.delete(message.requestId);
        reject(new Error(`TaskManager ${taskManager} did not answer a state lookup within ${this.tickDeadlineMs} ms.`));
      }, this.tickDeadlineMs);
      this.lookups.set(message.requestId, { taskManager, resolve: (reply) => resolve(reply as StateLookupReply), reject, timer });
      slot.worker.postMessage({ type: 'lookup-state', lookup: message }, []);
    });
  }

  /** Asks a TaskManager worker for a page of a keyed subtask's rows; as {@link lookupState}. */
  scanState(taskManager: number, message: ScanStateMessage): Promise<StateScanReply> {
    const slot = this.slots[taskManager];
    if (slot === undefined || !slot.deployed) {
      return Promise.reject(new Error(`TaskManager ${taskManager} is not running this job, so it cannot scan state.`));
    }
    return new Promise<StateScanReply>((resolve, reject) => {
      const timer = this.timers.set(() => {
        this.lookups.delete(message.requestId);
        reject(new Error(`TaskManager ${taskManager} did not answer a state scan within ${this.tickDeadlineMs} ms.`));
      }, this.tickDeadlineMs);
      const pending: PendingLookup = { taskManager, resolve: (reply) => resolve(reply as StateScanReply), reject, timer };
      this.lookups.set(message.requestId, pending);
      slot.worker.postMessage({ type: 'scan-state', scan: message }, []);
    });
  }

  lose(taskManager: number): void {
    this.replace(taskManager);
    const slot = this.slots[taskManager];
    if (slot !== undefined) slot.deployed = false;
  }

  cancel(): void {
    this.rejectLookups(() => true, 'The run was canceled before the state lookup was answered.');
    // A tick in flight may never finish now (a TaskManager waiting for a peer's batch closes
    // on cancel): release whoever awaits it rather than let it wait for the deadline.
    this.pending?.settle({ code: 'taskmanager.canceled', message: 'The run was canceled while a tick was in flight.' });
    for (const slot of this.slots) {
      if (slot.deployed) slot.worker.postMessage({ type: 'cancel' }, []);
      slot.deployed = false;
    }
  }

  dispose(): void {
    this.cancel();
    this.disposed = true;
    for (const slot of this.slots) slot.worker.terminate();
    this.slots.length = 0;
  }

  // ---- requests ---------------------------------------------------------------------------

  private request(kind: Pending['kind'], ticks: number[], from: readonly number[], deadlineMs: number): Promise<Answered> {
    if (this.pending !== null) throw new Error(`A ${kind} was requested while a ${this.pending.kind} is in flight.`);
    return new Promise<Answered>((resolve) => {
      const pending: Pending = {
        kind, ticks, from, answers: ticks.map(() => new Map()), current: 0, lost: new Map(), timer: undefined, deadlineMs,
        settle: (failure) => {
          if (this.pending !== pending) return;
          this.timers.clear(pending.timer);
          this.pending = null;
          const answered: Answered = { answers: pending.answers, complete: pending.current, lost: pending.lost };
          if (failure !== undefined) answered.failure = failure;
          resolve(answered);
        },
      };
      pending.timer = this.timers.set(() => this.onDeadline(pending), deadlineMs);
      this.pending = pending;
      this.advance(pending);
    });
  }

  /** Moves past every tick all TaskManagers answered; the deadline restarts for the next. */
  private advance(pending: Pending): void {
    const before = pending.current;
    while (pending.current < pending.ticks.length && this.late(pending).length === 0) {
      pending.current++;
    }
    if (pending.current === pending.ticks.length) {
      pending.settle();
    } else if (pending.current > before) {
      this.timers.clear(pending.timer);
      pending.timer = this.timers.set(() => this.onDeadline(pending), pending.deadlineMs);
    }
  }

  /** TaskManagers that have not answered the earliest unanswered tick. */
  private late(pending: Pending): number[] {
    const answered = pending.answers[pending.current] ?? new Map<number, unknown>();
    return pending.from.filter((tm) => !answered.has(tm) && !lostBy(pending.lost, tm, pending.current));
  }

  private onMessage(taskManager: number, worker: TaskManagerWorker, wire: TaskManagerToHost): void {
    if (this.slots[taskManager]?.worker !== worker) return;
    const message = wire.type === 'tick-done-packed' ? decodeTickDone(wire) : wire;
    if (message.type === 'tm-error') {
      this.onLost(taskManager, message.failure);
      return;
    }
    if (message.type === 'reconciled') {
      const waiting = this.reconciling.get(taskManager);
      if (waiting === undefined) return;
      this.reconciling.delete(taskManager);
      this.timers.clear(waiting.timer);
      waiting.resolve(message);
      return;
    }
    if (message.type === 'state-lookup' || message.type === 'state-scan') {
      const lookup = this.lookups.get(message.requestId);
      if (lookup === undefined || lookup.taskManager !== taskManager) return;
      this.lookups.delete(message.requestId);
      this.timers.clear(lookup.timer);
      lookup.resolve(message);
      return;
    }
    const pending = this.pending;
    if (pending === null || !pending.from.includes(taskManager)) return;
    let index = -1;
    if (pending.kind === 'deploy' && message.type === 'deployed') index = 0;
    if (pending.kind === 'round' && message.type === 'tick-done') index = message.tick - (pending.ticks[0] as number);
    const answers = pending.answers[index];
    if (answers === undefined || answers.has(taskManager)) return;
    answers.set(taskManager, message as DeployedMessage | TickDoneMessage);
    this.advance(pending);
  }

  /** A worker died or reported an internal error: replace it and fail what waits on it. */
  private onLost(taskManager: number, failure: FailureInfo): void {
    if (this.disposed) return;
    const pending = this.pending;
    if (pending !== null && this.loseInRound(pending, taskManager, failure)) return;
    this.replace(taskManager);
    // A deploy in flight (or a round it already answered in full) fails now.
    if (pending !== null) pending.settle(failure);
    else this.listener(failure);
  }

  /**
   * A TaskManager of the round in flight is lost at the first tick it did not answer (where it
   * stopped, whenever the host learns of it): its worker is replaced, the others stop waiting
   * for its batches, and the round goes on without it. False when that does not apply (a
   * deploy, a TaskManager not in the round, or one that answered every tick of it).
   */
  private loseInRound(pending: Pending, taskManager: number, failure: FailureInfo): boolean {
    if (pending.kind !== 'round' || !pending.from.includes(taskManager) || pending.lost.has(taskManager)) return false;
    const tick = pending.answers.findIndex((answers) => !answers.has(taskManager));
    if (tick < 0) return false;
    this.replace(taskManager);
    pending.lost.set(taskManager, { tick, failure });
    for (const peer of pending.from) {
      if (peer === taskManager || pending.lost.has(peer)) continue;
      this.slots[peer]?.worker.postMessage({ type: 'peer-lost', peer: taskManager, tick: pending.ticks[tick] as number }, []);
    }
    this.timers.clear(pending.timer);
    pending.timer = this.timers.set(() => this.onDeadline(pending), pending.deadlineMs);
    this.advance(pending);
    return true;
  }

  private onDeadline(pending: Pending): void {
    if (this.pending !== pending) return;
    const late = this.late(pending);
    if (pending.kind === 'deploy') {
      const tm = late[0] as number;
      this.replace(tm);
      pending.settle(this.lostFailure(tm, `it did not deploy within ${this.deployDeadlineMs} ms`));
      return;
    }
    // Blame a late TaskManager that is running a tick, not one waiting for a peer's batch.
    const running = late.filter((tm) => {
      const progress = this.slots[tm]?.progress ?? null;
      return progress === null || Atomics.load(progress, PROGRESS.PHASE) !== PHASE.WAITING_FOR_PEERS;
    });
    const tm = (running[0] ?? late[0]) as number;
    const failure = this.deadlineFailure(tm, pending.ticks[pending.current] as number);
    if (this.loseInRound(pending, tm, failure)) return;
    this.replace(tm);
    pending.settle(failure);
  }

  // ---- slots ------------------------------------------------------------------------------

  private slot(taskManager: number): Slot {
    let slot = this.slots[taskManager];
    if (slot === undefined) {
      slot = this.start(taskManager);
      this.slots[taskManager] = slot;
    }
    return slot;
  }

  private rejectLookups(which: (lookup: PendingLookup) => boolean, why: string): void {
    for (const [id, lookup] of [...this.lookups]) {
      if (!which(lookup)) continue;
      this.lookups.delete(id);
      this.timers.clear(lookup.timer);
      lookup.reject(new Error(why));
    }
  }

  /** Terminates a slot's worker for real and starts a fresh, undeployed one in its place. */
  private replace(taskManager: number): void {
    const old = this.slots[taskManager];
    if (old === undefined) return;
    this.rejectLookups((lookup) => lookup.taskManager === taskManager, `TaskManager ${taskManager} was lost before it answered the state lookup.`);
    const reconciling = this.reconciling.get(taskManager);
    if (reconciling !== undefined) {
      this.reconciling.delete(taskManager);
      this.timers.clear(reconciling.timer);
      reconciling.reject(new Error(`TaskManager ${taskManager} was lost before it answered the new leader's reconciliation.`));
    }
    old.worker.terminate();
    this.slots[taskManager] = this.start(taskManager);
  }

  private start(taskManager: number): Slot {
    return this.attach(taskManager, this.options.spawn(taskManager));
  }

  /** Listens to `worker` as slot `taskManager`'s (undeployed). */
  private attach(taskManager: number, worker: TaskManagerWorker): Slot {
    const progress = this.shareProgress ? new Int32Array(new SharedArrayBuffer(PROGRESS.LENGTH * 4)) : null;
    if (progress !== null) Atomics.store(progress, PROGRESS.SUBTASK, -1);
    worker.addEventListener('message', (event) => this.onMessage(taskManager, worker, event.data));
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      if (this.slots[taskManager]?.worker !== worker) return;
      const failure = this.lostFailure(taskManager, `its worker crashed: ${describeError(event)}`);
      // Reports the worker posted before it crashed may still be on their way (the error event
      // is another task source): let them arrive, so the loss lands at the first tick it really
      // did not report, whenever the host noticed.
      this.timers.set(() => {
        if (this.slots[taskManager]?.worker === worker) this.onLost(taskManager, failure);
      }, CRASH_GRACE_MS);
    });
    worker.addEventListener('messageerror', () => {
      if (this.slots[taskManager]?.worker !== worker) return;
      this.onLost(taskManager, this.lostFailure(taskManager, 'a message from its worker could not be deserialised'));
    });
    return { worker, progress, deployed: false };
  }

  // ---- failures ---------------------------------------------------------------------------

  private lostFailure(taskManager: number, why: string): FailureInfo {
    return { code: 'taskmanager.lost', taskManager, message: `TaskManager ${taskManager} was lost: ${why}.` };
  }

  private deadlineFailure(taskManager: number, tick: number): FailureInfo {
    const hosted = this.hostedSubtasks(taskManager);
    const progress = this.slots[taskManager]?.progress ?? null;
    const position = progress === null ? -1 : Atomics.load(progress, PROGRESS.SUBTASK);
    const stuck = position >= 0 ? hosted[position] : undefined;
    const where = stuck !== undefined
      ? `while running ${stuck.label}`
      : hosted.length > 0 ? `while running one of its subtasks ${hosted.map((s) => s.label).join(', ')}` : 'with no subtasks';
    const failure: FailureInfo = {
      code: 'taskmanager.tickDeadline',
      taskManager,
      message: `TaskManager ${taskManager} missed the tick deadline: tick ${tick} did not finish within ${this.tickDeadlineMs} ms of wall time ${where}. ` +
        'A user expression that never returns does this; its worker was terminated.',
    };
    if (stuck !== undefined) {
      failure.operatorId = stuck.operatorId;
      failure.subtask = stuck.index;
    }
    return failure;
  }

  /** The subtasks a TaskManager hosts, in the order its core runs them (plan order). */
  private hostedSubtasks(taskManager: number): { operatorId: string; index: number; label: string }[] {
    const deploy = this.deployMessages.find((m) => m.taskManager === taskManager);
    if (deploy === undefined) return [];
    const names = new Map(deploy.plan.job.operators.map((op) => [op.id, op.name]));
    return deploy.plan.placement
      .filter((p) => p.taskManager === taskManager)
      .map((p) => ({ operatorId: p.operatorId, index: p.index, label: `${names.get(p.operatorId) ?? p.operatorId} #${p.index} (${p.operatorId})` }));
  }
}

/** Whether `tm` was lost during the round at or before tick index `tick`. */
function lostBy(lost: Pending['lost'], tm: number, tick: number): boolean {
  const at = lost.get(tm);
  return at !== undefined && at.tick <= tick;
}

function describeError(event: Event): string {
  const e = event as Partial<ErrorEvent>;
  if (typeof e.message === 'string' && e.message !== '') {
    const at = e.filename ? ` (${e.filename.split('/').pop() ?? e.filename}:${e.lineno ?? 0})` : '';
    return `${e.message}${at}`;
  }
  return 'no message (its script failed to load, or it threw while starting)';
}
