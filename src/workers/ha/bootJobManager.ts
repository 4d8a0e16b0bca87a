/**
 * What a JobManager worker does with its `jm-init` (controlMessages.ts): builds the cluster with
 * TaskManager workers owned by the main thread (linkedTaskManagers.ts), the coordination store
 * worker and the IndexedDB file store as its HA stores, and — for a successor — adopts the
 * running TaskManagers and takes over the job. When leadership is lost (kill-jobmanager) it
 * tells the main thread, which terminates this worker and starts the next.
 */
import type { JobManagerHandoff } from '../../engine/cluster/LocalCluster';
import type { RunStatus } from '../../engine/runtime/telemetry';
import type { StartReport } from '../clusterApi';
import { createLocalClusterApi, type LocalClusterApiOptions } from '../localClusterApi';
import { WorkerTaskManagers } from '../WorkerTaskManagers';
import { coordinationOverPort } from './coordinationClient';
import type { AdoptionOrder, JobManagerInit, JobManagerToMain } from './controlMessages';
import { IdbHaStore } from './idbHaStore';
import { leaderApi, type LeaderApi } from './leaderApi';
import { TaskManagerSpawner } from './linkedTaskManagers';

export interface BootedJobManager {
  leader: LeaderApi;
  /** Resolves once the worker can take calls (a successor: after the takeover); say `ready` then. */
  ready: Promise<StartReport | undefined>;
}

/**
 * @param options what else the cluster gets (the worker: its indexedDB; Node tests: a clock).
 * `options.indexedDB` also holds the HA file store (`sluice-ha`).
 */
export function bootJobManager(init: JobManagerInit, options: LocalClusterApiOptions): BootedJobManager {
  const { control } = init;
  const post = (message: JobManagerToMain): void => control.postMessage(message);
  const spawner = new TaskManagerSpawner(control, init.generation);
  const coordination = coordinationOverPort(init.coordination);
  if (options.indexedDB === undefined) throw new Error('A JobManager with HA needs IndexedDB for its file store.');
  const file = new IdbHaStore(options.indexedDB);
  const holder: { leader?: LeaderApi } = {};
  const lost = (handoff: JobManagerHandoff): void => {
    const advanceTargetMs = holder.leader?.lose();
    post({ type: 'jobmanager-lost', handoff, ...(advanceTargetMs === undefined ? {} : { advanceTargetMs }) });
  };
  const inner = createLocalClusterApi({
    ...options, taskManagers: () => new WorkerTaskManagers({ spawn: spawner.spawn }), ha: { coordination, file }, jobManagerLost: lost,
  });
  const booted = leaderApi(inner, () => coordination.available());
  holder.leader = booted;
  const ready = init.adopt === undefined ? Promise.resolve(undefined) : adopt(booted, init.adopt, spawner);
  return { leader: booted, ready };
}

/** Takes over the job of `order.handoff` with the TaskManagers the main thread handed over. */
async function adopt(leader: LeaderApi, order: AdoptionOrder, spawner: TaskManagerSpawner): Promise<StartReport> {
  const host = WorkerTaskManagers.adopt({ spawn: spawner.spawn }, order.taskManagers.map((offer) => ({
    taskManager: offer.taskManager, worker: spawner.adopt(offer),
  })));
  const target = order.advanceTargetMs;
  // An advance in flight goes on here: take over paused, then run on to its target.
  const handoff = target === undefined ? order.handoff : { ...order.handoff, paused: true };
  const report = await leader.api.adoptRunning(handoff, host);
  if (report.ok && target !== undefined) {
    const now = (await leader.api.status()).virtualTimeMs;
    const running: Promise<RunStatus> = target > now ? leader.api.advance(target - now) : leader.api.status();
    leader.continueAdvance(running);
  }
  return report;
}
