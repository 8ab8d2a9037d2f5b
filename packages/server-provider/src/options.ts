import type { Snapshot } from '@switchyard/core';
import type { BackoffOptions, Logger } from '@switchyard/sync';

/** Options of SwitchyardProvider: one object, every default documented. */
export interface SwitchyardProviderOptions {
  /** Base URL of the relay, e.g. `http://127.0.0.1:8080`. Required unless `offline`. */
  relayUrl?: string;
  /** A server SDK key (`srv-...`). Required unless `offline`. */
  sdkKey?: string;
  /** How changes arrive. Default `'sse'`. */
  transport?: 'sse' | 'ws' | 'poll';
  /** `initialize()` fails (the provider keeps trying) if no snapshot came by then. Default 10000 ms. */
  initTimeoutMs?: number;
  /** Saves every applied snapshot here, and starts from it when the relay is down. Default: none. */
  cacheFile?: string;
  /** No network: serve a snapshot or flags file (watched), or a snapshot object. */
  offline?: { snapshotFile: string } | { snapshot: Snapshot };
  /** Entries of the LRU bucket cache; 0 disables it. Default 10000. */
  bucketCacheSize?: number;
  /** How long the provider stays STALE before ERROR when the relay is unreachable. Default 60000 ms. */
  staleGraceMs?: number;
  /** Reconnect backoff. Default 1 s doubling to 30 s with full jitter, reset after 60 s healthy. */
  backoff?: BackoffOptions;
  /** Poll interval for `transport: 'poll'`. Default 30000 ms. */
  pollIntervalMs?: number;
  /** Where the provider logs. Default: nothing. Keys are never logged. */
  logger?: Logger;
}

/** Options with every default applied. */
export type ResolvedOptions = Required<
  Omit<SwitchyardProviderOptions, 'relayUrl' | 'sdkKey' | 'cacheFile' | 'offline'>
> &
  Pick<SwitchyardProviderOptions, 'relayUrl' | 'sdkKey' | 'cacheFile' | 'offline'>;

const nonNegative = (name: string, value: number): void => {
  if (!Number.isFinite(value) || value < 0)
    throw new TypeError(`SwitchyardProvider: ${name} must be a non-negative number`);
};

/** Applies defaults and rejects contradictions at construction, naming the option. */
export function resolveOptions(
  options: SwitchyardProviderOptions,
  silent: Logger,
): ResolvedOptions {
  if (options.offline === undefined) {
    if (typeof options.relayUrl !== 'string' || !/^https?:\/\//.test(options.relayUrl)) {
      throw new TypeError('SwitchyardProvider: relayUrl must be an http(s) URL (or use offline)');
    }
    if (typeof options.sdkKey !== 'string' || options.sdkKey === '') {
      throw new TypeError('SwitchyardProvider: sdkKey is required (or use offline)');
    }
  } else if (options.relayUrl !== undefined || options.transport !== undefined) {
    throw new TypeError('SwitchyardProvider: offline mode takes no relayUrl or transport');
  }
  if (options.transport !== undefined && !['sse', 'ws', 'poll'].includes(options.transport)) {
    throw new TypeError(
      `SwitchyardProvider: transport must be 'sse', 'ws' or 'poll', not ${JSON.stringify(options.transport)}`,
    );
  }
  const resolved: ResolvedOptions = {
    relayUrl: options.relayUrl,
    sdkKey: options.sdkKey,
    cacheFile: options.cacheFile,
    offline: options.offline,
    transport: options.transport ?? 'sse',
    initTimeoutMs: options.initTimeoutMs ?? 10_000,
    bucketCacheSize: options.bucketCacheSize ?? 10_000,
    staleGraceMs: options.staleGraceMs ?? 60_000,
    backoff: options.backoff ?? {},
    pollIntervalMs: options.pollIntervalMs ?? 30_000,
    logger: options.logger ?? silent,
  };
  nonNegative('initTimeoutMs', resolved.initTimeoutMs);
  nonNegative('staleGraceMs', resolved.staleGraceMs);
  nonNegative('pollIntervalMs', resolved.pollIntervalMs);
  if (!Number.isInteger(resolved.bucketCacheSize) || resolved.bucketCacheSize < 0) {
    throw new TypeError('SwitchyardProvider: bucketCacheSize must be a non-negative integer');
  }
  return resolved;
}
