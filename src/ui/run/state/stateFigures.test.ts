import { describe, expect, it } from 'vitest';
import { emptyStateStorageFigures } from '../../../engine/state/types';
import {
  addSample, bloomServedRatio, cacheFill, cacheHitRatio, meanBatchSize, ratesOf, sampleOf, type FigureSample,
} from './stateFigures';

const at = (wallMs: number, idbTransactions: number, idbRowsWritten = 0, idbRowsRead = 0): FigureSample =>
  ({ wallMs, idbTransactions, idbRowsWritten, idbRowsRead });

describe('ratios', () => {
  it('are null until there is something to divide', () => {
    const f = emptyStateStorageFigures('idb');
    expect([cacheHitRatio(f), bloomServedRatio(f), meanBatchSize(f), cacheFill(f)]).toEqual([null, null, null, null]);
  });

  it('divide the cumulative counters', () => {
    const f = {
      ...emptyStateStorageFigures('idb'),
      cacheHits: 90, cacheMisses: 10, bloomNegatives: 99, bloomFalsePositives: 1,
      flushes: 4, flushedEntries: 1000, cacheCapacity: 4096, cacheEntries: 1024,
    };
    expect(cacheHitRatio(f)).toBe(0.9);
    expect(bloomServedRatio(f)).toBe(0.99);
    expect(meanBatchSize(f)).toBe(250);
    expect(cacheFill(f)).toBe(0.25);
    expect(sampleOf({ ...f, idbTransactions: 3, idbRowsWritten: 7, idbRowsRead: 2 }, 50)).toEqual(at(50, 3, 7, 2));
  });
});

describe('rates over wall time', () => {
  it('need two samples', () => {
    expect(ratesOf([])).toBeNull();
    expect(ratesOf(addSample([], at(0, 5)))).toBeNull();
  });

  it('divide growth by the wall time between the window ends', () => {
    let w = addSample([], at(1000, 10, 100, 0));
    w = addSample(w, at(1500, 15, 600, 50));
    expect(ratesOf(w)).toEqual({ transactionsPerSecond: 10, rowsWrittenPerSecond: 1000, rowsReadPerSecond: 100, spanMs: 500 });
  });

  it('keep one base sample at the window start and drop older ones', () => {
    let w: FigureSample[] = [];
    for (let t = 0; t <= 5000; t += 500) w = addSample(w, at(t, t / 100), 2000);
    expect(w.map((s) => s.wallMs)).toEqual([3000, 3500, 4000, 4500, 5000]);
    expect(ratesOf(w)?.transactionsPerSecond).toBeCloseTo(10);
  });

  it('start afresh when a counter goes down or time does not move', () => {
    let w = addSample([], at(0, 100));
    w = addSample(w, at(500, 120));
    expect(addSample(w, at(1000, 3))).toEqual([at(1000, 3)]);
    expect(addSample(w, at(500, 130))).toEqual([at(500, 130)]);
    expect(addSample(w, at(900, 130, 0, -1))).toEqual([at(900, 130, 0, -1)]);
  });

  it('read zero when nothing changed (a paused run)', () => {
    let w = addSample([], at(0, 7, 7, 7));
    w = addSample(w, at(1000, 7, 7, 7));
    expect(ratesOf(w)).toMatchObject({ transactionsPerSecond: 0, rowsWrittenPerSecond: 0 });
  });
});
