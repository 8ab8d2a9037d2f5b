import { Writable } from 'node:stream';
import type { Snapshot } from '@switchyard/core';
import { pino } from 'pino';
import type { RelayServerConfig } from '../../src/http/relay-options';
import { startRelay, type RunningRelay } from '../../src/http/start-relay';
import { MemoryFlagStore } from '../../src/store/memory-flag-store';
import { demoSnapshot } from '../hub/flag-fixtures';

/** Credentials of the test relay. */
export const KEYS = {
  server: 'srv-prod-1',
  client: 'cli-prod-1',
  stagingServer: 'srv-staging-1',
  writer: 'adm-write-1',
  reader: 'adm-read-1',
} as const;

/** The salt of production's client snapshots. */
export const KEY_SALT = 'prod-salt';

/** A browser origin production accepts. */
export const APP_ORIGIN = 'https://app.example';

/** A relay on port 0 over a MemoryFlagStore, with helpers and every log line it wrote. */
export interface TestRelay {
  relay: RunningRelay;
  store: MemoryFlagStore;
  url: string;
  logs: string[];
  /** Calls the admin API with the write token (or `token`); answers status, headers and JSON. */
  admin(
    method: string,
    path: string,
    options?: { body?: unknown; token?: string; headers?: Record<string, string> },
  ): Promise<Reply>;
  close(): Promise<void>;
}

/** Parsed JSON as tests read it: any shape, pinned down by expect(). */
export type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A decoded HTTP answer. */
export interface Reply {
  status: number;
  headers: Headers;
  json: Json;
}

/** Reads a fetch Response into a Reply. */
export async function replyOf(response: Response): Promise<Reply> {
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: response.status, headers: response.headers, json };
}

/** Starts a relay with production (seeded with demoSnapshot) and an empty staging. */
export async function startTestRelay(
  options: { config?: Partial<RelayServerConfig>; seed?: Snapshot; ringSize?: number } = {},
): Promise<TestRelay> {
  const store = new MemoryFlagStore({
    environments: ['production', 'staging'],
    seed: { production: options.seed ?? demoSnapshot() },
    ringSize: options.ringSize ?? 1000,
  });
  const logs: string[] = [];
  const logger = pino(
    { level: 'debug' },
    new Writable({
      write(chunk, _encoding, done) {
        logs.push(String(chunk));
        done();
      },
    }),
  );
  const relay = await startRelay({
    store,
    logger,
    shutdownGraceMs: 1000,
    config: {
      listen: { host: '127.0.0.1', port: 0 },
      environments: {
        production: {
          serverKeys: [KEYS.server],
          clientKeys: [KEYS.client],
          keySalt: KEY_SALT,
          corsOrigins: [APP_ORIGIN],
        },
        staging: {
          serverKeys: [KEYS.stagingServer],
          clientKeys: [],
          keySalt: 'staging-salt',
          corsOrigins: [],
        },
      },
      adminTokens: [
        { name: 'alice', token: KEYS.writer, scope: 'write' },
        { name: 'reader-bot', token: KEYS.reader, scope: 'read' },
      ],
      ...options.config,
    },
  });
  const admin: TestRelay['admin'] = async (
    method,
    path,
    { body, token = KEYS.writer, headers = {} } = {},
  ) =>
    replyOf(
      await fetch(`${relay.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        ...(body !== undefined
          ? { body: typeof body === 'string' ? body : JSON.stringify(body) }
          : {}),
      }),
    );
  return { relay, store, url: relay.url, logs, admin, close: () => relay.close() };
}

/** Waits until `check` passes (polling), or fails with its last error. */
export async function eventually(
  check: () => void | Promise<void>,
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
