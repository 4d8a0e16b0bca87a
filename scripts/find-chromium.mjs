// Finds a Chromium for the Playwright suite, in this order:
//   1. $CHROMIUM_PATH (an explicit choice: if it does not exist, that is an error, not a fallback);
//   2. /usr/bin/chromium, then /usr/bin/chromium-browser (Debian/Ubuntu packages; what CI uses);
//   3. the Chromium that `npx playwright install chromium` put in Playwright's cache;
//   4. otherwise runs `npx playwright install chromium` (needs the internet; skipped when
//      SLUICE_NO_BROWSER_INSTALL=1) and uses what it installed.
// If all of that fails it throws a ChromiumNotFound whose message says what to install.
//
// As a command: `node scripts/find-chromium.mjs [--no-install]` prints the path and its source.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const SYSTEM_CHROMIUMS = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];
const INSTALL_TIMEOUT_MS = 10 * 60 * 1000;

export class ChromiumNotFound extends Error {
  constructor(message) {
    super(message);
    this.name = 'ChromiumNotFound';
  }
}

const HOW_TO_INSTALL = [
  'Install one of:',
  '  - Debian/Ubuntu: sudo apt-get install chromium   (provides /usr/bin/chromium)',
  '  - any OS with internet access: npx playwright install chromium',
  '  - or point CHROMIUM_PATH at an existing Chromium or Chrome binary.',
].join('\n');

/** Where Playwright keeps (or would keep) its own Chromium; undefined if Playwright cannot say. */
async function playwrightChromiumPath() {
  try {
    const { chromium } = await import('@playwright/test');
    return chromium.executablePath();
  } catch {
    return undefined;
  }
}

function installPlaywrightChromium(log) {
  log('e2e: no Chromium found; running `npx playwright install chromium` ...');
  const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
  const result = spawnSync(npx, ['playwright', 'install', 'chromium'], {
    stdio: ['ignore', 'inherit', 'inherit'],
    timeout: INSTALL_TIMEOUT_MS,
    shell: process.platform === 'win32',
  });
  if (result.error) return `could not run it (${result.error.message})`;
  if (result.status !== 0) return `it exited with ${result.status ?? result.signal}`;
  return undefined;
}

/**
 * @param {{ env?: NodeJS.ProcessEnv, install?: boolean, exists?: (path: string) => boolean,
 *           log?: (line: string) => void }} [options]
 * @returns {Promise<{ path: string, source: string }>}
 */
export async function findChromium(options = {}) {
  const env = options.env ?? process.env;
  const exists = options.exists ?? existsSync;
  const log = options.log ?? ((line) => console.error(line));
  const install = options.install ?? env.SLUICE_NO_BROWSER_INSTALL !== '1';

  if (env.CHROMIUM_PATH) {
    if (exists(env.CHROMIUM_PATH)) return { path: env.CHROMIUM_PATH, source: 'CHROMIUM_PATH' };
    throw new ChromiumNotFound(`CHROMIUM_PATH is set to ${env.CHROMIUM_PATH}, which does not exist. Fix or unset it.\n${HOW_TO_INSTALL}`);
  }
  for (const path of SYSTEM_CHROMIUMS) {
    if (exists(path)) return { path, source: 'system package' };
  }
  const bundled = await playwrightChromiumPath();
  if (bundled && exists(bundled)) return { path: bundled, source: "Playwright's browser cache" };

  if (!install) {
    throw new ChromiumNotFound(`No Chromium found (looked at CHROMIUM_PATH, ${SYSTEM_CHROMIUMS.join(', ')}${bundled ? `, ${bundled}` : ''}); installing was disabled.\n${HOW_TO_INSTALL}`);
  }
  const failure = installPlaywrightChromium(log);
  const installed = await playwrightChromiumPath();
  if (!failure && installed && exists(installed)) return { path: installed, source: 'npx playwright install chromium' };
  throw new ChromiumNotFound(
    `No Chromium found (looked at CHROMIUM_PATH, ${SYSTEM_CHROMIUMS.join(', ')}${bundled ? `, ${bundled}` : ''}), ` +
    `and \`npx playwright install chromium\` did not provide one${failure ? `: ${failure}` : ''}.\n${HOW_TO_INSTALL}`,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    const found = await findChromium({ install: !process.argv.includes('--no-install') });
    console.log(`${found.path}\t(${found.source})`);
  } catch (error) {
    console.error(error instanceof ChromiumNotFound ? error.message : error);
    process.exit(1);
  }
}
