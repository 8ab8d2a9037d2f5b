/**
 * SHA-1 compression as an 80-step loop over a 16-word rolling schedule: the same function as
 * the generated, unrolled sha1-compress-unrolled.ts, in a tenth of the bytes. Browsers get
 * this one (bundle size matters more there than the unrolled form's ~25% speed), through the
 * `browser` condition of `#sha1-compress` in package.json.
 */
const schedule = new Int32Array(16);

/** Compresses one 64-byte block (16 big-endian words) into the 5-word state, in place. */
export function compressBlock(block: Int32Array, state: Int32Array): void {
  const w = schedule;
  w.set(block);
  let a = state[0]!;
  let b = state[1]!;
  let c = state[2]!;
  let d = state[3]!;
  let e = state[4]!;
  for (let t = 0; t < 80; t++) {
    const i = t & 15;
    if (t > 15) {
      const x = w[(t + 13) & 15]! ^ w[(t + 8) & 15]! ^ w[(t + 2) & 15]! ^ w[i]!;
      w[i] = (x << 1) | (x >>> 31);
    }
    const mix =
      t < 20
        ? ((b & c) | (~b & d)) + 0x5a827999
        : t < 40
          ? (b ^ c ^ d) + 0x6ed9eba1
          : t < 60
            ? ((b & c) | (b & d) | (c & d)) - 0x70e44324
            : (b ^ c ^ d) - 0x359d3e2a;
    const next = (((a << 5) | (a >>> 27)) + mix + e + w[i]!) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = next;
  }
  state[0] = (state[0]! + a) | 0;
  state[1] = (state[1]! + b) | 0;
  state[2] = (state[2]! + c) | 0;
  state[3] = (state[3]! + d) | 0;
  state[4] = (state[4]! + e) | 0;
}
