import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OpenFeature, ProviderEvents, ProviderStatus } from '@openfeature/server-sdk';
import { booleanFlag, stringFlag } from '@switchyard/testkit';
import { startRelayProcess, TEST_KEYS, type RelayProcess } from '@switchyard/testkit/relay';
import { SwitchyardProvider } from '@switchyard/server-provider';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

/** Waits until `check` holds, polling; fails with `what` after `ms`. */
async function eventually(
  check: () => boolean | Promise<boolean>,
  what: string,
  ms = 10_000,
): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const fastBackoff = { initialMs: 50, maxMs: 200, resetAfterMs: 1000 };

describe('the server provider against a real relay', () => {
  let relay: RelayProcess;

  beforeAll(async () => {
    relay = await startRelayProcess({ config: { heartbeatMs: 1000 } });
    expect((await relay.admin('POST', '/flags', booleanFlag('checkout'))).status).toBe(201);
    expect((await relay.admin('POST', '/flags', stringFlag('copy', ['a', 'b']))).status).toBe(201);
  });

  afterAll(async () => {
    await relay.stop();
  });

  afterEach(async () => {
    await OpenFeature.clearProviders();
  });

  it.each(['sse', 'ws', 'poll'] as const)(
    'over %s, evaluates from the relay snapshot',
    async (transport) => {
      const provider = new SwitchyardProvider({
        relayUrl: relay.url,
        sdkKey: TEST_KEYS.server,
        transport,
        pollIntervalMs: 100,
      });
      await OpenFeature.setProviderAndWait(`read-${transport}`, provider);
      const client = OpenFeature.getClient(`read-${transport}`);
      expect(
        await client.getBooleanDetails('checkout', true, { targetingKey: 'u1' }),
      ).toMatchObject({ value: false, variant: 'off' });
      expect(await client.getStringValue('copy', 'x')).toBe('a');
    },
  );

  it.each(['sse', 'ws'] as const)(
    'over %s, a change made through the admin API reaches the change handler',
    async (transport) => {
      const provider = new SwitchyardProvider({
        relayUrl: relay.url,
        sdkKey: TEST_KEYS.server,
        transport,
      });
      await OpenFeature.setProviderAndWait(`change-${transport}`, provider);
      const client = OpenFeature.getClient(`change-${transport}`);
      const seen: { flags: string[]; value: boolean; at: number }[] = [];
      client.addHandler(ProviderEvents.ConfigurationChanged, async (details) => {
        seen.push({
          flags: [...(details?.flagsChanged ?? [])],
          value: await client.getBooleanValue('checkout', false),
          at: performance.now(),
        });
      });
      const sentAt = performance.now();
      const written = await relay.admin(
        'PUT',
        `/flags/checkout`,
        booleanFlag('checkout', { fallthrough: { variation: 'on' } }),
      );
      expect(written.status).toBe(200);
      await eventually(
        () => seen.some((event) => event.flags.includes('checkout') && event.value),
        'the change event',
      );
      const event = seen.find((e) => e.flags.includes('checkout'))!;
      expect(event.value).toBe(true);
      console.log(
        `admin write -> change handler over ${transport}: ${(event.at - sentAt).toFixed(1)} ms`,
      );
      await relay.admin('PUT', `/flags/checkout`, booleanFlag('checkout'));
      await eventually(
        async () => (await client.getBooleanValue('checkout', true)) === false,
        'the flag back off',
      );
    },
  );
});

describe('the server provider through relay outages', () => {
  it('goes STALE when the relay stops, keeps evaluating, and resyncs with patches only when it returns', async () => {
    let relay = await startRelayProcess({ config: { heartbeatMs: 500 } });
    await relay.admin('POST', '/flags', booleanFlag('outage'));
    const provider = new SwitchyardProvider({
      relayUrl: relay.url,
      sdkKey: TEST_KEYS.server,
      backoff: fastBackoff,
    });
    await OpenFeature.setProviderAndWait('outage', provider);
    const client = OpenFeature.getClient('outage');
    const events: string[] = [];
    for (const event of [ProviderEvents.Stale, ProviderEvents.Ready, ProviderEvents.Error])
      client.addHandler(event, () => events.push(event));
    // A handler added for the current status runs at once (OpenFeature spec): start clean.
    await eventually(() => events.length > 0, 'the immediate READY');
    events.length = 0;

    await relay.stop();
    await eventually(() => provider.snapshotInfo().status === 'STALE', 'STALE');
    expect(client.providerStatus).toBe(ProviderStatus.STALE);
    expect(await client.getBooleanDetails('outage', true)).toMatchObject({
      value: false,
      variant: 'off',
    });
    const before = provider.snapshotInfo();

    relay = await relay.restart();
    await eventually(() => provider.snapshotInfo().status === 'READY', 'READY again');
    const written = await relay.admin(
      'PUT',
      '/flags/outage',
      booleanFlag('outage', { fallthrough: { variation: 'on' } }),
    );
    expect(written.status).toBe(200);
    await eventually(
      async () => await client.getBooleanValue('outage', false),
      'the change after the restart',
    );
    const after = provider.snapshotInfo();
    expect(after.stats.puts).toBe(before.stats.puts);
    expect(after.stats.patches).toBeGreaterThan(before.stats.patches);
    expect(events).toEqual([ProviderEvents.Stale, ProviderEvents.Ready]);
    await OpenFeature.clearProviders();
    await relay.stop();
  });

  it('starts READY from the cache file with the relay down, then resumes from the cached version', async () => {
    const relay = await startRelayProcess();
    await relay.admin(
      'POST',
      '/flags',
      booleanFlag('cached', { fallthrough: { variation: 'on' } }),
    );
    const cacheFile = join(await mkdtemp(join(tmpdir(), 'switchyard-cache-')), 'snapshot.json');
    const first = new SwitchyardProvider({
      relayUrl: relay.url,
      sdkKey: TEST_KEYS.server,
      cacheFile,
    });
    await OpenFeature.setProviderAndWait('cache-first', first);
    await OpenFeature.clearProviders();
    await relay.stop();

    const cold = new SwitchyardProvider({
      relayUrl: relay.url,
      sdkKey: TEST_KEYS.server,
      cacheFile,
      backoff: fastBackoff,
    });
    await OpenFeature.setProviderAndWait('cache-cold', cold);
    const client = OpenFeature.getClient('cache-cold');
    expect(await client.getBooleanValue('cached', false)).toBe(true);
    expect(cold.snapshotInfo()).toMatchObject({ live: false });

    const back = await relay.restart();
    await eventually(() => cold.snapshotInfo().live, 'the relay confirming the cache');
    expect(cold.snapshotInfo().stats.puts).toBe(0);
    await OpenFeature.clearProviders();
    await back.stop();
  });

  it('fails for good on a refused key (PROVIDER_FATAL)', async () => {
    const relay = await startRelayProcess();
    const provider = new SwitchyardProvider({
      relayUrl: relay.url,
      sdkKey: 'srv-wrong',
      initTimeoutMs: 5000,
    });
    await expect(OpenFeature.setProviderAndWait('refused', provider)).rejects.toThrow();
    expect(OpenFeature.getClient('refused').providerStatus).toBe(ProviderStatus.FATAL);
    await OpenFeature.clearProviders();
    await relay.stop();
  });
});
