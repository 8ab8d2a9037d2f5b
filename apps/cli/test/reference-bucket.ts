import { createHash } from 'node:crypto';

// 2^60 - 1 is not exactly representable; dividing by its rounded double is what DESIGN §4
// (like LaunchDarkly) specifies, so the constant is built at runtime, rounding and all.
const MAX_HASH = Number.parseInt('f'.repeat(15), 16);

/**
 * DESIGN §4 bucketing recomputed with node:crypto, independently of the core, so tests can
 * pick contexts on either side of a threshold and check the CLI reports the same bucket.
 */
export function referenceBucket(flagKey: string, value: string, salt: string = flagKey): number {
  const digest = createHash('sha1').update(`${flagKey}.${salt}.${value}`, 'utf8').digest('hex');
  return Math.floor((Number.parseInt(digest.slice(0, 15), 16) / MAX_HASH) * 100000);
}

/** The first of `visitor_1`, `visitor_2`, ... whose bucket for the flag satisfies `accept`. */
export function findUser(flagKey: string, accept: (bucket: number) => boolean): string {
  for (let index = 1; index < 10_000; index++) {
    const user = `visitor_${index}`;
    if (accept(referenceBucket(flagKey, user))) return user;
  }
  throw new Error(`no user found for ${flagKey}`);
}
