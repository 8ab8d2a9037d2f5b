import type { Flag, Snapshot } from '@switchyard/core';
import type { ChangeRecord } from '../store/flag-store';

/** Applies a committed change to the snapshot it was made on, giving the next snapshot. */
export function applyChange(snapshot: Snapshot, change: ChangeRecord): Snapshot {
  const flags = { ...snapshot.flags, ...change.patch.flags };
  const segments = { ...snapshot.segments, ...change.patch.segments };
  for (const key of change.patch.deleted?.flags ?? []) delete flags[key];
  for (const key of change.patch.deleted?.segments ?? []) delete segments[key];
  return Object.freeze({ ...snapshot, version: change.version, flags, segments });
}

const withoutAdminFields = (flag: Flag): Flag => {
  const { rollout: _adminOnly, ...rest } = flag;
  return rest;
};

/**
 * The bytes server SDKs receive for a change: the store's patch JSON as is, unless a flag
 * in it carries admin-only fields (a progressive rollout), which SDKs never see.
 */
export function serverPatchJson(change: ChangeRecord): string {
  const flags = change.patch.flags ?? {};
  if (!Object.values(flags).some((flag) => flag.rollout !== undefined)) return change.patchJson;
  const stripped = Object.fromEntries(
    Object.entries(flags).map(([key, flag]) => [key, withoutAdminFields(flag)]),
  );
  return JSON.stringify({ ...change.patch, flags: stripped });
}
