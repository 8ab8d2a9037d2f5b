/** Why a command stopped; each maps to an exit code through `CliError.exitCode`. */
export type CliErrorCode = 'USAGE' | 'FILE_UNREADABLE' | 'FILE_SYNTAX' | 'UNUSABLE_SNAPSHOT';

/** Exit codes: 0 success, 1 the data is wrong or unreadable, 2 the command line is wrong. */
export const EXIT_OK = 0;
/** The snapshot file is unreadable, has a syntax error, or is not a valid snapshot. */
export const EXIT_FAILURE = 1;
/** The command line itself is wrong: unknown option, missing argument, bad `--context`. */
export const EXIT_USAGE = 2;

/** A failure the user can fix; its message is printed as is, without a stack trace. */
export class CliError extends Error {
  override readonly name = 'CliError';

  constructor(
    readonly code: CliErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** The process exit code for this failure. */
  get exitCode(): number {
    return this.code === 'USAGE' ? EXIT_USAGE : EXIT_FAILURE;
  }
}
