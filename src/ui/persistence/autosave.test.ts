import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { JobGraph } from '../../engine';
import type { JobsLibrary, SavedJob } from '../library/jobsLibrary';
import { emptyJob, updateJobSettings } from '../model/jobs';
import { createAppStore } from '../store/appStore';
import { AUTOSAVE_DELAY_MS, startAutosave } from './autosave';
import type { LibraryClient } from './libraryClient';

function fakeLibrary(fail: { now: boolean }) {
  const saves: { job: JobGraph; id: string | undefined }[] = [];
  const library = {
    save: async (job: JobGraph, id?: string): Promise<SavedJob> => {
      if (fail.now) throw new Error('The disk is full.');
      saves.push({ job, id });
      return { id: id ?? 'job-1', name: job.name, createdAt: 1, updatedAt: 2, operators: job.operators.length, job };
    },
  } as unknown as JobsLibrary;
  const client = { get: async () => library } as unknown as LibraryClient;
  return { client, saves };
}

describe('autosave', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('saves once after a burst of edits, then reuses the library id', async () => {
    const store = createAppStore();
    store.getState().openJob(emptyJob('a'));
    const { client, saves } = fakeLibrary({ now: false });
    startAutosave(store, client);
    for (const name of ['ab', 'abc', 'abcd']) store.getState().commit(updateJobSettings(store.getState().job, { name }));
    expect(store.getState().saveStatus).toBe('pending');
    await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS + 10);
    expect(saves.map((s) => [s.job.name, s.id])).toEqual([['abcd', undefined]]);
    expect(store.getState().libraryId).toBe('job-1');
    expect(store.getState().saveStatus).toBe('saved');
    store.getState().commit(updateJobSettings(store.getState().job, { name: 'e' }));
    await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS + 10);
    expect(saves.at(-1)?.id).toBe('job-1');
  });

  it('keeps a failed save dirty, says why once, and saves on the next try', async () => {
    const store = createAppStore();
    store.getState().openJob(emptyJob('a'));
    const fail = { now: true };
    const { client, saves } = fakeLibrary(fail);
    const autosave = startAutosave(store, client);
    store.getState().commit(updateJobSettings(store.getState().job, { name: 'b' }));
    await vi.advanceTimersByTimeAsync(AUTOSAVE_DELAY_MS + 10);
    expect(store.getState().saveStatus).toBe('error');
    expect(store.getState().toasts.at(-1)?.message).toMatch(/disk is full/);
    expect(store.getState().job.name).toBe('b');
    fail.now = false;
    expect(await autosave.flush()).toBe(true);
    expect(saves.map((s) => s.job.name)).toEqual(['b']);
    expect(store.getState().saveStatus).toBe('saved');
  });
});
