import { SwitchyardProvider } from '@switchyard/server-provider';
import type { BenchEngine } from '../engines/engine';
import { snapshot } from '../engines/switchyard';
import type { Scenario } from '../scenarios';
import { prepareOpenFeature } from './of-client';

/**
 * Our provider, offline, serving the very snapshot the core section evaluates, with its
 * defaults (among them the bucket cache of 10,000 entries). Loaded from source, like core.
 */
async function setup(scenario: Scenario) {
  const provider = new SwitchyardProvider({ offline: { snapshot: snapshot(scenario) } });
  const prepared = await prepareOpenFeature('of-switchyard', scenario, provider);
  const info = provider.snapshotInfo();
  if (info.version !== 1 || info.status !== 'READY') {
    throw new Error(`of-switchyard: serving version ${info.version} (${info.status}), expected 1`);
  }
  return prepared;
}

export const engines: readonly BenchEngine[] = [
  {
    id: 'of-switchyard',
    label: 'SwitchyardProvider (offline snapshot, default bucket cache)',
    side: 'ours',
    setup,
  },
];
