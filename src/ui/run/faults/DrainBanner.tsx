/**
 * The drain banner: what the latest maintenance drain (or return to service) did, from its
 * event — "TaskManager 2 drained: 5 subtasks moved via checkpoint 4, nothing lost." It stays
 * until the next one replaces it or it is dismissed, like the recovery banner.
 */
import { memo, useState } from 'react';
import { Panel } from '@xyflow/react';
import type { RunEvent } from '../../../engine/runtime/telemetry';
import { formatVirtualTime } from '../../model/runFormat';
import { useApp } from '../../store/appStore';

const isDrainEvent = (e: RunEvent): boolean => e.kind === 'taskmanager-drained' || e.kind === 'taskmanager-undrained';

/** The latest drain event of a log, or undefined. */
export function latestDrain(events: readonly RunEvent[]): RunEvent | undefined {
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i] as RunEvent;
    if (isDrainEvent(event)) return event;
  }
  return undefined;
}

export const DrainBanner = memo(function DrainBanner() {
  const event = useApp((s) => latestDrain(s.runLog.events));
  const [dismissed, setDismissed] = useState<string | null>(null);
  const id = event === undefined ? null : `${event.kind}@${event.virtualTimeMs}`;
  if (event === undefined || dismissed === id) return null;
  const drained = event.kind === 'taskmanager-drained';
  const [headline, ...rest] = event.message.split('. ');
  return (
    <Panel position="bottom-center" className={`drain-banner${drained ? '' : ' drain-banner--back'}`} data-testid="drain-banner"
      data-kind={event.kind} role="status" aria-live="polite">
      <span className="drain-banner__icon" aria-hidden="true">{drained ? '⏏' : '↩'}</span>
      <span className="drain-banner__body">
        <span className="drain-banner__text" data-testid="drain-caption">{headline}{rest.length > 0 ? '.' : ''}</span>
        <span className="muted">{rest.join('. ')}{rest.length > 0 ? ' · ' : ''}{formatVirtualTime(event.virtualTimeMs)}</span>
      </span>
      <button type="button" className="btn btn--icon recovery-banner__close" data-testid="drain-banner-dismiss" aria-label="Dismiss"
        onClick={() => setDismissed(id)}>×</button>
    </Panel>
  );
});
