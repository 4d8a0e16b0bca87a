/** The command effects of the designer: each one small, all talking to the world through services. */
import type { Effects } from '../commands/types';
import { downloadJob } from '../library/jobFile';
import { jobToShareFragment } from '../library/shareLink';
import { emptyJob } from '../model/jobs';
import { layoutJob } from './autoLayout';
import type { Services } from './services';

type Deps = Omit<Services, 'effects' | 'run'>;

export function createEffects(deps: Deps): Effects {
  const { store, canvas } = deps;
  const toast = (message: string, kind: 'info' | 'error' = 'info') => store.getState().toast(message, kind);
  return {
    viewportCentre: () => canvas.current?.viewportCentre() ?? { x: 0, y: 0 },
    fitView: () => canvas.current?.fitView(),
    undo: () => store.getState().undo(),
    redo: () => store.getState().redo(),
    autoLayout: async () => {
      const before = store.getState().job;
      const next = await layoutJob(before, canvas.current?.nodeSizes() ?? {});
      if (store.getState().job !== before) return; // edited meanwhile: do not overwrite
      store.getState().commit(next);
      requestAnimationFrame(() => canvas.current?.fitView());
    },
    newJob: async () => {
      await deps.documents.open(emptyJob(), { libraryId: null });
    },
    saveNow: async () => {
      if (await deps.autosave.saveNow()) toast(`Saved “${store.getState().job.name}”.`);
    },
    exportJob: () => {
      const fileName = downloadJob(store.getState().job);
      toast(`Exported ${fileName}.`);
    },
    chooseImportFile: () => deps.importInput.current?.click(),
    copyShareLink: async () => {
      const url = `${location.origin}${location.pathname}${jobToShareFragment(store.getState().job)}`;
      try {
        await navigator.clipboard.writeText(url);
        toast('Share link copied to the clipboard.');
      } catch {
        store.getState().openDialog({ type: 'share-link', url });
      }
    },
  };
}
