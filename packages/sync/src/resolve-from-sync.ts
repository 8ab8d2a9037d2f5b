import {
  evaluateFlag,
  withDefault,
  type EvaluationContext,
  type FlagType,
  type ResolvedValue,
} from '@switchyard/core';
import type { SyncClient } from './sync-client';

/** A resolution whose reason may also be CACHED or carry a provider error code. */
export interface ProviderResolution<T> extends Omit<ResolvedValue<T>, 'reason' | 'errorCode'> {
  readonly reason: ResolvedValue<T>['reason'] | 'CACHED';
  readonly errorCode?: NonNullable<ResolvedValue<T>['errorCode']> | 'PROVIDER_NOT_READY';
}

/**
 * What both OpenFeature providers answer for one flag: evaluated synchronously on the held
 * snapshot, the default with PROVIDER_NOT_READY before there is one, reason CACHED while a
 * cached snapshot is unconfirmed (when `markCached`), and never a throw (GENERAL instead).
 */
export function resolveFromSync<T>(
  sync: SyncClient | undefined,
  flagKey: string,
  defaultValue: T,
  context: EvaluationContext,
  type: FlagType,
  markCached: boolean,
): ProviderResolution<T> {
  try {
    const compiled = sync?.snapshot;
    if (sync === undefined || compiled === undefined) {
      return {
        value: defaultValue,
        reason: 'ERROR',
        errorCode: 'PROVIDER_NOT_READY',
        errorMessage: 'no snapshot yet',
        flagMetadata: {},
      };
    }
    const resolved: ProviderResolution<T> = withDefault(
      evaluateFlag(compiled, flagKey, context, type),
      defaultValue,
    );
    // A cached snapshot may be behind the relay: say so until the relay confirms it.
    return markCached && !sync.live && resolved.reason !== 'ERROR'
      ? { ...resolved, reason: 'CACHED' }
      : resolved;
  } catch (error) {
    // Last resort: evaluateFlag never throws, but the host app must never see an exception.
    return {
      value: defaultValue,
      reason: 'ERROR',
      errorCode: 'GENERAL',
      errorMessage: String(error),
      flagMetadata: {},
    };
  }
}
