// The State panel as a user meets it: run word count on IndexedDB, open the State tab, and read
// the key-group heat map (one cell per key group, one band per owning subtask, totals equal to
// what `window.sluice.metrics().state` reports), the backend figures, the storage persistence
// answer, and a lookup by typed key that lands in the key group Flink's hashing gives. The
// memory backend says it has no cache, Bloom filter or IndexedDB; a job without keyed
// operators says so too. Virtual time moves with `window.sluice.advance`, never with sleeps.
import { expect, test, type Page } from '@playwright/test';
import { keyGroupForKey } from '../src/engine';
import { openApp, waitForAutomation, watchPageErrors } from './helpers';

async function loadExample(page: Page, file: string): Promise<void> {
  const report = await page.evaluate(async (path) => window.sluice!.loadJob(await (await fetch(path)).json()), `/jobs/${file}`);
  expect(report.ok).toBe(true);
}

async function runPaused(page: Page, stateBackend: 'idb' | 'memory', ms: number): Promise<void> {
  const start = await page.evaluate((b) => window.sluice!.start({ paused: true, speed: 'max', stateBackend: b }), stateBackend);
  expect(start.ok).toBe(true);
  await page.evaluate((n) => window.sluice!.advance(n), ms);
}

async function openStateTab(page: Page): Promise<void> {
  await page.getByTestId('run-tab-state').click();
  await expect(page.getByTestId('state-panel')).toBeVisible();
}

test.beforeEach(async ({ page }) => {
  await openApp(page);
  await waitForAutomation(page);
});

test.afterEach(async ({ page }) => {
  await page.evaluate(() => window.sluice?.stop());
});

test('word count on IndexedDB: heat map by subtask, backend figures, and a key looked up by typing it', async ({ page }) => {
  const errors = watchPageErrors(page);
  await loadExample(page, 'word-count.json');
  await runPaused(page, 'idb', 3000);
  await openStateTab(page);

  const state = (await page.evaluate(() => window.sluice!.metrics())).state;
  expect(state?.backend).toBe('idb');
  const count = state!.operators.find((op) => op.operatorId === 'count')!;
  expect(count.subtasks).toHaveLength(4);

  await expect(page.getByTestId('state-heatmap')).toBeVisible();
  await expect(page.locator('[data-testid^="state-kg-"]')).toHaveCount(count.maxParallelism);
  for (const s of count.subtasks) {
    await expect(page.getByTestId(`state-subtask-${s.index}`)).toHaveAttribute('data-entries', String(s.totalEntries));
    const fullest = s.keyGroups.reduce((a, b) => (b.entries > a.entries ? b : a));
    await expect(page.getByTestId(`state-kg-${fullest.keyGroup}`)).toHaveAttribute('data-entries', String(fullest.entries));
  }

  // Keyboard: a subtask band takes focus, arrows walk its key groups, the tooltip names each.
  const first = count.subtasks[0]!;
  await page.getByTestId(`state-subtask-${first.index}`).focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByTestId('state-heatmap-tooltip')).toContainText(`Key group ${first.keyGroupStart + 1}`);
  await expect(page.getByTestId('state-heatmap-tooltip')).toContainText('TaskManager');

  for (const name of ['hit-ratio', 'bloom-negatives', 'idb-transactions-rate', 'idb-rows-rate', 'mean-batch', 'flush-causes', 'cache-fill', 'unflushed']) {
    await expect(page.getByTestId(`state-figure-${name}`)).toBeVisible();
  }
  const hits = Number(await page.getByTestId('state-figure-hit-ratio').getAttribute('data-value'));
  expect(hits).toBeGreaterThan(0);
  expect(hits).toBeLessThanOrEqual(1);
  await expect(page.getByTestId('state-persistence')).toContainText(/Persistent storage granted|Best-effort storage|not available|unknown/);

  // A word the job has counted: its row is where keyBy puts it.
  const out = await page.evaluate(() => window.sluice!.output('out'));
  const record = out.committed[0] ?? out.pending[0];
  expect(record).toBeTruthy();
  const key = String(record!.key);
  await page.getByTestId('state-lookup-input').fill(key);
  await page.getByTestId('state-lookup-input').press('Enter');
  const result = page.getByTestId('state-lookup-result');
  await expect(result).toHaveAttribute('data-found', 'true');
  const keyGroup = keyGroupForKey(key, count.maxParallelism);
  await expect(result).toHaveAttribute('data-key-group', String(keyGroup));
  const owner = count.subtasks.find((s) => keyGroup >= s.keyGroupStart && keyGroup <= s.keyGroupEnd)!;
  await expect(result).toHaveAttribute('data-subtask', String(owner.index));
  await expect(page.getByTestId('state-lookup-row').first()).toBeVisible();

  // A key never seen: found nowhere, said plainly.
  await page.getByTestId('state-lookup-input').fill('no such word, surely');
  await page.getByTestId('state-lookup-submit').click();
  await expect(page.getByTestId('state-lookup-empty')).toContainText('Nothing stored for this key');
  expect(errors()).toEqual([]);
});

test('the memory backend says what it does not have, instead of zeros', async ({ page }) => {
  await loadExample(page, 'word-count.json');
  await runPaused(page, 'memory', 1000);
  await openStateTab(page);
  await expect(page.getByTestId('state-figure-backend')).toHaveText('In-memory backend: no cache, Bloom filter or IndexedDB');
  await expect(page.getByTestId('state-figure-hit-ratio')).toHaveCount(0);
  await expect(page.getByTestId('state-heatmap')).toBeVisible();
});

test('a job without keyed operators says it keeps no keyed state', async ({ page }) => {
  await loadExample(page, 'parallel-pipeline.json');
  await runPaused(page, 'idb', 500);
  await openStateTab(page);
  await expect(page.getByTestId('state-empty')).toHaveAttribute('data-reason', 'not-keyed');
});
