import { connect, type Socket } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { eventually, KEYS, startTestRelay, type TestRelay } from './relay-harness';
import { SseClient, WsClient } from './stream-clients';

let t: TestRelay | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** A raw TCP client that asks for a stream and then never reads a byte. */
function stalledClient(url: string, path: string, headers: string[]): Socket {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  socket.write([`GET ${path} HTTP/1.1`, `Host: ${hostname}`, ...headers, '', ''].join('\r\n'));
  return socket; // no 'data' listener: Node stops reading once its small buffer is full
}

const metric = async (relay: TestRelay, line: RegExp): Promise<number> => {
  const text = await (await fetch(`${relay.url}/metrics`)).text();
  const found = text.split('\n').find((l) => line.test(l));
  return found === undefined ? 0 : Number(found.split(' ').pop());
};

it('drops stream consumers that stop reading while fast ones keep receiving every patch', async () => {
  t = await startTestRelay({ config: { limits: { maxSubscriberBufferBytes: 256 * 1024 } } });
  const stalledSse = stalledClient(t.url, '/sdk/v1/stream', [`Authorization: ${KEYS.server}`]);
  const stalledWs = stalledClient(t.url, '/sdk/v1/ws', [
    `Authorization: ${KEYS.server}`,
    'Upgrade: websocket',
    'Connection: Upgrade',
    'Sec-WebSocket-Version: 13',
    'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
  ]);
  const fastSse = await SseClient.open(`${t.url}/sdk/v1/stream`, { authorization: KEYS.server });
  const fastWs = await WsClient.open(`${t.url.replace('http', 'ws')}/sdk/v1/ws`, {
    authorization: KEYS.server,
  });
  fastWs.send({ type: 'hello', since: 0 }); // resume from scratch: a put, at once
  await fastSse.nextData();
  await fastWs.next();
  await eventually(async () =>
    expect(await metric(t!, /^switchyard_relay_connections\{/)).toBeGreaterThan(0),
  );
  await eventually(
    async () => expect(await metric(t!, /^switchyard_relay_connections\{transport="ws"/)).toBe(2),
    3000,
  );

  // ~16 MB of patches: more than loopback's kernel buffers can hide from the relay.
  const padding = 'x'.repeat(512 * 1024);
  for (let i = 0; i < 32; i++) {
    const result = await t.store.update('production', {
      actor: 'test',
      action: 'write',
      mutate: (current) => ({
        ok: true,
        mutation: {
          flags: {
            'server-flag': { ...current.flags['server-flag']!, description: `${i}${padding}` },
          },
        },
      }),
    });
    expect(result.ok).toBe(true);
    // The fast consumers read each patch as it comes.
    expect((await fastSse.nextData(10_000)).json.version).toBe(i + 2);
    expect((await fastWs.next(10_000)).version).toBe(i + 2);
  }

  expect(await metric(t, /^switchyard_relay_slow_consumers_dropped_total\{transport="sse"/)).toBe(
    1,
  );
  expect(await metric(t, /^switchyard_relay_slow_consumers_dropped_total\{transport="ws"/)).toBe(1);
  for (const stalled of [stalledSse, stalledWs]) {
    const closed = new Promise((resolve) => stalled.once('close', resolve));
    stalled.resume(); // read what the kernel still holds, then see the connection gone
    await closed;
  }
  expect(await metric(t, /^switchyard_relay_connections\{transport="sse"/)).toBe(1);
  expect(await metric(t, /^switchyard_relay_connections\{transport="ws"/)).toBe(1);
  fastSse.close();
  fastWs.close();
});
