import { mkdir, open, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Snapshot } from '@switchyard/core';
import { decodeChecksumLine, encodeChecksumLine } from './checksum-line';
import { fsyncDirectory, readFileLines, temporaryPathFor } from './durable-files';
import type { AuditEntry, ChangeRecord } from './flag-store';
import { fromLogRecord, toLogRecord } from './log-record';
import { recoverChangeLog, type RecoveredEnvironment } from './recover-change-log';
import { readSnapshotFile, writeSnapshotFile } from './snapshot-file';
import { StoreError, type StoreLogger } from './store-error';

/** File names inside an environment's directory. */
export const CHANGE_LOG_FILE = 'changes.log';
/** The compacted snapshot's file name. */
export const SNAPSHOT_FILE = 'snapshot.json';

/** What an audit query selects. */
export interface AuditFilter {
  kind?: 'flag' | 'segment';
  key?: string;
  limit?: number;
}

/**
 * The files of one environment: an append-only change log (the source of truth, also the
 * audit log) and a compacted snapshot that bounds how much of the log an open must read.
 * Not safe for concurrent appends: the store serialises commits through a CommitQueue.
 */
export class EnvironmentLog {
  /** Start offsets of the newest lines (at most `keep`), for the next snapshot's tail. */
  private readonly offsets: { version: number; offset: number }[] = [];

  private constructor(
    readonly directory: string,
    private readonly handle: FileHandle,
    private readonly keep: number,
    private bytes: number,
  ) {}

  /** Opens (creating if needed) and recovers the environment's files in `directory`. */
  static async open(
    directory: string,
    environment: string,
    keep: number,
    logger: StoreLogger,
  ): Promise<{ log: EnvironmentLog; recovered: RecoveredEnvironment }> {
    await mkdir(directory, { recursive: true });
    const snapshotPath = join(directory, SNAPSHOT_FILE);
    await rm(temporaryPathFor(snapshotPath), { force: true }); // a compaction interrupted by a crash
    const stored = await readSnapshotFile(snapshotPath, environment);
    if (!stored.ok) {
      logger.warn(
        { environment, file: snapshotPath, reason: stored.reason },
        'snapshot file unusable; replaying the whole change log',
      );
    }
    const logPath = join(directory, CHANGE_LOG_FILE);
    // 'a+': appends always land at the end, positional reads still work for recovery and audit.
    const handle = await open(logPath, 'a+');
    try {
      // Make the (possibly new) log file's directory entries durable before any write is acknowledged.
      await fsyncDirectory(directory);
      await fsyncDirectory(join(directory, '..'));
      const recovered = await recoverChangeLog(
        handle,
        logPath,
        environment,
        stored.ok ? stored.content : undefined,
        keep,
      );
      if (recovered.truncatedBytes > 0) {
        logger.warn(
          { environment, file: logPath, bytes: recovered.truncatedBytes },
          'cut off a torn last line left by a crash',
        );
      }
      if (recovered.invalid.length > 0) {
        logger.error(
          { environment, errors: recovered.invalid },
          'the stored state fails validation (stricter rules since it was written); writes will be refused until it is fixed',
        );
      }
      const log = new EnvironmentLog(directory, handle, keep, recovered.logBytes);
      for (const { change, offset } of recovered.recent) {
        log.offsets.push({ version: change.version, offset });
      }
      return { log, recovered };
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /** Appends one commit and resolves once it is on disk (fdatasync). */
  async append(
    change: ChangeRecord,
    audit: AuditEntry[],
    idempotencyKey: string | undefined,
  ): Promise<void> {
    const line = encodeChecksumLine(toLogRecord(change, audit, idempotencyKey));
    let written = 0;
    while (written < line.length) {
      const { bytesWritten } = await this.handle.write(line, written, line.length - written);
      written += bytesWritten;
    }
    // fdatasync also flushes the file size, which is all the metadata a reader needs.
    await this.handle.datasync();
    this.offsets.push({ version: change.version, offset: this.bytes });
    if (this.offsets.length > this.keep * 2 + 64) {
      this.offsets.splice(0, this.offsets.length - this.keep);
    }
    this.bytes += line.length;
  }

  /**
   * Writes the compacted snapshot of `snapshot` (the state after the last appended line).
   * Its tail points far enough back that the next open refills the ring and idempotency window.
   */
  async writeSnapshot(snapshot: Snapshot, now: Date): Promise<void> {
    const wanted = Math.max(1, snapshot.version + 1 - this.keep);
    // The oldest line we know from `wanted` on: after `keep` grew between runs, the offsets
    // only reach back as far as the previous snapshot's tail, and that is the best we have.
    const known = this.offsets.find((entry) => entry.version >= wanted);
    const tail =
      known === undefined
        ? { tailVersion: snapshot.version + 1, tailOffset: this.bytes }
        : { tailVersion: known.version, tailOffset: known.offset };
    await writeSnapshotFile(join(this.directory, SNAPSHOT_FILE), {
      format: 1,
      environment: snapshot.environment,
      version: snapshot.version,
      ...tail,
      writtenAt: now.toISOString(),
      snapshot,
    });
  }

  /** Audit entries, newest first, read back from the log (memory stays bounded by `limit`). */
  async audit(filter: AuditFilter = {}): Promise<AuditEntry[]> {
    const limit = filter.limit ?? 100;
    const end = this.bytes; // lines past this may still be being written
    const needle =
      filter.key === undefined ? undefined : Buffer.from(`"key":${JSON.stringify(filter.key)}`);
    let newest: AuditEntry[] = [];
    for await (const line of readFileLines(this.handle, 0, end)) {
      if (needle !== undefined && !line.bytes.includes(needle)) continue; // cheap skip before hashing and parsing
      const decoded = line.complete ? decodeChecksumLine(line.bytes) : undefined;
      const parsed = decoded?.ok === true ? fromLogRecord(decoded.value) : undefined;
      if (parsed === undefined) {
        throw new StoreError(
          'STORE_CORRUPT',
          `${join(this.directory, CHANGE_LOG_FILE)}: byte ${line.offset}: damaged line found while reading the audit log`,
        );
      }
      for (const entry of parsed.record.audit) {
        if (
          (filter.kind === undefined || entry.kind === filter.kind) &&
          (filter.key === undefined || entry.key === filter.key)
        ) {
          newest.push(entry);
        }
      }
      if (newest.length > limit * 2 + 64) newest = newest.slice(newest.length - limit);
    }
    return newest.slice(Math.max(0, newest.length - limit)).reverse();
  }

  /** Releases the file handle. */
  async close(): Promise<void> {
    await this.handle.close();
  }
}
