import type { Flag } from '@switchyard/core';
import { StreamHub, type StreamHubOptions } from '../../src/hub/stream-hub';
import { MemoryFlagStore } from '../../src/store/memory-flag-store';
import { demoSnapshot } from './flag-fixtures';

/** The client-snapshot salt of hubs made by setupHub. */
export const HUB_SALT = 'salt-1';

/** A started hub over a MemoryFlagStore seeded with demoSnapshot, and a way to edit a flag. */
export function setupHub(options: Partial<StreamHubOptions> = {}, ringSize = 1000) {
  const store = new MemoryFlagStore({
    environments: ['production'],
    seed: { production: demoSnapshot() },
    ringSize,
  });
  const hub = new StreamHub({
    store,
    environments: { production: { keySalt: HUB_SALT } },
    ...options,
  });
  hub.start();
  const write = async (key: string, change: (flag: Flag) => Flag): Promise<void> => {
    const result = await store.update('production', {
      actor: 'test',
      action: 'write',
      mutate: (current) => ({
        ok: true,
        mutation: { flags: { [key]: change(current.flags[key]!) } },
      }),
    });
    if (!result.ok) throw new Error(result.message);
  };
  return { store, hub, write };
}
