/**
 * The resume offer (DESIGN.md §6, a page reload resumes the job): when the app opens on a job
 * whose run was cut short by a reload or a crashed tab, a banner says from which checkpoint
 * and virtual time it can go on. "Resume" restores it from that checkpoint (keyed state,
 * source offsets, committed output); "Discard" forgets the saved run. A resume that cannot
 * restore (the state database was evicted) says why here and leaves the choice of a fresh start.
 *
 * When the open job was edited since the run was saved (engine/cluster/restoreEdited.ts
 * `isEditedJob`), the banner offers "Restore the edited job from checkpoint N": a dialog
 * (RestoreEditedDialog) lists how each operator takes the saved state and asks for the
 * consents it needs. Operators taken by name get their uid pinned to the saved id in the
 * designer first (one undo step), so the restore, and every later one, matches them by id.
 */
import { useEffect, useMemo, useState } from 'react';
import { jobIdOf } from '../../engine/cluster/jobId';
import { isEditedJob, previewEditedRestore } from '../../engine/cluster/restoreEdited';
import type { SavedRun } from '../../engine/cluster/resume';
import type { JobGraph } from '../../engine';
import type { RestoreMapping, ResumableRun } from '../../workers/clusterApi';
import { discardSavedRun, readResumable, readSavedRun } from '../../workers/runStore';
import { formatVirtualTime } from '../model/runFormat';
import { updateOperator } from '../model/operators';
import { useApp, useAppStore } from '../store/appStore';
import { RestoreEditedDialog, type RestoreConsent } from './RestoreEditedDialog';

/** The host's IndexedDB, when the page has one. */
function pageIndexedDB(): IDBFactory | undefined {
  return typeof indexedDB === 'undefined' ? undefined : indexedDB;
}

/** The open job with the uids of operators taken by name pinned to their saved ids. */
function withPinnedUids(job: JobGraph, mapping: RestoreMapping): JobGraph {
  let next = job;
  for (const row of mapping.rows) {
    if (row.outcome === 'by-name' && row.operatorId !== undefined && row.savedStableId !== undefined) {
      next = updateOperator(next, row.operatorId, { uid: row.savedStableId });
    }
  }
  return next;
}

/** The saved run of the open job, with the offer read from the page's IndexedDB. */
function useSavedRun(): { offer: ResumableRun | null; saved: SavedRun | null; forget(): void } {
  const ready = useApp((s) => s.ready);
  const jobName = useApp((s) => s.job.name);
  const runActive = useApp((s) => s.runActive);
  const [offer, setOffer] = useState<ResumableRun | null>(null);
  const [saved, setSaved] = useState<SavedRun | null>(null);
  useEffect(() => {
    const factory = pageIndexedDB();
    if (!ready || runActive || factory === undefined) return undefined;
    let current = true;
    readResumable(factory, jobIdOf({ name: jobName })).then(
      async (found) => {
        const run = found === null ? null : await readSavedRun(factory, found.jobId).catch(() => null);
        if (!current) return;
        setOffer(found);
        setSaved(run);
      },
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [ready, jobName, runActive]);
  return { offer, saved, forget: () => { setOffer(null); setSaved(null); } };
}

export function ResumeOffer() {
  const store = useAppStore();
  const job = useApp((s) => s.job);
  const runActive = useApp((s) => s.runActive);
  const resumeSavedRun = useApp((s) => s.resumeSavedRun);
  const restoreEditedRun = useApp((s) => s.restoreEditedRun);
  const { offer, saved, forget } = useSavedRun();
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [dialogOpen, setDialogOpen] = useState(false);
  const edited = saved !== null && isEditedJob(saved.job, job);
  const mapping = useMemo(() => (edited && saved !== null ? previewEditedRestore(saved, job) : null), [edited, saved, job]);

  if (offer === null || runActive) return null;

  const resume = async () => {
    setBusy(true);
    setProblem(null);
    // The saved job is what resumes: show it (one undo step back to the edited one).
    if (edited && saved !== null) store.getState().commit(saved.job);
    const report = await resumeSavedRun();
    setBusy(false);
    if (report.ok) forget();
    else setProblem(report.errors.map((e) => e.message).join(' '));
  };
  const restoreEdited = async (consent: RestoreConsent) => {
    if (mapping === null) return;
    setBusy(true);
    setProblem(null);
    const pinned = withPinnedUids(store.getState().job, mapping);
    if (pinned !== store.getState().job) store.getState().commit(pinned);
    const report = await restoreEditedRun(consent);
    setBusy(false);
    if (report.ok) {
      setDialogOpen(false);
      forget();
    } else {
      setProblem(report.errors.map((e) => e.message).join(' '));
    }
  };
  const discard = async () => {
    const factory = pageIndexedDB();
    setBusy(true);
    if (factory !== undefined) await discardSavedRun(factory, offer.jobId).catch(() => undefined);
    setBusy(false);
    forget();
    setProblem(null);
  };
  const when = offer.savedAtMs > 0 ? ` (saved ${new Date(offer.savedAtMs).toLocaleTimeString()})` : '';

  return (
    <section className="resume-offer" data-testid="resume-offer" data-edited={edited} role="region" aria-label="Resume the interrupted run">
      <p className="resume-offer__text">
        The run of <strong>{offer.jobName}</strong> was interrupted. It can resume from checkpoint{' '}
        <strong data-testid="resume-offer-checkpoint">{offer.checkpointId}</strong> at virtual time{' '}
        <strong data-testid="resume-offer-time">{formatVirtualTime(offer.virtualTimeMs)}</strong>{when}: keyed state, source
        offsets and committed output as they were then.
        {edited && ' The job was edited since: its operators can take the saved state by id, or by name.'}
      </p>
      {problem !== null && !dialogOpen && <p className="resume-offer__problem" role="alert" data-testid="resume-offer-problem">{problem}</p>}
      <div className="resume-offer__actions">
        {edited && (
          <button type="button" className="btn btn--primary" data-testid="restore-edited" disabled={busy} onClick={() => setDialogOpen(true)} autoFocus>
            Restore the edited job from checkpoint {offer.checkpointId}…
          </button>
        )}
        <button type="button" className={edited ? 'btn' : 'btn btn--primary'} data-testid="resume-run" disabled={busy} onClick={() => void resume()} autoFocus={!edited}>
          {edited ? 'Resume the saved job' : 'Resume'}
        </button>
        <button type="button" className="btn" data-testid="discard-run" disabled={busy} onClick={() => void discard()}>
          {problem === null ? 'Discard' : 'Discard and start afresh later'}
        </button>
      </div>
      {dialogOpen && mapping !== null && (
        <RestoreEditedDialog mapping={mapping} checkpointId={offer.checkpointId} busy={busy} problem={problem}
          onConfirm={(consent) => void restoreEdited(consent)} onClose={() => { setDialogOpen(false); setProblem(null); }} />
      )}
    </section>
  );
}
