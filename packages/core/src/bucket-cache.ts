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
 * A small bounded cache with two generations of Maps keyed by hash prefix then value: new
 * entries go to the young generation; when it holds `maxEntries` it becomes the old one and
 * the previous old one is dropped; a hit in the old generation is copied forward. So the
 * last `maxEntries` buckets used are always kept, for every flag alike, in O(1), and at most
 * twice that many are held. No dependency, so browser bundles stay small (servers plug in
 * lru-cache). `maxEntries` 0 answers null: no cache.
 */
export function createBoundedBucketCache(maxEntries = 10_000): BucketCache | null {
  if (!Number.isInteger(maxEntries) || maxEntries < 0) {
    throw new RangeError(`maxEntries must be a non-negative integer, got ${String(maxEntries)}`);
  }
  if (maxEntries === 0) return null;
  let young = new Map<string, Map<string, number>>();
  let old = new Map<string, Map<string, number>>();
  let youngSize = 0;

  const put = (prefix: string, value: string, bucket: number): void => {
    if (youngSize >= maxEntries) {
      old = young;
      young = new Map();
      youngSize = 0;
      lastEntries = undefined;
    }
    let entries = young.get(prefix);
    if (entries === undefined) {
      entries = new Map();
      young.set(prefix, entries);
      if (prefix === lastPrefix) lastEntries = entries;
    }
    if (!entries.has(value)) youngSize++;
    entries.set(value, bucket);
  };

  // Most lookups in a row are for the same flag: remember its young entries.
  let lastPrefix: string | undefined;
  let lastEntries: Map<string, number> | undefined;
  return {
    get(prefix, value) {
      let entries = lastEntries;
      if (prefix !== lastPrefix || entries === undefined) {
        entries = young.get(prefix);
        lastPrefix = prefix;
        lastEntries = entries;
      }
      const bucket = entries?.get(value);
      if (bucket !== undefined) return bucket;
      const aging = old.get(prefix)?.get(value);
      if (aging !== undefined) put(prefix, value, aging);
      return aging;
    },
    set: put,
  };
}

/** The cache compiled snapshots use unless told otherwise: shared, 10,000 entries. */
export const defaultBucketCache: BucketCache | null = createBoundedBucketCache(10_000);
