import type { ErrorCode, EvaluationResult, FlagMetadata, JsonValue, Reason } from './model';

/**
 * An evaluation result with the caller's default filled in: the shape OpenFeature resolvers
 * return. Read-only: a served result is the evaluator's own (often shared, frozen) object.
 */
export interface ResolvedValue<T> {
  readonly value: T;
  readonly variant?: string;
  readonly reason: Reason;
  readonly errorCode?: ErrorCode;
  readonly errorMessage?: string;
  readonly flagMetadata: FlagMetadata;
}

/**
 * Turns a core result into what an OpenFeature provider answers: the served value, or the
 * caller's default when nothing was served or the evaluation failed (with its error code).
 */
export function withDefault<T>(result: EvaluationResult, defaultValue: T): ResolvedValue<T> {
  if (result.reason === 'ERROR') {
    return {
      value: defaultValue,
      reason: 'ERROR',
      errorCode: result.errorCode,
      errorMessage: result.errorMessage,
      flagMetadata: result.flagMetadata,
    };
  }
  if (result.variant === undefined)
    return { value: defaultValue, reason: result.reason, flagMetadata: result.flagMetadata };
  // Served: the result already has exactly this shape, so it is answered as is, not copied.
  return result as ResolvedValue<JsonValue> as ResolvedValue<T>;
}
