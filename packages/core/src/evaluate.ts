import { bucketValueOf, describeAttribute, resolveAttribute, targetingKeyOf } from './attributes';
import { clauseMatches, clausesMatch } from './clauses';
import { errorResult } from './compile-flag';
import type { CompiledFlag, CompiledRule, CompiledServe, CompiledSnapshot } from './compiled-model';
import {
  bucketOf,
  enterFlag,
  EvaluationAbort,
  type EvaluationState,
  type ExplainStep,
  leaveFlag,
} from './evaluation-state';
import { flagTypeOf, isPlainObject } from './json';
import type { EvaluationContext, EvaluationResult, FlagMetadata, FlagType } from './model';
import { hashContextKey } from './sha256';

const EMPTY_CONTEXT: EvaluationContext = Object.freeze({});

const trace = (state: EvaluationState | undefined, step: ExplainStep): void => {
  if (state?.trace !== undefined && state.depth === 0) state.trace.push(step);
};

function split(
  compiled: CompiledSnapshot,
  flag: CompiledFlag,
  serve: Extract<CompiledServe, { kind: 'split' }>,
  context: EvaluationContext,
  rule: CompiledRule | undefined,
  state: EvaluationState | undefined,
): EvaluationResult {
  const metadata: FlagMetadata =
    rule === undefined
      ? { flagVersion: flag.version }
      : { flagVersion: flag.version, ruleId: rule.id, ruleIndex: rule.index };
  const value = bucketValueOf(serve.bucketBy, context);
  if (value === undefined) {
    const attribute = describeAttribute(serve.bucketBy);
    if (state?.trace !== undefined)
      trace(state, {
        step: 'error',
        message: `bucketBy attribute ${attribute} is missing or not a string or integer`,
      });
    return errorResult(
      'TARGETING_KEY_MISSING',
      `flag ${flag.key} buckets by ${attribute}, which the context lacks or holds as neither a string nor an integer`,
      metadata,
    );
  }
  const bucket = bucketOf(compiled, flag.hashPrefix, value);
  const { cumulative, indices } = serve;
  let slot = cumulative.length - 1;
  for (let i = 0; i < cumulative.length; i++) {
    if (bucket < cumulative[i]!) {
      slot = i;
      break;
    }
  }
  const chosen = indices[slot]!;
  const variation = flag.variations[chosen]!;
  metadata.bucket = bucket;
  if (state?.trace !== undefined)
    trace(state, {
      step: rule === undefined ? 'fallthrough' : 'rule',
      message: `bucket ${bucket} of ${flag.hashPrefix}${value} falls in [${slot === 0 ? 0 : cumulative[slot - 1]}, ${cumulative[slot]}), the weight of ${variation.name}`,
      bucket,
      weights: cumulative,
    });
  return {
    value: variation.value,
    variant: variation.name,
    reason: 'SPLIT',
    flagMetadata: metadata,
  };
}

function checkPrerequisites(
  compiled: CompiledSnapshot,
  flag: CompiledFlag,
  context: EvaluationContext,
  outer: EvaluationState | undefined,
): EvaluationResult | undefined {
  const state = enterFlag(outer, flag.key);
  try {
    for (let i = 0; i < flag.prerequisites.length; i++) {
      const prerequisite = flag.prerequisites[i]!;
      const target = compiled.flags.get(prerequisite.flag);
      let passed = false;
      let served: string | undefined;
      if (target !== undefined) {
        state.depth++;
        const result = evaluateCompiled(compiled, target, context, state);
        state.depth--;
        served = result.variant;
        passed = target.enabled && served === prerequisite.variation;
      }
      if (state?.trace !== undefined)
        trace(state, {
          step: 'prerequisite',
          message: passed
            ? `prerequisite ${prerequisite.flag} serves ${prerequisite.variation}`
            : target === undefined
              ? `prerequisite ${prerequisite.flag} does not exist`
              : `prerequisite ${prerequisite.flag} ${target.enabled ? `serves ${served ?? 'nothing'}` : 'is disabled'}, not ${prerequisite.variation}`,
          flag: prerequisite.flag,
          passed,
        });
      if (!passed) return flag.results.prerequisiteFailed[i];
    }
    return undefined;
  } finally {
    leaveFlag(state);
  }
}

function evaluateRules(
  compiled: CompiledSnapshot,
  flag: CompiledFlag,
  context: EvaluationContext,
  state: EvaluationState | undefined,
): EvaluationResult | undefined {
  const rules = flag.rules;
  for (let r = 0; r < rules.length; r++) {
    const rule = rules[r]!;
    if (!clausesMatch(compiled, rule.clauses, context, state)) {
      if (state?.trace !== undefined) traceRuleMiss(compiled, rule, context, state);
      continue;
    }
    if (rule.threshold >= 0) {
      const value = bucketValueOf(rule.bucketBy, context);
      const bucket = value === undefined ? -1 : bucketOf(compiled, flag.hashPrefix, value);
      const inside = bucket >= 0 && bucket < rule.threshold;
      if (state?.trace !== undefined)
        trace(state, {
          step: 'rule',
          message:
            bucket < 0
              ? `rule ${r} (${rule.id}) matches but ${describeAttribute(rule.bucketBy)} cannot be bucketed, so it is skipped`
              : `rule ${r} (${rule.id}) matches${whyMatched(compiled, rule, context, state)}; bucket ${bucket} is ${inside ? 'below' : 'not below'} threshold ${rule.threshold}`,
          ruleIndex: r,
          ruleId: rule.id,
          bucket: bucket < 0 ? undefined : bucket,
          threshold: rule.threshold,
          matched: inside,
        });
      if (!inside) continue;
      const variation = flag.variations[(rule.serve as { index: number }).index]!;
      return {
        value: variation.value,
        variant: variation.name,
        reason: 'SPLIT',
        flagMetadata: { flagVersion: flag.version, ruleId: rule.id, ruleIndex: r, bucket },
      };
    }
    if (rule.matchResult !== undefined) {
      if (state?.trace !== undefined)
        trace(state, {
          step: 'rule',
          message: `rule ${r} (${rule.id}) matches`,
          ruleIndex: r,
          ruleId: rule.id,
          matched: true,
        });
      return rule.matchResult;
    }
    if (state?.trace !== undefined)
      trace(state, {
        step: 'rule',
        message: `rule ${r} (${rule.id}) matches; splitting by weight`,
        ruleIndex: r,
        ruleId: rule.id,
        matched: true,
      });
    return split(
      compiled,
      flag,
      rule.serve as Extract<CompiledServe, { kind: 'split' }>,
      context,
      rule,
      state,
    );
  }
  return undefined;
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

function traceRuleMiss(
  compiled: CompiledSnapshot,
  rule: CompiledRule,
  context: EvaluationContext,
  state: EvaluationState,
): void {
  const clauses = describeClauses(compiled, rule, context, state);
  const failing = clauses.findIndex((clause) => !clause.matched);
  if (state?.trace !== undefined)
    trace(state, {
      step: 'rule',
      message: `rule ${rule.index} (${rule.id}) does not match: ${clauses[failing]?.text ?? 'a clause is false'}`,
      ruleIndex: rule.index,
      ruleId: rule.id,
      matched: false,
      failingClause: failing,
      clauses: clauses.map((clause) => clause.text),
    });
}

/** Why a rule matched, for explanations: its clauses as written, or "no clauses". */
function whyMatched(
  compiled: CompiledSnapshot,
  rule: CompiledRule,
  context: EvaluationContext,
  state: EvaluationState | undefined,
): string {
  if (state?.trace === undefined || state.depth !== 0) return '';
  if (rule.clauses.length === 0) return ' (no clauses: everyone)';
  const clauses = describeClauses(compiled, rule, context, state);
  return ` (${clauses.map((clause) => clause.text).join('; ')})`;
}

/** DESIGN §3 steps 2-7 for one compiled flag. */
export function evaluateCompiled(
  compiled: CompiledSnapshot,
  flag: CompiledFlag,
  context: EvaluationContext,
  state: EvaluationState | undefined,
): EvaluationResult {
  const results = flag.results;
  if (results.parseError !== undefined) {
    if (state?.trace !== undefined)
      trace(state, { step: 'error', message: results.parseError.errorMessage });
    return results.parseError;
  }
  if (!flag.enabled) {
    if (state?.trace !== undefined)
      trace(state, { step: 'disabled', message: `flag ${flag.key} is disabled (kill switch)` });
    return results.disabled;
  }
  if (flag.prerequisites.length > 0) {
    const failed = checkPrerequisites(compiled, flag, context, state);
    if (failed !== undefined) return failed;
  }
  const targets = flag.targets;
  if (targets !== null) {
    const key = targetingKeyOf(context);
    if (typeof key === 'string') {
      const index = targets.byKey.get(
        targets.hashed ? hashContextKey(compiled.keySalt ?? '', key) : key,
      );
      if (index !== undefined) {
        if (state?.trace !== undefined)
          trace(state, {
            step: 'target',
            message: `targeting key is listed under ${flag.variations[index]!.name}`,
          });
        return results.target[index]!;
      }
    }
  }
  if (flag.rules.length > 0) {
    const matched = evaluateRules(compiled, flag, context, state);
    if (matched !== undefined) return matched;
  }
  if (results.fallthrough !== undefined) {
    if (state?.trace !== undefined)
      trace(state, {
        step: 'fallthrough',
        message: `no rule matched: fallthrough serves ${results.fallthrough.variant}`,
      });
    return results.fallthrough;
  }
  return split(
    compiled,
    flag,
    flag.fallthrough as Extract<CompiledServe, { kind: 'split' }>,
    context,
    undefined,
    state,
  );
}

/** Runs an evaluation with every failure turned into a result, and the requested type checked. */
export function evaluateWithState(
  compiled: CompiledSnapshot,
  flagKey: string,
  context: EvaluationContext,
  expectedType: FlagType | undefined,
  state: EvaluationState | undefined,
): EvaluationResult {
  let flag: CompiledFlag | undefined;
  try {
    flag = compiled.flags.get(flagKey);
    if (flag === undefined) {
      if (state?.trace !== undefined)
        trace(state, { step: 'flag', message: `flag ${String(flagKey)} does not exist` });
      return errorResult('FLAG_NOT_FOUND', `flag ${String(flagKey)} does not exist`);
    }
    const result = evaluateCompiled(
      compiled,
      flag,
      isPlainObject(context) ? context : EMPTY_CONTEXT,
      state,
    );
    if (
      expectedType !== undefined &&
      result.value !== undefined &&
      flagTypeOf(result.value) !== expectedType
    ) {
      const actual = flagTypeOf(result.value) ?? 'null';
      if (state?.trace !== undefined)
        trace(state, {
          step: 'type',
          message: `served a ${actual}, but a ${expectedType} was requested`,
        });
      return errorResult(
        'TYPE_MISMATCH',
        `flag ${flagKey} served a ${actual} value, not the requested ${expectedType}`,
        { ...result.flagMetadata },
      );
    }
    return result;
  } catch (error) {
    const message =
      error instanceof EvaluationAbort
        ? error.message
        : `unexpected evaluation failure: ${String(error)}`;
    if (state?.trace !== undefined) trace(state, { step: 'error', message });
    return errorResult('GENERAL', message, flag === undefined ? {} : { flagVersion: flag.version });
  }
}

/**
 * Evaluates a flag for a context (DESIGN §3): synchronous, pure, and it never throws. A
 * result either serves a variation (`value`, `variant`), serves nothing (DISABLED or
 * PREREQUISITE_FAILED without offVariation: use the default), or is an ERROR with an
 * error code. `expectedType` turns a value of another type into TYPE_MISMATCH.
 */
export function evaluateFlag(
  compiled: CompiledSnapshot,
  flagKey: string,
  context: EvaluationContext,
  expectedType?: FlagType,
): EvaluationResult {
  return evaluateWithState(compiled, flagKey, context, expectedType, undefined);
}
