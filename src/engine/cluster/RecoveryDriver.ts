/**
 * The JobManager's failover (Flink `DefaultScheduler` with a `FailoverStrategy` and a
 * `RestartBackoffTimeStrategy`), as decisions over plain facts:
 *
 *   onFailures(failed, …)   the restart strategy grants an attempt (or fails the job with the
 *                           cause chain); `failoverScope` says what restarts; those subtasks
 *                           are cancelled at once (`cancel-subtasks` on the next tick) and
 *                           wait, `restarting`, for the restart delay
 *   due(fromMs)             the restart is due: what each restarted subtask restores from
 *                           (full: the latest completed checkpoint; region: each region's
 *                           latest (regional) snapshot), as `restart-subtasks` commands
 *
 * A failure during the delay joins the restart in waiting (its scope grows; it uses an
 * attempt like any failure). `failover: 'approximate'` restarts only the failed tasks, each from
 * its own latest snapshot (approximateRecovery.ts: the JobManager resets their channels on live
 * peers and adds what was lost to the recovery's report, `addLoss`).
 */
import type { CheckpointTopology } from '../checkpoint/topology';
import { failoverScope, type FailoverScope } from '../checkpoint/failoverScope';
import { FixedDelayRestartStrategy } from '../checkpoint/restartStrategy';
import type { CheckpointCoordinator } from '../checkpoint/CheckpointCoordinator';
import type { SubtaskRestorePoint } from '../checkpoint/types';
import { subtaskKey, type SubtaskRef } from '../plan/executionGraph';
import type { SubtaskRestoreSpec, SubtaskSnapshotHandle } from '../runtime/protocol';
import type { RunConfig } from '../runtime/runConfig';
import type { FailureInfo, RecoveryReport, RunEvent } from '../runtime/telemetry';
import type { VirtualMs } from '../runtime/types';

/** A restart decided and not yet carried out. */
export interface PendingRestart {
  scope: FailoverScope;
  restartAtMs: VirtualMs;
  report: RecoveryReport;
}

export type RecoveryDecision =
  | { kind: 'restart'; cancel: SubtaskRef[]; events: RunEvent[] }
  | { kind: 'fail-job'; failure: FailureInfo };

export class RecoveryDriver {
  private readonly strategy: FixedDelayRestartStrategy;
  private pending: PendingRestart | undefined;
  private readonly reports: RecoveryReport[] = [];
  private newReports = 0;

  constructor(private readonly config: RunConfig, private readonly topology: CheckpointTopology) {
    this.strategy = new FixedDelayRestartStrategy({ attempts: config.restartAttempts, delayMs: config.restartDelayMs });
  }

  /** Whether subtasks are waiting for a restart. */
  get restarting(): boolean {
    return this.pending !== undefined;
  }

  /** Whether the restart in waiting is due at a tick starting at `fromMs`. */
  dueAt(fromMs: VirtualMs): boolean {
    return this.pending !== undefined && fromMs >= this.pending.restartAtMs;
  }

  /** Failures of one tick (plan order) with the subtasks they took down. */
  onFailures(first: FailureInfo, failed: readonly SubtaskRef[], atMs: VirtualMs): RecoveryDecision {
    // No restarts configured (Flink's NoRestartBackoffTimeStrategy): the failure itself fails the job.
    if (this.config.restartAttempts === 0) return { kind: 'fail-job', failure: first };
    const decision = this.strategy.onFailure(first, atMs);
    if (decision.kind === 'fail-job') return decision;
    const strategy = this.config.failover;
    const scope = failoverScope(strategy, this.topology, failed);
    const events: RunEvent[] = [];
    const report: RecoveryReport = {
      virtualTimeMs: atMs, strategy, attempt: decision.attempt, cause: first,
      restarted: scope.restart, regions: scope.regions, restoredFrom: [],
    };
    if (strategy === 'approximate') Object.assign(report, { recordsLost: 0, recordsLostByOperator: {}, recordsDropped: 0, recordsDiscarded: 0 });
    if (this.pending !== undefined) {
      // A failure during the restart delay: the waiting restart grows to cover it.
      const merged = new Map(this.pending.scope.restart.map((ref) => [subtaskKey(ref), ref]));
      for (const ref of scope.restart) merged.set(subtaskKey(ref), ref);
      const position = (ref: SubtaskRef): number => this.topology.position.get(subtaskKey(ref)) ?? 0;
      scope.restart = [...merged.values()].sort((a, b) => position(a) - position(b));
      scope.regions = [...new Set([...this.pending.scope.regions, ...scope.regions])].sort((a, b) => a - b);
      report.restarted = scope.restart;
      report.regions = scope.regions;
    }
    this.pending = { scope, restartAtMs: decision.restartAtMs, report };
    this.reports.push(report);
    this.newReports++;
    const what = scope.strategy === 'full' ? 'every subtask'
      : scope.strategy === 'approximate' ? `only ${scope.restart.map((ref) => subtaskKey(ref)).join(', ')} (records sent to it meanwhile are lost)`
      : `region${scope.regions.length === 1 ? '' : 's'} ${scope.regions.join(', ')} (${scope.restart.length} subtasks)`;
    events.push({
      virtualTimeMs: atMs, kind: 'recovery-started',
      message: `Restart ${decision.attempt} of ${this.strategy.config.attempts} (${this.config.failover} failover): ${what} restart at ${decision.restartAtMs} ms, after: ${first.message}`,
    });
    return { kind: 'restart', cancel: scope.restart, events };
  }

  /** The restart, when due at `fromMs`: restore specs (plan order) from the coordinator's retained checkpoints. */
  due(
    fromMs: VirtualMs,
    coordinator: CheckpointCoordinator<SubtaskSnapshotHandle>,
    committedThrough: (ref: SubtaskRef) => number | undefined,
  ): { restart: PendingRestart; specs: SubtaskRestoreSpec[] } | undefined {
    const pending = this.pending;
    if (pending === undefined || fromMs < pending.restartAtMs) return undefined;
    this.pending = undefined;
    const points = new Map<string, SubtaskRestorePoint<SubtaskSnapshotHandle>>();
    const list = pending.scope.strategy === 'full'
      ? coordinator.restoreAll()
      : pending.scope.regions.flatMap((region) => coordinator.restoreRegion(region));
    for (const point of list) points.set(subtaskKey(point.subtask), point);
    const specs = pending.scope.restart.map((ref): SubtaskRestoreSpec => {
      const point = points.get(subtaskKey(ref)) ?? coordinator.restoreSubtask(ref);
      const spec: SubtaskRestoreSpec = { operatorId: ref.operatorId, index: ref.index, snapshotId: point.snapshotId };
      if (point.handle !== undefined) spec.handle = point.handle;
      const through = committedThrough(ref);
      if (through !== undefined) spec.committedThrough = through;
      return spec;
    });
    pending.report.restoredFrom = specs.map((s) => ({ operatorId: s.operatorId, index: s.index, checkpointId: s.snapshotId }));
    pending.report.resumedMs = fromMs;
    this.newReports++;
    return { restart: pending, specs };
  }

  /**
   * A new JobManager leader goes on from its predecessor's recoveries (src/engine/ha): the
   * reports, and the restart strategy's attempts used, so a failover grants no fresh attempts.
   */
  importReports(reports: readonly RecoveryReport[]): void {
    this.reports.push(...reports);
    this.strategy.restoreAttemptsUsed(reports.reduce((max, r) => Math.max(max, r.attempt), 0));
    this.newReports++;
  }

  /** Every recovery so far, oldest first. */
  list(): RecoveryReport[] {
    return this.reports.map((r) => {
      const copy: RecoveryReport = { ...r, restarted: [...r.restarted], regions: [...r.regions], restoredFrom: [...r.restoredFrom] };
      if (r.recordsLostByOperator !== undefined) copy.recordsLostByOperator = { ...r.recordsLostByOperator };
      return copy;
    });
  }

  /** The latest approximate recovery's report (losses are added to it as TaskManagers report them), or undefined. */
  approximateReport(): RecoveryReport | undefined {
    const last = this.reports[this.reports.length - 1];
    return last?.strategy === 'approximate' ? last : undefined;
  }

  /** A report changed outside `onFailures` / `due` (losses added): the next frame carries it. */
  touched(): void {
    this.newReports++;
  }

  /** Whether a recovery started or resumed since the last call (telemetry frames). */
  takeChanged(): boolean {
    const changed = this.newReports > 0;
    this.newReports = 0;
    return changed;
  }
}
