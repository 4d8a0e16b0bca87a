import { describe, expect, it } from 'vitest';
import type { JobGraph } from '../job/types';
import { keyGroupForKey, operatorIndexForKeyGroup } from '../keygroups/keyGroups';
import { LocalCluster } from './LocalCluster';
import type { StateScanOptions, StateScanPage } from './stateScan';
import { BOUNDED_SEQUENCE_JOB } from './testing/jobs';
import { nodeClock } from './testing/nodeClock';

const JOB: JobGraph = {
  ...BOUNDED_SEQUENCE_JOB,
  operators: BOUNDED_SEQUENCE_JOB.operators.map((op) => (op.id === 'numbers' ? { ...op, config: { ...op.config, to: 60_000 } } : op)),
};

async function started(taskManagers = 2): Promise<LocalCluster> {
  const cluster = new LocalCluster({ clock: nodeClock });
  const report = await cluster.start(JOB, { stateBackend: 'memory', taskManagers, slotsPerTaskManager: 2, paused: true, seed: 3 });
  if (!report.ok) throw new Error(JSON.stringify(report.errors));
  await cluster.advance(800);
  return cluster;
}

async function scanAll(cluster: LocalCluster, operatorId: string, options: StateScanOptions): Promise<StateScanPage['rows']> {
  const rows: StateScanPage['rows'] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 10_000; pages++) {
    const page: StateScanPage = await cluster.scanState(operatorId, { ...options, cursor });
    rows.push(...page.rows);
    cursor = page.cursor;
    if (cursor === null) return rows;
  }
  throw new Error('the scan did not end');
}

describe('state processor: scanning every key of a keyed operator', () => {
  it('pages through every row in key-group order; each row equals what a key lookup reads; small pages equal one big page', async () => {
    const cluster = await started();
    const all = await scanAll(cluster, 'sum', { limit: 1_000 });
    expect(all.length).toBeGreaterThan(100);
    const paged = await scanAll(cluster, 'sum', { limit: 37 });
    expect(paged).toEqual(all);
    const groups = all.map((r) => r.keyGroup);
    expect(groups).toEqual([...groups].sort((a, b) => a - b));
    const metrics = await cluster.metrics();
    const sum = metrics.state?.operators.find((o) => o.operatorId === 'sum');
    expect(sum).toBeDefined();
    expect(all.length).toBe(sum?.subtasks.reduce((n, s) => n + s.totalEntries, 0));
    // The oracle: every scanned row is the key's state as the lookup path reads it.
    for (const row of all.filter((_, i) => i % 7 === 0)) {
      const lookup = await cluster.lookupState('sum', row.key as string | number);
      expect(lookup.keyGroup).toBe(row.keyGroup);
      expect(lookup.subtask).toBe(row.subtask);
      expect(lookup.entries).toContainEqual({ state: row.state, namespace: row.namespace, value: row.value });
    }
    await cluster.stop();
  });

  it('recomputes key groups and owners for another max parallelism with Flink’s formulas', async () => {
    const cluster = await started();
    const page = await cluster.scanState('sum', { limit: 500, maxParallelism: 4096, parallelism: 40 });
    expect(page.target).toEqual({ maxParallelism: 4096, parallelism: 40 });
    expect(page.maxParallelism).not.toBe(4096);
    for (const row of page.rows) {
      expect(row.keyGroup).toBe(keyGroupForKey(row.key, page.maxParallelism));
      expect(row.subtask).toBe(operatorIndexForKeyGroup(page.maxParallelism, page.parallelism, row.keyGroup));
      expect(row.target.keyGroup).toBe(keyGroupForKey(row.key, 4096));
      expect(row.target.subtask).toBe(operatorIndexForKeyGroup(4096, 40, row.target.keyGroup));
    }
    const keysOnly = await cluster.scanState('sum', { limit: 500, values: false });
    expect(keysOnly.rows.map((r) => [r.key, r.state, r.keyGroup])).toEqual(page.rows.map((r) => [r.key, r.state, r.keyGroup]));
    expect(keysOnly.rows.every((r) => r.value === null)).toBe(true);
    await cluster.stop();
  });

  it('the same pages with two or four TaskManagers', async () => {
    const one = await started(2);
    const four = await started(4);
    const a = await scanAll(one, 'sum', { limit: 250 });
    const b = await scanAll(four, 'sum', { limit: 250 });
    expect(b.map(({ taskManager: _, ...r }) => r)).toEqual(a.map(({ taskManager: _, ...r }) => r));
    await one.stop();
    await four.stop();
  });

  it('refuses what cannot be scanned with coded, specific errors', async () => {
    const cluster = await started();
    await expect(cluster.scanState('double')).rejects.toMatchObject({ code: 'state.scan.notKeyed' });
    await expect(cluster.scanState('nope')).rejects.toMatchObject({ code: 'state.scan.unknownOperator' });
    await expect(cluster.scanState('sum', { maxParallelism: 40_000 })).rejects.toMatchObject({ code: 'state.scan.badMaxParallelism' });
    await expect(cluster.scanState('sum', { maxParallelism: 8, parallelism: 9 })).rejects.toMatchObject({ code: 'state.scan.badParallelism' });
    await expect(cluster.scanState('sum', { limit: 0 })).rejects.toMatchObject({ code: 'state.scan.badLimit' });
    await expect(cluster.scanState('sum', { cursor: 'garbage' })).rejects.toMatchObject({ code: 'state.scan.badCursor' });
    await cluster.stop();
    await expect(cluster.scanState('sum')).rejects.toMatchObject({ code: 'state.scan.noRun' });
  });
});
