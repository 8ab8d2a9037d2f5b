import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const RELAY_DIR = fileURLToPath(new URL('../../../apps/relay/', import.meta.url));
const RUN_MAIN = join(RELAY_DIR, 'test/config/fixtures/run-main.ts');
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** Keys and token of the test environment a relay process serves. */
export const TEST_KEYS = {
  environment: 'production',
  server: 'srv-e2e-server',
  client: 'cli-e2e-client',
  admin: 'e2e-admin-token',
  keySalt: 'e2e-salt',
} as const;

/** The keys `switchyard-relay --demo` prints. */
export const DEMO_KEYS = {
  environment: 'demo',
  server: 'srv-demo-server-key',
  client: 'cli-demo-client-key',
  admin: 'demo-admin-token',
  keySalt: 'switchyard-demo',
} as const;

/** Options of startRelayProcess. */
export interface RelayProcessOptions {
  /** Run `--demo` (demo keys and flags) instead of the test environment. */
  demo?: boolean;
  /** Keep data here (reuse it to restart with the same state). Default: a new temp dir. */
  dataDir?: string;
  /** Default 0: a free port. */
  port?: number;
  /** Extra config fields (heartbeatMs, changeRing, limits...). */
  config?: Record<string, unknown>;
}

/** A relay running in a child process, from sources, on loopback. */
export interface RelayProcess {
  url: string;
  port: number;
  dataDir: string;
  child: ChildProcess;
  /** SIGTERM, then wait for the exit. */
  stop(): Promise<void>;
  /** SIGKILL, then wait for the exit. */
  kill(): Promise<void>;
  /** Starts a new process on the same port and data dir. */
  restart(): Promise<RelayProcess>;
  /** Calls the admin API with the test token; answers status and parsed body. */
  admin(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: unknown; headers: Headers }>;
  /** Everything the process printed. */
  output(): string;
}

/**
 * Starts `switchyard-relay` from sources in a child process with a file store and one
 * environment (see TEST_KEYS), and resolves once it listens. A real process, so tests can
 * stop, kill and restart it like an operator would.
 */
export async function startRelayProcess(options: RelayProcessOptions = {}): Promise<RelayProcess> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'switchyard-relay-')));
  const configFile = join(dataDir, 'relay-config.json');
  const config = {
    dataDir: join(dataDir, 'data'),
    logLevel: 'info',
    environments: {
      [TEST_KEYS.environment]: {
        serverKeys: [TEST_KEYS.server],
        clientKeys: [TEST_KEYS.client],
        keySalt: TEST_KEYS.keySalt,
        corsOrigins: ['*'],
      },
    },
    adminTokens: [{ name: 'e2e', token: TEST_KEYS.admin, scope: 'write' }],
    ...options.config,
  };
  await writeFile(configFile, JSON.stringify(config));
  const keys = options.demo === true ? DEMO_KEYS : TEST_KEYS;
  const modeArgs =
    options.demo === true
      ? ['--demo', '--data-dir', join(dataDir, 'demo')]
      : ['--config', configFile];
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('SWITCHYARD_')),
  );
  const child = spawn(
    process.execPath,
    ['--import', TSX_LOADER, RUN_MAIN, ...modeArgs, '--port', String(options.port ?? 0)],
    {
      cwd: RELAY_DIR,
      env: { ...clean, TSX_TSCONFIG_PATH: join(RELAY_DIR, 'tsconfig.json') },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the relay did not start within 20 s:\n${output}`)),
      20_000,
    );
    const check = (): void => {
      const match = /"url":"(http:\/\/[^"]+)"[^\n]*"msg":"relay listening"/.exec(output);
      if (match !== null) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', () => {
      clearTimeout(timer);
      reject(new Error(`the relay exited before listening:\n${output}`));
    });
  });
  const port = Number(new URL(url).port);
  const relay: RelayProcess = {
    url,
    port,
    dataDir,
    child,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    restart: () => startRelayProcess({ ...options, dataDir, port }),
    async admin(method, path, body, headers = {}) {
      const response = await fetch(`${url}/admin/v1/environments/${keys.environment}${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${keys.admin}`,
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          ...headers,
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return {
        status: response.status,
        body: text === '' ? undefined : (JSON.parse(text) as unknown),
        headers: response.headers,
      };
    },
    output: () => output,
  };
  return relay;
}
