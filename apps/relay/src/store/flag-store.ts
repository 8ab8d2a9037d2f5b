import type { Flag, Patch, Segment, Snapshot, ValidationError } from '@switchyard/core';

/** One committed change of an environment: the patch SDKs receive, exactly as stored. */
export interface ChangeRecord {
  environment: string;
  /** The version the change applies on top of (always `version - 1`). */
  from: number;
  version: number;
  /** The server-audience patch (DESIGN §5): changed flags and segments, deletions. */
  patch: Patch & { from: number };
  /** `JSON.stringify(patch)`, computed once at commit: the bytes every stream sends. */
  patchJson: string;
  committedAt: string;
}

/** Who changed what, and how (DESIGN §6). */
export interface AuditEntry {
  environment: string;
  version: number;
  at: string;
  /** The admin token's name, or a system actor such as `rollout` or `schedule`. */
  actor: string;
  action: string;
  kind: 'flag' | 'segment';
  key: string;
  before: Flag | Segment | null;
  after: Flag | Segment | null;
}

/** The entries a mutation writes: a flag or segment to store, or null to delete it. */
export interface Mutation {
  flags?: Record<string, Flag | null>;
  segments?: Record<string, Segment | null>;
}

/** What a mutate function answers: the entries to write, or a refusal that changes nothing. */
export type MutationOutcome =
  | { ok: true; mutation: Mutation }
  | { ok: false; status: 404 | 409 | 422; message: string; errors?: ValidationError[] };

/** One request to change an environment through `FlagStore.update`. */
export interface UpdateRequest {
  /** Refuse with a conflict unless the environment is at this version (optional). */
  expectedVersion?: number;
  /** Computes the change from the current snapshot; it must not mutate its argument. */
  mutate: (current: Snapshot) => MutationOutcome;
  actor: string;
  action: string;
  /** A retried write with the same key answers the first result and applies nothing. */
  idempotencyKey?: string;
}

/** What `FlagStore.update` answers. */
export type UpdateResult =
  /** `change` is null when the mutation changed nothing (an idempotent delete, say). */
  | { ok: true; change: ChangeRecord | null; snapshot: Snapshot; replayed: boolean }
  | { ok: false; status: 404 | 409 | 422; message: string; errors?: ValidationError[] };

/** What `changesSince` answers: the stored patches after a version, or that they are gone. */
export type ChangesSince =
  { ok: true; changes: readonly ChangeRecord[] } | { ok: false; reason: 'too-old' | 'future' };

/**
 * The store port (DESIGN §6). Implementations: FileFlagStore (embedded default),
 * MemoryFlagStore (tests), PostgresFlagStore (several relays sharing one truth).
 * Reads are served from memory; `update` is one atomic, durable, ordered commit.
 */
export interface FlagStore {
  /** Loads state; resolves once snapshots can be read. */
  open(): Promise<void>;
  environments(): readonly string[];
  /** The current snapshot of an environment (frozen; never mutate it). */
  snapshot(environment: string): Snapshot | undefined;
  /** Stored changes after `version`, oldest first, or "too-old" when the ring no longer holds them. */
  changesSince(environment: string, version: number): ChangesSince;
  /**
   * Checks the expected version, runs `mutate`, validates the result, assigns
   * `version + 1` to the environment and to every written entry, stores the patch and
   * the audit entries, and resolves once the change is durable. Fails with nothing
   * changed on a conflict or a validation error.
   */
  update(environment: string, request: UpdateRequest): Promise<UpdateResult>;
  /** Audit entries, newest first, optionally for one flag or segment. */
  audit(
    environment: string,
    filter?: { kind?: 'flag' | 'segment'; key?: string; limit?: number },
  ): Promise<AuditEntry[]>;
  /** Calls `listener` after every commit (including commits made by other relays, where shared). */
  onChange(listener: (change: ChangeRecord) => void): () => void;
  /** Whether the last load succeeded (a read-only file source can hold a bad file). */
  health(): { ready: boolean; detail?: string };
  /** Flushes and releases resources. */
  close(): Promise<void>;
}
