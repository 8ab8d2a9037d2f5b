import { GrowthBookClient } from '@growthbook/growthbook';
import type { FeatureDefinition } from '@growthbook/growthbook';
import { ENTERPRISE_PLAN, ROLLOUT_PERCENT, type Scenario } from '../scenarios';
import { peerVersion, type BenchEngine, type PreparedScenario } from './engine';

/**
 * GrowthBookClient is GrowthBook's multi-user server API: one instance holds the features
 * and each call passes the user's attributes (the single-user GrowthBook class would need
 * setAttributes per request). initSync takes the payload; with no clientKey, no streaming
 * and no pollingInterval it never touches the network.
 */
function featureDefinition(scenario: Scenario): FeatureDefinition<boolean> {
  if (scenario.flagKind === 'static-on') return { defaultValue: true };
  return {
    defaultValue: false,
    rules: [
      { id: 'enterprise', condition: { plan: ENTERPRISE_PLAN }, force: true },
      // Seed defaults to the feature key, so every flag buckets users differently.
      { id: 'rollout', force: true, coverage: ROLLOUT_PERCENT / 100, hashAttribute: 'id' },
    ],
  };
}

async function setup(scenario: Scenario): Promise<PreparedScenario> {
  const features: Record<string, FeatureDefinition<boolean>> = {};
  for (const key of scenario.flagKeys) features[key] = featureDefinition(scenario);
  const client = new GrowthBookClient().initSync({ payload: { features } });

  const flagKeys = scenario.flagKeys;
  const contexts = scenario.users.map((user) => ({
    attributes: { id: user.key, plan: user.plan },
  }));
  return {
    mode: 'sync',
    // evalFeature, like ours, returns the full result (value, source, rule id).
    evaluate: (userIndex, flagIndex) =>
      client.evalFeature<boolean>(flagKeys[flagIndex]!, contexts[userIndex]!).on,
    dispose: () => client.destroy(),
  };
}

export const engines: readonly BenchEngine[] = [
  {
    id: 'growthbook',
    label: `@growthbook/growthbook ${peerVersion('@growthbook/growthbook')} (GrowthBookClient)`,
    side: 'peer',
    setup,
  },
];
