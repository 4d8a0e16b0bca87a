/**
 * What failures take down, decided purely from the plan and the subtasks' states (STYLE.md
 * habit 2): the JobManager asks before it asks the restart strategy.
 */
import type { CheckpointTopology } from '../checkpoint/topology';
import { subtaskKey, type SubtaskRef } from '../plan/executionGraph';
import type { SubtaskPlacement } from '../runtime/protocol';
import type { FailureInfo, SubtaskState } from '../runtime/telemetry';

/** The facts the decisions read. */
export interface FailureFacts {
  placement: readonly SubtaskPlacement[];
  topology: CheckpointTopology;
  /** Subtask states in plan order. */
  states: readonly SubtaskState[];
  /** Plan position of a subtask. */
  positionOf(ref: SubtaskRef): number;
}

/**
 * The subtasks failures took down, in plan order (a lost TaskManager: what it hosted), or null
 * when a failure names neither a subtask nor a TaskManager (nothing to restart: the job fails).
 * A region that has finished entirely loses nothing with its TaskManager (Flink keeps finished
 * tasks finished); a finished subtask of a running region may still have had buffers queued
 * for its consumers, so it fails with the rest.
 */
export function failedSubtasks(facts: FailureFacts, failures: readonly FailureInfo[]): SubtaskRef[] | null {
  const failed = new Map<string, SubtaskRef>();
  for (const failure of failures) {
    if (failure.operatorId !== undefined && failure.subtask !== undefined) {
      failed.set(subtaskKey({ operatorId: failure.operatorId, index: failure.subtask }), { operatorId: failure.operatorId, index: failure.subtask });
    } else if (failure.taskManager !== undefined) {
      for (const p of facts.placement) {
        if (p.taskManager !== failure.taskManager || regionFinished(facts, p)) continue;
        failed.set(subtaskKey(p), { operatorId: p.operatorId, index: p.index });
      }
    } else {
      return null;
    }
  }
  return [...failed.values()].sort((a, b) => facts.positionOf(a) - facts.positionOf(b));
}

/** Whether every region of the subtask has finished entirely. */
export function regionFinished(facts: FailureFacts, ref: SubtaskRef): boolean {
  const { topology, states } = facts;
  return (topology.regionsOf.get(subtaskKey(ref)) ?? []).every((id) =>
    (topology.regions.find((r) => r.id === id)?.subtasks ?? []).every((m) => states[facts.positionOf(m)] === 'finished'));
}

/**
 * A lost TaskManager took memory-backend keyed state with it (where the host cannot keep it:
 * a worker's heap): the failure to end the job with, or undefined.
 */
export function lostMemoryState(
  placement: readonly SubtaskPlacement[], keyedOperators: ReadonlySet<string>, failures: readonly FailureInfo[],
): FailureInfo | undefined {
  for (const failure of failures) {
    if (failure.operatorId !== undefined || failure.taskManager === undefined) continue;
    const keyed = placement.filter((p) => p.taskManager === failure.taskManager && keyedOperators.has(p.operatorId));
    if (keyed.length === 0) continue;
    return {
      code: 'state.memoryLost',
      message: `TaskManager ${failure.taskManager} was lost with the keyed state of ${keyed.map((p) => subtaskKey(p)).join(', ')} on its heap: ` +
        "the memory backend lost it, so the job cannot restore. Run with stateBackend 'idb' to recover from a lost TaskManager.",
      cause: failure,
    };
  }
  return undefined;
}
