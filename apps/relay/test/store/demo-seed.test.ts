import { compileSnapshot, evaluateFlag } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { DEMO_ENVIRONMENT } from '../../src/demo/demo-config';
import { formatDemoBanner } from '../../src/demo/demo-banner';
import { seedDemo } from '../../src/demo/seed-demo';
import { FileFlagStore } from '../../src/store/file-flag-store';
import { deleteFlag, temporaryDirectory } from './store-test-helpers';

async function openDemoStore(dataDir: string): Promise<FileFlagStore> {
  const store = new FileFlagStore({ dataDir, environments: [DEMO_ENVIRONMENT] });
  await store.open();
  return store;
}

describe('the demo seed', () => {
  it('seeds the scenario flags on first start only, and leaves later changes alone', async () => {
    const dataDir = await temporaryDirectory();
    const store = await openDemoStore(dataDir);
    expect(await seedDemo(store)).toBe(true);
    const seeded = store.snapshot(DEMO_ENVIRONMENT)!;
    expect(seeded.version).toBe(1);
    expect(Object.keys(seeded.flags).sort()).toEqual([
      'checkout-button-copy',
      'checkout-limits',
      'live-chat',
      'new-checkout',
      'new-search-index',
      'search-ranking',
    ]);
    await store.update(DEMO_ENVIRONMENT, deleteFlag('live-chat'));
    await store.close();

    const restarted = await openDemoStore(dataDir);
    expect(await seedDemo(restarted)).toBe(false);
    expect(restarted.snapshot(DEMO_ENVIRONMENT)!.flags['live-chat']).toBeUndefined();
    await restarted.close();
  });

  it('evaluates as the seed scenarios describe', async () => {
    const store = await openDemoStore(await temporaryDirectory());
    await seedDemo(store);
    const compiled = compileSnapshot(store.snapshot(DEMO_ENVIRONMENT)!);
    const evaluate = (flag: string, targetingKey: string) =>
      evaluateFlag(compiled, flag, { targetingKey });
    expect(evaluate('new-checkout', 'user_1')).toMatchObject({
      value: true,
      reason: 'TARGETING_MATCH',
    });
    expect(evaluate('new-checkout', 'user_25')).toMatchObject({ value: true, reason: 'SPLIT' });
    expect(evaluate('new-search-index', 'tenant_acme')).toMatchObject({
      value: true,
      reason: 'TARGETING_MATCH',
    });
    expect(evaluate('new-search-index', 'tenant_globex')).toMatchObject({ value: false });
    expect(evaluate('live-chat', 'anyone')).toMatchObject({ value: false, reason: 'DISABLED' });
    const copies = new Map<unknown, number>();
    for (let i = 0; i < 10_000; i++) {
      const result = evaluate('checkout-button-copy', `visitor-${i}`);
      const copy = result.reason === 'ERROR' ? 'error' : result.value;
      copies.set(copy, (copies.get(copy) ?? 0) + 1);
    }
    expect(copies.get('Buy now')! / 10_000).toBeCloseTo(0.3, 1);
    expect(copies.get('Complete purchase')! / 10_000).toBeCloseTo(0.4, 1);
    expect(copies.get('Place order')! / 10_000).toBeCloseTo(0.3, 1);
    const clientSide = Object.values(store.snapshot(DEMO_ENVIRONMENT)!.flags).filter(
      (flag) => flag.clientSide === true,
    );
    expect(clientSide.map((flag) => flag.key).sort()).toEqual([
      'checkout-button-copy',
      'live-chat',
      'new-checkout',
    ]);
    await store.close();
  });

  it('prints every URL and demo key in its banner', () => {
    const banner = formatDemoBanner('http://127.0.0.1:8080', '/data', true);
    for (const expected of [
      'http://127.0.0.1:8080/sdk/v1/snapshot',
      'http://127.0.0.1:8080/sdk/v1/stream',
      'ws://127.0.0.1:8080/sdk/v1/ws',
      'http://127.0.0.1:8080/ofrep/v1/evaluate/flags',
      'http://127.0.0.1:8080/admin/v1',
      'http://127.0.0.1:8080/admin/v1/openapi.json',
      'srv-demo-server-key',
      'cli-demo-client-key',
      'demo-admin-token',
    ]) {
      expect(banner).toContain(expected);
    }
  });
});
