import { describe, expect, it } from 'vitest';
import type { OperatorStateMetrics } from '../../../engine/runtime/telemetry';
import { binSizeFor, cellValue, heatGrid, heatMapModel, maxCellValue } from './heatMapModel';

function operator(maxParallelism: number, parallelism: number, rows: Record<number, number>, bytesPerRow?: number): OperatorStateMetrics {
  const per = Math.ceil(maxParallelism / parallelism);
  const subtasks = Array.from({ length: parallelism }, (_, index) => {
    const keyGroupStart = index * per;
    const keyGroupEnd = Math.min(maxParallelism, (index + 1) * per) - 1;
    const keyGroups = Object.entries(rows)
      .map(([kg, entries]) => ({ keyGroup: Number(kg), entries, ...(bytesPerRow ? { bytes: entries * bytesPerRow } : {}) }))
      .filter((kg) => kg.keyGroup >= keyGroupStart && kg.keyGroup <= keyGroupEnd);
    return { index, taskManager: index % 2, keyGroupStart, keyGroupEnd, keyGroups, totalEntries: keyGroups.reduce((n, kg) => n + kg.entries, 0) };
  });
  return { operatorId: 'count', stateId: 'count', maxParallelism, parallelism, subtasks };
}

describe('heatMapModel', () => {
  it('draws one cell per key group, empty ones included, grouped by subtask', () => {
    const model = heatMapModel(operator(8, 2, { 1: 3, 6: 5 }, 10));
    expect(model.binSize).toBe(1);
    expect(model.groups.map((g) => [g.subtask, g.keyGroupStart, g.keyGroupEnd, g.cells.length])).toEqual([[0, 0, 3, 4], [1, 4, 7, 4]]);
    expect(model.groups[0]?.cells[1]).toMatchObject({ keyGroupStart: 1, keyGroupEnd: 1, entries: 3, bytes: 30, nonEmpty: 1 });
    expect(model.groups[0]?.cells[0]).toMatchObject({ entries: 0, bytes: null, hottest: null });
    expect(model.groups.map((g) => [g.totalEntries, g.totalBytes, g.nonEmpty])).toEqual([[3, 30, 1], [5, 50, 1]]);
    expect(model.hasBytes).toBe(true);
  });

  it('says when no bytes are reported', () => {
    const model = heatMapModel(operator(8, 2, { 1: 3 }));
    expect(model.hasBytes).toBe(false);
    expect(model.groups[0]?.totalBytes).toBeNull();
  });

  it('bins large maps without crossing a subtask boundary', () => {
    expect(binSizeFor(128)).toBe(1);
    expect(binSizeFor(2048)).toBe(1);
    expect(binSizeFor(32_768)).toBe(32);
    const model = heatMapModel(operator(32_768, 3, { 0: 1, 31: 4, 32: 2, 10_922: 7, 10_923: 9 }));
    expect(model.binSize).toBe(32);
    const cells = model.groups.reduce((n, g) => n + g.cells.length, 0);
    expect(cells).toBeLessThanOrEqual(1024 + 3);
    for (const g of model.groups) {
      expect(g.cells[0]?.keyGroupStart).toBe(g.keyGroupStart);
      expect(g.cells[g.cells.length - 1]?.keyGroupEnd).toBe(g.keyGroupEnd);
    }
    const [first, second] = model.groups[0]?.cells ?? [];
    expect(first).toMatchObject({ keyGroupStart: 0, keyGroupEnd: 31, entries: 5, nonEmpty: 2, hottest: { keyGroup: 31, entries: 4 } });
    expect(second).toMatchObject({ keyGroupStart: 32, entries: 2 });
    // 10,922 is subtask 0's last key group (a short bin); 10,923 opens subtask 1.
    const lastOfFirst = model.groups[0]?.cells.at(-1);
    expect(lastOfFirst).toMatchObject({ keyGroupEnd: 10_922, entries: 7 });
    expect(model.groups[1]?.cells[0]).toMatchObject({ keyGroupStart: 10_923, entries: 9 });
  });

  it('colours a bin by its mean per key group', () => {
    const model = heatMapModel(operator(8, 1, { 0: 4, 1: 2, 4: 9 }), 4);
    const [a, b] = model.groups[0]?.cells ?? [];
    expect(a && cellValue(a, 'entries')).toBe(1.5);
    expect(b && cellValue(b, 'entries')).toBe(2.25);
    expect(maxCellValue(model, 'entries')).toBe(2.25);
    expect(maxCellValue(model, 'bytes')).toBe(0);
  });

  it('ignores key groups outside a subtask range and rejects bad bin sizes', () => {
    const op = operator(8, 2, {});
    op.subtasks[0]?.keyGroups.push({ keyGroup: 6, entries: 100 });
    expect(heatMapModel(op).groups[0]?.totalEntries).toBe(0);
    expect(() => heatMapModel(op, 0)).toThrow(/positive integer/);
  });
});

describe('heatGrid', () => {
  it('puts each group on one line when the cells fit', () => {
    expect(heatGrid([32, 32, 32, 32], 400)).toEqual({ pitch: 12, columns: 32, rows: [1, 1, 1, 1] });
    expect(heatGrid([4, 4], 400)).toEqual({ pitch: 20, columns: 4, rows: [1, 1] });
  });

  it('wraps groups at the wrap pitch when one line would be too small', () => {
    expect(heatGrid([256, 256, 255], 400)).toEqual({ pitch: 10, columns: 40, rows: [7, 7, 7] });
    expect(heatGrid([10], 0)).toEqual({ pitch: 10, columns: 1, rows: [10] });
  });
});
