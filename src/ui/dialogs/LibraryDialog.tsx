/**
 * The jobs library: every saved job (newest first) with open, rename and delete. Storage
 * errors are shown in the dialog and change nothing.
 */
import { useCallback, useEffect, useState } from 'react';
import { useServices } from '../app/services';
import type { SavedJobSummary } from '../library/jobsLibrary';
import { updateJobSettings } from '../model/jobs';
import { errorMessage } from '../persistence/libraryClient';
import { useApp } from '../store/appStore';
import { Dialog } from './Dialog';
import { LibraryItem } from './LibraryItem';

type Load = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ready'; jobs: SavedJobSummary[] };

export function LibraryDialog({ onClose }: { onClose(): void }) {
  const services = useServices();
  const openId = useApp((s) => s.libraryId);
  const [load, setLoad] = useState<Load>({ state: 'loading' });

  const refresh = useCallback(async () => {
    try {
      await services.autosave.flush();
      const library = await services.library.get();
      setLoad({ state: 'ready', jobs: await library.list() });
    } catch (error) {
      setLoad({ state: 'error', message: errorMessage(error) });
    }
  }, [services]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const toast = (message: string, kind: 'info' | 'error' = 'info') => services.store.getState().toast(message, kind);

  const open = async (id: string) => {
    if (id === services.store.getState().libraryId) return onClose();
    try {
      const saved = await (await services.library.get()).get(id);
      if (!saved) return toast('That job is no longer in the library.', 'error');
      if (await services.documents.open(saved.job, { libraryId: saved.id })) onClose();
    } catch (error) {
      toast(errorMessage(error), 'error');
    }
  };

  const rename = async (id: string, name: string): Promise<boolean> => {
    try {
      await (await services.library.get()).rename(id, name);
      const s = services.store.getState();
      if (s.libraryId === id) s.commit(updateJobSettings(s.job, { name }));
      await refresh();
      return true;
    } catch (error) {
      toast(errorMessage(error), 'error');
      return false;
    }
  };

  const remove = async (id: string, name: string) => {
    try {
      await (await services.library.get()).remove(id);
      const s = services.store.getState();
      if (s.libraryId === id) {
        s.setLibraryId(null);
        s.setSaveStatus('idle');
        toast(`Deleted “${name}” from the library. It stays open; your next edit saves it as a new job.`);
      } else {
        toast(`Deleted “${name}”.`);
      }
      await refresh();
    } catch (error) {
      toast(errorMessage(error), 'error');
    }
  };

  return (
    <Dialog testId="library-dialog" title="Library" onClose={onClose} wide>
      <div className="library-content" data-testid="library-content" data-state={load.state}>
      {load.state === 'loading' && <p className="dialog__intro">Loading saved jobs…</p>}
      {load.state === 'error' && <p className="dialog__error" role="alert">{load.message}</p>}
      {load.state === 'ready' && load.jobs.length === 0 && <p className="dialog__intro">No saved jobs yet. Jobs save themselves as you edit.</p>}
      {load.state === 'ready' && load.jobs.length > 0 && (
        <ul className="library-list">
          {load.jobs.map((job) => (
            <LibraryItem
              key={job.id}
              job={job}
              isOpen={job.id === openId}
              onOpen={() => void open(job.id)}
              onRename={(name) => rename(job.id, name)}
              onDelete={() => void remove(job.id, job.name)}
            />
          ))}
        </ul>
      )}
      </div>
    </Dialog>
  );
}
