import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The demo environment's name. */
export const DEMO_ENVIRONMENT = 'demo';
/** The demo's server key: sees every flag. Printed on start; never use it outside the demo. */
export const DEMO_SERVER_KEY = 'srv-demo-server-key';
/** The demo's client key: client-side flags only, hashed context keys. */
export const DEMO_CLIENT_KEY = 'cli-demo-client-key';
/** The demo's admin token, with write scope. */
export const DEMO_ADMIN_TOKEN = 'demo-admin-token';

/**
 * The demo page's build directory (apps/demo-web/dist) when the relay runs from the
 * repository, found from this module's place (src/demo/ in sources, dist/ once built): the
 * relay package is the nearest directory with a package.json. Undefined outside the
 * repository (an installed relay has no demo page).
 */
export function demoUiDir(moduleUrl: string = import.meta.url): string | undefined {
  let dir = dirname(fileURLToPath(moduleUrl));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
  const demoWeb = resolve(dir, '../demo-web');
  return existsSync(join(demoWeb, 'package.json')) ? join(demoWeb, 'dist') : undefined;
}

/**
 * The `--demo` preset: a file store in `./.switchyard/demo`, one environment open to any
 * browser origin, and well-known keys. It sits under the config file, env vars and flags,
 * so `--demo --port 9000` or `--demo --data-dir /tmp/x` work as expected. In the repository
 * it also serves the demo page at `/` (built or not: if not, the relay says so).
 */
export function demoConfigValues(cwd: string): Record<string, unknown> {
  const uiDir = demoUiDir();
  return {
    ...(uiDir === undefined ? {} : { ui: { dir: uiDir } }),
    dataDir: resolve(cwd, '.switchyard/demo'),
    store: { kind: 'file' },
    environments: {
      [DEMO_ENVIRONMENT]: {
        serverKeys: [DEMO_SERVER_KEY],
        clientKeys: [DEMO_CLIENT_KEY],
        keySalt: 'switchyard-demo',
        corsOrigins: ['*'],
      },
    },
    adminTokens: [{ name: 'demo-admin', token: DEMO_ADMIN_TOKEN, scope: 'write' }],
  };
}
