/**
 * The UI's one connection to a running cluster: it starts the JobManager worker, holds it as
 * comlink's `Remote<ClusterApi>` (STYLE.md habit 7), receives telemetry through a proxied
 * callback, and terminates the worker when the run stops or a new one starts.
 *
 * JobManager failover (HA): the workers are owned by the main thread (ClusterWorkers), which
 * replaces a JobManager worker that lost leadership with a successor. Calls in flight to the
 * dead leader are given to the successor (`onFailover`: repeated, continued as `advance` does,
 * or refused when repeating could apply them twice); calls made meanwhile wait for it; the
 * telemetry stream is taken up again, without repeating the events already shown.
 *
 * Nothing here may hang silently. A worker `error` or `messageerror`, a control call the
 * JobManager rejects, or one it does not answer in time ends the session: the worker is
 * terminated, every pending call rejects with the same clear message, and `onFatal` tells the
 * run slice, which shows the run as failed with that message.
 */
import { proxy, wrap, type Endpoint, type Remote } from 'comlink';
import type { StateLookup, TelemetryFrame } from '../../engine/runtime/telemetry';
import type { RunEvent } from '../../engine/runtime/telemetry';
import type { ClusterApi } from '../../workers/clusterApi';
import { ClusterWorkers, type FailoverListener, type TakeoverReport } from '../../workers/main/ClusterWorkers';

export type { TakeoverReport } from '../../workers/main/ClusterWorkers';

/** What a session needs of a worker (a real `Worker`, or a test double over a MessageChannel). */
export interface WorkerLike extends Endpoint {
  terminate(): void;
  /** Workers that can replace their JobManager (ClusterWorkers) say when they do. */
  setFailoverListener?(listener: FailoverListener): void;
}

export type WorkerFactory = () => WorkerLike;

/**
 * Starts a run's workers: the JobManager worker, and — owned by this thread so they outlive a
 * JobManager (HA) — its TaskManager workers and the coordination store worker.
 */
export function createJobManagerWorker(): WorkerLike {
  return new ClusterWorkers();
}

/** Stable codes of failures the UI itself detects (the engine's have their own, e.g. `taskmanager.lost`). */
export type ClientFailureCode = 'ui.workerError' | 'ui.messageError' | 'ui.callRejected' | 'ui.callTimeout' | 'ha.takeoverFailed';

/** A JobManager failover as the session saw it. */
export type FailoverEvent = { phase: 'lost' } | { phase: 'took-over'; takeover: TakeoverReport };

export interface SessionHandlers {
  onFrame(frame: TelemetryFrame): void;
  /** The session became unusable; called at most once, never after `terminate()`. */
  onFatal(message: string, code: ClientFailureCode): void;
  /** The JobManager failed over (lost, then a successor took over). */
  onFailover?(event: FailoverEvent): void;
}

export interface CallOptions {
  /** Wall ms to wait for an answer; 0 waits as long as it takes (e.g. `advance` in slow motion). */
  timeoutMs?: number;
  /** Does a rejection end the session (control calls) or only reject this call (queries, faults)? */
  fatal?: boolean;
  /**
   * When the JobManager fails over with this call unanswered: ask the successor again
   * ('repeat', the default: reads and idempotent controls), refuse it ('refuse': it may have
   * taken effect, e.g. an injected fault), or ask the successor this instead (`advance`
   * continues to the same virtual time).
   */
  onFailover?: 'repeat' | 'refuse' | ((api: Remote<ClusterApi>) => Promise<unknown>);
}

/** Events remembered to drop the repeats a successor's telemetry starts with. */
const SEEN_EVENTS = 4_000;

function eventKey(event: RunEvent): string {
  return `${event.virtualTimeMs}|${event.kind}|${event.message}`;
}

/** Wall ms to wait for control calls by default: generous, the JobManager answers in milliseconds. */
export const DEFAULT_CALL_TIMEOUT_MS = 15_000;

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}

function describeWorkerError(event: Event): string {
  const e = event as Partial<ErrorEvent>;
  if (typeof e.message === 'string' && e.message !== '') {
    const at = e.filename ? ` (${e.filename.split('/').pop() ?? e.filename}:${e.lineno ?? 0})` : '';
    return `The JobManager worker crashed: ${e.message}${at}.`;
  }
  return 'The JobManager worker could not be started or crashed without a message (its script failed to load or threw while starting).';
}

function deadWorker(): WorkerLike {
  return { postMessage: () => undefined, addEventListener: () => undefined, removeEventListener: () => undefined, terminate: () => undefined };
}

/** One run's connection. Create a new session for every run. */
export class ClusterSession {
  readonly api: Remote<ClusterApi>;
  private readonly worker: WorkerLike;
  private ended: { message: string; code: ClientFailureCode | 'stopped' } | null = null;
  /** Calls waiting for an answer: how to end each, and how to hand it to a successor. */
  private readonly waiting = new Map<(error: Error) => void, () => void>();
  private streaming: ((frame: TelemetryFrame) => void) | null = null;
  /** Events shown so far (their keys), newest last; a successor's stream repeats them. */
  private readonly seen = new Set<string>();
  private dedupe = false;
  /** Takeovers so far, with their wall time (haStatus shows them). */
  readonly takeovers: TakeoverReport[] = [];

  constructor(private readonly handlers: SessionHandlers, factory: WorkerFactory = createJobManagerWorker) {
    let worker: WorkerLike;
    try {
      worker = factory();
    } catch (error) {
      // E.g. a refused script: the session starts ended and says why as soon as it is in place.
      worker = deadWorker();
      const message = `The JobManager worker could not be started: ${errorMessage(error)}`;
      this.ended = { message, code: 'ui.workerError' };
      queueMicrotask(() => this.handlers.onFatal(message, 'ui.workerError'));
    }
    this.worker = worker;
    this.worker.addEventListener('error', (event) => {
      event.preventDefault?.();
      this.fail(describeWorkerError(event), 'ui.workerError');
    });
    this.worker.addEventListener('messageerror', () => {
      this.fail('A message from the JobManager could not be read (it could not be copied between threads).', 'ui.messageError');
    });
    this.api = wrap<ClusterApi>(this.worker);
    this.worker.setFailoverListener?.({
      lost: () => this.onLeaderLost(),
      tookOver: (takeover) => this.onTookOver(takeover),
    });
  }

  /** Is the session usable (not failed, not terminated)? */
  get alive(): boolean {
    return this.ended === null;
  }

  /** Why the session ended, when it did. */
  get endMessage(): string | null {
    return this.ended?.message ?? null;
  }

  /**
   * Calls the JobManager. Rejects when the call rejects, when the session ends meanwhile, or
   * after `timeoutMs`; a fatal call's rejection or timeout ends the session.
   */
  call<T>(label: string, fn: (api: Remote<ClusterApi>) => Promise<T>, options: CallOptions = {}): Promise<T> {
    const { timeoutMs = DEFAULT_CALL_TIMEOUT_MS, fatal = true, onFailover = 'repeat' } = options;
    if (this.ended) return Promise.reject(new Error(this.ended.message));
    return new Promise<T>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const onEnd = (error: Error) => settle(() => reject(error));
      const settle = (then: () => void) => {
        if (!this.waiting.delete(onEnd)) return;
        if (timer !== undefined) clearTimeout(timer);
        then();
      };
      const attempt = (run: (api: Remote<ClusterApi>) => Promise<T>) => {
        let pending: Promise<T>;
        try {
          pending = run(this.api);
        } catch (error) {
          pending = Promise.reject(error);
        }
        pending.then(
          (value) => settle(() => resolve(value)),
          (error: unknown) => {
            if (!fatal) {
              settle(() => reject(error instanceof Error ? error : new Error(errorMessage(error))));
              return;
            }
            const message = `The JobManager failed to ${label}: ${errorMessage(error)}`;
            settle(() => reject(new Error(message)));
            this.fail(message, 'ui.callRejected');
          },
        );
      };
      this.waiting.set(onEnd, () => {
        if (onFailover === 'refuse') {
          settle(() => reject(new Error(`The JobManager failed over before it answered “${label}”; the new leader did not get this request. Check whether it took effect, then retry.`)));
        } else {
          attempt(onFailover === 'repeat' ? fn : (onFailover as (api: Remote<ClusterApi>) => Promise<T>));
        }
      });
      if (timeoutMs > 0) {
        timer = setTimeout(() => {
          const message = `The JobManager did not answer “${label}” within ${Math.round(timeoutMs / 1000)} s, so its worker was stopped.`;
          settle(() => reject(new Error(message)));
          this.fail(message, 'ui.callTimeout');
        }, timeoutMs);
      }
      attempt(fn);
    });
  }

  /**
   * One key's state (the State panel's lookup). A query: its rejection (no such operator, not
   * keyed, TaskManager lost) rejects this call only and leaves the session alive.
   */
  lookupState(operatorId: string, key: string | number): Promise<StateLookup> {
    return this.call(`look up key ${JSON.stringify(key)} of “${operatorId}”`, (api) => api.lookupState(operatorId, key), { fatal: false });
  }

  /** Starts the telemetry stream into `handlers.onFrame`. */
  subscribe(): Promise<void> {
    const onFrame = (frame: TelemetryFrame) => {
      if (this.ended === null) this.handlers.onFrame(this.unseen(frame));
    };
    this.streaming = onFrame;
    return this.call('stream telemetry', (api) => api.subscribe(proxy(onFrame)));
  }

  /** The frame without the events a successor repeats (its stream starts from its first event). */
  private unseen(frame: TelemetryFrame): TelemetryFrame {
    let events = frame.events;
    if (this.dedupe && events.length > 0) {
      events = events.filter((event) => !this.seen.has(eventKey(event)));
      if (events.length > 0) this.dedupe = false;
    }
    for (const event of events) this.seen.add(eventKey(event));
    if (this.seen.size > SEEN_EVENTS) {
      for (const key of [...this.seen].slice(0, this.seen.size - SEEN_EVENTS)) this.seen.delete(key);
    }
    return events === frame.events ? frame : { ...frame, events };
  }

  /** The JobManager lost leadership: what it never answered goes to its successor. */
  private onLeaderLost(): void {
    if (this.ended) return;
    this.handlers.onFailover?.({ phase: 'lost' });
    for (const handOver of [...this.waiting.values()]) handOver();
  }

  /** A successor took over: the telemetry stream goes on from it, or the session ends if it could not. */
  private onTookOver(takeover: TakeoverReport): void {
    if (this.ended) return;
    this.takeovers.push(takeover);
    if (!takeover.report.ok) {
      this.fail(takeover.report.errors.map((e) => e.message).join(' '), 'ha.takeoverFailed');
      return;
    }
    this.dedupe = true;
    const onFrame = this.streaming;
    if (onFrame !== null) void this.call('stream telemetry', (api) => api.subscribe(proxy(onFrame)), { fatal: false }).catch(() => undefined);
    this.handlers.onFailover?.({ phase: 'took-over', takeover });
  }

  /** Ends the session on purpose (stop, or a new run): terminates the worker, rejects pending calls. */
  terminate(): void {
    this.end('The run was stopped.', 'stopped');
  }

  private fail(message: string, code: ClientFailureCode): void {
    if (this.end(message, code)) this.handlers.onFatal(message, code);
  }

  private end(message: string, code: ClientFailureCode | 'stopped'): boolean {
    if (this.ended) return false;
    this.ended = { message, code };
    try {
      this.worker.terminate();
    } catch {
      // already gone
    }
    const error = new Error(message);
    for (const reject of [...this.waiting.keys()]) reject(error);
    return true;
  }
}
