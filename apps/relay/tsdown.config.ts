import { defineConfig } from 'tsdown';

export default defineConfig({
  // main: the process entry behind bin/switchyard-relay.js; index: the library surface.
  entry: ['src/main.ts', 'src/index.ts'],
  format: ['esm'],
  target: 'es2022',
  platform: 'node',
  // An application: nobody imports its types from the build.
  dts: false,
  sourcemap: true,
  clean: true,
});
