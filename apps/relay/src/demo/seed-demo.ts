import type { Flag, Segment } from '@switchyard/core';
import type { FlagStore } from '../store/flag-store';
import { DEMO_ENVIRONMENT } from './demo-config';
import { DEMO_FLAGS, DEMO_SEGMENTS } from './demo-flags';

const withKeys = <T>(entries: Record<string, Omit<T, 'key' | 'version'>>): Record<string, T> =>
  Object.fromEntries(
    Object.entries(entries).map(([key, entry]) => [key, { ...entry, key, version: 0 } as T]),
  );

/**
 * Seeds the demo flags on first start only: when the demo environment is still at version 0.
 * Once anything was committed (even deleting every flag), the user's state is left alone.
 * Answers whether it seeded.
 */
export async function seedDemo(store: FlagStore): Promise<boolean> {
  if (store.snapshot(DEMO_ENVIRONMENT)?.version !== 0) return false;
  const result = await store.update(DEMO_ENVIRONMENT, {
    expectedVersion: 0,
    mutate: () => ({
      ok: true,
      mutation: { flags: withKeys<Flag>(DEMO_FLAGS), segments: withKeys<Segment>(DEMO_SEGMENTS) },
    }),
    actor: 'demo',
    action: 'demo.seed',
    idempotencyKey: 'demo-seed',
  });
  if (!result.ok) throw new Error(`seeding the demo flags failed: ${result.message}`);
  return true;
}
