import type { ErrorCode, EvaluationResult, FlagMetadata, JsonValue, Reason } from './model';

/** An evaluation result with the caller's default filled in: the shape OpenFeature resolvers return. */
export interface ResolvedValue<T> {
  value: T;
  variant?: string;
  reason: Reason;
  errorCode?: ErrorCode;
  errorMessage?: string;
  flagMetadata: FlagMetadata;
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
  return {
    value: result.value as JsonValue as T,
    variant: result.variant,
    reason: result.reason,
    flagMetadata: result.flagMetadata,
  };
}
