// Live visualisation as a user meets it: subtask cells drawn as the cluster reports them (state,
// TaskManager, region); click a subtask, kill it, and watch the failure, the restart and the
// recovery caption; the straggler view and the backpressure origin; timeline marks that open
// their checkpoint; refused faults said plainly. Virtual time moves by `window.sluice.advance`.
import { expect, test, type Page } from '@playwright/test';
import { openApp, waitForAutomation, watchPageErrors } from './helpers';

async function loadExample(page: Page, file: string): Promise<void> {
  const report = await page.evaluate(async (path) => window.sluice!.loadJob(await (await fetch(path)).json()), `/jobs/${file}`);
  expect(report.ok).toBe(true);
}

const advance = (page: Page, ms: number) => page.evaluate((n) => window.sluice!.advance(n), ms);
const start = (page: Page) => page.evaluate(() => window.sluice!.start({ paused: true, stateBackend: 'memory' }));

test.beforeEach(async ({ page }) => {
  await openApp(page);
  await waitForAutomation(page);
});

test.afterEach(async ({ page }) => {
  await page.evaluate(() => window.sluice?.stop());
});

test('every subtask cell shows the state, TaskManager and region the cluster reports', async ({ page }) => {
  const errors = watchPageErrors(page);
  await loadExample(page, 'parallel-pipeline.json');
  expect((await start(page)).ok).toBe(true);
  await advance(page, 1500);
  const metrics = await page.evaluate(() => window.sluice!.metrics());
  const regions = await page.evaluate(() => window.sluice!.regions());
  const regionOf = new Map(regions.flatMap((r) => r.subtasks.map((s) => [`${s.operatorId}#${s.index}`, r.id] as const)));
  expect(metrics.subtasks.length).toBe(16);
  for (const s of metrics.subtasks) {
    const cell = page.getByTestId(`subtask-${s.operatorId}-${s.index}`);
    await expect(cell).toHaveAttribute('data-state', s.state);
    await expect(cell).toHaveAttribute('data-taskmanager', String(s.taskManager));
    await expect(cell).toHaveAttribute('data-region', String(regionOf.get(`${s.operatorId}#${s.index}`)));
  }
  for (const r of regions) await expect(page.getByTestId(`region-${r.id}`)).toHaveAttribute('data-subtasks', String(r.subtasks.length));
  await expect(page.getByTestId('timeline')).toBeVisible();
  await expect(page.getByTestId('timeline-line-numbers')).toBeAttached();
  expect(errors()).toEqual([]);
});

test('click a subtask, kill it: it fails, its region restarts and the caption says from which checkpoint', async ({ page }) => {
  const errors = watchPageErrors(page);
  await loadExample(page, 'parallel-pipeline.json');
  await start(page);
  await advance(page, 2500); // checkpoint 1 completes at about 2.2 s
  await page.getByTestId('subtask-triple-1').click();
  await expect(page.getByTestId('subtask-menu')).toBeVisible();
  await page.getByTestId('subtask-menu-kill').click();
  await advance(page, 100);
  await expect.poll(() => page.evaluate(async () => (await window.sluice!.events()).some((e) => e.kind === 'task-failed'))).toBe(true);
  const during = await page.evaluate(() => window.sluice!.metrics());
  const killed = during.subtasks.find((s) => s.operatorId === 'triple' && s.index === 1);
  await expect(page.getByTestId('subtask-triple-1')).toHaveAttribute('data-state', killed!.state);
  expect(['failed', 'canceled', 'restarting', 'restoring']).toContain(killed!.state);

  await advance(page, 2000);
  await expect(page.getByTestId('recovery-caption')).toHaveText(/Region \d+ restarted from checkpoint \d+ \(4 subtasks\)/);
  // The caption says what the JobManager's recovery report says.
  const [report] = await page.evaluate(() => window.sluice!.recoveries());
  const from = report!.restoredFrom[0]!.checkpointId;
  await expect(page.getByTestId('recovery-caption')).toHaveText(`Region ${report!.regions[0]} restarted from checkpoint ${from} (${report!.restarted.length} subtasks)`);
  await expect(page.getByTestId('subtask-triple-1')).toHaveAttribute('data-state', 'running');
  await page.getByTestId('run-tab-faults').click();
  await expect(page.getByTestId('fault-log-entry').first()).toHaveAttribute('data-outcome', 'applied');
  await expect(page.getByTestId('fault-log-entry').first()).toContainText('Kill Triple #1');
  await expect(page.locator('[data-testid^="timeline-mark-"][data-kind="failure"]').first()).toBeAttached();
  expect(errors()).toEqual([]);
});

test('a refused fault says why in the fault log; the Faults panel works from the keyboard', async ({ page }) => {
  await loadExample(page, 'parallel-pipeline.json');
  await start(page);
  await advance(page, 500);
  const refused = await page.evaluate(() => window.sluice!.inject({ kind: 'fail-checkpoint', region: 99 }).then(() => null, (e: Error) => e.message));
  expect(refused).toMatch(/Region 99 does not exist/);
  await page.getByTestId('run-tab-faults').click();
  const entry = page.getByTestId('fault-log-entry').first();
  await expect(entry).toHaveAttribute('data-outcome', 'refused');
  await expect(entry).toContainText('Region 99 does not exist');
  // From the panel, with the keyboard: fail the next checkpoint in region 2.
  await page.getByTestId('fault-region').selectOption('2');
  await page.getByTestId('fault-fail-checkpoint').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('fault-log-entry').first()).toHaveAttribute('data-kind', 'fail-checkpoint');
  // And by direct manipulation, from the regions legend on the canvas.
  await page.getByTestId('region-fail-checkpoint-4').click();
  await expect(page.getByTestId('fault-log-entry').first()).toContainText('region 4');
  await expect(page.getByTestId('fault-log-entry').first()).toHaveAttribute('data-outcome', 'applied');
});

test('straggler: the slowed subtask is the backpressure origin, and channel selection switches live', async ({ page }) => {
  const errors = watchPageErrors(page);
  await loadExample(page, 'straggler-rebalance.json');
  await start(page);
  await advance(page, 1000);
  await page.getByTestId('run-tab-channels').click();
  await page.getByTestId('channel-slow-work-1').click();
  await advance(page, 5000);
  await expect(page.getByTestId('bp-origin-work')).toBeVisible();
  await expect(page.getByTestId('subtask-work-1')).toHaveAttribute('data-origin', 'true');
  await expect(page.getByTestId('edge-origin-source-work')).toBeVisible();
  const backlog = Number(await page.getByTestId('channel-row-source-work-1').getAttribute('data-backlog'));
  expect(backlog).toBeGreaterThan(0);
  await page.getByTestId('channel-selection-backlog').click();
  await expect(page.getByTestId('channel-selection-backlog')).toHaveAttribute('aria-checked', 'true');
  await advance(page, 200);
  await expect.poll(() => page.evaluate(async () => (await window.sluice!.events()).some((e) => e.kind === 'channel-selection-changed'))).toBe(true);
  expect(errors()).toEqual([]);
});

test('a checkpoint on the timeline opens its row in the Checkpoints panel', async ({ page }) => {
  await loadExample(page, 'parallel-pipeline.json');
  await start(page);
  await advance(page, 4500);
  const mark = page.locator('[data-testid^="timeline-checkpoint-"][data-status="completed"]').first();
  await expect(mark).toBeAttached();
  const id = (await mark.getAttribute('data-testid'))!.replace('timeline-checkpoint-', '');
  await mark.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('checkpoints-panel')).toBeVisible();
  await expect(page.getByTestId(`checkpoint-row-${id}`)).toHaveAttribute('data-status', 'completed');
  await expect(page.getByTestId(`checkpoint-subtasks-${id}`)).toBeVisible();
  // Rows say what window.sluice.checkpoints() says.
  const history = (await page.evaluate(() => window.sluice!.checkpoints())).history;
  const row = history.find((c) => c.id === Number(id))!;
  await expect(page.getByTestId(`checkpoint-acked-${id}`)).toHaveText(`${row.acknowledged}/${row.total}`);
  for (const r of row.regions) await expect(page.getByTestId(`checkpoint-region-${id}-${r.region}`)).toHaveAttribute('data-status', r.status);
  await page.getByTestId('checkpoint-trigger').click();
  await advance(page, 500);
  await expect.poll(async () => Number(await page.getByTestId('checkpoint-count-completed').textContent().then((t) => t?.match(/\d+/)?.[0] ?? 0))).toBeGreaterThan(Number(id));
});
