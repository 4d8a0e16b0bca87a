// JobManager failover in the real app (real workers, real IndexedDB): the JobManager worker is
// terminated for real, a successor worker recovers the job from the HA stores — the coordination
// store worker, or with it down the IndexedDB file store — and adopts the TaskManager workers,
// which the main thread owns and which keep running: same workers, same execution attempts, no
// restart, and the committed word counts exactly once (every word's counts are 1, 2, …, n with
// none missing or doubled, 8000 words in all). Virtual time moves with `window.sluice.advance`.
import { expect, test, type Page, type Worker } from '@playwright/test';
import { expectScenarioPassed, openApp, runScenario, waitForAutomation, watchPageErrors } from './helpers';

test.beforeEach(async ({ page }) => {
  await openApp(page);
  await waitForAutomation(page);
});

test.afterEach(async ({ page }) => {
  await page.evaluate(() => window.sluice?.stop());
});

function workersLike(page: Page, pattern: RegExp): Worker[] {
  return page.workers().filter((w) => pattern.test(w.url()));
}

/** Starts the failover scenario's bounded word count, paused, on two TaskManager workers. */
async function startWordCount(page: Page): Promise<void> {
  const report = await page.evaluate(async () => {
    const scenario = (await (await fetch('/scenarios/jobmanager-failover.json')).json()) as { job: unknown };
    return window.sluice!.loadJob(scenario.job);
  });
  expect(report.ok).toBe(true);
  const started = await page.evaluate(() => window.sluice!.start({
    paused: true, speed: 'max', stateBackend: 'idb', seed: 21, taskManagers: 2, slotsPerTaskManager: 4, checkpointIntervalMs: 1000,
  }));
  expect(started.ok).toBe(true);
  await expect.poll(() => workersLike(page, /taskmanager\.worker/).length).toBe(2);
}

/** Runs to the end and checks every word's committed counts are 1..n, 8000 words in all. */
async function expectExactlyOnceCounts(page: Page): Promise<void> {
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
}

test('killing the JobManager from the Cluster tab: a new leader adopts the running TaskManagers, nothing restarts, counts exactly once', async ({ page }) => {
  const errors = watchPageErrors(page);
  await startWordCount(page);
  await page.evaluate(() => window.sluice!.advance(3000));
  const taskManagers = workersLike(page, /taskmanager\.worker/);
  const attempts = (await page.evaluate(() => window.sluice!.metrics())).subtasks.map((s) => s.attempt ?? 0);
  await page.getByTestId('run-tab-cluster').click();
  await expect(page.getByTestId('jobmanager-card')).toHaveAttribute('data-leader', 'jobmanager-1');

  await page.getByTestId('kill-jobmanager').click();
  // Paused: the kill lands at the next round boundary, during this advance, which still ends at 4000 ms.
  const status = await page.evaluate(() => window.sluice!.advance(1000));
  expect(status).toMatchObject({ state: 'paused', virtualTimeMs: 4000 });

  const ha = await page.evaluate(() => window.sluice!.haStatus());
  expect(ha).toMatchObject({ leader: 'jobmanager-2', epoch: 2, coordinationUp: true });
  expect(ha.leaderChanges).toHaveLength(1);
  expect(ha.leaderChanges[0]).toMatchObject({ leader: 'jobmanager-2', recoveredFrom: 'coordination', keptRunning: attempts.length });
  expect(ha.takeovers).toHaveLength(1);
  expect(ha.takeovers[0]!.wallMs).toBeGreaterThan(0);
  // The same TaskManager workers, the same execution attempts: adopted, not restarted.
  expect(workersLike(page, /taskmanager\.worker/)).toEqual(taskManagers);
  expect(workersLike(page, /jobmanager\.worker/)).toHaveLength(1);
  expect((await page.evaluate(() => window.sluice!.metrics())).subtasks.map((s) => s.attempt ?? 0)).toEqual(attempts);
  expect(await page.evaluate(() => window.sluice!.recoveries())).toEqual([]);
  const kinds = (await page.evaluate(() => window.sluice!.events())).map((e) => e.kind);
  expect(kinds).toEqual(expect.arrayContaining(['jobmanager-lost', 'leader-elected', 'jobmanager-reconciled']));

  await expect(page.getByTestId('jobmanager-card')).toHaveAttribute('data-leader', 'jobmanager-2');
  await expect(page.getByTestId('failover-caption')).toHaveText(
    `JobManager failed over: jobmanager-2 (epoch 2) took over from the coordination store; ${attempts.length} subtasks kept running, none restarted.`);
  await expect(page.locator('[data-testid^="timeline-mark-"][data-kind="leader"]')).toHaveCount(1);

  await expectExactlyOnceCounts(page);
  expect(errors()).toEqual([]);
});

test('with the coordination store down, the new leader recovers from the IndexedDB file store', async ({ page }) => {
  const errors = watchPageErrors(page);
  await startWordCount(page);
  await page.evaluate(() => window.sluice!.advance(2000));
  await page.getByTestId('run-tab-faults').click();
  await page.getByTestId('fault-coordination-down').click();
  await expect.poll(async () => (await page.evaluate(() => window.sluice!.haStatus())).coordinationUp).toBe(false);
  await page.evaluate(() => window.sluice!.advance(1000));
  await page.getByTestId('fault-kill-jobmanager').click();
  await page.evaluate(() => window.sluice!.advance(1000));

  const ha = await page.evaluate(() => window.sluice!.haStatus());
  expect(ha.leaderChanges.at(-1)).toMatchObject({ leader: 'jobmanager-2', recoveredFrom: 'file', reason: 'the coordination store is down' });
  expect(ha.coordinationUp).toBe(false);
  await expect(page.getByTestId('failover-caption')).toContainText('took over from the file store');
  expect((await page.evaluate(() => window.sluice!.metrics())).subtasks.every((s) => (s.attempt ?? 0) === 0)).toBe(true);

  await page.getByTestId('fault-coordination-up').click();
  await expect.poll(async () => (await page.evaluate(() => window.sluice!.haStatus())).coordinationUp).toBe(true);
  await expectExactlyOnceCounts(page);
  expect(errors()).toEqual([]);
});

test('the jobmanager-failover scenario passes in the browser, exactly once against a run without failover', async ({ page }) => {
  expectScenarioPassed(await runScenario(page, 'scenarios/jobmanager-failover.json'));
});
