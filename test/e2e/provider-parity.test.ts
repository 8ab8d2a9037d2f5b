import { OpenFeature } from '@openfeature/server-sdk';
import type { Flag } from '@switchyard/core';
import { booleanFlag, segment } from '@switchyard/testkit';
import { startRelayProcess, TEST_KEYS } from '@switchyard/testkit/relay';
import { SwitchyardProvider } from '@switchyard/server-provider';
import { describe, expect, it } from 'vitest';

/** A small seeded PRNG (mulberry32), so a failing sequence can be replayed. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CHANGES = 1000;

describe('an SSE provider and a WebSocket provider', () => {
  it(`stay identical to the relay through ${CHANGES} random changes`, async () => {
    const relay = await startRelayProcess({ config: { heartbeatMs: 1000 } });
    const random = seeded(20261122);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const flagKeys = Array.from({ length: 12 }, (_, i) => `flag-${i}`);
    expect(
      (await relay.admin('POST', '/segments', segment('cohort', { included: ['u1'] }))).status,
    ).toBe(201);

    const sse = new SwitchyardProvider({
      relayUrl: relay.url,
      sdkKey: TEST_KEYS.server,
      transport: 'sse',
    });
    const ws = new SwitchyardProvider({
      relayUrl: relay.url,
      sdkKey: TEST_KEYS.server,
      transport: 'ws',
    });
    await OpenFeature.setProviderAndWait('parity-sse', sse);
    await OpenFeature.setProviderAndWait('parity-ws', ws);

    const existing = new Set<string>();
    let accepted = 0;
    for (let i = 0; i < CHANGES; i++) {
      const key = pick(flagKeys);
      const on = Math.floor(random() * 100_001);
      const flag: Flag = booleanFlag(key, {
        enabled: random() < 0.8,
        targets: { on: [`user-${Math.floor(random() * 50)}`] },
        rules:
          random() < 0.5
            ? [
                {
                  id: 'cohort',
                  clauses: [{ attribute: 'key', operator: 'inSegment', values: ['cohort'] }],
                  variation: 'on',
                },
              ]
            : [],
        fallthrough: {
          weights: [
            { variation: 'on', weight: on },
            { variation: 'off', weight: 100_000 - on },
          ],
        },
      });
      const action = random();
      let status: number;
      if (!existing.has(key)) {
        status = (await relay.admin('POST', '/flags', flag)).status;
        if (status === 201) existing.add(key);
      } else if (action < 0.1) {
        status = (await relay.admin('DELETE', `/flags/${key}`)).status;
        existing.delete(key);
      } else if (action < 0.2) {
        status = (
          await relay.admin(
            'PUT',
            '/segments/cohort',
            segment('cohort', { included: [`user-${i % 50}`] }),
          )
        ).status;
      } else {
        status = (await relay.admin('PUT', `/flags/${key}`, flag)).status;
      }
      expect([200, 201, 204]).toContain(status);
      accepted++;
    }

    const relaySnapshot = (await relay.admin('GET', '/snapshot')).body as { version: number };
    const caughtUp = () =>
      sse.snapshotInfo().version === relaySnapshot.version &&
      ws.snapshotInfo().version === relaySnapshot.version;
    for (let waited = 0; !caughtUp() && waited < 15_000; waited += 20)
      await new Promise((r) => setTimeout(r, 20));
    expect(accepted).toBe(CHANGES);
    expect(sse.snapshotInfo().version).toBe(relaySnapshot.version);
    expect(ws.snapshotInfo().version).toBe(relaySnapshot.version);
    expect(sse.compiledSnapshot!.snapshot).toEqual(ws.compiledSnapshot!.snapshot);
    expect(sse.compiledSnapshot!.snapshot).toEqual(relaySnapshot);
    // Nothing was missed or resynced: every change arrived as a patch on the first connection.
    expect(sse.snapshotInfo().stats).toMatchObject({ puts: 1, refused: 0, connections: 1 });
    expect(ws.snapshotInfo().stats).toMatchObject({ puts: 1, refused: 0, connections: 1 });

    const sseClient = OpenFeature.getClient('parity-sse');
    const wsClient = OpenFeature.getClient('parity-ws');
    for (const key of flagKeys) {
      for (let u = 0; u < 60; u++) {
        const context = { targetingKey: `user-${u}` };
        expect(await sseClient.getBooleanDetails(key, false, context)).toEqual(
          await wsClient.getBooleanDetails(key, false, context),
        );
      }
    }
    await OpenFeature.clearProviders();
    await relay.stop();
  });
});
