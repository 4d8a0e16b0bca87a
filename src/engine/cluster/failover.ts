/**
 * The "no restart" failure decision (Flink's `NoRestartBackoffTimeStrategy`): the first
 * failure in plan order fails the job. Kept for callers of the engine face; the JobManager
 * itself decides through RecoveryDriver (restart strategy, failover scope, restore points),
 * where `restartAttempts: 0` means exactly this.
 */
import type { FailureInfo } from '../runtime/telemetry';
import type { VirtualMs } from '../runtime/types';

/** Facts about failures observed at the end of one tick, in plan order. */
export interface FailureFacts {
  virtualTimeMs: VirtualMs;
  failures: readonly FailureInfo[];
}

/** One variant per outcome. */
export type FailoverDecision =
  /** The job stops for good with this failure (its `cause` chain says why). */
  | { kind: 'fail-job'; failure: FailureInfo };

export interface FailoverStrategy {
  readonly name: string;
  decide(facts: FailureFacts): FailoverDecision;
}

/** No recovery (before checkpoints): the first failure in plan order fails the job. */
export const noRestart: FailoverStrategy = {
  name: 'no-restart',
  decide(facts) {
    const first = facts.failures[0];
    if (first === undefined) throw new Error('A failover decision needs at least one failure.');
    return { kind: 'fail-job', failure: first };
  },
};
