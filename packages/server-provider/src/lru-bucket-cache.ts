import type { BucketCache } from '@switchyard/core';
import { LRUCache } from 'lru-cache';

/**
 * A bucket cache on lru-cache for long-running servers (many users, hot keys stay). Size 0
 * disables caching. Browsers use core's dependency-free bounded Map instead.
 */
export function createLruBucketCache(maxEntries: number): BucketCache | null {
  if (maxEntries === 0) return null;
  const cache = new LRUCache<string, number>({ max: maxEntries });
  return {
    get: (prefix, value) => cache.get(prefix + value),
    set: (prefix, value, bucket) => {
      cache.set(prefix + value, bucket);
    },
  };
}
