import { OpenFeature, ProviderEvents, ProviderStatus, type Client } from '@openfeature/web-sdk';
import { toClientSnapshot, type Snapshot } from '@switchyard/core';
import { booleanFlag, snapshotOf, stringFlag } from '@switchyard/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import {
  snapshotStorageKey,
  SwitchyardWebProvider,
  type SwitchyardWebProviderOptions,
} from '../src/index';
import { fakePage, MemoryStorage, settle } from './fake-page';

const relayUrl = 'http://relay.test';
const clientKey = 'cli-secret-key';

/** A client snapshot at `version`: `f` serves `on` when `on`, and user-1 is targeted to `on` in `t`. */
const clientSnapshotAt = (version: number, on = false): Snapshot =>
  toClientSnapshot(
    snapshotOf(
      [
        booleanFlag('f', {
          version,
          clientSide: true,
          fallthrough: { variation: on ? 'on' : 'off' },
        }),
        booleanFlag('t', { version: 1, clientSide: true, targets: { on: ['user-1'] } }),
        booleanFlag('server-only', { version: 1 }),
      ],
      [],
      { version },
    ),
    'env-salt',
  );

let domainCount = 0;

/** A provider on fakes, registered with the web SDK under a fresh domain. */
function setup(options: Partial<SwitchyardWebProviderOptions> = {}, page = fakePage()) {
  const storage = new MemoryStorage();
  const provider = new SwitchyardWebProvider({
    relayUrl,
    clientKey,
    storage,
    platform: page.platform,
    ...options,
  } as SwitchyardWebProviderOptions);
  const domain = `web-provider-${++domainCount}`;
  const ready = OpenFeature.setProviderAndWait(domain, provider);
  // Handlers after the provider: a handler added while a domain still uses the default (READY)
  // provider runs at once.
  const client: Client = OpenFeature.getClient(domain);
  const events: { type: string; flagsChanged?: string[] }[] = [];
  for (const type of Object.values(ProviderEvents)) {
    client.addHandler(type, (details) => {
      const flagsChanged = (details as { flagsChanged?: string[] } | undefined)?.flagsChanged;
      events.push({ type, ...(flagsChanged === undefined ? {} : { flagsChanged }) });
    });
  }
  return { page, storage, provider, domain, client, events, ready };
}

afterEach(async () => {
  await OpenFeature.clearProviders();
  await OpenFeature.clearContexts();
});

describe('SwitchyardWebProvider options', () => {
  const live = { relayUrl, clientKey, storage: null };
  it.each([
    [{}, /relayUrl/],
    [{ relayUrl: 'ftp://relay.test', clientKey }, /relayUrl/],
    [{ relayUrl }, /clientKey is required/],
    [{ relayUrl, clientKey: 'srv-server-key' }, /server key/],
    [{ relayUrl, clientKey: 'some-key' }, /cli-/],
    [{ ...live, transport: 'carrier-pigeon' }, /transport/],
    [{ ...live, pollIntervalMs: 5000 }, /pollIntervalMs applies only to transport 'poll'/],
    [{ ...live, transport: 'poll', pollIntervalMs: 10 }, /at least 1000/],
    [{ ...live, initTimeoutMs: Number.NaN }, /initTimeoutMs/],
    [{ ...live, staleGraceMs: -1 }, /staleGraceMs/],
    [{ ...live, backoff: { initialMs: 0 } }, /initialMs/],
    [{ ...live, storage: {} }, /storage/],
    [{ offline: { snapshot: snapshotOf([]) }, relayUrl }, /offline mode takes no relayUrl/],
    [{ offline: { snapshot: snapshotOf([]) }, storage: null }, /offline mode takes no storage/],
    [{ offline: {} }, /offline must be/],
  ])('rejects %j at construction, naming the option', (options, message) => {
    expect(() => new SwitchyardWebProvider(options as never)).toThrow(message);
  });

  it.runIf(typeof location !== 'undefined')(
    'resolves a relative relayUrl against the page',
    async () => {
      const { page, ready } = setup({ relayUrl: '/flags/' });
      page.source.open();
      page.source.put(clientSnapshotAt(1));
      await ready;
      expect(page.source.url).toBe(`${location.origin}/flags/sdk/v1/stream?key=cli-secret-key`);
    },
  );
});

describe('SwitchyardWebProvider live from the relay', () => {
  it('connects to the stream with the key in the query, and is READY on the first put', async () => {
    const { page, client, ready, provider } = setup();
    expect(page.source.url).toBe('http://relay.test/sdk/v1/stream?key=cli-secret-key');
    expect(client.providerStatus).toBe(ProviderStatus.NOT_READY);
    expect(client.getBooleanDetails('f', true)).toMatchObject({
      value: true,
      errorCode: 'PROVIDER_NOT_READY',
    });
    page.source.open();
    page.source.put(clientSnapshotAt(5));
    await ready;
    expect(client.providerStatus).toBe(ProviderStatus.READY);
    expect(client.getBooleanDetails('f', true)).toMatchObject({
      value: false,
      variant: 'off',
      reason: 'STATIC',
      flagMetadata: { flagVersion: 5 },
    });
    expect(client.getBooleanDetails('server-only', true)).toMatchObject({
      value: true,
      errorCode: 'FLAG_NOT_FOUND',
    });
    expect(provider.snapshotInfo()).toEqual({
      status: 'READY',
      version: 5,
      ageMs: 0,
      live: true,
      stats: { connections: 1, puts: 1, patches: 0, refused: 0 },
    });
  });

  it('announces CONFIGURATION_CHANGED with flagsChanged on every applied change, and only then', async () => {
    const { page, client, ready, events } = setup();
    page.source.open();
    page.source.put(clientSnapshotAt(5));
    await ready;
    page.source.patch({
      from: 5,
      version: 6,
      flags: clientSnapshotAt(6, true).flags,
    });
    expect(client.getBooleanValue('f', false)).toBe(true);
    page.source.put(clientSnapshotAt(6, true)); // the same version again: nothing new
    page.source.put(clientSnapshotAt(7, false));
    expect(events.filter((e) => e.type === ProviderEvents.ConfigurationChanged)).toEqual([
      { type: ProviderEvents.ConfigurationChanged, flagsChanged: ['f'] },
      { type: ProviderEvents.ConfigurationChanged, flagsChanged: ['f'] },
    ]);
    expect(client.getBooleanValue('f', true)).toBe(false);
  });

  it('goes STALE when the stream drops, ERROR after staleGraceMs, and READY when the relay returns', async () => {
    const { page, client, ready, events, provider } = setup({ staleGraceMs: 5000 });
    page.source.open();
    page.source.put(clientSnapshotAt(5));
    await ready;
    page.source.fail();
    expect(client.providerStatus).toBe(ProviderStatus.STALE);
    expect(client.getBooleanDetails('f', true)).toMatchObject({ value: false, reason: 'STATIC' });
    page.clock.advance(500); // backoff: half (random 0.5) of the first 1000 ms ceiling
    expect(page.sources).toHaveLength(2);
    expect(page.source.url).toBe(
      'http://relay.test/sdk/v1/stream?lastEventId=5&key=cli-secret-key',
    );
    page.source.fail();
    page.clock.advance(5000);
    expect(client.providerStatus).toBe(ProviderStatus.ERROR);
    page.source.open();
    expect(client.providerStatus).toBe(ProviderStatus.READY);
    expect(events.map((e) => e.type)).toEqual([
      ProviderEvents.Ready,
      ProviderEvents.Stale,
      ProviderEvents.Error,
      ProviderEvents.Ready,
    ]);
    expect(provider.snapshotInfo()).toMatchObject({ status: 'READY', version: 5, live: true });
  });

  it('fails for good (FATAL) when the relay refuses the key, without retrying', async () => {
    const { page, client, ready } = setup();
    page.answerWith(() => page.response(401));
    page.source.fail();
    await expect(ready).rejects.toThrow();
    expect(client.providerStatus).toBe(ProviderStatus.FATAL);
    expect(page.requests.at(-1)).toBe('http://relay.test/sdk/v1/snapshot?key=cli-secret-key');
    page.clock.advance(120_000);
    expect(page.sources).toHaveLength(1);
  });

  it('fails initialize after initTimeoutMs, keeps trying, and turns READY when a snapshot comes', async () => {
    const { page, client, ready, events } = setup({ initTimeoutMs: 3000 });
    page.clock.advance(3000);
    await expect(ready).rejects.toThrow(/no snapshot within 3000 ms/);
    expect(client.providerStatus).toBe(ProviderStatus.ERROR);
    page.source.open();
    page.source.put(clientSnapshotAt(2));
    expect(client.providerStatus).toBe(ProviderStatus.READY);
    expect(events.map((e) => e.type)).toEqual([
      ProviderEvents.Error,
      ProviderEvents.ConfigurationChanged,
      ProviderEvents.Ready,
    ]);
  });

  it('speaks WebSocket: key in the query, hello with the held version', async () => {
    const { page, client, ready } = setup({ transport: 'ws' });
    const socket = page.sockets[0]!;
    expect(socket.url).toBe('ws://relay.test/sdk/v1/ws?since=&key=cli-secret-key');
    socket.open();
    socket.message({ type: 'put', ...clientSnapshotAt(3, true) });
    await ready;
    expect(client.getBooleanValue('f', false)).toBe(true);
    expect(socket.sent).toEqual([{ type: 'hello' }]);
    socket.drop(1006);
    expect(client.providerStatus).toBe(ProviderStatus.STALE);
    page.clock.advance(500);
    page.sockets[1]!.open();
    expect(page.sockets[1]!.url).toBe('ws://relay.test/sdk/v1/ws?since=3&key=cli-secret-key');
    expect(page.sockets[1]!.sent).toEqual([{ type: 'hello', since: 3 }]);
    expect(client.providerStatus).toBe(ProviderStatus.READY);
  });

  it('polls with the key in the query, every pollIntervalMs', async () => {
    const page = fakePage();
    let version = 1;
    page.answerWith(() => page.response(200, JSON.stringify(clientSnapshotAt(version, true))));
    const { client, ready } = setup({ transport: 'poll', pollIntervalMs: 2000 }, page);
    await ready;
    expect(client.getBooleanValue('f', false)).toBe(true);
    expect(page.requests).toEqual(['http://relay.test/sdk/v1/snapshot?key=cli-secret-key']);
    version = 2;
    page.clock.advance(2000);
    await settle();
    expect(page.requests).toHaveLength(2);
    expect(client.getBooleanDetails('f', false).flagMetadata).toMatchObject({ flagVersion: 2 });
  });
});

describe('SwitchyardWebProvider context changes', () => {
  it('re-evaluates locally: no request, no RECONCILING, CONTEXT_CHANGED', async () => {
    const { page, client, ready, events, domain, provider } = setup();
    page.source.open();
    page.source.put(clientSnapshotAt(5));
    await ready;
    const requests = page.requests.length;
    await OpenFeature.setContext(domain, { targetingKey: 'user-1' });
    expect(client.getBooleanDetails('t', false)).toMatchObject({
      value: true,
      reason: 'TARGETING_MATCH',
    });
    await OpenFeature.setContext(domain, { targetingKey: 'user-2' });
    expect(client.getBooleanDetails('t', true)).toMatchObject({ value: false, reason: 'DEFAULT' });
    expect(page.requests).toHaveLength(requests);
    expect(provider.snapshotInfo().stats).toMatchObject({ connections: 1, puts: 1 });
    expect(events.map((e) => e.type)).toEqual([
      ProviderEvents.Ready,
      ProviderEvents.ContextChanged,
      ProviderEvents.ContextChanged,
    ]);
    expect(client.providerStatus).toBe(ProviderStatus.READY);
  });

  it('keeps a STALE status STALE across a context change', async () => {
    const { page, client, ready, domain } = setup();
    page.source.open();
    page.source.put(clientSnapshotAt(5));
    await ready;
    page.source.fail();
    await OpenFeature.setContext(domain, { targetingKey: 'user-1' });
    await settle();
    expect(client.providerStatus).toBe(ProviderStatus.STALE);
    expect(client.getBooleanValue('t', false)).toBe(true);
  });
});

describe('SwitchyardWebProvider snapshot cache', () => {
  it('saves every applied snapshot under a key that never shows the client key', async () => {
    const { page, storage, ready } = setup();
    page.source.open();
    page.source.put(clientSnapshotAt(5));
    await ready;
    page.source.patch({ from: 5, version: 6, flags: clientSnapshotAt(6, true).flags });
    const key = snapshotStorageKey('http://relay.test/', clientKey);
    expect([...storage.items.keys()]).toEqual([key]);
    expect(key).toMatch(/^switchyard:snapshot:[0-9a-f]{64}$/);
    const stored = storage.items.get(key)!;
    expect(stored).not.toContain(clientKey);
    expect(stored).not.toContain('user-1');
    expect(JSON.parse(stored)).toMatchObject({ format: 1, snapshot: { version: 6 } });
  });

  it('makes a returning page READY at once from the cache, CACHED until the relay confirms, resuming from its version', async () => {
    const first = setup();
    first.page.source.open();
    first.page.source.put(clientSnapshotAt(5, true));
    await first.ready;
    await OpenFeature.clearProviders();

    const again = setup({ storage: first.storage });
    await again.ready; // no message from the relay needed
    expect(again.client.providerStatus).toBe(ProviderStatus.READY);
    expect(again.client.getBooleanDetails('f', false)).toMatchObject({
      value: true,
      variant: 'on',
      reason: 'CACHED',
    });
    expect(again.client.getBooleanDetails('missing', false).reason).toBe('ERROR');
    expect(again.provider.snapshotInfo()).toMatchObject({ version: 5, live: false });
    expect(again.page.source.url).toContain('lastEventId=5');
    again.page.source.open(); // the relay holds nothing newer
    expect(again.client.getBooleanDetails('f', false).reason).toBe('STATIC');
    expect(again.provider.snapshotInfo()).toMatchObject({ version: 5, live: true });
    // The second READY tells the host its values are no longer CACHED, so hooks re-read them.
    expect(again.events.map((e) => e.type)).toEqual([ProviderEvents.Ready, ProviderEvents.Ready]);
  });

  it('replaces a cached snapshot with a newer one from the relay and announces what changed', async () => {
    const storage = new MemoryStorage();
    storage.setItem(
      snapshotStorageKey('http://relay.test/', clientKey),
      JSON.stringify({ format: 1, snapshot: clientSnapshotAt(5) }),
    );
    const { page, client, ready, events } = setup({ storage });
    await ready;
    page.source.open();
    page.source.put(clientSnapshotAt(9, true));
    expect(client.getBooleanDetails('f', false)).toMatchObject({ value: true, reason: 'STATIC' });
    expect(events.at(-1)).toEqual({
      type: ProviderEvents.ConfigurationChanged,
      flagsChanged: ['f'],
    });
    expect(storage.getItem(snapshotStorageKey('http://relay.test/', clientKey))).toContain(
      '"version":9',
    );
  });

  it('keeps one cache per relay URL and client key', async () => {
    const storage = new MemoryStorage();
    storage.setItem(
      snapshotStorageKey('http://other-relay.test/', clientKey),
      JSON.stringify({ format: 1, snapshot: clientSnapshotAt(5) }),
    );
    const { client } = setup({ storage });
    await settle();
    expect(client.providerStatus).toBe(ProviderStatus.NOT_READY);
  });

  it('drops an unreadable cache, and survives a full storage', async () => {
    const storage = new MemoryStorage();
    const key = snapshotStorageKey('http://relay.test/', clientKey);
    storage.setItem(key, '{"format":1,"snaps');
    storage.full = true;
    const warnings: string[] = [];
    const { page, client, ready } = setup({
      storage,
      logger: { debug() {}, warn: (message) => warnings.push(message), error() {} },
    });
    page.source.open();
    page.source.put(clientSnapshotAt(5));
    await ready;
    expect(client.getBooleanValue('f', true)).toBe(false);
    expect(warnings).toEqual(['cannot read the cached snapshot', 'cannot save the snapshot cache']);
  });

  it('keeps nothing with storage: null', async () => {
    const { page, ready, provider } = setup({ storage: null });
    page.source.open();
    page.source.put(clientSnapshotAt(5));
    await ready;
    expect(provider.snapshotInfo().version).toBe(5);
  });

  it.runIf(typeof localStorage !== 'undefined')(
    "uses the page's localStorage by default",
    async () => {
      const key = snapshotStorageKey('http://relay.test/', clientKey);
      localStorage.removeItem(key);
      const page = fakePage();
      const provider = new SwitchyardWebProvider({ relayUrl, clientKey, platform: page.platform });
      const ready = OpenFeature.setProviderAndWait(`local-storage-${++domainCount}`, provider);
      page.source.open();
      page.source.put(clientSnapshotAt(4));
      await ready;
      expect(localStorage.getItem(key)).toContain('"version":4');
      localStorage.removeItem(key);
    },
  );
});

describe('SwitchyardWebProvider on an unusual page', () => {
  it.runIf(typeof EventSource === 'undefined')(
    'fails initialize plainly where there is no EventSource',
    async () => {
      const provider = new SwitchyardWebProvider({
        relayUrl,
        clientKey,
        storage: null,
        platform: { createEventSource: undefined },
      });
      await expect(provider.initialize()).rejects.toThrow(/this page has no EventSource/);
    },
  );

  it('keeps the default for a platform entry given as undefined', async () => {
    const page = fakePage();
    const { ready, client } = setup({ platform: { ...page.platform, fetch: undefined } }, page);
    page.source.open();
    page.source.put(clientSnapshotAt(1));
    await ready;
    expect(client.providerStatus).toBe(ProviderStatus.READY);
  });
});

describe('SwitchyardWebProvider offline and resolvers', () => {
  it('serves an offline snapshot with no network', async () => {
    const page = fakePage();
    const provider = new SwitchyardWebProvider({
      offline: { snapshot: snapshotOf([stringFlag('color', ['red', 'blue'])]) },
      platform: page.platform,
    });
    await OpenFeature.setProviderAndWait('offline', provider);
    const client = OpenFeature.getClient('offline');
    expect(client.getStringDetails('color', 'none')).toMatchObject({
      value: 'red',
      reason: 'STATIC',
    });
    expect(client.getNumberDetails('color', 7)).toMatchObject({
      value: 7,
      errorCode: 'TYPE_MISMATCH',
    });
    expect(client.getObjectValue('color', { a: 1 })).toEqual({ a: 1 });
    expect(page.requests).toEqual([]);
  });

  it('answers the default with GENERAL instead of throwing, whatever fails', async () => {
    const provider = new SwitchyardWebProvider({
      offline: { snapshot: snapshotOf([booleanFlag('f')]) },
    });
    await provider.initialize();
    // Core never throws (it has its own catch); break what lies around it instead.
    (provider as unknown as { sync: object }).sync = {
      get snapshot(): never {
        throw new Error('broken');
      },
    };
    expect(provider.resolveBooleanEvaluation('f', true, {})).toEqual({
      value: true,
      reason: 'ERROR',
      errorCode: 'GENERAL',
      errorMessage: 'Error: broken',
      flagMetadata: {},
    });
    (provider as unknown as { sync: undefined }).sync = undefined;
    await provider.onClose();
  });
});
