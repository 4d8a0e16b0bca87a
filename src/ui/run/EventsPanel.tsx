/** The run's event log, newest first, filterable by group and text. */
import { useMemo, useState } from 'react';
import type { RunEvent } from '../../engine/runtime/telemetry';
import { operatorLabel } from '../model/failure';
import { EVENT_GROUPS, filterEvents, isFailureEvent, type EventGroup } from '../model/runEvents';
import { formatVirtualTime } from '../model/runFormat';
import { useApp } from '../store/appStore';

/** Most rows drawn at once (the log itself keeps up to MAX_EVENTS). */
const SHOWN = 500;

function where(e: RunEvent, name: (id: string) => string): string {
  const parts: string[] = [];
  if (e.operatorId !== undefined) parts.push(name(e.operatorId) + (e.subtask !== undefined ? ` #${e.subtask}` : ''));
  if (e.taskManager !== undefined) parts.push(`TM ${e.taskManager}`);
  return parts.join(' · ');
}

export function EventsPanel() {
  const log = useApp((s) => s.runLog);
  const job = useApp((s) => s.runJob);
  const [group, setGroup] = useState<EventGroup>('all');
  const [query, setQuery] = useState('');
  const shown = useMemo(() => filterEvents(log.events, group, query).reverse(), [log, group, query]);
  return (
    <div className="events-panel" data-testid="events-panel">
      <div className="dock__toolbar">
        <select className="input select" data-testid="events-group" aria-label="Show events" value={group} onChange={(e) => setGroup(e.target.value as EventGroup)}>
          {EVENT_GROUPS.map((g) => <option key={g.id} value={g.id}>{g.label}</option>)}
        </select>
        <input className="input" type="search" data-testid="events-filter" aria-label="Filter events" placeholder="Filter…" value={query} onChange={(e) => setQuery(e.target.value)} />
        <span className="muted">
          {shown.length} of {log.events.length}{log.dropped > 0 ? ` (${log.dropped} older dropped)` : ''}
        </span>
      </div>
      {shown.length === 0 ? (
        <p className="dock__empty">{log.events.length === 0 ? 'No events yet.' : 'No event matches.'}</p>
      ) : (
        <ol className="event-list">
          {shown.slice(0, SHOWN).map((e, i) => (
            <li key={`${shown.length - i}`} className={`event${isFailureEvent(e) ? ' is-failure' : ''}`} data-testid="event-item" data-kind={e.kind}>
              <span className="event__time mono">{formatVirtualTime(e.virtualTimeMs)}</span>
              <span className="event__kind">{isFailureEvent(e) && <span aria-hidden="true">✕ </span>}{e.kind}</span>
              <span className="event__message">{e.message}</span>
              <span className="event__where">{where(e, (id) => operatorLabel(job, id))}</span>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
