/**
 * A failover's restart on one TaskManager (the `restart-subtasks` command): the restarted
 * subtasks are rebuilt over fresh gates (TaskManagerNetwork.reset), each keyed one over a fresh
 * backend on the same storage, and then restored, in plan order (Flink redeploys the tasks of
 * the restarted region with their `JobManagerTaskRestore`):
 *
 * 1. cancel the old attempts and reset their gates;
 * 2. rebuild every task (a chain head before its followers, so chains link up again);
 * 3. restore each (in reverse plan order, see below): sources rewind to their offsets; operators restore keyed state, timers and
 *    operator state; a subtask whose snapshot id is set but which has no snapshot had finished
 *    before that checkpoint (CompletedCheckpointStore.restorePoint) and restores as finished
 *    (Flink FLIP-147): it only sends end-of-partition, everything it produced is already in its
 *    consumers' snapshots.
 */
import { subtaskKey, type ExecutionGraph } from '../plan/executionGraph';
import type { SubtaskRestoreSpec } from '../runtime/protocol';
import type { FailureInfo } from '../runtime/telemetry';
import type { VirtualMs } from '../runtime/types';
import type { HostedTask } from './HostedTask';
import type { OperatorTask } from './OperatorTask';
import { SourceTask } from './SourceTask';
import { assembleTask, type AssemblyContext } from './TaskAssembly';
import type { TaskManagerNetwork } from './TaskManagerNetwork';
import type { TaskManagerState } from './TaskManagerState';

/** What a restart needs of its TaskManager. */
export interface RestartHost {
  network: TaskManagerNetwork;
  assembly: AssemblyContext;
  graph: ExecutionGraph;
  state: TaskManagerState | undefined;
  /** Hosted tasks in plan order (replaced in place). */
  tasks: HostedTask[];
  task(operatorId: string, index: number): HostedTask;
  replace(at: number, task: HostedTask): void;
}

type Step = () => Promise<void> | undefined;

/** See the module comment; a promise only when a backend opens or restores asynchronously. */
export function restartSubtasks(host: RestartHost, specs: readonly SubtaskRestoreSpec[], nowMs: VirtualMs): Promise<void> | undefined {
  for (const spec of specs) {
    host.task(spec.operatorId, spec.index).cancelForRestart();
    host.network.reset(spec);
  }
  const rebuilt: HostedTask[] = [];
  const rebuilds = specs.map((spec): Step => () => {
    const rebuild = (): undefined => {
      const subtask = host.graph.subtasks.find((s) => s.operatorId === spec.operatorId && s.index === spec.index);
      if (subtask === undefined) throw new Error(`Subtask ${subtaskKey(spec)} is not in the plan.`);
      const at = host.tasks.indexOf(host.task(spec.operatorId, spec.index));
      const task = assembleTask(host.assembly, subtask);
      host.replace(at, task);
      rebuilt.push(task);
      return undefined;
    };
    const reopening = host.state?.reopen(spec.operatorId, spec.index);
    return reopening === undefined ? rebuild() : reopening.then(rebuild);
  });
  // Restored in reverse plan order: a chain member restored finished ends its chained
  // follower by direct call, which must by then be restored (a collect sink waiting for its
  // final checkpoint outlives the rest of its chain).
  const restores = specs.map((spec, i): Step => () => restoreOne(rebuilt[i] as HostedTask, spec, nowMs)).reverse();
  return sequence([...rebuilds, ...restores]);
}

function restoreOne(task: HostedTask, spec: SubtaskRestoreSpec, nowMs: VirtualMs): Promise<void> | undefined {
  if (spec.finished === true) {
    // Its whole region had finished: its consumers saw its end already, so it sends nothing.
    task.state = 'finished';
    return undefined;
  }
  if (spec.snapshotId > 0 && spec.handle === undefined) {
    task.restoreFinished();
    return undefined;
  }
  if (task instanceof SourceTask) {
    const rescaled = spec.handle?.rescaledFrom;
    task.restore(rescaled === undefined ? spec.handle?.source : rescaled.flatMap((h) => (h.source === undefined ? [] : [h.source])), nowMs);
    return undefined;
  }
  const restoring = (task as OperatorTask).restore(spec);
  if (restoring === undefined) return undefined;
  task.state = 'restoring';
  return restoring.then(() => {
    task.state = 'running';
  }, (error: unknown) => task.fail(restoreFailure(spec, error)));
}

/** Runs steps in order, waiting only when one returns a promise. */
export function sequence(steps: readonly Step[], from = 0): Promise<void> | undefined {
  for (let i = from; i < steps.length; i++) {
    const pending = (steps[i] as Step)();
    if (pending !== undefined) return pending.then(() => sequence(steps, i + 1));
  }
  return undefined;
}

function restoreFailure(spec: SubtaskRestoreSpec, error: unknown): FailureInfo {
  const detail = error instanceof Error ? error.message : String(error);
  return {
    code: 'task.restore', operatorId: spec.operatorId, subtask: spec.index,
    message: `Subtask ${spec.operatorId}#${spec.index} could not restore checkpoint ${spec.snapshotId}: ${detail}`,
  };
}
