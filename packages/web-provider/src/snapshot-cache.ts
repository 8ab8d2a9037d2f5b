import { sha256Hex, type Snapshot } from '@switchyard/core';
import type { Logger } from '@switchyard/sync';
import type { SnapshotStorage } from './options';

/** Bumped when the stored shape changes; an entry of another format is ignored and removed. */
const FORMAT = 1;

/**
 * The storage key for one relay and client key. The client key is public by nature (it ships
 * in the page), but it is still hashed so storage dumps and extensions never see it plain.
 */
export const snapshotStorageKey = (relayUrl: string, clientKey: string): string =>
  `switchyard:snapshot:${sha256Hex(`${relayUrl}\n${clientKey}`)}`;

/**
 * The last client snapshot, kept in Web Storage so a returning page can serve it at once.
 * It is only a cache: anything unreadable is dropped, and a failed write (quota, privacy
 * mode) is logged and otherwise ignored.
 */
export class SnapshotCache {
  readonly #storage: SnapshotStorage;
  readonly #logger: Logger;
  readonly #key: string;

  constructor(storage: SnapshotStorage, relayUrl: string, clientKey: string, logger: Logger) {
    this.#storage = storage;
    this.#logger = logger;
    this.#key = snapshotStorageKey(relayUrl, clientKey);
  }

  /** The stored snapshot, if there is a readable one. */
  read(): Snapshot | undefined {
    try {
      const text = this.#storage.getItem(this.#key);
      if (text === null) return undefined;
      const entry = JSON.parse(text) as { format?: unknown; snapshot?: unknown } | null;
      if (entry?.format === FORMAT && typeof entry.snapshot === 'object' && entry.snapshot !== null)
        return entry.snapshot as Snapshot;
      this.#logger.warn('ignoring an unreadable cached snapshot');
      this.#storage.removeItem(this.#key);
    } catch (error) {
      this.#logger.warn('cannot read the cached snapshot', { error: String(error) });
    }
    return undefined;
  }

  /** Stores a snapshot, replacing the previous one. */
  save(snapshot: Snapshot): void {
    try {
      this.#storage.setItem(this.#key, JSON.stringify({ format: FORMAT, snapshot }));
    } catch (error) {
      this.#logger.warn('cannot save the snapshot cache', { error: String(error) });
    }
  }
}
