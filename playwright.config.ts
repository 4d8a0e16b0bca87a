// Playwright drives the built app (`vite preview` of dist/) in real Chromium.
// Run it through `npm run test:e2e` (scripts/e2e.mjs): that finds a Chromium, builds, and passes
// the browser's path in SLUICE_CHROMIUM. Run directly (`npx playwright test`) it uses
// SLUICE_CHROMIUM or CHROMIUM_PATH if set, else Playwright's own browser, and needs a fresh
// `npm run build`.
import { defineConfig } from '@playwright/test';

const port = Number(process.env.SLUICE_E2E_PORT ?? 4173);
const baseURL = `http://127.0.0.1:${port}`;
const isCI = Boolean(process.env.CI);

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results',
  fullyParallel: false,
  forbidOnly: isCI,
  // One retry in CI only: a rare start-up flake of the JobManager worker (seen once in ~100 runs,
  // cause unknown) must not block a landing; Playwright still reports such a test as "flaky".
  retries: isCI ? 1 : 0,
  // Two cores on every machine we run on (developers' and CI's).
  workers: 2,
  reporter: 'list',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  use: {
    browserName: 'chromium',
    viewport: { width: 1280, height: 800 },
    baseURL,
    headless: true,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.SLUICE_CHROMIUM || process.env.CHROMIUM_PATH || undefined,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    command: `npx vite preview --host 127.0.0.1 --port ${port} --strictPort`,
    url: baseURL,
    reuseExistingServer: !isCI,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
