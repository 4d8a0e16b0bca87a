/**
 * Keyed state storage errors as run failures (DESIGN.md §5 "Errors"): a background flush that
 * failed (thrown by `StateStorage.endTick`) or a `prepare` that rejected fails the job with
 * the storage's own code (e.g. `state.storageFull`) and a message saying what to do, instead
 * of an anonymous internal error. The tick's report still goes out, so nothing the tick did is
 * lost, and nothing waits on the failed I/O.
 */
import type { FailureInfo } from '../runtime/telemetry';

/** Used when the storage's error carries no code of its own. */
export const STATE_STORAGE_FAILURE = 'state.storage';

/** The `code` a storage put on its error, if any. */
export function storageErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code !== '' ? code : undefined;
}

function detailOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A failure of a TaskManager's state storage (a failed background flush). */
export function storageFailure(error: unknown, taskManager: number): FailureInfo {
  const detail = detailOf(error);
  return {
    code: storageErrorCode(error) ?? STATE_STORAGE_FAILURE,
    taskManager,
    message: `The keyed state storage of TaskManager ${taskManager} failed, so the job stopped rather than lose state: ${detail}` +
      (storageErrorCode(error) === undefined ? ' Start the job again; if it keeps failing, run with stateBackend "memory".' : ''),
  };
}

/** A subtask's state I/O failed (a rejected `prepare`). */
export function subtaskStorageFailure(error: unknown, code: string, where: { operatorId: string; subtask: number; name: string }): FailureInfo {
  return {
    code,
    operatorId: where.operatorId,
    subtask: where.subtask,
    message: `Operator '${where.name}' (${where.operatorId}, subtask ${where.subtask}) could not read or write its keyed state: ${detailOf(error)}`,
  };
}
