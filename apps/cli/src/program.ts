import { Command } from 'commander';
import packageJson from '../package.json' with { type: 'json' };
import type { CliIo } from './cli-io.js';
import type { CommandRunner } from './commands/command-registration.js';
import { commandRegistrations } from './commands/index.js';

/** Builds a fresh program writing to `io`; `run` executes command bodies and keeps their exit code. */
export function createProgram(io: CliIo, run: CommandRunner): Command {
  const program = new Command('switchyard')
    .description('Switchyard feature flags: validate and evaluate snapshots offline')
    .version(packageJson.version)
    // Throw instead of calling process.exit, so runCli can be called in-process (tests).
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .showHelpAfterError('(run with --help for usage)');
  // Subcommands inherit the settings above, so registrations come after them.
  for (const register of commandRegistrations) register(program, run);
  return program;
}
