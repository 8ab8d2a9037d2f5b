import type { EvaluationContext } from '@switchyard/core';
import { CliError } from './cli-error.js';

const EXAMPLE = `'{"targetingKey":"user-1","plan":"pro"}'`;

/** Parses the `--context` value: a JSON object whose `targetingKey`, when present, is a string. */
export function parseContextOption(raw: string): EvaluationContext {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CliError(
      'USAGE',
      `--context is not valid JSON (${reason}); expected an object such as ${EXAMPLE}`,
      {
        cause: error,
      },
    );
  }
  if (!isJsonObject(parsed)) {
    throw new CliError(
      'USAGE',
      `--context must be a JSON object such as ${EXAMPLE}, not ${jsonKind(parsed)}`,
    );
  }
  // OpenFeature targeting keys are strings; a number here would hide a bug in the caller's code.
  if ('targetingKey' in parsed && typeof parsed.targetingKey !== 'string') {
    throw new CliError(
      'USAGE',
      `--context: targetingKey must be a string, not ${jsonKind(parsed.targetingKey)}`,
    );
  }
  return parsed as EvaluationContext;
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function jsonKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
