/**
 * The jobs library's error catalogue (STYLE.md habit 12): every storage failure the designer can
 * show becomes a `LibraryError` with a stable `code` and a sentence that says what to do.
 *
 * Browsers report the same trouble in different shapes (a `QuotaExceededError` from a request, an
 * `AbortError` on the transaction whose `error` is the quota error, Firefox's legacy names), so
 * `toLibraryError` looks through all of them. Codes are a contract for the UI and for tests:
 * add new ones freely, never rename one.
 */

export type LibraryErrorCode =
  /** The site's storage quota is full; nothing was written. */
  | 'library.quota-exceeded'
  /** Another tab holds an older version of the database open and will not let it upgrade. */
  | 'library.blocked'
  /** The connection was closed (by `close()`, by a newer Sluice in another tab, or by the browser). */
  | 'library.closed'
  /** IndexedDB is missing or refuses to open (some private-browsing modes, disabled storage). */
  | 'library.unavailable'
  /** The saved jobs were written by a newer Sluice (a higher database version). */
  | 'library.version'
  /** No saved job has that id. */
  | 'library.not-found'
  /** A rename to an empty name. */
  | 'library.invalid-name'
  /** The job holds something that cannot be stored (e.g. a function); nothing was written. */
  | 'library.invalid-job'
  /** Any other storage failure; nothing was written. */
  | 'library.storage-failed';

/** What the library was doing when it failed; chosen so messages can say what was (not) changed. */
export type LibraryOperation = 'open' | 'list' | 'get' | 'save' | 'rename' | 'remove';

export class LibraryError extends Error {
  override readonly name = 'LibraryError';
  readonly code: LibraryErrorCode;
  readonly operation: LibraryOperation;

  constructor(code: LibraryErrorCode, operation: LibraryOperation, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.operation = operation;
  }
}

const UNCHANGED: Record<LibraryOperation, string> = {
  open: '',
  list: '',
  get: '',
  save: ' The job was not saved; the previously saved version, if any, is unchanged.',
  rename: ' The job was not renamed; the saved version is unchanged.',
  remove: ' The job was not deleted.',
};

/** The user-facing sentence for a code: what happened, then what to do. */
export function libraryMessage(code: LibraryErrorCode, operation: LibraryOperation, detail?: string): string {
  const unchanged = UNCHANGED[operation];
  switch (code) {
    case 'library.quota-exceeded':
      return `The browser's storage for this site is full.${unchanged} Delete saved jobs you no longer need, or use Export to keep this job as a file.`;
    case 'library.blocked':
      return 'Saved jobs cannot be opened because an older Sluice is open in another tab. Close or reload the other Sluice tabs, then try again.';
    case 'library.closed':
      return `The saved-jobs database was closed (a newer Sluice opened in another tab, or the browser closed it).${unchanged} Reload this page to reconnect; use Export first to keep unsaved work.`;
    case 'library.unavailable':
      return `This browser does not allow saving jobs here (storage may be disabled, or this is a private window).${unchanged} Use Export to keep the job as a file.`;
    case 'library.version':
      return 'Saved jobs were written by a newer version of Sluice. Reload the page to get the latest version.';
    case 'library.not-found':
      return `No saved job ${detail ? `"${detail}" ` : ''}exists any more; it may have been deleted in another tab. Save the job again to keep it.`;
    case 'library.invalid-name':
      return 'A job name cannot be empty. Type at least one character.';
    case 'library.invalid-job':
      return `This job contains a value that cannot be stored${detail ? ` (${detail})` : ''}.${unchanged} Export it to a file and report the problem.`;
    case 'library.storage-failed':
      return `Storage failed${detail ? ` (${detail})` : ''}.${unchanged} Try again; if it keeps failing, use Export to keep the job as a file.`;
  }
}

export function libraryError(code: LibraryErrorCode, operation: LibraryOperation, options?: { detail?: string; cause?: unknown }): LibraryError {
  return new LibraryError(code, operation, libraryMessage(code, operation, options?.detail), { cause: options?.cause });
}

interface ErrorLike { name?: unknown; message?: unknown; code?: unknown; cause?: unknown; inner?: unknown }

function asErrorLike(value: unknown): ErrorLike | undefined {
  return typeof value === 'object' && value !== null ? (value as ErrorLike) : undefined;
}

const QUOTA_NAMES = new Set(['QuotaExceededError', 'NS_ERROR_DOM_QUOTA_REACHED', 'NS_ERROR_FILE_NO_DEVICE_SPACE']);
/** `DOMException.QUOTA_EXCEEDED_ERR`, the legacy numeric code some browsers still set. */
const QUOTA_LEGACY_CODE = 22;

/** True when the error, or an error it wraps, says the storage quota was exceeded. */
export function isQuotaError(error: unknown, depth = 0): boolean {
  const e = asErrorLike(error);
  if (!e || depth > 4) return false;
  if (typeof e.name === 'string' && QUOTA_NAMES.has(e.name)) return true;
  if (e.code === QUOTA_LEGACY_CODE && e.name !== 'AbortError') return true;
  if (e.name === 'AbortError' && typeof e.message === 'string' && /quota/i.test(e.message)) return true;
  return isQuotaError(e.cause, depth + 1) || isQuotaError(e.inner, depth + 1);
}

/**
 * Map anything a storage call threw to a `LibraryError`. `transactionError` is the transaction's
 * own `error`, which is where browsers put the real reason when a request fails with `AbortError`.
 */
export function toLibraryError(error: unknown, operation: LibraryOperation, transactionError?: unknown): LibraryError {
  if (error instanceof LibraryError) return error;
  if (isQuotaError(error) || isQuotaError(transactionError)) {
    return libraryError('library.quota-exceeded', operation, { cause: error });
  }
  const e = asErrorLike(error);
  const name = typeof e?.name === 'string' ? e.name : '';
  const message = typeof e?.message === 'string' ? e.message : String(error);
  switch (name) {
    case 'InvalidStateError':
      // Starting a transaction on a connection that is closing or closed.
      return libraryError('library.closed', operation, { cause: error });
    case 'DataCloneError':
      return libraryError('library.invalid-job', operation, { detail: message, cause: error });
    case 'VersionError':
      return libraryError('library.version', operation, { cause: error });
    case 'SecurityError':
      return libraryError('library.unavailable', operation, { cause: error });
    default:
      return libraryError('library.storage-failed', operation, { detail: name ? `${name}: ${message}` : message, cause: error });
  }
}
