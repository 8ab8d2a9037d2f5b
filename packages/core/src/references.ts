import type { Clause, JsonValue } from './model';

/** The attribute names that mean the targeting key. */
export const isTargetingKeyAttribute = (attribute: unknown): boolean =>
  attribute === 'key' || attribute === 'targetingKey';

/** The segment keys a list of clauses refers to, with the path of each reference. */
export function segmentReferences(clauses: unknown, path: string): { key: string; path: string }[] {
  const references: { key: string; path: string }[] = [];
  if (!Array.isArray(clauses)) return references;
  clauses.forEach((clause: Partial<Clause> | null, c) => {
    if (
      clause === null ||
      typeof clause !== 'object' ||
      clause.operator !== 'inSegment' ||
      !Array.isArray(clause.values)
    ) {
      return;
    }
    (clause.values as JsonValue[]).forEach((value, v) => {
      if (typeof value === 'string')
        references.push({ key: value, path: `${path}/clauses/${c}/values/${v}` });
    });
  });
  return references;
}
