import { mkdtemp, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OpenFeature, ProviderEvents } from '@openfeature/server-sdk';
import { booleanFlag, snapshotOf } from '@switchyard/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { SwitchyardProvider } from '../src/index';

const waitFor = async (check: () => boolean, ms = 5000): Promise<void> => {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

afterEach(async () => {
  await OpenFeature.clearProviders();
});

describe('SwitchyardProvider options', () => {
  it.each([
    [{}, /relayUrl/],
    [{ relayUrl: 'ftp://x', sdkKey: 'srv-1' }, /relayUrl/],
    [{ relayUrl: 'http://x' }, /sdkKey/],
    [{ relayUrl: 'http://x', sdkKey: 'srv-1', transport: 'carrier-pigeon' }, /transport/],
    [{ offline: { snapshotFile: 'x' }, relayUrl: 'http://x' }, /offline/],
    [{ relayUrl: 'http://x', sdkKey: 'srv-1', bucketCacheSize: -1 }, /bucketCacheSize/],
    [{ relayUrl: 'http://x', sdkKey: 'srv-1', initTimeoutMs: Number.NaN }, /initTimeoutMs/],
  ])('rejects %j at construction, naming the option', (options, message) => {
    expect(() => new SwitchyardProvider(options as never)).toThrow(message);
  });
});

describe('SwitchyardProvider offline', () => {
  it('serves a snapshot object and maps results to OpenFeature details', async () => {
    const snapshot = snapshotOf([
      booleanFlag('on-flag', { fallthrough: { variation: 'on' } }),
      booleanFlag('killed', { enabled: false, offVariation: undefined }),
    ]);
    await OpenFeature.setProviderAndWait(
      'offline-object',
      new SwitchyardProvider({ offline: { snapshot } }),
    );
    const client = OpenFeature.getClient('offline-object');
    expect(await client.getBooleanDetails('on-flag', false)).toMatchObject({
      value: true,
      variant: 'on',
      reason: 'STATIC',
      flagMetadata: { flagVersion: 1 },
    });
    expect(await client.getBooleanDetails('killed', true)).toMatchObject({
      value: true,
      reason: 'DISABLED',
    });
    expect(await client.getBooleanDetails('missing', true)).toMatchObject({
      value: true,
      reason: 'ERROR',
      errorCode: 'FLAG_NOT_FOUND',
    });
    expect(await client.getStringDetails('on-flag', 'x')).toMatchObject({
      value: 'x',
      errorCode: 'TYPE_MISMATCH',
    });
  });

  it('watches a flags file: a good change is served and announced, a bad one is logged and ignored', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'switchyard-offline-'));
    const file = join(dir, 'flags.json');
    const write = async (on: boolean | string) => {
      const flags = {
        f: booleanFlag('f', { fallthrough: { variation: on === true ? 'on' : 'off' } }),
      };
      if (typeof on === 'string')
        (flags.f as unknown as Record<string, unknown>).fallthrough = { variation: on };
      await writeFile(`${file}.tmp`, JSON.stringify({ flags, segments: {} }));
      await rename(`${file}.tmp`, file);
    };
    await write(false);
    const errors: string[] = [];
    const provider = new SwitchyardProvider({
      offline: { snapshotFile: file },
      logger: {
        debug() {},
        warn() {},
        error: (message, detail) => errors.push(`${message} ${JSON.stringify(detail)}`),
      },
    });
    await OpenFeature.setProviderAndWait('offline-file', provider);
    const client = OpenFeature.getClient('offline-file');
    expect(await client.getBooleanValue('f', true)).toBe(false);
    const changed: string[][] = [];
    provider.events.addHandler(ProviderEvents.ConfigurationChanged, (details) =>
      changed.push((details as { flagsChanged?: string[] } | undefined)?.flagsChanged ?? []),
    );
    await write(true);
    await waitFor(() => changed.length > 0);
    expect(changed[0]).toEqual(['f']);
    expect(await client.getBooleanValue('f', false)).toBe(true);
    await write('no-such-variation');
    await waitFor(() => errors.length > 0);
    expect(errors[0]).toContain('/flags/f/fallthrough/variation');
    expect(await client.getBooleanValue('f', false)).toBe(true);
  });

  it('saves every applied snapshot to the cache file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'switchyard-cache-'));
    const cacheFile = join(dir, 'nested', 'cache.json');
    const snapshot = snapshotOf([booleanFlag('f')], [], { version: 7 });
    const provider = new SwitchyardProvider({ offline: { snapshot }, cacheFile });
    await OpenFeature.setProviderAndWait('offline-cache', provider);
    await provider.onClose();
    expect(JSON.parse(await readFile(cacheFile, 'utf8'))).toMatchObject({
      version: 7,
      flags: { f: { key: 'f' } },
    });
    expect(provider.snapshotInfo()).toMatchObject({ version: 7, status: 'READY' });
  });
});
