import { encodedBytes, encodePaddedUtf8, readBlock } from './utf8-blocks';

/**
 * The first 32 bits of the fractional parts of the cube roots (K) and square roots (initial
 * state) of the first primes, as FIPS 180-4 defines them. Computed at load instead of
 * written out: the table costs more bytes in browser bundles than the loop that makes it,
 * and double precision leaves 20+ spare bits, so every word comes out exact (tested
 * against the published digests).
 */
function primeRootWords(count: number, root: (n: number) => number): Int32Array {
  const words = new Int32Array(count);
  for (let candidate = 2, found = 0; found < count; candidate++) {
    let prime = true;
    for (let divisor = 2; divisor * divisor <= candidate; divisor++)
      if (candidate % divisor === 0) prime = false;
    if (!prime) continue;
    const value = root(candidate);
    words[found++] = ((value - Math.floor(value)) * 0x100000000) | 0;
  }
  return words;
}

const K = primeRootWords(64, Math.cbrt);
const INITIAL = primeRootWords(8, Math.sqrt);
const schedule = new Int32Array(64);
const state = new Int32Array(8);

const rotr = (x: number, n: number): number => (x >>> n) | (x << (32 - n));

function processBlock(bytes: Uint8Array, index: number): void {
  const w = schedule;
  readBlock(bytes, index, w);
  for (let t = 16; t < 64; t++) {
    const x = w[t - 15]!;
    const y = w[t - 2]!;
    const s0 = rotr(x, 7) ^ rotr(x, 18) ^ (x >>> 3);
    const s1 = rotr(y, 17) ^ rotr(y, 19) ^ (y >>> 10);
    w[t] = (w[t - 16]! + s0 + w[t - 7]! + s1) | 0;
  }
  let a = state[0]!;
  let b = state[1]!;
  let c = state[2]!;
  let d = state[3]!;
  let e = state[4]!;
  let f = state[5]!;
  let g = state[6]!;
  let h = state[7]!;
  for (let t = 0; t < 64; t++) {
    const s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
    const choose = (e & f) ^ (~e & g);
    const temp1 = (h + s1 + choose + K[t]! + w[t]!) | 0;
    const s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
    const majority = (a & b) ^ (a & c) ^ (b & c);
    const temp2 = (s0 + majority) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + temp1) | 0;
    d = c;
    c = b;
    b = a;
    a = (temp1 + temp2) | 0;
  }
  state[0] = (state[0]! + a) | 0;
  state[1] = (state[1]! + b) | 0;
  state[2] = (state[2]! + c) | 0;
  state[3] = (state[3]! + d) | 0;
  state[4] = (state[4]! + e) | 0;
  state[5] = (state[5]! + f) | 0;
  state[6] = (state[6]! + g) | 0;
  state[7] = (state[7]! + h) | 0;
}

/**
 * SHA-256 of the UTF-8 bytes of `input`, as 64 lowercase hex digits. Pure and synchronous,
 * so browsers can match hashed context keys while evaluating (DESIGN §5).
 */
export function sha256Hex(input: string): string {
  state.set(INITIAL);
  const blockCount = encodePaddedUtf8(input);
  const bytes = encodedBytes();
  for (let i = 0; i < blockCount; i++) processBlock(bytes, i);
  let hex = '';
  for (let i = 0; i < 8; i++) hex += (state[i]! >>> 0).toString(16).padStart(8, '0');
  return hex;
}

/** The hash a client snapshot stores for a context key: SHA-256 of "<salt>:<key>". */
export function hashContextKey(keySalt: string, key: string): string {
  return sha256Hex(`${keySalt}:${key}`);
}
