/**
 * A throughput smoke test and an end-to-end oracle for sources, keyed routing, operators and
 * the memory backend together, without the network: datagen (4 partitions, 2 subtasks) →
 * hash by key → aggregate(count) at parallelism 4 → collect. It prints records per wall second
 * (no timing assertions: DESIGN.md §9), and checks two oracles (STYLE.md habit 10): the same
 * seed gives the same output, and the final count per key equals a from-scratch recount.
 */
import { describe, expect, it } from 'vitest';
import { keyGroupForKey, operatorIndexForKeyGroup } from '../keygroups/keyGroups';
import { createMemoryStateStorage } from '../state/memory/MemoryStateStorage';
import { ManualClock } from '../state/testing/manualClock';
import { createOperator } from '../operators/createOperator';
import { createOperatorContext } from '../operators/operatorContext';
import { OperatorRunner } from '../operators/OperatorRunner';
import { OutputCollector } from '../operators/OutputCollector';
import type { StreamRecord, TimedRecord } from '../runtime/types';
import { createSource } from './createSource';

const MAX_P = 128;
const P = 4;

function wallMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

function runPipeline(seed: number, virtualMs: number) {
  const clock = new ManualClock();
  const storage = createMemoryStateStorage();
  const spec = { id: 'gen', kind: 'datagen' as const, config: { keys: 100_000, partitions: 4, ratePerSecond: 250_000 } };
  const sources = [0, 1].map((subtaskIndex) => createSource(spec, { seed, parallelism: 2, subtaskIndex }));
  const counters = { recordsIn: 0, recordsOut: 0, lateRecordsDropped: 0 };
  const sourceOut = new OutputCollector(counters);
  const runners = Array.from({ length: P }, (_, index) => {
    const ctx = createOperatorContext({
      subtask: { operatorId: 'count', index }, kind: 'aggregate', operatorName: 'Count', parallelism: P, maxParallelism: MAX_P, clock,
      stateBackend: storage.openKeyedBackend({ operatorId: 'count', maxParallelism: MAX_P, keyGroupRange: { start: (index * MAX_P) / P, end: ((index + 1) * MAX_P) / P - 1 } }),
      inputKeys: ['key'],
    });
    const runner = new OperatorRunner(createOperator({ kind: 'aggregate', config: { fn: 'count' } }), ctx);
    runner.open();
    return runner;
  });
  const last = new Map<string, number>();
  let records = 0;
  const started = wallMs();
  for (let t = 10; t <= virtualMs; t += 10) {
    clock.set(t);
    for (const source of sources) source.poll(t, sourceOut);
    const { records: out, timestamps } = sourceOut.drain();
    const batches: TimedRecord[][] = Array.from({ length: P }, () => []);
    for (let i = 0; i < out.length; i++) {
      const record = out[i] as StreamRecord;
      const target = operatorIndexForKeyGroup(MAX_P, P, keyGroupForKey(record.key as string, MAX_P));
      (batches[target] as TimedRecord[]).push({ record, timestamp: timestamps[i] ?? null });
    }
    runners.forEach((runner, index) => {
      runner.processBatch(batches[index] as TimedRecord[], 0);
      for (const r of runner.ctx.output.drain().records) last.set(r.key as string, r.value as number);
    });
    records += out.length;
  }
  const elapsed = wallMs() - started;
  return { last, records, elapsed, sources };
}

describe('pipeline smoke: datagen → hash → aggregate(count), memory backend', () => {
  it('is deterministic, matches a recount, and prints its throughput', () => {
    const first = runPipeline(42, 1000);
    const second = runPipeline(42, 1000);
    expect(second.last).toEqual(first.last);

    // Oracle: regenerate the same records from fresh sources and count from scratch.
    const recount = new Map<string, number>();
    for (const subtaskIndex of [0, 1]) {
      const source = createSource({ id: 'gen', kind: 'datagen', config: { keys: 100_000, partitions: 4, ratePerSecond: 250_000 } }, { seed: 42, parallelism: 2, subtaskIndex });
      source.poll(1000, { emit: (record) => recount.set(record.key as string, (recount.get(record.key as string) ?? 0) + 1) });
    }
    expect(first.last).toEqual(recount);
    expect(first.records).toBe(1_000_000);

    const rate = (first.records / first.elapsed) * 1000;
    console.log(`pipeline smoke: ${first.records.toLocaleString('en')} records in ${first.elapsed.toFixed(0)} ms wall = ${(rate / 1e6).toFixed(2)} M records/s (datagen + key routing + count, one thread)`);
  }, 30_000);

  it('memory backend raw put/get rate (printed)', () => {
    const backend = createMemoryStateStorage().openKeyedBackend({ operatorId: 'raw', maxParallelism: MAX_P, keyGroupRange: { start: 0, end: MAX_P - 1 } });
    const keys = Array.from({ length: 100_000 }, (_, i) => `skey-${i}`);
    const groups = keys.map((k) => keyGroupForKey(k, MAX_P));
    const n = 2_000_000;
    const started = wallMs();
    for (let i = 0; i < n; i++) {
      const j = (i * 7919) % keys.length;
      const kg = groups[j] as number;
      const key = keys[j] as string;
      backend.put(kg, 'v', key, ((backend.get(kg, 'v', key) as number | undefined) ?? 0) + 1);
    }
    const elapsed = wallMs() - started;
    expect(backend.metrics().totalEntries).toBe(100_000);
    console.log(`memory backend: ${(n / elapsed / 1e3).toFixed(2)} M get+put increments/s over 100k keys`);
  });
});
