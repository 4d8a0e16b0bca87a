/**
 * The network as a scheduler will drive it, through the module's public face only: two
 * sources with event time → hash → two counters → global → one sink, with watermarks
 * combined per subtask, idle sources, end-of-partition, and time accounting.
 */
import { describe, expect, it } from 'vitest';
import type { JobGraph } from '../job/types';
import { buildExecutionGraph, subtaskKey } from '../plan/executionGraph';
import type { StreamEvent, StreamRecord } from '../runtime/types';
import { LocalNetwork, TaskTimeAccount, WatermarkTracker, type InputGate, type ResultPartition } from './index';
import { TestPrng } from './testing';

const JOB: JobGraph = {
  sluice: 'job/1',
  name: 'pipeline',
  operators: [
    { id: 'src', kind: 'datagen', name: 'Source', parallelism: 2 },
    { id: 'count', kind: 'aggregate', name: 'Count', parallelism: 2 },
    { id: 'out', kind: 'collect', name: 'Out', parallelism: 1 },
  ],
  edges: [
    { from: 'src', to: 'count', partitioner: 'hash', key: 'key' },
    { from: 'count', to: 'out', partitioner: 'global' },
  ],
};

const TICK_MS = 10;
const COST_MS = 0.5;

describe('a pipeline driven through the network API', () => {
  it('moves every record, combines watermarks, ends cleanly', () => {
    const graph = buildExecutionGraph(JOB);
    const net = new LocalNetwork(graph, { prng: new TestPrng(3), config: { bufferCapacity: 4 } });
    const trackers = new Map(net.gates.map((gate) => [subtaskKey(gate.subtask), new WatermarkTracker(gate.numberOfChannels)]));
    const time = new Map(graph.subtasks.map((s) => [subtaskKey(s), new TaskTimeAccount(100)]));
    const sinkRecords: StreamRecord[] = [];
    const sinkWatermarks: number[] = [];
    const counts = new Map<string, number>();
    const ended = new Set<string>();

    for (let tick = 0; tick < 60; tick++) {
      const now = tick * TICK_MS;
      for (const subtask of graph.subtasks) {
        const key = subtaskKey(subtask);
        const outputs = net.outputs(subtask);
        const input = net.input(subtask);
        if (input === null) {
          // Source 1 emits until 200 ms, source 0 until 300 ms, then each ends.
          const stopAt = subtask.index === 0 ? 300 : 200;
          if (ended.has(key)) {
            time.get(key)!.recordTick(TICK_MS, 0, 'idle');
          } else if (now >= stopAt) {
            for (const out of outputs) out.emitEvent({ type: 'end-of-partition' });
            ended.add(key);
            time.get(key)!.recordTick(TICK_MS, 0, 'idle');
          } else {
            for (let i = 0; i < 3; i++) for (const out of outputs) out.emitRecord({ key: `k${(tick + i) % 5}` }, now + i);
            for (const out of outputs) out.emitEvent({ type: 'watermark', timestamp: now });
            time.get(key)!.recordTick(TICK_MS, 3 * COST_MS, 'idle');
          }
          continue;
        }
        const busy = runTask(input, outputs, trackers.get(key)!, (record) => {
          if (outputs.length === 0) sinkRecords.push(record);
          else {
            const k = String(record.key);
            counts.set(k, (counts.get(k) ?? 0) + 1);
            for (const out of outputs) out.emitRecord({ key: k, count: counts.get(k)! }, null);
          }
        }, (event) => {
          if (outputs.length === 0 && event.type === 'watermark') sinkWatermarks.push(event.timestamp);
          for (const out of outputs) out.emitEvent(event);
        });
        time.get(key)!.recordTick(TICK_MS, busy, net.isBackpressured(subtask) ? 'backpressured' : 'idle');
        if (input.isFinished() && !ended.has(key)) {
          for (const out of outputs) out.emitEvent({ type: 'end-of-partition' });
          ended.add(key);
        }
      }
      net.endTick();
    }

    expect(sinkRecords).toHaveLength(20 * 3 + 30 * 3);
    expect(net.gates.every((gate) => gate.isFinished())).toBe(true);
    // Monotonic, held back by the slower source until it ended, then +Infinity.
    expect([...sinkWatermarks].sort((a, b) => a - b)).toEqual(sinkWatermarks);
    expect(sinkWatermarks.at(-1)).toBe(Number.POSITIVE_INFINITY);
    expect(sinkWatermarks).toContain(190);
    const sourceTime = time.get('src#0')!.snapshot();
    expect(sourceTime.totalBusyMs).toBe(30 * 3 * COST_MS);
    expect(sourceTime.busyTimeMsPerSecond + sourceTime.idleTimeMsPerSecond + sourceTime.backPressuredTimeMsPerSecond).toBeCloseTo(1000);
  });
});

/** One subtask's tick: read everything, route events through the watermark tracker. */
function runTask(
  input: InputGate,
  outputs: readonly ResultPartition[],
  tracker: WatermarkTracker,
  onRecord: (record: StreamRecord) => void,
  forward: (event: StreamEvent) => void,
): number {
  let busy = 0;
  while (!outputs.some((out) => out.isBackpressured()) && busy + COST_MS <= TICK_MS) {
    const item = input.poll(Math.floor((TICK_MS - busy) / COST_MS));
    if (item === null) break;
    if (item.kind === 'records') {
      tracker.onActivity(item.channel);
      for (let i = item.start; i < item.end; i++) onRecord(item.records[i]!);
      busy += (item.end - item.start) * COST_MS;
      continue;
    }
    const event = item.event;
    let out: readonly StreamEvent[] = [];
    if (event.type === 'watermark') out = tracker.onWatermark(item.channel, event.timestamp);
    else if (event.type === 'idle') out = tracker.onIdle(item.channel);
    else if (event.type === 'end-of-partition') out = tracker.onEndOfPartition(item.channel);
    for (const e of out) forward(e);
  }
  return busy;
}
