/**
 * The UI's one connection to a running cluster: it starts the JobManager worker, holds it as
 * comlink's `Remote<ClusterApi>` (STYLE.md habit 7), receives telemetry through a proxied
 * callback, and terminates the worker when the run stops or a new one starts.
 *
 * Nothing here may hang silently. A worker `error` or `messageerror`, a control call the
 * JobManager rejects, or one it does not answer in time ends the session: the worker is
 * terminated, every pending call rejects with the same clear message, and `onFatal` tells the
 * run slice, which shows the run as failed with that message.
 */
import { proxy, wrap, type Endpoint, type Remote } from 'comlink';
import type { StateLookup, TelemetryFrame } from '../../engine/runtime/telemetry';
import type { ClusterApi } from '../../workers/clusterApi';

/** What a session needs of a worker (a real `Worker`, or a test double over a MessageChannel). */
export interface WorkerLike extends Endpoint {
  terminate(): void;
}

export type WorkerFactory = () => WorkerLike;

/** Starts the JobManager (a module worker); it starts its TaskManagers itself. */
export function createJobManagerWorker(): Worker {
  return new Worker(new URL('../../workers/jobmanager.worker.ts', import.meta.url), { type: 'module', name: 'sluice-jobmanager' });
}

/** Stable codes of failures the UI itself detects (the engine's have their own, e.g. `taskmanager.lost`). */
export type ClientFailureCode = 'ui.workerError' | 'ui.messageError' | 'ui.callRejected' | 'ui.callTimeout';

export interface SessionHandlers {
  onFrame(frame: TelemetryFrame): void;
  /** The session became unusable; called at most once, never after `terminate()`. */
  onFatal(message: string, code: ClientFailureCode): void;
}

export interface CallOptions {
  /** Wall ms to wait for an answer; 0 waits as long as it takes (e.g. `advance` in slow motion). */
  timeoutMs?: number;
  /** Does a rejection end the session (control calls) or only reject this call (queries, faults)? */
  fatal?: boolean;
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
  private readonly waiting = new Set<(error: Error) => void>();

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
    const { timeoutMs = DEFAULT_CALL_TIMEOUT_MS, fatal = true } = options;
    if (this.ended) return Promise.reject(new Error(this.ended.message));
    return new Promise<T>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const onEnd = (error: Error) => settle(() => reject(error));
      const settle = (then: () => void) => {
        if (!this.waiting.delete(onEnd)) return;
        if (timer !== undefined) clearTimeout(timer);
        then();
      };
      this.waiting.add(onEnd);
      if (timeoutMs > 0) {
        timer = setTimeout(() => {
          const message = `The JobManager did not answer “${label}” within ${Math.round(timeoutMs / 1000)} s, so its worker was stopped.`;
          settle(() => reject(new Error(message)));
          this.fail(message, 'ui.callTimeout');
        }, timeoutMs);
      }
      let pending: Promise<T>;
      try {
        pending = fn(this.api);
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
      if (this.ended === null) this.handlers.onFrame(frame);
    };
    return this.call('stream telemetry', (api) => api.subscribe(proxy(onFrame)));
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
    for (const reject of [...this.waiting]) reject(error);
    return true;
  }
}
