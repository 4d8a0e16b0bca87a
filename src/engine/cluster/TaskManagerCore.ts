/**
 * A TaskManager as pure engine code: the subtasks it hosts, their state backends, its part of
 * the network, and the tick of runtime/protocol.ts. It speaks only protocol messages, so the
 * same core runs in-process (LocalCluster) or inside a TaskManager Web Worker.
 *
 * A tick (`runTick`):
 * 1. apply the peer batches of tick t-1 in sender TM order (its own batch included);
 * 2. apply the tick's commands (slow factor, kill-task, channel selection, checkpoint
 *    triggers, aborts and completions, a failover's cancels and restarts); a restart drops
 *    what was in flight on the restarted subtasks' channels before step 1 applies anything;
 * 3. run every hosted subtask in plan order (topological operator order, then index), each
 *    within its virtual budget; a subtask waiting for state I/O is awaited before the next
 *    one runs, so the order never depends on I/O timing;
 * 4. end the tick in the network (flush, batches per TaskManager) and report, with the
 *    checkpoint acks of the tick next to the sink deltas of the same tick.
 * It returns the report synchronously unless some state `prepare` returned a promise.
 *
 * State (TaskManagerState): one StateStorage per TaskManager, from the host
 * (`createStateStorage`), and one keyed backend per keyed subtask over it, opened at deploy
 * (asynchronously when the storage must). State of an operator is addressed by its stable
 * id (plan/operatorIds.ts: its `uid` when set, otherwise the structural hash of DESIGN.md §2).
 * Every tick ends in the storage (`endTick`), where a failed background flush fails the job;
 * key lookups are served between ticks.
 */
import { CATALOGUE } from '../job/catalogue';
import type { OperatorSpec } from '../job/types';
import { keyGroupRangeForOperator } from '../keygroups/keyGroups';
import { resolveNetworkConfig } from '../network/config';
import { wireNetwork } from '../network/networkWiring';
import { chainedEdges } from '../plan/chaining';
import { buildExecutionGraph, subtaskKey, type ExecutionEdge, type ExecutionGraph, type SubtaskRef } from '../plan/executionGraph';
import { createPrng } from '../random';
import {
  PROTOCOL_VERSION,
  type CanceledMessage, type CheckpointDecline, type DeployedMessage, type DeployMessage, type LookupStateMessage,
  type PeerBatch, type ReconciledMessage, type ReconciledSink, type ReconcileMessage, type ScanStateMessage, type SinkDelta,
  type StartTickMessage, type StateLookupReply, type StateScanReply, type SubtaskCheckpointAck, type TaskManagerCommand, type TickDoneMessage,
} from '../runtime/protocol';
import type { FailureInfo, RunEvent } from '../runtime/telemetry';
import type { StreamRecord, VirtualMs } from '../runtime/types';
import type { StateStorage } from '../state/types';
import type { HostedTask, TaskOutbox } from './HostedTask';
import { OperatorTask, type CheckpointSabotage } from './OperatorTask';
import { restartSubtasks } from './restartSubtasks';
import { applyChannelResets, inFlightLoss, resetChannelIds } from './approximateRecovery';
import type { ChannelLoss } from '../network/channelReset';
import { stableIdOf } from '../plan/operatorIds';
import { assembleTask, type AssemblyContext } from './TaskAssembly';
import { storageErrorCode } from './stateFailure';
import {
  defaultReleaseStateStorage, TaskManagerState, type KeyedBackendRequest, type StateStorageContext,
} from './TaskManagerState';
import { TaskManagerNetwork } from './TaskManagerNetwork';
import { TaskManagerLeadership } from './TaskManagerLeadership';

/** The ports a TaskManager core needs from its host. */
export interface TaskManagerPorts {
  /**
   * The TaskManager's state storage for the run's `stateBackend`: memory, or the job's
   * IndexedDB database (named from `context.jobId`) where the host has IndexedDB.
   */
  createStateStorage(kind: 'idb' | 'memory', context: StateStorageContext): StateStorage;
  /**
   * Releases the storage at cancel, once every backend closed (default: a memory storage is
   * dropped; others are left as they are). It must keep the data: later runs restore from it.
   */
  releaseStateStorage?(storage: StateStorage): void;
  /**
   * Told before each hosted subtask runs, with its position among the hosted subtasks (plan
   * order). A worker host records it where it can be read while the worker is stuck (a user
   * function that never returns), so the tick-deadline failure names the subtask.
   */
  subtaskStarting?(position: number): void;
  /** Test only: break checkpointing on purpose (the oracle suite shows it catches each). */
  sabotage?: CheckpointSabotage;
}

type Tick = TickDoneMessage | Promise<TickDoneMessage>;
type Deployed = DeployedMessage | Promise<DeployedMessage>;

/** What deploy derives from the plan before building anything. */
interface Layout {
  graph: ExecutionGraph;
  tmOf(ref: SubtaskRef): number;
}

export class TaskManagerCore implements TaskOutbox {
  private taskManager = -1;
  private network: TaskManagerNetwork | undefined;
  private state: TaskManagerState | undefined;
  private tasks: HostedTask[] = [];
  private readonly taskByKey = new Map<string, HostedTask>();
  private inbox: PeerBatch[] = [];
  private events: RunEvent[] = [];
  private nowMs: VirtualMs = 0;
  private canceled = false;
  private released: Promise<void> | undefined;
  private acks: SubtaskCheckpointAck[] = [];
  /** Approximate recovery: what reset channels lost this tick (approximateRecovery.ts). */
  private losses: ChannelLoss[] = [];
  private declines: CheckpointDecline[] = [];
  private assembly: AssemblyContext | undefined;
  private graph: ExecutionGraph | undefined;
  /** JobManager HA: the leader epoch obeyed, reports kept for a new leader, attempts (TaskManagerLeadership.ts). */
  private readonly leadership = new TaskManagerLeadership();

  constructor(private readonly ports: TaskManagerPorts) {}

  /**
   * Opens the state backends, then builds the hosted subtasks and the network part; never
   * throws (a failure is reported). A promise only when the storage opens backends
   * asynchronously (later: restores them); otherwise the answer is immediate.
   */
  deploy(message: DeployMessage): Deployed {
    this.taskManager = message.taskManager;
    try {
      this.leadership.admit(message.taskManager, message.epoch, 'a deploy');
      if (message.protocol !== PROTOCOL_VERSION) {
        throw new Error(`protocol ${String(message.protocol)} is not ${PROTOCOL_VERSION}; reload the page so every worker runs the same build.`);
      }
      const layout = this.layout(message);
      const opening = this.openState(message, layout);
      if (opening === undefined) return this.finishDeploy(message, layout);
      return opening.then(() => this.finishDeploy(message, layout), (error: unknown) => this.deployFailure(message, error));
    } catch (error) {
      return this.deployFailure(message, error);
    }
  }

  /**
   * The rows of one key of a hosted keyed subtask (between ticks only; the host never sends
   * this while a tick runs). A promise when the storage must load the key first.
   */
  lookupState(message: LookupStateMessage): StateLookupReply | Promise<StateLookupReply> {
    if (this.state === undefined) {
      return {
        type: 'state-lookup', taskManager: this.taskManager, requestId: message.requestId, ok: false,
        failure: { code: 'state.lookup', message: `TaskManager ${this.taskManager} has not been deployed.`, taskManager: this.taskManager },
      };
    }
    return this.state.lookup(message);
  }

  /** A page of a hosted keyed subtask's rows (between ticks only, like `lookupState`). */
  scanState(message: ScanStateMessage): Promise<StateScanReply> {
    if (this.state === undefined) {
      return Promise.resolve({
        type: 'state-scan', taskManager: this.taskManager, requestId: message.requestId, ok: false,
        failure: { code: 'state.scan', message: `TaskManager ${this.taskManager} has not been deployed.`, taskManager: this.taskManager },
      });
    }
    return this.state.scan(message);
  }

  /** A peer's batch (multi-worker hosts; the local host passes them in `start-tick`). */
  receive(batch: PeerBatch): void {
    this.inbox.push(batch);
  }

  /**
   * Runs one tick (see the module comment). Throws StaleLeaderError, changing nothing, when
   * the message comes from a JobManager that is no longer leader.
   */
  runTick(message: StartTickMessage): Tick {
    const network = this.requireNetwork();
    this.leadership.admit(this.taskManager, message.epoch, `tick ${message.tick}`);
    this.leadership.beginTick(message);
    if (message.incoming !== undefined) for (const batch of message.incoming) this.inbox.push(batch);
    const inbox = this.inbox.sort((a, b) => a.from - b.from);
    this.inbox = [];
    const restarted = this.restartedChannels(message.commands);
    for (const id of resetChannelIds(message.commands)) restarted.add(id);
    this.losses.push(...inFlightLoss(inbox, message.commands));
    for (const batch of inbox) network.apply(TaskManagerNetwork.dropInFlight(batch, restarted));
    this.nowMs = message.fromMs;
    const waits: Promise<void>[] = [];
    for (const command of message.commands) {
      const pending = this.apply(command, message.fromMs);
      if (pending !== undefined) waits.push(pending);
    }
    const tickWindow = { tick: message.tick, fromMs: message.fromMs, toMs: message.toMs };
    const run = (): Tick => {
      for (const task of this.tasks) task.beginTick(tickWindow);
      return this.continueTick(message, 0);
    };
    return waits.length === 0 ? run() : Promise.all(waits).then(run);
  }

  /**
   * A new JobManager leader takes over (src/engine/ha): from now on messages of older epochs
   * are refused; the answer says what runs here, what the sinks hold uncommitted, the reports
   * the old leader may not have read, and the highest checkpoint id seen. Nothing restarts.
   */
  reconcile(message: ReconcileMessage): ReconciledMessage {
    this.leadership.admit(this.taskManager, message.epoch, 'a reconciliation');
    const sinks: ReconciledSink[] = [];
    for (const task of this.tasks) {
      const sink = task instanceof OperatorTask ? task.sinkState() : undefined;
      if (sink !== undefined) sinks.push({ operatorId: task.ref.operatorId, index: task.ref.index, ...sink });
    }
    return {
      type: 'reconciled', taskManager: this.taskManager, epoch: this.leadership.epoch, lastTick: this.leadership.lastTick,
      subtasks: this.tasks.map((task) => ({
        operatorId: task.ref.operatorId, index: task.ref.index, state: task.state, attempt: this.leadership.attemptOf(subtaskKey(task.ref)),
      })),
      sinks, maxCheckpointId: this.leadership.maxCheckpointId, unacknowledged: this.leadership.unacknowledged(),
      staleRejected: this.leadership.staleRejected,
    };
  }

  /** Messages of older leader epochs refused so far. */
  get staleRejected(): number {
    return this.leadership.staleRejected;
  }

  /** Closes every subtask and drops the state storage. */
  cancel(): CanceledMessage {
    if (!this.canceled) {
      this.canceled = true;
      for (const task of this.tasks) {
        try {
          task.close();
        } catch {
          // Closing is best effort: the run is over either way.
        }
      }
      this.released = this.state?.close();
    }
    return { type: 'canceled', taskManager: this.taskManager };
  }

  /** Settles once a cancel has closed every backend and released the storage (undefined: already done). */
  whenReleased(): Promise<void> | undefined {
    return this.released;
  }

  /** TaskOutbox: an event for this tick's report. */
  event(event: RunEvent): void {
    this.events.push(event);
  }

  /** TaskOutbox: a finished snapshot for this tick's report. */
  ack(ack: SubtaskCheckpointAck): void {
    this.acks.push(ack);
  }

  /** TaskOutbox: a snapshot that failed. */
  decline(decline: CheckpointDecline): void {
    this.declines.push(decline);
  }

  private continueTick(message: StartTickMessage, from: number): Tick {
    const starting = this.ports.subtaskStarting;
    for (let i = from; i < this.tasks.length; i++) {
      starting?.(i);
      const pending = (this.tasks[i] as HostedTask).run();
      if (pending !== undefined) return pending.then(() => this.continueTick(message, i));
    }
    return this.finishTick(message);
  }

  private finishTick(message: StartTickMessage): TickDoneMessage {
    const network = this.requireNetwork();
    const outgoing = this.keepOwn(network.endTick(message.tick));
    const failures: FailureInfo[] = [];
    const sinks: SinkDelta[] = [];
    const subtasks = this.tasks.map((task) => {
      if (task.newFailure !== undefined) {
        failures.push(task.newFailure);
        task.newFailure = undefined;
      }
      if (task instanceof OperatorTask) sinks.push(...sinkDeltas(task));
      return task.report();
    });
    const stateFailure = this.state?.endTick(message.toMs);
    if (stateFailure !== undefined) failures.push(stateFailure);
    const events = this.events;
    this.events = [];
    const position = (operatorId: string, index: number): number => this.tasks.findIndex((t) => t.ref.operatorId === operatorId && t.ref.index === index);
    const checkpointAcks = this.acks.sort((a, b) => a.checkpointId - b.checkpointId ||
      position(a.subtask.operatorId, a.subtask.index) - position(b.subtask.operatorId, b.subtask.index));
    const checkpointDeclines = this.declines;
    this.acks = [];
    this.declines = [];
    const done: TickDoneMessage = {
      type: 'tick-done', taskManager: this.taskManager, tick: message.tick, subtasks,
      channels: message.reportChannels ? network.channelReports() : [],
      events, sinks, failures, outgoing, checkpointAcks, checkpointDeclines,
    };
    if (message.reportChannels && this.state !== undefined) done.state = this.state.report();
    if (this.losses.length > 0) {
      done.channelLosses = this.losses;
      this.losses = [];
    }
    const releases = this.state?.takeReleases() ?? [];
    if (releases.length > 0) done.snapshotReleases = releases;
    this.leadership.endTick(done);
    return done;
  }

  private apply(command: TaskManagerCommand, nowMs: VirtualMs): Promise<void> | undefined {
    switch (command.kind) {
      case 'set-slow-factor':
        this.task(command.operatorId, command.subtask).slowFactor = command.factor;
        return undefined;
      case 'fail-task':
        this.task(command.operatorId, command.subtask).fail(command.failure);
        return undefined;
      case 'set-channel-selection':
        this.requireNetwork().setChannelSelection(command.selection, command.edgeId);
        return undefined;
      case 'trigger-checkpoint':
        return this.task(command.operatorId, command.subtask).trigger(command.checkpointId, command.checkpointType, command.stop === true);
      case 'abort-checkpoint':
        this.task(command.operatorId, command.subtask).abortCheckpoint(command.checkpointId);
        return undefined;
      case 'notify-checkpoint-complete':
        this.task(command.operatorId, command.subtask).notifyCheckpointComplete(command.checkpointId, command.regions);
        return undefined;
      case 'rewind-region': {
        const task = this.task(command.operatorId, command.subtask);
        if (task instanceof OperatorTask) task.rewindRegion(command.region, command.snapshotId);
        return undefined;
      }
      case 'release-snapshots':
        return this.state?.releaseSnapshotsBefore(command.before);
      case 'cancel-subtasks':
        for (const ref of command.subtasks) this.task(ref.operatorId, ref.index).cancelForRestart();
        return undefined;
      case 'restart-subtasks':
        return restartSubtasks({
          network: this.requireNetwork(), assembly: this.assembly as AssemblyContext, graph: this.graph as ExecutionGraph,
          state: this.state, tasks: this.tasks, task: (operatorId, index) => this.task(operatorId, index),
          replace: (at, task) => {
            this.tasks[at] = task;
            this.taskByKey.set(subtaskKey(task.ref), task);
          },
        }, command.subtasks, nowMs);
      case 'reset-channels':
        this.losses.push(...applyChannelResets(this.requireNetwork(), command, (gate, channel) => {
          const task = this.task(gate.subtask.operatorId, gate.subtask.index);
          if (task instanceof OperatorTask) task.inputChannelDown(channel);
        }));
        return undefined;
    }
  }

  /** Channels of the subtasks this tick restarts: what is in flight on them is dropped. */
  private restartedChannels(commands: readonly TaskManagerCommand[]): Set<number> {
    const channels = new Set<number>();
    const network = this.requireNetwork();
    for (const command of commands) {
      if (command.kind !== 'restart-subtasks') continue;
      for (const spec of command.subtasks) for (const id of network.channelsOf(spec)) channels.add(id);
    }
    return channels;
  }

  /** Keeps this TM's own batch for the next tick; returns the non-empty ones for peers. */
  private keepOwn(batches: PeerBatch[]): PeerBatch[] {
    const outgoing: PeerBatch[] = [];
    for (const batch of batches) {
      if (batch.to === this.taskManager) this.inbox.push(batch);
      else if (batch.shipments.length + batch.backlogs.length + batch.credits.length > 0) outgoing.push(batch);
    }
    return outgoing;
  }

  private layout(message: DeployMessage): Layout {
    const graph = buildExecutionGraph(message.plan.job);
    const tmByKey = new Map(message.plan.placement.map((p) => [subtaskKey(p), p.taskManager]));
    const tmOf = (ref: SubtaskRef): number => {
      const tm = tmByKey.get(subtaskKey(ref));
      if (tm === undefined) throw new Error(`Subtask ${subtaskKey(ref)} has no placement.`);
      return tm;
    };
    return { graph, tmOf };
  }

  /** Creates the storage and opens a backend for every hosted keyed subtask, in plan order. */
  private openState(message: DeployMessage, { graph, tmOf }: Layout): Promise<void> | undefined {
    const { job, config, jobId } = message.plan;
    const context: StateStorageContext = { jobId, taskManager: this.taskManager };
    const storage = this.ports.createStateStorage(config.stateBackend, context);
    this.state = new TaskManagerState(storage, this.taskManager, this.ports.releaseStateStorage ?? defaultReleaseStateStorage);
    const specs = new Map(job.operators.map((op) => [op.id, op]));
    const requests: KeyedBackendRequest[] = [];
    for (const subtask of graph.subtasks) {
      const spec = specs.get(subtask.operatorId) as OperatorSpec;
      if (tmOf(subtask) !== this.taskManager || CATALOGUE[spec.kind].category !== 'keyed') continue;
      requests.push({
        operatorId: subtask.operatorId, index: subtask.index, stateId: stableIdOf(job, spec.id), maxParallelism: subtask.maxParallelism,
        keyGroupRange: keyGroupRangeForOperator(subtask.maxParallelism, subtask.parallelism, subtask.index),
      });
    }
    return this.state.open(requests);
  }

  private finishDeploy(message: DeployMessage, layout: Layout): DeployedMessage {
    if (this.canceled) return this.deployFailure(message, new Error('the run was canceled while it deployed'));
    try {
      this.build(message, layout);
      if (message.plan.recovering === true) return { type: 'deployed', taskManager: this.taskManager, ok: true, outgoing: [] };
      const batches = (this.network as TaskManagerNetwork).initialCredit();
      return { type: 'deployed', taskManager: this.taskManager, ok: true, outgoing: this.keepOwn(batches) };
    } catch (error) {
      return this.deployFailure(message, error);
    }
  }

  private deployFailure(message: DeployMessage, error: unknown): DeployedMessage {
    const failure: FailureInfo = {
      code: 'taskmanager.deploy',
      message: `TaskManager ${message.taskManager} could not deploy its subtasks: ${error instanceof Error ? error.message : String(error)}`,
      taskManager: message.taskManager,
    };
    const code = storageErrorCode(error);
    if (code !== undefined) failure.cause = { code, message: error instanceof Error ? error.message : String(error) };
    return { type: 'deployed', taskManager: message.taskManager, ok: false, failure };
  }

  private build(message: DeployMessage, { graph, tmOf }: Layout): void {
    const { job, config } = message.plan;
    const networkConfig = resolveNetworkConfig({ channelSelection: config.channelSelection });
    const wiring = wireNetwork(graph, createPrng(config.seed).fork('network'));
    const network = new TaskManagerNetwork(graph, wiring, this.taskManager, message.taskManagers, tmOf, networkConfig);
    this.network = network;
    this.graph = graph;
    const chained = config.chaining ? chainedEdges(job, graph) : new Set<string>();
    const chainedInput = new Map<string, ExecutionEdge>(graph.edges.filter((edge) => chained.has(edge.id)).map((edge) => [edge.to, edge]));
    const assembly: AssemblyContext = {
      job, config, network, state: this.state, outbox: this, now: () => this.nowMs, chainedInput,
      taskOf: (operatorId, index) => this.task(operatorId, index),
    };
    if (this.ports.sabotage !== undefined) assembly.sabotage = this.ports.sabotage;
    this.assembly = assembly;
    for (const subtask of graph.subtasks) {
      if (tmOf(subtask) !== this.taskManager) continue;
      const task = assembleTask(assembly, subtask);
      this.tasks.push(task);
      this.taskByKey.set(subtaskKey(subtask), task);
    }
    // A fresh TaskManager in a failover waits for the restart tick, like the restarted peers.
    if (message.plan.recovering === true) for (const task of this.tasks) task.state = 'restarting';
  }

  private task(operatorId: string, index: number): HostedTask {
    const task = this.taskByKey.get(`${operatorId}#${index}`);
    if (task === undefined) throw new Error(`TaskManager ${this.taskManager} does not host ${operatorId}#${index}.`);
    return task;
  }

  private requireNetwork(): TaskManagerNetwork {
    if (this.network === undefined) throw new Error(`TaskManager ${this.taskManager} has not been deployed.`);
    return this.network;
  }
}

/** The chunks as one array (the only chunk itself when there is one). */
function concatChunks(chunks: readonly StreamRecord[][]): StreamRecord[] {
  if (chunks.length === 1) return chunks[0] as StreamRecord[];
  let total = 0;
  for (const chunk of chunks) total += chunk.length;
  const all = new Array<StreamRecord>(total);
  let at = 0;
  for (const chunk of chunks) for (let i = 0; i < chunk.length; i++) all[at++] = chunk[i] as StreamRecord;
  return all;
}

/** A collect sink's deltas for the tick (written records, commits, aborts; per region for a shared committer), none when nothing changed. */
function sinkDeltas(task: OperatorTask): SinkDelta[] {
  const sink = task.sink;
  if (sink === undefined) return [];
  if (task.sharedCommitter) return regionSinkDeltas(task, sink);
  const taken = task.takeSinkDelta();
  const restored = taken?.restoredPending ?? null;
  const committed = taken?.committed ?? 0;
  if (sink.written.length === 0 && committed === 0 && restored === null) return [];
  const delta: SinkDelta = {
    operatorId: task.ref.operatorId, index: task.ref.index, written: concatChunks(sink.written), committed, hash: sink.hash,
  };
  if (restored !== null) delta.restoredPending = restored;
  if (taken !== undefined) delta.committedThrough = taken.committedThrough;
  sink.written = [];
  sink.regions = [];
  return [delta];
}

/** A region-sharable committer's deltas: one per region that wrote or changed, ascending by region. */
function regionSinkDeltas(task: OperatorTask, sink: NonNullable<OperatorTask['sink']>): SinkDelta[] {
  const written = new Map<number, StreamRecord[][]>();
  sink.written.forEach((chunk, i) => {
    const region = sink.regions[i] as number;
    const list = written.get(region) ?? [];
    list.push(chunk);
    written.set(region, list);
  });
  const taken = new Map(task.takeRegionSinkDeltas().map((d) => [d.region, d]));
  const regions = [...new Set([...written.keys(), ...taken.keys()])].sort((a, b) => a - b);
  sink.written = [];
  sink.regions = [];
  return regions.map((region): SinkDelta => {
    const ledger = taken.get(region);
    const delta: SinkDelta = {
      operatorId: task.ref.operatorId, index: task.ref.index, region,
      written: concatChunks(written.get(region) ?? []), committed: ledger?.committed ?? 0, hash: sink.hash,
    };
    if (ledger !== undefined && ledger.restoredPending !== null) delta.restoredPending = ledger.restoredPending;
    if (ledger !== undefined) delta.committedThrough = ledger.committedThrough;
    return delta;
  });
}
