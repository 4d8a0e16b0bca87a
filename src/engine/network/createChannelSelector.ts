/**
 * Builds the channel selector of one sender on one edge from the edge's partitioner
 * (the `StreamPartitioner` choice Flink makes when it builds a `RecordWriter`).
 */
import type { Partitioner } from '../job/types';
import {
  BroadcastSelector, ForwardSelector, GlobalSelector, type BacklogView, type ChannelSelector,
} from './ChannelSelector';
import type { ChannelSelection } from './config';
import { checkPartitioner } from './config';
import { HashSelector, keyGroupChannelTable } from './HashSelector';
import { RoundRobinSelector } from './RoundRobinSelector';

/** What a selector needs to know about its edge and sender. */
export interface ChannelSelectorSpec {
  edgeId: string;
  partitioner: Partitioner;
  /** Hash edges: the key field or expression. */
  key?: string;
  /** Downstream subtask index of each of the sender's channels on this edge, ascending. */
  targets: readonly number[];
  downstreamParallelism: number;
  downstreamMaxParallelism: number;
  /**
   * Rebalance: where round robin starts, drawn from the run's seeded PRNG (Flink draws it at
   * random). Ignored by other partitioners; rescale always starts at channel 0 as Flink does.
   */
  firstChannel?: number;
  /** Initial strategy of rebalance and rescale. */
  channelSelection: ChannelSelection;
  /** The sender's backlogs, for backlog-based selection. */
  backlogs: BacklogView;
  /** A key-group table to share among the edge's senders; built when absent. */
  keyGroupTable?: Int32Array;
}

/**
 * The selector for `spec`.
 *
 * @throws RangeError on a channel count the partitioner cannot use (forward with more than one
 * channel), an unknown partitioner, or a hash edge without a key.
 */
export function createChannelSelector(spec: ChannelSelectorSpec): ChannelSelector {
  const n = spec.targets.length;
  checkPartitioner(spec.partitioner);
  switch (spec.partitioner) {
    case 'forward':
      return new ForwardSelector(n);
    case 'global':
      return new GlobalSelector(n);
    case 'broadcast':
      return new BroadcastSelector(n);
    case 'rebalance':
      return new RoundRobinSelector(n, spec.firstChannel ?? 0, spec.backlogs, spec.channelSelection);
    case 'rescale':
      return new RoundRobinSelector(n, 0, spec.backlogs, spec.channelSelection);
    case 'hash': {
      if (spec.key === undefined) throw new RangeError(`Hash edge '${spec.edgeId}' has no key.`);
      const table = spec.keyGroupTable
        ?? keyGroupChannelTable(spec.downstreamMaxParallelism, spec.downstreamParallelism, spec.targets);
      return new HashSelector(spec.edgeId, spec.key, table, n);
    }
  }
}
