/**
 * The JobManager worker (DESIGN.md §1): constructs the cluster — its TaskManagers in workers
 * of their own, nested in this one (taskManagerHosts.ts; in-process where that is impossible)
 * — exposes it as ClusterApi with comlink, and turns any uncaught error into a failed run
 * (code `jobmanager.error`) instead of a silent hang. The UI creates it as a Vite module worker:
 *
 *   new Worker(new URL('./jobmanager.worker.ts', import.meta.url), { type: 'module' })
 */
import * as Comlink from 'comlink';
import { createLocalClusterApi } from './localClusterApi';
import { workerTaskManagers } from './taskManagerHosts';

// Keyed state on IndexedDB: the JobManager clears the job's database before each fresh run;
// TaskManagers (in workers, or in-process where workers cannot start) open it themselves.
const api = createLocalClusterApi({ taskManagers: workerTaskManagers(), indexedDB: self.indexedDB });

function fail(detail: unknown): void {
  const message = detail instanceof Error ? detail.message : String(detail);
  api.failFromHost({ code: 'jobmanager.error', message: `The JobManager worker hit an unexpected error: ${message}` });
}

self.addEventListener('error', (event) => fail(event.error ?? event.message));
self.addEventListener('unhandledrejection', (event) => fail(event.reason));

Comlink.expose(api);
