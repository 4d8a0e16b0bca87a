/**
 * Storage errors of the IndexedDB state backend with messages a user can act on. Browsers
 * report a full quota as `QuotaExceededError`, or as an `AbortError` whose transaction error
 * (or cause) is the quota error; both become {@link StateStorageFullError}.
 */

/** The browser refused to store more state: the origin's storage quota is used up. */
export class StateStorageFullError extends Error {
  override readonly name = 'StateStorageFullError';
  constructor(readonly databaseName: string, options?: { cause?: unknown }) {
    super(
      `Storage full: the browser refused to write keyed state to IndexedDB database '${databaseName}' (quota exceeded). ` +
        'Free disk space or site storage (delete old jobs\' state), or run with stateBackend "memory"; ' +
        'the last completed checkpoint stays restorable.',
      options,
    );
  }
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
