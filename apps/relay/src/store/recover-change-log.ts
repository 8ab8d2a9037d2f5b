import type { FileHandle } from 'node:fs/promises';
import {
  validateSnapshot,
  type Flag,
  type Patch,
  type Segment,
  type Snapshot,
  type ValidationError,
} from '@switchyard/core';
import { decodeChecksumLine } from './checksum-line';
import { readFileLines } from './durable-files';
import type { ChangeRecord } from './flag-store';
import { fromLogRecord } from './log-record';
import { emptySnapshot } from './prepare-commit';
import type { SnapshotFileContent } from './snapshot-file';
import { StoreError } from './store-error';

/** A change read back from the log, with where it starts (for the next snapshot's tail offset). */
export interface RecoveredChange {
  change: ChangeRecord;
  idempotencyKey: string | undefined;
  offset: number;
}

/** The state of an environment rebuilt from its snapshot file and change log. */
export interface RecoveredEnvironment {
  snapshot: Snapshot;
  /** The newest changes (at most `keep`), oldest first: they refill the change ring and idempotency window. */
  recent: RecoveredChange[];
  /** Length of the valid log: the next line is appended here. */
  logBytes: number;
  /** What today's validation finds wrong with the replayed state (normally nothing). */
  invalid: ValidationError[];
  /** Bytes of torn tail that were cut off (0 after a clean shutdown). */
  truncatedBytes: number;
}

/** Applies a stored patch in place; patches in the log were validated when committed. */
function applyStoredPatch(
  flags: Record<string, Flag>,
  segments: Record<string, Segment>,
  patch: Patch,
): void {
  Object.assign(flags, patch.flags ?? {});
  Object.assign(segments, patch.segments ?? {});
  for (const key of patch.deleted?.flags ?? []) delete flags[key];
  for (const key of patch.deleted?.segments ?? []) delete segments[key];
}

/**
 * Rebuilds an environment: starts from the snapshot file (or version 0), reads the log from
 * the snapshot's tail offset, checks each line's checksum and that versions run on without
 * gap, replays the lines newer than the snapshot, and cuts a torn tail off the file.
 *
 * A crash can only tear the line being appended (each append is fsync'd before the next
 * starts), so one bad line at the very end (incomplete, zero-filled, or with a wrong
 * checksum) is a torn tail and is truncated. A bad line with anything after it, a gap or
 * repeat in versions, or a log shorter than the snapshot expects is corruption: the store
 * refuses to start rather than serve a state that lost acknowledged writes.
 */
export async function recoverChangeLog(
  handle: FileHandle,
  logPath: string,
  environment: string,
  base: SnapshotFileContent | undefined,
  keep: number,
): Promise<RecoveredEnvironment> {
  const corrupt = (offset: number, reason: string): StoreError =>
    new StoreError(
      'STORE_CORRUPT',
      `${logPath}: byte ${offset}: ${reason}. Refusing to start rather than serve a state that lost acknowledged changes (see the README FAQ on STORE_CORRUPT).`,
    );
  const size = (await handle.stat()).size;
  const start = base ?? {
    version: 0,
    tailVersion: 1,
    tailOffset: 0,
    snapshot: emptySnapshot(environment),
  };
  if (start.tailOffset > size) {
    throw corrupt(
      size,
      `the log ends here, but the snapshot at version ${start.version} expects it to reach byte ${start.tailOffset}`,
    );
  }

  const flags = { ...start.snapshot.flags };
  const segments = { ...start.snapshot.segments };
  let version = start.version;
  let expected = start.tailVersion;
  let validEnd = start.tailOffset;
  let torn: { offset: number; reason: string } | undefined;
  let recent: RecoveredChange[] = [];

  for await (const line of readFileLines(handle, start.tailOffset, size)) {
    if (torn !== undefined) throw corrupt(torn.offset, `${torn.reason}, and more lines follow it`);
    const decoded = line.complete
      ? decodeChecksumLine(line.bytes)
      : ({ ok: false, reason: 'incomplete line' } as const);
    if (!decoded.ok) {
      torn = { offset: line.offset, reason: decoded.reason };
      continue;
    }
    const parsed = fromLogRecord(decoded.value);
    if (parsed === undefined) {
      throw corrupt(line.offset, 'the checksum matches but the line is not a change record');
    }
    const { change } = parsed;
    if (
      change.environment !== environment ||
      change.version !== expected ||
      change.from !== expected - 1
    ) {
      throw corrupt(
        line.offset,
        `expected version ${expected} of "${environment}", found version ${change.version} of "${change.environment}"`,
      );
    }
    if (change.version > version) {
      applyStoredPatch(flags, segments, change.patch);
      version = change.version;
    }
    recent.push({ change, idempotencyKey: parsed.record.idempotencyKey, offset: line.offset });
    // Trim in batches: shifting one at a time would make a long replay quadratic.
    if (recent.length > keep * 2 + 64) recent = recent.slice(recent.length - keep);
    expected += 1;
    validEnd = line.offset + line.bytes.length + 1;
  }
  if (expected - 1 < start.version) {
    throw corrupt(
      validEnd,
      `the log ends at version ${expected - 1}, but the snapshot is at version ${start.version}`,
    );
  }

  const snapshot: Snapshot = { ...start.snapshot, version, flags, segments };
  // Every commit was validated when written; a failure now means the validator got stricter
  // since (an upgrade). That is reported, not fatal: refusing to start would take flags away
  // from every SDK over a rule they already lived with.
  const validation = validateSnapshot(snapshot);
  if (torn !== undefined) {
    // The torn line was never acknowledged (its fsync had not returned); cut it off durably
    // so the next append starts on a line boundary.
    await handle.truncate(validEnd);
    await handle.sync();
  }
  return {
    invalid: validation.ok ? [] : validation.errors,
    snapshot,
    recent: recent.slice(Math.max(0, recent.length - keep)),
    logBytes: validEnd,
    truncatedBytes: size - validEnd,
  };
}
