/**
 * The collect sink as a region-sharable committer: transactions per region, commits per
 * region on completion, a live rewind of one region, and a restore with per-region points.
 */
import { describe, expect, it } from 'vitest';
import type { StreamRecord } from '../runtime/types';
import { CollectSink, type CollectSinkSnapshot, type RegionSinkDelta } from './collectSink';

const values = (records: readonly StreamRecord[]) => records.map((r) => r.value);

function committer(): CollectSink {
  const sink = new CollectSink({ keepRecords: 1_000 });
  sink.shareRegions([1, 2]);
  return sink;
}

function write(sink: CollectSink, region: number, ...vs: number[]): void {
  const records = vs.map((value) => ({ value }));
  sink.route(region);
  sink.processSlice(records, [], 0, records.length);
}

const byRegion = (deltas: readonly RegionSinkDelta[]) => Object.fromEntries(deltas.map((d) => [d.region, d]));

describe('collect sink as a region-sharable committer', () => {
  it('commits each region up to the snapshot it maps to; a failed region keeps its transaction pending', () => {
    const sink = committer();
    write(sink, 1, 1, 2);
    write(sink, 2, 10);
    sink.snapshotState(1);
    sink.commitRegions([{ region: 1, snapshotId: 1 }, { region: 2, snapshotId: 1 }]);
    write(sink, 1, 3);
    write(sink, 2, 11, 12);
    sink.snapshotState(2);
    // Region 2 failed checkpoint 2: it maps to checkpoint 1, region 1 commits 2.
    sink.commitRegions([{ region: 1, snapshotId: 2 }, { region: 2, snapshotId: 1 }]);
    expect(values(sink.output().committed)).toEqual([1, 2, 10, 3]);
    expect(values(sink.output().pending)).toEqual([11, 12]);
    const deltas = byRegion(sink.takeRegionDeltas());
    expect(deltas[1]).toEqual({ region: 1, restoredPending: null, committed: 3, committedThrough: 2 });
    expect(deltas[2]).toEqual({ region: 2, restoredPending: null, committed: 1, committedThrough: 1 });
    // Region 2 acknowledges checkpoint 3: its transaction 2 commits with 3.
    sink.snapshotState(3);
    sink.commitRegions([{ region: 1, snapshotId: 3 }, { region: 2, snapshotId: 3 }]);
    expect(values(sink.output().committed)).toEqual([1, 2, 10, 3, 11, 12]);
  });

  it('a live rewind aborts only that region\'s transactions after its snapshot', () => {
    const sink = committer();
    write(sink, 1, 1);
    write(sink, 2, 10);
    sink.snapshotState(1);
    write(sink, 1, 2);
    write(sink, 2, 11);
    sink.snapshotState(2);
    write(sink, 1, 3);
    write(sink, 2, 12);
    sink.takeRegionDeltas();
    // Region 2 restarts from checkpoint 1 (which completed, its notify not yet here).
    expect(sink.rewindRegion(2, 1)).toBe(2);
    expect(values(sink.output().committed)).toEqual([10]);
    expect(values(sink.output().pending)).toEqual([1, 2, 3]);
    expect(byRegion(sink.takeRegionDeltas())[2]).toEqual({ region: 2, restoredPending: 1, committed: 1, committedThrough: 1 });
  });

  it('a restore takes each region to its own snapshot and skips what was already committed', () => {
    const sink = committer();
    write(sink, 1, 1);
    write(sink, 2, 10);
    sink.snapshotState(1);
    write(sink, 1, 2);
    write(sink, 2, 11);
    const snapshot = sink.snapshotState(2) as unknown as CollectSinkSnapshot;
    const restored = committer();
    restored.restoreState({
      ...snapshot,
      restoreRegions: [{ region: 1, snapshotId: 2, committedThrough: 1 }, { region: 2, snapshotId: 1, committedThrough: 0 }],
    });
    // Region 1: transaction 1 was committed, 2 re-commits. Region 2: 1 re-commits, 2 is aborted.
    expect(values(restored.output().committed)).toEqual([2, 10]);
    expect(restored.uncommitted).toBe(0);
  });

  it('is set up before it writes, and only then', () => {
    const sink = new CollectSink({ keepRecords: 10 });
    write(sink, 0, 1);
    expect(() => sink.shareRegions([1, 2])).toThrow(/before the first record/);
  });
});
