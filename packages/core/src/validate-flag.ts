import { flagTypeOf, hasOwn, isPlainObject } from './json';
import { percentageThreshold, WEIGHT_TOTAL } from './percentage';
import { isTargetingKeyAttribute } from './references';
import { escapePointerToken, parsePointer } from './json-pointer';
import {
  type Clause,
  FLAG_TYPES,
  type Flag,
  OPERATORS,
  type Prerequisite,
  type Rule,
  type Segment,
  type SegmentRule,
  type ValidationError,
  type WeightedVariation,
} from './model';
import { compileOperands } from './operators';

/** The items of an array that are objects; anything else was reported by the schema. */
const objectsOf = <T>(value: unknown): T[] =>
  (Array.isArray(value) ? value : []).map((item) =>
    isPlainObject(item) ? (item as T) : undefined,
  ) as T[];

const isHashedList = (value: unknown): value is { sha256: string[] } =>
  isPlainObject(value) && Array.isArray(value.sha256);

/** Checks one clause: attribute syntax, operator and operands. Paths are absolute. */
export function checkClause(clause: Clause, path: string, errors: ValidationError[]): void {
  if (!isPlainObject(clause)) return; // reported by the schema
  if (typeof clause.attribute === 'string' && clause.attribute.startsWith('/')) {
    if (parsePointer(clause.attribute) === undefined) {
      errors.push({ path: `${path}/attribute`, message: 'is not a valid JSON pointer (RFC 6901)' });
    }
  } else if (clause.attribute === '') {
    errors.push({ path: `${path}/attribute`, message: 'must not be empty' });
  }
  if (isHashedList(clause.values)) {
    if (clause.operator !== 'equals' || !isTargetingKeyAttribute(clause.attribute)) {
      errors.push({
        path: `${path}/values`,
        message: 'hashed values are only allowed with operator equals on the key attribute',
      });
    }
    return;
  }
  // Unknown operators and non-array values are reported by the schema.
  if (!Array.isArray(clause.values) || !(OPERATORS as readonly string[]).includes(clause.operator))
    return;
  const compiled = compileOperands(clause.operator, clause.values);
  if (!compiled.ok) {
    for (const { index, message } of compiled.errors) {
      errors.push(
        index < 0
          ? { path: `${path}/operator`, message }
          : { path: `${path}/values/${index}`, message },
      );
    }
  }
}

function checkWeights(
  weights: WeightedVariation[],
  path: string,
  variationNames: ReadonlySet<string>,
  errors: ValidationError[],
): void {
  let total = 0;
  objectsOf<WeightedVariation>(weights).forEach((entry, index) => {
    if (entry === undefined) return;
    if (typeof entry.variation === 'string' && !variationNames.has(entry.variation)) {
      errors.push({
        path: `${path}/${index}/variation`,
        message: `names an unknown variation ${JSON.stringify(entry.variation)}`,
      });
    }
    if (!Number.isInteger(entry.weight) || entry.weight < 0) {
      if (typeof entry.weight === 'number') {
        errors.push({ path: `${path}/${index}/weight`, message: 'must be a non-negative integer' });
      }
    } else {
      total += entry.weight;
    }
  });
  if (total !== WEIGHT_TOTAL) {
    errors.push({ path, message: `weights must sum to exactly ${WEIGHT_TOTAL}, got ${total}` });
  }
}

/** Checks a serve (fallthrough or rule): exactly one of variation and weights, known names. */
function checkServe(
  serve: { variation?: unknown; weights?: unknown; percentage?: unknown },
  path: string,
  variationNames: ReadonlySet<string>,
  errors: ValidationError[],
): void {
  const hasVariation = serve.variation !== undefined;
  const hasWeights = serve.weights !== undefined;
  if (hasVariation === hasWeights) {
    errors.push({ path, message: 'must have exactly one of "variation" and "weights"' });
  }
  if (typeof serve.variation === 'string' && !variationNames.has(serve.variation)) {
    errors.push({
      path: `${path}/variation`,
      message: `names an unknown variation ${JSON.stringify(serve.variation)}`,
    });
  }
  if (Array.isArray(serve.weights)) {
    checkWeights(serve.weights as WeightedVariation[], `${path}/weights`, variationNames, errors);
  }
  if (serve.percentage !== undefined) {
    if (hasWeights) {
      errors.push({
        path: `${path}/percentage`,
        message: 'is only allowed with a single variation, not weights',
      });
    } else if (percentageThreshold(serve.percentage) === undefined) {
      errors.push({
        path: `${path}/percentage`,
        message: 'must be between 0 and 100 with at most 3 decimals',
      });
    }
  }
}

function checkUniqueIds(
  rules: ({ id: string } | undefined)[],
  path: string,
  errors: ValidationError[],
): void {
  const seen = new Set<string>();
  rules.forEach((rule, index) => {
    if (rule === undefined || typeof rule.id !== 'string') return;
    if (rule.id === '') errors.push({ path: `${path}/${index}/id`, message: 'must not be empty' });
    else if (seen.has(rule.id)) {
      errors.push({
        path: `${path}/${index}/id`,
        message: `duplicates rule id ${JSON.stringify(rule.id)}`,
      });
    }
    seen.add(rule.id);
  });
}

/**
 * The checks of one flag that need nothing but the flag (DESIGN §2): variation names and
 * values, every variation reference, serves, weights, percentages, rule ids, clauses and
 * targets. Assumes the flag already passed the schema. References to other flags and
 * segments are checked by validateSnapshot.
 */
export function checkFlag(flag: Flag, path: string, errors: ValidationError[]): void {
  const names = new Set<string>();
  const variations = objectsOf<Flag['variations'][number]>(flag.variations);
  variations.forEach((variation, index) => {
    if (variation === undefined || typeof variation.name !== 'string') return;
    if (names.has(variation.name)) {
      errors.push({
        path: `${path}/variations/${index}/name`,
        message: `duplicates variation ${JSON.stringify(variation.name)}`,
      });
    }
    if (variation.name === '')
      errors.push({ path: `${path}/variations/${index}/name`, message: 'must not be empty' });
    names.add(variation.name);
    if (
      variation.value !== undefined &&
      flagTypeOf(variation.value) !== flag.type &&
      (FLAG_TYPES as readonly string[]).includes(flag.type)
    ) {
      errors.push({
        path: `${path}/variations/${index}/value`,
        message: `must be of the flag's type ${flag.type}`,
      });
    }
  });
  if (Array.isArray(flag.variations) && flag.variations.length === 0)
    errors.push({ path: `${path}/variations`, message: 'must not be empty' });
  if (typeof flag.offVariation === 'string' && !names.has(flag.offVariation)) {
    errors.push({
      path: `${path}/offVariation`,
      message: `names an unknown variation ${JSON.stringify(flag.offVariation)}`,
    });
  }
  objectsOf<Prerequisite>(flag.prerequisites).forEach((prerequisite, index) => {
    if (prerequisite !== undefined && prerequisite.flag === flag.key) {
      errors.push({
        path: `${path}/prerequisites/${index}/flag`,
        message: 'a flag cannot be its own prerequisite',
      });
    }
  });
  if (isPlainObject(flag.targets)) {
    const targetedTo = new Map<string, string>();
    for (const name of Object.keys(flag.targets)) {
      const listPath = `${path}/targets/${escapePointerToken(name)}`;
      if (!names.has(name))
        errors.push({
          path: listPath,
          message: `names an unknown variation ${JSON.stringify(name)}`,
        });
      const list = flag.targets[name]!;
      const keys: unknown[] = Array.isArray(list) ? list : isHashedList(list) ? list.sha256 : [];
      keys.forEach((key, index) => {
        if (typeof key !== 'string') return;
        const other = targetedTo.get(key);
        if (other !== undefined && other !== name) {
          errors.push({
            path: `${listPath}${Array.isArray(list) ? '' : '/sha256'}/${index}`,
            message: `key is already targeted to variation ${JSON.stringify(other)}`,
          });
        }
        targetedTo.set(key, name);
      });
    }
  }
  const rules = objectsOf<Rule>(flag.rules);
  checkUniqueIds(rules, `${path}/rules`, errors);
  rules.forEach((rule, index) => {
    if (rule === undefined) return;
    const rulePath = `${path}/rules/${index}`;
    checkServe(rule, rulePath, names, errors);
    objectsOf<Clause>(rule.clauses).forEach((clause, c) =>
      checkClause(clause, `${rulePath}/clauses/${c}`, errors),
    );
  });
  if (isPlainObject(flag.fallthrough)) {
    if (hasOwn(flag.fallthrough, 'percentage')) {
      errors.push({
        path: `${path}/fallthrough/percentage`,
        message: 'is not allowed on the fallthrough',
      });
    }
    checkServe(flag.fallthrough, `${path}/fallthrough`, names, errors);
  }
  if (isPlainObject(flag.rollout) && typeof flag.rollout.variation === 'string') {
    if (!names.has(flag.rollout.variation)) {
      errors.push({
        path: `${path}/rollout/variation`,
        message: `names an unknown variation ${JSON.stringify(flag.rollout.variation)}`,
      });
    }
  }
}

/** The checks of one segment that need nothing but the segment. */
export function checkSegment(segment: Segment, path: string, errors: ValidationError[]): void {
  const rules = objectsOf<SegmentRule>(segment.rules);
  checkUniqueIds(rules, `${path}/rules`, errors);
  rules.forEach((rule, index) => {
    if (rule === undefined) return;
    const rulePath = `${path}/rules/${index}`;
    if (rule.percentage !== undefined && percentageThreshold(rule.percentage) === undefined) {
      errors.push({
        path: `${rulePath}/percentage`,
        message: 'must be between 0 and 100 with at most 3 decimals',
      });
    }
    objectsOf<Clause>(rule.clauses).forEach((clause, c) =>
      checkClause(clause, `${rulePath}/clauses/${c}`, errors),
    );
  });
}
