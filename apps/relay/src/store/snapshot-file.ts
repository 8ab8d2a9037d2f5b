import { readFile } from 'node:fs/promises';
import type { Snapshot } from '@switchyard/core';
import { decodeChecksumLine, encodeChecksumLine } from './checksum-line';
import { writeFileAtomically } from './durable-files';

/**
 * The compacted snapshot of one environment, one checksummed line. `tailVersion` and
 * `tailOffset` say where in the change log reading must start on open: early enough to
 * rebuild the change ring and the idempotency window, not only to replay later commits.
 */
export interface SnapshotFileContent {
  format: 1;
  environment: string;
  version: number;
  /** The first log line to read on open; at most `version + 1`. */
  tailVersion: number;
  /** The byte offset of that line in the log. */
  tailOffset: number;
  writtenAt: string;
  snapshot: Snapshot;
}

const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/** Writes the snapshot file atomically (temp file, fsync, rename, directory fsync). */
export async function writeSnapshotFile(path: string, content: SnapshotFileContent): Promise<void> {
  await writeFileAtomically(path, encodeChecksumLine(content));
}

/**
 * Reads a snapshot file: absent, usable, or unusable with a reason. An unusable one is not
 * fatal: the log holds every change since version 1, so the store replays it instead.
 */
export async function readSnapshotFile(
  path: string,
  environment: string,
): Promise<{ ok: true; content: SnapshotFileContent | undefined } | { ok: false; reason: string }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { ok: true, content: undefined };
    throw error;
  }
  const newline = bytes.indexOf(0x0a);
  if (newline !== bytes.length - 1) return { ok: false, reason: 'not a single complete line' };
  const decoded = decodeChecksumLine(bytes.subarray(0, newline));
  if (!decoded.ok) return { ok: false, reason: decoded.reason };
  const content = decoded.value as Partial<SnapshotFileContent> | null;
  const valid =
    typeof content === 'object' &&
    content !== null &&
    content.format === 1 &&
    content.environment === environment &&
    isCount(content.version) &&
    isCount(content.tailVersion) &&
    isCount(content.tailOffset) &&
    content.tailVersion >= 1 &&
    content.tailVersion <= content.version + 1 &&
    typeof content.snapshot === 'object' &&
    content.snapshot !== null &&
    content.snapshot.version === content.version &&
    content.snapshot.environment === environment;
  return valid
    ? { ok: true, content: content as SnapshotFileContent }
    : { ok: false, reason: 'unexpected content' };
}
