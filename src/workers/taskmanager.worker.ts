/**
 * A TaskManager worker (DESIGN.md §1): one per TaskManager. It constructs a TaskManagerCore,
 * serves the host's deploy / start-tick / lookup-state / reconcile / cancel messages and
 * exchanges PeerBatches with its peers over the ports it gets at deploy (TaskManagerEndpoint).
 *
 * Who its JobManager is: the main thread owns this worker (so it outlives a JobManager worker,
 * JobManager HA) and hands it a port to the JobManager with `jm-link` — at spawn, and again
 * whenever a new JobManager worker takes over; from then on host messages come from, and
 * answers go to, the newest link. What the dead leader never read stays in the core until the
 * new one reconciles. Without a link (a worker nested in the JobManager worker, the fallback)
 * the worker's own scope is the link. An uncaught error reaches the owner as the Worker's
 * `error` event, which fails the run with `taskmanager.lost`.
 */
import { TaskManagerCore } from '../engine/cluster/TaskManagerCore';
import { stateStoragePorts } from './stateStorages';
import type { HostToTaskManager, JobManagerLink, TaskManagerToHost } from './taskmanager/messages';
import { TaskManagerEndpoint } from './taskmanager/TaskManagerEndpoint';

// State: the job's IndexedDB database for 'idb' runs (stateStorages.ts), memory otherwise.
const statePorts = stateStoragePorts(self.indexedDB);
let link: MessagePort | null = null;
const endpoint = new TaskManagerEndpoint(
  (message: TaskManagerToHost, transfer: Transferable[]) => (link ?? self).postMessage(message, transfer),
  (subtaskStarting) => new TaskManagerCore({ ...statePorts, subtaskStarting }),
);

self.addEventListener('message', (event: MessageEvent<HostToTaskManager | JobManagerLink>) => {
  const message = event.data;
  if (message.type !== 'jm-link') {
    endpoint.handle(message);
    return;
  }
  // The previous JobManager is gone (or going): nothing more is read from, or sent to, it.
  link?.close();
  link = message.port;
  link.onmessage = (linked: MessageEvent<HostToTaskManager>) => endpoint.handle(linked.data);
});
