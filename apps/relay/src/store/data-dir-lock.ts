import { readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { StoreError } from './store-error';

/** The lock file's name inside the data dir. */
export const LOCK_FILE = 'relay.lock';

/** Data dirs locked by this process: a lock naming our own pid is only ours if it is listed here. */
const lockedHere = new Set<string>();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}

/**
 * Claims a data dir for this process, so two relays never append to the same logs (their
 * version sequences would fork). A lock left by a dead process (kill -9, power cut) is taken
 * over; so is one naming our own pid that we do not hold, which is what a container
 * restarted with the same pid 1 finds.
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const directory = resolve(dataDir);
  const path = join(directory, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(path, JSON.stringify({ pid: process.pid, since: new Date().toISOString() }), {
        flag: 'wx',
      });
      lockedHere.add(directory);
      return async () => {
        lockedHere.delete(directory);
        await rm(path, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let holder: number | undefined;
    try {
      const content = JSON.parse(await readFile(path, 'utf8')) as { pid?: unknown };
      holder = typeof content.pid === 'number' ? content.pid : undefined;
    } catch {
      holder = undefined; // unreadable or half-written by a crash: stale
    }
    const ours = holder === process.pid;
    if (holder !== undefined && (ours ? lockedHere.has(directory) : isAlive(holder))) {
      throw new StoreError(
        'STORE_LOCKED',
        `data dir ${directory} is in use by process ${holder}${ours ? ' (this one)' : ''}; stop that relay, or delete ${path} if it is not one`,
      );
    }
    await rm(path, { force: true });
  }
  throw new StoreError(
    'STORE_LOCKED',
    `could not lock data dir ${directory}: another process keeps creating ${path}`,
  );
}
