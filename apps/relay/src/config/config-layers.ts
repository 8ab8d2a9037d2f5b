import { readFile } from 'node:fs/promises';
import { dirname, extname, isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { CliFlags } from './cli-arguments';
import { ConfigError } from './config-error';
import { formatPath } from './config-path';
import { isPlainObject } from './config-reader';

/** One source of configuration values: a partial config and a label naming where it came from. */
export interface ConfigLayer {
  values: Record<string, unknown>;
  /** Used in error messages: `config file relay.yaml`, `SWITCHYARD_PORT`, `--port`. */
  label: string | ((path: string) => string);
}

/** Scalar environment variables and the config field each sets. */
export const ENV_VARIABLES: readonly {
  name: string;
  path: readonly string[];
  type: 'string' | 'integer';
}[] = [
  { name: 'SWITCHYARD_HOST', path: ['listen', 'host'], type: 'string' },
  { name: 'SWITCHYARD_PORT', path: ['listen', 'port'], type: 'integer' },
  { name: 'SWITCHYARD_DATA_DIR', path: ['dataDir'], type: 'string' },
  { name: 'SWITCHYARD_LOG_LEVEL', path: ['logLevel'], type: 'string' },
  { name: 'SWITCHYARD_STORE_KIND', path: ['store', 'kind'], type: 'string' },
  { name: 'SWITCHYARD_FLAGS_FILE', path: ['store', 'flagsFile'], type: 'string' },
  { name: 'SWITCHYARD_COMPACT_EVERY', path: ['store', 'compactEvery'], type: 'integer' },
  { name: 'SWITCHYARD_HEARTBEAT_MS', path: ['heartbeatMs'], type: 'integer' },
  { name: 'SWITCHYARD_CHANGE_RING', path: ['changeRing'], type: 'integer' },
  { name: 'SWITCHYARD_BODY_BYTES', path: ['limits', 'bodyBytes'], type: 'integer' },
  {
    name: 'SWITCHYARD_MAX_SUBSCRIBER_BUFFER_BYTES',
    path: ['limits', 'maxSubscriberBufferBytes'],
    type: 'integer',
  },
  {
    name: 'SWITCHYARD_MAX_CONNECTION_AGE_MS',
    path: ['limits', 'maxConnectionAgeMs'],
    type: 'integer',
  },
  { name: 'SWITCHYARD_MAX_CONNECTIONS', path: ['limits', 'maxConnections'], type: 'integer' },
  { name: 'SWITCHYARD_UI_DIR', path: ['ui', 'dir'], type: 'string' },
];

/** Environment variables holding JSON, for structured secrets injected by orchestrators. */
export const JSON_ENV_VARIABLES = [
  { name: 'SWITCHYARD_ENVIRONMENTS', path: ['environments'] },
  { name: 'SWITCHYARD_ADMIN_TOKENS', path: ['adminTokens'] },
] as const;

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const part of path.slice(0, -1)) {
    if (!isPlainObject(node[part])) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}

/** The label of `path` or of the closest enclosing path that has one (a JSON env var sets a whole subtree). */
function labelFor(labels: ReadonlyMap<string, string>, path: string, fallback: string): string {
  for (const [prefix, label] of labels) {
    if (path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`)) {
      return label;
    }
  }
  return fallback;
}

/** An integer-looking string becomes a number; anything else stays a string and fails validation with its source named. */
const toInteger = (text: string): number | string =>
  /^-?\d+$/.test(text.trim()) ? Number(text.trim()) : text;

/** Paths are relative to the input that gave them: the config file's directory, or the working directory. */
function resolvePaths(values: Record<string, unknown>, base: string): void {
  if (typeof values.dataDir === 'string' && values.dataDir !== '') {
    values.dataDir = resolve(base, values.dataDir);
  }
  const store = values.store;
  if (
    isPlainObject(store) &&
    typeof store.flagsFile === 'string' &&
    store.flagsFile !== '' &&
    !isAbsolute(store.flagsFile)
  ) {
    store.flagsFile = resolve(base, store.flagsFile);
  }
  const ui = values.ui;
  if (isPlainObject(ui) && typeof ui.dir === 'string' && ui.dir !== '') {
    ui.dir = resolve(base, ui.dir);
  }
}

/** Reads a YAML or JSON config file (by extension; anything else is read as YAML, a superset of JSON). */
export async function readConfigFile(path: string, cwd: string): Promise<ConfigLayer> {
  const absolute = resolve(cwd, path);
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT'
        ? 'no such file'
        : (error as Error).message;
    throw new ConfigError('CONFIG_FILE', `config file ${path}: cannot be read: ${reason}`, [], {
      cause: error,
    });
  }
  let parsed: unknown;
  try {
    parsed =
      extname(absolute).toLowerCase() === '.json'
        ? JSON.parse(text)
        : parseYaml(text, { prettyErrors: true });
  } catch (error) {
    throw new ConfigError(
      'CONFIG_FILE',
      `config file ${path}: syntax error: ${(error as Error).message}`,
      [],
      { cause: error },
    );
  }
  parsed ??= {}; // an empty YAML file is null: no settings
  if (!isPlainObject(parsed)) {
    throw new ConfigError('CONFIG_FILE', `config file ${path}: must hold an object of settings`);
  }
  resolvePaths(parsed, dirname(absolute));
  return { values: parsed, label: `config file ${path}` };
}

/** The SWITCHYARD_* environment variables as a layer; unknown SWITCHYARD_* names are ignored (the CLI shares the prefix). */
export function environmentLayer(
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): ConfigLayer {
  const values: Record<string, unknown> = {};
  const labels = new Map<string, string>();
  for (const variable of ENV_VARIABLES) {
    const text = env[variable.name];
    if (text === undefined || text === '') continue;
    setPath(values, variable.path, variable.type === 'integer' ? toInteger(text) : text);
    labels.set(formatPath(variable.path), variable.name);
  }
  for (const variable of JSON_ENV_VARIABLES) {
    const text = env[variable.name];
    if (text === undefined || text === '') continue;
    try {
      setPath(values, variable.path, JSON.parse(text));
    } catch (error) {
      throw ConfigError.invalid([
        {
          path: formatPath(variable.path),
          message: `is not valid JSON: ${(error as Error).message}`,
          source: variable.name,
        },
      ]);
    }
    labels.set(formatPath(variable.path), variable.name);
  }
  resolvePaths(values, cwd);
  return { values, label: (path) => labelFor(labels, path, 'environment variables') };
}

/** Command-line flags as a layer. */
export function flagLayer(flags: CliFlags, cwd: string): ConfigLayer {
  const values: Record<string, unknown> = {};
  const labels = new Map<string, string>();
  const set = (path: readonly string[], value: unknown, flag: string): void => {
    setPath(values, path, value);
    labels.set(formatPath(path), flag);
  };
  if (flags.host !== undefined) set(['listen', 'host'], flags.host, '--host');
  if (flags.port !== undefined) set(['listen', 'port'], toInteger(flags.port), '--port');
  if (flags.dataDir !== undefined) set(['dataDir'], flags.dataDir, '--data-dir');
  if (flags.logLevel !== undefined) set(['logLevel'], flags.logLevel, '--log-level');
  resolvePaths(values, cwd);
  return { values, label: (path) => labelFor(labels, path, 'command-line flags') };
}

/**
 * Merges layers, later ones winning: objects merge field by field (so an env var can
 * override one field of a file's environment), lists and scalars are replaced whole.
 * Records, per path, which layer set it, so validation errors can name their source.
 */
export function mergeLayers(layers: readonly ConfigLayer[]): {
  values: Record<string, unknown>;
  sources: Map<string, string>;
} {
  const sources = new Map<string, string>();
  const merge = (
    target: Record<string, unknown>,
    incoming: Record<string, unknown>,
    path: (string | number)[],
    layer: ConfigLayer,
  ): void => {
    for (const [key, value] of Object.entries(incoming)) {
      const here = [...path, key];
      if (isPlainObject(value)) {
        // Objects are merged leaf by leaf, so each leaf records the layer that set it.
        if (!isPlainObject(target[key])) target[key] = {};
        merge(target[key] as Record<string, unknown>, value, here, layer);
        continue;
      }
      target[key] = value;
      const formatted = formatPath(here);
      sources.set(
        formatted,
        typeof layer.label === 'string' ? layer.label : layer.label(formatted),
      );
    }
  };
  const values: Record<string, unknown> = {};
  for (const layer of layers) merge(values, layer.values, [], layer);
  return { values, sources };
}
