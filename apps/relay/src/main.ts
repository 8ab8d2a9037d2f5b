/**
 * The `switchyard-relay` process: reads the configuration, opens the store, starts the
 * HTTP listener, and shuts down gracefully on SIGTERM/SIGINT. bin/switchyard-relay.js calls
 * `main`; nothing runs on import, so tests can drive it in-process.
 */
import { pino, type Logger } from 'pino';
import { parseCliArguments } from './config/cli-arguments';
import { ConfigError } from './config/config-error';
import { loadConfig } from './config/load-config';
import type { RelayConfig } from './config/relay-config';
import { formatDemoBanner } from './demo/demo-banner';
import { seedDemo } from './demo/seed-demo';
import { startRelay } from './http/start-relay';
import { createFlagStore } from './store/create-flag-store';
import type { FlagStore } from './store/flag-store';
import { StoreError } from './store/store-error';

/** How long a graceful shutdown may take before the process exits anyway. */
const SHUTDOWN_TIMEOUT_MS = 15_000;

/** A startup failure the user can fix: printed as one message, no stack trace, exit code 1. */
function describeStartupError(error: unknown): string {
  if (error instanceof ConfigError || error instanceof StoreError) return error.message;
  const { code, message } = error as NodeJS.ErrnoException;
  if (code === 'EADDRINUSE') return `cannot listen: the address is already in use (${message})`;
  if (code === 'EACCES') return `cannot listen: permission denied (${message})`;
  return message ?? String(error);
}

function fail(error: unknown, logger?: Logger): void {
  logger?.debug({ err: error }, 'startup failed'); // the stack, for --log-level debug
  process.stderr.write(`switchyard-relay: ${describeStartupError(error)}\n`);
  process.exitCode = 1;
}

/** Closes the server, then the store (which flushes its snapshot), once; a second signal exits at once. */
function installShutdown(close: () => Promise<void>, logger: Logger): void {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (closing) {
      logger.warn({ signal }, 'second signal: exiting without waiting');
      process.exit(1);
    }
    closing = true;
    logger.info({ signal }, 'shutting down');
    setTimeout(() => {
      logger.error({ timeoutMs: SHUTDOWN_TIMEOUT_MS }, 'graceful shutdown timed out');
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS).unref();
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  // `on`, not `once`: a second signal must reach the "exit at once" branch above.
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

/** Runs the relay with command-line `argv` (without node and script paths) and environment `env`. */
export async function main(
  argv: readonly string[] = process.argv.slice(2),
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  const parsed = parseCliArguments(argv);
  if (!parsed.ok) {
    (parsed.exitCode === 0 ? process.stdout : process.stderr).write(parsed.output);
    process.exitCode = parsed.exitCode;
    return;
  }
  let config: RelayConfig;
  try {
    config = await loadConfig({ argv, env });
  } catch (error) {
    fail(error);
    return;
  }
  const logger = pino({ level: config.logLevel, base: { service: 'switchyard-relay' } });
  let store: FlagStore | undefined;
  try {
    store = createFlagStore(config, logger);
    await store.open();
    const seeded = parsed.flags.demo === true ? await seedDemo(store) : false;
    const server = await startRelay({ config, store, logger });
    const opened = store;
    installShutdown(async () => {
      await server.close();
      await opened.close();
    }, logger);
    if (parsed.flags.demo === true) {
      process.stdout.write(formatDemoBanner(server.url, config.dataDir, seeded, server.ui));
    }
    logger.info(
      { url: server.url, store: config.store.kind, environments: Object.keys(config.environments) },
      'relay listening',
    );
  } catch (error) {
    await store?.close().catch(() => undefined);
    fail(error, logger);
  }
}
