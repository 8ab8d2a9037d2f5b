import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { browserProjects } from './test/browser/projects';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** Workspace packages resolve to their sources, so tests never need a build. */
export const workspaceAliases = [
  { find: /^@switchyard\/core\/protocol$/, replacement: here('./packages/core/src/protocol.ts') },
  { find: /^@switchyard\/core$/, replacement: here('./packages/core/src/index.ts') },
  { find: /^@switchyard\/sync$/, replacement: here('./packages/sync/src/index.ts') },
  {
    find: /^@switchyard\/testkit\/relay$/,
    replacement: here('./packages/testkit/src/relay-process.ts'),
  },
  {
    find: /^@switchyard\/server-provider$/,
    replacement: here('./packages/server-provider/src/index.ts'),
  },
  { find: /^@switchyard\/testkit$/, replacement: here('./packages/testkit/src/index.ts') },
  {
    find: /^@switchyard\/web-provider$/,
    replacement: here('./packages/web-provider/src/index.ts'),
  },
];

export default defineConfig({
  resolve: { alias: workspaceAliases },
  test: {
    // The JSON report lets .ci/run print one "N passed, N failed" line over every project.
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest-results.json' },
    projects: [
      {
        extends: true,
        test: { name: 'core', root: here('./packages/core'), include: ['test/**/*.test.ts'] },
      },
      {
        extends: true,
        test: { name: 'sync', root: here('./packages/sync'), include: ['test/**/*.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'server-provider',
          root: here('./packages/server-provider'),
          include: ['test/**/*.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'web-provider',
          root: here('./packages/web-provider'),
          include: ['test/**/*.test.ts'],
        },
      },
      {
        extends: true,
        test: { name: 'cli', root: here('./apps/cli'), include: ['test/**/*.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'relay',
          root: here('./apps/relay'),
          include: ['test/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          root: here('./test'),
          include: ['e2e/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'conformance',
          root: here('./test'),
          include: ['conformance/**/*.test.ts'],
        },
      },
      // core-browser and web-provider-browser: the same unit tests in headless Chromium.
      ...browserProjects(),
    ],
  },
});
