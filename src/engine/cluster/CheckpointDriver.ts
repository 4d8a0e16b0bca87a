/**
 * The JobManager's checkpointing, around the pure CheckpointCoordinator (Flink
 * `CheckpointCoordinator` as driven by the `JobMaster`): it feeds the coordinator the facts of
 * each tick and turns its decisions into TaskManager commands that ride on the next
 * start-tick, plus run events and the metadata to persist.
 *
 *   beginTick(fromMs)        coordinator.onTick → trigger commands at sources; queued abort /
 *                            notify / release commands from the previous tick go out too
 *   completeTick(acks, …)    acks, declines → decisions, queued for the next tick
 *   triggerNow(nowMs)        the manual trigger (`triggerCheckpoint()`)
 *
 * Completion: every subtask told (`notify-checkpoint-complete`: collect sinks commit; a
 * region-sharable committer per region, with an event naming the regions that failed), every
 * TaskManager told which keyed-state versions no retained checkpoint needs any more
 * (`release-snapshots`), and the coordinator's exported state handed to the persistence port
 * (`takePersist`), so a later reload can restore from it.
 */
import { CheckpointCoordinator } from '../checkpoint/CheckpointCoordinator';
import type { CheckpointHistory } from '../checkpoint/CheckpointHistory';
import { CheckpointIdCounter } from '../checkpoint/CheckpointIdCounter';
import { checkpointTopology, type CheckpointTopology } from '../checkpoint/topology';
import type { CheckpointDecision, CheckpointFailure } from '../checkpoint/types';
import { subtaskKey, type ExecutionGraph, type SubtaskRef } from '../plan/executionGraph';
import { divideRegions, RUN_REGIONS } from '../plan/regions';
import type { CheckpointDecline, SubtaskCheckpointAck, SubtaskSnapshotHandle, TaskManagerCommand } from '../runtime/protocol';
import type { RunConfig } from '../runtime/runConfig';
import type { CheckpointsReport, FailureInfo, RunEvent } from '../runtime/telemetry';
import type { JobGraph } from '../job/types';
import type { VirtualMs } from '../runtime/types';
import { failedDetail, failedDetailEvent, notifyRegions, sharedSubtasks } from './sharedCommitters';

/** History rows in a report (the newest). */
export const REPORT_HISTORY = 100;

/** What the JobManager must carry out after a driver call. */
export interface DriverOutput {
  /** Commands per TaskManager index, in decision order. */
  commands: Map<number, TaskManagerCommand[]>;
  events: RunEvent[];
  /** Too many checkpoint failures: fail the job with this. */
  failJob?: FailureInfo;
}

/** The coordinator's exported state, to persist (CheckpointMetadataStore). */
export type CheckpointMetadata = ReturnType<CheckpointCoordinator<SubtaskSnapshotHandle>['exportState']>;

export class CheckpointDriver {
  readonly topology: CheckpointTopology;
  readonly coordinator: CheckpointCoordinator<SubtaskSnapshotHandle>;
  /** Keys of region-sharable committers (in several regions). */
  private readonly shared: ReadonlySet<string>;
  /** Regions holding a region-sharable committer. */
  private readonly sharedRegions: ReadonlySet<number>;
  private queued: CheckpointDecision[] = [];
  private manualTriggers = 0;
  private persist: CheckpointMetadata | undefined;
  /** The checkpoint a rescale stops with: its triggers tell sources to stop after the barrier. */
  private stopId = 0;
  private readonly ids: CheckpointIdCounter;
  private completions = 0;

  /** @param restored checkpoints to start from (a rescale, a resumed run): ids go on after them. */
  constructor(
    job: JobGraph, graph: ExecutionGraph, private readonly config: RunConfig, private readonly tmOf: (ref: SubtaskRef) => number,
    restored?: CheckpointMetadata,
    history?: CheckpointHistory,
  ) {
    this.topology = checkpointTopology(graph, divideRegions(job, RUN_REGIONS));
    this.shared = new Set(sharedSubtasks(this.topology).map(subtaskKey));
    this.sharedRegions = new Set(sharedSubtasks(this.topology).flatMap((ref) => this.topology.regionsOf.get(subtaskKey(ref)) ?? []));
    const ids = new CheckpointIdCounter();
    this.ids = ids;
    if (restored !== undefined) ids.advanceTo(restored.nextCheckpointId);
    this.coordinator = new CheckpointCoordinator<SubtaskSnapshotHandle>({
      intervalMs: config.checkpointIntervalMs,
      timeoutMs: config.checkpointTimeoutMs,
      minPauseMs: config.minPauseBetweenCheckpointsMs,
      tolerableConsecutiveFailures: config.tolerableCheckpointFailures,
      mode: config.checkpointMode,
      regionalFailureThreshold: config.regionalFailureThreshold,
      type: config.checkpointType,
    }, this.topology, {
      idCounter: ids, ...(restored === undefined ? {} : { restored: restored.store }), ...(history === undefined ? {} : { history }),
    });
    if (restored !== undefined) this.manualTriggers = restored.store.completed.length > 0 ? 1 : 0;
  }

  /**
   * A new JobManager leader learned from the TaskManagers that ids up to `maxSeen` were used
   * (checkpoints its predecessor triggered after its last snapshot): ids go on above them.
   */
  advanceIdsPast(maxSeen: number): void {
    this.ids.advanceTo(maxSeen + 1);
  }

  /** A checkpoint is in flight or decisions wait for the next tick. */
  get busy(): boolean {
    return this.queued.length > 0 || this.coordinator.pendingIds.length > 0;
  }

  /** Whether checkpoints run (periodic ones, or one was triggered by hand). */
  get enabled(): boolean {
    return this.config.checkpointIntervalMs > 0 || this.manualTriggers > 0;
  }

  /** Tick start: expire, maybe trigger, and send what the previous tick decided. */
  beginTick(fromMs: VirtualMs): DriverOutput {
    const decisions = [...this.queued, ...this.coordinator.onTick(fromMs)];
    for (const decision of decisions.slice(this.queued.length)) if (decision.kind === 'notify-complete') this.completions++;
    this.queued = [];
    return this.carryOut(decisions, fromMs);
  }

  /** A manual trigger: the barrier goes out with the next tick. */
  triggerNow(nowMs: VirtualMs, stop = false): { ok: true; checkpointId: number } | { ok: false; message: string } {
    const result = this.coordinator.triggerNow(nowMs);
    this.queued.push(...result.decisions);
    if (result.ok) {
      this.manualTriggers++;
      if (stop) this.stopId = result.checkpointId;
      return { ok: true, checkpointId: result.checkpointId };
    }
    const why = {
      'too-many-concurrent': 'a checkpoint is already in progress; wait for it to complete or fail',
      'no-running-tasks': 'no subtask is running',
      'tasks-down': 'some subtasks are down (restarting); try again once they run',
    }[result.reason];
    return { ok: false, message: `No checkpoint was started: ${why}.` };
  }

  /** Tick end: the acks and declines of the tick (plan order), decisions queued for the next tick. */
  completeTick(acks: readonly SubtaskCheckpointAck[], declines: readonly CheckpointDecline[], toMs: VirtualMs): void {
    for (const ack of acks) this.take(this.coordinator.acknowledge(ack, toMs));
    for (const decline of declines) {
      this.take(this.coordinator.decline(decline.checkpointId, { operatorId: decline.operatorId, index: decline.index }, decline.message, toMs));
    }
  }

  /** Checkpoints the coordinator completed so far (decided; the notify goes out with the next tick). */
  get completed(): number {
    return this.completions;
  }

  private take(decisions: readonly CheckpointDecision[]): void {
    for (const decision of decisions) if (decision.kind === 'notify-complete') this.completions++;
    this.queued.push(...decisions);
  }

  /** Facts from the run (decisions queued for the next tick). */
  subtaskFailed(ref: SubtaskRef, atMs: VirtualMs, message: string): void {
    this.queued.push(...this.coordinator.onSubtaskFailed(ref, atMs, message));
  }

  failover(restart: readonly SubtaskRef[], atMs: VirtualMs): void {
    this.queued.push(...this.coordinator.onFailover(restart, atMs));
  }

  /** The `fail-checkpoint` fault. */
  failRegion(region: number, atMs: VirtualMs): void {
    this.queued.push(...this.coordinator.failRegion(region, 'fail-checkpoint fault injected', atMs));
  }

  /** The metadata of the latest completion, once (then undefined until the next). */
  takePersist(): CheckpointMetadata | undefined {
    const persist = this.persist;
    this.persist = undefined;
    return persist;
  }

  report(): CheckpointsReport {
    const history = this.coordinator.stats();
    return {
      enabled: this.enabled, mode: this.config.checkpointMode, type: this.config.checkpointType,
      summary: this.coordinator.summary(), history: history.slice(-REPORT_HISTORY),
    };
  }

  private abortTargets(decision: Extract<CheckpointDecision, { kind: 'abort' }>): SubtaskRef[] {
    return abortTargetsOf(decision, this.sharedRegions);
  }

  private carryOut(decisions: readonly CheckpointDecision[], atMs: VirtualMs): DriverOutput {
    const out: DriverOutput = { commands: new Map(), events: [] };
    const send = (ref: SubtaskRef, command: TaskManagerCommand): void => {
      const tm = this.tmOf(ref);
      const list = out.commands.get(tm) ?? [];
      list.push(command);
      out.commands.set(tm, list);
    };
    for (const decision of decisions) {
      switch (decision.kind) {
        case 'trigger':
          for (const ref of decision.sources) {
            send(ref, {
              kind: 'trigger-checkpoint', checkpointId: decision.checkpointId, checkpointType: decision.checkpointType, operatorId: ref.operatorId, subtask: ref.index,
              ...(decision.checkpointId === this.stopId ? { stop: true } : {}),
            });
          }
          out.events.push({ virtualTimeMs: atMs, kind: 'checkpoint-triggered', message: `Checkpoint ${decision.checkpointId} (${decision.checkpointType}) triggered at ${decision.sources.length} source subtask${decision.sources.length === 1 ? '' : 's'}.` });
          break;
        case 'notify-complete': {
          for (const ref of decision.subtasks) {
            const command: TaskManagerCommand = { kind: 'notify-checkpoint-complete', checkpointId: decision.checkpointId, operatorId: ref.operatorId, subtask: ref.index };
            if (this.shared.has(subtaskKey(ref))) {
              // A region-sharable committer commits per region (seed 2's notifyRegionalCkComplete).
              command.regions = notifyRegions(this.topology, ref, decision.checkpoint);
              const detail = failedDetail(this.topology, ref, decision.checkpoint);
              if (detail !== undefined) out.events.push(failedDetailEvent(detail, decision.checkpoint, atMs));
            }
            send(ref, command);
          }
          const before = this.coordinator.releasableBefore();
          const tms = new Set(this.topology.subtasks.map(this.tmOf));
          for (const tm of [...tms].sort((a, b) => a - b)) {
            const list = out.commands.get(tm) ?? [];
            list.push({ kind: 'release-snapshots', before });
            out.commands.set(tm, list);
          }
          this.persist = this.coordinator.exportState();
          const c = decision.checkpoint;
          const failed = c.regions.filter((r) => r.status === 'failed').map((r) => r.region);
          out.events.push({
            virtualTimeMs: atMs, kind: 'checkpoint-completed',
            message: `Checkpoint ${c.id} completed in ${c.completedMs - c.triggerMs} ms (${c.type === 'full' ? c.stateSize : c.changedSize} rows written)` +
              (failed.length > 0 ? `; regions ${failed.join(', ')} keep their latest earlier snapshot.` : '.'),
          });
          break;
        }
        case 'abort':
          // A region with a shared committer is not told of its own failure: the committer aligns
          // its other regions' barriers with this region's, so the region's tasks forward the
          // barrier as usual (the coordinator already counts the region as failed).
          for (const ref of this.abortTargets(decision)) send(ref, { kind: 'abort-checkpoint', checkpointId: decision.checkpointId, operatorId: ref.operatorId, subtask: ref.index });
          out.events.push({
            virtualTimeMs: atMs, kind: decision.whole ? 'checkpoint-failed' : 'checkpoint-region-failed',
            message: decision.whole
              ? `Checkpoint ${decision.checkpointId} failed: ${describe(decision.failure)}`
              : `Checkpoint ${decision.checkpointId}: region${decision.regions.length === 1 ? '' : 's'} ${decision.regions.join(', ')} failed (${describe(decision.failure)}); the other regions go on.`,
          });
          break;
        case 'fail-job':
          out.failJob = decision.failure;
          break;
      }
    }
    return out;
  }
}

/** The subtasks an abort goes to: none for a regional abort of regions holding a shared committer. */
function abortTargetsOf(decision: Extract<CheckpointDecision, { kind: 'abort' }>, sharedRegions: ReadonlySet<number>): SubtaskRef[] {
  if (!decision.whole && decision.regions.every((r) => sharedRegions.has(r))) return [];
  return decision.subtasks;
}

function describe(failure: CheckpointFailure): string {
  return `${failure.reason}: ${failure.message}`;
}
