import { createHash } from 'node:crypto';

/**
 * Every line the file store writes is `<checksum> <json>\n`, where the checksum is the first
 * 16 hex digits of SHA-256 over the JSON bytes. JSON.stringify never emits a raw newline, so
 * a line holds exactly one `\n`: at its end. A crash can leave at most the last line torn
 * (short, zero-filled, or with a wrong checksum); any other bad line is corruption.
 */
const CHECKSUM_LENGTH = 16;
const SPACE = 0x20;

/** The checksum of a line's JSON bytes. */
export const lineChecksum = (json: Buffer): string =>
  createHash('sha256').update(json).digest('hex').slice(0, CHECKSUM_LENGTH);

/** Encodes a value as one checksummed line, newline included. */
export function encodeChecksumLine(value: unknown): Buffer {
  const json = Buffer.from(JSON.stringify(value), 'utf8');
  return Buffer.concat([Buffer.from(`${lineChecksum(json)} `, 'latin1'), json, Buffer.from('\n')]);
}

/** Decodes a line without its newline: the parsed JSON, or why the line is unusable. */
export function decodeChecksumLine(
  line: Buffer,
): { ok: true; value: unknown } | { ok: false; reason: string } {
  if (line.length <= CHECKSUM_LENGTH + 1 || line[CHECKSUM_LENGTH] !== SPACE) {
    return { ok: false, reason: 'malformed line' };
  }
  const json = line.subarray(CHECKSUM_LENGTH + 1);
  if (line.toString('latin1', 0, CHECKSUM_LENGTH) !== lineChecksum(json)) {
    return { ok: false, reason: 'checksum mismatch' };
  }
  try {
    return { ok: true, value: JSON.parse(json.toString('utf8')) };
  } catch {
    // Cannot happen with a matching checksum unless the writer was broken; treat as damage.
    return { ok: false, reason: 'checksum matches but the JSON does not parse' };
  }
}
