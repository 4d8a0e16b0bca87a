/**
 * Benchmark and check of worker TaskManagers without the app: this worker plays the
 * JobManager worker: a LocalCluster on real TaskManager workers (nested, WorkerTaskManagers)
 * runs a job for some virtual time, and reports the wall time, the trace hash and the sink
 * output next to an in-process LocalCluster run of the same job and seed.
 */
import { LocalCluster } from '../engine/cluster/LocalCluster';
import type { JobGraph } from '../engine/job/types';
import type { RunConfig } from '../engine/runtime/runConfig';
import { browserClock } from '../workers/localClusterApi';
import { spawnTaskManagerWorker } from '../workers/spawnTaskManagerWorker';
import { clearJobStateDatabase } from '../workers/stateStorages';
import { WorkerTaskManagers } from '../workers/WorkerTaskManagers';

export interface ClusterBenchRequest {
  job: JobGraph;
  config: Partial<RunConfig>;
  virtualMs: number;
  /** Check the tick deadline: on TaskManager `taskManager`, its subtask at `position` spins forever from `tick` on. */
  hang?: { taskManager: number; tick: number; position: number; deadlineMs: number };
}

/** Only the first worker of the slot hangs: the fresh one that takes its place after a loss runs normally. */
function spawnHanging(hang: NonNullable<ClusterBenchRequest['hang']>) {
  let spawned = 0;
  return (taskManager: number) => (taskManager === hang.taskManager && spawned++ === 0
    ? new Worker(new URL('./hangingTaskManager.worker.ts', import.meta.url), { type: 'module', name: `sluice-taskmanager-${taskManager} hangAtTick=${hang.tick} hangAt=${hang.position}` })
    : spawnTaskManagerWorker(taskManager));
}

async function withWorkers(job: JobGraph, config: Partial<RunConfig>, virtualMs: number, hang?: ClusterBenchRequest['hang']) {
  const host = hang === undefined
    ? new WorkerTaskManagers({ spawn: spawnTaskManagerWorker })
    : new WorkerTaskManagers({ spawn: spawnHanging(hang), tickDeadlineMs: hang.deadlineMs });
  const cluster = new LocalCluster({ clock: browserClock, taskManagers: () => host, clearJobState: (jobId) => clearJobStateDatabase(indexedDB, jobId) });
  try {
    const t0 = performance.now();
    const report = await cluster.start(job, { ...config, paused: true, speed: 'max' });
    if (!report.ok) throw new Error(JSON.stringify(report.errors));
    const deployMs = performance.now() - t0;
    const t1 = performance.now();
    const status = await cluster.advance(virtualMs);
    const runMs = performance.now() - t1;
    const sinks = job.operators.filter((op) => op.kind === 'collect').map((op) => op.id);
    const metrics = await cluster.metrics();
    return {
      outcome: status.state, failure: status.failure ?? null, hash: await cluster.traceHash(), virtualMs: status.virtualTimeMs,
      outputs: await Promise.all(sinks.map((id) => cluster.output(id))), deployMs, runMs,
      ticks: Math.round(status.virtualTimeMs / report.config.tickMs),
      records: metrics.operators.reduce((n, o) => n + o.recordsOut, 0),
    };
  } finally {
    await cluster.stop();
    host.dispose();
  }
}

async function inProcess(job: JobGraph, config: Partial<RunConfig>, virtualMs: number) {
  const cluster = new LocalCluster({ clock: browserClock });
  await cluster.start(job, { ...config, paused: true, speed: 'max' });
  const t0 = performance.now();
  const status = await cluster.advance(virtualMs);
  const runMs = performance.now() - t0;
  const sinks = job.operators.filter((op) => op.kind === 'collect').map((op) => op.id);
  const result = { state: status.state, hash: await cluster.traceHash(), outputs: await Promise.all(sinks.map((id) => cluster.output(id))), runMs };
  await cluster.stop();
  return result;
}

self.onmessage = async (event: MessageEvent<ClusterBenchRequest>) => {
  const { job, config, virtualMs, hang } = event.data;
  try {
    if (hang !== undefined) {
      const t0 = performance.now();
      const workers = await withWorkers(job, config, virtualMs, hang);
      const wallMs = performance.now() - t0;
      const local = await inProcess(job, { ...config, restartAttempts: 0 }, virtualMs);
      self.postMessage({ ok: true, workers, local, wallMs });
      return;
    }
    const workers = await withWorkers(job, config, virtualMs);
    const local = await inProcess(job, config, virtualMs);
    self.postMessage({ ok: true, workers, local, sameHash: workers.hash === local.hash, sameOutput: JSON.stringify(workers.outputs) === JSON.stringify(local.outputs) });
  } catch (error) {
    self.postMessage({ ok: false, error: error instanceof Error ? `${error.message}\n${error.stack}` : String(error) });
  }
};
