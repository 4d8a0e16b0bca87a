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
