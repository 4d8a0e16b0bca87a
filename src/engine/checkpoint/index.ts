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
 * ## How the cluster wires it in (src/engine/cluster)
 *
 * - Protocol (runtime/protocol.ts): `trigger-checkpoint`, `abort-checkpoint`,
 *   `notify-checkpoint-complete`, `release-snapshots`, `cancel-subtasks` and `restart-subtasks`
 *   ride on start-tick; tick-done carries `checkpointAcks` / `checkpointDeclines` next to the
 *   sink deltas of the same tick; `SinkDelta` has `restoredPending` / `committedThrough`.
 * - JobManager: CheckpointDriver (coordinator decisions → commands, acks in, metadata to
 *   persist), RecoveryDriver (restart strategy, failoverScope, restore specs from
 *   `restoreAll` / `restoreRegion`), failedSubtasks.ts (what a failure takes down).
 * - TaskManager: SourceTask (trigger → snapshot, barrier), OperatorTask (BarrierAligner,
 *   snapshot → barrier → ack, collect-sink commits and final checkpoint), restartSubtasks.ts
 *   (fresh gates via TaskManagerNetwork.reset, fresh keyed backend, restore, "restored as
 *   finished" per CompletedCheckpointStore.restorePoint).
 * - Approximate local recovery: `failoverScope('approximate')` and `boundaryChannels` drive
 *   cluster/approximateRecovery.ts (channel resets on live peers, network/channelReset.ts).
 * - Region-sharable committers (a subtask in several regions): cluster/sharedCommitters.ts
 *   (per-region `notify-checkpoint-complete`, `rewind-region`, the same channel resets) and
 *   the collect sink's per-region ledgers (operators/transactionLedger.ts); `SinkDelta.region`.
 * - Not wired yet: rescale and reload restore
 *   (`restoreAll` at another parallelism, CoordinatorOptions.restored from the persisted metadata).
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
