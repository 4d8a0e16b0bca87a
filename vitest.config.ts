import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';

/**
 * Two projects: `node` (the default run: engine, UI logic, the IndexedDB backend on
 * fake-indexeddb) and `browser` (`*.browser.test.ts`: the same contracts in real Chromium, with
 * real IndexedDB). The browser project exists only when `SLUICE_BROWSER_TESTS=1`, set by
 * scripts/browser-tests.mjs after it has found a Chromium (CHROMIUM_PATH), so a plain
 * `vitest run` never needs a browser.
 */
const browserProject = {
  extends: true as const,
  test: {
    name: 'browser',
    include: ['src/**/*.browser.test.ts'],
    browser: {
      enabled: true,
      headless: true,
      provider: playwright({
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH,
          args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
        },
      }),
      instances: [{ browser: 'chromium' as const }],
    },
  },
};

export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
          exclude: ['src/**/*.browser.test.ts', 'node_modules/**'],
          environment: 'node',
        },
      },
      ...(process.env.SLUICE_BROWSER_TESTS === '1' ? [browserProject] : []),
    ],
  },
});
