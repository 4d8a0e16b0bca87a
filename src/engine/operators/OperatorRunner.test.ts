import { describe, expect, it } from 'vitest';
import { OPERATOR_KINDS } from '../job/catalogue';
import { keyGroupForKey, operatorIndexForKeyGroup } from '../keygroups/keyGroups';
import { createMemoryStateStorage } from '../state/memory/MemoryStateStorage';
import { ManualClock } from '../state/testing/manualClock';
import type { TimedRecord } from '../runtime/types';
import { OPERATOR_COSTS, virtualCostUs } from './costModel';
import { createOperator, isOperatorWithInput } from './createOperator';
import { createOperatorContext } from './operatorContext';
import type { SubtaskStateSnapshot } from './OperatorRunner';
import { at, harness } from './testing/operatorHarness';

const keys = Array.from({ length: 40 }, (_, i) => `key-${i}`);
const sorted = (out: readonly TimedRecord[]) => out.map((r) => JSON.stringify(r)).sort();

describe('OperatorRunner', () => {
  it('enforces the lifecycle: no records before open or after close', () => {
    const h = harness('map');
    h.runner.close();
    expect(() => h.push([at(1, { value: 1 })])).toThrow(/while it is closed/);
    const fresh = harness('map');
    expect(() => fresh.runner.open()).toThrow(/while it is open/);
  });

  it('keyed state snapshot and restore: counts go back to the checkpoint', () => {
    const h = harness('aggregate', { config: { fn: 'count' } });
    h.push([at(1, { key: 'a' }), at(2, { key: 'a' })]);
    const snapshot = h.runner.snapshot(1) as SubtaskStateSnapshot;
    expect(snapshot.keyed?.totalEntries).toBe(1);
    h.push([at(3, { key: 'a' })]);
    h.runner.restore({ operator: snapshot.operator, keyed: [snapshot.keyed!], timers: [snapshot.timers!] });
    expect(h.push([at(4, { key: 'a' })])[0]?.record.value).toBe(3);
  });

  it('rescale: window state and timers taken at parallelism 1 fire in the right one of 2 subtasks', () => {
    const config = { type: 'tumbling', sizeMs: 100, fn: 'count' };
    const records = keys.flatMap((key, i) => [at(i, { key }), at(i + 50, { key })]);
    const reference = harness('window', { config, operatorId: 'w' });
    reference.push(records);
    const expected = sorted(reference.watermark(1000));

    const storage = createMemoryStateStorage();
    const before = harness('window', { config, storage, operatorId: 'w' });
    before.push(records);
    const snapshot = before.runner.snapshot(7) as SubtaskStateSnapshot;
    before.runner.close();
    const outputs: TimedRecord[] = [];
    for (const index of [0, 1]) {
      const after = harness('window', { config, storage, operatorId: 'w', parallelism: 2, index });
      after.runner.restore({ operator: undefined, keyed: [snapshot.keyed!], timers: [snapshot.timers!] });
      const fired = after.watermark(1000);
      for (const r of fired) expect(operatorIndexForKeyGroup(128, 2, keyGroupForKey(r.record.key as string, 128))).toBe(index);
      outputs.push(...fired);
    }
    expect(sorted(outputs)).toEqual(expected);
    expect(expected).toHaveLength(40);
  });

  it('prepare is a no-op (undefined) on the memory backend', () => {
    const h = harness('aggregate');
    expect(h.runner.prepareBatch([at(1, { key: 'a' })], 0)).toBeUndefined();
    expect(h.runner.prepareWatermark(10)).toBeUndefined();
    expect(h.runner.prepareProcessingTime(10)).toBeUndefined();
  });
});

describe('createOperatorContext', () => {
  const base = { subtask: { operatorId: 'agg', index: 0 }, operatorName: 'Agg', parallelism: 2, maxParallelism: 128, clock: new ManualClock() };

  it('gives stateless operators no keyed parts and computes the key-group range', () => {
    const ctx = createOperatorContext({ ...base, kind: 'map', subtask: { operatorId: 'm', index: 1 } });
    expect(ctx.keyed).toBeUndefined();
    expect(ctx.keyGroupRange).toEqual({ start: 64, end: 127 });
  });

  it('refuses a keyed kind without a backend, or with a backend for another range', () => {
    expect(() => createOperatorContext({ ...base, kind: 'aggregate', inputKeys: ['key'] })).toThrow(/needs a state backend/);
    const wrong = createMemoryStateStorage().openKeyedBackend({ operatorId: 'agg', maxParallelism: 128, keyGroupRange: { start: 0, end: 127 } });
    expect(() => createOperatorContext({ ...base, kind: 'aggregate', inputKeys: ['key'], stateBackend: wrong })).toThrow(/owns \[0, 63\]/);
  });
});

describe('createOperator and the cost model', () => {
  it('builds every non-source kind with catalogue defaults, and refuses sources', () => {
    for (const kind of OPERATOR_KINDS) {
      if (isOperatorWithInput(kind)) expect(createOperator({ kind }).kind).toBe(kind);
      else expect(() => createOperator({ kind })).toThrow(/createSource/);
    }
  });

  it('has a positive cost for every kind', () => {
    for (const kind of OPERATOR_KINDS) expect(OPERATOR_COSTS[kind].perRecordUs).toBeGreaterThan(0);
    expect(virtualCostUs('window', 10, 2)).toBe(3_200);
  });
});
