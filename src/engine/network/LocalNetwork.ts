/**
 * The whole data plane of a plan in one process: every output gate and input gate, with
 * buffers and credit moved in memory. For tests, the deterministic simulation suite and the
 * single-threaded Node host; a Web Worker transport follows the same tick-end protocol
 * between TaskManagers.
 *
 * Tick-end protocol (`endTick`, DESIGN.md §3 "buffers sent during tick t are delivered at
 * tick t+1"):
 * 1. Every output gate flushes its partly filled buffers (they ship if they have credit).
 * 2. Every buffer shipped during the tick is delivered to its input channel, then every
 *    backlog announcement. Receivers see them from tick t+1.
 * 3. Every input gate hands out floating buffers and announces credit; senders apply it and
 *    ship queued buffers it allows. Those shipments are delivered at the end of tick t+1:
 *    credit, like data, takes a tick to travel, so a buffer read at tick t frees room for
 *    data the receiver sees at t+2. Two exclusive buffers per channel (Flink's default) keep
 *    one buffer in flight while one is read.
 * Everything iterates arrays in plan order, so the outcome never depends on timing.
 *
 * Before tick 0 the gates announce their exclusive buffers (Flink's initial credit, sent with
 * the partition request), so senders can ship from the first tick.
 */
import { subtaskKey, type ExecutionGraph, type SubtaskRef } from '../plan/executionGraph';
import type { Prng } from '../runtime/types';
import type { ChannelSelection, NetworkConfig } from './config';
import { checkChannelSelection, resolveNetworkConfig } from './config';
import { InputGate } from './InputGate';
import type { BacklogAnnouncement, CreditAnnouncement } from './messages';
import type { NetworkMetricsSnapshot } from './metrics';
import { wireNetwork } from './networkWiring';
import { ResultPartition } from './ResultPartition';

/** How to build a LocalNetwork. */
export interface LocalNetworkOptions {
  /** The run's seeded PRNG (rebalance start channels). */
  prng: Prng;
  /** Overrides of DEFAULT_NETWORK_CONFIG. */
  config?: Partial<NetworkConfig>;
}

/** What one `endTick` moved. */
export interface EndTickReport {
  /** Buffers handed to input channels (visible from the next tick). */
  buffersDelivered: number;
  /** Records inside those buffers. */
  recordsDelivered: number;
  backlogAnnouncements: BacklogAnnouncement[];
  creditAnnouncements: CreditAnnouncement[];
}

/** Every gate of a plan, wired in memory; `endTick()` runs the tick-end protocol above. */
export class LocalNetwork {
  readonly config: NetworkConfig;
  /** Output gates in plan order (edges in file order, then upstream index). */
  readonly partitions: readonly ResultPartition[];
  /** Input gates in the graph's subtask order. */
  readonly gates: readonly InputGate[];
  private readonly partitionByChannel: ResultPartition[];
  private readonly gateByChannel: InputGate[];
  private readonly outputsBySubtask = new Map<string, ResultPartition[]>();
  private readonly inputBySubtask = new Map<string, InputGate>();
  private ticks = 0;

  /** @throws RangeError on a bad config; Error on a malformed graph. */
  constructor(graph: ExecutionGraph, options: LocalNetworkOptions) {
    this.config = resolveNetworkConfig(options.config);
    const wiring = wireNetwork(graph, options.prng);
    this.partitionByChannel = new Array<ResultPartition>(wiring.channelCount);
    this.gateByChannel = new Array<InputGate>(wiring.channelCount);
    this.partitions = wiring.partitions.map((spec) => {
      const partition = new ResultPartition(spec, this.config);
      for (const channel of spec.channels) this.partitionByChannel[channel.channelId] = partition;
      const key = subtaskKey(spec.subtask);
      const list = this.outputsBySubtask.get(key) ?? [];
      list.push(partition);
      this.outputsBySubtask.set(key, list);
      return partition;
    });
    this.gates = wiring.gates.map((spec) => {
      const gate = new InputGate(spec.subtask, spec.channels, this.config);
      for (const channel of spec.channels) this.gateByChannel[channel.channelId] = gate;
      this.inputBySubtask.set(subtaskKey(spec.subtask), gate);
      return gate;
    });
    this.exchangeCredit();
  }

  /** Ticks ended so far. */
  get tickCount(): number {
    return this.ticks;
  }

  /** The output gates of a subtask, one per output edge in file order (empty for a sink). */
  outputs(subtask: SubtaskRef): readonly ResultPartition[] {
    return this.outputsBySubtask.get(subtaskKey(subtask)) ?? [];
  }

  /** The input gate of a subtask, or null for a source. */
  input(subtask: SubtaskRef): InputGate | null {
    return this.inputBySubtask.get(subtaskKey(subtask)) ?? null;
  }

  /** True when any output gate of the subtask is back-pressured. */
  isBackpressured(subtask: SubtaskRef): boolean {
    return this.outputs(subtask).some((partition) => partition.isBackpressured());
  }

  /** Switches rebalance and rescale edges (all, or the one named) to `selection`. */
  setChannelSelection(selection: ChannelSelection, edgeId?: string): void {
    checkChannelSelection(selection);
    for (const partition of this.partitions) {
      if (edgeId === undefined || partition.edgeId === edgeId) partition.setChannelSelection(selection);
    }
  }

  /** Ends the tick: flush, deliver, announce credit (see the module comment). */
  endTick(): EndTickReport {
    for (const partition of this.partitions) partition.flush();
    let buffersDelivered = 0;
    let recordsDelivered = 0;
    for (const partition of this.partitions) {
      for (const shipment of partition.takeShipments()) {
        this.gateFor(shipment.channel).receive(shipment);
        buffersDelivered++;
        recordsDelivered += shipment.buffer.records.length;
      }
    }
    const backlogAnnouncements: BacklogAnnouncement[] = [];
    for (const partition of this.partitions) {
      for (const announcement of partition.takeBacklogAnnouncements()) {
        this.gateFor(announcement.channel).receiveBacklog(announcement);
        backlogAnnouncements.push(announcement);
      }
    }
    const creditAnnouncements = this.exchangeCredit();
    this.ticks++;
    return { buffersDelivered, recordsDelivered, backlogAnnouncements, creditAnnouncements };
  }

  /** Plain-data metrics of every gate, in plan order. */
  metrics(): NetworkMetricsSnapshot {
    return {
      outputs: this.partitions.map((partition) => partition.metrics()),
      inputs: this.gates.map((gate) => gate.metrics()),
    };
  }

  private exchangeCredit(): CreditAnnouncement[] {
    const announcements: CreditAnnouncement[] = [];
    for (const gate of this.gates) {
      for (const announcement of gate.takeCreditAnnouncements()) {
        (this.partitionByChannel[announcement.channel] as ResultPartition).addCredit(announcement);
        announcements.push(announcement);
      }
    }
    return announcements;
  }

  private gateFor(channel: number): InputGate {
    const gate = this.gateByChannel[channel];
    if (gate === undefined) throw new Error(`No input gate owns channel ${channel}.`);
    return gate;
  }
}
