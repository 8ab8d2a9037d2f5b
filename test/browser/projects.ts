/**
 * Vitest projects that run core's and the web provider's unit tests in headless Chromium
 * (Debian's, at /usr/bin/chromium; never a downloaded browser), to prove the code is
 * portable. The root vitest.config.ts adds them to its projects.
 *
 * Without Chromium the projects are left out with a message, so `pnpm test` still works on a
 * bare machine; under CI (CI set) they always run, and fail loudly if Chromium is missing.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { playwright } from '@vitest/browser-playwright';
import type { TestProjectInlineConfiguration } from 'vitest/config';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** The Chromium the browser projects launch; CHROMIUM_PATH overrides it. */
export const chromiumPath = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/**
 * Flags for Chromium as root in a container. Playwright gives every launch a fresh temporary
 * profile (user-data-dir) of its own and removes it afterwards.
 */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Tests that need Node (node:* imports, msw/node) are named *.node.test.ts. */
const nodeOnly = ['test/**/*.node.test.ts'];

function browserProject(name: string, root: string): TestProjectInlineConfiguration {
  return {
    extends: true,
    test: {
      name,
      root,
      include: ['test/**/*.test.ts'],
      exclude: nodeOnly,
      browser: {
        enabled: true,
        headless: true,
        screenshotFailures: false,
        provider: playwright({
          launchOptions: { executablePath: chromiumPath, args: chromiumArgs },
        }),
        instances: [{ browser: 'chromium' }],
      },
    },
  };
}

/** The browser projects, or none (with a message) when Chromium is missing outside CI. */
export function browserProjects(): TestProjectInlineConfiguration[] {
  if (!existsSync(chromiumPath) && process.env['CI'] === undefined) {
    // Every vitest worker loads the config again; they inherit the environment, so say it once.
    if (process.env['SWITCHYARD_BROWSER_SKIP_TOLD'] === undefined)
      console.warn(
        `\n[switchyard] skipping the browser projects core-browser and web-provider-browser: ` +
          `no Chromium at ${chromiumPath} (apt-get install -y chromium, or set CHROMIUM_PATH). ` +
          `With CI set they run regardless.\n`,
      );
    process.env['SWITCHYARD_BROWSER_SKIP_TOLD'] = '1';
    return [];
  }
  return [
    browserProject('core-browser', here('../../packages/core')),
    browserProject('web-provider-browser', here('../../packages/web-provider')),
  ];
}
