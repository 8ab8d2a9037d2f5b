import { appendFile, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileFlagStore, type FileFlagStoreOptions } from '../../src/store/file-flag-store';
import type { ChangeRecord } from '../../src/store/flag-store';
import { booleanFlag, deleteFlag, putFlag, temporaryDirectory } from './store-test-helpers';

async function openStore(
  dataDir: string,
  options: Partial<FileFlagStoreOptions> = {},
): Promise<FileFlagStore> {
  const store = new FileFlagStore({ dataDir, environments: ['production'], ...options });
  await store.open();
  return store;
}

/** Every file of the data dir with its bytes, to prove a refused write touched nothing. */
async function filesOf(directory: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const entry of await readdir(directory, { recursive: true, withFileTypes: true })) {
    if (entry.isFile())
      files[join(entry.parentPath, entry.name)] = (
        await readFile(join(entry.parentPath, entry.name))
      ).toString('base64');
  }
  return files;
}

const logPath = (dataDir: string): string => join(dataDir, 'production', 'changes.log');

describe('FileFlagStore', () => {
  it('keeps every write, with the same versions and patch bytes, across a reopen', async () => {
    const dataDir = await temporaryDirectory();
    const store = await openStore(dataDir);
    const changes: ChangeRecord[] = [];
    for (const key of ['a', 'b', 'c']) {
      const result = await store.update('production', putFlag(booleanFlag(key)));
      if (result.ok && result.change !== null) changes.push(result.change);
    }
    await store.update('production', deleteFlag('b'));
    await store.close();

    const reopened = await openStore(dataDir);
    const snapshot = reopened.snapshot('production')!;
    expect(snapshot.version).toBe(4);
    expect(Object.keys(snapshot.flags).sort()).toEqual(['a', 'c']);
    expect(snapshot.flags.c!.version).toBe(3);
    const since = reopened.changesSince('production', 0);
    expect(since.ok && since.changes.slice(0, 3).map((change) => change.patchJson)).toEqual(
      changes.map((change) => change.patchJson),
    );
    const next = await reopened.update('production', putFlag(booleanFlag('d')));
    expect(next.ok && next.change?.version).toBe(5);
    await reopened.close();
  });

  it('records audit entries in the log and answers them per flag, newest first, after a reopen', async () => {
    const dataDir = await temporaryDirectory();
    const store = await openStore(dataDir);
    await store.update(
      'production',
      putFlag(booleanFlag('checkout'), { actor: 'alice', action: 'flag.create' }),
    );
    await store.update('production', putFlag(booleanFlag('other')));
    await store.update(
      'production',
      putFlag(booleanFlag('checkout', { enabled: false }), {
        actor: 'bob',
        action: 'flag.disable',
      }),
    );
    await store.close();

    const reopened = await openStore(dataDir);
    const entries = await reopened.audit('production', { kind: 'flag', key: 'checkout' });
    expect(entries.map((entry) => [entry.version, entry.actor, entry.action])).toEqual([
      [3, 'bob', 'flag.disable'],
      [1, 'alice', 'flag.create'],
    ]);
    expect(entries[0]!.before).toMatchObject({ key: 'checkout', enabled: true, version: 1 });
    expect(entries[0]!.after).toMatchObject({ key: 'checkout', enabled: false, version: 3 });
    expect(await reopened.audit('production', { limit: 1 })).toHaveLength(1);
    await reopened.close();
  });

  it('applies a retried write once, even when the retry comes after a restart', async () => {
    const dataDir = await temporaryDirectory();
    const store = await openStore(dataDir);
    const first = await store.update(
      'production',
      putFlag(booleanFlag('a'), { idempotencyKey: 'req-1' }),
    );
    await store.close();

    const reopened = await openStore(dataDir);
    const retry = await reopened.update(
      'production',
      putFlag(booleanFlag('a', { enabled: false }), { idempotencyKey: 'req-1' }),
    );
    expect(retry).toMatchObject({ ok: true, replayed: true, change: { version: 1 } });
    expect(first.ok && retry.ok && retry.change?.patchJson).toBe(
      first.ok ? first.change?.patchJson : undefined,
    );
    expect(reopened.snapshot('production')!.version).toBe(1);
    expect(reopened.snapshot('production')!.flags.a!.enabled).toBe(true);
    await reopened.close();
  });

  it('forgets the oldest idempotency keys beyond its window', async () => {
    const dataDir = await temporaryDirectory();
    const store = await openStore(dataDir, { idempotencyWindow: 2, ringSize: 2 });
    for (const key of ['k1', 'k2', 'k3']) {
      await store.update('production', putFlag(booleanFlag(key), { idempotencyKey: key }));
    }
    await store.close();
    const reopened = await openStore(dataDir, { idempotencyWindow: 2, ringSize: 2 });
    expect(
      await reopened.update('production', putFlag(booleanFlag('k3'), { idempotencyKey: 'k3' })),
    ).toMatchObject({ replayed: true });
    expect(
      await reopened.update(
        'production',
        putFlag(booleanFlag('k1', { enabled: false }), { idempotencyKey: 'k1' }),
      ),
    ).toMatchObject({
      replayed: false,
      change: { version: 4 },
    });
    await reopened.close();
  });

  it('answers 409 on a stale expected version and 422 on an invalid result, writing nothing', async () => {
    const dataDir = await temporaryDirectory();
    const store = await openStore(dataDir);
    await store.update('production', putFlag(booleanFlag('a')));
    const before = await filesOf(dataDir);

    expect(
      await store.update('production', putFlag(booleanFlag('b'), { expectedVersion: 0 })),
    ).toMatchObject({ ok: false, status: 409 });
    const invalid = await store.update(
      'production',
      putFlag(booleanFlag('b', { offVariation: 'missing' })),
    );
    expect(invalid).toMatchObject({ ok: false, status: 422 });
    expect(invalid.ok ? [] : invalid.errors?.map((error) => error.path)).toContain(
      '/flags/b/offVariation',
    );

    expect(await filesOf(dataDir)).toEqual(before);
    expect(store.snapshot('production')!.version).toBe(1);
    await store.close();
  });

  it('cuts off a torn last line left by a crash and keeps every complete write', async () => {
    const dataDir = await temporaryDirectory();
    const store = await openStore(dataDir);
    await store.update('production', putFlag(booleanFlag('a')));
    await store.update('production', putFlag(booleanFlag('b')));
    await store.close();
    const intact = (await stat(logPath(dataDir))).size;
    await appendFile(logPath(dataDir), '0123456789abcdef {"change":{"environment":"produc');

    const reopened = await openStore(dataDir);
    expect(reopened.snapshot('production')!.version).toBe(2);
    expect((await stat(logPath(dataDir))).size).toBe(intact);
    const next = await reopened.update('production', putFlag(booleanFlag('c')));
    expect(next.ok && next.change?.version).toBe(3);
    await reopened.close();
    const again = await openStore(dataDir);
    expect(again.snapshot('production')!.version).toBe(3);
    await again.close();
  });

  it('treats a complete last line with a wrong checksum, or zeros, as a torn tail', async () => {
    const dataDir = await temporaryDirectory();
    const store = await openStore(dataDir);
    await store.update('production', putFlag(booleanFlag('a')));
    await store.close();
    await appendFile(logPath(dataDir), Buffer.concat([Buffer.alloc(300), Buffer.from('\n')]));
    const reopened = await openStore(dataDir);
    expect(reopened.snapshot('production')!.version).toBe(1);
    await reopened.close();
  });

  it('refuses to start when a line in the middle of the log is damaged', async () => {
    const dataDir = await temporaryDirectory();
    const store = await openStore(dataDir);
    for (const key of ['a', 'b', 'c']) await store.update('production', putFlag(booleanFlag(key)));
    await store.close();
    const lines = (await readFile(logPath(dataDir), 'utf8')).split('\n');
    lines[1] = lines[1]!.replace('"enabled":true', '"enabled":fals');
    await writeFile(logPath(dataDir), lines.join('\n'));
    // The snapshot written on close would hide the damage from replay; remove it to force reading the log.
    await writeFile(join(dataDir, 'production', 'snapshot.json'), 'garbage');

    const damaged = new FileFlagStore({ dataDir, environments: ['production'] });
    await expect(damaged.open()).rejects.toMatchObject({
      code: 'STORE_CORRUPT',
      message: expect.stringMatching(
        /changes\.log: byte \d+: checksum mismatch, and more lines follow/,
      ),
    });
    // The failed open released the lock: a fixed store can be opened by the next attempt.
    await expect(
      new FileFlagStore({ dataDir, environments: ['production'] }).open(),
    ).rejects.toMatchObject({ code: 'STORE_CORRUPT' });
  });

  it('refuses to start when the log lost lines the snapshot has', async () => {
    const dataDir = await temporaryDirectory();
    const store = await openStore(dataDir);
    for (const key of ['a', 'b']) await store.update('production', putFlag(booleanFlag(key)));
    await store.close();
    await writeFile(logPath(dataDir), '');
    await expect(openStore(dataDir)).rejects.toMatchObject({
      code: 'STORE_CORRUPT',
      message: expect.stringContaining(
        'the log ends at version 0, but the snapshot is at version 2',
      ),
    });
  });

  it('serves changesSince from the ring rebuilt on open, and "too-old" beyond it', async () => {
    const dataDir = await temporaryDirectory();
    const store = await openStore(dataDir, { ringSize: 3, idempotencyWindow: 0, compactEvery: 2 });
    for (const key of ['a', 'b', 'c', 'd', 'e']) {
      await store.update('production', putFlag(booleanFlag(key)));
    }
    await store.close();

    const reopened = await openStore(dataDir, { ringSize: 3, idempotencyWindow: 0 });
    const recent = reopened.changesSince('production', 2);
    expect(recent.ok && recent.changes.map((change) => change.version)).toEqual([3, 4, 5]);
    expect(recent.ok && Object.keys(recent.changes[0]!.patch.flags ?? {})).toEqual(['c']);
    expect(reopened.changesSince('production', 1)).toEqual({ ok: false, reason: 'too-old' });
    expect(reopened.changesSince('production', 5)).toEqual({ ok: true, changes: [] });
    expect(reopened.changesSince('production', 6)).toEqual({ ok: false, reason: 'future' });
    await reopened.close();
  });

  it('writes a compacted snapshot every N commits, and replays the whole log when that file is unusable', async () => {
    const dataDir = await temporaryDirectory();
    const store = await openStore(dataDir, { compactEvery: 2 });
    const snapshotPath = join(dataDir, 'production', 'snapshot.json');
    await store.update('production', putFlag(booleanFlag('a')));
    await expect(stat(snapshotPath)).rejects.toMatchObject({ code: 'ENOENT' });
    await store.update('production', putFlag(booleanFlag('b')));
    await store.update('production', putFlag(booleanFlag('c'))); // runs after the queued compaction
    expect(JSON.parse((await readFile(snapshotPath, 'utf8')).slice(17))).toMatchObject({
      version: 2,
      snapshot: { version: 2 },
    });
    await store.close();
    expect(JSON.parse((await readFile(snapshotPath, 'utf8')).slice(17))).toMatchObject({
      version: 3,
    });

    await writeFile(snapshotPath, 'not a snapshot');
    const reopened = await openStore(dataDir);
    expect(Object.keys(reopened.snapshot('production')!.flags).sort()).toEqual(['a', 'b', 'c']);
    await reopened.close();
  });

  it('notifies listeners after a commit and answers 404 for an unknown environment', async () => {
    const dataDir = await temporaryDirectory();
    const store = await openStore(dataDir);
    const seen: number[] = [];
    store.onChange((change) => seen.push(change.version));
    await store.update('production', putFlag(booleanFlag('a')));
    expect(seen).toEqual([1]);
    expect(await store.update('staging', putFlag(booleanFlag('a')))).toMatchObject({
      ok: false,
      status: 404,
    });
    expect(store.health()).toEqual({ ready: true });
    await store.close();
    expect(store.health().ready).toBe(false);
    await expect(store.update('production', putFlag(booleanFlag('b')))).rejects.toMatchObject({
      code: 'STORE_CLOSED',
    });
  });

  it('keeps environments apart, each with its own version sequence', async () => {
    const dataDir = await temporaryDirectory();
    const store = await openStore(dataDir, { environments: ['production', 'staging'] });
    await store.update('production', putFlag(booleanFlag('a')));
    await store.update('staging', putFlag(booleanFlag('b')));
    await store.update('staging', putFlag(booleanFlag('c')));
    await store.close();
    const reopened = await openStore(dataDir, { environments: ['production', 'staging'] });
    expect(reopened.snapshot('production')!.version).toBe(1);
    expect(Object.keys(reopened.snapshot('staging')!.flags)).toEqual(['b', 'c']);
    await reopened.close();
  });
});
