import { LaunchDarklyProvider } from '@launchdarkly/openfeature-node-server';
import { basicLogger } from '@launchdarkly/node-server-sdk';
import { TestData } from '@launchdarkly/node-server-sdk/integrations';
import { peerVersion, type BenchEngine } from '../engines/engine';
import { flagJson } from '../engines/launchdarkly';
import type { Scenario } from '../scenarios';
import { prepareOpenFeature } from './of-client';

/**
 * LaunchDarkly's OpenFeature provider around its server SDK, fed by TestData exactly as the
 * core section's LaunchDarkly engine is (same flag JSON, no streaming, no events). The
 * provider turns the OpenFeature context into a `user` context and calls variationDetail.
 */
async function setup(scenario: Scenario) {
  const testData = new TestData();
  for (const key of scenario.flagKeys) await testData.usePreconfiguredFlag(flagJson(scenario, key));
  const provider = new LaunchDarklyProvider('sdk-key-unused-by-test-data', {
    updateProcessor: testData.getFactory(),
    sendEvents: false,
    diagnosticOptOut: true,
    logger: basicLogger({ level: 'warn' }),
  });
  return prepareOpenFeature('of-launchdarkly', scenario, provider);
}

export const engines: readonly BenchEngine[] = [
  {
    id: 'of-launchdarkly',
    label: `@launchdarkly/openfeature-node-server ${peerVersion('@launchdarkly/openfeature-node-server')} (node-server-sdk ${peerVersion('@launchdarkly/node-server-sdk')}, TestData)`,
    side: 'peer',
    setup,
  },
];
