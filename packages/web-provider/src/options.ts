import type { Snapshot } from '@switchyard/core';
import {
  Backoff,
  type BackoffOptions,
  type Clock,
  type EventSourceFactory,
  type FetchFunction,
  type Logger,
  type WebSocketFactory,
} from '@switchyard/sync';

/** Where the provider keeps the last snapshot: the subset of the Web Storage API it uses. */
export interface SnapshotStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/**
 * The browser objects the provider uses. Every field defaults to the page's own global; pass
 * some to use a polyfill (say, an EventSource that can send headers) or fakes in tests.
 */
export interface WebPlatform {
  /** Default: `new EventSource(url)` (the key travels as `?key=`). */
  createEventSource: EventSourceFactory;
  /** Default: `new WebSocket(url)` (the key travels as `?key=`). */
  createWebSocket: WebSocketFactory;
  /** Default: the global `fetch`. */
  fetch: FetchFunction;
  /** Default: `Date.now` and the global timers. */
  clock: Clock;
  /** Randomness for backoff jitter. Default: `Math.random`. */
  random: () => number;
}

/** Options of SwitchyardWebProvider: one object, every default documented. */
export interface SwitchyardWebProviderOptions {
  /**
   * Base URL of the relay, e.g. `https://flags.example.com`. A relative URL (`/`) resolves
   * against the page's location. Required unless `offline`.
   */
  relayUrl?: string;
  /** A client key (`cli-...`); never a server key. Required unless `offline`. */
  clientKey?: string;
  /** How changes arrive. Default `'sse'`. */
  transport?: 'sse' | 'ws' | 'poll';
  /**
   * `initialize()` fails (the provider keeps trying, and turns READY when a snapshot comes)
   * if no snapshot came by then. Default 10000 ms. Unused when a cached snapshot exists.
   */
  initTimeoutMs?: number;
  /**
   * Keeps the last snapshot (per relay URL and client key; the key itself is stored only as
   * a SHA-256 hash), so a returning page is READY at once from it. Default
   * `window.localStorage` when the page may use it; `null` disables the cache.
   */
  storage?: SnapshotStorage | null;
  /** No network: serve this snapshot (tests, storybooks, offline demos). Takes no relay options. */
  offline?: { snapshot: Snapshot };
  /** How long the provider stays STALE before ERROR when the relay is unreachable. Default 60000 ms. */
  staleGraceMs?: number;
  /** Reconnect backoff. Default 1 s doubling to 30 s with full jitter, reset after 60 s healthy. */
  backoff?: BackoffOptions;
  /** Poll interval for `transport: 'poll'` (only then), at least 1000 ms. Default 30000 ms. */
  pollIntervalMs?: number;
  /** Where the provider logs. Default: nothing. Keys are never logged. */
  logger?: Logger;
  /** Browser objects, for polyfills and tests. Default: the page's globals. */
  platform?: Partial<WebPlatform>;
}

/** Options with every default applied. */
export interface ResolvedOptions {
  relayUrl: string | undefined;
  clientKey: string | undefined;
  offline: { snapshot: Snapshot } | undefined;
  transport: 'sse' | 'ws' | 'poll';
  initTimeoutMs: number;
  storage: SnapshotStorage | null;
  staleGraceMs: number;
  backoff: BackoffOptions;
  pollIntervalMs: number;
  logger: Logger;
}

const fail = (message: string): never => {
  throw new TypeError(`SwitchyardWebProvider: ${message}`);
};

const nonNegative = (name: string, value: number): number => {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    fail(`${name} must be a non-negative number`);
  return value;
};

/** An absolute http(s) URL, resolving a relative one against the page (when there is one). */
function absoluteRelayUrl(relayUrl: unknown): string {
  const base = (globalThis as { location?: { href?: string } }).location?.href;
  let url: URL | undefined;
  try {
    url = new URL(String(relayUrl), base);
  } catch {
    url = undefined;
  }
  if (typeof relayUrl !== 'string' || relayUrl === '' || !/^https?:$/.test(url?.protocol ?? ''))
    fail('relayUrl must be an http(s) URL, or a relative one on a page (or use offline)');
  return url!.href;
}

/** window.localStorage, unless the page may not use it (privacy modes and sandboxes throw). */
function defaultStorage(): SnapshotStorage | null {
  try {
    return (globalThis as { localStorage?: SnapshotStorage }).localStorage ?? null;
  } catch {
    return null;
  }
}

/** Applies defaults and rejects contradictions at construction, naming the option. */
export function resolveOptions(
  options: SwitchyardWebProviderOptions,
  silent: Logger,
): ResolvedOptions {
  if (typeof options !== 'object' || options === null) fail('expects one options object');
  const { offline } = options;
  let relayUrl: string | undefined;
  if (offline === undefined) {
    relayUrl = absoluteRelayUrl(options.relayUrl);
    const key = options.clientKey;
    if (typeof key !== 'string' || key === '') fail('clientKey is required (or use offline)');
    if (key!.startsWith('srv-'))
      fail(
        'clientKey is a server key (srv-...): it would show every flag to the page; use a cli-... key',
      );
    if (!key!.startsWith('cli-')) fail('clientKey must be a client key (cli-...)');
  } else {
    const relayOnly = (
      ['relayUrl', 'clientKey', 'transport', 'storage', 'pollIntervalMs'] as const
    ).filter((name) => options[name] !== undefined);
    if (relayOnly.length > 0) fail(`offline mode takes no ${relayOnly.join(', ')}`);
    if (typeof offline !== 'object' || offline === null || typeof offline.snapshot !== 'object')
      fail('offline must be { snapshot }');
  }
  const transport = options.transport ?? 'sse';
  if (!['sse', 'ws', 'poll'].includes(transport))
    fail(`transport must be 'sse', 'ws' or 'poll', not ${JSON.stringify(transport)}`);
  if (options.pollIntervalMs !== undefined && transport !== 'poll')
    fail(`pollIntervalMs applies only to transport 'poll', not '${transport}'`);
  const pollIntervalMs = nonNegative('pollIntervalMs', options.pollIntervalMs ?? 30_000);
  if (pollIntervalMs < 1000) fail('pollIntervalMs must be at least 1000 ms');
  const storage = options.storage === undefined ? defaultStorage() : options.storage;
  if (storage !== null && typeof storage?.getItem !== 'function')
    fail('storage must have getItem, setItem and removeItem (like localStorage), or be null');
  const backoff = options.backoff ?? {};
  try {
    new Backoff(backoff, Math.random);
  } catch (error) {
    fail((error as Error).message);
  }
  return {
    relayUrl,
    clientKey: options.clientKey,
    offline,
    transport,
    initTimeoutMs: nonNegative('initTimeoutMs', options.initTimeoutMs ?? 10_000),
    storage: offline === undefined ? storage : null,
    staleGraceMs: nonNegative('staleGraceMs', options.staleGraceMs ?? 60_000),
    backoff,
    pollIntervalMs,
    logger: options.logger ?? silent,
  };
}
