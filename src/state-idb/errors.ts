/**
 * Storage errors of the IndexedDB state backend, one catalogue with stable `code` strings and
 * messages a user can act on (STYLE.md habit 12). Browsers report a full quota as
 * `QuotaExceededError`, or as an `AbortError` whose transaction error (or cause) is the quota
 * error; both become {@link StateStorageFullError}.
 */

/** Stable codes of the state storage errors (for the UI and tests; messages may change). */
export type StateStorageErrorCode = 'state.storageFull' | 'state.databaseLost' | 'state.versionChange' | 'state.connectionLost';

/** Base class: every state storage error carries its database name and a stable code. */
export abstract class StateStorageError extends Error {
  abstract readonly code: StateStorageErrorCode;
  constructor(readonly databaseName: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** The browser refused to store more state: the origin's storage quota is used up. */
export class StateStorageFullError extends StateStorageError {
  override readonly name = 'StateStorageFullError';
  readonly code = 'state.storageFull' as const;
  constructor(databaseName: string, options?: { cause?: unknown }) {
    super(databaseName, 
      `Storage full: the browser refused to write keyed state to IndexedDB database '${databaseName}' (quota exceeded). ` +
        'Free disk space or site storage (delete old jobs\' state), or run with stateBackend "memory"; ' +
        'the last completed checkpoint stays restorable.',
      options,
    );
  }
}

/**
 * The job's database was deleted or evicted by the browser (or recreated empty): the state a
 * checkpoint refers to is gone. Never taken as empty state.
 */
export class StateDatabaseLostError extends StateStorageError {
  override readonly name = 'StateDatabaseLostError';
  readonly code = 'state.databaseLost' as const;
  constructor(databaseName: string, detail: string, options?: { cause?: unknown }) {
    super(
      databaseName,
      `State database '${databaseName}' was deleted or evicted by the browser (${detail}); its checkpoints cannot be restored. ` +
        'Start the job afresh; to keep state across sessions, allow persistent storage for this site.',
      options,
    );
  }
}

/** Another tab upgraded or deleted the database; this tab closed its connection. */
export class StateVersionChangeError extends StateStorageError {
  override readonly name = 'StateVersionChangeError';
  readonly code = 'state.versionChange' as const;
  constructor(databaseName: string) {
    super(
      databaseName,
      `Another tab upgraded or deleted state database '${databaseName}', so this tab closed its connection. Reload this tab to continue.`,
    );
  }
}

/** The connection to IndexedDB was lost and could not be reopened within the retry budget. */
export class StateConnectionLostError extends StateStorageError {
  override readonly name = 'StateConnectionLostError';
  readonly code = 'state.connectionLost' as const;
  constructor(databaseName: string, attempts: number, options?: { cause?: unknown }) {
    super(
      databaseName,
      `Lost the connection to state database '${databaseName}' and could not reopen it after ${attempts} attempts. ` +
        'The last completed checkpoint stays restorable; restart the job, or reload the tab if this repeats.',
      options,
    );
  }
}

/** True for errors that mean the connection is gone (a retry on a fresh connection may work). */
export function isConnectionError(error: unknown): boolean {
  const name = errorName(error);
  return name === 'InvalidStateError' || name === 'UnknownError' || name === 'TransactionInactiveError';
}

function errorName(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const name = (error as { name?: unknown }).name;
  return typeof name === 'string' ? name : undefined;
}

/** True for a quota error, also when wrapped in an AbortError (via `cause`, `inner` or the transaction's error). */
export function isQuotaError(error: unknown, transactionError?: unknown): boolean {
  if (errorName(error) === 'QuotaExceededError' || errorName(transactionError) === 'QuotaExceededError') return true;
  if (errorName(error) !== 'AbortError' || typeof error !== 'object' || error === null) return false;
  const wrapped = error as { cause?: unknown; inner?: unknown; target?: { error?: unknown } };
  return [wrapped.cause, wrapped.inner, wrapped.target?.error].some((e) => errorName(e) === 'QuotaExceededError');
}

/** Maps quota errors to {@link StateStorageFullError}; other errors pass through. */
export function translateStorageError(databaseName: string, error: unknown, transactionError?: unknown): unknown {
  return isQuotaError(error, transactionError) ? new StateStorageFullError(databaseName, { cause: error }) : error;
}
