import { describe, expect, it } from 'vitest';
import type { RecoveryReport, StateMetrics } from '../../../engine/runtime/telemetry';
import { reconcileRecordsLost } from '../../store/runViz';
import { detectRescales, EMPTY_OWNERSHIP, ownershipMoves, rescaleCaption, rowsWrittenAcross, type OwnershipBand } from './rescale';

const bands = (ranges: [number, number][]): OwnershipBand[] => ranges.map(([s, e], index) => ({ index, taskManager: 0, keyGroupStart: s, keyGroupEnd: e }));

function stateOf(ranges: [number, number][], rowsWritten: number): StateMetrics {
  return {
    backend: 'idb',
    figures: { idbRowsWritten: rowsWritten } as StateMetrics['figures'],
    perTaskManager: [],
    operators: [{
      operatorId: 'count', stateId: 'count', maxParallelism: 1024, parallelism: ranges.length,
      subtasks: bands(ranges).map((b) => ({ ...b, keyGroups: [], totalEntries: 0 })),
    }],
  };
}

describe('rescale diff', () => {
  it('lists the ranges whose owner changed, merged where consecutive', () => {
    expect(ownershipMoves(bands([[0, 511], [512, 1023]]), bands([[0, 255], [256, 511], [512, 767], [768, 1023]]))).toEqual([
      { keyGroupStart: 256, keyGroupEnd: 511, from: 0, to: 1 },
      { keyGroupStart: 512, keyGroupEnd: 767, from: 1, to: 2 },
      { keyGroupStart: 768, keyGroupEnd: 1023, from: 1, to: 3 },
    ]);
    expect(ownershipMoves(bands([[0, 255], [256, 511], [512, 767], [768, 1023]]), bands([[0, 511], [512, 1023]]))).toEqual([
      { keyGroupStart: 256, keyGroupEnd: 511, from: 1, to: 0 },
      { keyGroupStart: 512, keyGroupEnd: 767, from: 2, to: 1 },
      { keyGroupStart: 768, keyGroupEnd: 1023, from: 3, to: 1 },
    ]);
  });

  it('rows written across: the delta, or everything since the counters started again', () => {
    expect(rowsWrittenAcross(100, 130)).toBe(30);
    expect(rowsWrittenAcross(1248, 0)).toBe(0);
    expect(rowsWrittenAcross(null, 5)).toBeNull();
  });

  it('notices a changed ownership once, and says that no rows moved', () => {
    const first = detectRescales(EMPTY_OWNERSHIP, stateOf([[0, 511], [512, 1023]], 1248), 3000, null, 1);
    expect(first.diffs).toEqual([]);
    const same = detectRescales(first.memory, undefined, 3010, null, 1);
    expect(same.memory).toBe(first.memory);
    const second = detectRescales(first.memory, stateOf([[0, 255], [256, 511], [512, 767], [768, 1023]], 0), 3250, null, 1);
    expect(second.diffs).toHaveLength(1);
    const diff = second.diffs[0]!;
    expect(diff.movedKeyGroups).toBe(768);
    expect(diff.rowsWritten).toBe(0);
    expect(rescaleCaption({ ...diff, operatorName: 'Count' })).toBe('Count rescaled 2 → 4: key groups reassigned, 0 state rows moved');
    expect(detectRescales(second.memory, stateOf([[0, 255], [256, 511], [512, 767], [768, 1023]], 4), 3500, null, 2).diffs).toEqual([]);
  });

  it('without storage figures it says no state was copied', () => {
    const memory = { ...stateOf([[0, 1023]], 0), backend: 'memory' as const };
    const first = detectRescales(EMPTY_OWNERSHIP, memory, 0, null, 1);
    const diff = detectRescales(first.memory, { ...stateOf([[0, 511], [512, 1023]], 0), backend: 'memory' }, 10, null, 1).diffs[0]!;
    expect(rescaleCaption(diff)).toBe('count rescaled 1 → 2: key groups reassigned, no state copied');
  });
});

describe('records lost after an approximate recovery resumed', () => {
  const report = (attempt: number, strategy: RecoveryReport['strategy'], recordsLost?: number) =>
    ({ attempt, strategy, virtualTimeMs: attempt * 1000, recordsLost, restarted: [], restoredFrom: [], regions: [] }) as unknown as RecoveryReport;

  it('brings the latest approximate report up to the run total', () => {
    const list = [report(1, 'approximate', 10), report(2, 'approximate', 0)];
    expect(reconcileRecordsLost(list, 2193).map((r) => r.recordsLost)).toEqual([10, 2183]);
    expect(reconcileRecordsLost(list, 10)).toBe(list);
    expect(reconcileRecordsLost(list, undefined)).toBe(list);
    expect(reconcileRecordsLost([report(1, 'region')], 5).map((r) => r.recordsLost)).toEqual([undefined]);
  });
});
