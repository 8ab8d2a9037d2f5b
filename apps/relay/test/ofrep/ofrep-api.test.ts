import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { booleanFlag, demoSnapshot } from '../hub/flag-fixtures';
import { KEYS, replyOf, startTestRelay, type TestRelay } from '../http/relay-harness';
import { SseClient } from '../http/stream-clients';

let t: TestRelay;
beforeEach(async () => {
  const seed = demoSnapshot();
  // Disabled and no offVariation: evaluation serves nothing and the caller's default applies.
  const { offVariation: _none, ...dark } = booleanFlag('dark-launch', {
    enabled: false,
    clientSide: true,
  });
  seed.flags['dark-launch'] = dark;
  t = await startTestRelay({ seed });
});
afterEach(() => t.close());

const post = async (path: string, body: unknown, headers: Record<string, string> = {}) =>
  replyOf(
    await fetch(`${t.url}/ofrep/v1/evaluate/flags${path}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${KEYS.server}`,
        'content-type': 'application/json',
        ...headers,
      },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }),
  );

describe('single evaluation', () => {
  it('answers value, variant, reason and metadata', async () => {
    const alice = await post('/client-flag', { context: { targetingKey: 'alice' } });
    expect(alice.status).toBe(200);
    expect(alice.headers.get('content-type')).toMatch(/^application\/json/);
    expect(alice.json).toEqual({
      key: 'client-flag',
      value: true,
      variant: 'on',
      reason: 'TARGETING_MATCH',
      metadata: { flagVersion: 1 },
    });
    const bob = await post('/client-flag', { context: { targetingKey: 'bob' } });
    expect(bob.json).toMatchObject({
      value: true,
      reason: 'TARGETING_MATCH',
      metadata: { ruleId: 'r1', ruleIndex: 0 },
    });
    const nobody = await post('/client-flag', { context: { targetingKey: 'zoe' } });
    expect(nobody.json).toMatchObject({ value: false, variant: 'off', reason: 'DEFAULT' });
  });

  it('answers a flag that serves nothing as a code default: a reason and no value', async () => {
    const reply = await post('/dark-launch', { context: { targetingKey: 'zoe' } });
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({
      key: 'dark-launch',
      reason: 'DISABLED',
      metadata: { flagVersion: 1 },
    });
  });

  it('answers 404 FLAG_NOT_FOUND for an unknown flag', async () => {
    const reply = await post('/nope', { context: {} });
    expect(reply.status).toBe(404);
    expect(reply.json).toMatchObject({
      key: 'nope',
      errorCode: 'FLAG_NOT_FOUND',
      errorDetails: expect.any(String),
    });
  });

  it.each([
    ['a context that is not an object', { context: 'alice' }],
    ['a targetingKey that is not a string', { context: { targetingKey: 42 } }],
    ['a body that is not an object', [1]],
  ])('answers 400 INVALID_CONTEXT for %s', async (_name, body) => {
    const reply = await post('/client-flag', body);
    expect(reply.status).toBe(400);
    expect(reply.json).toMatchObject({
      key: 'client-flag',
      errorCode: 'INVALID_CONTEXT',
      errorDetails: expect.any(String),
    });
  });

  it('answers 400 PARSE_ERROR for a body that is not JSON', async () => {
    const reply = await post('/client-flag', '{"context": ');
    expect(reply.status).toBe(400);
    expect(reply.json).toMatchObject({ key: 'client-flag', errorCode: 'PARSE_ERROR' });
  });

  it('answers TARGETING_KEY_MISSING as a 400 for a flag that needs a bucket', async () => {
    await t.admin('PUT', '/admin/v1/environments/production/flags/client-flag/fallthrough', {
      body: {
        weights: [
          { variation: 'on', weight: 50_000 },
          { variation: 'off', weight: 50_000 },
        ],
      },
    });
    const reply = await post('/client-flag', { context: {} });
    expect(reply.status).toBe(400);
    expect(reply.json).toMatchObject({ errorCode: 'TARGETING_KEY_MISSING' });
  });
});

describe('bulk evaluation', () => {
  it('evaluates every flag the key may see', async () => {
    const server = await post('', { context: { targetingKey: 'carol' } });
    expect(server.json.flags.map((f: { key: string }) => f.key)).toEqual([
      'client-flag',
      'dark-launch',
      'server-flag',
    ]);
    expect(server.json.flags[2]).toMatchObject({
      key: 'server-flag',
      value: true,
      reason: 'TARGETING_MATCH',
    });
    expect(server.json.metadata).toEqual({ environment: 'production', version: 1 });
    const client = await post(
      '',
      { context: { targetingKey: 'carol' } },
      { authorization: `Bearer ${KEYS.client}` },
    );
    expect(client.json.flags.map((f: { key: string }) => f.key)).toEqual([
      'client-flag',
      'dark-launch',
    ]);
  });

  it('answers 304 for the same version and context, and 200 when either changes', async () => {
    const context = { targetingKey: 'alice', plan: 'pro' };
    const first = await post('', { context });
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"1-[\w-]+"$/);
    const reordered = { plan: 'pro', targetingKey: 'alice' };
    expect((await post('', { context: reordered }, { 'if-none-match': etag })).status).toBe(304);
    expect(
      (await post('', { context: { targetingKey: 'bob' } }, { 'if-none-match': etag })).status,
    ).toBe(200);
    expect(
      (
        await post(
          '',
          { context },
          { authorization: `Bearer ${KEYS.client}`, 'if-none-match': etag },
        )
      ).status,
    ).toBe(200);
    await t.admin('POST', '/admin/v1/environments/production/flags/client-flag/disable');
    const changed = await post('', { context }, { 'if-none-match': etag });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).toMatch(/^"2-/);
  });

  it('points eventStreams at an SSE URL that carries its own auth and says refetchEvaluation on every change', async () => {
    const bulk = await post('', { context: {} }, { authorization: `Bearer ${KEYS.client}` });
    expect(bulk.json.eventStreams).toEqual([
      {
        type: 'sse',
        url: expect.stringMatching(/\/ofrep\/v1\/events\?token=/),
        inactivityDelaySec: 120,
      },
    ]);
    const url: string = bulk.json.eventStreams[0].url;
    expect(url).not.toContain(KEYS.client);

    const stream = await SseClient.open(url); // no headers: the URL is the credential
    const onConnect = await stream.nextData();
    expect(onConnect).toMatchObject({ id: '1', json: { type: 'refetchEvaluation', etag: '1' } });
    expect(onConnect.event).toBeUndefined(); // the default `message` event, as the spec says
    await t.admin('POST', '/admin/v1/environments/production/flags/server-flag/disable');
    const notice = await stream.nextData();
    expect(notice).toMatchObject({
      id: '2',
      json: { type: 'refetchEvaluation', etag: '2', lastModified: expect.any(Number) },
    });
    stream.close();

    const current = await SseClient.open(url, { 'last-event-id': '2' });
    await t.admin('POST', '/admin/v1/environments/production/flags/server-flag/enable');
    expect((await current.nextData()).json.etag).toBe('3'); // nothing was sent on connect
    current.close();
  });
});
