import { hasOwn } from './json';
import { parsePointer, resolvePointer } from './json-pointer';
import type { EvaluationContext } from './model';
import { isTargetingKeyAttribute } from './references';

/** A clause or bucketBy attribute, resolved once at compile time. */
export type AttributeRef =
  | { kind: 'targetingKey' }
  | { kind: 'name'; name: string }
  | { kind: 'pointer'; tokens: readonly string[] };

const TARGETING_KEY: AttributeRef = Object.freeze({ kind: 'targetingKey' });

/**
 * Compiles an attribute name: `key` and `targetingKey` mean the targeting key; a name
 * starting with `/` is an RFC 6901 pointer; anything else is a top-level attribute.
 */
export function compileAttribute(attribute: string | undefined): AttributeRef {
  if (attribute === undefined || isTargetingKeyAttribute(attribute)) return TARGETING_KEY;
  if (attribute.startsWith('/')) {
    const tokens = parsePointer(attribute);
    // An invalid pointer resolves to nothing (validation reports it when written).
    return Object.freeze({ kind: 'pointer', tokens: Object.freeze(tokens ?? ['\u0000invalid']) });
  }
  return Object.freeze({ kind: 'name', name: attribute });
}

/**
 * The targeting key of a context: OpenFeature's `targetingKey`, an own property only. A
 * context attribute named `key` is just an attribute (clauses name the targeting key as
 * `key` or `targetingKey`, but contexts carry it as `targetingKey`).
 */
export function targetingKeyOf(context: EvaluationContext): unknown {
  return hasOwn(context, 'targetingKey') ? context.targetingKey : undefined;
}

/** The value of an attribute in a context; undefined when absent or unresolved. */
export function resolveAttribute(ref: AttributeRef, context: EvaluationContext): unknown {
  switch (ref.kind) {
    case 'targetingKey':
      return targetingKeyOf(context);
    case 'name':
      return hasOwn(context, ref.name) ? context[ref.name] : undefined;
    case 'pointer':
      return resolvePointer(context, ref.tokens);
  }
}

/** The text hashed for a bucket: a string as is, an integer as its decimal string; else undefined. */
export function bucketValueOf(ref: AttributeRef, context: EvaluationContext): string | undefined {
  const value = resolveAttribute(ref, context);
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isInteger(value)) return String(value);
  return undefined;
}

/** How an attribute is named in messages. */
export const describeAttribute = (ref: AttributeRef): string =>
  ref.kind === 'targetingKey'
    ? 'targetingKey'
    : ref.kind === 'name'
      ? ref.name
      : `/${ref.tokens.join('/')}`;
