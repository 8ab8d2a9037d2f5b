import { resolveAttribute } from './attributes';
import { clauseMatches } from './clauses';
import type { CompiledRule, CompiledSnapshot } from './compiled-model';
import { evaluateWithState } from './evaluate';
import {
  type EvaluationState,
  type ExplainStep,
  newState,
  type TraceEvent,
} from './evaluation-state';
import type { EvaluationContext, EvaluationResult, FlagType } from './model';

/** An evaluation and the steps that decided it. */
export interface Explanation {
  result: EvaluationResult;
  steps: ExplainStep[];
}

/** Each clause of a rule as written, with the context's value and whether it matched. */
function describeClauses(
  compiled: CompiledSnapshot,
  rule: CompiledRule,
  context: EvaluationContext,
  state: EvaluationState,
): { text: string; matched: boolean }[] {
  return rule.clauses.map((clause, index) => {
    const source = rule.source.clauses[index]!;
    const matched = clauseMatches(compiled, clause, context, state);
    const actual =
      clause.kind === 'segment'
        ? ''
        : ` (context has ${JSON.stringify(resolveAttribute(clause.attribute, context)) ?? 'nothing'})`;
    const operator = `${source.negate === true ? 'not ' : ''}${source.operator}`;
    return {
      text: `${source.attribute} ${operator} ${JSON.stringify(source.values)}${actual}: ${matched}`,
      matched,
    };
  });
}

function describe(
  event: TraceEvent,
  compiled: CompiledSnapshot,
  context: EvaluationContext,
  state: EvaluationState,
): ExplainStep {
  switch (event.kind) {
    case 'abort':
      return { step: event.step, message: event.message };
    case 'disabled':
      return { step: 'disabled', message: `flag ${event.flag.key} is disabled (kill switch)` };
    case 'prerequisite': {
      const { prerequisite, target, served, passed } = event;
      const how =
        target === undefined
          ? 'does not exist'
          : !target.enabled
            ? 'is disabled'
            : `serves ${served ?? 'nothing'}`;
      return {
        step: 'prerequisite',
        message: `prerequisite ${prerequisite.flag} ${how}${passed ? '' : `, not ${prerequisite.variation}`}`,
        flag: prerequisite.flag,
        passed,
      };
    }
    case 'target':
      return { step: 'target', message: `targeting key is listed under ${event.variation}` };
    case 'rule': {
      const { rule, matched, gate } = event;
      const clauses = describeClauses(compiled, rule, context, state);
      const name = `rule ${rule.index} (${rule.id})`;
      const base = {
        step: 'rule' as const,
        ruleIndex: rule.index,
        ruleId: rule.id,
        clauses: clauses.map((c) => c.text),
      };
      if (!matched) {
        const failing = clauses.findIndex((clause) => !clause.matched);
        return {
          ...base,
          matched: false,
          failingClause: failing,
          message: `${name} does not match: ${clauses[failing]?.text ?? 'a clause is false'}`,
        };
      }
      const why =
        clauses.length === 0 ? 'no clauses: everyone' : clauses.map((c) => c.text).join('; ');
      if (gate === undefined)
        return { ...base, matched: true, message: `${name} matches (${why})` };
      const verdict =
        gate.bucket === undefined
          ? `its bucketBy attribute cannot be bucketed, so it is skipped`
          : `bucket ${gate.bucket} is ${gate.inside ? 'below' : 'not below'} threshold ${gate.threshold}`;
      return {
        ...base,
        matched: gate.inside,
        bucket: gate.bucket,
        threshold: gate.threshold,
        message: `${name} matches (${why}); ${verdict}`,
      };
    }
    case 'split': {
      const { serve, slot, bucket, hashInput, flag, rule } = event;
      const from = slot === 0 ? 0 : serve.cumulative[slot - 1]!;
      const variation = flag.variations[serve.indices[slot]!]!.name;
      return {
        step: rule === undefined ? 'fallthrough' : 'rule',
        message: `bucket ${bucket} of ${hashInput} falls in [${from}, ${serve.cumulative[slot]}), the weight of ${variation}`,
        bucket,
        weights: serve.cumulative,
      };
    }
    case 'unbucketable':
      return {
        step: 'error',
        message: `bucketBy attribute ${event.attribute} is missing or not a string or integer`,
      };
    case 'fallthrough':
      return {
        step: 'fallthrough',
        message: `no rule matched: fallthrough serves ${event.variation}`,
      };
  }
}

/**
 * Evaluates like evaluateFlag and records what decided the result: disabled, each
 * prerequisite, a target, each rule tried and why (and, for percentage rules, the bucket
 * against the threshold), the fallthrough, a type mismatch. For tools, not hot paths.
 */
export function explainFlag(
  compiled: CompiledSnapshot,
  flagKey: string,
  context: EvaluationContext,
  expectedType?: FlagType,
): Explanation {
  const steps: ExplainStep[] = [];
  const safeContext: EvaluationContext =
    typeof context === 'object' && context !== null && !Array.isArray(context) ? context : {};
  // Clauses are described with a state of their own, so describing never disturbs the evaluation.
  const state = newState((event) => steps.push(describe(event, compiled, safeContext, newState())));
  const result = evaluateWithState(compiled, flagKey, context, expectedType, state);
  return { result, steps };
}
