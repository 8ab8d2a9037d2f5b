import { Command, CommanderError, Option } from 'commander';
import packageJson from '../../package.json' with { type: 'json' };

/** The command-line flags of `switchyard-relay`, as given (validated with the rest of the config). */
export interface CliFlags {
  config?: string;
  demo?: boolean;
  host?: string;
  port?: string;
  dataDir?: string;
  logLevel?: string;
}

/** What parsing the command line answers: flags to run with, or text to print and an exit code (help, version, usage error). */
export type CliParse =
  { ok: true; flags: CliFlags } | { ok: false; exitCode: number; output: string };

/** Builds the commander program; it never exits the process or prints by itself. */
function createProgram(output: string[]): Command {
  return new Command('switchyard-relay')
    .description(
      'Switchyard relay: stores flags, serves snapshots, streams every change to connected SDKs, speaks OFREP.',
    )
    .version(packageJson.version)
    .option('-c, --config <file>', 'YAML or JSON config file (env: SWITCHYARD_CONFIG)')
    .option('--demo', 'serve the demo environment from ./.switchyard/demo, seeded on first start')
    .option('--host <host>', 'interface to bind (env: SWITCHYARD_HOST; default 127.0.0.1)')
    .option(
      '-p, --port <port>',
      'port to listen on, 0 = any free one (env: SWITCHYARD_PORT; default 8080)',
    )
    .option(
      '-d, --data-dir <dir>',
      'directory of the store files (env: SWITCHYARD_DATA_DIR; default ./.switchyard/data)',
    )
    .addOption(
      new Option(
        '--log-level <level>',
        'log level (env: SWITCHYARD_LOG_LEVEL; default info)',
      ).choices(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
    )
    .helpOption('-h, --help', 'show this help')
    .allowExcessArguments(false)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => output.push(text),
      writeErr: (text) => output.push(text),
    });
}

/** Parses `argv` (without the node and script paths). */
export function parseCliArguments(argv: readonly string[]): CliParse {
  const output: string[] = [];
  const program = createProgram(output);
  try {
    program.parse([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      return { ok: false, exitCode: error.exitCode, output: output.join('') };
    }
    throw error;
  }
  return { ok: true, flags: program.opts<CliFlags>() };
}
