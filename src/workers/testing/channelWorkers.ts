/**
 * Test support: TaskManager "workers" for Node tests. Each is a TaskManagerEndpoint on the
 * other end of a real MessageChannel, so every message is structured-cloned, peer ports are
 * transferred and batches are packed and transferred exactly as between Web Workers; only the
 * thread is shared. Faults for the host's failure paths: a worker's tick can hang (never
 * finish) from a given tick on, or the worker can crash with an error event.
 */
import { TaskManagerCore } from '../../engine/cluster/TaskManagerCore';
import { createMemoryStateStorage } from '../../engine/state/memory/MemoryStateStorage';
import type { HostToTaskManager, TaskManagerToHost } from '../taskmanager/messages';
import type { StateStorage } from '../../engine/state/types';
import { TaskManagerEndpoint } from '../taskmanager/TaskManagerEndpoint';
import type { TaskManagerWorker } from '../WorkerTaskManagers';

export interface ChannelWorkerFaults {
  /** Ticks from this one on never finish (as a worker stuck in a loop). */
  hangAtTick?: number;
  /** The worker crashes (an error event, no answer) as it starts this tick. */
  crashAtTick?: number;
  /** One state storage shared by every worker (as the job's IndexedDB database is), instead of one on each heap. */
  sharedStorage?: StateStorage;
}

export class ChannelWorker implements TaskManagerWorker {
  terminated = false;
  /** Set by `crash`: like a real worker's uncaught error, it stops the worker's own posting. */
  crashed = false;
  private readonly channel = new MessageChannel();
  private readonly errorListeners: ((event: Event) => void)[] = [];
  private peerPorts: MessagePort[] = [];

  constructor(readonly taskManager: number, faults: ChannelWorkerFaults = {}) {
    const inside = this.channel.port2;
    const endpoint = new TaskManagerEndpoint(
      (message: TaskManagerToHost, transfer: Transferable[]) => {
        // A crashed worker posts nothing more; what it posted before is still delivered.
        if (!this.terminated && !this.crashed) inside.postMessage(message, transfer);
      },
      (subtaskStarting) => {
        const shared = faults.sharedStorage;
        const core = new TaskManagerCore(shared === undefined
          ? { createStateStorage: () => createMemoryStateStorage(), subtaskStarting }
          : { createStateStorage: () => shared, releaseStateStorage: () => undefined, subtaskStarting });
        const runTick = core.runTick.bind(core);
        // A hung tick: it never finishes (without blocking the test's thread).
        core.runTick = (message) => {
          if (faults.crashAtTick === message.tick) {
            setTimeout(() => this.crash(`thrown at tick ${message.tick}`), 0);
            return new Promise<never>(() => undefined);
          }
          return faults.hangAtTick !== undefined && message.tick >= faults.hangAtTick
            ? new Promise<never>(() => undefined)
            : runTick(message);
        };
        return core;
      },
    );
    inside.onmessage = (event: MessageEvent<HostToTaskManager>) => {
      const message = event.data;
      if (this.terminated) return;
      if (message.type === 'deploy') this.peerPorts = message.peers.filter((p): p is MessagePort => p !== null);
      if (message.type === 'replace-peer') this.peerPorts.push(message.port);
      endpoint.handle(message);
    };
  }

  postMessage(message: HostToTaskManager, transfer: Transferable[]): void {
    if (!this.terminated) this.channel.port1.postMessage(message, transfer);
  }

  addEventListener(type: 'message' | 'error' | 'messageerror', listener: (event: never) => void): void {
    if (type === 'message') {
      this.channel.port1.addEventListener('message', listener as (event: MessageEvent) => void);
      this.channel.port1.start();
    } else if (type === 'error') {
      this.errorListeners.push(listener as (event: Event) => void);
    }
  }

  /** Simulates an uncaught error inside the worker (the Worker's `error` event). */
  crash(message: string): void {
    this.crashed = true;
    const event = Object.assign(new Event('error', { cancelable: true }), { message, filename: 'taskmanager.worker.ts', lineno: 1 });
    for (const listener of this.errorListeners) listener(event);
  }

  terminate(): void {
    this.terminated = true;
    this.channel.port1.close();
    this.channel.port2.close();
    for (const port of this.peerPorts) port.close();
  }
}

/** A spawn function for WorkerTaskManagers that records every worker it starts. */
export function channelWorkers(faults: (taskManager: number, generation: number) => ChannelWorkerFaults = () => ({})) {
  const spawned: ChannelWorker[] = [];
  const spawn = (taskManager: number): ChannelWorker => {
    const generation = spawned.filter((w) => w.taskManager === taskManager).length;
    const worker = new ChannelWorker(taskManager, faults(taskManager, generation));
    spawned.push(worker);
    return worker;
  };
  return { spawn, spawned };
}
