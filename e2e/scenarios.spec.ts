// Scenarios in real Chromium: every gallery scenario runs through window.sluice.runScenario and
// must pass every check (a failure prints which check, expected vs actual, and the seed); the
// Scenario panel opens one from the gallery and plays it as a guided demo; a bad file is
// refused with its problems; a run with injected faults is saved as a scenario and replays.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import {
  advance, describeScenario, expectScenarioPassed, loadJob, openApp, runScenario, startPaused, waitForAutomation, watchPageErrors,
} from './helpers';

interface GalleryEntry { file: string; name: string; description: string }
const gallery = JSON.parse(readFileSync(fileURLToPath(new URL('../public/scenarios/index.json', import.meta.url)), 'utf8')) as GalleryEntry[];

/**
 * Gallery scenarios whose engine feature has not landed yet: file → the missing feature. Each
 * is a `test.fixme` that names it; remove the entry when the feature lands.
 */
const NEEDS: Readonly<Record<string, string>> = {
};

test.beforeEach(async ({ page }) => {
  await openApp(page);
  await waitForAutomation(page);
});

test.describe('gallery scenarios pass in Chromium', () => {
  for (const entry of gallery) {
    const needs = NEEDS[entry.file];
    test(`${entry.name} (${entry.file})`, async ({ page }) => {
      test.fixme(needs !== undefined, `needs ${needs ?? ''}, which the engine does not have yet`);
      test.setTimeout(90_000);
      const errors = watchPageErrors(page);
      const result = await runScenario(page, `scenarios/${entry.file}`);
      console.log(describeScenario(result));
      expectScenarioPassed(result);
      expect(result.virtualTimeMs).toBeGreaterThan(0);
      expect(errors()).toEqual([]);
    });
  }
});

test('a scenario is deterministic: the same seed gives the same trace hash, another seed another', async ({ page }) => {
  test.setTimeout(60_000);
  const a = await runScenario(page, 'scenarios/straggler-round-robin.json');
  const b = await runScenario(page, 'scenarios/straggler-round-robin.json');
  const c = await runScenario(page, 'scenarios/straggler-round-robin.json', 8);
  expect(b.traceHash).toBe(a.traceHash);
  expect(b.checks).toEqual(a.checks);
  expect(c.seed).toBe(8);
  expect(c.traceHash).not.toBe(a.traceHash);
});

test('a failing check reports expected vs actual, the seed and a replay line', async ({ page }) => {
  const scenario = await page.evaluate(async () => (await fetch('/scenarios/straggler-round-robin.json')).json() as Promise<Record<string, unknown>>);
  const strict = { ...scenario, expect: { throughputRatio: { operator: 'source', before: { fromMs: 0, toMs: 2000 }, after: { fromMs: 4000, toMs: 6000 }, atLeast: 0.9 } } };
  const result = await runScenario(page, strict);
  expect(result.passed).toBe(false);
  expect(result.failedCheck).toMatchObject({ name: 'throughputRatio source out 4000–6000 / 0–2000 ms', expected: 'ratio ≥ 0.9', seed: 7 });
  expect(result.failedCheck?.replay).toContain('seed 7');
  expect(describeScenario(result)).toMatch(/✗ throughputRatio .*expected ratio ≥ 0\.9, actual ratio 0\.\d+/);
});

test('the Scenario panel plays a gallery scenario as a guided demo: timeline, captions note by note, a passing result', async ({ page }) => {
  test.setTimeout(60_000);
  const errors = watchPageErrors(page);
  await page.keyboard.press('Alt+S');
  await page.getByTestId('scenario-straggler-backlog').click();
  const panel = page.getByTestId('scenario-panel');
  await expect(panel).toHaveAttribute('data-phase', 'ready');
  await expect(page.getByTestId('scenario-name')).toHaveText('Straggler with backlog-based selection');
  await expect(page.getByTestId('scenario-timeline')).toBeVisible();
  await expect(page.getByTestId('scenario-mark-2')).toHaveAttribute('data-state', 'pending');

  // Next note: plays on to the first narrated entry and pauses there.
  await page.getByTestId('scenario-step').click();
  await expect(panel).toHaveAttribute('data-phase', 'paused');
  await expect(page.getByTestId('scenario-caption')).toContainText('The same job as the round-robin scenario');
  await page.getByTestId('scenario-step').click();
  await expect(page.getByTestId('scenario-caption')).toContainText('backlog-based selection');
  await expect(page.getByTestId('scenario-mark-0')).toHaveAttribute('data-state', 'applied');
  await expect(page.getByTestId('scenario-mark-1')).toHaveAttribute('data-state', 'current');

  // Then the rest at full speed, by keyboard.
  await page.getByTestId('scenario-speed').selectOption('max');
  await page.getByTestId('scenario-play').focus();
  await page.keyboard.press('p');
  await expect(page.getByTestId('scenario-result')).toHaveAttribute('data-passed', 'true', { timeout: 30_000 });
  await expect(page.getByTestId('scenario-caption')).toContainText('keep close to full speed');
  await expect(page.getByTestId('scenario-check-source keeps its speed')).toHaveAttribute('data-passed', 'true');
  await expect(page.getByTestId('scenario-result-seed')).toHaveText('7');
  expect(errors()).toEqual([]);
});

test('importing an invalid scenario lists every problem with its JSON path and runs nothing', async ({ page }) => {
  await page.keyboard.press('Alt+S');
  const bad = { sluice: 'scenario/1', name: 'Bad', job: 'jobs/word-count.json', run: { durationMs: 1000, speeed: 2 }, timeline: [{ atMs: 5000, do: 'note', text: 'late' }], expect: {} };
  await page.getByTestId('scenario-import-input').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(bad)) });
  const dialog = page.getByTestId('scenario-errors');
  await expect(dialog).toBeVisible();
  await expect(dialog.locator('.problem__path')).toContainText(['$.run.speeed', '$.timeline[0].atMs']);
  expect(await page.evaluate(() => window.sluice!.status())).toMatchObject({ state: 'idle' });
});

test('faults injected into a run are saved as a scenario that replays and passes', async ({ page }) => {
  test.setTimeout(60_000);
  await loadJob(page, '/jobs/straggler-rebalance.json');
  await startPaused(page, { seed: 3, taskManagers: 2, slotsPerTaskManager: 2 });
  await advance(page, 1000);
  await page.evaluate(() => window.sluice!.inject({ kind: 'slow-task', operator: 'work', subtask: 2, factor: 8 }));
  // Steps of 1000 virtual ms, as the replay takes them at full speed (see the next test).
  await advance(page, 1000);
  await advance(page, 1000);
  await page.getByTestId('run-tab-scenario').click();
  await page.getByTestId('scenario-record').click();
  await expect(page.getByTestId('scenario-name')).toHaveText('Straggler and rebalance: recorded run');
  await expect(page.getByTestId('scenario-mark-0')).toBeVisible();
  await page.getByTestId('scenario-speed').selectOption('max');
  await page.getByTestId('scenario-play').click();
  await expect(page.getByTestId('scenario-result')).toHaveAttribute('data-passed', 'true', { timeout: 30_000 });
  const download = page.waitForEvent('download');
  await page.getByTestId('scenario-export').click();
  expect((await download).suggestedFilename()).toBe('straggler-and-rebalance-recorded-run.scenario.json');
});

test('a run gives the same trace however its virtual time is advanced', async ({ page }) => {
  await loadJob(page, '/jobs/straggler-rebalance.json');
  const trace = async (steps: number[]) => {
    await startPaused(page, { seed: 3, taskManagers: 2, slotsPerTaskManager: 2 });
    await advance(page, 1000);
    await page.evaluate(() => window.sluice!.inject({ kind: 'slow-task', operator: 'work', subtask: 2, factor: 8 }));
    for (const ms of steps) await advance(page, ms);
    return page.evaluate(() => window.sluice!.traceHash());
  };
  expect(await trace([2000])).toBe(await trace([1000, 1000]));
});

// A page reload is not a timeline action: it ends the page that runs the scenario. It is a
// Playwright story of its own: e2e/reload.spec.ts.
