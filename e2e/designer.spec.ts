// The designer as a user meets it: build a job with clicks and keys only, see and fix a
// problem, preview regions, undo and redo, export and re-import, reload and find the job,
// share it as a link, and survive hostile files.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { openApp, waitForAutomation, watchPageErrors } from './helpers';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

type Job = { name: string; operators: { id: string; kind: string; parallelism: number }[]; edges: { from: string; to: string; partitioner: string; key?: string }[] };

const getJob = (page: Page) => page.evaluate(() => window.sluice!.getJob()) as Promise<Job>;

async function loadExample(page: Page, file: string): Promise<void> {
  const report = await page.evaluate(async (path) => {
    const job: unknown = await (await fetch(path)).json();
    return window.sluice!.loadJob(job);
  }, `/jobs/${file}`);
  expect(report.ok).toBe(true);
}

async function newJob(page: Page): Promise<void> {
  await page.getByTestId('cmd-new').click();
  await expect(page.locator('.react-flow__node')).toHaveCount(0);
}

async function libraryNames(page: Page): Promise<string[]> {
  await page.getByTestId('cmd-library').click();
  const dialog = page.getByTestId('library-dialog');
  await expect(dialog).toBeVisible();
  // The list loads from IndexedDB after the dialog opens; read it once it is there.
  await expect(dialog.getByTestId('library-content')).toHaveAttribute('data-state', /ready|error/);
  const names = await dialog.getByTestId('library-open').allInnerTexts();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  return names;
}

test.beforeEach(async ({ page }) => {
  await openApp(page);
  await waitForAutomation(page);
});

test('builds a 4-operator job with clicks and the keyboard only', async ({ page }) => {
  const errors = watchPageErrors(page);
  await newJob(page);
  for (const kind of ['datagen', 'map', 'aggregate', 'collect']) {
    await page.getByTestId(`palette-${kind}`).click();
    await expect(page.getByTestId(`node-${kind}`)).toBeVisible();
  }
  // Connect through the inspector: source → map (equal parallelism: forward).
  await page.getByTestId('node-datagen').click();
  await page.getByTestId('inspector-connect-target').selectOption('map');
  // Map → aggregate: a keyed target gets a hash edge keyed by `key`.
  await page.getByTestId('node-map').click();
  await page.getByTestId('inspector-connect-target').selectOption('aggregate');
  // Aggregate → collect with the keyboard: select both, press C.
  await page.getByTestId('node-aggregate').click();
  await page.getByTestId('node-collect').click({ modifiers: ['Shift'] });
  await page.keyboard.press('c');

  await expect(page.getByTestId('validation-count')).toHaveText('0');
  const job = await getJob(page);
  expect(job.operators.map((op) => op.kind)).toEqual(['datagen', 'map', 'aggregate', 'collect']);
  expect(job.edges).toEqual([
    { from: 'datagen', to: 'map', partitioner: 'forward' },
    { from: 'map', to: 'aggregate', partitioner: 'hash', key: 'key' },
    { from: 'aggregate', to: 'collect', partitioner: 'rebalance' },
  ]);
  expect(errors()).toEqual([]);
});

test('shows a validation problem in the panel, selects what it is about, and it can be fixed', async ({ page }) => {
  await loadExample(page, 'parallel-pipeline.json');
  const job = await getJob(page);
  const [first, second] = job.edges;
  if (!first || !second) throw new Error('the parallel pipeline example needs two edges');

  await page.getByTestId(`node-${first.to}`).click();
  await page.getByTestId('inspector-parallelism').fill('3');
  await page.getByTestId('inspector-parallelism').press('Tab');

  const problem = page.getByTestId('validation-item').first();
  await expect(problem).toBeVisible();
  await expect(problem).toContainText(/forward/i);
  await expect(problem).toHaveAttribute('data-path', /^\$\.edges\[0\]/);
  // Clicking the problem selects what it is about: here, the edge.
  await problem.click();
  await expect(page.getByTestId('inspector-edge')).toBeVisible();

  // Fix it on the edge: a rescale edge may join different parallelisms.
  await page.getByTestId(`edge-${first.from}-${first.to}`).click();
  await page.getByTestId('inspector-partitioner').selectOption('rescale');
  await page.getByTestId(`edge-${second.from}-${second.to}`).click();
  await page.getByTestId('inspector-partitioner').selectOption('rescale');
  await expect(page.getByTestId('validation-ok')).toBeVisible();
  await expect(page.getByTestId('validation-count')).toHaveText('0');
});

test('undo and redo walk through edits, by keyboard and by button', async ({ page }) => {
  await newJob(page);
  await page.getByTestId('palette-sequence').click();
  await page.getByTestId('palette-discard').click();
  await expect(page.locator('.react-flow__node')).toHaveCount(2);

  await page.keyboard.press('Control+z');
  await expect(page.locator('.react-flow__node')).toHaveCount(1);
  await page.getByTestId('cmd-undo').click();
  await expect(page.locator('.react-flow__node')).toHaveCount(0);
  await page.keyboard.press('Control+Shift+z');
  await expect(page.locator('.react-flow__node')).toHaveCount(1);
  await page.getByTestId('cmd-redo').click();
  await expect(page.locator('.react-flow__node')).toHaveCount(2);
});

test('the regions preview draws subtasks numbered by pipelined region', async ({ page }) => {
  await loadExample(page, 'parallel-pipeline.json');
  const regions = await page.evaluate(() => window.sluice!.regions());
  expect(regions).toHaveLength(4);

  await page.keyboard.press('r');
  for (const region of regions) {
    await expect(page.getByTestId(`region-${region.id}`)).toBeVisible();
    for (const { operatorId, index } of region.subtasks) {
      await expect(page.getByTestId(`subtask-${operatorId}-${index}`)).toHaveText(String(region.id));
    }
  }
  // One all-to-all edge fuses everything: word count is a single region.
  await loadExample(page, 'word-count.json');
  await expect(page.getByTestId('region-1')).toBeVisible();
  await expect(page.getByTestId('region-2')).toHaveCount(0);
  await page.getByTestId('cmd-toggle-regions').click();
  await expect(page.getByTestId('region-1')).toHaveCount(0);
});

test('export, then import, gives back the same job', async ({ page }, testInfo) => {
  await loadExample(page, 'click-sessions.json');
  const original = await getJob(page);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('cmd-export').click()]);
  expect(download.suggestedFilename()).toMatch(/\.sluice\.json$/);
  const path = testInfo.outputPath(download.suggestedFilename());
  await download.saveAs(path);

  await newJob(page);
  await page.getByTestId('import-input').setInputFiles(path);
  await expect(page.getByTestId('job-name')).toHaveValue(original.name);
  expect(await getJob(page)).toEqual(original);
  expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(original);
});

test('a reload reopens the job, and the library lists it', async ({ page }) => {
  await loadExample(page, 'dedup-ttl.json');
  const name = `Reload check ${test.info().workerIndex}-${Date.now()}`;
  await page.getByTestId('job-name').fill(name);
  await page.getByTestId('job-name').press('Enter');
  // The rename reaches the library by autosave; wait for it there, as a user would look.
  await expect.poll(() => libraryNames(page)).toContain(name);

  await page.reload();
  await openApp(page);
  await expect(page.getByTestId('job-name')).toHaveValue(name);
});

test('a share link opens the job in a new tab and runs nothing', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await loadExample(page, 'straggler-rebalance.json');
  const original = await getJob(page);
  await page.getByTestId('cmd-share').click();
  await expect(page.getByTestId('toast').first()).toBeVisible();
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(link).toContain('#job=');

  const other = await context.newPage();
  await openApp(other, link);
  await waitForAutomation(other);
  expect(await getJob(other)).toEqual(original);
  await expect(other.getByTestId('run-status')).toHaveAttribute('data-state', 'idle');
});

test('hostile and broken files are refused with their paths, and nothing changes', async ({ page }) => {
  await loadExample(page, 'word-count.json');
  // A name of its own, so we know when this job has reached the library before comparing.
  const name = `Hostile check ${test.info().workerIndex}-${Date.now()}`;
  await page.getByTestId('job-name').fill(name);
  await page.getByTestId('job-name').press('Enter');
  await expect.poll(() => libraryNames(page)).toContain(name);
  const before = await getJob(page);
  const libraryBefore = await libraryNames(page);

  const files: { name: string; mimeType: string; buffer: Buffer }[] = [
    ...['truncated.sluice.json', 'prototype-keys.sluice.json', 'wrong-types.sluice.json'].map((name) => ({
      name, mimeType: 'application/json', buffer: readFileSync(fixture(name)),
    })),
    { name: 'huge-string.sluice.json', mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify({ sluice: 'job/1', name: 'x'.repeat(10 * 1024 * 1024), operators: [], edges: [] })) },
  ];
  for (const file of files) {
    await page.getByTestId('import-input').setInputFiles(file);
    const dialog = page.getByTestId('import-errors');
    await expect(dialog).toBeVisible();
    await expect(dialog.getByTestId('problem-item').first()).toContainText('$');
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
  }

  // 100,000 operators through the automation API: refused quickly, page stays responsive.
  const report = await page.evaluate(() => {
    const operators = Array.from({ length: 100_000 }, (_, i) => ({ id: `op${i}`, kind: 'map', name: `Op ${i}`, parallelism: 1 }));
    return window.sluice!.loadJob({ sluice: 'job/1', name: 'Huge', operators, edges: [] });
  });
  expect(report.ok).toBe(false);
  expect(report.errors[0]?.path).toMatch(/^\$/);

  expect(await getJob(page)).toEqual(before);
  expect(await libraryNames(page)).toEqual(libraryBefore);
  expect(await page.evaluate(() => Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted'))).toBe(false);
  await page.getByTestId('palette-map').click();
  await expect(page.getByTestId('node-map')).toBeVisible();
});
