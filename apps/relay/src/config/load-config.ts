import { resolve } from 'node:path';
import { demoConfigValues } from '../demo/demo-config';
import { parseCliArguments, type CliFlags } from './cli-arguments';
import { ConfigError } from './config-error';
import {
  environmentLayer,
  flagLayer,
  mergeLayers,
  readConfigFile,
  type ConfigLayer,
} from './config-layers';
import type { RelayConfig } from './relay-config';
import { validateConfig } from './validate-config';

/** Inputs of loadConfig; each defaults to nothing, so tests pass exactly what they mean. */
export interface LoadConfigOptions {
  /** Command-line arguments without the node and script paths, e.g. `['--port', '9000']`. */
  argv?: readonly string[];
  /** Environment variables (SWITCHYARD_*); pass `process.env` in production. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Config file used when neither `--config` nor SWITCHYARD_CONFIG names one. */
  file?: string;
  /** Directory that relative paths from flags and env vars resolve against. Default `process.cwd()`. */
  cwd?: string;
}

/** The flags `argv` holds, or a ConfigError for a usage error (help and version are main's business). */
export function flagsFromArgv(argv: readonly string[]): CliFlags {
  const parsed = parseCliArguments(argv);
  if (!parsed.ok) {
    throw new ConfigError('CONFIG_USAGE', parsed.output.trim() || 'invalid command line');
  }
  return parsed.flags;
}

/**
 * Resolves the relay configuration. Precedence, highest first: command-line flags,
 * SWITCHYARD_* environment variables, the config file, the `--demo` preset, defaults.
 * Throws a ConfigError naming every bad field, its path and the input that set it.
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<RelayConfig> {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? {};
  const flags = flagsFromArgv(options.argv ?? []);
  const layers: ConfigLayer[] = [];
  if (flags.demo === true) layers.push({ values: demoConfigValues(cwd), label: '--demo' });
  const file = flags.config ?? (env.SWITCHYARD_CONFIG || undefined) ?? options.file;
  if (file !== undefined) layers.push(await readConfigFile(file, cwd));
  layers.push(environmentLayer(env, cwd), flagLayer(flags, cwd));
  const { values, sources } = mergeLayers(layers);
  const config = validateConfig(values, sources);
  // The default data dir is relative; every layer already resolved its own paths.
  config.dataDir = resolve(cwd, config.dataDir);
  return config;
}
