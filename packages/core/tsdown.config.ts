import { defineConfig } from 'tsdown';

export default defineConfig([
  {
    entry: ['src/index.ts', 'src/protocol.ts'],
    format: ['esm', 'cjs'],
    target: 'es2022',
    dts: true,
    sourcemap: true,
    clean: true,
  },
  {
    // For bundlers that pick the `browser` condition: the same code with browser-sized parts
    // (the looped SHA-1 compression, through `#sha1-compress` in package.json). Types are shared.
    entry: ['src/index.ts', 'src/protocol.ts'],
    format: ['esm'],
    target: 'es2022',
    platform: 'browser',
    outDir: 'dist/browser',
    dts: false,
    sourcemap: true,
    clean: false,
  },
]);
