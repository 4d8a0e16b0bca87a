/**
 * TaskManager workers owned by the main thread, as a JobManager worker sees them: each is a
 * TaskManagerWorker (the interface WorkerTaskManagers drives) over a MessagePort to the
 * TaskManager, with its `error` events forwarded by the main thread over the control link and
 * `terminate()` asking the main thread to end it. So the TaskManagers keep running when this
 * JobManager worker is terminated, and a successor adopts them (WorkerTaskManagers.adopt).
 */
import type { HostToTaskManager, TaskManagerToHost } from '../taskmanager/messages';
import type { TaskManagerWorker } from '../WorkerTaskManagers';
import type { JobManagerToMain, TaskManagerLinkOffer, TaskManagerWorkerEvent } from './controlMessages';

type ErrorListener = (event: Event) => void;

/** One TaskManager worker reached over its JobManager link. */
export class LinkedTaskManagerWorker implements TaskManagerWorker {
  private readonly errorListeners = { error: [] as ErrorListener[], messageerror: [] as ErrorListener[] };
  private terminated = false;

  constructor(readonly id: string, private readonly port: MessagePort, private readonly askTerminate: (id: string) => void) {}

  postMessage(message: HostToTaskManager, transfer: Transferable[]): void {
    if (!this.terminated) this.port.postMessage(message, transfer);
  }

  addEventListener(type: 'message', listener: (event: MessageEvent<TaskManagerToHost>) => void): void;
  addEventListener(type: 'error' | 'messageerror', listener: (event: Event) => void): void;
  addEventListener(type: 'message' | 'error' | 'messageerror', listener: ((event: MessageEvent<TaskManagerToHost>) => void) | ErrorListener): void {
    if (type === 'message') {
      this.port.addEventListener('message', listener as (event: MessageEvent) => void);
      this.port.start();
    } else {
      this.errorListeners[type].push(listener as ErrorListener);
    }
  }

  /** The main thread heard the Worker's `error` or `messageerror`. */
  dispatch(event: TaskManagerWorkerEvent): void {
    if (this.terminated) return;
    // Shaped like the ErrorEvent WorkerTaskManagers reads (message, filename, lineno).
    const forwarded = { type: event.kind, message: event.message ?? '', filename: event.filename ?? '', lineno: event.lineno ?? 0, preventDefault: () => undefined };
    for (const listener of this.errorListeners[event.kind]) listener(forwarded as unknown as Event);
  }

  terminate(): void {
    if (this.terminated) return;
    this.terminated = true;
    this.port.close();
    this.askTerminate(this.id);
  }
}

/** Spawns and tracks this JobManager's TaskManager workers through the main thread. */
export class TaskManagerSpawner {
  private readonly workers = new Map<string, LinkedTaskManagerWorker>();
  private spawned = 0;

  constructor(private readonly control: MessagePort, private readonly generation: number) {
    control.addEventListener('message', (event: MessageEvent<TaskManagerWorkerEvent>) => {
      if (event.data?.type === 'tm-event') this.workers.get(event.data.id)?.dispatch(event.data);
    });
    control.start();
  }

  /** WorkerTaskManagersOptions.spawn: a new TaskManager worker for slot `taskManager`. */
  readonly spawn = (taskManager: number): LinkedTaskManagerWorker => {
    const id = `jm${this.generation}-tm${taskManager}-${++this.spawned}`;
    const channel = new MessageChannel();
    this.post({ type: 'spawn-tm', id, taskManager, port: channel.port2 }, [channel.port2]);
    return this.track(id, channel.port1);
  };

  /** A running TaskManager handed over by the main thread (a takeover). */
  adopt(offer: TaskManagerLinkOffer): LinkedTaskManagerWorker {
    return this.track(offer.id, offer.port);
  }

  private track(id: string, port: MessagePort): LinkedTaskManagerWorker {
    const worker = new LinkedTaskManagerWorker(id, port, (gone) => {
      this.workers.delete(gone);
      this.post({ type: 'terminate-tm', id: gone }, []);
    });
    this.workers.set(id, worker);
    return worker;
  }

  private post(message: JobManagerToMain, transfer: Transferable[]): void {
    this.control.postMessage(message, transfer);
  }
}
