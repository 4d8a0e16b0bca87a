/**
 * The JobManager worker (DESIGN.md §1): constructs the cluster and exposes it as ClusterApi with
 * comlink, and turns any uncaught error into a failed run (code `jobmanager.error`) instead of
 * a silent hang. The main thread starts it (src/workers/main/ClusterWorkers.ts) and sends
 * `jm-init` first: the control link over which this worker asks for its TaskManager workers
 * (the main thread owns them, so they outlive it), a port to the coordination store worker, and
 * for a successor the TaskManagers to adopt and the job to take over (ha/bootJobManager.ts).
 * Comlink is exposed, and `ready` said, once the worker can take calls.
 */
import * as Comlink from 'comlink';
import { bootJobManager } from './ha/bootJobManager';
import type { JobManagerInit, JobManagerToMain } from './ha/controlMessages';
import type { HostedClusterApi } from './localClusterApi';

let api: HostedClusterApi | undefined;

function fail(detail: unknown): void {
  const message = detail instanceof Error ? detail.message : String(detail);
  api?.failFromHost({ code: 'jobmanager.error', message: `The JobManager worker hit an unexpected error: ${message}` });
}

self.addEventListener('error', (event) => fail(event.error ?? event.message));
self.addEventListener('unhandledrejection', (event) => fail(event.reason));

function onInit(event: MessageEvent<JobManagerInit>): void {
  if (event.data?.type !== 'jm-init') return;
  self.removeEventListener('message', onInit);
  const init = event.data;
  // Keyed state on IndexedDB: the JobManager clears the job's database before each fresh run;
  // TaskManagers open it themselves. The HA file store lives there too (sluice-ha).
  const booted = bootJobManager(init, { indexedDB: self.indexedDB });
  api = booted.leader.api;
  Comlink.expose(api);
  void booted.ready.then(
    (adopted) => init.control.postMessage({ type: 'ready', ...(adopted === undefined ? {} : { adopted }) } satisfies JobManagerToMain),
    (error: unknown) => init.control.postMessage({
      type: 'ready',
      adopted: { ok: false, errors: [{ path: '$', code: 'ha.takeoverFailed', message: `No JobManager could take over the job: ${error instanceof Error ? error.message : String(error)}` }] },
    } satisfies JobManagerToMain),
  );
}

self.addEventListener('message', onInit);
