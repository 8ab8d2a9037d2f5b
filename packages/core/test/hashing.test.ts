import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bucketFor, createBoundedBucketCache, sha1Hex, sha256Hex } from '../src/index';
import { bucketWithPrefix, hashPrefix } from '../src/sha1';

// Published FIPS 180 vectors, plus non-ASCII and lone-surrogate inputs checked against node:crypto.
const vectors: [string, string, string][] = [
  [
    '',
    'da39a3ee5e6b4b0d3255bfef95601890afd80709',
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  ],
  [
    'abc',
    'a9993e364706816aba3e25717850c26c9cd0d89d',
    'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
  ],
  [
    'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq',
    '84983e441c3bd26ebaae4aa1f95129e5e54670f1',
    '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
  ],
  [
    'héllo wörld €𝄞',
    '3b40c2420a1f65685bb8b4212ca447e298d656f5',
    '8950e611d8677d40524f8179eedbf3f25cf9f54f652a01fc14f4b3537e00ecae',
  ],
  [
    '\ud800x',
    '1b14366e732a705b712cbf9fca4e9e89dcf70b17',
    'a87ce46793cc659b79bd187e998f8488635f707d5be0957e1d565981efd2b04b',
  ],
  [
    'a'.repeat(1000),
    '291e9a6c66994949b57ba5e650361e98fc36b1ba',
    '41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3',
  ],
];

/** DESIGN §4 spelled out the slow way: hex, first 15 digits, parseInt, divide, floor. */
const referenceBucket = (input: string): number =>
  // eslint-disable-next-line no-loss-of-precision -- the literal DESIGN §4 names, rounded as every runtime does
  Math.floor((parseInt(sha1Hex(input).slice(0, 15), 16) / 0xfffffffffffffff) * 100000);

describe('hashing', () => {
  it.each(vectors)('SHA-1 and SHA-256 of %j match the published digests', (input, sha1, sha256) => {
    expect(sha1Hex(input)).toBe(sha1);
    expect(sha256Hex(input)).toBe(sha256);
  });

  it('gives the DESIGN §4 vector: my-flag.my-salt.user-123 is bucket 44930', () => {
    expect(sha1Hex('my-flag.my-salt.user-123').slice(0, 15)).toBe('73057e2a00bc05d');
    expect(bucketFor('my-flag.my-salt.user-123')).toBe(44930);
  });

  it('reads the 60-bit prefix exactly as parsing the first 15 hex digits would', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (input) => {
        expect(bucketFor(input)).toBe(referenceBucket(input));
      }),
      { numRuns: 2000 },
    );
  });

  it('buckets a packed head plus a tail exactly as the whole input, whatever was hashed before', () => {
    // Heads and tails cross word boundaries, the one-block limit and ASCII; calls interleave
    // heads and whole-input hashes so the block's remembered head words are put to the test.
    const text = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.string({ maxLength: 60 }),
      fc.string({ unit: 'binary', maxLength: 30 }),
    );
    // Expected values first: the reference hashes through the block too, and must not run between.
    const head = hashPrefix('flag.salt.');
    const tails = ['a-much-longer-user-key-0123456789', 'u1', '', 'é', 'u2'];
    const expected = tails.map((tail) => referenceBucket(head.text + tail));
    expect(tails.map((tail) => bucketWithPrefix(head, tail))).toEqual(expected);
    fc.assert(
      fc.property(
        fc.array(text, { minLength: 1, maxLength: 4 }),
        fc.array(fc.tuple(fc.nat(), text, fc.boolean()), { minLength: 1, maxLength: 12 }),
        (heads, calls) => {
          const prefixes = heads.map(hashPrefix);
          const inputs = calls.map(([pick, tail, interleave]) => ({
            prefix: prefixes[pick % prefixes.length]!,
            tail,
            interleave,
          }));
          const expected = inputs.map(({ prefix, tail }) => referenceBucket(prefix.text + tail));
          const actual = inputs.map(({ prefix, tail, interleave }) => {
            if (interleave) sha1Hex(tail);
            return bucketWithPrefix(prefix, tail);
          });
          expect(actual).toEqual(expected);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('always answers an integer from 0 to 99999', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (input) => {
        const bucket = bucketFor(input);
        expect(Number.isInteger(bucket) && bucket >= 0 && bucket < 100000).toBe(true);
      }),
    );
  });

  it('spreads 100k keys uniformly over 100 bins (chi-square, 99 degrees of freedom)', () => {
    const bins = new Array<number>(100).fill(0);
    const keys = 100_000;
    for (let i = 0; i < keys; i++)
      bins[Math.floor(bucketFor(`uniform.uniform.user-${i}`) / 1000)]!++;
    const expected = keys / 100;
    const chiSquare = bins.reduce(
      (sum, observed) => sum + (observed - expected) ** 2 / expected,
      0,
    );
    // The 99.9th percentile of chi-square with 99 degrees of freedom is about 148.2.
    expect(chiSquare).toBeLessThan(148.2);
  });

  it('buckets the same keys independently for different flags', () => {
    // Of the users in flag A's first 10%, about 10% (not 100%) should be in flag B's first 10%.
    let inA = 0;
    let inBoth = 0;
    for (let i = 0; i < 100_000; i++) {
      const a = bucketFor(`flag-a.flag-a.user-${i}`) < 10_000;
      const b = bucketFor(`flag-b.flag-b.user-${i}`) < 10_000;
      if (a) inA++;
      if (a && b) inBoth++;
    }
    expect(inBoth / inA).toBeGreaterThan(0.085);
    expect(inBoth / inA).toBeLessThan(0.115);
  });
});

describe('createBoundedBucketCache', () => {
  it('keeps serving every flag when one flag filled it first', () => {
    const cache = createBoundedBucketCache(100)!;
    for (let i = 0; i < 100; i++) cache.set('a.a.', `u${i}`, i);
    for (let i = 0; i < 40; i++) cache.set('b.b.', `u${i}`, i);
    let hits = 0;
    for (let i = 0; i < 40; i++) if (cache.get('b.b.', `u${i}`) === i) hits++;
    expect(hits).toBe(40);
  });

  it('keeps the last maxEntries buckets used, and never more than twice that', () => {
    const cache = createBoundedBucketCache(10)!;
    cache.set('f.', 'hot', 1);
    for (let i = 0; i < 1000; i++) {
      cache.set('f.', `cold-${i}`, i);
      expect(cache.get('f.', 'hot')).toBe(1);
    }
    let held = 0;
    for (let i = 0; i < 1000; i++) if (cache.get('f.', `cold-${i}`) !== undefined) held++;
    expect(held).toBeLessThanOrEqual(20);
    for (let i = 990; i < 1000; i++) expect(cache.get('f.', `cold-${i}`)).toBe(i);
  });

  it('is no cache at size 0 and refuses a negative size', () => {
    expect(createBoundedBucketCache(0)).toBeNull();
    expect(() => createBoundedBucketCache(-1)).toThrow(RangeError);
  });
});
