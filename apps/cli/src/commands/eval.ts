import {
  compileSnapshot,
  evaluateFlag,
  explainFlag,
  FLAG_TYPES,
  validateSnapshot,
  type CompiledSnapshot,
  type FlagType,
  type Snapshot,
} from '@switchyard/core';
import { Option } from 'commander';
import { CliError, EXIT_FAILURE, EXIT_OK } from '../cli-error.js';
import { writeLine, type CliIo } from '../cli-io.js';
import { formatExplanation } from '../format-explanation.js';
import { parseContextOption } from '../parse-context-option.js';
import { readSnapshotFile } from '../read-snapshot-file.js';
import { writeValidationErrors } from '../snapshot-report.js';
import type { CommandRegistration } from './command-registration.js';

/** The options of `switchyard eval`, as commander parses them. */
export interface EvalOptions {
  snapshot: string;
  flag: string;
  /** Raw JSON text; parsed by `parseContextOption`. */
  context: string;
  type?: FlagType;
  explain?: boolean;
  /** False with `--no-validate`: evaluate an invalid snapshot to see how SDKs would answer. */
  validate: boolean;
}

/**
 * Evaluates one flag offline and prints the result as JSON. Exits 0 whenever the evaluator
 * answered, ERROR results included: an ERROR is what an SDK would answer, not a CLI failure.
 */
export async function evalCommand(options: EvalOptions, io: CliIo): Promise<number> {
  // Check the command line before touching the file system.
  const context = parseContextOption(options.context);
  const { displayPath, data } = await readSnapshotFile(options.snapshot, io.cwd);
  const snapshot = checkedSnapshot(data, displayPath, options.validate, io);
  if (snapshot === undefined) return EXIT_FAILURE;
  const compiled = compileOrFail(snapshot, displayPath);

  if (options.explain) {
    const { result, steps } = explainFlag(compiled, options.flag, context, options.type);
    writeJson(io, { result, explanation: steps });
    for (const line of formatExplanation(steps, result)) writeLine(io.stderr, line);
  } else {
    writeJson(io, evaluateFlag(compiled, options.flag, context, options.type));
  }
  return EXIT_OK;
}

/** The snapshot to compile, or undefined (errors already printed) when it is invalid and must be. */
function checkedSnapshot(
  data: unknown,
  displayPath: string,
  mustBeValid: boolean,
  io: CliIo,
): Snapshot | undefined {
  const validation = validateSnapshot(data);
  if (validation.ok) return validation.snapshot;
  if (mustBeValid) {
    writeValidationErrors(
      io.stderr,
      `${displayPath}: invalid snapshot, not evaluated`,
      validation.errors,
    );
    writeLine(io.stderr, 'pass --no-validate to evaluate it anyway, as an SDK would');
    return undefined;
  }
  writeValidationErrors(
    io.stderr,
    `warning: ${displayPath}: invalid snapshot, evaluating anyway`,
    validation.errors,
  );
  if (!hasFlagsObject(data)) {
    throw new CliError(
      'UNUSABLE_SNAPSHOT',
      `${displayPath}: cannot evaluate: the file has no "flags" object`,
    );
  }
  // Deliberately unchecked: the compiler is what turns unknown flags into PARSE_ERROR answers.
  return data as unknown as Snapshot;
}

function compileOrFail(snapshot: Snapshot, displayPath: string): CompiledSnapshot {
  try {
    return compileSnapshot(snapshot);
  } catch (error) {
    // Only reachable with --no-validate: a valid snapshot always compiles.
    const reason = error instanceof Error ? error.message : String(error);
    throw new CliError('UNUSABLE_SNAPSHOT', `${displayPath}: cannot compile snapshot: ${reason}`, {
      cause: error,
    });
  }
}

function hasFlagsObject(data: unknown): boolean {
  if (typeof data !== 'object' || data === null) return false;
  const flags = (data as { flags?: unknown }).flags;
  return typeof flags === 'object' && flags !== null && !Array.isArray(flags);
}

function writeJson(io: CliIo, value: unknown): void {
  writeLine(io.stdout, JSON.stringify(value, null, 2));
}

/** Adds `switchyard eval`. */
export const registerEval: CommandRegistration = (program, run) => {
  program
    .command('eval')
    .description(
      'evaluate one flag of a snapshot file for a context, offline, and print the result as JSON',
    )
    .requiredOption('--snapshot <file>', 'snapshot file (JSON or YAML)')
    .requiredOption('--flag <key>', 'flag key to evaluate')
    .option('--context <json>', 'evaluation context as a JSON object', '{}')
    .addOption(
      new Option('--type <type>', 'the type the caller expects (TYPE_MISMATCH otherwise)').choices(
        FLAG_TYPES,
      ),
    )
    .option(
      '--explain',
      'also print the steps that decided the result (JSON on stdout, text on stderr)',
    )
    .option(
      '--no-validate',
      'evaluate even an invalid snapshot, as an SDK would (PARSE_ERROR per bad flag)',
    )
    .action((options: EvalOptions) => run((io) => evalCommand(options, io)));
};
