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

/** Packs the ASCII char codes of `text` into the block from byte `offset`; false on non-ASCII. */
function packAscii(text: string, offset: number): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x80) return false;
    const at = offset + i;
    block[at >> 2]! |= code << (24 - ((at & 3) << 3));
  }
  return true;
}

/**
 * Fast path for the common hash input, a short ASCII string in one block: packs char codes
 * of both parts straight into the block words, so the parts are never concatenated and no
 * bytes are encoded. Answers false (having written nothing useful) otherwise.
 */
function loadShortAscii(head: string, tail: string): boolean {
  const length = head.length + tail.length;
  if (length > 55) return false;
  block.fill(0);
  if (!packAscii(head, 0) || !packAscii(tail, head.length)) return false;
  block[length >> 2]! |= 0x80 << (24 - ((length & 3) << 3));
  block[15] = length * 8;
  return true;
}

function sha1Into(input: string): void {
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

/**
 * The bucket of a hash input (DESIGN §4): the first 15 hex digits of SHA-1(input) read as
 * an integer n, then floor(n / 0xFFFFFFFFFFFFFFF * 100000), an integer 0..99999.
 * The 60-bit prefix is read straight from the state words, no hex string is built, and
 * the arithmetic matches `parseInt(hex.slice(0, 15), 16)` in every runtime.
 */
export function bucketFor(hashInput: string): number {
  return bucketForParts(hashInput, '');
}

/** bucketFor(head + tail) without building the concatenation on the fast path. */
export function bucketForParts(head: string, tail: string): number {
  if (loadShortAscii(head, tail)) {
    resetState();
    compressBlock(block, state);
  } else {
    sha1Into(head + tail);
  }
  // h0 (32 bits) then the top 28 bits of h1: h0 * 2^28 is exact, the sum rounds once.
  const prefix = (state[0]! >>> 0) * 0x10000000 + (state[1]! >>> 4);
  return Math.floor((prefix / LARGEST_60_BIT) * 100000);
}
