/**
 * Where buckets are remembered between evaluations. A bucket is a pure function of its hash
 * input `<prefix><value>` (prefix = `<flagKey>.<salt>.`), so a cache can be shared by every
 * snapshot and never goes stale. The input comes in its two parts so that a cache can avoid
 * building (and hashing) the concatenated string on every lookup.
 */
export interface BucketCache {
  get(prefix: string, value: string): number | undefined;
  set(prefix: string, value: string, bucket: number): void;
}

/**
 * A small bounded cache on Maps (one per hash prefix): once `maxEntries` are held, the oldest
 * entry of the same flag leaves first, or the least recently created flag's entries. It has
 * no dependency, so browser bundles stay small; servers plug in an LRU of their own.
 * `maxEntries` 0 answers null: no cache.
 */
export function createBoundedBucketCache(maxEntries = 10_000): BucketCache | null {
  if (!Number.isInteger(maxEntries) || maxEntries < 0) {
    throw new RangeError(`maxEntries must be a non-negative integer, got ${String(maxEntries)}`);
  }
  if (maxEntries === 0) return null;
  const byPrefix = new Map<string, Map<string, number>>();
  let size = 0;
  const evictOne = (preferred: Map<string, number> | undefined): void => {
    const from =
      preferred !== undefined && preferred.size > 0 ? preferred : byPrefix.values().next().value;
    if (from === undefined) return;
    const oldest = from.keys().next();
    if (oldest.done === true) return;
    from.delete(oldest.value);
    size--;
    if (from.size === 0) {
      for (const [prefix, entries] of byPrefix) {
        if (entries === from) {
          byPrefix.delete(prefix);
          break;
        }
      }
    }
  };
  return {
    get(prefix, value) {
      return byPrefix.get(prefix)?.get(value);
    },
    set(prefix, value, bucket) {
      let entries = byPrefix.get(prefix);
      if (entries?.has(value) === true) return;
      if (size >= maxEntries) evictOne(entries);
      if (entries === undefined || !byPrefix.has(prefix)) {
        entries = new Map();
        byPrefix.set(prefix, entries);
      }
      entries.set(value, bucket);
      size++;
    },
  };
}

/** The cache compiled snapshots use unless told otherwise: shared, 10,000 entries. */
export const defaultBucketCache: BucketCache | null = createBoundedBucketCache(10_000);
