/**
 * What the key-group heat map draws, as plain data: one group per owning subtask, one cell per
 * key group, or per bin of consecutive key groups when there are too many to draw one by one
 * (max parallelism goes up to 32,768). Bins never cross a subtask's boundary, so every cell
 * belongs to exactly one subtask whatever the binning. Also the grid geometry that fits the
 * groups into a given width. Pure: no DOM, no React.
 */
import type { OperatorStateMetrics } from '../../../engine/runtime/telemetry';

/** What a cell's colour stands for. */
export type HeatMeasure = 'entries' | 'bytes';

/** Draw each key group as its own cell up to this many key groups; bin above. */
export const MAX_SINGLE_CELLS = 2048;
/** Bins aim at about this many cells in all when binning. */
export const TARGET_BINS = 1024;

/** One cell: a key group, or a bin of consecutive key groups of one subtask. */
export interface HeatCell {
  /** First and last key group of the cell, inclusive (equal when not binned). */
  keyGroupStart: number;
  keyGroupEnd: number;
  /** Rows in the cell's key groups. */
  entries: number;
  /** Approximate bytes, summed; null when the backend reports no bytes for them. */
  bytes: number | null;
  /** Non-empty key groups in the cell. */
  nonEmpty: number;
  /** The fullest key group of the cell (by rows), when any holds rows. */
  hottest: { keyGroup: number; entries: number } | null;
}

/** The cells of one subtask, in key-group order. */
export interface HeatGroup {
  subtask: number;
  taskManager: number;
  keyGroupStart: number;
  keyGroupEnd: number;
  totalEntries: number;
  totalBytes: number | null;
  nonEmpty: number;
  cells: HeatCell[];
}

export interface HeatMapModel {
  maxParallelism: number;
  /** Key groups per cell (1: one cell per key group). */
  binSize: number;
  groups: HeatGroup[];
  /** Does the backend report bytes at all for this operator? */
  hasBytes: boolean;
}

/** Key groups per cell for a max parallelism: 1 up to `MAX_SINGLE_CELLS`, else about `TARGET_BINS` cells. */
export function binSizeFor(maxParallelism: number): number {
  if (maxParallelism <= MAX_SINGLE_CELLS) return 1;
  return Math.ceil(maxParallelism / TARGET_BINS);
}

/** The heat map's cells of one keyed operator, grouped by subtask (ascending). */
export function heatMapModel(op: OperatorStateMetrics, binSize = binSizeFor(op.maxParallelism)): HeatMapModel {
  if (!(Number.isInteger(binSize) && binSize >= 1)) throw new Error(`Bin size must be a positive integer, not ${binSize}.`);
  let hasBytes = false;
  const groups = [...op.subtasks].sort((a, b) => a.index - b.index).map((s): HeatGroup => {
    const size = Math.max(0, s.keyGroupEnd - s.keyGroupStart + 1);
    const cells: HeatCell[] = [];
    for (let start = s.keyGroupStart; start <= s.keyGroupEnd; start += binSize) {
      cells.push({ keyGroupStart: start, keyGroupEnd: Math.min(s.keyGroupEnd, start + binSize - 1), entries: 0, bytes: null, nonEmpty: 0, hottest: null });
    }
    let totalEntries = 0;
    let totalBytes: number | null = null;
    let nonEmpty = 0;
    for (const kg of s.keyGroups) {
      if (kg.keyGroup < s.keyGroupStart || kg.keyGroup > s.keyGroupEnd || size === 0) continue;
      const cell = cells[Math.floor((kg.keyGroup - s.keyGroupStart) / binSize)];
      if (!cell) continue;
      cell.entries += kg.entries;
      totalEntries += kg.entries;
      if (kg.entries > 0) {
        cell.nonEmpty += 1;
        nonEmpty += 1;
        if (!cell.hottest || kg.entries > cell.hottest.entries) cell.hottest = { keyGroup: kg.keyGroup, entries: kg.entries };
      }
      if (typeof kg.bytes === 'number') {
        hasBytes = true;
        cell.bytes = (cell.bytes ?? 0) + kg.bytes;
        totalBytes = (totalBytes ?? 0) + kg.bytes;
      }
    }
    return { subtask: s.index, taskManager: s.taskManager, keyGroupStart: s.keyGroupStart, keyGroupEnd: s.keyGroupEnd, totalEntries, totalBytes, nonEmpty, cells };
  });
  return { maxParallelism: op.maxParallelism, binSize, groups, hasBytes };
}

/** Key groups a cell covers. */
export const cellSize = (cell: HeatCell): number => cell.keyGroupEnd - cell.keyGroupStart + 1;

/**
 * The value a cell's colour shows: its rows or bytes per key group (a bin's mean, so a short
 * bin at a subtask's end reads like the others). 0 for no bytes reported.
 */
export function cellValue(cell: HeatCell, measure: HeatMeasure): number {
  const total = measure === 'entries' ? cell.entries : cell.bytes ?? 0;
  return total / cellSize(cell);
}

/** The largest cell value of the map (0 when everything is empty). */
export function maxCellValue(model: HeatMapModel, measure: HeatMeasure): number {
  let max = 0;
  for (const g of model.groups) for (const c of g.cells) max = Math.max(max, cellValue(c, measure));
  return max;
}

/** Where the cells sit: every group shares the same column count and cell pitch. */
export interface HeatGrid {
  /** Cell pitch in px (cell plus gap). */
  pitch: number;
  columns: number;
  /** Rows of cells per group, in group order. */
  rows: number[];
}

export interface GridOptions {
  /** Smallest and largest pitch when each group fits in one line. */
  minPitch?: number;
  maxPitch?: number;
  /** Pitch used when groups wrap over several lines. */
  wrapPitch?: number;
}

/**
 * Fits groups of `counts` cells into `width` px: one line per group with the largest pitch up
 * to `maxPitch` when that leaves at least `minPitch`, else `wrapPitch` and as many columns as fit.
 */
export function heatGrid(counts: readonly number[], width: number, options: GridOptions = {}): HeatGrid {
  const { minPitch = 8, maxPitch = 20, wrapPitch = 10 } = options;
  const longest = Math.max(1, ...counts);
  const room = Math.max(0, width);
  const fitted = Math.floor(room / longest);
  if (fitted >= minPitch) {
    const pitch = Math.min(maxPitch, fitted);
    return { pitch, columns: longest, rows: counts.map((n) => (n > 0 ? 1 : 0)) };
  }
  const columns = Math.max(1, Math.floor(room / wrapPitch));
  return { pitch: wrapPitch, columns, rows: counts.map((n) => Math.ceil(n / columns)) };
}
