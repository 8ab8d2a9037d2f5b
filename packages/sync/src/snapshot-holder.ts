import {
  applyPatch,
  changedFlagKeys,
  compileSnapshot,
  type BucketCache,
  type CompiledSnapshot,
  type Patch,
  type Snapshot,
} from '@switchyard/core';
import { whyNotSnapshot } from '@switchyard/core/protocol';

/** What applying a message did. */
export type ApplyOutcome =
  | { kind: 'applied'; compiled: CompiledSnapshot; changedFlags: string[] }
  | { kind: 'unchanged' }
  /** The payload was refused; the previous snapshot stays. `resync` asks for a full put. */
  | { kind: 'refused'; reason: string; resync: boolean };

/**
 * Holds the live compiled snapshot and applies puts and patches through core. Never goes
 * back in version: a put older than what is held is refused, a patch that does not apply on
 * top of the held version asks for a resync, and a payload that is not a snapshot is
 * refused whole while the previous snapshot stays live.
 */
export class SnapshotHolder {
  #held: CompiledSnapshot | undefined;
  readonly #bucketCache: BucketCache | null | undefined;

  constructor(bucketCache: BucketCache | null | undefined) {
    this.#bucketCache = bucketCache;
  }

  get current(): CompiledSnapshot | undefined {
    return this.#held;
  }

  /**
   * Applies a full snapshot. `allowOlder` accepts one older than held: the relay's answer to
   * a fresh connection is its truth, even when a cache or a wiped relay put us ahead of it.
   */
  put(snapshot: unknown, allowOlder = false): ApplyOutcome {
    const why = whyNotSnapshot(snapshot);
    if (why !== undefined) return { kind: 'refused', reason: why, resync: false };
    const incoming = snapshot as Snapshot;
    const held = this.#held;
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
      this.#bucketCache === undefined ? {} : { bucketCache: this.#bucketCache },
    );
    this.#held = compiled;
    return { kind: 'applied', compiled, changedFlags: changedFlagKeys(held, compiled) };
  }

  /** Applies a patch on top of the held snapshot. */
  patch(patch: Patch): ApplyOutcome {
    const held = this.#held;
    if (held === undefined)
      return { kind: 'refused', reason: 'a patch arrived before any snapshot', resync: true };
    if (typeof patch.version === 'number' && patch.version <= held.version)
      return { kind: 'unchanged' };
    const result = applyPatch(held, patch);
    if (!result.ok)
      return { kind: 'refused', reason: result.message, resync: result.reason !== 'stale' };
    this.#held = result.compiled;
    return { kind: 'applied', compiled: result.compiled, changedFlags: result.changedFlags };
  }
}
