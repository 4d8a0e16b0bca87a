/**
 * The failover banner on the canvas: what the latest JobManager takeover did — "JobManager
 * failed over: jobmanager-2 (epoch 2) took over from the file store; 13 subtasks kept running,
 * none restarted." — with the wall time it took. While a successor is starting it says so.
 * It stays until the next failover replaces it or it is dismissed, like the drain banner.
 */
import { memo, useState } from 'react';
import { Panel } from '@xyflow/react';
import type { LeaderChange } from '../../../workers/clusterApi';
import { useApp } from '../../store/appStore';
import { useHaStatus } from '../ha/useHaStatus';

/** The banner's sentence for a takeover of a job of `subtasks` subtasks. */
export function failoverCaption(change: LeaderChange, subtasks: number): string {
  const from = change.recoveredFrom === 'file' ? 'the file store' : 'the coordination store';
  const kept = change.keptRunning ?? 0;
  const restarted = kept >= subtasks ? 'none restarted' : `${subtasks - kept} not running`;
  return `JobManager failed over: ${change.leader} (epoch ${change.epoch}) took over from ${from}; ${kept} subtasks kept running, ${restarted}.`;
}

export const FailoverBanner = memo(function FailoverBanner() {
  const ha = useHaStatus();
  const subtasks = useApp((s) => s.runMetrics?.subtasks.length ?? 0);
  const [dismissed, setDismissed] = useState<number | null>(null);
  const change = ha?.leaderChanges.at(-1);
  if (ha?.failingOver) {
    return (
      <Panel position="bottom-center" className="drain-banner failover-banner" data-testid="failover-banner" data-phase="lost" role="status" aria-live="polite">
        <span className="drain-banner__icon" aria-hidden="true">↻</span>
        <span className="drain-banner__text">The JobManager was lost; a new leader is taking over. The TaskManagers keep running.</span>
      </Panel>
    );
  }
  if (change === undefined || dismissed === change.epoch) return null;
  const wall = ha?.takeovers.at(-1);
  return (
    <Panel position="bottom-center" className="drain-banner failover-banner" data-testid="failover-banner" data-phase="took-over" role="status" aria-live="polite">
      <span className="drain-banner__icon" aria-hidden="true">♛</span>
      <span className="drain-banner__body">
        <span className="drain-banner__text" data-testid="failover-caption">{failoverCaption(change, subtasks)}</span>
        <span className="muted">{change.reason ? `Why that store: ${change.reason}. ` : ''}{wall ? `Takeover took ${Math.round(wall.wallMs)} ms of wall time.` : ''}</span>
      </span>
      <button type="button" className="btn btn--icon recovery-banner__close" data-testid="failover-banner-dismiss" aria-label="Dismiss"
        onClick={() => setDismissed(change.epoch)}>×</button>
    </Panel>
  );
});
