/**
 * The conformance corpus's types and comparison helpers, free of Node APIs so that browser
 * runners can use them too (load-corpus.ts adds the node:fs loader).
 */
export type JsonValue =
  null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** The OpenFeature method type a case reads the flag with. */
export type CorpusValueType = 'boolean' | 'string' | 'number' | 'object';

/** What an OpenFeature client must report for one evaluation. */
export interface CorpusExpected {
  /** The value the client returns: the served value, or the case's default when nothing is served. */
  value: JsonValue;
  /** The variation name; present only when a variation is served. */
  variant?: string;
  reason: string;
  /** Present only when reason is ERROR. */
  errorCode?: string;
  /** A partial object: only the listed keys must match. */
  flagMetadata?: Record<string, JsonValue>;
}

export interface CorpusCase {
  name: string;
  /** Why the expectation reads DESIGN.md the way it does, where that needed a choice. */
  note?: string;
  flag: string;
  type: CorpusValueType;
  default: JsonValue;
  context: JsonObject;
  expected: CorpusExpected;
}

/** Evaluate `count` contexts with `attribute` = `${keyPrefix}${i}` and check variant shares. */
export interface CorpusDistribution {
  name: string;
  note?: string;
  flag: string;
  type: CorpusValueType;
  default: JsonValue;
  keyPrefix: string;
  count: number;
  attribute: string;
  /** Extra context attributes shared by every evaluation. */
  context?: JsonObject;
  /** Expected share of each variant name. */
  shares: Record<string, number>;
  /** Allowed absolute difference between the observed and the expected share. */
  tolerance: number;
}

export interface CorpusFile {
  /** File name, e.g. "operators.json". */
  file: string;
  name: string;
  description: string;
  /** An environment snapshot (DESIGN §2); for `valid: false` files one that validation rejects. */
  snapshot: JsonObject;
  valid: boolean;
  /** JSON pointers that validation must report among `errors[].path` (valid: false only). */
  validationErrorPaths?: string[];
  cases: CorpusCase[];
  distributions?: CorpusDistribution[];
}

/** The context of the i-th evaluation of a distribution. */
export function distributionContext(distribution: CorpusDistribution, i: number): JsonObject {
  return {
    ...(distribution.context ?? {}),
    [distribution.attribute]: `${distribution.keyPrefix}${i}`,
  };
}

/** The observable result of one evaluation, as an OpenFeature client reports it. */
export interface ObservedResult {
  value: unknown;
  variant?: string | undefined;
  reason?: string | undefined;
  errorCode?: string | undefined;
  flagMetadata?: Record<string, unknown> | undefined;
}

/**
 * Projects an observed result onto the shape of `expected`, so that a deep equality check
 * (`expect(project(...)).toEqual(expected)`) compares exactly what the corpus specifies:
 * value, variant (absent when not expected), reason, errorCode (absent unless ERROR) and only
 * the listed flagMetadata keys.
 */
export function projectResult(expected: CorpusExpected, observed: ObservedResult): CorpusExpected {
  const projected: Record<string, unknown> = { value: observed.value };
  if (observed.variant !== undefined || expected.variant !== undefined)
    projected['variant'] = observed.variant;
  projected['reason'] = observed.reason;
  if (observed.errorCode !== undefined || expected.errorCode !== undefined) {
    projected['errorCode'] = observed.errorCode;
  }
  if (expected.flagMetadata) {
    const metadata: Record<string, unknown> = {};
    for (const key of Object.keys(expected.flagMetadata))
      metadata[key] = observed.flagMetadata?.[key];
    projected['flagMetadata'] = metadata;
  }
  return projected as unknown as CorpusExpected;
}

/** The expected result without documentation-only fields, for deep equality. */
export function comparableExpected(expected: CorpusExpected): CorpusExpected {
  const out: CorpusExpected = { value: expected.value, reason: expected.reason };
  if (expected.variant !== undefined) out.variant = expected.variant;
  if (expected.errorCode !== undefined) out.errorCode = expected.errorCode;
  if (expected.flagMetadata !== undefined) out.flagMetadata = expected.flagMetadata;
  return out;
}
