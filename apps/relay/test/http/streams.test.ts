import { hashContextKey } from '@switchyard/core';
import { afterEach, describe, expect, it } from 'vitest';
import { KEY_SALT, KEYS, replyOf, startTestRelay, type TestRelay } from './relay-harness';
import { SseClient, WsClient } from './stream-clients';

let t: TestRelay | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

const sse = (
  relay: TestRelay,
  headers: Record<string, string> = { authorization: KEYS.server },
  query = '',
) => SseClient.open(`${relay.url}/sdk/v1/stream${query}`, headers);
const ws = (
  relay: TestRelay,
  headers: Record<string, string> = { authorization: KEYS.server },
  query = '',
) => WsClient.open(`${relay.url.replace('http', 'ws')}/sdk/v1/ws${query}`, headers);
const describeFlag = (relay: TestRelay, text: string) =>
  relay.admin('PUT', '/admin/v1/environments/production/flags/server-flag', {
    body: { ...relay.store.snapshot('production')!.flags['server-flag'], description: text },
  });

describe('SSE', () => {
  it('sends the SSE head, a retry hint, a put with its version as id, then a patch after an admin write', async () => {
    t = await startTestRelay();
    const stream = await sse(t);
    expect(stream.response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(stream.response.headers.get('x-accel-buffering')).toBe('no');
    expect(Number((await stream.next()).retry)).toBeGreaterThanOrEqual(1000);
    const put = await stream.nextData();
    expect(put).toMatchObject({
      id: '1',
      event: 'put',
      json: { version: 1, environment: 'production' },
    });

    expect(
      (await t.admin('POST', '/admin/v1/environments/production/flags/server-flag/disable')).status,
    ).toBe(200);
    const patch = await stream.nextData();
    expect(patch).toMatchObject({
      id: '2',
      event: 'patch',
      json: { from: 1, version: 2, flags: { 'server-flag': { enabled: false } } },
    });
    stream.close();
  });

  it('resumes from Last-Event-ID with only the missed patches', async () => {
    t = await startTestRelay();
    for (const text of ['a', 'b', 'c']) await describeFlag(t, text);
    const stream = await sse(t, { authorization: KEYS.server, 'last-event-id': '2' });
    const events = [await stream.nextData(), await stream.nextData()];
    expect(
      events.map((e) => [
        e.event,
        e.json.from,
        e.json.version,
        e.json.flags['server-flag'].description,
      ]),
    ).toEqual([
      ['patch', 2, 3, 'b'],
      ['patch', 3, 4, 'c'],
    ]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(stream.pending).toBe(0); // no put
    stream.close();
  });

  it('resumes from ?lastEventId= with nothing when current, and with a put when the ring no longer holds the change', async () => {
    t = await startTestRelay({ config: { changeRing: 2 }, ringSize: 2 });
    for (const text of ['a', 'b', 'c', 'd']) await describeFlag(t, text);
    const current = await sse(t, { authorization: KEYS.server }, '?lastEventId=5');
    const tooOld = await sse(t, { authorization: KEYS.server }, '?lastEventId=1');
    expect(await tooOld.nextData()).toMatchObject({ event: 'put', id: '5' });
    await describeFlag(t, 'e');
    expect(await current.nextData()).toMatchObject({
      event: 'patch',
      json: { from: 5, version: 6 },
    });
    current.close();
    tooOld.close();
  });

  it('gives a client key hashed, client-side-only puts and patches (with ?key= for browsers)', async () => {
    t = await startTestRelay();
    const stream = await sse(t, {}, `?key=${KEYS.client}`);
    const put = await stream.nextData();
    expect(Object.keys(put.json.flags)).toEqual(['client-flag']);
    expect(put.json.flags['client-flag'].targets.on).toEqual({
      sha256: [hashContextKey(KEY_SALT, 'alice')],
    });
    await describeFlag(t, 'server only');
    expect((await stream.nextData()).json).toEqual({
      from: 1,
      version: 2,
      flags: {},
      segments: {},
      deleted: { flags: [], segments: [] },
    });
    stream.close();
  });

  it('sends a heartbeat comment every heartbeatMs', async () => {
    t = await startTestRelay({ config: { heartbeatMs: 50 } });
    const response = await fetch(`${t.url}/sdk/v1/stream`, {
      headers: { authorization: KEYS.server },
    });
    const reader = response.body!.getReader();
    let text = '';
    while (!text.includes('\n:\n\n')) text += new TextDecoder().decode((await reader.read()).value);
    await reader.cancel();
  });

  it('ends streams that reach their maximum age with a retry hint, and they resume without a put', async () => {
    t = await startTestRelay({ config: { limits: { maxConnectionAgeMs: 300 } } });
    const stream = await sse(t);
    const put = await stream.nextData();
    await stream.ended;
    const afterPut: string[] = [];
    while (stream.pending > 0) afterPut.push(JSON.stringify(await stream.next()));
    expect(afterPut).toEqual([expect.stringMatching(/^\{"retry":"\d+"\}$/)]);
    const resumed = await sse(t, { authorization: KEYS.server, 'last-event-id': put.id! });
    await describeFlag(t, 'after reconnect');
    expect(await resumed.nextData()).toMatchObject({
      event: 'patch',
      json: { from: 1, version: 2 },
    });
    resumed.close();
  });
});

describe('WebSocket', () => {
  it('sends a put (after waiting briefly for a hello) and then each change as a patch', async () => {
    t = await startTestRelay();
    const client = await ws(t);
    const put = await client.next();
    expect(put).toMatchObject({ type: 'put', version: 1 });
    await t.admin('POST', '/admin/v1/environments/production/flags/server-flag/disable');
    expect(await client.next()).toMatchObject({
      type: 'patch',
      from: 1,
      version: 2,
      flags: { 'server-flag': { enabled: false } },
    });
    client.close();
  });

  it('resumes after a hello with only the missed patches, or nothing when current', async () => {
    t = await startTestRelay();
    for (const text of ['a', 'b']) await describeFlag(t, text);
    const behind = await ws(t);
    behind.send({ type: 'hello', since: 1 });
    expect(
      [await behind.next(), await behind.next()].map((m) => [m.type, m.from, m.version]),
    ).toEqual([
      ['patch', 1, 2],
      ['patch', 2, 3],
    ]);
    const current = await ws(t, { authorization: KEYS.client });
    current.send({ type: 'hello', since: 3 });
    await describeFlag(t, 'c');
    expect(await current.next()).toMatchObject({ type: 'patch', from: 3, version: 4, flags: {} });
    behind.close();
    current.close();
  });

  it('pings every heartbeat (the ws client answers pongs)', async () => {
    t = await startTestRelay({ config: { heartbeatMs: 50 } });
    const client = await ws(t);
    await new Promise((resolve) => client.ws.once('ping', resolve));
    client.close();
  });

  it('drops a peer that stops answering pings', async () => {
    t = await startTestRelay({ config: { heartbeatMs: 50 } });
    const client = await ws(t);
    await client.next();
    (
      client.ws as unknown as { _receiver: { removeAllListeners(event: string): void } }
    )._receiver.removeAllListeners('ping'); // a dead peer
    expect((await client.closed).code).toBe(1006);
  });
});

describe('graceful close', () => {
  it('ends SSE with a retry hint and closes WebSockets with 1012, then resolves', async () => {
    t = await startTestRelay();
    const stream = await sse(t);
    const client = await ws(t);
    await stream.nextData();
    await client.next();
    const closing = t.close();
    const closed = await client.closed;
    expect(closed).toEqual({ code: 1012, reason: 'shutdown' });
    await stream.ended;
    expect(await stream.next()).toMatchObject({ retry: expect.stringMatching(/^\d+$/) });
    await closing;
    await expect(fetch(`${t.url}/healthz`)).rejects.toThrow();
    t = undefined;
  });
});

it('answers a snapshot with ETag and 304 on If-None-Match', async () => {
  t = await startTestRelay();
  const first = await replyOf(
    await fetch(`${t.url}/sdk/v1/snapshot`, { headers: { authorization: KEYS.client } }),
  );
  expect(first.headers.get('etag')).toBe('"1"');
  expect(first.json.keySalt).toBe(KEY_SALT);
  expect(JSON.stringify(first.json)).not.toMatch(/alice|bob|carol|server-flag|internal/);
  const again = await fetch(`${t.url}/sdk/v1/snapshot`, {
    headers: { authorization: KEYS.client, 'if-none-match': '"1"' },
  });
  expect(again.status).toBe(304);
});
