/**
 * Network settings (DESIGN.md §4) and their defaults.
 *
 * The defaults mirror Flink's network stack where Flink has a knob, so the seed articles'
 * intuitions carry over:
 * - `exclusiveBuffersPerChannel` = 2 is Flink's `taskmanager.network.memory.buffers-per-channel`:
 *   one buffer being processed while the next is in flight hides one credit round trip.
 * - `floatingBuffersPerGate` = 8 is Flink's `taskmanager.network.memory.floating-buffers-per-gate`:
 *   a shared reserve handed to the channels that report a backlog.
 * - `maxBacklogBuffersPerChannel` = 10 is Flink's `taskmanager.network.memory.max-buffers-per-channel`:
 *   once one subpartition holds this many unsent buffers the task is unavailable for output
 *   (back-pressured), so a skewed channel cannot swallow the whole output pool.
 * - `bufferCapacity` = 256 elements stands in for Flink's 32 KiB memory segment (a few hundred
 *   small records). It is also near the batch size that makes worker messaging cheap
 *   (reference/browser-limits.md: 1,000 records per message move 14× more than one), and a
 *   transport ships all of a tick's buffers for one TaskManager pair in one message anyway.
 */
import { PARTITIONERS, type Partitioner } from '../job/types';

/**
 * How rebalance and rescale edges pick a channel (RunConfig `channelSelection`):
 * `round-robin` per record as Flink does, or `backlog`: per buffer, the channel with the
 * smallest backlog (seed 2, Bilibili's load-based channel selection).
 */
export type ChannelSelection = 'round-robin' | 'backlog';

/** The values of {@link ChannelSelection}, for validation and UI pickers. */
export const CHANNEL_SELECTIONS: readonly ChannelSelection[] = ['round-robin', 'backlog'];

/** Sizes and policies of the network; every field has a default in {@link DEFAULT_NETWORK_CONFIG}. */
export interface NetworkConfig {
  /** Elements (records and in-band events) one buffer holds before it is finished. */
  bufferCapacity: number;
  /** Input buffers each input channel owns for good (its initial credit). */
  exclusiveBuffersPerChannel: number;
  /** Input buffers each input gate shares among its channels that report a backlog. */
  floatingBuffersPerGate: number;
  /** Unsent buffers one output channel may hold before its task counts as back-pressured. */
  maxBacklogBuffersPerChannel: number;
  /** Channel selection of rebalance and rescale edges at start; switchable while running. */
  channelSelection: ChannelSelection;
}

/** The defaults; see the module comment for why each value. */
export const DEFAULT_NETWORK_CONFIG: Readonly<NetworkConfig> = Object.freeze({
  bufferCapacity: 256,
  exclusiveBuffersPerChannel: 2,
  floatingBuffersPerGate: 8,
  maxBacklogBuffersPerChannel: 10,
  channelSelection: 'round-robin',
});

/** Largest accepted buffer capacity; larger buffers only add latency and memory. */
export const MAX_BUFFER_CAPACITY = 65_536;

/**
 * The defaults overlaid with `overrides`, checked.
 *
 * @throws RangeError naming the field when a value is out of range, or when a channel could
 * never receive anything (no exclusive and no floating buffers).
 */
export function resolveNetworkConfig(overrides: Partial<NetworkConfig> = {}): NetworkConfig {
  const config: NetworkConfig = { ...DEFAULT_NETWORK_CONFIG, ...overrides };
  checkInteger('bufferCapacity', config.bufferCapacity, 1, MAX_BUFFER_CAPACITY);
  checkInteger('exclusiveBuffersPerChannel', config.exclusiveBuffersPerChannel, 0, 1024);
  checkInteger('floatingBuffersPerGate', config.floatingBuffersPerGate, 0, 65_536);
  checkInteger('maxBacklogBuffersPerChannel', config.maxBacklogBuffersPerChannel, 1, 1_000_000);
  if (config.exclusiveBuffersPerChannel + config.floatingBuffersPerGate < 1) {
    throw new RangeError(
      'Network config: exclusiveBuffersPerChannel and floatingBuffersPerGate are both 0, so no input ' +
        'channel could ever receive a buffer. Give channels at least one exclusive or floating buffer.',
    );
  }
  checkChannelSelection(config.channelSelection);
  return config;
}

/** @throws RangeError unless `value` is `round-robin` or `backlog`. */
export function checkChannelSelection(value: unknown): asserts value is ChannelSelection {
  if (!CHANNEL_SELECTIONS.includes(value as ChannelSelection)) {
    throw new RangeError(`Channel selection '${String(value)}' is unknown: use 'round-robin' or 'backlog'.`);
  }
}

/** Partitioners whose channel choice the {@link ChannelSelection} setting governs. */
export function isLoadBalancing(partitioner: Partitioner): boolean {
  return partitioner === 'rebalance' || partitioner === 'rescale';
}

/** @throws RangeError unless `value` names one of the six partitioners. */
export function checkPartitioner(value: unknown): asserts value is Partitioner {
  if (!PARTITIONERS.includes(value as Partitioner)) {
    throw new RangeError(`Partitioner '${String(value)}' is unknown: use one of ${PARTITIONERS.join(', ')}.`);
  }
}

function checkInteger(field: keyof NetworkConfig, value: unknown, min: number, max: number): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`Network config: ${field} ${String(value)} must be an integer in [${min}, ${max}].`);
  }
}
