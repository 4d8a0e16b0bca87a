// Reload recovery in real Chromium (DESIGN.md §6: a page reload resumes the job from its last
// completed checkpoint in IndexedDB): word count runs with checkpoints past two of them, the
// page reloads mid-run, the app offers to resume, and the resumed job goes on from the last
// completed checkpoint with its committed output intact and no word counted twice.
import { expect, test, type Page } from '@playwright/test';
import { advance, loadJob, openApp, startPaused, waitForAutomation, watchPageErrors } from './helpers';

interface Rec { key: unknown; value: unknown }

/** Each word's committed counts, checking that no count of a word is committed twice. */
function countsByWord(records: readonly Rec[]): Map<string, number[]> {
  const byWord = new Map<string, number[]>();
  for (const r of records) {
    const list = byWord.get(String(r.key)) ?? [];
    list.push(r.value as number);
    byWord.set(String(r.key), list);
  }
  return byWord;
}

async function committed(page: Page): Promise<{ count: number; records: Rec[] }> {
  const out = await page.evaluate(() => window.sluice!.output('out'));
  return { count: out.committedCount, records: out.committed as unknown as Rec[] };
}

test('a page reload mid-run offers to resume, and the job resumes from its last completed checkpoint', async ({ page }) => {
  const errors = watchPageErrors(page);
  await openApp(page);
  await waitForAutomation(page);
  await loadJob(page, '/jobs/word-count.json');
  await startPaused(page, { seed: 5, stateBackend: 'idb', checkpointIntervalMs: 1000 });
  await advance(page, 3500);
  const report = await page.evaluate(() => window.sluice!.checkpoints());
  const latest = report.summary.latestCompletedId as number;
  expect(latest).toBeGreaterThanOrEqual(2);
  const latestTrigger = report.history.find((c) => c.id === latest)?.triggerMs as number;
  const before = await committed(page);
  expect(before.count).toBeGreaterThan(0);
  // The save follows the completion: wait until it is on disk, then the tab goes.
  await expect.poll(async () => (await page.evaluate(() => window.sluice!.resumable()))?.checkpointId).toBe(latest);

  await page.reload();
  await waitForAutomation(page);
  const offer = page.getByTestId('resume-offer');
  await expect(offer).toBeVisible();
  await expect(offer.getByTestId('resume-offer-checkpoint')).toHaveText(String(latest));
  // Keyboard: the offer's buttons are reachable and work with Enter.
  await page.getByTestId('resume-run').focus();
  await expect(page.getByTestId('resume-run')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(offer).toBeHidden();

  // The cluster comes up paused, as the run was (its saved config).
  await expect.poll(async () => (await page.evaluate(() => window.sluice!.status())).state).toBe('paused');
  const status = await page.evaluate(() => window.sluice!.status());
  expect(status.virtualTimeMs).toBeGreaterThanOrEqual(latestTrigger);
  // Nothing committed was lost across the reload.
  expect((await committed(page)).count).toBeGreaterThan(0);
  await advance(page, 1500);
  const after = await committed(page);
  expect(after.count).toBeGreaterThanOrEqual(before.count);
  // Exactly once: every word's committed running counts are distinct, and each word's count
  // went on from where it stood (never below what was committed before the reload).
  const afterCounts = countsByWord(after.records);
  for (const [word, counts] of afterCounts) expect(new Set(counts).size, `counts of '${word}'`).toBe(counts.length);
  for (const [word, counts] of countsByWord(before.records)) {
    const now = afterCounts.get(word);
    if (now !== undefined) expect(Math.max(...now), `count of '${word}'`).toBeGreaterThanOrEqual(Math.max(...counts));
  }
  const events = await page.evaluate(() => window.sluice!.events());
  expect(events.some((e) => e.kind === 'recovery-finished' && e.message.includes(`checkpoint ${latest}`))).toBe(true);
  // Checkpoint ids go on upward.
  const resumedIds = (await page.evaluate(() => window.sluice!.checkpoints())).history.map((c) => c.id);
  expect(resumedIds.length).toBeGreaterThan(0);
  expect(Math.min(...resumedIds)).toBeGreaterThan(latest);
  expect(errors()).toEqual([]);
});

test('discarding the offer forgets the saved run', async ({ page }) => {
  await openApp(page);
  await waitForAutomation(page);
  await loadJob(page, '/jobs/word-count.json');
  await startPaused(page, { seed: 5, stateBackend: 'idb', checkpointIntervalMs: 500 });
  await advance(page, 1200);
  await expect.poll(async () => (await page.evaluate(() => window.sluice!.resumable()))?.checkpointId ?? 0).toBeGreaterThan(0);
  await page.reload();
  await waitForAutomation(page);
  await expect(page.getByTestId('resume-offer')).toBeVisible();
  await page.getByTestId('discard-run').click();
  await expect(page.getByTestId('resume-offer')).toBeHidden();
  expect(await page.evaluate(() => window.sluice!.resumable())).toBeNull();
  await page.reload();
  await waitForAutomation(page);
  await expect(page.locator('[data-testid="app-ready"]')).toBeAttached();
  await expect(page.getByTestId('resume-offer')).toHaveCount(0);
});
