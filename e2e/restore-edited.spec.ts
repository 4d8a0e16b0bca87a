// Restoring an edited job after a reload (issue 8: stable operator ids and operator-name-assisted
// restore), in real Chromium: word count runs with checkpoints on IndexedDB, the page reloads, the
// job is edited (a faster source, Count per word at parallelism 3, a log replaced), and the resume
// offer restores the edited job after its confirmation dialog: Count per word by its id (through
// the rescale path), Words by its name with consent, its uid then pinned to the saved id; no word
// is counted twice and no count goes back.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import type { JobGraph } from '../src/engine';
import { advance, loadJob, openApp, startPaused, waitForAutomation, watchPageErrors } from './helpers';

const EDITED = JSON.parse(readFileSync(fileURLToPath(new URL('./fixtures/word-count-edited.sluice.json', import.meta.url)), 'utf8')) as JobGraph;

interface Rec { key: unknown; value: unknown }

async function committedCounts(page: Page): Promise<Map<string, number[]>> {
  const out = await page.evaluate(() => window.sluice!.output('out'));
  const byWord = new Map<string, number[]>();
  for (const r of out.committed as unknown as Rec[]) byWord.set(String(r.key), [...(byWord.get(String(r.key)) ?? []), r.value as number]);
  return byWord;
}

/** Runs word count past two checkpoints, waits for the save, reloads; returns the last checkpoint and the counts then. */
async function runAndReload(page: Page): Promise<{ latest: number; before: Map<string, number[]> }> {
  await openApp(page);
  await waitForAutomation(page);
  await loadJob(page, '/jobs/word-count.json');
  await startPaused(page, { seed: 5, stateBackend: 'idb', checkpointIntervalMs: 1000 });
  await advance(page, 3500);
  const latest = (await page.evaluate(() => window.sluice!.checkpoints())).summary.latestCompletedId as number;
  expect(latest).toBeGreaterThanOrEqual(2);
  await expect.poll(async () => (await page.evaluate(() => window.sluice!.resumable()))?.checkpointId).toBe(latest);
  const before = await committedCounts(page);
  await page.reload();
  await waitForAutomation(page);
  return { latest, before };
}

test('an edited job restores from the saved checkpoint after the id ↔ name confirmation', async ({ page }) => {
  const errors = watchPageErrors(page);
  const { latest, before } = await runAndReload(page);
  await loadJob(page, EDITED);
  const offer = page.getByTestId('resume-offer');
  await expect(offer).toHaveAttribute('data-edited', 'true');
  await page.getByTestId('restore-edited').click();

  const dialog = page.getByTestId('restore-edited-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('restore-row-words')).toHaveAttribute('data-outcome', 'by-name');
  await expect(dialog.getByTestId('restore-row-count')).toHaveAttribute('data-outcome', 'matched');
  await expect(dialog.getByTestId('restore-row-count')).toContainText('parallelism 4 → 3');
  await expect(dialog.getByTestId('restore-row-out')).toHaveAttribute('data-outcome', 'matched');
  await expect(dialog.getByTestId('restore-row-top')).toHaveAttribute('data-outcome', 'new');
  await expect(dialog.getByTestId('restore-row-saved-sample')).toHaveAttribute('data-outcome', 'dropped');
  // Taking Words' offsets by name needs consent; the stateless dropped log does not.
  await expect(page.getByTestId('restore-confirm')).toBeDisabled();
  await expect(page.getByTestId('restore-allow-drop')).toHaveCount(0);
  const savedWordsId = (await page.evaluate(() => window.sluice!.restorePlan()))?.rows.find((r) => r.operatorId === 'words')?.savedStableId;
  await page.getByTestId('restore-accept-names').check();
  await page.getByTestId('restore-confirm').click();

  await expect.poll(async () => (await page.evaluate(() => window.sluice!.status())).state).toBe('paused');
  await expect(offer).toBeHidden();
  const job = await page.evaluate(() => window.sluice!.getJob());
  expect(job.operators.find((o) => o.id === 'words')?.uid).toBe(savedWordsId);

  await advance(page, 1500);
  const events = await page.evaluate(() => window.sluice!.events());
  expect(events.some((e) => e.kind === 'recovery-finished' && e.message.includes(`Restored the edited job from checkpoint ${latest}`))).toBe(true);
  const after = await committedCounts(page);
  for (const [word, counts] of after) expect(new Set(counts).size, `counts of '${word}'`).toBe(counts.length);
  for (const [word, counts] of before) {
    const now = after.get(word);
    if (now !== undefined) expect(Math.max(...now), `count of '${word}'`).toBeGreaterThanOrEqual(Math.max(...counts));
  }
  // The restored count runs at parallelism 3 and answers lookups for a word counted before.
  const [word, counts] = [...before.entries()][0] as [string, number[]];
  const looked = await page.evaluate((key) => window.sluice!.lookupState('count', key), word);
  expect(looked.subtask).toBeLessThan(3);
  expect(looked.entries[0]?.value as number).toBeGreaterThanOrEqual(Math.max(...counts));
  expect(errors()).toEqual([]);
});

test('ambiguous names are refused with what to do', async ({ page }) => {
  await runAndReload(page);
  const twins = structuredClone(EDITED);
  // Normalise changes, and a second operator takes its name: which one is meant cannot be told.
  const normalise = twins.operators.find((o) => o.id === 'normalise') as { config: Record<string, unknown> };
  normalise.config.expr = 'lower(str(key))';
  twins.operators.push({ id: 'normalise2', kind: 'map', name: 'Normalise', parallelism: 2, config: { field: 'key', expr: 'trim(str(key))' } });
  twins.edges.push({ from: 'words', to: 'normalise2', partitioner: 'forward' }, { from: 'normalise2', to: 'top', partitioner: 'rebalance' });
  await loadJob(page, twins);
  await page.getByTestId('restore-edited').click();
  await expect(page.getByTestId('restore-refusals')).toContainText('is used by more than one operator in the edited job');
  await expect(page.getByTestId('restore-confirm')).toBeDisabled();
  const report = await page.evaluate(() => window.sluice!.restoreEdited({ acceptNameMapping: true }));
  expect(report.ok).toBe(false);
  if (!report.ok) expect(report.errors.map((e) => e.code)).toContain('restore.ambiguousName');
});
