import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { Snapshot, ValidationError } from '@switchyard/core';
import { diffSnapshots } from './diff-snapshots';
import { FileFlagStore } from './file-flag-store';
import type {
  AuditEntry,
  ChangeRecord,
  ChangesSince,
  FlagStore,
  UpdateRequest,
  UpdateResult,
} from './flag-store';
import { readFlagsFile } from './flags-file';
import { CommitQueue } from './memory-flag-store';
import { silentStoreLogger, type StoreLogger } from './store-error';

/** Options of GitOpsFlagStore; `flagsFile`, `dataDir` and `environments` are required. */
export interface GitOpsFlagStoreOptions {
  /** The YAML or JSON flags file to serve (see readFlagsFile for its shapes). */
  flagsFile: string;
  /** Where versions, the change ring and the history of file changes persist. */
  dataDir: string;
  environments: readonly string[];
  /** Quiet time after a file event before the file is re-read, in ms. Default 200. */
  debounceMs?: number;
  /** Re-read the file this often too, for filesystems without change events; 0 = off. Default 5000. */
  pollMs?: number;
  /** Watch the file at all; off, it changes only through `reload()`. Default true. */
  watch?: boolean;
  ringSize?: number;
  compactEvery?: number;
  now?: () => Date;
  logger?: StoreLogger;
}

/** What the last read of the flags file found. */
export type FlagsFileLoad =
  { ok: true; digest: string; changed: string[] } | { ok: false; errors: ValidationError[] };

/** The HTTP status of refused writes: the request is well formed, but this store's state is the file's to change. */
export const READ_ONLY_STATUS = 409;

/**
 * A read-only store fed by a flags file kept in Git (DESIGN §6's GitOps source). On every
 * change of the file (debounced, plus an optional poll) it validates the whole file with
 * core; a good file is diffed against the current state and committed as one ordinary
 * change per environment into an embedded FileFlagStore, which gives versions that never
 * go back across restarts, the change ring, and a per-flag history of file changes. A bad
 * file is logged with each error's path, the last good state keeps serving, and `health()`
 * reports not ready until the file is fixed.
 */
export class GitOpsFlagStore implements FlagStore {
  private readonly inner: FileFlagStore;
  private readonly logger: StoreLogger;
  private readonly flagsFile: string;
  private readonly loads = new CommitQueue();
  private lastLoad: FlagsFileLoad | undefined;
  private lastDigest: string | undefined;
  private watcher: FSWatcher | undefined;
  private debounce: NodeJS.Timeout | undefined;
  private poll: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly options: GitOpsFlagStoreOptions) {
    this.logger = options.logger ?? silentStoreLogger;
    this.flagsFile = resolve(options.flagsFile);
    this.inner = new FileFlagStore({
      dataDir: options.dataDir,
      environments: options.environments,
      ringSize: options.ringSize,
      compactEvery: options.compactEvery,
      idempotencyWindow: 0, // nobody writes with idempotency keys here
      now: options.now,
      logger: this.logger,
    });
  }

  async open(): Promise<void> {
    await this.inner.open();
    await this.reload();
    if (this.options.watch !== false) this.startWatching();
  }

  /** Re-reads the flags file now (serialised with file events) and answers what it found. */
  reload(): Promise<FlagsFileLoad> {
    return this.loads.run(() => this.load());
  }

  private async load(): Promise<FlagsFileLoad> {
    const content = await readFlagsFile(this.flagsFile, this.options.environments);
    // An unchanged file (a poll, a touch) was already handled, well or badly: say the same again.
    if (
      content.digest !== undefined &&
      content.digest === this.lastDigest &&
      this.lastLoad !== undefined
    ) {
      return this.lastLoad.ok ? { ...this.lastLoad, changed: [] } : this.lastLoad;
    }
    this.lastDigest = content.digest;
    if (!content.ok) return this.recordFailure(content.errors);
    const changed: string[] = [];
    for (const [environment, desired] of Object.entries(content.snapshots)) {
      const result = await this.inner.update(environment, {
        mutate: (current) => ({ ok: true, mutation: diffSnapshots(current, desired) }),
        actor: `gitops:${basename(this.flagsFile)}`,
        action: 'file.sync',
      });
      if (!result.ok)
        return this.recordFailure(
          result.errors ?? [{ path: `/environments/${environment}`, message: result.message }],
        );
      if (result.change !== null) changed.push(environment);
    }
    this.lastLoad = { ok: true, digest: content.digest, changed };
    if (changed.length > 0) {
      const versions = Object.fromEntries(
        changed.map((environment) => [environment, this.inner.snapshot(environment)?.version]),
      );
      this.logger.info({ file: this.flagsFile, versions }, 'flags file loaded');
    }
    return this.lastLoad;
  }

  private recordFailure(errors: ValidationError[]): FlagsFileLoad {
    this.lastLoad = { ok: false, errors };
    this.logger.error(
      { file: this.flagsFile, errors },
      'flags file rejected; still serving the last good state',
    );
    return this.lastLoad;
  }

  /** A reload started by a timer: nobody awaits it, so its failure is logged here. */
  private reloadInBackground(): void {
    if (this.closed) return;
    this.reload().catch((error: unknown) =>
      this.logger.error({ file: this.flagsFile, err: error }, 'reloading the flags file failed'),
    );
  }

  private startWatching(): void {
    const schedule = (): void => {
      clearTimeout(this.debounce);
      this.debounce = setTimeout(() => this.reloadInBackground(), this.options.debounceMs ?? 200);
      this.debounce.unref();
    };
    try {
      // Watch the directory, not the file: editors and `git checkout` replace the file (a new
      // inode), and Kubernetes swaps a symlinked directory; a file watch would go deaf.
      this.watcher = watch(dirname(this.flagsFile), { persistent: false }, schedule);
      this.watcher.on('error', (error) =>
        this.logger.warn({ err: error }, 'flags file watch failed; relying on polling'),
      );
    } catch (error) {
      this.logger.warn(
        { file: this.flagsFile, err: error },
        'cannot watch the flags file directory; relying on polling',
      );
    }
    const pollMs = this.options.pollMs ?? 5000;
    if (pollMs > 0) {
      this.poll = setInterval(() => this.reloadInBackground(), pollMs);
      this.poll.unref();
    }
  }

  environments(): readonly string[] {
    return this.inner.environments();
  }

  snapshot(environment: string): Snapshot | undefined {
    return this.inner.snapshot(environment);
  }

  changesSince(environment: string, version: number): ChangesSince {
    return this.inner.changesSince(environment, version);
  }

  async update(_environment: string, _request: UpdateRequest): Promise<UpdateResult> {
    return {
      ok: false,
      status: READ_ONLY_STATUS,
      message: `this relay serves a read-only flags file (${this.flagsFile}); change the file instead`,
    };
  }

  audit(
    environment: string,
    filter?: { kind?: 'flag' | 'segment'; key?: string; limit?: number },
  ): Promise<AuditEntry[]> {
    return this.inner.audit(environment, filter);
  }

  onChange(listener: (change: ChangeRecord) => void): () => void {
    return this.inner.onChange(listener);
  }

  health(): { ready: boolean; detail?: string } {
    const inner = this.inner.health();
    if (!inner.ready) return inner;
    if (this.lastLoad === undefined) {
      return { ready: false, detail: 'the flags file has not been read yet' };
    }
    if (this.lastLoad.ok) return { ready: true };
    const shown = this.lastLoad.errors
      .slice(0, 5)
      .map((error) => `${error.path || '(file)'}: ${error.message}`);
    const more =
      this.lastLoad.errors.length > shown.length
        ? `; and ${this.lastLoad.errors.length - shown.length} more`
        : '';
    return {
      ready: false,
      detail: `flags file ${this.flagsFile} rejected, last good state kept: ${shown.join('; ')}${more}`,
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.debounce);
    clearInterval(this.poll);
    this.watcher?.close();
    await this.loads.run(async () => undefined); // let a load in progress finish
    await this.inner.close();
  }
}
