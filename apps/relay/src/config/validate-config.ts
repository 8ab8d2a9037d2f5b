import { ConfigError } from './config-error';
import type { ConfigPath } from './config-path';
import { ConfigReader, isPlainObject, type ConfigSources } from './config-reader';
import {
  CONFIG_DEFAULTS,
  LOG_LEVELS,
  STORE_KINDS,
  type AdminTokenConfig,
  type EnvironmentConfig,
  type LimitsConfig,
  type ListenConfig,
  type RelayConfig,
  type StoreConfig,
  type UiConfig,
} from './relay-config';

/** Environment names become directory names and URL parts: the flag-key pattern. */
const ENVIRONMENT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const NO_WHITESPACE = /^\S+$/;
const MAX_INT = Number.MAX_SAFE_INTEGER;

const TOP_FIELDS = [
  'listen',
  'dataDir',
  'store',
  'environments',
  'adminTokens',
  'heartbeatMs',
  'changeRing',
  'limits',
  'logLevel',
  'ui',
];

function readListen(reader: ConfigReader, value: unknown): ListenConfig {
  const raw = reader.object(value, ['listen'], ['host', 'port']) ?? {};
  return {
    host: reader.string(raw.host, ['listen', 'host'], CONFIG_DEFAULTS.listen.host),
    port: reader.integer(raw.port, ['listen', 'port'], CONFIG_DEFAULTS.listen.port, 0, 65535),
  };
}

function readStore(reader: ConfigReader, value: unknown): StoreConfig {
  const path = ['store'];
  const defaults = CONFIG_DEFAULTS.store;
  const raw =
    reader.object(value, path, [
      'kind',
      'flagsFile',
      'compactEvery',
      'idempotencyWindow',
      'debounceMs',
      'pollMs',
    ]) ?? {};
  const kind = reader.oneOf(raw.kind, [...path, 'kind'], defaults.kind, STORE_KINDS);
  const store: StoreConfig = {
    kind,
    compactEvery: reader.integer(
      raw.compactEvery,
      [...path, 'compactEvery'],
      defaults.compactEvery,
      1,
      1_000_000,
    ),
    idempotencyWindow: reader.integer(
      raw.idempotencyWindow,
      [...path, 'idempotencyWindow'],
      defaults.idempotencyWindow,
      0,
      1_000_000,
    ),
    debounceMs: reader.integer(
      raw.debounceMs,
      [...path, 'debounceMs'],
      defaults.debounceMs,
      0,
      60_000,
    ),
    pollMs: reader.integer(raw.pollMs, [...path, 'pollMs'], defaults.pollMs, 0, 3_600_000),
  };
  if (raw.flagsFile !== undefined) {
    store.flagsFile = reader.string(raw.flagsFile, [...path, 'flagsFile'], '');
  }
  // Contradictions are rejected rather than ignored: a flags file on a file store is a mistake.
  if (kind === 'gitops' && raw.flagsFile === undefined) {
    reader.report([...path, 'flagsFile'], 'is required when store.kind is "gitops"');
  }
  if (kind !== 'gitops' && raw.flagsFile !== undefined) {
    reader.report([...path, 'flagsFile'], 'is only used when store.kind is "gitops"');
  }
  return store;
}

function readKey(
  reader: ConfigReader,
  value: unknown,
  path: ConfigPath,
  prefix: 'srv-' | 'cli-',
): string | undefined {
  // Messages never repeat the value: keys are secrets and error output ends up in logs.
  const key = reader.string(value, path, '', (text) => {
    if (!text.startsWith(prefix)) return `must start with "${prefix}"`;
    if (text.length <= prefix.length) return `must have characters after "${prefix}"`;
    return NO_WHITESPACE.test(text) ? undefined : 'must not contain whitespace';
  });
  return key === '' ? undefined : key;
}

function readOrigin(reader: ConfigReader, value: unknown, path: ConfigPath): string | undefined {
  const origin = reader.string(value, path, '', (text) => {
    if (text === '*') return undefined;
    let parsed: URL;
    try {
      parsed = new URL(text);
    } catch {
      return 'must be "*" or an origin such as "https://app.example.com"';
    }
    if (parsed.origin !== text) {
      return `must be an origin (scheme, host and optional port, no path): "${parsed.origin}"?`;
    }
    return undefined;
  });
  return origin === '' ? undefined : origin;
}

function readEnvironment(reader: ConfigReader, name: string, value: unknown): EnvironmentConfig {
  const path = ['environments', name];
  if (!ENVIRONMENT_NAME.test(name)) {
    reader.report(path, `environment names must match ${String(ENVIRONMENT_NAME)}`);
  }
  if (value === null || value === undefined) value = {};
  const raw =
    reader.object(value, path, ['serverKeys', 'clientKeys', 'keySalt', 'corsOrigins']) ?? {};
  return {
    serverKeys: reader.list(raw.serverKeys, [...path, 'serverKeys'], (key, at) =>
      readKey(reader, key, at, 'srv-'),
    ),
    clientKeys: reader.list(raw.clientKeys, [...path, 'clientKeys'], (key, at) =>
      readKey(reader, key, at, 'cli-'),
    ),
    keySalt: reader.string(raw.keySalt, [...path, 'keySalt'], name),
    corsOrigins: reader.list(raw.corsOrigins, [...path, 'corsOrigins'], (origin, at) =>
      readOrigin(reader, origin, at),
    ),
  };
}

function readEnvironments(reader: ConfigReader, value: unknown): Record<string, EnvironmentConfig> {
  const environments: Record<string, EnvironmentConfig> = {};
  if (value !== undefined && !isPlainObject(value)) {
    reader.report(['environments'], 'must be an object of environments by name');
    return environments;
  }
  const names = Object.keys(value ?? {});
  if (names.length === 0) {
    reader.report(['environments'], 'define at least one environment (or run with --demo)');
  }
  const folded = new Map<string, string>();
  for (const name of names) {
    // Environment names are directory names: "Prod" and "prod" collide on macOS and Windows.
    const clash = folded.get(name.toLowerCase());
    if (clash !== undefined) {
      reader.report(['environments', name], `differs from "${clash}" only by case`);
    }
    folded.set(name.toLowerCase(), name);
    environments[name] = readEnvironment(reader, name, (value as Record<string, unknown>)[name]);
  }
  return environments;
}

function readAdminToken(
  reader: ConfigReader,
  value: unknown,
  path: ConfigPath,
): AdminTokenConfig | undefined {
  const raw = reader.object(value ?? null, path, ['name', 'token', 'scope']);
  if (raw === undefined) return undefined;
  if (raw.name === undefined) {
    reader.report([...path, 'name'], 'is required (the audit log records it)');
  }
  if (raw.token === undefined) reader.report([...path, 'token'], 'is required');
  return {
    name: reader.string(raw.name, [...path, 'name'], ''),
    token: reader.string(raw.token, [...path, 'token'], '', (text) =>
      NO_WHITESPACE.test(text) ? undefined : 'must not contain whitespace',
    ),
    scope: reader.oneOf(raw.scope, [...path, 'scope'], 'read', ['read', 'write']),
  };
}

function readLimits(reader: ConfigReader, value: unknown): LimitsConfig {
  const path = ['limits'];
  const defaults = CONFIG_DEFAULTS.limits;
  const raw =
    reader.object(value, path, [
      'bodyBytes',
      'maxSubscriberBufferBytes',
      'maxConnectionAgeMs',
      'maxConnections',
    ]) ?? {};
  return {
    bodyBytes: reader.integer(
      raw.bodyBytes,
      [...path, 'bodyBytes'],
      defaults.bodyBytes,
      1024,
      1024 ** 3,
    ),
    maxSubscriberBufferBytes: reader.integer(
      raw.maxSubscriberBufferBytes,
      [...path, 'maxSubscriberBufferBytes'],
      defaults.maxSubscriberBufferBytes,
      1024,
      1024 ** 3,
    ),
    maxConnectionAgeMs: reader.integer(
      raw.maxConnectionAgeMs,
      [...path, 'maxConnectionAgeMs'],
      defaults.maxConnectionAgeMs,
      0,
      MAX_INT,
    ),
    maxConnections: reader.integer(
      raw.maxConnections,
      [...path, 'maxConnections'],
      defaults.maxConnections,
      1,
      10_000_000,
    ),
  };
}

function readUi(reader: ConfigReader, value: unknown): UiConfig {
  const raw = reader.object(value, ['ui'], ['dir']) ?? {};
  return raw.dir === undefined ? {} : { dir: reader.string(raw.dir, ['ui', 'dir'], '') };
}

/** Secrets must be unambiguous: one key or token authenticates exactly one thing. */
function reportDuplicateSecrets(
  reader: ConfigReader,
  config: Pick<RelayConfig, 'environments' | 'adminTokens'>,
): void {
  const seen = new Map<string, string>();
  const claim = (secret: string, path: ConfigPath, what: string): void => {
    const previous = seen.get(secret);
    if (previous !== undefined) {
      reader.report(path, `is the same secret as ${previous}; each key and token must be unique`);
    } else seen.set(secret, what);
  };
  for (const [name, environment] of Object.entries(config.environments)) {
    environment.serverKeys.forEach((key, i) =>
      claim(key, ['environments', name, 'serverKeys', i], `environments.${name}.serverKeys[${i}]`),
    );
    environment.clientKeys.forEach((key, i) =>
      claim(key, ['environments', name, 'clientKeys', i], `environments.${name}.clientKeys[${i}]`),
    );
  }
  const names = new Set<string>();
  config.adminTokens.forEach((token, i) => {
    if (token.token !== '') {
      claim(token.token, ['adminTokens', i, 'token'], `adminTokens[${i}].token`);
    }
    if (token.name !== '' && names.has(token.name)) {
      reader.report(['adminTokens', i, 'name'], `"${token.name}" is already used by another token`);
    }
    names.add(token.name);
  });
}

/**
 * Turns the merged, untyped configuration into a RelayConfig with every default applied,
 * or throws a ConfigError listing every problem with its path and the input that set it.
 */
export function validateConfig(raw: unknown, sources?: ConfigSources): RelayConfig {
  const reader = new ConfigReader(sources);
  const top = reader.object(raw, [], TOP_FIELDS) ?? {};
  const config: RelayConfig = {
    listen: readListen(reader, top.listen),
    dataDir: reader.string(top.dataDir, ['dataDir'], CONFIG_DEFAULTS.dataDir),
    store: readStore(reader, top.store),
    environments: readEnvironments(reader, top.environments),
    adminTokens: reader.list(top.adminTokens, ['adminTokens'], (token, path) =>
      readAdminToken(reader, token, path),
    ),
    heartbeatMs: reader.integer(
      top.heartbeatMs,
      ['heartbeatMs'],
      CONFIG_DEFAULTS.heartbeatMs,
      10,
      3_600_000,
    ),
    changeRing: reader.integer(
      top.changeRing,
      ['changeRing'],
      CONFIG_DEFAULTS.changeRing,
      1,
      1_000_000,
    ),
    limits: readLimits(reader, top.limits),
    logLevel: reader.oneOf(top.logLevel, ['logLevel'], CONFIG_DEFAULTS.logLevel, LOG_LEVELS),
  };
  // Absent unless given, so a config without a web UI reads back exactly as written.
  if (top.ui !== undefined) config.ui = readUi(reader, top.ui);
  reportDuplicateSecrets(reader, config);
  if (reader.issues.length > 0) throw ConfigError.invalid(reader.issues);
  return config;
}
