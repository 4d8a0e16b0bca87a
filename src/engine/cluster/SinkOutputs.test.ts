import { describe, expect, it } from 'vitest';
import type { JobGraph } from '../job/types';
import type { StreamRecord } from '../runtime/types';
import { PENDING_KEPT, SinkOutputs } from './SinkOutputs';

const job = (keepRecords: number): JobGraph => ({
  sluice: 'job/1', name: 'j',
  operators: [
    { id: 'src', kind: 'sequence', name: 'S', parallelism: 1 },
    { id: 'out', kind: 'collect', name: 'Out', parallelism: 2, config: { keepRecords } },
  ],
  edges: [{ from: 'src', to: 'out', partitioner: 'rebalance' }],
});

const records = (from: number, n: number): StreamRecord[] => Array.from({ length: n }, (_, i) => ({ value: from + i }));
const values = (list: readonly StreamRecord[]) => list.map((r) => r.value);

describe('SinkOutputs', () => {
  it('keeps written records pending until a commit moves the oldest to committed', () => {
    const sinks = new SinkOutputs(job(3));
    sinks.apply({ operatorId: 'out', index: 0, written: records(0, 4), committed: 0, hash: 1 });
    sinks.apply({ operatorId: 'out', index: 1, written: records(100, 2), committed: 0, hash: 2 });
    sinks.apply({ operatorId: 'out', index: 0, written: records(4, 2), committed: 5, hash: 3 });
    const output = sinks.output('out');
    expect(values(output.committed)).toEqual([2, 3, 4]);
    expect(values(output.pending)).toEqual([5, 100, 101]);
    expect(output).toMatchObject({ committedCount: 5, pendingCount: 3 });
    expect(values(sinks.output('out', 1).pending)).toEqual([101]);
    expect(sinks.hashes()).toEqual([3, 2]);
  });

  it('bounds the pending records it holds and still counts and commits correctly', () => {
    const sinks = new SinkOutputs(job(10));
    sinks.apply({ operatorId: 'out', index: 0, written: records(0, PENDING_KEPT), committed: 0, hash: 0 });
    sinks.apply({ operatorId: 'out', index: 0, written: records(PENDING_KEPT, 5), committed: 0, hash: 0 });
    const before = sinks.output('out');
    expect(before.pendingCount).toBe(PENDING_KEPT + 5);
    expect(before.pending).toHaveLength(PENDING_KEPT);
    expect(before.pending[0]?.value).toBe(5);
    sinks.apply({ operatorId: 'out', index: 0, written: [], committed: PENDING_KEPT + 5, hash: 0 });
    const after = sinks.output('out');
    expect(after).toMatchObject({ committedCount: PENDING_KEPT + 5, pendingCount: 0, pending: [] });
    expect(values(after.committed)).toEqual(values(records(PENDING_KEPT - 5, 10)));
  });
});
