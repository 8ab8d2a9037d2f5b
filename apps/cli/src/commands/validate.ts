import { validateSnapshot } from '@switchyard/core';
import { EXIT_FAILURE, EXIT_OK } from '../cli-error.js';
import { writeLine, type CliIo } from '../cli-io.js';
import { readSnapshotFile } from '../read-snapshot-file.js';
import { summarizeSnapshot, writeValidationErrors } from '../snapshot-report.js';
import type { CommandRegistration } from './command-registration.js';

/** Validates a snapshot file: a summary on stdout and 0, or one line per error on stderr and 1. */
export async function validateCommand(file: string, io: CliIo): Promise<number> {
  const { displayPath, data } = await readSnapshotFile(file, io.cwd);
  const validation = validateSnapshot(data);
  if (!validation.ok) {
    writeValidationErrors(io.stderr, `${displayPath}: invalid snapshot`, validation.errors);
    return EXIT_FAILURE;
  }
  writeLine(io.stdout, `${displayPath}: valid snapshot: ${summarizeSnapshot(validation.snapshot)}`);
  return EXIT_OK;
}

/** Adds `switchyard validate <file>`. */
export const registerValidate: CommandRegistration = (program, run) => {
  program
    .command('validate')
    .description('check a snapshot file (JSON or YAML) against the Switchyard schema and rules')
    .argument('<file>', 'snapshot file; read as YAML when it ends in .yaml or .yml')
    .action((file: string) => run((io) => validateCommand(file, io)));
};
