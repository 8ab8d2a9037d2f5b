import type { CompiledSnapshot } from './compiled-model';
import { evaluateWithState } from './evaluate';
import { type ExplainStep, newState } from './evaluation-state';
import type { EvaluationContext, EvaluationResult, FlagType } from './model';

/** An evaluation and the steps that decided it. */
export interface Explanation {
  result: EvaluationResult;
  steps: ExplainStep[];
}

/**
 * Evaluates like evaluateFlag and records what decided the result: disabled, each
 * prerequisite, a target, each rule tried (and, for percentage rules, the bucket against
 * the threshold), the fallthrough, a type mismatch. For tools and debugging, not hot paths.
 */
export function explainFlag(
  compiled: CompiledSnapshot,
  flagKey: string,
  context: EvaluationContext,
  expectedType?: FlagType,
): Explanation {
  const steps: ExplainStep[] = [];
  const result = evaluateWithState(compiled, flagKey, context, expectedType, newState(steps));
  return { result, steps };
}
