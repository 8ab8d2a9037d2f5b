import { encodedBytes, encodePaddedUtf8, readBlock } from './utf8-blocks';

// Module-level scratch space: hashing is synchronous, so one schedule is enough.
const schedule = new Int32Array(80);
let h0 = 0;
let h1 = 0;
let h2 = 0;
let h3 = 0;
let h4 = 0;

/** Compresses the block whose 16 words are in schedule[0..15]. */
function compress(): void {
  const w = schedule;
  for (let t = 16; t < 80; t++) {
    const x = w[t - 3]! ^ w[t - 8]! ^ w[t - 14]! ^ w[t - 16]!;
    w[t] = (x << 1) | (x >>> 31);
  }
  // `| 0` tells the compiler these are int32: module variables may hold boxed doubles,
  // and without it every round below runs in float arithmetic (measured 2-3x slower).
  let a = h0 | 0;
  let b = h1 | 0;
  let c = h2 | 0;
  let d = h3 | 0;
  let e = h4 | 0;
  // Four loops rather than one with branches: V8 keeps each tight.
  for (let t = 0; t < 20; t++) {
    const temp = (((a << 5) | (a >>> 27)) + ((b & c) | (~b & d)) + e + 0x5a827999 + w[t]!) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = temp;
  }
  for (let t = 20; t < 40; t++) {
    const temp = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + 0x6ed9eba1 + w[t]!) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = temp;
  }
  for (let t = 40; t < 60; t++) {
    const temp =
      (((a << 5) | (a >>> 27)) + ((b & c) | (b & d) | (c & d)) + e + 0x8f1bbcdc + w[t]!) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = temp;
  }
  for (let t = 60; t < 80; t++) {
    const temp = (((a << 5) | (a >>> 27)) + (b ^ c ^ d) + e + 0xca62c1d6 + w[t]!) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = temp;
  }
  h0 = (h0 + a) | 0;
  h1 = (h1 + b) | 0;
  h2 = (h2 + c) | 0;
  h3 = (h3 + d) | 0;
  h4 = (h4 + e) | 0;
}

/** Packs the ASCII char codes of `text` into the schedule from byte `offset`; false on non-ASCII. */
function packAscii(text: string, offset: number): boolean {
  const w = schedule;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x80) return false;
    const at = offset + i;
    w[at >> 2]! |= code << (24 - ((at & 3) << 3));
  }
  return true;
}

/**
 * Fast path for the common hash input, a short ASCII string in one block: packs char codes
 * of both parts straight into the schedule words, so the parts are never concatenated.
 * Answers false (having written nothing useful) otherwise.
 */
function loadShortAscii(head: string, tail: string): boolean {
  const length = head.length + tail.length;
  if (length > 55) return false;
  const w = schedule;
  for (let t = 0; t < 16; t++) w[t] = 0;
  if (!packAscii(head, 0) || !packAscii(tail, head.length)) return false;
  w[length >> 2]! |= 0x80 << (24 - ((length & 3) << 3));
  w[15] = length * 8;
  return true;
}

function resetState(): void {
  h0 = 0x67452301;
  h1 = 0xefcdab89 | 0;
  h2 = 0x98badcfe | 0;
  h3 = 0x10325476;
  h4 = 0xc3d2e1f0 | 0;
}

function sha1Into(input: string): void {
  resetState();
  const blockCount = encodePaddedUtf8(input);
  const bytes = encodedBytes();
  for (let i = 0; i < blockCount; i++) {
    readBlock(bytes, i, schedule);
    compress();
  }
}

/** SHA-1 of the UTF-8 bytes of `input`, as 40 lowercase hex digits (tests and tooling). */
export function sha1Hex(input: string): string {
  sha1Into(input);
  let hex = '';
  for (const word of [h0, h1, h2, h3, h4]) hex += (word >>> 0).toString(16).padStart(8, '0');
  return hex;
}

/**
 * 0xFFFFFFFFFFFFFFF as a double (it rounds to 2^60), the divisor LaunchDarkly's SDKs use;
 * written as the product so the rounding is explicit.
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
  resetState();
  if (loadShortAscii(head, tail)) compress();
  else sha1Into(head + tail);
  // h0 (32 bits) then the top 28 bits of h1: h0 * 2^28 is exact, the sum rounds once.
  const prefix = (h0 >>> 0) * 0x10000000 + (h1 >>> 4);
  return Math.floor((prefix / LARGEST_60_BIT) * 100000);
}
