/**
 * One TaskManager's part of the data plane: the output gates (ResultPartitions) and input
 * gates of the subtasks it hosts, built from the same wiring every TaskManager computes, and
 * the tick-end protocol of runtime/protocol.ts.
 *
 * Uniform latency is the rule that makes placement invisible: at the end of tick t every
 * buffer, backlog announcement and credit announcement (including those between two
 * subtasks of this TaskManager) goes into a {@link PeerBatch} for the TaskManager that hosts
 * the other end, and every batch is applied at the start of tick t+1. A local channel is
 * never faster than a remote one, so 1, 2 or 4 TaskManagers compute the same thing.
 *
 * Credit therefore travels like data: a buffer read during tick t frees credit announced at
 * the end of t, the sender ships at the start of t+1, and the receiver reads at t+2 (the same
 * round trip as LocalNetwork's). Floating buffers follow the backlog announcements one tick
 * later than in LocalNetwork, which only delays the rare channel that needs them.
 *
 * Failover (`reset`): a restarted subtask gets fresh output and input gates, in place of the
 * old ones (same plan order, same channel ids). Its peers restart with it (a pipelined region
 * shares no channel with the rest), so both ends of every such channel start over: no data,
 * no credit, no backlog; the fresh gates announce their initial credit at the tick's end, and
 * whatever was in flight on those channels is dropped (`dropInFlight`).
 */
import { allChannels, subtaskKey, type ExecutionGraph, type SubtaskRef } from '../plan/executionGraph';
import type { ChannelEnds } from '../network/channelReset';
import type { ChannelSelection, NetworkConfig } from '../network/config';
import { InputGate } from '../network/InputGate';
import type { NetworkWiring } from '../network/networkWiring';
import { ResultPartition } from '../network/ResultPartition';
import type { ChannelTickReport, PeerBatch } from '../runtime/protocol';

export class TaskManagerNetwork {
  private readonly partitionList: ResultPartition[] = [];
  private readonly outputsBySubtask = new Map<string, ResultPartition[]>();
  private readonly inputBySubtask = new Map<string, InputGate>();
  private readonly gateList: InputGate[] = [];
  /** Hosted partition / gate by global channel id (sender side / receiver side). */
  private readonly partitionByChannel = new Map<number, ResultPartition>();
  private readonly gateByChannel = new Map<number, InputGate>();
  /** TaskManager hosting the sender / receiver of each global channel. */
  private readonly senderTm: Int32Array;
  /** Records out of chained edges' partitions, which carry nothing (see `chain`). */
  private readonly chained = new Map<ResultPartition, () => number>();
  private readonly receiverTm: Int32Array;
  private selection: { all?: ChannelSelection; byEdge: Map<string, ChannelSelection> } = { byEdge: new Map() };

  constructor(
    graph: ExecutionGraph,
    private readonly wiring: NetworkWiring,
    readonly taskManager: number,
    readonly taskManagers: number,
    tmOf: (subtask: SubtaskRef) => number,
    private readonly config: NetworkConfig,
  ) {
    const channels = allChannels(graph);
    this.senderTm = new Int32Array(channels.length);
    this.receiverTm = new Int32Array(channels.length);
    channels.forEach((channel, id) => {
      this.senderTm[id] = tmOf(channel.from);
      this.receiverTm[id] = tmOf(channel.to);
    });
    for (const spec of wiring.partitions) {
      if (tmOf(spec.subtask) !== taskManager) continue;
      const partition = new ResultPartition(spec, config);
      this.partitionList.push(partition);
      for (const channel of spec.channels) this.partitionByChannel.set(channel.channelId, partition);
      const key = subtaskKey(spec.subtask);
      const list = this.outputsBySubtask.get(key) ?? [];
      list.push(partition);
      this.outputsBySubtask.set(key, list);
    }
    for (const spec of wiring.gates) {
      if (tmOf(spec.subtask) !== taskManager) continue;
      const gate = new InputGate(spec.subtask, spec.channels, config);
      this.gateList.push(gate);
      for (const channel of spec.channels) this.gateByChannel.set(channel.channelId, gate);
      this.inputBySubtask.set(subtaskKey(spec.subtask), gate);
    }
  }

  /** Output gates of a hosted subtask, one per output edge in file order. */
  outputs(subtask: SubtaskRef): ResultPartition[] {
    return this.outputsBySubtask.get(subtaskKey(subtask)) ?? [];
  }

  /** Input gate of a hosted subtask, or null for a source. */
  input(subtask: SubtaskRef): InputGate | null {
    return this.inputBySubtask.get(subtaskKey(subtask)) ?? null;
  }

  /**
   * Marks a hosted partition as chained (plan/chaining.ts): its records go by direct call,
   * never through it. Its channel stays (channel ids and gauges are stable); its gauge reports
   * `recordsOut()` with no backlog and no credit.
   */
  chain(partition: ResultPartition, recordsOut: () => number): void {
    this.chained.set(partition, recordsOut);
  }

  /** Global channel ids of a hosted subtask's output and input channels. */
  channelsOf(subtask: SubtaskRef): number[] {
    const ids: number[] = [];
    for (const partition of this.outputs(subtask)) for (const channel of partition.spec.channels) ids.push(channel.channelId);
    const gate = this.input(subtask);
    if (gate !== null) for (let c = 0; c < gate.numberOfChannels; c++) ids.push(gate.channelInfo(c).channelId);
    return ids;
  }

  /**
   * Fresh output and input gates for a restarted subtask (see the module comment).
   * @returns its new output gates, in output-edge order.
   */
  reset(subtask: SubtaskRef): ResultPartition[] {
    const key = subtaskKey(subtask);
    const fresh: ResultPartition[] = [];
    for (const old of this.outputs(subtask)) {
      const partition = new ResultPartition(old.spec, this.config);
      const selection = this.selection.byEdge.get(partition.edgeId) ?? this.selection.all;
      if (selection !== undefined) partition.setChannelSelection(selection);
      this.partitionList[this.partitionList.indexOf(old)] = partition;
      for (const channel of old.spec.channels) this.partitionByChannel.set(channel.channelId, partition);
      this.chained.delete(old);
      fresh.push(partition);
    }
    if (fresh.length > 0) this.outputsBySubtask.set(key, fresh);
    const oldGate = this.inputBySubtask.get(key);
    if (oldGate !== undefined) {
      const spec = this.wiring.gates.find((g) => subtaskKey(g.subtask) === key);
      if (spec === undefined) throw new Error(`Subtask ${key} has no input gate spec.`);
      const gate = new InputGate(spec.subtask, spec.channels, this.config);
      this.gateList[this.gateList.indexOf(oldGate)] = gate;
      for (const channel of spec.channels) this.gateByChannel.set(channel.channelId, gate);
      this.inputBySubtask.set(key, gate);
    }
    return fresh;
  }

  /** The ends of global channel `channel` hosted here (channel resets, approximateRecovery.ts). */
  ends(channel: number): ChannelEnds {
    return { partition: this.partitionByChannel.get(channel), gate: this.gateByChannel.get(channel) };
  }

  /** Drops whatever a batch carries on `channels` (data, backlog, credit): it was in flight to or from a restarted end. */
  static dropInFlight(batch: PeerBatch, channels: ReadonlySet<number>): PeerBatch {
    if (channels.size === 0) return batch;
    return {
      ...batch,
      shipments: batch.shipments.filter((s) => !channels.has(s.channel)),
      backlogs: batch.backlogs.filter((b) => !channels.has(b.channel)),
      credits: batch.credits.filter((c) => !channels.has(c.channel)),
    };
  }

  /** Switches the rebalance/rescale gates (all, or one edge's) hosted here. */
  setChannelSelection(selection: ChannelSelection, edgeId?: string): void {
    if (edgeId === undefined) this.selection = { all: selection, byEdge: new Map() };
    else this.selection.byEdge.set(edgeId, selection);
    for (const partition of this.partitionList) {
      if (edgeId === undefined || partition.edgeId === edgeId) partition.setChannelSelection(selection);
    }
  }

  /**
   * The initial credit of every hosted input gate (Flink sends it with the partition
   * request), as batches for the senders' TaskManagers, applied at tick 0.
   */
  initialCredit(): PeerBatch[] {
    const batches = this.emptyBatches(-1);
    this.collectCredit(batches);
    return batches;
  }

  /** Tick end: flush, then one batch per TaskManager (this one included), in TM order. */
  endTick(tick: number): PeerBatch[] {
    const batches = this.emptyBatches(tick);
    for (const partition of this.partitionList) {
      partition.flush();
      for (const shipment of partition.takeShipments()) {
        (batches[this.receiverTm[shipment.channel] as number] as PeerBatch).shipments.push(shipment);
      }
    }
    for (const partition of this.partitionList) {
      for (const announcement of partition.takeBacklogAnnouncements()) {
        (batches[this.receiverTm[announcement.channel] as number] as PeerBatch).backlogs.push(announcement);
      }
    }
    this.collectCredit(batches);
    return batches;
  }

  /**
   * Tick start: applies one batch addressed to this TaskManager. Callers apply batches in
   * sender TM order; credit may ship queued buffers, which leave at this tick's end.
   *
   * @throws Error for a batch addressed elsewhere or naming a channel not hosted here.
   */
  apply(batch: PeerBatch): void {
    if (batch.to !== this.taskManager) throw new Error(`TaskManager ${this.taskManager} got a batch for TaskManager ${batch.to}.`);
    for (const shipment of batch.shipments) this.gateFor(shipment.channel).receive(shipment);
    for (const announcement of batch.backlogs) this.gateFor(announcement.channel).receiveBacklog(announcement);
    for (const announcement of batch.credits) {
      const partition = this.partitionByChannel.get(announcement.channel);
      if (partition === undefined) throw new Error(`Credit for channel ${announcement.channel}, which TaskManager ${this.taskManager} does not send on.`);
      partition.addCredit(announcement);
    }
  }

  /** Gauges of every hosted output channel, in plan order (cumulative records out). */
  channelReports(): ChannelTickReport[] {
    const reports: ChannelTickReport[] = [];
    for (const partition of this.partitionList) {
      const chained = this.chained.get(partition);
      if (chained !== undefined) {
        for (const channel of partition.metrics().channels) reports.push({ channel: channel.channel, recordsOut: chained(), backlog: 0, credit: 0 });
        continue;
      }
      for (const channel of partition.metrics().channels) {
        reports.push({ channel: channel.channel, recordsOut: channel.recordsOut, backlog: channel.backlog, credit: channel.credit });
      }
    }
    return reports;
  }

  private collectCredit(batches: PeerBatch[]): void {
    for (const gate of this.gateList) {
      for (const announcement of gate.takeCreditAnnouncements()) {
        (batches[this.senderTm[announcement.channel] as number] as PeerBatch).credits.push(announcement);
      }
    }
  }

  private emptyBatches(tick: number): PeerBatch[] {
    return Array.from({ length: this.taskManagers }, (_, to): PeerBatch => ({
      from: this.taskManager, to, tick, shipments: [], backlogs: [], credits: [],
    }));
  }

  private gateFor(channel: number): InputGate {
    const gate = this.gateByChannel.get(channel);
    if (gate === undefined) throw new Error(`Channel ${channel} has no input gate on TaskManager ${this.taskManager}.`);
    return gate;
  }
}
