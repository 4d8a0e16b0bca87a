/**
 * The resume offer (DESIGN.md §6, a page reload resumes the job): when the app opens on a job
 * whose run was cut short by a reload or a crashed tab, a banner says from which checkpoint
 * and virtual time it can go on. "Resume" restores it from that checkpoint (keyed state,
 * source offsets, committed output); "Discard" forgets the saved run. A resume that cannot
 * restore (the state database was evicted) says why here and leaves the choice of a fresh start.
 */
import { useEffect, useState } from 'react';
import { jobIdOf } from '../../engine/cluster/jobId';
import type { ResumableRun } from '../../workers/clusterApi';
import { discardSavedRun, readResumable } from '../../workers/runStore';
import { formatVirtualTime } from '../model/runFormat';
import { useApp } from '../store/appStore';

/** The host's IndexedDB, when the page has one. */
function pageIndexedDB(): IDBFactory | undefined {
  return typeof indexedDB === 'undefined' ? undefined : indexedDB;
}

export function ResumeOffer() {
  const ready = useApp((s) => s.ready);
  const jobName = useApp((s) => s.job.name);
  const runActive = useApp((s) => s.runActive);
  const resumeSavedRun = useApp((s) => s.resumeSavedRun);
  const [offer, setOffer] = useState<ResumableRun | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const factory = pageIndexedDB();
    if (!ready || runActive || factory === undefined) return undefined;
    let current = true;
    readResumable(factory, jobIdOf({ name: jobName })).then(
      (found) => {
        if (current) setOffer(found);
      },
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [ready, jobName, runActive]);

  if (offer === null || runActive) return null;

  const resume = async () => {
    setBusy(true);
    setProblem(null);
    const report = await resumeSavedRun();
    setBusy(false);
    if (report.ok) setOffer(null);
    else setProblem(report.errors.map((e) => e.message).join(' '));
  };
  const discard = async () => {
    const factory = pageIndexedDB();
    setBusy(true);
    if (factory !== undefined) await discardSavedRun(factory, offer.jobId).catch(() => undefined);
    setBusy(false);
    setOffer(null);
    setProblem(null);
  };
  const when = offer.savedAtMs > 0 ? ` (saved ${new Date(offer.savedAtMs).toLocaleTimeString()})` : '';

  return (
    <section className="resume-offer" data-testid="resume-offer" role="region" aria-label="Resume the interrupted run">
      <p className="resume-offer__text">
        The run of <strong>{offer.jobName}</strong> was interrupted. It can resume from checkpoint{' '}
        <strong data-testid="resume-offer-checkpoint">{offer.checkpointId}</strong> at virtual time{' '}
        <strong data-testid="resume-offer-time">{formatVirtualTime(offer.virtualTimeMs)}</strong>{when}: keyed state, source
        offsets and committed output as they were then.
      </p>
      {problem !== null && <p className="resume-offer__problem" role="alert" data-testid="resume-offer-problem">{problem}</p>}
      <div className="resume-offer__actions">
        <button type="button" className="btn btn--primary" data-testid="resume-run" disabled={busy} onClick={() => void resume()} autoFocus>
          Resume
        </button>
        <button type="button" className="btn" data-testid="discard-run" disabled={busy} onClick={() => void discard()}>
          {problem === null ? 'Discard' : 'Discard and start afresh later'}
        </button>
      </div>
    </section>
  );
}
