/** One thing wrong with the configuration: where, why, and which input set it. */
export interface ConfigIssue {
  /** The field path, e.g. `environments.production.serverKeys[0]`. */
  path: string;
  message: string;
  /** Where the value came from: `--port`, `SWITCHYARD_PORT`, `config file relay.yaml`. */
  source?: string;
}

/** Why a configuration could not be used; `code` is stable, `message` is printed as is. */
export type ConfigErrorCode = 'CONFIG_INVALID' | 'CONFIG_FILE' | 'CONFIG_USAGE';

const describeIssue = (issue: ConfigIssue): string =>
  `${issue.path}: ${issue.message}${issue.source === undefined ? '' : ` (from ${issue.source})`}`;

/** A configuration the relay refuses to start with; the message lists every issue. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(
    readonly code: ConfigErrorCode,
    message: string,
    readonly issues: readonly ConfigIssue[] = [],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** An error listing validation issues, one per line. */
  static invalid(issues: readonly ConfigIssue[]): ConfigError {
    const lines = issues.map((issue) => `  ${describeIssue(issue)}`);
    const noun = issues.length === 1 ? 'problem' : 'problems';
    return new ConfigError(
      'CONFIG_INVALID',
      `invalid configuration (${issues.length} ${noun}):\n${lines.join('\n')}`,
      issues,
    );
  }
}
