import { compileSnapshot, type CompileOptions } from './compile';
import type { CompiledSnapshot } from './compiled-model';
import { hasOwn, isPlainObject, isVersion, jsonEqual } from './json';
import type { Flag, Patch, Segment, Snapshot } from './model';

/** What applyPatch answers: the next snapshot and what changed, or why the patch was refused. */
export type ApplyPatchResult =
  | { ok: true; compiled: CompiledSnapshot; changedFlags: string[] }
  | { ok: false; reason: 'stale' | 'gap' | 'invalid'; message: string };

function whyPatchIsMalformed(patch: unknown): string | undefined {
  if (!isPlainObject(patch)) return 'patch must be an object';
  if (!isVersion(patch.version)) return 'patch version must be a non-negative integer';
  if (patch.from !== undefined && !isVersion(patch.from))
    return 'patch from must be a non-negative integer';
  for (const field of ['flags', 'segments'] as const) {
    const entries = patch[field];
    if (entries === undefined) continue;
    if (!isPlainObject(entries) || !Object.values(entries).every(isPlainObject)) {
      return `patch ${field} must be an object of objects`;
    }
  }
  const deleted = patch.deleted;
  if (deleted !== undefined) {
    if (!isPlainObject(deleted)) return 'patch deleted must be an object';
    for (const field of ['flags', 'segments'] as const) {
      const keys = deleted[field];
      if (
        keys !== undefined &&
        !(Array.isArray(keys) && keys.every((key) => typeof key === 'string'))
      ) {
        return `patch deleted.${field} must be an array of keys`;
      }
    }
  }
  return undefined;
}

/**
 * Flags whose evaluation may change when the given flags or segments change: themselves,
 * and every flag that reaches one of them through prerequisites or (nested) segments.
 */
export function withDependants(
  compiled: CompiledSnapshot,
  changedFlags: Iterable<string>,
  changedSegments: Iterable<string>,
): string[] {
  // One graph from each flag ("f" + key) and segment ("s" + key) to what uses it, walked
  // once from the changes; the flags reached are the answer. Linear in the snapshot's size.
  const usedBy = new Map<string, string[]>();
  const use = (used: string, user: string): void => {
    const users = usedBy.get(used);
    if (users === undefined) usedBy.set(used, [user]);
    else users.push(user);
  };
  for (const flag of compiled.flags.values()) {
    for (const prerequisite of flag.prerequisites) use(`f${prerequisite.flag}`, `f${flag.key}`);
    for (const segment of flag.segmentRefs) use(`s${segment}`, `f${flag.key}`);
  }
  for (const segment of compiled.segments.values())
    for (const nested of segment.segmentRefs) use(`s${nested}`, `s${segment.key}`);

  const reached = new Set<string>();
  const pending = [...changedFlags].map((key) => `f${key}`);
  for (const key of changedSegments) pending.push(`s${key}`);
  while (pending.length > 0) {
    const node = pending.pop()!;
    if (reached.has(node)) continue;
    reached.add(node);
    for (const user of usedBy.get(node) ?? []) pending.push(user);
  }
  return [...reached]
    .filter((node) => node.startsWith('f'))
    .map((node) => node.slice(1))
    .sort();
}

/**
 * Applies a patch (DESIGN §5) to a compiled snapshot: returns the next compiled snapshot and
 * the keys of the flags that changed, including those that depend on a changed segment or
 * prerequisite. A patch whose version is not newer is refused ("stale"), and so is one
 * built on another version than `prev` holds ("gap": resync). Deletions leave tombstones,
 * so an older copy of a deleted flag or segment never comes back. Pure: `prev` is untouched.
 */
export function applyPatch(
  prev: CompiledSnapshot,
  patch: Patch,
  options: CompileOptions = {},
): ApplyPatchResult {
  const malformed = whyPatchIsMalformed(patch);
  if (malformed !== undefined) return { ok: false, reason: 'invalid', message: malformed };
  if (patch.version <= prev.version) {
    return {
      ok: false,
      reason: 'stale',
      message: `patch version ${patch.version} is not newer than ${prev.version}`,
    };
  }
  if (patch.from !== undefined && patch.from !== prev.version) {
    return {
      ok: false,
      reason: 'gap',
      message: `patch applies on top of ${patch.from}, but version ${prev.version} is held`,
    };
  }

  const flags: Record<string, Flag> = { ...prev.snapshot.flags };
  const segments: Record<string, Segment> = { ...prev.snapshot.segments };
  const flagTombstones = new Map(prev.tombstones.flags);
  const segmentTombstones = new Map(prev.tombstones.segments);
  const changedFlags: string[] = [];
  const changedSegments: string[] = [];

  const upsert = <T extends { version: number }>(
    target: Record<string, T>,
    incoming: Record<string, T> | undefined,
    tombstones: Map<string, number>,
    changed: string[],
  ): void => {
    for (const [key, entry] of Object.entries(incoming ?? {})) {
      const version = typeof entry.version === 'number' ? entry.version : patch.version;
      const current = hasOwn(target, key) ? target[key] : undefined;
      if ((tombstones.get(key) ?? -1) > version) continue; // deleted after this copy was written
      if (current !== undefined && current.version > version) continue; // we hold a newer copy
      if (current !== undefined && jsonEqual(current, entry)) continue;
      target[key] = entry;
      tombstones.delete(key);
      changed.push(key);
    }
  };
  const remove = (
    target: Record<string, unknown>,
    keys: string[] | undefined,
    tombstones: Map<string, number>,
    changed: string[],
  ): void => {
    for (const key of keys ?? []) {
      tombstones.set(key, patch.version);
      if (!hasOwn(target, key)) continue;
      delete target[key];
      changed.push(key);
    }
  };
  upsert(flags, patch.flags, flagTombstones, changedFlags);
  upsert(segments, patch.segments, segmentTombstones, changedSegments);
  remove(flags, patch.deleted?.flags, flagTombstones, changedFlags);
  remove(segments, patch.deleted?.segments, segmentTombstones, changedSegments);

  const next: Snapshot = { ...prev.snapshot, version: patch.version, flags, segments };
  const compiled = compileSnapshot(next, {
    bucketCache: options.bucketCache === undefined ? prev.bucketCache : options.bucketCache,
    tombstones: Object.freeze({ flags: flagTombstones, segments: segmentTombstones }),
  });
  // A deleted flag no longer has dependants in `compiled`, but flags that named it do.
  return {
    ok: true,
    compiled,
    changedFlags: withDependants(compiled, changedFlags, changedSegments),
  };
}

/**
 * The flags whose evaluation may differ between two snapshots (for a full `put`): every
 * flag added, removed or changed, and every flag depending on a changed segment or flag.
 */
export function changedFlagKeys(
  prev: CompiledSnapshot | undefined,
  next: CompiledSnapshot,
): string[] {
  if (prev === undefined) return [...next.flags.keys()].sort();
  const differs = <T>(a: Record<string, T>, b: Record<string, T>): string[] => {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].filter((key) => !jsonEqual(a[key], b[key]));
  };
  return withDependants(
    next,
    differs(prev.snapshot.flags, next.snapshot.flags),
    differs(prev.snapshot.segments, next.snapshot.segments),
  );
}
