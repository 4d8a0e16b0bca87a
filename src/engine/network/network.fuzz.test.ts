/**
 * Randomised end-to-end check of the network: random small plans, random configs, random
 * emission and consumption budgets, random strategy flips, then end-of-partition everywhere.
 *
 * Oracle: nothing is lost or duplicated (records written into channels = records read),
 * each channel is FIFO (per sender, sequence numbers only increase), hash edges deliver every
 * key to Flink's subtask, the run terminates (no credit deadlock), and the same seed replays
 * to the identical metrics. Replay one seed: FUZZ_SEED=<n> npx vitest run src/engine/network/network.fuzz.test.ts
 */
import { describe, expect, it } from 'vitest';
import type { EdgeSpec, JobGraph, OperatorSpec, Partitioner } from '../job/types';
import { keyGroupForKey, operatorIndexForKeyGroup } from '../keygroups/keyGroups';
import { buildExecutionGraph, type ExecutionGraph } from '../plan/executionGraph';
import type { Prng } from '../runtime/types';
import type { NetworkConfig } from './config';
import { LocalNetwork } from './LocalNetwork';
import type { NetworkMetricsSnapshot } from './metrics';
import { TestPrng } from './testing';

const ACTIVE_TICKS = 40;
const MAX_TICKS = 5000;

interface Outcome {
  metrics: NetworkMetricsSnapshot;
  ticks: number;
  received: number;
}

function randomPlan(random: Prng): JobGraph {
  const p = [1 + random.nextInt(4), 1 + random.nextInt(4), 1 + random.nextInt(3)];
  const operators: OperatorSpec[] = ['a', 'b', 'c'].map((id, i) => ({ id, kind: 'map', name: id, parallelism: p[i] as number }));
  const pick = (from: number, to: number): Partitioner => {
    const options: Partitioner[] = ['hash', 'rebalance', 'rescale', 'broadcast', 'global'];
    if (p[from] === p[to]) options.push('forward');
    return options[random.nextInt(options.length)] as Partitioner;
  };
  const edge = (from: number, to: number): EdgeSpec => {
    const partitioner = pick(from, to);
    const spec: EdgeSpec = { from: operators[from]!.id, to: operators[to]!.id, partitioner };
    if (partitioner === 'hash') spec.key = 'k';
    return spec;
  };
  const edges = [edge(0, 1), edge(1, 2)];
  if (random.next() < 0.4) edges.push(edge(0, 2));
  return { sluice: 'job/1', name: 'fuzz', operators, edges };
}

function randomConfig(random: Prng): Partial<NetworkConfig> {
  const exclusive = random.nextInt(4);
  return {
    bufferCapacity: 1 + random.nextInt(8),
    exclusiveBuffersPerChannel: exclusive,
    floatingBuffersPerGate: (exclusive === 0 ? 1 : 0) + random.nextInt(5),
    maxBacklogBuffersPerChannel: 1 + random.nextInt(4),
    channelSelection: random.next() < 0.5 ? 'round-robin' : 'backlog',
  };
}

/** Runs one seed and checks the per-record oracle as it goes; returns what to compare on replay. */
function run(seed: number): Outcome {
  const random = new TestPrng(seed);
  const graph: ExecutionGraph = buildExecutionGraph(randomPlan(random));
  const net = new LocalNetwork(graph, { prng: new TestPrng(seed + 1), config: randomConfig(random) });
  const sequence = new Map<string, number>();
  const lastSeen = new Map<string, number>();
  const ended = new Set<string>();
  let received = 0;
  const context = `seed ${seed}`;

  const emit = (subtask: { operatorId: string; index: number }, k: number): void => {
    const src = `${subtask.operatorId}#${subtask.index}`;
    const seq = (sequence.get(src) ?? 0) + 1;
    sequence.set(src, seq);
    for (const out of net.outputs(subtask)) out.emitRecord({ src, seq, k }, null);
  };

  let tick = 0;
  for (; tick < MAX_TICKS; tick++) {
    if (random.next() < 0.05) net.setChannelSelection(random.next() < 0.5 ? 'backlog' : 'round-robin');
    for (const subtask of graph.subtasks) {
      const key = `${subtask.operatorId}#${subtask.index}`;
      const input = net.input(subtask);
      if (input === null) {
        if (ended.has(key)) continue;
        if (tick >= ACTIVE_TICKS) {
          for (const out of net.outputs(subtask)) out.emitEvent({ type: 'end-of-partition' });
          ended.add(key);
          continue;
        }
        const count = random.nextInt(12);
        for (let i = 0; i < count && !net.isBackpressured(subtask); i++) emit(subtask, random.nextInt(50));
        continue;
      }
      let budget = 1 + random.nextInt(10);
      while (budget > 0 && !net.isBackpressured(subtask)) {
        const item = input.poll(budget);
        if (item === null) break;
        const info = input.channelInfo(item.channel);
        if (item.kind === 'event') {
          if (input.isFinished() && !ended.has(key)) {
            for (const out of net.outputs(subtask)) out.emitEvent({ type: 'end-of-partition' });
            ended.add(key);
          }
          continue;
        }
        budget -= item.end - item.start;
        for (let i = item.start; i < item.end; i++) {
          const record = item.records[i]!;
          received++;
          const channelKey = `${info.channelId}/${String(record.src)}`;
          expect(record.seq as number, `${context}: FIFO on ${channelKey}`).toBeGreaterThan(lastSeen.get(channelKey) ?? 0);
          lastSeen.set(channelKey, record.seq as number);
          const edge = graph.edges.find((e) => e.id === info.edgeId)!;
          if (edge.partitioner === 'hash') {
            const maxP = subtask.maxParallelism;
            expect(subtask.index, `${context}: key owner`).toBe(
              operatorIndexForKeyGroup(maxP, subtask.parallelism, keyGroupForKey(record.k as number, maxP)),
            );
          }
          if (edge.partitioner === 'global') expect(subtask.index).toBe(0);
          emit(subtask, record.k as number);
        }
      }
    }
    net.endTick();
    checkCreditInvariants(net, context);
    if (net.gates.every((gate) => gate.isFinished())) break;
  }
  expect(tick, `${context}: the run must finish (no credit deadlock)`).toBeLessThan(MAX_TICKS);
  const metrics = net.metrics();
  const written = metrics.outputs.reduce((sum, out) => sum + out.recordsOut, 0);
  expect(received, `${context}: records read = records written`).toBe(written);
  expect(metrics.inputs.reduce((sum, gate) => sum + gate.recordsIn, 0)).toBe(written);
  for (const out of metrics.outputs) expect(out.backlog, context).toBe(0);
  return { metrics, ticks: tick, received };
}

/**
 * After a tick end: a sender never holds more credit than its receiver has free buffers
 * promised, and every gate's floating buffers are either in its pool or held by a channel.
 */
function checkCreditInvariants(net: LocalNetwork, context: string): void {
  const metrics = net.metrics();
  const promised = new Map<number, number>();
  for (const gate of metrics.inputs) {
    const held = gate.channels.reduce((sum, channel) => sum + channel.floatingBuffers, 0);
    expect(held + gate.floatingAvailable, `${context}: floating buffers conserved`).toBe(net.config.floatingBuffersPerGate);
    for (const channel of gate.channels) promised.set(channel.channel, channel.finished ? Infinity : channel.creditGiven);
  }
  for (const out of metrics.outputs) {
    for (const channel of out.channels) {
      expect(channel.credit, `${context}: credit on channel ${channel.channel}`).toBeLessThanOrEqual(promised.get(channel.channel) as number);
    }
  }
}

describe('LocalNetwork under random plans and loads', () => {
  const only = process.env.FUZZ_SEED;
  const seeds = only === undefined ? Array.from({ length: 120 }, (_, i) => i + 1) : [Number(only)];

  it('loses nothing, keeps channel order, routes keys like Flink, always finishes', () => {
    let total = 0;
    for (const seed of seeds) total += run(seed).received;
    expect(total).toBeGreaterThan(0);
  });

  it('replays identically from the same seed', () => {
    for (const seed of seeds.slice(0, 20)) {
      expect(run(seed)).toEqual(run(seed));
    }
  });
});
