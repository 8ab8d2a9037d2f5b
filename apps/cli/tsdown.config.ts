import { defineConfig } from 'tsdown';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  target: 'es2022',
  platform: 'node',
  // An application, not a library: nobody imports its types.
  dts: false,
  sourcemap: true,
  clean: true,
});
