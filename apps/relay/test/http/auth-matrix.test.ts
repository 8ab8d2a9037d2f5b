import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APP_ORIGIN, KEYS, replyOf, startTestRelay, type TestRelay } from './relay-harness';
import { WsClient } from './stream-clients';

let t: TestRelay;
beforeAll(async () => {
  t = await startTestRelay();
});
afterAll(() => t.close());

const get = async (path: string, headers: Record<string, string> = {}) =>
  replyOf(await fetch(`${t.url}${path}`, { headers }));
const evaluate = async (key: string, headers: Record<string, string>) =>
  replyOf(
    await fetch(`${t.url}/ofrep/v1/evaluate/flags/${key}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ context: { targetingKey: 'bob' } }),
    }),
  );

describe('SDK endpoints', () => {
  it.each([
    ['no key', {}, 401],
    ['an unknown key', { authorization: 'srv-nope' }, 401],
    ['an admin token', { authorization: `Bearer ${KEYS.writer}` }, 401],
  ])('refuse a snapshot request with %s', async (_name, headers, status) => {
    const reply = await get('/sdk/v1/snapshot', headers);
    expect(reply.status).toBe(status);
    expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(reply.json).toMatchObject({ status, type: expect.stringContaining('unauthorized') });
  });

  it('accept a server key as Authorization, bare or Bearer', async () => {
    expect((await get('/sdk/v1/snapshot', { authorization: KEYS.server })).status).toBe(200);
    expect((await get('/sdk/v1/snapshot', { authorization: `Bearer ${KEYS.server}` })).status).toBe(
      200,
    );
  });

  it('accept a client key in ?key= but refuse a server key there', async () => {
    expect((await get(`/sdk/v1/snapshot?key=${KEYS.client}`)).status).toBe(200);
    const refused = await get(`/sdk/v1/snapshot?key=${KEYS.server}`);
    expect(refused.status).toBe(403);
    expect(refused.json.detail).toMatch(/Authorization header/);
  });

  it('give a client key the client snapshot, never the server one', async () => {
    const reply = await get('/sdk/v1/snapshot', { authorization: KEYS.client });
    expect(Object.keys(reply.json.flags)).toEqual(['client-flag']);
  });

  it('scope a key to its own environment', async () => {
    const reply = await get('/sdk/v1/snapshot', { authorization: KEYS.stagingServer });
    expect(reply.json).toMatchObject({ environment: 'staging', flags: {} });
  });

  it('refuse a browser origin the environment does not allow, and let allowed ones read', async () => {
    expect(
      (
        await get('/sdk/v1/snapshot', {
          authorization: KEYS.client,
          origin: 'https://evil.example',
        })
      ).status,
    ).toBe(403);
    const allowed = await get('/sdk/v1/snapshot', {
      authorization: KEYS.client,
      origin: APP_ORIGIN,
    });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    expect(allowed.headers.get('access-control-expose-headers')).toBe('ETag');
    // Production allows APP_ORIGIN; staging allows no origin at all.
    expect(
      (await get('/sdk/v1/snapshot', { authorization: KEYS.stagingServer, origin: APP_ORIGIN }))
        .status,
    ).toBe(403);
  });

  it('answer a CORS preflight for an allowed origin only', async () => {
    const preflight = (origin: string) =>
      fetch(`${t.url}/sdk/v1/stream`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'GET' },
      });
    const allowed = await preflight(APP_ORIGIN);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-headers')).toMatch(
      /Authorization.*Last-Event-ID/,
    );
    expect(
      (await preflight('https://evil.example')).headers.get('access-control-allow-origin'),
    ).toBeNull();
  });

  it.each([
    ['no key', {}, /send an SDK key/],
    ['an unknown key', { authorization: 'cli-nope' }, /not known/],
  ])('close a WebSocket with %s with code 4001 and a reason', async (_name, headers, reason) => {
    const client = await WsClient.open(`${t.url.replace('http', 'ws')}/sdk/v1/ws`, headers);
    const closed = await client.closed;
    expect(closed.code).toBe(4001);
    expect(closed.reason).toMatch(reason);
  });
});

describe('OFREP endpoints', () => {
  it('refuse missing and unknown keys with 401', async () => {
    expect((await evaluate('client-flag', {})).status).toBe(401);
    expect((await evaluate('client-flag', { authorization: 'Bearer srv-nope' })).status).toBe(401);
  });

  it('accept Authorization: Bearer and X-API-Key', async () => {
    expect((await evaluate('server-flag', { authorization: `Bearer ${KEYS.server}` })).status).toBe(
      200,
    );
    expect((await evaluate('server-flag', { 'x-api-key': KEYS.server })).status).toBe(200);
  });

  it('answer FLAG_NOT_FOUND to a client key asking for a server-only flag', async () => {
    const reply = await evaluate('server-flag', { authorization: `Bearer ${KEYS.client}` });
    expect(reply.status).toBe(404);
    expect(reply.json).toMatchObject({ key: 'server-flag', errorCode: 'FLAG_NOT_FOUND' });
  });

  it('refuse an event stream whose token is forged', async () => {
    const reply = await get('/ofrep/v1/events?token=cHJvZHVjdGlvbg.abc.def');
    expect(reply.status).toBe(401);
  });
});

describe('admin API', () => {
  const write = (token: string | undefined) =>
    fetch(`${t.url}/admin/v1/environments/production/flags/server-flag/enable`, {
      method: 'POST',
      headers: token === undefined ? {} : { authorization: token },
    });

  it('refuse a request without a token, with WWW-Authenticate', async () => {
    const reply = await replyOf(await write(undefined));
    expect(reply.status).toBe(401);
    expect(reply.headers.get('www-authenticate')).toBe('Bearer');
  });

  it.each([
    ['a server SDK key', `Bearer ${KEYS.server}`],
    ['a client SDK key', `Bearer ${KEYS.client}`],
    ['an unknown token', 'Bearer adm-nope'],
    ['a token without Bearer', KEYS.writer],
  ])('refuse %s with 401', async (_name, authorization) => {
    expect((await write(authorization)).status).toBe(401);
  });

  it('let a read token read but not write (403)', async () => {
    expect(
      (await t.admin('GET', '/admin/v1/environments/production/flags', { token: KEYS.reader }))
        .status,
    ).toBe(200);
    const refused = await t.admin(
      'POST',
      '/admin/v1/environments/production/flags/server-flag/disable',
      { token: KEYS.reader },
    );
    expect(refused.status).toBe(403);
    expect(refused.json.detail).toMatch(/read scope/);
    expect(t.store.snapshot('production')!.flags['server-flag']!.enabled).toBe(true);
  });

  it('let a write token write', async () => {
    expect((await write(`Bearer ${KEYS.writer}`)).status).toBe(200);
  });

  it('serve the OpenAPI document without a token', async () => {
    expect((await get('/admin/v1/openapi.json')).status).toBe(200);
  });
});
