import type { RelayConfig } from '../config/relay-config';
import { FileFlagStore } from './file-flag-store';
import type { FlagStore } from './flag-store';
import { GitOpsFlagStore } from './gitops-flag-store';
import { MemoryFlagStore } from './memory-flag-store';
import type { StoreLogger } from './store-error';

/** Builds the store `config.store.kind` names, not yet opened. */
export function createFlagStore(config: RelayConfig, logger?: StoreLogger): FlagStore {
  const environments = Object.keys(config.environments);
  const { store } = config;
  switch (store.kind) {
    case 'memory':
      return new MemoryFlagStore({ environments, ringSize: config.changeRing });
    case 'gitops':
      return new GitOpsFlagStore({
        flagsFile: store.flagsFile!, // validateConfig requires it for gitops
        dataDir: config.dataDir,
        environments,
        ringSize: config.changeRing,
        compactEvery: store.compactEvery,
        debounceMs: store.debounceMs,
        pollMs: store.pollMs,
        logger,
      });
    case 'file':
      return new FileFlagStore({
        dataDir: config.dataDir,
        environments,
        ringSize: config.changeRing,
        compactEvery: store.compactEvery,
        idempotencyWindow: store.idempotencyWindow,
        logger,
      });
  }
}
