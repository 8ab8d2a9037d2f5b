/**
 * The relay's configuration, fully resolved: every field present, defaults applied, paths
 * absolute. `loadConfig` builds it from flags > SWITCHYARD_* env vars > config file >
 * defaults and rejects anything it cannot use. apps/relay/README.md documents each option.
 */

/** Which FlagStore serves the environments. */
export type StoreKind = 'file' | 'gitops' | 'memory';

/** What an admin token may do: read flags and the audit log, or also change them. */
export type AdminScope = 'read' | 'write';

/** pino log levels, plus `silent`. */
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** Where the HTTP listener binds. */
export interface ListenConfig {
  /** Interface to bind. Default `127.0.0.1` (loopback: nothing outside the host can connect). */
  host: string;
  /** TCP port; 0 picks a free one. Default 8080. */
  port: number;
}

/** The store behind the relay (DESIGN §6). */
export interface StoreConfig {
  /**
   * `file` (default): the durable embedded store in `dataDir`. `gitops`: a read-only flags
   * file, watched and validated; versions persist in `dataDir`. `memory`: nothing persists.
   */
  kind: StoreKind;
  /** gitops only (required there): the YAML or JSON flags file to serve. */
  flagsFile?: string;
  /** file and gitops: write a compacted snapshot every this many commits. Default 100. */
  compactEvery: number;
  /** How many recent idempotency keys are remembered, across restarts. Default 1000. */
  idempotencyWindow: number;
  /** gitops: quiet time after a file event before the file is re-read, in ms. Default 200. */
  debounceMs: number;
  /** gitops: also re-read the file this often, in ms, where file events are unreliable (NFS); 0 = off. Default 5000. */
  pollMs: number;
}

/** One environment the relay serves. */
export interface EnvironmentConfig {
  /** Keys that see the whole environment; each starts with `srv-`. Default none. */
  serverKeys: string[];
  /** Keys that see client-side flags only, hashed context keys; each starts with `cli-`. Default none. */
  clientKeys: string[];
  /** Salt hashed in front of every context key in client snapshots. Default: the environment name. */
  keySalt: string;
  /** Origins allowed to call the client endpoints from browsers (`*` = any). Default none. */
  corsOrigins: string[];
}

/** A bearer token for the admin API; its name is what the audit log records. */
export interface AdminTokenConfig {
  name: string;
  token: string;
  scope: AdminScope;
}

/** Limits that keep one client from hurting the others. */
export interface LimitsConfig {
  /** Largest admin request body, in bytes. Default 1 MiB. */
  bodyBytes: number;
  /** Unsent bytes a stream subscriber may queue before it is dropped (it resyncs). Default 1 MiB. */
  maxSubscriberBufferBytes: number;
  /** Close streams older than this (clients reconnect and resume), in ms; 0 = never. Default 0. */
  maxConnectionAgeMs: number;
  /** Most concurrent SSE and WebSocket streams; more are refused with 503. Default 18000 (fits a 20k file-descriptor limit). */
  maxConnections: number;
}

/** The web page the relay serves at `/` (the demo page, or any built single-page app). */
export interface UiConfig {
  /**
   * Directory of static files (absolute once loaded) served at `/` where no API route
   * matches. Default: none; with `--demo`, the repository's built apps/demo-web/dist.
   */
  dir?: string;
}

/** The whole, resolved relay configuration. */
export interface RelayConfig {
  listen: ListenConfig;
  /** Directory for the store's files (absolute once loaded). Default `./.switchyard/data`. */
  dataDir: string;
  store: StoreConfig;
  /** Environments by name (names follow the flag-key pattern). At least one is required. */
  environments: Record<string, EnvironmentConfig>;
  /** Admin API tokens. Default none (the admin API then refuses every request). */
  adminTokens: AdminTokenConfig[];
  /** Interval of SSE heartbeat comments and WebSocket pings, in ms. Default 15000. */
  heartbeatMs: number;
  /** Recent changes kept per environment for stream resume (`Last-Event-ID`, `since`). Default 1000. */
  changeRing: number;
  limits: LimitsConfig;
  /** Log level. Default `info`. */
  logLevel: LogLevel;
  /** Present only when given: the web page served at `/`. */
  ui?: UiConfig;
}

/** The defaults of every optional field (environments and admin tokens have none). */
export const CONFIG_DEFAULTS = {
  listen: { host: '127.0.0.1', port: 8080 },
  dataDir: './.switchyard/data',
  store: {
    kind: 'file',
    compactEvery: 100,
    idempotencyWindow: 1000,
    debounceMs: 200,
    pollMs: 5000,
  },
  heartbeatMs: 15_000,
  changeRing: 1000,
  limits: {
    bodyBytes: 1024 * 1024,
    maxSubscriberBufferBytes: 1024 * 1024,
    maxConnectionAgeMs: 0,
    maxConnections: 18_000,
  },
  logLevel: 'info',
} as const satisfies Partial<Omit<RelayConfig, 'store'>> & {
  store: Omit<StoreConfig, 'flagsFile'>;
};

/** Every log level a config may name. */
export const LOG_LEVELS: readonly LogLevel[] = [
  'fatal',
  'error',
  'warn',
  'info',
  'debug',
  'trace',
  'silent',
];
/** Every store kind a config may name. */
export const STORE_KINDS: readonly StoreKind[] = ['file', 'gitops', 'memory'];
