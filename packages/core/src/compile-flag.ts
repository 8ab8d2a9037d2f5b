import { compileAttribute } from './attributes';
import {
  keyListAt,
  listAt,
  objectAt,
  optionalStringAt,
  stringAt,
  Unreadable,
  unreadable,
} from './compile-guards';
import type {
  CompiledClause,
  CompiledFlag,
  CompiledKeySet,
  CompiledRule,
  CompiledSegment,
  CompiledServe,
  CompiledVariation,
} from './compiled-model';
import { flagTypeOf, hashedKeysOf, isPlainObject } from './json';
import { parsePointer } from './json-pointer';
import {
  type ErrorResult,
  type EvaluationResult,
  FLAG_TYPES,
  type FlagMetadata,
  type FlagType,
  type JsonValue,
  type Operator,
  type Reason,
  type Rule,
} from './model';
import { compileOperands, type ValueTest } from './operators';
import { percentageThreshold, WEIGHT_TOTAL } from './percentage';
import { isTargetingKeyAttribute, segmentReferences } from './references';
import { hashPrefix } from './sha1';

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

function compileKeySet(value: unknown, what: string): CompiledKeySet | null {
  if (value === undefined) return null;
  const { hashed, keys } = keyListAt(value, what);
  return keys.length === 0 ? null : { hashed, keys: new Set(keys) };
}

function compileClause(raw: unknown, what: string): CompiledClause {
  const clause = objectAt(raw, what);
  const operator = stringAt(clause.operator, `${what} operator`);
  if (clause.negate !== undefined && typeof clause.negate !== 'boolean') {
    unreadable(`${what} negate is not a boolean`);
  }
  const negate = clause.negate === true;
  if (operator === 'inSegment') {
    const keys = listAt(clause.values, `${what} values`).map((v) =>
      stringAt(v, `${what} segment key`),
    );
    return Object.freeze({ kind: 'segment', negate, segmentKeys: Object.freeze(keys) });
  }
  const name = stringAt(clause.attribute, `${what} attribute`);
  if (name === '' || (name.startsWith('/') && parsePointer(name) === undefined)) {
    unreadable(`${what} attribute ${JSON.stringify(name)} is not a name or a JSON pointer`);
  }
  const attribute = compileAttribute(name);
  if (hashedKeysOf(clause.values) !== undefined) {
    if (operator !== 'equals' || !isTargetingKeyAttribute(name)) {
      unreadable(`${what} hashes the values of a clause that is not "key equals"`);
    }
    const hashes = new Set(keyListAt(clause.values, `${what} values`).keys);
    return Object.freeze({ kind: 'hashedKey', attribute, negate, hashes });
  }
  const values = listAt(clause.values, `${what} values`) as JsonValue[];
  const operands = compileOperands(operator as Operator, values);
  if (!operands.ok) unreadable(`${what}: ${operands.errors.map((e) => e.message).join('; ')}`);
  return Object.freeze({
    kind: 'value',
    attribute,
    negate,
    test: (operands as { test: ValueTest }).test,
  });
}

function variationIndex(indexOf: ReadonlyMap<string, number>, name: unknown, what: string): number {
  const index = indexOf.get(stringAt(name, what));
  return index ?? unreadable(`${what} names an undefined variation ${JSON.stringify(name)}`);
}

function compileServe(
  serve: Record<string, unknown>,
  indexOf: ReadonlyMap<string, number>,
  what: string,
): CompiledServe {
  if ((serve.variation === undefined) === (serve.weights === undefined)) {
    unreadable(`${what} must have exactly one of variation and weights`);
  }
  const bucketBy = optionalStringAt(serve.bucketBy, `${what} bucketBy`);
  if (serve.weights === undefined) {
    return Object.freeze({ kind: 'fixed', index: variationIndex(indexOf, serve.variation, what) });
  }
  const cumulative: number[] = [];
  const indices: number[] = [];
  let sum = 0;
  for (const raw of listAt(serve.weights, `${what} weights`)) {
    const entry = objectAt(raw, `${what} weight`);
    const weight = entry.weight;
    if (typeof weight !== 'number' || !Number.isInteger(weight) || weight < 0) {
      unreadable(`${what} has a weight that is not a non-negative integer`);
    }
    sum += weight as number;
    cumulative.push(sum);
    indices.push(variationIndex(indexOf, entry.variation, `${what} weight`));
  }
  if (sum !== WEIGHT_TOTAL) unreadable(`${what} weights sum to ${sum}, not ${WEIGHT_TOTAL}`);
  return Object.freeze({
    kind: 'split',
    cumulative: Object.freeze(cumulative),
    indices: Object.freeze(indices),
    bucketBy: compileAttribute(bucketBy),
  });
}

function thresholdOf(percentage: unknown, what: string): number {
  if (percentage === undefined) return -1;
  return (
    percentageThreshold(percentage) ??
    unreadable(`${what} percentage must be 0-100 with at most 3 decimals`)
  );
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
  const segmentRefs = (Array.isArray(raw.rules) ? raw.rules : []).flatMap((rule: unknown) =>
    segmentReferences(isPlainObject(rule) ? rule.clauses : [], '').map((ref) => ref.key),
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
    hashPrefix: hashPrefix(`${key}.${key}.`),
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
 * variation, an unusable clause value, a field of the wrong type...) compiles to one that
 * answers PARSE_ERROR; the others are unaffected. Lenient about unknown fields, so optional
 * fields from a newer relay do not break older SDKs.
 */
export function compileFlag(raw: unknown, key: string): CompiledFlag {
  try {
    return compileReadableFlag(raw, key);
  } catch (error) {
    const version = isPlainObject(raw) && typeof raw.version === 'number' ? raw.version : 0;
    const reason =
      error instanceof Unreadable ? error.message : `cannot be compiled (${String(error)})`;
    return brokenFlag(key, version, `flag ${key}: ${reason}`, referencesOf(raw));
  }
}

function compileReadableFlag(raw: unknown, key: string): CompiledFlag {
  const flag = objectAt(raw, 'flag');
  const version = flag.version;
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 0)
    unreadable('version is not a non-negative integer');
  const type = flag.type as FlagType;
  if (!FLAG_TYPES.includes(type)) unreadable(`type ${JSON.stringify(flag.type)} is unknown`);
  if (typeof flag.enabled !== 'boolean') unreadable('enabled is not a boolean');
  const metadata: FlagMetadata = { flagVersion: version as number };

  const variations: CompiledVariation[] = listAt(flag.variations, 'variations').map(
    (rawVariation, i) => {
      const variation = objectAt(rawVariation, `variation ${i}`);
      const name = stringAt(variation.name, `variation ${i} name`);
      if (flagTypeOf(variation.value) !== type)
        unreadable(`variation ${name} is not of type ${type}`);
      return Object.freeze({ name, value: variation.value as JsonValue });
    },
  );
  const indexOf = new Map(variations.map((v, i) => [v.name, i]));
  if (variations.length === 0 || indexOf.size !== variations.length)
    unreadable('variations are empty or repeat a name');

  let targets: CompiledFlag['targets'] = null;
  if (flag.targets !== undefined) {
    const byKey = new Map<string, number>();
    let hashed = false;
    const lists = objectAt(flag.targets, 'targets');
    for (const name of Object.keys(lists)) {
      const index = variationIndex(indexOf, name, 'targets');
      const set = compileKeySet(lists[name], `targets of ${name}`);
      if (set === null) continue;
      hashed = set.hashed;
      for (const targeted of set.keys) if (!byKey.has(targeted)) byKey.set(targeted, index);
    }
    if (byKey.size > 0) targets = Object.freeze({ hashed, byKey });
  }

  const rawRules = listAt(flag.rules, 'rules');
  const rules: CompiledRule[] = rawRules.map((rawRule, index) => {
    const rule = objectAt(rawRule, `rule ${index}`);
    const what = `rule ${index}`;
    const id = stringAt(rule.id, `${what} id`);
    const serve = compileServe(rule, indexOf, what);
    const threshold = thresholdOf(rule.percentage, what);
    if (threshold >= 0 && serve.kind !== 'fixed')
      unreadable(`${what} has a percentage with weights`);
    return Object.freeze({
      id,
      index,
      clauses: Object.freeze(
        listAt(rule.clauses, `${what} clauses`).map((c, i) =>
          compileClause(c, `${what} clause ${i}`),
        ),
      ),
      serve,
      threshold,
      bucketBy: compileAttribute(optionalStringAt(rule.bucketBy, `${what} bucketBy`)),
      matchResult:
        serve.kind === 'fixed' && threshold < 0
          ? servedResult(variations[serve.index]!, 'TARGETING_MATCH', {
              ...metadata,
              ruleId: id,
              ruleIndex: index,
            })
          : undefined,
      source: rule as unknown as Rule,
    });
  });

  const prerequisites = Object.freeze(
    listAt(flag.prerequisites, 'prerequisites').map((rawPrerequisite, i) => {
      const prerequisite = objectAt(rawPrerequisite, `prerequisite ${i}`);
      return Object.freeze({
        flag: stringAt(prerequisite.flag, `prerequisite ${i} flag`),
        variation: stringAt(prerequisite.variation, `prerequisite ${i} variation`),
      });
    }),
  );
  const fallthroughServe = objectAt(flag.fallthrough, 'fallthrough');
  if (fallthroughServe.percentage !== undefined) unreadable('fallthrough has a percentage');
  const fallthrough = compileServe(fallthroughServe, indexOf, 'fallthrough');
  const isStatic = prerequisites.length === 0 && targets === null && rules.length === 0;
  const offIndex =
    flag.offVariation === undefined
      ? -1
      : variationIndex(indexOf, flag.offVariation, 'offVariation');
  const unserved = (
    reason: 'DISABLED' | 'PREREQUISITE_FAILED',
    extra: FlagMetadata = {},
  ): EvaluationResult =>
    offIndex >= 0
      ? servedResult(variations[offIndex]!, reason, { ...metadata, ...extra })
      : Object.freeze({ reason, flagMetadata: Object.freeze({ ...metadata, ...extra }) });
  const salt = optionalStringAt(flag.salt, 'salt') ?? key;

  return Object.freeze({
    key,
    version: version as number,
    type,
    enabled: flag.enabled as boolean,
    variations: Object.freeze(variations),
    prerequisites,
    targets,
    rules: Object.freeze(rules),
    fallthrough,
    hashPrefix: hashPrefix(`${key}.${salt}.`),
    segmentRefs: Object.freeze(
      rules.flatMap((rule) =>
        rule.clauses.flatMap((c) => (c.kind === 'segment' ? c.segmentKeys : [])),
      ),
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
  try {
    const segment = objectAt(raw, 'segment');
    const version =
      typeof segment.version === 'number' ? segment.version : unreadable('version is not a number');
    const rules = listAt(segment.rules, 'rules').map((rawRule, index) => {
      const rule = objectAt(rawRule, `rule ${index}`);
      return Object.freeze({
        clauses: Object.freeze(
          listAt(rule.clauses, `rule ${index} clauses`).map((c, i) =>
            compileClause(c, `rule ${index} clause ${i}`),
          ),
        ),
        threshold: thresholdOf(rule.percentage, `rule ${index}`),
        bucketBy: compileAttribute(optionalStringAt(rule.bucketBy, `rule ${index} bucketBy`)),
      });
    });
    return Object.freeze({
      key,
      version,
      included: compileKeySet(segment.included, 'included'),
      excluded: compileKeySet(segment.excluded, 'excluded'),
      rules: Object.freeze(rules),
      hashPrefix: hashPrefix(`${key}.${optionalStringAt(segment.salt, 'salt') ?? key}.`),
      segmentRefs: Object.freeze(
        rules.flatMap((rule) =>
          rule.clauses.flatMap((c) => (c.kind === 'segment' ? c.segmentKeys : [])),
        ),
      ),
      parseError: undefined,
    });
  } catch (error) {
    const reason =
      error instanceof Unreadable ? error.message : `cannot be compiled (${String(error)})`;
    return Object.freeze({
      key,
      version: isPlainObject(raw) && typeof raw.version === 'number' ? raw.version : 0,
      included: null,
      excluded: null,
      rules: EMPTY,
      hashPrefix: hashPrefix(`${key}.${key}.`),
      segmentRefs: Object.freeze(
        isPlainObject(raw) && Array.isArray(raw.rules)
          ? raw.rules.flatMap((rule) =>
              segmentReferences(isPlainObject(rule) ? rule.clauses : [], '').map((r) => r.key),
            )
          : [],
      ),
      parseError: `segment ${key}: ${reason}`,
    });
  }
}
