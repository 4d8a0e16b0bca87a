// The checkpoint inspector and the state processor as a user meets them: run word count on
// IndexedDB with checkpoints every virtual second, open a completed checkpoint from the
// Checkpoints tab ("Inspect"), read its operators (id ↔ state id ↔ name, filtered by the
// state id), the keyed operator's subtasks and key groups — their figures equal what
// `window.sluice.checkpointDetail` reports — export it as JSON and read the file back; then page
// through every key in the State tab with key groups recomputed for max parallelism 4096, each
// where Flink's hashing puts it. Virtual time moves with `window.sluice.advance` only.
import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { keyGroupForKey } from '../src/engine';
import { advance, loadJob, openApp, startPaused, waitForAutomation, watchPageErrors } from './helpers';

test.beforeEach(async ({ page }) => {
  await openApp(page);
  await waitForAutomation(page);
});

test.afterEach(async ({ page }) => {
  await page.evaluate(() => window.sluice?.stop());
});

test('a real checkpoint’s insides: operators, subtasks, key groups, export to JSON', async ({ page }) => {
  const errors = watchPageErrors(page);
  await loadJob(page, '/jobs/word-count.json');
  await startPaused(page, { seed: 7, stateBackend: 'idb', checkpointIntervalMs: 1000 });
  await advance(page, 3500);
  const report = await page.evaluate(() => window.sluice!.checkpoints());
  const id = report.summary.latestCompletedId!;
  expect(id).toBeGreaterThanOrEqual(3);
  const detail = await page.evaluate((n) => window.sluice!.checkpointDetail(n), id);
  const stats = report.history.find((c) => c.id === id)!;
  expect(detail.totals.ackStateSize).toBe(stats.stateSize);

  await page.getByTestId('run-tab-checkpoints').click();
  await page.getByTestId(`checkpoint-inspect-${id}`).click();
  await expect(page.getByTestId('inspector-panel')).toBeVisible();
  await expect(page.getByTestId('inspector-summary')).toHaveAttribute('data-checkpoint', String(id));
  await expect(page.getByTestId('inspector-summary')).toHaveAttribute('data-rows', String(detail.totals.rows));

  // Filter by the keyed operator's state id (its uid): only that operator is left.
  await page.getByTestId('inspector-filter').fill('word-count-v1');
  await expect(page.locator('[data-testid^="inspector-operator-toggle-"]')).toHaveCount(1);
  const count = detail.operators.find((o) => o.operatorId === 'count')!;
  expect(count.stateId).toBe('word-count-v1');
  await page.getByTestId('inspector-operator-toggle-count').press('Enter');
  for (const s of count.subtasks) {
    const row = page.getByTestId(`inspector-subtask-count-${s.index}`);
    await expect(row).toHaveAttribute('data-rows', String(s.rows));
    await expect(row).toHaveAttribute('data-written', String(s.writtenRows));
  }
  await page.getByTestId('inspector-kg-toggle-count-0').click();
  await expect(page.getByTestId('inspector-key-groups-0').getByTestId('inspector-key-group-row')).toHaveCount(Math.min(256, count.subtasks[0]!.keyGroups.length));

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('inspector-export').click()]);
  expect(download.suggestedFilename()).toBe(`word-count-checkpoint-${id}.json`);
  const exported = JSON.parse(await readFile(await download.path(), 'utf8')) as { sluice: string; checkpoint: typeof detail; operatorNames: Record<string, string> };
  expect(exported.sluice).toBe('checkpoint-metadata/1');
  expect(exported.checkpoint).toEqual(detail);
  expect(exported.operatorNames['count']).toBe(count.name);
  await expect(page.getByTestId('inspector-cleanups')).toBeVisible();
  expect(errors()).toEqual([]);
});

test('the state processor pages through every key with key groups recomputed for another max parallelism', async ({ page }) => {
  const errors = watchPageErrors(page);
  await loadJob(page, '/jobs/word-count.json');
  await startPaused(page, { seed: 7, stateBackend: 'idb', checkpointIntervalMs: 1000 });
  await advance(page, 2000);
  await page.getByTestId('run-tab-state').click();
  await page.getByTestId('state-processor-max-parallelism').fill('4096');
  await page.getByTestId('state-processor-parallelism').fill('40');
  await page.getByTestId('state-processor-scan').click();
  const rows = page.getByTestId('state-processor-row');
  await expect(rows).toHaveCount(50);
  const page1 = await page.evaluate(() => window.sluice!.scanState('count', { limit: 50, maxParallelism: 4096, parallelism: 40 }));
  for (const [i, r] of page1.rows.entries()) {
    expect(r.target.keyGroup).toBe(keyGroupForKey(r.key as string, 4096));
    await expect(rows.nth(i)).toHaveAttribute('data-target-key-group', String(r.target.keyGroup));
  }
  await page.getByTestId('state-processor-next').click();
  await expect(rows.first()).not.toHaveAttribute('data-key-group', String(page1.rows[0]!.keyGroup));

  await page.getByTestId('state-processor-count').click();
  const tally = page.getByTestId('state-processor-tally');
  await expect(tally).toHaveAttribute('data-done', 'true');
  const total = (await page.evaluate(() => window.sluice!.metrics())).state!.operators.find((o) => o.operatorId === 'count')!
    .subtasks.reduce((n, s) => n + s.totalEntries, 0);
  await expect(tally).toHaveAttribute('data-rows', String(total));
  expect(errors()).toEqual([]);
});
