import { CommanderError } from 'commander';
import { CliError, EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './cli-error.js';
import { processIo, writeLine, type CliIo } from './cli-io.js';
import { createProgram } from './program.js';

export { CliError, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CliErrorCode } from './cli-error.js';
export type { CliIo, TextSink } from './cli-io.js';

/**
 * Runs the CLI with arguments as in `process.argv.slice(2)` and answers the exit code:
 * 0 success, 1 invalid or unreadable snapshot, 2 usage error. Never calls `process.exit`.
 */
export async function runCli(argv: string[], io: CliIo = processIo()): Promise<number> {
  let exitCode = EXIT_OK;
  const program = createProgram(io, async (body) => {
    exitCode = await body(io);
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    return exitCodeForFailure(error, io);
  }
}

function exitCodeForFailure(error: unknown, io: CliIo): number {
  if (error instanceof CliError) {
    writeLine(io.stderr, `switchyard: ${error.message}`);
    return error.exitCode;
  }
  // Commander has already printed its message (or the help/version text).
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
  // Anything else is a bug in the CLI or the core: show the stack so it can be reported.
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
  writeLine(io.stderr, `switchyard: internal error: ${detail}`);
  return EXIT_FAILURE;
}
