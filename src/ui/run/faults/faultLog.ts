/**
 * The log of faults injected in this run (from the canvas, the Faults panel or
 * `window.sluice.inject`): what, when, and whether the cluster accepted or refused it (with
 * its message). Newest last, bounded.
 */
import type { JobGraph } from '../../../engine';
import type { Fault } from '../../../engine/runtime/telemetry';

export const MAX_FAULT_LOG = 200;

export type FaultOutcome = 'pending' | 'applied' | 'refused';

export interface FaultLogEntry {
  id: number;
  /** Virtual time when it was sent. */
  virtualTimeMs: number;
  fault: Fault;
  label: string;
  outcome: FaultOutcome;
  /** Why it was refused. */
  message?: string;
}

const nameOf = (job: JobGraph | null, id: string) => job?.operators.find((o) => o.id === id)?.name ?? id;

/** "Kill Count #1", "Slow Work #2 down ×10", "Kill TaskManager 0", "Fail the next checkpoint in region 2". */
export function describeFault(fault: Fault, job: JobGraph | null): string {
  switch (fault.kind) {
    case 'kill-task': return `Kill ${nameOf(job, fault.operator)} #${fault.subtask}`;
    case 'slow-task': return fault.factor === 1
      ? `Restore ${nameOf(job, fault.operator)} #${fault.subtask} to normal speed`
      : `Slow ${nameOf(job, fault.operator)} #${fault.subtask} down ×${fault.factor}`;
    case 'kill-taskmanager': return `Kill TaskManager ${fault.taskManager}`;
    case 'fail-checkpoint': return `Fail the next checkpoint in region ${fault.region}`;
    case 'kill-jobmanager': return 'Kill the JobManager';
    case 'coordination-store-down': return 'Take the coordination store down';
    case 'coordination-store-up': return 'Bring the coordination store back';
    case 'coordination-store-slow': return fault.latencyMs === 0
      ? 'Make the coordination store answer at once again'
      : `Slow the coordination store down (${fault.latencyMs} ms per call)`;
  }
}

export function appendFault(log: readonly FaultLogEntry[], entry: FaultLogEntry): FaultLogEntry[] {
  const next = [...log, entry];
  return next.length > MAX_FAULT_LOG ? next.slice(next.length - MAX_FAULT_LOG) : next;
}

export function settleFault(log: readonly FaultLogEntry[], id: number, outcome: Exclude<FaultOutcome, 'pending'>, message?: string): FaultLogEntry[] {
  return log.map((e) => (e.id === id ? { ...e, outcome, ...(message !== undefined ? { message } : {}) } : e));
}
