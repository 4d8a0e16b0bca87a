/**
 * A TaskManager worker (DESIGN.md §1): one per TaskManager, started by the JobManager worker
 * (WorkerTaskManagers). It constructs a TaskManagerCore, serves the host's deploy / start-tick
 * / cancel messages and exchanges PeerBatches with its peers over the ports it gets at deploy
 * (TaskManagerEndpoint). An uncaught error reaches the host as the Worker's `error` event,
 * which fails the run with `taskmanager.lost`.
 */
import { TaskManagerCore } from '../engine/cluster/TaskManagerCore';
import { createMemoryStateStorage } from '../engine/state/memory/MemoryStateStorage';
import type { HostToTaskManager, TaskManagerToHost } from './taskmanager/messages';
import { TaskManagerEndpoint } from './taskmanager/TaskManagerEndpoint';

const endpoint = new TaskManagerEndpoint(
  (message: TaskManagerToHost, transfer: Transferable[]) => self.postMessage(message, transfer),
  // State: memory for both kinds until the IndexedDB backend lands (its own issue).
  (subtaskStarting) => new TaskManagerCore({ createStateStorage: () => createMemoryStateStorage(), subtaskStarting }),
);

self.addEventListener('message', (event: MessageEvent<HostToTaskManager>) => endpoint.handle(event.data));
