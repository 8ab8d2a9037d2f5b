import { OpenFeature, ProviderStatus } from '@openfeature/web-sdk';
import { toClientSnapshot } from '@switchyard/core';
import { booleanFlag, snapshotOf } from '@switchyard/testkit';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SwitchyardWebProvider, type SwitchyardWebProviderOptions } from '../src/index';
import { fakePage } from './fake-page';

// HTTP edge cases answered by msw, through the page's own fetch (msw/node patches it), so
// Node only: the browser projects exclude *.node.test.ts.
const relay = 'http://relay.test';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(async () => {
  server.resetHandlers();
  await OpenFeature.clearProviders();
});
afterAll(() => server.close());

const snapshot = (version: number) =>
  toClientSnapshot(
    snapshotOf([booleanFlag('f', { version, clientSide: true })], [], { version }),
    's',
  );
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));
const waitFor = async (check: () => boolean): Promise<void> => {
  for (let i = 0; i < 250 && !check(); i++) await settle();
  expect(check()).toBe(true);
};

let count = 0;
function start(options: Partial<SwitchyardWebProviderOptions>) {
  const page = fakePage();
  const provider = new SwitchyardWebProvider({
    relayUrl: relay,
    clientKey: 'cli-key',
    storage: null,
    platform: { createEventSource: page.platform.createEventSource, clock: page.clock },
    ...options,
  } as SwitchyardWebProviderOptions);
  const domain = `http-${++count}`;
  const ready = OpenFeature.setProviderAndWait(domain, provider);
  return { page, provider, ready, client: OpenFeature.getClient(domain) };
}

describe('SwitchyardWebProvider over HTTP (msw)', () => {
  it('polls with ?key= and no Authorization header, and a 304 keeps the snapshot', async () => {
    const seen: { key: string | null; auth: string | null; ifNoneMatch: string | null }[] = [];
    server.use(
      http.get(`${relay}/sdk/v1/snapshot`, ({ request }) => {
        seen.push({
          key: new URL(request.url).searchParams.get('key'),
          auth: request.headers.get('authorization'),
          ifNoneMatch: request.headers.get('if-none-match'),
        });
        if (request.headers.get('if-none-match') === '"3"')
          return new HttpResponse(null, { status: 304 });
        return HttpResponse.json(snapshot(3), { headers: { ETag: '"3"' } });
      }),
    );
    const { page, ready, client } = start({ transport: 'poll', pollIntervalMs: 1000 });
    await ready;
    page.clock.advance(1000);
    await waitFor(() => seen.length === 2);
    await settle();
    expect(seen).toEqual([
      { key: 'cli-key', auth: null, ifNoneMatch: null },
      { key: 'cli-key', auth: null, ifNoneMatch: '"3"' },
    ]);
    expect(client.providerStatus).toBe(ProviderStatus.READY);
    expect(client.getBooleanDetails('f', true)).toMatchObject({
      value: false,
      flagMetadata: { flagVersion: 3 },
    });
  });

  it('is FATAL when a poll answers 401', async () => {
    server.use(http.get(`${relay}/sdk/v1/snapshot`, () => new HttpResponse('no', { status: 401 })));
    const { ready, client } = start({ transport: 'poll' });
    await expect(ready).rejects.toThrow(/401/);
    expect(client.providerStatus).toBe(ProviderStatus.FATAL);
  });

  it('asks the snapshot endpoint why a stream failed (browsers hide the status), and is FATAL on 403', async () => {
    const heads: string[] = [];
    server.use(
      http.head(`${relay}/sdk/v1/snapshot`, ({ request }) => {
        heads.push(request.url);
        return new HttpResponse(null, { status: 403 });
      }),
    );
    const { page, ready, client } = start({});
    page.source.fail();
    await expect(ready).rejects.toThrow(/403/);
    expect(heads).toEqual([`${relay}/sdk/v1/snapshot?key=cli-key`]);
    expect(client.providerStatus).toBe(ProviderStatus.FATAL);
  });

  it('retries a stream that failed while the relay answers 503, and recovers', async () => {
    server.use(
      http.head(`${relay}/sdk/v1/snapshot`, () => new HttpResponse(null, { status: 503 })),
    );
    const { page, ready, client } = start({ initTimeoutMs: 600_000 });
    page.source.fail();
    // Once the HEAD has answered, the provider reconnects after its backoff.
    await waitFor(() => (page.clock.advance(100), page.sources.length === 2));
    expect(client.providerStatus).toBe(ProviderStatus.NOT_READY);
    page.source.open();
    page.source.put(snapshot(4));
    await ready;
    expect(client.getBooleanDetails('f', true).flagMetadata).toMatchObject({ flagVersion: 4 });
  });
});
