// Every job in the example gallery runs in the browser: records reach every operator, and
// each collect sink shows output. Runs in real workers; waits on virtual time, never sleeps.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { openApp, waitForAutomation, watchPageErrors } from './helpers';

interface GalleryEntry { file: string; name: string }
interface Job { operators: { id: string; kind: string }[] }

const publicDir = new URL('../public/jobs/', import.meta.url);
const gallery = JSON.parse(readFileSync(fileURLToPath(new URL('index.json', publicDir)), 'utf8')) as GalleryEntry[];

// Long enough for event-time windows and sessions (gaps of a few seconds) to fire.
const VIRTUAL_MS = 15_000;

for (const entry of gallery) {
  test(`example "${entry.name}" runs: every operator sees records and its sinks show output`, async ({ page }) => {
    const errors = watchPageErrors(page);
    const job = JSON.parse(readFileSync(fileURLToPath(new URL(entry.file, publicDir)), 'utf8')) as Job;
    await openApp(page);
    await waitForAutomation(page);
    const result = await page.evaluate(async ({ job, ms }) => {
      const sluice = window.sluice!;
      const loaded = await sluice.loadJob(job);
      if (!loaded.ok) return { problem: `invalid: ${loaded.errors[0]?.message}` };
      const started = await sluice.start({ seed: 3, speed: 'max', paused: true });
      if (!started.ok) return { problem: `start refused: ${started.errors[0]?.message}` };
      const status = await sluice.advance(ms);
      const metrics = await sluice.metrics();
      const sinks = (job as Job).operators.filter((op) => op.kind === 'collect').map((op) => op.id);
      const outputs = await Promise.all(sinks.map(async (id) => [id, await sluice.output(id)] as const));
      await sluice.stop();
      return { status, metrics, outputs };
    }, { job, ms: VIRTUAL_MS });
    if ('problem' in result) throw new Error(String(result.problem));

    expect(result.status.failure).toBeUndefined();
    expect(['paused', 'finished']).toContain(result.status.state);
    for (const op of job.operators) {
      const figures = result.metrics.operators.find((m) => m.operatorId === op.id);
      const seen = op.kind === 'datagen' || op.kind === 'sequence' ? figures?.recordsOut : figures?.recordsIn;
      expect(seen, `records at ${op.id}`).toBeGreaterThan(0);
    }
    for (const [id, output] of result.outputs) {
      expect(output.committedCount + output.pendingCount, `output of ${id}`).toBeGreaterThan(0);
    }
    expect(errors()).toEqual([]);
  });
}
