/**
 * What an injected fault does (DESIGN.md §8 faults), decided purely (STYLE.md habit 2) from
 * the plan and which TaskManagers are alive: a command for the TaskManager hosting the target
 * (kill-task, slow-task), the loss of a TaskManager (kill-taskmanager), or why it is refused.
 */
import type { JobGraph } from '../job/types';
import type { SubtaskPlacement, TaskManagerCommand } from '../runtime/protocol';
import type { FailureInfo, Fault, RunEvent } from '../runtime/telemetry';

export type FaultDecision =
  /** Refused: the reason, said so a user can act on it. */
  | { kind: 'reject'; reason: string }
  /** Sent to `taskManager` with the next tick. */
  | { kind: 'command'; taskManager: number; command: TaskManagerCommand }
  /** The TaskManager is lost at the next tick's start. */
  | { kind: 'lose-taskmanager'; taskManager: number }
  /** The region fails the checkpoint in flight (or the next one): its snapshot is declined. */
  | { kind: 'fail-checkpoint'; region: number };

export interface FaultFacts {
  job: JobGraph;
  placement: readonly SubtaskPlacement[];
  alive: readonly boolean[];
  /** Region ids of the plan (divideRegions). */
  regions?: readonly number[];
}

export function decideFault(facts: FaultFacts, fault: Fault): FaultDecision {
  switch (fault.kind) {
    case 'kill-task': {
      const tm = taskManagerOf(facts, fault.operator, fault.subtask);
      if (typeof tm === 'string') return { kind: 'reject', reason: tm };
      const name = facts.job.operators.find((op) => op.id === fault.operator)?.name ?? fault.operator;
      const failure: FailureInfo = {
        code: 'task.killed', operatorId: fault.operator, subtask: fault.subtask, taskManager: tm,
        message: `${name} #${fault.subtask} was killed by an injected kill-task fault.`,
        cause: { code: 'fault.injected', message: `Fault injected: ${JSON.stringify(fault)}.` },
      };
      return { kind: 'command', taskManager: tm, command: { kind: 'fail-task', operatorId: fault.operator, subtask: fault.subtask, failure } };
    }
    case 'slow-task': {
      const tm = taskManagerOf(facts, fault.operator, fault.subtask);
      if (typeof tm === 'string') return { kind: 'reject', reason: tm };
      if (typeof fault.factor !== 'number' || !Number.isFinite(fault.factor) || fault.factor <= 0 || fault.factor > 10_000) {
        return { kind: 'reject', reason: `A slow-task factor must be a number above 0 and at most 10000 (1 restores normal speed), not ${String(fault.factor)}.` };
      }
      return { kind: 'command', taskManager: tm, command: { kind: 'set-slow-factor', operatorId: fault.operator, subtask: fault.subtask, factor: fault.factor } };
    }
    case 'kill-taskmanager': {
      const tm = fault.taskManager;
      if (!Number.isInteger(tm) || tm < 0 || tm >= facts.alive.length) {
        return { kind: 'reject', reason: `TaskManager ${String(tm)} does not exist: this run has TaskManagers 0 to ${facts.alive.length - 1}.` };
      }
      if (facts.alive[tm] !== true) return { kind: 'reject', reason: `TaskManager ${tm} is already lost.` };
      return { kind: 'lose-taskmanager', taskManager: tm };
    }
    case 'fail-checkpoint': {
      const regions = facts.regions ?? [];
      if (!regions.includes(fault.region)) {
        return { kind: 'reject', reason: `Region ${String(fault.region)} does not exist: this job has regions ${regions.join(', ')}.` };
      }
      return { kind: 'fail-checkpoint', region: fault.region };
    }
    default:
      return {
        kind: 'reject',
        reason: `The '${fault.kind}' fault arrives with JobManager high availability; this run supports kill-task, kill-taskmanager, slow-task and fail-checkpoint.`,
      };
  }
}

/** The event recording an accepted fault (its time is set when it takes effect). */
export function faultEvent(fault: Fault): RunEvent {
  const where = 'operator' in fault ? { operatorId: fault.operator, subtask: fault.subtask } : {};
  const tm = fault.kind === 'kill-taskmanager' ? { taskManager: fault.taskManager } : {};
  return { virtualTimeMs: 0, kind: 'fault-injected', message: `Fault injected: ${JSON.stringify(fault)}.`, ...where, ...tm };
}

function taskManagerOf(facts: FaultFacts, operatorId: string, subtask: number): number | string {
  const placed = facts.placement.find((p) => p.operatorId === operatorId && p.index === subtask);
  if (placed === undefined) {
    const op = facts.job.operators.find((o) => o.id === operatorId);
    return op === undefined
      ? `Operator '${String(operatorId)}' does not exist in this job.`
      : `Operator '${operatorId}' has subtasks 0 to ${op.parallelism - 1}, not ${String(subtask)}.`;
  }
  if (facts.alive[placed.taskManager] !== true) return `${operatorId}#${subtask} ran on TaskManager ${placed.taskManager}, which is lost.`;
  return placed.taskManager;
}
