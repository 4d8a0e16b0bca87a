/**
 * Restart strategy (Flink `FixedDelayRestartBackoffTimeStrategy`): after a failure the job
 * (or the region, or the task) restarts after `delayMs` of virtual time, at most `attempts`
 * times; the next failure after that fails the job, with the whole cause chain: "restarts
 * exhausted" → the failure that exhausted them → its own causes (e.g. a user expression that
 * threw).
 *
 * Pure and strict: it counts failures and answers with a decision; it keeps no clock.
 * Attempts are counted over the run, as Flink's fixed-delay strategy does (it never resets).
 */
import type { FailureInfo } from '../runtime/telemetry';
import type { VirtualMs } from '../runtime/types';

/** Attempts and delay; see the module comment. */
export interface FixedDelayRestartConfig {
  /** Restarts allowed over the run (Flink `restart-strategy.fixed-delay.attempts`). */
  attempts: number;
  /** Virtual ms between a failure and its restart (Flink `restart-strategy.fixed-delay.delay`). */
  delayMs: number;
}

/** Defaults: a few quick restarts, so a person watching sees recovery, and a broken job still fails. */
export const DEFAULT_RESTART_CONFIG: Readonly<FixedDelayRestartConfig> = Object.freeze({ attempts: 3, delayMs: 1_000 });

/** One variant per outcome. */
export type RestartDecision =
  /** Restart at `restartAtMs` (this is restart number `attempt`, from 1). */
  | { kind: 'restart'; attempt: number; restartAtMs: VirtualMs }
  /** No attempts left: the job fails with this failure (cause: the failure that exhausted them). */
  | { kind: 'fail-job'; failure: FailureInfo };

/** Fixed-delay restarts; see the module comment. */
export class FixedDelayRestartStrategy {
  readonly config: FixedDelayRestartConfig;
  private used = 0;
  private readonly history: FailureInfo[] = [];

  /** @throws RangeError unless attempts and delay are whole numbers ≥ 0. */
  constructor(config: Partial<FixedDelayRestartConfig> = {}) {
    this.config = { ...DEFAULT_RESTART_CONFIG, ...config };
    for (const field of ['attempts', 'delayMs'] as const) {
      const value = this.config[field];
      if (!Number.isSafeInteger(value) || value < 0) {
        throw new RangeError(`Restart strategy: ${field} ${String(value)} must be a whole number ≥ 0.`);
      }
    }
  }

  /** Restarts used so far. */
  get attemptsUsed(): number {
    return this.used;
  }

  /** Failures seen so far, oldest first (for the events log). */
  get failures(): readonly FailureInfo[] {
    return this.history;
  }

  /** Restores the count (JobManager failover, reload) so a restarted JobManager does not grant fresh attempts. */
  restoreAttemptsUsed(used: number): void {
    if (!Number.isSafeInteger(used) || used < 0) throw new RangeError(`Attempts used ${String(used)} must be a whole number ≥ 0.`);
    this.used = used;
  }

  /** A failure at `nowMs`: restart after the delay, or fail the job when no attempt is left. */
  onFailure(failure: FailureInfo, nowMs: VirtualMs): RestartDecision {
    this.history.push(failure);
    if (this.used < this.config.attempts) {
      this.used++;
      return { kind: 'restart', attempt: this.used, restartAtMs: nowMs + this.config.delayMs };
    }
    const earlier = this.history.slice(0, -1).map((f) => f.code);
    const before = earlier.length === 0 ? '' : ` Earlier failures: ${earlier.join(', ')}.`;
    return {
      kind: 'fail-job',
      failure: {
        code: 'job.restartsExhausted',
        message: `The job failed after ${this.used} restart${this.used === 1 ? '' : 's'} (the restart strategy allows ` +
          `${this.config.attempts}). Fix the cause below, or allow more restart attempts.${before}`,
        cause: copyChain(failure),
      },
    };
  }
}

/** A deep copy of a failure and its causes (so later changes to the original cannot alter the record). */
function copyChain(failure: FailureInfo): FailureInfo {
  const copy: FailureInfo = { ...failure };
  if (failure.cause !== undefined) copy.cause = copyChain(failure.cause);
  return copy;
}
