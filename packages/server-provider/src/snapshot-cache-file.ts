import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Snapshot } from '@switchyard/core';

/** Reads a cached snapshot; undefined when there is none or it is unreadable (it is only a cache). */
export async function readSnapshotCache(file: string): Promise<Snapshot | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Snapshot;
  } catch {
    return undefined;
  }
}

/**
 * Saves snapshots atomically (temp file, fsync, rename), one write at a time; while a write
 * runs only the newest pending snapshot is kept, so bursts of patches cost one extra write.
 */
export class SnapshotCacheWriter {
  private writing: Promise<void> | undefined;
  private pending: Snapshot | undefined;

  constructor(
    private readonly file: string,
    private readonly onError: (error: Error) => void,
  ) {}

  save(snapshot: Snapshot): void {
    this.pending = snapshot;
    if (this.writing === undefined) this.writing = this.drain();
  }

  /** Resolves when everything asked so far is on disk. */
  async flush(): Promise<void> {
    while (this.writing !== undefined) await this.writing;
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending !== undefined) {
        const snapshot = this.pending;
        this.pending = undefined;
        await this.write(snapshot);
      }
    } catch (error) {
      this.onError(error as Error);
    } finally {
      this.writing = undefined;
    }
  }

  private async write(snapshot: Snapshot): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(JSON.stringify(snapshot));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, this.file);
  }
}
