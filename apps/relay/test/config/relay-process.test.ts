import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { temporaryDirectory } from '../store/store-test-helpers';

const RELAY_DIR = fileURLToPath(new URL('../..', import.meta.url));
const RUN_MAIN = fileURLToPath(new URL('./fixtures/run-main.ts', import.meta.url));
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

interface RelayProcess {
  child: ChildProcess;
  output: () => { stdout: string; stderr: string };
  exited: Promise<number | null>;
}

/** Starts `switchyard-relay <args>` from sources in `cwd`, with a clean SWITCHYARD_* environment. */
function startRelayProcess(
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
): RelayProcess {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('SWITCHYARD_')),
  );
  const child = spawn(process.execPath, ['--import', TSX_LOADER, RUN_MAIN, ...args], {
    cwd,
    env: { ...clean, ...env, TSX_TSCONFIG_PATH: `${RELAY_DIR}/tsconfig.json` },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => ({ stdout, stderr }), exited };
}

async function waitForUrl(relay: RelayProcess): Promise<string> {
  for (let waited = 0; waited < 15_000; waited += 50) {
    const match = /running at (http:\/\/\S+)/.exec(relay.output().stdout);
    if (match !== null) return match[1]!;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the relay did not start:\n${relay.output().stderr}`);
}

describe('the switchyard-relay process', () => {
  it('prints one line per configuration problem and exits 1 without a stack trace', async () => {
    const cwd = await temporaryDirectory('switchyard-main-');
    const relay = startRelayProcess(['--port', 'eighty'], cwd, {
      SWITCHYARD_ENVIRONMENTS: '{"production":{"serverKeys":["prod"]}}',
    });
    expect(await relay.exited).toBe(1);
    const { stderr } = relay.output();
    expect(stderr).toContain('switchyard-relay: invalid configuration (2 problems):');
    expect(stderr).toContain('listen.port: must be an integer, not "eighty" (from --port)');
    expect(stderr).toContain(
      'environments.production.serverKeys[0]: must start with "srv-" (from SWITCHYARD_ENVIRONMENTS)',
    );
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('prints its usage for --help and exits 0', async () => {
    const relay = startRelayProcess(['--help'], await temporaryDirectory('switchyard-main-'));
    expect(await relay.exited).toBe(0);
    expect(relay.output().stdout).toContain('--data-dir <dir>');
  });

  it('serves the seeded demo, shuts down on SIGTERM with exit 0, and keeps its state for the next start', async () => {
    const cwd = await temporaryDirectory('switchyard-main-');
    const first = startRelayProcess(['--demo', '--port', '0', '--log-level', 'warn'], cwd);
    const url = await waitForUrl(first);
    expect(first.output().stdout).toContain('seeded with the demo flags');
    expect(first.output().stdout).toContain('cli-demo-client-key');
    const response = await fetch(`${url}/sdk/v1/snapshot`, {
      headers: { authorization: 'srv-demo-server-key' },
    });
    expect(await response.json()).toMatchObject({
      environment: 'demo',
      version: 1,
      flags: { 'new-checkout': { enabled: true } },
    });

    const second = startRelayProcess(['--demo', '--port', '0'], cwd);
    expect(await second.exited).toBe(1);
    expect(second.output().stderr).toMatch(
      /switchyard-relay: data dir .* is in use by process \d+/,
    );

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    const third = startRelayProcess(['--demo', '--port', '0', '--log-level', 'warn'], cwd);
    await waitForUrl(third);
    expect(third.output().stdout).toContain('existing state kept');
    third.child.kill('SIGINT');
    expect(await third.exited).toBe(0);
  });
});
