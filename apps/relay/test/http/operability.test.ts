import { afterEach, expect, it } from 'vitest';
import { eventually, KEYS, startTestRelay, type TestRelay } from './relay-harness';
import { SseClient, WsClient } from './stream-clients';

let t: TestRelay | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

it('answers /healthz, and /readyz from the store health', async () => {
  t = await startTestRelay();
  expect(await (await fetch(`${t.url}/healthz`)).json()).toEqual({ status: 'ok' });
  expect((await fetch(`${t.url}/readyz`)).status).toBe(200);
  t.store.health = () => ({ ready: false, detail: 'flags.yaml: /flags/x/type must be one of ...' });
  const notReady = await fetch(`${t.url}/readyz`);
  expect(notReady.status).toBe(503);
  expect(await notReady.json()).toEqual({
    status: 'not-ready',
    detail: 'flags.yaml: /flags/x/type must be one of ...',
  });
});

it('exposes stream, write and version metrics in Prometheus text format', async () => {
  t = await startTestRelay();
  const stream = await SseClient.open(`${t.url}/sdk/v1/stream`, { authorization: KEYS.client });
  const socket = await WsClient.open(`${t.url.replace('http', 'ws')}/sdk/v1/ws`, {
    authorization: KEYS.server,
  });
  socket.send({ type: 'hello' });
  await stream.nextData();
  await socket.next();
  await t.admin('POST', '/admin/v1/environments/production/flags/server-flag/disable');
  await t.admin('POST', '/admin/v1/environments/production/flags/server-flag/disable', {
    headers: { 'if-match': '"1"' },
  });
  await t.admin('PUT', '/admin/v1/environments/production/flags/server-flag', {
    body: { type: 'nope' },
  });
  await stream.nextData();
  await socket.next();

  const response = await fetch(`${t.url}/metrics`);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
  const text = await response.text();
  const value = (series: string): number =>
    Number(
      text
        .split('\n')
        .find((line) => line.startsWith(`${series} `))
        ?.split(' ')
        .pop(),
    );
  expect(value('switchyard_relay_connections{transport="sse",environment="production"}')).toBe(1);
  expect(value('switchyard_relay_connections{transport="ws",environment="production"}')).toBe(1);
  expect(
    value('switchyard_relay_messages_sent_total{transport="sse",environment="production"}'),
  ).toBe(2);
  expect(
    value('switchyard_relay_bytes_sent_total{transport="ws",environment="production"}'),
  ).toBeGreaterThan(100);
  expect(value('switchyard_relay_admin_writes_total{outcome="ok"}')).toBe(1);
  expect(value('switchyard_relay_admin_writes_total{outcome="conflict"}')).toBe(1);
  expect(value('switchyard_relay_admin_writes_total{outcome="invalid"}')).toBe(1);
  expect(value('switchyard_relay_environment_version{environment="production"}')).toBe(2);
  expect(value('switchyard_relay_write_to_enqueue_seconds_count{environment="production"}')).toBe(
    1,
  );
  expect(text).toMatch(/^switchyard_relay_process_cpu_user_seconds_total /m);
  stream.close();
  socket.close();
  await eventually(async () =>
    expect(await (await fetch(`${t!.url}/metrics`)).text()).toMatch(
      /^switchyard_relay_connections\{transport="sse",environment="production"\} 0$/m,
    ),
  );
});

it('never writes a key or token to its logs', async () => {
  t = await startTestRelay();
  const secrets = Object.values(KEYS);
  await fetch(`${t.url}/sdk/v1/snapshot?key=${KEYS.client}`);
  await fetch(`${t.url}/sdk/v1/snapshot?key=${KEYS.server}`);
  await fetch(`${t.url}/sdk/v1/snapshot`, { headers: { authorization: KEYS.server } });
  await fetch(`${t.url}/sdk/v1/snapshot?key=srv-wrong-key-typed-here`);
  const bulk = await fetch(`${t.url}/ofrep/v1/evaluate/flags`, {
    method: 'POST',
    headers: { 'x-api-key': KEYS.client, 'content-type': 'application/json' },
    body: '{}',
  });
  const { eventStreams } = (await bulk.json()) as { eventStreams: { url: string }[] };
  const token = new URL(eventStreams[0]!.url).searchParams.get('token')!;
  const events = await SseClient.open(eventStreams[0]!.url);
  await events.nextData();
  events.close();
  await t.admin('GET', '/admin/v1/environments', { token: KEYS.reader });
  await t.admin('GET', '/admin/v1/environments', { token: 'adm-wrong-token-typed-here' });
  await t.admin('PUT', '/admin/v1/environments/production/flags/server-flag', { body: '{"broken' });

  const logs = t.logs.join('');
  expect(logs).toContain('/sdk/v1/snapshot?key=[redacted]');
  expect(logs).toContain('/ofrep/v1/events?token=[redacted]');
  for (const secret of [
    ...secrets,
    token,
    'srv-wrong-key-typed-here',
    'adm-wrong-token-typed-here',
  ])
    expect(logs).not.toContain(secret);
});

it('fails to start on a taken port without leaving anything running', async () => {
  t = await startTestRelay();
  const port = Number(new URL(t.url).port);
  await expect(startTestRelay({ config: { listen: { host: '127.0.0.1', port } } })).rejects.toThrow(
    /EADDRINUSE/,
  );
});
