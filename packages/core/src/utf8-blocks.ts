/**
 * UTF-8 encoding plus the message padding SHA-1 and SHA-256 share (0x80, zeros, 64-bit
 * big-endian bit length), written into one reused buffer. Works on char codes: no
 * TextEncoder and no allocation for the short strings that flag keys and user keys are.
 * Lone surrogates become U+FFFD, as TextEncoder does.
 */
let buffer = new Uint8Array(512);

/** The buffer `encodePaddedUtf8` last wrote (it is reused, so read it before hashing again). */
export function encodedBytes(): Uint8Array {
  return buffer;
}

/** Writes the padded message of `input` and answers how many 64-byte blocks it spans. */
export function encodePaddedUtf8(input: string): number {
  const length = input.length;
  // Worst case 3 bytes per UTF-16 unit, plus 72 bytes of padding.
  const needed = length * 3 + 72;
  if (needed > buffer.length) buffer = new Uint8Array(Math.max(needed, buffer.length * 2));
  const bytes = buffer;
  let n = 0;
  for (let i = 0; i < length; i++) {
    let code = input.charCodeAt(i);
    if (code < 0x80) {
      bytes[n++] = code;
    } else if (code < 0x800) {
      bytes[n++] = 0xc0 | (code >> 6);
      bytes[n++] = 0x80 | (code & 0x3f);
    } else {
      if (code >= 0xd800 && code <= 0xdfff) {
        const next = i + 1 < length ? input.charCodeAt(i + 1) : 0;
        if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
          code = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
          i++;
          bytes[n++] = 0xf0 | (code >> 18);
          bytes[n++] = 0x80 | ((code >> 12) & 0x3f);
          bytes[n++] = 0x80 | ((code >> 6) & 0x3f);
          bytes[n++] = 0x80 | (code & 0x3f);
          continue;
        }
        code = 0xfffd;
      }
      bytes[n++] = 0xe0 | (code >> 12);
      bytes[n++] = 0x80 | ((code >> 6) & 0x3f);
      bytes[n++] = 0x80 | (code & 0x3f);
    }
  }
  const messageBytes = n;
  const blockCount = ((messageBytes + 8) >> 6) + 1;
  const end = blockCount * 64;
  bytes[n++] = 0x80;
  bytes.fill(0, n, end - 8);
  // Bit length as a 64-bit big-endian integer; strings never reach 2^53 bytes.
  const high = Math.floor(messageBytes / 0x20000000);
  const low = (messageBytes * 8) >>> 0;
  bytes[end - 8] = high >>> 24;
  bytes[end - 7] = (high >>> 16) & 0xff;
  bytes[end - 6] = (high >>> 8) & 0xff;
  bytes[end - 5] = high & 0xff;
  bytes[end - 4] = low >>> 24;
  bytes[end - 3] = (low >>> 16) & 0xff;
  bytes[end - 2] = (low >>> 8) & 0xff;
  bytes[end - 1] = low & 0xff;
  return blockCount;
}

/** Loads 16 big-endian words of block `index` into `words`. */
export function readBlock(bytes: Uint8Array, index: number, words: Int32Array): void {
  let p = index << 6;
  for (let t = 0; t < 16; t++, p += 4) {
    words[t] = (bytes[p]! << 24) | (bytes[p + 1]! << 16) | (bytes[p + 2]! << 8) | bytes[p + 3]!;
  }
}
