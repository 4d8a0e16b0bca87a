// `npm run test:browser`: the `*.browser.test.ts` suites (the state backend contract and other
// storage tests) in real headless Chromium with real IndexedDB, through Vitest's browser mode.
// Extra arguments go to `vitest run`, e.g. `npm run test:browser -- src/state-idb`.
// Environment: CHROMIUM_PATH and SLUICE_NO_BROWSER_INSTALL as for scripts/e2e.mjs.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ChromiumNotFound, findChromium } from './find-chromium.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
if (!existsSync(vitest)) {
  console.error(`browser tests: ${vitest} is missing; run \`npm ci\` first.`);
  process.exit(1);
}

let chromium;
try {
  chromium = await findChromium();
} catch (error) {
  console.error(error instanceof ChromiumNotFound ? `browser tests: ${error.message}` : error);
  process.exit(1);
}
console.log(`browser tests: Chromium ${chromium.path} (${chromium.source})`);

const child = spawn(process.execPath, [vitest, 'run', '--project', 'browser', ...process.argv.slice(2)], {
  cwd: root,
  stdio: ['ignore', 'inherit', 'inherit'],
  env: { ...process.env, CHROMIUM_PATH: chromium.path, SLUICE_BROWSER_TESTS: '1' },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
