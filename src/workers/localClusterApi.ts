/**
 * The ClusterApi the JobManager worker exposes: a LocalCluster whose TaskManagers run in
 * workers of their own (taskManagerHosts.ts) or in-process, with IndexedDB for keyed state
 * when given one (stateStorages.ts).
 *
 * Browser ports live here, not in the engine: wall time from `performance.now`, and a yield
 * that does not suffer the 4 ms clamp of nested `setTimeout(0)` (a MessageChannel round),
 * so a run at speed 'max' yields between slices of ticks at almost no cost.
 */
import { LocalCluster, type HostClock, type JobManagerHandoff, type LocalClusterPorts } from '../engine/cluster/LocalCluster';
import type { TaskManagerHost } from '../engine/cluster/TaskManagerHost';
import type { ClusterApi, StartReport } from './clusterApi';
import type { FailureInfo, TelemetryFrame } from '../engine/runtime/telemetry';
import { idbCheckpointStore, memoryCheckpointStore } from './checkpointStore';
import { clearJobStateDatabase, stateStoragePorts } from './stateStorages';
import { checkJobStateDatabase } from './runStore';

/** Yields to the event loop once, through a MessageChannel (no timer clamp). */
function yieldOnce(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

export const browserClock: HostClock = {
  now: () => performance.now(),
  sleep: (ms) => (ms <= 0 ? yieldOnce() : new Promise((resolve) => setTimeout(resolve, ms))),
};

/** What the worker needs beyond ClusterApi: a way to turn a stray error into a failed run. */
export interface HostedClusterApi extends ClusterApi {
  failFromHost(failure: FailureInfo): void;
  /** A successor JobManager takes over `handoff`'s job with TaskManagers that kept running (LocalCluster.adoptRunning). */
  adoptRunning(handoff: JobManagerHandoff, host: TaskManagerHost): Promise<StartReport>;
}

export interface LocalClusterApiOptions extends Partial<LocalClusterPorts> {
  /**
   * IndexedDB for `stateBackend: 'idb'` (the JobManager worker passes its own; Node tests
   * fake-indexeddb): in-process TaskManagers keep state in the job's database, and a fresh
   * run clears it first. Without it, in-process 'idb' runs keep state in memory.
   */
  indexedDB?: IDBFactory;
}

/**
 * A ClusterApi over a LocalCluster with browser ports. `ports.taskManagers` chooses where the
 * TaskManagers run (default: in-process; a WorkerTaskManagers factory moves them to workers).
 */
export function createLocalClusterApi(options: LocalClusterApiOptions = {}): HostedClusterApi {
  const { indexedDB, ...ports } = options;
  const statePorts = indexedDB === undefined ? {} : {
    ...stateStoragePorts(indexedDB),
    clearJobState: (jobId: string) => clearJobStateDatabase(indexedDB, jobId),
    checkJobState: (jobId: string) => checkJobStateDatabase(indexedDB, jobId),
  };
  const checkpointStore = ports.checkpointStore ?? (indexedDB === undefined ? memoryCheckpointStore() : idbCheckpointStore(indexedDB));
  const cluster = new LocalCluster({ ...statePorts, ...ports, checkpointStore, clock: ports.clock ?? browserClock });
  return {
    start: (job, config) => cluster.start(job, config),
    pause: () => cluster.pause(),
    resume: () => cluster.resume(),
    advance: (ms) => cluster.advance(ms),
    stop: () => cluster.stop(),
    setSpeed: (speed) => cluster.setSpeed(speed),
    setChannelSelection: (selection, edgeId) => cluster.setChannelSelection(selection, edgeId),
    status: () => cluster.status(),
    metrics: () => cluster.metrics(),
    output: (sinkId) => cluster.output(sinkId),
    inject: (fault) => cluster.inject(fault),
    events: () => cluster.events(),
    traceHash: () => cluster.traceHash(),
    lookupState: (operatorId, key) => cluster.lookupState(operatorId, key),
    triggerCheckpoint: () => cluster.triggerCheckpoint(),
    checkpoints: () => cluster.checkpoints(),
    checkpointDetail: (checkpointId) => cluster.checkpointDetail(checkpointId),
    exportCheckpoint: (checkpointId) => cluster.exportCheckpoint(checkpointId),
    scanState: (operatorId, options) => cluster.scanState(operatorId, options),
    recoveries: () => cluster.recoveries(),
    rescale: (operatorId, parallelism) => cluster.rescale(operatorId, parallelism),
    drainTaskManager: (taskManager) => cluster.drainTaskManager(taskManager),
    undrainTaskManager: (taskManager) => cluster.undrainTaskManager(taskManager),
    resumable: async (jobId) => (await cluster.resumable(jobId))[0] ?? null,
    resumeSaved: (jobId, overrides) => cluster.resumeSaved(jobId, overrides),
    restoreEdited: (jobId, job, options) => cluster.restoreEdited(jobId, job, options),
    discardSaved: (jobId) => cluster.discardSaved(jobId),
    subscribe: (onFrame) => cluster.subscribe((frame: TelemetryFrame) => {
      // onFrame is a comlink proxy: its call is a promise that rejects once the page is gone.
      void Promise.resolve(onFrame(frame)).catch(() => undefined);
    }),
    haStatus: () => cluster.haStatus(),
    continueAdvance: () => cluster.status(),
    failFromHost: (failure) => cluster.failFromHost(failure),
    adoptRunning: (handoff, host) => cluster.adoptRunning(handoff, host),
  };
}
