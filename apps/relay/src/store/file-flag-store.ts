import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Snapshot } from '@switchyard/core';
import { lockDataDir } from './data-dir-lock';
import { fsyncDirectory } from './durable-files';
import { EnvironmentLog, type AuditFilter } from './environment-log';
import type {
  AuditEntry,
  ChangeRecord,
  ChangesSince,
  FlagStore,
  UpdateRequest,
  UpdateResult,
} from './flag-store';
import { ChangeListeners, CommitQueue, EnvironmentState } from './memory-flag-store';
import { prepareCommit } from './prepare-commit';
import { silentStoreLogger, StoreError, type StoreLogger } from './store-error';

/** Options of FileFlagStore; only `dataDir` and `environments` are required. */
export interface FileFlagStoreOptions {
  /** Directory holding one sub-directory per environment, and the lock file. */
  dataDir: string;
  environments: readonly string[];
  /** Recent changes kept for `changesSince` (rebuilt from the log on open). Default 1000. */
  ringSize?: number;
  /** Write a compacted snapshot after this many commits (and on close). Default 100. */
  compactEvery?: number;
  /** Idempotency keys remembered per environment, across restarts. Default 1000. */
  idempotencyWindow?: number;
  now?: () => Date;
  logger?: StoreLogger;
}

/** One open environment: its in-memory state, its files, its commit order. */
interface OpenEnvironment {
  state: EnvironmentState;
  log: EnvironmentLog;
  queue: CommitQueue;
  commitsSinceSnapshot: number;
}

/**
 * The embedded default store (DESIGN §6). Per environment, an append-only change log in
 * `<dataDir>/<environment>/changes.log`, one checksummed JSON line per commit (change,
 * audit entries, idempotency key), fdatasync'd before `update` resolves; and a compacted
 * snapshot written atomically every `compactEvery` commits and on close. After a crash at
 * any instant, `open` rebuilds every acknowledged commit with the same version sequence.
 */
export class FileFlagStore implements FlagStore {
  private readonly opened = new Map<string, OpenEnvironment>();
  private readonly listeners = new ChangeListeners();
  private readonly now: () => Date;
  private readonly logger: StoreLogger;
  private readonly dataDir: string;
  private unlock: (() => Promise<void>) | undefined;
  private failure: StoreError | undefined;
  private closed = false;

  constructor(private readonly options: FileFlagStoreOptions) {
    this.now = options.now ?? (() => new Date());
    this.logger = options.logger ?? silentStoreLogger;
    this.dataDir = resolve(options.dataDir);
  }

  async open(): Promise<void> {
    await mkdir(this.dataDir, { recursive: true });
    await fsyncDirectory(dirname(this.dataDir));
    this.unlock = await lockDataDir(this.dataDir);
    const ringSize = this.options.ringSize ?? 1000;
    const idempotencyWindow = this.options.idempotencyWindow ?? 1000;
    try {
      for (const environment of this.options.environments) {
        const keep = Math.max(ringSize, idempotencyWindow);
        const { log, recovered } = await EnvironmentLog.open(
          join(this.dataDir, environment),
          environment,
          keep,
          this.logger,
        );
        const state = new EnvironmentState(recovered.snapshot, ringSize, idempotencyWindow);
        for (const { change, idempotencyKey } of recovered.recent) {
          state.remember(change, idempotencyKey);
        }
        this.opened.set(environment, {
          state,
          log,
          queue: new CommitQueue(),
          commitsSinceSnapshot: 0,
        });
        this.logger.info(
          { environment, version: recovered.snapshot.version },
          'environment loaded',
        );
      }
    } catch (error) {
      await this.releaseFiles();
      throw error;
    }
  }

  environments(): readonly string[] {
    return [...this.opened.keys()];
  }

  snapshot(environment: string): Snapshot | undefined {
    return this.opened.get(environment)?.state.snapshot;
  }

  changesSince(environment: string, version: number): ChangesSince {
    return (
      this.opened.get(environment)?.state.changesSince(version) ?? { ok: false, reason: 'too-old' }
    );
  }

  update(environment: string, request: UpdateRequest): Promise<UpdateResult> {
    if (this.closed || this.unlock === undefined) {
      return Promise.reject(new StoreError('STORE_CLOSED', 'the store is not open'));
    }
    const target = this.opened.get(environment);
    if (target === undefined) {
      return Promise.resolve({
        ok: false,
        status: 404,
        message: `unknown environment ${environment}`,
      });
    }
    return target.queue.run(() => this.commit(environment, target, request));
  }

  private async commit(
    environment: string,
    target: OpenEnvironment,
    request: UpdateRequest,
  ): Promise<UpdateResult> {
    if (this.failure !== undefined) throw this.failure;
    const { state } = target;
    const replay =
      request.idempotencyKey === undefined
        ? undefined
        : state.idempotent.get(request.idempotencyKey);
    if (replay !== undefined) {
      return { ok: true, change: replay, snapshot: state.snapshot, replayed: true };
    }
    const prepared = prepareCommit(state.snapshot, request, this.now().toISOString());
    if (!prepared.ok) return prepared;
    if (prepared.prepared === null) {
      return { ok: true, change: null, snapshot: state.snapshot, replayed: false };
    }
    const { next, change, audit } = prepared.prepared;
    try {
      await target.log.append(change, audit, request.idempotencyKey);
    } catch (error) {
      // After a failed write or fsync the file's content is unknown, and retrying fsync can
      // report success for data that was dropped: stop accepting writes until a restart
      // recovers from what is really on disk.
      this.failure = new StoreError(
        'STORE_FAILED',
        `writing the change log of ${environment} failed: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
      this.logger.error(
        { environment, err: error },
        'change log write failed; refusing further writes until restart',
      );
      throw this.failure;
    }
    // Audit entries live in the log only; keeping them in memory too would grow without bound.
    state.apply(next, change, [], request.idempotencyKey);
    this.listeners.emit(change);
    target.commitsSinceSnapshot += 1;
    if (target.commitsSinceSnapshot >= (this.options.compactEvery ?? 100)) {
      // Queued behind this commit, ahead of the next one: it snapshots exactly this version.
      void target.queue.run(() => this.compact(environment, target));
    }
    return { ok: true, change, snapshot: state.snapshot, replayed: false };
  }

  private async compact(environment: string, target: OpenEnvironment): Promise<void> {
    if (target.commitsSinceSnapshot === 0 || this.failure !== undefined) return;
    try {
      await target.log.writeSnapshot(target.state.snapshot, this.now());
      target.commitsSinceSnapshot = 0;
    } catch (error) {
      // Not fatal: the log is the truth; the next open just replays more of it.
      this.logger.warn(
        { environment, err: error },
        'writing the compacted snapshot failed; will retry at the next compaction',
      );
    }
  }

  async audit(environment: string, filter?: AuditFilter): Promise<AuditEntry[]> {
    return (await this.opened.get(environment)?.log.audit(filter)) ?? [];
  }

  onChange(listener: (change: ChangeRecord) => void): () => void {
    return this.listeners.add(listener);
  }

  health(): { ready: boolean; detail?: string } {
    if (this.failure !== undefined) return { ready: false, detail: this.failure.message };
    if (this.closed || this.unlock === undefined) {
      return { ready: false, detail: 'the store is not open' };
    }
    return { ready: true };
  }

  /** Waits for queued commits, writes a final snapshot per environment, releases the files and the lock. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const [environment, target] of this.opened) {
      await target.queue.run(() => this.compact(environment, target));
    }
    await this.releaseFiles();
  }

  private async releaseFiles(): Promise<void> {
    for (const target of this.opened.values()) await target.log.close();
    this.opened.clear();
    await this.unlock?.();
    this.unlock = undefined;
  }
}
