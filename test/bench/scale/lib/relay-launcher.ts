import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync, closeSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TEST_KEYS } from '@switchyard/testkit/relay';
import { cpuMs, peakRssBytes, rssBytes } from './proc-stats';

export { TEST_KEYS };

export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
/** BENCH_RELAY_DIR points the benches at another copy of apps/relay (a patched one, say). */
const RELAY_DIR = process.env.BENCH_RELAY_DIR ?? join(REPO_ROOT, 'apps/relay');
const BUILT_BIN = join(RELAY_DIR, 'bin/switchyard-relay.js');
const SOURCE_MAIN = join(RELAY_DIR, 'test/config/fixtures/run-main.ts');
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/**
 * How the relay is started: `built` runs apps/relay/bin/switchyard-relay.js (what operators
 * run; starts in ~0.3 s), `source` runs src/main.ts through tsx (no build needed, ~1 s).
 */
export type RelayMode = 'built' | 'source';

/** Options of launchRelay. */
export interface LaunchOptions {
  mode: RelayMode;
  /** Holds the config, the data and the log. Default: a new temp dir. */
  dir?: string;
  /** Default: a free port picked now (kept across restarts). */
  port?: number;
  /** Extra config fields (heartbeatMs, limits, store...). */
  config?: Record<string, unknown>;
  /** Default `info` (the relay's own default). */
  logLevel?: string;
  /** Extra node flags, e.g. `--cpu-prof`. */
  nodeArgs?: string[];
  /** How long to wait for /healthz. Default 30 s. */
  startTimeoutMs?: number;
}

/** A relay process started by the benches. */
export interface LaunchedRelay {
  url: string;
  port: number;
  pid: number;
  dir: string;
  child: ChildProcess;
  /** Resolves with the exit code or signal once the process is gone. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Milliseconds from spawn to /healthz answering. */
  startMs: number;
  rss(): number;
  peakRss(): number;
  cpuMs(): number;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL and wait for the exit. */
  kill(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Starts another process on the same port, data and config. */
  restart(overrides?: Partial<LaunchOptions>): Promise<LaunchedRelay>;
  /** The admin API of the test environment, with the write token. */
  admin(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: unknown; headers: Headers }>;
  /** The log file's content. */
  log(): string;
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Builds the relay and its workspace dependencies (turbo; cached when nothing changed). */
export function buildRelay(): void {
  const started = Date.now();
  const result = spawnSync('pnpm', ['turbo', 'run', 'build', '--filter', '@switchyard/relay...'], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    throw new Error(`building the relay failed:\n${result.stdout}\n${result.stderr}`);
  }
  console.log(`relay built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** The mode to use: `built` when the build exists (benches build first), else `source`. */
export const defaultMode = (): RelayMode =>
  existsSync(join(RELAY_DIR, 'dist/main.js')) ? 'built' : 'source';

/** Starts a relay child process with a file store and the TEST_KEYS environment. */
export async function launchRelay(options: LaunchOptions): Promise<LaunchedRelay> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'switchyard-scale-'));
  mkdirSync(dir, { recursive: true });
  const port = options.port ?? (await freePort());
  const configFile = join(dir, 'relay-config.json');
  const config = {
    dataDir: join(dir, 'data'),
    logLevel: options.logLevel ?? 'info',
    environments: {
      [TEST_KEYS.environment]: {
        serverKeys: [TEST_KEYS.server],
        clientKeys: [TEST_KEYS.client],
        keySalt: TEST_KEYS.keySalt,
        corsOrigins: ['*'],
      },
    },
    adminTokens: [{ name: 'bench', token: TEST_KEYS.admin, scope: 'write' }],
    ...options.config,
  };
  writeFileSync(configFile, JSON.stringify(config));
  const logFile = join(dir, 'relay.log');
  const logFd = openSync(logFile, 'a');
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('SWITCHYARD_')),
  );
  const args =
    options.mode === 'built'
      ? [...(options.nodeArgs ?? []), BUILT_BIN]
      : [...(options.nodeArgs ?? []), '--import', TSX_LOADER, SOURCE_MAIN];
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, [...args, '--config', configFile, '--port', String(port)], {
    cwd: RELAY_DIR,
    env: { ...clean, TSX_TSCONFIG_PATH: join(RELAY_DIR, 'tsconfig.json') },
    stdio: ['ignore', logFd, logFd],
  });
  closeSync(logFd);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  let gone = false;
  void exited.then(() => (gone = true));
  const url = `http://127.0.0.1:${port}`;
  const log = (): string => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '');
  const deadline = Date.now() + (options.startTimeoutMs ?? 30_000);
  for (;;) {
    if (gone) throw new Error(`the relay exited before listening:\n${log().slice(-4000)}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the relay did not start in time:\n${log().slice(-4000)}`);
    }
    const ok = await fetch(`${url}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) break;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  const startMs = performance.now() - spawnedAt;
  const pid = child.pid!;
  const signal = async (name: NodeJS.Signals) => {
    if (!gone) child.kill(name);
    return exited;
  };
  return {
    url,
    port,
    pid,
    dir,
    child,
    exited,
    startMs,
    rss: () => rssBytes(pid),
    peakRss: () => peakRssBytes(pid),
    cpuMs: () => cpuMs(pid),
    stop: () => signal('SIGTERM'),
    kill: () => signal('SIGKILL'),
    restart: (overrides = {}) => launchRelay({ ...options, ...overrides, dir, port }),
    admin: (method, path, body, headers) => adminCall(url, method, path, body, headers),
    log,
  };
}

/** Calls the admin API of the TEST_KEYS environment. */
export async function adminCall(
  url: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: unknown; headers: Headers }> {
  const request = () =>
    fetch(`${url}/admin/v1/environments/${TEST_KEYS.environment}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${TEST_KEYS.admin}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  // A kept-alive connection may have been dropped (ss -K) or closed by a restart: one retry,
  // which callers make safe with an Idempotency-Key when it matters.
  const response = await request().catch(() => request());
  const text = await response.text();
  return {
    status: response.status,
    body: text === '' ? undefined : (JSON.parse(text) as unknown),
    headers: response.headers,
  };
}
