import { hash } from 'node:crypto';
import {
  compileSnapshot,
  evaluateFlag,
  type CompiledSnapshot,
  type EvaluationContext,
  type EvaluationResult,
  type Snapshot,
} from '@switchyard/core';

/** An OFREP evaluation body: success (with or without a value) or failure. */
export type OfrepEvaluation = Record<string, unknown> & { key: string };

/** A flag evaluated for OFREP, with the HTTP status a single evaluation answers. */
export interface OfrepOutcome {
  status: 200 | 400 | 404;
  body: OfrepEvaluation;
}

const metadataOf = (result: EvaluationResult): Record<string, string | number | boolean> =>
  Object.fromEntries(
    Object.entries(result.flagMetadata).filter(([, value]) => value !== undefined),
  ) as Record<string, string | number | boolean>;

/**
 * Maps a core result to OFREP (openapi: evaluationSuccess / evaluationFailure /
 * flagNotFound). A result that serves nothing (disabled, prerequisite failed, no
 * offVariation) is the spec's "code default": a reason and no value.
 */
export function toOfrepOutcome(key: string, result: EvaluationResult): OfrepOutcome {
  const metadata = metadataOf(result);
  if (result.reason === 'ERROR') {
    return {
      status: result.errorCode === 'FLAG_NOT_FOUND' ? 404 : 400,
      body: { key, errorCode: result.errorCode, errorDetails: result.errorMessage, metadata },
    };
  }
  if (result.variant === undefined)
    return { status: 200, body: { key, reason: result.reason, metadata } };
  return {
    status: 200,
    body: { key, value: result.value, variant: result.variant, reason: result.reason, metadata },
  };
}

/** JSON with object keys sorted, so equal contexts hash equally whatever their key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map(
        (key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`,
      );
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Evaluates flags for OFREP with core, compiling each environment once per version.
 * Client keys see client-side flags only; evaluating them against the full snapshot gives
 * the same results as a client snapshot (their prerequisites are client-side too).
 */
export class OfrepEvaluator {
  private readonly compiled = new Map<string, CompiledSnapshot>();

  constructor(private readonly snapshotOf: (environment: string) => Snapshot | undefined) {}

  /** The compiled snapshot of an environment at its current version. */
  snapshot(environment: string): CompiledSnapshot | undefined {
    const snapshot = this.snapshotOf(environment);
    if (snapshot === undefined) return undefined;
    const cached = this.compiled.get(environment);
    if (cached !== undefined && cached.version === snapshot.version && cached.snapshot === snapshot)
      return cached;
    const compiled = compileSnapshot(snapshot);
    this.compiled.set(environment, compiled);
    return compiled;
  }

  /** One flag; a flag the audience may not see is not found. */
  evaluate(
    environment: string,
    audience: 'server' | 'client',
    key: string,
    context: EvaluationContext,
  ): OfrepOutcome {
    const compiled = this.snapshot(environment)!;
    const visible = audience === 'server' || compiled.snapshot.flags[key]?.clientSide === true;
    if (!Object.prototype.hasOwnProperty.call(compiled.snapshot.flags, key) || !visible) {
      return {
        status: 404,
        body: {
          key,
          errorCode: 'FLAG_NOT_FOUND',
          errorDetails: `flag ${JSON.stringify(key)} was not found`,
        },
      };
    }
    return toOfrepOutcome(key, evaluateFlag(compiled, key, context));
  }

  /** Every flag the audience may see, in key order. */
  evaluateAll(
    environment: string,
    audience: 'server' | 'client',
    context: EvaluationContext,
  ): { version: number; flags: OfrepEvaluation[] } {
    const compiled = this.snapshot(environment)!;
    const keys = Object.values(compiled.snapshot.flags)
      .filter((flag) => audience === 'server' || flag.clientSide === true)
      .map((flag) => flag.key)
      .sort();
    return {
      version: compiled.version,
      flags: keys.map((key) => toOfrepOutcome(key, evaluateFlag(compiled, key, context)).body),
    };
  }

  /**
   * The bulk ETag: the environment version, and a hash of the audience and the context, so
   * a 304 means "same flags, same context" and any change or other user gets a 200.
   */
  bulkEtag(version: number, audience: 'server' | 'client', context: EvaluationContext): string {
    const digest = hash('sha256', `${audience}\u0000${canonicalJson(context)}`, 'base64url').slice(
      0,
      22,
    );
    return `"${version}-${digest}"`;
  }
}
