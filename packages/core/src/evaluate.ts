import { bucketValueOf, describeAttribute, targetingKeyOf } from './attributes';
import { clausesMatch } from './clauses';
import { errorResult } from './compile-flag';
import type { CompiledFlag, CompiledRule, CompiledServe, CompiledSnapshot } from './compiled-model';
import {
  bucketOf,
  enterFlag,
  EvaluationAbort,
  type EvaluationState,
  leaveFlag,
  type Tracer,
} from './evaluation-state';
import { flagTypeOf, isPlainObject } from './json';
import type { EvaluationContext, EvaluationResult, FlagMetadata, FlagType } from './model';
import { hashContextKey } from './sha256';

const EMPTY_CONTEXT: EvaluationContext = Object.freeze({});

// Explanations only describe the flag asked for, not the prerequisites evaluated on the way.
// Calls are written `tracer?.(...)`, so without a tracer no event object is even built.
const tracerOf = (state: EvaluationState | undefined): Tracer | undefined =>
  state !== undefined && state.depth === 0 ? state.trace : undefined;

type SplitServe = Extract<CompiledServe, { kind: 'split' }>;

function split(
  compiled: CompiledSnapshot,
  flag: CompiledFlag,
  serve: SplitServe,
  context: EvaluationContext,
  rule: CompiledRule | undefined,
  state: EvaluationState | undefined,
): EvaluationResult {
  const value = bucketValueOf(serve.bucketBy, context);
  if (value === undefined) return unbucketable(flag, serve, rule, state);
  const bucket = bucketOf(compiled, flag.hashPrefix, value);
  const cumulative = serve.cumulative;
  let slot = cumulative.length - 1;
  for (let i = 0; i < slot; i++) {
    if (bucket < cumulative[i]!) {
      slot = i;
      break;
    }
  }
  const variation = flag.variations[serve.indices[slot]!]!;
  if (state !== undefined) traceSplit(state, flag, serve, rule, slot, bucket, value);
  // Metadata is built whole, in one literal per shape, so the hot path stays monomorphic.
  const flagMetadata: FlagMetadata =
    rule === undefined
      ? { flagVersion: flag.version, bucket }
      : { flagVersion: flag.version, ruleId: rule.id, ruleIndex: rule.index, bucket };
  return { value: variation.value, variant: variation.name, reason: 'SPLIT', flagMetadata };
}

// Cold paths live in functions of their own, so the hot ones stay small enough to inline.

function unbucketable(
  flag: CompiledFlag,
  serve: SplitServe,
  rule: CompiledRule | undefined,
  state: EvaluationState | undefined,
): EvaluationResult {
  const attribute = describeAttribute(serve.bucketBy);
  tracerOf(state)?.({ kind: 'unbucketable', attribute });
  return errorResult(
    'TARGETING_KEY_MISSING',
    `flag ${flag.key} buckets by ${attribute}, which the context lacks or holds as neither a string nor an integer`,
    rule === undefined
      ? { flagVersion: flag.version }
      : { flagVersion: flag.version, ruleId: rule.id, ruleIndex: rule.index },
  );
}

function traceSplit(
  state: EvaluationState,
  flag: CompiledFlag,
  serve: SplitServe,
  rule: CompiledRule | undefined,
  slot: number,
  bucket: number,
  value: string,
): void {
  tracerOf(state)?.({
    kind: 'split',
    flag,
    rule,
    serve,
    slot,
    bucket,
    hashInput: flag.hashPrefix.text + value,
  });
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
      let served: string | undefined;
      if (target !== undefined) {
        state.depth++;
        served = evaluateCompiled(compiled, target, context, state).variant;
        state.depth--;
      }
      // A disabled prerequisite fails even when its offVariation is the one required.
      const passed = target !== undefined && target.enabled && served === prerequisite.variation;
      tracerOf(state)?.({ kind: 'prerequisite', prerequisite, target, served, passed });
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
      if (state !== undefined) traceRule(state, rule, false, undefined);
      continue;
    }
    if (rule.threshold >= 0) {
      const gated = percentageGate(compiled, flag, rule, context, state);
      if (gated !== undefined) return gated;
      continue;
    }
    if (state !== undefined) traceRule(state, rule, true, undefined);
    if (rule.matchResult !== undefined) return rule.matchResult;
    return split(compiled, flag, rule.serve as SplitServe, context, rule, state);
  }
  return undefined;
}

/** A matched rule with a percentage: its variation when the context's bucket is inside. */
function percentageGate(
  compiled: CompiledSnapshot,
  flag: CompiledFlag,
  rule: CompiledRule,
  context: EvaluationContext,
  state: EvaluationState | undefined,
): EvaluationResult | undefined {
  const value = bucketValueOf(rule.bucketBy, context);
  const bucket = value === undefined ? undefined : bucketOf(compiled, flag.hashPrefix, value);
  const inside = bucket !== undefined && bucket < rule.threshold;
  if (state !== undefined) {
    traceRule(state, rule, true, { bucket, threshold: rule.threshold, inside });
  }
  if (!inside) return undefined;
  const variation = flag.variations[(rule.serve as { index: number }).index]!;
  return {
    value: variation.value,
    variant: variation.name,
    reason: 'SPLIT',
    flagMetadata: { flagVersion: flag.version, ruleId: rule.id, ruleIndex: rule.index, bucket },
  };
}

function traceRule(
  state: EvaluationState,
  rule: CompiledRule,
  matched: boolean,
  gate: { bucket: number | undefined; threshold: number; inside: boolean } | undefined,
): void {
  const tracer = tracerOf(state);
  if (tracer === undefined) return;
  tracer(
    gate === undefined ? { kind: 'rule', rule, matched } : { kind: 'rule', rule, matched, gate },
  );
}

/** DESIGN §3 steps 2-7 for one compiled flag. */
export function evaluateCompiled(
  compiled: CompiledSnapshot,
  flag: CompiledFlag,
  context: EvaluationContext,
  state: EvaluationState | undefined,
): EvaluationResult {
  const results = flag.results;
  if (results.parseError !== undefined || !flag.enabled) return unservable(flag, state);
  if (flag.prerequisites.length > 0) {
    const failed = checkPrerequisites(compiled, flag, context, state);
    if (failed !== undefined) return failed;
  }
  if (flag.targets !== null) {
    const targeted = targetOf(compiled, flag, context, state);
    if (targeted !== undefined) return targeted;
  }
  if (flag.rules.length > 0) {
    const matched = evaluateRules(compiled, flag, context, state);
    if (matched !== undefined) return matched;
  }
  const fallthrough = results.fallthrough;
  if (fallthrough !== undefined) {
    if (state !== undefined)
      tracerOf(state)?.({ kind: 'fallthrough', variation: fallthrough.variant! });
    return fallthrough;
  }
  return split(compiled, flag, flag.fallthrough as SplitServe, context, undefined, state);
}

/** A flag that cannot be understood (PARSE_ERROR) or is disabled. */
function unservable(flag: CompiledFlag, state: EvaluationState | undefined): EvaluationResult {
  const { parseError, disabled } = flag.results;
  if (parseError !== undefined) {
    tracerOf(state)?.({ kind: 'abort', step: 'error', message: parseError.errorMessage });
    return parseError;
  }
  tracerOf(state)?.({ kind: 'disabled', flag });
  return disabled;
}

/** The individual target's result for the context's key, if it is targeted. */
function targetOf(
  compiled: CompiledSnapshot,
  flag: CompiledFlag,
  context: EvaluationContext,
  state: EvaluationState | undefined,
): EvaluationResult | undefined {
  const targets = flag.targets!;
  const key = targetingKeyOf(context);
  if (typeof key !== 'string') return undefined;
  const index = targets.byKey.get(
    targets.hashed ? hashContextKey(compiled.keySalt ?? '', key) : key,
  );
  if (index === undefined) return undefined;
  tracerOf(state)?.({ kind: 'target', variation: flag.variations[index]!.name });
  return flag.results.target[index]!;
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
    if (flag === undefined) return notFound(flagKey, state);
    const result = evaluateCompiled(
      compiled,
      flag,
      isPlainObject(context) ? context : EMPTY_CONTEXT,
      state,
    );
    // Compiling guarantees every variation is of the flag's type, so only another type can mismatch.
    if (
      expectedType !== undefined &&
      expectedType !== flag.type &&
      result.value !== undefined &&
      flagTypeOf(result.value) !== expectedType
    ) {
      return typeMismatch(flagKey, result, expectedType, state);
    }
    return result;
  } catch (error) {
    return failure(error, flag, state);
  }
}

function notFound(flagKey: string, state: EvaluationState | undefined): EvaluationResult {
  const message = `flag ${String(flagKey)} does not exist`;
  tracerOf(state)?.({ kind: 'abort', step: 'flag', message });
  return errorResult('FLAG_NOT_FOUND', message);
}

function typeMismatch(
  flagKey: string,
  result: EvaluationResult,
  expectedType: FlagType,
  state: EvaluationState | undefined,
): EvaluationResult {
  const message = `flag ${flagKey} served a ${flagTypeOf(result.value) ?? 'null'} value, not the requested ${expectedType}`;
  tracerOf(state)?.({ kind: 'abort', step: 'type', message });
  return errorResult('TYPE_MISMATCH', message, { ...result.flagMetadata });
}

function failure(
  error: unknown,
  flag: CompiledFlag | undefined,
  state: EvaluationState | undefined,
): EvaluationResult {
  const message =
    error instanceof EvaluationAbort
      ? error.message
      : `unexpected evaluation failure: ${String(error)}`;
  tracerOf(state)?.({ kind: 'abort', step: 'error', message });
  return errorResult('GENERAL', message, flag === undefined ? {} : { flagVersion: flag.version });
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
