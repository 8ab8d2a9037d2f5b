import { OFREPProvider } from '@openfeature/ofrep-provider';
import { OFREPWebProvider } from '@openfeature/ofrep-web-provider';
import { OpenFeature as ServerFeature } from '@openfeature/server-sdk';
import { ClientProviderEvents, OpenFeature as WebFeature } from '@openfeature/web-sdk';
import { EventSource } from 'eventsource';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEYS, startTestRelay, type TestRelay } from '../http/relay-harness';

// The web provider is written for browsers: in Node 20 it needs an EventSource global.
(globalThis as { EventSource?: unknown }).EventSource = EventSource;

let t: TestRelay;
beforeAll(async () => {
  t = await startTestRelay();
});
afterAll(async () => {
  await ServerFeature.close();
  await WebFeature.close();
  await t.close();
});

describe('the official OFREP server provider, unmodified', () => {
  beforeAll(async () => {
    const provider = new OFREPProvider({
      baseUrl: t.url,
      headers: [['Authorization', `Bearer ${KEYS.server}`]],
    });
    await ServerFeature.setProviderAndWait('relay', provider);
  });

  it('evaluates with the context of each call', async () => {
    const client = ServerFeature.getClient('relay');
    expect(
      await client.getBooleanDetails('client-flag', false, { targetingKey: 'alice' }),
    ).toMatchObject({
      value: true,
      variant: 'on',
      reason: 'TARGETING_MATCH',
      flagMetadata: { flagVersion: 1 },
    });
    expect(await client.getBooleanValue('server-flag', false, { targetingKey: 'carol' })).toBe(
      true,
    );
    expect(await client.getBooleanValue('server-flag', true, { targetingKey: 'zoe' })).toBe(false);
  });

  it('sees an admin change on the next evaluation', async () => {
    const client = ServerFeature.getClient('relay');
    await t.admin('POST', '/admin/v1/environments/production/flags/server-flag/targets', {
      body: { variation: 'on', add: ['zoe'] },
    });
    expect(await client.getBooleanValue('server-flag', false, { targetingKey: 'zoe' })).toBe(true);
  });

  it('answers the default with FLAG_NOT_FOUND for a missing flag', async () => {
    const details = await ServerFeature.getClient('relay').getBooleanDetails('missing', true, {
      targetingKey: 'zoe',
    });
    expect(details).toMatchObject({ value: true, reason: 'ERROR', errorCode: 'FLAG_NOT_FOUND' });
  });
});

describe('the official OFREP web provider, unmodified', () => {
  it('evaluates the context once, then follows an admin change through its event stream', async () => {
    await WebFeature.setContext('relay', { targetingKey: 'bob' });
    const provider = new OFREPWebProvider({
      baseUrl: t.url,
      headers: [['Authorization', `Bearer ${KEYS.client}`]],
      cacheMode: 'disabled',
    });
    await WebFeature.setProviderAndWait('relay', provider);
    const client = WebFeature.getClient('relay');
    expect(client.getBooleanDetails('client-flag', false)).toMatchObject({
      value: true,
      variant: 'on',
      reason: 'TARGETING_MATCH',
    });
    expect(client.getBooleanDetails('server-flag', true)).toMatchObject({
      value: true,
      errorCode: 'FLAG_NOT_FOUND',
    });

    const changed = new Promise<string[]>((resolve) =>
      client.addHandler(ClientProviderEvents.ConfigurationChanged, (event) =>
        resolve(event?.flagsChanged ?? []),
      ),
    );
    const write = await t.admin(
      'POST',
      '/admin/v1/environments/production/flags/client-flag/disable',
    );
    expect(write.status).toBe(200);
    expect(await changed).toEqual(['client-flag']);
    expect(client.getBooleanDetails('client-flag', true)).toMatchObject({
      value: false,
      variant: 'off',
      reason: 'DISABLED',
    });
  });
});
