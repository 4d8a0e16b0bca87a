/**
 * A run failure's cause chain (outermost first, as Flink prints it), with operator ids
 * resolved to the names the user gave them.
 */
import type { JobGraph } from '../../engine';
import type { FailureInfo } from '../../engine/runtime/telemetry';

export interface CauseRow {
  code: string;
  message: string;
  /** "Count per word (count) · subtask 2 · TaskManager 1", or '' when nothing is named. */
  where: string;
}

/** Bound on the chain length drawn (a cyclic or absurd chain must not hang the UI). */
const MAX_DEPTH = 32;

export function operatorLabel(job: JobGraph | null, operatorId: string): string {
  const op = job?.operators.find((o) => o.id === operatorId);
  return op && op.name !== op.id ? `${op.name} (${op.id})` : operatorId;
}

export function whereOf(job: JobGraph | null, f: Pick<FailureInfo, 'operatorId' | 'subtask' | 'taskManager'>): string {
  const parts: string[] = [];
  if (f.operatorId !== undefined) parts.push(operatorLabel(job, f.operatorId));
  if (f.subtask !== undefined) parts.push(`subtask ${f.subtask}`);
  if (f.taskManager !== undefined) parts.push(`TaskManager ${f.taskManager}`);
  return parts.join(' · ');
}

/** The chain as rows, outermost first. */
export function causeChain(failure: FailureInfo, job: JobGraph | null): CauseRow[] {
  const rows: CauseRow[] = [];
  let current: FailureInfo | undefined = failure;
  while (current && rows.length < MAX_DEPTH) {
    rows.push({ code: current.code, message: current.message, where: whereOf(job, current) });
    current = current.cause;
  }
  return rows;
}

/** The innermost cause: usually what the user has to fix. */
export function rootCause(failure: FailureInfo): FailureInfo {
  let current = failure;
  for (let i = 0; current.cause && i < MAX_DEPTH; i++) current = current.cause;
  return current;
}
