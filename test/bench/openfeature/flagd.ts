import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FlagdProvider } from '@openfeature/flagd-provider';
import { peerVersion, type BenchEngine } from '../engines/engine';
import { flagDefinition } from '../engines/flagd';
import type { Scenario } from '../scenarios';
import { prepareOpenFeature } from './of-client';

/**
 * flagd's provider in in-process mode with an offline flag source: it reads the flag file
 * itself (and polls it with fs.watchFile), evaluates with the same flagd-core as the core
 * section's flagd engine, and opens no connection: no daemon, no gRPC sync.
 */
async function setup(scenario: Scenario) {
  const flags: Record<string, unknown> = {};
  for (const key of scenario.flagKeys) flags[key] = flagDefinition(scenario);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'switchyard-bench-flagd-'));
  const file = path.join(dir, 'flags.json');
  writeFileSync(file, JSON.stringify({ flags }));
  const provider = new FlagdProvider({ resolverType: 'in-process', offlineFlagSourcePath: file });
  try {
    return await prepareOpenFeature('of-flagd', scenario, provider, () =>
      rmSync(dir, { recursive: true, force: true }),
    );
  } catch (error) {
    await provider.onClose();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

export const engines: readonly BenchEngine[] = [
  {
    id: 'of-flagd',
    label: `@openfeature/flagd-provider ${peerVersion('@openfeature/flagd-provider')} (in-process, offline file)`,
    side: 'peer',
    setup,
  },
];
