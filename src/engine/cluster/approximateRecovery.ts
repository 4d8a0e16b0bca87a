/**
 * Approximate local recovery (`failover: 'approximate'`, DESIGN.md §6, seed 2): only the failed
 * task restarts, from its own latest snapshot; everything else keeps running. Flink models it
 * with `PipelinedApproximateSubpartition` (FLINK-19632) and restarts the failed task alone;
 * Sluice does the same over its tick protocol:
 *
 * JobManager side (pure functions over the plan):
 * - `approximateRestartSet`: the failed subtasks, plus the rest of their operator chains (a
 *   chain is one task in Flink, and chained operators share no channel to reset); finished
 *   subtasks stay finished (their consumers already read their end).
 * - `resetCommand`: the `reset-channels` command of a phase for the channels crossing the
 *   boundary of the down set (checkpoint/failoverScope.ts `boundaryChannels`), ascending by
 *   channel id; every live TaskManager gets the same one, so each applies its own ends in the
 *   same order at the same tick boundary.
 * - `LossLedger`: adds the TaskManagers' channel losses to the recovery's report.
 *
 * TaskManager side: `applyChannelResets` (network/channelReset.ts per channel; a live receiver's
 * task is told its input went down) and `inFlightLoss` (records in flight on a reset channel,
 * dropped with it).
 *
 * What is lost, and how it is counted (RecoveryReport):
 * - `recordsLost` / `recordsLostByOperator`: records live senders wrote to the restarted task
 *   between its snapshot and its restart. Its restored state never reflects them: what it read
 *   after the snapshot (before it died) plus what was dropped while it was down. Counted by the
 *   senders from the barrier positions (Subpartition.writtenSince), by restarted operator.
 * - `recordsDropped`: of those, the records no operator ever read (dropped at senders, in
 *   flight, or unread in the dead task's gate).
 * - `recordsDiscarded`: the dead task's own output that never reached a live receiver
 *   (buffered at the dead task, in flight, or unread at the receiver).
 * A restarted source rewinds to its snapshot offsets (its restore is the same as in region
 * failover), so what it emitted after that snapshot is emitted again: approximate recovery of a
 * source may duplicate its records downstream, where recovery of any other task only loses.
 */
import { boundaryChannels } from '../checkpoint/failoverScope';
import type { ChannelLoss, ChannelResetSpec } from '../network/channelReset';
import { resetChannel } from '../network/channelReset';
import type { InputGate } from '../network/InputGate';
import { allChannels, subtaskKey, type ExecutionGraph, type SubtaskRef } from '../plan/executionGraph';
import type { PeerBatch, SubtaskRestoreSpec, TaskManagerCommand } from '../runtime/protocol';
import type { RecoveryReport } from '../runtime/telemetry';
import type { TaskManagerNetwork } from './TaskManagerNetwork';

/**
 * The subtasks approximate recovery restarts for `failed`: each with its whole operator chain
 * (`chained`: `from->to` ids of chained edges), minus finished ones (`isFinished`), in plan order.
 */
export function approximateRestartSet(
  graph: ExecutionGraph, chained: ReadonlySet<string>, failed: readonly SubtaskRef[], isFinished: (ref: SubtaskRef) => boolean,
): SubtaskRef[] {
  const set = new Map<string, SubtaskRef>();
  const queue = failed.filter((ref) => !isFinished(ref));
  while (queue.length > 0) {
    const ref = queue.pop() as SubtaskRef;
    const key = subtaskKey(ref);
    if (set.has(key)) continue;
    set.set(key, ref);
    for (const edge of graph.edges) {
      if (!chained.has(edge.id)) continue;
      // A chained edge is forward with equal parallelism: subtask i feeds subtask i.
      if (edge.from === ref.operatorId) queue.push({ operatorId: edge.to, index: ref.index });
      if (edge.to === ref.operatorId) queue.push({ operatorId: edge.from, index: ref.index });
    }
  }
  const position = new Map(graph.subtasks.map((s, i) => [subtaskKey(s), i]));
  return [...set.values()].sort((a, b) => (position.get(subtaskKey(a)) ?? 0) - (position.get(subtaskKey(b)) ?? 0));
}

/**
 * The `reset-channels` command for the boundary of `down` (every subtask down after this
 * failure or restart); `restarting`, for `up`, the restore specs (snapshot ids of the restarted
 * receivers). Undefined when no channel crosses the boundary.
 */
export function resetCommand(
  graph: ExecutionGraph, down: readonly SubtaskRef[], phase: 'down' | 'up', restarting: readonly SubtaskRestoreSpec[] = [],
): Extract<TaskManagerCommand, { kind: 'reset-channels' }> | undefined {
  const snapshots = new Map(restarting.map((spec) => [subtaskKey(spec), spec.snapshotId]));
  const channels = boundaryChannels(graph, down).map((b): ChannelResetSpec => {
    const spec: ChannelResetSpec = { channel: b.channel, direction: b.direction };
    if (phase === 'up' && b.direction === 'into') spec.snapshotId = snapshots.get(subtaskKey(b.to)) ?? 0;
    return spec;
  });
  return channels.length === 0 ? undefined : { kind: 'reset-channels', phase, channels };
}

/** Global ids of the channels a tick's reset commands name (their in-flight data is dropped). */
export function resetChannelIds(commands: readonly TaskManagerCommand[]): number[] {
  const ids: number[] = [];
  for (const command of commands) if (command.kind === 'reset-channels') for (const spec of command.channels) ids.push(spec.channel);
  return ids;
}

/**
 * Records in flight to this TaskManager on channels going down this tick (shipped at the
 * previous tick's end): they are dropped with the channel, and counted.
 */
export function inFlightLoss(batches: readonly PeerBatch[], commands: readonly TaskManagerCommand[]): ChannelLoss[] {
  const direction = new Map<number, 'into' | 'out-of'>();
  for (const command of commands) {
    if (command.kind !== 'reset-channels' || command.phase !== 'down') continue;
    for (const spec of command.channels) direction.set(spec.channel, spec.direction);
  }
  if (direction.size === 0) return [];
  const dropped = new Map<number, number>();
  for (const batch of batches) {
    for (const shipment of batch.shipments) {
      if (!direction.has(shipment.channel)) continue;
      dropped.set(shipment.channel, (dropped.get(shipment.channel) ?? 0) + shipment.buffer.records.length);
    }
  }
  return [...dropped].filter(([, n]) => n > 0).map(([channel, n]) => ({ channel, direction: direction.get(channel) as 'into' | 'out-of', dropped: n }));
}

/**
 * Applies a `reset-channels` command to this TaskManager's ends, in the command's order.
 * `receiverDown` tells a live receiver's task that one of its inputs went down.
 */
export function applyChannelResets(
  network: TaskManagerNetwork, command: Extract<TaskManagerCommand, { kind: 'reset-channels' }>,
  receiverDown: (gate: InputGate, channel: number) => void,
): ChannelLoss[] {
  const losses: ChannelLoss[] = [];
  for (const spec of command.channels) {
    const result = resetChannel(network.ends(spec.channel), spec, command.phase);
    if (result.receiverDown !== undefined) receiverDown(result.receiverDown.gate, result.receiverDown.channel);
    const loss = result.loss;
    if (loss !== undefined && (loss.dropped > 0 || (loss.sinceSnapshot ?? 0) > 0)) losses.push(loss);
  }
  return losses;
}

/** Adds channel losses to the approximate recovery they belong to. */
export class LossLedger {
  private readonly receiverOf: string[];

  constructor(graph: ExecutionGraph) {
    this.receiverOf = allChannels(graph).map((c) => c.to.operatorId);
  }

  /**
   * Adds a tick's losses (every TM's, in TM order) to `report`.
   * @returns records newly counted as lost, dropped and discarded (for the run's event and metrics).
   */
  add(report: RecoveryReport, losses: readonly ChannelLoss[]): { lost: number; dropped: number; discarded: number } {
    const sorted = [...losses].sort((a, b) => a.channel - b.channel);
    const added = { lost: 0, dropped: 0, discarded: 0 };
    for (const loss of sorted) {
      if (loss.direction === 'into') {
        added.dropped += loss.dropped;
        const since = loss.sinceSnapshot ?? 0;
        if (since > 0) {
          const operator = this.receiverOf[loss.channel] as string;
          const byOperator = report.recordsLostByOperator ?? {};
          byOperator[operator] = (byOperator[operator] ?? 0) + since;
          report.recordsLostByOperator = byOperator;
          added.lost += since;
        }
      } else {
        added.discarded += loss.dropped;
      }
    }
    report.recordsLost = (report.recordsLost ?? 0) + added.lost;
    report.recordsDropped = (report.recordsDropped ?? 0) + added.dropped;
    report.recordsDiscarded = (report.recordsDiscarded ?? 0) + added.discarded;
    return added;
  }
}

/** The JobManager's side of approximate recovery: which subtasks are down, reset commands, losses. */
export class ApproximateRecovery {
  private readonly ledger: LossLedger;
  private readonly down = new Map<string, SubtaskRef>();

  constructor(private readonly graph: ExecutionGraph, private readonly chained: ReadonlySet<string>) {
    this.ledger = new LossLedger(graph);
  }

  /** The restart set for failed subtasks (see `approximateRestartSet`). */
  restartSet(failed: readonly SubtaskRef[], isFinished: (ref: SubtaskRef) => boolean): SubtaskRef[] {
    return approximateRestartSet(this.graph, this.chained, failed, isFinished);
  }

  /** Subtasks were cancelled: the command taking the boundary of everything down, down. */
  cancelled(refs: readonly SubtaskRef[]): TaskManagerCommand | undefined {
    for (const ref of refs) this.down.set(subtaskKey(ref), ref);
    return resetCommand(this.graph, [...this.down.values()], 'down');
  }

  /** The restart is due with these specs: the command bringing their boundary up. */
  restarting(specs: readonly SubtaskRestoreSpec[]): TaskManagerCommand | undefined {
    const live = specs.filter((spec) => spec.finished !== true);
    this.down.clear();
    return resetCommand(this.graph, live.map((s) => ({ operatorId: s.operatorId, index: s.index })), 'up', live);
  }

  /** A tick's channel losses (every TM's) added to `report`; a message when records were lost. */
  addLosses(report: RecoveryReport, losses: readonly ChannelLoss[]): string | undefined {
    const added = this.ledger.add(report, losses);
    if (added.lost === 0 && added.dropped === 0 && added.discarded === 0) return undefined;
    const byOperator = Object.entries(report.recordsLostByOperator ?? {}).map(([op, n]) => `${op} ${n}`).join(', ');
    return `Approximate recovery ${report.attempt}: ${report.recordsLost ?? 0} records lost so far` +
      `${byOperator === '' ? '' : ` (${byOperator})`}; ${report.recordsDropped ?? 0} dropped unread, ` +
      `${report.recordsDiscarded ?? 0} of the restarted tasks' output discarded.`;
  }
}
