/**
 * Switching the open job (New, Library, Examples, Import, share links, automation).
 * The current job is saved first; if that save fails the switch is refused once, so an
 * unsaved job is never dropped silently: the toast says to export it, or to repeat the
 * action to discard it. When there is no working library at all, nothing could be saved
 * anyway and switching goes ahead. An active run is stopped first.
 */
import type { JobGraph } from '../../engine';
import type { Autosave } from '../persistence/autosave';
import { isLibraryUnavailable } from '../persistence/libraryClient';
import type { AppStore } from '../store/appStore';

export interface OpenOptions {
  /** Library id when the job comes from the library; null for a new, unsaved copy. */
  libraryId: string | null;
  /** Open even when the current job could not be saved (automation). */
  force?: boolean;
}

const DISCARD_WINDOW_MS = 15_000;

export class Documents {
  private discardArmedUntil = 0;

  constructor(private readonly store: AppStore, private readonly autosave: Autosave) {}

  /** Opens `job`; resolves to false when it stayed closed because the current job is unsaved. */
  async open(job: JobGraph, options: OpenOptions): Promise<boolean> {
    const saved = await this.autosave.flush();
    if (!saved && !options.force && !isLibraryUnavailable(this.autosave.lastError()) && Date.now() > this.discardArmedUntil) {
      this.discardArmedUntil = Date.now() + DISCARD_WINDOW_MS;
      this.store.getState().toast(
        'The open job could not be saved, so it stays open. Export it to keep a copy, or repeat the action to open the other job and discard the unsaved changes.',
        'error',
      );
      return false;
    }
    this.discardArmedUntil = 0;
    // A run belongs to the job it started with: opening another job ends it (back to design mode).
    if (this.store.getState().runActive) await this.store.getState().stopRun();
    const s = this.store.getState();
    s.openJob(job);
    s.setLibraryId(options.libraryId);
    if (options.libraryId === null) this.autosave.markDirty();
    else s.setSaveStatus('saved');
    return true;
  }
}
