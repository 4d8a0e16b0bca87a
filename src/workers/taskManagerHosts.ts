/**
 * Where the JobManager worker runs its TaskManagers: one nested Web Worker each
 * (WorkerTaskManagers) wherever a worker can start workers — Chromium can — and in-process
 * (LocalCluster's default) where it cannot, so a run never depends on nested workers.
 */
import type { TaskManagerHostFactory } from '../engine/cluster/TaskManagerHost';
import { spawnTaskManagerWorker } from './spawnTaskManagerWorker';
import { WorkerTaskManagers } from './WorkerTaskManagers';

/** The worker host's factory, or undefined (in-process) when this scope cannot start workers. */
export function workerTaskManagers(): TaskManagerHostFactory | undefined {
  if (typeof Worker !== 'function') return undefined;
  return () => new WorkerTaskManagers({ spawn: spawnTaskManagerWorker });
}
