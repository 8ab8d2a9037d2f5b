import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sha1Hex } from '../src/index';
import { compressBlock } from '../src/sha1-compress';
import { compressBlock as looped } from '../src/sha1-compress-looped';
import { compressBlock as unrolled } from '../src/sha1-compress-unrolled';
import { encodedBytes, encodePaddedUtf8, readBlock } from '../src/utf8-blocks';

type Compress = typeof compressBlock;

/** SHA-1 of a string through one compression function (padding and blocks as sha1.ts does). */
function sha1With(compress: Compress, input: string): string {
  const state = new Int32Array([0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0]);
  const block = new Int32Array(16);
  const blockCount = encodePaddedUtf8(input);
  const bytes = encodedBytes();
  for (let i = 0; i < blockCount; i++) {
    readBlock(bytes, i, block);
    compress(block, state);
  }
  return [...state].map((word) => (word >>> 0).toString(16).padStart(8, '0')).join('');
}

const inBrowser = typeof (globalThis as { document?: unknown }).document === 'object';

describe('SHA-1 compression', () => {
  it(`resolves #sha1-compress to the ${inBrowser ? 'looped' : 'unrolled'} form here`, () => {
    expect(compressBlock).toBe(inBrowser ? looped : unrolled);
  });

  it('compresses any block from any state the same way in the looped and unrolled forms', () => {
    const words = (length: number) =>
      fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), {
        minLength: length,
        maxLength: length,
      });
    fc.assert(
      fc.property(words(16), words(5), (blockWords, stateWords) => {
        const block = new Int32Array(blockWords);
        const a = new Int32Array(stateWords);
        const b = new Int32Array(stateWords);
        looped(block, a);
        unrolled(block, b);
        expect([...a]).toEqual([...b]);
        // Neither may touch the block: sha1.ts keeps packed words in it between hashes.
        expect([...block]).toEqual(blockWords);
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    ['', 'da39a3ee5e6b4b0d3255bfef95601890afd80709'],
    ['abc', 'a9993e364706816aba3e25717850c26c9cd0d89d'],
    [
      'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq',
      '84983e441c3bd26ebaae4aa1f95129e5e54670f1',
    ],
    ['héllo wörld €𝄞', '3b40c2420a1f65685bb8b4212ca447e298d656f5'],
    ['a'.repeat(1000), '291e9a6c66994949b57ba5e650361e98fc36b1ba'],
  ])('gives the published digest of %j in both forms', (input, digest) => {
    expect(sha1With(looped, input)).toBe(digest);
    expect(sha1With(unrolled, input)).toBe(digest);
  });

  it('hashes strings of every length, ASCII or not, identically in both forms and as sha1Hex', () => {
    const text = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.string({ unit: 'grapheme', maxLength: 80 }),
    );
    fc.assert(
      fc.property(text, (input) => {
        const expected = sha1Hex(input);
        expect(sha1With(looped, input)).toBe(expected);
        expect(sha1With(unrolled, input)).toBe(expected);
      }),
      { numRuns: 1000 },
    );
  });
});
