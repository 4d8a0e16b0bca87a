// Fault tolerance in real Chromium: checkpoints on (IndexedDB state, the default), kill a
// TaskManager worker mid-run; the worker is terminated for real, a fresh one takes its place and
// restores its subtasks from the last completed checkpoint, and the committed output of the
// bounded job is exactly what a failure-free run commits: no record lost, none duplicated.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import type { JobGraph } from '../src/engine/job/types';
import { openApp, waitForAutomation, watchPageErrors } from './helpers';

const BOUNDED = JSON.parse(readFileSync(fileURLToPath(new URL('./fixtures/bounded-pipeline.sluice.json', import.meta.url)), 'utf8')) as JobGraph;
const CONFIG = { taskManagers: 2, slotsPerTaskManager: 2, seed: 3, checkpointIntervalMs: 200, restartDelayMs: 100, paused: true, speed: 'max' as const };

async function taskManagerWorkerCount(page: Page): Promise<number> {
  return page.workers().filter((w) => /taskmanager\.worker/.test(w.url())).length;
}

const sorted = (records: readonly unknown[]): string[] => records.map((r) => JSON.stringify(r)).sort();

test('kill a TaskManager worker mid-run with checkpoints on: the job recovers and commits every record exactly once', async ({ page }) => {
  test.setTimeout(120_000);
  const errors = watchPageErrors(page);
  await openApp(page);
  await waitForAutomation(page);
  expect((await page.evaluate((job) => window.sluice!.loadJob(job), BOUNDED)).ok).toBe(true);

  // The failure-free run, same job, config and seed.
  expect((await page.evaluate((config) => window.sluice!.start(config), CONFIG)).ok).toBe(true);
  const baseline = await page.evaluate(async () => {
    const status = await window.sluice!.advance(30_000);
    return { status, output: await window.sluice!.output('out') };
  });
  expect(baseline.status.state).toBe('finished');
  expect(baseline.output.committedCount).toBeGreaterThan(0);
  await page.evaluate(() => window.sluice!.stop());

  expect((await page.evaluate((config) => window.sluice!.start(config), CONFIG)).ok).toBe(true);
  await page.evaluate(() => window.sluice!.advance(700));
  const before = await page.evaluate(() => window.sluice!.checkpoints());
  expect(before.summary.completed).toBeGreaterThan(0);
  const fresh = page.waitForEvent('worker', { predicate: (w) => /taskmanager\.worker/.test(w.url()) });
  await page.evaluate(() => window.sluice!.inject({ kind: 'kill-taskmanager', taskManager: 1 }));
  const run = await page.evaluate(async () => {
    const status = await window.sluice!.advance(30_000);
    return {
      status, output: await window.sluice!.output('out'), recoveries: await window.sluice!.recoveries(),
      events: (await window.sluice!.events()).map((e) => e.kind),
    };
  });
  await fresh;
  expect(run.status.state).toBe('finished');
  expect(run.recoveries.length).toBe(1);
  expect(run.recoveries[0]?.strategy).toBe('region');
  expect(run.recoveries[0]?.restoredFrom.some((r) => r.checkpointId > 0)).toBe(true);
  expect(run.events).toEqual(expect.arrayContaining(['taskmanager-lost', 'recovery-started', 'taskmanager-replaced', 'subtask-restored', 'recovery-finished']));
  // Exactly once: the same committed records as the failure-free run, none pending.
  expect(run.output.committedCount).toBe(baseline.output.committedCount);
  expect(sorted(run.output.committed)).toEqual(sorted(baseline.output.committed));
  expect(run.output.pendingCount).toBe(0);
  expect(await taskManagerWorkerCount(page)).toBe(2);
  await page.evaluate(() => window.sluice!.stop());
  expect(errors()).toEqual([]);
});
