/**
 * Where buckets are remembered between evaluations, keyed by hash input. Buckets are a pure
 * function of the input, so a cache can be shared by every snapshot and never goes stale.
 */
export interface BucketCache {
  get(hashInput: string): number | undefined;
  set(hashInput: string, bucket: number): void;
}

/**
 * A small bounded cache on a Map: once full, the oldest entry leaves first. It carries no
 * dependency, so browser bundles stay small; servers plug in an LRU of their own.
 */
export function createBoundedBucketCache(maxEntries = 10_000): BucketCache | null {
  if (!Number.isInteger(maxEntries) || maxEntries < 0) {
    throw new RangeError(`maxEntries must be a non-negative integer, got ${String(maxEntries)}`);
  }
  if (maxEntries === 0) return null;
  const entries = new Map<string, number>();
  return {
    get: (hashInput) => entries.get(hashInput),
    set(hashInput, bucket) {
      if (entries.size >= maxEntries) {
        const oldest = entries.keys().next();
        if (oldest.done !== true) entries.delete(oldest.value);
      }
      entries.set(hashInput, bucket);
    },
  };
}

/** The cache compiled snapshots use unless told otherwise: shared, 10,000 entries. */
export const defaultBucketCache: BucketCache | null = createBoundedBucketCache(10_000);
