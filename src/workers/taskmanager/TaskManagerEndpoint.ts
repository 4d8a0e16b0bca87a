/**
 * A TaskManagerCore behind the worker message protocol (messages.ts): what
 * `taskmanager.worker.ts` runs, kept out of the worker file so Node tests drive it over real
 * MessageChannels.
 *
 * The data plane (runtime/protocol.ts, "Multi-worker host"): after each tick, and after
 * deploy (the initial credit, tick -1), the TaskManager posts one batch to every live peer
 * over its direct port, empty or not, before it answers the host. Before running tick t it
 * waits until it holds the tick t-1 batch of every peer the host names in `start-ticks`
 * (ports are not ordered with respect to each other or to the host's messages). Empty
 * batches only count towards that barrier; the others go to the core, which applies them in
 * sender order — exactly the batches the in-process host would hand it, so the ticks and the
 * trace are the same. Peers with no channel to this TaskManager are left out of both the
 * sending and the waiting (linkedPeers.ts).
 *
 * State lookups (`lookup-state`) and scans (`scan-state`) are answered between ticks: one that
 * arrives while a tick runs waits for its end. Deploy may be asynchronous (a storage that opens backends with I/O);
 * the answer goes out when it is done.
 *
 * The host may send a round of ticks at once (`start-ticks` with several): they queue up and
 * run one after another, each behind the same barrier, each answered with its own tick-done.
 */
import type { TaskManagerCore } from '../../engine/cluster/TaskManagerCore';
import type {
  DeployedMessage, LookupStateMessage, PeerBatch, ReconcileMessage, ScanStateMessage, StartTickMessage, TickDoneMessage,
} from '../../engine/runtime/protocol';
import type { FailureInfo } from '../../engine/runtime/telemetry';
import { decodeBatch, encodeBatch, type BatchEncoding, type WireBatch } from '../transport/peerTransport';
import { encodeTickDone } from '../transport/tickReport';
import { linkedTaskManagers } from './linkedPeers';
import { PHASE, PROGRESS, type HostToTaskManager, type TaskManagerToHost } from './messages';

/** Posts to the host (the worker's global scope, or a port in tests). */
export type PostToHost = (message: TaskManagerToHost, transfer: Transferable[]) => void;

interface WaitingTick {
  start: StartTickMessage;
  peers: number[];
}

export class TaskManagerEndpoint {
  private core: TaskManagerCore | null = null;
  private taskManager = -1;
  private ports: (MessagePort | null)[] = [];
  /** Peers sharing at least one channel with this TaskManager. */
  private linked = new Set<number>();
  private encoding: BatchEncoding = 'packed';
  private progress: Int32Array | null = null;
  /** Peer batches that arrived, by tick, then sender (null: an empty batch). */
  private readonly arrived = new Map<number, Map<number, PeerBatch | null>>();
  /** Ticks received and not yet run, in order. */
  private readonly queue: WaitingTick[] = [];
  private running = false;
  /** Lookups, scans (and a reconciliation) that arrived while a tick ran. */
  private readonly lookups: (LookupStateMessage | ScanStateMessage | ReconcileMessage)[] = [];
  private lookupsLoading = 0;
  /** Ticks come in order, each once. */
  private nextTick = 0;
  /** The tick the deploy's batches count as (the one before the first tick). */
  private batchTick = -1;
  private closed = false;
  /** Peers that died, with the first tick whose batch they never sent (until replaced). */
  private readonly lostPeers = new Map<number, number>();

  /**
   * @param createCore builds the core; pass `subtaskStarting` on as its port of that name, so
   * the progress cell names the subtask a hung tick is stuck in.
   */
  constructor(
    private readonly post: PostToHost,
    private readonly createCore: (subtaskStarting: (position: number) => void) => TaskManagerCore,
  ) {}

  /** Handles one message from the host. */
  handle(message: HostToTaskManager): void {
    if (this.closed) return;
    try {
      switch (message.type) {
        case 'deploy': return this.deploy(message);
        case 'replace-peer': return this.replacePeer(message.peer, message.port, message.tick);
        case 'peer-lost': return this.peerLost(message.peer, message.tick);
        case 'start-ticks': return this.startTicks(message.starts, message.peers);
        case 'lookup-state': return this.lookup(message.lookup);
        case 'scan-state': return this.lookup(message.scan);
        case 'reconcile': return this.lookup(message.reconcile);
        case 'cancel': return this.cancel();
      }
    } catch (error) {
      this.fail(error);
    }
  }

  private deploy(message: Extract<HostToTaskManager, { type: 'deploy' }>): void {
    this.taskManager = message.deploy.taskManager;
    this.encoding = message.encoding;
    this.progress = message.progress === null ? null : new Int32Array(message.progress);
    this.ports = message.peers;
    this.linked = linkedTaskManagers(message.deploy.plan, this.taskManager);
    if (message.firstTick !== undefined) {
      this.nextTick = message.firstTick;
      this.batchTick = message.firstTick - 1;
    }
    this.ports.forEach((port, peer) => {
      if (port !== null) this.listen(port, peer);
    });
    const core = this.createCore((position) => {
      if (this.progress !== null) Atomics.store(this.progress, PROGRESS.SUBTASK, position);
    });
    this.core = core;
    const answer = core.deploy(message.deploy);
    if (answer instanceof Promise) answer.then((deployed) => this.answerDeploy(deployed), (error: unknown) => this.fail(error));
    else this.answerDeploy(answer);
  }

  private listen(port: MessagePort, peer: number): void {
    port.onmessage = (event: MessageEvent<WireBatch>) => this.onBatch(event.data);
    port.onmessageerror = () => this.fail(new Error(`a batch from TaskManager ${peer} could not be deserialised`));
  }

  /** A lost peer's replacement (see messages.ts `replace-peer`). */
  private replacePeer(peer: number, port: MessagePort, tick: number): void {
    this.lostPeers.delete(peer);
    this.ports[peer]?.close();
    this.ports[peer] = port;
    this.listen(port, peer);
    if (this.linked.has(peer)) this.sendBatches(tick, [], [peer]);
  }

  /**
   * A peer died during `tick` (see messages.ts `peer-lost`): queued ticks after it stop waiting
   * for its batches, and what it sent of `tick` or later (it never finished them) is dropped,
   * so those ticks run the same whenever the news arrives. Its batch of the tick before, sent
   * as it finished that tick, is still used — unless it went down with the worker undelivered:
   * then `tick` runs without it rather than wait forever.
   */
  private peerLost(peer: number, tick: number): void {
    this.lostPeers.set(peer, tick);
    this.ports[peer]?.close();
    this.ports[peer] = null;
    for (const waiting of this.queue) {
      const needs = waiting.start.tick - 1;
      if (needs >= tick || this.arrived.get(needs)?.has(peer) !== true) waiting.peers = waiting.peers.filter((p) => p !== peer);
    }
    for (const [batchTick, byFrom] of this.arrived) if (batchTick >= tick) byFrom.delete(peer);
    this.runIfReady();
  }

  private answerDeploy(answer: DeployedMessage): void {
    if (this.closed) return;
    if (answer.ok) {
      // Peers the plan links this TaskManager with; a replacement only reaches those that live (ports given).
      const peers = [...this.linked].filter((peer) => this.ports[peer] !== null && this.ports[peer] !== undefined);
      this.sendBatches(this.batchTick, answer.outgoing, peers);
      this.post({ ...answer, outgoing: [] }, []);
    } else {
      this.post(answer, []);
    }
  }

  /** A state lookup, a scan or a reconciliation: served now, or right after the tick that is running (never during it). */
  private lookup(message: LookupStateMessage | ScanStateMessage | ReconcileMessage): void {
    if (this.running) {
      this.lookups.push(message);
      return;
    }
    if (message.type === 'reconcile') {
      this.reconcile(message);
      return;
    }
    const core = this.requireCore();
    const reply = message.type === 'scan-state' ? core.scanState(message) : core.lookupState(message);
    if (reply instanceof Promise) {
      // No tick starts while the key loads.
      this.lookupsLoading++;
      reply.then((answer) => {
        this.lookupsLoading--;
        if (this.closed) return;
        this.post(answer, []);
        this.runIfReady();
      }, (error: unknown) => this.fail(error));
    } else {
      this.post(reply, []);
    }
  }

  /**
   * A new leader asks what runs here (TaskManagerCore.reconcile). The kept reports lose their
   * peer batches: those already went to the peers over their ports, and the new leader must not
   * route them a second time (reconciledFacts takes `outgoing` for the in-process host only).
   */
  private reconcile(message: ReconcileMessage): void {
    const answer = this.requireCore().reconcile(message);
    this.post({ ...answer, unacknowledged: answer.unacknowledged.map((report) => ({ ...report, outgoing: [] })) }, []);
  }

  private startTicks(starts: StartTickMessage[], peers: number[]): void {
    const linked = peers.filter((peer) => this.linked.has(peer));
    for (const start of starts) {
      if (start.tick !== this.nextTick) throw new Error(`tick ${start.tick} started, but the next tick is ${this.nextTick}`);
      this.nextTick++;
      this.queue.push({ start, peers: linked });
    }
    this.setProgress((starts[0] as StartTickMessage).tick, this.running ? PHASE.RUNNING : PHASE.WAITING_FOR_PEERS);
    this.runIfReady();
  }

  private onBatch(wire: WireBatch): void {
    if (this.closed) return;
    try {
      const batch = decodeBatch(wire);
      // From a lost peer: nothing it sent after the news is used (see peerLost).
      if (this.lostPeers.has(batch.from)) return;
      let byFrom = this.arrived.get(batch.tick);
      if (byFrom === undefined) {
        byFrom = new Map();
        this.arrived.set(batch.tick, byFrom);
      }
      if (byFrom.has(batch.from)) throw new Error(`TaskManager ${batch.from} sent two batches for tick ${batch.tick}`);
      const empty = batch.shipments.length + batch.backlogs.length + batch.credits.length === 0;
      byFrom.set(batch.from, empty ? null : batch);
      this.runIfReady();
    } catch (error) {
      this.fail(error);
    }
  }

  /** Runs the next queued tick once every named peer's previous batch is in. */
  private runIfReady(): void {
    const waiting = this.queue[0];
    if (waiting === undefined || this.running || this.closed || this.lookupsLoading > 0) return;
    const previous = waiting.start.tick - 1;
    const byFrom = this.arrived.get(previous) ?? new Map<number, PeerBatch | null>();
    for (const peer of waiting.peers) {
      if (!byFrom.has(peer)) {
        this.setProgress(waiting.start.tick, PHASE.WAITING_FOR_PEERS);
        return;
      }
    }
    this.queue.shift();
    this.arrived.delete(previous);
    const core = this.requireCore();
    for (const peer of [...waiting.peers].sort((a, b) => a - b)) {
      const batch = byFrom.get(peer);
      if (batch !== null && batch !== undefined) core.receive(batch);
    }
    this.running = true;
    this.setProgress(waiting.start.tick, PHASE.RUNNING);
    const result = core.runTick(waiting.start);
    if (result instanceof Promise) {
      result.then((report) => this.finishTick(report, waiting.peers), (error: unknown) => this.fail(error));
    } else {
      this.finishTick(result, waiting.peers);
    }
  }

  private finishTick(report: TickDoneMessage, peers: number[]): void {
    if (this.closed) return;
    this.running = false;
    this.sendBatches(report.tick, report.outgoing, peers);
    this.setProgress(report.tick, PHASE.IDLE);
    const { message, transfer } = encodeTickDone({ ...report, outgoing: [] });
    this.post(message, transfer);
    for (const lookup of this.lookups.splice(0)) this.lookup(lookup);
    // The next tick of the round, if its peers' batches are in (else their arrival runs it).
    this.runIfReady();
  }

  /** One batch to every (linked) peer in `peers`: the core's (non-empty) batch for it, else an empty one. */
  private sendBatches(tick: number, outgoing: readonly PeerBatch[], peers: readonly number[]): void {
    const byTo = new Map(outgoing.map((batch) => [batch.to, batch]));
    for (const batch of outgoing) {
      if (!this.linked.has(batch.to)) throw new Error(`a batch for TaskManager ${batch.to}, which shares no channel with TaskManager ${this.taskManager}`);
    }
    for (const peer of peers) {
      const port = this.ports[peer];
      if (port === null || port === undefined) continue;
      const batch = byTo.get(peer) ?? { from: this.taskManager, to: peer, tick, shipments: [], backlogs: [], credits: [] };
      const { message, transfer } = encodeBatch(batch, this.encoding);
      port.postMessage(message, transfer);
    }
  }

  private cancel(): void {
    const answer = this.core?.cancel() ?? { type: 'canceled' as const, taskManager: this.taskManager };
    this.close();
    this.post(answer, []);
  }

  private close(): void {
    this.closed = true;
    this.queue.length = 0;
    this.arrived.clear();
    for (const port of this.ports) port?.close();
  }

  private fail(error: unknown): void {
    if (this.closed) return;
    const detail = error instanceof Error ? error.message : String(error);
    const failure: FailureInfo = {
      code: 'taskmanager.error',
      message: `TaskManager ${this.taskManager} stopped on an internal error: ${detail}`,
      taskManager: this.taskManager,
    };
    this.close();
    this.post({ type: 'tm-error', taskManager: this.taskManager, failure }, []);
  }

  private setProgress(tick: number, phase: number): void {
    const cell = this.progress;
    if (cell === null) return;
    Atomics.store(cell, PROGRESS.TICK, tick);
    Atomics.store(cell, PROGRESS.PHASE, phase);
    if (phase !== PHASE.RUNNING) Atomics.store(cell, PROGRESS.SUBTASK, -1);
  }

  private requireCore(): TaskManagerCore {
    if (this.core === null) throw new Error('start-ticks before deploy');
    return this.core;
  }
}
