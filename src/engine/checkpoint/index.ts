/**
 * Checkpoints and recovery (DESIGN.md §6): the pure building blocks. Nothing here sends a
 * message or reads a clock; the cluster calls them with facts and carries out the decisions.
 *
 *   CheckpointCoordinator   JobManager: triggers, acks per subtask and region, completion,
 *                           aborts, tolerable failures, history, restore points, state GC ids
 *   network/BarrierAligner  each multi-input subtask: aligned barriers
 *   sources SourceSubtask   snapshot() / restore(): replay exactly from a checkpoint
 *   operators/collectSink   two-phase commit per checkpoint; recover(); takeDelta()
 *   failoverScope, FixedDelayRestartStrategy   what restarts, and whether
 *
 * ## Wiring it into the cluster (the next step)
 *
 * Protocol (runtime/protocol.ts), all plain data:
 * - `TaskManagerCommand` gains `trigger-checkpoint {checkpointId, checkpointType, operatorId,
 *   subtask}` (to sources), `abort-checkpoint {checkpointId, operatorId, subtask}` and
 *   `notify-checkpoint-complete {checkpointId, operatorId, subtask, failedRegions?}`. They ride
 *   on `start-tick` like the fault commands, so they hit a tick boundary.
 * - `TickDoneMessage` gains `checkpointAcks: SubtaskAck[]` and `checkpointDeclines:
 *   {checkpointId, operatorId, index, message}[]`, in plan order. An ack must travel in the
 *   same tick-done as the sink delta of the tick whose records its snapshot covers (never
 *   earlier): a checkpoint must not complete listing sink records the JobManager never saw.
 * - `SinkDelta` gains `restoredPending?: number` and `committedThrough?: number` from
 *   `CollectSink.takeDelta()`. SinkOutputs applies, in order: keep only the oldest
 *   `restoredPending` pending records, append `written`, commit the oldest `committed`.
 * - Deploy (or a redeploy after a failover) carries per subtask a `SubtaskRestorePoint`
 *   (snapshot id, handle) and, for collect sinks, the `committedThrough` SinkOutputs saw.
 * - Transport: barriers are `StreamEvent`s inside buffers; the packed peer batch carries
 *   events as a cloned array (workers/transport/packedBatch.ts), so nothing changes there.
 *
 * JobManagerCore:
 * 1. At start: `topology = checkpointTopology(graph, divideRegions(job))`, a coordinator from
 *    RunConfig (`checkpointIntervalMs` → `intervalMs`, `checkpointMode` → `mode`,
 *    `checkpointType` → `type`) with a persisted `CheckpointIdCounter`/`exportState()` when
 *    resuming, and a `FixedDelayRestartStrategy`.
 * 2. `beginTick`: `coordinator.onTick(fromMs)`; turn each decision into commands for the TMs
 *    hosting the subtasks named (trigger → sources; abort/notify → each subtask listed;
 *    `fail-job` → fail the run with its failure). `triggerCheckpoint()` uses `triggerNow`.
 * 3. `completeTick`: acks → `acknowledge(ack, toMs)`, declines → `decline`, task failures →
 *    `onSubtaskFailed`, finished subtasks → `onSubtaskFinished`; queue the decisions for the
 *    next tick. On `notify-complete`, persist `exportState()` (strict durability). The
 *    `fail-checkpoint` fault → `failRegion(region, message, now)`.
 * 4. Failures: `scope = failoverScope(config.failover, topology, failed)`,
 *    `restart.onFailure(failure, now)`; on `restart`: `coordinator.onFailover(scope.restart)`,
 *    cancel `scope.restart` at `restartAtMs`, restore from `restoreAll()` (full),
 *    `restoreRegion(r)` for `scope.regions` (region) or `restoreSubtask(ref)` (approximate),
 *    redeploy, `onSubtaskRestarted` each. Released state: `releasableBefore()`.
 *
 * TaskManagerCore / tasks:
 * - SourceTask on `trigger-checkpoint`, before polling the tick: ack `{handle: {source:
 *   source.snapshot()}, alignmentMs: 0}` and emit `{type: 'barrier', checkpointId}` on every
 *   output, so the barrier sits between the records before and after the tick boundary.
 * - OperatorTask with an input gate owns a `BarrierAligner(gate)`: a barrier item →
 *   `onBarrier(channel, id, nowMs)`, end-of-partition → also `onEndOfPartition`; on `aligned`:
 *   `runner.snapshot(id)` (park on its promise like `prepareSlice`), then emit the barrier,
 *   then ack with `alignmentMs` and the keyed handle's `totalEntries`/`changedEntries` as
 *   sizes. A chain head snapshots its followers in chain order before emitting. On `cancelled`
 *   or an `abort-checkpoint` command (`aligner.abort(id)`): decline nothing more, carry on.
 *   `nowMs` is the tick's `fromMs` plus the virtual budget spent so far.
 * - `notify-checkpoint-complete` → `runner.notifyCheckpointComplete(id)`; collect sinks then
 *   report `takeDelta()` in their SinkDelta instead of counting commits themselves.
 * - Restore at deploy: sources `restore(handle.source, nowMs)`; operators
 *   `runner.restore({operator, keyed: [keyed], timers: [timers]})`; collect sinks get
 *   `externallyCommittedThrough` merged into their operator snapshot (or `recover()`).
 *   Snapshot id 0 means start from the beginning.
 */
export { CheckpointCoordinator, type CoordinatorOptions, type ManualTriggerResult } from './CheckpointCoordinator';
export { CheckpointIdCounter } from './CheckpointIdCounter';
export { CompletedCheckpointStore, type CheckpointStoreState } from './CompletedCheckpointStore';
export { CheckpointHistory, HISTORY_KEPT, minAvgMax } from './CheckpointHistory';
export { PendingCheckpoint, type ReceivedAck } from './PendingCheckpoint';
export { checkCheckpointConfig } from './config';
export { checkpointTopology, inPlanOrder, regionsOfSubtask, triggerTargets, type CheckpointTopology } from './topology';
export {
  boundaryChannels, failoverScope, type BoundaryChannel, type FailoverScope, type FailoverStrategyName,
} from './failoverScope';
export {
  DEFAULT_RESTART_CONFIG, FixedDelayRestartStrategy, type FixedDelayRestartConfig, type RestartDecision,
} from './restartStrategy';
export * from './types';
