// TaskManagers are real Web Workers (nested in the JobManager worker) exchanging records over
// MessagePorts: the same job and seed give the same committed output and trace hash on 1, 2
// and 4 TaskManager workers, equal to the Node in-process cluster; kill-taskmanager terminates
// that worker for real (a fresh one takes its place) and fails the job with taskmanager.lost;
// a TaskManager stuck in a tick misses its deadline, is terminated and named, and the page
// stays responsive.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page, type Worker } from '@playwright/test';
import { LocalCluster } from '../src/engine/cluster/LocalCluster';
import { planRun } from '../src/engine/cluster/planRun';
import { nodeClock } from '../src/engine/cluster/testing/nodeClock';
import type { JobGraph } from '../src/engine/job/types';
import type { RunConfig } from '../src/engine/runtime/runConfig';
import { openApp, waitForAutomation, watchPageErrors } from './helpers';

const fixture = (name: string): JobGraph =>
  JSON.parse(readFileSync(fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url)), 'utf8')) as JobGraph;

const BOUNDED = fixture('bounded-pipeline.sluice.json');
const SHAPES = [
  { taskManagers: 1, slotsPerTaskManager: 4 },
  { taskManagers: 2, slotsPerTaskManager: 2 },
  { taskManagers: 4, slotsPerTaskManager: 1 },
];

/** TaskManager workers of the page right now, by their worker name (`sluice-taskmanager-<i>`). */
async function taskManagerWorkers(page: Page): Promise<Map<string, Worker>> {
  const found = new Map<string, Worker>();
  for (const worker of page.workers()) {
    if (!/taskmanager\.worker/.test(worker.url())) continue;
    const name = await worker.evaluate(() => (self as unknown as { name: string }).name).catch(() => null);
    if (name !== null) found.set(name.split(' ')[0] as string, worker);
  }
  return found;
}

/** Runs the bounded job to its end in Node, in one thread (the reference for the browser). */
async function nodeRun(job: JobGraph, seed: number) {
  const cluster = new LocalCluster({ clock: nodeClock });
  const report = await cluster.start(job, { ...SHAPES[1], seed, paused: true, speed: 'max' });
  if (!report.ok) throw new Error(JSON.stringify(report.errors));
  const status = await cluster.advance(20_000);
  const result = { state: status.state, hash: await cluster.traceHash(), output: await cluster.output('out') };
  await cluster.stop();
  return result;
}

test.describe('in the app', () => {
  test.beforeEach(async ({ page }) => {
    await openApp(page);
    await waitForAutomation(page);
  });

  test.afterEach(async ({ page }) => {
    await page.evaluate(() => window.sluice?.stop());
  });

  test('a bounded job: same committed output and trace hash on 1, 2 and 4 TaskManager workers, as in Node', async ({ page }) => {
    test.setTimeout(90_000);
    const errors = watchPageErrors(page);
    const expected = await nodeRun(BOUNDED, 3);
    expect(expected.state).toBe('finished');
    expect(expected.output.committedCount).toBe(4000);
    expect((await page.evaluate((job) => window.sluice!.loadJob(job), BOUNDED)).ok).toBe(true);
    for (const shape of SHAPES) {
      const started = await page.evaluate((config) => window.sluice!.start(config), { ...shape, seed: 3, paused: true, speed: 'max' as const });
      expect(started.ok).toBe(true);
      // One worker per TaskManager while the run is up.
      await expect.poll(async () => (await taskManagerWorkers(page)).size).toBe(shape.taskManagers);
      const run = await page.evaluate(async () => {
        const s = window.sluice!;
        const status = await s.advance(20_000);
        return { status, hash: await s.traceHash(), output: await s.output('out') };
      });
      expect(run.status.state, `${shape.taskManagers} TaskManagers`).toBe('finished');
      expect(run.hash, `${shape.taskManagers} TaskManagers`).toBe(expected.hash);
      expect(run.output).toEqual(expected.output);
      await page.evaluate(() => window.sluice!.stop());
    }
    expect(errors()).toEqual([]);
  });

  test('kill-taskmanager terminates that worker for real, a fresh one starts, and the job fails with taskmanager.lost', async ({ page }) => {
    const report = await page.evaluate(async () => {
      const job: unknown = await (await fetch('/jobs/word-count.json')).json();
      return window.sluice!.loadJob(job);
    });
    expect(report.ok).toBe(true);
    // No restarts allowed: the loss fails the job (fault-tolerance.spec.ts has the recovery).
    const started = await page.evaluate(() => window.sluice!.start({ taskManagers: 2, slotsPerTaskManager: 2, seed: 5, paused: true, speed: 'max', restartAttempts: 0 }));
    expect(started.ok).toBe(true);
    await page.evaluate(() => window.sluice!.advance(300));
    const before = await taskManagerWorkers(page);
    const victim = before.get('sluice-taskmanager-1');
    expect(victim).toBeDefined();
    const closed = new Promise<void>((resolve) => victim?.once('close', () => resolve()));
    const fresh = page.waitForEvent('worker', { predicate: (w) => /taskmanager\.worker/.test(w.url()) });

    await page.evaluate(() => window.sluice!.inject({ kind: 'kill-taskmanager', taskManager: 1 }));
    const status = await page.evaluate(() => window.sluice!.advance(100));
    expect(status.state).toBe('failed');
    expect(status.failure?.code).toBe('taskmanager.lost');
    expect(status.failure?.taskManager).toBe(1);
    await closed;
    const replacement = await fresh;
    expect(await replacement.evaluate(() => (self as unknown as { name: string }).name)).toBe('sluice-taskmanager-1');
    const after = await taskManagerWorkers(page);
    expect(after.get('sluice-taskmanager-0')).toBe(before.get('sluice-taskmanager-0'));
  });
});

/** A run on real TaskManager workers in which TaskManager 1's second subtask (plan order) spins forever from tick 20 on. */
async function hangingRun(page: Page, config: Partial<RunConfig>) {
  // The subtask that will hang: the second one TaskManager 1 hosts, in plan order.
  const plan = planRun(BOUNDED, config);
  if (!plan.ok) throw new Error(JSON.stringify(plan.errors));
  const stuck = plan.placement.filter((p) => p.taskManager === 1)[1];
  expect(stuck).toBeDefined();
  const stuckName = BOUNDED.operators.find((op) => op.id === stuck?.operatorId)?.name;

  await page.goto('/bench.html');
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
  const hung = page.waitForEvent('worker', { predicate: (w) => /hangingTaskManager/.test(w.url()) });
  const running = page.evaluate(({ job, config }) => window.sluiceBench!.workerCluster({
    job, config, virtualMs: 5_000, hang: { taskManager: 1, tick: 20, position: 1, deadlineMs: 1_000 },
  }), { job: BOUNDED as unknown, config });
  const worker = await hung;
  const closed = new Promise<void>((resolve) => worker.once('close', () => resolve()));
  // While the worker spins, the page answers at once.
  const t0 = Date.now();
  expect(await page.evaluate(() => 1 + 1)).toBe(2);
  expect(Date.now() - t0).toBeLessThan(500);
  const result = await running as {
    ok: boolean; wallMs: number;
    workers: {
      outcome: string; virtualMs: number; failure: { code: string; taskManager: number; operatorId?: string; subtask?: number; message: string } | null;
      outputs: { committed: unknown[]; committedCount: number }[];
    };
    local: { outputs: { committed: unknown[]; committedCount: number }[] };
  };
  expect(result.ok).toBe(true);
  await closed;
  return { result, stuck, stuckName };
}

test('a TaskManager stuck in a tick misses its deadline: its worker is terminated, a fresh one takes over, committed output exactly once, the page stays responsive', async ({ page }) => {
  const { result } = await hangingRun(page, { taskManagers: 2, slotsPerTaskManager: 2, seed: 3, stateBackend: 'idb', restartDelayMs: 100 });
  expect(result.workers.failure).toBeNull();
  expect(result.workers.outcome).not.toBe('failed');
  const sorted = (records: readonly unknown[]) => records.map((r) => JSON.stringify(r)).sort();
  const [workers, local] = [result.workers.outputs[0], result.local.outputs[0]];
  expect(workers?.committedCount).toBeGreaterThan(0);
  expect(workers?.committedCount).toBe(local?.committedCount);
  expect(sorted(workers?.committed ?? [])).toEqual(sorted(local?.committed ?? []));
});

test('with no restarts, a TaskManager stuck in a tick fails the job naming the subtask it hung in', async ({ page }) => {
  const { result, stuck, stuckName } = await hangingRun(page, { taskManagers: 2, slotsPerTaskManager: 2, seed: 3, stateBackend: 'idb', restartAttempts: 0 });
  expect(result.workers.outcome).toBe('failed');
  expect(result.workers.virtualMs).toBe(210);
  const failure = result.workers.failure as NonNullable<typeof result.workers.failure>;
  expect(failure.code).toBe('taskmanager.tickDeadline');
  expect(failure.taskManager).toBe(1);
  // The progress cell the worker shares named the subtask it is stuck in.
  expect({ operatorId: failure.operatorId, subtask: failure.subtask }).toEqual({ operatorId: stuck?.operatorId, subtask: stuck?.index });
  expect(failure.message).toMatch(/TaskManager 1 missed the tick deadline: tick 20 did not finish within 1000 ms/);
  expect(failure.message).toContain(`while running ${stuckName} #${stuck?.index} (${stuck?.operatorId})`);
});
