/**
 * Benchmark and check of worker TaskManagers without the app: this worker plays the
 * JobManager worker, starts real TaskManager workers (nested) through WorkerTaskManagers, runs
 * a job for some virtual time with JobManagerCore, and reports the wall time, the trace hash
 * and the sink output next to an in-process LocalCluster run of the same job and seed.
 */
import { JobManagerCore } from '../engine/cluster/JobManagerCore';
import { LocalCluster } from '../engine/cluster/LocalCluster';
import { planRun } from '../engine/cluster/planRun';
import type { JobGraph } from '../engine/job/types';
import type { RunConfig } from '../engine/runtime/runConfig';
import { browserClock } from '../workers/localClusterApi';
import { spawnTaskManagerWorker } from '../workers/spawnTaskManagerWorker';
import { WorkerTaskManagers } from '../workers/WorkerTaskManagers';

export interface ClusterBenchRequest {
  job: JobGraph;
  config: Partial<RunConfig>;
  virtualMs: number;
  /** Check the tick deadline: on TaskManager `taskManager`, its subtask at `position` spins forever from `tick` on. */
  hang?: { taskManager: number; tick: number; position: number; deadlineMs: number };
}

function spawnHanging(hang: NonNullable<ClusterBenchRequest['hang']>) {
  return (taskManager: number) => (taskManager === hang.taskManager
    ? new Worker(new URL('./hangingTaskManager.worker.ts', import.meta.url), { type: 'module', name: `sluice-taskmanager-${taskManager} hangAtTick=${hang.tick} hangAt=${hang.position}` })
    : spawnTaskManagerWorker(taskManager));
}

async function withWorkers(job: JobGraph, config: Partial<RunConfig>, virtualMs: number, hang?: ClusterBenchRequest['hang']) {
  const plan = planRun(job, { ...config, paused: true });
  if (!plan.ok) throw new Error(JSON.stringify(plan.errors));
  const host = hang === undefined
    ? new WorkerTaskManagers({ spawn: spawnTaskManagerWorker })
    : new WorkerTaskManagers({ spawn: spawnHanging(hang), tickDeadlineMs: hang.deadlineMs });
  try {
    const jm = new JobManagerCore(plan);
    const t0 = performance.now();
    jm.onDeployed(await host.deploy(jm.deployMessages()));
    const deployMs = performance.now() - t0;
    const t1 = performance.now();
    let ticks = 0;
    while (jm.outcome === 'running' && jm.nextTickEndMs <= virtualMs) {
      const messages = jm.beginTick();
      if (messages === null) break;
      const result = await host.runTick(messages, jm.liveTaskManagers);
      if (!result.ok) {
        jm.onTaskManagerFailure(result.failure);
        break;
      }
      jm.completeTick(result.reports);
      ticks++;
    }
    const runMs = performance.now() - t1;
    const sinks = job.operators.filter((op) => op.kind === 'collect').map((op) => op.id);
    return {
      outcome: jm.outcome, failure: jm.failure ?? null, hash: jm.traceHash(), virtualMs: jm.virtualTimeMs,
      outputs: sinks.map((id) => jm.output(id)), deployMs, runMs, ticks,
      records: jm.metrics().operators.reduce((n, o) => n + o.recordsOut, 0),
    };
  } finally {
    host.dispose();
  }
}

async function inProcess(job: JobGraph, config: Partial<RunConfig>, virtualMs: number) {
  const cluster = new LocalCluster({ clock: browserClock });
  await cluster.start(job, { ...config, paused: true });
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
      self.postMessage({ ok: true, workers, wallMs: performance.now() - t0 });
      return;
    }
    const workers = await withWorkers(job, config, virtualMs);
    const local = await inProcess(job, config, virtualMs);
    self.postMessage({ ok: true, workers, local, sameHash: workers.hash === local.hash, sameOutput: JSON.stringify(workers.outputs) === JSON.stringify(local.outputs) });
  } catch (error) {
    self.postMessage({ ok: false, error: error instanceof Error ? `${error.message}\n${error.stack}` : String(error) });
  }
};
