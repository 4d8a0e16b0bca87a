/**
 * Figures the State panel derives from a state storage's cumulative counters: ratios (cache
 * hits, Bloom filter, cache fill, mean batch size) and rates. The counters only grow during a
 * run, so a rate is the growth between two telemetry frames divided by the wall time between
 * them; a short window of samples smooths the ten-a-second frames. Pure: the caller supplies
 * the wall clock.
 */
import type { FlushCause, StateStorageFigures } from '../../../engine/state/types';

/** A ratio, or null when its denominator is 0 (nothing to say yet). */
export type Ratio = number | null;

const ratio = (part: number, whole: number): Ratio => (whole > 0 ? part / whole : null);

/** Share of reads answered from the cache (or the unflushed write batch). */
export const cacheHitRatio = (f: StateStorageFigures): Ratio => ratio(f.cacheHits, f.cacheHits + f.cacheMisses);

/** Share of absent-key reads the Bloom filters answered without IndexedDB. */
export const bloomServedRatio = (f: StateStorageFigures): Ratio =>
  ratio(f.bloomNegatives, f.bloomNegatives + f.bloomFalsePositives);

/** Entries per write-batch flush. */
export const meanBatchSize = (f: StateStorageFigures): Ratio => ratio(f.flushedEntries, f.flushes);

/** Cache entries over its fixed capacity. */
export const cacheFill = (f: StateStorageFigures): Ratio => ratio(f.cacheEntries, f.cacheCapacity);

export const FLUSH_CAUSES: readonly FlushCause[] = ['size', 'latency', 'checkpoint', 'close'];

/** The counters that rates are computed from, at one wall time. */
export interface FigureSample {
  wallMs: number;
  idbTransactions: number;
  idbRowsWritten: number;
  idbRowsRead: number;
}

export const sampleOf = (f: StateStorageFigures, wallMs: number): FigureSample => ({
  wallMs,
  idbTransactions: f.idbTransactions,
  idbRowsWritten: f.idbRowsWritten,
  idbRowsRead: f.idbRowsRead,
});

/** Wall ms of samples a rate is measured over. */
export const RATE_WINDOW_MS = 2000;

/**
 * The window after `next` arrives: samples older than `windowMs` before it are dropped, but one
 * sample at or before the window's start is kept as its base. A counter that went down (a new
 * run, a lost TaskManager's figures leaving the sum) starts the window afresh, and so does a
 * sample not newer than the last.
 */
export function addSample(window: readonly FigureSample[], next: FigureSample, windowMs = RATE_WINDOW_MS): FigureSample[] {
  const last = window[window.length - 1];
  if (
    !last || next.wallMs <= last.wallMs || next.idbTransactions < last.idbTransactions ||
    next.idbRowsWritten < last.idbRowsWritten || next.idbRowsRead < last.idbRowsRead
  ) {
    return [next];
  }
  const all = [...window, next];
  const cutoff = next.wallMs - windowMs;
  let first = 0;
  while (first + 1 < all.length - 1 && (all[first + 1] as FigureSample).wallMs <= cutoff) first += 1;
  return all.slice(first);
}

export interface StateRates {
  transactionsPerSecond: number;
  rowsWrittenPerSecond: number;
  rowsReadPerSecond: number;
  /** Wall ms the rates were measured over. */
  spanMs: number;
}

/** Per wall second over the window; null until it holds two samples. */
export function ratesOf(window: readonly FigureSample[]): StateRates | null {
  const first = window[0];
  const last = window[window.length - 1];
  if (!first || !last || last.wallMs <= first.wallMs) return null;
  const spanMs = last.wallMs - first.wallMs;
  const perSecond = (a: number, b: number) => ((b - a) * 1000) / spanMs;
  return {
    transactionsPerSecond: perSecond(first.idbTransactions, last.idbTransactions),
    rowsWrittenPerSecond: perSecond(first.idbRowsWritten, last.idbRowsWritten),
    rowsReadPerSecond: perSecond(first.idbRowsRead, last.idbRowsRead),
    spanMs,
  };
}
