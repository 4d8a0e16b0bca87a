/**
 * The run's event log as the UI keeps it: the newest `MAX_EVENTS` events (older ones are
 * dropped, the count of dropped ones is kept), and the filters of the Events panel.
 */
import type { RunEvent, RunEventKind } from '../../engine/runtime/telemetry';

/** Most events kept in the UI; `window.sluice.events()` asks the JobManager for the full log. */
export const MAX_EVENTS = 2000;

export interface EventLog {
  events: readonly RunEvent[];
  /** Events dropped from the front to stay within `MAX_EVENTS`. */
  dropped: number;
}

export const EMPTY_LOG: EventLog = { events: [], dropped: 0 };

/** The log with `more` appended, trimmed to the newest `max`. */
export function appendEvents(log: EventLog, more: readonly RunEvent[], max: number = MAX_EVENTS): EventLog {
  if (more.length === 0) return log;
  const all = [...log.events, ...more];
  const excess = Math.max(0, all.length - max);
  return { events: excess > 0 ? all.slice(excess) : all, dropped: log.dropped + excess };
}

export type EventGroup = 'all' | 'failures' | 'faults' | 'lifecycle' | 'log';

export const EVENT_GROUPS: { id: EventGroup; label: string }[] = [
  { id: 'all', label: 'All events' },
  { id: 'failures', label: 'Failures' },
  { id: 'faults', label: 'Injected faults' },
  { id: 'lifecycle', label: 'Run and tasks' },
  { id: 'log', label: 'Log' },
];

const GROUP_OF: Record<RunEventKind, Exclude<EventGroup, 'all'>> = {
  'run-started': 'lifecycle',
  'run-paused': 'lifecycle',
  'run-resumed': 'lifecycle',
  'run-stopped': 'lifecycle',
  'run-finished': 'lifecycle',
  'run-failed': 'failures',
  'fault-injected': 'faults',
  'task-failed': 'failures',
  'taskmanager-lost': 'failures',
  'taskmanager-started': 'lifecycle',
  'subtask-finished': 'lifecycle',
  'channel-selection-changed': 'lifecycle',
  'checkpoint-triggered': 'lifecycle',
  'checkpoint-completed': 'lifecycle',
  'checkpoint-failed': 'failures',
  'checkpoint-region-failed': 'failures',
  'recovery-started': 'failures',
  'subtask-restored': 'lifecycle',
  'recovery-finished': 'lifecycle',
  'records-lost': 'lifecycle',
  'taskmanager-replaced': 'lifecycle',
  'rescale-started': 'lifecycle',
  'rescale-finished': 'lifecycle',
  'jobmanager-lost': 'failures',
  'leader-elected': 'lifecycle',
  'jobmanager-reconciled': 'lifecycle',
  'ha-store-down': 'faults',
  'ha-store-up': 'faults',
  'ha-store-slow': 'faults',
  'drain-started': 'lifecycle',
  'taskmanager-drained': 'lifecycle',
  'taskmanager-undrained': 'lifecycle',
  'committer-regions-failed': 'failures',
  'committer-region-rewound': 'lifecycle',
  log: 'log',
};

export function eventGroup(kind: RunEventKind): Exclude<EventGroup, 'all'> {
  return GROUP_OF[kind] ?? 'log';
}

/** Is this event a failure (drawn in the error colour)? */
export function isFailureEvent(e: RunEvent): boolean {
  return eventGroup(e.kind) === 'failures';
}

/** Events of `group` whose text (message, kind, operator id) contains every word of `query`. */
export function filterEvents(events: readonly RunEvent[], group: EventGroup, query: string): RunEvent[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return events.filter((e) => {
    if (group !== 'all' && eventGroup(e.kind) !== group) return false;
    if (words.length === 0) return true;
    const text = `${e.kind} ${e.message} ${e.operatorId ?? ''}`.toLowerCase();
    return words.every((w) => text.includes(w));
  });
}
