import type { Flag, Segment, Snapshot } from '@switchyard/core';
import type { Mutation } from './flag-store';

/** JSON equality, key order ignored (a reordered YAML file is not a change). */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const aKeys = Object.keys(a);
  const bRecord = b as Record<string, unknown>;
  if (aKeys.length !== Object.keys(b).length) return false;
  return aKeys.every(
    (key) =>
      Object.prototype.hasOwnProperty.call(b, key) &&
      sameJson((a as Record<string, unknown>)[key], bRecord[key]),
  );
}

/** Entries equal apart from `version`, which the store assigns. */
const sameEntry = (a: Flag | Segment, b: Flag | Segment): boolean =>
  sameJson({ ...a, version: 0 }, { ...b, version: 0 });

function diffEntries<T extends Flag | Segment>(
  current: Record<string, T>,
  desired: Record<string, T>,
): Record<string, T | null> {
  const writes: Record<string, T | null> = {};
  for (const [key, entry] of Object.entries(desired)) {
    const existing = Object.prototype.hasOwnProperty.call(current, key) ? current[key] : undefined;
    if (existing === undefined || !sameEntry(existing, entry)) writes[key] = entry;
  }
  for (const key of Object.keys(current)) {
    if (!Object.prototype.hasOwnProperty.call(desired, key)) writes[key] = null;
  }
  return writes;
}

/**
 * The mutation that turns `current` into `desired`: added and changed flags and segments
 * written, missing ones deleted, unchanged ones (whatever their version) left alone, so
 * SDKs receive a patch of what really changed.
 */
export function diffSnapshots(current: Snapshot, desired: Snapshot): Mutation {
  return {
    flags: diffEntries(current.flags, desired.flags),
    segments: diffEntries(current.segments, desired.segments),
  };
}
