import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * Builds the demo page into dist/, which `switchyard-relay --demo` serves at `/`. Workspace
 * packages resolve to their sources, so the page builds (and the browser tests run) without
 * building them first. JSX goes through esbuild (no React plugin: the page needs no fast
 * refresh to be a demo).
 */
export default defineConfig({
  root: here('.'),
  // Relative asset URLs: the page works wherever the relay (or any static server) mounts it.
  base: './',
  resolve: {
    alias: [
      {
        find: /^@switchyard\/web-provider$/,
        replacement: here('../../packages/web-provider/src/index.ts'),
      },
      { find: /^@switchyard\/sync$/, replacement: here('../../packages/sync/src/index.ts') },
      {
        find: /^@switchyard\/core\/protocol$/,
        replacement: here('../../packages/core/src/protocol.ts'),
      },
      { find: /^@switchyard\/core$/, replacement: here('../../packages/core/src/index.ts') },
    ],
    // One OpenFeature singleton and one React, whichever package imports them.
    dedupe: ['react', 'react-dom', '@openfeature/web-sdk', '@openfeature/core'],
  },
  esbuild: { jsx: 'automatic' },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, target: 'es2022' },
});
