// Keyed state on IndexedDB in real Chromium: an example keyed job runs on the default backend
// (IndexedDB, the job's own database, opened by every TaskManager worker), `metrics().state`
// reports it with real IndexedDB transactions, `lookupState` of a word returns its count in the
// key group Flink's hashing gives, wrong lookups say what is wrong, and the database outlives
// the stop. Virtual time moves with `window.sluice.advance`, never with sleeps.
import { expect, test, type Page } from '@playwright/test';
import { keyGroupForKey } from '../src/engine';
import { openApp, waitForAutomation, watchPageErrors } from './helpers';

async function loadExample(page: Page, file: string): Promise<void> {
  const report = await page.evaluate(async (path) => window.sluice!.loadJob(await (await fetch(path)).json()), `/jobs/${file}`);
  expect(report.ok).toBe(true);
}

async function stateDatabases(page: Page): Promise<string[]> {
  return page.evaluate(async () => (await indexedDB.databases()).map((db) => db.name ?? '').filter((name) => name.startsWith('sluice-state-')));
}

test.beforeEach(async ({ page }) => {
  await openApp(page);
  await waitForAutomation(page);
});

test.afterEach(async ({ page }) => {
  await page.evaluate(() => window.sluice?.stop());
});

test('word count runs on IndexedDB by default; metrics show it and a word looked up has its count', async ({ page }) => {
  test.setTimeout(60_000);
  const errors = watchPageErrors(page);
  await loadExample(page, 'word-count.json');
  const start = await page.evaluate(() => window.sluice!.start({ paused: true, speed: 'max' }));
  expect(start.ok).toBe(true);
  expect(start.ok && start.config.stateBackend).toBe('idb');
  const status = await page.evaluate(() => window.sluice!.advance(3_000));
  expect(status).toMatchObject({ state: 'paused', virtualTimeMs: 3_000 });

  const state = (await page.evaluate(() => window.sluice!.metrics())).state;
  expect(state?.backend).toBe('idb');
  expect(state?.figures.kind).toBe('idb');
  expect(state?.figures.idbTransactions).toBeGreaterThan(0);
  expect(state?.perTaskManager.length).toBe(2);
  const count = state?.operators.find((op) => op.operatorId === 'count');
  expect(count?.stateId).toBe('word-count-v1');
  const entries = count?.subtasks.reduce((sum, s) => sum + s.totalEntries, 0) ?? 0;
  expect(entries).toBeGreaterThan(100);
  console.log(`keyed state on IndexedDB after 3 virtual s: ${entries} keys, ${state?.figures.idbTransactions} IndexedDB transactions, ` +
    `${state?.figures.idbRowsWritten} rows written, ${state?.figures.flushes} flushes`);

  // The most counted word so far, as the sink saw it: state holds at least that count.
  const output = await page.evaluate(() => window.sluice!.output('out'));
  const records = [...output.committed, ...output.pending];
  const top = records.reduce((a, b) => ((b.value as number) > (a.value as number) ? b : a));
  const word = top.key as string;
  const answer = await page.evaluate((w) => window.sluice!.lookupState('count', w), word);
  expect(answer.operatorId).toBe('count');
  expect(answer.keyGroup).toBe(keyGroupForKey(word, count?.maxParallelism as number));
  const owner = count?.subtasks.find((s) => s.index === answer.subtask);
  expect(answer.keyGroup).toBeGreaterThanOrEqual(owner?.keyGroupStart as number);
  expect(answer.keyGroup).toBeLessThanOrEqual(owner?.keyGroupEnd as number);
  expect(answer.taskManager).toBe(owner?.taskManager);
  expect(answer.entries).toHaveLength(1);
  expect(answer.entries[0]?.namespace).toBe('');
  expect(answer.entries[0]?.value as number).toBeGreaterThanOrEqual(top.value as number);

  // Wrong lookups say what is wrong.
  const notKeyed = await page.evaluate(() => window.sluice!.lookupState('normalise', 'a').then(() => 'answered', (e: Error) => e.message));
  expect(notKeyed).toMatch(/keeps no keyed state/);
  const unknown = await page.evaluate(() => window.sluice!.lookupState('nope', 'a').then(() => 'answered', (e: Error) => e.message));
  expect(unknown).toMatch(/does not exist/);

  // The job's database exists and outlives the stop (later restores read it).
  expect((await stateDatabases(page)).length).toBe(1);
  await page.evaluate(() => window.sluice!.stop());
  expect((await stateDatabases(page)).length).toBe(1);
  expect(errors()).toEqual([]);
});

test('lookups work while the job runs, and a fresh run starts from no state', async ({ page }) => {
  test.setTimeout(60_000);
  await loadExample(page, 'word-count.json');
  await page.evaluate(() => window.sluice!.start({ paused: true, speed: 'max' }));
  await page.evaluate(() => window.sluice!.advance(2_000));
  const output = await page.evaluate(() => window.sluice!.output('out'));
  const top = [...output.committed, ...output.pending].reduce((a, b) => ((b.value as number) > (a.value as number) ? b : a));
  const word = top.key as string;
  await page.evaluate(() => window.sluice!.resume());
  const running = await page.evaluate((w) => window.sluice!.lookupState('count', w), word);
  expect(running.entries[0]?.value as number).toBeGreaterThanOrEqual(top.value as number);
  expect((await page.evaluate(() => window.sluice!.status())).state).toBe('running');

  // Start again: the job's database is cleared first, so counts start over.
  await page.evaluate(() => window.sluice!.start({ paused: true, speed: 'max' }));
  await page.evaluate(() => window.sluice!.advance(100));
  const fresh = await page.evaluate((w) => window.sluice!.lookupState('count', w), word);
  const freshCount = (fresh.entries[0]?.value as number | undefined) ?? 0;
  expect(freshCount).toBeLessThan(top.value as number);
});
