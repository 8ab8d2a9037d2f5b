import { isPlainObject } from './json';
import type { Clause, Flag, JsonValue, KeyList, Segment, Snapshot } from './model';
import { hashContextKey } from './sha256';
import { isTargetingKeyAttribute, segmentReferences } from './references';

const hashList = (list: KeyList, salt: string): KeyList =>
  Array.isArray(list) ? { sha256: list.map((key) => hashContextKey(salt, key)) } : list;

/** A clause on the targeting key with `equals` lists context keys too: hash them. */
function hashClause(clause: Clause, salt: string): Clause {
  if (
    clause.operator !== 'equals' ||
    !isTargetingKeyAttribute(clause.attribute) ||
    !Array.isArray(clause.values) ||
    !clause.values.every((value: JsonValue) => typeof value === 'string')
  ) {
    return clause;
  }
  return {
    ...clause,
    values: { sha256: (clause.values as string[]).map((key) => hashContextKey(salt, key)) },
  };
}

function clientFlag(flag: Flag, salt: string): Flag {
  const { rollout: _adminOnly, ...rest } = flag;
  const copy: Flag = { ...rest };
  if (flag.targets !== undefined) {
    copy.targets = Object.fromEntries(
      Object.entries(flag.targets).map(([name, list]) => [name, hashList(list, salt)]),
    );
  }
  if (flag.rules !== undefined) {
    copy.rules = flag.rules.map((rule) => ({
      ...rule,
      clauses: rule.clauses.map((c) => hashClause(c, salt)),
    }));
  }
  return copy;
}

function clientSegment(segment: Segment, salt: string): Segment {
  const copy: Segment = { ...segment };
  if (segment.included !== undefined) copy.included = hashList(segment.included, salt);
  if (segment.excluded !== undefined) copy.excluded = hashList(segment.excluded, salt);
  if (segment.rules !== undefined) {
    copy.rules = segment.rules.map((rule) => ({
      ...rule,
      clauses: rule.clauses.map((c) => hashClause(c, salt)),
    }));
  }
  return copy;
}

/** The keys of the segments the given flags use, directly or through other segments. */
export function segmentsUsedBy(
  flags: readonly Flag[],
  segments: Readonly<Record<string, Segment>>,
): Set<string> {
  const used = new Set<string>();
  const pending = flags.flatMap((flag) =>
    (flag.rules ?? []).flatMap((rule) => segmentReferences(rule.clauses, '')),
  );
  while (pending.length > 0) {
    const { key } = pending.pop()!;
    if (used.has(key) || !isPlainObject(segments[key])) continue;
    used.add(key);
    for (const rule of segments[key]!.rules ?? [])
      pending.push(...segmentReferences(rule.clauses, ''));
  }
  return used;
}

/**
 * The snapshot a browser may see (DESIGN §5): only clientSide flags and the segments they
 * use, no admin-only fields, and every list of context keys (targets, segment included and
 * excluded, `key equals` clauses) replaced by salted SHA-256 hashes. The salt travels as
 * `keySalt` so the evaluator can hash the context key to compare.
 */
export function toClientSnapshot(snapshot: Snapshot, environmentSalt: string): Snapshot {
  const flags = Object.values(snapshot.flags).filter((flag) => flag.clientSide === true);
  const used = segmentsUsedBy(flags, snapshot.segments);
  return {
    schemaVersion: snapshot.schemaVersion,
    environment: snapshot.environment,
    version: snapshot.version,
    flags: Object.fromEntries(flags.map((flag) => [flag.key, clientFlag(flag, environmentSalt)])),
    segments: Object.fromEntries(
      [...used].map((key) => [key, clientSegment(snapshot.segments[key]!, environmentSalt)]),
    ),
    keySalt: environmentSalt,
  };
}

/** The snapshot a server SDK sees: everything but admin-only fields (progressive rollouts). */
export function toServerSnapshot(snapshot: Snapshot): Snapshot {
  const hasAdminFields = Object.values(snapshot.flags).some((flag) => flag.rollout !== undefined);
  if (!hasAdminFields) return snapshot;
  return {
    ...snapshot,
    flags: Object.fromEntries(
      Object.entries(snapshot.flags).map(([key, flag]) => {
        const { rollout: _adminOnly, ...rest } = flag;
        return [key, rest];
      }),
    ),
  };
}
