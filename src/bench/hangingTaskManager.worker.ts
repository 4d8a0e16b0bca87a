/**
 * Test double for the tick-deadline check in real Chromium (e2e/cluster.spec.ts via
 * bench.html): a real TaskManager worker (the same endpoint and core as
 * taskmanager.worker.ts) that, from tick `hangAtTick` on, spins forever inside the tick as a
 * user function that never returns would (the tick comes in the worker's name, `… hangAtTick=N`). Only `worker.terminate()` stops it.
 */
import { TaskManagerCore } from '../engine/cluster/TaskManagerCore';
import { createMemoryStateStorage } from '../engine/state/memory/MemoryStateStorage';
import type { HostToTaskManager, TaskManagerToHost } from '../workers/taskmanager/messages';
import { PHASE, PROGRESS } from '../workers/taskmanager/messages';
import { TaskManagerEndpoint } from '../workers/taskmanager/TaskManagerEndpoint';

const hangAtTick = Number(/hangAtTick=(\d+)/.exec(self.name)?.[1] ?? '10');
let progress: Int32Array | null = null;

const endpoint = new TaskManagerEndpoint(
  (message: TaskManagerToHost, transfer: Transferable[]) => self.postMessage(message, transfer),
  () => new TaskManagerCore({ createStateStorage: () => createMemoryStateStorage() }),
);

function spin(): never {
  if (progress !== null) {
    Atomics.store(progress, PROGRESS.PHASE, PHASE.RUNNING);
    Atomics.store(progress, PROGRESS.SUBTASK, 0);
  }
  for (;;) {
    // A user function that never returns.
  }
}

self.addEventListener('message', (event: MessageEvent<HostToTaskManager>) => {
  const message = event.data;
  if (message.type === 'deploy' && message.progress !== null) progress = new Int32Array(message.progress);
  if (message.type === 'start-tick' && message.start.tick >= hangAtTick) spin();
  endpoint.handle(message);
});
