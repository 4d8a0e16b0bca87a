/**
 * What the designer opens on start: a job in the URL's share fragment (validated; shown,
 * never run, and an invalid one only lists its problems), else the most recent job of the
 * library, else the first example, else an empty job.
 */
import { parseJobText, type JobGraph } from '../../engine';
import { shareFragmentToText } from '../library/shareLink';
import { emptyJob } from '../model/jobs';
import { fetchExample, fetchExampleIndex } from '../persistence/examples';
import { errorMessage, isLibraryUnavailable } from '../persistence/libraryClient';
import type { Services } from './services';

function clearShareFragment(): void {
  history.replaceState(null, '', `${location.pathname}${location.search}`);
}

/** Opens the shared job of the URL, if there is one; resolves to whether one was opened. */
async function openShared(services: Services, force: boolean): Promise<boolean> {
  const shared = shareFragmentToText(location.hash);
  if (shared === null) return false;
  clearShareFragment();
  const s = services.store.getState();
  const intro = 'The job in this link was not opened, and nothing was saved.';
  if (!shared.ok) {
    s.openDialog({ type: 'problems', testId: 'share-errors', title: 'This share link cannot be opened', intro, errors: [{ path: '$', code: 'link', message: shared.message }] });
    return false;
  }
  const report = parseJobText(shared.text);
  if (!report.ok || !report.job) {
    s.openDialog({ type: 'problems', testId: 'share-errors', title: 'The shared job has problems', intro, errors: report.errors });
    return false;
  }
  if (!(await services.documents.open(report.job, { libraryId: null, force }))) return false;
  s.toast(`Opened the shared job “${report.job.name}”. It is saved to your library as you edit.`);
  return true;
}

/** A share link pasted into the address bar of an open designer changes only the hash: open it too. */
export function watchShareLinks(services: Services): () => void {
  const onHashChange = () => void openShared(services, false);
  addEventListener('hashchange', onHashChange);
  return () => removeEventListener('hashchange', onHashChange);
}

async function openMostRecent(services: Services): Promise<boolean> {
  try {
    const library = await services.library.get();
    const recent = await library.mostRecent();
    if (!recent) return false;
    if (somethingOpened(services)) return true;
    await services.documents.open(recent.job, { libraryId: recent.id, force: true });
    return true;
  } catch (error) {
    // An unusable library is announced by autosave on the first save; say other failures now.
    if (!isLibraryUnavailable(error)) services.store.getState().toast(`Saved jobs could not be read. ${errorMessage(error)}`, 'error');
    return false;
  }
}

async function firstExample(services: Services): Promise<JobGraph | null> {
  try {
    const [first] = await fetchExampleIndex();
    if (!first) return null;
    const report = await fetchExample(first.file);
    return report.ok && report.job ? report.job : null;
  } catch (error) {
    services.store.getState().toast(errorMessage(error), 'error');
    return null;
  }
}

/** Has a job been opened while startup was waiting (e.g. by `window.sluice.loadJob`)? Then keep it. */
function somethingOpened(services: Services): boolean {
  return services.store.getState().docVersion > 0;
}

/** Opens the first job and marks the app ready. */
export async function startup(services: Services): Promise<void> {
  try {
    if (await openShared(services, true)) return;
    if (await openMostRecent(services)) return;
    const example = await firstExample(services);
    if (somethingOpened(services)) return;
    await services.documents.open(example ?? emptyJob(), { libraryId: null, force: true });
  } finally {
    services.store.getState().setReady(true);
  }
}
