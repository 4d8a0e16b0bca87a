/**
 * The run's event log, newest first, filterable by group, kind, operator and text. A timeline
 * mark opens it filtered to its kind and operator (the store's `runFocus`).
 */
import { useEffect, useMemo, useState } from 'react';
import type { RunEvent, RunEventKind } from '../../engine/runtime/telemetry';
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
  const focus = useApp((s) => (s.runFocus?.kind === 'events' ? s.runFocus : null));
  const [group, setGroup] = useState<EventGroup>('all');
  const [query, setQuery] = useState('');
  const [kind, setKind] = useState<RunEventKind | ''>('');
  const [operator, setOperator] = useState('');
  useEffect(() => {
    if (!focus) return;
    setGroup('all');
    setKind(focus.eventKind ?? '');
    setOperator(focus.operatorId ?? '');
  }, [focus]);
  const kinds = useMemo(() => [...new Set(log.events.map((e) => e.kind))].sort(), [log]);
  const shown = useMemo(() => filterEvents(log.events, group, query)
    .filter((e) => (kind === '' || e.kind === kind) && (operator === '' || e.operatorId === operator)).reverse(), [log, group, query, kind, operator]);
  return (
    <div className="events-panel" data-testid="events-panel">
      <div className="dock__toolbar">
        <select className="input select" data-testid="events-group" aria-label="Show events" value={group} onChange={(e) => setGroup(e.target.value as EventGroup)}>
          {EVENT_GROUPS.map((g) => <option key={g.id} value={g.id}>{g.label}</option>)}
        </select>
        <select className="input select" data-testid="events-kind" aria-label="Event kind" value={kind} onChange={(e) => setKind(e.target.value as RunEventKind | '')}>
          <option value="">Every kind</option>
          {kinds.map((k) => <option key={k} value={k}>{k}</option>)}
        </select>
        <select className="input select" data-testid="events-operator" aria-label="Operator" value={operator} onChange={(e) => setOperator(e.target.value)}>
          <option value="">Every operator</option>
          {(job?.operators ?? []).map((o) => <option key={o.id} value={o.id}>{o.name}</option>)}
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
