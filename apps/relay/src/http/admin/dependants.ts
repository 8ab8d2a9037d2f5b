import type { Clause, Snapshot } from '@switchyard/core';
import { entryPointer } from './entry-errors';

/** Something that names a flag or segment, and where. */
export interface Dependant {
  kind: 'flag' | 'segment';
  key: string;
  /** Snapshot pointer of the reference. */
  path: string;
}

const namesSegment = (clauses: readonly Clause[] | undefined, segmentKey: string): number =>
  (clauses ?? []).findIndex(
    (clause) =>
      clause.operator === 'inSegment' &&
      Array.isArray(clause.values) &&
      clause.values.includes(segmentKey),
  );

/** Flags that name `flagKey` as a prerequisite. */
export function dependantsOfFlag(snapshot: Snapshot, flagKey: string): Dependant[] {
  const found: Dependant[] = [];
  for (const flag of Object.values(snapshot.flags)) {
    const index = (flag.prerequisites ?? []).findIndex(
      (prerequisite) => prerequisite.flag === flagKey,
    );
    if (flag.key !== flagKey && index >= 0) {
      found.push({
        kind: 'flag',
        key: flag.key,
        path: `${entryPointer('flag', flag.key)}/prerequisites/${index}/flag`,
      });
    }
  }
  return found;
}

/** Flags and segments whose rules use `segmentKey` (inSegment). */
export function dependantsOfSegment(snapshot: Snapshot, segmentKey: string): Dependant[] {
  const found: Dependant[] = [];
  const scan = (
    kind: 'flag' | 'segment',
    key: string,
    rules: readonly { clauses: Clause[] }[] | undefined,
  ): void => {
    (rules ?? []).forEach((rule, ruleIndex) => {
      const clause = namesSegment(rule.clauses, segmentKey);
      if (clause >= 0)
        found.push({
          kind,
          key,
          path: `${entryPointer(kind, key)}/rules/${ruleIndex}/clauses/${clause}/values`,
        });
    });
  };
  for (const flag of Object.values(snapshot.flags)) scan('flag', flag.key, flag.rules);
  for (const segment of Object.values(snapshot.segments))
    if (segment.key !== segmentKey) scan('segment', segment.key, segment.rules);
  return found;
}
