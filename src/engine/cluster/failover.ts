/**
 * What the JobManager does when a task or a TaskManager fails: a pure decision from the
 * failure facts (STYLE.md habit 2). The seam for fault tolerance: full restart, region
 * failover and approximate local recovery (DESIGN.md §6) become further variants of
 * {@link FailoverDecision} and further strategies, chosen by RunConfig `failover`.
 *
 * Until checkpoints exist there is nothing to restore from, so the only strategy is Flink's
 * `NoRestartBackoffTimeStrategy`: the job fails, and its failure is the first cause.
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
