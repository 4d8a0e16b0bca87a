/**
 * The browser's answer to "keep this site's storage" and how much of the quota is in use,
 * read again every few seconds while shown (state grows as a job runs).
 */
import { useEffect } from 'react';
import { formatBytes, formatPercent } from './stateFormat';
import { refreshStorageEstimate, useStoragePersistence, type PersistenceAnswer } from './useStoragePersistence';

const ESTIMATE_EVERY_MS = 5000;

function answerText(answer: PersistenceAnswer): string {
  switch (answer.status) {
    case 'pending': return 'Asking the browser to keep state storage…';
    case 'granted': return 'Persistent storage granted';
    case 'best-effort': return 'Best-effort storage: the browser may evict state under pressure';
    case 'unavailable': return `Storage persistence unknown: ${answer.reason}`;
  }
}

export function StoragePersistenceNote() {
  const { answer, estimate } = useStoragePersistence();
  useEffect(() => {
    const timer = setInterval(() => void refreshStorageEstimate(), ESTIMATE_EVERY_MS);
    return () => clearInterval(timer);
  }, []);
  return (
    <p className={`state-persistence state-persistence--${answer.status}`} data-testid="state-persistence" data-status={answer.status}>
      <span className="state-persistence__mark" aria-hidden="true">{answer.status === 'granted' ? '●' : answer.status === 'best-effort' ? '◐' : '○'}</span>
      <span>{answerText(answer)}</span>
      {estimate && (
        <span className="muted" data-testid="state-storage-estimate" data-usage={estimate.usageBytes} data-quota={estimate.quotaBytes}>
          · {formatBytes(estimate.usageBytes)} used of {formatBytes(estimate.quotaBytes)} ({formatPercent(estimate.quotaBytes > 0 ? estimate.usageBytes / estimate.quotaBytes : null)})
        </span>
      )}
    </p>
  );
}
