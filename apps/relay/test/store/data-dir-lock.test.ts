import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockDataDir } from '../../src/store/data-dir-lock';
import { FileFlagStore } from '../../src/store/file-flag-store';
import { temporaryDirectory } from './store-test-helpers';

const openStore = async (dataDir: string): Promise<FileFlagStore> => {
  const store = new FileFlagStore({ dataDir, environments: ['production'] });
  await store.open();
  return store;
};

describe('the data dir lock', () => {
  it('refuses a second store on the same data dir while the first is open, and frees it on close', async () => {
    const dataDir = await temporaryDirectory();
    const store = await openStore(dataDir);
    await expect(openStore(dataDir)).rejects.toMatchObject({
      code: 'STORE_LOCKED',
      message: expect.stringContaining(`is in use by process ${process.pid} (this one)`),
    });
    await store.close();
    await (await openStore(dataDir)).close();
  });

  it('takes over a lock left by a process that died', async () => {
    const dataDir = await temporaryDirectory();
    await writeFile(join(dataDir, 'relay.lock'), JSON.stringify({ pid: 2 ** 22 + 12345 }));
    await (await openStore(dataDir)).close();
  });

  it("takes over a lock naming this process's pid that this process does not hold (a restarted container)", async () => {
    const dataDir = await temporaryDirectory();
    await writeFile(join(dataDir, 'relay.lock'), JSON.stringify({ pid: process.pid }));
    const unlock = await lockDataDir(dataDir);
    expect(JSON.parse(await readFile(join(dataDir, 'relay.lock'), 'utf8'))).toMatchObject({
      pid: process.pid,
    });
    await unlock();
  });

  it('refuses a lock held by another live process', async () => {
    const dataDir = await temporaryDirectory();
    await writeFile(join(dataDir, 'relay.lock'), JSON.stringify({ pid: process.ppid }));
    await expect(lockDataDir(dataDir)).rejects.toMatchObject({ code: 'STORE_LOCKED' });
  });
});
