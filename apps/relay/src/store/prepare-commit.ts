import { validateSnapshot, type Flag, type Segment, type Snapshot } from '@switchyard/core';
import type { AuditEntry, ChangeRecord, Mutation, UpdateRequest, UpdateResult } from './flag-store';

/** A commit ready to be made durable: the next snapshot, its change record and audit entries. */
export interface PreparedCommit {
  next: Snapshot;
  change: ChangeRecord;
  audit: AuditEntry[];
}

/** An empty environment at version 0. */
export const emptySnapshot = (environment: string): Snapshot => ({
  schemaVersion: 1,
  environment,
  version: 0,
  flags: {},
  segments: {},
});

function applyEntries<T extends Flag | Segment>(
  current: Readonly<Record<string, T>>,
  writes: Record<string, T | null> | undefined,
  version: number,
): {
  next: Record<string, T>;
  written: Record<string, T>;
  deleted: string[];
  before: Map<string, T | null>;
} {
  const next: Record<string, T> = { ...current };
  const written: Record<string, T> = {};
  const deleted: string[] = [];
  const before = new Map<string, T | null>();
  for (const [key, entry] of Object.entries(writes ?? {})) {
    const previous = Object.prototype.hasOwnProperty.call(current, key) ? current[key]! : null;
    if (entry === null) {
      if (previous === null) continue; // deleting what is not there changes nothing
      delete next[key];
      deleted.push(key);
    } else {
      const stamped = { ...entry, key, version } as T;
      next[key] = stamped;
      written[key] = stamped;
    }
    before.set(key, previous);
  }
  return { next, written, deleted, before };
}

/**
 * The pure half of `FlagStore.update`, shared by every store: runs the mutation, stamps the
 * new version on the environment and on each written entry, validates the whole result
 * with core, and builds the patch and audit entries. The store then makes it durable.
 */
export function prepareCommit(
  current: Snapshot,
  request: UpdateRequest,
  committedAt: string,
): { ok: true; prepared: PreparedCommit | null } | Extract<UpdateResult, { ok: false }> {
  if (request.expectedVersion !== undefined && request.expectedVersion !== current.version) {
    return {
      ok: false,
      status: 409,
      message: `environment ${current.environment} is at version ${current.version}, not ${request.expectedVersion}`,
    };
  }
  let outcome;
  try {
    outcome = request.mutate(current);
  } catch (error) {
    return {
      ok: false,
      status: 422,
      message: `the change could not be computed: ${(error as Error).message}`,
    };
  }
  if (!outcome.ok) return outcome;
  const mutation: Mutation = outcome.mutation;
  const version = current.version + 1;
  const flags = applyEntries(current.flags, mutation.flags, version);
  const segments = applyEntries(current.segments, mutation.segments, version);
  const nothing =
    Object.keys(flags.written).length +
      flags.deleted.length +
      Object.keys(segments.written).length +
      segments.deleted.length ===
    0;
  if (nothing) return { ok: true, prepared: null };

  const next: Snapshot = { ...current, version, flags: flags.next, segments: segments.next };
  const validation = validateSnapshot(next);
  if (!validation.ok) {
    return {
      ok: false,
      status: 422,
      message: 'the change would make the environment invalid',
      errors: validation.errors,
    };
  }
  const patch = {
    from: current.version,
    version,
    flags: flags.written,
    segments: segments.written,
    deleted: { flags: flags.deleted, segments: segments.deleted },
  };
  const change: ChangeRecord = {
    environment: current.environment,
    from: current.version,
    version,
    patch,
    patchJson: JSON.stringify(patch),
    committedAt,
  };
  const audit: AuditEntry[] = [];
  const record = (
    kind: 'flag' | 'segment',
    before: Map<string, Flag | Segment | null>,
    after: Record<string, Flag | Segment>,
  ): void => {
    for (const [key, previous] of before) {
      audit.push({
        environment: current.environment,
        version,
        at: committedAt,
        actor: request.actor,
        action: request.action,
        kind,
        key,
        before: previous,
        after: after[key] ?? null,
      });
    }
  };
  record('flag', flags.before, flags.next);
  record('segment', segments.before, segments.next);
  return { ok: true, prepared: { next, change, audit } };
}
