import type { EvaluationResult, ExplainStep } from '@switchyard/core';

/** Human-readable lines for a terminal: one per step, then the outcome. */
export function formatExplanation(
  steps: readonly ExplainStep[],
  result: EvaluationResult,
): string[] {
  const width = Math.max(0, ...steps.map((step) => step.step.length));
  const lines = steps.map((step) => `  ${step.step.padEnd(width)}  ${describeStep(step)}`);
  return [...lines, `  => ${describeResult(result)}`];
}

function describeStep(step: ExplainStep): string {
  const { bucket, threshold } = step as { bucket?: unknown; threshold?: unknown };
  // A split is decided by bucket vs threshold: show both even if the message leaves them out.
  const showsSplit = typeof bucket === 'number' && !step.message.includes(String(bucket));
  if (!showsSplit) return step.message;
  return typeof threshold === 'number'
    ? `${step.message} (bucket ${bucket}, threshold ${threshold})`
    : `${step.message} (bucket ${bucket})`;
}

/** The outcome in one phrase: what was served and why, or why the caller's default applies. */
export function describeResult(result: EvaluationResult): string {
  if (result.reason === 'ERROR') {
    return `ERROR ${result.errorCode}: ${result.errorMessage}; the caller's default applies`;
  }
  if (result.variant === undefined) {
    return `nothing served (${result.reason}); the caller's default applies`;
  }
  return `variant "${result.variant}" = ${JSON.stringify(result.value)} (${result.reason})`;
}
