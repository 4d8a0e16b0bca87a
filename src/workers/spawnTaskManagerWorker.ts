/**
 * Starts one TaskManager worker. Called inside the JobManager worker, so TaskManagers are
 * nested dedicated module workers (Chromium supports them; Vite bundles the nested entry).
 */
import type { TaskManagerWorker } from './WorkerTaskManagers';

export function spawnTaskManagerWorker(taskManager: number): TaskManagerWorker {
  return new Worker(new URL('./taskmanager.worker.ts', import.meta.url), { type: 'module', name: `sluice-taskmanager-${taskManager}` });
}
