import { booleanFlag, FakeClock, snapshotOf } from '@switchyard/testkit';
import { http, HttpResponse, delay } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PollingTransport, SyncClient, type FetchFunction, type StatusChange } from '../src/index';

// HTTP edge cases a real relay cannot easily produce, answered by msw.
const relay = 'http://relay.test';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const snapshot = (version: number) => snapshotOf([booleanFlag('f', { version })], [], { version });
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

function start(intervalMs = 1000) {
  const clock = new FakeClock();
  const statuses: StatusChange[] = [];
  const seen: { auth: string | null; ifNoneMatch: string | null }[] = [];
  const fetchWithLog: FetchFunction = async (url, init) => {
    seen.push({
      auth: init?.headers?.Authorization ?? null,
      ifNoneMatch: init?.headers?.['If-None-Match'] ?? null,
    });
    return fetch(url, init as RequestInit);
  };
  const transport = new PollingTransport({
    relayUrl: relay,
    key: 'srv-key',
    keyInQuery: false,
    fetch: fetchWithLog,
    clock,
    intervalMs,
  });
  const client = new SyncClient({
    transport,
    clock,
    random: () => 0,
    onStatus: (s) => statuses.push(s),
  });
  client.start();
  return { client, clock, statuses, seen };
}

describe('PollingTransport', () => {
  it('sends the key and If-None-Match, and a 304 keeps the snapshot', async () => {
    let calls = 0;
    server.use(
      http.get(`${relay}/sdk/v1/snapshot`, ({ request }) => {
        calls++;
        if (request.headers.get('if-none-match') === '"3"')
          return new HttpResponse(null, { status: 304 });
        return HttpResponse.json(snapshot(3), { headers: { ETag: '"3"' } });
      }),
    );
    const { client, clock, seen } = start();
    await settle();
    expect(client.snapshot?.version).toBe(3);
    clock.advance(1000);
    await settle();
    expect(calls).toBe(2);
    expect(seen[1]).toEqual({ auth: 'srv-key', ifNoneMatch: '"3"' });
    expect(client.status).toBe('READY');
    client.stop();
  });

  it('stops with a fatal ERROR on 401', async () => {
    server.use(http.get(`${relay}/sdk/v1/snapshot`, () => new HttpResponse('no', { status: 401 })));
    const { client, statuses } = start();
    await settle();
    expect(client.status).toBe('ERROR');
    expect(statuses.at(-1)?.fatal).toBe(true);
  });

  it('retries a 500 and recovers', async () => {
    let calls = 0;
    server.use(
      http.get(`${relay}/sdk/v1/snapshot`, () => {
        calls++;
        return calls === 1
          ? new HttpResponse('boom', { status: 500 })
          : HttpResponse.json(snapshot(7), { headers: { ETag: '"7"' } });
      }),
    );
    const { client, clock } = start();
    await settle();
    expect(client.status).toBe('NOT_READY');
    clock.advance(1);
    await settle();
    expect(client.status).toBe('READY');
    expect(client.snapshot?.version).toBe(7);
    client.stop();
  });

  it('keeps the previous snapshot when a body is garbled', async () => {
    let calls = 0;
    server.use(
      http.get(`${relay}/sdk/v1/snapshot`, () => {
        calls++;
        return calls === 1
          ? HttpResponse.json(snapshot(2), { headers: { ETag: '"2"' } })
          : new HttpResponse('{"schemaVersion":1,"vers', {
              headers: { 'Content-Type': 'application/json' },
            });
      }),
    );
    const { client, clock } = start();
    await settle();
    clock.advance(1000);
    await settle();
    expect(calls).toBe(2);
    expect(client.snapshot?.version).toBe(2);
    expect(client.status).toBe('READY');
    client.stop();
  });

  it('never overlaps polls when a response is slower than the interval', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    server.use(
      http.get(`${relay}/sdk/v1/snapshot`, async () => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await delay(60);
        inFlight--;
        return HttpResponse.json(snapshot(1), { headers: { ETag: '"1"' } });
      }),
    );
    const { client, clock } = start(10);
    for (let i = 0; i < 5; i++) {
      clock.advance(10);
      await settle();
    }
    await delay(100);
    expect(maxInFlight).toBe(1);
    expect(client.snapshot?.version).toBe(1);
    client.stop();
  });
});
