import { open, rename, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Makes a directory's entries (created, renamed files) durable. A new file's data can be
 * fsync'd and still vanish after a power cut if the directory entry pointing to it was not.
 */
export async function fsyncDirectory(directory: string): Promise<void> {
  // Windows cannot open a directory for fsync; NTFS journals directory entries itself.
  if (process.platform === 'win32') return;
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** The temporary name `writeFileAtomically` uses next to `path` (left over only by a crash). */
export const temporaryPathFor = (path: string): string =>
  join(dirname(path), `.${basename(path)}.tmp`);

/**
 * Replaces `path` with `data` so that after a crash it holds either the old or the new
 * content, never a mix: write a temporary file, fsync it, rename it over, fsync the directory.
 */
export async function writeFileAtomically(path: string, data: Buffer): Promise<void> {
  const temporary = temporaryPathFor(path);
  const handle = await open(temporary, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, path);
  await fsyncDirectory(dirname(path));
}

/** One line of a file: its byte offset, its bytes without the newline, and whether a newline ended it. */
export interface FileLine {
  offset: number;
  bytes: Buffer;
  complete: boolean;
}

const NEWLINE = 0x0a;
const CHUNK_BYTES = 1024 * 1024;

/** Reads the lines of `[start, end)` in chunks, so a long log never has to fit in memory at once. */
export async function* readFileLines(
  handle: FileHandle,
  start: number,
  end: number,
): AsyncGenerator<FileLine> {
  let pending = Buffer.alloc(0);
  let pendingOffset = start;
  let position = start;
  while (position < end) {
    const chunk = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, end - position));
    const { bytesRead } = await handle.read(chunk, 0, chunk.length, position);
    if (bytesRead === 0) break; // the file shrank under us; report what we have
    position += bytesRead;
    let data =
      pending.length === 0
        ? chunk.subarray(0, bytesRead)
        : Buffer.concat([pending, chunk.subarray(0, bytesRead)]);
    let newline = data.indexOf(NEWLINE);
    while (newline !== -1) {
      yield { offset: pendingOffset, bytes: data.subarray(0, newline), complete: true };
      pendingOffset += newline + 1;
      data = data.subarray(newline + 1);
      newline = data.indexOf(NEWLINE);
    }
    // Copy, so the next chunk's buffer can be reused without aliasing this remainder.
    pending = Buffer.from(data);
  }
  if (pending.length > 0) yield { offset: pendingOffset, bytes: pending, complete: false };
}
