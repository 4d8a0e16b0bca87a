/**
 * The two clusters a scenario runs on in the browser.
 *
 * - The app's own run (`appCluster`): the scenario drives the run slice, the same actions the
 *   run bar and `window.sluice` use, so the canvas, the dock and the automation API show the
 *   scenario's run while it plays and after it ends (left paused, to inspect or stop).
 * - A second JobManager worker for the failure-free baseline of `exactlyOnce`
 *   (`baselineCluster`), created when the runner asks for it and terminated after. It runs
 *   with the memory state backend whatever the scenario says: an IndexedDB run would share the
 *   job's database (named after the job) with the paused main run and clear it at start. The
 *   backend changes where state lives, not what is output (the workers' tests check that both
 *   backends give the same output and trace hash), so the comparison is unaffected.
 */
import { serializeJob, type JobGraph } from '../../engine';
import type { ScenarioCluster } from '../../engine/scenario';
import type { Services } from '../app/services';
import { ClusterSession, createJobManagerWorker, type WorkerFactory } from '../run/clusterClient';

/** Wall ms a baseline control call may take (a whole advance step runs at full speed). */
const BASELINE_CALL_TIMEOUT_MS = 60_000;

function sameJob(a: JobGraph, b: JobGraph): boolean {
  return serializeJob(a) === serializeJob(b);
}

/**
 * The app's run as a ScenarioCluster. `start` opens the scenario's job in the designer when
 * another one is open (so the canvas shows it), then starts the run through the run slice.
 */
export function appCluster(services: Services): ScenarioCluster {
  const s = () => services.store.getState();
  const query = <T>(label: string, fn: Parameters<ReturnType<typeof s>['queryRun']>[1]) => s().queryRun(label, fn) as Promise<T>;
  return {
    start: async (job, config) => {
      if (!sameJob(s().job, job)) await services.documents.open(job, { libraryId: null, force: true });
      return s().startRun(config);
    },
    advance: (ms) => s().advanceRun(ms),
    stop: () => s().stopRun(),
    // Through the run slice, so the fault shows where user-injected ones do (and is recorded).
    inject: (fault) => s().injectFault(fault),
    setChannelSelection: (selection, edgeId) =>
      s().queryRun('switch the channel selection', (api) => api.setChannelSelection(selection, edgeId)),
    status: () => query('read the status', (api) => api.status()),
    metrics: () => query('read the metrics', (api) => api.metrics()),
    output: (sinkId) => query(`read the output of “${sinkId}”`, (api) => api.output(sinkId)),
    events: () => query('read the events', (api) => api.events()),
    traceHash: () => query('read the trace hash', (api) => api.traceHash()),
    triggerCheckpoint: () => query('trigger a checkpoint', (api) => api.triggerCheckpoint()),
    checkpoints: () => query('read the checkpoints', (api) => api.checkpoints()),
    recoveries: () => query('read the recoveries', (api) => api.recoveries()),
    rescale: (operatorId, parallelism) => query(`rescale to ${parallelism}`, (api) => api.rescale(operatorId, parallelism)),
    drainTaskManager: (tm) => query(`drain TaskManager ${tm}`, (api) => api.drainTaskManager(tm)),
    undrainTaskManager: (tm) => query(`return TaskManager ${tm} to service`, (api) => api.undrainTaskManager(tm)),
  };
}

/** A fresh JobManager worker for the failure-free baseline; `stop` terminates it. */
export function baselineCluster(factory: WorkerFactory = createJobManagerWorker): ScenarioCluster {
  let fatal: string | null = null;
  const session = new ClusterSession({ onFrame: () => undefined, onFatal: (message) => void (fatal = message) }, factory);
  const call = <T>(label: string, fn: Parameters<ClusterSession['call']>[1]): Promise<T> => {
    if (fatal !== null) return Promise.reject(new Error(`The baseline cluster ended: ${fatal}`));
    return session.call(label, fn, { timeoutMs: BASELINE_CALL_TIMEOUT_MS, fatal: false }) as Promise<T>;
  };
  return {
    start: (job, config) => call('start the baseline', (api) => api.start(job, { ...config, stateBackend: 'memory' })),
    advance: (ms) => call(`advance the baseline ${ms} ms`, (api) => api.advance(ms)),
    stop: async () => {
      try {
        return await call('stop the baseline', (api) => api.stop());
      } finally {
        session.terminate();
      }
    },
    inject: (fault) => call(`inject ${fault.kind}`, (api) => api.inject(fault)),
    setChannelSelection: (selection, edgeId) => call('switch the channel selection', (api) => api.setChannelSelection(selection, edgeId)),
    status: () => call('read the status', (api) => api.status()),
    metrics: () => call('read the metrics', (api) => api.metrics()),
    output: (sinkId) => call(`read the output of “${sinkId}”`, (api) => api.output(sinkId)),
    events: () => call('read the events', (api) => api.events()),
    traceHash: () => call('read the trace hash', (api) => api.traceHash()),
    triggerCheckpoint: () => call('trigger a checkpoint', (api) => api.triggerCheckpoint()),
    checkpoints: () => call('read the checkpoints', (api) => api.checkpoints()),
    recoveries: () => call('read the recoveries', (api) => api.recoveries()),
    rescale: (operatorId, parallelism) => call(`rescale to ${parallelism}`, (api) => api.rescale(operatorId, parallelism)),
    drainTaskManager: (tm) => call(`drain TaskManager ${tm}`, (api) => api.drainTaskManager(tm)),
    undrainTaskManager: (tm) => call(`return TaskManager ${tm} to service`, (api) => api.undrainTaskManager(tm)),
  };
}
