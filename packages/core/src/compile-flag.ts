import { compileAttribute } from './attributes';
import type {
  CompiledClause,
  CompiledFlag,
  CompiledKeySet,
  CompiledRule,
  CompiledSegment,
  CompiledServe,
  CompiledVariation,
} from './compiled-model';
import { isPlainObject } from './json';
import type {
  Clause,
  ErrorResult,
  EvaluationResult,
  Flag,
  FlagMetadata,
  KeyList,
  Reason,
  Segment,
  ValidationError,
  WeightedVariation,
} from './model';
import { compileOperands } from './operators';
import { checkSchema } from './schema';
import { checkFlag, checkSegment, percentageThreshold, segmentReferences } from './validate-flag';

const EMPTY: readonly never[] = Object.freeze([]);

/** A served result, frozen because it is shared by every evaluation that reaches it. */
export function servedResult(
  variation: CompiledVariation,
  reason: Exclude<Reason, 'ERROR'>,
  flagMetadata: FlagMetadata,
): EvaluationResult {
  return Object.freeze({
    value: variation.value,
    variant: variation.name,
    reason,
    flagMetadata: Object.freeze(flagMetadata),
  });
}

/** An error result. */
export function errorResult(
  errorCode: ErrorResult['errorCode'],
  errorMessage: string,
  flagMetadata: FlagMetadata = {},
): ErrorResult {
  return Object.freeze({
    reason: 'ERROR',
    errorCode,
    errorMessage,
    flagMetadata: Object.freeze(flagMetadata),
  });
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}

/** Freezes a snapshot's JSON in place, so compiled forms can keep references to it. */
export const freezeJson = deepFreeze;

function compileKeySet(list: KeyList | undefined): CompiledKeySet | null {
  if (list === undefined) return null;
  if (Array.isArray(list)) return list.length === 0 ? null : { hashed: false, keys: new Set(list) };
  return list.sha256.length === 0 ? null : { hashed: true, keys: new Set(list.sha256) };
}

function compileClause(clause: Clause): CompiledClause {
  const negate = clause.negate === true;
  if (clause.operator === 'inSegment') {
    const keys = Array.isArray(clause.values)
      ? clause.values.filter((v): v is string => typeof v === 'string')
      : [];
    return Object.freeze({ kind: 'segment', negate, segmentKeys: Object.freeze(keys) });
  }
  const attribute = compileAttribute(clause.attribute);
  if (!Array.isArray(clause.values)) {
    return Object.freeze({
      kind: 'hashedKey',
      attribute,
      negate,
      hashes: new Set(clause.values.sha256),
    });
  }
  const operands = compileOperands(clause.operator, clause.values);
  // Operands were checked before compiling; an unusable one never reaches here.
  const test = operands.ok ? operands.test : () => false;
  return Object.freeze({ kind: 'value', attribute, negate, test });
}

function compileServe(
  serve: { variation?: string; weights?: WeightedVariation[] },
  indexOf: Map<string, number>,
  bucketBy: string | undefined,
): CompiledServe {
  if (serve.weights !== undefined) {
    const cumulative: number[] = [];
    const indices: number[] = [];
    let sum = 0;
    for (const entry of serve.weights) {
      sum += entry.weight;
      cumulative.push(sum);
      indices.push(indexOf.get(entry.variation)!);
    }
    return Object.freeze({
      kind: 'split',
      cumulative: Object.freeze(cumulative),
      indices: Object.freeze(indices),
      bucketBy: compileAttribute(bucketBy),
    });
  }
  return Object.freeze({ kind: 'fixed', index: indexOf.get(serve.variation!)! });
}

/** The checks an SDK runs on one flag: lenient about unknown fields, strict about meaning. */
function flagProblems(raw: unknown, key: string): ValidationError[] {
  const errors: ValidationError[] = [];
  checkSchema({ kind: 'ref', name: 'Flag' }, raw, '', errors, false);
  if (errors.length === 0) checkFlag(raw as Flag, '', errors);
  return errors
    .filter((error) => !error.message.startsWith('a flag cannot be its own'))
    .map((error) => ({
      path: error.path,
      message: `${key}${error.path}: ${error.message}`,
    }));
}

/** What a flag refers to, kept even when it is broken so its dependants can be found. */
interface FlagReferences {
  prerequisites: CompiledFlag['prerequisites'];
  segmentRefs: readonly string[];
}

/** The references of a flag that may not have the right shape. */
function referencesOf(raw: unknown): FlagReferences {
  if (!isPlainObject(raw)) return { prerequisites: EMPTY, segmentRefs: EMPTY };
  const prerequisites = (Array.isArray(raw.prerequisites) ? raw.prerequisites : [])
    .filter(isPlainObject)
    .map((p) => Object.freeze({ flag: String(p.flag), variation: String(p.variation) }));
  const segmentRefs = (Array.isArray(raw.rules) ? raw.rules : [])
    .filter(
      (rule): rule is { clauses: Clause[] } => isPlainObject(rule) && Array.isArray(rule.clauses),
    )
    .flatMap((rule) =>
      segmentReferences(rule.clauses.filter(isPlainObject), '').map((ref) => ref.key),
    );
  return { prerequisites: Object.freeze(prerequisites), segmentRefs: Object.freeze(segmentRefs) };
}

/** A flag that cannot be understood: it answers PARSE_ERROR and nothing else. */
export function brokenFlag(
  key: string,
  version: number,
  reason: string,
  base?: FlagReferences,
): CompiledFlag {
  const metadata: FlagMetadata = Number.isInteger(version) ? { flagVersion: version } : {};
  const parseErrorResult = errorResult('PARSE_ERROR', reason, metadata);
  return Object.freeze({
    key,
    version,
    type: 'boolean',
    enabled: false,
    variations: EMPTY,
    prerequisites: base?.prerequisites ?? EMPTY,
    targets: null,
    rules: EMPTY,
    fallthrough: Object.freeze({ kind: 'fixed', index: 0 }),
    hashPrefix: `${key}.${key}.`,
    segmentRefs: base?.segmentRefs ?? EMPTY,
    parseError: reason,
    results: Object.freeze({
      parseError: parseErrorResult,
      disabled: parseErrorResult,
      target: EMPTY,
      fallthrough: undefined,
      prerequisiteFailed: EMPTY,
    }),
  });
}

/**
 * Compiles one flag. A flag the SDK cannot understand (an unknown operator, an undefined
 * variation, an unusable clause value...) compiles to one that answers PARSE_ERROR.
 */
export function compileFlag(raw: unknown, key: string): CompiledFlag {
  const problems = flagProblems(raw, key);
  const version = isPlainObject(raw) && typeof raw.version === 'number' ? raw.version : 0;
  if (problems.length > 0) {
    return brokenFlag(
      key,
      version,
      `flag ${problems.map((p) => p.message).join('; ')}`,
      referencesOf(raw),
    );
  }
  const flag = raw as Flag;
  const metadata: FlagMetadata = { flagVersion: flag.version };
  const variations: CompiledVariation[] = flag.variations.map((v) =>
    Object.freeze({ name: v.name, value: v.value }),
  );
  const indexOf = new Map(variations.map((v, i) => [v.name, i]));

  let targets: CompiledFlag['targets'] = null;
  if (flag.targets !== undefined) {
    const byKey = new Map<string, number>();
    let hashed = false;
    for (const name of Object.keys(flag.targets)) {
      const set = compileKeySet(flag.targets[name]);
      if (set === null) continue;
      hashed = set.hashed;
      for (const key of set.keys) if (!byKey.has(key)) byKey.set(key, indexOf.get(name)!);
    }
    if (byKey.size > 0) targets = Object.freeze({ hashed, byKey });
  }

  const rawRules = flag.rules ?? [];
  const rules: CompiledRule[] = rawRules.map((rule, index) => {
    const serve = compileServe(rule, indexOf, rule.bucketBy);
    const threshold = rule.percentage === undefined ? -1 : percentageThreshold(rule.percentage)!;
    return Object.freeze({
      id: rule.id,
      index,
      clauses: Object.freeze(rule.clauses.map(compileClause)),
      serve,
      threshold,
      bucketBy: compileAttribute(rule.bucketBy),
      matchResult:
        serve.kind === 'fixed' && threshold < 0
          ? servedResult(variations[serve.index]!, 'TARGETING_MATCH', {
              ...metadata,
              ruleId: rule.id,
              ruleIndex: index,
            })
          : undefined,
      source: rule,
    });
  });

  const prerequisites = Object.freeze(
    (flag.prerequisites ?? []).map((p) => Object.freeze({ flag: p.flag, variation: p.variation })),
  );
  const fallthrough = compileServe(
    flag.fallthrough,
    indexOf,
    'bucketBy' in flag.fallthrough ? flag.fallthrough.bucketBy : undefined,
  );
  const isStatic = prerequisites.length === 0 && targets === null && rules.length === 0;
  const offIndex = flag.offVariation === undefined ? -1 : indexOf.get(flag.offVariation)!;
  const unserved = (
    reason: 'DISABLED' | 'PREREQUISITE_FAILED',
    extra: FlagMetadata = {},
  ): EvaluationResult =>
    offIndex >= 0
      ? servedResult(variations[offIndex]!, reason, { ...metadata, ...extra })
      : Object.freeze({ reason, flagMetadata: Object.freeze({ ...metadata, ...extra }) });

  return Object.freeze({
    key,
    version: flag.version,
    type: flag.type,
    enabled: flag.enabled,
    variations: Object.freeze(variations),
    prerequisites,
    targets,
    rules: Object.freeze(rules),
    fallthrough,
    hashPrefix: `${key}.${flag.salt ?? key}.`,
    segmentRefs: Object.freeze(
      rawRules.flatMap((rule) => segmentReferences(rule.clauses, '').map((ref) => ref.key)),
    ),
    parseError: undefined,
    results: Object.freeze({
      parseError: undefined,
      disabled: unserved('DISABLED'),
      target: Object.freeze(
        variations.map((v) => servedResult(v, 'TARGETING_MATCH', { ...metadata })),
      ),
      fallthrough:
        fallthrough.kind === 'fixed'
          ? servedResult(variations[fallthrough.index]!, isStatic ? 'STATIC' : 'DEFAULT', {
              ...metadata,
            })
          : undefined,
      prerequisiteFailed: Object.freeze(
        prerequisites.map((p) => unserved('PREREQUISITE_FAILED', { prerequisiteKey: p.flag })),
      ),
    }),
  });
}

/** Compiles one segment; one the SDK cannot understand carries a parseError. */
export function compileSegment(raw: unknown, key: string): CompiledSegment {
  const errors: ValidationError[] = [];
  checkSchema({ kind: 'ref', name: 'Segment' }, raw, '', errors, false);
  if (errors.length === 0) checkSegment(raw as Segment, '', errors);
  if (errors.length > 0) {
    return Object.freeze({
      key,
      version: isPlainObject(raw) && typeof raw.version === 'number' ? raw.version : 0,
      included: null,
      excluded: null,
      rules: EMPTY,
      hashPrefix: `${key}.${key}.`,
      segmentRefs: EMPTY,
      parseError: `segment ${key}${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`,
    });
  }
  const segment = raw as Segment;
  const rules = segment.rules ?? [];
  return Object.freeze({
    key,
    version: segment.version,
    included: compileKeySet(segment.included),
    excluded: compileKeySet(segment.excluded),
    rules: Object.freeze(
      rules.map((rule) =>
        Object.freeze({
          clauses: Object.freeze(rule.clauses.map(compileClause)),
          threshold: rule.percentage === undefined ? -1 : percentageThreshold(rule.percentage)!,
          bucketBy: compileAttribute(rule.bucketBy),
        }),
      ),
    ),
    hashPrefix: `${key}.${segment.salt ?? key}.`,
    segmentRefs: Object.freeze(
      rules.flatMap((rule) => segmentReferences(rule.clauses, '').map((ref) => ref.key)),
    ),
    parseError: undefined,
  });
}
