/**
 * The run's event log: every event goes into the trace hash unless it depends on the wall
 * clock or the cluster's shape; the newest {@link EVENTS_KEPT} are kept for `events()` and the
 * telemetry frames (which read from a sequence number).
 */
import type { RunEvent, RunEventKind } from '../runtime/telemetry';
import type { TraceHasher } from '../runtime/traceHash';

/** Events kept for `events()`; older ones are dropped (the trace hash has them all). */
export const EVENTS_KEPT = 10_000;

/**
 * Events that stay out of the trace: pacing (they depend on the wall clock) and the cluster's
 * shape (the trace must not depend on how many TaskManagers ran the job).
 */
const UNTRACED_EVENTS: ReadonlySet<RunEventKind> = new Set(['run-paused', 'run-resumed', 'run-stopped', 'taskmanager-started', 'taskmanager-replaced']);

export class RunEventLog {
  private log: RunEvent[] = [];
  private count = 0;

  constructor(private readonly hasher: TraceHasher) {}

  record(event: RunEvent): void {
    this.log.push(event);
    this.count++;
    if (this.log.length > EVENTS_KEPT) this.log = this.log.slice(this.log.length - EVENTS_KEPT / 2);
    if (!UNTRACED_EVENTS.has(event.kind)) this.hasher.add({ event });
  }

  /** Starts from a predecessor's kept events (JobManager failover); they are already in its trace. */
  seed(events: readonly RunEvent[]): void {
    this.log.push(...events);
    this.count += events.length;
  }

  /** Kept events, oldest first. */
  events(): RunEvent[] {
    return [...this.log];
  }

  /** Events recorded so far (including those no longer kept). */
  get total(): number {
    return this.count;
  }

  /** Events with sequence number ≥ `from` that are still kept. */
  since(from: number): RunEvent[] {
    const first = this.count - this.log.length;
    return this.log.slice(Math.max(0, from - first));
  }
}
