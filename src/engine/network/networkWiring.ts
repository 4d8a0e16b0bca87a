/**
 * Which output gates and input gates a plan needs, and how they connect: a pure function of
 * the ExecutionGraph and the run's PRNG, shared by the in-memory LocalNetwork and by
 * TaskManager hosts (which build only their own subtasks' gates from the same wiring, so both
 * sides agree on every channel id).
 *
 * Channel ids are indices into `allChannels(graph)`: edges in job-file order, then upstream
 * subtask, then downstream subtask. An output gate's channels are therefore ascending by
 * downstream index, and an input gate's channels run edge by edge, then by upstream index.
 */
import { allChannels, subtaskKey, type ExecutionEdge, type ExecutionGraph, type SubtaskRef } from '../plan/executionGraph';
import type { Prng, SubtaskId } from '../runtime/types';
import { keyGroupChannelTable } from './HashSelector';
import type { InputChannelSpec } from './InputChannel';
import type { ResultPartitionSpec } from './ResultPartition';

/** One subtask's input side. */
export interface InputGateSpec {
  subtask: SubtaskId;
  channels: InputChannelSpec[];
}

/** Everything needed to build a plan's network. */
export interface NetworkWiring {
  /** Output gates: edges in file order, then upstream subtask index. */
  partitions: ResultPartitionSpec[];
  /** Input gates of subtasks that have inputs, in the graph's subtask order. */
  gates: InputGateSpec[];
  /** Total number of channels (ids run 0…channelCount-1). */
  channelCount: number;
}

/**
 * Wires `graph`. Rebalance start channels come from `prng.fork('rebalance:<edge>#<index>')`,
 * one draw each, so they depend only on the seed and the plan.
 *
 * @throws Error when an edge names an operator without subtasks (a malformed graph).
 */
export function wireNetwork(graph: ExecutionGraph, prng: Prng): NetworkWiring {
  const parallelism = new Map<string, { parallelism: number; maxParallelism: number }>();
  for (const subtask of graph.subtasks) parallelism.set(subtask.operatorId, subtask);
  const ids = new Map<ExecutionEdge['channels'][number], number>();
  allChannels(graph).forEach((channel, id) => ids.set(channel, id));

  const partitions: ResultPartitionSpec[] = [];
  for (const edge of graph.edges) {
    const downstream = parallelism.get(edge.to);
    const upstream = parallelism.get(edge.from);
    if (downstream === undefined || upstream === undefined) {
      throw new Error(`Edge '${edge.id}' connects an operator without subtasks.`);
    }
    const table = edge.partitioner === 'hash' && edge.pattern === 'all-to-all'
      ? keyGroupChannelTable(downstream.maxParallelism, downstream.parallelism, range(downstream.parallelism))
      : undefined;
    const bySender = range(upstream.parallelism).map((): { channelId: number; target: number }[] => []);
    for (const channel of edge.channels) {
      bySender[channel.from.index]?.push({ channelId: ids.get(channel) as number, target: channel.to.index });
    }
    for (let index = 0; index < upstream.parallelism; index++) {
      const channels = bySender[index] as { channelId: number; target: number }[];
      const spec: ResultPartitionSpec = {
        edgeId: edge.id,
        partitioner: edge.partitioner,
        subtask: { operatorId: edge.from, index },
        channels,
        downstreamParallelism: downstream.parallelism,
        downstreamMaxParallelism: downstream.maxParallelism,
      };
      if (edge.key !== undefined) spec.key = edge.key;
      if (table !== undefined) spec.keyGroupTable = table;
      if (edge.partitioner === 'rebalance') {
        spec.firstChannel = prng.fork(`rebalance:${edge.id}#${index}`).nextInt(channels.length);
      }
      partitions.push(spec);
    }
  }
  return { partitions, gates: wireInputGates(graph, ids), channelCount: ids.size };
}

/** Partitions of one subtask, in edge order (a TaskManager builds these for its subtasks). */
export function partitionsOf(wiring: NetworkWiring, subtask: SubtaskRef): ResultPartitionSpec[] {
  const key = subtaskKey(subtask);
  return wiring.partitions.filter((spec) => subtaskKey(spec.subtask) === key);
}

/** The input gate of one subtask, or undefined for a source. */
export function gateOf(wiring: NetworkWiring, subtask: SubtaskRef): InputGateSpec | undefined {
  const key = subtaskKey(subtask);
  return wiring.gates.find((spec) => subtaskKey(spec.subtask) === key);
}

function wireInputGates(graph: ExecutionGraph, ids: Map<ExecutionEdge['channels'][number], number>): InputGateSpec[] {
  // Channels by receiving subtask, appended in channel-id order (edge, then upstream index).
  const byReceiver = new Map<string, InputChannelSpec[]>();
  const inputCount = new Map<string, number>();
  for (const edge of graph.edges) {
    const inputIndex = inputCount.get(edge.to) ?? 0;
    inputCount.set(edge.to, inputIndex + 1);
    for (const channel of edge.channels) {
      const key = subtaskKey(channel.to);
      const list = byReceiver.get(key) ?? [];
      list.push({ channelId: ids.get(channel) as number, edgeId: edge.id, inputIndex, source: channel.from.index });
      byReceiver.set(key, list);
    }
  }
  const gates: InputGateSpec[] = [];
  for (const subtask of graph.subtasks) {
    const channels = byReceiver.get(subtaskKey(subtask));
    if (channels !== undefined) gates.push({ subtask: { operatorId: subtask.operatorId, index: subtask.index }, channels });
  }
  return gates;
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
