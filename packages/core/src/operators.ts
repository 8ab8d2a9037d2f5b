import { toEpochMillis } from './dates';
import { jsonEqual } from './json';
import type { JsonValue, Operator } from './model';
import { whyRegexIsUnsafe } from './regex-safety';
import { compareSemVer, parseSemVer, type SemVer } from './semver';

/** Tests one context value (never an array at the top: arrays are matched element-wise). */
export type ValueTest = (value: unknown) => boolean;

/** The operands of a clause compiled for its operator, or why they cannot be used. */
export type CompiledOperands =
  { ok: true; test: ValueTest } | { ok: false; errors: { index: number; message: string }[] };

type OperandParser<T> = (value: JsonValue) => T | string;

/** Parses every operand, collecting a message per unusable one. */
function parseOperands<T>(
  values: readonly JsonValue[],
  parse: OperandParser<T>,
): { parsed: T[]; errors: { index: number; message: string }[] } {
  const parsed: T[] = [];
  const errors: { index: number; message: string }[] = [];
  values.forEach((value, index) => {
    const result = parse(value);
    if (typeof result === 'string' && result.startsWith('!'))
      errors.push({ index, message: result.slice(1) });
    else parsed.push(result as T);
  });
  return { parsed, errors };
}

// Parsers answer the operand, or "!reason" when the operator cannot use it.
const asString: OperandParser<string> = (v) =>
  typeof v === 'string' ? v : '!must be a string for this operator';
const asNumber: OperandParser<number> = (v) =>
  typeof v === 'number' && Number.isFinite(v) ? v : '!must be a number for this operator';
const asDate: OperandParser<number> = (v) =>
  toEpochMillis(v) ??
  '!must be a date: epoch milliseconds or an RFC 3339 date-time with seconds and a zone';
const asSemVer: OperandParser<SemVer | string> = (v) =>
  (typeof v === 'string' ? parseSemVer(v) : undefined) ??
  '!must be a semantic version like 2.1.0 or 2-rc.1';
const asRegex: OperandParser<RegExp> = (v) => {
  if (typeof v !== 'string') return '!must be a string pattern';
  const why = whyRegexIsUnsafe(v);
  return why === undefined ? new RegExp(v, 'u') : `!pattern ${why}`;
};

function build<T>(
  values: readonly JsonValue[],
  parse: OperandParser<T>,
  makeTest: (operands: T[]) => ValueTest,
): CompiledOperands {
  const { parsed, errors } = parseOperands(values, parse);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, test: makeTest(parsed) };
}

const never: ValueTest = () => false;

function equalsTest(values: readonly JsonValue[]): ValueTest {
  // Set semantics (SameValueZero) are exactly JSON equality for primitives: "1" !== 1, true !== 1.
  const primitives = new Set<unknown>();
  const structured: JsonValue[] = [];
  for (const value of values) {
    if (typeof value === 'object' && value !== null) structured.push(value);
    else primitives.add(value);
  }
  if (structured.length === 0) {
    // One operand, the common case: a comparison, no Set lookup.
    if (primitives.size === 1) {
      const [only] = primitives;
      return (v) => v === only;
    }
    return (v) => primitives.has(v);
  }
  return (v) =>
    typeof v === 'object' && v !== null
      ? structured.some((s) => jsonEqual(v, s))
      : primitives.has(v);
}

function compareNumbers(operator: Operator): (a: number, b: number) => boolean {
  switch (operator) {
    case 'lessThan':
    case 'before':
      return (a, b) => a < b;
    case 'lessThanOrEqual':
      return (a, b) => a <= b;
    case 'greaterThan':
    case 'after':
      return (a, b) => a > b;
    default:
      return (a, b) => a >= b;
  }
}

/**
 * Compiles the operands of a clause once per snapshot (regexes, dates, versions) into a
 * test of one context value. There is no coercion: a context value of the wrong type for
 * the operator does not match. `inSegment` is handled by the evaluator, not here.
 */
export function compileOperands(
  operator: Operator,
  values: readonly JsonValue[],
): CompiledOperands {
  switch (operator) {
    case 'equals':
      return { ok: true, test: values.length === 0 ? never : equalsTest(values) };
    case 'contains':
      return build(
        values,
        asString,
        (ops) => (v) => typeof v === 'string' && ops.some((o) => v.includes(o)),
      );
    case 'startsWith':
      return build(
        values,
        asString,
        (ops) => (v) => typeof v === 'string' && ops.some((o) => v.startsWith(o)),
      );
    case 'endsWith':
      return build(
        values,
        asString,
        (ops) => (v) => typeof v === 'string' && ops.some((o) => v.endsWith(o)),
      );
    case 'matches':
      return build(
        values,
        asRegex,
        (ops) => (v) => typeof v === 'string' && ops.some((re) => re.test(v)),
      );
    case 'lessThan':
    case 'lessThanOrEqual':
    case 'greaterThan':
    case 'greaterThanOrEqual': {
      const compare = compareNumbers(operator);
      return build(
        values,
        asNumber,
        (ops) => (v) => typeof v === 'number' && ops.some((o) => compare(v, o)),
      );
    }
    case 'before':
    case 'after': {
      const compare = compareNumbers(operator);
      return build(values, asDate, (ops) => (v) => {
        const millis = toEpochMillis(v);
        return millis !== undefined && ops.some((o) => compare(millis, o));
      });
    }
    case 'semVerEqual':
    case 'semVerLessThan':
    case 'semVerGreaterThan': {
      const wanted = operator === 'semVerEqual' ? 0 : operator === 'semVerLessThan' ? -1 : 1;
      return build(values, asSemVer, (ops) => (v) => {
        const version = typeof v === 'string' ? parseSemVer(v) : undefined;
        return (
          version !== undefined &&
          ops.some((o) => Math.sign(compareSemVer(version, o as SemVer)) === wanted)
        );
      });
    }
    case 'inSegment':
      return build(values, asString, () => never);
    default:
      return {
        ok: false,
        errors: [{ index: -1, message: `unknown operator ${JSON.stringify(operator)}` }],
      };
  }
}
