import { afterAll, beforeAll, expect, it } from 'vitest';
import { KEYS, startTestRelay, type TestRelay } from './relay-harness';
import { SseClient, WsClient } from './stream-clients';

/**
 * Measures, for one subscriber on loopback, how long an admin write takes to reach it:
 * from sending the PUT to the patch arriving, and to the PUT's acknowledgement. Printed
 * for the closing note; asserted only loosely (CI machines vary).
 */
let t: TestRelay;
beforeAll(async () => {
  t = await startTestRelay();
});
afterAll(() => t.close());

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
const summary = (values: number[]): string => {
  const sorted = [...values].sort((a, b) => a - b);
  return `p50 ${percentile(sorted, 0.5).toFixed(2)} ms, p95 ${percentile(sorted, 0.95).toFixed(2)} ms, max ${sorted[sorted.length - 1]!.toFixed(2)} ms`;
};

async function measure(receive: () => Promise<unknown>, rounds: number) {
  const delivered: number[] = [];
  const acknowledged: number[] = [];
  const ackToDelivery: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const flag = {
      ...t.store.snapshot('production')!.flags['server-flag'],
      description: `round ${i}`,
    };
    const start = performance.now();
    let deliveredAt = 0;
    const received = receive().then(() => (deliveredAt = performance.now()));
    const response = await fetch(`${t.url}/admin/v1/environments/production/flags/server-flag`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${KEYS.writer}`, 'content-type': 'application/json' },
      body: JSON.stringify(flag),
    });
    await response.arrayBuffer();
    const ackAt = performance.now();
    expect(response.status).toBe(200);
    await received;
    if (i < 5) continue; // warm-up
    delivered.push(deliveredAt - start);
    acknowledged.push(ackAt - start);
    ackToDelivery.push(deliveredAt - ackAt);
  }
  return { delivered, acknowledged, ackToDelivery };
}

it('delivers an admin write to one SSE and one WebSocket subscriber within milliseconds', async () => {
  const sse = await SseClient.open(`${t.url}/sdk/v1/stream`, { authorization: KEYS.server });
  await sse.nextData();
  const sseRun = await measure(() => sse.nextData(), 105);
  sse.close();

  const ws = await WsClient.open(`${t.url.replace('http', 'ws')}/sdk/v1/ws`, {
    authorization: KEYS.server,
  });
  ws.send({ type: 'hello' });
  await ws.next();
  const wsRun = await measure(() => ws.next(), 105);
  ws.close();

  for (const [name, run] of [
    ['SSE', sseRun],
    ['WebSocket', wsRun],
  ] as const) {
    console.log(
      `[write-to-delivery] ${name}, 100 admin PUTs, one subscriber, loopback:\n` +
        `  PUT sent -> patch received: ${summary(run.delivered)}\n` +
        `  PUT sent -> PUT acknowledged: ${summary(run.acknowledged)}\n` +
        `  PUT acknowledged -> patch received: ${summary(run.ackToDelivery)} (negative: the patch arrived first)`,
    );
    expect(
      percentile(
        [...run.delivered].sort((a, b) => a - b),
        0.5,
      ),
    ).toBeLessThan(50);
  }
});
