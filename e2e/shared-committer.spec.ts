// The region-sharable committer in the designer: the example's committer belongs to every
// region feeding it, its preview cell carries all their colours and says so, and the inspector
// shows the flag as a checkbox; at run time it stays up while one feeding region restarts.
import { expect, test } from '@playwright/test';
import { openApp, watchPageErrors } from './helpers';

test('a region-sharable committer is previewed in every region that feeds it', async ({ page }) => {
  const errors = watchPageErrors(page);
  await openApp(page);
  const report = await page.evaluate(async () => window.sluice!.loadJob(await (await fetch('/jobs/shared-committer.json')).json()));
  expect(report.ok).toBe(true);

  const regions = await page.evaluate(() => window.sluice!.regions());
  expect(regions.map((r) => r.id)).toEqual([1, 2, 3, 4]);
  for (const region of regions) {
    expect(region.subtasks.some((s) => s.operatorId === 'commit')).toBe(true);
  }

  await page.keyboard.press('r');
  const cell = page.getByTestId('region-shared-commit');
  await expect(cell).toBeVisible();
  await expect(cell).toHaveAttribute('title', 'shared by regions 1, 2, 3, 4');
  await expect(cell).toHaveAttribute('data-regions', '1,2,3,4');
  await expect(page.getByTestId('subtask-tag_orders-1')).toHaveText('2');

  await page.getByTestId('node-commit').click();
  const flag = page.getByTestId('inspector-regionSharable');
  await expect(flag).toBeChecked();
  await flag.uncheck();
  await expect(page.getByTestId('region-shared-commit')).toHaveCount(0);
  await expect(page.getByTestId('region-2')).toHaveCount(0);
  expect(errors()).toEqual([]);
});

test('at run time the committer stays up while one pipeline region restarts, and says so', async ({ page }) => {
  const errors = watchPageErrors(page);
  await openApp(page);
  await page.evaluate(async () => window.sluice!.loadJob(await (await fetch('/jobs/shared-committer.json')).json()));
  const started = await page.evaluate(() => window.sluice!.start({
    paused: true, stateBackend: 'memory', checkpointMode: 'regional', failover: 'region', checkpointIntervalMs: 1000, restartDelayMs: 1000,
  }));
  expect(started.ok).toBe(true);
  await page.evaluate(() => window.sluice!.advance(3300));
  await page.evaluate(() => window.sluice!.inject({ kind: 'kill-task', operator: 'tag_orders', subtask: 1 }));
  await page.evaluate(() => window.sluice!.advance(2500));

  const cell = page.getByTestId('subtask-commit-0');
  await expect(cell).toHaveAttribute('data-regions', '1,2,3,4');
  await expect(cell).toHaveAttribute('data-state', 'running');
  await expect(page.getByTestId('run-shared-commit')).toHaveText('shared by regions 1, 2, 3, 4');
  await expect(page.getByTestId('recovery-banner')).toContainText('Region 2 restarted from checkpoint 3 (2 subtasks); Shared committer #0 stays up');
  const recoveries = await page.evaluate(() => window.sluice!.recoveries());
  expect(recoveries.flatMap((r) => r.restarted.map((s) => `${s.operatorId}#${s.index}`))).toEqual(['orders#1', 'tag_orders#1']);
  const events = await page.evaluate(() => window.sluice!.events());
  expect(events.some((e) => e.kind === 'committer-region-rewound' && e.message.includes('region 2 restarts from checkpoint 3'))).toBe(true);
  expect(errors()).toEqual([]);
});
