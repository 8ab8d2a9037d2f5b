import { resolve } from 'node:path';

/** The demo environment's name. */
export const DEMO_ENVIRONMENT = 'demo';
/** The demo's server key: sees every flag. Printed on start; never use it outside the demo. */
export const DEMO_SERVER_KEY = 'srv-demo-server-key';
/** The demo's client key: client-side flags only, hashed context keys. */
export const DEMO_CLIENT_KEY = 'cli-demo-client-key';
/** The demo's admin token, with write scope. */
export const DEMO_ADMIN_TOKEN = 'demo-admin-token';

/**
 * The `--demo` preset: a file store in `./.switchyard/demo`, one environment open to any
 * browser origin, and well-known keys. It sits under the config file, env vars and flags,
 * so `--demo --port 9000` or `--demo --data-dir /tmp/x` work as expected.
 */
export function demoConfigValues(cwd: string): Record<string, unknown> {
  return {
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
