/**
 * Helpers for Playwright specs against Sluice. Small on purpose: copy them into your own suite.
 * They use only what the app promises (DESIGN.md §7, §8): stable `data-testid`s (reach them with
 * Playwright's `page.getByTestId`) and the `window.sluice` automation API.
 */
import { expect, type Page } from '@playwright/test';

/** Rendered once the designer is ready for input. */
export const APP_READY = '[data-testid="app-ready"]';

/**
 * Open the app at `path` (default `/`, relative to the configured baseURL; pass e.g. `/#job=…`
 * for a share link) and wait until it says it is ready.
 */
export async function openApp(page: Page, path = '/'): Promise<void> {
  await page.goto(path);
  await expect(page.locator(APP_READY)).toBeAttached();
}

/**
 * Collect uncaught page errors from now on; call the returned function to read them.
 * `expect(errors()).toEqual([])` at the end of a spec catches crashes the UI swallowed visually.
 */
export function watchPageErrors(page: Page): () => string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`${error.name}: ${error.message}`));
  return () => [...errors];
}

/** Wait for the automation API (`window.sluice`) to be installed. */
export async function waitForAutomation(page: Page): Promise<void> {
  await page.waitForFunction(() => typeof (window as { sluice?: unknown }).sluice === 'object');
}

// ---- Driving runs and scenarios (copy what you need; each helper stands alone) ----

/** What a scenario run resolves to (`window.sluice.runScenario`), as far as these helpers read it. */
export interface ScenarioRunResult {
  scenario: string;
  passed: boolean;
  checks: { name: string; passed: boolean; expected: string; actual: string; detail?: string }[];
  seed: number;
  traceHash: string;
  virtualTimeMs: number;
  state: string;
  failedCheck?: { name: string; expected: string; actual: string; seed: number; replay: string };
}

/** Opens a job file served by the app (`/jobs/word-count.json`) or given as an object; fails the test if it is invalid. */
export async function loadJob(page: Page, job: string | object): Promise<void> {
  const report = await page.evaluate(async (input) => {
    const json: unknown = typeof input === 'string' ? await (await fetch(input)).json() : input;
    return window.sluice!.loadJob(json);
  }, job);
  expect(report.errors, 'the job is valid').toEqual([]);
}

/** Starts the open job paused at virtual time 0 (add settings such as `{ seed: 7 }`). */
export async function startPaused(page: Page, config: Record<string, unknown> = {}): Promise<void> {
  const report = await page.evaluate((c) => window.sluice!.start({ ...c, paused: true }), config);
  expect(report.ok, JSON.stringify(report)).toBe(true);
}

/**
 * Runs exactly `ms` of virtual time, then the run is paused: wait on virtual time with this,
 * never with `waitForTimeout`. Resolves to the run's status.
 */
export async function advance(page: Page, ms: number): Promise<{ state: string; virtualTimeMs: number }> {
  return page.evaluate((n) => window.sluice!.advance(n), ms);
}

/** Committed and pending record counts of a collect sink. */
export async function sinkCounts(page: Page, sinkId: string): Promise<{ committed: number; pending: number }> {
  const out = await page.evaluate((id) => window.sluice!.output(id), sinkId);
  return { committed: out.committedCount, pending: out.pendingCount };
}

/**
 * Runs a scenario to its end (a gallery path such as `scenarios/region-failover.json`, or a
 * scenario/1 object) and resolves to its result. `seed` replays it with another seed.
 */
export async function runScenario(page: Page, scenario: string | object, seed?: number): Promise<ScenarioRunResult> {
  return page.evaluate(([s, n]) => window.sluice!.runScenario(s, n === undefined ? {} : { seed: n }), [scenario, seed] as const);
}

/** One line per check (✓/✗, expected vs actual), then the seed and, for a failure, the replay line. */
export function describeScenario(result: ScenarioRunResult): string {
  const lines = result.checks.map((c) => `  ${c.passed ? '✓' : '✗'} ${c.name}: expected ${c.expected}, actual ${c.actual}${c.detail ? ` (${c.detail})` : ''}`);
  return [`${result.scenario}: ${result.passed ? 'passed' : 'FAILED'} (seed ${result.seed}, ${result.virtualTimeMs} ms, run ${result.state})`, ...lines,
    ...(result.failedCheck ? [`  ${result.failedCheck.replay}`] : [])].join('\n');
}

/** Fails the test unless every check passed; the message names the failing check, expected vs actual, and the seed. */
export function expectScenarioPassed(result: ScenarioRunResult): void {
  expect(result.passed, describeScenario(result)).toBe(true);
}
