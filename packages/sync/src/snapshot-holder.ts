import {
  applyPatch,
  changedFlagKeys,
  compileSnapshot,
  type BucketCache,
  type CompiledSnapshot,
  type Patch,
  type Snapshot,
} from '@switchyard/core';

/** What applying a message did. */
export type ApplyOutcome =
  | { kind: 'applied'; compiled: CompiledSnapshot; changedFlags: string[] }
  | { kind: 'unchanged' }
  /** The payload was refused; the previous snapshot stays. `resync` asks for a full put. */
  | { kind: 'refused'; reason: string; resync: boolean };

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Why a put payload is not a snapshot at all (the content of each flag is checked when compiled). */
function whyNotSnapshot(value: unknown): string | undefined {
  if (!isPlainObject(value)) return 'snapshot is not an object';
  if (value.schemaVersion !== 1)
    return `unsupported schemaVersion ${JSON.stringify(value.schemaVersion)}`;
  if (
    typeof value.version !== 'number' ||
    !Number.isSafeInteger(value.version) ||
    value.version < 0
  ) {
    return 'snapshot version is not a non-negative integer';
  }
  if (!isPlainObject(value.flags) || !isPlainObject(value.segments))
    return 'snapshot flags or segments are not objects';
  return undefined;
}

/**
 * Holds the live compiled snapshot and applies puts and patches through core. Never goes
 * back in version: a put older than what is held is refused, a patch that does not apply on
 * top of the held version asks for a resync, and a payload that is not a snapshot is
 * refused whole while the previous snapshot stays live.
 */
export class SnapshotHolder {
  private held: CompiledSnapshot | undefined;

  constructor(private readonly bucketCache: BucketCache | null | undefined) {}

  get current(): CompiledSnapshot | undefined {
    return this.held;
  }

  /**
   * Applies a full snapshot. `allowOlder` accepts one older than held: the relay's answer to
   * a fresh connection is its truth, even when a cache or a wiped relay put us ahead of it.
   */
  put(snapshot: unknown, allowOlder = false): ApplyOutcome {
    const why = whyNotSnapshot(snapshot);
    if (why !== undefined) return { kind: 'refused', reason: why, resync: false };
    const incoming = snapshot as Snapshot;
    const held = this.held;
    if (held !== undefined && incoming.version < held.version && !allowOlder) {
      return {
        kind: 'refused',
        reason: `put version ${incoming.version} is older than held ${held.version}`,
        resync: false,
      };
    }
    if (
      held !== undefined &&
      incoming.version === held.version &&
      incoming.environment === held.environment
    ) {
      return { kind: 'unchanged' };
    }
    const compiled = compileSnapshot(
      incoming,
      this.bucketCache === undefined ? {} : { bucketCache: this.bucketCache },
    );
    this.held = compiled;
    return { kind: 'applied', compiled, changedFlags: changedFlagKeys(held, compiled) };
  }

  /** Applies a patch on top of the held snapshot. */
  patch(patch: Patch): ApplyOutcome {
    const held = this.held;
    if (held === undefined)
      return { kind: 'refused', reason: 'a patch arrived before any snapshot', resync: true };
    if (typeof patch.version === 'number' && patch.version <= held.version)
      return { kind: 'unchanged' };
    const result = applyPatch(held, patch);
    if (!result.ok)
      return { kind: 'refused', reason: result.message, resync: result.reason !== 'stale' };
    this.held = result.compiled;
    return { kind: 'applied', compiled: result.compiled, changedFlags: result.changedFlags };
  }
}
