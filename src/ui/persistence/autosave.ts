/**
 * Autosave: the open job is written to the library ~600 ms after the last edit, one save
 * at a time (a new job gets its library id from the first save, and later saves reuse it).
 * A failed save keeps the job in memory and dirty, says why in a toast, and is retried on
 * the next edit or by Save now: nothing is lost. A browser without usable storage is told
 * once per visit, not on every edit or job.
 */
import type { AppStore } from '../store/appStore';
import { errorMessage, isLibraryUnavailable, type LibraryClient } from './libraryClient';

export const AUTOSAVE_DELAY_MS = 600;

export interface Autosave {
  /** Marks the open job as needing a save and schedules it. */
  markDirty(): void;
  /** Saves now if anything is unsaved; resolves to whether the job is safely stored. */
  flush(): Promise<boolean>;
  /** Saves now even when nothing changed (Ctrl+S); resolves to whether it worked. */
  saveNow(): Promise<boolean>;
  /** The error of the last failed save, or null after a success. */
  lastError(): unknown;
  stop(): void;
}

export function startAutosave(store: AppStore, client: LibraryClient): Autosave {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let dirty = false;
  let chain: Promise<boolean> = Promise.resolve(true);
  let failure: unknown = null;
  /** A library that cannot open at all is announced once per visit, not on every job. */
  let unavailableAnnounced = false;

  const cancelTimer = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  };

  const saveOnce = async (announceFailure: boolean): Promise<boolean> => {
    const state = store.getState();
    const { job, docVersion } = state;
    const wasError = state.saveStatus === 'error';
    dirty = false;
    state.setSaveStatus('saving');
    try {
      const library = await client.get();
      const saved = await library.save(job, state.libraryId ?? undefined);
      const now = store.getState();
      if (now.docVersion === docVersion) {
        now.setLibraryId(saved.id);
        now.setSaveStatus(dirty ? 'pending' : 'saved', saved.updatedAt);
      }
      failure = null;
      return true;
    } catch (error) {
      failure = error;
      if (store.getState().docVersion === docVersion) dirty = true;
      store.getState().setSaveStatus('error');
      const unavailable = isLibraryUnavailable(error);
      if (announceFailure || (unavailable ? !unavailableAnnounced : !wasError)) {
        store.getState().toast(`Could not save “${job.name}”. ${errorMessage(error)}`, 'error');
      }
      if (unavailable) unavailableAnnounced = true;
      return false;
    }
  };

  const enqueue = (force: boolean, announce: boolean): Promise<boolean> => {
    cancelTimer();
    chain = chain.then(() => (dirty || force ? saveOnce(announce) : true));
    return chain;
  };

  const markDirty = () => {
    dirty = true;
    cancelTimer();
    store.getState().setSaveStatus('pending');
    timer = setTimeout(() => void enqueue(false, false), AUTOSAVE_DELAY_MS);
  };

  const unsubscribe = store.subscribe((s, prev) => {
    if (s.job !== prev.job && s.docVersion === prev.docVersion) markDirty();
  });

  return {
    markDirty,
    flush: () => enqueue(false, false),
    saveNow: () => enqueue(true, true),
    lastError: () => failure,
    stop: () => {
      cancelTimer();
      unsubscribe();
    },
  };
}
