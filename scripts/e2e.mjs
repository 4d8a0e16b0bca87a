// `npm run test:e2e`: find a Chromium, build the app, run the Playwright suite against
// `vite preview`. Extra arguments go to `playwright test`, e.g.
//   npm run test:e2e -- e2e/smoke.spec.ts --headed
// Environment:
//   CHROMIUM_PATH                 use this browser (see scripts/find-chromium.mjs for the search order)
//   SLUICE_NO_BROWSER_INSTALL=1   never run `npx playwright install chromium`
//   SLUICE_E2E_SKIP_BUILD=1       reuse the existing dist/ (quick re-runs while writing specs)
//   SLUICE_E2E_PORT               preview port; unset: 4173, or a free port when 4173 is taken (so
//                                 we never test another checkout's preview server by mistake)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ChromiumNotFound, findChromium } from './find-chromium.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const started = Date.now();
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

/** The node script behind a package's bin, so we skip npx's start-up and its warnings. */
function nodeBin(relative) {
  const path = join(root, 'node_modules', relative);
  if (!existsSync(path)) {
    console.error(`e2e: ${path} is missing; run \`npm ci\` first.`);
    process.exit(1);
  }
  return path;
}

function browserVersion(path) {
  const result = spawnSync(path, ['--version'], { encoding: 'utf8', timeout: 15_000, stdio: ['ignore', 'pipe', 'ignore'] });
  return result.status === 0 ? result.stdout.trim() : 'version unknown';
}

const DEFAULT_PORT = 4173;

/** Resolves to the port actually bound on 127.0.0.1 (0 = any free port), or undefined if taken. */
function tryListen(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(undefined));
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : undefined));
    });
  });
}

/** 4173 when it is free; otherwise a free port, since what listens on 4173 may serve another dist/. */
async function choosePort() {
  if (process.env.SLUICE_E2E_PORT) return process.env.SLUICE_E2E_PORT;
  if (await tryListen(DEFAULT_PORT)) return String(DEFAULT_PORT);
  const free = await tryListen(0);
  if (!free) {
    console.error(`e2e: port ${DEFAULT_PORT} is taken and no free port was found; set SLUICE_E2E_PORT.`);
    process.exit(1);
  }
  console.log(`e2e: port ${DEFAULT_PORT} is taken by another server; previewing on ${free} instead`);
  return String(free);
}

let chromium;
try {
  chromium = await findChromium();
} catch (error) {
  console.error(error instanceof ChromiumNotFound ? `e2e: ${error.message}` : error);
  process.exit(1);
}
console.log(`e2e: Chromium ${chromium.path} (${chromium.source}; ${browserVersion(chromium.path)})`);

if (process.env.SLUICE_E2E_SKIP_BUILD === '1') {
  console.log('e2e: SLUICE_E2E_SKIP_BUILD=1, using the existing dist/');
} else {
  const buildStarted = Date.now();
  const build = spawnSync(process.execPath, [nodeBin('vite/bin/vite.js'), 'build'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (build.status !== 0) {
    console.error(`e2e: vite build failed (${build.status ?? build.signal}); no browser tests were run.`);
    process.exit(build.status || 1);
  }
  console.log(`e2e: built in ${seconds(buildStarted)}`);
}

const port = await choosePort();
const child = spawn(process.execPath, [nodeBin('@playwright/test/cli.js'), 'test', ...process.argv.slice(2)], {
  cwd: root,
  stdio: ['ignore', 'inherit', 'inherit'],
  env: { ...process.env, SLUICE_CHROMIUM: chromium.path, SLUICE_E2E_PORT: port },
});
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', (code, signal) => {
  console.log(`e2e: playwright test ${code === 0 ? 'passed' : `failed (${code ?? signal})`}; whole e2e step ${seconds(started)}`);
  process.exit(code ?? 1);
});
