import type { FlagType, JsonValue } from './model';

/** Own-property lookup that never reaches the prototype chain (`__proto__`, `constructor`). */
export const hasOwn = (object: object, key: string): boolean =>
  Object.prototype.hasOwnProperty.call(object, key);

/** A version or other count: a non-negative safe integer. */
export const isVersion = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/** A plain object (not an array, not null). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * JSON equality: same JSON type and value, numbers compared numerically, arrays and objects
 * structurally (key order ignored). No coercion: `true` never equals `1`, `"1"` never `1`.
 */
export function jsonEqual(a: unknown, b: unknown, depth = 0): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (depth > 64) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i], depth + 1)) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const aKeys = Object.keys(a);
  if (aKeys.length !== Object.keys(b).length) return false;
  for (const key of aKeys) {
    if (!hasOwn(b, key)) return false;
    if (
      !jsonEqual(
        (a as Record<string, unknown>)[key],
        (b as Record<string, unknown>)[key],
        depth + 1,
      )
    ) {
      return false;
    }
  }
  return true;
}

/** The flag type a JSON value belongs to, or undefined for null and non-JSON values. */
export function flagTypeOf(value: unknown): FlagType | undefined {
  const type = typeof value;
  return type === 'boolean' ||
    type === 'string' ||
    (type === 'number' && Number.isFinite(value)) ||
    (type === 'object' && value !== null)
    ? (type as FlagType)
    : undefined;
}

/** Why `value` is not plain JSON (a non-finite number, a function, a class instance, too deep), or undefined. */
export function whyNotJson(value: unknown, depth = 0): string | undefined {
  if (depth > 64) return 'is nested more than 64 levels deep';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : 'is not a finite number';
    case 'object': {
      if (value === null) return undefined;
      if (Array.isArray(value)) {
        for (const item of value) {
          const why = whyNotJson(item, depth + 1);
          if (why !== undefined) return why;
        }
        return undefined;
      }
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) return 'is not a plain JSON object';
      for (const key of Object.keys(value)) {
        const why = whyNotJson((value as Record<string, unknown>)[key], depth + 1);
        if (why !== undefined) return why;
      }
      return undefined;
    }
    default:
      return `is a ${typeof value}, not JSON`;
  }
}

/** Narrows to a JSON value (see whyNotJson). */
export const isJsonValue = (value: unknown): value is JsonValue => whyNotJson(value) === undefined;

/** The hashes of a hashed key list `{ sha256: [...] }`, or undefined for anything else. */
export function hashedKeysOf(value: unknown): unknown[] | undefined {
  return isPlainObject(value) && Array.isArray(value.sha256) ? value.sha256 : undefined;
}
