// Running a job as a user meets it: press Run and watch counts grow and output arrive; pause,
// step and resume (virtual time moves by exactly the step); kill a TaskManager or hit a
// throwing expression and read why the job failed; slow a subtask from its cell; stop and
// edit again. Virtual time is waited on with `window.sluice.advance`, never with sleeps.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { openApp, startPaused, waitForAutomation, watchPageErrors } from './helpers';

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), 'utf8'));

async function loadExample(page: Page, file: string): Promise<void> {
  const report = await page.evaluate(async (path) => {
    const job: unknown = await (await fetch(path)).json();
    return window.sluice!.loadJob(job);
  }, `/jobs/${file}`);
  expect(report.ok).toBe(true);
}

async function loadFixture(page: Page, name: string): Promise<void> {
  const report = await page.evaluate((job) => window.sluice!.loadJob(job), fixture(name));
  expect(report.ok).toBe(true);
}

/** Runs `ms` of virtual time (then the run is paused). */
const advance = (page: Page, ms: number) => page.evaluate((n) => window.sluice!.advance(n), ms);

const value = async (page: Page, testId: string): Promise<number> =>
  Number(await page.getByTestId(testId).getAttribute('data-value'));

/** Presses Run in the run bar at the fastest speed and waits until the cluster is up. */
async function runFast(page: Page): Promise<void> {
  await page.getByTestId('run-speed').selectOption('max');
  await page.getByTestId('cmd-run').click();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-state', /running|paused|finished|failed/);
}

test.beforeEach(async ({ page }) => {
  await openApp(page);
  await waitForAutomation(page);
});

test.afterEach(async ({ page }) => {
  await page.evaluate(() => window.sluice?.stop());
});

test('runs word count: node counts grow and the sink output appears', async ({ page }) => {
  const errors = watchPageErrors(page);
  await loadExample(page, 'word-count.json');
  await expect(page.getByTestId('cmd-run')).toBeEnabled();
  await runFast(page);
  await expect(page.getByTestId('run-bar')).toBeVisible();
  await expect(page.getByTestId('canvas-readonly-hint')).toBeVisible();

  await advance(page, 2000);
  await expect.poll(() => value(page, 'node-records-out-words')).toBeGreaterThan(0);
  const first = await value(page, 'node-records-in-count');
  expect(first).toBeGreaterThan(0);
  await advance(page, 2000);
  await expect.poll(() => value(page, 'node-records-in-count')).toBeGreaterThan(first);

  const metrics = await page.evaluate(() => window.sluice!.metrics());
  const count = metrics.operators.find((op) => op.operatorId === 'count');
  expect(count?.recordsIn).toBe(await value(page, 'node-records-in-count'));
  expect(metrics.subtasks.filter((s) => s.operatorId === 'count')).toHaveLength(4);
  await expect(page.getByTestId('subtask-count-3')).toHaveAttribute('data-state', 'running');

  await expect(page.getByTestId('output-panel')).toBeVisible();
  const out = await page.evaluate(() => window.sluice!.output('out'));
  expect(out.committedCount + out.pendingCount).toBeGreaterThan(0);
  await expect.poll(async () => (await value(page, 'output-committed-count-out')) + (await value(page, 'output-pending-count-out')))
    .toBe(out.committedCount + out.pendingCount);
  await expect(page.getByTestId('output-row').first()).toBeVisible();
  expect(errors()).toEqual([]);
});

test('pause, step and resume: a step moves virtual time by exactly 100 ms', async ({ page }) => {
  await loadExample(page, 'word-count.json');
  await runFast(page);
  await page.getByTestId('cmd-pause-resume').click();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-state', 'paused');
  await expect(page.getByTestId('cmd-pause-resume')).toHaveText('Resume');

  const t0 = (await page.evaluate(() => window.sluice!.status())).virtualTimeMs;
  await expect(page.getByTestId('run-time')).toHaveAttribute('data-value', String(t0));
  await page.getByTestId('cmd-step').click();
  await expect(page.getByTestId('run-time')).toHaveAttribute('data-value', String(t0 + 100));
  expect((await page.evaluate(() => window.sluice!.status())).virtualTimeMs).toBe(t0 + 100);

  // The keyboard: `.` steps, Space resumes and pauses (focus away from any button first).
  await page.getByTestId('run-time').click();
  await page.keyboard.press('.');
  await expect(page.getByTestId('run-time')).toHaveAttribute('data-value', String(t0 + 200));
  const status = await advance(page, 250);
  expect(status).toMatchObject({ state: 'paused', virtualTimeMs: t0 + 450 });
  await page.keyboard.press('Space');
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-state', 'running');
  await page.keyboard.press('Space');
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-state', 'paused');
});

test('killing a TaskManager: a fresh worker takes over and its subtasks restore from the last checkpoint', async ({ page }) => {
  await loadExample(page, 'word-count.json');
  await runFast(page);
  await advance(page, 2500);
  await page.getByTestId('run-tab-cluster').click();
  await expect(page.getByTestId('cluster-panel')).toBeVisible();
  const victim = (await page.evaluate(() => window.sluice!.metrics())).taskManagers[0]!.index;
  await page.getByTestId(`kill-taskmanager-${victim}`).click();
  await expect(page.getByTestId('toast').filter({ hasText: 'takes effect when the run goes on' })).toBeVisible();
  // Past the restart delay (1000 virtual ms by default): the region is back.
  const status = await advance(page, 3000);
  expect(status.state).toBe('paused');
  const recoveries = await page.evaluate(() => window.sluice!.recoveries());
  expect(recoveries.length).toBeGreaterThan(0);
  expect(recoveries[0]!.cause.code).toMatch(/taskmanager/);
  expect(recoveries[0]!.resumedMs).toBeDefined();
  await expect(page.getByTestId('recovery-banner')).toBeVisible();
  await expect(page.getByTestId(`taskmanager-${victim}`)).toHaveAttribute('data-alive', 'true');
});

test('killing a TaskManager with no restarts allowed fails the job and shows its cause', async ({ page }) => {
  await loadExample(page, 'word-count.json');
  // Started through the automation API with restarts off; the UI follows the same run.
  await startPaused(page, { restartAttempts: 0, speed: 'max' });
  await advance(page, 500);
  await page.getByTestId('run-tab-cluster').click();
  await expect(page.getByTestId('cluster-panel')).toBeVisible();
  const { taskManagers } = await page.evaluate(() => window.sluice!.metrics());
  expect(taskManagers.length).toBe(2);
  const victim = taskManagers[0]!.index;
  await expect(page.getByTestId(`taskmanager-${victim}`)).toHaveAttribute('data-alive', 'true');

  await page.getByTestId(`kill-taskmanager-${victim}`).click();
  // Faults take effect at the next tick; the run is paused after `advance`, so let it go on.
  await expect(page.getByTestId('toast').filter({ hasText: 'takes effect when the run goes on' })).toBeVisible();
  await advance(page, 100);
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-state', 'failed');
  const status = await page.evaluate(() => window.sluice!.status());
  expect(status.state).toBe('failed');
  expect(JSON.stringify(status.failure)).toMatch(/TaskManager|taskmanager/);

  await expect(page.getByTestId('run-failure')).toBeVisible();
  await page.getByTestId('run-failure').click();
  await expect(page.getByTestId('run-failure-details')).toContainText(`TaskManager ${victim}`);
  await expect(page.getByTestId(`taskmanager-${victim}`)).toHaveAttribute('data-alive', 'false');

  await page.getByTestId('run-tab-events').click();
  await expect(page.getByTestId('events-panel').getByTestId('event-item').filter({ hasText: /TaskManager/ }).first()).toBeVisible();
  await expect(page.getByTestId('cmd-pause-resume')).toBeDisabled();
});

test('a map whose expression throws fails its task, naming the operator', async ({ page }) => {
  await loadFixture(page, 'throwing-map.sluice.json');
  await runFast(page);
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-state', 'failed');
  const status = await page.evaluate(() => window.sluice!.status());
  expect(JSON.stringify(status.failure)).toContain('broken');
  await page.getByTestId('run-failure').click();
  await expect(page.getByTestId('run-failure-details')).toContainText('Broken map');
  await expect(page.getByTestId('run-failure-details')).toContainText(/text|number/);
  await expect(page.getByTestId('subtask-broken-0')).toHaveAttribute('data-state', 'failed');
});

test('a subtask is slowed down from its cell, and the figures say so', async ({ page }) => {
  await loadExample(page, 'straggler-rebalance.json');
  await runFast(page);
  await advance(page, 500);
  await page.getByTestId('subtask-work-2').click();
  await expect(page.getByTestId('subtask-menu')).toBeVisible();
  await page.getByTestId('subtask-menu-slow-10').click();
  await expect(page.getByTestId('subtask-menu')).toBeHidden();
  await advance(page, 1000);
  const metrics = await page.evaluate(() => window.sluice!.metrics());
  expect(metrics.subtasks.find((s) => s.operatorId === 'work' && s.index === 2)?.slowFactor).toBe(10);
  await expect(page.getByTestId('subtask-work-2')).toHaveAttribute('data-slow-factor', '10');

  // Channel selection switches while the job runs.
  await page.getByTestId('run-channel-selection').selectOption('backlog');
  await advance(page, 500);
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-state', 'paused');
});

test('the job is read-only while it runs, and Stop returns to design mode', async ({ page }) => {
  await loadExample(page, 'word-count.json');
  await page.getByTestId('run-seed').fill('42');
  await page.getByTestId('run-taskmanagers').fill('4');
  await page.getByTestId('run-slots').fill('1');
  await runFast(page);
  const report = await page.evaluate(() => window.sluice!.status());
  expect(report.state).not.toBe('failed');
  await expect(page.getByTestId('palette-map')).toBeDisabled();
  await expect(page.getByTestId('inspector-readonly')).toBeVisible();
  await expect(page.getByTestId('run-seed')).toBeDisabled();
  await page.getByTestId('node-count').click();
  await page.keyboard.press('Delete');
  expect((await page.evaluate(() => window.sluice!.getJob())).operators).toHaveLength(5);
  expect((await page.evaluate(() => window.sluice!.metrics())).taskManagers).toHaveLength(4);

  await page.getByTestId('cmd-stop').click();
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-state', 'idle');
  await expect(page.getByTestId('validation-panel')).toBeVisible();
  await expect(page.getByTestId('palette-map')).toBeEnabled();
  await expect(page.getByTestId('cmd-run')).toBeEnabled();
  await expect(page.getByTestId('run-seed')).toHaveValue('42');
});

test('an invalid job cannot run, and the Run button says why', async ({ page }) => {
  await loadExample(page, 'word-count.json');
  await page.getByTestId('run-slots').fill('1');
  await page.getByTestId('run-taskmanagers').fill('1');
  await expect(page.getByTestId('cmd-run')).toBeDisabled();
  await expect(page.getByTestId('cmd-run')).toHaveAttribute('title', /needs 4 slots/);
  await expect(page.getByTestId('run-blocked-reason')).toContainText('needs 4 slots');
  const report = await page.evaluate(() => window.sluice!.start({ taskManagers: 1, slotsPerTaskManager: 1 }));
  expect(report.ok).toBe(false);
  await expect(page.getByTestId('run-status')).toHaveAttribute('data-state', 'idle');
});

test('the same seed gives the same trace hash', async ({ page }) => {
  await loadExample(page, 'word-count.json');
  const hashOf = () => page.evaluate(async () => {
    const s = window.sluice!;
    const report = await s.start({ seed: 7, paused: true, speed: 'max' });
    if (!report.ok) throw new Error(JSON.stringify(report.errors));
    await s.advance(1500);
    const hash = await s.traceHash();
    const out = await s.output('out');
    await s.stop();
    return { hash, committed: out.committedCount, pending: out.pendingCount };
  });
  const a = await hashOf();
  const b = await hashOf();
  expect(b).toEqual(a);
});
