import { expect, test } from '@playwright/test';
import { openApp, watchPageErrors } from './helpers';

test('the app opens as Sluice and says it is ready', async ({ page }) => {
  const errors = watchPageErrors(page);
  await openApp(page);
  await expect(page).toHaveTitle(/Sluice/);
  expect(errors()).toEqual([]);
});

test('the page is cross-origin isolated, so workers get fine timers and SharedArrayBuffer', async ({ page }) => {
  await page.goto('/');
  expect(await page.evaluate(() => globalThis.crossOriginIsolated)).toBe(true);
});
