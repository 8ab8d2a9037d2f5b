import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startRelayProcess } from '@switchyard/testkit/relay';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

describe("the README's example app", () => {
  it('reads a flag from `switchyard-relay --demo` and reacts to a change', async () => {
    const relay = await startRelayProcess({ demo: true });
    const app = spawn(process.execPath, ['--import', TSX_LOADER, 'examples/server-app.ts'], {
      cwd: ROOT,
      env: { ...process.env, RELAY_URL: relay.url, TSX_TSCONFIG_PATH: `${ROOT}/tsconfig.json` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    app.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    app.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      const waitFor = async (text: string) => {
        for (let waited = 0; !output.includes(text); waited += 50) {
          if (waited > 20_000) throw new Error(`no "${text}" in:\n${output}`);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      };
      // user_1 is in the demo's beta-users segment.
      await waitFor('new-checkout is true');
      const current = (await relay.admin('GET', '/flags/new-checkout')).body as Record<
        string,
        unknown
      >;
      const written = await relay.admin('PUT', '/flags/new-checkout', {
        ...current,
        enabled: false,
      });
      expect(written.status).toBe(200);
      await waitFor("changed: [ 'new-checkout' ] -> new-checkout is false");
    } finally {
      app.kill();
      await relay.stop();
    }
  });
});
