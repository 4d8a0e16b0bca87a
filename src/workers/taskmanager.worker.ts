/**
 * A TaskManager worker (DESIGN.md §1): one per TaskManager, started by the JobManager worker
 * (WorkerTaskManagers). It constructs a TaskManagerCore, serves the host's deploy / start-tick
 * / lookup-state / cancel messages and exchanges PeerBatches with its peers over the ports it gets at deploy
 * (TaskManagerEndpoint). An uncaught error reaches the host as the Worker's `error` event,
 * which fails the run with `taskmanager.lost`.
 */
import { TaskManagerCore } from '../engine/cluster/TaskManagerCore';
import { stateStoragePorts } from './stateStorages';
import type { HostToTaskManager, TaskManagerToHost } from './taskmanager/messages';
import { TaskManagerEndpoint } from './taskmanager/TaskManagerEndpoint';

// State: the job's IndexedDB database for 'idb' runs (stateStorages.ts), memory otherwise.
const statePorts = stateStoragePorts(self.indexedDB);
const endpoint = new TaskManagerEndpoint(
  (message: TaskManagerToHost, transfer: Transferable[]) => self.postMessage(message, transfer),
  (subtaskStarting) => new TaskManagerCore({ ...statePorts, subtaskStarting }),
);

self.addEventListener('message', (event: MessageEvent<HostToTaskManager>) => endpoint.handle(event.data));
