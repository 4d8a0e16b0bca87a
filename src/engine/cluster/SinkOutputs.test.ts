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

  it('keeps a shared committer\'s regions apart: each commits and aborts its own pending records', () => {
    const sinks = new SinkOutputs(job(100));
    sinks.apply({ operatorId: 'out', index: 0, region: 1, written: records(0, 3), committed: 0, hash: 1 });
    sinks.apply({ operatorId: 'out', index: 0, region: 2, written: records(100, 2), committed: 0, hash: 2 });
    // Region 2 commits its first record; region 1 aborts its newest two (it restarts from its snapshot).
    sinks.apply({ operatorId: 'out', index: 0, region: 2, written: [], committed: 1, committedThrough: 4, hash: 2 });
    sinks.apply({ operatorId: 'out', index: 0, region: 1, written: records(3, 1), committed: 0, restoredPending: 1, hash: 3 });
    const output = sinks.output('out');
    expect(values(output.committed)).toEqual([100]);
    expect(values(output.pending)).toEqual([0, 3, 101]);
    expect(sinks.committedThrough('out', 0, 2)).toBe(4);
    expect(sinks.regionsCommitted('out', 0)).toEqual([{ region: 1, committedThrough: 0 }, { region: 2, committedThrough: 4 }]);
    const saved = sinks.exportCommitted();
    expect(saved.out?.[0]?.regions).toEqual([{ region: 1, committedThrough: 0 }, { region: 2, committedThrough: 4 }]);
    const resumed = new SinkOutputs(job(100));
    resumed.importCommitted(saved, (_sink, _index, _through, region) => (region === 1 ? records(0, 1) : []));
    expect(resumed.output('out')).toMatchObject({ committedCount: 1, pendingCount: 1 });
    expect(resumed.committedThrough('out', 0, 2)).toBe(4);
  });
});
