import { bucketValueOf, resolveAttribute, targetingKeyOf } from './attributes';
import type {
  CompiledClause,
  CompiledKeySet,
  CompiledSegment,
  CompiledSnapshot,
} from './compiled-model';
import type { EvaluationContext } from './model';
import { bucketOf, type EvaluationState, enterSegment, leaveSegment } from './evaluation-state';
import { hashContextKey } from './sha256';

/** Whether the context's key is in a set of plaintext or hashed keys. */
export function keySetHas(
  set: CompiledKeySet,
  compiled: CompiledSnapshot,
  context: EvaluationContext,
): boolean {
  const key = targetingKeyOf(context);
  if (typeof key !== 'string') return false;
  return set.keys.has(set.hashed ? hashContextKey(compiled.keySalt ?? '', key) : key);
}

/**
 * Whether a clause matches (DESIGN §2): the attribute's value, or any element of an array,
 * matches any operand; `negate` inverts that; a missing attribute never matches, whatever
 * `negate` says; an empty array is present and matches nothing.
 */
export function clauseMatches(
  compiled: CompiledSnapshot,
  clause: CompiledClause,
  context: EvaluationContext,
  state: EvaluationState | undefined,
): boolean {
  if (clause.kind === 'segment') {
    let inAny = false;
    for (const key of clause.segmentKeys) {
      if (segmentContains(compiled, key, context, state)) {
        inAny = true;
        break;
      }
    }
    return clause.negate ? !inAny : inAny;
  }
  const value = resolveAttribute(clause.attribute, context);
  if (value === undefined || value === null) return false;
  let matched = false;
  if (clause.kind === 'hashedKey') {
    matched =
      typeof value === 'string' && clause.hashes.has(hashContextKey(compiled.keySalt ?? '', value));
  } else if (Array.isArray(value)) {
    for (const element of value) {
      if (element !== null && element !== undefined && clause.test(element)) {
        matched = true;
        break;
      }
    }
  } else {
    matched = clause.test(value);
  }
  return clause.negate ? !matched : matched;
}

/** Whether every clause matches (no clauses: everyone). */
export function clausesMatch(
  compiled: CompiledSnapshot,
  clauses: readonly CompiledClause[],
  context: EvaluationContext,
  state: EvaluationState | undefined,
): boolean {
  for (let i = 0; i < clauses.length; i++) {
    if (!clauseMatches(compiled, clauses[i]!, context, state)) return false;
  }
  return true;
}

function segmentRulesMatch(
  compiled: CompiledSnapshot,
  segment: CompiledSegment,
  context: EvaluationContext,
  state: EvaluationState | undefined,
): boolean {
  for (const rule of segment.rules) {
    if (!clausesMatch(compiled, rule.clauses, context, state)) continue;
    if (rule.threshold < 0) return true;
    const value = bucketValueOf(rule.bucketBy, context);
    if (value !== undefined && bucketOf(compiled, segment.hashPrefix, value) < rule.threshold)
      return true;
  }
  return false;
}

/**
 * Segment membership (DESIGN §2): included, else not when excluded, else any rule. A missing
 * segment contains nobody; a segment cycle aborts the evaluation (GENERAL).
 */
export function segmentContains(
  compiled: CompiledSnapshot,
  segmentKey: string,
  context: EvaluationContext,
  state: EvaluationState | undefined,
): boolean {
  const segment = compiled.segments.get(segmentKey);
  if (segment === undefined || segment.parseError !== undefined) return false;
  if (segment.included !== null && keySetHas(segment.included, compiled, context)) return true;
  if (segment.excluded !== null && keySetHas(segment.excluded, compiled, context)) return false;
  if (segment.rules.length === 0) return false;
  if (segment.segmentRefs.length === 0) return segmentRulesMatch(compiled, segment, context, state);
  const nested = enterSegment(state, segmentKey);
  const member = segmentRulesMatch(compiled, segment, context, nested);
  leaveSegment(nested);
  return member;
}
