// Rescale seen live: word count on IndexedDB is rescaled (its keyed Count from 4 subtasks to 2)
// and the canvas banner says what happened — key groups reassigned, no state row moved — while
// the State panel's heat map shows the new ownership: one band per subtask, each with exactly
// the key-group range `window.sluice.metrics().state` reports, and a note listing the ranges
// that changed owner. Virtual time moves with `window.sluice.advance`, never with sleeps.
import { expect, test } from '@playwright/test';
import { openApp, waitForAutomation, watchPageErrors } from './helpers';

test.beforeEach(async ({ page }) => {
  await openApp(page);
  await waitForAutomation(page);
});

test.afterEach(async ({ page }) => {
  await page.evaluate(() => window.sluice?.stop());
});

test('rescaling Count 4 → 2 reassigns key groups on the heat map and moves no state row', async ({ page }) => {
  const errors = watchPageErrors(page);
  const report = await page.evaluate(async () => window.sluice!.loadJob(await (await fetch('/jobs/word-count.json')).json()));
  expect(report.ok).toBe(true);
  const start = await page.evaluate(() => window.sluice!.start({ paused: true, speed: 'max', stateBackend: 'idb' }));
  expect(start.ok).toBe(true);
  await page.evaluate(() => window.sluice!.advance(3000));
  await page.getByTestId('run-tab-state').click();
  await expect(page.locator('[data-testid^="state-subtask-"][data-kg-start]')).toHaveCount(4);

  await page.evaluate(() => window.sluice!.rescale('count', 2));
  await page.evaluate(() => window.sluice!.advance(500));

  const banner = page.getByTestId('rescale-banner');
  await expect(banner).toBeVisible();
  await expect(banner).toHaveAttribute('data-operator', 'count');
  await expect(banner).toHaveAttribute('data-from', '4');
  await expect(banner).toHaveAttribute('data-to', '2');
  await expect(page.getByTestId('rescale-caption')).toHaveText(/^Count per word rescaled 4 → 2: key groups reassigned, (0 state rows moved|no state copied)$/);

  const count = (await page.evaluate(() => window.sluice!.metrics())).state!.operators.find((op) => op.operatorId === 'count')!;
  expect(count.subtasks).toHaveLength(2);
  const bands = page.locator('[data-testid^="state-subtask-"][data-kg-start]');
  await expect(bands).toHaveCount(2);
  for (const s of count.subtasks) {
    const band = page.getByTestId(`state-subtask-${s.index}`);
    await expect(band).toHaveAttribute('data-kg-start', String(s.keyGroupStart));
    await expect(band).toHaveAttribute('data-kg-end', String(s.keyGroupEnd));
  }

  const diff = page.getByTestId('state-rescale-diff');
  await expect(diff).toHaveAttribute('data-from', '4');
  await expect(diff).toHaveAttribute('data-to', '2');
  await expect(diff).toHaveAttribute('data-after', count.subtasks.map((s) => `${s.index}:${s.keyGroupStart}-${s.keyGroupEnd}`).join(','));
  // Four equal ranges into two: only kg 0–255 keeps its subtask (#0); #1 now owns #2's and #3's.
  await expect(diff).toHaveAttribute('data-moved-key-groups', String(count.maxParallelism * 3 / 4));
  await expect(diff).toContainText('Rescaled 4 → 2');

  await page.getByTestId('rescale-banner-dismiss').click();
  await expect(banner).toHaveCount(0);
  expect(errors()).toEqual([]);
});
