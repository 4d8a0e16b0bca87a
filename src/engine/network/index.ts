/**
 * The network (DESIGN.md §4): buffers, channel selection, credit-based flow control,
 * backlog, watermark combination and task time accounting.
 *
 * How a scheduler drives one subtask during tick t (see LocalNetwork for the tick end):
 * 1. Read: `gate.poll(maxRecords)` until it returns null, the budget is spent, or
 *    `isBackpressured()` says the output is full. Feed watermark, idle and end-of-partition
 *    events, and records (`onActivity`), to the subtask's WatermarkTracker; feed barriers and
 *    end-of-partition to its BarrierAligner, which blocks channels until a checkpoint's
 *    barrier arrived on all of them (then snapshot, then emit the barrier).
 * 2. Write: `partition.emitRecord(record, timestamp)` per output edge; `emitEvent` for
 *    watermarks, idle, barriers and end-of-partition.
 * 3. Account: `TaskTimeAccount.recordTick(tickMs, busyMs, 'idle' | 'backpressured')`.
 * Then the transport ends the tick: flush, deliver, announce credit.
 */
export {
  CHANNEL_SELECTIONS, DEFAULT_NETWORK_CONFIG, MAX_BUFFER_CAPACITY,
  checkChannelSelection, isLoadBalancing, resolveNetworkConfig,
  type ChannelSelection, type NetworkConfig,
} from './config';
export {
  appendEvent, appendRecord, assertWellFormedBuffer, bufferElements, bufferOf, bufferSize, emptyBuffer,
  type NetworkBuffer,
} from './NetworkBuffer';
export type { BacklogAnnouncement, BufferShipment, CreditAnnouncement } from './messages';
export {
  BroadcastSelector, ForwardSelector, GlobalSelector,
  type BacklogView, type ChannelSelector,
} from './ChannelSelector';
export { RoundRobinSelector } from './RoundRobinSelector';
export {
  HashSelector, PartitionKeyError, keyExtractor, keyGroupChannelTable, keyHash, type KeyExtractor,
} from './HashSelector';
export { createChannelSelector, type ChannelSelectorSpec } from './createChannelSelector';
export { CreditAccount } from './CreditAccount';
export { ResultPartition, type ResultPartitionSpec } from './ResultPartition';
export { InputGate, timedRecordsOf, type EventItem, type InputItem, type RecordsItem } from './InputGate';
export type { InputChannelSpec } from './InputChannel';
export { WatermarkTracker } from './WatermarkTracker';
export { BarrierAligner, type AlignableGate, type AlignmentEvent, type AlignmentMetrics } from './BarrierAligner';
export { TaskTimeAccount, type StopReason, type TaskTimeMetrics } from './TaskTimeAccount';
export { gateOf, partitionsOf, wireNetwork, type InputGateSpec, type NetworkWiring } from './networkWiring';
export { LocalNetwork, type EndTickReport, type LocalNetworkOptions } from './LocalNetwork';
export type {
  InputChannelMetrics, InputGateMetrics, NetworkMetricsSnapshot, OutputChannelMetrics, ResultPartitionMetrics,
} from './metrics';
