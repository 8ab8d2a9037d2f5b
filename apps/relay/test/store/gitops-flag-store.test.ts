import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { stringify as toYaml } from 'yaml';
import type { ChangeRecord } from '../../src/store/flag-store';
import { GitOpsFlagStore, type GitOpsFlagStoreOptions } from '../../src/store/gitops-flag-store';
import type { StoreLogger } from '../../src/store/store-error';
import { booleanFlag, putFlag, temporaryDirectory } from './store-test-helpers';

/** A flag as people write it in a flags file: no key, no version. */
const fileFlag = (
  enabled: boolean,
  extra: Record<string, unknown> = {},
): Record<string, unknown> => ({
  type: 'boolean',
  enabled,
  variations: [
    { name: 'on', value: true },
    { name: 'off', value: false },
  ],
  offVariation: 'off',
  fallthrough: { variation: 'on' },
  ...extra,
});

function recordingLogger(): StoreLogger & { errors: { detail: object; message: string }[] } {
  const errors: { detail: object; message: string }[] = [];
  return {
    errors,
    info: () => {},
    warn: () => {},
    error: (detail, message) => errors.push({ detail, message }),
  };
}

async function setup(options: Partial<GitOpsFlagStoreOptions> = {}) {
  const directory = await temporaryDirectory('switchyard-gitops-');
  const flagsFile = join(directory, 'flags.yaml');
  const dataDir = join(directory, 'data');
  const write = (document: unknown): Promise<void> => writeFile(flagsFile, toYaml(document));
  const open = async (extra: Partial<GitOpsFlagStoreOptions> = {}): Promise<GitOpsFlagStore> => {
    const store = new GitOpsFlagStore({
      flagsFile,
      dataDir,
      environments: ['production'],
      watch: false,
      ...options,
      ...extra,
    });
    await store.open();
    return store;
  };
  return { flagsFile, dataDir, write, open };
}

describe('GitOpsFlagStore', () => {
  it('serves a valid file, filling in keys and versions the file leaves out', async () => {
    const { write, open } = await setup();
    await write({ flags: { 'new-checkout': fileFlag(true), legacy: fileFlag(false) } });
    const store = await open();
    const snapshot = store.snapshot('production')!;
    expect(snapshot).toMatchObject({ environment: 'production', version: 1 });
    expect(snapshot.flags['new-checkout']).toMatchObject({
      key: 'new-checkout',
      version: 1,
      enabled: true,
    });
    expect(store.health()).toEqual({ ready: true });
    await store.close();
  });

  it('keeps the last good state when the file turns bad, and reports each error with its path', async () => {
    const logger = recordingLogger();
    const { write, open } = await setup({ logger });
    await write({ flags: { a: fileFlag(true) } });
    const store = await open();
    await write({
      flags: { a: fileFlag(false, { offVariation: 'nope' }), b: { type: 'boolean' } },
    });

    const load = await store.reload();
    expect(load.ok).toBe(false);
    const paths = load.ok ? [] : load.errors.map((error) => error.path);
    expect(paths).toContain('/flags/a/offVariation');
    expect(paths.some((path) => path.startsWith('/flags/b'))).toBe(true);
    expect(store.snapshot('production')).toMatchObject({
      version: 1,
      flags: { a: { enabled: true } },
    });
    const health = store.health();
    expect(health.ready).toBe(false);
    expect(health.detail).toMatch(/rejected, last good state kept: \/flags\/a\/offVariation: /);
    expect(logger.errors.at(-1)).toMatchObject({
      message: expect.stringContaining('rejected'),
      detail: { errors: load.ok ? [] : load.errors },
    });

    await write({ flags: { a: fileFlag(false) } });
    expect(await store.reload()).toMatchObject({ ok: true, changed: ['production'] });
    expect(store.health()).toEqual({ ready: true });
    await store.close();
  });

  it('turns a good change into one patch of exactly the changed, added and deleted entries', async () => {
    const { write, open } = await setup();
    await write({
      flags: { keep: fileFlag(true), change: fileFlag(true), drop: fileFlag(true) },
      segments: { beta: { included: ['u1'] } },
    });
    const store = await open();
    const changes: ChangeRecord[] = [];
    store.onChange((change) => changes.push(change));
    await write({
      flags: { keep: fileFlag(true), change: fileFlag(false), add: fileFlag(true) },
      segments: { beta: { included: ['u1', 'u2'] } },
    });
    await store.reload();

    expect(changes).toHaveLength(1);
    const { patch } = changes[0]!;
    expect(patch.from).toBe(1);
    expect(patch.version).toBe(2);
    expect(Object.keys(patch.flags ?? {}).sort()).toEqual(['add', 'change']);
    expect(patch.flags?.change).toMatchObject({ enabled: false, version: 2 });
    expect(patch.segments?.beta).toMatchObject({ included: ['u1', 'u2'], version: 2 });
    expect(patch.deleted).toEqual({ flags: ['drop'], segments: [] });
    expect(store.snapshot('production')!.flags.keep!.version).toBe(1);
    await store.close();
  });

  it('does not bump the version for a file that only changed its formatting or key order', async () => {
    const { flagsFile, write, open } = await setup();
    await write({ flags: { a: fileFlag(true, { description: 'x' }) } });
    const store = await open();
    const reordered = { description: 'x', ...fileFlag(true) };
    await writeFile(flagsFile, `# a comment\nflags:\n  a: ${JSON.stringify(reordered)}\n`);
    expect(await store.reload()).toMatchObject({ ok: true, changed: [] });
    expect(store.snapshot('production')!.version).toBe(1);
    await store.close();
  });

  it('never goes back in versions across restarts, and keeps them when the file did not change', async () => {
    const { write, open } = await setup();
    await write({ flags: { a: fileFlag(true) } });
    const first = await open();
    await write({ flags: { a: fileFlag(false) } });
    await first.reload();
    expect(first.snapshot('production')!.version).toBe(2);
    await first.close();

    const second = await open();
    expect(second.snapshot('production')!.version).toBe(2);
    await second.close();

    await write({ flags: { a: fileFlag(true) } });
    const third = await open();
    expect(third.snapshot('production')).toMatchObject({
      version: 3,
      flags: { a: { enabled: true, version: 3 } },
    });
    const history = await third.audit('production', { key: 'a' });
    expect(history.map((entry) => [entry.version, entry.actor])).toEqual([
      [3, 'gitops:flags.yaml'],
      [2, 'gitops:flags.yaml'],
      [1, 'gitops:flags.yaml'],
    ]);
    await third.close();
  });

  it('refuses writes with 409: the file is the only way to change flags', async () => {
    const { write, open } = await setup();
    await write({ flags: {} });
    const store = await open();
    expect(await store.update('production', putFlag(booleanFlag('a')))).toMatchObject({
      ok: false,
      status: 409,
      message: expect.stringContaining('this relay serves a read-only flags file'),
    });
    await store.close();
  });

  it('reads several environments from one file and names a missing one by its path', async () => {
    const { flagsFile, dataDir } = await setup();
    await writeFile(
      flagsFile.replace('.yaml', '.json'),
      JSON.stringify({ environments: { production: { flags: { a: fileFlag(true) } } } }),
    );
    const store = new GitOpsFlagStore({
      flagsFile: flagsFile.replace('.yaml', '.json'),
      dataDir,
      environments: ['production', 'staging'],
      watch: false,
    });
    await store.open();
    expect(store.health()).toMatchObject({
      ready: false,
      detail: expect.stringContaining('/environments/staging: is missing'),
    });
    expect(store.snapshot('staging')).toMatchObject({ version: 0 });
    await writeFile(
      flagsFile.replace('.yaml', '.json'),
      JSON.stringify({
        environments: { production: { flags: { a: fileFlag(true) } }, staging: { flags: {} } },
      }),
    );
    expect(await store.reload()).toMatchObject({ ok: true, changed: ['production'] });
    await store.close();
  });

  it('picks up a replaced file by itself, after the debounce', async () => {
    const { flagsFile, write, open } = await setup();
    await write({ flags: { a: fileFlag(true) } });
    const store = await open({ watch: true, debounceMs: 20, pollMs: 0 });
    // Replace the file the way editors and git do: write a new one and rename it over.
    await writeFile(`${flagsFile}.new`, toYaml({ flags: { a: fileFlag(false) } }));
    await rename(`${flagsFile}.new`, flagsFile);
    await vi.waitFor(() => expect(store.snapshot('production')!.version).toBe(2), {
      timeout: 5000,
      interval: 20,
    });
    await store.close();
  });
});
