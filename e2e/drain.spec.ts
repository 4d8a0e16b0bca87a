// Maintenance drain in the real app, on worker TaskManagers and IndexedDB state: the Cluster
// tab's Drain button moves every subtask off TaskManager 1 through a stop checkpoint and a
// restore; its worker stays up, idle, marked drained; the banner says what moved; returned to
// service it gets work again; and the committed counts are exactly once (every word's counts
// are 1, 2, …, n with none missing or doubled, 8000 words in all). Virtual time moves with
// `window.sluice.advance`, never with sleeps.
import { expect, test, type Page } from '@playwright/test';
import { expectScenarioPassed, openApp, runScenario, waitForAutomation, watchPageErrors } from './helpers';

test.beforeEach(async ({ page }) => {
  await openApp(page);
  await waitForAutomation(page);
});

test.afterEach(async ({ page }) => {
  await page.evaluate(() => window.sluice?.stop());
});

/** TaskManager workers alive in the page. */
function taskManagerWorkers(page: Page): number {
  return page.workers().filter((w) => /taskmanager\.worker/.test(w.url())).length;
}

test('draining TaskManager 1 from the Cluster tab moves its subtasks via a checkpoint and loses nothing', async ({ page }) => {
  const errors = watchPageErrors(page);
  const report = await page.evaluate(async () => {
    const scenario = (await (await fetch('/scenarios/maintenance-drain.json')).json()) as { job: unknown };
    return window.sluice!.loadJob(scenario.job);
  });
  expect(report.ok).toBe(true);
  const started = await page.evaluate(() => window.sluice!.start({
    paused: true, speed: 'max', stateBackend: 'idb', seed: 9, taskManagers: 3, slotsPerTaskManager: 2, checkpointIntervalMs: 1000,
  }));
  expect(started.ok).toBe(true);
  await expect.poll(() => taskManagerWorkers(page)).toBe(3);
  await page.evaluate(() => window.sluice!.advance(2500));

  await page.getByTestId('run-tab-cluster').click();
  const before = (await page.evaluate(() => window.sluice!.metrics())).taskManagers[1]!.subtasks.length;
  expect(before).toBeGreaterThan(0);
  await page.getByTestId('drain-taskmanager-1').click();
  await expect(page.getByTestId('taskmanager-1')).toHaveAttribute('data-drained', 'true');
  await expect(page.getByTestId('taskmanager-state-1')).toHaveText('⏏ drained for maintenance');
  await expect(page.getByTestId('drain-caption')).toHaveText(new RegExp(`^TaskManager 1 drained: ${before} subtasks? moved via checkpoint \\d+, nothing lost\\.$`));
  const drained = await page.evaluate(() => window.sluice!.metrics());
  expect(drained.taskManagers.map((tm) => tm.subtasks.length)).toEqual([4, 0, 2]);
  // The drained TaskManager's worker stays up (maintenance, not a failure).
  expect(taskManagerWorkers(page)).toBe(3);
  expect((await page.evaluate(() => window.sluice!.recoveries()))).toEqual([]);

  await page.evaluate(() => window.sluice!.advance(2000));
  await page.getByTestId('undrain-taskmanager-1').click();
  await expect(page.getByTestId('taskmanager-1')).toHaveAttribute('data-drained', 'false');
  await expect(page.getByTestId('drain-banner')).toHaveAttribute('data-kind', 'taskmanager-undrained');
  expect((await page.evaluate(() => window.sluice!.metrics())).taskManagers[1]!.subtasks.length).toBeGreaterThan(0);

  const status = await page.evaluate(() => window.sluice!.advance(20_000));
  expect(status.state).toBe('finished');
  const out = await page.evaluate(() => window.sluice!.output('out'));
  const counts = new Map<string, number[]>();
  for (const record of out.committed) counts.set(String(record.key), [...(counts.get(String(record.key)) ?? []), Number(record.value)]);
  let words = 0;
  for (const [key, values] of counts) {
    values.sort((a, b) => a - b);
    expect(values, key).toEqual(Array.from({ length: values.length }, (_, i) => i + 1));
    words += values.length;
  }
  expect(words).toBe(8000);
  expect(errors()).toEqual([]);
});

test('the maintenance-drain scenario passes in the browser, exactly once against a run that never moved', async ({ page }) => {
  expectScenarioPassed(await runScenario(page, 'scenarios/maintenance-drain.json'));
});
