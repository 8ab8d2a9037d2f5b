import { type Snapshot } from '@switchyard/core';
import type {
  AuditEntry,
  ChangeRecord,
  ChangesSince,
  FlagStore,
  UpdateRequest,
  UpdateResult,
} from './flag-store';
import { emptySnapshot, prepareCommit } from './prepare-commit';

/** Options of MemoryFlagStore. */
export interface MemoryFlagStoreOptions {
  environments: readonly string[];
  /** Initial snapshots by environment (validated by the caller). */
  seed?: Record<string, Snapshot>;
  /** How many recent changes `changesSince` can serve. Default 1000. */
  ringSize?: number;
  now?: () => Date;
}

/** Per-environment state shared by in-process stores: snapshot, change ring, audit, idempotency. */
export class EnvironmentState {
  snapshot: Snapshot;
  readonly ring: ChangeRecord[] = [];
  readonly audit: AuditEntry[] = [];
  readonly idempotent = new Map<string, ChangeRecord>();

  constructor(
    snapshot: Snapshot,
    private readonly ringSize: number,
    /** How many idempotency keys are kept (oldest forgotten first), so memory stays bounded. */
    private readonly idempotencyWindow = 10_000,
  ) {
    this.snapshot = Object.freeze(snapshot);
  }

  /** Records a commit in memory (after it is durable, for durable stores). */
  apply(
    next: Snapshot,
    change: ChangeRecord,
    audit: AuditEntry[],
    idempotencyKey: string | undefined,
  ): void {
    this.snapshot = Object.freeze(next);
    this.audit.push(...audit);
    this.remember(change, idempotencyKey);
  }

  /** Adds a change to the ring and its key to the idempotency window, leaving the snapshot alone (log replay). */
  remember(change: ChangeRecord, idempotencyKey: string | undefined): void {
    this.ring.push(change);
    if (this.ring.length > this.ringSize) this.ring.splice(0, this.ring.length - this.ringSize);
    if (idempotencyKey === undefined || this.idempotencyWindow === 0) return;
    this.idempotent.delete(idempotencyKey); // re-inserting moves the key to the newest end
    this.idempotent.set(idempotencyKey, change);
    if (this.idempotent.size > this.idempotencyWindow)
      this.idempotent.delete(this.idempotent.keys().next().value!);
  }

  changesSince(version: number): ChangesSince {
    const current = this.snapshot.version;
    if (version > current) return { ok: false, reason: 'future' };
    if (version === current) return { ok: true, changes: [] };
    const first = this.ring[0];
    if (first === undefined || first.from > version) return { ok: false, reason: 'too-old' };
    return { ok: true, changes: this.ring.slice(version - first.from) };
  }

  auditEntries(
    filter: { kind?: 'flag' | 'segment'; key?: string; limit?: number } = {},
  ): AuditEntry[] {
    const matching = this.audit.filter(
      (entry) =>
        (filter.kind === undefined || entry.kind === filter.kind) &&
        (filter.key === undefined || entry.key === filter.key),
    );
    return matching.reverse().slice(0, filter.limit ?? 100);
  }
}

/** Serialises async commits per store: each runs after the previous one settled. */
export class CommitQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

/** Notifies change listeners; a throwing listener never breaks a commit. */
export class ChangeListeners {
  private readonly listeners = new Set<(change: ChangeRecord) => void>();

  add(listener: (change: ChangeRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(change: ChangeRecord): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch {
        // A listener's failure is its own; the commit already happened.
      }
    }
  }
}

/** A store that keeps everything in memory: for tests and throwaway relays. Not durable. */
export class MemoryFlagStore implements FlagStore {
  private readonly states = new Map<string, EnvironmentState>();
  private readonly listeners = new ChangeListeners();
  private readonly queue = new CommitQueue();
  private readonly now: () => Date;

  constructor(private readonly options: MemoryFlagStoreOptions) {
    this.now = options.now ?? (() => new Date());
    for (const environment of options.environments) {
      const seed = options.seed?.[environment] ?? emptySnapshot(environment);
      this.states.set(environment, new EnvironmentState(seed, options.ringSize ?? 1000));
    }
  }

  async open(): Promise<void> {}

  environments(): readonly string[] {
    return [...this.states.keys()];
  }

  snapshot(environment: string): Snapshot | undefined {
    return this.states.get(environment)?.snapshot;
  }

  changesSince(environment: string, version: number): ChangesSince {
    return this.states.get(environment)?.changesSince(version) ?? { ok: false, reason: 'too-old' };
  }

  update(environment: string, request: UpdateRequest): Promise<UpdateResult> {
    return this.queue.run(async () => {
      const state = this.states.get(environment);
      if (state === undefined)
        return { ok: false, status: 404, message: `unknown environment ${environment}` };
      const replay =
        request.idempotencyKey === undefined
          ? undefined
          : state.idempotent.get(request.idempotencyKey);
      if (replay !== undefined)
        return { ok: true, change: replay, snapshot: state.snapshot, replayed: true };
      const prepared = prepareCommit(state.snapshot, request, this.now().toISOString());
      if (!prepared.ok) return prepared;
      if (prepared.prepared === null)
        return { ok: true, change: null, snapshot: state.snapshot, replayed: false };
      const { next, change, audit } = prepared.prepared;
      state.apply(next, change, audit, request.idempotencyKey);
      this.listeners.emit(change);
      return { ok: true, change, snapshot: state.snapshot, replayed: false };
    });
  }

  async audit(
    environment: string,
    filter?: { kind?: 'flag' | 'segment'; key?: string; limit?: number },
  ): Promise<AuditEntry[]> {
    return this.states.get(environment)?.auditEntries(filter) ?? [];
  }

  onChange(listener: (change: ChangeRecord) => void): () => void {
    return this.listeners.add(listener);
  }

  health(): { ready: boolean; detail?: string } {
    return { ready: true };
  }

  async close(): Promise<void> {}
}
