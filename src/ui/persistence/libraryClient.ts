/**
 * Lazy access to the jobs library (IndexedDB). Opening is attempted on first use and again
 * after a failure, so a transient refusal (another tab upgrading) does not disable saving
 * for the rest of the visit.
 */
import { LibraryError, openJobsLibrary, type JobsLibrary } from '../library/jobsLibrary';

export class LibraryClient {
  private opening: Promise<JobsLibrary> | null = null;

  get(): Promise<JobsLibrary> {
    if (!this.opening) {
      this.opening = openJobsLibrary().catch((error: unknown) => {
        this.opening = null;
        throw error;
      });
    }
    return this.opening;
  }
}

/** The sentence to show for any error (library errors already say what to do). */
export function errorMessage(error: unknown): string {
  if (error instanceof LibraryError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

/** Does this error mean there is no working library at all (so nothing can be saved)? */
export function isLibraryUnavailable(error: unknown): boolean {
  return error instanceof LibraryError
    && (error.code === 'library.unavailable' || error.code === 'library.version' || error.code === 'library.blocked');
}
