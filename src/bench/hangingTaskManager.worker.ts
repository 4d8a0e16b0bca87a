/**
 * Test double for the tick-deadline check in real Chromium (e2e/cluster.spec.ts via
 * bench.html): a real TaskManager worker (the same endpoint and core as
 * taskmanager.worker.ts) in which, from tick `hangAtTick` on, the hosted subtask at position
 * `hangAt` spins forever as soon as it starts, as a user function that never returns would.
 * Both numbers come in the worker's name (`… hangAtTick=N hangAt=K`). Only
 * `worker.terminate()` stops it.
 */
import { TaskManagerCore } from '../engine/cluster/TaskManagerCore';
import { stateStoragePorts } from '../workers/stateStorages';
import type { HostToTaskManager, TaskManagerToHost } from '../workers/taskmanager/messages';
import { TaskManagerEndpoint } from '../workers/taskmanager/TaskManagerEndpoint';

const setting = (name: string, fallback: number): number => Number(new RegExp(`${name}=(\\d+)`).exec(self.name)?.[1] ?? fallback);
const hangAtTick = setting('hangAtTick', 10);
const hangAt = setting('hangAt', 0);
let tick = -1;

const endpoint = new TaskManagerEndpoint(
  (message: TaskManagerToHost, transfer: Transferable[]) => self.postMessage(message, transfer),
  (subtaskStarting) => {
    const core = new TaskManagerCore({
      ...stateStoragePorts(self.indexedDB),
      subtaskStarting: (position) => {
        subtaskStarting(position);
        if (tick >= hangAtTick && position === hangAt) {
          for (;;) {
            // A user function that never returns.
          }
        }
      },
    });
    const runTick = core.runTick.bind(core);
    core.runTick = (message) => {
      tick = message.tick;
      return runTick(message);
    };
    return core;
  },
);

self.addEventListener('message', (event: MessageEvent<HostToTaskManager>) => endpoint.handle(event.data));
