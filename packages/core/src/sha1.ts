import { compressBlock } from './sha1-compress';
import { encodedBytes, encodePaddedUtf8, readBlock } from './utf8-blocks';

// Module-level scratch space: hashing is synchronous, so one block and one state suffice.
const block = new Int32Array(16);
const state = new Int32Array(5);

function resetState(): void {
  state[0] = 0x67452301;
  state[1] = 0xefcdab89 | 0;
  state[2] = 0x98badcfe | 0;
  state[3] = 0x10325476;
  state[4] = 0xc3d2e1f0 | 0;
}

/**
 * The constant head of hash inputs (`<key>.<salt>.`), packed once at compile time so that a
 * bucket only packs the context's value: the head is never concatenated, re-read or copied
 * while the same head keeps hashing.
 */
export interface HashPrefix {
  readonly text: string;
  /** The head's bytes as big-endian block words, zeros after; null when not short ASCII. */
  readonly words: Int32Array | null;
}

export function hashPrefix(text: string): HashPrefix {
  let words: Int32Array | null = null;
  if (text.length <= 55) {
    words = new Int32Array(16);
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code >= 0x80) {
        words = null;
        break;
      }
      words[i >> 2]! |= code << (24 - ((i & 3) << 3));
    }
  }
  return Object.freeze({ text, words });
}

/** The head words `block` holds in its leading words (null: unknown, reload them). */
let loadedHead: Int32Array | null = null;

/**
 * Fast path for the common hash input, a short ASCII string in one block: writes the tail's
 * char codes after the head's words, then the padding and length. Answers false (having
 * spoiled the block) when the input is too long or the tail is not ASCII.
 */
function loadTail(head: Int32Array, headLength: number, tail: string): boolean {
  const length = headLength + tail.length;
  if (length > 55) return false;
  if (loadedHead !== head) {
    block.set(head);
    loadedHead = head;
  }
  let index = headLength >> 2;
  let word = head[index]!;
  let shift = 24 - ((headLength & 3) << 3);
  for (let i = 0; i < tail.length; i++) {
    const code = tail.charCodeAt(i);
    if (code >= 0x80) {
      loadedHead = null;
      return false;
    }
    word |= code << shift;
    if (shift === 0) {
      block[index++] = word;
      word = 0;
      shift = 24;
    } else {
      shift -= 8;
    }
  }
  block[index++] = word | (0x80 << shift);
  while (index < 15) block[index++] = 0;
  block[15] = length * 8;
  return true;
}

function sha1Into(input: string): void {
  loadedHead = null;
  resetState();
  const blockCount = encodePaddedUtf8(input);
  const bytes = encodedBytes();
  for (let i = 0; i < blockCount; i++) {
    readBlock(bytes, i, block);
    compressBlock(block, state);
  }
}

/** SHA-1 of the UTF-8 bytes of `input`, as 40 lowercase hex digits (tests and tooling). */
export function sha1Hex(input: string): string {
  sha1Into(input);
  let hex = '';
  for (const word of state) hex += (word >>> 0).toString(16).padStart(8, '0');
  return hex;
}

/**
 * 0xFFFFFFFFFFFFFFF as a double (it rounds to 2^60), the divisor LaunchDarkly's SDKs use;
 * written as the power so the rounding is explicit.
 */
const LARGEST_60_BIT = 2 ** 60;

const NO_HEAD = hashPrefix('');

/**
 * The bucket of a hash input (DESIGN §4): the first 15 hex digits of SHA-1(input) read as
 * an integer n, then floor(n / 0xFFFFFFFFFFFFFFF * 100000), an integer 0..99999.
 * The 60-bit prefix is read straight from the state words, no hex string is built, and
 * the arithmetic matches `parseInt(hex.slice(0, 15), 16)` in every runtime.
 */
export function bucketFor(hashInput: string): number {
  return bucketWithPrefix(NO_HEAD, hashInput);
}

/** The bucket of `<prefix.text><tail>`, packing only the tail on the fast path. */
export function bucketWithPrefix(prefix: HashPrefix, tail: string): number {
  const head = prefix.words;
  if (head !== null && loadTail(head, prefix.text.length, tail)) {
    resetState();
    compressBlock(block, state);
  } else {
    sha1Into(prefix.text + tail);
  }
  // h0 (32 bits) then the top 28 bits of h1: h0 * 2^28 is exact, the sum rounds once.
  const prefixBits = (state[0]! >>> 0) * 0x10000000 + (state[1]! >>> 4);
  return Math.floor((prefixBits / LARGEST_60_BIT) * 100000);
}
