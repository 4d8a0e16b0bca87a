/**
 * The workers of one run, owned by the main thread (JobManager HA in the browser, DESIGN.md §6):
 * the JobManager worker, its TaskManager workers and the coordination store worker. Owning them
 * here, not in the JobManager worker, is what lets the TaskManagers and the store outlive a
 * JobManager worker that is terminated for real.
 *
 * To the UI this is one comlink endpoint (a WorkerLike): messages go to the current JobManager
 * worker and its answers come back, whichever worker that is. When the JobManager reports that it
 * lost leadership (`jobmanager-lost`, after kill-jobmanager) this object terminates it, gives
 * every TaskManager a new JobManager link (`jm-link`), and starts a successor with the other ends,
 * a new port to the coordination store and the handoff; the successor adopts the TaskManagers
 * and takes over the job. Messages posted meanwhile wait for the successor's `ready`. The
 * failover listener hears when a leader was lost and when its successor took over, with the
 * wall time the takeover took.
 */
import type { StartReport } from '../clusterApi';
import type { AdoptionOrder, JobManagerInit, JobManagerToMain, TaskManagerWorkerEvent } from '../ha/controlMessages';
import type { JobManagerLink } from '../taskmanager/messages';

/** How the workers are started (the browser's module workers, or test doubles). */
export interface ClusterWorkerFactories {
  jobManager(generation: number): Worker;
  taskManager(taskManager: number, id: string): Worker;
  coordination(): Worker;
}

/** A takeover, as the UI shows and measures it. */
export interface TakeoverReport {
  /** The successor's generation (2 for the first takeover). */
  generation: number;
  report: StartReport;
  /** Wall ms from the main thread hearing of the loss to the successor being ready (reconciled). */
  wallMs: number;
}

export interface FailoverListener {
  /** The leader is gone; calls in flight to it will never be answered by it. */
  lost(info: { generation: number; advanceTargetMs?: number }): void;
  tookOver(takeover: TakeoverReport): void;
}

type Listener = (event: Event) => void;
type EventKind = 'message' | 'error' | 'messageerror';

export const browserWorkerFactories: ClusterWorkerFactories = {
  jobManager: (generation) => new Worker(new URL('../jobmanager.worker.ts', import.meta.url), { type: 'module', name: generation === 1 ? 'sluice-jobmanager' : `sluice-jobmanager-${generation}` }),
  taskManager: (taskManager) => new Worker(new URL('../taskmanager.worker.ts', import.meta.url), { type: 'module', name: `sluice-taskmanager-${taskManager}` }),
  coordination: () => new Worker(new URL('../coordination.worker.ts', import.meta.url), { type: 'module', name: 'sluice-coordination' }),
};

export class ClusterWorkers {
  private readonly listeners: Record<EventKind, Set<Listener>> = { message: new Set(), error: new Set(), messageerror: new Set() };
  private readonly coordination: Worker;
  private jm!: Worker;
  private control!: MessagePort;
  private generation = 0;
  private ready = false;
  private queue: { message: unknown; transfer: Transferable[] }[] = [];
  /** The live TaskManager worker of each slot. */
  private readonly slots = new Map<number, { id: string; worker: Worker }>();
  private readonly byId = new Map<string, Worker>();
  private ended = false;
  private failover: FailoverListener | undefined;
  private takeoverStartedMs: number | undefined;

  constructor(private readonly factories: ClusterWorkerFactories = browserWorkerFactories) {
    this.coordination = factories.coordination();
    this.launch(undefined);
  }

  setFailoverListener(listener: FailoverListener): void {
    this.failover = listener;
  }

  postMessage(message: unknown, transfer?: Transferable[]): void {
    if (this.ended) return;
    if (!this.ready) this.queue.push({ message, transfer: transfer ?? [] });
    else this.jm.postMessage(message, transfer ?? []);
  }

  addEventListener(type: string, listener: EventListenerOrEventListenerObject): void {
    this.listeners[type as EventKind]?.add(listener as Listener);
  }

  removeEventListener(type: string, listener: EventListenerOrEventListenerObject): void {
    this.listeners[type as EventKind]?.delete(listener as Listener);
  }

  /** Ends the run's workers, all of them. */
  terminate(): void {
    if (this.ended) return;
    this.ended = true;
    this.jm.terminate();
    for (const worker of this.byId.values()) worker.terminate();
    this.byId.clear();
    this.slots.clear();
    this.coordination.terminate();
  }

  /** TaskManager workers alive now (tests). */
  get taskManagerCount(): number {
    return this.byId.size;
  }

  private dispatch(kind: EventKind, event: Event): void {
    for (const listener of this.listeners[kind]) listener(event);
  }

  private launch(adopt: AdoptionOrder | undefined): void {
    const generation = ++this.generation;
    const worker = this.factories.jobManager(generation);
    const control = new MessageChannel();
    const coordination = new MessageChannel();
    this.coordination.postMessage({ type: 'connect', port: coordination.port1 }, [coordination.port1]);
    // Late answers of a JobManager already replaced still reach the UI (it ignores what it no longer waits for).
    worker.addEventListener('message', (event) => this.dispatch('message', event));
    worker.addEventListener('error', (event) => {
      if (this.jm === worker) this.dispatch('error', event);
    });
    worker.addEventListener('messageerror', (event) => {
      if (this.jm === worker) this.dispatch('messageerror', event);
    });
    control.port1.onmessage = (event: MessageEvent<JobManagerToMain>) => this.onControl(worker, event.data);
    const init: JobManagerInit = { type: 'jm-init', control: control.port2, coordination: coordination.port2, generation, ...(adopt === undefined ? {} : { adopt }) };
    const transfer: Transferable[] = [control.port2, coordination.port2, ...(adopt?.taskManagers.map((t) => t.port) ?? [])];
    this.jm = worker;
    this.control = control.port1;
    this.ready = false;
    worker.postMessage(init, transfer);
  }

  private onControl(worker: Worker, message: JobManagerToMain): void {
    if (this.ended || worker !== this.jm) return;
    switch (message.type) {
      case 'ready': return this.onReady(message.adopted);
      case 'spawn-tm': return this.spawnTaskManager(message.id, message.taskManager, message.port);
      case 'terminate-tm': return this.terminateTaskManager(message.id);
      case 'jobmanager-lost': return this.replaceLeader(message);
    }
  }

  private onReady(adopted: StartReport | undefined): void {
    this.ready = true;
    for (const { message, transfer } of this.queue.splice(0)) this.jm.postMessage(message, transfer);
    if (adopted !== undefined) {
      const wallMs = performance.now() - (this.takeoverStartedMs ?? performance.now());
      this.takeoverStartedMs = undefined;
      this.failover?.tookOver({ generation: this.generation, report: adopted, wallMs });
    }
  }

  private spawnTaskManager(id: string, taskManager: number, port: MessagePort): void {
    const worker = this.factories.taskManager(taskManager, id);
    const forward = (kind: TaskManagerWorkerEvent['kind'], event: Event): void => {
      event.preventDefault();
      const e = event as Partial<ErrorEvent>;
      const report: TaskManagerWorkerEvent = { type: 'tm-event', id, kind };
      if (typeof e.message === 'string') report.message = e.message;
      if (typeof e.filename === 'string') report.filename = e.filename;
      if (typeof e.lineno === 'number') report.lineno = e.lineno;
      // To whichever JobManager leads now (ids outlive their JobManager).
      this.control.postMessage(report);
    };
    worker.addEventListener('error', (event) => forward('error', event));
    worker.addEventListener('messageerror', (event) => forward('messageerror', event));
    worker.postMessage({ type: 'jm-link', port } satisfies JobManagerLink, [port]);
    this.byId.set(id, worker);
    this.slots.set(taskManager, { id, worker });
  }

  private terminateTaskManager(id: string): void {
    this.byId.get(id)?.terminate();
    this.byId.delete(id);
    for (const [slot, entry] of this.slots) if (entry.id === id) this.slots.delete(slot);
  }

  /** The leader is gone: terminate it for real and start a successor that adopts the TaskManagers. */
  private replaceLeader(message: Extract<JobManagerToMain, { type: 'jobmanager-lost' }>): void {
    this.takeoverStartedMs = performance.now();
    const generation = this.generation;
    // From now on messages wait for the successor (calls handed over by the listener included).
    this.ready = false;
    this.jm.terminate();
    this.control.close();
    this.failover?.lost({ generation, ...(message.advanceTargetMs === undefined ? {} : { advanceTargetMs: message.advanceTargetMs }) });
    const taskManagers = [...this.slots].sort((a, b) => a[0] - b[0]).map(([taskManager, { id, worker }]) => {
      const link = new MessageChannel();
      worker.postMessage({ type: 'jm-link', port: link.port1 } satisfies JobManagerLink, [link.port1]);
      return { taskManager, id, port: link.port2 };
    });
    const order: AdoptionOrder = { handoff: message.handoff, taskManagers };
    if (message.advanceTargetMs !== undefined) order.advanceTargetMs = message.advanceTargetMs;
    this.launch(order);
  }
}
